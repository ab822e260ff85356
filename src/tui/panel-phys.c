/*
 * panel-phys.c - the physical memory pane: every frame of the machine,
 * grouped by node and zone, one cell per power-of-two run of frames
 * (zoomable down to one frame per cell), marked by what the frames hold
 * (a character and a colour), and the selected frame's struct page:
 * flags, _refcount, _mapcount and who owns it.
 *
 * A cell covering several frames shows what most of them hold; runs are
 * aligned powers of two so a cell is exactly one buddy block of that
 * order, which makes splits and merges line up on screen.
 */
#include <stdio.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/pgtable.h"
#include "vmscope/report-frames.h"
#include "vmscope/rmap.h"
#include "vmscope/session.h"
#include "tui-curses.h"
#include "tui.h"

const char frame_state_char[NR_FRAME_STATES] = {
	[FS_FREE]	= '.',
	[FS_ANON]	= 'a',
	[FS_FILE]	= 'f',
	[FS_PGTABLE]	= 'p',
	[FS_SLAB]	= 's',
	[FS_KERNEL]	= 'k',
	[FS_RESERVED]	= 'R',
	[FS_HUGE]	= 'H',
};

const char *const frame_state_name[NR_FRAME_STATES] = {
	[FS_FREE]	= "free",
	[FS_ANON]	= "anonymous",
	[FS_FILE]	= "file",
	[FS_PGTABLE]	= "page table",
	[FS_SLAB]	= "slab",
	[FS_KERNEL]	= "kernel",
	[FS_RESERVED]	= "reserved",
	[FS_HUGE]	= "huge page",
};

/* Short names: the legend must fit a half-width pane. */
static const char *const legend_name[NR_FRAME_STATES] = {
	[FS_FREE] = "free", [FS_ANON] = "anon", [FS_FILE] = "file",
	[FS_PGTABLE] = "ptab", [FS_SLAB] = "slab", [FS_KERNEL] = "kern",
	[FS_RESERVED] = "resv", [FS_HUGE] = "huge",
};

static const enum tui_color state_color[NR_FRAME_STATES] = {
	[FS_FREE]	= C_FREE,
	[FS_ANON]	= C_ANON,
	[FS_FILE]	= C_FILE,
	[FS_PGTABLE]	= C_PGTABLE,
	[FS_SLAB]	= C_SLAB,
	[FS_KERNEL]	= C_KERNEL,
	[FS_RESERVED]	= C_RESERVED,
	[FS_HUGE]	= C_HUGE,
};

static const char *const page_flag_names[NR_PAGEFLAGS] = {
	[PG_reserved] = "reserved", [PG_buddy] = "buddy", [PG_lru] = "lru",
	[PG_active] = "active", [PG_referenced] = "referenced",
	[PG_dirty] = "dirty", [PG_uptodate] = "uptodate", [PG_anon] = "anon",
	[PG_swapbacked] = "swapbacked", [PG_swapcache] = "swapcache",
	[PG_pgtable] = "pgtable", [PG_slab] = "slab", [PG_head] = "head",
	[PG_tail] = "tail", [PG_zero] = "zero", [PG_kernel] = "kernel",
	[PG_writeback] = "writeback",
};

enum frame_state frame_state(struct machine *m, unsigned long pfn)
{
	const struct page *page = &m->mem_map[pfn];

	if (PageReserved(page))
		return FS_RESERVED;
	if (PageFlag(page, PG_tail))
		page = &m->mem_map[page->private];	/* its head says */
	if (PageBuddy(page))
		return FS_FREE;
	if (PageFlag(page, PG_pgtable))
		return FS_PGTABLE;
	if (PageFlag(page, PG_slab))
		return FS_SLAB;
	if (page->_refcount == 0 && !PageFlag(page, PG_zero))
		return FS_FREE;	/* inside a free block */
	if (PageFlag(page, PG_head) && !PageFlag(page, PG_kernel) &&
	    page->private >= 9)
		return FS_HUGE;
	if (PageFlag(page, PG_anon) || PageFlag(page, PG_zero))
		return FS_ANON;
	if (page->mapping != NULL || PageFlag(page, PG_uptodate))
		return FS_FILE;
	return FS_KERNEL;
}

