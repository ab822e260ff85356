/*
 * cmd-mm.c - the address-space commands, one per system call (mmap,
 * munmap, mprotect, brk, mremap, madvise), the glibc-like malloc and
 * free, and `file`, which makes a file mmap can map.
 *
 * The split between errors and results: a command vmscope cannot run as
 * typed (no such pid, a word that is not a number, a size of 0, an
 * unknown file) is an error that changes nothing. A system call the
 * kernel would refuse is a result, printed the same way everywhere:
 *
 *     mmap: EEXIST (File exists)
 *
 * syscall name, errno name, strerror text. Successful calls print what
 * the syscall returns (an address for mmap, mremap and brk) or nothing.
 *
 * `free` is shared with the procps view of cmd-phys.c: without arguments
 * it is that view, with PID ADDR it is glibc's free.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/session.h"
#include "cmd-task.h"

extern const struct cmd_entry cmd_free_entry;	/* cmd-phys.c: free(1) */

static int parse_addr(struct cmd_ctx *ctx, const char *what, const char *s,
    uint64_t *val)
{
	return cmd_parse_u64(ctx, what, s, val);
}

/* SIZE, not 0. */
static int parse_len(struct cmd_ctx *ctx, const char *what, const char *s,
    uint64_t *val)
{
	if (cmd_parse_size(ctx, what, s, val) != 0)
		return -1;
	if (*val == 0)
		return cmd_error(ctx, "size 0 is not allowed");
	return 0;
}

/* r, w, x in any order, none, or the rw- / r-x forms. */
static int parse_prot(const char *s, int *prot)
{
	int p = 0;

	if (strcmp(s, "none") == 0) {
		*prot = PROT_NONE;
		return 0;
	}
	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (; *s != '\0'; s++) {
		switch (*s) {
		case 'r':
			p |= PROT_READ;
			break;
		case 'w':
			p |= PROT_WRITE;
			break;
		case 'x':
			p |= PROT_EXEC;
			break;
		case '-':
			break;
		default:
			return -1;
		}
	}
	*prot = p;
	return 0;
}

static int cmd_parse_prot(struct cmd_ctx *ctx, const char *s, int *prot)
{
	if (parse_prot(s, prot) != 0)
		return cmd_error(ctx, "PROT '%s': r, w, x in any order (rw, r-x), "
		    "or none", s);
	return 0;
}

static void print_addr(struct cmd_ctx *ctx, uint64_t addr)
{
	cmd_print(ctx, "0x%" PRIx64 "\n", addr);
}

/* ------------------------------------------------------------ mmap */

static int cmd_mmap_exec(struct cmd_ctx *ctx)
{
	struct args *a = &ctx->args;
	struct task_struct *t = cmd_find_task(ctx, a->argv[0]);
	struct vm_file *file = NULL;
	uint64_t addr = 0, len, offset = 0, v;
	int prot = PROT_READ | PROT_WRITE, flags = 0, i = 1;
	bool have_prot = false, have_addr = false, anon = false;
	int64_t ret;

	if (t == NULL)
		return -1;
	/* [ADDR] SIZE: two numbers in a row mean the first is the address */
	if (a->argc > 2 && parse_size(a->argv[2], ctx->m->page_size, &v) == 0) {
		if (parse_addr(ctx, "ADDR", a->argv[1], &addr) != 0)
			return -1;
		have_addr = true;
		i = 2;
	}
	if (i >= a->argc)
		return cmd_error(ctx, "missing SIZE (usage: %s)",
		    ctx->entry->usage);
	if (parse_len(ctx, "SIZE", a->argv[i++], &len) != 0)
		return -1;
	for (; i < a->argc; i++) {
		const char *w = a->argv[i];
		int p;

		if (strcmp(w, "private") == 0) {
			flags = (flags & ~MAP_SHARED) | MAP_PRIVATE;
		} else if (strcmp(w, "shared") == 0) {
			flags = (flags & ~MAP_PRIVATE) | MAP_SHARED;
		} else if (strcmp(w, "anon") == 0) {
			anon = true;
		} else if (strncmp(w, "file=", 5) == 0) {
			char *name = xstrdup(w + 5), *colon = strrchr(name, ':');

			if (colon != NULL) {
				*colon = '\0';
				if (parse_size(colon + 1, ctx->m->page_size,
				    &offset) != 0) {
					cmd_error(ctx, "file=%s: offset '%s' is "
					    "not a number or size", name,
					    colon + 1);
					free(name);
					return -1;
				}
			}
			file = vm_file_lookup(ctx->m, name);
			if (file == NULL) {
				cmd_error(ctx, "no file '%s' (make one with "
				    "'file %s SIZE')", name, name);
				free(name);
				return -1;
			}
			free(name);
		} else if (strcmp(w, "fixed") == 0) {
			flags |= MAP_FIXED;
		} else if (strcmp(w, "noreplace") == 0) {
			flags |= MAP_FIXED_NOREPLACE;
		} else if (strcmp(w, "populate") == 0) {
			flags |= MAP_POPULATE;
		} else if (strcmp(w, "hugetlb") == 0) {
			flags |= MAP_HUGETLB;
		} else if (parse_prot(w, &p) == 0) {
			if (have_prot)
				return cmd_error(ctx, "PROT given twice ('%s')", w);
			prot = p;
			have_prot = true;
		} else {
			return cmd_error(ctx, "unknown word '%s' (usage: %s)", w,
			    ctx->entry->usage);
		}
	}
	if (anon && file != NULL)
		return cmd_error(ctx, "anon and file= exclude each other");
	if ((flags & (MAP_SHARED | MAP_PRIVATE)) == 0)
		flags |= MAP_PRIVATE;
	if (file == NULL)
		flags |= MAP_ANONYMOUS;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !have_addr)
		return cmd_error(ctx, "fixed and noreplace need an ADDR");

	ret = vm_mmap(t->mm, addr, len, prot, flags, file, offset);
	if (ret < 0)
		cmd_print_errno(ctx, "mmap", (int)ret);
	else
		print_addr(ctx, (uint64_t)ret);
	return 0;
}

