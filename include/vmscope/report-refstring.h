/*
 * report-refstring.h - text renderings of the reference-string simulator
 * (refstring.h): the frames in a policy's order ("[1* 2 >3]"), the
 * reason for one eviction in words, and the per-reference table and
 * totals line that `refstring`, `exercise policy` and the benchmark share.
 */
#ifndef VMSCOPE_REPORT_REFSTRING_H
#define VMSCOPE_REPORT_REFSTRING_H

#include "vmscope/refstring.h"
#include "vmscope/sbuf.h"

/*
 * The frames, e.g. "[7 0 1]"; clock marks set bits with '*', the hand
 * with '>' and empty slots with '_' ("[>1* 2* _]"); lru2q shows both
 * lists, oldest first: "I[4 2] A[1]".
 */
void	 report_refsim_frames(struct sbuf *sb, const struct refsim *sim);
/* What the frames column means for a policy: "oldest first". */
const char *report_refsim_order(enum refsim_policy p);

/*
 * Why res->victim was chosen, one sentence without a newline. before is
 * the simulator's frames just before the reference (refsim_frames), t the
 * reference's index (from 0; printed from 1).
 */
void	 report_refsim_reason(struct sbuf *sb, enum refsim_policy p,
	     const struct refsim_frame *before, size_t nbefore,
	     const struct refsim_result *res, unsigned long t);

/* "hits H misses M hitrate R" (R = hits / references, two decimals). */
void	 report_refsim_totals(struct sbuf *sb, unsigned long hits,
	     unsigned long misses);

/*
 * Simulate pages[0..n) with a fresh simulator and, when rows, print the
 * table "#  ref  result  victim  frames", with the reason of each
 * eviction under its row when reasons. Returns the misses; the hits
 * through *hits. The policy must not need a random source.
 */
unsigned long report_refstring_table(struct sbuf *sb, enum refsim_policy p,
	     unsigned nframes, const uint64_t *pages, size_t n, bool rows,
	     bool reasons, unsigned long *hits);

#endif
