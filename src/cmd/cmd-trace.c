/*
 * cmd-trace.c - `replay PID FILE`: a memory-reference trace from a real
 * program (valgrind lackey, Dinero din) or a textbook exercise (a plain
 * list) played as the process's loads, stores and instruction fetches.
 * The readers are in src/core/trace.c; each access goes through
 * access_memory (src/core/memory.c), the function behind `touch`, so a
 * replay counts TLB hits, walks and faults exactly as touch does.
 *
 * A trace's addresses come from another process's layout: lackey's
 * program ran at valgrind's load address, a textbook's page 7 is just
 * "page 7". So before the accesses:
 *   - a list of page numbers is placed on a fresh anonymous mapping
 *     (page N at its start + N pages);
 *   - with --map, the pages a trace touches outside every VMA get
 *     anonymous rwx mappings (grouped into ranges), as if the program had
 *     mapped them; without it such accesses are skipped and reported,
 *     since the real program would have died of SIGSEGV on the first.
 *
 * Under `policy opt` the replay is the one place where the future is
 * known: the accesses about to be made are handed to opt.c first, and
 * reclaim evicts the process's page used again farthest ahead.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/memory.h"
#include "vmscope/opt.h"
#include "vmscope/session.h"
#include "vmscope/trace.h"
#include "cmd-task.h"

struct replay_stats {
	unsigned long	 accesses;
	unsigned long	 by_kind[3];	/* enum trace_kind */
	unsigned long	 tlb_hits, walks, minor, major;
	unsigned long	 by_path[NR_FAULT_PATHS];
	unsigned long	 outside;	/* skipped: no VMA there */
	uint64_t	 first_outside;
	uint32_t	 first_outside_line;
	unsigned long	 mapped_ranges;	/* --map */
	uint64_t	 mapped_bytes;
};

/*
 * The virtual pages a trace touches, sorted, without duplicates. An
 * access that straddles a page boundary (lackey gives sizes) touches the
 * next page too, as the CPU does.
 */
static uint64_t *trace_pages(const struct trace *tr, unsigned shift,
    uint64_t base, size_t *np)
{
	uint64_t *pages = xcalloc(tr->nrefs * 2 + 1, sizeof(*pages));
	size_t n = 0, u = 0;

	for (size_t i = 0; i < tr->nrefs; i++) {
		const struct trace_ref *r = &tr->refs[i];
		uint64_t addr = tr->pages ? base + (r->addr << shift) : r->addr;

		pages[n++] = addr >> shift;
		if (r->size > 1 && addr + r->size - 1 > addr &&
		    (addr + r->size - 1) >> shift != addr >> shift)
			pages[n++] = (addr + r->size - 1) >> shift;
	}
	qsort(pages, n, sizeof(*pages), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		if (u == 0 || pages[u - 1] != pages[i])
			pages[u++] = pages[i];
	}
	*np = u;
	return pages;
}

/*
 * --map: give every page the trace touches outside the VMAs an
 * anonymous rwx private mapping, one per run of consecutive pages
 * (mmap_region merges runs that end up adjacent to each other).
 */
static int map_outside(struct cmd_ctx *ctx, struct task_struct *t,
    const uint64_t *pages, size_t n, struct replay_stats *st)
{
	struct mm_struct *mm = t->mm;
	unsigned shift = mm->page_shift;

	for (size_t i = 0; i < n;) {
		uint64_t start = pages[i] << shift;
		size_t j = i + 1;
		int64_t ret;

		if (find_vma_intersection(mm, start, start + mm->page_size) !=
		    NULL || start < mm->mmap_min_addr ||
		    start >= mm->task_size) {
			i++;
			continue;
		}
		while (j < n && pages[j] == pages[j - 1] + 1 &&
		    (pages[j] << shift) < mm->task_size &&
		    find_vma_intersection(mm, pages[j] << shift,
		    (pages[j] + 1) << shift) == NULL)
			j++;
		ret = do_mmap(mm, start, (uint64_t)(j - i) << shift,
		    PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, NULL, 0);
		if (ret < 0) {
			cmd_print_errno(ctx, "mmap", (int)ret);
			return -1;
		}
		st->mapped_ranges++;
		st->mapped_bytes += (uint64_t)(j - i) << shift;
		i = j;
	}
	return 0;
}

/*
 * One reference: an access per page it touches (two when it straddles a
 * page boundary). Returns the access_memory result of the last one; the
 * process is gone after ACCESS_SIGSEGV and worse.
 */