const struct cmd_entry cmd_mmap_entry = {
	.name = "mmap",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "mmap PID [ADDR] SIZE [PROT] [private|shared] "
	    "[anon|file=NAME[:OFFSET]] [fixed|noreplace] [populate] [hugetlb]",
	.summary = "map memory, as mmap(2); prints the address",
	.help =
	    "  mmap(2) in the process: do_mmap picks the place (get_unmapped_area:\n"
	    "  the ADDR hint when that range is free, else the highest free range\n"
	    "  below mmap_base, found through the VMA tree's subtree gaps), then\n"
	    "  mmap_region merges with a neighbour that has the same flags, file and\n"
	    "  contiguous offset (vma_merge) or makes a new VMA. Defaults: PROT rw,\n"
	    "  private, anonymous. fixed (MAP_FIXED) replaces what is there;\n"
	    "  noreplace (MAP_FIXED_NOREPLACE) fails with EEXIST instead. file=NAME\n"
	    "  maps a file made with 'file' at a page-aligned byte OFFSET. shared\n"
	    "  anonymous memory is a shmem file (\"/dev/zero (deleted)\"). hugetlb\n"
	    "  rounds to 2 MiB pages. Prints the address, or the error the system\n"
	    "  call returns, e.g. \"mmap: EEXIST (File exists)\".",
	.args_min = 2,
	.args_max = 10,
	.exec = cmd_mmap_exec,
};

/* ------------------------------------------------------------ munmap etc. */

static int cmd_munmap_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	uint64_t addr, len;
	int err;

	if (t == NULL || parse_addr(ctx, "ADDR", ctx->args.argv[1], &addr) ||
	    parse_len(ctx, "SIZE", ctx->args.argv[2], &len))
		return -1;
	err = do_munmap(t->mm, addr, len);
	if (err)
		cmd_print_errno(ctx, "munmap", err);
	return 0;
}

const struct cmd_entry cmd_munmap_entry = {
	.name = "munmap",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "munmap PID ADDR SIZE",
	.summary = "unmap a range, as munmap(2)",
	.help =
	    "  munmap(2): do_munmap splits the VMAs at the ends of the range\n"
	    "  (__split_vma, keeping each piece's file offset right) and removes\n"
	    "  every VMA inside; holes in the range are fine. ADDR must be page\n"
	    "  aligned (else EINVAL); SIZE is rounded up to pages. Splitting a VMA in\n"
	    "  two when max_map_count (65530) VMAs exist fails with ENOMEM.",
	.args_min = 3,
	.args_max = 3,
	.exec = cmd_munmap_exec,
};

static int cmd_mprotect_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	uint64_t addr, len;
	int prot, err;

	if (t == NULL || parse_addr(ctx, "ADDR", ctx->args.argv[1], &addr) ||
	    parse_len(ctx, "SIZE", ctx->args.argv[2], &len) ||
	    cmd_parse_prot(ctx, ctx->args.argv[3], &prot))
		return -1;
	err = do_mprotect(t->mm, addr, len, prot);
	if (err)
		cmd_print_errno(ctx, "mprotect", err);
	return 0;
}

