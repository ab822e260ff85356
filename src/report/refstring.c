/*
 * refstring.c (report) - renders the reference-string simulator for
 * people: the frames in the policy's own order, the table of a whole run
 * and, for worked answers, the reason behind each eviction. The simulator
 * (src/core/refstring.c) only returns facts; the words live here so that
 * `refstring --explain`, `exercise policy --solve` and the REPL quiz give
 * the same explanation.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/report-refstring.h"

/* Reference numbers are shown from 1, as in textbooks. */
#define REFNO(t)	((t) + 1)

void report_refsim_frames(struct sbuf *sb, const struct refsim *sim)
{
	unsigned n = refsim_nframes(sim);
	struct refsim_frame *fr = xcalloc(n, sizeof(*fr));
	size_t cnt = refsim_frames(sim, fr, n);
	enum refsim_policy p = refsim_policy(sim);

	if (p == REFSIM_LRU2Q) {
		bool in_active = false;

		sbuf_add(sb, "I[");
		for (size_t i = 0; i < cnt; i++) {
			if (fr[i].active && !in_active) {
				sbuf_add(sb, "] A[");
				in_active = true;
			} else if (i > 0) {
				sbuf_addc(sb, ' ');
			}
			sbuf_printf(sb, "%" PRIu64, fr[i].page);
		}
		sbuf_add(sb, in_active ? "]" : "] A[]");
		free(fr);
		return;
	}
	sbuf_addc(sb, '[');
	for (size_t i = 0; i < cnt; i++) {
		if (i > 0)
			sbuf_addc(sb, ' ');
		if (p == REFSIM_CLOCK) {
			if (fr[i].hand)
				sbuf_addc(sb, '>');
			if (fr[i].empty) {
				sbuf_addc(sb, '_');
				continue;
			}
		}
		sbuf_printf(sb, "%" PRIu64, fr[i].page);
		if (p == REFSIM_CLOCK && fr[i].referenced)
			sbuf_addc(sb, '*');
		if (p == REFSIM_OSTEP_CLOCK)
			sbuf_printf(sb, ":%u", fr[i].count);
	}
	sbuf_addc(sb, ']');
	free(fr);
}

const char *report_refsim_order(enum refsim_policy p)
{
	switch (p) {
	case REFSIM_LRU2Q:
		return "I: inactive, A: active, oldest first";
	case REFSIM_LRU:
	case REFSIM_MRU:
		return "least recently used first";
	case REFSIM_CLOCK:
		return "by frame, > hand, * referenced";
	case REFSIM_OSTEP_CLOCK:
		return "oldest first, :count";
	default:
		return "oldest first";
	}
}

static void next_uses(struct sbuf *sb, const struct refsim_frame *before,
    size_t n)
{
	sbuf_add(sb, "next uses: ");
	for (size_t i = 0; i < n; i++) {
		sbuf_printf(sb, "%s%" PRIu64 " ", i ? ", " : "", before[i].page);
		if (before[i].next_use == REFSIM_NEVER)
			sbuf_add(sb, "never");
		else
			sbuf_printf(sb, "at %lu", REFNO(before[i].next_use));
	}
}

void report_refsim_reason(struct sbuf *sb, enum refsim_policy p,
    const struct refsim_frame *before, size_t n,
    const struct refsim_result *res, unsigned long t)
{
	uint64_t v = res->victim;
	size_t hand = 0, nnever = 0;

	(void)t;
	switch (p) {
	case REFSIM_FIFO:
		sbuf_printf(sb, "%" PRIu64 " has been in memory longest "
		    "(loaded at reference %lu)", v, REFNO(res->victim_loaded));
		break;
	case REFSIM_LRU:
		sbuf_printf(sb, "%" PRIu64 " is the least recently used "
		    "(last used at reference %lu)", v, REFNO(res->victim_used));
		break;
	case REFSIM_MRU:
		sbuf_printf(sb, "%" PRIu64 " is the most recently used "
		    "(reference %lu)", v, REFNO(res->victim_used));
		break;
	case REFSIM_OPT:
	case REFSIM_UNOPT:
		next_uses(sb, before, n);
		for (size_t i = 0; i < n; i++)
			nnever += before[i].next_use == REFSIM_NEVER;
		if (res->victim_next == REFSIM_NEVER) {
			sbuf_printf(sb, "; %" PRIu64 " is never used again", v);
			if (nnever > 1 && p == REFSIM_OPT)
				sbuf_add(sb, " (of those, the one loaded last)");
			else if (nnever > 1)
				sbuf_add(sb, " (of those, the one loaded first)");
		} else {
			sbuf_printf(sb, "; %" PRIu64 " is needed %s", v,
			    p == REFSIM_OPT ? "farthest in the future" :
			    "soonest");
		}
		break;
	case REFSIM_CLOCK:
		for (size_t i = 0; i < n; i++) {
			if (before[i].hand)
				hand = i;
		}
		if (res->cleared == 0) {
			sbuf_printf(sb, "the hand points at %" PRIu64
			    ", whose referenced bit is clear", v);
			break;
		}
		sbuf_add(sb, "second chance for ");
		for (unsigned i = 0; i < res->cleared && n > 0; i++) {
			sbuf_printf(sb, "%s%" PRIu64, i ? ", " : "",
			    before[(hand + i) % n].page);
		}
		sbuf_printf(sb, " (the hand clears %s bit%s); it stops at %"
		    PRIu64 ", whose bit is clear", res->cleared == 1 ? "its" :
		    "their", res->cleared == 1 ? "" : "s", v);
		break;
	case REFSIM_LRU2Q:
		sbuf_printf(sb, "%" PRIu64 " is the oldest page on the inactive "
		    "list (last used at reference %lu)", v,
		    REFNO(res->victim_used));
		break;
	case REFSIM_RAND:
		sbuf_printf(sb, "%" PRIu64 " was picked at random", v);
		break;
	case REFSIM_OSTEP_CLOCK:
		sbuf_printf(sb, "random picks lowered %u counter%s before "
		    "finding %" PRIu64 " at 0", res->cleared,
		    res->cleared == 1 ? "" : "s", v);
		break;
	case NR_REFSIM_POLICIES:
		break;
	}
}

