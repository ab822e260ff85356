/*
 * check_tui.c - the TUI rendered in-process: ncurses on a null terminal
 * (newterm writing to /dev/null), each pane drawn and read back from
 * stdscr with mvinnstr; the timeline's stepping, replay and journal; keys
 * fed to tui_key. The tmux tests in tests/tui/ drive the real binary.
 *
 * Machine used throughout: the default x86_64 256M (DMA 0x0-0xfff, DMA32
 * 0x1000-0xffff), where `alloc_pages 3` takes the first order-10 block
 * of DMA32 at 0x1400 and splits it down:
 *
 *   order 10 [0x1400 ............................................. )
 *   split     [0x1400 ... 0x15ff][0x1600 ... 0x17ff]  -> free_area[9]
 *   ...       [0x1400-0x1407] kept, 0x1408 -> free_area[3]
 */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmscope/cmd.h"
#include "vmscope/exercise.h"
#include "vmscope/pgtable.h"
#include "vmscope/session.h"
#include "vmscope/task.h"
#include "tui-curses.h"
#include "tui.h"

static SCREEN *scr;
static FILE *term_out, *term_in;
static struct session *s;
static struct tui *t;

static void term_open(int lines, int cols)
{
	term_out = fopen("/dev/null", "w");
	term_in = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(term_out);
	scr = newterm("xterm", term_out, term_in);
	ck_assert_ptr_nonnull(scr);
	resizeterm(lines, cols);
}

static void term_close(void)
{
	endwin();
	delscreen(scr);
	fclose(term_out);
	fclose(term_in);
}

static void open_tui(const char *file, int lines, int cols)
{
	struct tui_options opt = { .file = file };
	struct sbuf err = SBUF_INIT;

	s = session_new();
	s->interactive = true;
	t = tui_new(s, &opt, &err);
	ck_assert_msg(t != NULL, "tui_new: %s", sbuf_str(&err));
	sbuf_free(&err);
	term_open(lines, cols);
	tui_term_setup(t);
	tui_draw(t);
}

static void close_tui(void)
{
	tui_free(t);
	term_close();
	session_free(s);
	t = NULL;
	s = NULL;
}

/* The whole screen as text, one '\n' per row (caller frees). */
static char *screen_text(void)
{
	struct sbuf sb = SBUF_INIT;
	char row[512];

	for (int y = 0; y < LINES; y++) {
		mvinnstr(y, 0, row, COLS < 511 ? COLS : 511);
		sbuf_add(&sb, row);
		sbuf_addc(&sb, '\n');
	}
	return sbuf_steal(&sb);
}

static bool screen_has(const char *text)
{
	char *scrtext = screen_text();
	bool found = strstr(scrtext, text) != NULL;

	if (!found)
		fprintf(stderr, "--- screen without '%s':\n%s", text, scrtext);
	free(scrtext);
	return found;
}

/* One scratch file per run, named in main (forked tests share it). */
static char path[64];

