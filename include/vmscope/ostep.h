/*
 * ostep.h - `vmscope ostep FILE`: read a problem printed by OSTEP's
 * paging-policy.py (vm-beyondphys-policy; its output without -c, or with
 * it), solve it with vmscope's reference-string simulator and print the
 * answer in the layout the simulator prints with -c.
 *
 * FIFO, LRU, MRU, OPT and UNOPT are deterministic. RAND and CLOCK draw
 * from Python's random module; vmscope replays the same stream (MT19937
 * seeded as random.seed(SEED), after the draws that generated the
 * addresses when they were generated), so their answers match too as long
 * as the ARG seed line and the generation parameters are present.
 *
 * It also reads the problems of paging-linear-translate.py and
 * paging-multilevel-translate.py (ostep-paging.c), answered with the
 * model's page tables; ostep_answer picks the simulator from the text.
 */
#ifndef VMSCOPE_OSTEP_H
#define VMSCOPE_OSTEP_H

#include "vmscope/sbuf.h"

struct machine;

struct ostep_problem {
	char		*policy;	/* as written: "FIFO" */
	unsigned long	 cachesize;
	unsigned long	 clockbits;
	uint64_t	 seed;
	unsigned long	 numaddrs;
	unsigned long	 maxpage;
	char		*addresses;	/* "-1" (generate) or "1,2,3" */
	char		*addressfile;	/* "" when none */
	bool		 notrace;
	struct sbuf	 args;		/* the ARG lines, to print back */
	uint64_t	*pages;		/* from the Access lines, or rebuilt */
	size_t		 npages;
};

/*
 * Parse the text of a problem (name is used in messages). Returns 0, or
 * -1 with "NAME:LINE:COL: what is wrong" in err.
 */
int	 ostep_parse(const char *text, const char *name,
	     struct ostep_problem *pb, struct sbuf *err);
/*
 * Write what `paging-policy.py ... -c` prints. Returns 0, or 1 after the
 * simulator's own "Policy X is not yet implemented" line.
 */
int	 ostep_solve(const struct ostep_problem *pb, struct sbuf *out);
void	 ostep_problem_free(struct ostep_problem *pb);

enum ostep_format {
	OSTEP_POLICY,		/* vm-beyondphys-policy/paging-policy.py */
	OSTEP_LINEAR,		/* vm-paging/paging-linear-translate.py */
	OSTEP_MULTILEVEL,	/* vm-smalltables/paging-multilevel-translate.py */
};

/* Which simulator printed this text (by its ARG and heading lines). */
enum ostep_format ostep_detect(const char *text);
/*
 * Read a problem of any of the three simulators and write its -c
 * answer. Returns 0; 1 when the simulator itself would stop (a policy
 * it lacks, an address outside the address space), with what it printed
 * so far; -1 with "NAME:LINE:COL: what is wrong" (or "NAME: ...") in err
 * when the text cannot be read or the model cannot hold the problem.
 */
int	 ostep_answer(const char *text, const char *name, struct sbuf *out,
	     struct sbuf *err);

/*
 * A walk-through of a problem for the TUI (`vmscope ostep FILE --tui`):
 * the steps to play, each narration, a command line and a question whose
 * answer is the simulator's (any of them may be NULL), on the machine m.
 * For the translation problems m is the problem's toy machine: pid 1
 * maps the problem's pages at the problem's frames through tables at the
 * problem's frames, all put there by the model's own fault path, so the
 * machine passes validate_machine and can be saved. For paging-policy.py
 * m is NULL: a default machine (refstring needs none).
 */
struct ostep_step {
	char		*say;
	char		*cmd;
	char		*question;
	char		*answer;
	char		*explain;	/* shown after an answer */
};

struct ostep_tour {
	char		*title;
	char		*description;	/* shown before the first step */
	struct machine	*m;
	struct ostep_step *steps;
	size_t		 nsteps;
};

/*
 * Build the walk-through of a problem of any of the three simulators.
 * Returns 0, or -1 with "NAME...: what is wrong" in err (the text cannot
 * be read, or the model cannot hold the problem).
 */
int	 ostep_tour(const char *text, const char *name, struct ostep_tour *tour,
	     struct sbuf *err);
void	 ostep_tour_free(struct ostep_tour *tour);
/* For the builders: append a step (strings copied; NULL for none). */
void	 ostep_tour_add(struct ostep_tour *tour, const char *say,
	     const char *cmd, const char *question, const char *answer,
	     const char *explain);
/* The walk-through of a paging-policy.py problem (ostep.c). */
int	 ostep_policy_tour(const struct ostep_problem *pb, const char *name,
	     struct ostep_tour *tour, struct sbuf *err);

#endif
