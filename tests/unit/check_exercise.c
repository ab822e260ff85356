/*
 * check_exercise.c - the exercise machinery and the `policy` kind:
 * generation is deterministic per seed, every generated problem over many
 * seeds is solvable and worth asking (a hit and an eviction) and, for opt,
 * free of ties; the questions' answers agree with an independent run of
 * the simulator; the answer checker and the quiz score.
 *
 * The kinds that run the model (translate, buddy, vma, cow, tlb): fixed
 * seeds whose answers were worked out by hand from the printed problem;
 * over many seeds, generation succeeds, is deterministic and every
 * answer passes its own checker; translate's answers agree with a walk
 * done here from the printed tables alone, and tlb's with a small TLB
 * simulated here from the printed sequence.
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
	out = test_run(s, "exercise paging", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "unknown kind 'paging'"));
	free(out);
	free(err);
	session_free(s);	/* frees the quiz too */
}
END_TEST


/* ---- the kinds that run the model ----------------------------------- */

static struct exercise *gen_kind(const char *kind, uint64_t seed,
    const struct exercise_opt *opts, int n)
{
	struct sbuf err = SBUF_INIT;
	struct exercise *ex;

	ex = exercise_new(exercise_kind_find(kind), seed, opts, n, &err);
	ck_assert_msg(ex != NULL, "%s seed %llu: %s", kind,
	    (unsigned long long)seed, sbuf_str(&err));
	sbuf_free(&err);
	return ex;
}

static void assert_answers(const struct exercise *ex, const char *const *want,
    size_t n)
{
	ck_assert_uint_eq(ex->nq, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(exercise_check_answer(&ex->q[i], want[i]),
		    "question %zu '%s': answer %s, expected %s", i + 1,
		    ex->q[i].prompt, ex->q[i].answer, want[i]);
	}
}

/*
 * Worked by hand from the printed problem: a 12-bit toy (16-byte pages,
 * 4+4 index bits); pgd[7] = 0x81 -> pte table at pfn 1, pgd[6] = 0x85 ->
 * pfn 5. 0x75a: pgd 7, pte 5 = 0x84 -> pfn 4, offset 0xa: 0x4a. 0x71e and
 * 0x7dc: pte 1 and 13 of table 1 are empty. 0x675: pgd 6, pte 7 = 0x86,
 * pfn 6: 0x65.
 */
START_TEST(test_translate_by_hand)
{
	static const char *const want[] = { "0x4a", "fault pte", "pte",
	    "0x65" };
	struct exercise *ex = gen_kind("translate", 1, NULL, 0);
	struct sbuf sb = SBUF_INIT;

	ex->kind->print_problem(ex, &sb);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb), "  [6] 0x85 [7] 0x81\n"));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb), "   1. 0x75a\n"));
	assert_answers(ex, want, 4);
	ck_assert(!exercise_check_answer(&ex->q[1], "fault pgd"));
	ck_assert(!exercise_check_answer(&ex->q[0], "0x4b"));
	sbuf_free(&sb);
	exercise_free(ex);
}
END_TEST

/*
 * 16 frames: A = alloc 0 splits 16 -> 8+4+2+1+1, A = 0; B takes 1; free A
 * puts 0 on [0]; C takes it back; free B: buddy 0 is C's; free C merges
 * 0+1, +2, +4, +8 into one order-4 block.
 */
START_TEST(test_buddy_by_hand)
{
	static const char *const want[] = { "0", "1", "0", "-", "-", "-",
	    "-", "0" };
	struct exercise *ex = gen_kind("buddy", 3, NULL, 0);
	struct sbuf sb = SBUF_INIT;

	ex->kind->print_problem(ex, &sb);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb), "   1. A = alloc_pages("
	    "order 0)\n   2. B = alloc_pages(order 0)\n   3. free A (order 0)\n"
	    "   4. C = alloc_pages(order 0)\n   5. free B (order 0)\n"
	    "   6. free C (order 0)\n"));
	assert_answers(ex, want, 8);
	sbuf_reset(&sb);
	ex->kind->print_solution(ex, &sb);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb), "pfn 0x0 merges with buddy "
	    "pfn 0x8 into order 4"));
	sbuf_free(&sb);
	exercise_free(ex);
}
END_TEST

