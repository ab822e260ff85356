/*
 * session.h - what a front end holds: the current machine and the state of
 * the command language around it (quit request, loaded scenario...). A
 * command that replaces the machine (`machine`, `restore`) swaps s->m only
 * once the new one is complete, so a failure keeps the old one.
 */
#ifndef VMSCOPE_SESSION_H
#define VMSCOPE_SESSION_H

#include "vmscope/machine.h"

struct cmd_ctx;
struct session;
struct quiz;

/*
 * The scenario engine behind the `load`, `step` and `run` commands. They
 * sit in the command table like any other command (so help, completion
 * and scenario checking see them), but scenarios are JSON and cJSON must
 * stay out of libvmcore: a front end that links the engine installs it
 * here (scenario_attach in scenario.h). Without it the commands say that
 * scenarios are not available.
 */
struct scenario_ops {
	int	(*load)(struct cmd_ctx *ctx, const char *path);
	/* Play n steps of the loaded scenario; 0 plays the rest. */
	int	(*step)(struct cmd_ctx *ctx, unsigned long n);
	/* Free the engine's state; called by session_free. */
	void	(*release)(struct session *s);
	/*
	 * `save FILE` / `restore FILE` (state.h): the whole machine as JSON.
	 * restore replaces s->m only once the new machine is complete.
	 */
	int	(*save)(struct cmd_ctx *ctx, const char *path);
	int	(*restore)(struct cmd_ctx *ctx, const char *path);
};

struct session {
	struct machine	*m;
	bool		 interactive;	/* REPL or TUI (vs batch) */
	bool		 quit;		/* `quit` was run */
	bool		 debug_checks;	/* validate after every command */
	unsigned long	 ncommands;
	const struct scenario_ops *scenario_ops;	/* NULL: no scenarios */
	void		*scenario;	/* the engine's state */
	/* A file named by a command could not be read or parsed: batch exit 2. */
	bool		 file_error;
	/*
	 * The full-screen front end, installed by main.c where a terminal
	 * can host it; the `tui` command calls it. NULL in batch mode, in
	 * tests and inside the TUI itself.
	 */
	int		(*tui_hook)(struct session *s);
	/*
	 * Interactive sessions journal every top-level command line: a
	 * default machine (session_new) replaying them reaches the same
	 * state, which is how the TUI steps back. Lines run by a command
	 * (scenario steps) are not journaled again; depth tells them apart.
	 */
	char		**journal;
	size_t		 njournal;
	int		 depth;		/* cmd_run_line nesting */
	/* The `exercise` quiz the REPL is asking, or NULL (exercise.h). */
	struct quiz	*quiz;
	/*
	 * A sink that must see every event of the session, whichever
	 * machine it runs (`vmscope --events FILE`): session_set_machine
	 * moves it to the new machine's bus. NULL when none.
	 */
	struct event_sink *recorder;
};

/* A session on the default machine. */
struct session *session_new(void);
void	 session_free(struct session *s);
/* Replace the machine; the old one is freed (the recorder follows). */
void	 session_set_machine(struct session *s, struct machine *m);
/* Subscribe sink to every event of the session from now on (or NULL: stop). */
void	 session_set_recorder(struct session *s, struct event_sink *sink,
	     event_sink_fn *fn, void *arg);
/* Append a line to the journal; drop the lines from n on. */
void	 session_journal_add(struct session *s, const char *line);
void	 session_journal_truncate(struct session *s, size_t n);

/*
 * Whole-machine invariant check: returns 0, or -1 with the first violation
 * written to why.
 */
int	 validate_machine(struct machine *m, char *why, size_t whylen);

#endif
