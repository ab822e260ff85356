/*
 * cmd-explain.c - `explain [N]`: the last command's events (or the last N
 * events) in plain words, each with the Linux function it stands for and
 * why it happened. The texts are src/core/explain.c, shared with the TUI;
 * the events come from the machine's log ring (events.h).
 */
#include <inttypes.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/explain.h"
#include "vmscope/session.h"

#define EXPLAIN_WIDTH	76
#define EXPLAIN_INDENT	"        "

/* Word-wrap text into the output, each line indented. */
static void print_wrapped(struct cmd_ctx *ctx, const char *text)
{
	const char *p = text;
	size_t width = EXPLAIN_WIDTH - strlen(EXPLAIN_INDENT);

	while (*p != '\0') {
		size_t n = strlen(p), cut;

		if (n > width) {
			cut = width;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
			n = cut;
		}
		cmd_print(ctx, EXPLAIN_INDENT "%.*s\n", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
}

static int cmd_explain_exec(struct cmd_ctx *ctx)
{
	struct event_bus *bus = &ctx->m->ev;
	const struct vm_event *ev;
	bool told[NR_EVENT_KINDS];
	struct sbuf line = SBUF_INIT;
	uint64_t n = 0;
	size_t i, count;
	uint32_t cmd;

	if (ctx->args.argc == 1 &&
	    cmd_parse_u64(ctx, "N", ctx->args.argv[0], &n) != 0)
		return -1;
	if (ctx->args.argc == 1 && n == 0)
		return cmd_error(ctx, "N must be at least 1");
	ev = event_log_get(bus, 0);
	if (ev == NULL) {
		cmd_print(ctx, "no events yet: run a command first\n");
		return 0;
	}
	if (ctx->args.argc == 0) {
		/* the newest events that share the last command's number */
		cmd = ev->cmd;
		for (count = 0; (ev = event_log_get(bus, count)) != NULL &&
		    ev->cmd == cmd; count++)
			;
		cmd_print(ctx, "The last command (number %" PRIu32 ") caused %zu "
		    "event%s:\n", cmd, count, count == 1 ? "" : "s");
	} else {
		count = n > bus->log_len ? bus->log_len : (size_t)n;
		cmd_print(ctx, "The last %zu event%s:\n", count,
		    count == 1 ? "" : "s");
	}
	memset(told, 0, sizeof(told));
	for (i = count; i-- > 0;) {
		const char *why;

		ev = event_log_get(bus, i);
		sbuf_reset(&line);
		event_format(ev, &line);
		cmd_print(ctx, "%6" PRIu64 " %s(): %s\n", ev->seq,
		    event_kind_fn(ev->kind), sbuf_str(&line));
		if (told[ev->kind])
			continue;	/* said once is enough */
		told[ev->kind] = true;
		why = explain_event_kind(ev->kind);
		if (why != NULL)
			print_wrapped(ctx, why);
		else
			cmd_print(ctx, EXPLAIN_INDENT "(%s in the Linux source)\n",
			    event_kind_fn(ev->kind));
	}
	sbuf_free(&line);
	return 0;
}

const struct cmd_entry cmd_explain_entry = {
	.name = "explain",
	.group = CMD_GROUP_VIEW,
	.usage = "explain [N]",
	.summary = "the last command's events (or the last N) in plain words",
	.help =
	    "  Tell the story of the last command that did something: each of its\n"
	    "  events (as 'events' shows them), with the Linux function it stands\n"
	    "  for and, the first time a kind appears, what the kernel is doing\n"
	    "  there and why. With N, the last N events whatever command caused\n"
	    "  them. The same explanations appear under the event log in the TUI.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_explain_exec,
};
