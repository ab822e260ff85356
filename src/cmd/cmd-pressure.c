/*
 * cmd-pressure.c - the memory-pressure commands: swapon, swapoff, swaps
 * (/proc/swaps), reclaim (run reclaim now) and oom_score_adj. The model
 * is src/core/swap.c, vmscan.c and oom_kill.c; /proc/swaps is rendered by
 * src/report/proc-mem.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/report-mem.h"
#include "vmscope/session.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/vmscan.h"

static int cmd_swapon_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	uint64_t size;
	unsigned type;
	int err;

	if (cmd_parse_size(ctx, "size", ctx->args.argv[0], &size) != 0)
		return -1;
	err = swapon(m, size, &type);
	if (err == -EINVAL)
		return cmd_error(ctx, "size %s is too small: a swap area needs "
		    "a header page and at least one slot", ctx->args.argv[0]);
	if (err == -EPERM)
		return cmd_error(ctx, "all %d swap areas are in use",
		    MAX_SWAP_AREAS);
	cmd_print(ctx, "swapon %s: %lu pages, priority %d\n",
	    m->swap_info[type]->name, m->swap_info[type]->pages,
	    m->swap_info[type]->prio);
	return 0;
}

const struct cmd_entry cmd_swapon_entry = {
	.name = "swapon",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "swapon SIZE",
	.summary = "add a swap area of SIZE",
	.help = "  Turn on a new swap area (a swap file /swapfile, /swapfile1...) of\n"
	    "  SIZE. Its first page is the swap header, so SIZE/page-size - 1 slots\n"
	    "  are usable, as /proc/swaps shows. Each new area gets the next lower\n"
	    "  priority (-2, -3...); reclaim fills the highest priority first.\n"
	    "  Linux: mm/swapfile.c, sys_swapon.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_swapon_exec,
};

static int swapoff_one(struct cmd_ctx *ctx, unsigned type)
{
	struct machine *m = ctx->m;
	char name[32];
	unsigned long used = m->swap_info[type]->inuse_pages;
	int err;

	snprintf(name, sizeof(name), "%s", m->swap_info[type]->name);
	err = swapoff(m, type);
	if (err == -ENOMEM) {
		/* a simulated failure: a result, as swapoff(8) prints it */
		cmd_print(ctx, "swapoff: %s: swapoff failed: Cannot allocate "
		    "memory\n", name);
		return 0;
	}
	cmd_print(ctx, "swapoff %s: %lu pages brought back in\n", name, used);
	return 0;
}

static int cmd_swapoff_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	const char *which = ctx->args.argc > 0 ? ctx->args.argv[0] : NULL;
	unsigned i;
	bool any = false;

	for (i = 0; i < m->nr_swapfiles; i++) {
		struct swap_info_struct *si = m->swap_info[i];

		if (si == NULL)
			continue;
		if (which != NULL && strcmp(which, "all") != 0 &&
		    strcmp(which, si->name) != 0)
			continue;
		any = true;
		if (swapoff_one(ctx, i) != 0)
			return -1;
	}
	if (!any) {
		if (which != NULL && strcmp(which, "all") != 0)
			return cmd_error(ctx, "%s: no such swap area (see `swaps`)",
			    which);
		return cmd_error(ctx, "no swap area is on");
	}
	return 0;
}

const struct cmd_entry cmd_swapoff_entry = {
	.name = "swapoff",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "swapoff [FILE|all]",
	.summary = "turn swap areas off, bringing their pages back in",
	.help = "  Turn off one swap area (by its name in `swaps`) or all of them (the\n"
	    "  default). Every page in the area is read back into memory first\n"
	    "  (try_to_unuse: each swap PTE of every process is faulted in, pswpin);\n"
	    "  when memory cannot take them the area stays on and swapoff fails with\n"
	    "  ENOMEM, as swapoff(8) does. Linux: mm/swapfile.c, sys_swapoff.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_swapoff_exec,
};

