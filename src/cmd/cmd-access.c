/*
 * cmd-access.c - the memory-access commands: `touch` (loads, stores and
 * instruction fetches by a process, each one through the TLB, the
 * page-table walk and the page-fault handler) and `switch` (a context
 * switch: load a process's page table), plus the `frames` view of
 * physical memory by owner. The work is in src/core/memory.c and tlb.c;
 * this file turns an access_result into the one line a student reads.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/memory.h"
#include "vmscope/report-frames.h"
#include "vmscope/session.h"
#include "vmscope/tlb.h"
#include "cmd-task.h"

/* Ranges with more accesses than this print only the summary. */
#define TOUCH_VERBOSE_MAX	16
/* A bound on one command's work. */
#define TOUCH_MAX_ACCESSES	(1UL << 24)

static const char access_char[] = { 'r', 'w', 'x' };

static void vma_perm_str(unsigned long flags, char buf[5])
{
	buf[0] = (flags & VM_READ) ? 'r' : '-';
	buf[1] = (flags & VM_WRITE) ? 'w' : '-';
	buf[2] = (flags & VM_EXEC) ? 'x' : '-';
	buf[3] = (flags & VM_MAYSHARE) ? 's' : 'p';
	buf[4] = '\0';
}

/* "walk pgd[255] pud[511] pmd[447] pte[495] none" */
static void describe_walk(struct sbuf *sb, const struct access_result *r,
    enum mmu_access_type type)
{
	const struct pt_walk *w = &r->walk;
	int i;

	sbuf_add(sb, "walk");
	for (i = 0; i < w->nr_steps; i++) {
		sbuf_printf(sb, " %s[%u]", w->step[i].name, w->step[i].index);
		if (w->step[i].leaf && i < w->nr_steps - 1)
			break;
	}
	switch (w->result) {
	case WALK_NONE:
		sbuf_add(sb, " none");
		break;
	case WALK_SWAP:
		sbuf_add(sb, " swap entry");
		break;
	case WALK_PROTNONE:
		sbuf_add(sb, " PROT_NONE");
		break;
	case WALK_BAD_ADDR:
		sbuf_add(sb, " (address not translatable)");
		break;
	case WALK_MAPPED:
		if (w->page_shift > 12 && w->nr_steps > 0 &&
		    w->step[w->nr_steps - 1].leaf &&
		    w->nr_steps < MAX_PT_LEVELS &&
		    w->page_shift != 12)
			sbuf_add(sb, " huge");
		if (r->mmu == MMU_FAULT_PROT) {
			if (type == MMU_WRITE && !pte_write(w->leaf))
				sbuf_add(sb, " present read-only");
			else if (type == MMU_EXEC)
				sbuf_add(sb, " present no-exec");
			else
				sbuf_add(sb, " present, not allowed");
		}
		break;
	}
}

