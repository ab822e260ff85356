/*
 * import-maps.c - a process built from a real /proc/PID/maps file
 * (import-maps.h). maps_parse reads the text; maps_import checks it
 * against the machine and builds the mm with map_fixed_vma, the way
 * load_elf_binary places segments: every VMA at the place the file says,
 * no merging, so each line comes back as one line of `maps`.
 *
 * What a line becomes:
 *
 *   /usr/lib/libc.so.6   a file VMA; the simulated file has the line's
 *                        name, device and inode (shared by every line
 *                        naming the same file) and is as long as the
 *                        furthest offset mapped
 *   [heap]               anonymous; mm->start_brk/brk cover it, which is
 *                        how show_map_vma names it
 *   [stack]              anonymous, VM_GROWSDOWN; mm->start_stack in it
 *   [vdso] [vvar] ...    a special mapping named by vm_name
 *   [vsyscall]           not a VMA (the gate area above user space): left
 *                        out, and `maps` prints the machine's own
 *   (no name)            anonymous
 *
 * vm_flags that maps does not show are chosen as the kernel would set
 * them for such a mapping: VM_MAY* for private mappings, VM_ACCOUNT for
 * private writable ones, VM_SHARED only for writable shared ones (a
 * read-only "s" mapping is a MAP_SHARED mapping of a file opened
 * read-only, which do_mmap leaves without VM_SHARED and VM_MAYWRITE).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/import-maps.h"
#include "vmscope/machine.h"
#include "vmscope/slab.h"
#include "vmscope/task.h"

/* ------------------------------------------------------------ parsing */

struct mline {
	const char	*name;
	const char	*s;
	size_t		 len, no;
	struct sbuf	*err;
};

static int maps_error_at(struct sbuf *err, const char *name, size_t line,
    size_t col, const char *fmt, ...) __printf(5, 6);

static int maps_error_at(struct sbuf *err, const char *name, size_t line,
    size_t col, const char *fmt, ...)
{
	va_list ap;

	sbuf_printf(err, "%s:%zu:%zu: ", name, line, col + 1);
	va_start(ap, fmt);
	sbuf_vprintf(err, fmt, ap);
	va_end(ap);
	sbuf_addc(err, '\n');
	return -1;
}

#define line_error(l, col, ...) \
	maps_error_at((l)->err, (l)->name, (l)->no, (col), __VA_ARGS__)

static int read_hex(const struct mline *l, size_t *i, const char *what,
    unsigned maxdigits, uint64_t *val)
{
	size_t start = *i;
	int n = scan_hex(l->s, l->len, i, maxdigits, val);

	if (n < 0)
		return line_error(l, start, "%s has more than %u hex digits",
		    what, maxdigits);
	if (n == 0)
		return line_error(l, start, "expected %s (hex)", what);
	return 0;
}

static int skip_blanks(const struct mline *l, size_t *i, const char *next)
{
	size_t start = *i;

	while (*i < l->len && (l->s[*i] == ' ' || l->s[*i] == '\t'))
		(*i)++;
	if (*i == start)
		return line_error(l, start, "expected a blank before %s", next);
	return 0;
}

