/*
 * check_ostep_tui.c - `vmscope ostep FILE --tui` without a terminal: the
 * walk-through of each problem of tests/data/ostep (ostep_tour) loaded
 * as a TUI lesson on a timeline (timeline_load_lesson), the way the
 * subcommand does, and checked against the simulator's answers in the
 * .out files:
 *
 *   translation problems: the start is the problem's toy machine saved
 *   as state text; each `translate 1 VA` step walks the problem's own
 *   tables (its narration is the simulator's block for VA, word for
 *   word, and the model's walk reaches the same frame), and going back
 *   restores the saved start and replays the same events;
 *
 *   paging-policy.py problems: a hit-or-miss question per reference
 *   with the simulator's answer, and `refstring` over the references so
 *   far, whose last totals are the FINALSTATS line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/ostep.h"
#include "vmscope/pgtable.h"
#include "vmscope/scenario.h"
#include "vmscope/state.h"
#include "vmscope/task.h"
#include "vmscope/tui.h"
#include "timeline.h"
#include "testutil.h"

#define DATA	VMSCOPE_SRCDIR "/tests/data/ostep/"

static char *slurp(const char *name)
{
	char path[512];
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), DATA "%s", name);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_addn(&sb, buf, n);
	fclose(fp);
	return sbuf_steal(&sb);
}

/* A walk-through on a timeline, as cli_ostep_main's --tui builds it. */
struct lesson_run {
	struct ostep_tour tour;
	struct tui_step	*steps;
	struct sbuf	 state;
	struct session	*s;
	struct timeline	 tl;
};

static void lesson_open(struct lesson_run *r, const char *name)
{
	char *text = slurp(name);
	struct sbuf err = SBUF_INIT;
	struct tui_lesson l = { 0 };

	ck_assert_msg(ostep_tour(text, name, &r->tour, &err) == 0, "%s: %s",
	    name, sbuf_str(&err));
	r->steps = xcalloc(r->tour.nsteps, sizeof(*r->steps));
	for (size_t i = 0; i < r->tour.nsteps; i++) {
		r->steps[i].say = r->tour.steps[i].say;
		r->steps[i].cmd = r->tour.steps[i].cmd;
		r->steps[i].question = r->tour.steps[i].question;
		r->steps[i].answer = r->tour.steps[i].answer;
		r->steps[i].explain = r->tour.steps[i].explain;
	}
	sbuf_init(&r->state);
	if (r->tour.m != NULL)
		state_write(r->tour.m, &r->state);
	l.title = r->tour.title;
	l.description = r->tour.description;
	l.start_state = r->tour.m != NULL ? sbuf_str(&r->state) : NULL;
	l.steps = r->steps;
	l.nsteps = r->tour.nsteps;
	r->s = session_new();
	scenario_attach(r->s, NULL);
	r->s->interactive = true;
	timeline_init(&r->tl, r->s);
	ck_assert_msg(timeline_load_lesson(&r->tl, &l, &err) == 0, "%s: %s",
	    name, sbuf_str(&err));
	ck_assert_uint_eq(r->tl.pos, 0);
	sbuf_free(&err);
	free(text);
}

static void lesson_close(struct lesson_run *r)
{
	timeline_free(&r->tl);
	session_free(r->s);
	free(r->steps);
	ostep_tour_free(&r->tour);
	sbuf_free(&r->state);
}

/*
 * Every translate step of a translation walk-through: narration from
 * the .out file, the question before it answered as the walk answers.
 */
