/*
 * panel-walk.c - the page-table walk pane and the TLB pane.
 *
 * The walk pane translates the selected address of the selected process
 * the way the MMU does, without changing anything (pgtable_walk without
 * WALK_EMIT): how the address splits into indexes, then per level the
 * index used, the entry as the architecture holds it, its flags and
 * where it leads; levels the walk never reached are shown as missing,
 * and a complete walk ends with the frame and the offset. While stepping
 * through a walk or a fault, the level of the current event is lit.
 *
 * The TLB pane lists the valid entries of the one CPU's TLB by set and
 * way (ASID, VPN -> PFN, flags) with the hit and miss counters.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/pgtable.h"
#include "vmscope/report-paging.h"
#include "vmscope/session.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"
#include "tui-curses.h"
#include "tui.h"

static bool is_walk_event(const struct vm_event *ev)
{
	switch (ev->kind) {
	case EV_WALK_LEVEL:
	case EV_WALK_FAULT:
	case EV_WALK_BAD_ADDR:
	case EV_SET_PTE:
	case EV_CLEAR_PTE:
	case EV_PGTABLE_ALLOC:
	case EV_PAGE_FAULT:
	case EV_ACCESS_RETRY:
		return true;
	default:
		return false;
	}
}

/* Events whose level field names a page-table level. */
static bool has_level(const struct vm_event *ev)
{
	return ev->kind == EV_WALK_LEVEL || ev->kind == EV_WALK_FAULT ||
	    ev->kind == EV_SET_PTE || ev->kind == EV_CLEAR_PTE ||
	    ev->kind == EV_PGTABLE_ALLOC;
}

/*
 * The walk as it was at the current event, when the event is part of an
 * access to this very page and the command goes on after it (the
 * machine holds the tables as the whole command left them).
 */
static const struct pt_walk *walk_snap(struct tui *t, int pid, uint64_t addr)
{
	const struct tl_event *cur = timeline_current_event(&t->tl);
	uint64_t mask = ~(uint64_t)(t->s->m->page_size - 1);
	const struct tl_snap *sn;
	size_t entry, k;
	const struct tl_entry *e;

	if (cur == NULL || (sn = cur->snap) == NULL || !sn->have_walk ||
	    sn->walk_pid != pid || (sn->walk.addr & mask) != (addr & mask))
		return NULL;
	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	e = timeline_entry(&t->tl, entry);
	return e != NULL && k + 1 < e->nevents ? &sn->walk : NULL;
}

static void walk_reset(struct panel *p, struct tui *t)
{
	(void)t;
	p->sel = 0;		/* 0: translate the address pane's selection */
	p->sel2 = -1;		/* the level lit */
	p->addr = 0;
}

