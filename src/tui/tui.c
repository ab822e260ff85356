/*
 * tui.c - the full-screen front end: the terminal (setup, signals,
 * restore on every way out), the layout of the panes for the terminal's
 * size, one frame drawn per event with a single doupdate(), the keys and
 * the mouse, the ':' prompt with its history, the help overlay, the
 * output and narration boxes, and playing the timeline.
 *
 * Everything the screen shows is a function of the timeline position and
 * of what the user chose to look at (focus, scroll, zoom): stepping
 * recomputes each pane's selection from the events up to the new step
 * (tui_step_changed), so going back shows exactly the earlier screen.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vmscope/cmd.h"
#include "vmscope/exercise.h"
#include "vmscope/session.h"
#include "tui-curses.h"
#include "tui.h"

#define MIN_COLS	60
#define MIN_LINES	16
#define FOLLOW_LIMIT	20000	/* events looked at per pane per step */

static const int play_ms[TUI_SPEEDS] = { 1600, 800, 400, 200, 100, 50 };

static const struct panel_class *const pane_classes[NR_PANES] = {
	[PANE_ADDR]	= &panel_addr_class,
	[PANE_WALK]	= &panel_walk_class,
	[PANE_PHYS]	= &panel_phys_class,
	[PANE_BUDDY]	= &panel_buddy_class,
	[PANE_TLB]	= &panel_tlb_class,
	[PANE_LOG]	= &panel_log_class,
	[PANE_PROCS]	= &panel_procs_class,
};

/* Small layout: two top slots, each showing one pane of its group. */
static const int slot_group[2][3] = {
	{ PANE_ADDR, PANE_PHYS, PANE_PROCS },
	{ PANE_WALK, PANE_BUDDY, PANE_TLB },
};
static const int slot_default[2] = { PANE_PHYS, PANE_BUDDY };

void tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_err = error;
}

/* ---- creation ------------------------------------------------------ */

struct tui *tui_new(struct session *s, const struct tui_options *opt,
    struct sbuf *err)
{
	struct tui *t = xcalloc(1, sizeof(*t));

	t->s = s;
	if (opt != NULL)
		t->opt = *opt;
	timeline_init(&t->tl, s);
	if (t->opt.lesson != NULL ?
	    timeline_load_lesson(&t->tl, t->opt.lesson, err) != 0 :
	    t->opt.file != NULL && timeline_load(&t->tl, t->opt.file, err) != 0) {
		timeline_free(&t->tl);
		free(t);
		return NULL;
	}
	for (int i = 0; i < NR_PANES; i++)
		t->panes[i].cls = pane_classes[i];
	t->focus = PANE_LOG;
	t->speed = 2;
	t->slot[0] = slot_default[0];
	t->slot[1] = slot_default[1];
	tui_step_changed(t);
	if (t->opt.file != NULL || t->opt.lesson != NULL)
		tui_message(t, false, "%zu steps: n steps forward, b back, "
		    "? lists every key", timeline_nsteps(&t->tl) - 1);
	else
		tui_message(t, false, "':' runs a command, ? lists every key, "
		    "q goes back");
	return t;
}

void tui_free(struct tui *t)
{
	if (t == NULL)
		return;
	timeline_free(&t->tl);
	for (size_t i = 0; i < t->nhist; i++)
		free(t->hist[i]);
	free(t->output);
	free(t->output_title);
	quiz_free(t->quiz);
	free(t->quiz_feedback);
	free(t);
}

static void quiz_end(struct tui *t)
{
	quiz_free(t->quiz);
	t->quiz = NULL;
	free(t->quiz_feedback);
	t->quiz_feedback = NULL;
}

void tui_term_setup(struct tui *t)
{
	const char *nc = getenv("NO_COLOR");
	const char *cs = nl_langinfo(CODESET);

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	t->utf8 = !t->opt.ascii && cs != NULL && strcmp(cs, "UTF-8") == 0;
	t->color = has_colors() && !t->opt.no_color &&
	    (nc == NULL || nc[0] == '\0');
	if (t->color) {
		short bg = -1;

		start_color();
		if (use_default_colors() != OK)
			bg = COLOR_BLACK;
		init_pair(C_FREE, COLOR_GREEN, bg);
		init_pair(C_ANON, COLOR_YELLOW, bg);
		init_pair(C_FILE, COLOR_CYAN, bg);
		init_pair(C_PGTABLE, COLOR_MAGENTA, bg);
		init_pair(C_SLAB, COLOR_BLUE, bg);
		init_pair(C_KERNEL, COLOR_RED, bg);
		init_pair(C_RESERVED, COLOR_WHITE, bg);
		init_pair(C_HUGE, COLOR_MAGENTA, bg);
		init_pair(C_BORDER, COLOR_BLUE, bg);
		init_pair(C_FOCUS, COLOR_CYAN, bg);
		init_pair(C_LIT, COLOR_YELLOW, bg);
		init_pair(C_CURRENT, COLOR_BLACK, COLOR_YELLOW);
		init_pair(C_HEADER, COLOR_BLACK, COLOR_CYAN);
		init_pair(C_DIM, COLOR_BLUE, bg);
		init_pair(C_ERROR, COLOR_RED, bg);
		init_pair(C_GOOD, COLOR_GREEN, bg);
		init_pair(C_TITLE, COLOR_WHITE, bg);
	}
}