static int parse_line(const struct mline *l, struct maps_line *ml)
{
	size_t i = 0;
	uint64_t v;

	memset(ml, 0, sizeof(*ml));
	ml->line = l->no;
	if (read_hex(l, &i, "the start address", 16, &ml->start) != 0)
		return -1;
	if (i >= l->len || l->s[i] != '-')
		return line_error(l, i, "expected '-' between the start and end "
		    "addresses (maps: \"START-END PERMS OFFSET DEV INODE NAME\")");
	ml->col_end = ++i;
	if (read_hex(l, &i, "the end address", 16, &ml->end) != 0)
		return -1;
	if (ml->end <= ml->start)
		return line_error(l, ml->col_end, "the end address must be "
		    "above the start address");
	if (skip_blanks(l, &i, "the permissions") != 0)
		return -1;
	ml->col_perms = i;
	if (i + 4 > l->len || (l->s[i] != 'r' && l->s[i] != '-') ||
	    (l->s[i + 1] != 'w' && l->s[i + 1] != '-') ||
	    (l->s[i + 2] != 'x' && l->s[i + 2] != '-') ||
	    (l->s[i + 3] != 'p' && l->s[i + 3] != 's'))
		return line_error(l, i, "expected permissions such as r-xp: "
		    "r or -, w or -, x or -, then p (private) or s (shared)");
	memcpy(ml->perms, l->s + i, 4);
	i += 4;
	if (skip_blanks(l, &i, "the offset") != 0)
		return -1;
	ml->col_offset = i;
	if (read_hex(l, &i, "the offset", 16, &ml->offset) != 0)
		return -1;
	if (skip_blanks(l, &i, "the device") != 0)
		return -1;
	ml->col_dev = i;
	if (read_hex(l, &i, "the device major number", 8, &v) != 0)
		return -1;
	ml->major = (unsigned)v;
	if (i >= l->len || l->s[i] != ':')
		return line_error(l, i, "expected ':' in the device (MAJOR:MINOR "
		    "in hex, as 08:01)");
	i++;
	if (read_hex(l, &i, "the device minor number", 8, &v) != 0)
		return -1;
	ml->minor = (unsigned)v;
	if (skip_blanks(l, &i, "the inode") != 0)
		return -1;
	ml->col_ino = i;
	if (i >= l->len || l->s[i] < '0' || l->s[i] > '9')
		return line_error(l, i, "expected the inode number (decimal)");
	for (v = 0; i < l->len && l->s[i] >= '0' && l->s[i] <= '9'; i++) {
		unsigned d = (unsigned)(l->s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return line_error(l, ml->col_ino, "the inode number is "
			    "too large");
		v = v * 10 + d;
	}
	ml->ino = v;
	if (i == l->len)
		return 0;
	/* the name starts after the padding; a lone blank means none */
	if (skip_blanks(l, &i, "the name") != 0)
		return -1;
	if (i < l->len) {
		ml->col_name = i;
		ml->name = xstrndup(l->s + i, l->len - i);
	}
	return 0;
}

void maps_file_free(struct maps_file *mf)
{
	for (size_t i = 0; i < mf->n; i++)
		free(mf->lines[i].name);
	free(mf->lines);
	free(mf->name);
	memset(mf, 0, sizeof(*mf));
}

int maps_parse(const char *name, const char *text, size_t len,
    struct maps_file *mf, struct sbuf *err)
{
	struct mline l;
	size_t pos = 0;

	memset(mf, 0, sizeof(*mf));
	memset(&l, 0, sizeof(l));
	mf->name = xstrdup(name);
	l.name = name;
	l.err = err;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		const char *nul;

		l.s = text + pos;
		l.len = end - pos;
		l.no++;
		pos = end + 1;
		if (l.len > 0 && l.s[l.len - 1] == '\r')
			l.len--;
		if ((nul = memchr(l.s, '\0', l.len)) != NULL) {
			line_error(&l, (size_t)(nul - l.s), "a NUL byte: this "
			    "is not a text file");
			goto fail;
		}
		if (l.len == 0)
			continue;
		if (mf->n == DEFAULT_MAX_MAP_COUNT) {
			line_error(&l, 0, "more than %d lines: more VMAs than "
			    "vm.max_map_count allows", DEFAULT_MAX_MAP_COUNT);
			goto fail;
		}
		if (mf->n == mf->cap) {
			mf->cap = mf->cap != 0 ? mf->cap * 2 : 64;
			mf->lines = xrealloc(mf->lines, mf->cap *
			    sizeof(*mf->lines));
		}
		if (parse_line(&l, &mf->lines[mf->n]) != 0)
			goto fail;
		mf->n++;
	}
	if (mf->n == 0) {
		maps_error_at(err, name, l.no > 0 ? l.no : 1, 0, "no mappings "
		    "in the file (expected lines of /proc/PID/maps)");
		goto fail;
	}
	return 0;
fail:
	maps_file_free(mf);
	return -1;
}

int maps_load(const char *path, struct maps_file *mf, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT;
	int rc;

	memset(mf, 0, sizeof(*mf));
	rc = sbuf_read_file(&text, path, path, MAPS_MAX_SIZE, err);
	if (rc == SBUF_TOO_LARGE) {
		sbuf_printf(err, "vmscope: %s: larger than %u MiB: not a maps "
		    "file\n", path, MAPS_MAX_SIZE >> 20);
		rc = -1;
	} else if (rc == 0) {
		rc = maps_parse(path, text.s != NULL ? text.s : "", text.len, mf,
		    err);
	}
	sbuf_free(&text);
	return rc;
}