static void walk_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct machine *m = t->s->m;
	const struct tl_event *cur = timeline_current_event(&t->tl);
	struct task_struct *task;
	struct pt_walk w;
	const struct pt_walk *snap;
	struct sbuf fl = SBUF_INIT;
	uint64_t addr;
	int pid, y = in->y, x, digits = pt_entry_digits(m);
	int lit = -1;

	tui_selection(t, &pid, &addr);
	if (p->sel != 0) {
		/* followed an event; -1: it named no process, keep the pane's */
		if (p->sel > 0)
			pid = (int)p->sel;
		addr = p->addr;
	}
	task = tui_task(t, pid);
	if (task == NULL || task->mm == NULL || task->mm->pgt == NULL) {
		tui_puts(t, y, in->x, in->w, tui_attr(t, C_DIM),
		    task == NULL ? "No process: nothing to translate." :
		    "This process has no page table.");
		return;
	}
	if ((snap = walk_snap(t, pid, addr)) != NULL) {
		w = *snap;
		w.addr = addr;
	} else {
		pgtable_walk(task->mm->pgt, addr, 0, &w);
	}
	if (cur != NULL && is_walk_event(&cur->ev) &&
	    (cur->ev.pid == pid || cur->ev.pid <= 0))
		lit = has_level(&cur->ev) ? cur->ev.level :
		    cur->ev.kind == EV_PAGE_FAULT ? w.level : -1;
	x = tui_printf(t, y, in->x, in->w, A_BOLD, "pid %d va 0x%" PRIx64 ":",
	    pid, addr);
	for (int l = 0; l < m->arch.nr_levels && x < in->w; l++)
		x += tui_printf(t, y, in->x + x, in->w - x, A_NORMAL, " %s[%u]",
		    m->arch.level_names[l], pt_index(m, l, addr));
	tui_printf(t, y, in->x + x, in->w - x, A_NORMAL, " +0x%" PRIx64,
	    addr & (m->page_size - 1));
	y++;
	for (int l = 0; l < m->arch.nr_levels && y < in->y + in->h - 1; l++, y++) {
		const struct pt_walk_step *st = NULL;
		int attr = l == lit ? tui_attr(t, C_CURRENT) : A_NORMAL;

		for (int i = 0; i < w.nr_steps; i++) {
			if (w.step[i].level == l)
				st = &w.step[i];
		}
		if (st == NULL && snap != NULL && cur->ev.kind == EV_PGTABLE_ALLOC &&
		    cur->ev.level == l) {
			/* allocated, not linked in yet: the next step does that */
			tui_printf(t, y, in->x, in->w, attr, "%-4s [%3u] new table "
			    "at pfn 0x%llx", m->arch.level_names[l],
			    pt_index(m, l, addr), (unsigned long long)cur->ev.pfn);
			continue;
		}
		if (st == NULL) {
			tui_printf(t, y, in->x, in->w, l == lit ? attr :
			    tui_attr(t, C_DIM), "%-4s [%3u] missing: no table at "
			    "this level", m->arch.level_names[l], pt_index(m, l, addr));
			continue;
		}
		sbuf_reset(&fl);
		if (st->entry != 0)
			pte_flags_text(m, l, st->entry, &fl);
		if (pte_none(st->entry)) {
			tui_printf(t, y, in->x, in->w, attr, "%-4s [%3u] none%s",
			    st->name, st->index, l == w.level ? "  <- walk stops here" : "");
			continue;
		}
		tui_printf(t, y, in->x, in->w, attr, "%-4s [%3u] 0x%0*" PRIx64
		    " %-14s -> %s 0x%lx", st->name, st->index, digits,
		    pgtable_entry_raw(m, l, st->entry), sbuf_str(&fl),
		    st->leaf ? "frame" : "table", pte_pfn(st->entry));
	}
	sbuf_free(&fl);
	if (snap != NULL && cur != NULL && in->h >= m->arch.nr_levels + 3)
		tui_printf(t, in->y + in->h - 2, in->x, in->w, tui_attr(t, C_LIT),
		    "at this step: %s", event_kind_fn(cur->ev.kind));
	switch (w.result) {
	case WALK_MAPPED:
		tui_printf(t, in->y + in->h - 1, in->x, in->w, A_BOLD,
		    "frame pfn 0x%lx + offset 0x%" PRIx64 " = phys 0x%" PRIx64,
		    w.pfn, (uint64_t)(addr & ((1ULL << w.page_shift) - 1)), w.phys);
		break;
	case WALK_NONE:
		tui_puts(t, in->y + in->h - 1, in->x, in->w, tui_attr(t, C_ERROR),
		    "not mapped: an access faults (handle_mm_fault)");
		break;
	case WALK_SWAP:
		tui_puts(t, in->y + in->h - 1, in->x, in->w, tui_attr(t, C_ERROR),
		    "swap entry: an access is a major fault (do_swap_page)");
		break;
	case WALK_PROTNONE:
		tui_puts(t, in->y + in->h - 1, in->x, in->w, tui_attr(t, C_ERROR),
		    "PROT_NONE: present to Linux, not to the MMU");
		break;
	case WALK_BAD_ADDR:
		tui_puts(t, in->y + in->h - 1, in->x, in->w, tui_attr(t, C_ERROR),
		    "an address these tables cannot translate");
		break;
	}
}

static bool walk_follow(struct panel *p, struct tui *t,
    const struct tl_event *ev)
{
	if (!is_walk_event(&ev->ev) ||
	    (ev->ev.pid > 0 && tui_task(t, ev->ev.pid) == NULL))
		return false;
	p->sel = ev->ev.pid > 0 ? ev->ev.pid : -1;
	p->addr = ev->ev.addr;
	p->sel2 = ev->ev.level;
	return true;
}

static bool walk_find(struct panel *p, struct tui *t, uint64_t addr)
{
	int pid;
	uint64_t old;

	tui_selection(t, &pid, &old);
	if (tui_task(t, pid) == NULL)
		return false;
	p->sel = pid;
	p->addr = addr;
	return true;
}