static void check_translation(const char *base, bool multilevel)
{
	char txt[128], outname[128], *want;
	struct lesson_run r;
	size_t ncmd = 0;

	snprintf(txt, sizeof(txt), "%s.txt", base);
	snprintf(outname, sizeof(outname), "%s.out", base);
	want = slurp(outname);
	lesson_open(&r, txt);
	ck_assert_ptr_nonnull(r.tour.m);
	ck_assert_ptr_nonnull(r.tl.start_state);
	/* the start: one process whose root table is the problem's */
	ck_assert_ptr_nonnull(find_task_by_pid(r.s->m, 1));
	for (size_t i = 1; i <= r.tl.n; i++) {
		struct tl_entry *e = timeline_entry(&r.tl, i), *q;
		bool walked = false;

		if (e->kind != TL_CMD)
			continue;
		ncmd++;
		ck_assert_int_eq(strncmp(e->line, "translate 1 0x", 14), 0);
		ck_assert_msg(strstr(want, e->say) != NULL,
		    "%s: narration not in the answers:\n%s", base, e->say);
		q = timeline_entry(&r.tl, i - 1);
		ck_assert_int_eq(q->kind, TL_ASK);
		ck_assert_str_eq(q->explain, e->say);
		ck_assert_int_eq(timeline_goto_entry(&r.tl, i, SIZE_MAX), 0);
		ck_assert_int_eq(e->failed, 0);
		for (size_t k = 0; k < e->nevents; k++)
			walked |= e->events[k].ev.kind == EV_WALK_LEVEL ||
			    e->events[k].ev.kind == EV_WALK_FAULT;
		ck_assert_msg(walked, "%s: no walk event", e->line);
		if (strcmp(q->answer, multilevel ? "fault" : "invalid") == 0) {
			ck_assert(strstr(e->say, multilevel ? "Fault" :
			    "Invalid") != NULL);
		} else {
			/* the model's walk ends at the simulator's address */
			uint64_t pa = strtoull(q->answer, NULL, 16);
			char hex[32];

			snprintf(hex, sizeof(hex), multilevel ? "0x%03" PRIx64 :
			    "%08" PRIx64, pa);
			ck_assert_msg(strstr(e->say, hex) != NULL, "%s: %s not in "
			    "%s", base, hex, e->say);
			snprintf(hex, sizeof(hex), "0x%" PRIx64, pa);
			ck_assert_msg(strstr(e->out, hex) != NULL, "%s: translate "
			    "does not reach %s:\n%s", base, hex, e->out);
			/* however the student writes the number */
			snprintf(hex, sizeof(hex), "0X%06" PRIX64, pa);
			ck_assert(timeline_answer(q, hex));
			snprintf(hex, sizeof(hex), "%" PRIu64, pa);
			ck_assert(timeline_answer(q, hex));
			snprintf(hex, sizeof(hex), "%" PRIu64, pa + 1);
			ck_assert(!timeline_answer(q, hex));
		}
	}
	ck_assert_uint_gt(ncmd, 0);
	lesson_close(&r);
	free(want);
}

START_TEST(test_multilevel)
{
	check_translation("multilevel-seed0", true);
	check_translation("multilevel-seed1-solved", true);
	check_translation("multilevel-seed2", true);
}
END_TEST

START_TEST(test_linear)
{
	check_translation("linear-seed0", false);
	check_translation("linear-addresses", false);
	check_translation("linear-verbose-1k", false);
}
END_TEST

/* Stepping back restores the saved start: same machine, same events. */
START_TEST(test_back_restores_start)
{
	struct lesson_run r;
	size_t last;
	unsigned long rebuilds;
	char *first, *again;
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;

	lesson_open(&r, "multilevel-seed0.txt");
	/* entry 2 is `translate 1 0x611c` (the homework's worked example) */
	ck_assert_str_eq(timeline_entry(&r.tl, 2)->line, "translate 1 0x611c");
	ck_assert_int_eq(timeline_goto_entry(&r.tl, 2, SIZE_MAX), 0);
	ck_assert_ptr_nonnull(strstr(timeline_entry(&r.tl, 2)->out,
	    "pgd  index 24"));
	first = xstrdup(timeline_entry(&r.tl, 2)->out);
	state_write(r.s->m, &a);
	last = timeline_nsteps(&r.tl) - 1;
	ck_assert_int_eq(timeline_goto(&r.tl, last), 0);
	rebuilds = r.tl.rebuilds;
	ck_assert_int_eq(timeline_goto(&r.tl, 0), 0);
	ck_assert_uint_eq(r.tl.rebuilds, rebuilds + 1);
	ck_assert_ptr_nonnull(find_task_by_pid(r.s->m, 1));
	ck_assert_uint_eq(find_task_by_pid(r.s->m, 1)->mm->pgt->root_pfn, 108);
	ck_assert_int_eq(timeline_goto_entry(&r.tl, 2, SIZE_MAX), 0);
	again = timeline_entry(&r.tl, 2)->out;
	ck_assert_str_eq(again, first);
	state_write(r.s->m, &b);
	ck_assert_str_eq(sbuf_str(&a), sbuf_str(&b));
	free(first);
	sbuf_free(&a);
	sbuf_free(&b);
	lesson_close(&r);
}
END_TEST

