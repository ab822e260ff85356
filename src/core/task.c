/*
 * task.c - processes: creating one as execve leaves it (fs/binfmt_elf.c's
 * load_elf_binary with ASLR off), fork (kernel/fork.c: copy_process and
 * dup_mmap), exec, and exit/kill (do_exit -> exit_mmap), plus the machine's
 * process and file lists and the map of the kernel half of the address
 * space for views.
 *
 * The address-space work itself is in mmap.c; the C library's malloc
 * state in malloc.c. Every process runs a simulated executable
 * /usr/bin/NAME whose text and data back the first two VMAs.
 *
 * The layout per architecture, low to high (ASLR off, 8 MiB stack rlimit):
 *
 *   text   r-xp file     ELF load address: PIE at 2/3 of the address
 *   data   rw-p file     space (x86_64 0x555555554000, arm64
 *   bss    rw-p anon     0xaaaaaaaaa000), classic 0x08048000 (i386),
 *   [heap] rw-p anon     0x10000 (arm32); start_brk right after bss
 *     ...
 *   [vvar] [vdso]        first top-down mapping below mmap_base
 *   mmap_base            STACK_TOP - clamp(8M + 1M guard, 128M, 5/6)
 *     ...
 *   [stack] 132 KiB      below STACK_TOP, growing down
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/pgtable.h"
#include "vmscope/slab.h"
#include "vmscope/task.h"

#define SZ_1K	UINT64_C(1024)
#define SZ_1M	(1024 * SZ_1K)
#define SZ_1G	(1024 * SZ_1M)
#define SZ_1T	(1024 * SZ_1G)

#define STACK_RLIMIT	(8 * SZ_1M)	/* ulimit -s 8192 */

/* ------------------------------------------------------------ lists */

void task_machine_init(struct machine *m)
{
	INIT_LIST_HEAD(&m->tasks);
	INIT_LIST_HEAD(&m->files);
	m->last_pid = 0;
	/* inode numbers of a freshly made root file system, roughly */
	m->last_ino = 131072;
	m->last_anon_vma = 0;
	INIT_LIST_HEAD(&m->anon_vmas);
}

void task_machine_free(struct machine *m)
{
	struct task_struct *t, *tn;
	struct vm_file *f, *fn;

	if (m->tasks.next == NULL)
		return;		/* never initialised */
	event_mute(&m->ev);
	list_for_each_entry_safe(t, tn, &m->tasks, tasks)
		task_exit(m, t, "machine shut down");
	event_unmute(&m->ev);
	list_for_each_entry_safe(f, fn, &m->files, list) {
		list_del(&f->list);
		INIT_LIST_HEAD(&f->list);
		f->unlinked = true;
		vm_file_put(f);
	}
}

struct task_struct *find_task_by_pid(struct machine *m, int pid)
{
	struct task_struct *t;

	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->pid == pid)
			return t;
	}
	return NULL;
}

int task_ppid(const struct task_struct *t)
{
	return t->parent != NULL ? t->parent->pid : 0;
}

static void task_emit(struct machine *m, enum event_kind kind, int pid,
    uint64_t val, uint64_t val2, const char *str, const char *str2)
{
	struct vm_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = pid;
	ev.val = val;
	ev.val2 = val2;
	ev.str = event_intern(&m->ev, str);	/* a comm dies with its task */
	ev.str2 = str2;
	machine_emit(m, &ev);
}

static int validate_malloc(struct task_struct *t, char *why, size_t whylen)
{
	struct malloc_state *ms = &t->malloc;
	struct mchunk *c;
	uint64_t end = 0;

	if (!ms->initialized || ms->heap_base == 0)
		return 0;
	list_for_each_entry(c, &ms->chunks, list) {
		if (c->addr < end || c->size == 0 || c->addr + c->size > ms->top) {
			snprintf(why, whylen, "pid %d: malloc chunk %#llx+%#llx "
			    "overlaps or lies above top %#llx", t->pid,
			    (unsigned long long)c->addr,
			    (unsigned long long)c->size,
			    (unsigned long long)ms->top);
			return -1;
		}
		end = c->addr + c->size;
	}
	/*
	 * Whether chunks are still mapped is not checked: a process may
	 * munmap its own heap, and glibc would only crash later.
	 */
	return 0;
}

