/*
 * memory.h - page faults and memory accesses, after mm/memory.c,
 * mm/huge_memory.c, mm/hugetlb.c and arch/x86/mm/fault.c. Implemented in
 * src/core/memory.c.
 *
 * access_memory() is one load, store or instruction fetch by a process,
 * the way the hardware and the kernel share the work:
 *
 *   the process is put on the CPU (switch_mm) if it is not there
 *   mmu_access: TLB lookup, on a miss the page-table walk (tlb.h)
 *   on a fault, do_user_addr_fault: find_vma, stack growth, permission
 *     check (SIGSEGV), then handle_mm_fault:
 *       hugetlb_fault / do_huge_pmd_anonymous_page (2 MiB pages)
 *       handle_pte_fault: pte none    -> do_anonymous_page or do_fault
 *                                        (do_read_fault, do_cow_fault,
 *                                        do_shared_fault)
 *                         swap entry  -> do_swap_page (swap.c)
 *                         write to a read-only pte -> do_wp_page
 *                                        (wp_page_copy / wp_page_reuse)
 *     counted in min_flt or maj_flt and /proc/vmstat pgfault/pgmajfault
 *   the access is retried: the MMU walks again and refills the TLB.
 *
 * Every stage emits an event. A SIGSEGV or SIGBUS kills the process
 * (task_exit): vmscope does not model signal handlers.
 */
#ifndef VMSCOPE_MEMORY_H
#define VMSCOPE_MEMORY_H

#include "vmscope/tlb.h"
#include "vmscope/task.h"

/* handle_mm_fault flags (include/linux/mm_types.h FAULT_FLAG_*). */
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_INSTRUCTION	0x02
#define FAULT_FLAG_REMOTE	0x04	/* get_user_pages: populate, mlock */

/* handle_mm_fault results (vm_fault_t). */
#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_MAJOR		0x0004
#define VM_FAULT_SIGSEGV	0x0040
#define VM_FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)

/* Which handler resolved a fault. */
enum fault_path {
	FAULT_NONE,
	FAULT_ANON_ZERO,	/* do_anonymous_page, read: the zero page */
	FAULT_ANON,		/* do_anonymous_page, write: a new page */
	FAULT_READ,		/* do_read_fault */
	FAULT_COW,		/* do_cow_fault */
	FAULT_SHARED,		/* do_shared_fault */
	FAULT_WP_COPY,		/* do_wp_page -> wp_page_copy */
	FAULT_WP_REUSE,		/* do_wp_page -> wp_page_reuse */
	FAULT_WP_SHARED,	/* do_wp_page on a shared file page (dirtying) */
	FAULT_SWAP,		/* do_swap_page */
	FAULT_HUGE_ANON,	/* do_huge_pmd_anonymous_page */
	FAULT_HUGE_WP,		/* do_huge_pmd_wp_page */
	FAULT_HUGETLB,		/* hugetlb_fault */
	FAULT_SPURIOUS,		/* the PTE already allows it (stale TLB) */
	FAULT_PROTNONE,		/* a PROT_NONE pte in an accessible VMA */
	NR_FAULT_PATHS
};

/* Linux's name for a path ("do_anonymous_page"). */
const char *fault_path_name(enum fault_path path);

/* What handle_mm_fault did, for the narration. */
struct fault_info {
	enum fault_path	 path;
	unsigned long	 pfn;		/* the frame now mapped */
	unsigned long	 old_pfn;	/* do_wp_page: the frame written to */
	int		 mapcount;	/* do_wp_page: old frame's mapcount */
	bool		 zero_page;	/* old frame was the zero page */
	bool		 file_page;	/* do_wp_page: old frame is page cache */
	bool		 cached;	/* file fault found the page cached */
	uint64_t	 stack_pages;	/* expand_stack grew by */
};

/*
 * handle_mm_fault: resolve a fault at addr in vma (the caller found the
 * VMA and checked that the access is allowed). Returns 0 or VM_FAULT_*
 * bits. Counts pgfault/pgmajfault but not the task's min_flt/maj_flt
 * (mm_account_fault, done by the callers that know the task).
 */
