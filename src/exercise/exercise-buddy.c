/*
 * exercise-buddy.c - the `buddy` exercise kind: a zone of a few frames, a
 * sequence of alloc_pages and frees; predict the pfn of each allocation
 * and the blocks on each free list at the end.
 *
 * The answers come from the real buddy allocator (page_alloc.c) of a toy
 * machine driven with the `alloc_pages` and `free_pages` commands; the
 * worked answer replays each operation's events (__rmqueue_smallest,
 * expand, __free_one_page) and the free lists after it. The generator
 * keeps every allocation clear of the watermarks (no failure, no kswapd:
 * those are other lessons) and wants at least one merge.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/events.h"
#include "vmscope/exercise.h"
#include "vmscope/session.h"

#define MAX_OPS		20
#define TRIES		300

struct buddy_op {
	bool		 alloc;
	unsigned	 order;		/* alloc: the order asked */
	int		 block;		/* the block's letter: 0 = A */
};

static const int buddy_events[] = {
	EV_BUDDY_TAKE, EV_BUDDY_SPLIT, EV_ALLOC_PAGES, EV_FREE_PAGES,
	EV_BUDDY_MERGE, EV_BUDDY_FREE, -1
};

static struct zone *toy_zone(struct machine *m)
{
	return &m->nodes[0].node_zones[ZONE_NORMAL];
}

/* "[0] 0x3  [1] -  [2] 0x4 0xc" in list order (the first block first). */
static void free_lists(struct machine *m, unsigned top, struct sbuf *out)
{
	struct zone *z = toy_zone(m);

	for (unsigned o = 0; o <= top; o++) {
		struct page *page;
		bool any = false;

		sbuf_printf(out, "%s[%u]", o ? "  " : "", o);
		list_for_each_entry(page, &z->free_area[o].free_list, lru) {
			sbuf_printf(out, " 0x%lx", page_to_pfn(m, page));
			any = true;
		}
		if (!any)
			sbuf_add(out, " -");
	}
}

/* The first pfns of the blocks on free_area[o], sorted, or "-". */
static void list_answer(struct machine *m, unsigned o, struct sbuf *out)
{
	struct zone *z = toy_zone(m);
	unsigned long pfns[64];
	size_t n = 0;
	struct page *page;

	list_for_each_entry(page, &z->free_area[o].free_list, lru) {
		if (n < ARRAY_SIZE(pfns))
			pfns[n++] = page_to_pfn(m, page);
	}
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0 && pfns[j - 1] > pfns[j]; j--) {
			unsigned long t = pfns[j];

			pfns[j] = pfns[j - 1];
			pfns[j - 1] = t;
		}
	}
	if (n == 0)
		sbuf_add(out, "-");
	for (size_t i = 0; i < n; i++)
		sbuf_printf(out, "%s0x%lx", i ? " " : "", pfns[i]);
}

/* Returns the most blocks allocated at once. */
static int draw(struct exercise *ex, struct buddy_op *ops, size_t n,
    unsigned maxorder)
{
	int live[MAX_OPS], nlive = 0, next = 0, most = 0;

	for (size_t i = 0; i < n; i++) {
		if (nlive == 0 || (i + 1 < n && exercise_rand_below(ex, 100) <
		    (nlive < 2 ? 85 : 45))) {
			ops[i].alloc = true;
			ops[i].order = (unsigned)exercise_rand_below(ex, maxorder + 1);
			ops[i].block = next;
			live[nlive++] = next++;
			if (nlive > most)
				most = nlive;
		} else {
			int k = (int)exercise_rand_below(ex, (uint64_t)nlive);

			ops[i].alloc = false;
			ops[i].block = live[k];
			live[k] = live[--nlive];
		}
	}
	return most;
}

