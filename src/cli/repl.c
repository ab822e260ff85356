/*
 * repl.c - the interactive prompt (GNU readline): history kept in the
 * user's state directory, tab completion of command names and options
 * from the command table, Ctrl-C cancelling the line being typed, Ctrl-D
 * leaving.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
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
#include "vmscope/mm.h"
#include "vmscope/report-mem.h"
#include "vmscope/scenario-library.h"
#include "vmscope/task.h"
#include "vmscope/session.h"

#define HISTORY_MAX	1000

static volatile sig_atomic_t repl_sigint;

static void repl_on_sigint(int sig)
{
	(void)sig;
	repl_sigint = 1;
}

/* Ctrl-C: drop the line being typed and start a fresh one. */
static void repl_cancel_line(void)
{
	repl_sigint = 0;
	rl_crlf();
	rl_replace_line("", 0);
	rl_point = rl_end = rl_mark = 0;
	rl_on_new_line();
	rl_redisplay();
}

/* Called by readline when a read was interrupted by a signal. */
static int repl_signal_hook(void)
{
	if (repl_sigint)
		repl_cancel_line();
	return 0;
}

/*
 * Ctrl-C may also arrive while readline is busy (drawing completions,
 * say) rather than blocked in read(): the characters typed after it are
 * then read without an interrupted read. The signal is delivered before
 * they can be read, so checking here keeps the order the user typed.
 */
static int repl_getc(FILE *stream)
{
	int c = rl_getc(stream);

	if (repl_sigint)
		repl_cancel_line();
	return c;
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

/*
 * Completion, driven by the command table: the first word of a command is
 * a command name; a word starting with "--" is one of its options; other
 * words are completed from what the usage string says stands there (PID:
 * live pids, ADDR: the VMA starts of the pid typed before it, FILE: paths,
 * and for `load` lesson names too), "file=" from the machine's files, and
 * the value of --zone from the zone names.
 */
static struct session *completing_session;
static const struct cmd_entry *completing_entry;
static char **cands;		/* candidates of the current completion */
static size_t ncands;

static void cands_reset(void)
{
	for (size_t i = 0; i < ncands; i++)
		free(cands[i]);
	free(cands);
	cands = NULL;
	ncands = 0;
}

static void cands_add(char *s)
{
	cands = xrealloc(cands, (ncands + 1) * sizeof(*cands));
	cands[ncands++] = s;
}

static char *complete_from_cands(const char *text, int state)
{
	static size_t i, len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (i < ncands) {
		const char *c = cands[i++];

		if (strncmp(c, text, len) == 0)
			return xstrdup(c);
	}
	return NULL;
}

static void add_commands(void)
{
	for (size_t i = 0; cmd_table[i] != NULL; i++)
		cands_add(xstrdup(cmd_table[i]->name));
}

static void add_options(const struct cmd_entry *e)
{
	const char *p = e != NULL ? e->options : NULL;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n > 0 && p[n - 1] == '=')
			n--;
		cands_add(xasprintf("--%.*s", (int)n, p));
		p = end != NULL ? end + 1 : NULL;
	}
}

static void add_pids(struct machine *m)
{
	struct task_struct *t;

	list_for_each_entry(t, &m->tasks, tasks)
		cands_add(xasprintf("%d", t->pid));
}

static void add_vma_starts(struct machine *m, const char *pidword)
{
	struct task_struct *t;
	uint64_t pid;

	if (pidword == NULL || parse_u64(pidword, &pid) != 0)
		return;
	list_for_each_entry(t, &m->tasks, tasks) {
		struct vm_area_struct *vma;

		if ((uint64_t)t->pid != pid || t->mm == NULL)
			continue;
		for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next)
			cands_add(xasprintf("0x%" PRIx64, vma->vm_start));
	}
}

static void add_files(struct machine *m, const char *prefix)
{
	struct vm_file *f;

	list_for_each_entry(f, &m->files, list)
		cands_add(xasprintf("%s%s", prefix, f->name));
}

static void add_zones(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		cands_add(xstrdup(zone_names[z]));
}

/* Lesson names of the scenario library, for `load`. */
static void add_lessons(void)
{
	char **dirs = scenario_dirs();

	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);

			if (n > 5 && strcmp(de->d_name + n - 5, ".json") == 0)
				cands_add(xstrndup(de->d_name, n - 5));
		}
		closedir(d);
	}
	scenario_dirs_free(dirs);
}