static enum access_kind replay_one(struct machine *m, struct task_struct *t,
    uint64_t addr, uint32_t size, enum trace_kind kind,
    struct replay_stats *st, struct access_result *r, struct opt_future *fut)
{
	static const enum mmu_access_type types[] = {
		[TRACE_READ] = MMU_READ,
		[TRACE_WRITE] = MMU_WRITE,
		[TRACE_IFETCH] = MMU_EXEC,
	};
	uint64_t last = size > 1 && addr + size - 1 > addr ?
	    addr + size - 1 : addr;
	enum access_kind k;

	for (;;) {
		if (fut != NULL)
			opt_future_access(fut, addr >> t->mm->page_shift);
		k = access_memory(m, t, addr, types[kind], r);
		st->accesses++;
		st->by_kind[kind]++;
		switch (k) {
		case ACCESS_TLB_HIT:
			st->tlb_hits++;
			break;
		case ACCESS_WALK:
			st->walks++;
			break;
		case ACCESS_MINOR:
			st->minor += (unsigned long)r->nr_faults;
			st->by_path[r->fault.path]++;
			break;
		case ACCESS_MAJOR:
			st->major++;
			st->minor += (unsigned long)r->nr_faults - 1;
			st->by_path[r->fault.path]++;
			break;
		default:
			return k;
		}
		if ((last >> t->mm->page_shift) == (addr >> t->mm->page_shift))
			return k;
		addr = (last >> t->mm->page_shift) << t->mm->page_shift;
	}
}

static void print_results(struct cmd_ctx *ctx, const struct replay_stats *st,
    struct task_struct *t, const struct access_result *r, bool killed)
{
	/* paths that share a Linux function, told apart */
	static const char *const path_detail[NR_FAULT_PATHS] = {
		[FAULT_ANON_ZERO] = " (zero page)",
		[FAULT_ANON] = " (new page)",
		[FAULT_WP_COPY] = " (copy)",
		[FAULT_WP_REUSE] = " (reuse)",
		[FAULT_WP_SHARED] = " (shared)",
	};
	const char *sep = " (";

	cmd_print(ctx, "%lu access%s: %lu TLB hit%s (%.1f%%), %lu TLB miss%s "
	    "with a page walk, %lu minor fault%s, %lu major\n", st->accesses,
	    st->accesses == 1 ? "" : "es", st->tlb_hits,
	    st->tlb_hits == 1 ? "" : "s", st->accesses != 0 ?
	    100.0 * (double)st->tlb_hits / (double)st->accesses : 0.0,
	    st->walks, st->walks == 1 ? "" : "es", st->minor,
	    st->minor == 1 ? "" : "s", st->major);
	if (st->minor + st->major > 0) {
		cmd_print(ctx, "faults by kind");
		for (int p = 0; p < NR_FAULT_PATHS; p++) {
			if (st->by_path[p] == 0)
				continue;
			cmd_print(ctx, "%s%s%s %lu", sep,
			    fault_path_name((enum fault_path)p),
			    path_detail[p] != NULL ? path_detail[p] : "",
			    st->by_path[p]);
			sep = ", ";
		}
		cmd_print(ctx, ")\n");
	}
	if (killed)
		cmd_print(ctx, "pid %d (%s) was killed: %s\n", r->pid, r->comm,
		    r->why != NULL ? r->why : "signal");
	else
		cmd_print(ctx, "resident set at the end: %lu page%s (%lu KiB)\n",
		    get_mm_rss(t->mm), get_mm_rss(t->mm) == 1 ? "" : "s",
		    (unsigned long)((get_mm_rss(t->mm) << t->mm->page_shift) >>
		    10));
}

static void print_summary(struct cmd_ctx *ctx, const char *path,
    const struct trace *tr, size_t npages)
{
	unsigned long k[3] = { 0, 0, 0 };

	for (size_t i = 0; i < tr->nrefs; i++)
		k[tr->refs[i].kind]++;
	cmd_print(ctx, "%s: %s, %zu reference%s (%lu read%s, %lu write%s, "
	    "%lu instruction fetch%s) on %zu %s%s", path,
	    trace_format_name(tr->format), tr->nrefs,
	    tr->nrefs == 1 ? "" : "s", k[TRACE_READ],
	    k[TRACE_READ] == 1 ? "" : "s", k[TRACE_WRITE],
	    k[TRACE_WRITE] == 1 ? "" : "s", k[TRACE_IFETCH],
	    k[TRACE_IFETCH] == 1 ? "" : "es", npages,
	    tr->pages ? "page number" : "page", npages == 1 ? "" : "s");
	if (tr->skipped > 0)
		cmd_print(ctx, ", %zu line%s skipped (%s)", tr->skipped,
		    tr->skipped == 1 ? "" : "s", tr->format == TRACE_DIN ?
		    "cache flushes" : "valgrind messages");
	cmd_print(ctx, "\n");
}

