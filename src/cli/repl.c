/*
 * repl.c - the interactive prompt (GNU readline): history kept in the
 * user's state directory, tab completion of command names and options
 * from the command table, Ctrl-C cancelling the line being typed, Ctrl-D
 * leaving.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "config.h"
#include "vmscope/cmd.h"
#include "vmscope/cli.h"
#include "vmscope/report-mem.h"
#include "vmscope/session.h"

#define HISTORY_MAX	1000

static volatile sig_atomic_t repl_sigint;

static void repl_on_sigint(int sig)
{
	(void)sig;
	repl_sigint = 1;
}

/* Called by readline when a read was interrupted by a signal. */
static int repl_signal_hook(void)
{
	if (repl_sigint) {
		repl_sigint = 0;
		rl_crlf();
		rl_replace_line("", 0);
		rl_on_new_line();
		rl_redisplay();
	}
	return 0;
}

static int mkdir_p(const char *path)
{
	char *p = xstrdup(path);

	for (char *q = p + 1; *q != '\0'; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*q = '/';
	}
	free(p);
	return 0;
}

char *cli_history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (state != NULL && state[0] == '/')
		return xasprintf("%s/vmscope/history", state);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/state/vmscope/history", home);
	return NULL;
}

/* Completion: the first word is a command; later words its options. */
static const struct cmd_entry *completing_entry;

static char *complete_command(const char *text, int state)
{
	static size_t i, len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (cmd_table[i] != NULL) {
		const struct cmd_entry *e = cmd_table[i++];

		if (strncmp(e->name, text, len) == 0)
			return xstrdup(e->name);
	}
	return NULL;
}

static char *complete_option(const char *text, int state)
{
	static const char *p;
	static size_t len;

	if (state == 0) {
		p = completing_entry != NULL ? completing_entry->options : NULL;
		len = strlen(text);
	}
	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char *opt;

		if (n > 0 && p[n - 1] == '=')
			n--;
		opt = xasprintf("--%.*s", (int)n, p);
		p = end != NULL ? end + 1 : NULL;
		if (strncmp(opt, text, len) == 0)
			return opt;
		free(opt);
	}
	return NULL;
}

static char **repl_complete(const char *text, int start, int end)
{
	char *first;
	size_t n;

	(void)end;
	rl_attempted_completion_over = 1;
	n = strspn(rl_line_buffer, " \t");
	/* The command word starts the line or follows a ';'. */
	{
		const char *semi = NULL;

		for (int i = 0; i < start; i++) {
			if (rl_line_buffer[i] == ';')
				semi = rl_line_buffer + i;
		}
		if (semi != NULL)
			n = (size_t)(semi - rl_line_buffer) + 1 +
			    strspn(semi + 1, " \t");
	}
	if ((size_t)start <= n)
		return rl_completion_matches(text, complete_command);
	first = xstrndup(rl_line_buffer + n, strcspn(rl_line_buffer + n, " \t;"));
	completing_entry = cmd_find(first, NULL);
	free(first);
	if (text[0] == '-')
		return rl_completion_matches(text, complete_option);
	return NULL;
}

int cli_repl(struct session *s, bool banner)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct sigaction sa;
	char *hist = cli_history_path();
	int failed = 0;

	if (banner) {
		sbuf_printf(&out, "%s %s, a Linux virtual-memory laboratory. "
		    "'help' lists commands.\n", PACKAGE_NAME, PACKAGE_VERSION);
		report_banner(s->m, &out);
		cli_flush(&out, &err);
	}
	rl_readline_name = "vmscope";
	rl_attempted_completion_function = repl_complete;
	rl_catch_signals = 0;
	rl_signal_event_hook = repl_signal_hook;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = repl_on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: interrupt read() */

	using_history();
	stifle_history(HISTORY_MAX);
	if (hist != NULL)
		read_history(hist);

	s->interactive = true;
	while (!s->quit) {
		char *line;

		if (s->quiz != NULL) {
			cli_quiz(s);	/* `exercise` left questions to ask */
			continue;
		}
		line = readline("vmscope> ");

		if (line == NULL) {
			putchar('\n');
			break;
		}
		if (line[strspn(line, " \t")] != '\0') {
			HIST_ENTRY *last = history_get(history_base + history_length - 1);

			if (last == NULL || strcmp(last->line, line) != 0)
				add_history(line);
			failed += cmd_run_line(s, line, &out, &err);
			cli_flush(&out, &err);
		}
		free(line);
	}
	if (hist != NULL) {
		if (mkdir_p(hist) == 0)
			write_history(hist);
		free(hist);
	}
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sbuf_free(&out);
	sbuf_free(&err);
	(void)failed;
	return 0;
}
