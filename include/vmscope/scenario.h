/*
 * scenario.h - JSON scenarios: a lesson written as a machine, a list of
 * steps (narration, a command line, expectations checked after it, a quiz
 * question) and a player that runs them through the one command table and
 * writes a transcript.
 *
 * Loading is all-or-nothing: the file is parsed and every key, type,
 * command name, event kind and zone name is checked before anything runs,
 * and a mistake is reported as "FILE:LINE:COL: PATH: what is wrong". The
 * loaded struct scenario is plain C (no cJSON), so the player and the
 * front ends never see JSON. doc/scenarios.md documents the format and
 * data/scenario.schema.json describes it for editors.
 */
#ifndef VMSCOPE_SCENARIO_H
#define VMSCOPE_SCENARIO_H

#include "vmscope/sbuf.h"

struct session;

/* Files larger than this are refused before parsing. */
#define SCENARIO_MAX_SIZE	(1U << 20)

/* A number compared with [lo, hi] (both inclusive). */
struct sc_range {
	uint64_t	 lo;
	uint64_t	 hi;
};

enum sc_expect_kind {
	SC_OUTPUT_CONTAINS,	/* text in the step's output */
	SC_OUTPUT_EQUALS,	/* the whole output */
	SC_ERROR_CONTAINS,	/* the step fails, text in its error */
	SC_EVENT,		/* an event of this kind was emitted */
	SC_NO_EVENT,		/* no event of this kind was emitted */
	SC_FREE_PAGES,		/* a zone's free blocks of one order, or free pages */
	SC_PROBE,		/* a counter of the probe table */
};

struct sc_probe;

struct sc_expect {
	enum sc_expect_kind	 kind;
	char			*text;		/* output/error texts */
	int			 event;		/* enum event_kind */
	int			 node;		/* SC_FREE_PAGES */
	int			 zone;		/* enum zone_type */
	int			 order;		/* -1: all free pages of the zone */
	const struct sc_probe	*probe;		/* SC_PROBE */
	int			 pid;		/* -1: machine-wide */
	struct sc_range		 want;
	int			 name;		/* SC_PROBE of names: index */
};

struct sc_ask {
	char		*question;
	char		*answer;	/* with choices: the right choice's text */
	char	       **choices;
	int		 nchoices;
	int		 answer_choice;	/* 1-based; 0 without choices */
	char		*explain;	/* or NULL */
};

struct sc_step {
	char		*say;		/* narration, lines joined by '\n'; or NULL */
	char		*cmd;		/* the "do" line, or NULL */
	struct sc_expect *expects;
	int		 nexpects;
	struct sc_ask	*ask;		/* or NULL */
};

struct scenario {
	char		*path;		/* as given, for messages */
	char		*title;
	char		*description;	/* or NULL */
	char		*machine_line;	/* "machine --arch i386 --ram 64M" */
	unsigned	 machine_line_no;	/* where "machine" is, for errors */
	unsigned	 machine_col;
	struct sc_step	*steps;
	int		 nsteps;
	int		 nexpects;	/* over all steps */
	int		 nasks;
};

/*
 * Parse and validate a scenario from text; name is used in messages. On
 * failure return NULL with one line "NAME:LINE:COL: PATH: what is wrong\n"
 * in err. Nothing outside the returned object is touched.
 */
struct scenario *scenario_parse(const char *name, const char *text,
	    size_t len, struct sbuf *err);
/* Read and parse a file ("vmscope: FILE: No such file or directory"). */
struct scenario *scenario_load(const char *path, struct sbuf *err);
void	 scenario_free(struct scenario *sc);

/*
 * Quiz answers compare trimmed, with runs of blanks as one space and
 * ASCII letters in lower case. Returns a new string.
 */
char	*sc_normalize_answer(const char *s);

/*
 * A scenario being played. The player writes the transcript into out
 * (command errors included, so the transcript reads in order) and keeps
 * the tally of expectations.
 */
struct scenario_io {
	/*
	 * Show (and empty) out, the transcript so far, then read one answer
	 * line after prompt (caller frees; NULL at end of input). Used only
	 * when the session is interactive; otherwise questions are printed
	 * with their answer.
	 */
	char	*(*read_answer)(void *arg, struct sbuf *out, const char *prompt);
	void	*arg;
};

struct scenario_run {
	struct scenario		*sc;
	const struct scenario_io *io;	/* may be NULL */
	int			 next;		/* index of the next step */
	unsigned long		 held;		/* checks of "expect" */
	unsigned long		 failed;
	unsigned long		 cmd_failed;	/* commands failing unexpectedly */
	unsigned long		 asked;		/* quiz (interactive) */
	unsigned long		 right;
};

/*
 * Start playing: print the title and description and build the machine
 * (the `machine` command made from the "machine" object, run through the
 * command table). If that command fails, return -1 with
 * "FILE:LINE:COL: machine: ..." in err; the session's machine is then
 * unchanged, as `machine` guarantees.
 */
int	 scenario_start(struct session *s, struct scenario_run *run,
	     struct sbuf *out, struct sbuf *err);
/* Play the next step. Returns how many of its checks failed (0 if none). */
int	 scenario_step(struct session *s, struct scenario_run *run,
	     struct sbuf *out);
static inline bool scenario_done(const struct scenario_run *run)
{
	return run->next >= run->sc->nsteps;
}
/* "Result: 7 checks, 7 held, 0 failed." */
void	 scenario_summary(const struct scenario_run *run, struct sbuf *out);

/*
 * Give the session the `load`, `step` and `run` commands (they live in the
 * command table, but the engine is JSON and stays out of libvmcore; see
 * struct scenario_ops in session.h). io answers quiz questions in
 * interactive sessions; NULL prints the answers instead.
 */
void	 scenario_attach(struct session *s, const struct scenario_io *io);

#endif
