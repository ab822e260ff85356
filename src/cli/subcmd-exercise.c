/*
 * subcmd-exercise.c - the `vmscope exercise` and `vmscope ostep`
 * subcommands. `exercise` runs the `exercise` command of the command
 * language on a fresh batch session, so it prints exactly what the
 * command prints; `ostep` reads a problem of OSTEP's paging-policy.py,
 * paging-linear-translate.py or paging-multilevel-translate.py from a
 * file (or - for standard input) and prints the simulator's -c answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vmscope/cli.h"
#include "vmscope/cmd.h"
#include "vmscope/ostep.h"
#include "vmscope/session.h"

/* Quote a word for cmd_split_words. */
static void add_word(struct sbuf *line, const char *w)
{
	char q = strchr(w, '\'') != NULL ? '"' : '\'';

	sbuf_printf(line, " %c%s%c", q, w, q);
}

int cli_exercise_main(int argc, char **argv)
{
	struct sbuf line = SBUF_INIT, out = SBUF_INIT, err = SBUF_INIT;
	struct session *s;
	int failed;

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(argc < 2 ? stderr : stdout,
		    "Usage: %s exercise KIND [--seed N] [--solve] [OPTION]...\n"
		    "Print a generated problem; --solve adds the worked answer.\n"
		    "'%s -e \"help exercise\"' lists the kinds and options.\n",
		    PACKAGE_NAME, PACKAGE_NAME);
		return argc < 2 ? 2 : 0;
	}
	sbuf_add(&line, "exercise");
	for (int i = 1; i < argc; i++) {
		if (strchr(argv[i], '\'') != NULL && strchr(argv[i], '"') != NULL) {
			fprintf(stderr, "%s: exercise: bad argument '%s'\n",
			    PACKAGE_NAME, argv[i]);
			sbuf_free(&line);
			return 2;
		}
		add_word(&line, argv[i]);
	}
	s = session_new();
	failed = cmd_run_line(s, sbuf_str(&line), &out, &err);
	cli_flush(&out, &err);
	session_free(s);
	sbuf_free(&line);
	sbuf_free(&out);
	sbuf_free(&err);
	return failed ? 1 : 0;
}

static char *slurp(FILE *fp)
{
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_addn(&sb, buf, n);
	if (ferror(fp)) {
		sbuf_free(&sb);
		return NULL;
	}
	return sbuf_steal(&sb);
}

int cli_ostep_main(int argc, char **argv)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	const char *path;
	FILE *fp;
	char *text;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s ostep FILE\n"
		    "Answer a problem printed by OSTEP's paging-policy.py,\n"
		    "paging-linear-translate.py or paging-multilevel-translate.py (FILE -\n"
		    "for standard input) in the layout of its -c output.\n",
		    PACKAGE_NAME);
		return 2;
	}
	path = argv[1];
	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL) {
		fprintf(stderr, "%s: %s: %s\n", PACKAGE_NAME, path, strerror(errno));
		return 2;
	}
	text = slurp(fp);
	if (fp != stdin)
		fclose(fp);
	if (text == NULL) {
		fprintf(stderr, "%s: %s: read error\n", PACKAGE_NAME, path);
		return 2;
	}
	rc = ostep_answer(text, strcmp(path, "-") == 0 ? "<stdin>" : path,
	    &out, &err);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "%s: %s", PACKAGE_NAME, sbuf_str(&err));
		sbuf_free(&out);
		sbuf_free(&err);
		return 2;
	}
	cli_flush(&out, &err);
	sbuf_free(&out);
	sbuf_free(&err);
	return rc;
}