/* ---- following the step -------------------------------------------- */

struct follow_scan {
	struct tui	*t;
	struct panel	*p;
	size_t		 dist;
	const struct tl_event *hit;
};

static bool follow_one(void *arg, const struct tl_event *ev, size_t entry,
    size_t index)
{
	struct follow_scan *f = arg;

	(void)entry;
	(void)index;
	if (++f->dist > FOLLOW_LIMIT)
		return true;
	if (f->p->cls->follow(f->p, f->t, ev)) {
		f->hit = ev;
		return true;
	}
	return false;
}

void tui_step_changed(struct tui *t)
{
	const struct tl_event *cur = timeline_current_event(&t->tl);
	size_t dist[NR_PANES];

	/*
	 * Replaying an `exercise` makes a quiz again: only the one typed
	 * at ':' is asked (run_command takes it before calling us).
	 */
	if (t->s->quiz != NULL) {
		quiz_free(t->s->quiz);
		t->s->quiz = NULL;
	}

	for (int i = 0; i < NR_PANES; i++) {
		struct panel *p = &t->panes[i];
		struct follow_scan f = { t, p, 0, NULL };

		p->lit = false;
		dist[i] = SIZE_MAX;
		if (p->cls->reset != NULL)
			p->cls->reset(p, t);
		if (p->cls->follow == NULL)
			continue;
		timeline_events_back(&t->tl, follow_one, &f);
		if (f.hit != NULL) {
			dist[i] = f.dist;
			p->lit = f.hit == cur;
		}
	}
	for (int sl = 0; sl < 2; sl++) {
		size_t best = SIZE_MAX;

		t->slot[sl] = slot_default[sl];
		for (int j = 0; j < 3; j++) {
			int id = slot_group[sl][j];

			if (dist[id] < best) {
				best = dist[id];
				t->slot[sl] = id;
			}
		}
	}
}

/* ---- layout -------------------------------------------------------- */

static void set_rect(struct panel *p, int y, int x, int h, int w)
{
	p->r.y = y;
	p->r.x = x;
	p->r.h = h > 0 && w > 0 ? h : 0;
	p->r.w = w;
}

/* The narration or question of the current entry, or NULL. */
static char *narration_text(struct tui *t)
{
	size_t entry, k;
	struct tl_entry *e;
	struct sbuf sb = SBUF_INIT;

	if (t->quiz != NULL) {
		const struct exercise_question *q = quiz_current(t->quiz);

		if (t->quiz_feedback != NULL)
			sbuf_printf(&sb, "%s\n", t->quiz_feedback);
		if (q != NULL)
			sbuf_printf(&sb, "Question %zu of %zu: %s\na: answer ('skip', "
			    "'stop'), o: the problem again",
			    t->quiz->cur + 1, t->quiz->ex->nq, q->prompt);
		while (sb.len > 0 && sb.s[sb.len - 1] == '\n')
			sb.s[--sb.len] = '\0';
		return sbuf_steal(&sb);
	}
	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	e = timeline_entry(&t->tl, entry);
	if (e == NULL) {
		if (t->tl.description != NULL)
			return xasprintf("%s\n(n: the first step)",
			    t->tl.description);
		return t->tl.title != NULL ? xstrdup(t->tl.title) : NULL;
	}
	if (e->say != NULL)
		sbuf_add(&sb, e->say);
	if (e->kind == TL_ASK) {
		if (sb.len > 0)
			sbuf_addc(&sb, '\n');
		sbuf_printf(&sb, "Question: %s\n", e->question);
		if (e->given == NULL)
			sbuf_add(&sb, "Press a to answer.");
		else if (e->right)
			sbuf_printf(&sb, "You answered '%s': right!", e->given);
		else
			sbuf_printf(&sb, "You answered '%s': not quite. The answer is %s.",
			    e->given, e->answer);
		if (e->given != NULL && e->explain != NULL)
			sbuf_printf(&sb, "\n%s", e->explain);
	}
	return sb.len > 0 ? sbuf_steal(&sb) : NULL;
}

