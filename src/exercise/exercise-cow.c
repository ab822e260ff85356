/*
 * exercise-cow.c - the `cow` exercise kind: a process writes some pages
 * of an anonymous mapping, forks, then parent and child read and write
 * them (the child may exit); predict which fault each access takes, the
 * fault counts, the frames copied and the frames still shared.
 *
 * Everything runs in the model (fork's copy_page_range, handle_mm_fault,
 * do_wp_page copying or reusing); the answers are read from each touch's
 * events and from the two page tables at the end, and the worked answer
 * is each touch's own output (TLB, walk, fault path and why).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/events.h"
#include "vmscope/exercise.h"
#include "vmscope/memory.h"
#include "vmscope/mm.h"
#include "vmscope/pgtable.h"
#include "vmscope/session.h"
#include "vmscope/task.h"

#define BASE		0x10000000ULL
#define PAGE		0x1000ULL
#define MAX_PAGES	8
#define MAX_OPS		16

static const int cow_events[] = {
	EV_COPY_PAGE_RANGE, -1
};

/* none, anon, zero, copy or reuse: what the last touch did. */
static const char *fault_of(const struct exercise_run *r)
{
	if (exercise_run_saw(r, EV_WP_PAGE_COPY))
		return "copy";
	if (exercise_run_saw(r, EV_WP_PAGE_REUSE))
		return "reuse";
	if (exercise_run_saw(r, EV_DO_ANONYMOUS_PAGE))
		return strstr(sbuf_str(&r->out), "zero page") != NULL ? "zero" :
		    "anon";
	return "none";
}

static unsigned long shared_frames(struct machine *m, unsigned npages)
{
	struct task_struct *a = find_task_by_pid(m, 1), *b = find_task_by_pid(m, 2);
	unsigned long n = 0;

	if (a == NULL || b == NULL)
		return 0;
	for (unsigned i = 0; i < npages; i++) {
		uint64_t *pa = pte_offset(a->mm->pgt, BASE + i * PAGE);
		uint64_t *pb = pte_offset(b->mm->pgt, BASE + i * PAGE);

		if (pa != NULL && pb != NULL && pte_present(*pa) &&
		    pte_present(*pb) && pte_pfn(*pa) == pte_pfn(*pb) &&
		    !is_zero_pfn(m, pte_pfn(*pa)))
			n++;
	}
	return n;
}

static void add_number(struct exercise *ex, const char *prompt,
    unsigned long v, const char *why)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", v);
	exercise_add_question(ex, ANSWER_NUMBER, prompt, buf, why);
}

