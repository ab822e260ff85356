/*
 * machine.h - the simulated machine: its configuration (what the `machine`
 * command sets), the architecture profile (page-table geometry, address
 * space split, zone limits), physical memory (nodes, zones, frames) and the
 * global counters. Everything the model knows hangs off struct machine;
 * several machines can live side by side (tests, snapshots, the TUI's
 * step-back replay).
 */
#ifndef VMSCOPE_MACHINE_H
#define VMSCOPE_MACHINE_H

#include "vmscope/events.h"
#include "vmscope/mmzone.h"

enum arch_id {
	ARCH_X86_64,
	ARCH_X86_64_LA57,
	ARCH_I386,
	ARCH_ARM32,
	ARCH_ARM64,
	ARCH_TOY,
	NR_ARCHES
};

enum reclaim_policy {
	POLICY_LRU2Q,	/* Linux: active/inactive lists */
	POLICY_FIFO,
	POLICY_LRU,
	POLICY_CLOCK,
	POLICY_OPT,
	NR_POLICIES
};

extern const char *const policy_names[NR_POLICIES];

#define MAX_PT_LEVELS	5

/* What `machine` accepts. Sizes in bytes. */
struct machine_config {
	enum arch_id	 arch;
	uint64_t	 ram;
	uint64_t	 swap;
	int		 nodes;
	int		 tlb_entries;
	int		 tlb_ways;
	bool		 asid;
	bool		 movable;	/* put the top of RAM in ZONE_MOVABLE */
	enum reclaim_policy policy;
	uint64_t	 seed;
	/* toy geometry (arch toy only) */
	unsigned	 va_bits;
	uint64_t	 page_size;
	int		 nr_levels;
	unsigned	 level_bits[MAX_PT_LEVELS];
};

/*
 * The fixed facts of an architecture. For `toy` the page-table part comes
 * from the configuration.
 */
struct arch_profile {
	enum arch_id	 id;
	const char	*name;		/* "x86_64" */
	unsigned	 bits;		/* 32 or 64: width of maps columns */
	unsigned	 va_bits;	/* virtual address bits translated */
	unsigned	 page_shift;
	int		 nr_levels;
	unsigned	 level_bits[MAX_PT_LEVELS];	/* top level first */
	const char	*level_names[MAX_PT_LEVELS];
	unsigned	 pte_size;	/* bytes per page-table entry */
	uint64_t	 task_size;	/* end of user space */
	uint64_t	 page_offset;	/* start of the kernel's linear map */
	uint64_t	 max_ram;	/* largest --ram accepted */
	uint64_t	 min_ram;
	/* physical address where each zone ends (0: zone absent) */
	uint64_t	 zone_end[MAX_NR_ZONES];
	uint64_t	 kernel_phys;	/* physical load address of the kernel */
	uint64_t	 kernel_size;	/* image size reserved at boot */
};

const struct arch_profile *arch_lookup(const char *name);
const struct arch_profile *arch_get(enum arch_id id);

/* Counters of /proc/vmstat that are not per zone, declared once. */
#define VMSTAT_ITEMS(X)			\
	X(pgpgin)			\
	X(pgpgout)			\
	X(pswpin)			\
	X(pswpout)			\
	X(pgfree)			\
	X(pgactivate)			\
	X(pgdeactivate)			\
	X(pgfault)			\
	X(pgmajfault)			\
	X(pgrefill)			\
	X(pgsteal_kswapd)		\
	X(pgsteal_direct)		\
	X(pgscan_kswapd)		\
	X(pgscan_direct)		\
	X(oom_kill)			\
	X(workingset_refault_anon)	\
	X(workingset_refault_file)	\
	X(thp_fault_alloc)		\
	X(kswapd_wakeups)

enum vm_event_item {
#define X(name) VM_ ## name,
	VMSTAT_ITEMS(X)
#undef X
	NR_VM_EVENT_ITEMS
};

extern const char *const vmstat_names[NR_VM_EVENT_ITEMS];

struct tlb;
struct swap_info_struct;
struct slab_state;
struct opt_future;

#define MAX_SWAP_AREAS	32	/* MAX_SWAPFILES of pgtable.h */

