/*
 * check_stress.c - the whole-machine random stress test of issue 8, the
 * short version for `make check`: a few seeds, a few thousand random
 * operations each, validate_machine after every one (tests/unit/stress.h
 * has the driver). bench/bench_stress.c runs the long version.
 *
 * VMSCOPE_STRESS_SEED=S runs that seed only; VMSCOPE_STRESS_OPS=N sets
 * the operations per seed. Each run prints its seed, and a failure the
 * operation, command and invariant, and the commands before it.
 */
#include <stdio.h>

#include "testutil.h"
#include "stress.h"

#define SHORT_OPS	700

static const uint64_t seeds[] = { 1, 20240817, 0xdeadbeef };

static void run_seed(uint64_t seed, unsigned long ops)
{
	struct stress x;
	int rc;

	printf("stress: seed %" PRIu64 ", %lu operations\n", seed, ops);
	rc = stress_run(&x, seed, ops, NULL);
	if (rc != 0)
		stress_print_failure(&x, stdout);
	fflush(stdout);
	ck_assert_msg(rc == 0, "seed %" PRIu64 ": operation %lu '%s': %s",
	    seed, x.fail_op, x.cmd, x.fail_why);
	/* the run must have done something, and not only failed commands */
	ck_assert_uint_gt(x.st.spawned + x.st.forked, 0);
	ck_assert_uint_lt(x.st.failed_cmds, x.st.ops);
	printf("stress: seed %" PRIu64 " ok: %lu ops (%lu refused), %lu oom "
	    "kills, %lu kswapd wakeups, %lu direct scans, %lu swap-outs, %lu "
	    "swap-ins\n", seed, x.st.ops, x.st.failed_cmds, x.st.oom_kills,
	    x.st.kswapd_runs, x.st.direct_reclaims, x.st.swap_outs,
	    x.st.swap_ins);
	stress_free(&x);
}

START_TEST(test_stress_seeds)
{
	unsigned long ops = (unsigned long)stress_env_u64("VMSCOPE_STRESS_OPS",
	    SHORT_OPS);
	uint64_t seed = stress_env_u64("VMSCOPE_STRESS_SEED", 0);

	if (seed != 0) {
		run_seed(seed, ops);
		return;
	}
	run_seed(seeds[_i], ops);
}
END_TEST

/*
 * Pressure is the point: this seed (a 16M arm64 machine) must go through
 * kswapd, direct reclaim, swap and the OOM killer, every invariant
 * holding after each step. (Another seed may be needed when the model's
 * choices change: any seed that reaches all four will do.)
 */
START_TEST(test_stress_pressure)
{
	struct stress x;
	int rc = stress_run(&x, 105, 1200, NULL);

	if (rc != 0)
		stress_print_failure(&x, stdout);
	ck_assert_int_eq(rc, 0);
	printf("stress: seed 105: %lu oom kills, %lu kswapd wakeups, %lu direct "
	    "scans, %lu swap-outs\n", x.st.oom_kills, x.st.kswapd_runs,
	    x.st.direct_reclaims, x.st.swap_outs);
	ck_assert_uint_gt(x.st.kswapd_runs, 0);
	ck_assert_uint_gt(x.st.direct_reclaims, 0);
	ck_assert_uint_gt(x.st.swap_outs, 0);
	ck_assert_uint_gt(x.st.oom_kills, 0);
	stress_free(&x);
}
END_TEST

static Suite *stress_suite(void)
{
	Suite *s = suite_create("stress");
	TCase *tc = tcase_create("random");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_stress_seeds, 0,
	    getenv("VMSCOPE_STRESS_SEED") != NULL ? 1 : (int)ARRAY_SIZE(seeds));
	tcase_add_test(tc, test_stress_pressure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(stress_suite());
}