static void describe_fault(struct sbuf *sb, const struct access_result *r)
{
	const struct fault_info *f = &r->fault;
	bool major = r->kind == ACCESS_MAJOR;

	sbuf_printf(sb, "%s fault: ", major ? "major" : "minor");
	if (f->stack_pages)
		sbuf_printf(sb, "expand_stack grew [stack] by %" PRIu64
		    " page%s, ", f->stack_pages, f->stack_pages == 1 ? "" : "s");
	switch (f->path) {
	case FAULT_ANON_ZERO:
		sbuf_printf(sb, "do_anonymous_page, zero page pfn 0x%lx "
		    "mapped read-only", f->pfn);
		break;
	case FAULT_ANON:
		sbuf_printf(sb, "do_anonymous_page, new frame pfn 0x%lx",
		    f->pfn);
		break;
	case FAULT_READ:
		sbuf_printf(sb, "do_read_fault, %s pfn 0x%lx", f->cached ?
		    "page cache" : "read from disk into", f->pfn);
		break;
	case FAULT_COW:
		sbuf_printf(sb, "do_cow_fault, file page pfn 0x%lx%s copied to "
		    "pfn 0x%lx", f->old_pfn, f->cached ? "" :
		    " (read from disk)", f->pfn);
		break;
	case FAULT_SHARED:
		sbuf_printf(sb, "do_shared_fault, %s pfn 0x%lx mapped "
		    "writable", f->cached ? "page cache" :
		    "read from disk into", f->pfn);
		break;
	case FAULT_WP_COPY:
		if (f->zero_page)
			sbuf_printf(sb, "do_wp_page, zero page: copied to new "
			    "frame pfn 0x%lx", f->pfn);
		else if (f->file_page)
			/* never reused, whatever its mapcount: the file keeps it */
			sbuf_printf(sb, "do_wp_page, page-cache pfn 0x%lx in a "
			    "private mapping: copied to pfn 0x%lx", f->old_pfn,
			    f->pfn);
		else
			sbuf_printf(sb, "do_wp_page, page shared (mapcount "
			    "%d), copied to pfn 0x%lx", f->mapcount, f->pfn);
		break;
	case FAULT_WP_REUSE:
		sbuf_printf(sb, "do_wp_page, page exclusive (mapcount %d), "
		    "reused pfn 0x%lx", f->mapcount, f->pfn);
		break;
	case FAULT_WP_SHARED:
		sbuf_printf(sb, "do_wp_page, shared page pfn 0x%lx made "
		    "writable and dirty", f->pfn);
		break;
	case FAULT_SWAP:
		sbuf_printf(sb, "do_swap_page, %s pfn 0x%lx", f->cached ?
		    "swap cache" : "read from swap into", f->pfn);
		break;
	case FAULT_HUGE_ANON:
		sbuf_printf(sb, "do_huge_pmd_anonymous_page, new huge page "
		    "pfn 0x%lx", f->pfn);
		break;
	case FAULT_HUGE_WP:
		sbuf_printf(sb, "do_huge_pmd_wp_page, huge page %s pfn 0x%lx",
		    f->pfn == f->old_pfn ? "reused," : "copied to", f->pfn);
		break;
	case FAULT_HUGETLB:
		sbuf_printf(sb, "hugetlb_fault, new huge page pfn 0x%lx",
		    f->pfn);
		break;
	case FAULT_SPURIOUS:
		sbuf_printf(sb, "spurious (the entry already allowed it), "
		    "pfn 0x%lx", f->pfn);
		break;
	case FAULT_PROTNONE:
		sbuf_printf(sb, "PROT_NONE entry made present, pfn 0x%lx",
		    f->pfn);
		break;
	default:
		sbuf_printf(sb, "%s", fault_path_name(f->path));
		break;
	}
}

static void describe_signal(struct sbuf *sb, const struct access_result *r,
    uint64_t addr)
{
	char perms[5];

	if (r->kind == ACCESS_OOM) {
		sbuf_printf(sb, "out of memory (VM_FAULT_OOM): %s", r->why);
	} else {
		sbuf_printf(sb, "%s (%s): %s", r->kind == ACCESS_SIGBUS ?
		    "SIGBUS" : "SIGSEGV", r->sig_code, r->why);
		if (r->has_vma) {
			vma_perm_str(r->vma_flags, perms);
			sbuf_printf(sb, ", VMA %" PRIx64 "-%" PRIx64 " %s",
			    r->vma_start, r->vma_end, perms);
		} else {
			sbuf_printf(sb, ", no VMA at 0x%" PRIx64, addr);
		}
	}
	sbuf_printf(sb, "; pid %d (%s) killed", r->pid, r->comm);
}

