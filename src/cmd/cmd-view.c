/*
 * cmd-view.c - views of global counters that belong to no single family:
 * /proc/vmstat.
 */
#include "vmscope/cmd.h"
#include "vmscope/session.h"

static int cmd_vmstat_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	struct zone *z;
	unsigned long free_pages = 0;

	for_each_populated_zone(m, z)
		free_pages += z->nr_free;
	cmd_print(ctx, "nr_free_pages %lu\n", free_pages);
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		unsigned long n = 0;
		bool any = false;

		for_each_zone(m, z) {
			if ((int)z->idx == zt && zone_populated(z)) {
				n += z->pgalloc;
				any = true;
			}
		}
		if (any)
			cmd_print(ctx, "pgalloc_%s %lu\n", zone_names[zt], n);
	}
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		cmd_print(ctx, "%s %lu\n", vmstat_names[i], m->vm_events[i]);
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		unsigned long n = 0;
		bool any = false;

		for_each_zone(m, z) {
			if ((int)z->idx == zt && zone_populated(z)) {
				n += z->allocstall;
				any = true;
			}
		}
		if (any)
			cmd_print(ctx, "allocstall_%s %lu\n", zone_names[zt], n);
	}
	return 0;
}

const struct cmd_entry cmd_vmstat_entry = {
	.name = "vmstat",
	.group = CMD_GROUP_VIEW,
	.usage = "vmstat",
	.summary = "event counters, as /proc/vmstat",
	.help = "  The machine's event counters in the format of /proc/vmstat: free pages,\n"
	    "  page allocations per zone (pgalloc_*), faults (pgfault, pgmajfault), swap\n"
	    "  traffic (pswpin, pswpout), reclaim (pgscan_*, pgsteal_*, allocstall_*)\n"
	    "  and OOM kills. Linux: mm/vmstat.c, vmstat_text[].",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_vmstat_exec,
};