/* FINALSTATS hits H misses M, and refstring's last "hits H misses M". */
static void check_policy(const char *base, bool commands)
{
	char txt[128], outname[128], *want;
	struct lesson_run r;
	const char *p, *fin;
	unsigned long h, m, rh = 0, rm = 0;
	size_t nask = 0, ncmd = 0;
	const char *last_out = NULL;

	snprintf(txt, sizeof(txt), "%s.txt", base);
	snprintf(outname, sizeof(outname), "%s.out", base);
	want = slurp(outname);
	lesson_open(&r, txt);
	ck_assert_ptr_null(r.tour.m);
	ck_assert_ptr_null(r.tl.start_state);
	p = want;
	for (size_t i = 1; i <= r.tl.n; i++) {
		struct tl_entry *e = timeline_entry(&r.tl, i);

		if (e->kind == TL_ASK) {
			/* the .out's access lines, in order */
			p = strstr(p, "Access: ");
			ck_assert_ptr_nonnull(p);
			ck_assert_int_eq(strncmp(p, e->explain, strlen(e->explain)),
			    0);
			ck_assert_str_eq(e->answer, strstr(e->explain, " HIT ") ?
			    "hit" : "miss");
			ck_assert(timeline_answer(e, e->answer[0] == 'h' ? "Hit" :
			    "MISS"));
			p++;
			nask++;
		} else if (e->kind == TL_CMD) {
			ck_assert_int_eq(strncmp(e->line, "refstring --frames ", 19),
			    0);
			ncmd++;
			last_out = e->out;
		}
	}
	fin = strstr(want, "FINALSTATS");
	ck_assert_ptr_nonnull(fin);
	ck_assert_int_eq(sscanf(fin, "FINALSTATS hits %lu misses %lu", &h, &m),
	    2);
	ck_assert_uint_eq(nask, h + m);
	if (commands) {
		const char *tot = NULL, *q = last_out;

		ck_assert_uint_eq(ncmd, nask);
		while ((q = strstr(q, "hits ")) != NULL)
			tot = q++;
		ck_assert_ptr_nonnull(tot);
		ck_assert_int_eq(sscanf(tot, "hits %lu misses %lu", &rh, &rm), 2);
		ck_assert_uint_eq(rh, h);
		ck_assert_uint_eq(rm, m);
	} else {
		ck_assert_uint_eq(ncmd, 0);
	}
	lesson_close(&r);
	free(want);
}

START_TEST(test_policy)
{
	check_policy("fifo-seed0", true);
	check_policy("lru-readme", true);
	check_policy("opt-ties", true);
	check_policy("belady-fifo4", true);
	/* Python's random stream: narration and questions only */
	check_policy("rand-seed5", false);
	check_policy("clock-seed0", false);
}
END_TEST

START_TEST(test_refused)
{
	struct ostep_tour tour;
	struct sbuf err = SBUF_INIT;
	char *text = slurp("lfu.txt");

	ck_assert_int_eq(ostep_tour(text, "lfu.txt", &tour, &err), -1);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "LFU"));
	ck_assert_ptr_null(tour.steps);
	free(text);
	sbuf_free(&err);
}
END_TEST

static Suite *ostep_tui_suite(void)
{
	Suite *su = suite_create("ostep-tui");
	TCase *tc = tcase_create("walk-through");

	tcase_add_test(tc, test_multilevel);
	tcase_add_test(tc, test_linear);
	tcase_add_test(tc, test_back_restores_start);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_refused);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return test_main(ostep_tui_suite());
}
