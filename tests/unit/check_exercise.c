/*
 * check_exercise.c - the exercise machinery and the `policy` kind:
 * generation is deterministic per seed, every generated problem over many
 * seeds is solvable and worth asking (a hit and an eviction) and, for opt,
 * free of ties; the questions' answers agree with an independent run of
 * the simulator; the answer checker and the quiz score.
 */
#include <stdio.h>

#include "testutil.h"
#include "vmscope/exercise.h"
#include "vmscope/refstring.h"

static struct exercise *gen(uint64_t seed, const char *policy,
    const char *frames, const char *length)
{
	struct exercise_opt opts[3];
	struct sbuf err = SBUF_INIT;
	struct exercise *ex;
	int n = 0;

	if (policy != NULL)
		opts[n++] = (struct exercise_opt){ "policy", policy };
	if (frames != NULL)
		opts[n++] = (struct exercise_opt){ "frames", frames };
	if (length != NULL)
		opts[n++] = (struct exercise_opt){ "length", length };
	ex = exercise_new(exercise_kind_find("policy"), seed, opts, n, &err);
	ck_assert_msg(ex != NULL, "seed %llu: %s", (unsigned long long)seed,
	    sbuf_str(&err));
	sbuf_free(&err);
	return ex;
}

/* The string and frame count, read back from the printed problem. */
static size_t problem_refs(const struct exercise *ex, uint64_t *refs,
    size_t max, unsigned *frames, enum refsim_policy *pol)
{
	struct sbuf sb = SBUF_INIT;
	const char *p;
	char name[16];
	size_t n = 0;

	ex->kind->print_problem(ex, &sb);
	p = strstr(sbuf_str(&sb), "in order:\n\n");
	ck_assert_ptr_nonnull(p);
	p += strlen("in order:\n\n");
	while (*p != '\n') {
		char *end;

		ck_assert_uint_lt(n, max);
		refs[n++] = strtoull(p, &end, 10);
		p = end;
	}
	p = strstr(p, "Memory has ");
	ck_assert_int_eq(sscanf(p, "Memory has %u frame", frames), 1);
	p = strstr(p, "The policy is ");
	ck_assert_int_eq(sscanf(p, "The policy is %15[A-Z0-9]", name), 1);
	*pol = (enum refsim_policy)refsim_policy_lookup(name);
	sbuf_free(&sb);
	return n;
}

static void check_one(struct exercise *ex)
{
	uint64_t refs[64];
	unsigned frames;
	enum refsim_policy pol;
	size_t n = problem_refs(ex, refs, 64, &frames, &pol);
	unsigned long hits, misses = refsim_run(pol, frames, refs, n, &hits);
	size_t hm = 0, victims = 0;
	struct sbuf sol = SBUF_INIT;
	char want[64];

	ck_assert_uint_gt(hits, 0);
	ck_assert_uint_gt(misses, frames);	/* an eviction */
	for (size_t i = 0; i < ex->nq; i++) {
		const struct exercise_question *q = &ex->q[i];

		ck_assert_msg(exercise_check_answer(q, q->answer), "%s / %s",
		    q->prompt, q->answer);
		if (q->kind == ANSWER_HIT_MISS) {
			hm++;
			ck_assert(!exercise_check_answer(q,
			    strcmp(q->answer, "hit") == 0 ? "miss" : "hit"));
		} else if (q->kind == ANSWER_PAGE_OR_NONE) {
			victims++;
			ck_assert(!exercise_check_answer(q, "999"));
			ck_assert(q->explain[0] != '\0');
		}
	}
	ck_assert_uint_eq(hm, n);
	ck_assert_uint_eq(victims, misses);
	snprintf(want, sizeof(want), "%lu", misses);
	ck_assert_str_eq(ex->q[ex->nq - 1].answer, want);
	/* The worked answer ends with the totals. */
	ex->kind->print_solution(ex, &sol);
	snprintf(want, sizeof(want), "hits %lu misses %lu hitrate ", hits,
	    misses);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sol), want));
	if (pol == REFSIM_OPT)
		ck_assert_ptr_null(strstr(sbuf_str(&sol), "(of those"));
	sbuf_free(&sol);
}

START_TEST(test_many_seeds)
{
	static const char *const pols[] = { NULL, "fifo", "lru", "clock", "opt",
	    "lru2q", "mru", "unopt" };

	for (uint64_t seed = 0; seed < 300; seed++) {
		struct exercise *ex = gen(seed, pols[_i], NULL, NULL);

		check_one(ex);
		exercise_free(ex);
	}
}
END_TEST

START_TEST(test_sizes)
{
	/* Harder settings: more frames, longer strings; every size range. */
	for (uint64_t seed = 0; seed < 60; seed++) {
		char frames[8], length[8];
		struct exercise *ex;

		snprintf(frames, sizeof(frames), "%u", 1 + (unsigned)(seed % 8));
		snprintf(length, sizeof(length), "%u", 20 + (unsigned)(seed % 40));
		ex = gen(seed, _i % 2 ? "opt" : "clock", frames, length);
		check_one(ex);
		exercise_free(ex);
	}
}
END_TEST