const struct panel_class panel_walk_class = {
	.name = "walk",
	.title = "page-table walk",
	.keys = "(translates the address selected in the address space; / sets it)",
	.reset = walk_reset,
	.draw = walk_draw,
	.follow = walk_follow,
	.find = walk_find,
};

/* ---- the TLB ------------------------------------------------------- */

static bool is_tlb_event(const struct vm_event *ev)
{
	switch (ev->kind) {
	case EV_TLB_HIT:
	case EV_TLB_MISS:
	case EV_TLB_FILL:
	case EV_TLB_EVICT:
		return true;
	default:
		return false;
	}
}

static void tlb_reset(struct panel *p, struct tui *t)
{
	(void)t;
	p->sel = -1;	/* the set lit */
	p->top = 0;
}

static void tlb_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct tlb *tlb = t->s->m->tlb;
	const struct tl_snap *sn = timeline_tlb_snap(&t->tl);
	const struct tlb_entry *ents;
	int y = in->y, list_h = in->h - 2, row = 0, sel_row = -1, nvalid = 0;

	if (tlb == NULL) {
		tui_puts(t, y, in->x, in->w, tui_attr(t, C_DIM),
		    "This machine has no TLB.");
		return;
	}
	/* In the middle of a command: the TLB as it was at the event. */
	if (sn != NULL && sn->tlb->n != tlb->nr_entries)
		sn = NULL;
	ents = sn != NULL ? sn->tlb->e : tlb->e;
	tui_printf(t, y++, in->x, in->w, A_BOLD,
	    "%u entries, %u-way, %u sets, ASID %s  hits %lu misses %lu",
	    tlb->nr_entries, tlb->nr_ways, tlb->nr_sets,
	    tlb->asid_enabled ? "on" : "off", sn != NULL ? sn->hits : tlb->hits,
	    sn != NULL ? sn->misses : tlb->misses);
	tui_puts(t, y++, in->x, in->w, tui_attr(t, C_TITLE),
	    "set way asid vpn            -> pfn      flags");
	for (unsigned i = 0; i < tlb->nr_entries; i++) {
		if (ents[i].valid) {
			if ((long)(i / tlb->nr_ways) == p->sel && sel_row < 0)
				sel_row = nvalid;
			nvalid++;
		}
	}
	if (nvalid == 0) {
		tui_puts(t, y, in->x, in->w, tui_attr(t, C_DIM),
		    "(no valid entry)");
		return;
	}
	if (sel_row >= 0 && (sel_row < p->top || sel_row >= p->top + list_h))
		p->top = sel_row;
	if (p->top > nvalid - list_h)
		p->top = nvalid - list_h > 0 ? nvalid - list_h : 0;
	for (unsigned i = 0; i < tlb->nr_entries && y < in->y + in->h; i++) {
		const struct tlb_entry *e = &ents[i];
		struct sbuf fl = SBUF_INIT;

		if (!e->valid)
			continue;
		if (row++ < p->top)
			continue;
		pte_flags_text(t->s->m, t->s->m->arch.nr_levels - 1, e->flags, &fl);
		tui_printf(t, y++, in->x, in->w,
		    (long)(i / tlb->nr_ways) == p->sel ? tui_attr(t, C_CURRENT) :
		    A_NORMAL, "%3u %3u %4u %-14" PRIx64 " -> %-8lx %s%s",
		    i / tlb->nr_ways, i % tlb->nr_ways, e->asid, e->vpn, e->pfn,
		    e->huge ? "huge " : "", sbuf_str(&fl));
		sbuf_free(&fl);
	}
}

static bool tlb_key(struct panel *p, struct tui *t, int key)
{
	(void)t;
	if (key == KEY_DOWN)
		p->top++;
	else if (key == KEY_UP && p->top > 0)
		p->top--;
	else
		return false;
	return true;
}

static bool tlb_follow(struct panel *p, struct tui *t,
    const struct tl_event *ev)
{
	(void)t;
	if (!is_tlb_event(&ev->ev))
		return false;
	p->sel = (long)ev->ev.val;	/* the set */
	return true;
}

const struct panel_class panel_tlb_class = {
	.name = "tlb",
	.title = "TLB",
	.keys = "up/down scroll",
	.reset = tlb_reset,
	.draw = tlb_draw,
	.key = tlb_key,
	.follow = tlb_follow,
};
