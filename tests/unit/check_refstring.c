/*
 * check_refstring.c - the reference-string simulator against textbook
 * numbers and hand traces: the Silberschatz string (FIFO 15, LRU 12,
 * OPT 9 faults with 3 frames), Belady's anomaly, CLOCK and LRU2Q traced
 * by hand frame by frame, Python's random stream, and properties over
 * long random strings (OPT is never beaten, LRU and OPT never get worse
 * with more frames, the invariant checker holds after every step).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"
#include "vmscope/refstring.h"
#include "vmscope/report-refstring.h"

static const uint64_t silberschatz[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3,
	2, 1, 2, 0, 1, 7, 0, 1 };
static const uint64_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

#define RUN(p, f, a) refsim_run((p), (f), (a), ARRAY_SIZE(a), NULL)

START_TEST(test_textbook_faults)
{
	ck_assert_uint_eq(RUN(REFSIM_FIFO, 3, silberschatz), 15);
	ck_assert_uint_eq(RUN(REFSIM_LRU, 3, silberschatz), 12);
	ck_assert_uint_eq(RUN(REFSIM_OPT, 3, silberschatz), 9);
	/* Traced by hand in doc/policies.md. */
	ck_assert_uint_eq(RUN(REFSIM_CLOCK, 3, silberschatz), 14);
	/* With 4 frames (Silberschatz's exercise): FIFO 10, LRU 8, OPT 8. */
	ck_assert_uint_eq(RUN(REFSIM_FIFO, 4, silberschatz), 10);
	ck_assert_uint_eq(RUN(REFSIM_LRU, 4, silberschatz), 8);
	ck_assert_uint_eq(RUN(REFSIM_OPT, 4, silberschatz), 8);
}
END_TEST

START_TEST(test_belady_anomaly)
{
	ck_assert_uint_eq(RUN(REFSIM_FIFO, 3, belady), 9);
	ck_assert_uint_eq(RUN(REFSIM_FIFO, 4, belady), 10);
	/* Stack algorithms do not show it. */
	ck_assert_uint_eq(RUN(REFSIM_LRU, 3, belady), 10);
	ck_assert_uint_eq(RUN(REFSIM_LRU, 4, belady), 8);
	ck_assert_uint_eq(RUN(REFSIM_OPT, 3, belady), 7);
	ck_assert_uint_eq(RUN(REFSIM_OPT, 4, belady), 6);
}
END_TEST

/* Step through a string, comparing the frames string after each step. */
static void trace(enum refsim_policy p, unsigned frames, const uint64_t *refs,
    size_t n, const char *const *want, const char *victims)
{
	struct refsim *sim = refsim_new(p, frames);
	struct sbuf sb = SBUF_INIT, v = SBUF_INIT;
	char why[256];

	if (refsim_policy_needs_future(p))
		refsim_set_future(sim, refs, n);
	for (size_t i = 0; i < n; i++) {
		struct refsim_result res;

		ck_assert_int_eq(refsim_step(sim, refs[i], &res), 0);
		sbuf_reset(&sb);
		report_refsim_frames(&sb, sim);
		ck_assert_msg(strcmp(sbuf_str(&sb), want[i]) == 0,
		    "%s step %zu: %s, expected %s", refsim_policy_names[p], i + 1,
		    sbuf_str(&sb), want[i]);
		if (res.evicted)
			sbuf_printf(&v, "%llu", (unsigned long long)res.victim);
		else
			sbuf_addc(&v, '-');
		ck_assert_int_eq(refsim_validate(sim, why, sizeof(why)), 0);
	}
	ck_assert_str_eq(sbuf_str(&v), victims);
	sbuf_free(&sb);
	sbuf_free(&v);
	refsim_free(sim);
}

START_TEST(test_clock_by_hand)
{
	/*
	 * Pages fill frames 0..2 with their bits set and the hand at 0. On
	 * reference 5 (page 4) the hand sweeps once round, clearing 1, 2 and
	 * 3, and evicts 1; then 2 and 3 go without a second chance; page 2's
	 * miss at the end sweeps round again.
	 */
	static const uint64_t refs[] = { 1, 2, 3, 2, 4, 1, 5, 2 };
	static const char *const want[] = {
		"[>1* _ _]", "[>1* 2* _]", "[>1* 2* 3*]", "[>1* 2* 3*]",
		"[4* >2 3]", "[4* 1* >3]", "[>4* 1* 5*]", "[2* >1 5]",
	};

	trace(REFSIM_CLOCK, 3, refs, ARRAY_SIZE(refs), want, "----1234");
}
END_TEST