static const char *write_file(const char *text)
{
	FILE *fp;

	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

#define ALLOC_SCENARIO \
	"# a plain scenario\n" \
	"say Order 3 from a machine with only order-10 blocks free.\n" \
	"alloc_pages 3\n" \
	"ask How many pages in an order-3 block? = 8\n" \
	"alloc_pages 0\n"

START_TEST(test_timeline_steps)
{
	struct timeline tl;
	struct sbuf err = SBUF_INIT;
	size_t entry, k, n;

	s = session_new();
	s->interactive = true;
	timeline_init(&tl, s);
	ck_assert_int_eq(timeline_load(&tl, write_file(ALLOC_SCENARIO), &err), 0);
	ck_assert_uint_eq(tl.n, 3);
	ck_assert_int_eq(tl.v[0].kind, TL_CMD);
	ck_assert_str_eq(tl.v[0].say,
	    "Order 3 from a machine with only order-10 blocks free.");
	ck_assert_int_eq(tl.v[1].kind, TL_ASK);
	ck_assert_str_eq(tl.v[1].answer, "8");
	/* wmark, take, 7 splits (10 -> 3), alloc */
	ck_assert_uint_eq(timeline_entry_steps(&tl, 1), 10);
	ck_assert_uint_eq(timeline_entry_steps(&tl, 2), 1);
	n = timeline_nsteps(&tl);
	ck_assert_uint_eq(n, 1 + 10 + 1 + timeline_entry_steps(&tl, 3));
	ck_assert_uint_eq(tl.pos, 0);
	ck_assert_uint_eq(tl.applied, 0);
	timeline_locate(&tl, 5, &entry, &k);
	ck_assert_uint_eq(entry, 1);
	ck_assert_uint_eq(k, 4);
	ck_assert_int_eq(timeline_goto(&tl, 5), 0);
	ck_assert_int_eq(timeline_current_event(&tl)->ev.kind, EV_BUDDY_SPLIT);
	ck_assert_uint_eq(s->njournal, 1);
	ck_assert_str_eq(s->journal[0], "alloc_pages 3");
	/* back to the start rebuilds; forward again replays the same events */
	{
		unsigned long r = tl.rebuilds;
		char *first = xstrdup(tl.v[0].events[3].text);

		ck_assert_int_eq(timeline_goto(&tl, 0), 0);
		ck_assert_uint_eq(tl.rebuilds, r + 1);
		ck_assert_uint_eq(s->njournal, 0);
		ck_assert_int_eq(timeline_goto(&tl, 5), 0);
		ck_assert_str_eq(tl.v[0].events[3].text, first);
		free(first);
	}
	timeline_free(&tl);
	session_free(s);
	sbuf_free(&err);
}
END_TEST

START_TEST(test_timeline_typed_and_answer)
{
	struct timeline tl;
	struct tl_entry *e;

	s = session_new();
	s->interactive = true;
	timeline_init(&tl, s);
	ck_assert_int_eq(timeline_run_typed(&tl, "alloc_pages 1", &e), 0);
	ck_assert_ptr_nonnull(strstr(e->out, "pfn 0x"));
	ck_assert_uint_eq(tl.n, 1);
	ck_assert_uint_eq(tl.pos, timeline_nsteps(&tl) - 1);
	ck_assert_int_eq(timeline_run_typed(&tl, "frobnicate", &e), 1);
	ck_assert_ptr_nonnull(strstr(e->err, "unknown command"));
	/* inserted after the current entry, not at the end */
	ck_assert_int_eq(timeline_goto(&tl, 0), 0);
	ck_assert_int_eq(timeline_run_typed(&tl, "alloc_pages 0", &e), 0);
	ck_assert_str_eq(tl.v[0].line, "alloc_pages 0");
	ck_assert_uint_eq(tl.n, 3);
	e = timeline_add(&tl, TL_ASK, NULL, NULL);
	e->answer = xstrdup("8");
	ck_assert(timeline_answer(e, "  8 "));
	ck_assert(!timeline_answer(e, "16"));
	timeline_free(&tl);
	session_free(s);
}
END_TEST

START_TEST(test_timeline_bad_file)
{
	struct timeline tl;
	struct sbuf err = SBUF_INIT;

	s = session_new();
	timeline_init(&tl, s);
	ck_assert_int_eq(timeline_load(&tl, "/nonexistent/x.cmd", &err), -1);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "No such file"));
	sbuf_reset(&err);
	ck_assert_int_eq(timeline_load(&tl, write_file("frobnicate 1\n"), &err), -1);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), ":1: bad command"));
	timeline_free(&tl);
	session_free(s);
	sbuf_free(&err);
}
END_TEST

START_TEST(test_render_start)
{
	open_tui(NULL, 24, 80);
	ck_assert(screen_has("vmscope  x86_64 256M  step 0/0"));
	ck_assert(screen_has("physical memory"));
	ck_assert(screen_has("buddy free lists"));
	ck_assert(screen_has("[events]"));	/* focused */
	ck_assert(screen_has("No command yet"));
	/* LC_ALL=C: ASCII borders */
	ck_assert(screen_has("+- physical memory -"));
	close_tui();
}
END_TEST

START_TEST(test_render_phys)
{
	open_tui(write_file(ALLOC_SCENARIO), 24, 80);
	ck_assert(screen_has("DMA32 pfn 0x1000-0xffff"));
	ck_assert(screen_has("pfn 0x0 DMA"));
	ck_assert(screen_has("boot: real-mode IVT"));
	tui_key(t, 'N');	/* after alloc_pages 3 */
	tui_draw(t);
	ck_assert(screen_has("pfn 0x1400 DMA32 ref 1 map 0"));
	ck_assert(screen_has("[head,kernel] kernel"));
	/* the find prompt: a physical address selects its frame */
	t->focus = PANE_PHYS;
	tui_key(t, '/');
	for (const char *p = "0x1408123"; *p; p++)
		tui_key(t, *p);
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("pfn 0x1408 DMA32 ref 0 map 0"));
	ck_assert(screen_has("[buddy] free: in the order-3"));
	close_tui();
}
END_TEST

