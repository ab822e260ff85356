/*
 * quiz.c - the REPL side of `exercise`: once the command has printed a
 * problem and left a quiz in the session, ask its questions one at a
 * time with readline, check each typed answer (exercise.h), explain a
 * wrong one and print the score at the end. The TUI can drive the same
 * struct quiz with its own input line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <readline/readline.h>

#include "vmscope/cli.h"
#include "vmscope/exercise.h"
#include "vmscope/session.h"

void cli_quiz(struct session *s)
{
	struct quiz *qz = s->quiz;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	while (!quiz_done(qz)) {
		const struct exercise_question *q = quiz_current(qz);
		char *line, *word;

		printf("%s\n", q->prompt);
		line = readline("answer> ");
		if (line == NULL) {
			putchar('\n');
			break;
		}
		word = line + strspn(line, " \t");
		if (strcasecmp(word, "stop") == 0 || strcasecmp(word, "quit") == 0) {
			free(line);
			break;
		}
		if (*word == '\0' || strcasecmp(word, "skip") == 0)
			quiz_skip(qz, &out);
		else
			quiz_answer(qz, word, &out);
		cli_flush(&out, &err);
		free(line);
	}
	if (!quiz_done(qz)) {
		sbuf_add(&out, "quiz stopped: ");
		quiz_score(qz, &out);
		cli_flush(&out, &err);
	}
	quiz_free(qz);
	s->quiz = NULL;
	sbuf_free(&out);
	sbuf_free(&err);
}
