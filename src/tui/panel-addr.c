/*
 * panel-addr.c - the address-space pane and the process list.
 *
 * The address space of the selected process is drawn top down, highest
 * address first, as the textbook figure: the kernel half's regions, then
 * each VMA on one row (start, name, permissions, size, a bar of per-page
 * residency marks), with the holes between them compressed to one row
 * that says how big they are. Below, the selected VMA's fields. The
 * selection is an address (so `/ADDR` and the events can set it); the
 * page-table walk pane translates that address.
 *
 * The process list shows what `ps` shows and picks the process.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/mm.h"
#include "vmscope/pgtable.h"
#include "vmscope/session.h"
#include "vmscope/task.h"
#include "tui-curses.h"
#include "tui.h"

#define MAX_REGIONS	32
#define BAR_MAX		16

/* ---- helpers shared with the walk pane (declared in tui.h) ---------- */

struct task_struct *tui_task(struct tui *t, int pid)
{
	struct task_struct *task;

	if (t->s->m->tasks.next == NULL)
		return NULL;	/* a machine without the process model */
	list_for_each_entry(task, &t->s->m->tasks, tasks) {
		if (pid <= 0 || task->pid == pid)
			return task;
	}
	return NULL;
}

void tui_selection(struct tui *t, int *pid, uint64_t *addr)
{
	struct panel *a = &t->panes[PANE_ADDR];
	struct task_struct *task = tui_task(t, (int)a->sel);

	*pid = task != NULL ? task->pid : 0;
	*addr = a->addr;
	if (task != NULL && task->mm != NULL && *addr == 0 &&
	    task->mm->mmap != NULL)
		*addr = task->mm->mmap->vm_start;
}

static const char *vma_label(const struct vm_area_struct *vma, char *buf,
    size_t len)
{
	const struct mm_struct *mm = vma->vm_mm;
	const char *slash;

	if (vma->vm_name != NULL)
		return vma->vm_name;
	if (vma->vm_file != NULL) {
		slash = strrchr(vma->vm_file->name, '/');
		snprintf(buf, len, "%s", slash != NULL ? slash + 1 :
		    vma->vm_file->name);
		return buf;
	}
	if (vma->vm_start <= mm->start_brk && vma->vm_end >= mm->brk &&
	    mm->brk > mm->start_brk)
		return "[heap]";
	if (vma->vm_flags & VM_GROWSDOWN)
		return "[stack]";
	return "anon";
}

static enum tui_color vma_color(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_HUGETLB)
		return C_HUGE;
	if (vma->vm_name != NULL)
		return C_RESERVED;
	if (vma->vm_file != NULL && !vma->vm_file->shmem)
		return C_FILE;
	return C_ANON;
}

struct resident_scan {
	uint64_t	 start;
	uint64_t	 per;		/* bytes per mark */
	int		 nmarks;
	char		 marks[BAR_MAX];
	unsigned long	 pages;
};

static int resident_one(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
    int level, unsigned shift, void *arg)
{
	struct resident_scan *r = arg;
	long i = (long)((addr - r->start) / r->per);

	(void)pgt;
	(void)level;
	if (!pte_present(*ptep))
		return 0;
	r->pages += 1UL << (shift - 12 < 32 ? shift - 12 : 0);
	if (i >= 0 && i < r->nmarks)
		r->marks[i] = '#';
	return 0;
}

/* Residency marks of a VMA into r (nmarks set by the caller). */
static void vma_resident(const struct vm_area_struct *vma,
    struct resident_scan *r)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t len = vma->vm_end - vma->vm_start;

	r->start = vma->vm_start;
	r->per = (len + (uint64_t)r->nmarks - 1) / (uint64_t)r->nmarks;
	if (r->per < mm->page_size)
		r->per = mm->page_size;
	r->nmarks = (int)((len + r->per - 1) / r->per);
	memset(r->marks, '.', sizeof(r->marks));
	r->pages = 0;
	if (mm->pgt != NULL)
		walk_page_range(mm->pgt, vma->vm_start, vma->vm_end,
		    resident_one, r);
}

