/*
 * panel-buddy.c - the buddy allocator pane: for every zone, the number
 * of free blocks on free_area[0..10] (what /proc/buddyinfo prints), the
 * blocks of the selected list, and the zone's watermarks.
 *
 * Unlike the other panes, the counts show the state at the current event
 * even in the middle of a command: the machine holds the state after the
 * command, and the events after the current one are undone on the counts
 * (a take or a merge removed a block from a list, a split or a free added
 * one). Stepping through an allocation thus shows each split happen.
 */
#include <stdio.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/session.h"
#include "tui-curses.h"
#include "tui.h"

/* How an event changed free_area[order] of its zone: -1, 0 or +1. */
static int event_delta(const struct vm_event *ev, int *order)
{
	switch (ev->kind) {
	case EV_BUDDY_TAKE:
		*order = ev->order;
		return -1;
	case EV_BUDDY_SPLIT:
		*order = (int)ev->val2;
		return 1;
	case EV_BUDDY_MERGE:
		*order = ev->order;	/* the buddy leaves its list */
		return -1;
	case EV_BUDDY_FREE:
		*order = ev->order;
		return 1;
	default:
		return 0;
	}
}

static bool is_buddy_event(const struct vm_event *ev)
{
	switch (ev->kind) {
	case EV_WMARK_CHECK:
	case EV_BUDDY_TAKE:
	case EV_BUDDY_SPLIT:
	case EV_ALLOC_PAGES:
	case EV_FREE_PAGES:
	case EV_BUDDY_MERGE:
	case EV_BUDDY_FREE:
		return true;
	default:
		return false;
	}
}

/* The populated zones, in order: index i is what sel names. */
static int zone_list(struct machine *m, struct zone **zs)
{
	struct zone *z;
	int n = 0;

	for_each_populated_zone(m, z)
		zs[n++] = z;
	return n;
}

/* free_area counts as of the current event (see the top comment). */
static void counts_now(struct tui *t, struct zone **zs, int nz,
    long counts[][MAX_ORDER])
{
	size_t entry, k;
	const struct tl_entry *e;

	for (int i = 0; i < nz; i++) {
		for (int o = 0; o < MAX_ORDER; o++)
			counts[i][o] = (long)zs[i]->free_area[o].nr_free;
	}
	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	e = timeline_entry(&t->tl, entry);
	if (e == NULL)
		return;
	for (size_t j = k + 1; j < e->nevents; j++) {
		const struct vm_event *ev = &e->events[j].ev;
		int order, d = event_delta(ev, &order);

		if (d == 0 || order < 0 || order >= MAX_ORDER)
			continue;
		for (int i = 0; i < nz; i++) {
			if (zs[i]->node == ev->node && (int)zs[i]->idx == ev->zone)
				counts[i][order] -= d;
		}
	}
}

/* The current stage in a few words: the log has the full sentence. */
static void buddy_step_text(const struct vm_event *ev, char *buf, size_t len)
{
	const char *fn = event_kind_fn(ev->kind);

	switch (ev->kind) {
	case EV_BUDDY_SPLIT:
		snprintf(buf, len, "%s: split %d->%d, buddy 0x%llx", fn,
		    ev->order, (int)ev->val2, (unsigned long long)ev->val);
		break;
	case EV_BUDDY_TAKE:
		snprintf(buf, len, "%s: take 0x%llx, order %d", fn,
		    (unsigned long long)ev->pfn, ev->order);
		break;
	case EV_BUDDY_MERGE:
		snprintf(buf, len, "%s: 0x%llx+0x%llx -> order %d", fn,
		    (unsigned long long)ev->pfn, (unsigned long long)ev->val,
		    (int)ev->val2);
		break;
	case EV_BUDDY_FREE:
		snprintf(buf, len, "%s: 0x%llx on order %d", fn,
		    (unsigned long long)ev->pfn, ev->order);
		break;
	case EV_WMARK_CHECK:
		snprintf(buf, len, "%s: order %d", fn, ev->order);
		break;
	default:
		snprintf(buf, len, "%s: 0x%llx order %d", fn,
		    (unsigned long long)ev->pfn, ev->order);
		break;
	}
}

