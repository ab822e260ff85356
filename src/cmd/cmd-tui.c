/*
 * cmd-tui.c - the `tui` command: switch the session to the full-screen
 * view. The view itself is a front end (src/tui, curses) and stays out of
 * libvmcore; main.c installs it as session->tui_hook where a terminal can
 * host it, and this command only calls the hook.
 */
#include "vmscope/cmd.h"
#include "vmscope/session.h"

static int cmd_tui_exec(struct cmd_ctx *ctx)
{
	struct session *s = ctx->s;

	if (s->tui_hook == NULL)
		return cmd_error(ctx, "the TUI is not available here");
	if (s->tui_hook(s) != 0)
		return cmd_error(ctx, "the TUI could not start on this terminal");
	return 0;
}

const struct cmd_entry cmd_tui_entry = {
	.name = "tui",
	.group = CMD_GROUP_SESSION,
	.usage = "tui",
	.summary = "switch to the full-screen view; q comes back",
	.help = "  Show the current machine full screen: address space, page-table walk,\n"
	    "  physical frames, buddy free lists, TLB and the event log, with the\n"
	    "  commands run so far as steps to go back and forth through. ':' runs a\n"
	    "  command, '?' lists the keys, q returns to the prompt with the same\n"
	    "  state. Only from the interactive prompt (not in batch mode or inside\n"
	    "  the TUI itself).",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_tui_exec,
};
