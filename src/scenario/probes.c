/*
 * probes.c - the table of counters a scenario can check after a step
 * (see scenario-probe.h). Each probe reads the model directly; the player
 * does the before/after bookkeeping for delta probes and the comparison.
 *
 * Fault counts come from the same counters the views print: machine-wide
 * from /proc/vmstat's pgfault and pgmajfault (pgfault counts every fault,
 * major ones included, as in Linux), per process from the task's min_flt
 * and maj_flt (ps's MINFLT and MAJFLT).
 */
#include <string.h>

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

const struct sc_probe sc_probes[] = {
	{ "minor_faults", "minor faults", SC_PID_OPTIONAL, true,
	    read_minor_faults, NULL },
	{ "major_faults", "major faults", SC_PID_OPTIONAL, true,
	    read_major_faults, NULL },
	{ "rss", "resident pages", SC_PID_REQUIRED, false, read_rss, NULL },
	{ "vmas", "VMAs", SC_PID_REQUIRED, false, read_vmas, NULL },
	/*
	 * "a signal was delivered" needs a signal event from the fault
	 * handler; its value will be a signal name, not a number, so it
	 * also needs a name-typed probe in the player.
	 */
	{ "signal", "signal delivered", SC_PID_OPTIONAL, false, NULL,
	    "no signal events in the model yet" },
	{ NULL, NULL, SC_PID_NONE, false, NULL, NULL }
};

const struct sc_probe *sc_probe_find(const char *name)
{
	for (const struct sc_probe *p = sc_probes; p->name != NULL; p++) {
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}
