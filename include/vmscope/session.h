/*
 * session.h - what a front end holds: the current machine and the state of
 * the command language around it (quit request, loaded scenario...). A
 * command that replaces the machine (`machine`, `restore`) swaps s->m only
 * once the new one is complete, so a failure keeps the old one.
 */
#ifndef VMSCOPE_SESSION_H
#define VMSCOPE_SESSION_H

#include "vmscope/machine.h"

struct session {
	struct machine	*m;
	bool		 interactive;	/* REPL or TUI (vs batch) */
	bool		 quit;		/* `quit` was run */
	bool		 debug_checks;	/* validate after every command */
	unsigned long	 ncommands;
};

/* A session on the default machine. */
struct session *session_new(void);
void	 session_free(struct session *s);
/* Replace the machine; the old one is freed. */
void	 session_set_machine(struct session *s, struct machine *m);

/*
 * Whole-machine invariant check: returns 0, or -1 with the first violation
 * written to why.
 */
int	 validate_machine(struct machine *m, char *why, size_t whylen);

#endif
