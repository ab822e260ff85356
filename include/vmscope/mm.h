/*
 * mm.h - a process's address space: struct mm_struct and its VMAs
 * (struct vm_area_struct), after include/linux/mm_types.h and mm.h, and the
 * system calls that change them (mm/mmap.c, mm/mprotect.c, mm/mremap.c,
 * mm/madvise.c), implemented in src/core/mmap.c.
 *
 * Like Linux up to 6.0 (before the maple tree), the VMAs of an mm are kept
 * twice: in a list sorted by address (mm->mmap, vm_next/vm_prev) and in a
 * red-black tree (mm->mm_rb) augmented with the largest free gap below
 * each subtree (rb_subtree_gap), so find_vma and get_unmapped_area are
 * O(log n).
 *
 * task.h builds processes on top of this; the paging issue's pgtable.c
 * hangs a page table on mm->pgt. The model never prints: every action
 * returns 0 (or an address) or a negative errno.
 */
#ifndef VMSCOPE_MM_H
#define VMSCOPE_MM_H

#include "vmscope/list.h"
#include "vmscope/rbtree.h"

struct machine;
struct pgtable;
struct mm_struct;

/* vm_flags: the bit values of include/linux/mm.h. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL	/* what mprotect may turn on */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* the stack */
#define VM_PFNMAP	0x00000400UL	/* no struct page behind ([vvar]) */
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL	/* mremap cannot grow it */
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL	/* charged to overcommit accounting */
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_ARCH_1	0x01000000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL	/* madvise(MADV_HUGEPAGE) */
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
/* Mappings vma_merge never touches. */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
/* What brk, the bss and the stack get (VM_DATA_DEFAULT_FLAGS). */
#define VM_DATA_DEFAULT_FLAGS \
	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS	(VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)

/* mmap(2) prot and flags, with the values of the Linux UAPI. */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_HUGETLB		0x40000
#define MAP_FIXED_NOREPLACE	0x100000

#define MREMAP_MAYMOVE		1

/* madvise(2) advice values. */
#define MADV_DONTNEED		4
#define MADV_PAGEOUT		21
#define MADV_HUGEPAGE		14
#define MADV_NOHUGEPAGE		15

#define DEFAULT_MAX_MAP_COUNT	65530	/* sysctl vm.max_map_count */
#define STACK_GUARD_GAP_PAGES	256	/* stack_guard_gap: 1M with 4K pages */
#define HPAGE_PMD_SIZE		(2ULL << 20)

/*
 * A simulated file: what `file NAME SIZE` creates, the executables that
 * spawn maps, and the hidden shmem files behind shared anonymous mappings
 * (shmem_zero_setup, "/dev/zero (deleted)" in maps). The machine owns the
 * named ones (machine->files); each VMA mapping a file holds a reference.
 */
struct vm_file {
	struct list_head list;		/* machine->files */
	/*
	 * The path maps shows. Interned in the machine's event bus
	 * (event_intern): events naming the file outlive it.
	 */
	const char	*name;
	uint64_t	 size;		/* bytes */
	unsigned	 dev_major, dev_minor;
	unsigned long	 ino;
	int		 refcount;	/* the machine's own + one per VMA */
	bool		 shmem;		/* anonymous shared memory */
	bool		 unlinked;	/* gone from machine->files */
	/* The paging issue's page cache (struct address_space) hangs here. */
	void		*mapping;
};

/*
 * The anonymous memory a VMA's private pages belong to. VMAs that were
 * split from one another or that merged share it; fork gives the child
 * its own, whose parent is the parent VMA's (rmap.h draws the family and
 * says how it stands in for Linux's anon_vma_chain).
 */
struct anon_vma {
	int		 refcount;	/* VMAs pointing here + child anon_vmas */
	unsigned long	 id;		/* for views and tests */
	struct anon_vma	*root;		/* first of the family (itself if none) */
	struct anon_vma	*parent;	/* forked from (NULL for the root) */
	struct list_head vmas;		/* VMAs with anon_vma == this */
	struct list_head family;	/* root: every member, itself included */
	struct list_head family_node;	/* in root->family */
	/*
	 * In machine->anon_vmas, the registry of live anon_vmas: the
	 * invariant checker proves with it that no page or swap slot points
	 * at one that was freed (rmap.c: validate_anon_vmas).
	 */
	struct list_head all_node;
	/*
	 * Made by fork for a child's VMA: the child's VMA also sees its
	 * parent's anon_vma (a chain of two in Linux), so a neighbour
	 * without an anon_vma cannot merge with it.
	 */
	bool		 forked;
};