/* One line for one access. */
static void describe_access(struct sbuf *sb, const struct access_result *r,
    uint64_t addr, enum mmu_access_type type)
{
	sbuf_printf(sb, "0x%" PRIx64 " %c  ", addr, access_char[type]);
	if (r->kind == ACCESS_TLB_HIT) {
		sbuf_printf(sb, "TLB hit -> pfn 0x%lx\n", r->pfn);
		return;
	}
	if (r->mmu == MMU_FAULT_BAD_ADDR)
		sbuf_add(sb, "not a user address");
	else if (r->tlb_hit)
		sbuf_add(sb, "TLB hit, not allowed: dropped, ");
	else
		sbuf_add(sb, "TLB miss, ");
	if (r->mmu != MMU_FAULT_BAD_ADDR)
		describe_walk(sb, r, type);
	sbuf_add(sb, " -> ");
	switch (r->kind) {
	case ACCESS_WALK:
		sbuf_printf(sb, "pfn 0x%lx\n", r->pfn);
		return;
	case ACCESS_MINOR:
	case ACCESS_MAJOR:
		describe_fault(sb, r);
		break;
	default:
		describe_signal(sb, r, addr);
		break;
	}
	sbuf_add(sb, "\n");
}

static int parse_access_type(struct cmd_ctx *ctx, const char *s,
    enum mmu_access_type *type)
{
	if (strcmp(s, "r") == 0 || strcmp(s, "read") == 0)
		*type = MMU_READ;
	else if (strcmp(s, "w") == 0 || strcmp(s, "write") == 0)
		*type = MMU_WRITE;
	else if (strcmp(s, "x") == 0 || strcmp(s, "exec") == 0)
		*type = MMU_EXEC;
	else
		return cmd_error(ctx, "'%s' is not an access: r, w or x", s);
	return 0;
}

/*
 * ADDR, ADDR-END or ADDR+SIZE into the inclusive range [start, last], so
 * that a range may end at the very top of the address space.
 */
static int parse_range(struct cmd_ctx *ctx, const char *arg, uint64_t *start,
    uint64_t *last)
{
	char buf[128];
	char *sep, op;
	uint64_t v;

	snprintf(buf, sizeof(buf), "%s", arg);
	sep = strpbrk(buf, "+-");
	if (sep == NULL) {
		if (cmd_parse_u64(ctx, "ADDR", buf, start) != 0)
			return -1;
		*last = *start;
		return 0;
	}
	op = *sep;
	*sep = '\0';
	if (cmd_parse_u64(ctx, "ADDR", buf, start) != 0)
		return -1;
	if (op == '+') {
		if (cmd_parse_size(ctx, "SIZE", sep + 1, &v) != 0)
			return -1;
		if (v == 0)
			return cmd_error(ctx, "size 0 is not allowed");
		if (v - 1 > UINT64_MAX - *start)
			return cmd_error(ctx, "%s: the range goes past the top of "
			    "the address space", arg);
		*last = *start + (v - 1);
	} else {
		if (cmd_parse_u64(ctx, "END", sep + 1, &v) != 0)
			return -1;
		if (v <= *start)
			return cmd_error(ctx, "%s: the end must be above the start",
			    arg);
		*last = v - 1;
	}
	return 0;
}