START_TEST(test_render_buddy_animates)
{
	open_tui(write_file(ALLOC_SCENARIO), 24, 80);
	ck_assert(screen_has("0 DMA32  0 0 0 0 0 0 0 0 0 0 58"));
	tui_key(t, 'n');	/* wmark check */
	tui_key(t, 'n');	/* take the order-10 block */
	tui_draw(t);
	ck_assert(screen_has("0 DMA32  0 0 0 0 0 0 0 0 0 0 57"));
	tui_key(t, 'n');	/* first split: a buddy goes to order 9 */
	tui_draw(t);
	ck_assert(screen_has("0 DMA32  0 0 0 0 0 0 0 0 0 1 57"));
	ck_assert(screen_has("expand: split 10->9, buddy 0x1600"));
	ck_assert(screen_has("buddy free lists *"));	/* lit */
	close_tui();
}
END_TEST

START_TEST(test_render_log_and_explain)
{
	open_tui(write_file(ALLOC_SCENARIO), 24, 80);
	tui_key(t, 'n');
	tui_key(t, 'n');
	tui_key(t, 'n');
	tui_draw(t);
	ck_assert(screen_has("[1] alloc_pages 3  => pfn 0x1400"));
	ck_assert(screen_has(">   3 buddy_split       zone DMA32: split pfn 0x1400"));
	ck_assert(screen_has("expand (mm/page_alloc.c): halve the block"));
	ck_assert(screen_has("Order 3 from a machine"));	/* narration */
	ck_assert(screen_has("step 3/"));
	close_tui();
}
END_TEST

START_TEST(test_back_same_screen)
{
	char *before, *after;

	open_tui(write_file(ALLOC_SCENARIO), 24, 80);
	for (int i = 0; i < 9; i++)
		tui_key(t, 'n');
	tui_draw(t);
	before = screen_text();
	tui_key(t, 'n');
	tui_key(t, 'n');	/* into the question, past a command boundary */
	tui_key(t, 'b');
	tui_key(t, 'b');
	tui_draw(t);
	after = screen_text();
	ck_assert_str_eq(before, after);
	free(after);
	free(before);
	tui_key(t, 'n');	/* the last event of alloc_pages 3 */
	tui_draw(t);
	before = screen_text();
	tui_key(t, 'N');
	tui_key(t, 'N');
	tui_key(t, 'B');
	tui_key(t, 'B');
	tui_draw(t);
	after = screen_text();
	ck_assert_str_eq(before, after);
	free(after);
	free(before);
	close_tui();
}
END_TEST

START_TEST(test_question)
{
	open_tui(write_file(ALLOC_SCENARIO), 24, 80);
	tui_key(t, 'N');
	tui_key(t, 'n');	/* the question */
	tui_draw(t);
	ck_assert(screen_has("Question: How many pages in an order-3 block?"));
	ck_assert(screen_has("Press a to answer."));
	tui_key(t, 'a');
	tui_key(t, '8');
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("You answered '8': right!"));
	close_tui();
}
END_TEST

/*
 * A write fault on a fresh anonymous page, stepped event by event:
 *
 *   0x100000000000 [anon rw-p 4 pages], no page table below the pgd
 *   tlb_miss -> walk_fault pgd none -> vma_find -> page_fault ->
 *   (alloc + pgtable_alloc) x 3 -> do_anonymous_page -> alloc ->
 *   set_pte -> access_retry -> tlb_miss -> walk_level x 4 -> tlb_fill
 */
#define FAULT_SCENARIO \
	"spawn app\n" \
	"mmap 1 0x100000000000 4p rw\n" \
	"touch 1 0x100000000000 w\n"

/* Step to the first event of the current command named kind. */
static void step_to(const char *kind)
{
	const struct tl_event *ev;

	for (int i = 0; i < 200; i++) {
		tui_key(t, 'n');
		ev = timeline_current_event(&t->tl);
		if (ev != NULL && strcmp(event_kind_name(ev->ev.kind), kind) == 0) {
			tui_draw(t);
			return;
		}
	}
	ck_abort_msg("no %s event", kind);
}