/*
 * mmap 0x10008000 16K r; munmap 0x10003000 16K finds nothing; mmap
 * 0x1000d000 12K rx leaves a one-page hole; munmap 0x1000b000 16K cuts
 * the tail page of the first and the two head pages of the second;
 * mmap 0x1000b000 4K none does not merge (other permissions).
 */
START_TEST(test_vma_by_hand)
{
	static const char *const want[] = {
		"10008000-1000c000 r--p",
		"10008000-1000c000 r--p",
		"10008000-1000c000 r--p; 1000d000-10010000 r-xp",
		"0x10008000-0x1000b000 r--; 1000f000-10010000 r-x",
		"10008000-1000b000 r--p; 1000b000-1000c000 ---p; "
		    "1000f000-10010000 r-xp",
	};
	struct exercise *ex = gen_kind("vma", 5, NULL, 0);
	struct sbuf sb = SBUF_INIT;

	ex->kind->print_problem(ex, &sb);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb),
	    "   1. mmap 1 0x10008000 16K r fixed\n"
	    "   2. munmap 1 0x10003000 16K\n"
	    "   3. mmap 1 0x1000d000 12K rx fixed\n"
	    "   4. munmap 1 0x1000b000 16K\n"
	    "   5. mmap 1 0x1000b000 4K none fixed\n"));
	assert_answers(ex, want, 5);
	ck_assert(!exercise_check_answer(&ex->q[4], "10008000-1000c000 r--p"));
	sbuf_free(&sb);
	exercise_free(ex);
}
END_TEST

/*
 * Pages 0 and 2 written, 1 and 3 read (zero page) before the fork; then
 * pid 1 writes 2, 0 (shared: copies), 3, 1 (zero page: copies), reads 2
 * and writes 1 again (its own writable pages: no fault). Nothing is
 * shared at the end: pid 1 copied both pages the child still maps.
 */
START_TEST(test_cow_by_hand)
{
	static const char *const want[] = { "copy", "copy", "copy", "copy",
	    "none", "none", "4", "0", "4", "0" };
	struct exercise *ex = gen_kind("cow", 3, NULL, 0);

	assert_answers(ex, want, 10);
	exercise_free(ex);
}
END_TEST

/*
 * 4 entries, 2 sets. With ASIDs: 1.1 miss, 2.0 miss (set 0), 2.1 miss
 * (set 1), 1.2 miss (set 0 holds 2.0 and 1.2), 1.0 miss evicts 2.0, 1.2
 * hit, 2.2 miss evicts 1.0. Without, every switch empties the TLB: the
 * same, but the fifth read fills the free way; 1.2 hits again.
 */
START_TEST(test_tlb_by_hand)
{
	static const char *const want[] = { "miss", "miss", "miss", "miss",
	    "miss", "miss", "miss", "miss", "miss", "miss", "hit", "hit",
	    "miss", "miss", "6", "6" };
	struct exercise *ex = gen_kind("tlb", 2, NULL, 0);

	assert_answers(ex, want, 16);
	exercise_free(ex);
}
END_TEST

