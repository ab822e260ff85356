/*
 * probes.c - the table of counters a scenario can check after a step
 * (see scenario-probe.h). Each probe reads the model directly; the player
 * does the before/after bookkeeping for delta probes and the comparison.
 *
 * Fault counts come from the same counters the views print: machine-wide
 * from /proc/vmstat's pgfault and pgmajfault (pgfault counts every fault,
 * major ones included, as in Linux), per process from the task's min_flt
 * and maj_flt (ps's MINFLT and MAJFLT). Signals are names, not counts:
 * the step's SIGSEGV and SIGBUS events (force_sig_fault) say which.
 */
#include <string.h>

#include "vmscope/events.h"
#include "vmscope/machine.h"
#include "vmscope/scenario-probe.h"
#include "vmscope/session.h"
#include "vmscope/task.h"

static struct task_struct *probe_task(struct session *s, int pid,
    struct sbuf *why)
{
	struct task_struct *t = find_task_by_pid(s->m, pid);

	if (t == NULL)
		sbuf_printf(why, "no process %d", pid);
	return t;
}

static int read_minor_faults(struct session *s, int pid,
    const struct sc_observed *obs, uint64_t *val, struct sbuf *why)
{
	struct task_struct *t;

	(void)obs;
	if (pid < 0) {
		*val = s->m->vm_events[VM_pgfault] - s->m->vm_events[VM_pgmajfault];
		return 0;
	}
	if ((t = probe_task(s, pid, why)) == NULL)
		return -1;
	*val = t->min_flt;
	return 0;
}

static int read_major_faults(struct session *s, int pid,
    const struct sc_observed *obs, uint64_t *val, struct sbuf *why)
{
	struct task_struct *t;

	(void)obs;
	if (pid < 0) {
		*val = s->m->vm_events[VM_pgmajfault];
		return 0;
	}
	if ((t = probe_task(s, pid, why)) == NULL)
		return -1;
	*val = t->maj_flt;
	return 0;
}

static int read_rss(struct session *s, int pid, const struct sc_observed *obs,
    uint64_t *val, struct sbuf *why)
{
	struct task_struct *t;

	(void)obs;
	if ((t = probe_task(s, pid, why)) == NULL)
		return -1;
	*val = t->mm != NULL ? get_mm_rss(t->mm) : 0;
	return 0;
}

static int read_vmas(struct session *s, int pid, const struct sc_observed *obs,
    uint64_t *val, struct sbuf *why)
{
	struct task_struct *t;

	(void)obs;
	if ((t = probe_task(s, pid, why)) == NULL)
		return -1;
	*val = t->mm != NULL ? (uint64_t)t->mm->map_count : 0;
	return 0;
}

/*
 * The signals a memory access can raise (arch/x86/mm/fault.c): SIGSEGV
 * for no VMA or a forbidden access, SIGBUS for a page past the end of a
 * mapped file. Each is one event kind; names[] and kinds[] go in step.
 */
static const char *const signal_names[] = { "SIGSEGV", "SIGBUS", NULL };
static const int signal_kinds[] = { EV_SIGSEGV, EV_SIGBUS };

static int signal_index(int kind)
{
	for (int i = 0; signal_names[i] != NULL; i++) {
		if (signal_kinds[i] == kind)
			return i;
	}
	return -1;
}

/*
 * Machine-wide, the kind bitmap answers even when the step emitted more
 * events than were kept; for one pid the kept events are searched.
 */
static int match_signal(struct session *s, int pid,
    const struct sc_observed *obs, int name, struct sbuf *why)
{
	const struct vm_event *other = NULL;

	(void)s;
	if (pid < 0 && sc_observed_kind(obs, signal_kinds[name]))
		return 1;
	for (size_t i = 0; i < obs->nevents; i++) {
		const struct vm_event *ev = &obs->events[i];
		int k = signal_index(ev->kind);

		if (k < 0)
			continue;
		if (k == name && (pid < 0 || ev->pid == pid))
			return 1;
		if (other == NULL)
			other = ev;
	}
	if (obs->truncated) {
		sbuf_printf(why, "not among the first %d events of the step; "
		    "split the step", SC_MAX_OBSERVED);
		return -1;
	}
	if (other != NULL)
		sbuf_printf(why, "pid %d got %s", other->pid,
		    signal_names[signal_index(other->kind)]);
	else
		sbuf_add(why, "no signal was delivered");
	return 0;
}

const struct sc_probe sc_probes[] = {
	{ "minor_faults", "minor faults", SC_PID_OPTIONAL, true,
	    read_minor_faults, NULL, SC_VALUE_COUNT, NULL, NULL },
	{ "major_faults", "major faults", SC_PID_OPTIONAL, true,
	    read_major_faults, NULL, SC_VALUE_COUNT, NULL, NULL },
	{ "rss", "resident pages", SC_PID_REQUIRED, false, read_rss, NULL,
	    SC_VALUE_COUNT, NULL, NULL },
	{ "vmas", "VMAs", SC_PID_REQUIRED, false, read_vmas, NULL,
	    SC_VALUE_COUNT, NULL, NULL },
	{ .name = "signal", .what = "signal delivered",
	    .pid = SC_PID_OPTIONAL, .type = SC_VALUE_NAME,
	    .names = signal_names, .match = match_signal },
	{ NULL, NULL, SC_PID_NONE, false, NULL, NULL, SC_VALUE_COUNT, NULL, NULL }
};

const struct sc_probe *sc_probe_find(const char *name)
{
	for (const struct sc_probe *p = sc_probes; p->name != NULL; p++) {
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}
