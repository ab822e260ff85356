/*
 * cmd-paging.c - the translation commands: `tlb` (the CPU's TLB),
 * `translate PID ADDR` (a page-table walk, level by level) and
 * `pagetable PID [ADDR]` (the tables a process has and what they cost).
 * The model is pgtable.c and tlb.c; the views are src/report/pagetable.c.
 */
#include <inttypes.h>
#include <stdio.h>

#include "vmscope/cmd.h"
#include "vmscope/report-paging.h"
#include "vmscope/session.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"

static int cmd_tlb_exec(struct cmd_ctx *ctx)
{
	struct sbuf sb = SBUF_INIT;

	report_tlb(ctx->m, &sb);
	cmd_print(ctx, "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	return 0;
}

const struct cmd_entry cmd_tlb_entry = {
	.name = "tlb",
	.group = CMD_GROUP_VIEW,
	.usage = "tlb",
	.summary = "the TLB: sets, ways, cached translations, hits and misses",
	.help = "  The CPU's translation lookaside buffer: its geometry (--tlb\n"
	    "  ENTRIESxWAYS), the address space loaded (CR3) and its ASID, the\n"
	    "  hit/miss counters, and every valid entry: set, way, ASID, the\n"
	    "  virtual page, its tag (the page number without the set bits),\n"
	    "  the frame, page size, cached rights and LRU rank in the set\n"
	    "  (0 = most recent). Entries are replaced least recently used\n"
	    "  first within a set; with --asid off a context switch flushes\n"
	    "  them all. Linux: arch/x86/mm/tlb.c (switch_mm_irqs_off,\n"
	    "  flush_tlb_mm_range).",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_tlb_exec,
};

/* The page table of process PID, or an error naming why there is none. */
static struct pgtable *lookup_pgtable(struct cmd_ctx *ctx, const char *arg)
{
	struct task_struct *t;
	long pid;

	if (cmd_parse_int(ctx, "PID", arg, 1, INT32_MAX, &pid) != 0)
		return NULL;
	t = find_task_by_pid(ctx->m, (int)pid);
	if (t == NULL) {
		cmd_error(ctx, "no process %ld", pid);
		return NULL;
	}
	if (t->mm == NULL || t->mm->pgt == NULL) {
		cmd_error(ctx, "pid %ld has no page table", pid);
		return NULL;
	}
	return t->mm->pgt;
}

static int cmd_translate_exec(struct cmd_ctx *ctx)
{
	struct pgtable *pgt;
	struct sbuf sb = SBUF_INIT;
	uint64_t addr;

	if ((pgt = lookup_pgtable(ctx, ctx->args.argv[0])) == NULL)
		return -1;
	if (cmd_parse_u64(ctx, "ADDR", ctx->args.argv[1], &addr) != 0)
		return -1;
	report_translate(pgt, addr, &sb);
	cmd_print(ctx, "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	return 0;
}

const struct cmd_entry cmd_translate_entry = {
	.name = "translate",
	.group = CMD_GROUP_ACCESS,
	.usage = "translate PID ADDR",
	.summary = "walk the page table for an address, level by level",
	.help = "  What the MMU does on a TLB miss: split the address into one\n"
	    "  index per level (pgd, p4d, pud, pmd, pte as the architecture\n"
	    "  has them) and the page offset, read one entry per level from\n"
	    "  the root (CR3) down, and print each entry as the hardware holds\n"
	    "  it with its flags (P present, RW writable, US user, A accessed,\n"
	    "  D dirty, PS huge page, NX no-execute). Ends with the physical\n"
	    "  address, or the level where the walk found no entry: a page\n"
	    "  fault there. Nothing is changed and the TLB is not used.\n"
	    "  Linux: arch/x86/mm/fault.c (dump_pagetable), mm/pagewalk.c.",
	.args_min = 2,
	.args_max = 2,
	.exec = cmd_translate_exec,
};

static int cmd_pagetable_exec(struct cmd_ctx *ctx)
{
	struct pgtable *pgt;
	struct sbuf sb = SBUF_INIT;
	uint64_t addr = 0;
	bool only = ctx->args.argc == 2;

	if ((pgt = lookup_pgtable(ctx, ctx->args.argv[0])) == NULL)
		return -1;
	if (only && cmd_parse_u64(ctx, "ADDR", ctx->args.argv[1], &addr) != 0)
		return -1;
	report_pagetable(pgt, only, addr, &sb);
	cmd_print(ctx, "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	return 0;
}

const struct cmd_entry cmd_pagetable_entry = {
	.name = "pagetable",
	.group = CMD_GROUP_VIEW,
	.usage = "pagetable PID [ADDR]",
	.summary = "the tables of a process's page table, and their cost",
	.help = "  Every page-table page the process has, indented by level,\n"
	    "  with the pfn it lives in, the range of addresses it covers and\n"
	    "  how many of its entries are in use; with ADDR only the branch\n"
	    "  that translates ADDR, and the entries of its last table. Ends\n"
	    "  with what the tables cost in frames against one flat table for\n"
	    "  the whole address space (i386: 4 MiB per process), which is why\n"
	    "  page tables have levels: a table exists only where something\n"
	    "  is mapped. Linux: mm/memory.c (__pte_alloc, free_pgtables).",
	.args_min = 1,
	.args_max = 2,
	.exec = cmd_pagetable_exec,
};
