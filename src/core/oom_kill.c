/*
 * oom_kill.c - the OOM killer, after mm/oom_kill.c: when reclaim cannot
 * free enough for an allocation, the process with the highest badness
 * (oom_badness: rss + swap entries + page-table pages, shifted by
 * oom_score_adj) is killed so that its memory comes back.
 *
 * Killing happens in two steps, as in Linux. oom_kill_process marks the
 * victim and writes the kernel's lines; then the OOM reaper frees its
 * memory (__oom_reap_task_mm: every mapping is zapped; the VMAs and page
 * tables stay) so the allocation can be retried at once. The task itself
 * exits at a safe point: oom_reap_marked, run by the command layer after
 * each command. A victim whose own fault is allocating (m->fault_mm, or
 * the address space loaded on the CPU) is not reaped under the feet of
 * that fault: the allocation fails (VM_FAULT_OOM) and the task exits after
 * the command, as a task with a pending SIGKILL would on its way out of the
 * page fault.
 *
 * Ties go to the later process in pid order (oom_evaluate_task replaces
 * the chosen one only when its points are not lower). pid 1 is an
 * ordinary process in vmscope (there is no init to protect); oom_score_adj
 * -1000 makes a task unkillable, as in Linux.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/memory-hooks.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"
#include "vmscope/vmscan.h"

#define OOM_SCORE_ADJ_MIN	(-1000)

static unsigned long mm_pgtables_pages(const struct mm_struct *mm)
{
	return mm->pgt != NULL ? mm->pgt->nr_pages : 0;
}

long oom_badness(struct machine *m, struct task_struct *t,
    unsigned long totalpages)
{
	long points, adj;

	(void)m;
	if (t->mm == NULL || t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	points = (long)(get_mm_rss(t->mm) +
	    get_mm_counter(t->mm, MM_SWAPENTS) + mm_pgtables_pages(t->mm));
	adj = (long)t->oom_score_adj * (long)(totalpages / 1000);
	return points + adj;
}

static unsigned long oom_totalpages(struct machine *m)
{
	return m->totalram_pages + total_swap_pages(m);
}

struct task_struct *select_bad_process(struct machine *m, long *pointsp)
{
	unsigned long totalpages = oom_totalpages(m);
	struct task_struct *t, *chosen = NULL;
	long chosen_points = LONG_MIN, points;

	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->oom_victim)
			continue;	/* reaped already: MMF_OOM_SKIP */
		points = oom_badness(m, t, totalpages);
		if (points == LONG_MIN || points < chosen_points)
			continue;
		chosen = t;
		chosen_points = points;
	}
	if (pointsp != NULL)
		*pointsp = chosen_points;
	return chosen;
}

/* The task's mm is being worked on by the running fault (or is on the CPU). */
static bool task_mm_busy(struct machine *m, struct task_struct *t)
{
	if (t->mm == NULL)
		return false;
	if (t->mm == m->fault_mm)
		return true;
	return m->tlb != NULL && t->mm->pgt != NULL && m->tlb->cur == t->mm->pgt;
}

static void oom_emit(struct machine *m, enum event_kind kind,
    struct task_struct *t, uint64_t val, uint64_t val2)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = t->pid;
	ev.val = val;
	ev.val2 = val2;
	ev.str = event_intern(&m->ev, t->comm);	/* outlives the task */
	machine_emit(m, &ev);
}

static size_t log_append(struct machine *m, size_t at, const char *fmt, ...)
    __printf(3, 4);
static size_t log_append(struct machine *m, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= sizeof(m->oom_log))
		return at;
	va_start(ap, fmt);
	n = vsnprintf(m->oom_log + at, sizeof(m->oom_log) - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : min_t(size_t, at + (size_t)n,
	    sizeof(m->oom_log) - 1);
}

/* __oom_reap_task_mm: unmap everything, keep the VMAs and tables. */
static unsigned long oom_reap_task_mm(struct machine *m, struct mm_struct *mm)
{
	unsigned long before = global_free_pages(m);
	struct vm_area_struct *vma;

	for (vma = mm->mmap; vma != NULL; vma = vma->vm_next)
		mm_hook_zap_range(mm, vma, vma->vm_start, vma->vm_end);
	return global_free_pages(m) - before;
}

/*
 * %pGg: a gfp mask as flag names, composite names first, in the order of
 * Linux's gfpflag_names (include/trace/events/mmflags.h); only the bits
 * vmscope's allocations use are named.
 */
