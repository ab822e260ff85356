/*
 * scenario-probe.h - the counters a scenario's "expect" can check, as one
 * table: each probe is a name (the key in "expect"), whether it looks at
 * one process, whether it is measured as the change over the step or as
 * the value after it, and a read function. Adding a check to the format
 * is adding one entry to sc_probes[] in src/scenario/probes.c (and a line
 * in doc/scenarios.md and data/scenario.schema.json).
 */
#ifndef VMSCOPE_SCENARIO_PROBE_H
#define VMSCOPE_SCENARIO_PROBE_H

#include "vmscope/events.h"
#include "vmscope/sbuf.h"

struct session;

/* Most events a step keeps for probes (the kind bitmap has them all). */
#define SC_MAX_OBSERVED	4096
#define SC_MAX_PROBES	32

/* What happened during a step, recorded from the event bus. */
struct sc_observed {
	unsigned char	 kinds[(NR_EVENT_KINDS + 7) / 8];	/* bitmap */
	struct vm_event	*events;	/* the first SC_MAX_OBSERVED */
	size_t		 nevents;
	bool		 truncated;	/* more than SC_MAX_OBSERVED */
	bool		 machine_replaced;	/* the step ran `machine` */
};

static inline bool sc_observed_kind(const struct sc_observed *obs, int kind)
{
	return (obs->kinds[kind / 8] >> (kind % 8)) & 1;
}

/*
 * What a probe's value is: a count compared with a range (faults, rss),
 * or one of a few names (signals), written as a string in the file.
 */
enum sc_value_type {
	SC_VALUE_COUNT,
	SC_VALUE_NAME,
};

enum sc_pid_rule {
	SC_PID_NONE,		/* machine-wide */
	SC_PID_OPTIONAL,	/* machine-wide, or one process with "pid" */
	SC_PID_REQUIRED,	/* always one process */
};

struct sc_probe {
	const char	*name;		/* key in "expect": "minor_faults" */
	const char	*what;		/* in results: "minor faults" */
	enum sc_pid_rule pid;
	/* The change over the step (faults) rather than the value after it. */
	bool		 delta;
	/*
	 * Read the value now; pid is -1 when none was given. obs is what the
	 * step emitted so far (NULL when reading before the step). 0, or -1
	 * with a reason in why ("no process 7"). NULL: not in this build yet;
	 * a scenario using the key is then refused at load, saying missing.
	 * Count probes only.
	 */
	int		(*read)(struct session *s, int pid,
			    const struct sc_observed *obs, uint64_t *val,
			    struct sbuf *why);
	const char	*missing;
	/* Zero for counts; name probes say so and give names and match. */
	enum sc_value_type type;
	const char *const *names;	/* the values allowed, NULL-terminated */
	/*
	 * Did names[name] happen during the step, to pid (-1: to any)? 1
	 * yes; 0 no, with what happened instead in why; -1 cannot tell,
	 * with why. NULL, like read: not in this build yet.
	 */
	int		(*match)(struct session *s, int pid,
			    const struct sc_observed *obs, int name,
			    struct sbuf *why);
};

extern const struct sc_probe sc_probes[];	/* ends with a NULL name */

const struct sc_probe *sc_probe_find(const char *name);

#endif
