/*
 * exercise-tlb.c - the `tlb` exercise kind: two processes take turns on
 * the CPU and read their pages; predict each access's TLB hit or miss,
 * with address-space ids (entries tagged, kept across a switch) and
 * without (every switch flushes the TLB).
 *
 * The same command lines run on two toy machines that differ only in
 * --asid; the answers are the TLB_HIT / TLB_MISS events of each touch,
 * and the worked answer shows each access's lookup, refill and eviction
 * events. The pages are populated first so no fault muddies the TLB.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/events.h"
#include "vmscope/exercise.h"

#define BASE		0x1000ULL
#define PAGE		32ULL		/* the toy's default page */
#define MAX_OPS		24
#define MAX_PAGES	8

static const int tlb_events[] = {
	EV_TLB_HIT, EV_TLB_MISS, EV_TLB_FILL, EV_TLB_EVICT, EV_FLUSH_TLB_ALL,
	EV_FLUSH_TLB_MM, EV_SWITCH_MM, -1
};

struct tlb_op {
	bool		 sw;		/* a context switch to pid */
	unsigned	 pid;
	unsigned	 page;
};

/* Run the sequence on a machine with ASIDs on or off. */
static int play(struct exercise_run *r, bool asid, unsigned long entries,
    unsigned long ways, unsigned long npages, const struct tlb_op *ops,
    size_t n, bool *hit, struct sbuf *steps)
{
	if (exercise_run_cmd(r, "machine --arch toy --tlb %lux%lu --asid %s",
	    entries, ways, asid ? "on" : "off") ||
	    exercise_run_cmd(r, "spawn a") || exercise_run_cmd(r, "spawn b") ||
	    exercise_run_cmd(r, "mmap 1 0x%llx %lup populate", BASE, npages) ||
	    exercise_run_cmd(r, "mmap 2 0x%llx %lup populate", BASE, npages) ||
	    exercise_run_cmd(r, "switch 1"))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (ops[i].sw) {
			if (exercise_run_cmd(r, "switch %u", ops[i].pid))
				return -1;
		} else {
			if (exercise_run_cmd(r, "touch %u 0x%llx r", ops[i].pid,
			    BASE + ops[i].page * PAGE))
				return -1;
			hit[i] = exercise_run_saw(r, EV_TLB_HIT);
		}
		if (steps == NULL)
			continue;
		sbuf_printf(steps, "%2zu. %s", i + 1, ops[i].sw ? "switch" : "");
		if (ops[i].sw)
			sbuf_printf(steps, " to pid %u\n", ops[i].pid);
		else
			sbuf_printf(steps, "pid %u page %u: %s\n", ops[i].pid,
			    ops[i].page, hit[i] ? "hit" : "miss");
		exercise_run_events(r, tlb_events, "      ", steps);
	}
	return 0;
}