static int cmd_touch_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	struct task_struct *t;
	enum mmu_access_type type = MMU_READ;
	uint64_t start, last = 0, stride = m->page_size, addr, n, done = 0, next;
	bool by_page = true;
	unsigned long hits = 0, minor = 0, major = 0;
	const char *v;
	struct access_result r;
	struct sbuf line = SBUF_INIT;
	bool verbose, killed = false;
	int pid;

	if ((t = cmd_find_task(ctx, ctx->args.argv[0])) == NULL)
		return -1;
	pid = t->pid;
	if (parse_range(ctx, ctx->args.argv[1], &start, &last) != 0)
		return -1;
	if (ctx->args.argc > 2 &&
	    parse_access_type(ctx, ctx->args.argv[2], &type) != 0)
		return -1;
	if ((v = args_get(&ctx->args, "stride")) != NULL) {
		if (cmd_parse_size(ctx, "--stride", v, &stride) != 0)
			return -1;
		if (stride == 0)
			return cmd_error(ctx, "--stride 0 is not allowed");
		by_page = false;
	}
	n = by_page ? (last / m->page_size) - (start / m->page_size) + 1 :
	    (last - start) / stride + 1;
	if (n - 1 >= TOUCH_MAX_ACCESSES)
		return cmd_error(ctx, "%" PRIu64 " accesses: at most %lu in one "
		    "command", n, TOUCH_MAX_ACCESSES);
	verbose = n <= TOUCH_VERBOSE_MAX || args_has(&ctx->args, "verbose");
	if (args_has(&ctx->args, "quiet"))
		verbose = false;

	for (addr = start;; addr += stride) {
		enum access_kind k = access_memory(m, t, addr, type, &r);

		if (k == ACCESS_BAD)
			return cmd_error(ctx, "pid %d has no page table", pid);
		done++;
		if (verbose || k >= ACCESS_SIGSEGV) {
			sbuf_reset(&line);
			describe_access(&line, &r, addr, type);
			cmd_print(ctx, "%s", sbuf_str(&line));
		}
		if (k == ACCESS_TLB_HIT)
			hits++;
		else if (k == ACCESS_MINOR)
			minor += (unsigned long)r.nr_faults;
		else if (k == ACCESS_MAJOR) {
			major++;
			minor += (unsigned long)r.nr_faults - 1;
		}
		if (k >= ACCESS_SIGSEGV) {
			killed = true;
			break;
		}
		/*
		 * The next access: the next page (every page the range
		 * covers is touched once), or addr + --stride.
		 */
		next = by_page ? (addr & ~(m->page_size - 1)) + m->page_size :
		    addr + stride;
		if (next == 0 || next > last || next < addr)
			break;	/* the last access of the range */
		addr = next - stride;	/* the loop adds stride back */
	}
	sbuf_free(&line);
	n = done;
	if (!verbose || n > 1 || killed)
		cmd_print(ctx, "%" PRIu64 " access%s: %lu TLB hit%s, %lu minor "
		    "fault%s, %lu major%s\n", n, n == 1 ? "" : "es", hits,
		    hits == 1 ? "" : "s", minor, minor == 1 ? "" : "s", major,
		    killed ? "; the process was killed" : "");
	return 0;
}

const struct cmd_entry cmd_touch_entry = {
	.name = "touch",
	.group = CMD_GROUP_ACCESS,
	.usage = "touch PID ADDR[-END|+SIZE] [r|w|x] [--stride SIZE] [--verbose|--quiet]",
	.summary = "access memory as the CPU would: TLB, page walk, page fault",
	.help = "  Access memory as the CPU would: TLB lookup, page-table walk, and\n"
	    "  on a miss handle_mm_fault (mm/memory.c). One access per page of\n"
	    "  the range (or per --stride), reads by default. Each prints one\n"
	    "  line: a TLB hit, a TLB miss with the walk (one index per level\n"
	    "  and what the last entry held), and the fault taken: minor\n"
	    "  (do_anonymous_page, do_read_fault, do_cow_fault,\n"
	    "  do_shared_fault, do_wp_page copying or reusing, expand_stack)\n"
	    "  or major (the page had to be read from disk or swap), after\n"
	    "  which the access is retried and the TLB refilled. A read of a\n"
	    "  fresh anonymous page maps the shared zero page; the first write\n"
	    "  then copies it: two minor faults, as on Linux. An access that no\n"
	    "  VMA allows kills the process with SIGSEGV (one past the end of a\n"
	    "  mapped file with SIGBUS) and says why; the process is gone\n"
	    "  afterwards (no signal handlers are modelled).\n"
	    "  More than 16 accesses print only the summary unless --verbose;\n"
	    "  --quiet prints only the summary. The process is switched onto\n"
	    "  the CPU first if it is not there (see 'switch').\n"
	    "  Linux: arch/x86/mm/fault.c (do_user_addr_fault), mm/memory.c.",
	.args_min = 2,
	.args_max = 3,
	.options = "stride=,verbose,quiet",
	.exec = cmd_touch_exec,
};

