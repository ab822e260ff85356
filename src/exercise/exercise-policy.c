/*
 * exercise-policy.c - the `policy` exercise kind: a reference string, a
 * number of frames and a replacement policy; find each reference's hit or
 * miss and victim, and the totals. The worked answer is the refstring
 * table with the reason of every eviction (report/refstring.c).
 *
 * The generator draws strings with some locality (a reference often
 * repeats one of the last few pages) until the problem is worth asking:
 * at least one hit and one eviction. For opt it also avoids strings where
 * an eviction has to choose between pages that are never used again (any
 * of them is optimal, so the answer would hang on a tie rule); should a
 * tie be unavoidable for the options given, the problem states the rule.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/exercise.h"
#include "vmscope/refstring.h"
#include "vmscope/report-refstring.h"

#define MAX_FRAMES	8
#define MAX_PAGES	32
#define MAX_LENGTH	60
#define TIE_FREE_TRIES	500
#define TRIES		2000

struct policy_ex {
	enum refsim_policy policy;
	unsigned	 frames;
	unsigned	 npages;	/* page numbers 0 .. npages - 1 */
	uint64_t	*refs;
	size_t		 n;
	unsigned long	 hits;
	unsigned long	 misses;
	bool		 tie;		/* opt/unopt needed the tie rule */
};

static const char *policy_rule(enum refsim_policy p)
{
	switch (p) {
	case REFSIM_FIFO:
		return "on a miss with every frame full, the page that has been in\n"
		    "memory longest is evicted.";
	case REFSIM_LRU:
		return "on a miss with every frame full, the page used least\n"
		    "recently is evicted.";
	case REFSIM_MRU:
		return "on a miss with every frame full, the page used most\n"
		    "recently is evicted.";
	case REFSIM_CLOCK:
		return "the frames form a circle, each with a referenced bit, and a\n"
		    "hand starts at frame 1. Pages fill free frames in order. A\n"
		    "reference sets the page's bit (a new page starts with it set).\n"
		    "On a miss with every frame full, the hand clears set bits and\n"
		    "moves on until it points at a page whose bit is clear: that page\n"
		    "is evicted, the new page takes its frame, and the hand moves to\n"
		    "the next frame.";
	case REFSIM_OPT:
		return "on a miss with every frame full, the page whose next use is\n"
		    "farthest in the future is evicted (a page never used again is\n"
		    "the farthest; among several such, the one loaded last).";
	case REFSIM_UNOPT:
		return "on a miss with every frame full, the page needed soonest is\n"
		    "evicted (if none is used again, the one loaded first).";
	case REFSIM_LRU2Q:
		return "memory keeps two lists, as Linux does. A new page joins the\n"
		    "inactive list; a hit on an inactive page moves it to the active\n"
		    "list, and if the active list then holds more than half the\n"
		    "frames its oldest page goes back to the inactive list as its\n"
		    "youngest; a hit on an active page makes it the youngest active\n"
		    "one. On a miss with every frame full, the oldest inactive page is\n"
		    "evicted.";
	default:
		return "";
	}
}

/*
 * Worth asking: a hit, an eviction, and (unless allow_tie) no eviction
 * decided by a tie between pages never used again. Also records the
 * totals and whether a tie occurred.
 */
static bool acceptable(struct policy_ex *pe, bool allow_tie)
{
	struct refsim *sim = refsim_new(pe->policy, pe->frames);
	struct refsim_frame fr[MAX_FRAMES];
	bool evicted = false, tie = false;

	if (refsim_policy_needs_future(pe->policy))
		refsim_set_future(sim, pe->refs, pe->n);
	for (size_t i = 0; i < pe->n; i++) {
		size_t nf = refsim_frames(sim, fr, MAX_FRAMES), never = 0;
		struct refsim_result res;

		refsim_step(sim, pe->refs[i], &res);
		if (!res.evicted)
			continue;
		evicted = true;
		for (size_t k = 0; k < nf; k++)
			never += fr[k].next_use == REFSIM_NEVER;
		if (refsim_policy_needs_future(pe->policy) && never > 1 &&
		    res.victim_next == REFSIM_NEVER)
			tie = true;
	}
	pe->hits = refsim_hits(sim);
	pe->misses = refsim_misses(sim);
	pe->tie = tie;
	refsim_free(sim);
	return evicted && pe->hits > 0 && (allow_tie || !tie);
}