static void layout(struct tui *t, int narr_h)
{
	int top = 1, avail = LINES - 3, C = COLS;

	t->lines = LINES;
	t->cols = COLS;
	for (int i = 0; i < NR_PANES; i++)
		t->panes[i].r.h = 0;
	t->narr.h = 0;
	t->big = C >= 120 && LINES >= 36;
	avail -= narr_h;
	if (t->big) {
		int h1 = avail * 34 / 100, h2 = avail * 30 / 100;
		int h3 = avail - h1 - h2;
		int wa = C * 40 / 100, ww = C * 32 / 100;
		int wp = C * 62 / 100, wl = C * 68 / 100;

		set_rect(&t->panes[PANE_ADDR], top, 0, h1, wa);
		set_rect(&t->panes[PANE_WALK], top, wa, h1, ww);
		set_rect(&t->panes[PANE_TLB], top, wa + ww, h1, C - wa - ww);
		set_rect(&t->panes[PANE_PHYS], top + h1, 0, h2, wp);
		set_rect(&t->panes[PANE_BUDDY], top + h1, wp, h2, C - wp);
		t->narr = (struct rect){ top + h1 + h2, 0, narr_h, C };
		set_rect(&t->panes[PANE_LOG], top + h1 + h2 + narr_h, 0, h3, wl);
		set_rect(&t->panes[PANE_PROCS], top + h1 + h2 + narr_h, wl, h3,
		    C - wl);
	} else {
		int ht = avail * 55 / 100, hl, wa = C / 2;

		if (ht < 6)
			ht = 6;
		hl = avail - ht;
		for (int sl = 0; sl < 2; sl++) {
			int id = t->slot[sl];

			for (int j = 0; j < 3; j++) {
				if (slot_group[sl][j] == t->focus)
					id = t->focus;
			}
			if (sl == 0)
				set_rect(&t->panes[id], top, 0, ht, wa);
			else
				set_rect(&t->panes[id], top, wa, ht, C - wa);
		}
		t->narr = (struct rect){ top + ht, 0, narr_h, C };
		set_rect(&t->panes[PANE_LOG], top + ht + narr_h, 0, hl, C);
	}
}

/* ---- drawing ------------------------------------------------------- */

static void draw_header(struct tui *t)
{
	struct machine *m = t->s->m;
	size_t entry, k, nsteps = timeline_nsteps(&t->tl);
	struct tl_entry *e;
	char ram[32], buf[512];
	int x;

	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	e = timeline_entry(&t->tl, entry);
	tui_size_str(ram, sizeof(ram), m->cfg.ram);
	move(0, 0);
	attron(tui_attr(t, C_HEADER));
	hline(' ', COLS);
	attroff(tui_attr(t, C_HEADER));
	x = tui_printf(t, 0, 0, COLS, tui_attr(t, C_HEADER),
	    " vmscope  %s %s  step %zu/%zu ", m->arch.name, ram, t->tl.pos,
	    nsteps - 1);
	if (e == NULL)
		snprintf(buf, sizeof(buf), " start%s%s", t->tl.title ? ": " : "",
		    t->tl.title ? t->tl.title : "");
	else if (e->kind == TL_CMD)
		snprintf(buf, sizeof(buf), " [%zu/%zu] %s", entry, t->tl.n,
		    e->line);
	else
		snprintf(buf, sizeof(buf), " [%zu/%zu] %s", entry, t->tl.n,
		    e->kind == TL_ASK ? "(question)" : "(narration)");
	x += tui_puts(t, 0, x, COLS - x, tui_attr(t, C_HEADER), buf);
	if (t->playing) {
		snprintf(buf, sizeof(buf), " PLAY x%d ", t->speed + 1);
		tui_puts(t, 0, COLS - (int)strlen(buf), (int)strlen(buf),
		    tui_attr(t, C_HEADER), buf);
	}
}

static int nprocs(struct tui *t)
{
	struct list_head *pos;
	int n = 0;

	if (tui_task(t, 0) == NULL)
		return 0;
	list_for_each(pos, &t->s->m->tasks)
		n++;
	return n;
}

static void draw_status(struct tui *t)
{
	struct machine *m = t->s->m;
	unsigned long free_pages = 0;
	struct zone *z;
	char sw[32];

	for_each_populated_zone(m, z)
		free_pages += z->nr_free;
	tui_size_str(sw, sizeof(sw), m->cfg.swap);
	tui_printf(t, LINES - 2, 0, COLS, tui_attr(t, C_TITLE),
	    " free %lu pages | faults %lu major %lu | swap %s in %lu out %lu"
	    " | oom %lu | %d procs", free_pages,
	    m->vm_events[VM_pgfault], m->vm_events[VM_pgmajfault], sw,
	    m->vm_events[VM_pswpin], m->vm_events[VM_pswpout],
	    m->vm_events[VM_oom_kill], nprocs(t));
}

static const char *prompt_label(enum prompt_kind k)
{
	switch (k) {
	case PROMPT_CMD:
		return ":";
	case PROMPT_GOTO:
		return "go to step: ";
	case PROMPT_FIND:
		return "find address (/): ";
	case PROMPT_ANSWER:
		return "answer: ";
	}
	return ":";
}

static void draw_keybar(struct tui *t)
{
	int y = LINES - 1, x;

	if (t->mode == MODE_PROMPT) {
		const char *label = prompt_label(t->pkind);
		int w = COLS - (int)strlen(label) - 1, off = 0;

		if ((int)t->pcur >= w)
			off = (int)t->pcur - w + 1;
		x = tui_puts(t, y, 0, COLS, A_BOLD, label);
		tui_puts(t, y, x, w, A_NORMAL, t->pbuf + off);
		move(y, x + (int)t->pcur - off);
		return;
	}
	if (t->msg[0] != '\0') {
		tui_puts(t, y, 0, COLS, tui_attr(t, t->msg_err ? C_ERROR : C_NORMAL),
		    t->msg);
		return;
	}
	x = tui_puts(t, y, 0, COLS, A_NORMAL,
	    " n:next b:back N/B:command p:play g:go ::cmd /:find Tab:pane "
	    "?:help q:quit");
	(void)x;
}

