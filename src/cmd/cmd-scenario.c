/*
 * cmd-scenario.c - the scenario commands of the command table: `load
 * FILE`, `step [N]` and `run`. Only their table entries and argument
 * handling live here, in libvmcore; the engine (JSON, hence cJSON) is in
 * src/scenario and is reached through the session's scenario_ops, which
 * the front end installs. That keeps one table for help, completion and
 * scenario checking, and keeps libvmcore free of cJSON.
 */
#include "vmscope/cmd.h"
#include "vmscope/session.h"

static int scenario_unavailable(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "scenarios are not available in this front end");
}

static int cmd_load_exec(struct cmd_ctx *ctx)
{
	const struct scenario_ops *ops = ctx->s->scenario_ops;

	if (ops == NULL || ops->load == NULL)
		return scenario_unavailable(ctx);
	return ops->load(ctx, ctx->args.argv[0]);
}

const struct cmd_entry cmd_load_entry = {
	.name = "load",
	.group = CMD_GROUP_SESSION,
	.usage = "load FILE",
	.summary = "load a scenario (JSON) and build its machine",
	.help = "  Read a scenario file, check all of it, then print its title and build\n"
	    "  the machine it asks for. 'step' plays the next step, 'run' the rest.\n"
	    "  A file with a mistake is refused with FILE:LINE:COL and what is wrong,\n"
	    "  and the current machine is kept. The format is in doc/scenarios.md.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_load_exec,
};

static int cmd_step_exec(struct cmd_ctx *ctx)
{
	const struct scenario_ops *ops = ctx->s->scenario_ops;
	long n = 1;

	if (ops == NULL || ops->step == NULL)
		return scenario_unavailable(ctx);
	if (ctx->args.argc == 1 &&
	    cmd_parse_int(ctx, "N", ctx->args.argv[0], 1, 1000000, &n) != 0)
		return -1;
	return ops->step(ctx, (unsigned long)n);
}

const struct cmd_entry cmd_step_entry = {
	.name = "step",
	.group = CMD_GROUP_SESSION,
	.usage = "step [N]",
	.summary = "play the next N steps of the loaded scenario (default 1)",
	.help = "  Play the next step (or N steps) of the scenario loaded with 'load':\n"
	    "  its narration, its command and output, the checks of its 'expect'\n"
	    "  (ok or FAILED) and its quiz question, which waits for your answer.\n"
	    "  Fails when a check of the steps played did not hold.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_step_exec,
};

static int cmd_run_exec(struct cmd_ctx *ctx)
{
	const struct scenario_ops *ops = ctx->s->scenario_ops;

	if (ops == NULL || ops->step == NULL)
		return scenario_unavailable(ctx);
	return ops->step(ctx, 0);
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.group = CMD_GROUP_SESSION,
	.usage = "run",
	.summary = "play the rest of the loaded scenario",
	.help = "  Play every remaining step of the scenario loaded with 'load', then\n"
	    "  print the tally of checks. Fails when any of them did not hold\n"
	    "  (in batch mode the exit status is then 1). 'vmscope run FILE' does\n"
	    "  the same from the shell.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_run_exec,
};
