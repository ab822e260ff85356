/*
 * cmd-phys.c - the physical-memory commands: alloc_pages and free_pages
 * (the buddy allocator driven by hand, as a kernel module would), and the
 * views /proc/buddyinfo, /proc/zoneinfo, /proc/meminfo and free(1).
 * The allocator is page_alloc.c; the views are src/report/proc-mem.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <strings.h>

#include "vmscope/cmd.h"
#include "vmscope/page_alloc.h"
#include "vmscope/report-mem.h"
#include "vmscope/session.h"

/* The gfp mask a kernel caller would pass for each highest zone. */
static const struct {
	unsigned	 mask;
	const char	*names;
} gfp_for_zone[MAX_NR_ZONES] = {
	[ZONE_DMA]	= { 0xcc1, "GFP_KERNEL|__GFP_DMA" },
	[ZONE_DMA32]	= { 0xcc4, "GFP_KERNEL|__GFP_DMA32" },
	[ZONE_NORMAL]	= { 0xcc0, "GFP_KERNEL" },
	[ZONE_HIGHMEM]	= { 0xcc2, "GFP_KERNEL|__GFP_HIGHMEM" },
	[ZONE_MOVABLE]	= { 0xcca, "GFP_KERNEL|__GFP_HIGHMEM|__GFP_MOVABLE" },
};

static int parse_zone(struct cmd_ctx *ctx, const char *name,
    enum zone_type *zt)
{
	int t;

	for (t = 0; t < MAX_NR_ZONES; t++) {
		if (strcasecmp(zone_names[t], name) != 0)
			continue;
		if (!zone_configured(ctx->m, (enum zone_type)t))
			return cmd_error(ctx, "--zone %s: %s has no zone %s",
			    name, ctx->m->arch.name, zone_names[t]);
		*zt = (enum zone_type)t;
		return 0;
	}
	return cmd_error(ctx, "--zone '%s': one of DMA, DMA32, Normal, HighMem, "
	    "Movable", name);
}

static int cmd_alloc_pages_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	enum zone_type zt = ZONE_NORMAL;
	const struct vm_event *ev;
	struct page *page;
	struct zone *z;
	const char *v;
	long order, nid = 0;

	if (cmd_parse_int(ctx, "order", ctx->args.argv[0], 0, MAX_ORDER - 1,
	    &order) != 0)
		return -1;
	if ((v = args_get(&ctx->args, "zone")) != NULL &&
	    parse_zone(ctx, v, &zt) != 0)
		return -1;
	if ((v = args_get(&ctx->args, "node")) != NULL &&
	    cmd_parse_int(ctx, "--node", v, 0, m->nr_nodes - 1, &nid) != 0)
		return -1;

	page = alloc_pages_node(m, (int)nid, zt, (unsigned)order, ALLOC_KERNEL);
	if (page == NULL) {
		/*
		 * A simulated failure is a result: report it as warn_alloc
		 * does, with the reason the allocator logged.
		 */
		ev = event_log_get(&m->ev, 0);
		cmd_print(ctx, "alloc_pages: page allocation failure: order:%ld, "
		    "mode:%#x(%s), nodemask=(null)\n", order,
		    gfp_for_zone[zt].mask, gfp_for_zone[zt].names);
		if (ev != NULL && ev->kind == EV_ALLOC_FAIL && ev->str != NULL)
			cmd_print(ctx, "  %s\n", ev->str);
		return 0;
	}
	z = page_zone(m, page);
	cmd_print(ctx, "pfn 0x%lx (order %ld, %lu page%s, node %d zone %s)\n",
	    page_to_pfn(m, page), order, 1UL << order, order ? "s" : "",
	    z->node, z->name);
	return 0;
}

const struct cmd_entry cmd_alloc_pages_entry = {
	.name = "alloc_pages",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "alloc_pages ORDER [--zone NAME] [--node N]",
	.summary = "allocate 2^ORDER contiguous frames from the buddy allocator",
	.help =
	    "  Allocate 2^ORDER physically contiguous frames (ORDER 0 to 10) as a\n"
	    "  kernel caller of alloc_pages_node would, and print the first pfn.\n"
	    "  --zone is the highest zone allowed (the gfp zone modifier: DMA,\n"
	    "  DMA32, Normal, HighMem, Movable; default Normal, i.e. GFP_KERNEL);\n"
	    "  --node the preferred NUMA node (default 0).\n"
	    "\n"
	    "  __alloc_pages walks the zonelist (preferred zone, lower zones of the\n"
	    "  node, then the other nodes). get_page_from_freelist checks each zone\n"
	    "  with zone_watermark_ok: free pages minus (2^ORDER - 1) must stay above\n"
	    "  the low watermark plus lowmem_reserve, and for ORDER > 0 a big enough\n"
	    "  block must exist. rmqueue -> __rmqueue_smallest takes the smallest free\n"
	    "  block that fits and expand splits it, the upper halves going back to\n"
	    "  free_area. If no zone passes, the slow path retries against the min\n"
	    "  watermark (kswapd and direct reclaim come later); then the allocation\n"
	    "  fails and the warning says why. 'events' shows every step.",
	.args_min = 1,
	.args_max = 1,
	.options = "zone=,node=",
	.exec = cmd_alloc_pages_exec,
};