const struct cmd_entry cmd_mprotect_entry = {
	.name = "mprotect",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "mprotect PID ADDR SIZE PROT",
	.summary = "change the protection of a range, as mprotect(2)",
	.help =
	    "  mprotect(2): for each VMA of the range mprotect_fixup first tries to\n"
	    "  merge the changed part with its neighbours (vma_merge), else splits\n"
	    "  the VMA so only the range changes; protecting the middle of a VMA\n"
	    "  makes three, and undoing it merges them back. A hole in the range\n"
	    "  stops it with ENOMEM after the VMAs before the hole changed, as on\n"
	    "  Linux. Making a private mapping writable charges it (VM_ACCOUNT, 'ac'\n"
	    "  in smaps VmFlags) for good.",
	.args_min = 4,
	.args_max = 4,
	.exec = cmd_mprotect_exec,
};

static int cmd_brk_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	uint64_t want, v, got, old;
	const char *s;

	if (t == NULL)
		return -1;
	old = t->mm->brk;
	if (ctx->args.argc == 1) {
		print_addr(ctx, old);	/* brk(0) returns the break */
		return 0;
	}
	s = ctx->args.argv[1];
	if (s[0] == '+' || s[0] == '-') {
		if (cmd_parse_size(ctx, "SIZE", s + 1, &v) != 0)
			return -1;
		if (s[0] == '+' && v > UINT64_MAX - old)
			return cmd_error(ctx, "%s: the break would overflow", s);
		if (s[0] == '-' && v > old)
			return cmd_error(ctx, "%s: the break would go below 0", s);
		want = s[0] == '+' ? old + v : old - v;
	} else if (parse_addr(ctx, "ADDR", s, &want) != 0) {
		return -1;
	}
	got = do_brk(t->mm, want);
	if (got != want)
		cmd_print(ctx, "0x%" PRIx64 " (refused: the break stays)\n", got);
	else
		print_addr(ctx, got);
	return 0;
}

const struct cmd_entry cmd_brk_entry = {
	.name = "brk",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "brk PID [ADDR|+SIZE|-SIZE]",
	.summary = "move the program break, as brk(2); prints the new break",
	.help =
	    "  brk(2): the heap ([heap]) grows from start_brk, right after the bss.\n"
	    "  Growing extends the heap VMA in place (do_brk_flags) or makes it;\n"
	    "  shrinking unmaps the pages above the new break. The break may not go\n"
	    "  below start_brk nor within a page of the next mapping; then brk\n"
	    "  returns the old break, as the system call does. Without an argument,\n"
	    "  prints the current break.",
	.args_min = 1,
	.args_max = 2,
	.exec = cmd_brk_exec,
};

static int cmd_mremap_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	uint64_t addr, old_len, new_len;
	int flags = 0;
	int64_t ret;

	if (t == NULL || parse_addr(ctx, "ADDR", ctx->args.argv[1], &addr) ||
	    parse_len(ctx, "OLDSIZE", ctx->args.argv[2], &old_len) ||
	    parse_len(ctx, "NEWSIZE", ctx->args.argv[3], &new_len))
		return -1;
	if (ctx->args.argc == 5) {
		if (strcmp(ctx->args.argv[4], "maymove") != 0)
			return cmd_error(ctx, "unknown word '%s' (usage: %s)",
			    ctx->args.argv[4], ctx->entry->usage);
		flags |= MREMAP_MAYMOVE;
	}
	ret = do_mremap(t->mm, addr, old_len, new_len, flags);
	if (ret < 0)
		cmd_print_errno(ctx, "mremap", (int)ret);
	else
		print_addr(ctx, (uint64_t)ret);
	return 0;
}

const struct cmd_entry cmd_mremap_entry = {
	.name = "mremap",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "mremap PID ADDR OLDSIZE NEWSIZE [maymove]",
	.summary = "resize or move a mapping, as mremap(2)",
	.help =
	    "  mremap(2): shrinking unmaps the tail. Growing extends the VMA in place\n"
	    "  when the range ends the VMA and the pages after it are free; else,\n"
	    "  with maymove (MREMAP_MAYMOVE), move_vma copies the VMA to a new free\n"
	    "  range and unmaps the old one; without it, ENOMEM. Prints the address.",
	.args_min = 4,
	.args_max = 5,
	.exec = cmd_mremap_exec,
};

