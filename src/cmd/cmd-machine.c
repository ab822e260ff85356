/*
 * cmd-machine.c - `machine` (build a new simulated machine from options)
 * and `info` (what the current one is). `machine` starts from the default
 * configuration, or the chosen architecture's defaults, applies the
 * options, and swaps the new machine in only once machine_new succeeded:
 * a bad option leaves the old machine running.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/report-mem.h"
#include "vmscope/session.h"

static int parse_tlb(struct cmd_ctx *ctx, const char *s,
    struct machine_config *cfg)
{
	const char *x = strchr(s, 'x');
	char *num;
	uint64_t entries, ways;
	int rc;

	num = x != NULL ? xstrndup(s, (size_t)(x - s)) : xstrdup(s);
	rc = parse_u64(num, &entries);
	free(num);
	if (rc != 0 || entries == 0 || entries > 4096 ||
	    (x != NULL && (parse_u64(x + 1, &ways) != 0 || ways == 0)))
		return cmd_error(ctx, "--tlb '%s': ENTRIES or ENTRIESxWAYS is "
		    "needed, e.g. 64x4", s);
	if (x == NULL)
		ways = entries < 4 ? entries : 4;
	if (ways > entries)
		return cmd_error(ctx, "--tlb '%s': more ways than entries", s);
	cfg->tlb_entries = (int)entries;
	cfg->tlb_ways = (int)ways;
	return 0;
}

static int parse_levels(struct cmd_ctx *ctx, const char *s,
    struct machine_config *cfg)
{
	const char *p = s;
	int n = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char *word = xstrndup(p, len);
		uint64_t bits;
		int rc = parse_u64(word, &bits);

		free(word);
		if (rc != 0 || bits == 0 || bits > 16)
			return cmd_error(ctx, "--levels '%s': comma-separated "
			    "bits per level (1 to 16) are needed, e.g. 5,5", s);
		if (n == MAX_PT_LEVELS)
			return cmd_error(ctx, "--levels '%s': at most %d levels",
			    s, MAX_PT_LEVELS);
		cfg->level_bits[n++] = (unsigned)bits;
		p += len;
		if (*p == ',')
			p++;
	}
	if (n == 0)
		return cmd_error(ctx, "--levels: no level given");
	cfg->nr_levels = n;
	return 0;
}

static unsigned log2_u64(uint64_t x)
{
	unsigned r = 0;

	while (x >>= 1)
		r++;
	return r;
}

/*
 * The toy's three knobs depend on each other (level bits + page offset
 * bits = VA bits). Whatever the user left out is derived from the rest:
 * without --va-bits it is the sum; without --levels the bits left over
 * are split evenly into as many levels as before, the top one taking the
 * remainder.
 */
static int toy_options(struct cmd_ctx *ctx, struct machine_config *cfg)
{
	const struct args *a = &ctx->args;
	const char *v;
	uint64_t val;
	long lv;
	unsigned shift, sum = 0, left, each;
	int i;

	if ((v = args_get(a, "page-size")) != NULL) {
		if (parse_size(v, 0, &val) != 0 || val == 0)
			return cmd_error(ctx, "--page-size '%s' is not a size", v);
		cfg->page_size = val;
	}
	if ((v = args_get(a, "levels")) != NULL &&
	    parse_levels(ctx, v, cfg) != 0)
		return -1;
	if ((v = args_get(a, "va-bits")) != NULL) {
		if (cmd_parse_int(ctx, "--va-bits", v, 1, 64, &lv) != 0)
			return -1;
		cfg->va_bits = (unsigned)lv;
	}
	shift = log2_u64(cfg->page_size);
	for (i = 0; i < cfg->nr_levels; i++)
		sum += cfg->level_bits[i];
	if (!args_has(a, "va-bits")) {
		cfg->va_bits = sum + shift;
	} else if (!args_has(a, "levels") && cfg->va_bits > shift &&
	    cfg->va_bits - shift >= (unsigned)cfg->nr_levels) {
		left = cfg->va_bits - shift;
		each = left / (unsigned)cfg->nr_levels;
		for (i = cfg->nr_levels - 1; i > 0; i--)
			cfg->level_bits[i] = each;
		cfg->level_bits[0] = left - each *
		    (unsigned)(cfg->nr_levels - 1);
	}
	return 0;
}