static void draw_narration(struct tui *t, char **lines, int n)
{
	struct rect in;
	size_t entry, k;
	struct tl_entry *e;
	const char *title = "narration";

	if (t->narr.h == 0)
		return;
	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	e = timeline_entry(&t->tl, entry);
	if (t->quiz != NULL)
		title = "exercise";
	else if (e != NULL && e->kind == TL_ASK)
		title = "question";
	else if (e == NULL)
		title = t->tl.title != NULL ? t->tl.title : "scenario";
	tui_fill(t, &t->narr, A_NORMAL);
	tui_box(t, &t->narr, title, tui_attr(t, C_LIT), &in);
	for (int i = 0; i < n && i < in.h; i++)
		tui_puts(t, in.y + i, in.x + 1, in.w - 2, A_NORMAL, lines[i]);
}

/* A centred box over the panes. */
static void overlay_rect(struct tui *t, int want_h, int want_w, struct rect *r)
{
	int h = want_h, w = want_w;

	if (h > LINES - 2)
		h = LINES - 2;
	if (w > COLS - 2)
		w = COLS - 2;
	r->h = h;
	r->w = w;
	r->y = (LINES - h) / 2;
	r->x = (COLS - w) / 2;
}

static const char *const help_lines[] = {
	"  n, Space       next event          b, Backspace   back one event",
	"  N              next command (ends this one first)   B  back one command",
	"  g, <, >        go to step N, to the first step, to the last",
	"  p, +, -        play / pause, faster, slower",
	"  Tab, S-Tab     next / previous pane",
	"  arrows         move the selection in the pane",
	"  PgUp PgDn      scroll a page       Home End       first / last item",
	"  Enter          (events) go to the selected event's step",
	"  z, Z           (physical memory) zoom in, out",
	"  /              find an address (physical in the frames pane)",
	"  o              show the current command's output",
	"  mouse          click a VMA, a frame, a free list, an event, a pane",
	"  :              run a command (Up/Down: history, Esc: cancel)",
	"  a              answer the question shown",
	"  ?              this help (Esc closes it)",
	"  q              quit the TUI (back to the vmscope> prompt)",
	"Each event of a command is a step. Panes show the state after the",
	"command; the buddy counts show the state at the event.",
};

static void draw_help(struct tui *t)
{
	struct rect r, in;
	int n = (int)ARRAY_SIZE(help_lines);

	overlay_rect(t, n + 2, 76, &r);
	tui_fill(t, &r, A_NORMAL);
	tui_box(t, &r, "help: keys (Esc or ? to close)", tui_attr(t, C_FOCUS),
	    &in);
	if (t->help_top > n - in.h)
		t->help_top = n - in.h > 0 ? n - in.h : 0;
	for (int i = 0; i < in.h && t->help_top + i < n; i++) {
		const char *l = help_lines[t->help_top + i];

		tui_puts(t, in.y + i, in.x + 1, in.w - 2,
		    l[0] != ' ' ? tui_attr(t, C_TITLE) : A_NORMAL, l);
	}
}

static void draw_output(struct tui *t)
{
	struct rect r, in;
	char **lines;
	int n = tui_wrap(t->output, COLS - 6, &lines), w = 20;

	for (int i = 0; i < n; i++) {
		if ((int)strlen(lines[i]) + 4 > w)
			w = (int)strlen(lines[i]) + 4;
	}
	overlay_rect(t, n + 2, w, &r);
	tui_fill(t, &r, A_NORMAL);
	tui_box(t, &r, t->output_title, tui_attr(t, C_FOCUS), &in);
	if (t->out_top > n - in.h)
		t->out_top = n - in.h > 0 ? n - in.h : 0;
	for (int i = 0; i < in.h && t->out_top + i < n; i++)
		tui_puts(t, in.y + i, in.x + 1, in.w - 2, A_NORMAL,
		    lines[t->out_top + i]);
	tui_free_lines(lines, n);
}