static int cmd_madvise_exec(struct cmd_ctx *ctx)
{
	static const struct {
		const char	*name;
		int		 advice;
	} advices[] = {
		{ "dontneed", MADV_DONTNEED },
		{ "hugepage", MADV_HUGEPAGE },
		{ "nohugepage", MADV_NOHUGEPAGE },
		{ "pageout", MADV_PAGEOUT },
	};
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	uint64_t addr, len;
	int advice = -1, err;

	if (t == NULL || parse_addr(ctx, "ADDR", ctx->args.argv[1], &addr) ||
	    parse_len(ctx, "SIZE", ctx->args.argv[2], &len))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(advices); i++) {
		if (strcmp(advices[i].name, ctx->args.argv[3]) == 0)
			advice = advices[i].advice;
	}
	if (advice < 0)
		return cmd_error(ctx, "advice '%s': dontneed, hugepage, "
		    "nohugepage or pageout", ctx->args.argv[3]);
	err = do_madvise(t->mm, addr, len, advice);
	if (err)
		cmd_print_errno(ctx, "madvise", err);
	return 0;
}

const struct cmd_entry cmd_madvise_entry = {
	.name = "madvise",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "madvise PID ADDR SIZE dontneed|hugepage|nohugepage|pageout",
	.summary = "advise the kernel about a range, as madvise(2)",
	.help =
	    "  madvise(2): dontneed (MADV_DONTNEED) drops the range's pages, so\n"
	    "  anonymous memory reads back as zeros; hugepage/nohugepage set\n"
	    "  VM_HUGEPAGE/VM_NOHUGEPAGE, splitting VMAs like mprotect; pageout\n"
	    "  (MADV_PAGEOUT) reclaims the pages now. Unmapped parts of the range give\n"
	    "  ENOMEM after the rest was advised.",
	.args_min = 4,
	.args_max = 4,
	.exec = cmd_madvise_exec,
};

/* ------------------------------------------------------------ malloc/free */

static int cmd_malloc_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	struct malloc_result r;
	uint64_t size;
	int err;

	if (t == NULL || parse_len(ctx, "SIZE", ctx->args.argv[1], &size))
		return -1;
	err = glibc_malloc(t, size, &r);
	if (err) {
		/* malloc returns NULL with errno ENOMEM */
		cmd_print(ctx, "0x0 (malloc: ENOMEM (Cannot allocate memory))\n");
		return 0;
	}
	switch (r.path) {
	case MALLOC_FROM_FREE:
		cmd_print(ctx, "0x%" PRIx64 "  brk heap: chunk of 0x%" PRIx64
		    " bytes reused from the free list\n", r.ptr, r.chunk);
		break;
	case MALLOC_FROM_TOP:
		cmd_print(ctx, "0x%" PRIx64 "  brk heap: chunk of 0x%" PRIx64
		    " bytes from the top chunk\n", r.ptr, r.chunk);
		break;
	case MALLOC_FROM_BRK:
		cmd_print(ctx, "0x%" PRIx64 "  brk heap: chunk of 0x%" PRIx64
		    " bytes; the heap grew by 0x%" PRIx64 " (brk to 0x%" PRIx64
		    ")\n", r.ptr, r.chunk, r.brk_grow, t->mm->brk);
		break;
	case MALLOC_FROM_MMAP:
		cmd_print(ctx, "0x%" PRIx64 "  mmap: its own 0x%" PRIx64
		    "-byte mapping (request >= mmap threshold 0x%" PRIx64 ")\n",
		    r.ptr, r.chunk, t->malloc.mmap_threshold);
		break;
	}
	return 0;
}

const struct cmd_entry cmd_malloc_entry = {
	.name = "malloc",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "malloc PID SIZE",
	.summary = "glibc malloc in the process: brk heap or its own mmap",
	.help =
	    "  malloc(3) as glibc does it: a free chunk of the heap if one fits,\n"
	    "  else the top chunk; when top is too small, a request at or above the\n"
	    "  mmap threshold (M_MMAP_THRESHOLD, 128 KiB to start) gets its own mmap,\n"
	    "  a smaller one grows the heap with brk by the request plus M_TOP_PAD\n"
	    "  (128 KiB), in pages. Chunks are the request plus 8 bytes of header,\n"
	    "  rounded to 16 (64-bit). Prints the pointer and the path taken.",
	.args_min = 2,
	.args_max = 2,
	.exec = cmd_malloc_exec,
};

