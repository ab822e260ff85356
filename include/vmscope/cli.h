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
/* Ask the questions of s->quiz one by one, then free it (quiz.c). */
void	 cli_quiz(struct session *s);
/*
 * `vmscope exercise KIND ...` and `vmscope ostep FILE` (subcmd-exercise.c);
 * argv[0] is the subcommand. Return the exit status.
 */
int	 cli_exercise_main(int argc, char **argv);
int	 cli_ostep_main(int argc, char **argv);

/* Scenarios (cli-scenario.c). */
struct scenario_io;
/* Quiz answers: readline on a terminal, plain lines from a pipe. */
extern const struct scenario_io cli_scenario_io;
/*
 * `vmscope run FILE`: the transcript on stdout. Exit status 0 when every
 * check held, 1 otherwise, 2 when the file cannot be read or is wrong.
 */
int	 cli_scenario_run(struct session *s, const char *path, bool interactive);
/* `vmscope check FILE...`: validate each; 0, or 2 if any is wrong. */
int	 cli_scenario_check(int nfiles, char **files);
/* `vmscope list [--dirs]`: the scenarios found by name (cli-library.c). */
int	 cli_list_main(int argc, char **argv);

/*
 * `vmscope --events FILE` (record.c): write every event of the session to
 * FILE ("-": standard output) as JSON Lines until cli_record_close, which
 * reports a write error. Both return 0 or -1 after a message on stderr.
 */
int	 cli_record_open(struct session *s, const char *path);
int	 cli_record_close(struct session *s);

#endif
