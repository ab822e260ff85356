/*
 * panel-log.c - the event log pane: each command of the timeline up to
 * the current step, with the events it emitted (step number, event kind,
 * the Linux function, the one-line text), and at the bottom an
 * explanation of the selected event. The selection follows the current
 * event until the user moves it; Enter steps to the selected event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/session.h"
#include "tui-curses.h"
#include "tui.h"

struct log_row {
	size_t	 entry;
	long	 index;		/* event index, -1 for the entry's header */
};

/* The rows shown at the current position; returns the count. */
static size_t log_rows(struct tui *t, struct log_row **rowsp, size_t *cur_row)
{
	size_t entry, k, n = 0, cap = 64;
	struct log_row *rows = xmalloc(cap * sizeof(*rows));

	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	*cur_row = 0;
	for (size_t i = 1; i <= entry; i++) {
		const struct tl_entry *e = timeline_entry(&t->tl, i);
		size_t last = i == entry ? k + 1 : e->nevents;

		if (last > e->nevents)
			last = e->nevents;
		if (n + last + 1 >= cap) {
			cap = (n + last + 1) * 2;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		*cur_row = n;
		rows[n++] = (struct log_row){ i, -1 };
		for (size_t j = 0; j < last; j++) {
			if (i == entry && j == k)
				*cur_row = n;
			rows[n++] = (struct log_row){ i, (long)j };
		}
	}
	*rowsp = rows;
	return n;
}

static void log_reset(struct panel *p, struct tui *t)
{
	(void)t;
	p->sel = -1;	/* follow the current event */
	p->top = -1;
}

static const struct tl_event *row_event(struct tui *t, const struct log_row *r)
{
	const struct tl_entry *e = timeline_entry(&t->tl, r->entry);

	return r->index >= 0 && e != NULL ? &e->events[r->index] : NULL;
}

static void log_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct log_row *rows;
	size_t cur_row, n = log_rows(t, &rows, &cur_row);
	const struct tl_event *cur = timeline_current_event(&t->tl);
	const struct tl_event *sel_ev;
	int list_h = in->h - (in->h >= 6 ? 2 : 1);
	long sel = p->sel >= 0 && (size_t)p->sel < n ? p->sel : (long)cur_row;

	if (list_h < 1)
		list_h = 1;
	p->rows = (long)n;
	p->page = list_h;
	if (n == 0) {
		tui_puts(t, in->y, in->x, in->w, tui_attr(t, C_DIM),
		    t->tl.n == 0 ? "No command yet: ':' runs one (try ':alloc_pages 3')." :
		    "The start: n steps through the first command.");
		free(rows);
		return;
	}
	/* scroll: the selection in view, the newest rows at the bottom */
	if (p->top < 0 || sel < p->top || sel >= p->top + list_h)
		p->top = sel - list_h + 1 + (sel < p->top ? list_h - 1 : 0);
	if (p->top > (long)n - list_h)
		p->top = (long)n - list_h;
	if (p->top < 0)
		p->top = 0;
	for (int r = 0; r < list_h && p->top + r < (long)n; r++) {
		const struct log_row *row = &rows[p->top + r];
		const struct tl_entry *e = timeline_entry(&t->tl, row->entry);
		int y = in->y + r, attr = A_NORMAL;

		if (row->index < 0) {
			char first[128] = "";

			if (e->kind == TL_CMD && e->out != NULL && e->out[0] != '\0')
				snprintf(first, sizeof(first), "  => %.*s",
				    (int)strcspn(e->out, "\n"), e->out);
			else if (e->kind == TL_CMD && e->err != NULL && e->err[0])
				snprintf(first, sizeof(first), "  => %.*s",
				    (int)strcspn(e->err, "\n"), e->err);
			attr = p->top + r == sel ? A_REVERSE : tui_attr(t, C_TITLE);
			tui_printf(t, y, in->x, in->w, attr, "[%zu] %s%s",
			    row->entry, e->kind == TL_CMD ? e->line :
			    e->kind == TL_ASK ? "(question)" : "(narration)", first);
			continue;
		}
		{
			const struct tl_event *ev = &e->events[row->index];
			size_t step = timeline_entry_first(&t->tl, row->entry) +
			    (size_t)row->index;

			if (ev == cur)
				attr = tui_attr(t, C_CURRENT);
			else if (p->top + r == sel)
				attr = A_REVERSE;
			/* Narrow: the explanation below names the function. */
			if (in->w < 110)
				tui_printf(t, y, in->x, in->w, attr, "%c%4zu %-17s %s",
				    ev == cur ? '>' : ' ', step,
				    event_kind_name(ev->ev.kind), ev->text);
			else
				tui_printf(t, y, in->x, in->w, attr,
				    "%c%4zu %-17s %-21s %s", ev == cur ? '>' : ' ',
				    step, event_kind_name(ev->ev.kind),
				    event_kind_fn(ev->ev.kind), ev->text);
		}
	}
	sel_ev = row_event(t, &rows[sel]);
	if (sel_ev != NULL) {
		char **lines;
		int nl = tui_wrap(tui_explain(sel_ev), in->w, &lines);
		int room = in->h - list_h;

		for (int i = 0; i < room && i < nl; i++)
			tui_puts(t, in->y + list_h + i, in->x, in->w,
			    tui_attr(t, C_DIM), lines[i]);
		tui_free_lines(lines, nl);
	}
	free(rows);
}

static bool log_key(struct panel *p, struct tui *t, int key)
{
	struct log_row *rows;
	size_t cur_row, n = log_rows(t, &rows, &cur_row);
	long sel = p->sel >= 0 && (size_t)p->sel < n ? p->sel : (long)cur_row;
	long page = p->page > 1 ? p->page - 1 : 1;
	bool used = true;

	switch (key) {
	case KEY_UP:
		sel--;
		break;
	case KEY_DOWN:
		sel++;
		break;
	case KEY_PPAGE:
		sel -= page;
		break;
	case KEY_NPAGE:
		sel += page;
		break;
	case KEY_HOME:
		sel = 0;
		break;
	case KEY_END:
		sel = (long)n - 1;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (n > 0 && sel >= 0 && (size_t)sel < n) {
			const struct log_row *r = &rows[sel];

			timeline_goto_entry(&t->tl, r->entry,
			    r->index < 0 ? 0 : (size_t)r->index);
			tui_step_changed(t);
		}
		free(rows);
		return true;
	default:
		used = false;
		break;
	}
	if (used && n > 0) {
		if (sel < 0)
			sel = 0;
		if (sel >= (long)n)
			sel = (long)n - 1;
		p->sel = sel;
	}
	free(rows);
	return used;
}

static bool log_mouse(struct panel *p, struct tui *t, int y, int x)
{
	(void)x;
	if (p->top < 0 || y >= p->page || p->top + y >= p->rows)
		return false;
	p->sel = p->top + y;
	(void)t;
	return true;
}

const struct panel_class panel_log_class = {
	.name = "log",
	.title = "events",
	.keys = "up/down select an event, Enter steps to it",
	.reset = log_reset,
	.draw = log_draw,
	.key = log_key,
	.mouse = log_mouse,
};