static void perms(const struct vm_area_struct *vma, char *p)
{
	p[0] = vma->vm_flags & VM_READ ? 'r' : '-';
	p[1] = vma->vm_flags & VM_WRITE ? 'w' : '-';
	p[2] = vma->vm_flags & VM_EXEC ? 'x' : '-';
	p[3] = vma->vm_flags & VM_SHARED ? 's' : 'p';
	p[4] = '\0';
}

static void human(char *buf, size_t len, uint64_t bytes)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes / 1024;
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 10 && v != (uint64_t)v ? "%.1f%c" : "%.0f%c",
	    v, units[u]);
}

/*
 * The rows, highest address first: kernel regions (kind 1), holes
 * (kind 2), VMAs (kind 0).
 */
struct addr_row {
	int		 kind;
	uint64_t	 start, end;
	const struct vm_area_struct *vma;
	const struct kernel_region *kr;
};

static int addr_rows(struct tui *t, struct task_struct *task,
    struct kernel_region *kr, int nkr, struct addr_row *rows, int max)
{
	struct mm_struct *mm = task->mm;
	const struct vm_area_struct *vma, *last = NULL;
	int n = 0;

	for (int i = nkr - 1; i >= 0 && n < max; i--) {
		if (kr[i].hole && kr[i].last - kr[i].start < (1ULL << 40))
			continue;	/* small guard gaps: not worth a row */
		rows[n++] = (struct addr_row){ kr[i].hole ? 2 : 1, kr[i].start,
		    kr[i].last, NULL, &kr[i] };
	}
	(void)t;
	if (mm == NULL)
		return n;
	for (vma = mm->mmap; vma != NULL && vma->vm_next != NULL; vma = vma->vm_next)
		;
	if (vma != NULL && n < max && vma->vm_end < mm->task_size)
		rows[n++] = (struct addr_row){ 2, vma->vm_end, mm->task_size,
		    NULL, NULL };
	for (; vma != NULL && n < max; vma = vma->vm_prev) {
		rows[n++] = (struct addr_row){ 0, vma->vm_start, vma->vm_end,
		    vma, NULL };
		last = vma;
		if (vma->vm_prev != NULL && vma->vm_prev->vm_end < vma->vm_start &&
		    n < max)
			rows[n++] = (struct addr_row){ 2, vma->vm_prev->vm_end,
			    vma->vm_start, NULL, NULL };
	}
	if (last != NULL && last->vm_start > 0 && n < max)
		rows[n++] = (struct addr_row){ 2, 0, last->vm_start, NULL, NULL };
	return n;
}

static void addr_reset(struct panel *p, struct tui *t)
{
	(void)t;
	p->sel = 0;	/* pid; 0: the first process */
	p->addr = 0;
}