START_TEST(test_clock_second_chance)
{
	/*
	 * 2 is referenced again after the first sweep cleared its bit, so
	 * when 5 comes the hand spares it (clearing the bit again) and takes
	 * 3. With 2 frames, pages referenced in a cycle degrade clock to FIFO.
	 */
	static const uint64_t refs[] = { 1, 2, 3, 4, 2, 5 };
	static const char *const want[] = {
		"[>1* _ _]", "[>1* 2* _]", "[>1* 2* 3*]", "[4* >2 3]",
		"[4* >2* 3]", "[>4* 2 5*]",
	};
	static const uint64_t refs2[] = { 1, 2, 4, 1, 5 };
	static const char *const want2[] = {
		"[>1* _]", "[>1* 2*]", "[4* >2]", "[>4* 1*]", "[5* >1]",
	};

	trace(REFSIM_CLOCK, 3, refs, ARRAY_SIZE(refs), want, "---1-3");
	trace(REFSIM_CLOCK, 2, refs2, ARRAY_SIZE(refs2), want2, "--124");
}
END_TEST

START_TEST(test_fifo_lru_opt_frames)
{
	static const uint64_t refs[] = { 1, 2, 3, 1, 4, 2 };
	static const char *const fifo[] = {
		"[1]", "[1 2]", "[1 2 3]", "[1 2 3]", "[2 3 4]", "[2 3 4]",
	};
	static const char *const lru[] = {
		"[1]", "[1 2]", "[1 2 3]", "[2 3 1]", "[3 1 4]", "[1 4 2]",
	};
	/* OPT at page 4: 1 and 3 are never used again, 2 is; of 1 and 3
	 * the one loaded last (3) goes. */
	static const char *const opt[] = {
		"[1]", "[1 2]", "[1 2 3]", "[1 2 3]", "[1 2 4]", "[1 2 4]",
	};

	trace(REFSIM_FIFO, 3, refs, ARRAY_SIZE(refs), fifo, "----1-");
	trace(REFSIM_LRU, 3, refs, ARRAY_SIZE(refs), lru, "----23");
	trace(REFSIM_OPT, 3, refs, ARRAY_SIZE(refs), opt, "----3-");
}
END_TEST

START_TEST(test_lru2q_by_hand)
{
	/*
	 * 4 frames, so at most 2 active. 1 and 2 are activated by their
	 * second reference; 5 evicts the oldest inactive page (3); the third
	 * activation (4) pushes the oldest active page (1) back to inactive.
	 */
	static const uint64_t refs[] = { 1, 2, 3, 1, 2, 4, 5, 4, 6 };
	static const char *const want[] = {
		"I[1] A[]", "I[1 2] A[]", "I[1 2 3] A[]", "I[2 3] A[1]",
		"I[3] A[1 2]", "I[3 4] A[1 2]", "I[4 5] A[1 2]",
		"I[5 1] A[2 4]", "I[1 6] A[2 4]",
	};

	trace(REFSIM_LRU2Q, 4, refs, ARRAY_SIZE(refs), want, "------3-5");
}
END_TEST

START_TEST(test_reasons)
{
	struct sbuf sb = SBUF_INIT;
	const char *s;

	report_refstring_table(&sb, REFSIM_OPT, 3, silberschatz,
	    ARRAY_SIZE(silberschatz), true, true, NULL);
	s = sbuf_str(&sb);
	/* At 2: next uses 7 at 18, 0 at 5, 1 at 14 -> 7. */
	ck_assert_ptr_nonnull(strstr(s, "next uses: 7 at 18, 0 at 5, 1 at 14; "
	    "7 is needed"));
	ck_assert_ptr_nonnull(strstr(s, "farthest in the future"));
	/* Reasons wrap: every line fits 80 columns. */
	for (const char *l = s; *l != '\0'; l += strcspn(l, "\n") + 1)
		ck_assert_uint_le(strcspn(l, "\n"), 79);
	sbuf_reset(&sb);
	report_refstring_table(&sb, REFSIM_LRU, 3, silberschatz, 4, true, true,
	    NULL);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb),
	    "7 is the least recently used (last used at reference 1)"));
	/* The @FILE reader names the bad place as FILE:LINE:COL. */
	{
		struct session *ss = session_new();
		char path[] = "/tmp/vmscope-refs-XXXXXX", *line, *out, *err;
		int fd = mkstemp(path), failed;

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "1 2\n# comment\n3, 4\n  5 x6\n", 26), 26);
		close(fd);
		line = xasprintf("refstring --frames 2 @%s", path);
		out = test_run(ss, line, &failed, &err);
		ck_assert_int_eq(failed, 1);
		ck_assert_ptr_nonnull(strstr(err, ":4:5: 'x6' is not a page number"));
		free(out);
		free(err);
		free(line);
		fd = open(path, O_WRONLY | O_TRUNC);
		ck_assert_int_eq(write(fd, "1 2\n# comment\n3, 4\n  5 1\n", 25), 25);
		close(fd);
		line = xasprintf("refstring --frames 2 --policy fifo @%s", path);
		out = test_run(ss, line, &failed, &err);
		ck_assert_int_eq(failed, 0);
		ck_assert_ptr_nonnull(strstr(out, "hits 0 misses 6 hitrate 0.00\n"));
		free(out);
		free(err);
		free(line);
		unlink(path);
		session_free(ss);
	}
	sbuf_reset(&sb);
	report_refsim_totals(&sb, 1, 3);
	ck_assert_str_eq(sbuf_str(&sb), "hits 1 misses 3 hitrate 0.25");
	sbuf_free(&sb);
}
END_TEST