/* ------------------------------------------------------------ names */

/*
 * vm_name is a borrowed string that must outlive every VMA and event
 * that points at it, on any machine (fork copies it, the event log keeps
 * it). Known names are literals; others ("[anon:malloc]") are interned
 * here for the life of the program: few and small, and never freed
 * because a pointer may survive in some machine's log.
 */
struct interned {
	struct interned	*next;
	char		 s[];
};
static struct interned *interned_names;

static const char *intern_name(const char *s)
{
	static const char *const known[] = {
		"[vdso]", "[vvar]", "[vvar_vclock]", "[vectors]", "[sigpage]",
		"[uprobes]", "[vsyscall]",
	};
	struct interned *in;
	size_t len = strlen(s);

	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (strcmp(known[i], s) == 0)
			return known[i];
	}
	for (in = interned_names; in != NULL; in = in->next) {
		if (strcmp(in->s, s) == 0)
			return in->s;
	}
	in = xcalloc(1, sizeof(*in) + len + 1);
	memcpy(in->s, s, len + 1);
	in->next = interned_names;
	interned_names = in;
	return in->s;
}

/* ------------------------------------------------------------ import */

enum line_kind {
	LK_ANON,	/* no name */
	LK_FILE,
	LK_HEAP,
	LK_STACK,
	LK_SPECIAL,	/* [vdso], [anon:...]: vm_name */
	LK_GATE,	/* [vsyscall]: left out */
};

/* One distinct file of the import: name, device and inode. */
struct import_file {
	const struct maps_line *first;
	uint64_t	 size;
	struct vm_file	*file;
};

struct import {
	struct machine		*m;
	const struct maps_file	*mf;
	struct sbuf		*err;
	enum line_kind		*kind;
	size_t			*file_of;	/* line -> files[] */
	struct import_file	*files;
	size_t			 nfiles;
	uint64_t		 start_brk, brk, start_stack, mmap_base;
	const struct maps_line	*exe_text, *exe_data;
	size_t			 exe;		/* files[] of the executable */
};

#define imp_error(im, ml, col, ...) \
	maps_error_at((im)->err, (im)->mf->name, (ml)->line, (col), __VA_ARGS__)

static bool is_bracketed(const char *name)
{
	size_t len = name != NULL ? strlen(name) : 0;

	return len >= 2 && name[0] == '[' && name[len - 1] == ']';
}

static enum line_kind classify(const struct maps_line *ml)
{
	bool has_dev = ml->major != 0 || ml->minor != 0 || ml->ino != 0;

	if (ml->name == NULL)
		return has_dev ? LK_FILE : LK_ANON;
	if (!is_bracketed(ml->name) || has_dev)
		return LK_FILE;		/* "[anon_shmem:x]" is a shmem file */
	if (strcmp(ml->name, "[heap]") == 0)
		return LK_HEAP;
	if (strcmp(ml->name, "[stack]") == 0)
		return LK_STACK;
	if (strcmp(ml->name, "[vsyscall]") == 0)
		return LK_GATE;
	return LK_SPECIAL;
}

static size_t find_or_add_file(struct import *im, const struct maps_line *ml)
{
	uint64_t end = ml->offset + (ml->end - ml->start);

	for (size_t f = 0; f < im->nfiles; f++) {
		const struct maps_line *o = im->files[f].first;

		if (strcmp(o->name, ml->name) == 0 && o->major == ml->major &&
		    o->minor == ml->minor && o->ino == ml->ino) {
			if (end > im->files[f].size)
				im->files[f].size = end;
			return f;
		}
	}
	im->files = xrealloc(im->files, (im->nfiles + 1) * sizeof(*im->files));
	im->files[im->nfiles].first = ml;
	im->files[im->nfiles].size = end;
	im->files[im->nfiles].file = NULL;
	return im->nfiles++;
}

