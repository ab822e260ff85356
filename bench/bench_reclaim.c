/*
 * bench_reclaim.c - memory references per second through the full model
 * (TLB, page-table walk, handle_mm_fault, the LRU lists, kswapd, swap-out
 * and do_swap_page) under three loads on a 32 MiB x86_64 machine:
 *
 *   fits       16 MiB touched over and over: TLB misses and walks only;
 *   thrashing  40 MiB in sequence: every reference a major fault, every
 *              fault an eviction (swap-out or a clean swap-cache drop);
 *   random     40 MiB at random (fixed seed): some hits, some faults.
 *
 * References go through the command layer (`touch`), as a user or a
 * scenario drives them, so command parsing is part of the cost; each
 * command touches a whole range to keep that part small. The numbers are
 * for comparing versions of vmscope on one host, not a claim about Linux.
 *
 * Run: make bench (or ./bench/bench_reclaim [PASSES]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vmscope/cmd.h"
#include "vmscope/machine.h"
#include "vmscope/session.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(struct session *s, const char *line)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	int failed = cmd_run_line(s, line, &out, &err);

	if (failed)
		fprintf(stderr, "bench_reclaim: %s: %s", line, sbuf_str(&err));
	sbuf_free(&out);
	sbuf_free(&err);
	return failed;
}

/* One load: returns references per second, or -1. */
static double load(const char *name, unsigned long mb, int passes, bool random)
{
	struct session *s = session_new();
	unsigned long refs = 0, pages = mb * 256, i;
	uint64_t x = 88172645463325252ULL;
	char line[128];
	double t0, t;
	int p;

	s->debug_checks = false;
	if (run(s, "machine --ram 32M --swap 64M") ||
	    run(s, "spawn bench") ||
	    (snprintf(line, sizeof(line), "mmap 1 0x10000000 %luM", mb),
	    run(s, line)) ||
	    (snprintf(line, sizeof(line), "touch 1 0x10000000+%luM w --quiet",
	    mb), run(s, line))) {
		session_free(s);
		return -1;
	}
	t0 = now_s();
	for (p = 0; p < passes; p++) {
		if (!random) {
			snprintf(line, sizeof(line),
			    "touch 1 0x10000000+%luM r --quiet", mb);
			if (run(s, line))
				break;
			refs += pages;
			continue;
		}
		for (i = 0; i < pages / 64; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			snprintf(line, sizeof(line),
			    "touch 1 %#llx+256K r --quiet", (unsigned long long)
			    (0x10000000ULL + (x % (pages - 64)) * 4096));
			if (run(s, line))
				break;
			refs += 64;
		}
	}
	t = now_s() - t0;
	printf("%-10s %4lu MiB  %8lu refs  %8.3f s  %12.0f refs/s  "
	    "pswpin %lu pswpout %lu\n", name, mb, refs, t,
	    t > 0 ? refs / t : 0.0, s->m->vm_events[VM_pswpin],
	    s->m->vm_events[VM_pswpout]);
	printf("BENCH reclaim.%s %.0f refs/s %lu MiB in 32 MiB, pswpin %lu "
	    "pswpout %lu\n", name, t > 0 ? refs / t : 0.0, mb,
	    s->m->vm_events[VM_pswpin], s->m->vm_events[VM_pswpout]);
	session_free(s);
	return t > 0 ? refs / t : 0.0;
}

int main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 5;

	if (passes < 1)
		passes = 1;
	printf("bench_reclaim: 32 MiB RAM, 64 MiB swap, lru2q, %d passes\n",
	    passes);
	if (load("fits", 16, passes, false) < 0 ||
	    load("thrashing", 40, passes, false) < 0 ||
	    load("random", 40, passes, true) < 0)
		return 1;
	return 0;
}