struct vm_area_struct {
	uint64_t	 vm_start;	/* first byte */
	uint64_t	 vm_end;	/* first byte after */
	/* the sorted list */
	struct vm_area_struct *vm_next, *vm_prev;
	struct rb_node	 vm_rb;
	/*
	 * The largest free gap below (to the left of) some VMA in this
	 * subtree, the gap of a VMA being the hole between it and the VMA
	 * before it in the list (stack guard gaps counted as used).
	 */
	uint64_t	 rb_subtree_gap;
	struct mm_struct *vm_mm;
	unsigned long	 vm_flags;
	/* offset in the file in pages; for private anonymous: vm_start >> PAGE_SHIFT */
	uint64_t	 vm_pgoff;
	struct vm_file	*vm_file;
	struct anon_vma	*anon_vma;
	struct list_head anon_vma_node;	/* in anon_vma->vmas (rmap.c) */
	/* special mappings: "[vdso]", "[vvar]" */
	const char	*vm_name;
	uint64_t	 kmem;		/* its vm_area_struct object (slab.h) */
};

/* mm_counters (rss_stat), in pages. */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

/*
 * The vmacache of Linux 3.15 to 6.0 (mm/vmacache.c): the last VMAs
 * find_vma returned, one slot per value of the low two bits of the page
 * number, so the faults of a walk through one VMA find it without the
 * tree. Linux keeps it per thread and checks it against the mm's seqnum;
 * a vmscope process has one thread, so its mm holds it. Linux checks a
 * slot against the VMA's own bounds; vmscope keeps a copy of the bounds
 * in the slot, so a miss reads no VMA (each would be a host cache miss
 * in a large mm), and so a VMA whose bounds move empties the cache too.
 */
#define VMACACHE_BITS	2
#define VMACACHE_SIZE	(1U << VMACACHE_BITS)

struct vmacache {
	uint64_t	 seqnum;	/* valid while it equals the mm's */
	uint64_t	 start[VMACACHE_SIZE], end[VMACACHE_SIZE];
	struct vm_area_struct *vmas[VMACACHE_SIZE];
};

struct mm_struct {
	struct vm_area_struct *mmap;	/* the sorted list */
	uint64_t	 kmem;		/* its mm_struct object (slab.h) */
	struct rb_root	 mm_rb;
	int		 map_count;	/* number of VMAs */
	int		 max_map_count;
	uint64_t	 highest_vm_end;	/* end of the last VMA (and its gap) */
	uint64_t	 mmap_base;	/* top of the top-down mmap area */
	uint64_t	 task_size;
	uint64_t	 mmap_min_addr;	/* vm.mmap_min_addr */
	uint64_t	 stack_guard_gap;	/* kept free below [stack] */
	unsigned	 page_shift;
	uint64_t	 page_size;

	/* in pages, as the kernel counts them for /proc/PID/status */
	unsigned long	 total_vm, data_vm, exec_vm, stack_vm, locked_vm;
	unsigned long	 hiwater_vm, hiwater_rss;
	long		 rss_stat[NR_MM_COUNTERS];

	uint64_t	 start_code, end_code, start_data, end_data;
	uint64_t	 start_brk, brk, start_stack;
	uint64_t	 arg_start, arg_end, env_start, env_end;

	struct vm_file	*exe_file;	/* the executable (for pmap's title) */
	struct pgtable	*pgt;		/* the page table (paging issue) */
	struct machine	*machine;
	int		 owner_pid;	/* for events */

	/* bumped when a VMA leaves the mm or moves: the vmacache is stale */
	uint64_t	 vmacache_seqnum;
	struct vmacache	 vmacache;
	/* find_vma calls the cache answered, and those it did not */
	unsigned long	 vmacache_hits, vmacache_misses;
};

static inline uint64_t vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> vma->vm_mm->page_shift;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return vma->vm_file == NULL;
}

static inline bool vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_file != NULL && vma->vm_file->shmem;
}

static inline unsigned long get_mm_counter(const struct mm_struct *mm,
    int member)
{
	return mm->rss_stat[member] < 0 ? 0 : (unsigned long)mm->rss_stat[member];
}

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) +
	    get_mm_counter(mm, MM_ANONPAGES) +
	    get_mm_counter(mm, MM_SHMEMPAGES);
}

/* The first address below the VMA that it considers its own. */
uint64_t vm_start_gap(const struct vm_area_struct *vma);
uint64_t vm_end_gap(const struct vm_area_struct *vma);

/*
 * An empty address space for machine m (no VMAs; task.c lays it out),
 * owned by pid: its page table and every event it emits carry that pid
 * from the first one on (the pgd_alloc event). Linux's mm_init gets the
 * task the same way. 0 only for an mm that no task owns (unit tests).
 */
struct mm_struct *mm_alloc(struct machine *m, int owner_pid);
/* Unmap everything (exit_mmap) and free the mm. */
void	 mmput(struct mm_struct *mm);

/*
 * Look up the first VMA which satisfies addr < vm_end, NULL if none.
 * An address inside a VMA in the vmacache is answered without the tree.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr);
/* Same, and the VMA before it (or NULL) in *pprev. */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, uint64_t addr,
	    struct vm_area_struct **pprev);