/* Everything that could go wrong, before the machine is touched. */
static int import_check(struct import *im)
{
	const struct maps_file *mf = im->mf;
	struct machine *m = im->m;
	struct exec_layout l;
	uint64_t ps = m->page_size, prev_end = 0, heap_end = 0;
	const struct maps_line *prev = NULL, *heap_first = NULL;
	const struct maps_line *stack = NULL;
	size_t nvmas = 0;

	arch_exec_layout(m, &l);
	im->kind = xcalloc(mf->n, sizeof(*im->kind));
	im->file_of = xcalloc(mf->n, sizeof(*im->file_of));
	im->exe = SIZE_MAX;
	for (size_t i = 0; i < mf->n; i++) {
		const struct maps_line *ml = &mf->lines[i];
		enum line_kind k = classify(ml);

		im->kind[i] = k;
		if (k == LK_GATE && l.gate_name != NULL &&
		    strcmp(l.gate_name, ml->name) == 0 &&
		    ml->start == l.gate_start && ml->end == l.gate_end)
			continue;	/* `maps` prints the machine's own */
		if (k == LK_GATE)
			im->kind[i] = k = LK_SPECIAL;
		if ((ml->start | ml->end) & (ps - 1))
			return imp_error(im, ml, (ml->start & (ps - 1)) ? 0 :
			    ml->col_end, "not aligned to the page size of "
			    "this machine (%llu bytes)", (unsigned long long)ps);
		if (ml->end > m->arch.task_size)
			return imp_error(im, ml, ml->col_end, "above the top of "
			    "user space of %s (0x%llx): pick the machine the "
			    "file comes from ('machine --arch ...')",
			    m->arch.name, (unsigned long long)m->arch.task_size);
		if (prev != NULL && ml->start < prev_end)
			return imp_error(im, ml, 0, "overlaps or comes before "
			    "line %zu (maps lists VMAs in address order)",
			    prev->line);
		if (k != LK_FILE && ml->offset != 0)
			return imp_error(im, ml, ml->col_offset, "an anonymous "
			    "mapping shows offset 0 in maps");
		if (k == LK_FILE && ml->name == NULL)
			return imp_error(im, ml, ml->col_dev, "a file mapping "
			    "(device or inode given) needs the file's name");
		if (k == LK_FILE && (ml->offset & (ps - 1)))
			return imp_error(im, ml, ml->col_offset, "the offset is "
			    "not a multiple of the page size");
		if (k == LK_FILE && ml->offset + (ml->end - ml->start) <
		    ml->offset)
			return imp_error(im, ml, ml->col_offset, "the offset is "
			    "too large");
		if (k == LK_HEAP) {
			if (heap_first != NULL && ml->start != heap_end)
				return imp_error(im, ml, 0, "[heap] lines must "
				    "follow one another (the heap is one range, "
				    "start_brk to brk)");
			if (heap_first == NULL)
				heap_first = ml;
			heap_end = ml->end;
		}
		if (k == LK_STACK) {
			if (stack != NULL && (stack->end != ml->start ||
			    im->start_stack != 0))
				return imp_error(im, ml, ml->col_name, "a second "
				    "[stack] (vmscope names one stack range of at "
				    "most two VMAs)");
			if (stack != NULL)
				im->start_stack = ml->start;	/* both sides */
			else
				stack = ml;
		}
		if (k == LK_FILE) {
			im->file_of[i] = find_or_add_file(im, ml);
			if (im->exe == SIZE_MAX)
				im->exe = im->file_of[i];
			if (im->file_of[i] == im->exe) {
				if (im->exe_text == NULL && ml->perms[2] == 'x')
					im->exe_text = ml;
				if (im->exe_data == NULL && ml->perms[1] == 'w')
					im->exe_data = ml;
			}
		}
		if (k != LK_STACK && ml->end > im->mmap_base)
			im->mmap_base = ml->end;
		nvmas++;
		prev = ml;
		prev_end = ml->end;
	}
	if (nvmas == 0)
		return maps_error_at(im->err, mf->name, mf->lines[0].line, 0,
		    "no mapping left once [vsyscall] is left out");
	if (stack != NULL && im->start_stack == 0)
		im->start_stack = stack->end - 8;	/* argv's neighbourhood */
	if (heap_first != NULL) {
		im->start_brk = heap_first->start;
		im->brk = heap_end;
	} else if (im->exe != SIZE_MAX) {
		/* no heap yet: the break sits right after the executable */
		for (size_t i = 0; i < mf->n; i++) {
			if (im->kind[i] == LK_FILE && im->file_of[i] == im->exe)
				im->start_brk = im->brk = mf->lines[i].end;
		}
	}
	/*
	 * show_map_vma calls any anonymous VMA that meets [start_brk, brk)
	 * "[heap]": only the [heap] lines may.
	 */
	for (size_t i = 0; i < mf->n && heap_first != NULL; i++) {
		const struct maps_line *ml = &mf->lines[i];

		if (im->kind[i] == LK_ANON && ml->start < im->brk &&
		    ml->end > im->start_brk)
			return imp_error(im, ml, 0, "an unnamed mapping between "
			    "[heap] lines");
	}
	/* new mappings go top-down below the highest one, as ASLR left it */
	if (im->mmap_base <= im->brk || im->mmap_base > l.mmap_base)
		im->mmap_base = l.mmap_base;
	return 0;
}