void tui_draw(struct tui *t)
{
	char *narr;
	char **lines = NULL;
	int nl = 0, nh = 0;

	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		tui_printf(t, 0, 0, COLS, A_BOLD, "terminal %dx%d: need %dx%d",
		    COLS, LINES, MIN_COLS, MIN_LINES);
		tui_puts(t, 1, 0, COLS, A_NORMAL, "Enlarge it, or press q.");
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	narr = narration_text(t);
	if (narr != NULL) {
		nl = tui_wrap(narr, COLS - 4, &lines);
		/*
		 * As tall as the text, so a student at 80x24 reads it whole,
		 * leaving the panes above 6 rows and the event log 3.
		 */
		nh = nl + 2;
		if (nh > LINES - 3 - 6 - 3)
			nh = LINES - 3 - 6 - 3;
		free(narr);
	}
	layout(t, nh);
	draw_header(t);
	for (int i = 0; i < NR_PANES; i++) {
		struct panel *p = &t->panes[i];
		struct rect in;
		char title[128];
		int attr = tui_attr(t, C_BORDER);

		p->focused = i == t->focus;
		if (p->r.h == 0)
			continue;
		if (p->focused)
			attr = tui_attr(t, C_FOCUS);
		else if (p->lit)
			attr = tui_attr(t, C_LIT);
		snprintf(title, sizeof(title), "%s%s%s%s", p->focused ? "[" : "",
		    p->cls->title, p->lit ? " *" : "", p->focused ? "]" : "");
		tui_box(t, &p->r, title, attr, &in);
		p->in = in;
		if (in.h > 0 && in.w > 0)
			p->cls->draw(p, t, &in);
	}
	draw_narration(t, lines, nl);
	tui_free_lines(lines, nl);
	draw_status(t);
	if (t->mode == MODE_HELP)
		draw_help(t);
	else if (t->mode == MODE_OUTPUT && t->output != NULL)
		draw_output(t);
	draw_keybar(t);
	curs_set(t->mode == MODE_PROMPT ? 1 : 0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- actions ------------------------------------------------------- */

static void show_output(struct tui *t, const char *title, const char *text)
{
	free(t->output);
	free(t->output_title);
	t->output = xstrdup(text);
	t->output_title = xstrdup(title);
	t->out_top = 0;
	t->mode = MODE_OUTPUT;
}

static void go(struct tui *t, int rc)
{
	quiz_end(t);	/* stepping away ends an exercise's quiz */
	if (rc != 0)
		tui_message(t, true, "the start state could not be rebuilt");
	else
		t->msg[0] = '\0';
	tui_step_changed(t);
}

static void step_next(struct tui *t)
{
	size_t entry, k;

	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	if (k + 1 < timeline_entry_steps(&t->tl, entry))
		go(t, timeline_goto_entry(&t->tl, entry, k + 1));
	else if (entry < t->tl.n)
		go(t, timeline_goto_entry(&t->tl, entry + 1, 0));
	else
		tui_message(t, false, "at the last step; ':' runs a command");
}

static void step_back(struct tui *t)
{
	size_t entry, k;

	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	if (k > 0)
		go(t, timeline_goto_entry(&t->tl, entry, k - 1));
	else if (entry > 0)
		go(t, timeline_goto_entry(&t->tl, entry - 1, SIZE_MAX));
	else
		tui_message(t, false, "at the start");
}

static void step_entry(struct tui *t, int dir)
{
	size_t entry, k;

	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	/* In the middle of a command, N first finishes it. */
	if (dir > 0 && entry > 0 && k + 1 < timeline_entry_steps(&t->tl, entry))
		go(t, timeline_goto_entry(&t->tl, entry, SIZE_MAX));
	else if (dir > 0 && entry < t->tl.n)
		go(t, timeline_goto_entry(&t->tl, entry + 1, SIZE_MAX));
	else if (dir < 0 && entry > 0)
		go(t, timeline_goto_entry(&t->tl, entry - 1, SIZE_MAX));
	else
		tui_message(t, false, dir > 0 ? "at the last command" :
		    "at the start");
}

static struct tl_entry *current_entry(struct tui *t)
{
	size_t entry, k;

	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	return timeline_entry(&t->tl, entry);
}

void tui_tick(struct tui *t)
{
	struct tl_entry *e = current_entry(t);

	if (e != NULL && e->kind == TL_ASK && e->given == NULL) {
		t->playing = false;
		tui_message(t, false, "paused at a question: press a to answer");
		return;
	}
	if (t->tl.pos + 1 >= timeline_nsteps(&t->tl)) {
		t->playing = false;
		tui_message(t, false, "played to the end");
		return;
	}
	step_next(t);
}

static void prompt_open(struct tui *t, enum prompt_kind kind)
{
	t->mode = MODE_PROMPT;
	t->pkind = kind;
	t->plen = t->pcur = 0;
	t->pbuf[0] = '\0';
	t->hpos = t->nhist;
	t->playing = false;
}

static void prompt_set(struct tui *t, const char *s)
{
	snprintf(t->pbuf, sizeof(t->pbuf), "%s", s);
	t->plen = t->pcur = strlen(t->pbuf);
}

static void history_add(struct tui *t, const char *line)
{
	if (t->nhist > 0 && strcmp(t->hist[t->nhist - 1], line) == 0)
		return;
	if (t->nhist == TUI_HISTORY_MAX) {
		free(t->hist[0]);
		memmove(t->hist, t->hist + 1, sizeof(t->hist[0]) * (TUI_HISTORY_MAX - 1));
		t->nhist--;
	}
	t->hist[t->nhist++] = xstrdup(line);
}

static void run_command(struct tui *t, const char *line)
{
	struct tl_entry *e;
	struct sbuf sb = SBUF_INIT;
	int failed;

	history_add(t, line);
	quiz_end(t);
	failed = timeline_run_typed(&t->tl, line, &e);
	if (t->s->quiz != NULL) {
		t->quiz = t->s->quiz;
		t->s->quiz = NULL;
	}
	tui_step_changed(t);
	if (t->s->quit) {
		t->quit = true;
		return;
	}
	sbuf_add(&sb, e->out);
	sbuf_add(&sb, e->err);
	while (sb.len > 0 && sb.s[sb.len - 1] == '\n')
		sb.s[--sb.len] = '\0';
	if (sb.len > 0 && strchr(sb.s, '\n') != NULL) {
		char *title = xasprintf("%s (any key closes)", line);

		show_output(t, title, sb.s);
		free(title);
	}
	if (sb.len > 0 && strchr(sb.s, '\n') == NULL)
		tui_message(t, failed != 0, "%s", sb.s);
	else
		tui_message(t, failed != 0, failed ? "%s: failed" : "%s: done, "
		    "%zu events", line, e->nevents);
	sbuf_free(&sb);
}

static void find_address(struct tui *t, const char *text)
{
	static const int order[] = { PANE_ADDR, PANE_WALK, PANE_PHYS };
	uint64_t addr;
	struct panel *p = &t->panes[t->focus];

	if (parse_u64(text, &addr) != 0) {
		tui_message(t, true, "'%s' is not an address", text);
		return;
	}
	if (p->cls->find != NULL && p->cls->find(p, t, addr))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		p = &t->panes[order[i]];
		if (p->cls->find != NULL && p->cls->find(p, t, addr)) {
			t->focus = order[i];
			return;
		}
	}
	tui_message(t, true, "nothing holds 0x%llx", (unsigned long long)addr);
}

/* An answer to the exercise's current question, as the REPL takes it. */
static void quiz_typed(struct tui *t, const char *text)
{
	struct sbuf out = SBUF_INIT;
	const char *w = text + strspn(text, " \t");
	bool right = false;

	if (strcasecmp(w, "stop") == 0 || strcasecmp(w, "quit") == 0) {
		sbuf_add(&out, "quiz stopped: ");
		quiz_score(t->quiz, &out);
		quiz_free(t->quiz);
		t->quiz = NULL;
		free(t->quiz_feedback);
		t->quiz_feedback = NULL;
		tui_message(t, false, "%.*s", (int)strcspn(sbuf_str(&out), "\n"),
		    sbuf_str(&out));
		sbuf_free(&out);
		return;
	}
	if (*w == '\0' || strcasecmp(w, "skip") == 0)
		quiz_skip(t->quiz, &out);
	else
		right = quiz_answer(t->quiz, w, &out);
	while (out.len > 0 && out.s[out.len - 1] == '\n')
		out.s[--out.len] = '\0';
	free(t->quiz_feedback);
	t->quiz_feedback = sbuf_steal(&out);
	tui_message(t, !right, right ? "Right!" : quiz_done(t->quiz) ?
	    "The quiz is over: any step closes it." : "Not quite: see the box.");
	if (quiz_done(t->quiz) && right)
		tui_message(t, false, "Right! The quiz is over: any step closes it.");
}

static void prompt_enter(struct tui *t)
{
	char *text = xstrdup(t->pbuf);
	uint64_t n;

	t->mode = MODE_NORMAL;
	switch (t->pkind) {
	case PROMPT_CMD:
		if (text[strspn(text, " \t")] != '\0')
			run_command(t, text);
		break;
	case PROMPT_GOTO:
		if (parse_u64(text, &n) != 0)
			tui_message(t, true, "'%s' is not a step number", text);
		else
			go(t, timeline_goto(&t->tl, (size_t)n));
		break;
	case PROMPT_FIND:
		find_address(t, text);
		break;
	case PROMPT_ANSWER: {
		struct tl_entry *e = current_entry(t);

		if (t->quiz != NULL) {
			quiz_typed(t, text);
			break;
		}
		if (e != NULL && e->kind == TL_ASK) {
			if (timeline_answer(e, text))
				tui_message(t, false, "Right!");
			else
				tui_message(t, true, "Not quite: the answer is %s",
				    e->answer);
		}
		break;
	}
	}
	free(text);
}

static void prompt_key(struct tui *t, int ch)
{
	switch (ch) {
	case 27:	/* Esc */
	case 7:		/* ^G */
		t->mode = MODE_NORMAL;
		t->msg[0] = '\0';
		return;
	case '\r':
	case '\n':
	case KEY_ENTER:
		prompt_enter(t);
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (t->pcur > 0) {
			memmove(t->pbuf + t->pcur - 1, t->pbuf + t->pcur,
			    t->plen - t->pcur + 1);
			t->pcur--;
			t->plen--;
		} else if (t->plen == 0) {
			t->mode = MODE_NORMAL;
		}
		return;
	case KEY_DC:
	case 4:		/* ^D */
		if (t->pcur < t->plen) {
			memmove(t->pbuf + t->pcur, t->pbuf + t->pcur + 1,
			    t->plen - t->pcur);
			t->plen--;
		}
		return;
	case KEY_LEFT:
	case 2:		/* ^B */
		if (t->pcur > 0)
			t->pcur--;
		return;
	case KEY_RIGHT:
	case 6:		/* ^F */
		if (t->pcur < t->plen)
			t->pcur++;
		return;
	case KEY_HOME:
	case 1:		/* ^A */
		t->pcur = 0;
		return;
	case KEY_END:
	case 5:		/* ^E */
		t->pcur = t->plen;
		return;
	case 21:	/* ^U */
		memmove(t->pbuf, t->pbuf + t->pcur, t->plen - t->pcur + 1);
		t->plen -= t->pcur;
		t->pcur = 0;
		return;
	case 11:	/* ^K */
		t->pbuf[t->pcur] = '\0';
		t->plen = t->pcur;
		return;
	case KEY_UP:
		if (t->pkind == PROMPT_CMD && t->hpos > 0)
			prompt_set(t, t->hist[--t->hpos]);
		return;
	case KEY_DOWN:
		if (t->pkind != PROMPT_CMD || t->hpos >= t->nhist)
			return;
		if (++t->hpos == t->nhist)
			prompt_set(t, "");
		else
			prompt_set(t, t->hist[t->hpos]);
		return;
	default:
		if (ch >= 32 && ch < 256 && ch != 127 &&
		    t->plen + 1 < sizeof(t->pbuf)) {
			memmove(t->pbuf + t->pcur + 1, t->pbuf + t->pcur,
			    t->plen - t->pcur + 1);
			t->pbuf[t->pcur++] = (char)ch;
			t->plen++;
		}
		return;
	}
}

static void mouse_event(struct tui *t)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	for (int i = 0; i < NR_PANES; i++) {
		struct panel *p = &t->panes[i];

		if (p->r.h == 0 || me.y < p->r.y || me.y >= p->r.y + p->r.h ||
		    me.x < p->r.x || me.x >= p->r.x + p->r.w)
			continue;
		t->focus = i;
		if (me.bstate & BUTTON4_PRESSED) {
			if (p->cls->key != NULL)
				p->cls->key(p, t, KEY_UP);
		} else if (me.bstate & BUTTON5_PRESSED) {
			if (p->cls->key != NULL)
				p->cls->key(p, t, KEY_DOWN);
		} else if (p->cls->mouse != NULL && me.y > p->r.y &&
		    me.y < p->r.y + p->r.h - 1 && me.x > p->r.x &&
		    me.x < p->r.x + p->r.w - 1) {
			p->cls->mouse(p, t, me.y - p->r.y - 1, me.x - p->r.x - 1);
		}
		return;
	}
}

