/*
 * cmd.h - the one command language (after tmux's cmd_entry table). Each
 * command is a const struct cmd_entry in a src/cmd/cmd-*.c file, collected
 * in cmd_table[]. The REPL, `-e`, stdin batch mode, scenario steps and the
 * TUI's `:` prompt all run commands through cmd_run_line(); help text,
 * completion and scenario validation come from the same table.
 */
#ifndef VMSCOPE_CMD_H
#define VMSCOPE_CMD_H

#include "vmscope/sbuf.h"

struct session;
struct machine;

enum cmd_group {
	CMD_GROUP_MACHINE,
	CMD_GROUP_PROCESS,
	CMD_GROUP_ADDRESS_SPACE,
	CMD_GROUP_ACCESS,
	CMD_GROUP_PHYSICAL,
	CMD_GROUP_VIEW,
	CMD_GROUP_SESSION,
	NR_CMD_GROUPS
};

extern const char *const cmd_group_names[NR_CMD_GROUPS];

#define CMD_MAX_OPTS	16
#define CMD_MAX_ARGS	64

/* Parsed arguments: positional words, and --name [value] options. */
struct args {
	int		 argc;
	char		*argv[CMD_MAX_ARGS];
	int		 nopts;
	struct {
		const char *name;	/* without the dashes */
		char	   *value;	/* NULL for a flag */
	} opts[CMD_MAX_OPTS];
};

struct cmd_ctx;

struct cmd_entry {
	const char	*name;
	const char	*alias;		/* or NULL */
	enum cmd_group	 group;
	const char	*usage;		/* "alloc_pages ORDER [--zone NAME]" */
	const char	*summary;	/* one line for `help` */
	const char	*help;		/* paragraphs naming the Linux functions */
	int		 args_min;	/* positional words */
	int		 args_max;	/* -1: no limit */
	/*
	 * Options it takes, comma-separated; "name=" takes a value,
	 * "name" is a flag. Example: "zone=,node=".
	 */
	const char	*options;
	int		(*exec)(struct cmd_ctx *ctx);
};

struct cmd_ctx {
	struct session		*s;
	struct machine		*m;	/* s->m when the command started */
	const struct cmd_entry	*entry;
	struct args		 args;
	struct sbuf		*out;	/* results */
	struct sbuf		*err;	/* error messages */
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Look up a command by name, alias or unique prefix. On failure returns
 * NULL and, when err is given, explains (unknown, or ambiguous with the
 * candidates).
 */
const struct cmd_entry *cmd_find(const char *name, struct sbuf *err);

/*
 * Run one line: commands separated by ';' (or newlines), '#' starts a
 * comment. Output goes to out, error messages (one line each, "vmscope:
 * CMD: what is wrong") to err. Returns the number of commands that failed.
 * A failing command changes nothing; the next ones still run.
 */
int	 cmd_run_line(struct session *s, const char *line, struct sbuf *out,
	     struct sbuf *err);

/*
 * Check a line without running it: quoting, command names, options and
 * argument counts, with the messages cmd_run_line would give. fn, when
 * given, is shown each command found and may refuse it (returning -1
 * after writing why to err): scenarios refuse `load` in a step. Returns
 * the number of bad commands.
 */
int	 cmd_check_line(const char *line, struct sbuf *err,
	     int (*fn)(void *arg, const struct cmd_entry *e, struct sbuf *err),
	     void *arg);

/* Split a line into words (quotes '..' and ".." group). -1 on bad quoting. */
int	 cmd_split_words(const char *line, char ***words, int *nwords,
	     struct sbuf *err);
void	 cmd_free_words(char **words, int nwords);

/* Report an error for the running command; always returns -1. */
int	 cmd_error(struct cmd_ctx *ctx, const char *fmt, ...) __printf(2, 3);
/* Print to the command's output. */
void	 cmd_print(struct cmd_ctx *ctx, const char *fmt, ...) __printf(2, 3);

/* Options. */
bool	 args_has(const struct args *a, const char *name);
const char *args_get(const struct args *a, const char *name);

/*
 * Number parsing for commands; each reports its own error through ctx
 * ("vmscope: CMD: WHAT: 'x1' is not a number") and returns -1.
 */
int	 cmd_parse_u64(struct cmd_ctx *ctx, const char *what, const char *s,
	     uint64_t *val);
int	 cmd_parse_int(struct cmd_ctx *ctx, const char *what, const char *s,
	     long min, long max, long *val);
/* SIZE: bytes, K/M/G suffixes (powers of 1024), or Np pages. */
int	 cmd_parse_size(struct cmd_ctx *ctx, const char *what, const char *s,
	     uint64_t *val);
/* Plain parsers without messages (0 or -1), usable outside commands. */
int	 parse_u64(const char *s, uint64_t *val);
int	 parse_size(const char *s, uint64_t page_size, uint64_t *val);
/* Format a byte size for humans: "256 MiB", "4 KiB", "1536 B". */
void	 format_size(struct sbuf *sb, uint64_t bytes);

#endif