static int cmd_free_pages_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	struct page *page;
	uint64_t pfn;
	unsigned order;
	char why[160];

	if (cmd_parse_u64(ctx, "pfn", ctx->args.argv[0], &pfn) != 0)
		return -1;
	if (free_pages_check(m, (unsigned long)pfn, &order, why,
	    sizeof(why)) != 0)
		return cmd_error(ctx, "%s", why);
	page = pfn_to_page(m, (unsigned long)pfn);
	if (!PageFlag(page, PG_kernel))
		return cmd_error(ctx, "pfn 0x%" PRIx64 " was not allocated with "
		    "alloc_pages (it is %s)", pfn,
		    PageFlag(page, PG_pgtable) ? "a page-table page" :
		    PageFlag(page, PG_slab) ? "a slab page" :
		    PageFlag(page, PG_anon) ? "an anonymous page" :
		    "in use by the kernel model");
	__free_pages(m, page, order);
	cmd_print(ctx, "freed pfn 0x%" PRIx64 " (order %u, %lu page%s)\n", pfn,
	    order, 1UL << order, order ? "s" : "");
	return 0;
}

const struct cmd_entry cmd_free_pages_entry = {
	.name = "free_pages",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "free_pages PFN",
	.summary = "give back a block from alloc_pages",
	.help =
	    "  Free the block whose first frame is PFN (as alloc_pages printed it);\n"
	    "  its order is remembered in the head page (PG_head, page->private).\n"
	    "  A frame that is free, reserved, a tail page or not from alloc_pages\n"
	    "  is refused (Linux would report \"Bad page state\").\n"
	    "\n"
	    "  __free_pages -> __free_one_page merges the block with its buddy\n"
	    "  (pfn ^ (1 << order)) while the buddy is free, of the same order and\n"
	    "  in the same zone, one order up at a time, then puts it on\n"
	    "  free_area[order].",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_free_pages_exec,
};

static int cmd_buddyinfo_exec(struct cmd_ctx *ctx)
{
	report_buddyinfo(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_buddyinfo_entry = {
	.name = "buddyinfo",
	.group = CMD_GROUP_VIEW,
	.usage = "buddyinfo",
	.summary = "free blocks per order and zone, as /proc/buddyinfo",
	.help =
	    "  One line per populated zone: how many free blocks of each order\n"
	    "  (1, 2, 4 ... 1024 pages) its free_area holds, in the format of\n"
	    "  /proc/buddyinfo (mm/vmstat.c, frag_show_print). Few high-order blocks\n"
	    "  with many low-order ones is external fragmentation.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_buddyinfo_exec,
};

static int cmd_zoneinfo_exec(struct cmd_ctx *ctx)
{
	report_zoneinfo(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_zoneinfo_entry = {
	.name = "zoneinfo",
	.group = CMD_GROUP_VIEW,
	.usage = "zoneinfo",
	.summary = "per-zone watermarks and sizes, as /proc/zoneinfo",
	.help =
	    "  Every zone of every node in the format of /proc/zoneinfo\n"
	    "  (zoneinfo_show_print): free pages, the min/low/high watermarks\n"
	    "  (__setup_per_zone_wmarks), spanned/present/managed pages and the\n"
	    "  protection array (lowmem_reserve, setup_per_zone_lowmem_reserve).",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_zoneinfo_exec,
};

static int cmd_meminfo_exec(struct cmd_ctx *ctx)
{
	report_meminfo(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_meminfo_entry = {
	.name = "meminfo",
	.group = CMD_GROUP_VIEW,
	.usage = "meminfo",
	.summary = "memory totals, as /proc/meminfo",
	.help =
	    "  The machine's memory in the format of /proc/meminfo\n"
	    "  (fs/proc/meminfo.c): MemTotal is the managed pages (RAM minus boot\n"
	    "  reservations), MemAvailable comes from si_mem_available (free pages\n"
	    "  minus totalreserve_pages, plus reclaimable cache). Counters of parts\n"
	    "  vmscope does not model yet read 0.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_meminfo_exec,
};

static int cmd_free_exec(struct cmd_ctx *ctx)
{
	report_free(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_free_entry = {
	.name = "free",
	.group = CMD_GROUP_VIEW,
	.usage = "free",
	.summary = "memory and swap in KiB, as free(1)",
	.help =
	    "  The output of procps free(1): total, used (MemTotal - MemAvailable),\n"
	    "  free, shared, buff/cache and available, in KiB, for RAM and swap.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_free_exec,
};
