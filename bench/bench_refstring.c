/*
 * bench_refstring.c - references per second of the reference-string
 * simulator (`refstring`) for each policy, on a seeded one-million-
 * reference trace with locality (a working set of 512 pages that drifts
 * over 65536, plus 10% uniform references) and 1024 frames. Run by
 * `make bench`; the numbers depend on the host, the hit rates do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vmscope/refstring.h"
#include "vmscope/report-refstring.h"

#define NREFS	1000000
#define NFRAMES	1024
#define NPAGES	65536

static uint64_t rng_state = 0x76d5c09e;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	uint64_t *refs = xmalloc(NREFS * sizeof(*refs)), base = 0;
	static const enum refsim_policy pols[] = { REFSIM_FIFO, REFSIM_LRU,
	    REFSIM_CLOCK, REFSIM_OPT, REFSIM_LRU2Q };
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < NREFS; i++) {
		if (rnd() % 1000 == 0)
			base = rnd() % NPAGES;	/* a phase change */
		if (rnd() % 10 == 0)
			refs[i] = rnd() % NPAGES;
		else
			refs[i] = (base + rnd() % 512) % NPAGES;
	}
	printf("refstring: %d references, %d frames, %d pages\n", NREFS,
	    NFRAMES, NPAGES);
	for (size_t p = 0; p < sizeof(pols) / sizeof(pols[0]); p++) {
		unsigned long hits, misses;
		double t0 = now(), dt;

		/* opt's next-use table is part of its cost: timed too. */
		misses = refsim_run(pols[p], NFRAMES, refs, NREFS, &hits);
		dt = now() - t0;
		sbuf_reset(&sb);
		report_refsim_totals(&sb, hits, misses);
		printf("%-6s %12.0f refs/s  %s\n", refsim_policy_names[pols[p]],
		    NREFS / (dt > 0 ? dt : 1e-9), sbuf_str(&sb));
		/* the line bench/run.sh puts in its table */
		printf("BENCH refstring.%s %.0f refs/s %s\n",
		    refsim_policy_names[pols[p]], NREFS / (dt > 0 ? dt : 1e-9),
		    sbuf_str(&sb));
	}
	sbuf_free(&sb);
	free(refs);
	return 0;
}