int	 handle_mm_fault(struct vm_area_struct *vma, uint64_t addr,
	    unsigned flags, struct fault_info *fi);

enum access_kind {
	ACCESS_TLB_HIT,		/* translated by the TLB */
	ACCESS_WALK,		/* TLB miss, the walk found the page */
	ACCESS_MINOR,		/* minor fault, then retried */
	ACCESS_MAJOR,		/* major fault (I/O), then retried */
	ACCESS_SIGSEGV,		/* the process was killed */
	ACCESS_SIGBUS,
	ACCESS_OOM,		/* no memory for the fault: the process was killed */
	ACCESS_BAD,		/* no such process / no page table */
};

struct access_result {
	enum access_kind kind;
	bool		 tlb_hit;	/* the first lookup hit */
	bool		 walked;	/* the first attempt walked */
	struct pt_walk	 walk;		/* that walk */
	enum mmu_fault	 mmu;		/* what the first attempt gave */
	struct fault_info fault;
	int		 nr_faults;	/* faults taken (a read-only hit then a COW: 1) */
	unsigned long	 pfn;		/* final translation */
	uint64_t	 phys;
	/* signals */
	const char	*sig_code;	/* "SEGV_MAPERR", "SEGV_ACCERR", "BUS_ADRERR" */
	const char	*why;		/* one line for the student */
	bool		 has_vma;	/* the VMA involved, for the message */
	uint64_t	 vma_start, vma_end;
	unsigned long	 vma_flags;
	int		 pid;
	char		 comm[TASK_COMM_LEN];
};

/*
 * One access by process t. On SIGSEGV, SIGBUS or OOM the task has exited
 * when this returns (t is freed). Returns r->kind.
 */
enum access_kind access_memory(struct machine *m, struct task_struct *t,
	    uint64_t addr, enum mmu_access_type type, struct access_result *r);

/*
 * Put t on the (single) CPU: switch_mm to its page table; t becomes
 * TASK_RUNNING and every other process TASK_INTERRUPTIBLE.
 */
void	 task_switch_to(struct machine *m, struct task_struct *t);

/*
 * Fault in [start, end) of mm as get_user_pages does for MAP_POPULATE:
 * a write fault for private writable mappings, a read fault otherwise,
 * skipping pages already present. Counted in the owner's min_flt and
 * maj_flt like Linux 5.10+ does. Returns 0 or -ENOMEM.
 */
int	 populate_range(struct mm_struct *mm, uint64_t start, uint64_t end);

/* The shared zero page (set up on first use). */
unsigned long zero_pfn(struct machine *m);
static inline bool is_zero_pfn(const struct machine *m, unsigned long pfn)
{
	return m->has_zero_page && pfn == m->zero_pfn;
}

/* The page a PTE maps, NULL for the zero page (vm_normal_page). */
struct page *vm_normal_page(struct machine *m, uint64_t pte);

/* PTE protection bits for vm_flags (vm_get_page_prot). */
uint64_t vm_get_page_prot(const struct machine *m, unsigned long vm_flags);

/* Which rss counter a page counts in (mm_counter). */
int	 mm_counter(const struct vm_area_struct *vma, const struct page *page);

/* Machine-wide page counts for /proc/meminfo, in base pages. */
struct mem_stats {
	unsigned long	 anon;		/* AnonPages (THP included) */
	unsigned long	 mapped;	/* Mapped: page-cache pages with a PTE */
	unsigned long	 anon_thp;	/* AnonHugePages */
	unsigned long	 hugetlb;	/* hugetlb pages in use (2 MiB each) */
};
void	 memory_stats(struct machine *m, struct mem_stats *st);

/*
 * Invariants of the pages mapped by every process: the reverse map
 * (validate_rmap) and each mm's rss counters against its present PTEs.
 */
int	 validate_memory(struct machine *m, char *why, size_t whylen);

#endif
