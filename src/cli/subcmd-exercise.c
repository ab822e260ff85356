/*
 * subcmd-exercise.c - the `vmscope exercise` and `vmscope ostep`
 * subcommands. `exercise` runs the `exercise` command of the command
 * language on a fresh batch session, so it prints exactly what the
 * command prints; `ostep` reads a problem of OSTEP's paging-policy.py,
 * paging-linear-translate.py or paging-multilevel-translate.py from a
 * file (or - for standard input) and prints the simulator's -c answer,
 * or with --tui opens the full-screen view on its walk-through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vmscope/cli.h"
#include "vmscope/cmd.h"
#include "vmscope/ostep.h"
#include "vmscope/scenario.h"
#include "vmscope/session.h"
#include "vmscope/state.h"
#include "vmscope/tui.h"

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

/*
 * `ostep FILE --tui`: the problem's walk-through (ostep_tour) as a TUI
 * lesson. Its toy machine becomes the lesson's start state as state-file
 * text, which the timeline restores each time it steps back.
 */
static int ostep_tui(const char *text, const char *name,
    const struct tui_options *base)
{
	struct tui_options opt = *base;
	struct tui_lesson lesson = { 0 };
	struct tui_step *steps;
	struct ostep_tour tour;
	struct sbuf err = SBUF_INIT, state = SBUF_INIT;
	struct session *s;
	int rc;

	if (ostep_tour(text, name, &tour, &err) != 0) {
		fprintf(stderr, "%s: %s", PACKAGE_NAME, sbuf_str(&err));
		sbuf_free(&err);
		return 2;
	}
	steps = xcalloc(tour.nsteps + 1, sizeof(*steps));
	for (size_t i = 0; i < tour.nsteps; i++) {
		steps[i].say = tour.steps[i].say;
		steps[i].cmd = tour.steps[i].cmd;
		steps[i].question = tour.steps[i].question;
		steps[i].answer = tour.steps[i].answer;
		steps[i].explain = tour.steps[i].explain;
	}
	if (tour.m != NULL)
		state_write(tour.m, &state);
	lesson.title = tour.title;
	lesson.description = tour.description;
	lesson.start_state = tour.m != NULL ? sbuf_str(&state) : NULL;
	lesson.steps = steps;
	lesson.nsteps = tour.nsteps;
	opt.lesson = &lesson;
	opt.file = NULL;
	s = session_new();
	scenario_attach(s, NULL);
	rc = tui_run(s, &opt);
	session_free(s);
	free(steps);
	ostep_tour_free(&tour);
	sbuf_free(&state);
	sbuf_free(&err);
	return rc;
}

static void ostep_usage(FILE *fp)
{
	fprintf(fp, "Usage: %s ostep FILE [--tui [--no-color] [--ascii]]\n"
	    "Answer a problem printed by OSTEP's paging-policy.py,\n"
	    "paging-linear-translate.py or paging-multilevel-translate.py (FILE -\n"
	    "for standard input) in the layout of its -c output. With --tui, step\n"
	    "through it in the full-screen view instead: a question per reference\n"
	    "or address, then the model's answer (refstring, or translate on the\n"
	    "problem's own page tables).\n", PACKAGE_NAME);
}

int cli_ostep_main(int argc, char **argv)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct tui_options topt = { 0 };
	const char *path = NULL;
	bool tui = false;
	FILE *fp;
	char *text;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			ostep_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--tui") == 0) {
			tui = true;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			topt.no_color = true;
		} else if (strcmp(argv[i], "--ascii") == 0) {
			topt.ascii = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "%s: ostep: unknown option '%s'\n",
			    PACKAGE_NAME, argv[i]);
			ostep_usage(stderr);
			return 2;
		} else if (path == NULL) {
			path = argv[i];
		} else {
			fprintf(stderr, "%s: ostep: one file at most ('%s' is "
			    "extra)\n", PACKAGE_NAME, argv[i]);
			return 2;
		}
	}
	if (path == NULL || ((topt.no_color || topt.ascii) && !tui)) {
		if (path != NULL)
			fprintf(stderr, "%s: ostep: --no-color and --ascii go with "
			    "--tui\n", PACKAGE_NAME);
		ostep_usage(stderr);
		return 2;
	}
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
	if (tui) {
		rc = ostep_tui(text, strcmp(path, "-") == 0 ? "<stdin>" : path,
		    &topt);
		free(text);
		return rc;
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
