/*
 * cmd-top.c - the `top` view: a deterministic snapshot of top(1). The
 * report is src/report/top.c.
 */
#include "vmscope/cmd.h"
#include "vmscope/report-top.h"
#include "vmscope/session.h"

static int cmd_top_exec(struct cmd_ctx *ctx)
{
	report_top(ctx->m, ctx->s->ncommands, ctx->out);
	return 0;
}

const struct cmd_entry cmd_top_entry = {
	.name = "top",
	.group = CMD_GROUP_VIEW,
	.usage = "top",
	.summary = "memory summary and processes, as top(1)",
	.help =
	    "  One screen of top (procps-ng, 'top -b -n 1'): the summary lines\n"
	    "  (tasks, MiB Mem and MiB Swap as free(1) counts them: used = total -\n"
	    "  available, buff/cache = page cache + SReclaimable) and one row per\n"
	    "  process. VIRT is total_vm (the VMAs' size), RES is VmRSS (the\n"
	    "  resident pages, rss_stat), SHR is RssFile + RssShmem (the resident\n"
	    "  pages that could be shared), all in KiB; %MEM is RES over MemTotal.\n"
	    "  A VMA costs VIRT, only a touched page costs RES.\n"
	    "\n"
	    "  vmscope has no clock: the time of day is the number of commands\n"
	    "  run, as seconds; %CPU and TIME+ are 0 and rows are in pid order.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_top_exec,
};