static void addr_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct task_struct *task = tui_task(t, (int)p->sel);
	struct kernel_region kr[MAX_REGIONS];
	struct addr_row rows[512];
	int nkr, n, sel_row = -1, list_h = in->h - 2, digits;
	const struct vm_area_struct *sv = NULL;
	const struct tl_event *cur = timeline_current_event(&t->tl);
	const struct tl_snap *visits = NULL;
	uint64_t addr;
	int pid;
	char name[64], sz[16], pr[5];

	if (task == NULL) {
		tui_puts(t, in->y, in->x, in->w, tui_attr(t, C_DIM),
		    "No process yet: ':spawn NAME' makes one.");
		return;
	}
	tui_selection(t, &pid, &addr);
	nkr = arch_kernel_regions(t->s->m, kr, MAX_REGIONS);
	n = addr_rows(t, task, kr, nkr, rows, (int)ARRAY_SIZE(rows));
	digits = t->s->m->arch.bits == 64 ? 16 : 8;
	if (in->w < 60)
		digits = t->s->m->arch.bits == 64 ? 12 : 8;
	/* At a find_vma step: the tree nodes it visited, numbered root first. */
	if (cur != NULL && cur->ev.kind == EV_VMA_FIND && cur->snap != NULL &&
	    cur->ev.pid == task->pid)
		visits = cur->snap;
	for (int i = 0; i < n; i++) {
		if (rows[i].kind == 0 && addr >= rows[i].start && addr < rows[i].end) {
			sel_row = i;
			sv = rows[i].vma;
		}
	}
	if (list_h < 1)
		list_h = 1;
	p->rows = n;
	p->page = list_h;
	if (sel_row >= 0 && (sel_row < p->top || sel_row >= p->top + list_h))
		p->top = sel_row - list_h / 2;
	if (p->top > n - list_h)
		p->top = n - list_h;
	if (p->top < 0)
		p->top = 0;
	for (int r = 0; r < list_h && p->top + r < n; r++) {
		const struct addr_row *row = &rows[p->top + r];
		int y = in->y + r, x;

		if (row->kind == 2) {
			human(sz, sizeof(sz), row->end - row->start +
			    (row->kr != NULL ? 1 : 0));
			tui_printf(t, y, in->x, in->w, tui_attr(t, C_DIM),
			    " %*s  ... %s %s ...", digits, "", sz,
			    row->kr != NULL ? row->kr->name : "unmapped");
			continue;
		}
		if (row->kind == 1) {
			human(sz, sizeof(sz), row->end - row->start + 1);
			tui_printf(t, y, in->x, in->w, tui_attr(t, C_KERNEL),
			    " %0*" PRIx64 " %-12.12s %6s  %s", digits,
			    (uint64_t)(row->start & (digits == 16 ? ~0ULL :
			    0xffffffffffffULL)), row->kr->name, sz, row->kr->what);
			continue;
		}
		{
			struct resident_scan rs = { .nmarks = BAR_MAX };
			int attr = tui_attr(t, vma_color(row->vma));
			char mark = p->top + r == sel_row ? '>' : ' ';

			if (p->top + r == sel_row)
				attr = tui_attr(t, C_CURRENT);
			for (int v = 0; visits != NULL && v < visits->nvisit; v++) {
				if (visits->visit[v].start == row->start &&
				    visits->visit[v].end == row->end) {
					mark = v < 9 ? (char)('1' + v) : '+';
					attr = tui_attr(t, C_LIT);
					if (p->top + r == sel_row)
						attr = tui_attr(t, C_CURRENT);
				}
			}
			vma_resident(row->vma, &rs);
			if (in->w < 60 && rs.nmarks > 8)
				rs.nmarks = 8;
			perms(row->vma, pr);
			x = tui_printf(t, y, in->x, in->w, attr,
			    "%c%0*" PRIx64 " %-12.12s %s %6" PRIu64 "p ",
			    mark, digits,
			    (uint64_t)(row->start & (digits == 16 ? ~0ULL :
			    0xffffffffffffULL)), vma_label(row->vma, name, sizeof(name)), pr,
			    vma_pages(row->vma));
			tui_printf(t, y, in->x + x, in->w - x,
			    tui_attr(t, C_GOOD), "%.*s", rs.nmarks, rs.marks);
		}
	}
	if (visits != NULL) {
		char path[256];
		size_t len = 0;

		tui_printf(t, in->y + in->h - 2, in->x, in->w, A_BOLD,
		    "find_vma: %d tree node%s, root first:", visits->nvisit,
		    visits->nvisit == 1 ? "" : "s");
		path[0] = '\0';
		for (int v = 0; v < visits->nvisit && len < sizeof(path); v++)
			len += (size_t)snprintf(path + len, sizeof(path) - len,
			    "%s%d:%" PRIx64, v ? " " : "", v + 1,
			    visits->visit[v].start);
		tui_puts(t, in->y + in->h - 1, in->x, in->w, A_NORMAL, path);
	} else if (sv != NULL) {
		struct resident_scan rs = { .nmarks = 1 };

		vma_resident(sv, &rs);
		perms(sv, pr);
		tui_printf(t, in->y + in->h - 2, in->x, in->w, A_BOLD,
		    "pid %d %s: %" PRIx64 "-%" PRIx64 " %s pgoff 0x%" PRIx64,
		    task->pid, task->comm, sv->vm_start, sv->vm_end, pr,
		    sv->vm_pgoff);
		tui_printf(t, in->y + in->h - 1, in->x, in->w, A_NORMAL,
		    "%" PRIu64 " pages, %lu resident, vm_flags 0x%lx%s%s",
		    vma_pages(sv), rs.pages, sv->vm_flags,
		    sv->anon_vma != NULL ? ", anon_vma" : "",
		    sv->vm_file != NULL ? ", file" : "");
	} else {
		tui_printf(t, in->y + in->h - 2, in->x, in->w, A_BOLD,
		    "pid %d %s: 0x%" PRIx64 " is in no VMA", task->pid,
		    task->comm, addr);
	}
}