/*
 * The map's geometry for a pane size: frames per cell, and where each
 * zone's label and cells go. Rows count from the first map row.
 */
struct phys_section {
	struct zone	*z;
	long		 row;		/* the label row */
	long		 nrows;		/* cell rows */
};

struct phys_geo {
	unsigned long	 fpc;		/* frames per cell, a power of two */
	int		 cols;		/* cells per row */
	int		 map_y;		/* first map row inside the pane */
	int		 map_h;		/* map rows visible */
	long		 rows;		/* map rows in all */
	int		 nsec;
	struct phys_section sec[MAX_NUMNODES * MAX_NR_ZONES];
};

/* Rows under the map for the selected frame: counts, flags, owners. */
#define DETAIL_ROWS(in)	((in)->h >= 9 ? 3 : 2)

static long zone_rows(const struct zone *z, unsigned long fpc, int cols)
{
	unsigned long cells = (z->spanned_pages + fpc - 1) / fpc;

	return (long)((cells + (unsigned long)cols - 1) / (unsigned long)cols);
}

static void phys_geometry(struct panel *p, struct tui *t, const struct rect *in,
    struct phys_geo *g)
{
	struct machine *m = t->s->m;
	struct zone *z;
	long rows;

	memset(g, 0, sizeof(*g));
	g->cols = in->w > 0 ? in->w : 1;
	g->map_y = in->h >= 6 ? 1 : 0;		/* the legend */
	g->map_h = in->h - g->map_y - DETAIL_ROWS(in);	/* the details */
	if (g->map_h < 1)
		g->map_h = 1;
	/* the smallest power of two that fits it all, then the zoom */
	for (g->fpc = 1;; g->fpc <<= 1) {
		rows = 0;
		for_each_populated_zone(m, z)
			rows += 1 + zone_rows(z, g->fpc, g->cols);
		if (rows <= g->map_h || g->fpc >= m->max_pfn)
			break;
	}
	for (long i = 0; i < p->zoom && g->fpc > 1; i++)
		g->fpc >>= 1;
	rows = 0;
	for_each_populated_zone(m, z) {
		struct phys_section *s = &g->sec[g->nsec++];

		s->z = z;
		s->row = rows;
		s->nrows = zone_rows(z, g->fpc, g->cols);
		rows += 1 + s->nrows;
	}
	g->rows = rows;
	p->sel2 = (long)g->fpc;
	p->page = g->cols;
	p->rows = g->map_h;
}

/* The map row and column of a frame, -1 if in no populated zone. */
static long pfn_row(const struct phys_geo *g, unsigned long pfn, int *col)
{
	for (int i = 0; i < g->nsec; i++) {
		const struct phys_section *s = &g->sec[i];
		unsigned long cell;

		if (!zone_spans_pfn(s->z, pfn))
			continue;
		cell = (pfn - s->z->zone_start_pfn) / g->fpc;
		*col = (int)(cell % (unsigned long)g->cols);
		return s->row + 1 + (long)(cell / (unsigned long)g->cols);
	}
	return -1;
}

static unsigned long default_pfn(struct tui *t)
{
	struct zone *z;

	for_each_populated_zone(t->s->m, z)
		return z->zone_start_pfn;
	return 0;
}

static unsigned long sel_pfn(struct panel *p, struct tui *t)
{
	if (p->sel < 0 || (unsigned long)p->sel >= t->s->m->max_pfn)
		return default_pfn(t);
	return (unsigned long)p->sel;
}

static enum frame_state cell_state(struct machine *m, const struct zone *z,
    unsigned long first, unsigned long n)
{
	unsigned long count[NR_FRAME_STATES] = { 0 }, end = first + n;
	int best = FS_FREE;

	if (end > zone_end_pfn(z))
		end = zone_end_pfn(z);
	for (unsigned long pfn = first; pfn < end; pfn++)
		count[frame_state(m, pfn)]++;
	/* Anything not free beats free at equal counts: it is what matters. */
	for (int s = 0; s < NR_FRAME_STATES; s++) {
		if (count[s] > count[best] ||
		    (count[s] == count[best] && best == FS_FREE && count[s] > 0))
			best = s;
	}
	return (enum frame_state)best;
}