static int glibc_free_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	struct free_result r;
	uint64_t ptr;

	if (t == NULL || parse_addr(ctx, "ADDR", ctx->args.argv[1], &ptr))
		return -1;
	if (ptr == 0) {
		cmd_print(ctx, "free(NULL) does nothing\n");
		return 0;
	}
	if (glibc_free(t, ptr, &r) != 0)
		return cmd_error(ctx, "0x%" PRIx64 " is not a pointer malloc "
		    "returned in pid %d (glibc would abort: free(): invalid "
		    "pointer)", ptr, t->pid);
	switch (r.path) {
	case FREE_TO_BINS:
		cmd_print(ctx, "chunk of 0x%" PRIx64 " bytes kept in the heap's "
		    "free list\n", r.chunk);
		break;
	case FREE_TO_TOP:
		cmd_print(ctx, "chunk of 0x%" PRIx64 " bytes merged into the top "
		    "chunk\n", r.chunk);
		break;
	case FREE_TRIMMED:
		cmd_print(ctx, "chunk of 0x%" PRIx64 " bytes merged into the top "
		    "chunk; heap trimmed by 0x%" PRIx64 " (brk to 0x%" PRIx64
		    ")\n", r.chunk, r.trimmed, t->mm->brk);
		break;
	case FREE_MUNMAP:
		cmd_print(ctx, "munmap of its 0x%" PRIx64 "-byte mapping", r.chunk);
		if (r.threshold_raised)
			cmd_print(ctx, "; mmap threshold now 0x%" PRIx64
			    ", trim threshold 0x%" PRIx64, r.mmap_threshold,
			    r.trim_threshold);
		cmd_print(ctx, "\n");
		break;
	}
	return 0;
}

/* `free` alone is procps free(1); `free PID ADDR` is glibc's free(3). */
static int cmd_free_dispatch_exec(struct cmd_ctx *ctx)
{
	if (ctx->args.argc == 0)
		return cmd_free_entry.exec(ctx);
	if (ctx->args.argc != 2)
		return cmd_error(ctx, "free takes no argument (the free(1) view) "
		    "or PID ADDR (glibc free)");
	return glibc_free_exec(ctx);
}

const struct cmd_entry cmd_free_dispatch_entry = {
	.name = "free",
	.group = CMD_GROUP_VIEW,
	.usage = "free [PID ADDR]",
	.summary = "memory and swap as free(1); with PID ADDR, glibc free(3)",
	.help =
	    "  Without arguments: the output of procps free(1): total, used\n"
	    "  (MemTotal - MemAvailable), free, shared, buff/cache and available, in\n"
	    "  KiB, for RAM and swap.\n"
	    "\n"
	    "  With PID ADDR: free(3) in the process, as glibc does it. A chunk of\n"
	    "  its own mapping is unmapped, and when it was bigger than the mmap\n"
	    "  threshold the threshold rises to its size (the trim threshold to twice\n"
	    "  that), up to 32 MiB. A heap chunk joins its free neighbours and, at\n"
	    "  the end of the heap, the top chunk; when a big free leaves top above\n"
	    "  the trim threshold, the heap shrinks with brk, keeping M_TOP_PAD.",
	.args_min = 0,
	.args_max = 2,
	.exec = cmd_free_dispatch_exec,
};

/* ------------------------------------------------------------ file */

static int cmd_file_exec(struct cmd_ctx *ctx)
{
	const char *name = ctx->args.argv[0];
	struct vm_file *f;
	uint64_t size;

	if (cmd_check_name(ctx, "NAME", name) != 0)
		return -1;
	if (strchr(name, ':') != NULL)
		return cmd_error(ctx, "NAME '%s': ':' is not allowed (it "
		    "separates the offset in mmap's file=NAME:OFFSET)", name);
	if (cmd_parse_size(ctx, "SIZE", ctx->args.argv[1], &size) != 0)
		return -1;
	if (vm_file_create(ctx->m, name, size, &f) != 0)
		return cmd_error(ctx, "a file named '%s' exists already", name);
	cmd_print(ctx, "%s: %" PRIu64 " bytes, device %02x:%02x, inode %lu\n",
	    f->name, f->size, f->dev_major, f->dev_minor, f->ino);
	return 0;
}

const struct cmd_entry cmd_file_entry = {
	.name = "file",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "file NAME SIZE",
	.summary = "create a file that mmap can map (file=NAME)",
	.help =
	    "  A simulated file of SIZE bytes on device 08:01 with the next inode\n"
	    "  number; maps shows its name, device and inode for the VMAs that map\n"
	    "  it. Map it with 'mmap PID SIZE file=NAME[:OFFSET]'.",
	.args_min = 2,
	.args_max = 2,
	.exec = cmd_file_exec,
};