/* Select the VMA before or after the selected one. */
static void addr_step(struct panel *p, struct tui *t, int dir)
{
	struct task_struct *task = tui_task(t, (int)p->sel);
	struct vm_area_struct *vma;
	int pid;
	uint64_t addr;

	if (task == NULL || task->mm == NULL)
		return;
	tui_selection(t, &pid, &addr);
	vma = find_vma(task->mm, addr);
	if (vma == NULL) {
		for (vma = task->mm->mmap; vma && vma->vm_next; vma = vma->vm_next)
			;
	} else if (addr < vma->vm_start) {
		/* in a hole: the VMA above is the next one up */
		if (dir < 0)
			vma = vma->vm_prev != NULL ? vma->vm_prev : vma;
	} else {
		/* rows are highest first: down means a lower address */
		vma = dir > 0 ? (vma->vm_prev ? vma->vm_prev : vma) :
		    (vma->vm_next ? vma->vm_next : vma);
	}
	if (vma != NULL)
		p->addr = vma->vm_start;
	t->panes[PANE_WALK].sel = 0;	/* the walk follows this selection */
}

static bool addr_key(struct panel *p, struct tui *t, int key)
{
	switch (key) {
	case KEY_DOWN:
		addr_step(p, t, 1);
		return true;
	case KEY_UP:
		addr_step(p, t, -1);
		return true;
	}
	return false;
}

static bool addr_mouse(struct panel *p, struct tui *t, int y, int x)
{
	struct task_struct *task = tui_task(t, (int)p->sel);
	struct kernel_region kr[MAX_REGIONS];
	struct addr_row rows[512];
	int n;

	(void)x;
	if (task == NULL || y >= p->page)
		return false;
	n = addr_rows(t, task, kr, arch_kernel_regions(t->s->m, kr, MAX_REGIONS),
	    rows, (int)ARRAY_SIZE(rows));
	if (p->top + y >= n || rows[p->top + y].kind != 0)
		return false;
	p->addr = rows[p->top + y].start;
	t->panes[PANE_WALK].sel = 0;
	return true;
}

static bool has_addr(const struct vm_event *ev)
{
	switch (ev->kind) {
	case EV_VMA_FIND: case EV_VMA_MAP: case EV_VMA_MERGE:
	case EV_VMA_SPLIT: case EV_VMA_UNMAP: case EV_VMA_PROTECT:
	case EV_VMA_ADVISE: case EV_MALLOC: case EV_FREE:
	case EV_UNMAPPED_AREA: case EV_PGTABLE_ALLOC:
	case EV_WALK_LEVEL: case EV_WALK_FAULT: case EV_SET_PTE:
	case EV_CLEAR_PTE: case EV_TLB_HIT: case EV_TLB_MISS:
	case EV_TLB_FILL: case EV_PAGE_FAULT: case EV_EXPAND_STACK:
	case EV_DO_ANONYMOUS_PAGE: case EV_DO_READ_FAULT:
	case EV_DO_COW_FAULT: case EV_DO_SHARED_FAULT: case EV_DO_WP_PAGE:
	case EV_WP_PAGE_COPY: case EV_WP_PAGE_REUSE: case EV_HUGE_FAULT:
	case EV_SIGSEGV: case EV_SIGBUS: case EV_ACCESS_RETRY:
	case EV_SWAP_IN: case EV_RMAP_UNMAP: case EV_PAGE_REFERENCED:
		return true;
	default:
		return false;
	}
}