START_TEST(test_future_required)
{
	struct refsim *sim = refsim_new(REFSIM_OPT, 2);
	uint64_t refs[] = { 1, 2 };

	ck_assert_int_lt(refsim_step(sim, 1, NULL), 0);
	refsim_set_future(sim, refs, 2);
	ck_assert_int_eq(refsim_step(sim, 1, NULL), 0);
	ck_assert_int_lt(refsim_step(sim, 3, NULL), 0);	/* not the string */
	ck_assert_int_eq(refsim_step(sim, 2, NULL), 0);
	ck_assert_int_lt(refsim_step(sim, 2, NULL), 0);	/* past its end */
	refsim_free(sim);
	sim = refsim_new(REFSIM_RAND, 2);
	ck_assert_int_lt(refsim_step(sim, 1, NULL), 0);	/* no random source */
	refsim_free(sim);
}
END_TEST

START_TEST(test_python_random)
{
	struct py_random r;

	/* python3 -c 'import random; random.seed(0); print(random.random())' */
	py_random_seed(&r, 0);
	ck_assert(py_random_random(&r) == 0.8444218515250481);
	/* random.seed(10); [int(10*random.random()) for _ in range(3)] */
	py_random_seed(&r, 10);
	ck_assert_int_eq((int)(10 * py_random_random(&r)), 5);
	ck_assert_int_eq((int)(10 * py_random_random(&r)), 4);
	ck_assert_int_eq((int)(10 * py_random_random(&r)), 5);
	/* A seed wider than 32 bits is two key words: 2**40 + 5. */
	py_random_seed(&r, (1ULL << 40) + 5);
	ck_assert(py_random_random(&r) == 0.5043802970418443);
}
END_TEST

/* A random string with locality: mostly a drifting working set. */
static uint64_t *locality_string(uint64_t *rng, size_t n, uint64_t npages)
{
	uint64_t *v = xmalloc(n * sizeof(*v)), base = 0;

	for (size_t i = 0; i < n; i++) {
		if (test_rand_below(rng, 100) < 2)
			base = test_rand_below(rng, npages);
		if (test_rand_below(rng, 100) < 80)
			v[i] = (base + test_rand_below(rng, 16)) % npages;
		else
			v[i] = test_rand_below(rng, npages);
	}
	return v;
}

START_TEST(test_opt_is_optimal)
{
	uint64_t rng = 0x5eed0001ULL + (uint64_t)_i;
	size_t n = 3000;
	uint64_t *v = locality_string(&rng, n, 64);

	for (unsigned f = 1; f <= 24; f += 3) {
		unsigned long opt = refsim_run(REFSIM_OPT, f, v, n, NULL);

		for (int p = 0; p < NR_REFSIM_POLICIES; p++) {
			if (p == REFSIM_RAND || p == REFSIM_OSTEP_CLOCK)
				continue;
			ck_assert_msg(opt <= refsim_run(p, f, v, n, NULL),
			    "opt %lu beaten by %s with %u frames", opt,
			    refsim_policy_names[p], f);
		}
	}
	free(v);
}
END_TEST

START_TEST(test_stack_property)
{
	uint64_t rng = 0xbe1adULL + (uint64_t)_i;
	size_t n = 2000;
	uint64_t *v = locality_string(&rng, n, 48);
	unsigned long lru_prev = ULONG_MAX, opt_prev = ULONG_MAX;

	for (unsigned f = 1; f <= 50; f++) {
		unsigned long lru = refsim_run(REFSIM_LRU, f, v, n, NULL);
		unsigned long opt = refsim_run(REFSIM_OPT, f, v, n, NULL);

		ck_assert_uint_le(lru, lru_prev);
		ck_assert_uint_le(opt, opt_prev);
		lru_prev = lru;
		opt_prev = opt;
	}
	/* With frames for every page, only the first touches miss. */
	ck_assert_uint_eq(lru_prev, opt_prev);
	free(v);
}
END_TEST

