/*
 * frames.c - the `frames` view (report-frames.h): one line per allocated
 * frame block, with its counts, flags and owners. User pages name every
 * (pid, address) that maps them, as rmap_walk finds them; page-cache
 * pages that nobody maps name their file and offset; page-table pages
 * their process and level (report_frame_owner gives the same words for
 * one frame, for the TUI). Reserved frames (kernel image, mem_map) are
 * only counted: there are thousands and they never change.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/filemap.h"
#include "vmscope/pgtable.h"
#include "vmscope/report-frames.h"
#include "vmscope/report-slab.h"
#include "vmscope/rmap.h"
#include "vmscope/slab.h"
#include "vmscope/task.h"

/* Which process and level each page-table frame belongs to. */
struct pt_owner {
	int		 pid;
	int		 level;
};

static void note_tables(struct machine *m, int pid, unsigned long pfn,
    int level, struct pt_owner *own)
{
	struct pt_page *pt = pt_page_of(m, pfn);
	unsigned i;

	if (pt == NULL)
		return;
	own[pfn].pid = pid;
	own[pfn].level = level;
	if (level == m->arch.nr_levels - 1)
		return;
	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (pte_hw_present(e) && !pte_huge(e))
			note_tables(m, pid, pte_pfn(e), level + 1, own);
	}
}

struct owners_arg {
	struct sbuf	*sb;
	int		 n;
};

static int owner_one(struct machine *m, struct page *page,
    const struct rmap_hit *hit, void *arg)
{
	struct owners_arg *oa = arg;

	(void)m;
	(void)page;
	if (oa->n == 4) {
		sbuf_add(oa->sb, ", ...");
		return 1;
	}
	sbuf_printf(oa->sb, "%spid %d 0x%" PRIx64, oa->n ? ", " : "",
	    hit->vma->vm_mm->owner_pid, hit->addr);
	oa->n++;
	return 0;
}

static void page_flags_str(const struct page *page, struct sbuf *sb)
{
	static const struct {
		enum pageflags	 f;
		const char	*name;
	} names[] = {
		{ PG_anon, "anon" }, { PG_swapbacked, "swapbacked" },
		{ PG_uptodate, "uptodate" }, { PG_dirty, "dirty" },
		{ PG_lru, "lru" }, { PG_active, "active" },
		{ PG_referenced, "referenced" }, { PG_swapcache, "swapcache" },
		{ PG_writeback, "writeback" }, { PG_pgtable, "pgtable" },
		{ PG_slab, "slab" }, { PG_head, "head" }, { PG_zero, "zero" },
		{ PG_kernel, "kernel" }, { PG_reserved, "reserved" },
	};
	size_t i, len = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!PageFlag(page, names[i].f))
			continue;
		sbuf_printf(sb, "%s%s", len ? "," : "", names[i].name);
		len++;
	}
	if (len == 0)
		sbuf_add(sb, "-");
}

/* The OWNER column of one frame; own: the page-table owners, by pfn. */
static void frame_owner(struct machine *m, unsigned long pfn,
    const struct pt_owner *own, struct sbuf *sb)
{
	struct page *page = pfn_to_page(m, pfn);

	if (PageFlag(page, PG_zero)) {
		sbuf_add(sb, "the shared zero page");
	} else if (PageFlag(page, PG_pgtable)) {
		if (own[pfn].pid)
			sbuf_printf(sb, "pid %d %s table", own[pfn].pid,
			    m->arch.level_names[own[pfn].level]);
		else
			sbuf_add(sb, "page table");
	} else if (PageFlag(page, PG_slab) ||
	    kmalloc_large_order(m, pfn) >= 0) {
		report_slab_owner(m, page, sb);	/* cache and objects */
	} else if (page_mapped(page)) {
		struct owners_arg oa = { sb, 0 };

		rmap_walk(m, page, owner_one, &oa);
	} else if (page_mapping_file(page) != NULL) {
		struct address_space *as = page_mapping_file(page);

		sbuf_printf(sb, "page cache: %s page %lu",
		    as->host->shmem ? "shmem" : as->host->name,
		    page->index);
	} else if (PageFlag(page, PG_swapcache)) {
		sbuf_add(sb, "swap cache");
	} else if (PageFlag(page, PG_kernel)) {
		sbuf_add(sb, "kernel (alloc_pages)");
	} else {
		sbuf_add(sb, "-");
	}
}

void report_frame_owner(struct machine *m, unsigned long pfn, struct sbuf *sb)
{
	struct pt_owner *own = xcalloc(m->max_pfn, sizeof(*own));
	struct task_struct *t;

	if (PageFlag(pfn_to_page(m, pfn), PG_pgtable)) {
		list_for_each_entry(t, &m->tasks, tasks) {
			if (t->mm != NULL && t->mm->pgt != NULL)
				note_tables(m, t->pid, t->mm->pgt->root_pfn, 0, own);
		}
	}
	frame_owner(m, pfn, own, sb);
	free(own);
}

void report_frames(struct machine *m, int zone, struct sbuf *sb)
{
	struct pt_owner *own = xcalloc(m->max_pfn, sizeof(*own));
	struct task_struct *t;
	unsigned long pfn, listed = 0, reserved = 0, pages = 0;
	struct sbuf flags = SBUF_INIT;

	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm != NULL && t->mm->pgt != NULL)
			note_tables(m, t->pid, t->mm->pgt->root_pfn, 0, own);
	}
	sbuf_printf(sb, "%-10s %-7s %5s %4s %4s %-24s %s\n", "PFN", "ZONE",
	    "ORDER", "REF", "MAP", "FLAGS", "OWNER");
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		unsigned order;

		if (zone >= 0 && (int)page_zonenum(page) != zone)
			continue;
		if (PageReserved(page) && !PageFlag(page, PG_zero)) {
			reserved++;
			continue;
		}
		if (PageBuddy(page) || PageFlag(page, PG_tail) ||
		    (page->_refcount == 0 && !PageFlag(page, PG_zero)))
			continue;
		order = PageFlag(page, PG_head) ? (unsigned)page->private : 0;
		sbuf_reset(&flags);
		page_flags_str(page, &flags);
		sbuf_printf(sb, "0x%-8lx %-7s %5u %4d %4d %-24s ", pfn,
		    zone_names[page_zonenum(page)], order,
		    PageFlag(page, PG_zero) ? 0 : page->_refcount,
		    PageFlag(page, PG_zero) ? 0 : page_mapcount(page),
		    sbuf_str(&flags));
		frame_owner(m, pfn, own, sb);
		sbuf_add(sb, "\n");
		listed++;
		pages += 1UL << order;
	}
	sbuf_printf(sb, "%lu block%s listed (%lu frames); %lu reserved frames "
	    "(kernel image, mem_map, firmware) not listed\n", listed,
	    listed == 1 ? "" : "s", pages, reserved);
	sbuf_free(&flags);
	free(own);
}