static bool addr_follow(struct panel *p, struct tui *t,
    const struct tl_event *ev)
{
	if (ev->ev.pid <= 0 || tui_task(t, ev->ev.pid) == NULL)
		return false;
	if (has_addr(&ev->ev)) {
		p->sel = ev->ev.pid;
		p->addr = ev->ev.addr;
		return true;
	}
	if (ev->ev.kind == EV_TASK_EXEC || ev->ev.kind == EV_TASK_FORK) {
		p->sel = ev->ev.kind == EV_TASK_FORK ? (long)ev->ev.val :
		    ev->ev.pid;
		p->addr = 0;
		return tui_task(t, (int)p->sel) != NULL;
	}
	return false;
}

static bool addr_find(struct panel *p, struct tui *t, uint64_t addr)
{
	struct task_struct *task = tui_task(t, (int)p->sel);

	if (task == NULL || task->mm == NULL)
		return false;
	p->addr = addr;
	t->panes[PANE_WALK].sel = 0;
	if (find_vma_intersection(task->mm, addr, addr + 1) == NULL)
		tui_message(t, false, "0x%" PRIx64 " is in no VMA of pid %d",
		    addr, task->pid);
	return true;
}

const struct panel_class panel_addr_class = {
	.name = "addr",
	.title = "address space",
	.keys = "up/down select a VMA (the walk pane translates it)",
	.reset = addr_reset,
	.draw = addr_draw,
	.key = addr_key,
	.mouse = addr_mouse,
	.follow = addr_follow,
	.find = addr_find,
};

/* ---- the process list ---------------------------------------------- */

static void procs_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct task_struct *task;
	int y = in->y, pid;
	uint64_t addr;
	struct machine *m = t->s->m;

	tui_selection(t, &pid, &addr);
	tui_puts(t, y++, in->x, in->w, tui_attr(t, C_TITLE),
	    "  PID  PPID COMM          VSZ    RSS MINFLT MAJFLT");
	if (tui_task(t, 0) == NULL) {
		tui_puts(t, y, in->x, in->w, tui_attr(t, C_DIM),
		    "no process: ':spawn NAME'");
		return;
	}
	list_for_each_entry(task, &m->tasks, tasks) {
		unsigned long vsz = 0, rss = 0;

		if (y >= in->y + in->h)
			break;
		if (task->mm != NULL) {
			vsz = pages_to_kb(m, task->mm->total_vm);
			rss = pages_to_kb(m, get_mm_rss(task->mm));
		}
		tui_printf(t, y++, in->x, in->w,
		    task->pid == pid ? tui_attr(t, C_CURRENT) : A_NORMAL,
		    "%5d %5d %-10.10s %6lu %6lu %6lu %6lu", task->pid,
		    task_ppid(task), task->comm, vsz, rss, task->min_flt,
		    task->maj_flt);
	}
	(void)p;
}

static bool procs_pick(struct tui *t, int index)
{
	struct task_struct *task;
	int i = 0;

	if (tui_task(t, 0) == NULL)
		return false;
	list_for_each_entry(task, &t->s->m->tasks, tasks) {
		if (i++ == index) {
			t->panes[PANE_ADDR].sel = task->pid;
			t->panes[PANE_ADDR].addr = 0;
			t->panes[PANE_WALK].sel = 0;
			return true;
		}
	}
	return false;
}

static bool procs_key(struct panel *p, struct tui *t, int key)
{
	struct task_struct *task;
	int pid, i = 0, cur = 0, n = 0;
	uint64_t addr;

	if (key != KEY_UP && key != KEY_DOWN)
		return false;
	if (tui_task(t, 0) == NULL)
		return true;
	tui_selection(t, &pid, &addr);
	list_for_each_entry(task, &t->s->m->tasks, tasks) {
		if (task->pid == pid)
			cur = i;
		i++;
	}
	n = i;
	cur += key == KEY_DOWN ? 1 : -1;
	if (cur >= 0 && cur < n)
		procs_pick(t, cur);
	(void)p;
	return true;
}

static bool procs_mouse(struct panel *p, struct tui *t, int y, int x)
{
	(void)p;
	(void)x;
	return y >= 1 && procs_pick(t, y - 1);
}

const struct panel_class panel_procs_class = {
	.name = "procs",
	.title = "processes",
	.keys = "up/down pick the process the other panes show",
	.draw = procs_draw,
	.key = procs_key,
	.mouse = procs_mouse,
};
