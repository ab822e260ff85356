/*
 * vmscan.h - page reclaim (mm/vmscan.c) and the OOM killer
 * (mm/oom_kill.c).
 *
 * kswapd is a kernel thread in Linux. vmscope has one CPU and no
 * concurrency, so "kswapd runs" at well-defined points: the allocation
 * that wakes it (wakeup_kswapd, below the low watermark) marks the node,
 * and kswapd_run() balances every marked node right after that
 * allocation returns (alloc_pages_node calls it on its way out), until each
 * zone is at or above its high watermark or nothing more can be
 * reclaimed. Direct reclaim runs inside the allocation, as in Linux.
 */
#ifndef VMSCOPE_VMSCAN_H
#define VMSCOPE_VMSCAN_H

#include "vmscope/machine.h"

struct task_struct;

#define SWAP_CLUSTER_MAX	32UL	/* pages reclaimed per batch */
#define MAX_RECLAIM_RETRIES	16	/* the slow path's retries */
#define DEF_PRIORITY		12	/* scan 1/4096 of a list, then more */

/* Who is reclaiming: counted as pgscan_kswapd/pgsteal_kswapd or _direct. */
enum reclaim_who {
	RECLAIM_KSWAPD,
	RECLAIM_DIRECT,
	RECLAIM_USER,	/* the `reclaim` command; counted as kswapd */
};

struct scan_control {
	unsigned long	 nr_to_reclaim;
	unsigned long	 nr_scanned;
	unsigned long	 nr_reclaimed;
	int		 priority;	/* scan lists >> priority each round */
	enum reclaim_who who;
	bool		 may_swap;	/* anonymous pages may go to swap */
	bool		 may_writepage;
};

/*
 * wakeup_kswapd: a zone of this node went below its low watermark; mark
 * the node for kswapd (kswapd_wakeups, EV_KSWAPD_WAKE). Nothing when the
 * node is already marked.
 */
void	 wakeup_kswapd(struct machine *m, struct zone *z, unsigned order,
	    enum zone_type highest_zoneidx);
/* Run kswapd on every woken node (balance_pgdat). Pages reclaimed. */
unsigned long kswapd_run(struct machine *m);

/*
 * try_to_free_pages: direct reclaim for an allocation (pgscan_direct,
 * pgsteal_direct; the caller counts allocstall). Pages reclaimed.
 */
unsigned long try_to_free_pages(struct machine *m, int nid, unsigned order,
	    enum zone_type highest_zoneidx);

/*
 * shrink_node: reclaim up to nr_to_reclaim pages from node nid by the
 * machine's policy (lru2q: Linux's active/inactive lists; fifo, lru,
 * clock: see doc/simplifications.md). Fills sc's counts.
 */
void	 shrink_node(struct machine *m, int nid, struct scan_control *sc);

/*
 * The `reclaim [PAGES]` command: reclaim up to nr pages from every node
 * (0: until every zone is above its high watermark, as kswapd does).
 * Counted as kswapd's work. Returns the pages reclaimed.
 */
unsigned long reclaim_pages_now(struct machine *m, unsigned long nr);

/*
 * reclaim_page_range (madvise MADV_PAGEOUT, reclaim_pages): reclaim
 * every page mapped in [start, end) of vma that only this mm maps
 * (anonymous pages go to swap, file pages are written back if dirty and
 * dropped), whatever their accessed bits. Pages reclaimed.
 */
struct mm_struct;
struct vm_area_struct;
unsigned long reclaim_page_range(struct mm_struct *mm,
	    struct vm_area_struct *vma, uint64_t start, uint64_t end);

/* ---- OOM killer (oom_kill.c) ------------------------------------- */

/*
 * oom_badness: rss + swap entries + page-table pages, plus
 * oom_score_adj * totalpages / 1000; LONG_MIN for an unkillable task
 * (oom_score_adj -1000, no mm).
 */
long	 oom_badness(struct machine *m, struct task_struct *t,
	    unsigned long totalpages);
/* select_bad_process: the task with the highest badness (the later pid on a tie). */
struct task_struct *select_bad_process(struct machine *m, long *points);

/*
 * out_of_memory: choose the victim and kill it (oom_kill_process): its
 * memory is freed at once (the OOM reaper's job in Linux), the kernel's
 * log lines go to m->oom_log and EV_OOM_VICTIM / EV_OOM_KILL are
 * emitted; oom_kill is counted. Returns true when a task was killed.
 * The task whose fault is allocating (m->fault_mm) is only marked: it
 * dies when its fault returns (see oom_kill.c). gfp_mask is the failed
 * allocation's (Linux's GFP_* bits, page_alloc.c: gfp_of), for the
 * report's first line ("COMM invoked oom-killer: gfp_mask=...").
 */
bool	 out_of_memory(struct machine *m, unsigned order, unsigned gfp_mask);
/*
 * Exit the tasks the OOM killer marked (run by the command layer after
 * each command and by the fault path). Returns how many exited.
 */
int	 oom_reap_marked(struct machine *m);

#endif