/* The tables printed in a toy translate problem, walked here. */
static void check_translate_walks(const struct exercise *ex)
{
	struct sbuf sb = SBUF_INIT;
	const char *p, *t;
	unsigned bits[5], nlev = 0, shift, ebytes = 1, root;
	static uint64_t ent[64][1024];	/* [pfn][index], 0 = empty */
	size_t qi = 0;

	ex->kind->print_problem(ex, &sb);
	p = sbuf_str(&sb);
	ck_assert_int_eq(sscanf(strstr(p, "pages, "), "pages, %u-byte", &ebytes),
	    1);
	t = strstr(p, "splits into");
	for (const char *q = t; (q = strstr(q, " index ")) != NULL &&
	    q < strstr(t, "offset"); q += 7)
		ck_assert_int_eq(sscanf(q, " index %u", &bits[nlev++]), 1);
	ck_assert_int_eq(sscanf(strstr(t, "offset"), "offset %u", &shift), 1);
	ck_assert_int_eq(sscanf(strstr(p, "root table is at pfn "),
	    "root table is at pfn 0x%x", &root), 1);
	memset(ent, 0, sizeof(ent));
	for (t = strstr(p, "table at pfn "); t != NULL;
	    t = strstr(t + 1, "table at pfn ")) {
		unsigned pfn, idx;
		unsigned long long v;
		const char *q = strchr(t, '\n') + 1;

		ck_assert_int_eq(sscanf(t, "table at pfn 0x%x", &pfn), 1);
		ck_assert_uint_lt(pfn, 64);
		while ((*q == ' ' || *q == '[') &&
		    sscanf(q, " [%u] 0x%llx", &idx, &v) == 2) {
			ent[pfn][idx] = v;
			q = strchr(q, ']') + 1;
			q += strspn(q, " 0x123456789abcdef");
			if (*q == '\n' && q[1] == ' ' && q[2] == ' ' && q[3] == '[')
				q++;
		}
	}
	for (t = strstr(p, "e.g. 'fault pte'):\n"); (t = strstr(t, ". 0x")) != NULL;
	    t++) {
		unsigned long long va;
		unsigned pfn = root, w = ebytes * 8, lshift = shift;
		char want[64];

		ck_assert_int_eq(sscanf(t, ". 0x%llx", &va), 1);
		for (unsigned l = 0; l < nlev; l++)
			lshift += bits[l];
		for (unsigned l = 0; l < nlev; l++) {
			uint64_t e;

			lshift -= bits[l];
			e = ent[pfn][(va >> lshift) & ((1U << bits[l]) - 1)];
			if (!(e >> (w - 1) & 1)) {
				snprintf(want, sizeof(want), "fault %s",
				    l == nlev - 1 ? "pte" : l == 0 ? "pgd" :
				    nlev == 3 ? "pmd" : "?");
				break;
			}
			pfn = (unsigned)(e & ((1ULL << (w == 8 ? 7 : w - 5)) - 1));
			if (l == nlev - 1)
				snprintf(want, sizeof(want), "0x%llx",
				    ((unsigned long long)pfn << shift) |
				    (va & ((1ULL << shift) - 1)));
		}
		ck_assert_uint_lt(qi, ex->nq);
		ck_assert_msg(exercise_check_answer(&ex->q[qi], want),
		    "seed %llu address 0x%llx: model %s, walked here %s",
		    (unsigned long long)ex->seed, va, ex->q[qi].answer, want);
		qi++;
	}
	ck_assert_uint_eq(qi, ex->nq);
	sbuf_free(&sb);
}