/* Where a free frame's block starts, -1 when it is in none. */
static long free_block_of(struct machine *m, unsigned long pfn, unsigned *order)
{
	for (unsigned o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *hp = &m->mem_map[head];

		if (PageBuddy(hp) && hp->private >= o &&
		    pfn < head + (1UL << hp->private)) {
			*order = (unsigned)hp->private;
			return (long)head;
		}
	}
	return -1;
}

/*
 * The owners of a mapped frame, as the reverse map finds them: each
 * (vma, address) gives the process through vma->vm_mm.
 */
#define OWNERS_SHOWN	3

struct owner_scan {
	char		*buf;
	size_t		 len, used;
	int		 n;
};

static int owner_one(struct machine *m, struct page *page,
    const struct rmap_hit *hit, void *arg)
{
	struct owner_scan *os = arg;
	int w;

	(void)m;
	(void)page;
	if (os->n++ >= OWNERS_SHOWN || os->used >= os->len)
		return 0;
	w = snprintf(os->buf + os->used, os->len - os->used, "%spid %d at 0x%llx",
	    os->n > 1 ? ", " : "", hit->vma->vm_mm->owner_pid,
	    (unsigned long long)hit->addr);
	if (w > 0)
		os->used += (size_t)w < os->len - os->used ? (size_t)w :
		    os->len - os->used - 1;
	return 0;
}

static void owner_text(struct machine *m, unsigned long pfn, char *buf,
    size_t len)
{
	const struct page *page = &m->mem_map[pfn];
	uint64_t kstart = m->arch.kernel_phys >> m->arch.page_shift;
	unsigned order;
	long head;

	if (PageReserved(page)) {
		if (pfn >= kstart && pfn < kstart + m->kernel_pages)
			snprintf(buf, len, "boot: the kernel image");
		else if (pfn == 0 && m->arch.id <= ARCH_I386)
			snprintf(buf, len, "boot: real-mode IVT and BIOS data");
		else
			snprintf(buf, len, "boot: memmap (struct page array) or firmware");
		return;
	}
	if (PageFlag(page, PG_tail)) {
		const struct page *hp = &m->mem_map[page->private];

		snprintf(buf, len, "tail of the order-%lu block at pfn 0x%lx",
		    hp->private, page->private);
		return;
	}
	if ((head = free_block_of(m, pfn, &order)) >= 0) {
		snprintf(buf, len, "free: in the order-%u block at pfn 0x%lx "
		    "on free_area[%u]", order, (unsigned long)head, order);
		return;
	}
	if (page->_refcount == 0) {
		snprintf(buf, len, "not allocated");
		return;
	}
	if (PageFlag(page, PG_pgtable)) {
		struct sbuf sb = SBUF_INIT;
		const struct pt_page *pt = pt_page_of(m, pfn);

		/* frames.c knows whose table it is, as `frames` prints it */
		report_frame_owner(m, pfn, &sb);
		snprintf(buf, len, "%s (level %d)", sbuf_str(&sb),
		    pt != NULL ? pt->level : -1);
		sbuf_free(&sb);
		return;
	}
	if (page_mapped(page)) {
		struct owner_scan os = { buf, len, 0, 0 };

		buf[0] = '\0';
		rmap_walk(m, (struct page *)page, owner_one, &os);
		if (os.n > OWNERS_SHOWN)
			snprintf(buf + os.used, len - os.used, " +%d more",
			    os.n - OWNERS_SHOWN);
		return;
	}
	{
		struct sbuf sb = SBUF_INIT;

		report_frame_owner(m, pfn, &sb);
		snprintf(buf, len, "%s", sbuf_str(&sb));
		sbuf_free(&sb);
	}
}

static void phys_reset(struct panel *p, struct tui *t)
{
	(void)t;
	p->sel = -1;
}

static const struct tl_snap *page_snap(struct tui *t, unsigned long pfn);