static unsigned long line_flags(const struct maps_line *ml, enum line_kind k)
{
	unsigned long flags = 0;
	bool shared = ml->perms[3] == 's';

	if (ml->perms[0] == 'r')
		flags |= VM_READ;
	if (ml->perms[1] == 'w')
		flags |= VM_WRITE;
	if (ml->perms[2] == 'x')
		flags |= VM_EXEC;
	if (shared) {
		flags |= VM_MAYSHARE | VM_MAYREAD | VM_MAYEXEC;
		if (flags & VM_WRITE)
			flags |= VM_SHARED | VM_MAYWRITE;
	} else {
		flags |= VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
		if (flags & VM_WRITE)
			flags |= VM_ACCOUNT;
	}
	switch (k) {
	case LK_STACK:
		flags |= VM_GROWSDOWN;
		break;
	case LK_SPECIAL:
		if (strncmp(ml->name, "[vvar", 5) == 0)	/* no struct page */
			flags = (flags & ~(VM_MAYWRITE | VM_MAYEXEC |
			    VM_ACCOUNT)) | VM_IO | VM_DONTDUMP | VM_PFNMAP |
			    VM_DONTEXPAND;
		else if (strcmp(ml->name, "[vdso]") == 0)
			flags |= VM_DONTEXPAND;
		break;
	default:
		break;
	}
	return flags;
}

static bool name_is_shmem(const struct maps_line *ml)
{
	return ml->major == 0 && (strncmp(ml->name, "/dev/zero", 9) == 0 ||
	    strncmp(ml->name, "/SYSV", 5) == 0 ||
	    strncmp(ml->name, "/memfd:", 7) == 0 ||
	    strncmp(ml->name, "[anon_shmem:", 12) == 0);
}

static bool name_is_deleted(const char *name)
{
	size_t len = strlen(name);

	return len > 10 && strcmp(name + len - 10, " (deleted)") == 0;
}

/*
 * The simulated file of files[f]: the machine's file of that name when it
 * is the same file (device and inode), a new named one when the name is
 * free, else a private one that only these VMAs see (the name is taken by
 * another file, or the file was deleted).
 */
static struct vm_file *import_file(struct import *im, size_t f,
    struct maps_import_info *info)
{
	struct import_file *imf = &im->files[f];
	const struct maps_line *ml = imf->first;
	struct vm_file *file = vm_file_lookup(im->m, ml->name);

	if (file != NULL && file->dev_major == ml->major &&
	    file->dev_minor == ml->minor && file->ino == ml->ino) {
		if (file->size < imf->size)
			file->size = imf->size;
		return vm_file_get(file);
	}
	if (file == NULL && !name_is_deleted(ml->name) &&
	    !is_bracketed(ml->name)) {
		(void)vm_file_create(im->m, ml->name, imf->size, &file);
		vm_file_get(file);
	} else {
		file = xcalloc(1, sizeof(*file));
		file->name = event_intern(&im->m->ev, ml->name);
		file->size = imf->size;
		file->refcount = 1;	/* ours, dropped once mapped */
		file->unlinked = true;
		INIT_LIST_HEAD(&file->list);
	}
	file->dev_major = ml->major;
	file->dev_minor = ml->minor;
	file->ino = (unsigned long)ml->ino;
	file->shmem = name_is_shmem(ml);
	info->files++;
	return file;
}

