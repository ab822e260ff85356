/*
 * batch.c - running commands without a prompt: `vmscope -e 'cmd; cmd'` and
 * commands piped on standard input. Output goes to stdout, errors to
 * stderr; the exit status is 1 when any command failed, 2 when a file a
 * command named (a scenario to `load`) could not be read or parsed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmscope/cmd.h"
#include "vmscope/cli.h"
#include "vmscope/session.h"

void cli_flush(struct sbuf *out, struct sbuf *err)
{
	if (out->len > 0) {
		fwrite(out->s, 1, out->len, stdout);
		sbuf_reset(out);
	}
	fflush(stdout);
	if (err->len > 0) {
		fwrite(err->s, 1, err->len, stderr);
		sbuf_reset(err);
	}
	fflush(stderr);
}

int cli_run_string(struct session *s, const char *cmds)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	int failed;

	failed = cmd_run_line(s, cmds, &out, &err);
	cli_flush(&out, &err);
	sbuf_free(&out);
	sbuf_free(&err);
	if (s->file_error)
		return 2;	/* `load` of a file that cannot be read or parsed */
	return failed ? 1 : 0;
}

int cli_run_stream(struct session *s, FILE *fp)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	int failed = 0;

	while (!s->quit && getline(&line, &cap, fp) != -1) {
		failed += cmd_run_line(s, line, &out, &err);
		cli_flush(&out, &err);
	}
	free(line);
	sbuf_free(&out);
	sbuf_free(&err);
	if (s->file_error)
		return 2;
	return failed ? 1 : 0;
}