START_TEST(test_deterministic)
{
	struct exercise *a = gen(42, NULL, NULL, NULL), *b = gen(42, NULL, NULL,
	    NULL), *c = gen(43, NULL, NULL, NULL);
	struct sbuf sa = SBUF_INIT, sb = SBUF_INIT, sc = SBUF_INIT;

	a->kind->print_problem(a, &sa);
	a->kind->print_solution(a, &sa);
	b->kind->print_problem(b, &sb);
	b->kind->print_solution(b, &sb);
	c->kind->print_problem(c, &sc);
	ck_assert_str_eq(sbuf_str(&sa), sbuf_str(&sb));
	ck_assert_str_ne(sbuf_str(&sa), sbuf_str(&sc));
	sbuf_free(&sa);
	sbuf_free(&sb);
	sbuf_free(&sc);
	exercise_free(a);
	exercise_free(b);
	exercise_free(c);
}
END_TEST

START_TEST(test_bad_options)
{
	const struct exercise_kind *k = exercise_kind_find("policy");
	struct exercise_opt o[] = { { "frames", "0" } };
	struct exercise_opt o2[] = { { "policy", "rand" } };
	struct exercise_opt o3[] = { { "bogus", "1" } };
	struct sbuf err = SBUF_INIT;

	ck_assert_ptr_null(exercise_kind_find("nope"));
	ck_assert_ptr_null(exercise_new(k, 1, o, 1, &err));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "--frames: '0'"));
	sbuf_reset(&err);
	ck_assert_ptr_null(exercise_new(k, 1, o2, 1, &err));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "'rand' is not one of"));
	sbuf_reset(&err);
	ck_assert_ptr_null(exercise_new(k, 1, o3, 1, &err));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "unknown option --bogus"));
	sbuf_free(&err);
}
END_TEST

static bool matches(enum answer_kind kind, const char *want, const char *typed)
{
	struct exercise_question q = { xstrdup("?"), kind, xstrdup(want),
	    xstrdup("") };
	bool ok = exercise_check_answer(&q, typed);

	free(q.prompt);
	free(q.answer);
	free(q.explain);
	return ok;
}

START_TEST(test_answer_matching)
{
	ck_assert(matches(ANSWER_HIT_MISS, "miss", " Miss "));
	ck_assert(matches(ANSWER_HIT_MISS, "miss", "m"));
	ck_assert(matches(ANSWER_HIT_MISS, "hit", "H"));
	ck_assert(!matches(ANSWER_HIT_MISS, "miss", "hit"));
	ck_assert(matches(ANSWER_PAGE_OR_NONE, "-", "none"));
	ck_assert(!matches(ANSWER_PAGE_OR_NONE, "-", "0"));
	ck_assert(matches(ANSWER_PAGE_OR_NONE, "7", "0x7"));
	ck_assert(!matches(ANSWER_PAGE_OR_NONE, "7", "-"));
	ck_assert(matches(ANSWER_NUMBER, "12", "12"));
	ck_assert(!matches(ANSWER_NUMBER, "12", "12 misses"));
	ck_assert(matches(ANSWER_SET, "1 2 7", "[7, 1, 2]"));
	ck_assert(!matches(ANSWER_SET, "1 2 7", "1 2"));
}
END_TEST

START_TEST(test_quiz)
{
	struct quiz *qz = quiz_new(gen(5, "lru", NULL, NULL));
	struct sbuf out = SBUF_INIT;
	size_t nq = qz->ex->nq;
	char score[32];

	/* First question wrong, the next skipped, the rest right. */
	const struct exercise_question *q = quiz_current(qz);

	ck_assert(!quiz_answer(qz, strcmp(q->answer, "hit") == 0 ? "miss" :
	    "hit", &out));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&out), "wrong: the answer is "));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&out), "in memory"));
	quiz_skip(qz, &out);
	while (!quiz_done(qz))
		ck_assert(quiz_answer(qz, quiz_current(qz)->answer, &out));
	snprintf(score, sizeof(score), "score %zu/%zu\n", nq - 2, nq);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&out), score));
	ck_assert_ptr_null(quiz_current(qz));
	sbuf_free(&out);
	quiz_free(qz);
}
END_TEST

START_TEST(test_command)
{
	struct session *s = session_new();
	int failed;
	char *err, *out;

	out = test_run(s, "exercise policy --seed 9 --policy fifo --solve",
	    &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "(exercise policy, seed 9)"));
	ck_assert_ptr_nonnull(strstr(out, "Solution (fifo, 3 frames)"));
	ck_assert_ptr_nonnull(strstr(out, "has been in memory longest"));
	ck_assert_ptr_null(s->quiz);	/* batch: no quiz */
	free(out);
	free(err);
	s->interactive = true;
	out = test_run(s, "exercise policy --seed 9", &failed, &err);
	ck_assert_ptr_nonnull(s->quiz);
	ck_assert_ptr_null(strstr(out, "Solution"));
	free(out);
	free(err);
	out = test_run(s, "exercise translate", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "unknown kind 'translate'"));
	free(out);
	free(err);
	session_free(s);	/* frees the quiz too */
}
END_TEST

static Suite *exercise_suite(void)
{
	Suite *s = suite_create("exercise");
	TCase *tc = tcase_create("policy");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_many_seeds, 0, 8);
	tcase_add_loop_test(tc, test_sizes, 0, 2);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_answer_matching);
	tcase_add_test(tc, test_quiz);
	tcase_add_test(tc, test_command);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(exercise_suite());
}