/*
 * The pages the replay will access, in order, one per access_memory call
 * replay_one makes: references outside every VMA are skipped as the
 * replay skips them, a reference across a page boundary is two.
 */
static struct opt_future *replay_future(struct task_struct *t,
    const struct trace *tr, uint64_t base)
{
	unsigned shift = t->mm->page_shift;
	uint64_t *seq = xcalloc(tr->nrefs * 2 + 1, sizeof(*seq));
	struct opt_future *fut;
	size_t n = 0;

	for (size_t i = 0; i < tr->nrefs; i++) {
		const struct trace_ref *ref = &tr->refs[i];
		uint64_t addr = tr->pages ? base + (ref->addr << shift) :
		    ref->addr;
		uint64_t last = ref->size > 1 && addr + ref->size - 1 > addr ?
		    addr + ref->size - 1 : addr;

		if (find_vma_intersection(t->mm, addr, addr + 1) == NULL)
			continue;
		seq[n++] = addr >> shift;
		if ((last >> shift) != (addr >> shift))
			seq[n++] = last >> shift;
	}
	fut = opt_future_new(t->mm, seq, n);
	free(seq);
	return fut;
}

static void print_opt(struct cmd_ctx *ctx, const struct opt_future *fut,
    const struct trace *tr, uint64_t base, unsigned shift, bool victims)
{
	const uint64_t *v;
	size_t n = opt_future_victims(fut, &v);

	if (!opt_future_valid(fut))
		cmd_print(ctx, "policy opt: the replay left the trace's order; "
		    "reclaim fell back to lru2q\n");
	else if (n == 0)
		cmd_print(ctx, "policy opt: the future was known; no page of "
		    "the process had to be evicted\n");
	else
		cmd_print(ctx, "policy opt: %zu page%s evicted knowing the "
		    "future, the one used again farthest ahead first (%zu "
		    "never used again)\n", n, n == 1 ? "" : "s",
		    opt_future_never_again(fut));
	if (!victims)
		return;
	cmd_print(ctx, "victims:");
	for (size_t i = 0; i < n; i++) {
		if (tr->pages && v[i] >= (base >> shift))
			cmd_print(ctx, " %" PRIu64, v[i] - (base >> shift));
		else
			cmd_print(ctx, " 0x%" PRIx64, v[i] << shift);
	}
	cmd_print(ctx, n == 0 ? " none\n" : "\n");
}