int validate_tasks(struct machine *m, char *why, size_t whylen)
{
	struct task_struct *t;
	int last = 0;
	char sub[400];

	if (m->tasks.next == NULL)
		return 0;
	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->pid <= last || t->pid > m->last_pid) {
			snprintf(why, whylen, "pid %d out of order or above "
			    "last_pid %d", t->pid, m->last_pid);
			return -1;
		}
		last = t->pid;
		if (t->parent != NULL &&
		    find_task_by_pid(m, t->parent->pid) != t->parent) {
			snprintf(why, whylen, "pid %d: parent is gone", t->pid);
			return -1;
		}
		if (t->mm == NULL || t->mm->owner_pid != t->pid) {
			snprintf(why, whylen, "pid %d: no mm or wrong owner",
			    t->pid);
			return -1;
		}
		if (t->mm->pgt != NULL && t->mm->pgt->pid != t->pid) {
			snprintf(why, whylen, "pid %d: its page table says pid %d "
			    "(events would name the wrong process)", t->pid,
			    t->mm->pgt->pid);
			return -1;
		}
		if (validate_mm(t->mm, sub, sizeof(sub)) != 0) {
			snprintf(why, whylen, "pid %d: %s", t->pid, sub);
			return -1;
		}
		if (validate_malloc(t, why, whylen) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ layouts */

/*
 * mmap_base as mm/util.c and arch/x86/mm/mmap.c compute it without
 * randomization: the stack rlimit plus the stack guard gap below
 * STACK_TOP, at least 128M and at most 5/6 of the space.
 */
static uint64_t compute_mmap_base(uint64_t stack_top, uint64_t guard,
    uint64_t page_size)
{
	uint64_t gap = STACK_RLIMIT + guard;
	uint64_t gap_min = 128 * SZ_1M, gap_max = stack_top / 6 * 5;

	if (gap < gap_min)
		gap = gap_min;
	else if (gap > gap_max)
		gap = gap_max;
	return ALIGN_UP(stack_top - gap, page_size);
}

void arch_exec_layout(const struct machine *m, struct exec_layout *l)
{
	uint64_t ps = m->page_size;
	uint64_t guard = STACK_GUARD_GAP_PAGES * ps;

	memset(l, 0, sizeof(*l));
	/* a small program: 5 pages of text, a page of data, a page of bss */
	l->text_size = 5 * ps;
	l->data_size = ps;
	l->bss_size = ps;
	l->stack_size = 128 * SZ_1K + ps;	/* stack_expand + the arg page */
	l->vvar_pages = 4;
	l->vdso_pages = 2;
	l->mmap_min_addr = 64 * SZ_1K;

	switch (m->arch.id) {
	case ARCH_X86_64:
	case ARCH_X86_64_LA57:
		/*
		 * ELF_ET_DYN_BASE is 2/3 of the 47-bit window, also with
		 * 5-level paging (user space above 47 bits only on request).
		 */
		l->stack_top = 0x00007ffffffff000ULL;
		l->text_start = ALIGN_DOWN(l->stack_top / 3 * 2, ps);
		l->gate_name = "[vsyscall]";
		l->gate_start = 0xffffffffff600000ULL;
		l->gate_end = 0xffffffffff601000ULL;
		l->gate_perms = "--xp";
		break;
	case ARCH_I386:
		l->text_start = 0x08048000;
		l->stack_top = m->arch.task_size;	/* 0xc0000000 */
		break;
	case ARCH_ARM32:
		l->text_start = 0x00010000;
		l->stack_top = m->arch.task_size;	/* 0xbf000000 */
		l->vvar_pages = 1;
		l->vdso_pages = 1;
		l->mmap_min_addr = 32 * SZ_1K;
		l->gate_name = "[vectors]";
		l->gate_start = 0xffff0000;
		l->gate_end = 0xffff1000;
		l->gate_perms = "r-xp";
		break;
	case ARCH_ARM64:
		l->stack_top = m->arch.task_size;	/* 1 << 48 */
		l->text_start = ALIGN_DOWN(l->stack_top / 3 * 2, ps);
		l->vvar_pages = 2;
		l->vdso_pages = 1;
		break;
	case ARCH_TOY:
	default:
		/*
		 * The toy's space is a few hundred pages: a scaled-down
		 * layout with no vDSO, a four-page stack and the mmap area
		 * starting an eighth below the top.
		 */
		l->text_start = 16 * ps;
		l->text_size = 4 * ps;
		l->stack_top = m->arch.task_size;
		l->stack_size = 4 * ps;
		l->vvar_pages = 0;
		l->vdso_pages = 0;
		l->mmap_min_addr = ps;
		l->mmap_base = ALIGN_DOWN(l->stack_top - l->stack_top / 8, ps);
		return;
	}
	l->mmap_base = compute_mmap_base(l->stack_top, guard, ps);
}

/* The simulated executable for a program name ("bash", "/bin/ls"). */
static int exec_file(struct machine *m, const char *name,
    const struct exec_layout *l, struct vm_file **filep)
{
	char *path = name[0] == '/' ? xstrdup(name) :
	    xasprintf("/usr/bin/%s", name);
	struct vm_file *f = vm_file_lookup(m, path);
	int err = 0;

	if (f == NULL)
		err = vm_file_create(m, path, l->text_size + l->data_size, &f);
	free(path);
	if (err)
		return err;
	*filep = f;
	return 0;
}

static const char *comm_of(const char *name)
{
	const char *slash = strrchr(name, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : name;
}

/*
 * load_elf_binary for our executable: the stack first (setup_arg_pages),
 * the segments, the bss and the break, then the vDSO (top-down).
 */
static int build_exec_mm(struct machine *m, struct vm_file *exe,
    const char *comm, int pid, struct mm_struct **mmp)
{
	struct exec_layout l;
	struct mm_struct *mm = mm_alloc(m, pid);
	uint64_t text_end, data_start, data_end, bss_end;
	const unsigned long text_flags = VM_READ | VM_EXEC | VM_MAYREAD |
	    VM_MAYWRITE | VM_MAYEXEC;
	const unsigned long data_flags = VM_READ | VM_WRITE | VM_MAYREAD |
	    VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT;
	int err;

	arch_exec_layout(m, &l);
	mm->mmap_base = l.mmap_base;
	mm->mmap_min_addr = l.mmap_min_addr;
	mm->exe_file = vm_file_get(exe);

	err = map_fixed_vma(mm, l.stack_top - l.stack_size, l.stack_top,
	    VM_STACK_FLAGS, NULL, 0, NULL);
	if (err)
		goto fail;
	mm->start_stack = l.stack_top - m->page_size;
	mm->arg_start = mm->start_stack + 8;
	mm->arg_end = mm->arg_start + strlen(comm) + 1;
	mm->env_start = mm->arg_end;
	mm->env_end = mm->env_start;

	text_end = l.text_start + l.text_size;
	data_start = text_end;
	data_end = data_start + l.data_size;
	bss_end = data_end + l.bss_size;
	err = map_fixed_vma(mm, l.text_start, text_end, text_flags, exe, 0,
	    NULL);
	if (!err)
		err = map_fixed_vma(mm, data_start, data_end, data_flags, exe,
		    l.text_size >> m->arch.page_shift, NULL);
	if (!err)
		err = map_fixed_vma(mm, data_end, bss_end,
		    VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT, NULL, 0, NULL);
	if (err)
		goto fail;
	mm->start_code = l.text_start;
	mm->end_code = text_end;
	mm->start_data = data_start;
	mm->end_data = data_end;
	mm->start_brk = mm->brk = bss_end;

	if (l.vvar_pages + l.vdso_pages > 0) {
		uint64_t len = (l.vvar_pages + l.vdso_pages) * m->page_size;
		int64_t at = get_unmapped_area(mm, NULL, 0, len, 0, 0);
		uint64_t vdso;

		if (at < 0) {
			err = (int)at;
			goto fail;
		}
		vdso = (uint64_t)at + l.vvar_pages * m->page_size;
		err = map_fixed_vma(mm, (uint64_t)at, vdso, VM_READ |
		    VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP |
		    VM_DONTEXPAND, NULL, 0, "[vvar]");
		if (!err)
			err = map_fixed_vma(mm, vdso, vdso + l.vdso_pages *
			    m->page_size, VM_READ | VM_EXEC | VM_MAYREAD |
			    VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND, NULL, 0,
			    "[vdso]");
		if (err)
			goto fail;
	}
	*mmp = mm;
	return 0;
fail:
	mmput(mm);
	return err;
}

/* The C library's start-up: its first malloc sets up the heap. */
static void libc_start(struct task_struct *t, struct machine *m)
{
	malloc_init_state(t);
	if (m->arch.id != ARCH_TOY)
		(void)glibc_malloc_startup(t);
}

int task_spawn(struct machine *m, const char *name,
    struct task_struct **taskp)
{
	struct task_struct *t;
	struct exec_layout l;
	struct vm_file *exe;
	struct mm_struct *mm;
	int err;

	arch_exec_layout(m, &l);
	err = exec_file(m, name, &l, &exe);
	if (err)
		return err;
	t = xcalloc(1, sizeof(*t));
	t->pid = m->last_pid + 1;
	snprintf(t->comm, sizeof(t->comm), "%s", comm_of(name));
	err = build_exec_mm(m, exe, t->comm, t->pid, &mm);
	if (err) {
		free(t);
		return err;
	}
	m->last_pid = t->pid;
	t->state = TASK_INTERRUPTIBLE;
	t->mm = mm;
	list_add_tail(&t->tasks, &m->tasks);
	kmem_model_alloc(m, KMEM_TASK_STRUCT, &t->kmem);	/* slab.h */
	libc_start(t, m);
	task_emit(m, EV_TASK_EXEC, t->pid, (uint64_t)mm->map_count, 0, t->comm,
	    NULL);
	*taskp = t;
	return 0;
}

int task_exec(struct machine *m, struct task_struct *t, const char *name)
{
	struct exec_layout l;
	struct vm_file *exe;
	struct mm_struct *mm, *old = t->mm;
	char comm[TASK_COMM_LEN];
	int err;

	if (name == NULL)
		name = old->exe_file != NULL ? old->exe_file->name : t->comm;
	arch_exec_layout(m, &l);
	err = exec_file(m, name, &l, &exe);
	if (err)
		return err;
	snprintf(comm, sizeof(comm), "%s", comm_of(name));
	err = build_exec_mm(m, exe, comm, t->pid, &mm);
	if (err)
		return err;
	/* the point of no return: the old image goes */
	t->mm = mm;
	mmput(old);
	memcpy(t->comm, comm, sizeof(comm));
	malloc_free_state(t);
	libc_start(t, m);
	task_emit(m, EV_TASK_EXEC, t->pid, (uint64_t)mm->map_count, 0, t->comm,
	    NULL);
	return 0;
}

int task_fork(struct machine *m, struct task_struct *parent,
    struct task_struct **childp)
{
	struct task_struct *c = xcalloc(1, sizeof(*c));
	struct mm_struct *saved;
	int err;

	c->pid = m->last_pid + 1;
	c->parent = parent;
	memcpy(c->comm, parent->comm, sizeof(c->comm));
	c->state = TASK_INTERRUPTIBLE;
	c->oom_score_adj = parent->oom_score_adj;
	c->mm = mm_alloc(m, c->pid);
	/* the OOM killer must not reap the parent under dup_mmap (vmscan.h) */
	saved = m->fault_mm;
	m->fault_mm = parent->mm;
	err = dup_mmap(c->mm, parent->mm);
	m->fault_mm = saved;
	if (err) {
		mmput(c->mm);
		free(c);
		return err;
	}
	m->last_pid = c->pid;
	malloc_dup_state(c, parent);
	list_add_tail(&c->tasks, &m->tasks);
	kmem_model_alloc(m, KMEM_TASK_STRUCT, &c->kmem);	/* slab.h */
	task_emit(m, EV_TASK_FORK, parent->pid, (uint64_t)c->pid,
	    (uint64_t)c->mm->map_count, NULL, NULL);
	*childp = c;
	return 0;
}

void task_exit(struct machine *m, struct task_struct *t, const char *why)
{
	struct task_struct *o, *init = find_task_by_pid(m, 1);
	int nvmas = t->mm != NULL ? t->mm->map_count : 0;

	/* orphans go to init, as forget_original_parent does */
	if (init == t)
		init = NULL;
	list_for_each_entry(o, &m->tasks, tasks) {
		if (o->parent == t)
			o->parent = init;
	}
	task_emit(m, EV_TASK_EXIT, t->pid, (uint64_t)nvmas, 0, t->comm, why);
	list_del(&t->tasks);
	mmput(t->mm);
	t->mm = NULL;
	malloc_free_state(t);
	kmem_model_free(m, KMEM_TASK_STRUCT, &t->kmem);
	free(t);
}

/* ------------------------------------------------------------ kernel half */

struct region_builder {
	struct kernel_region	*r;
	int			 max, n;
};

static void region(struct region_builder *b, uint64_t start, uint64_t last,
    const char *name, const char *what, bool hole)
{
	if (b->n < b->max) {
		b->r[b->n].start = start;
		b->r[b->n].last = last;
		b->r[b->n].name = name;
		b->r[b->n].what = what;
		b->r[b->n].hole = hole;
	}
	b->n++;
}

static void x86_64_regions(struct region_builder *b)
{
	region(b, 0x0000800000000000ULL, 0xffff7fffffffffffULL,
	    "non-canonical", "addresses whose bits 63..47 differ: #GP", true);
	region(b, 0xffff800000000000ULL, 0xffff87ffffffffffULL, "guard hole",
	    "reserved for a hypervisor (8T)", true);
	region(b, 0xffff880000000000ULL, 0xffff887fffffffffULL, "LDT remap",
	    "LDT remap for page-table isolation (0.5T)", false);
	region(b, 0xffff888000000000ULL, 0xffffc87fffffffffULL, "direct map",
	    "all physical memory: __va(pa) = pa + PAGE_OFFSET (64T)", false);
	region(b, 0xffffc88000000000ULL, 0xffffc8ffffffffffULL, "unused",
	    "hole (0.5T)", true);
	region(b, 0xffffc90000000000ULL, 0xffffe8ffffffffffULL, "vmalloc",
	    "vmalloc and ioremap space: virtually contiguous (32T)", false);
	region(b, 0xffffe90000000000ULL, 0xffffe9ffffffffffULL, "unused",
	    "hole (1T)", true);
	region(b, 0xffffea0000000000ULL, 0xffffeaffffffffffULL, "vmemmap",
	    "the struct page array (1T)", false);
	region(b, 0xffffeb0000000000ULL, 0xffffebffffffffffULL, "unused",
	    "hole (1T)", true);
	region(b, 0xffffec0000000000ULL, 0xfffffbffffffffffULL, "KASAN",
	    "KASAN shadow memory (16T)", false);
	region(b, 0xfffffc0000000000ULL, 0xfffffdffffffffffULL, "unused",
	    "hole (2T)", true);
	region(b, 0xfffffe0000000000ULL, 0xfffffe7fffffffffULL,
	    "cpu_entry_area", "per-CPU entry trampolines and stacks (0.5T)",
	    false);
	region(b, 0xfffffe8000000000ULL, 0xfffffeffffffffffULL, "unused",
	    "hole (0.5T)", true);
	region(b, 0xffffff0000000000ULL, 0xffffff7fffffffffULL, "espfix",
	    "%esp fixup stacks (0.5T)", false);
	region(b, 0xffffff8000000000ULL, 0xffffffeeffffffffULL, "unused",
	    "hole", true);
	region(b, 0xffffffef00000000ULL, 0xfffffffeffffffffULL, "EFI",
	    "EFI runtime services mapping (64G)", false);
	region(b, 0xffffffff00000000ULL, 0xffffffff7fffffffULL, "unused",
	    "hole (2G)", true);
	region(b, 0xffffffff80000000ULL, 0xffffffff9fffffffULL, "kernel text",
	    "the kernel image, mapped to physical 0 (512M)", false);
	region(b, 0xffffffffa0000000ULL, 0xfffffffffeffffffULL, "modules",
	    "loadable modules (1520M)", false);
	region(b, 0xffffffffff000000ULL, 0xffffffffff5fffffULL, "fixmap",
	    "compile-time fixed mappings (kmap_atomic, APIC...)", false);
	region(b, 0xffffffffff600000ULL, 0xffffffffff600fffULL, "vsyscall",
	    "the legacy vsyscall page (shown in every maps)", false);
	region(b, 0xffffffffff601000ULL, 0xffffffffffffffffULL, "unused",
	    "hole at the top", true);
}

static void x86_64_la57_regions(struct region_builder *b)
{
	region(b, 0x0100000000000000ULL, 0xfeffffffffffffffULL,
	    "non-canonical", "addresses whose bits 63..56 differ: #GP", true);
	region(b, 0xff00000000000000ULL, 0xff0fffffffffffffULL, "guard hole",
	    "reserved for a hypervisor (4P)", true);
	region(b, 0xff10000000000000ULL, 0xff10ffffffffffffULL, "LDT remap",
	    "LDT remap for page-table isolation (0.25P)", false);
	region(b, 0xff11000000000000ULL, 0xff90ffffffffffffULL, "direct map",
	    "all physical memory: __va(pa) = pa + PAGE_OFFSET (32P)", false);
	region(b, 0xff91000000000000ULL, 0xff9fffffffffffffULL, "unused",
	    "hole", true);
	region(b, 0xffa0000000000000ULL, 0xffd1ffffffffffffULL, "vmalloc",
	    "vmalloc and ioremap space (12.5P)", false);
	region(b, 0xffd2000000000000ULL, 0xffd3ffffffffffffULL, "unused",
	    "hole", true);
	region(b, 0xffd4000000000000ULL, 0xffd5ffffffffffffULL, "vmemmap",
	    "the struct page array (0.5P)", false);
	region(b, 0xffd6000000000000ULL, 0xffdeffffffffffffULL, "unused",
	    "hole", true);
	region(b, 0xffdf000000000000ULL, 0xfffffbffffffffffULL, "KASAN",
	    "KASAN shadow memory", false);
	region(b, 0xfffffc0000000000ULL, 0xfffffdffffffffffULL, "unused",
	    "hole", true);
	region(b, 0xfffffe0000000000ULL, 0xfffffe7fffffffffULL,
	    "cpu_entry_area", "per-CPU entry trampolines and stacks", false);
	region(b, 0xfffffe8000000000ULL, 0xffffffff7fffffffULL, "unused",
	    "espfix, EFI and holes as with 4 levels", true);
	region(b, 0xffffffff80000000ULL, 0xffffffff9fffffffULL, "kernel text",
	    "the kernel image (512M)", false);
	region(b, 0xffffffffa0000000ULL, 0xfffffffffeffffffULL, "modules",
	    "loadable modules", false);
	region(b, 0xffffffffff000000ULL, 0xffffffffff5fffffULL, "fixmap",
	    "compile-time fixed mappings", false);
	region(b, 0xffffffffff600000ULL, 0xffffffffff600fffULL, "vsyscall",
	    "the legacy vsyscall page", false);
	region(b, 0xffffffffff601000ULL, 0xffffffffffffffffULL, "unused",
	    "hole at the top", true);
}

/*
 * i386 with the 3G/1G split, no PAE: the end of lowmem (and so where
 * vmalloc starts) depends on RAM, as high_memory does.
 */
static void i386_regions(const struct machine *m, struct region_builder *b)
{
	const uint64_t page_offset = 0xc0000000ULL;
	const uint64_t fixaddr_start = 0xfff16000ULL, fixaddr_top = 0xfffff000ULL;
	const uint64_t pkmap_base = 0xff800000ULL;	/* 4M, 1024 entries */
	const uint64_t vmalloc_end = pkmap_base - 2 * m->page_size;
	uint64_t lowmem = min_t(uint64_t, m->cfg.ram, 896 * SZ_1M);
	uint64_t high_memory = page_offset + lowmem;
	uint64_t vmalloc_start = high_memory + 8 * SZ_1M;	/* VMALLOC_OFFSET */

	region(b, page_offset, high_memory - 1, "lowmem",
	    "RAM below 896M mapped linearly: __va(pa) = pa + 0xc0000000 "
	    "(ZONE_DMA and ZONE_NORMAL)", false);
	region(b, high_memory, vmalloc_start - 1, "guard",
	    "VMALLOC_OFFSET: 8M catching overruns of lowmem", true);
	region(b, vmalloc_start, vmalloc_end - 1, "vmalloc",
	    "vmalloc and ioremap space", false);
	region(b, vmalloc_end, pkmap_base - 1, "guard", "two guard pages",
	    true);
	region(b, pkmap_base, pkmap_base + 4 * SZ_1M - 1, "pkmap",
	    "kmap: long-lived mappings of ZONE_HIGHMEM pages (1024 slots)",
	    false);
	region(b, pkmap_base + 4 * SZ_1M, fixaddr_start - 1, "unused",
	    "hole", true);
	region(b, fixaddr_start, fixaddr_top - 1, "fixmap",
	    "fixed mappings, kmap_atomic slots for HighMem pages", false);
	region(b, fixaddr_top, 0xffffffffULL, "unused", "the last page",
	    true);
}

static void arm32_regions(const struct machine *m, struct region_builder *b)
{
	const uint64_t page_offset = 0xc0000000ULL;
	uint64_t lowmem = min_t(uint64_t, m->cfg.ram, 760 * SZ_1M);
	uint64_t high_memory = page_offset + lowmem;
	uint64_t vmalloc_start = high_memory + 8 * SZ_1M;

	region(b, 0xbf000000ULL, 0xbfdfffffULL, "modules",
	    "loadable modules, within 32M of the kernel text for branches",
	    false);
	region(b, 0xbfe00000ULL, 0xbfffffffULL, "pkmap",
	    "kmap: permanent mappings of HighMem pages (2M)", false);
	region(b, page_offset, high_memory - 1, "lowmem",
	    "RAM mapped linearly: __pa(va) = va - PAGE_OFFSET + PHYS_OFFSET",
	    false);
	region(b, high_memory, vmalloc_start - 1, "guard",
	    "8M between lowmem and vmalloc", true);
	region(b, vmalloc_start, 0xff7fffffULL, "vmalloc",
	    "vmalloc and ioremap space (VMALLOC_END 0xff800000)", false);
	region(b, 0xff800000ULL, 0xffc7ffffULL, "unused", "hole", true);
	region(b, 0xffc80000ULL, 0xffefffffULL, "fixmap",
	    "fixed mappings, kmap_atomic slots", false);
	region(b, 0xfff00000ULL, 0xfffeffffULL, "unused", "hole", true);
	region(b, 0xffff0000ULL, 0xffff0fffULL, "vector",
	    "the CPU exception vector page (high vectors)", false);
	region(b, 0xffff1000ULL, 0xffffffffULL, "unused",
	    "the sigreturn page and guard", true);
}

static void arm64_regions(struct region_builder *b)
{
	region(b, 0x0001000000000000ULL, 0xfffeffffffffffffULL,
	    "non-canonical", "neither TTBR0 nor TTBR1 translates these", true);
	region(b, 0xffff000000000000ULL, 0xffff7fffffffffffULL, "linear map",
	    "all physical memory (128T); TTBR1 from here up", false);
	region(b, 0xffff800000000000ULL, 0xffff80007fffffffULL, "modules",
	    "loadable modules (2G)", false);
	region(b, 0xffff800080000000ULL, 0xfffffbffefffffffULL, "vmalloc",
	    "vmalloc and ioremap space; the kernel image sits here (124T)",
	    false);
	region(b, 0xfffffbfff0000000ULL, 0xfffffbfffdffffffULL, "fixmap",
	    "fixed mappings (224M)", false);
	region(b, 0xfffffbfffe000000ULL, 0xfffffbfffe7fffffULL, "guard",
	    "guard region (8M)", true);
	region(b, 0xfffffbfffe800000ULL, 0xfffffbffff7fffffULL, "PCI I/O",
	    "PCI I/O space (16M)", false);
	region(b, 0xfffffbffff800000ULL, 0xfffffbffffffffffULL, "guard",
	    "guard region (8M)", true);
	region(b, 0xfffffc0000000000ULL, 0xfffffdffffffffffULL, "vmemmap",
	    "the struct page array (2T)", false);
	region(b, 0xfffffe0000000000ULL, 0xffffffffffffffffULL, "guard",
	    "guard region (2T)", true);
}

int arch_kernel_regions(const struct machine *m, struct kernel_region *r,
    int max)
{
	struct region_builder b = { r, max, 0 };

	switch (m->arch.id) {
	case ARCH_X86_64:
		x86_64_regions(&b);
		break;
	case ARCH_X86_64_LA57:
		x86_64_la57_regions(&b);
		break;
	case ARCH_I386:
		i386_regions(m, &b);
		break;
	case ARCH_ARM32:
		arm32_regions(m, &b);
		break;
	case ARCH_ARM64:
		arm64_regions(&b);
		break;
	default:
		break;	/* the toy has no kernel half */
	}
	return b.n;
}