static void phys_draw(struct panel *p, struct tui *t, const struct rect *in)
{
	struct machine *m = t->s->m;
	struct phys_geo g;
	unsigned long pfn = sel_pfn(p, t);
	const struct page *page = &m->mem_map[pfn];
	const struct tl_snap *sn = page_snap(t, pfn);
	char buf[256], flags[200] = "";
	int col = 0;
	long srow;

	phys_geometry(p, t, in, &g);
	srow = pfn_row(&g, pfn, &col);
	/* keep the selected row in view */
	if (srow >= 0 && srow < p->top)
		p->top = srow - 1 < 0 ? 0 : srow - 1;
	if (srow >= 0 && srow >= p->top + g.map_h)
		p->top = srow - g.map_h + 1;
	if (p->top > g.rows - g.map_h)
		p->top = g.rows - g.map_h > 0 ? g.rows - g.map_h : 0;
	if (p->top < 0)
		p->top = 0;

	if (g.map_y > 0) {
		int x = 0;

		for (int s = 0; s < NR_FRAME_STATES && x < in->w; s++) {
			char item[32];

			snprintf(item, sizeof(item), "%c=%s ", frame_state_char[s],
			    legend_name[s]);
			x += tui_puts(t, in->y, in->x + x, in->w - x,
			    tui_attr(t, state_color[s]), item);
		}
	}
	for (int i = 0; i < g.nsec; i++) {
		const struct phys_section *s = &g.sec[i];
		const struct zone *z = s->z;

		for (long r = 0; r <= s->nrows; r++) {
			long row = s->row + r;
			int y = in->y + g.map_y + (int)(row - p->top);

			if (row < p->top || row >= p->top + g.map_h)
				continue;
			if (r == 0) {
				tui_printf(t, y, in->x, in->w, tui_attr(t, C_TITLE),
				    "%s%.0d%s %s pfn 0x%lx-0x%lx, %lu/cell",
				    m->nr_nodes > 1 ? "node " : "", z->node,
				    m->nr_nodes > 1 ? "" : "", z->name,
				    z->zone_start_pfn, zone_end_pfn(z) - 1, g.fpc);
				continue;
			}
			move(y, in->x);
			for (int c = 0; c < g.cols; c++) {
				unsigned long cell = (unsigned long)(r - 1) *
				    (unsigned long)g.cols + (unsigned long)c;
				unsigned long first = z->zone_start_pfn + cell * g.fpc;
				enum frame_state st;
				int attr;

				if (first >= zone_end_pfn(z))
					break;
				st = cell_state(m, z, first, g.fpc);
				if (sn != NULL && g.fpc == 1 && first == pfn)
					st = (enum frame_state)sn->page_state;
				attr = tui_attr(t, state_color[st]);
				if (pfn >= first && pfn < first + g.fpc)
					attr = tui_attr(t, C_CURRENT);
				addch((chtype)frame_state_char[st] | (chtype)attr);
			}
		}
	}
	for (int f = 0; f < NR_PAGEFLAGS; f++) {
		if (((sn != NULL ? sn->page_flags : page->flags) & (1UL << f)) &&
		    page_flag_names[f] != NULL) {
			if (flags[0] != '\0')
				strcat(flags, ",");
			strcat(flags, page_flag_names[f]);
		}
	}
	tui_printf(t, in->y + in->h - DETAIL_ROWS(in), in->x, in->w, A_BOLD,
	    "pfn 0x%lx %s ref %d map %d", pfn,
	    m->nodes[page_to_nid(page)].node_zones[page_zonenum(page)].name,
	    sn != NULL ? sn->refcount : page->_refcount,
	    sn != NULL ? sn->mapcount : page_mapcount(page));
	owner_text(m, pfn, buf, sizeof(buf));
	if (DETAIL_ROWS(in) == 3) {
		tui_printf(t, in->y + in->h - 2, in->x, in->w, A_NORMAL, "[%s]%s%s",
		    flags[0] ? flags : "-", sn != NULL ? " at this step: " : "",
		    sn != NULL ? frame_state_name[sn->page_state] : "");
		tui_printf(t, in->y + in->h - 1, in->x, in->w, A_NORMAL, "%s%s",
		    sn != NULL ? "then " : "", buf);
	} else if (sn != NULL) {
		tui_printf(t, in->y + in->h - 1, in->x, in->w, A_NORMAL,
		    "[%s] %s at this step; then %s", flags[0] ? flags : "-",
		    frame_state_name[sn->page_state], buf);
	} else {
		tui_printf(t, in->y + in->h - 1, in->x, in->w, A_NORMAL,
		    "[%s] %s", flags[0] ? flags : "-", buf);
	}
}