static void draw(struct exercise *ex, struct policy_ex *pe)
{
	for (size_t i = 0; i < pe->n; i++) {
		/* Locality: often one of the last few pages again. */
		if (i >= 2 && exercise_rand_below(ex, 100) < 35) {
			size_t back = 1 + exercise_rand_below(ex,
			    i < pe->frames + 1 ? i : pe->frames + 1);

			pe->refs[i] = pe->refs[i - back];
			/* One frame only ever hits on a page repeated at once. */
			if (pe->refs[i] != pe->refs[i - 1] || pe->frames == 1)
				continue;
		}
		do {
			pe->refs[i] = exercise_rand_below(ex, pe->npages);
		} while (i > 0 && pe->refs[i] == pe->refs[i - 1]);
	}
}

static int opt_number(const struct exercise_opt *opts, int nopts,
    const char *name, unsigned long def, unsigned long lo, unsigned long hi,
    unsigned long *val, struct sbuf *err)
{
	const char *s = exercise_opt_get(opts, nopts, name);
	uint64_t v = def;

	if (s != NULL && (parse_u64(s, &v) != 0 || v < lo || v > hi)) {
		sbuf_printf(err, "exercise policy: --%s: '%s' is not a number "
		    "from %lu to %lu", name, s, lo, hi);
		return -1;
	}
	*val = (unsigned long)v;
	return 0;
}

static int policy_generate(struct exercise *ex, const struct exercise_opt *opts,
    int nopts, struct sbuf *err)
{
	static const enum refsim_policy defaults[] = { REFSIM_FIFO, REFSIM_LRU,
	    REFSIM_CLOCK, REFSIM_OPT };
	const char *pname = exercise_opt_get(opts, nopts, "policy");
	struct policy_ex *pe = xcalloc(1, sizeof(*pe));
	unsigned long frames, npages, length;
	int tries;

	ex->data = pe;
	if (pname != NULL) {
		int p = refsim_policy_lookup(pname);

		if (p < 0 || p == REFSIM_RAND || p == REFSIM_OSTEP_CLOCK) {
			sbuf_printf(err, "exercise policy: --policy: '%s' is not one "
			    "of fifo, lru, clock, opt, lru2q, mru, unopt", pname);
			return -1;
		}
		pe->policy = (enum refsim_policy)p;
	} else {
		pe->policy = defaults[exercise_rand_below(ex, ARRAY_SIZE(defaults))];
	}
	if (opt_number(opts, nopts, "frames", 3, 1, MAX_FRAMES, &frames, err) ||
	    opt_number(opts, nopts, "pages", frames + 3 > MAX_PAGES ? MAX_PAGES :
	    frames + 3, frames + 1, MAX_PAGES, &npages, err) ||
	    opt_number(opts, nopts, "length", 12 > frames + 2 ? 12 : frames + 2,
	    frames + 2, MAX_LENGTH, &length, err))
		return -1;
	pe->frames = (unsigned)frames;
	pe->npages = (unsigned)npages;
	pe->n = length;
	pe->refs = xcalloc(length, sizeof(*pe->refs));
	for (tries = 0; tries < TRIES; tries++) {
		draw(ex, pe);
		if (acceptable(pe, tries >= TIE_FREE_TRIES))
			break;
	}
	if (tries == TRIES) {
		sbuf_printf(err, "exercise policy: no string of %lu references "
		    "over %lu pages gives a hit and an eviction with %lu frames; "
		    "try a longer --length", length, npages, frames);
		return -1;
	}

	/* The questions, from a replay that keeps the frames before each. */
	{
		struct refsim *sim = refsim_new(pe->policy, pe->frames);
		struct refsim_frame fr[MAX_FRAMES];
		struct sbuf prompt = SBUF_INIT, ans = SBUF_INIT, why = SBUF_INIT;
		struct sbuf mem = SBUF_INIT;

		if (refsim_policy_needs_future(pe->policy))
			refsim_set_future(sim, pe->refs, pe->n);
		for (size_t i = 0; i < pe->n; i++) {
			size_t nf = refsim_frames(sim, fr, MAX_FRAMES);
			struct refsim_result res;

			sbuf_reset(&mem);
			report_refsim_frames(&mem, sim);
			refsim_step(sim, pe->refs[i], &res);
			sbuf_reset(&prompt);
			sbuf_reset(&why);
			sbuf_printf(&prompt, "Reference %zu is page %" PRIu64
			    ": hit or miss?", i + 1, pe->refs[i]);
			sbuf_printf(&why, "%" PRIu64 " is %sin memory %s",
			    pe->refs[i], res.hit ? "" : "not ", sbuf_str(&mem));
			exercise_add_question(ex, ANSWER_HIT_MISS, sbuf_str(&prompt),
			    res.hit ? "hit" : "miss", sbuf_str(&why));
			if (res.hit)
				continue;
			sbuf_reset(&prompt);
			sbuf_reset(&ans);
			sbuf_reset(&why);
			sbuf_printf(&prompt, "Which page does reference %zu evict "
			    "(- for none)?", i + 1);
			if (res.evicted) {
				sbuf_printf(&ans, "%" PRIu64, res.victim);
				report_refsim_reason(&why, pe->policy, fr, nf, &res, i);
			} else {
				sbuf_add(&ans, "-");
				sbuf_add(&why, "a frame is still free");
			}
			exercise_add_question(ex, ANSWER_PAGE_OR_NONE,
			    sbuf_str(&prompt), sbuf_str(&ans), sbuf_str(&why));
		}
		sbuf_reset(&ans);
		sbuf_reset(&why);
		sbuf_printf(&ans, "%lu", pe->misses);
		sbuf_printf(&why, "%lu hits and %lu misses in %zu references",
		    pe->hits, pe->misses, pe->n);
		exercise_add_question(ex, ANSWER_NUMBER, "How many misses in all?",
		    sbuf_str(&ans), sbuf_str(&why));
		sbuf_free(&prompt);
		sbuf_free(&ans);
		sbuf_free(&why);
		sbuf_free(&mem);
		refsim_free(sim);
	}
	return 0;
}