void report_refsim_totals(struct sbuf *sb, unsigned long hits,
    unsigned long misses)
{
	unsigned long refs = hits + misses;

	sbuf_printf(sb, "hits %lu misses %lu hitrate %.2f", hits, misses,
	    refs ? (double)hits / (double)refs : 0.0);
}

/* Append text at indent, wrapped at word boundaries before column 79. */
static void add_wrapped(struct sbuf *sb, int indent, const char *text)
{
	int width = 79 - indent > 30 ? 79 - indent : 30;

	while (*text != '\0') {
		int len = (int)strlen(text), cut = len;

		if (len > width) {
			cut = width;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		sbuf_printf(sb, "%*s%.*s\n", indent, "", cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

static int digits(uint64_t v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

unsigned long report_refstring_table(struct sbuf *sb, enum refsim_policy p,
    unsigned nframes, const uint64_t *pages, size_t n, bool rows,
    bool reasons, unsigned long *hits)
{
	struct refsim *sim = refsim_new(p, nframes);
	struct refsim_frame *before = NULL;
	struct sbuf why = SBUF_INIT;
	uint64_t maxpage = 0;
	int nw, pw, vw;
	unsigned long misses;

	if (refsim_policy_needs_future(p))
		refsim_set_future(sim, pages, n);
	for (size_t i = 0; i < n; i++)
		maxpage = pages[i] > maxpage ? pages[i] : maxpage;
	nw = digits(n) > 1 ? digits(n) : 1;
	pw = digits(maxpage) > 3 ? digits(maxpage) : 3;
	vw = digits(maxpage) > 6 ? digits(maxpage) : 6;
	if (rows) {
		sbuf_printf(sb, "%*s  %*s  %-6s  %-*s  frames (%s)\n", nw, "#",
		    pw, "ref", "result", vw, "victim", report_refsim_order(p));
	}
	if (reasons)
		before = xcalloc(nframes, sizeof(*before));
	for (size_t i = 0; i < n; i++) {
		struct refsim_result res;
		size_t nb = 0;

		if (reasons)
			nb = refsim_frames(sim, before, nframes);
		refsim_step(sim, pages[i], &res);
		if (!rows)
			continue;
		sbuf_printf(sb, "%*zu  %*" PRIu64 "  %-6s  ", nw, i + 1, pw,
		    pages[i], res.hit ? "hit" : "miss");
		if (res.evicted)
			sbuf_printf(sb, "%-*" PRIu64 "  ", vw, res.victim);
		else
			sbuf_printf(sb, "%-*s  ", vw, "-");
		report_refsim_frames(sb, sim);
		sbuf_addc(sb, '\n');
		if (reasons && res.evicted) {
			sbuf_reset(&why);
			report_refsim_reason(&why, p, before, nb, &res, i);
			add_wrapped(sb, nw + pw + 4, sbuf_str(&why));
		}
		if (reasons && res.deactivated) {
			sbuf_reset(&why);
			sbuf_printf(&why, "%" PRIu64 " activated; the active list "
			    "is over half the frames, so %" PRIu64
			    " goes back to inactive", pages[i], res.demoted);
			add_wrapped(sb, nw + pw + 4, sbuf_str(&why));
		}
	}
	misses = refsim_misses(sim);
	if (hits != NULL)
		*hits = refsim_hits(sim);
	free(before);
	sbuf_free(&why);
	refsim_free(sim);
	return misses;
}
