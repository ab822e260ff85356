/*
 * cmd-state.c - `save FILE` and `restore FILE`: the whole machine written
 * to and read from a JSON state file (doc/state.md). Only the table
 * entries live here, in libvmcore; the engine is JSON (src/scenario/
 * state.c, cJSON) and is reached through the session's scenario_ops, as
 * `load` reaches the scenario engine (cmd-scenario.c).
 */
#include "vmscope/cmd.h"
#include "vmscope/session.h"

static int cmd_save_exec(struct cmd_ctx *ctx)
{
	const struct scenario_ops *ops = ctx->s->scenario_ops;

	if (ops == NULL || ops->save == NULL)
		return cmd_error(ctx, "state files are not available in this "
		    "front end");
	return ops->save(ctx, ctx->args.argv[0]);
}

const struct cmd_entry cmd_save_entry = {
	.name = "save",
	.group = CMD_GROUP_SESSION,
	.usage = "save FILE",
	.summary = "write the whole machine to a state file (JSON)",
	.help = "  Write everything that defines the machine to FILE: its configuration,\n"
	    "  every frame's struct page, the buddy free lists in their order, the\n"
	    "  LRU lists, processes with their mm, VMAs and page tables, files and\n"
	    "  their page cache, anon_vmas, swap areas, the TLB and the counters.\n"
	    "  'restore FILE' brings it back; the format is in doc/state.md.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_save_exec,
};

static int cmd_restore_exec(struct cmd_ctx *ctx)
{
	const struct scenario_ops *ops = ctx->s->scenario_ops;

	if (ops == NULL || ops->restore == NULL)
		return cmd_error(ctx, "state files are not available in this "
		    "front end");
	return ops->restore(ctx, ctx->args.argv[0]);
}

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.group = CMD_GROUP_SESSION,
	.usage = "restore FILE",
	.summary = "replace the machine by the one saved in a state file",
	.help = "  Read a state file written by 'save', build a new machine from it and\n"
	    "  check every invariant (validate_machine) before it replaces the\n"
	    "  current one. A damaged file is refused with FILE:LINE:COL and what is\n"
	    "  wrong, or 'inconsistent state' and the broken invariant; the current\n"
	    "  machine is then kept. Saving a restored machine gives the same file.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_restore_exec,
};