static void op_text(const struct buddy_op *op, const struct buddy_op *ops,
    struct sbuf *sb)
{
	if (op->alloc) {
		sbuf_printf(sb, "%c = alloc_pages(order %u)", 'A' + op->block,
		    op->order);
		return;
	}
	for (const struct buddy_op *a = ops; a < op; a++) {
		if (a->alloc && a->block == op->block) {
			sbuf_printf(sb, "free %c (order %u)", 'A' + op->block,
			    a->order);
			return;
		}
	}
}

/*
 * Run the operations on a fresh toy zone. With ex == NULL only check that
 * the sequence is worth asking; otherwise write the questions and the
 * worked answer too.
 */
static bool play(struct exercise *ex, struct exercise_text *et,
    const struct buddy_op *ops, size_t n, unsigned long frames,
    unsigned top)
{
	struct exercise_run r;
	unsigned long pfn[MAX_OPS];
	bool ok = true, merged = false;
	struct sbuf sb = SBUF_INIT, why = SBUF_INIT, ans = SBUF_INIT;

	exercise_run_init(&r);
	if (exercise_run_cmd(&r, "machine --arch toy --ram %lu", frames * 32)) {
		ok = false;
		goto out;
	}
	if (et != NULL)
		sbuf_add(&et->solution, "\nSolution (the model's buddy allocator, "
		    "step by step):\n\n");
	for (size_t i = 0; i < n && ok; i++) {
		const struct buddy_op *op = &ops[i];

		sbuf_reset(&sb);
		op_text(op, ops, &sb);
		if (op->alloc) {
			const char *p;

			if (exercise_run_cmd(&r, "alloc_pages %u", op->order) ||
			    (p = strstr(sbuf_str(&r.out), "pfn 0x")) == NULL) {
				ok = false;
				break;
			}
			pfn[op->block] = strtoul(p + 4, NULL, 16);
		} else if (exercise_run_cmd(&r, "free_pages 0x%lx", pfn[op->block])) {
			ok = false;
			break;
		}
		if (exercise_run_saw(&r, EV_ALLOC_FAIL) ||
		    exercise_run_saw(&r, EV_KSWAPD_WAKE) ||
		    exercise_run_saw(&r, EV_DIRECT_RECLAIM)) {
			ok = false;
			break;
		}
		merged |= exercise_run_saw(&r, EV_BUDDY_MERGE);
		if (et == NULL)
			continue;
		sbuf_printf(&et->solution, "%2zu. %s", i + 1, sbuf_str(&sb));
		if (op->alloc)
			sbuf_printf(&et->solution, " -> pfn 0x%lx", pfn[op->block]);
		sbuf_addc(&et->solution, '\n');
		exercise_run_events(&r, buddy_events, "      ", &et->solution);
		sbuf_add(&et->solution, "    free lists: ");
		free_lists(r.s->m, top, &et->solution);
		sbuf_add(&et->solution, "\n");
		if (op->alloc) {
			sbuf_reset(&why);
			sbuf_reset(&ans);
			exercise_run_events(&r, buddy_events, "    ", &why);
			sbuf_printf(&ans, "0x%lx", pfn[op->block]);
			sbuf_printf(&sb, ": which pfn does %c get?", 'A' + op->block);
			exercise_add_question(ex, ANSWER_NUMBER, sbuf_str(&sb),
			    sbuf_str(&ans), sbuf_str(&why));
		}
	}
	if (ok && n >= 4 && !merged)
		ok = false;
	if (!ok || et == NULL)
		goto out;
	sbuf_add(&et->solution, "\nAt the end, /proc/buddyinfo:\n");
	exercise_run_cmd(&r, "buddyinfo");
	sbuf_add(&et->solution, sbuf_str(&r.out));
	for (unsigned o = 0; o <= top; o++) {
		sbuf_reset(&sb);
		sbuf_reset(&ans);
		sbuf_reset(&why);
		sbuf_printf(&sb, "At the end, which blocks are on free_area[%u]? "
		    "(first pfns, - for none)", o);
		list_answer(r.s->m, o, &ans);
		sbuf_add(&why, "the free lists at the end: ");
		free_lists(r.s->m, top, &why);
		exercise_add_question(ex, ANSWER_SET, sbuf_str(&sb), sbuf_str(&ans),
		    sbuf_str(&why));
	}
	sbuf_addc(&et->solution, '\n');
out:
	sbuf_free(&sb);
	sbuf_free(&why);
	sbuf_free(&ans);
	exercise_run_free(&r);
	return ok;
}