static const char *upper_name(enum refsim_policy p)
{
	static const char *const names[NR_REFSIM_POLICIES] = {
		[REFSIM_LRU2Q] = "LRU2Q", [REFSIM_FIFO] = "FIFO",
		[REFSIM_LRU] = "LRU", [REFSIM_CLOCK] = "CLOCK",
		[REFSIM_OPT] = "OPT", [REFSIM_MRU] = "MRU",
		[REFSIM_UNOPT] = "UNOPT",
	};

	return names[p] != NULL ? names[p] : "?";
}

static void policy_print_problem(const struct exercise *ex, struct sbuf *out)
{
	const struct policy_ex *pe = ex->data;

	sbuf_printf(out, "Page replacement (exercise policy, seed %" PRIu64 ")\n\n",
	    ex->seed);
	sbuf_add(out, "A process makes these page references, in order:\n\n ");
	for (size_t i = 0; i < pe->n; i++)
		sbuf_printf(out, " %" PRIu64, pe->refs[i]);
	sbuf_printf(out, "\n\nMemory has %u frame%s, empty at the start. The "
	    "policy is %s:\n%s\n\n", pe->frames, pe->frames == 1 ? "" : "s",
	    upper_name(pe->policy), policy_rule(pe->policy));
	sbuf_add(out, "For each reference: is it a hit or a miss, and which "
	    "page does it evict,\nif any? How many hits and misses are there "
	    "in all?\n");
}

static void policy_print_solution(const struct exercise *ex, struct sbuf *out)
{
	const struct policy_ex *pe = ex->data;
	unsigned long hits;

	sbuf_printf(out, "\nSolution (%s, %u frame%s):\n\n",
	    refsim_policy_names[pe->policy], pe->frames,
	    pe->frames == 1 ? "" : "s");
	report_refstring_table(out, pe->policy, pe->frames, pe->refs, pe->n,
	    true, true, &hits);
	report_refsim_totals(out, pe->hits, pe->misses);
	sbuf_addc(out, '\n');
}

static void policy_free_data(struct exercise *ex)
{
	struct policy_ex *pe = ex->data;

	if (pe != NULL)
		free(pe->refs);
	free(pe);
	ex->data = NULL;
}

const struct exercise_kind exercise_policy_kind = {
	.name = "policy",
	.summary = "a reference string: hits, misses and victims for a policy",
	.usage = "[--policy fifo|lru|clock|opt|lru2q|mru|unopt] [--frames N] "
	    "[--pages N] [--length N]",
	.options = "policy=,frames=,pages=,length=",
	.generate = policy_generate,
	.print_problem = policy_print_problem,
	.print_solution = policy_print_solution,
	.free_data = policy_free_data,
};