static int cmd_switch_exec(struct cmd_ctx *ctx)
{
	struct machine *m = ctx->m;
	struct task_struct *t;
	struct tlb *tlb = m->tlb;
	unsigned long before;

	if ((t = cmd_find_task(ctx, ctx->args.argv[0])) == NULL)
		return -1;
	if (t->mm == NULL || t->mm->pgt == NULL)
		return cmd_error(ctx, "pid %d has no page table", t->pid);
	if (tlb->cur == t->mm->pgt) {
		cmd_print(ctx, "pid %d (%s) is already on the CPU\n", t->pid,
		    t->comm);
		return 0;
	}
	before = tlb->invalidated;
	task_switch_to(m, t);
	cmd_print(ctx, "pid %d (%s): page table at pfn 0x%lx loaded (CR3), ",
	    t->pid, t->comm, t->mm->pgt->root_pfn);
	if (tlb->asid_enabled && tlb->cur_asid != 0)
		cmd_print(ctx, "asid %u: TLB entries of other processes kept, "
		    "tagged with their ASID\n", tlb->cur_asid);
	else
		cmd_print(ctx, "no ASID: TLB flushed, %lu entries dropped\n",
		    tlb->invalidated - before);
	return 0;
}

const struct cmd_entry cmd_switch_entry = {
	.name = "switch",
	.group = CMD_GROUP_PROCESS,
	.usage = "switch PID",
	.summary = "context switch: load the process's page table (CR3)",
	.help = "  Put the process on the (single) CPU: switch_mm writes its page\n"
	    "  table's root into CR3 (TTBR0 on ARM). Without ASIDs (--asid off)\n"
	    "  that flushes the whole TLB; with them (PCID on x86) entries are\n"
	    "  tagged with their address space and survive, so switching back\n"
	    "  finds them again. The process becomes R in ps, the previous one\n"
	    "  S. 'touch' switches implicitly.\n"
	    "  Linux: arch/x86/mm/tlb.c (switch_mm_irqs_off).",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_switch_exec,
};

static int cmd_frames_exec(struct cmd_ctx *ctx)
{
	struct sbuf sb = SBUF_INIT;
	int zone = -1, z;

	if (ctx->args.argc > 0) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			if (strcasecmp(zone_names[z], ctx->args.argv[0]) == 0)
				zone = z;
		}
		if (zone < 0)
			return cmd_error(ctx, "no zone '%s' (DMA, DMA32, Normal, "
			    "HighMem, Movable)", ctx->args.argv[0]);
	}
	report_frames(ctx->m, zone, &sb);
	cmd_print(ctx, "%s", sbuf_str(&sb));
	sbuf_free(&sb);
	return 0;
}

const struct cmd_entry cmd_frames_entry = {
	.name = "frames",
	.group = CMD_GROUP_VIEW,
	.usage = "frames [ZONE]",
	.summary = "physical frames in use and who owns them (reverse map)",
	.help = "  Every allocated frame (a block's head for order > 0): pfn,\n"
	    "  zone, order, _refcount, mapcount, flags, and its owners: for a\n"
	    "  user page every (pid, address) mapping it, found through the\n"
	    "  reverse map (rmap_walk: anon_vma for anonymous pages, the file's\n"
	    "  mappings for page-cache pages); page-table pages with their\n"
	    "  process and level; the shared zero page; kernel and slab\n"
	    "  allocations. Frames reserved at boot are counted, not listed.\n"
	    "  Linux: mm/rmap.c, include/linux/page-flags.h, tools/mm/page-types.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_frames_exec,
};