static int buddy_generate(struct exercise *ex, const struct exercise_opt *opts,
    int nopts, struct sbuf *err)
{
	struct exercise_text *et = exercise_text_new(ex);
	struct buddy_op ops[MAX_OPS];
	unsigned long frames, length, maxorder;
	unsigned top;
	int tries;

	if (exercise_opt_number("buddy", opts, nopts, "frames", 16, 8, 64,
	    &frames, err))
		return -1;
	if ((frames & (frames - 1)) != 0) {
		sbuf_printf(err, "exercise buddy: --frames: %lu is not a power of "
		    "two", frames);
		return -1;
	}
	top = 0;
	while ((1UL << (top + 1)) <= frames)
		top++;
	if (exercise_opt_number("buddy", opts, nopts, "length", 6, 2, MAX_OPS,
	    &length, err) ||
	    exercise_opt_number("buddy", opts, nopts, "max-order",
	    top >= 3 ? 2 : top - 1, 0, top - 2, &maxorder, err))
		return -1;
	for (tries = 0; tries < TRIES; tries++) {
		if (draw(ex, ops, length, (unsigned)maxorder) < (length >= 4 ? 2 : 1))
			continue;
		if (play(NULL, NULL, ops, length, frames, top))
			break;
	}
	if (tries == TRIES) {
		sbuf_printf(err, "exercise buddy: no sequence of %lu operations "
		    "with a merge fits in %lu frames; try another --length",
		    length, frames);
		return -1;
	}

	sbuf_printf(&et->problem, "Buddy allocator (exercise buddy, seed %"
	    PRIu64 ")\n\n", ex->seed);
	sbuf_printf(&et->problem,
	    "A zone of %lu page frames (pfn 0x0-0x%lx) starts with every frame "
	    "free,\nas one block of order %u on free_area[%u]. The allocator "
	    "(mm/page_alloc.c):\n"
	    "- alloc_pages(order) takes the first block of the smallest non-empty\n"
	    "  free list of that order or more; while the block is larger than\n"
	    "  asked, it is split in halves: the lower half is kept, the upper\n"
	    "  half (its buddy) goes on the free list one order down;\n"
	    "- a freed block merges with its buddy (pfn XOR 2^order) while the\n"
	    "  buddy is free and of the same order, then goes on its list;\n"
	    "- a block put on a free list goes first on that list.\n\n"
	    "The operations, in order:\n", frames, frames - 1, top, top);
	for (size_t i = 0; i < length; i++) {
		struct sbuf sb = SBUF_INIT;

		op_text(&ops[i], ops, &sb);
		sbuf_printf(&et->problem, "  %2zu. %s\n", i + 1, sbuf_str(&sb));
		sbuf_free(&sb);
	}
	sbuf_printf(&et->problem, "\nWhich pfn does each allocation get? Which "
	    "blocks (their first pfns)\nare on free_area[0] to free_area[%u] "
	    "at the end?\n", top);
	if (!play(ex, et, ops, length, frames, top)) {
		sbuf_add(err, "exercise buddy: the model disagreed with itself");
		return -1;
	}
	return 0;
}

const struct exercise_kind exercise_buddy_kind = {
	.name = "buddy",
	.summary = "allocations and frees: pfns and the free lists per order",
	.usage = "[--frames 8|16|32|64] [--length N] [--max-order N]",
	.options = "frames=,length=,max-order=",
	.generate = buddy_generate,
	.print_problem = exercise_text_print_problem,
	.print_solution = exercise_text_print_solution,
	.free_data = exercise_text_free,
};