/* The reads of a tlb problem, replayed on a TLB simulated here. */
static void check_tlb_answers(const struct exercise *ex)
{
	struct sbuf sb = SBUF_INIT;
	const char *p, *t;
	unsigned entries, nsets, ways;
	size_t qi = 0;

	ex->kind->print_problem(ex, &sb);
	p = sbuf_str(&sb);
	ck_assert_int_eq(sscanf(strstr(p, "TLB of "), "TLB of %u entries: %u",
	    &entries, &nsets), 2);
	ways = entries / nsets;
	for (int asid = 1; asid >= 0; asid--) {
		struct { unsigned pid, vpn; unsigned long stamp; bool v; } e[16];
		unsigned cur = 1;
		unsigned long clock = 0, misses = 0;

		memset(e, 0, sizeof(e));
		for (t = strstr(p, "In order:\n"); t != NULL &&
		    (t = strstr(t + 1, "\n  ")) != NULL;) {
			unsigned n, pid, page;

			if (sscanf(t, "\n %u. switch to pid %u", &n, &pid) == 2) {
				cur = pid;
				if (!asid)
					memset(e, 0, sizeof(e));
				continue;
			}
			if (sscanf(t, "\n %u. pid %u reads page %u", &n, &pid,
			    &page) != 3)
				break;
			{
				unsigned vpn = 0x1000 / 32 + page, set = vpn % nsets;
				unsigned lru = set * ways;
				bool hit = false;

				ck_assert_uint_eq(pid, cur);
				for (unsigned w = set * ways; w < (set + 1) * ways;
				    w++) {
					if (e[w].v && e[w].pid == pid &&
					    e[w].vpn == vpn) {
						hit = true;
						e[w].stamp = ++clock;
					}
					if (!e[w].v || (e[lru].v &&
					    e[w].stamp < e[lru].stamp))
						lru = w;
				}
				if (!hit) {
					misses++;
					for (unsigned w = set * ways; w < (set +
					    1) * ways; w++) {
						if (!e[w].v) {
							lru = w;
							break;
						}
					}
					e[lru].v = true;
					e[lru].pid = pid;
					e[lru].vpn = vpn;
					e[lru].stamp = ++clock;
				}
				/* questions alternate: with, then without ASID */
				ck_assert_msg(exercise_check_answer(&ex->q[qi +
				    (asid ? 0 : 1)], hit ? "hit" : "miss"),
				    "seed %llu read %u asid %d: model %s",
				    (unsigned long long)ex->seed, n, asid,
				    ex->q[qi + (asid ? 0 : 1)].answer);
				qi += 2;
			}
		}
		{
			char buf[16];

			snprintf(buf, sizeof(buf), "%lu", misses);
			ck_assert(exercise_check_answer(&ex->q[ex->nq - (asid ?
			    2 : 1)], buf));
		}
		qi = 0;
	}
	sbuf_free(&sb);
}

static const char *const model_kinds[] = { "translate", "buddy", "vma",
	"cow", "tlb" };

/*
 * Every seed gives a problem with questions whose answers pass their own
 * checker, the same text again for the same seed, and for translate and
 * tlb the answers a separate solver finds from the printed problem.
 */
START_TEST(test_model_kinds_many_seeds)
{
	const char *kind = model_kinds[_i];

	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct exercise *a = gen_kind(kind, seed, NULL, 0);
		struct exercise *b = gen_kind(kind, seed, NULL, 0);
		struct sbuf sa = SBUF_INIT, sb = SBUF_INIT;

		a->kind->print_problem(a, &sa);
		a->kind->print_solution(a, &sa);
		b->kind->print_problem(b, &sb);
		b->kind->print_solution(b, &sb);
		ck_assert_str_eq(sbuf_str(&sa), sbuf_str(&sb));
		ck_assert_uint_gt(a->nq, 0);
		for (size_t i = 0; i < a->nq; i++) {
			ck_assert_msg(exercise_check_answer(&a->q[i],
			    a->q[i].answer), "%s seed %llu question %zu: '%s' "
			    "does not match itself", kind,
			    (unsigned long long)seed, i, a->q[i].answer);
			ck_assert_str_eq(a->q[i].answer, b->q[i].answer);
		}
		if (strcmp(kind, "translate") == 0)
			check_translate_walks(a);
		if (strcmp(kind, "tlb") == 0)
			check_tlb_answers(a);
		sbuf_free(&sa);
		sbuf_free(&sb);
		exercise_free(a);
		exercise_free(b);
	}
}
END_TEST