static int cow_generate(struct exercise *ex, const struct exercise_opt *opts,
    int nopts, struct sbuf *err)
{
	struct exercise_text *et = exercise_text_new(ex);
	struct exercise_run r;
	struct sbuf sb = SBUF_INIT, why = SBUF_INIT;
	unsigned long npages, length, faults[3] = { 0 }, copies = 0;
	bool written[MAX_PAGES] = { false }, child = true, any = false;
	int rc = -1;

	exercise_run_init(&r);
	if (exercise_opt_number("cow", opts, nopts, "pages", 4, 2, MAX_PAGES,
	    &npages, err) ||
	    exercise_opt_number("cow", opts, nopts, "length", 6, 2, MAX_OPS,
	    &length, err))
		goto out;
	if (exercise_run_cmd(&r, "machine --arch x86_64 --ram 32M") ||
	    exercise_run_cmd(&r, "spawn parent") ||
	    exercise_run_cmd(&r, "mmap 1 0x%llx %lup rw", BASE, npages)) {
		sbuf_add(err, "exercise cow: the model could not set up");
		goto out;
	}
	sbuf_printf(&et->problem, "Copy-on-write (exercise cow, seed %" PRIu64
	    ")\n\n", ex->seed);
	sbuf_printf(&et->problem, "Process 1 has a private anonymous mapping "
	    "of %lu pages at 0x%llx (rw),\nnever touched. Page i is at 0x%llx "
	    "+ i * 0x1000. In order:\n\n", npages, BASE, BASE);
	sbuf_add(&et->solution, "\nSolution (the model's faults):\n\n");

	/* Before the fork: the parent writes some pages, may read one. */
	for (unsigned i = 0; i < npages; i++) {
		if (exercise_rand_below(ex, 100) < 60 || (i + 1 == npages && !any)) {
			exercise_run_cmd(&r, "touch 1 0x%llx w", BASE + i * PAGE);
			written[i] = any = true;
			sbuf_printf(&et->problem, "  pid 1 writes page %u\n", i);
			sbuf_add(&et->solution, sbuf_str(&r.out));
		} else if (exercise_rand_below(ex, 100) < 40) {
			exercise_run_cmd(&r, "touch 1 0x%llx r", BASE + i * PAGE);
			sbuf_printf(&et->problem, "  pid 1 reads page %u\n", i);
			sbuf_add(&et->solution, sbuf_str(&r.out));
		}
	}
	exercise_run_cmd(&r, "fork 1");
	sbuf_add(&et->problem, "  pid 1 forks: the child is pid 2\n");
	sbuf_add(&et->solution, "fork: pid 2\n");
	exercise_run_events(&r, cow_events, "    ", &et->solution);
	sbuf_add(&et->problem, "Then:\n");

	for (unsigned long k = 0; k < length; k++) {
		unsigned pid = child ? 1 + (unsigned)exercise_rand_below(ex, 2) : 1;
		unsigned pg = (unsigned)exercise_rand_below(ex, npages);
		bool w = exercise_rand_below(ex, 100) < 65;
		const char *f;

		if (child && k >= 2 && k + 1 < length &&
		    exercise_rand_below(ex, 100) < 15) {
			exercise_run_cmd(&r, "exit 2");
			child = false;
			sbuf_printf(&et->problem, "  %2lu. pid 2 exits\n", k + 1);
			sbuf_printf(&et->solution, "%2lu. pid 2 exits: its "
			    "mappings go, the pages it shared are mapped once "
			    "again\n", k + 1);
			continue;
		}
		exercise_run_cmd(&r, "touch %u 0x%llx %c", pid, BASE + pg * PAGE,
		    w ? 'w' : 'r');
		f = fault_of(&r);
		if (strcmp(f, "none") != 0)
			faults[pid]++;
		copies += strcmp(f, "copy") == 0;
		sbuf_printf(&et->problem, "  %2lu. pid %u %s page %u\n", k + 1,
		    pid, w ? "writes" : "reads", pg);
		sbuf_printf(&et->solution, "%2lu. pid %u %s page %u: %s\n    %s",
		    k + 1, pid, w ? "writes" : "reads", pg, f, sbuf_str(&r.out));
		sbuf_reset(&sb);
		sbuf_printf(&sb, "Access %lu (pid %u %s page %u): which fault? "
		    "(none, anon, zero, copy, reuse)", k + 1, pid,
		    w ? "writes" : "reads", pg);
		exercise_add_question(ex, ANSWER_WORD, sbuf_str(&sb), f,
		    sbuf_str(&r.out));
	}
	(void)written;
	sbuf_add(&et->problem, "\nFor each access after the fork: does it fault, "
	    "and how (none; anon: a new\nzeroed frame; zero: the shared zero "
	    "page mapped read-only; copy: do_wp_page\ncopies the page; reuse: "
	    "do_wp_page makes the page writable again)? How\nmany faults does "
	    "each process take after the fork, how many frames are\ncopied, "
	    "and how many frames do the two share at the end (not counting "
	    "the\nzero page)?\n");

	sbuf_reset(&why);
	sbuf_printf(&why, "the accesses above that did not say none");
	add_number(ex, "How many faults does pid 1 take after the fork?",
	    faults[1], sbuf_str(&why));
	add_number(ex, "How many faults does pid 2 take?", faults[2],
	    sbuf_str(&why));
	add_number(ex, "How many frames are copied after the fork?", copies,
	    "one per 'copy' access");
	sbuf_printf(&et->solution, "\npid 1 took %lu faults after the fork, pid "
	    "2 took %lu; %lu frames were copied.\n", faults[1], faults[2],
	    copies);
	if (child) {
		unsigned long shared = shared_frames(r.s->m, (unsigned)npages);

		add_number(ex, "How many frames do pid 1 and pid 2 still share at "
		    "the end (not the zero page)?", shared, "the pages neither "
		    "wrote since the fork, among those written before it");
		sbuf_printf(&et->solution, "At the end they share %lu frame%s "
		    "(same pfn in both page tables).\n", shared,
		    shared == 1 ? "" : "s");
	}
	sbuf_addc(&et->solution, '\n');
	rc = 0;
out:
	sbuf_free(&sb);
	sbuf_free(&why);
	exercise_run_free(&r);
	return rc;
}

const struct exercise_kind exercise_cow_kind = {
	.name = "cow",
	.summary = "fork and touches: faults, frames copied and still shared",
	.usage = "[--pages N] [--length N]",
	.options = "pages=,length=",
	.generate = cow_generate,
	.print_problem = exercise_text_print_problem,
	.print_solution = exercise_text_print_solution,
	.free_data = exercise_text_free,
};
