/*
 * bench_stress.c - the long run of the whole-machine random stress test
 * (issue 8; the driver is tests/unit/stress.h, its short run is
 * tests/unit/check_stress): by default one million random operations on
 * a small machine under memory pressure, validate_machine after each, and
 * the operations per second that leaves.
 *
 *   VMSCOPE_STRESS_SEED=S  the seed (default: from the clock, printed)
 *   VMSCOPE_STRESS_OPS=N   operations (default 1000000)
 *
 * The same seed replays the same run: a failure prints the seed, the
 * operation index, the command, the invariant and the commands before
 * it, and the exit status is 1.
 *
 * Run: make stress, make bench, or ./bench/bench_stress [OPS [SEED]].
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../tests/unit/stress.h"

static double t0;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(struct stress *x, unsigned long done)
{
	fprintf(stderr, "bench_stress: seed %" PRIu64 ": %lu operations, "
	    "%.0f/s\r", x->seed, done, (double)done / (now_s() - t0));
}

int main(int argc, char **argv)
{
	unsigned long ops = (unsigned long)stress_env_u64("VMSCOPE_STRESS_OPS",
	    1000000);
	uint64_t seed = stress_env_u64("VMSCOPE_STRESS_SEED", 0);
	struct stress x;
	double t;
	int rc;

	if (argc > 1)
		ops = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		seed = strtoull(argv[2], NULL, 0);
	if (seed == 0)
		seed = (uint64_t)time(NULL);
	printf("bench_stress: seed %" PRIu64 ", %lu operations "
	    "(VMSCOPE_STRESS_SEED=%" PRIu64 " VMSCOPE_STRESS_OPS=%lu replays "
	    "it)\n", seed, ops, seed, ops);
	fflush(stdout);
	t0 = now_s();
	rc = stress_run(&x, seed, ops, progress);
	t = now_s() - t0;
	fprintf(stderr, "\n");
	if (rc != 0) {
		stress_print_failure(&x, stdout);
		stress_free(&x);
		return 1;
	}
	printf("bench_stress: %lu operations in %.1f s (%.0f/s), every "
	    "invariant held after each\n", x.st.ops, t, (double)x.st.ops / t);
	printf("BENCH stress.ops %.0f ops/s %lu operations, validate_machine "
	    "after each, seed %" PRIu64 "\n", (double)x.st.ops / t, x.st.ops,
	    seed);
	printf("  %lu refused, %lu spawned, %lu forked, %lu exited; %lu OOM "
	    "kills, %lu kswapd wakeups, %lu pages scanned by direct reclaim, "
	    "%lu swap-outs, %lu swap-ins\n", x.st.failed_cmds, x.st.spawned,
	    x.st.forked, x.st.exited, x.st.oom_kills, x.st.kswapd_runs,
	    x.st.direct_reclaims, x.st.swap_outs, x.st.swap_ins);
	stress_free(&x);
	return 0;
}
