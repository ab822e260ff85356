/*
 * cli-scenario.c - scenarios from the shell: `vmscope run FILE` (play it,
 * print the transcript, exit 0 only when every check held), `vmscope
 * check FILE...` (validate without playing), and the line reader that
 * asks quiz questions in interactive sessions (the REPL's `step`/`run`,
 * `vmscope run --interactive`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>

#include "vmscope/cli.h"
#include "vmscope/scenario.h"
#include "vmscope/session.h"

/*
 * On a terminal, readline (no history: answers are not commands). From a
 * pipe, a plain line, echoed so a transcript shows what was answered.
 */
static char *cli_read_answer(void *arg, struct sbuf *out, const char *prompt)
{
	struct sbuf err = SBUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	(void)arg;
	cli_flush(out, &err);
	sbuf_free(&err);
	if (isatty(STDIN_FILENO))
		return readline(prompt);
	fputs(prompt, stdout);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		fputs("\n", stdout);
		fflush(stdout);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	printf("%s\n", line);
	fflush(stdout);
	return line;
}

const struct scenario_io cli_scenario_io = {
	.read_answer = cli_read_answer,
	.arg = NULL,
};

int cli_scenario_run(struct session *s, const char *path, bool interactive)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct scenario_run run;
	int rc;

	memset(&run, 0, sizeof(run));
	run.sc = scenario_load(path, &err);
	if (run.sc == NULL) {
		cli_flush(&out, &err);
		sbuf_free(&err);
		return 2;
	}
	run.io = &cli_scenario_io;
	s->interactive = interactive;
	if (scenario_start(s, &run, &out, &err) != 0) {
		cli_flush(&out, &err);
		rc = 2;
		goto out;
	}
	cli_flush(&out, &err);
	while (!scenario_done(&run)) {
		scenario_step(s, &run, &out);
		cli_flush(&out, &err);	/* a long lesson shows as it goes */
	}
	sbuf_addc(&out, '\n');
	scenario_summary(&run, &out);
	cli_flush(&out, &err);
	rc = run.failed > 0 || run.cmd_failed > 0 ? 1 : 0;
out:
	scenario_free(run.sc);
	sbuf_free(&out);
	sbuf_free(&err);
	return rc;
}

int cli_scenario_check(int nfiles, char **files)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	int rc = 0;

	for (int i = 0; i < nfiles; i++) {
		struct scenario_run run;
		struct session *s;
		struct sbuf discard = SBUF_INIT;

		memset(&run, 0, sizeof(run));
		run.sc = scenario_load(files[i], &err);
		if (run.sc == NULL) {
			cli_flush(&out, &err);
			rc = 2;
			continue;
		}
		/*
		 * The machine's option values are only known to be right once
		 * `machine` accepted them: build it in a scratch session.
		 */
		s = session_new();
		if (scenario_start(s, &run, &discard, &err) != 0)
			rc = 2;
		else
			sbuf_printf(&out, "%s: ok (%d step%s, %d check%s, %d question%s)\n",
			    files[i], run.sc->nsteps, run.sc->nsteps == 1 ? "" : "s",
			    run.sc->nexpects, run.sc->nexpects == 1 ? "" : "s",
			    run.sc->nasks, run.sc->nasks == 1 ? "" : "s");
		cli_flush(&out, &err);
		sbuf_free(&discard);
		session_free(s);
		scenario_free(run.sc);
	}
	sbuf_free(&out);
	sbuf_free(&err);
	return rc;
}