static int cmd_swaps_exec(struct cmd_ctx *ctx)
{
	report_swaps(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_swaps_entry = {
	.name = "swaps",
	.group = CMD_GROUP_VIEW,
	.usage = "swaps",
	.summary = "swap areas, as /proc/swaps",
	.help = "  The swap areas in the format of /proc/swaps: name, type, size and use\n"
	    "  in KiB, priority. Linux: mm/swapfile.c, swap_show.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_swaps_exec,
};

static int cmd_reclaim_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	unsigned long before[4], got;
	uint64_t nr = 0;

	if (ctx->args.argc > 0 &&
	    cmd_parse_u64(ctx, "pages", ctx->args.argv[0], &nr) != 0)
		return -1;
	before[0] = m->vm_events[VM_pgscan_kswapd];
	before[1] = m->vm_events[VM_pswpout];
	before[2] = m->vm_events[VM_pgpgout];
	before[3] = m->vm_events[VM_pgactivate];
	got = reclaim_pages_now(m, (unsigned long)nr);
	cmd_print(ctx, "reclaimed %lu pages (scanned %lu, swapped out %lu, "
	    "written back %lu KiB, activated %lu)\n", got,
	    m->vm_events[VM_pgscan_kswapd] - before[0],
	    m->vm_events[VM_pswpout] - before[1],
	    m->vm_events[VM_pgpgout] - before[2] -
	    (m->vm_events[VM_pswpout] - before[1]) * (m->page_size / 1024),
	    m->vm_events[VM_pgactivate] - before[3]);
	return 0;
}

const struct cmd_entry cmd_reclaim_entry = {
	.name = "reclaim",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "reclaim [PAGES]",
	.summary = "run page reclaim now",
	.help = "  Reclaim up to PAGES pages now with the machine's policy (`policy`):\n"
	    "  scan the LRU lists, give referenced pages a second chance, swap\n"
	    "  anonymous pages out, write dirty file pages back and drop clean\n"
	    "  ones. Without PAGES, reclaim as kswapd would: until every zone is at\n"
	    "  or above its high watermark, and at least 32 pages (SWAP_CLUSTER_MAX).\n"
	    "  Counted as kswapd's work in vmstat (pgscan_kswapd, pgsteal_kswapd),\n"
	    "  like proactive reclaim. Linux: mm/vmscan.c, shrink_node.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_reclaim_exec,
};

static int cmd_oom_score_adj_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	struct task_struct *t;
	long pid, adj;

	if (cmd_parse_int(ctx, "pid", ctx->args.argv[0], 1, INT32_MAX,
	    &pid) != 0)
		return -1;
	t = find_task_by_pid(m, (int)pid);
	if (t == NULL)
		return cmd_error(ctx, "no process %ld", pid);
	if (ctx->args.argc > 1) {
		if (cmd_parse_int(ctx, "value", ctx->args.argv[1], -1000, 1000,
		    &adj) != 0)
			return -1;
		t->oom_score_adj = (short)adj;
	}
	cmd_print(ctx, "pid %d oom_score_adj %d badness %ld\n", t->pid,
	    t->oom_score_adj, oom_badness(m, t, m->totalram_pages +
	    total_swap_pages(m)));
	return 0;
}

const struct cmd_entry cmd_oom_score_adj_entry = {
	.name = "oom_score_adj",
	.group = CMD_GROUP_PROCESS,
	.usage = "oom_score_adj PID [-1000..1000]",
	.summary = "show or set a process's oom_score_adj",
	.help = "  /proc/PID/oom_score_adj: shifts the process's OOM badness by\n"
	    "  VALUE/1000 of RAM + swap; -1000 makes it unkillable. Prints the\n"
	    "  badness the OOM killer would give it now (rss + swap entries + page\n"
	    "  table pages + the shift). Linux: mm/oom_kill.c, oom_badness.",
	.args_min = 1,
	.args_max = 2,
	.exec = cmd_oom_score_adj_exec,
};
