/*
 * cmd-session.c - commands about the session rather than the machine:
 * help (generated from the command table), quit, events (the log ring of
 * the event stream, as text or JSON Lines, to the output or a file) and
 * check (the whole-machine invariant checker).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/session.h"

static void help_one(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	cmd_print(ctx, "%s\n", e->usage);
	if (e->alias != NULL)
		cmd_print(ctx, "  (alias: %s)\n", e->alias);
	cmd_print(ctx, "%s\n", e->help != NULL ? e->help : e->summary);
}

static int cmd_help_exec(struct cmd_ctx *ctx)
{
	const struct cmd_entry *const *pp;

	if (ctx->args.argc == 1) {
		const struct cmd_entry *e = cmd_find(ctx->args.argv[0], NULL);

		if (e == NULL) {
			struct sbuf why = SBUF_INIT;

			cmd_find(ctx->args.argv[0], &why);
			sbuf_add(ctx->err, sbuf_str(&why));
			sbuf_free(&why);
			return -1;
		}
		help_one(ctx, e);
		return 0;
	}
	for (int g = 0; g < NR_CMD_GROUPS; g++) {
		bool header = false;

		for (pp = cmd_table; *pp != NULL; pp++) {
			if ((int)(*pp)->group != g)
				continue;
			if (!header) {
				cmd_print(ctx, "%s%s:\n", g == 0 ? "" : "\n",
				    cmd_group_names[g]);
				header = true;
			}
			cmd_print(ctx, "  %-14s %s\n", (*pp)->name, (*pp)->summary);
		}
	}
	cmd_print(ctx, "\n'help COMMAND' explains one command. Commands are separated by ';' or newlines;\n"
	    "'#' starts a comment. Numbers are decimal or 0x hex; sizes take K, M, G or p (pages).\n");
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = "?",
	.group = CMD_GROUP_SESSION,
	.usage = "help [COMMAND]",
	.summary = "list the commands, or explain one",
	.help = "  Without an argument, list every command by group. With one, print its\n"
	    "  usage and what it does, with the Linux functions it stands for.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_help_exec,
};

static int cmd_quit_exec(struct cmd_ctx *ctx)
{
	ctx->s->quit = true;
	return 0;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "exit-vmscope",
	.group = CMD_GROUP_SESSION,
	.usage = "quit",
	.summary = "leave vmscope (Ctrl-D does the same)",
	.help = "  Leave vmscope. Commands after it on the same line are not run.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_quit_exec,
};

/*
 * events --json FILE: the whole log (or its last N events) as JSON Lines in
 * a file, for jq or a notebook. The log is a ring: say so when it has
 * already dropped the oldest events, and where to get all of them.
 */
static int events_to_file(struct cmd_ctx *ctx, const char *path, size_t n)
{
	struct event_bus *bus = &ctx->m->ev;
	struct sbuf line = SBUF_INIT;
	FILE *fp = fopen(path, "w");
	bool bad;

	if (fp == NULL)
		return cmd_error(ctx, "%s: %s", path, strerror(errno));
	for (size_t i = n; i-- > 0;) {
		sbuf_reset(&line);
		event_format_json(event_log_get(bus, i), &line);
		sbuf_addc(&line, '\n');
		fwrite(line.s, 1, line.len, fp);
	}
	sbuf_free(&line);
	bad = ferror(fp) != 0;
	if (fclose(fp) != 0 || bad)	/* a full disk shows at the flush */
		return cmd_error(ctx, "%s: %s", path, strerror(errno));
	cmd_print(ctx, "%zu event%s written to %s\n", n, n == 1 ? "" : "s",
	    path);
	if (bus->seq > bus->log_len && n == bus->log_len)
		cmd_print(ctx, "(the log keeps the last %d events; 'vmscope "
		    "--events FILE' records all of them)\n", EVENT_LOG_SIZE);
	return 0;
}

static int cmd_events_exec(struct cmd_ctx *ctx)
{
	struct event_bus *bus = &ctx->m->ev;
	uint64_t n = 20;
	bool json = args_has(&ctx->args, "json"), have_n = false;
	const char *path = NULL;
	struct sbuf line = SBUF_INIT;

	/* [N] [FILE]: a number is N, any other word the file (with --json) */
	for (int i = 0; i < ctx->args.argc; i++) {
		const char *w = ctx->args.argv[i];

		if (!have_n && parse_u64(w, &n) == 0) {
			have_n = true;
			continue;
		}
		if (!json || path != NULL)
			return cmd_parse_u64(ctx, "N", w, &n);
		path = w;
	}
	if (path != NULL && !have_n)
		n = bus->log_len;
	if (n > bus->log_len)
		n = bus->log_len;
	if (path != NULL)
		return events_to_file(ctx, path, (size_t)n);
	for (size_t i = (size_t)n; i-- > 0;) {
		const struct vm_event *ev = event_log_get(bus, i);

		sbuf_reset(&line);
		if (json) {
			event_format_json(ev, &line);
			cmd_print(ctx, "%s\n", sbuf_str(&line));
		} else {
			event_format(ev, &line);
			cmd_print(ctx, "%6" PRIu64 " %-16s %-20s %s\n", ev->seq,
			    event_kind_name(ev->kind), event_kind_fn(ev->kind),
			    sbuf_str(&line));
		}
	}
	sbuf_free(&line);
	return 0;
}

const struct cmd_entry cmd_events_entry = {
	.name = "events",
	.group = CMD_GROUP_VIEW,
	.usage = "events [N] [--json [FILE]]",
	.summary = "the last N events of the model (default 20)",
	.help = "  Every step the model takes is an event: a watermark check, a buddy split,\n"
	    "  a page-table walk level, a fault... like the kernel's tracepoints\n"
	    "  (/sys/kernel/tracing). Each line: sequence number, event kind, the Linux\n"
	    "  function it stands for, and what happened. --json prints JSON Lines\n"
	    "  (one object per event: seq, cmd, kind, fn, the kind's fields, text);\n"
	    "  --json FILE writes them to FILE instead: the whole log (the last 8192\n"
	    "  events), or the last N. A FILE named like a number needs a path: ./100.\n"
	    "  To record every event of a session, start it with 'vmscope --events FILE'.",
	.args_min = 0,
	.args_max = 2,
	.options = "json",
	.exec = cmd_events_exec,
};

static int cmd_check_exec(struct cmd_ctx *ctx)
{
	char why[512];

	if (validate_machine(ctx->m, why, sizeof(why)) != 0)
		return cmd_error(ctx, "invariant violated: %s", why);
	cmd_print(ctx, "all invariants hold\n");
	return 0;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.group = CMD_GROUP_SESSION,
	.usage = "check",
	.summary = "check every invariant of the machine",
	.help = "  Run the whole-machine invariant checker (like the kernel's\n"
	    "  CONFIG_DEBUG_VM checks): buddy free lists and page accounting, and more\n"
	    "  as the model grows. Prints the first violation found.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_check_exec,
};