struct machine {
	struct machine_config	 cfg;
	struct arch_profile	 arch;	/* copy; toy geometry filled in */
	uint64_t		 page_size;
	unsigned long		 max_pfn;	/* frames 0 .. max_pfn - 1 */
	struct page		*mem_map;
	struct pglist_data	 nodes[MAX_NUMNODES];
	int			 nr_nodes;
	unsigned long		 totalram_pages;	/* managed, all zones */
	unsigned long		 totalreserve_pages;
	unsigned long		 min_free_kbytes;
	unsigned long		 memmap_pages;	/* frames holding mem_map */
	unsigned long		 kernel_pages;	/* frames of the kernel image */
	unsigned long		 vm_events[NR_VM_EVENT_ITEMS];
	struct event_bus	 ev;
	/* processes and files (task.c, mmap.c; task_machine_init) */
	struct list_head	 tasks;		/* task_struct.tasks, by pid */
	int			 last_pid;	/* pids are never reused */
	struct list_head	 files;		/* vm_file.list */
	unsigned long		 last_ino;	/* inode numbers given */
	unsigned long		 last_anon_vma;	/* anon_vma ids given */
	struct list_head	 anon_vmas;	/* every live one (all_node) */
	/* paging (pgtable.c, tlb.c) */
	struct tlb		*tlb;		/* the one CPU's TLB and CR3 */
	unsigned long		 nr_pgtable_pages;	/* meminfo PageTables */
	/* user pages (memory.c, filemap.c) */
	unsigned long		 nr_file_pages;	/* page cache: meminfo Cached */
	unsigned long		 nr_shmem_pages;	/* of which shmem: Shmem */
	unsigned long		 nr_hugetlb_pages;	/* 2 MiB pages in use by hugetlb */
	unsigned long		 zero_pfn;	/* the shared zero page ... */
	bool			 has_zero_page;	/* ... once it has been set up */
	/* swap and reclaim (swap.c, vmscan.c, oom_kill.c) */
	struct swap_info_struct	*swap_info[MAX_SWAP_AREAS];
	unsigned		 nr_swapfiles;	/* highest type used + 1 */
	int			 least_priority;	/* of the last swapon */
	int			 reclaim_depth;	/* no reclaim from inside reclaim */
	/*
	 * The mm whose fault (or fork) is allocating: the OOM killer only
	 * marks its task (oom_victim_pid) and the command layer reaps it
	 * after the command, so no caller is left holding freed state.
	 */
	struct mm_struct	*fault_mm;
	int			 oom_victim_pid;	/* marked, not yet exited */
	unsigned long		 nr_dirty, nr_writeback;	/* meminfo */
	/* the last OOM kill's kernel log lines, for the command layer */
	char			 oom_log[1024];
	unsigned		 oom_log_seq;	/* bumped at every kill */
	/* the slab allocator's caches and slabs (slab.c) */
	struct slab_state	*slab;
	/* the future of the trace `replay` is playing, for policy opt (opt.c) */
	struct opt_future	*opt_future;
};

void	 machine_config_default(struct machine_config *cfg);
/*
 * Switch cfg to another architecture with that architecture's defaults for
 * RAM, swap and TLB (the toy's are tiny); other fields are kept.
 */
void	 machine_config_for_arch(struct machine_config *cfg, enum arch_id arch);
/*
 * Build a machine. On a bad configuration return NULL and write the reason
 * ("--ram 1K: at least 16M is needed for x86_64") to err.
 */
struct machine *machine_new(const struct machine_config *cfg, char *err,
	    size_t errlen);
void	 machine_free(struct machine *m);

static inline struct page *pfn_to_page(struct machine *m, unsigned long pfn)
{
	return &m->mem_map[pfn];
}
static inline unsigned long page_to_pfn(const struct machine *m,
    const struct page *page)
{
	return (unsigned long)(page - m->mem_map);
}
static inline struct zone *page_zone(struct machine *m, const struct page *page)
{
	return &m->nodes[page_to_nid(page)].node_zones[page_zonenum(page)];
}
static inline unsigned long pages_to_kb(const struct machine *m,
    unsigned long pages)
{
	return (unsigned long)((pages * m->page_size) / 1024);
}

#define for_each_zone(m, z)						\
	for (int __n = 0; __n < (m)->nr_nodes; __n++)			\
		for ((z) = &(m)->nodes[__n].node_zones[0];		\
		    (z) < &(m)->nodes[__n].node_zones[MAX_NR_ZONES]; (z)++)

#define for_each_populated_zone(m, z)					\
	for_each_zone(m, z)						\
		if (!zone_populated(z)) {} else

/* Emit an event on the machine's stream (no-op while muted). */
void	 machine_emit(struct machine *m, struct vm_event *ev);

#endif
