/*
 * cli.h - the line-oriented front ends: the readline REPL and the batch
 * runner for `-e` and commands piped on standard input.
 */
#ifndef VMSCOPE_CLI_H
#define VMSCOPE_CLI_H

#include <stdio.h>

#include "vmscope/sbuf.h"

struct session;

/* Interactive prompt until quit or end of input. Returns the exit status. */
int	 cli_repl(struct session *s, bool banner);
/* Run a command string (-e). Exit status: 0, or 1 if any command failed. */
int	 cli_run_string(struct session *s, const char *cmds);
/* Run commands read from a stream, without prompts. Same exit status. */
int	 cli_run_stream(struct session *s, FILE *fp);
/* Print one command's output and errors to stdout and stderr. */
void	 cli_flush(struct sbuf *out, struct sbuf *err);
/* Where the REPL history lives (caller frees), NULL if no home. */
char	*cli_history_path(void);

#endif