/*
 * The frame as the current event left it, when the event names the
 * selected frame and the command goes on after it; NULL otherwise.
 */
static const struct tl_snap *page_snap(struct tui *t, unsigned long pfn)
{
	const struct tl_event *cur = timeline_current_event(&t->tl);
	size_t entry, k;
	const struct tl_entry *e;

	if (cur == NULL || cur->snap == NULL || !cur->snap->have_page ||
	    cur->ev.pfn != pfn)
		return NULL;
	timeline_locate(&t->tl, t->tl.pos, &entry, &k);
	e = timeline_entry(&t->tl, entry);
	return e != NULL && k + 1 < e->nevents ? cur->snap : NULL;
}

static void phys_move(struct panel *p, struct tui *t, long delta)
{
	long pfn = (long)sel_pfn(p, t) + delta, max = (long)t->s->m->max_pfn - 1;

	p->sel = pfn < 0 ? 0 : pfn > max ? max : pfn;
}

static bool phys_key(struct panel *p, struct tui *t, int key)
{
	long fpc = p->sel2 > 0 ? p->sel2 : 1, cols = p->page > 0 ? p->page : 1;

	switch (key) {
	case KEY_LEFT:
		phys_move(p, t, -fpc);
		return true;
	case KEY_RIGHT:
		phys_move(p, t, fpc);
		return true;
	case KEY_UP:
		phys_move(p, t, -fpc * cols);
		return true;
	case KEY_DOWN:
		phys_move(p, t, fpc * cols);
		return true;
	case KEY_PPAGE:
		phys_move(p, t, -fpc * cols * (p->rows > 1 ? p->rows - 1 : 1));
		return true;
	case KEY_NPAGE:
		phys_move(p, t, fpc * cols * (p->rows > 1 ? p->rows - 1 : 1));
		return true;
	case KEY_HOME:
		p->sel = 0;
		return true;
	case KEY_END:
		p->sel = (long)t->s->m->max_pfn - 1;
		return true;
	case 'z':
		if (fpc > 1)
			p->zoom++;
		return true;
	case 'Z':
		if (p->zoom > 0)
			p->zoom--;
		return true;
	}
	return false;
}

static bool phys_mouse(struct panel *p, struct tui *t, int y, int x)
{
	struct phys_geo g;
	long row = y - (p->in.h >= 6 ? 1 : 0) + p->top;

	phys_geometry(p, t, &p->in, &g);
	if (y < g.map_y || y >= g.map_y + g.map_h)
		return false;
	for (int i = 0; i < g.nsec; i++) {
		const struct phys_section *s = &g.sec[i];
		unsigned long pfn;

		if (row <= s->row || row > s->row + s->nrows)
			continue;
		pfn = s->z->zone_start_pfn + ((unsigned long)(row - s->row - 1) *
		    (unsigned long)g.cols + (unsigned long)x) * g.fpc;
		if (pfn >= zone_end_pfn(s->z))
			return false;
		p->sel = (long)pfn;
		return true;
	}
	return false;
}

static bool phys_follow(struct panel *p, struct tui *t,
    const struct tl_event *ev)
{
	/* Any event naming a frame: allocations, frees, splits, tables. */
	if (ev->ev.pfn == 0 || ev->ev.pfn >= t->s->m->max_pfn)
		return false;
	p->sel = (long)ev->ev.pfn;
	return true;
}

static bool phys_find(struct panel *p, struct tui *t, uint64_t addr)
{
	uint64_t pfn = addr >> t->s->m->arch.page_shift;

	if (pfn >= t->s->m->max_pfn)
		return false;
	p->sel = (long)pfn;
	tui_message(t, false, "physical 0x%llx is in pfn 0x%llx",
	    (unsigned long long)addr, (unsigned long long)pfn);
	return true;
}

const struct panel_class panel_phys_class = {
	.name = "phys",
	.title = "physical memory",
	.keys = "arrows select a frame, z/Z zoom in/out",
	.reset = phys_reset,
	.draw = phys_draw,
	.key = phys_key,
	.mouse = phys_mouse,
	.follow = phys_follow,
	.find = phys_find,
};