START_TEST(test_fault_stages)
{
	char *before, *after;
	size_t pos;

	open_tui(write_file(FAULT_SCENARIO), 24, 80);
	tui_key(t, 'N');
	tui_key(t, 'N');
	step_to("tlb_miss");
	ck_assert(screen_has("TLB *"));
	ck_assert(screen_has("(no valid entry)"));	/* not filled yet */
	step_to("walk_fault");
	ck_assert(screen_has("page-table walk *"));
	ck_assert(screen_has("pgd  [ 32] none  <- walk stops here"));
	ck_assert(screen_has("pud  [  0] missing"));
	step_to("vma_find");
	ck_assert(screen_has("find_vma: 3 tree nodes, root first:"));
	ck_assert(screen_has("3100000000000 anon"));	/* third node visited */
	step_to("buddy_take");
	ck_assert(screen_has("DMA32 ref 0 map 0"));
	ck_assert(screen_has("[-] at this step: free"));
	ck_assert(screen_has("then pid 1 pud table (level 1)"));
	step_to("pgtable_alloc");
	ck_assert(screen_has("pud  [  0] new table at pfn 0x"));
	before = screen_text();
	pos = t->tl.pos;
	step_to("set_pte");
	ck_assert(screen_has("pte  [  0] 0x80000000"));
	ck_assert(screen_has("at this step: set_pte_at"));
	step_to("tlb_fill");
	ck_assert(screen_has("  0   0    1 100000000      -> "));
	/* and back: the pgtable_alloc screen again, exactly */
	while (t->tl.pos > pos)
		tui_key(t, 'b');
	tui_draw(t);
	after = screen_text();
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	close_tui();
}
END_TEST

START_TEST(test_phys_owner_rmap)
{
	struct task_struct *task;
	struct pt_walk w;
	char find[32], want[96];

	open_tui(write_file(FAULT_SCENARIO "fork 1\n"), 40, 120);
	tui_key(t, '>');
	task = tui_task(t, 1);
	ck_assert_int_eq(pgtable_walk(task->mm->pgt, 0x100000000000ULL, 0, &w),
	    WALK_MAPPED);
	t->focus = PANE_PHYS;
	snprintf(find, sizeof(find), "0x%lx000", w.pfn);
	tui_key(t, '/');
	for (const char *c = find; *c != '\0'; c++)
		tui_key(t, *c);
	tui_key(t, '\r');
	tui_draw(t);
	snprintf(want, sizeof(want), "pfn 0x%lx DMA32 ref 2 map 2", w.pfn);
	ck_assert(screen_has(want));
	ck_assert(screen_has("pid 1 at 0x100000000000, pid 2 at 0x100000000000"));
	ck_assert(screen_has("[lru,anon,swapbacked]"));
	/* a page-table frame: its process and level, as `frames` says */
	snprintf(find, sizeof(find), "0x%lx000", w.step[3].table_pfn);
	tui_key(t, '/');
	for (const char *c = find; *c != '\0'; c++)
		tui_key(t, *c);
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("pid 1 pte table (level 3)"));
	close_tui();
}
END_TEST

START_TEST(test_every_kind_explained)
{
	for (int k = 0; k < NR_EVENT_KINDS; k++)
		ck_assert_msg(tui_explain_known((enum event_kind)k),
		    "event kind %s has no explanation in src/core/explain.c",
		    event_kind_name((enum event_kind)k));
}
END_TEST

START_TEST(test_choice_by_text)
{
	struct tl_entry e = { .kind = TL_ASK };
	char c1[] = "the code", c2[] = "the heap", ans[] = "2";
	char *choices[] = { c1, c2 };

	e.answer = ans;
	e.choices = choices;
	e.nchoices = 2;
	ck_assert(timeline_answer(&e, "2"));
	ck_assert(timeline_answer(&e, "  The   Heap. "));
	ck_assert(!timeline_answer(&e, "the code"));
	ck_assert(!timeline_answer(&e, "1"));
	free(e.given);
}
END_TEST

START_TEST(test_exercise_quiz)
{
	open_tui(NULL, 24, 80);
	tui_key(t, ':');
	for (const char *c = "exercise policy --seed 3"; *c != '\0'; c++)
		tui_key(t, *c);
	tui_key(t, '\r');
	tui_key(t, 27);		/* close the problem's output box */
	tui_draw(t);
	ck_assert(screen_has("Question 1 of"));
	tui_key(t, 'a');
	tui_key(t, 'm');
	tui_key(t, 'i');
	tui_key(t, 's');
	tui_key(t, 's');
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("Question 2 of"));
	ck_assert_int_eq((int)t->quiz->right, 1);
	tui_key(t, 'b');	/* stepping away ends the quiz */
	ck_assert_ptr_null(t->quiz);
	ck_assert_ptr_null(s->quiz);
	close_tui();
}
END_TEST