START_TEST(test_model_kinds_options)
{
	struct exercise_opt o1[] = { { "frames", "32" }, { "length", "12" },
	    { "max-order", "3" } };
	struct exercise_opt o2[] = { { "page-size", "32" }, { "levels", "5,5" },
	    { "pages", "8" }, { "addresses", "10" } };
	struct exercise_opt o3[] = { { "arch", "i386" } };
	struct exercise_opt o4[] = { { "entries", "8" }, { "ways", "4" },
	    { "length", "20" } };
	struct exercise_opt bad1[] = { { "frames", "12" } };
	struct exercise_opt bad2[] = { { "arch", "vax" } };
	struct exercise_opt bad3[] = { { "entries", "6" }, { "ways", "4" } };
	struct sbuf err = SBUF_INIT;
	struct exercise *ex;

	exercise_free(gen_kind("buddy", 7, o1, 3));
	ex = gen_kind("translate", 7, o2, 4);
	ck_assert_uint_eq(ex->nq, 10);
	check_translate_walks(ex);
	exercise_free(ex);
	exercise_free(gen_kind("translate", 7, o3, 1));
	ex = gen_kind("tlb", 7, o4, 3);
	check_tlb_answers(ex);
	exercise_free(ex);
	ck_assert_ptr_null(exercise_new(exercise_kind_find("buddy"), 1, bad1, 1,
	    &err));
	ck_assert_str_eq(sbuf_str(&err), "exercise buddy: --frames: 12 is not "
	    "a power of two");
	sbuf_reset(&err);
	ck_assert_ptr_null(exercise_new(exercise_kind_find("translate"), 1,
	    bad2, 1, &err));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "--arch: 'vax'"));
	sbuf_reset(&err);
	ck_assert_ptr_null(exercise_new(exercise_kind_find("tlb"), 1, bad3, 2,
	    &err));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "power-of-two"));
	sbuf_free(&err);
}
END_TEST

START_TEST(test_new_answer_kinds)
{
	char empty[] = "", fault[] = "fault pmd", addr[] = "0x1a2", dash[] = "-";
	char lines[] = "10000000-10001000 rw-p; 10001000-10002000 r--p";
	struct exercise_question walk = { empty, ANSWER_WALK, fault, empty };
	struct exercise_question pa = { empty, ANSWER_WALK, addr, empty };
	struct exercise_question maps = { empty, ANSWER_MAPS, lines, empty };
	struct exercise_question none = { empty, ANSWER_MAPS, dash, empty };
	struct exercise_question set = { empty, ANSWER_SET, dash, empty };

	ck_assert(exercise_check_answer(&walk, "pmd"));
	ck_assert(exercise_check_answer(&walk, "Fault at PMD"));
	ck_assert(!exercise_check_answer(&walk, "pgd"));
	ck_assert(!exercise_check_answer(&walk, "0x1a2"));
	ck_assert(exercise_check_answer(&pa, "418"));
	ck_assert(!exercise_check_answer(&pa, "fault pte"));
	ck_assert(exercise_check_answer(&maps, "0x10000000-0x10001000 rw-, "
	    "10001000-10002000 r--p"));
	ck_assert(!exercise_check_answer(&maps, "10001000-10002000 r--p; "
	    "10000000-10001000 rw-p"));
	ck_assert(!exercise_check_answer(&maps, "10000000-10002000 rw-p"));
	ck_assert(exercise_check_answer(&none, "none"));
	ck_assert(!exercise_check_answer(&none, "10000000-10001000 rw-p"));
	ck_assert(exercise_check_answer(&set, "none"));
	ck_assert(!exercise_check_answer(&set, "0"));
}
END_TEST

/* A wrong answer shows the model's steps (several lines) after it. */
START_TEST(test_quiz_explains_steps)
{
	struct quiz *qz = quiz_new(gen_kind("buddy", 3, NULL, 0));
	struct sbuf out = SBUF_INIT;

	ck_assert(!quiz_answer(qz, "5", &out));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&out), "wrong: the answer is 0x0; "
	    "the model's steps:\n    __rmqueue_smallest: zone Normal: take pfn "
	    "0x0 from free_area[4]\n"));
	sbuf_reset(&out);
	ck_assert(quiz_answer(qz, "1", &out));
	ck_assert_str_eq(sbuf_str(&out), "right\n");
	sbuf_free(&out);
	quiz_free(qz);
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
	tc = tcase_create("model kinds");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_translate_by_hand);
	tcase_add_test(tc, test_buddy_by_hand);
	tcase_add_test(tc, test_vma_by_hand);
	tcase_add_test(tc, test_cow_by_hand);
	tcase_add_test(tc, test_tlb_by_hand);
	tcase_add_loop_test(tc, test_model_kinds_many_seeds, 0,
	    ARRAY_SIZE(model_kinds));
	tcase_add_test(tc, test_model_kinds_options);
	tcase_add_test(tc, test_new_answer_kinds);
	tcase_add_test(tc, test_quiz_explains_steps);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(exercise_suite());
}