/* Paths, as readline completes file names. */
static void add_paths(const char *text)
{
	char *c;

	for (int state = 0; (c = rl_filename_completion_function(text, state)) != NULL;
	    state++)
		cands_add(c);
}

/*
 * The placeholder of the usage string for positional argument idx
 * ("PID", "ADDR", "FILE"...), brackets and alternatives stripped; NULL
 * past the end. The result is static.
 */
static const char *usage_slot(const struct cmd_entry *e, int idx)
{
	static char slot[64];
	const char *p = strchr(e->usage, ' ');
	int i = 0;

	while (p != NULL && *p != '\0') {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == 0)
			break;
		if (p[0] == '-' || (p[0] == '[' && p[1] == '-')) {
			p += n;
			continue;
		}
		if (i++ == idx) {
			size_t k = 0;

			for (size_t j = 0; j < n && k + 1 < sizeof(slot); j++) {
				if (p[j] == '[' || p[j] == ']')
					continue;
				if (p[j] == '|' || p[j] == '-' || p[j] == '+')
					break;
				slot[k++] = p[j];
			}
			slot[k] = '\0';
			return slot;
		}
		p += n;
	}
	return NULL;
}

static bool option_takes_value(const struct cmd_entry *e, const char *opt)
{
	const char *p = e->options;
	size_t len = strlen(opt);

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n == len + 1 && p[len] == '=' && strncmp(p, opt, len) == 0)
			return true;
		p = end != NULL ? end + 1 : NULL;
	}
	return false;
}

static char **repl_complete(const char *text, int start, int end)
{
	struct machine *m = completing_session->m;
	size_t cmdstart = 0;
	char **words = NULL, *upto;
	int nwords = 0, argidx = 0;
	const char *prev = NULL, *slot, *pidword = NULL;

	(void)end;
	rl_attempted_completion_over = 1;
	cands_reset();
	/* The command starts the line or follows the last ';' before text. */
	for (int i = 0; i < start; i++) {
		if (rl_line_buffer[i] == ';')
			cmdstart = (size_t)i + 1;
	}
	upto = xstrndup(rl_line_buffer + cmdstart, (size_t)start - cmdstart);
	if (cmd_split_words(upto, &words, &nwords, NULL) != 0)
		nwords = 0;
	free(upto);
	if (nwords == 0) {
		add_commands();
		goto out;
	}
	completing_entry = cmd_find(words[0], NULL);
	if (completing_entry == NULL)
		goto out;
	/* Count the positional words typed so far; note the one before. */
	for (int i = 1; i < nwords; i++) {
		if (strncmp(words[i], "--", 2) == 0) {
			if (option_takes_value(completing_entry, words[i] + 2))
				i++;
			continue;
		}
		if (argidx == 0)
			pidword = words[i];
		argidx++;
	}
	prev = words[nwords - 1];
	if (text[0] == '-' && text[1] == '-') {
		add_options(completing_entry);
	} else if (strcmp(prev, "--zone") == 0) {
		add_zones();
	} else if (strncmp(text, "file=", 5) == 0) {
		add_files(m, "file=");
	} else if ((slot = usage_slot(completing_entry, argidx)) != NULL) {
		if (strcmp(slot, "PID") == 0)
			add_pids(m);
		else if (strcmp(slot, "ADDR") == 0)
			add_vma_starts(m, pidword);
		else if (strcmp(slot, "FILE") == 0) {
			if (strcmp(completing_entry->name, "load") == 0)
				add_lessons();
			add_paths(text);
		} else if (strcmp(slot, "NAME") == 0 &&
		    strcmp(completing_entry->name, "file") != 0)
			add_files(m, "");
	}
out:
	cmd_free_words(words, nwords);
	return rl_completion_matches(text, complete_from_cands);
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
	completing_session = s;
	/* '=' belongs to words such as file=NAME; ';' separates commands. */
	rl_completer_word_break_characters = " \t;";
	rl_attempted_completion_function = repl_complete;
	rl_catch_signals = 0;
	rl_signal_event_hook = repl_signal_hook;
	rl_getc_function = repl_getc;
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
	cands_reset();
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sbuf_free(&out);
	sbuf_free(&err);
	(void)failed;
	return 0;
}