static int cmd_replay_exec(struct cmd_ctx *ctx)
{
	struct args *a = &ctx->args;
	struct task_struct *t = cmd_find_task(ctx, a->argv[0]);
	const char *path = a->argv[1], *fmtname = args_get(a, "format");
	enum trace_format fmt = TRACE_AUTO;
	struct replay_stats st;
	struct trace tr;
	uint64_t *pages, base = 0;
	size_t npages;
	unsigned shift;
	struct access_result r;
	struct opt_future *fut = NULL;
	bool killed = false;
	int rc = 0;

	if (t == NULL)
		return -1;
	if (args_has(a, "victims") && ctx->m->cfg.policy != POLICY_OPT)
		return cmd_error(ctx, "--victims lists the victims of policy "
		    "opt (this machine's policy is %s; `events` shows every "
		    "page_reclaim)", policy_names[ctx->m->cfg.policy]);
	if (fmtname != NULL) {
		int f = trace_format_lookup(fmtname);

		if (f < 0)
			return cmd_error(ctx, "--format %s: lackey, din, plain "
			    "or auto", fmtname);
		fmt = (enum trace_format)f;
	}
	if (args_has(a, "pages") && args_has(a, "addresses"))
		return cmd_error(ctx, "--pages and --addresses exclude each "
		    "other");
	if (trace_load(path, fmt, &tr, ctx->err) != 0) {
		ctx->s->file_error = true;
		return -1;
	}
	if (tr.format == TRACE_PLAIN && args_has(a, "pages"))
		tr.pages = true;
	else if (args_has(a, "addresses"))
		tr.pages = false;
	else if (args_has(a, "pages")) {
		trace_free(&tr);
		return cmd_error(ctx, "--pages is for plain lists; a %s trace "
		    "holds addresses", trace_format_name(tr.format));
	}
	memset(&st, 0, sizeof(st));
	shift = t->mm->page_shift;
	pages = trace_pages(&tr, shift, 0, &npages);
	print_summary(ctx, path, &tr, npages);
	if (args_has(a, "check"))
		goto out;

	if (tr.pages) {
		/* page N of the list is page N of a fresh mapping */
		uint64_t len = (pages[npages - 1] + 1) << shift;
		int64_t ret;

		if (pages[npages - 1] >= (t->mm->task_size >> shift)) {
			rc = cmd_error(ctx, "page %" PRIu64 " does not fit in "
			    "the address space", pages[npages - 1]);
			goto out;
		}
		ret = do_mmap(t->mm, 0, len, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
		if (ret < 0) {
			cmd_print_errno(ctx, "mmap", (int)ret);
			goto out;
		}
		base = (uint64_t)ret;
		cmd_print(ctx, "pages 0-%" PRIu64 " mapped at 0x%" PRIx64
		    " (page N at 0x%" PRIx64 " + N * %" PRIu64 ")\n",
		    pages[npages - 1], base, base, t->mm->page_size);
	} else if (args_has(a, "map")) {
		if (map_outside(ctx, t, pages, npages, &st) != 0)
			goto out;
		if (st.mapped_ranges > 0)
			cmd_print(ctx, "mapped %" PRIu64 " KiB outside the VMAs "
			    "in %lu anonymous mapping%s\n", st.mapped_bytes >> 10,
			    st.mapped_ranges, st.mapped_ranges == 1 ? "" : "s");
	}

	if (ctx->m->cfg.policy == POLICY_OPT) {
		fut = replay_future(t, &tr, base);
		opt_future_attach(ctx->m, fut);
	}
	for (size_t i = 0; i < tr.nrefs && !killed; i++) {
		const struct trace_ref *ref = &tr.refs[i];
		uint64_t addr = tr.pages ? base + (ref->addr << shift) :
		    ref->addr;
		enum access_kind k;

		if (find_vma_intersection(t->mm, addr, addr + 1) == NULL) {
			if (st.outside++ == 0) {
				st.first_outside = addr;
				st.first_outside_line = ref->line;
			}
			continue;
		}
		k = replay_one(ctx->m, t, addr, ref->size,
		    (enum trace_kind)ref->kind, &st, &r, fut);
		if (k == ACCESS_BAD) {
			rc = cmd_error(ctx, "pid %d has no page table", t->pid);
			goto out;
		}
		killed = k >= ACCESS_SIGSEGV;
		if (killed)	/* its mm is gone: no future to consult */
			opt_future_attach(ctx->m, NULL);
	}
	opt_future_attach(ctx->m, NULL);
	print_results(ctx, &st, t, &r, killed);
	if (fut != NULL)
		print_opt(ctx, fut, &tr, base, shift, args_has(a, "victims"));
	if (st.outside > 0)
		cmd_print(ctx, "%lu reference%s outside any VMA skipped (the "
		    "first: 0x%" PRIx64 ", line %" PRIu32 "; --map maps them)\n",
		    st.outside, st.outside == 1 ? "" : "s", st.first_outside,
		    st.first_outside_line);
out:
	if (fut != NULL) {
		opt_future_attach(ctx->m, NULL);
		opt_future_free(fut);
	}
	free(pages);
	trace_free(&tr);
	return rc;
}

const struct cmd_entry cmd_replay_entry = {
	.name = "replay",
	.group = CMD_GROUP_ACCESS,
	.usage = "replay PID FILE [--format lackey|din|plain|auto] "
	    "[--pages|--addresses] [--map] [--check] [--victims]",
	.summary = "play a memory trace (valgrind lackey, din, a list) as accesses",
	.help =
	    "  Read a trace of memory references and make each one an access by\n"
	    "  the process, as 'touch' does: TLB lookup, page walk, page fault.\n"
	    "  Formats (--format; guessed from the first line when not given):\n"
	    "    lackey  valgrind --tool=lackey --trace-mem=yes: \"I  0401ab70,3\",\n"
	    "            \" L 1fff000708,8\", \" S ...\", \" M ...\" (M = load then\n"
	    "            store); \"==PID==\" lines are skipped\n"
	    "    din     Dinero: \"LABEL HEXADDR\", 0 read, 1 write, 2 fetch\n"
	    "    plain   numbers separated by newlines, blanks or commas, each\n"
	    "            optionally followed by r, w or x; '#' starts a comment\n"
	    "  A plain list without 0x numbers is page numbers (--addresses: bytes):\n"
	    "  page N is placed at N pages into a fresh anonymous mapping. Other\n"
	    "  addresses are used as they are; --map first maps (rwx, anonymous)\n"
	    "  the pages they touch outside every VMA, else such accesses are\n"
	    "  skipped and counted. --check reads the trace and prints its summary\n"
	    "  only. A trace with a mistake is refused: FILE:LINE:COL: what is wrong.\n"
	    "  Under `policy opt` the trace is the future: reclaim evicts the\n"
	    "  process's page used again farthest ahead (never again first) and\n"
	    "  only as many as the watermarks ask for; --victims lists them.",
	.args_min = 2,
	.args_max = 2,
	.options = "format=,pages,addresses,map,check,victims",
	.exec = cmd_replay_exec,
};