static int cmd_machine_exec(struct cmd_ctx *ctx)
{
	static const char *const toy_only[] = { "va-bits", "page-size",
	    "levels" };
	const struct args *a = &ctx->args;
	const struct arch_profile *arch;
	struct machine_config cfg;
	struct machine *m;
	uint64_t page_size, val;
	const char *v;
	char err[256];
	long lv;
	size_t i;
	int p;

	machine_config_default(&cfg);
	if ((v = args_get(a, "arch")) != NULL) {
		arch = arch_lookup(v);
		if (arch == NULL)
			return cmd_error(ctx, "unknown architecture '%s' (x86_64, "
			    "x86_64-la57, i386, arm32, arm64, toy)", v);
		machine_config_for_arch(&cfg, arch->id);
	}
	arch = arch_get(cfg.arch);
	if (cfg.arch == ARCH_TOY) {
		if (toy_options(ctx, &cfg) != 0)
			return -1;
		page_size = cfg.page_size;
	} else {
		for (i = 0; i < ARRAY_SIZE(toy_only); i++) {
			if (args_has(a, toy_only[i]))
				return cmd_error(ctx, "--%s is only for --arch "
				    "toy (%s has a fixed geometry)",
				    toy_only[i], arch->name);
		}
		page_size = 1ULL << arch->page_shift;
	}

	/* Np counts pages of the machine being built */
	if ((v = args_get(a, "ram")) != NULL) {
		if (parse_size(v, page_size, &val) != 0)
			return cmd_error(ctx, "--ram '%s' is not a size (bytes, "
			    "or with K, M, G or p for pages)", v);
		cfg.ram = val;
	}
	if ((v = args_get(a, "swap")) != NULL) {
		if (parse_size(v, page_size, &val) != 0)
			return cmd_error(ctx, "--swap '%s' is not a size (bytes, "
			    "or with K, M, G or p for pages)", v);
		if (val % page_size != 0)
			return cmd_error(ctx, "--swap '%s' is not a whole number "
			    "of pages", v);
		cfg.swap = val;
	}
	if ((v = args_get(a, "nodes")) != NULL) {
		if (cmd_parse_int(ctx, "--nodes", v, 1, MAX_NUMNODES, &lv) != 0)
			return -1;
		cfg.nodes = (int)lv;
	}
	if ((v = args_get(a, "tlb")) != NULL && parse_tlb(ctx, v, &cfg) != 0)
		return -1;
	if ((v = args_get(a, "asid")) != NULL) {
		if (strcmp(v, "on") == 0)
			cfg.asid = true;
		else if (strcmp(v, "off") == 0)
			cfg.asid = false;
		else
			return cmd_error(ctx, "--asid '%s': on or off", v);
	}
	if ((v = args_get(a, "policy")) != NULL) {
		for (p = 0; p < NR_POLICIES; p++) {
			if (strcmp(policy_names[p], v) == 0)
				break;
		}
		if (p == NR_POLICIES)
			return cmd_error(ctx, "--policy '%s': one of lru2q, fifo, "
			    "lru, clock, opt", v);
		cfg.policy = (enum reclaim_policy)p;
	}
	if ((v = args_get(a, "seed")) != NULL &&
	    cmd_parse_u64(ctx, "--seed", v, &cfg.seed) != 0)
		return -1;
	cfg.movable = args_has(a, "movable");

	m = machine_new(&cfg, err, sizeof(err));
	if (m == NULL)
		return cmd_error(ctx, "%s", err);
	session_set_machine(ctx->s, m);
	ctx->m = m;
	report_banner(m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_machine_entry = {
	.name = "machine",
	.group = CMD_GROUP_MACHINE,
	.usage = "machine [--arch x86_64|x86_64-la57|i386|arm32|arm64|toy] "
	    "[--ram SIZE] [--swap SIZE] [--nodes N] [--tlb ENTRIES[xWAYS]] "
	    "[--asid on|off] [--policy lru2q|fifo|lru|clock|opt] [--seed N] "
	    "[--movable] [--va-bits N] [--page-size SIZE] [--levels A,B,..]",
	.summary = "build a new machine (replaces the current one)",
	.help =
	    "  Boot a new simulated machine; the current one (processes and all) is\n"
	    "  replaced, but only if the new one can be built. Unset options take the\n"
	    "  defaults: x86_64, 256M RAM, one node, 64M swap, a 64-entry 4-way TLB\n"
	    "  with ASIDs, policy lru2q, seed 1.\n"
	    "\n"
	    "  Boot does what start_kernel does for memory: memblock reserves the\n"
	    "  firmware page, the kernel image and each node's memmap (struct page\n"
	    "  array); free_area_init lays out nodes and zones; memblock_free_all\n"
	    "  hands every other frame to the buddy allocator; init_per_zone_wmark_min\n"
	    "  sets min_free_kbytes, the zone watermarks and lowmem_reserve.\n"
	    "\n"
	    "  --nodes N splits RAM evenly into NUMA nodes (pglist_data). --movable\n"
	    "  puts the top quarter of RAM in ZONE_MOVABLE (like movablecore=).\n"
	    "  --arch toy is a textbook machine whose geometry you choose: --page-size\n"
	    "  (default 32 bytes), --levels (bits per page-table level, default 5,5)\n"
	    "  and --va-bits (default 15); what you leave out is derived.",
	.args_min = 0,
	.args_max = 0,
	.options = "arch=,ram=,swap=,nodes=,tlb=,asid=,policy=,seed=,movable,"
	    "va-bits=,page-size=,levels=",
	.exec = cmd_machine_exec,
};

static int cmd_info_exec(struct cmd_ctx *ctx)
{
	report_info(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_info_entry = {
	.name = "info",
	.group = CMD_GROUP_MACHINE,
	.usage = "info",
	.summary = "machine summary (arch, RAM, zones, swap, TLB)",
	.help =
	    "  What the machine is: the architecture's page-table geometry and\n"
	    "  address-space split (TASK_SIZE, PAGE_OFFSET), RAM per node and zone\n"
	    "  (pglist_data, struct zone) with managed pages and watermarks, the\n"
	    "  boot-time reservations, swap, TLB and replacement policy.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_info_exec,
};