static int tlb_generate(struct exercise *ex, const struct exercise_opt *opts,
    int nopts, struct sbuf *err)
{
	struct exercise_text *et = exercise_text_new(ex);
	struct exercise_run r;
	struct tlb_op ops[MAX_OPS];
	bool hit_on[MAX_OPS], hit_off[MAX_OPS];
	struct sbuf s_on = SBUF_INIT, s_off = SBUF_INIT, sb = SBUF_INIT;
	unsigned long entries, ways, npages, length, miss_on = 0, miss_off = 0;
	unsigned cur = 1;
	int rc = -1;

	exercise_run_init(&r);
	if (exercise_opt_number("tlb", opts, nopts, "entries", 4, 1, 16,
	    &entries, err) ||
	    exercise_opt_number("tlb", opts, nopts, "ways", 2, 1, entries,
	    &ways, err) ||
	    exercise_opt_number("tlb", opts, nopts, "pages", 3, 1, MAX_PAGES,
	    &npages, err) ||
	    exercise_opt_number("tlb", opts, nopts, "length", 10, 2, MAX_OPS,
	    &length, err))
		goto out;
	if (entries % ways != 0 || ((entries / ways) & (entries / ways - 1))) {
		sbuf_printf(err, "exercise tlb: --entries %lu --ways %lu: the "
		    "entries must divide into a power-of-two number of sets",
		    entries, ways);
		goto out;
	}
	for (size_t i = 0; i < length; i++) {
		ops[i].sw = i > 0 && !ops[i - 1].sw &&
		    exercise_rand_below(ex, 100) < 30;
		if (ops[i].sw) {
			cur = 3 - cur;
			ops[i].pid = cur;
			continue;
		}
		ops[i].pid = cur;
		/* a page used lately, often: hits worth predicting */
		ops[i].page = (unsigned)exercise_rand_below(ex, npages);
	}
	if (play(&r, true, entries, ways, npages, ops, length, hit_on, &s_on) ||
	    play(&r, false, entries, ways, npages, ops, length, hit_off,
	    &s_off)) {
		sbuf_printf(err, "exercise tlb: the model refused a step: %s",
		    sbuf_str(&r.err));
		goto out;
	}

	sbuf_printf(&et->problem, "TLB and context switches (exercise tlb, seed %"
	    PRIu64 ")\n\n", ex->seed);
	sbuf_printf(&et->problem, "A toy machine (32-byte pages) has a TLB of "
	    "%lu entries: %lu set%s of %lu way%s;\na page's set is its virtual "
	    "page number modulo %lu, and a full set evicts\nits least recently "
	    "used entry. Processes 1 and 2 each have %lu pages mapped\nat 0x%llx "
	    "+ i * 0x20 (page i), all present. The TLB starts empty, pid 1 on\n"
	    "the CPU. In order:\n\n", entries, entries / ways,
	    entries / ways == 1 ? "" : "s", ways, ways == 1 ? "" : "s",
	    entries / ways, npages, BASE);
	for (size_t i = 0; i < length; i++) {
		if (ops[i].sw)
			sbuf_printf(&et->problem, "  %2zu. switch to pid %u\n",
			    i + 1, ops[i].pid);
		else
			sbuf_printf(&et->problem, "  %2zu. pid %u reads page %u "
			    "(0x%llx)\n", i + 1, ops[i].pid, ops[i].page,
			    BASE + ops[i].page * PAGE);
	}
	sbuf_add(&et->problem, "\nIs each read a TLB hit or a miss (a) with "
	    "ASIDs: entries are tagged\nwith their address space and survive "
	    "a switch; (b) without: every switch\nflushes the TLB? How many "
	    "misses in all, each way?\n");

	for (size_t i = 0; i < length; i++) {
		if (ops[i].sw)
			continue;
		miss_on += !hit_on[i];
		miss_off += !hit_off[i];
		sbuf_reset(&sb);
		sbuf_printf(&sb, "Read %zu (pid %u page %u), with ASIDs: hit or "
		    "miss?", i + 1, ops[i].pid, ops[i].page);
		exercise_add_question(ex, ANSWER_HIT_MISS, sbuf_str(&sb),
		    hit_on[i] ? "hit" : "miss", hit_on[i] ? "the TLB holds "
		    "this page of this address space (its ASID)" : "no entry "
		    "of this address space for this page in its set");
		sbuf_reset(&sb);
		sbuf_printf(&sb, "Read %zu (pid %u page %u), without ASIDs: hit "
		    "or miss?", i + 1, ops[i].pid, ops[i].page);
		exercise_add_question(ex, ANSWER_HIT_MISS, sbuf_str(&sb),
		    hit_off[i] ? "hit" : "miss", hit_off[i] ? "loaded since the "
		    "last switch and not evicted" : "flushed by a switch, "
		    "evicted, or never loaded since the last switch");
	}
	sbuf_reset(&sb);
	sbuf_printf(&sb, "%lu", miss_on);
	exercise_add_question(ex, ANSWER_NUMBER, "How many misses with ASIDs?",
	    sbuf_str(&sb), NULL);
	sbuf_reset(&sb);
	sbuf_printf(&sb, "%lu", miss_off);
	exercise_add_question(ex, ANSWER_NUMBER, "How many misses without ASIDs?",
	    sbuf_str(&sb), NULL);

	sbuf_printf(&et->solution, "\nSolution (a) with ASIDs, the model's TLB "
	    "events:\n\n%s\n(b) without ASIDs:\n\n%s\nMisses: %lu with ASIDs, "
	    "%lu without.\n\n", sbuf_str(&s_on), sbuf_str(&s_off), miss_on,
	    miss_off);
	rc = 0;
out:
	sbuf_free(&s_on);
	sbuf_free(&s_off);
	sbuf_free(&sb);
	exercise_run_free(&r);
	return rc;
}

const struct exercise_kind exercise_tlb_kind = {
	.name = "tlb",
	.summary = "reads and context switches: TLB hits with and without ASID",
	.usage = "[--entries N] [--ways N] [--pages N] [--length N]",
	.options = "entries=,ways=,pages=,length=",
	.generate = tlb_generate,
	.print_problem = exercise_text_print_problem,
	.print_solution = exercise_text_print_solution,
	.free_data = exercise_text_free,
};
