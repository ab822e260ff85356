/*
 * tui.h - the full-screen front end (src/tui, ncurses) as the rest of
 * vmscope sees it: `vmscope tui [FILE]` calls tui_run, and main.c installs
 * tui_session_hook as session->tui_hook so the REPL's `tui` command can
 * open it on the current machine.
 */
#ifndef VMSCOPE_TUI_H
#define VMSCOPE_TUI_H

#include <stdbool.h>
#include <stddef.h>

struct session;

/*
 * A lesson built by the caller instead of read from a file (`vmscope
 * ostep FILE --tui`). A step is a command line and/or a question, with
 * narration; with neither it is narration only.
 */
struct tui_step {
	const char	*say;		/* or NULL */
	const char	*cmd;		/* or NULL */
	const char	*question;	/* or NULL */
	const char	*answer;
	const char	*explain;	/* shown after an answer, or NULL */
};

struct tui_lesson {
	const char	*title;		/* or NULL */
	const char	*description;	/* shown at step 0, or NULL */
	/*
	 * The machine the steps start from, as a state file's text
	 * (state.h): stepping back restores it and replays. NULL: a
	 * default machine.
	 */
	const char	*start_state;
	const struct tui_step *steps;
	size_t		 nsteps;
};

struct tui_options {
	const char	*file;		/* scenario or command file, or NULL */
	const struct tui_lesson *lesson; /* instead of a file, or NULL */
	bool		 no_color;	/* --no-color (NO_COLOR does the same) */
	bool		 ascii;		/* ASCII borders even in a UTF-8 locale */
};

/*
 * Run the TUI on the session until q. With a file, its commands become
 * the steps (from a default machine); with a lesson, its steps (from its
 * start state). Returns an exit status: 0, 1 when
 * the terminal cannot be used, 2 when the file cannot be read or parsed
 * (the message is printed).
 */
int	 tui_run(struct session *s, const struct tui_options *opt);
/* `vmscope tui [--no-color] [--ascii] [FILE]`: argv[0] is "tui". */
int	 tui_main(int argc, char **argv);
/* session->tui_hook: the TUI on the current machine. */
int	 tui_session_hook(struct session *s);

#endif