static int import_build(struct import *im, int pid, struct mm_struct **mmp,
    struct maps_import_info *info)
{
	const struct maps_file *mf = im->mf;
	struct mm_struct *mm = mm_alloc(im->m, pid);
	struct exec_layout l;
	int err = 0;

	arch_exec_layout(im->m, &l);
	mm->mmap_base = im->mmap_base;
	mm->mmap_min_addr = l.mmap_min_addr;
	for (size_t f = 0; f < im->nfiles; f++)
		im->files[f].file = import_file(im, f, info);
	for (size_t i = 0; i < mf->n && err == 0; i++) {
		const struct maps_line *ml = &mf->lines[i];
		enum line_kind k = im->kind[i];
		struct vm_file *file = NULL;
		const char *name = NULL;

		if (k == LK_GATE) {
			info->skipped++;
			continue;
		}
		if (k == LK_FILE)
			file = im->files[im->file_of[i]].file;
		else if (k == LK_SPECIAL)
			name = intern_name(ml->name);
		err = map_fixed_vma(mm, ml->start, ml->end, line_flags(ml, k),
		    file, ml->offset >> mm->page_shift, name);
		info->vmas++;
	}
	if (im->exe != SIZE_MAX)
		mm->exe_file = vm_file_get(im->files[im->exe].file);
	for (size_t f = 0; f < im->nfiles; f++)
		vm_file_put(im->files[f].file);
	if (err) {
		/* import_check ruled this out: a bug, but leave no half mm */
		mmput(mm);
		return err;
	}
	mm->start_brk = im->start_brk;
	mm->brk = im->brk;
	mm->start_stack = im->start_stack;
	mm->arg_start = mm->arg_end = mm->env_start = mm->env_end =
	    im->start_stack;
	if (im->exe_text != NULL) {
		mm->start_code = im->exe_text->start;
		mm->end_code = im->exe_text->end;
	}
	if (im->exe_data != NULL) {
		mm->start_data = im->exe_data->start;
		mm->end_data = im->exe_data->end;
	}
	*mmp = mm;
	return 0;
}

static const char *comm_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

int maps_import(struct machine *m, const struct maps_file *mf,
    struct task_struct **taskp, struct maps_import_info *info,
    struct sbuf *err)
{
	struct import im;
	struct task_struct *t = *taskp;
	struct mm_struct *mm = NULL, *old;
	char comm[TASK_COMM_LEN];
	struct vm_event ev;
	int rc;

	memset(info, 0, sizeof(*info));
	memset(&im, 0, sizeof(im));
	im.m = m;
	im.mf = mf;
	im.err = err;
	rc = import_check(&im);
	if (rc == 0) {
		/* a new process takes the next pid (below) */
		rc = import_build(&im, t != NULL ? t->pid : m->last_pid + 1,
		    &mm, info);
		if (rc != 0)
			sbuf_printf(err, "%s: cannot build the address space: "
			    "%s\n", mf->name, errno_text(rc));
	}
	if (rc != 0)
		goto out;
	snprintf(comm, sizeof(comm), "%s", im.exe != SIZE_MAX ?
	    comm_of(im.files[im.exe].first->name) : "imported");
	if (t == NULL) {
		t = xcalloc(1, sizeof(*t));
		t->pid = ++m->last_pid;
		t->state = TASK_INTERRUPTIBLE;
		t->mm = mm;
		list_add_tail(&t->tasks, &m->tasks);
		kmem_model_alloc(m, KMEM_TASK_STRUCT, &t->kmem);	/* slab.h */
	} else {
		/* as execve: the point of no return, the old image goes */
		old = t->mm;
		t->mm = mm;
		mmput(old);
		malloc_free_state(t);
	}
	memcpy(t->comm, comm, sizeof(comm));
	/* malloc carries on from the imported break (sysmalloc_brk) */
	malloc_init_state(t);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_TASK_EXEC;
	ev.pid = t->pid;
	ev.val = (uint64_t)mm->map_count;
	ev.str = event_intern(&m->ev, t->comm);	/* outlives the task */
	machine_emit(m, &ev);
	*taskp = t;
out:
	free(im.kind);
	free(im.file_of);
	free(im.files);
	return rc;
}