START_TEST(test_invariants_random)
{
	uint64_t rng = 0xc0ffeeULL + (uint64_t)_i;
	size_t n = 4000;
	uint64_t *v = locality_string(&rng, n, 100);
	char why[256];
	struct py_random r;

	py_random_seed(&r, (uint64_t)_i);
	for (int p = 0; p < NR_REFSIM_POLICIES; p++) {
		unsigned f = 1 + (unsigned)test_rand_below(&rng, 20);
		struct refsim *sim = refsim_new(p, f);

		refsim_set_future(sim, v, n);
		refsim_set_random(sim, &r);
		for (size_t i = 0; i < n; i++) {
			ck_assert_int_eq(refsim_step(sim, v[i], NULL), 0);
			ck_assert_msg(refsim_validate(sim, why, sizeof(why)) == 0,
			    "%s, %u frames, step %zu: %s", refsim_policy_names[p],
			    f, i, why);
		}
		ck_assert_uint_eq(refsim_hits(sim) + refsim_misses(sim), n);
		ck_assert_uint_le(refsim_resident(sim), f);
		/* reset gives the same run again */
		if (p != REFSIM_RAND && p != REFSIM_OSTEP_CLOCK) {
			unsigned long m = refsim_misses(sim);

			refsim_reset(sim);
			for (size_t i = 0; i < n; i++)
				refsim_step(sim, v[i], NULL);
			ck_assert_uint_eq(refsim_misses(sim), m);
		}
		refsim_free(sim);
	}
	free(v);
}
END_TEST

START_TEST(test_large_fast)
{
	/* A million references through OPT with 1024 frames in well under
	 * a second: no scan per miss. */
	uint64_t rng = 42;
	size_t n = 1000000;
	uint64_t *v = locality_string(&rng, n, 1 << 16);
	unsigned long opt = refsim_run(REFSIM_OPT, 1024, v, n, NULL);
	unsigned long lru = refsim_run(REFSIM_LRU, 1024, v, n, NULL);

	ck_assert_uint_le(opt, lru);
	ck_assert_uint_gt(opt, 0);
	free(v);
}
END_TEST

START_TEST(test_commands)
{
	struct session *s = session_new();
	int failed;
	char *err, *out;

	out = test_run(s, "refstring --frames 3 --policy fifo "
	    "1,2,3,4,1,2,5,1,2,3,4,5", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "hits 3 misses 9 hitrate 0.25\n"));
	free(out);
	free(err);
	out = test_run(s, "refstring --frames 3,4 --policy fifo "
	    "1,2,3,4,1,2,5,1,2,3,4,5", &failed, &err);
	ck_assert_ptr_nonnull(strstr(out,
	    "fifo     3 frames  hits 3 misses 9 hitrate 0.25\n"
	    "fifo     4 frames  hits 2 misses 10 hitrate 0.17\n"));
	free(out);
	free(err);
	out = test_run(s, "refstring --frames 3 1,x,3", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(err, "vmscope: refstring: SEQ: 'x' is not a page "
	    "number (reference 2)\n");
	free(out);
	free(err);
	out = test_run(s, "policy fifo; policy", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "policy fifo\n");
	ck_assert_int_eq(s->m->cfg.policy, POLICY_FIFO);
	free(out);
	free(err);
	out = test_run(s, "policy rand", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_int_eq(s->m->cfg.policy, POLICY_FIFO);
	free(out);
	free(err);
	session_free(s);
}
END_TEST

static Suite *refstring_suite(void)
{
	Suite *s = suite_create("refstring");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_textbook_faults);
	tcase_add_test(tc, test_belady_anomaly);
	tcase_add_test(tc, test_clock_by_hand);
	tcase_add_test(tc, test_clock_second_chance);
	tcase_add_test(tc, test_fifo_lru_opt_frames);
	tcase_add_test(tc, test_lru2q_by_hand);
	tcase_add_test(tc, test_reasons);
	tcase_add_test(tc, test_future_required);
	tcase_add_test(tc, test_python_random);
	tcase_add_loop_test(tc, test_opt_is_optimal, 0, 8);
	tcase_add_loop_test(tc, test_stack_property, 0, 4);
	tcase_add_loop_test(tc, test_invariants_random, 0, 6);
	tcase_add_test(tc, test_large_fast);
	tcase_add_test(tc, test_commands);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(refstring_suite());
}