static void gfp_names(unsigned gfp, char *buf, size_t len)
{
	static const struct {
		unsigned	 mask;
		const char	*name;
	} names[] = {
		{ 0x100cca, "GFP_HIGHUSER_MOVABLE" },
		{ 0x400cc0, "GFP_KERNEL_ACCOUNT" },
		{ 0xcc0, "GFP_KERNEL" },
		{ 0x40000, "__GFP_COMP" },
		{ 0x100, "__GFP_ZERO" },
	};
	size_t at = 0, i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names) && at < len; i++) {
		if ((gfp & names[i].mask) != names[i].mask)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
		    at > 0 ? "|" : "", names[i].name);
		gfp &= ~names[i].mask;
	}
	if (gfp != 0 && at < len)
		snprintf(buf + at, len - at, "%s%#x", at > 0 ? "|" : "", gfp);
}

/*
 * "current": the task whose allocation failed (its fault, or its fork),
 * else the one on the CPU; NULL for an allocation of the kernel's own
 * (a command such as alloc_pages), which Linux would make in some
 * kernel thread.
 */
static struct task_struct *oom_current(struct machine *m)
{
	struct task_struct *t;

	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm != NULL && t->mm == m->fault_mm)
			return t;
	}
	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm != NULL && t->mm->pgt != NULL && m->tlb != NULL &&
		    m->tlb->cur == t->mm->pgt)
			return t;
	}
	return NULL;
}

static bool oom_kill_process(struct machine *m, struct task_struct *victim,
    long points, unsigned order, unsigned gfp_mask)
{
	struct task_struct *cur = oom_current(m);
	char gfp[96];
	struct mm_struct *mm = victim->mm;
	unsigned long freed = 0;
	size_t at = 0;
	bool busy = task_mm_busy(m, victim);

	m->oom_log_seq++;
	m->vm_events[VM_oom_kill]++;
	victim->oom_victim = true;
	if (busy)
		m->oom_victim_pid = victim->pid;
	oom_emit(m, EV_OOM_VICTIM, victim, (uint64_t)points,
	    (uint64_t)(int64_t)victim->oom_score_adj);
	/* dump_header's first line (its Mem-Info and task dump are left out) */
	gfp_names(gfp_mask, gfp, sizeof(gfp));
	at = log_append(m, at, "%s invoked oom-killer: gfp_mask=%#x(%s), "
	    "order=%u, oom_score_adj=%d\n", cur != NULL ? cur->comm :
	    "kworker/0:1", gfp_mask, gfp, order,
	    cur != NULL ? (int)cur->oom_score_adj : 0);
	at = log_append(m, at, "oom-kill:constraint=CONSTRAINT_NONE,"
	    "nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
	    "task_memcg=/,task=%s,pid=%d,uid=0\n", victim->comm, victim->pid);
	at = log_append(m, at, "Out of memory: Killed process %d (%s) "
	    "total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, "
	    "UID:%u pgtables:%lukB oom_score_adj:%hd\n", victim->pid,
	    victim->comm, pages_to_kb(m, mm->total_vm),
	    pages_to_kb(m, get_mm_counter(mm, MM_ANONPAGES)),
	    pages_to_kb(m, get_mm_counter(mm, MM_FILEPAGES)),
	    pages_to_kb(m, get_mm_counter(mm, MM_SHMEMPAGES)), 0U,
	    pages_to_kb(m, mm_pgtables_pages(mm)), victim->oom_score_adj);
	if (!busy) {
		freed = oom_reap_task_mm(m, mm);
		victim->oom_reaped = true;
		at = log_append(m, at, "oom_reaper: reaped process %d (%s), now "
		    "anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB\n",
		    victim->pid, victim->comm,
		    pages_to_kb(m, get_mm_counter(mm, MM_ANONPAGES)),
		    pages_to_kb(m, get_mm_counter(mm, MM_FILEPAGES)),
		    pages_to_kb(m, get_mm_counter(mm, MM_SHMEMPAGES)));
	}
	oom_emit(m, EV_OOM_KILL, victim, freed, 0);
	return !busy;
}

bool out_of_memory(struct machine *m, unsigned order, unsigned gfp_mask)
{
	struct task_struct *victim;
	long points;

	/*
	 * A victim not reaped yet (its own fault is allocating): wait for it
	 * to exit, as oom_evaluate_task aborts on a pending victim.
	 */
	if (m->oom_victim_pid != 0 &&
	    find_task_by_pid(m, m->oom_victim_pid) != NULL)
		return false;
	m->oom_victim_pid = 0;
	victim = select_bad_process(m, &points);
	if (victim == NULL)
		return false;
	return oom_kill_process(m, victim, points, order, gfp_mask);
}

int oom_reap_marked(struct machine *m)
{
	struct task_struct *t, *tn;
	int n = 0;

	m->oom_victim_pid = 0;
	if (m->tasks.next == NULL)
		return 0;
	list_for_each_entry_safe(t, tn, &m->tasks, tasks) {
		if (!t->oom_victim)
			continue;
		task_exit(m, t, "killed by the OOM killer");
		n++;
	}
	return n;
}