static void buddy_reset(struct panel *p, struct tui *t)
{
	(void)t;
	p->sel = 0;
	p->sel2 = 0;
}

/* Is (zone i, order o) touched by the current event? */
static bool cell_lit(const struct tl_event *cur, const struct zone *z, int o)
{
	int order;

	if (cur == NULL || !is_buddy_event(&cur->ev) ||
	    cur->ev.node != z->node || cur->ev.zone != (int)z->idx)
		return false;
	if (cur->ev.order == o)
		return true;
	return event_delta(&cur->ev, &order) != 0 && order == o;
}

static void buddy_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct machine *m = t->s->m;
	struct zone *zs[MAX_NUMNODES * MAX_NR_ZONES];
	long counts[MAX_NUMNODES * MAX_NR_ZONES][MAX_ORDER];
	const struct tl_event *cur = timeline_current_event(&t->tl);
	int nz = zone_list(m, zs), cw[MAX_ORDER], width = 8, y, x;
	bool wide;
	struct zone *z;
	char buf[512];
	size_t len = 0;

	if (nz == 0)
		return;
	if (p->sel >= nz)
		p->sel = nz - 1;
	counts_now(t, zs, nz, counts);
	/* Column widths: zones as rows, /proc/buddyinfo style, if it fits. */
	for (int o = 0; o < MAX_ORDER; o++) {
		cw[o] = o >= 10 ? 3 : 2;
		for (int i = 0; i < nz; i++) {
			int n = snprintf(buf, sizeof(buf), " %ld", counts[i][o]);

			if (n > cw[o])
				cw[o] = n;
		}
		width += cw[o];
	}
	wide = width <= in->w;
	y = in->y;
	if (wide) {
		x = tui_puts(t, y, in->x, in->w, tui_attr(t, C_TITLE), "order   ");
		for (int o = 0; o < MAX_ORDER; o++)
			x += tui_printf(t, y, in->x + x, in->w - x,
			    tui_attr(t, C_TITLE), "%*d", cw[o], o);
		for (int i = 0; i < nz && ++y < in->y + in->h - 3; i++) {
			x = tui_printf(t, y, in->x, in->w, A_NORMAL, "%d %-6s",
			    zs[i]->node, zs[i]->name);
			for (int o = 0; o < MAX_ORDER; o++) {
				int attr = A_NORMAL;

				if (cell_lit(cur, zs[i], o))
					attr = tui_attr(t, C_CURRENT);
				else if (i == p->sel && o == p->sel2)
					attr = A_REVERSE;
				x += tui_printf(t, y, in->x + x, in->w - x, attr,
				    "%*ld", cw[o], counts[i][o]);
			}
		}
	} else {
		/* Too narrow: orders as rows, zones as columns. */
		x = tui_puts(t, y, in->x, in->w, tui_attr(t, C_TITLE), "ord");
		for (int i = 0; i < nz; i++)
			x += tui_printf(t, y, in->x + x, in->w - x,
			    tui_attr(t, C_TITLE), " %6.6s", zs[i]->name);
		for (int o = 0; o < MAX_ORDER && ++y < in->y + in->h - 3; o++) {
			x = tui_printf(t, y, in->x, in->w, A_NORMAL, "%3d", o);
			for (int i = 0; i < nz; i++) {
				int attr = A_NORMAL;

				if (cell_lit(cur, zs[i], o))
					attr = tui_attr(t, C_CURRENT);
				else if (i == p->sel && o == p->sel2)
					attr = A_REVERSE;
				x += tui_printf(t, y, in->x + x, in->w - x, attr,
				    " %6ld", counts[i][o]);
			}
		}
	}
	/* The selected list: its blocks, after the command. */
	z = zs[p->sel];
	len = (size_t)snprintf(buf, sizeof(buf), "%s free_area[%ld] (%lu pages):",
	    z->name, p->sel2, 1UL << p->sel2);
	{
		struct page *page;
		int shown = 0;

		list_for_each_entry(page, &z->free_area[p->sel2].free_list, lru) {
			if (len + 12 >= sizeof(buf))
				break;
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    " 0x%lx", page_to_pfn(m, page));
			if (++shown >= 16)
				break;
		}
		if (shown == 0)
			snprintf(buf + len, sizeof(buf) - len, " empty");
	}
	tui_puts(t, in->y + in->h - 3, in->x, in->w, A_NORMAL, buf);
	tui_printf(t, in->y + in->h - 2, in->x, in->w, A_NORMAL,
	    "free %lu  min %lu low %lu high %lu", z->nr_free,
	    min_wmark_pages(z), low_wmark_pages(z), high_wmark_pages(z));
	if (cur != NULL && is_buddy_event(&cur->ev)) {
		buddy_step_text(&cur->ev, buf, sizeof(buf));
		tui_puts(t, in->y + in->h - 1, in->x, in->w,
		    tui_attr(t, C_CURRENT), buf);
	}
}