START_TEST(test_help_overlay)
{
	char *scrtext;

	open_tui(NULL, 24, 80);
	tui_key(t, '?');
	tui_draw(t);
	ck_assert(screen_has("help: keys"));
	ck_assert(screen_has("next event"));
	ck_assert(screen_has("run a command"));
	tui_key(t, 27);
	tui_draw(t);
	scrtext = screen_text();
	ck_assert(!strstr(scrtext, "help: keys"));
	free(scrtext);
	close_tui();
}
END_TEST

START_TEST(test_prompt_runs_command)
{
	open_tui(NULL, 24, 80);
	tui_key(t, ':');
	for (const char *p = "alloc_pages 2"; *p; p++)
		tui_key(t, *p);
	tui_draw(t);
	ck_assert(screen_has(":alloc_pages 2"));
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("pfn 0x1400 (order 2"));	/* one line: the key bar */
	ck_assert(screen_has("[1/1] alloc_pages 2"));
	ck_assert_uint_eq(s->njournal, 1);
	/* history */
	tui_key(t, ':');
	tui_key(t, KEY_UP);
	tui_draw(t);
	ck_assert(screen_has(":alloc_pages 2"));
	tui_key(t, 27);
	/* a command with several lines of output opens the output box */
	tui_key(t, ':');
	for (const char *p = "buddyinfo"; *p; p++)
		tui_key(t, *p);
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("buddyinfo (any key closes)"));
	ck_assert(screen_has("Node 0, zone      DMA"));
	/* the TUI inside the TUI is refused */
	tui_key(t, 'x');
	tui_key(t, ':');
	for (const char *p = "tui"; *p; p++)
		tui_key(t, *p);
	tui_key(t, '\r');
	tui_draw(t);
	ck_assert(screen_has("the TUI is not available here"));
	close_tui();
}
END_TEST

START_TEST(test_big_layout)
{
	open_tui(NULL, 40, 120);
	ck_assert(screen_has("address space"));
	ck_assert(screen_has("page-table walk"));
	ck_assert(screen_has("TLB"));
	ck_assert(screen_has("processes"));
	ck_assert(t->big);
	close_tui();
	open_tui(NULL, 24, 80);
	ck_assert(!t->big);
	close_tui();
}
END_TEST

START_TEST(test_too_small)
{
	open_tui(NULL, 10, 40);
	ck_assert(screen_has("terminal 40x10: need 60x16"));
	close_tui();
}
END_TEST

START_TEST(test_no_color)
{
	setenv("NO_COLOR", "1", 1);
	open_tui(NULL, 24, 80);
	ck_assert(!t->color);
	close_tui();
	unsetenv("NO_COLOR");
}
END_TEST

START_TEST(test_tab_and_mouse_panes)
{
	open_tui(NULL, 24, 80);
	tui_key(t, '\t');	/* from the log to the processes pane */
	ck_assert_int_eq(t->focus, PANE_PROCS);
	tui_key(t, KEY_BTAB);
	tui_key(t, KEY_BTAB);
	ck_assert_int_eq(t->focus, PANE_TLB);
	tui_draw(t);
	ck_assert(screen_has("[TLB]"));	/* shown in its slot when focused */
	close_tui();
}
END_TEST

static Suite *tui_suite(void)
{
	Suite *su = suite_create("tui");
	TCase *tc = tcase_create("timeline");

	tcase_add_test(tc, test_timeline_steps);
	tcase_add_test(tc, test_timeline_typed_and_answer);
	tcase_add_test(tc, test_timeline_bad_file);
	suite_add_tcase(su, tc);
	tc = tcase_create("render");
	tcase_add_test(tc, test_render_start);
	tcase_add_test(tc, test_render_phys);
	tcase_add_test(tc, test_render_buddy_animates);
	tcase_add_test(tc, test_render_log_and_explain);
	tcase_add_test(tc, test_back_same_screen);
	tcase_add_test(tc, test_question);
	tcase_add_test(tc, test_help_overlay);
	tcase_add_test(tc, test_prompt_runs_command);
	tcase_add_test(tc, test_big_layout);
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_no_color);
	tcase_add_test(tc, test_tab_and_mouse_panes);
	tcase_add_test(tc, test_fault_stages);
	tcase_add_test(tc, test_phys_owner_rmap);
	tcase_add_test(tc, test_every_kind_explained);
	tcase_add_test(tc, test_choice_by_text);
	tcase_add_test(tc, test_exercise_quiz);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(tui_suite());
	int failed;

	setlocale(LC_ALL, "C");
	snprintf(path, sizeof(path), "/tmp/check_tui.%d.cmd", (int)getpid());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(path);
	return failed == 0 ? 0 : 1;
}