static void focus_move(struct tui *t, int dir)
{
	t->focus = (t->focus + dir + NR_PANES) % NR_PANES;
	tui_message(t, false, "pane: %s", t->panes[t->focus].cls->title);
}

void tui_key(struct tui *t, int ch)
{
	struct panel *p = &t->panes[t->focus];

	if (ch == KEY_RESIZE)
		return;		/* the next frame lays out for the new size */
	if (t->mode == MODE_PROMPT) {
		prompt_key(t, ch);
		return;
	}
	if (t->mode == MODE_HELP) {
		if (ch == KEY_DOWN)
			t->help_top++;
		else if (ch == KEY_UP && t->help_top > 0)
			t->help_top--;
		else
			t->mode = MODE_NORMAL;
		return;
	}
	if (t->mode == MODE_OUTPUT) {
		if (ch == KEY_DOWN || ch == KEY_NPAGE)
			t->out_top += ch == KEY_DOWN ? 1 : 10;
		else if (ch == KEY_UP && t->out_top > 0)
			t->out_top--;
		else if (ch == KEY_PPAGE)
			t->out_top = t->out_top > 10 ? t->out_top - 10 : 0;
		else
			t->mode = MODE_NORMAL;
		return;
	}
	if (ch == KEY_MOUSE) {
		mouse_event(t);
		return;
	}
	if (p->cls->key != NULL && p->cls->key(p, t, ch))
		return;
	switch (ch) {
	case 'q':
		t->quit = true;
		break;
	case 'n':
	case ' ':
		t->playing = false;
		step_next(t);
		break;
	case 'b':
	case KEY_BACKSPACE:
	case 127:
		t->playing = false;
		step_back(t);
		break;
	case 'N':
		t->playing = false;
		step_entry(t, 1);
		break;
	case 'B':
		t->playing = false;
		step_entry(t, -1);
		break;
	case '<':
		go(t, timeline_goto(&t->tl, 0));
		break;
	case '>':
		go(t, timeline_goto(&t->tl, timeline_nsteps(&t->tl) - 1));
		break;
	case 'p':
		t->playing = !t->playing;
		tui_message(t, false, t->playing ? "playing (p pauses, + - speed)" :
		    "paused");
		break;
	case '+':
	case '=':
		if (t->speed < TUI_SPEEDS - 1)
			t->speed++;
		tui_message(t, false, "speed %d: one step every %d ms",
		    t->speed + 1, play_ms[t->speed]);
		break;
	case '-':
		if (t->speed > 0)
			t->speed--;
		tui_message(t, false, "speed %d: one step every %d ms",
		    t->speed + 1, play_ms[t->speed]);
		break;
	case 'g':
		prompt_open(t, PROMPT_GOTO);
		break;
	case ':':
		prompt_open(t, PROMPT_CMD);
		break;
	case '/':
		prompt_open(t, PROMPT_FIND);
		break;
	case 'a': {
		struct tl_entry *e = current_entry(t);

		if ((t->quiz != NULL && !quiz_done(t->quiz)) ||
		    (e != NULL && e->kind == TL_ASK))
			prompt_open(t, PROMPT_ANSWER);
		else
			tui_message(t, false, "no question here");
		break;
	}
	case 'o': {
		struct tl_entry *e = current_entry(t);

		if (e != NULL && e->kind == TL_CMD && e->out != NULL) {
			char *text = xasprintf("%s%s", e->out, e->err);
			char *title = xasprintf("output of %s", e->line);

			show_output(t, title, text[0] ? text : "(no output)");
			free(text);
			free(title);
		} else {
			tui_message(t, false, "no command here");
		}
		break;
	}
	case '?':
	case KEY_F(1):
		t->mode = MODE_HELP;
		t->help_top = 0;
		break;
	case '\t':
		focus_move(t, 1);
		break;
	case KEY_BTAB:
		focus_move(t, -1);
		break;
	case 12:	/* ^L */
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
}

/* ---- the terminal --------------------------------------------------- */

static volatile sig_atomic_t tui_signal;
static volatile sig_atomic_t tui_curses_on;

static void on_stop_signal(int sig)
{
	tui_signal = sig;
}

/*
 * A crash: give the terminal back before dying. endwin() is not
 * async-signal-safe, but the alternative is a terminal left in raw mode.
 */
static void on_fatal_signal(int sig)
{
	if (tui_curses_on) {
		tui_curses_on = 0;
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void tui_atexit(void)
{
	if (tui_curses_on) {
		tui_curses_on = 0;
		endwin();
	}
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL };

int tui_run(struct session *s, const struct tui_options *opt)
{
	static bool atexit_done;
	struct sigaction sa, old_stop[ARRAY_SIZE(stop_signals)];
	struct sigaction old_fatal[ARRAY_SIZE(fatal_signals)];
	int (*hook)(struct session *) = s->tui_hook;
	bool was_interactive = s->interactive;
	struct sbuf err = SBUF_INIT;
	struct tui *t;
	SCREEN *scr;
	int rc = 0;

	setlocale(LC_CTYPE, "");
	s->tui_hook = NULL;	/* no TUI inside the TUI */
	s->interactive = true;
	t = tui_new(s, opt, &err);
	if (t == NULL) {
		fprintf(stderr, "%s", sbuf_str(&err));
		sbuf_free(&err);
		rc = 2;
		goto out;
	}
	/* Without a terminal getch() never blocks: refuse rather than spin. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmscope: tui: needs a terminal (standard %s is "
		    "not one)\n", !isatty(STDIN_FILENO) ? "input" : "output");
		rc = 1;
		goto out_free;
	}
	/*
	 * Ours before newterm: ncurses installs its own SIGINT/SIGTERM
	 * handlers (which exit(1)) only where it finds the default, and the
	 * ones restored at the end must be the caller's.
	 */
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop_signal;	/* no SA_RESTART: wake getch */
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &sa, &old_stop[i]);
	sa.sa_handler = on_fatal_signal;
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &sa, &old_fatal[i]);
	tui_signal = 0;
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		const char *term = getenv("TERM");

		fprintf(stderr, "vmscope: tui: cannot use the terminal (TERM=%s)\n",
		    term != NULL ? term : "unset");
		rc = 1;
		goto out_signals;
	}
	tui_curses_on = 1;
	if (!atexit_done) {
		atexit(tui_atexit);
		atexit_done = true;
	}
	tui_term_setup(t);

	while (!t->quit && tui_signal == 0) {
		int ch;

		tui_draw(t);
		timeout(t->playing ? play_ms[t->speed] : 250);
		do {
			ch = getch();
		} while (ch == ERR && !t->playing && tui_signal == 0);
		if (tui_signal != 0)
			break;
		if (ch == ERR)
			tui_tick(t);
		else
			tui_key(t, ch);
	}

	endwin();
	tui_curses_on = 0;
	delscreen(scr);
out_signals:
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &old_stop[i], NULL);
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &old_fatal[i], NULL);
	/* The terminal is back: now a SIGTERM may do what it meant. */
	if (tui_signal == SIGTERM || tui_signal == SIGHUP)
		raise(tui_signal);
	if (tui_signal == SIGINT)
		rc = 130;
out_free:
	tui_free(t);
out:
	sbuf_free(&err);
	s->tui_hook = hook;
	s->interactive = was_interactive;
	return rc;
}

int tui_session_hook(struct session *s)
{
	struct tui_options opt = { 0 };

	return tui_run(s, &opt) == 1 ? -1 : 0;
}