/* The first VMA intersecting [start, end), NULL if none. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
	    uint64_t start, uint64_t end);

/*
 * A free range of len bytes: the hint addr when it fits, else top-down
 * below mmap_base through the subtree gaps (unmapped_area_topdown), then
 * bottom-up as the kernel falls back. MAP_FIXED in flags checks addr only.
 * Returns the address or -ENOMEM / -EINVAL (as int64_t).
 */
int64_t	 get_unmapped_area(struct mm_struct *mm, struct vm_file *file,
	    uint64_t addr, uint64_t len, uint64_t pgoff, int flags);

/*
 * Try to merge [addr, end) with flags into prev, the VMA after it, or
 * both (mm/mmap.c's vma_merge, Linux <= 6.0). The range is either a hole
 * next to prev, or lies inside the VMA after prev, or starts inside prev
 * (mprotect of a VMA's tail). Returns the VMA now covering the range or
 * NULL when nothing merged.
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm,
	    struct vm_area_struct *prev, uint64_t addr, uint64_t end,
	    unsigned long vm_flags, struct anon_vma *anon_vma,
	    struct vm_file *file, uint64_t pgoff);

/*
 * Split vma at addr (page aligned, strictly inside it). With new_below the
 * new VMA takes the lower part. -ENOMEM at max_map_count.
 */
int	 split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
	    uint64_t addr, int new_below);

/* The system calls. Results are what the syscall returns. */
int64_t	 do_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot,
	    int flags, struct vm_file *file, uint64_t pgoff);
/* mmap(2): the byte offset must be page aligned. */
int64_t	 vm_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot,
	    int flags, struct vm_file *file, uint64_t offset);
int	 do_munmap(struct mm_struct *mm, uint64_t start, uint64_t len);
int	 do_mprotect(struct mm_struct *mm, uint64_t start, uint64_t len,
	    int prot);
/* brk(2): returns the new break, or the old one when it cannot move. */
uint64_t do_brk(struct mm_struct *mm, uint64_t brk);
int64_t	 do_mremap(struct mm_struct *mm, uint64_t addr, uint64_t old_len,
	    uint64_t new_len, int flags);
int	 do_madvise(struct mm_struct *mm, uint64_t start, uint64_t len,
	    int advice);

/*
 * Map a special mapping (vdso, vvar) or the stack or an ELF segment at a
 * fixed address with explicit vm_flags (install_special_mapping and the
 * ELF loader). 0 or -errno.
 */
int	 map_fixed_vma(struct mm_struct *mm, uint64_t start, uint64_t end,
	    unsigned long vm_flags, struct vm_file *file, uint64_t pgoff,
	    const char *name);

/*
 * Give vma an anon_vma if it has none (anon_vma_prepare), for the fault
 * path of the paging issue and for tests.
 */
int	 anon_vma_prepare(struct vm_area_struct *vma);

/* find_vma, counting the tree nodes visited and emitting EV_VMA_FIND. */
struct vm_area_struct *find_vma_traced(struct mm_struct *mm, uint64_t addr);

/* RLIMIT_STACK: ulimit -s 8192. */
#define STACK_RLIMIT_BYTES	(8ULL << 20)

/*
 * expand_stack's work (expand_downwards): grow the VM_GROWSDOWN vma down
 * to the page of address. 0, -ENOMEM past the rlimit or into the guard
 * gap, -EPERM below mmap_min_addr, -EFAULT when vma cannot grow.
 */
int	 expand_downwards(struct vm_area_struct *vma, uint64_t address);

/* Copy the VMAs of oldmm into the empty mm (fork's dup_mmap). */
int	 dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);

/*
 * Check every invariant of the mm: list sorted, no overlap, vm_start <
 * vm_end, page alignment, list == tree (same VMAs, same order), valid
 * red-black tree, map_count, each rb_subtree_gap, highest_vm_end, the
 * total_vm/data_vm/exec_vm/stack_vm counters and anon_vma refcounts
 * being positive. 0, or -1 with the first violation in why.
 */
int	 validate_mm(struct mm_struct *mm, char *why, size_t whylen);

/* Accounting per mapping type (vm_stat_account). */
void	 vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages);

/* Simulated files. */
struct vm_file *vm_file_lookup(struct machine *m, const char *name);
/* A new named file; -EEXIST when taken. */
int	 vm_file_create(struct machine *m, const char *name, uint64_t size,
	    struct vm_file **filep);
struct vm_file *vm_file_get(struct vm_file *f);
void	 vm_file_put(struct vm_file *f);
/* A hidden shmem file for a shared anonymous mapping. */
struct vm_file *shmem_zero_setup(struct machine *m, uint64_t size);

/* The name maps shows for an errno ("EEXIST", "File exists"). */
const char *errno_name(int err);
const char *errno_text(int err);

#endif