static bool buddy_key(struct panel *p, struct tui *t, int key)
{
	struct zone *zs[MAX_NUMNODES * MAX_NR_ZONES];
	int nz = zone_list(t->s->m, zs);

	switch (key) {
	case KEY_UP:
		if (p->sel > 0)
			p->sel--;
		return true;
	case KEY_DOWN:
		if (p->sel + 1 < nz)
			p->sel++;
		return true;
	case KEY_LEFT:
		if (p->sel2 > 0)
			p->sel2--;
		return true;
	case KEY_RIGHT:
		if (p->sel2 + 1 < MAX_ORDER)
			p->sel2++;
		return true;
	case KEY_HOME:
		p->sel2 = 0;
		return true;
	case KEY_END:
		p->sel2 = MAX_ORDER - 1;
		return true;
	}
	return false;
}

static bool buddy_follow(struct panel *p, struct tui *t,
    const struct tl_event *ev)
{
	struct zone *zs[MAX_NUMNODES * MAX_NR_ZONES];
	int nz = zone_list(t->s->m, zs), order;

	if (!is_buddy_event(&ev->ev))
		return false;
	for (int i = 0; i < nz; i++) {
		if (zs[i]->node != ev->ev.node || (int)zs[i]->idx != ev->ev.zone)
			continue;
		p->sel = i;
		p->sel2 = ev->ev.order;
		if (event_delta(&ev->ev, &order) != 0)
			p->sel2 = order;
		if (p->sel2 < 0 || p->sel2 >= MAX_ORDER)
			p->sel2 = 0;
		return true;
	}
	return false;
}

static bool buddy_mouse(struct panel *p, struct tui *t, int y, int x)
{
	/* Rows pick a zone; the column picks an order (wide layout). */
	struct zone *zs[MAX_NUMNODES * MAX_NR_ZONES];
	int nz = zone_list(t->s->m, zs);

	if (y >= 1 && y - 1 < nz) {
		p->sel = y - 1;
		if (x >= 8)
			p->sel2 = (x - 8) * MAX_ORDER / (p->in.w - 8 > 0 ?
			    p->in.w - 8 : 1);
		if (p->sel2 >= MAX_ORDER)
			p->sel2 = MAX_ORDER - 1;
		return true;
	}
	return false;
}

const struct panel_class panel_buddy_class = {
	.name = "buddy",
	.title = "buddy free lists",
	.keys = "up/down zone, left/right order",
	.reset = buddy_reset,
	.draw = buddy_draw,
	.key = buddy_key,
	.mouse = buddy_mouse,
	.follow = buddy_follow,
};
