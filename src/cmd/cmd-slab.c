/*
 * cmd-slab.c - the slab allocator's commands: kmalloc and kfree (a kernel
 * caller's view of mm/slub.c) and the /proc/slabinfo view. The allocator
 * is src/core/slab.c; the view is src/report/slabinfo.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "vmscope/cmd.h"
#include "vmscope/report-slab.h"
#include "vmscope/session.h"
#include "vmscope/slab.h"

static int cmd_kmalloc_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	const struct vm_event *ev;
	struct kmem_cache *s;
	uint64_t size, addr;
	int err;

	if (cmd_parse_size(ctx, "size", ctx->args.argv[0], &size) != 0)
		return -1;
	err = kmalloc(m, size, &addr);
	if (err == -E2BIG) {
		/* the kernel WARNs and returns NULL: a result, not bad input */
		cmd_print(ctx, "kmalloc(%" PRIu64 ") = NULL: above KMALLOC_MAX_SIZE "
		    "(%" PRIu64 " bytes, an order-%d block)\n", size,
		    kmalloc_max_size(m), MAX_ORDER - 1);
		return 0;
	}
	if (err != 0) {
		ev = event_log_get(&m->ev, 0);
		cmd_print(ctx, "kmalloc(%" PRIu64 ") = NULL: page allocation "
		    "failure\n", size);
		if (ev != NULL && ev->kind == EV_ALLOC_FAIL && ev->str != NULL)
			cmd_print(ctx, "  %s\n", ev->str);
		return 0;
	}
	if (size == 0) {
		cmd_print(ctx, "kmalloc(0) = ZERO_SIZE_PTR (0x%llx): nothing "
		    "allocated\n", (unsigned long long)addr);
		return 0;
	}
	s = kmalloc_slab(m, size);
	if (s != NULL)
		cmd_print(ctx, "0x%" PRIx64 " (%s, pfn 0x%" PRIx64 ")\n", addr,
		    s->name, (addr - m->arch.page_offset) >> m->arch.page_shift);
	else
		cmd_print(ctx, "0x%" PRIx64 " (kmalloc_large: order %d at pfn "
		    "0x%" PRIx64 ")\n", addr, kmalloc_large_order(m,
		    (unsigned long)((addr - m->arch.page_offset) >>
		    m->arch.page_shift)),
		    (addr - m->arch.page_offset) >> m->arch.page_shift);
	return 0;
}

const struct cmd_entry cmd_kmalloc_entry = {
	.name = "kmalloc",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "kmalloc SIZE",
	.summary = "allocate a kernel object from the kmalloc-N slab caches",
	.help =
	    "  Allocate SIZE bytes as kmalloc(SIZE, GFP_KERNEL) would and print the\n"
	    "  object's kernel virtual address, in the direct map (PAGE_OFFSET +\n"
	    "  pfn * PAGE_SIZE + offset), the cache and the frame.\n"
	    "\n"
	    "  kmalloc_index picks the smallest cache that fits: kmalloc-8, 16, 32,\n"
	    "  64, 96, 128, 192, 256, 512, 1k, 2k, 4k, 8k (up to two pages). Each\n"
	    "  cache takes objects from a slab: a block of 2^order frames from the\n"
	    "  buddy allocator (allocate_slab, PG_slab) cut into equal slots; a new\n"
	    "  slab is made only when every slab of the cache is full. Bigger\n"
	    "  requests skip the caches: kmalloc_large takes pages directly (up to\n"
	    "  KMALLOC_MAX_SIZE, an order-10 block). kmalloc(0) returns\n"
	    "  ZERO_SIZE_PTR. The pages count as SUnreclaim in meminfo.\n"
	    "\n"
	    "  vmscope's SLUB is simplified: one list of slabs per cache (no\n"
	    "  per-cpu slabs, no per-node partial lists), 8 objects per slab as\n"
	    "  SLUB wants on one CPU, and an empty slab is freed at once. The\n"
	    "  caches task_struct, mm_struct and vm_area_struct hold one object per\n"
	    "  process, address space and VMA of the model. See 'slabinfo'.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_kmalloc_exec,
};

static int cmd_kfree_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	uint64_t addr, bytes;
	char why[200];

	if (cmd_parse_u64(ctx, "address", ctx->args.argv[0], &addr) != 0)
		return -1;
	if (kfree_check(m, addr, why, sizeof(why)) != 0)
		return cmd_error(ctx, "%s", why);
	if (addr == 0 || addr == ZERO_SIZE_PTR) {
		cmd_print(ctx, "kfree(%s): nothing to free\n",
		    addr ? "ZERO_SIZE_PTR" : "NULL");
		return 0;
	}
	bytes = kfree(m, addr);
	cmd_print(ctx, "freed 0x%" PRIx64 " (%" PRIu64 " bytes)\n", addr, bytes);
	return 0;
}

const struct cmd_entry cmd_kfree_entry = {
	.name = "kfree",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "kfree ADDR",
	.summary = "free an object kmalloc returned",
	.help =
	    "  Free the object at ADDR, a kernel virtual address kmalloc printed.\n"
	    "  kfree needs nothing else: virt_to_slab turns the direct-map address\n"
	    "  into a frame and the frame into its slab, whose cache knows the\n"
	    "  object size. The object goes back on the slab's free list (LIFO, so\n"
	    "  the next kmalloc of that size gets it again); a slab left empty goes\n"
	    "  back to the buddy allocator (discard_slab). A kmalloc_large block is\n"
	    "  freed with __free_pages. An address that is not the start of a live\n"
	    "  kmalloc object (a double free, the middle of an object, a frame that\n"
	    "  is no slab, a task_struct the model uses) is refused.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_kfree_exec,
};

static int cmd_slabinfo_exec(struct cmd_ctx *ctx)
{
	report_slabinfo(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_slabinfo_entry = {
	.name = "slabinfo",
	.group = CMD_GROUP_VIEW,
	.usage = "slabinfo",
	.summary = "the slab caches, as /proc/slabinfo",
	.help =
	    "  Every slab cache in the format of /proc/slabinfo version 2.1 (as\n"
	    "  SLUB writes it, mm/slab_common.c): active and total objects, the\n"
	    "  object size, objects per slab, pages per slab, then the tunables\n"
	    "  (always 0 under SLUB) and the number of slabs. Newest caches come\n"
	    "  first, so the kmalloc-N caches made at boot are at the bottom.\n"
	    "  vm_area_struct, mm_struct and task_struct grow as processes and\n"
	    "  VMAs are created; 'kmalloc' fills the kmalloc-N caches.\n"
	    "\n"
	    "  Simplified SLUB: one slab list per cache, no per-cpu slabs; an\n"
	    "  empty slab is freed at once (Linux keeps a few, min_partial).",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_slabinfo_exec,
};
