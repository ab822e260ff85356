/*
 * state.c - whole-machine save and restore (state.h, doc/state.md).
 *
 * The writer walks the machine in a fixed order (nodes and zones, frames
 * by pfn, files in machine->files order then the unlinked ones as tasks
 * reach them, anon_vma families in the order the tasks' VMAs reach them,
 * tasks by pid) so that the same state always gives the same bytes, and
 * restore-then-save reproduces a file exactly.
 *
 * The reader starts from machine_new() with the saved configuration, which
 * lays out nodes, zones, boot reservations, watermarks and the TLB exactly
 * as the saved machine had them (the file repeats those facts and they are
 * compared), then wipes every frame, free list and swap area and rebuilds
 * the state from the file: files, anon_vmas, frames, free lists in their
 * saved order, tasks with their mm, VMAs (red-black tree in its saved
 * shape), page tables, LRU lists, swap areas, the TLB and the counters.
 * Pointers only ever point at objects the reader made, of the type the
 * flags promise, and lists are linked at most once: the model's checkers
 * (validate_machine) then run safely on the result and decide whether it
 * is a machine the model could have reached. Until it is handed over, the
 * new machine is torn down by hand (restore_discard), never through the
 * model's exit paths, which trust the state they free.
 *
 * The slab allocator's bookkeeping (private to slab.c) is read and
 * rebuilt through the few calls slab.h offers for this (kmem_model_lookup,
 * slab_restore...).
 *
 * Lives in src/scenario (cJSON); jsonpos.c gives positions for messages.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/filemap.h"
#include "vmscope/jsonpos.h"
#include "vmscope/lru.h"
#include "vmscope/machine.h"
#include "vmscope/page_alloc.h"
#include "vmscope/pgtable.h"
#include "vmscope/rmap.h"
#include "vmscope/session.h"
#include "vmscope/slab.h"
#include "vmscope/state.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"

/* Names of the page flags in the file, in enum pageflags order. */
static const char *const flag_names[NR_PAGEFLAGS] = {
	[PG_reserved]	= "reserved",
	[PG_buddy]	= "buddy",
	[PG_lru]	= "lru",
	[PG_active]	= "active",
	[PG_referenced]	= "referenced",
	[PG_dirty]	= "dirty",
	[PG_uptodate]	= "uptodate",
	[PG_anon]	= "anon",
	[PG_swapbacked]	= "swapbacked",
	[PG_swapcache]	= "swapcache",
	[PG_pgtable]	= "pgtable",
	[PG_slab]	= "slab",
	[PG_head]	= "head",
	[PG_tail]	= "tail",
	[PG_zero]	= "zero",
	[PG_kernel]	= "kernel",
	[PG_writeback]	= "writeback",
};

static const char *const lru_keys[NR_LRU_LISTS] = {
	[LRU_INACTIVE_ANON]	= "inactive_anon",
	[LRU_ACTIVE_ANON]	= "active_anon",
	[LRU_INACTIVE_FILE]	= "inactive_file",
	[LRU_ACTIVE_FILE]	= "active_file",
};

#define PAGE_WHERE_MASK	((PAGE_NODE_MASK << PAGE_NODE_SHIFT) | \
			 (PAGE_ZONE_MASK << PAGE_ZONE_SHIFT))
#define PAGE_STATE_MASK	((1UL << NR_PAGEFLAGS) - 1)
/* Largest integer a JSON number (a double) holds exactly. */
#define JSON_MAX_INT	(UINT64_C(1) << 53)

/* ================================================================ writer */

/* What the writer numbers: files by position, live anon_vmas by pointer. */
struct wctx {
	struct machine	*m;
	struct sbuf	*sb;
	struct vm_file	**files;
	size_t		 nfiles;
	struct anon_vma	**avs;
	size_t		 navs;
};

static void put_u64(struct sbuf *sb, uint64_t v)
{
	if (v < JSON_MAX_INT)
		sbuf_printf(sb, "%" PRIu64, v);
	else
		sbuf_printf(sb, "\"0x%" PRIx64 "\"", v);
}

static void put_hex(struct sbuf *sb, uint64_t v)
{
	sbuf_printf(sb, "\"0x%" PRIx64 "\"", v);
}

static const char *bool_str(bool b)
{
	return b ? "true" : "false";
}

static long file_id(const struct wctx *w, const struct vm_file *f)
{
	for (size_t i = 0; i < w->nfiles; i++) {
		if (w->files[i] == f)
			return (long)i;
	}
	return -1;
}

static long file_id_of_mapping(const struct wctx *w, const void *mapping)
{
	for (size_t i = 0; i < w->nfiles; i++) {
		if (w->files[i]->mapping != NULL && w->files[i]->mapping == mapping)
			return (long)i;
	}
	return -1;
}

/* The id of a live anon_vma, -1 for NULL or a pointer no VMA reaches. */
static long av_id(const struct wctx *w, const void *av)
{
	if (av == NULL)
		return -1;
	for (size_t i = 0; i < w->navs; i++) {
		if (w->avs[i] == av)
			return (long)w->avs[i]->id;
	}
	return -1;
}

static void add_file(struct wctx *w, struct vm_file *f)
{
	if (f == NULL || file_id(w, f) >= 0)
		return;
	w->files = xrealloc(w->files, (w->nfiles + 1) * sizeof(*w->files));
	w->files[w->nfiles++] = f;
}

static void add_family(struct wctx *w, struct anon_vma *av)
{
	struct anon_vma *root, *member;

	if (av == NULL)
		return;
	root = av->root;
	for (size_t i = 0; i < w->navs; i++) {
		if (w->avs[i] == root)
			return;
	}
	list_for_each_entry(member, &root->family, family_node) {
		w->avs = xrealloc(w->avs, (w->navs + 1) * sizeof(*w->avs));
		w->avs[w->navs++] = member;
	}
}

/* Number the files and anon_vmas in the order the writer meets them. */
static void collect(struct wctx *w)
{
	struct machine *m = w->m;
	struct vm_file *f;
	struct task_struct *t;
	struct vm_area_struct *vma;

	list_for_each_entry(f, &m->files, list)
		add_file(w, f);
	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm == NULL)
			continue;
		add_file(w, t->mm->exe_file);
		for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
			add_file(w, vma->vm_file);
			add_family(w, vma->anon_vma);
		}
	}
}

/* `, "kmem": "0x..."`: the slab object of a model object, if it has one. */
static void put_kmem(struct wctx *w, uint64_t kmem)
{
	uint64_t addr;

	if (!kmem_model_saved(kmem, &addr))
		return;
	sbuf_add(w->sb, ", \"kmem\": ");
	put_hex(w->sb, addr);
}

static void write_machine_cfg(struct wctx *w)
{
	const struct machine_config *c = &w->m->cfg;
	struct sbuf *sb = w->sb;

	sbuf_printf(sb, "  \"machine\": {\"arch\": \"%s\", \"ram\": ",
	    arch_get(c->arch)->name);
	put_u64(sb, c->ram);
	sbuf_add(sb, ", \"swap\": ");
	put_u64(sb, c->swap);
	sbuf_printf(sb, ", \"nodes\": %d, \"tlb_entries\": %d, \"tlb_ways\": %d, "
	    "\"asid\": %s, \"movable\": %s, \"policy\": \"%s\", \"seed\": ",
	    c->nodes, c->tlb_entries, c->tlb_ways, bool_str(c->asid),
	    bool_str(c->movable), policy_names[c->policy]);
	put_u64(sb, c->seed);
	sbuf_printf(sb, ", \"va_bits\": %u, \"page_size\": ", c->va_bits);
	put_u64(sb, c->page_size);
	sbuf_add(sb, ", \"levels\": [");
	for (int i = 0; i < c->nr_levels && i < MAX_PT_LEVELS; i++)
		sbuf_printf(sb, "%s%u", i ? ", " : "", c->level_bits[i]);
	sbuf_add(sb, "]},\n");
}

static void write_counters(struct wctx *w)
{
	struct machine *m = w->m;
	struct sbuf *sb = w->sb;
	int i;

	sbuf_printf(sb, "  \"counters\": {\"event_seq\": ");
	put_u64(sb, m->ev.seq);
	sbuf_printf(sb, ", \"totalram_pages\": %lu, \"totalreserve_pages\": %lu, "
	    "\"min_free_kbytes\": %lu, \"memmap_pages\": %lu, "
	    "\"kernel_pages\": %lu,\n", m->totalram_pages,
	    m->totalreserve_pages, m->min_free_kbytes, m->memmap_pages,
	    m->kernel_pages);
	sbuf_printf(sb, "    \"last_pid\": %d, \"last_ino\": %lu, "
	    "\"last_anon_vma\": %lu, \"nr_pgtable_pages\": %lu, "
	    "\"nr_file_pages\": %lu, \"nr_shmem_pages\": %lu, "
	    "\"nr_hugetlb_pages\": %lu,\n", m->last_pid, m->last_ino,
	    m->last_anon_vma, m->nr_pgtable_pages, m->nr_file_pages,
	    m->nr_shmem_pages, m->nr_hugetlb_pages);
	sbuf_printf(sb, "    \"zero_pfn\": %lu, \"has_zero_page\": %s, "
	    "\"least_priority\": %d, \"nr_dirty\": %lu, \"nr_writeback\": %lu, "
	    "\"oom_log_seq\": %u, \"oom_log\": ", m->zero_pfn,
	    bool_str(m->has_zero_page), m->least_priority, m->nr_dirty,
	    m->nr_writeback, m->oom_log_seq);
	sbuf_json_str(sb, m->oom_log);
	sbuf_add(sb, "},\n  \"vm_events\": {");
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		sbuf_printf(sb, "%s\"%s\": ", i ? ", " : "", vmstat_names[i]);
		put_u64(sb, m->vm_events[i]);
	}
	sbuf_add(sb, "},\n");
}

static void write_pfn_list(struct wctx *w, struct list_head *head)
{
	struct page *page;
	int n = 0;

	sbuf_addc(w->sb, '[');
	list_for_each_entry(page, head, lru)
		sbuf_printf(w->sb, "%s%lu", n++ ? ", " : "",
		    page_to_pfn(w->m, page));
	sbuf_addc(w->sb, ']');
}

static void write_nodes(struct wctx *w)
{
	struct machine *m = w->m;
	struct sbuf *sb = w->sb;
	int nid, zi, o, l;

	sbuf_add(sb, "  \"nodes\": [\n");
	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct pglist_data *pg = &m->nodes[nid];
		struct lruvec *lv = &pg->lruvec;
		bool first = true;

		sbuf_printf(sb, "    {\"kswapd_wait\": %s, \"kswapd_order\": %d, "
		    "\"kswapd_highest_zoneidx\": %d, \"kswapd_failures\": %d,\n",
		    bool_str(pg->kswapd_wait), pg->kswapd_order,
		    (int)pg->kswapd_highest_zoneidx, pg->kswapd_failures);
		sbuf_printf(sb, "     \"lru_policy\": \"%s\", "
		    "\"nonresident_age\": %lu, \"nr_lru\": [%lu, %lu, %lu, %lu],\n",
		    policy_names[lv->policy], lv->nonresident_age,
		    lv->nr_pages[0], lv->nr_pages[1], lv->nr_pages[2],
		    lv->nr_pages[3]);
		sbuf_add(sb, "     \"lru\": {");
		for (l = 0; l < NR_LRU_LISTS; l++) {
			sbuf_printf(sb, "%s\"%s\": ", l ? ",\n       " : "",
			    lru_keys[l]);
			write_pfn_list(w, &lv->lists[l]);
		}
		sbuf_add(sb, "},\n     \"zones\": [");
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			struct zone *z = &pg->node_zones[zi];

			if (!zone_populated(z))
				continue;
			sbuf_printf(sb, "%s\n      {\"zone\": \"%s\", \"start\": %lu, "
			    "\"spanned\": %lu, \"present\": %lu, \"managed\": %lu, "
			    "\"reserved\": %lu, \"watermark\": [%lu, %lu, %lu], "
			    "\"lowmem_reserve\": [%lu, %lu, %lu, %lu, %lu],\n",
			    first ? "" : ",", z->name, z->zone_start_pfn,
			    z->spanned_pages, z->present_pages, z->managed_pages,
			    z->nr_reserved, z->_watermark[0], z->_watermark[1],
			    z->_watermark[2], z->lowmem_reserve[0],
			    z->lowmem_reserve[1], z->lowmem_reserve[2],
			    z->lowmem_reserve[3], z->lowmem_reserve[4]);
			first = false;
			sbuf_printf(sb, "       \"nr_free\": %lu, \"pgalloc\": %lu, "
			    "\"allocstall\": %lu, \"free_area\": [", z->nr_free,
			    z->pgalloc, z->allocstall);
			for (o = 0; o < MAX_ORDER; o++) {
				sbuf_add(sb, o ? ",\n         " : "\n         ");
				write_pfn_list(w, &z->free_area[o].free_list);
			}
			sbuf_add(sb, "]}");
		}
		sbuf_printf(sb, "]}%s\n", nid + 1 < m->nr_nodes ? "," : "");
	}
	sbuf_add(sb, "  ],\n");
}

/* A frame as the file describes it, to compare neighbours for runs. */
struct frec {
	unsigned long	 flags;		/* state bits only */
	int		 ref, map;
	long		 av, file;	/* ids, -1: none */
	unsigned long	 index, private;
};

static void frame_rec(struct wctx *w, struct page *page, struct frec *r)
{
	r->flags = page->flags & PAGE_STATE_MASK;
	r->ref = page->_refcount;
	r->map = page->_mapcount;
	r->av = r->file = -1;
	if (PageFlag(page, PG_pgtable))
		;	/* the table itself: "tables" of its page table */
	else if (PageFlag(page, PG_anon))
		r->av = av_id(w, page->mapping);
	else if (page->mapping != NULL)
		r->file = file_id_of_mapping(w, page->mapping);
	r->index = page->index;
	r->private = page->private;
}

static bool frec_default(const struct frec *r)
{
	return r->flags == 0 && r->ref == 0 && r->map == -1 && r->av < 0 &&
	    r->file < 0 && r->index == 0 && r->private == 0;
}

static bool frec_only(const struct frec *r, unsigned long flags)
{
	struct frec d = *r;

	d.flags &= ~flags;
	return frec_default(&d) && r->flags == flags;
}

static void write_frame(struct sbuf *sb, unsigned long pfn, unsigned long n,
    const struct frec *r, bool first)
{
	bool bar = false;
	int f;

	sbuf_printf(sb, "%s    {\"pfn\": %lu", first ? "" : ",\n", pfn);
	if (n > 1)
		sbuf_printf(sb, ", \"n\": %lu", n);
	sbuf_add(sb, ", \"flags\": \"");
	for (f = 0; f < NR_PAGEFLAGS; f++) {
		if (r->flags & (1UL << f)) {
			sbuf_printf(sb, "%s%s", bar ? "|" : "", flag_names[f]);
			bar = true;
		}
	}
	sbuf_addc(sb, '"');
	if (r->ref != 0)
		sbuf_printf(sb, ", \"refcount\": %d", r->ref);
	if (r->map != -1)
		sbuf_printf(sb, ", \"mapcount\": %d", r->map);
	if (r->av >= 0)
		sbuf_printf(sb, ", \"anon_vma\": %ld", r->av);
	if (r->file >= 0)
		sbuf_printf(sb, ", \"file\": %ld", r->file);
	if (r->index != 0)
		sbuf_printf(sb, ", \"index\": %lu", r->index);
	if (r->private != 0) {
		sbuf_add(sb, ", \"private\": ");
		put_u64(sb, r->private);
	}
	sbuf_addc(sb, '}');
}

/*
 * Frames: boot reservations as runs, free blocks through the free lists,
 * every other frame that is not in its default state as a record (runs of
 * identical records, such as the tails of a huge page, merged).
 */
static void write_frames(struct wctx *w)
{
	struct machine *m = w->m;
	struct sbuf *sb = w->sb;
	unsigned long pfn, start = 0, run = 0;
	struct frec r, cur;
	bool first = true;

	memset(&cur, 0, sizeof(cur));
	sbuf_add(sb, "  \"reserved\": [");
	for (pfn = 0; pfn <= m->max_pfn; pfn++) {
		bool res = false;

		if (pfn < m->max_pfn) {
			frame_rec(w, pfn_to_page(m, pfn), &r);
			res = frec_only(&r, 1UL << PG_reserved);
		}
		if (res && run > 0 && start + run == pfn) {
			run++;
			continue;
		}
		if (run > 0) {
			sbuf_printf(sb, "%s[%lu, %lu]", first ? "" : ", ", start,
			    run);
			first = false;
		}
		run = res ? 1 : 0;
		start = pfn;
	}
	sbuf_add(sb, "],\n  \"frames\": [\n");
	first = true;
	run = 0;
	for (pfn = 0; pfn <= m->max_pfn; pfn++) {
		bool skip = true;

		if (pfn < m->max_pfn) {
			frame_rec(w, pfn_to_page(m, pfn), &r);
			skip = frec_default(&r) ||
			    frec_only(&r, 1UL << PG_reserved) ||
			    (r.flags == (1UL << PG_buddy) && r.ref == 0 &&
			    r.map == -1 && r.av < 0 && r.file < 0 &&
			    r.index == 0);
		}
		if (!skip && run > 0 && start + run == pfn &&
		    memcmp(&r, &cur, sizeof(r)) == 0) {
			run++;
			continue;
		}
		if (run > 0) {
			write_frame(sb, start, run, &cur, first);
			first = false;
		}
		run = skip ? 0 : 1;
		start = pfn;
		if (!skip)
			cur = r;
	}
	sbuf_add(sb, "\n  ],\n");
}

static void write_files(struct wctx *w)
{
	struct sbuf *sb = w->sb;

	sbuf_add(sb, "  \"files\": [");
	for (size_t i = 0; i < w->nfiles; i++) {
		struct vm_file *f = w->files[i];
		struct address_space *as = f->mapping;

		sbuf_printf(sb, "%s\n    {\"id\": %zu, \"name\": ", i ? "," : "", i);
		sbuf_json_str(sb, f->name);
		sbuf_add(sb, ", \"size\": ");
		put_u64(sb, f->size);
		sbuf_printf(sb, ", \"dev\": [%u, %u], \"ino\": %lu, "
		    "\"refcount\": %d, \"shmem\": %s, \"listed\": %s, \"cache\": ",
		    f->dev_major, f->dev_minor, f->ino, f->refcount,
		    bool_str(f->shmem), bool_str(!f->unlinked));
		if (as == NULL) {
			sbuf_add(sb, "null}");
			continue;
		}
		sbuf_printf(sb, "{\"slots\": %lu, \"reads\": %lu, \"pages\": [",
		    as->nr_slots, as->reads);
		for (unsigned long j = 0, n = 0; j < as->nr_slots; j++) {
			if (as->pages[j] == NULL)
				continue;
			sbuf_printf(sb, "%s[%lu, %lu]", n++ ? ", " : "", j,
			    page_to_pfn(w->m, as->pages[j]));
		}
		sbuf_add(sb, "]");
		/* reclaim's shadow entries (filemap.c), when there are any */
		for (unsigned long j = 0, n = 0; j < as->nr_shadow_slots; j++) {
			if (as->shadows[j] == 0)
				continue;
			sbuf_printf(sb, "%s[%lu, ", n++ ? ", " :
			    ", \"shadows\": [", j);
			put_u64(sb, as->shadows[j]);
			sbuf_add(sb, "]");
		}
		sbuf_add(sb, as->nrshadows > 0 ? "]}}" : "}}");
	}
	sbuf_add(sb, "\n  ],\n");
}

static void write_anon_vmas(struct wctx *w)
{
	struct sbuf *sb = w->sb;

	sbuf_add(sb, "  \"anon_vmas\": [");
	for (size_t i = 0; i < w->navs; i++) {
		struct anon_vma *av = w->avs[i];
		struct vm_area_struct *vma;
		int n = 0;

		sbuf_printf(sb, "%s\n    {\"id\": %lu, \"parent\": ", i ? "," : "",
		    av->id);
		if (av->parent != NULL)
			sbuf_printf(sb, "%lu", av->parent->id);
		else
			sbuf_add(sb, "null");
		sbuf_printf(sb, ", \"refcount\": %d, \"forked\": %s, \"vmas\": [",
		    av->refcount, bool_str(av->forked));
		list_for_each_entry(vma, &av->vmas, anon_vma_node) {
			sbuf_printf(sb, "%s[%d, ", n++ ? ", " : "",
			    vma->vm_mm->owner_pid);
			put_hex(sb, vma->vm_start);
			sbuf_addc(sb, ']');
		}
		sbuf_add(sb, "]}");
	}
	sbuf_add(sb, "\n  ],\n");
}

static void write_chunks(struct sbuf *sb, struct list_head *head)
{
	struct mchunk *c;
	int n = 0;

	sbuf_addc(sb, '[');
	list_for_each_entry(c, head, list) {
		sbuf_add(sb, n++ ? ", [" : "[");
		put_hex(sb, c->addr);
		sbuf_add(sb, ", ");
		put_u64(sb, c->size);
		sbuf_add(sb, ", ");
		put_u64(sb, c->req);
		sbuf_printf(sb, ", %s, %s]", bool_str(c->inuse),
		    bool_str(c->mmapped));
	}
	sbuf_addc(sb, ']');
}

static void write_malloc(struct sbuf *sb, struct malloc_state *ms)
{
	sbuf_printf(sb, "      \"malloc\": {\"initialized\": %s, "
	    "\"mmap_threshold\": ", bool_str(ms->initialized));
	put_u64(sb, ms->mmap_threshold);
	sbuf_add(sb, ", \"trim_threshold\": ");
	put_u64(sb, ms->trim_threshold);
	sbuf_add(sb, ", \"top_pad\": ");
	put_u64(sb, ms->top_pad);
	sbuf_printf(sb, ", \"no_dyn_threshold\": %s, \"heap_base\": ",
	    bool_str(ms->no_dyn_threshold));
	put_hex(sb, ms->heap_base);
	sbuf_add(sb, ", \"top\": ");
	put_hex(sb, ms->top);
	sbuf_add(sb, ", \"top_size\": ");
	put_u64(sb, ms->top_size);
	sbuf_printf(sb, ",\n        \"size_sz\": %u, \"align\": %u, "
	    "\"threshold_max\": ", ms->size_sz, ms->align);
	put_u64(sb, ms->threshold_max);
	sbuf_printf(sb, ", \"n_mmaps\": %d, \"mmapped_mem\": ", ms->n_mmaps);
	put_u64(sb, ms->mmapped_mem);
	sbuf_add(sb, ",\n        \"chunks\": ");
	write_chunks(sb, &ms->chunks);
	sbuf_add(sb, ",\n        \"mmapped\": ");
	write_chunks(sb, &ms->mmapped);
	sbuf_add(sb, "},\n");
}

static void write_mm(struct wctx *w, struct mm_struct *mm)
{
	struct sbuf *sb = w->sb;
	static const char *const addr_keys[] = {
		"highest_vm_end", "mmap_base", "task_size", "mmap_min_addr",
		"stack_guard_gap", "start_code", "end_code", "start_data",
		"end_data", "start_brk", "brk", "start_stack", "arg_start",
		"arg_end", "env_start", "env_end",
	};
	uint64_t addrs[] = {
		mm->highest_vm_end, mm->mmap_base, mm->task_size,
		mm->mmap_min_addr, mm->stack_guard_gap, mm->start_code,
		mm->end_code, mm->start_data, mm->end_data, mm->start_brk,
		mm->brk, mm->start_stack, mm->arg_start, mm->arg_end,
		mm->env_start, mm->env_end,
	};
	size_t i;

	sbuf_printf(sb, "      \"mm\": {\"map_count\": %d, \"max_map_count\": %d, "
	    "\"page_shift\": %u, \"page_size\": ", mm->map_count,
	    mm->max_map_count, mm->page_shift);
	put_u64(sb, mm->page_size);
	put_kmem(w, mm->kmem);
	sbuf_printf(sb, ", \"exe_file\": ");
	if (mm->exe_file != NULL)
		sbuf_printf(sb, "%ld", file_id(w, mm->exe_file));
	else
		sbuf_add(sb, "null");
	sbuf_printf(sb, ",\n        \"total_vm\": %lu, \"data_vm\": %lu, "
	    "\"exec_vm\": %lu, \"stack_vm\": %lu, \"locked_vm\": %lu, "
	    "\"hiwater_vm\": %lu, \"hiwater_rss\": %lu, "
	    "\"rss_stat\": [%ld, %ld, %ld, %ld]", mm->total_vm, mm->data_vm,
	    mm->exec_vm, mm->stack_vm, mm->locked_vm, mm->hiwater_vm,
	    mm->hiwater_rss, mm->rss_stat[0], mm->rss_stat[1],
	    mm->rss_stat[2], mm->rss_stat[3]);
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		sbuf_printf(sb, "%s\"%s\": ", i % 4 == 0 ? ",\n        " : ", ",
		    addr_keys[i]);
		put_hex(sb, addrs[i]);
	}
	sbuf_add(sb, "},\n");
}

static int vma_index(struct mm_struct *mm, const struct rb_node *node)
{
	struct vm_area_struct *v;
	int i = 0;

	for (v = mm->mmap; v != NULL; v = v->vm_next, i++) {
		if (&v->vm_rb == node)
			return i;
	}
	return -1;
}

static void write_vmas(struct wctx *w, struct mm_struct *mm)
{
	struct sbuf *sb = w->sb;
	struct vm_area_struct *vma;
	int n = 0;

	sbuf_add(sb, "      \"vmas\": [");
	for (vma = mm->mmap; vma != NULL; vma = vma->vm_next) {
		struct rb_node *parent = rb_parent(&vma->vm_rb);

		sbuf_add(sb, n++ ? ",\n        {\"start\": " :
		    "\n        {\"start\": ");
		put_hex(sb, vma->vm_start);
		sbuf_add(sb, ", \"end\": ");
		put_hex(sb, vma->vm_end);
		sbuf_add(sb, ", \"flags\": ");
		put_hex(sb, vma->vm_flags);
		sbuf_add(sb, ", \"pgoff\": ");
		put_hex(sb, vma->vm_pgoff);
		if (vma->vm_file != NULL)
			sbuf_printf(sb, ", \"file\": %ld", file_id(w, vma->vm_file));
		if (vma->anon_vma != NULL)
			sbuf_printf(sb, ", \"anon_vma\": %lu", vma->anon_vma->id);
		if (vma->vm_name != NULL) {
			sbuf_add(sb, ", \"name\": ");
			sbuf_json_str(sb, vma->vm_name);
		}
		put_kmem(w, vma->kmem);
		sbuf_printf(sb, ", \"rb\": [%d, \"%s\"]}",
		    parent != NULL ? vma_index(mm, parent) : -1,
		    rb_is_black(&vma->vm_rb) ? "black" : "red");
	}
	sbuf_add(sb, "],\n");
}

struct table_walk {
	struct wctx	*w;
	bool		 first;
};

/* The tables of a page table, depth first from the root. */
static void write_table(struct table_walk *tw, struct pgtable *pgt,
    unsigned long pfn, int depth)
{
	struct machine *m = tw->w->m;
	struct sbuf *sb = tw->w->sb;
	struct pt_page *pt = pt_page_of(m, pfn);
	unsigned i, n = 0;
	bool last;

	if (pt == NULL || depth >= MAX_PT_LEVELS)
		return;
	last = pt->level == m->arch.nr_levels - 1;
	sbuf_printf(sb, "%s\n          {\"pfn\": %lu, \"level\": %d, "
	    "\"entries\": [", tw->first ? "" : ",", pfn, pt->level);
	tw->first = false;
	for (i = 0; i < pt->nr_entries; i++) {
		if (pt->ent[i] == 0)
			continue;
		sbuf_printf(sb, "%s[%u, ", n++ ? ", " : "", i);
		put_hex(sb, pt->ent[i]);
		sbuf_addc(sb, ']');
	}
	sbuf_add(sb, "]}");
	if (last)
		return;
	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (pte_hw_present(e) && !pte_huge(e))
			write_table(tw, pgt, pte_pfn(e), depth + 1);
	}
}

static void write_pgtable(struct wctx *w, struct pgtable *pgt)
{
	struct sbuf *sb = w->sb;
	struct table_walk tw = { w, true };

	if (pgt == NULL) {
		sbuf_add(sb, "      \"pgtable\": null}");
		return;
	}
	sbuf_printf(sb, "      \"pgtable\": {\"pid\": %d, \"root\": %lu, "
	    "\"asid\": %u, \"nr_tables\": [%lu, %lu, %lu, %lu, %lu], "
	    "\"nr_pages\": %lu,\n        \"tables\": [", pgt->pid,
	    pgt->root_pfn, pgt->asid, pgt->nr_tables[0], pgt->nr_tables[1],
	    pgt->nr_tables[2], pgt->nr_tables[3], pgt->nr_tables[4],
	    pgt->nr_pages);
	write_table(&tw, pgt, pgt->root_pfn, 0);
	sbuf_add(sb, "]}}");
}

static void write_tasks(struct wctx *w)
{
	struct sbuf *sb = w->sb;
	struct task_struct *t;
	int n = 0;

	sbuf_add(sb, "  \"tasks\": [");
	list_for_each_entry(t, &w->m->tasks, tasks) {
		sbuf_printf(sb, "%s\n    {\"pid\": %d, \"parent\": %d, \"comm\": ",
		    n++ ? "," : "", t->pid, task_ppid(t));
		sbuf_json_str(sb, t->comm);
		put_kmem(w, t->kmem);
		sbuf_printf(sb, ", \"state\": \"%s\", \"min_flt\": %lu, "
		    "\"maj_flt\": %lu, \"oom_score_adj\": %d, \"oom_victim\": %s, "
		    "\"oom_reaped\": %s,\n",
		    t->state == TASK_RUNNING ? "running" : "sleeping",
		    t->min_flt, t->maj_flt, t->oom_score_adj,
		    bool_str(t->oom_victim), bool_str(t->oom_reaped));
		write_malloc(sb, &t->malloc);
		write_mm(w, t->mm);
		write_vmas(w, t->mm);
		write_pgtable(w, t->mm->pgt);
	}
	sbuf_add(sb, "\n  ],\n");
}

static int pgt_pid(struct machine *m, const struct pgtable *pgt)
{
	struct task_struct *t;

	list_for_each_entry(t, &m->tasks, tasks) {
		if (t->mm != NULL && t->mm->pgt == pgt)
			return t->pid;
	}
	return -1;
}

static void write_tlb(struct wctx *w)
{
	struct machine *m = w->m;
	struct sbuf *sb = w->sb;
	struct tlb *tlb = m->tlb;
	unsigned i, a, n = 0;

	sbuf_add(sb, "  \"tlb\": {\"clock\": ");
	put_u64(sb, tlb->clock);
	sbuf_add(sb, ", \"cur\": ");
	if (tlb->cur != NULL)
		sbuf_printf(sb, "%d", pgt_pid(m, tlb->cur));
	else
		sbuf_add(sb, "null");
	sbuf_printf(sb, ", \"cur_asid\": %u, \"hits\": %lu, \"misses\": %lu, "
	    "\"fills\": %lu, \"evictions\": %lu, \"invalidated\": %lu, "
	    "\"full_flushes\": %lu, \"asids\": [", tlb->cur_asid, tlb->hits,
	    tlb->misses, tlb->fills, tlb->evictions, tlb->invalidated,
	    tlb->full_flushes);
	for (a = 1; a < TLB_NR_ASIDS; a++) {
		if (tlb->asid_used[a / 8] & (1U << (a % 8)))
			sbuf_printf(sb, "%s%u", n++ ? ", " : "", a);
	}
	sbuf_add(sb, "],\n    \"entries\": [");
	n = 0;
	for (i = 0; i < tlb->nr_entries; i++) {
		struct tlb_entry *e = &tlb->e[i];

		if (!e->valid)
			continue;
		sbuf_printf(sb, "%s\n      {\"slot\": %u, \"owner\": %d, "
		    "\"asid\": %u, \"huge\": %s, \"vpn\": ", n++ ? "," : "", i,
		    e->owner != NULL ? pgt_pid(m, e->owner) : -1, e->asid,
		    bool_str(e->huge));
		put_hex(sb, e->vpn);
		sbuf_printf(sb, ", \"shift\": %u, \"pfn\": %lu, \"flags\": ",
		    e->shift, e->pfn);
		put_hex(sb, e->flags);
		sbuf_add(sb, ", \"stamp\": ");
		put_u64(sb, e->stamp);
		sbuf_addc(sb, '}');
	}
	sbuf_add(sb, "]},\n");
}

static void write_swap(struct wctx *w)
{
	struct machine *m = w->m;
	struct sbuf *sb = w->sb;
	unsigned i;
	int n = 0;

	sbuf_add(sb, "  \"swap\": [");
	for (i = 0; i < MAX_SWAP_AREAS; i++) {
		struct swap_info_struct *si = m->swap_info[i];
		unsigned long off;
		int k = 0;

		if (si == NULL)
			continue;
		sbuf_printf(sb, "%s\n    {\"type\": %u, \"prio\": %d, \"name\": ",
		    n++ ? "," : "", si->type, si->prio);
		sbuf_json_str(sb, si->name);
		sbuf_printf(sb, ", \"max\": %lu, \"pages\": %lu, "
		    "\"inuse_pages\": %lu, \"cluster_next\": %lu, "
		    "\"writeback_only\": %s, \"slots\": [", si->max, si->pages,
		    si->inuse_pages, si->cluster_next,
		    bool_str(si->writeback_only));
		for (off = 0; off < si->max; off++) {
			long owner = av_id(w, si->owner[off]);

			if (si->swap_map[off] == 0 && si->cache[off] == NULL &&
			    owner < 0 && si->owner_index[off] == 0 &&
			    si->evicted_at[off] == 0)
				continue;
			sbuf_printf(sb, "%s\n      {\"slot\": %lu", k++ ? "," : "",
			    off);
			if (si->swap_map[off] != 0)
				sbuf_printf(sb, ", \"count\": %u", si->swap_map[off]);
			if (si->cache[off] != NULL)
				sbuf_printf(sb, ", \"cache\": %lu",
				    page_to_pfn(m, si->cache[off]));
			if (owner >= 0)
				sbuf_printf(sb, ", \"owner\": %ld", owner);
			if (si->owner_index[off] != 0)
				sbuf_printf(sb, ", \"owner_index\": %lu",
				    si->owner_index[off]);
			if (si->evicted_at[off] != 0)
				sbuf_printf(sb, ", \"evicted_at\": %lu",
				    si->evicted_at[off]);
			sbuf_addc(sb, '}');
		}
		sbuf_add(sb, "]}");
	}
	sbuf_add(sb, "\n  ]\n");
}

static void write_slab(struct wctx *w)
{
	struct machine *m = w->m;
	struct sbuf *sb = w->sb;
	struct kmem_cache *c;
	struct slab *slab;
	unsigned long pfn;
	int n = 0, k;

	sbuf_add(sb, "  \"slab\": {\"caches\": [");
	list_for_each_entry(c, slab_caches(m), list) {
		sbuf_printf(sb, "%s\n    {\"name\": \"%s\", \"nr_slabs\": %lu, "
		    "\"active_objs\": %lu, \"unbacked\": %lu, \"slabs\": [",
		    n++ ? "," : "", c->name, c->nr_slabs, c->active_objs,
		    c->unbacked);
		k = 0;
		list_for_each_entry(slab, &c->slabs, list) {
			int f, j = 0;

			sbuf_printf(sb, "%s\n      {\"pfn\": %lu, \"inuse\": %u, "
			    "\"free\": [", k++ ? "," : "", slab->pfn, slab->inuse);
			for (f = slab->freelist; f >= 0 && j < (int)c->objects;
			    f = slab->next_free[f])
				sbuf_printf(sb, "%s%d", j++ ? ", " : "", f);
			sbuf_add(sb, "]}");
		}
		sbuf_add(sb, "]}");
	}
	sbuf_add(sb, "],\n    \"large\": [");
	n = 0;
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		int order = kmalloc_large_order(m, pfn);

		if (order >= 0)
			sbuf_printf(sb, "%s[%lu, %d]", n++ ? ", " : "", pfn, order);
	}
	sbuf_add(sb, "]},\n");
}

void state_write(struct machine *m, struct sbuf *out)
{
	struct wctx w;

	memset(&w, 0, sizeof(w));
	w.m = m;
	w.sb = out;
	collect(&w);
	sbuf_printf(out, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n",
	    STATE_FORMAT, STATE_VERSION);
	write_machine_cfg(&w);
	write_counters(&w);
	write_nodes(&w);
	write_frames(&w);
	write_files(&w);
	write_anon_vmas(&w);
	write_tasks(&w);
	write_tlb(&w);
	write_slab(&w);
	write_swap(&w);
	sbuf_add(out, "}\n");
	free(w.files);
	free(w.avs);
}

/* ================================================================ reader */

struct rctx {
	const char	*name;
	struct json_doc	 doc;
	struct sbuf	*err;
	struct sbuf	 path;
	bool		 failed;
	struct machine	*m;
	/* what the reader made, to tear down by hand on failure */
	struct vm_file	**files;
	size_t		 nfiles;
	struct anon_vma	**avs;
	size_t		 navs;
	struct task_struct **tasks;
	size_t		 ntasks;
	uint8_t		*boot_reserved;	/* per pfn, from machine_new */
	uint8_t		*linked;	/* per pfn: on a free or LRU list */
	int		*table_owner;	/* per pfn: task index + 1 */
};

static void __printf(4, 5) rerr(struct rctx *rd, const cJSON *item, bool key,
    const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;

	if (rd->failed)
		return;
	rd->failed = true;
	json_linecol(rd->doc.text, rd->doc.len,
	    json_doc_offset(&rd->doc, item, key), &line, &col);
	sbuf_printf(rd->err, "%s:%u:%u: ", rd->name, line, col);
	if (rd->path.len > 0)
		sbuf_printf(rd->err, "%s: ", sbuf_str(&rd->path));
	va_start(ap, fmt);
	sbuf_vprintf(rd->err, fmt, ap);
	va_end(ap);
	sbuf_addc(rd->err, '\n');
}

/* A semantic mistake: the parts are well formed but do not fit. */
static void __printf(2, 3) rbad(struct rctx *rd, const char *fmt, ...)
{
	va_list ap;

	if (rd->failed)
		return;
	rd->failed = true;
	sbuf_printf(rd->err, "%s: inconsistent state: ", rd->name);
	va_start(ap, fmt);
	sbuf_vprintf(rd->err, fmt, ap);
	va_end(ap);
	sbuf_addc(rd->err, '\n');
}

/* An object with exactly the keys of `keys` (NULL-terminated) at most. */
static bool v_object(struct rctx *rd, const cJSON *item,
    const char *const *keys)
{
	const cJSON *c;

	if (!cJSON_IsObject(item)) {
		rerr(rd, item, false, "expected an object, found %s",
		    json_type_name(item));
		return false;
	}
	cJSON_ArrayForEach(c, item) {
		const char *const *k;

		for (k = keys; *k != NULL; k++) {
			if (strcmp(*k, c->string) == 0)
				break;
		}
		if (*k == NULL) {
			char *s = json_msg_str(c->string);

			rerr(rd, c, true, "unknown key \"%s\"", s);
			free(s);
			return false;
		}
	}
	return true;
}

/* The member key of obj; a missing one is a mistake when required. */
static const cJSON *member(struct rctx *rd, const cJSON *obj, const char *key,
    bool required)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (c == NULL && required)
		rerr(rd, obj, false, "needs \"%s\"", key);
	return c;
}

static bool v_u64(struct rctx *rd, const cJSON *item, uint64_t max,
    uint64_t *v)
{
	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;

		if (!(d >= 0 && d <= (double)JSON_MAX_INT) ||
		    d != (double)(uint64_t)d) {
			rerr(rd, item, false, "expected a whole number from 0, "
			    "found %g", d);
			return false;
		}
		*v = (uint64_t)d;
	} else if (cJSON_IsString(item)) {
		const char *s = item->valuestring;
		char *end;

		errno = 0;
		if (s[0] < '0' || s[0] > '9')
			end = (char *)s;
		else
			*v = strtoull(s, &end, 0);
		if (end == s || *end != '\0' || errno != 0) {
			char *q = json_msg_str(s);

			rerr(rd, item, false, "\"%s\" is not a number", q);
			free(q);
			return false;
		}
	} else {
		rerr(rd, item, false, "expected a number, found %s",
		    json_type_name(item));
		return false;
	}
	if (*v > max) {
		rerr(rd, item, false, "%" PRIu64 " is above the largest "
		    "possible, %" PRIu64, *v, max);
		return false;
	}
	return true;
}

static bool v_i64(struct rctx *rd, const cJSON *item, int64_t min,
    int64_t max, int64_t *v)
{
	double d;

	if (!cJSON_IsNumber(item)) {
		rerr(rd, item, false, "expected a number, found %s",
		    json_type_name(item));
		return false;
	}
	d = item->valuedouble;
	/* the range first: converting an out-of-range double is undefined */
	if (!(d >= (double)min && d <= (double)max) || d != (double)(int64_t)d) {
		rerr(rd, item, false, "expected a whole number from %" PRId64
		    " to %" PRId64 ", found %g", min, max, d);
		return false;
	}
	*v = (int64_t)d;
	return true;
}

static bool v_bool(struct rctx *rd, const cJSON *item, bool *v)
{
	if (!cJSON_IsBool(item)) {
		rerr(rd, item, false, "expected true or false, found %s",
		    json_type_name(item));
		return false;
	}
	*v = cJSON_IsTrue(item);
	return true;
}

static bool v_string(struct rctx *rd, const cJSON *item, const char **v)
{
	if (!cJSON_IsString(item)) {
		rerr(rd, item, false, "expected a string, found %s",
		    json_type_name(item));
		return false;
	}
	*v = item->valuestring;
	return true;
}

static bool v_array(struct rctx *rd, const cJSON *item, int min, int max)
{
	int n;

	if (!cJSON_IsArray(item)) {
		rerr(rd, item, false, "expected an array, found %s",
		    json_type_name(item));
		return false;
	}
	n = cJSON_GetArraySize(item);
	if (n < min || (max >= 0 && n > max)) {
		if (min == max)
			rerr(rd, item, false, "expected %d elements, found %d",
			    min, n);
		else
			rerr(rd, item, false, "expected %d to %d elements, "
			    "found %d", min, max, n);
		return false;
	}
	return true;
}

/* Key-level wrappers: the path names the key while its value is read. */
static bool k_u64(struct rctx *rd, const cJSON *obj, const char *key,
    uint64_t max, uint64_t *v)
{
	const cJSON *c = member(rd, obj, key, true);
	size_t old;
	bool ok;

	if (c == NULL)
		return false;
	old = json_path_push_key(&rd->path, key);
	ok = v_u64(rd, c, max, v);
	json_path_pop(&rd->path, old);
	return ok;
}

static bool k_ulong(struct rctx *rd, const cJSON *obj, const char *key,
    unsigned long max, unsigned long *v)
{
	uint64_t x = 0;

	if (!k_u64(rd, obj, key, max, &x))
		return false;
	*v = (unsigned long)x;
	return true;
}

static bool k_int(struct rctx *rd, const cJSON *obj, const char *key,
    int64_t min, int64_t max, int *v)
{
	const cJSON *c = member(rd, obj, key, true);
	int64_t x = 0;
	size_t old;
	bool ok;

	if (c == NULL)
		return false;
	old = json_path_push_key(&rd->path, key);
	ok = v_i64(rd, c, min, max, &x);
	json_path_pop(&rd->path, old);
	*v = (int)x;
	return ok;
}

static bool k_bool(struct rctx *rd, const cJSON *obj, const char *key,
    bool *v)
{
	const cJSON *c = member(rd, obj, key, true);
	size_t old;
	bool ok;

	if (c == NULL)
		return false;
	old = json_path_push_key(&rd->path, key);
	ok = v_bool(rd, c, v);
	json_path_pop(&rd->path, old);
	return ok;
}

static bool k_string(struct rctx *rd, const cJSON *obj, const char *key,
    size_t maxlen, const char **v)
{
	const cJSON *c = member(rd, obj, key, true);
	size_t old;
	bool ok;

	if (c == NULL)
		return false;
	old = json_path_push_key(&rd->path, key);
	ok = v_string(rd, c, v);
	if (ok && strlen(*v) > maxlen) {
		rerr(rd, c, false, "longer than %zu characters", maxlen);
		ok = false;
	}
	json_path_pop(&rd->path, old);
	return ok;
}

/* An array member; on success the path is left pushed (pop with *old). */
static const cJSON *k_array(struct rctx *rd, const cJSON *obj, const char *key,
    int min, int max, size_t *old)
{
	const cJSON *c = member(rd, obj, key, true);

	if (c == NULL)
		return NULL;
	*old = json_path_push_key(&rd->path, key);
	if (!v_array(rd, c, min, max)) {
		json_path_pop(&rd->path, *old);
		return NULL;
	}
	return c;
}

/* Fixed-length arrays of unsigned longs ("watermark", "nr_lru", ...). */
static bool k_ulongs(struct rctx *rd, const cJSON *obj, const char *key,
    unsigned long *v, int n)
{
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, obj, key, n, n, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		uint64_t x;

		o2 = json_path_push_index(&rd->path, i);
		if (!v_u64(rd, c, ULONG_MAX, &x)) {
			json_path_pop(&rd->path, old);
			return false;
		}
		json_path_pop(&rd->path, o2);
		v[i++] = (unsigned long)x;
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* Optional id reference: absent or null gives -1. */
static bool k_ref(struct rctx *rd, const cJSON *obj, const char *key,
    long max, long *v)
{
	const cJSON *c = member(rd, obj, key, false);
	uint64_t x;
	size_t old;

	*v = -1;
	if (c == NULL || cJSON_IsNull(c))
		return true;
	old = json_path_push_key(&rd->path, key);
	if (!v_u64(rd, c, (uint64_t)max, &x)) {
		json_path_pop(&rd->path, old);
		return false;
	}
	json_path_pop(&rd->path, old);
	*v = (long)x;
	return true;
}

/* Limits that keep a hostile file from asking the host for too much. */
#define MAX_CACHE_SLOTS		(1UL << 22)
#define MAX_SWAP_SLOTS		(1UL << 22)
#define MAX_NAME_LEN		4096
#define MAX_RB_DEPTH		128

/*
 * vm_name is a borrowed string that must outlive the machine and its event
 * log (import-maps.c keeps its own the same way): names read from files
 * are kept for the life of the program.
 */
struct name_node {
	struct name_node *next;
	char		 s[];
};
static struct name_node *state_names;

static const char *intern(const char *s)
{
	struct name_node *n;
	size_t len = strlen(s);

	for (n = state_names; n != NULL; n = n->next) {
		if (strcmp(n->s, s) == 0)
			return n->s;
	}
	n = xcalloc(1, sizeof(*n) + len + 1);
	memcpy(n->s, s, len + 1);
	n->next = state_names;
	state_names = n;
	return n->s;
}

/*
 * The optional "kmem" of a model object: its slab object's address (0:
 * unbacked). Only machines with a slab have it; validate_slab checks it.
 */
static bool read_kmem(struct rctx *rd, const cJSON *obj, uint64_t *kmem)
{
	const cJSON *c = member(rd, obj, "kmem", false);
	uint64_t addr;
	size_t old;

	*kmem = KMEM_NONE;
	if (c == NULL)
		return true;
	if (!k_u64(rd, obj, "kmem", UINT64_MAX, &addr))
		return false;
	if (rd->m->slab == NULL || rd->m->arch.id == ARCH_TOY) {
		old = json_path_push_key(&rd->path, "kmem");
		rerr(rd, c, false, "the toy machine has no slab objects");
		json_path_pop(&rd->path, old);
		return false;
	}
	*kmem = kmem_model_restored(addr);
	return true;
}

static struct anon_vma *find_av(struct rctx *rd, long id)
{
	for (size_t i = 0; i < rd->navs; i++) {
		if ((long)rd->avs[i]->id == id)
			return rd->avs[i];
	}
	return NULL;
}

static struct task_struct *find_rtask(struct rctx *rd, long pid, size_t *idx)
{
	for (size_t i = 0; i < rd->ntasks; i++) {
		if (rd->tasks[i]->pid == pid) {
			if (idx != NULL)
				*idx = i;
			return rd->tasks[i];
		}
	}
	return NULL;
}

static bool page_is_default(const struct page *p)
{
	return (p->flags & PAGE_STATE_MASK) == 0 && p->_refcount == 0 &&
	    p->_mapcount == -1 && p->mapping == NULL && p->index == 0 &&
	    p->private == 0;
}

/* ---------------------------------------------------------- machine */

static struct machine *read_machine(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "arch", "ram", "swap", "nodes",
	    "tlb_entries", "tlb_ways", "asid", "movable", "policy", "seed",
	    "va_bits", "page_size", "levels", NULL };
	const cJSON *obj = member(rd, root, "machine", true), *lv, *c;
	struct machine_config cfg;
	const struct arch_profile *a;
	const char *arch, *policy;
	struct machine *m;
	char err[256];
	size_t old, o2;
	int i;

	if (obj == NULL)
		return NULL;
	old = json_path_push_key(&rd->path, "machine");
	machine_config_default(&cfg);
	if (!v_object(rd, obj, keys) ||
	    !k_string(rd, obj, "arch", 64, &arch))
		goto fail;
	a = arch_lookup(arch);
	if (a == NULL) {
		char *q = json_msg_str(arch);

		json_path_push_key(&rd->path, "arch");
		rerr(rd, member(rd, obj, "arch", true), false,
		    "unknown architecture \"%s\"", q);
		free(q);
		goto fail;
	}
	cfg.arch = a->id;
	if (!k_u64(rd, obj, "ram", UINT64_MAX, &cfg.ram) ||
	    !k_u64(rd, obj, "swap", UINT64_MAX, &cfg.swap) ||
	    !k_int(rd, obj, "nodes", 1, MAX_NUMNODES, &cfg.nodes) ||
	    !k_int(rd, obj, "tlb_entries", 1, 4096, &cfg.tlb_entries) ||
	    !k_int(rd, obj, "tlb_ways", 1, 4096, &cfg.tlb_ways) ||
	    !k_bool(rd, obj, "asid", &cfg.asid) ||
	    !k_bool(rd, obj, "movable", &cfg.movable) ||
	    !k_string(rd, obj, "policy", 64, &policy) ||
	    !k_u64(rd, obj, "seed", UINT64_MAX, &cfg.seed) ||
	    !k_int(rd, obj, "va_bits", 0, 64, (int *)&cfg.va_bits) ||
	    !k_u64(rd, obj, "page_size", UINT64_MAX, &cfg.page_size))
		goto fail;
	for (i = 0; i < NR_POLICIES; i++) {
		if (strcmp(policy_names[i], policy) == 0)
			break;
	}
	if (i == NR_POLICIES) {
		char *q = json_msg_str(policy);

		json_path_push_key(&rd->path, "policy");
		rerr(rd, member(rd, obj, "policy", true), false,
		    "unknown policy \"%s\"", q);
		free(q);
		goto fail;
	}
	cfg.policy = (enum reclaim_policy)i;
	lv = k_array(rd, obj, "levels", 0, MAX_PT_LEVELS, &o2);
	if (lv == NULL)
		goto fail;
	cfg.nr_levels = 0;
	memset(cfg.level_bits, 0, sizeof(cfg.level_bits));
	cJSON_ArrayForEach(c, lv) {
		int64_t b;
		size_t o3 = json_path_push_index(&rd->path, cfg.nr_levels);

		if (!v_i64(rd, c, 0, 64, &b))
			goto fail;
		json_path_pop(&rd->path, o3);
		cfg.level_bits[cfg.nr_levels++] = (unsigned)b;
	}
	json_path_pop(&rd->path, o2);
	m = machine_new(&cfg, err, sizeof(err));
	if (m == NULL) {
		rerr(rd, obj, false, "%s", err);
		goto fail;
	}
	json_path_pop(&rd->path, old);
	return m;
fail:
	json_path_pop(&rd->path, old);
	return NULL;
}

/* Wipe what machine_new built so that the file alone decides the state. */
static void wipe_machine(struct rctx *rd)
{
	struct machine *m = rd->m;
	struct tlb *tlb = m->tlb;
	unsigned long pfn;
	struct zone *z;
	int nid, o;

	rd->boot_reserved = xcalloc(m->max_pfn, 1);
	rd->linked = xcalloc(m->max_pfn, 1);
	rd->table_owner = xcalloc(m->max_pfn, sizeof(int));
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *p = pfn_to_page(m, pfn);

		rd->boot_reserved[pfn] = PageReserved(p);
		p->flags &= PAGE_WHERE_MASK;
		p->mapping = NULL;
		p->index = 0;
		p->private = 0;
		p->_refcount = 0;
		p->_mapcount = -1;
		INIT_LIST_HEAD(&p->lru);
	}
	for_each_zone(m, z) {
		for (o = 0; o < MAX_ORDER; o++) {
			INIT_LIST_HEAD(&z->free_area[o].free_list);
			z->free_area[o].nr_free = 0;
		}
		z->nr_free = 0;
	}
	for (nid = 0; nid < m->nr_nodes; nid++)
		lruvec_init(&m->nodes[nid].lruvec);
	swap_machine_free(m);
	m->least_priority = 0;
	memset(tlb->e, 0, tlb->nr_entries * sizeof(*tlb->e));
	memset(tlb->asid_used, 0, sizeof(tlb->asid_used));
	tlb->asid_used[0] = 1;
	/* the boot event is not part of the saved machine's history */
	m->ev.log_head = 0;
	m->ev.log_len = 0;
}

/* ---------------------------------------------------------- files */

static bool read_cache(struct rctx *rd, const cJSON *obj, struct vm_file *f)
{
	static const char *const keys[] = { "slots", "reads", "pages",
	    "shadows", NULL };
	struct machine *m = rd->m;
	struct address_space *as;
	const cJSON *pages, *c;
	unsigned long slots;
	size_t old, o2;
	int i = 0;
	long last = -1;

	if (!v_object(rd, obj, keys) ||
	    !k_ulong(rd, obj, "slots", MAX_CACHE_SLOTS, &slots))
		return false;
	as = xcalloc(1, sizeof(*as));
	as->m = m;
	as->host = f;
	f->mapping = as;
	as->nr_slots = slots;
	as->pages = xcalloc(slots ? slots : 1, sizeof(*as->pages));
	if (!k_ulong(rd, obj, "reads", ULONG_MAX, &as->reads))
		return false;
	pages = k_array(rd, obj, "pages", 0, -1, &old);
	if (pages == NULL)
		return false;
	cJSON_ArrayForEach(c, pages) {
		uint64_t idx, pfn;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_array(rd, c, 2, 2) ||
		    !v_u64(rd, c->child, slots ? slots - 1 : 0, &idx) ||
		    !v_u64(rd, c->child->next, m->max_pfn - 1, &pfn))
			return false;
		if ((long)idx <= last) {
			rerr(rd, c, false, "page index %" PRIu64 " is not after "
			    "the previous one", idx);
			return false;
		}
		last = (long)idx;
		as->pages[idx] = pfn_to_page(m, (unsigned long)pfn);
		as->nrpages++;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	if (member(rd, obj, "shadows", false) == NULL)
		return true;
	pages = k_array(rd, obj, "shadows", 0, -1, &old);
	if (pages == NULL)
		return false;
	i = 0;
	last = -1;
	cJSON_ArrayForEach(c, pages) {
		uint64_t idx, shadow;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_array(rd, c, 2, 2) ||
		    !v_u64(rd, c->child, MAX_CACHE_SLOTS, &idx) ||
		    !v_u64(rd, c->child->next, UINT64_MAX, &shadow))
			return false;
		if ((long)idx <= last) {
			rerr(rd, c, false, "shadow index %" PRIu64 " is not "
			    "after the previous one", idx);
			return false;
		}
		if (page_cache_set_shadow(as, (unsigned long)idx,
		    (unsigned long)shadow) != 0) {
			rerr(rd, c, false, "slot %" PRIu64 " holds a page, or "
			    "%" PRIu64 " is not a shadow entry", idx, shadow);
			return false;
		}
		last = (long)idx;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_files(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "id", "name", "size", "dev", "ino",
	    "refcount", "shmem", "listed", "cache", NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, root, "files", 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct vm_file *f;
		const cJSON *cache;
		const char *name;
		unsigned long dev[2];
		uint64_t id;
		bool listed;

		o2 = json_path_push_index(&rd->path, i);
		if (!v_object(rd, c, keys) ||
		    !k_u64(rd, c, "id", UINT64_MAX, &id))
			return false;
		if (id != (uint64_t)i) {
			json_path_push_key(&rd->path, "id");
			rerr(rd, member(rd, c, "id", true), false, "file ids "
			    "count from 0 in order: %d expected here", i);
			return false;
		}
		if (!k_string(rd, c, "name", MAX_NAME_LEN, &name))
			return false;
		if (name[0] == '\0') {
			json_path_push_key(&rd->path, "name");
			rerr(rd, member(rd, c, "name", true), false,
			    "a file needs a name");
			return false;
		}
		f = xcalloc(1, sizeof(*f));
		INIT_LIST_HEAD(&f->list);
		f->name = event_intern(&rd->m->ev, name);
		rd->files = xrealloc(rd->files, (rd->nfiles + 1) *
		    sizeof(*rd->files));
		rd->files[rd->nfiles++] = f;
		f->unlinked = true;
		if (!k_u64(rd, c, "size", UINT64_MAX, &f->size) ||
		    !k_ulongs(rd, c, "dev", dev, 2) ||
		    !k_ulong(rd, c, "ino", ULONG_MAX, &f->ino) ||
		    !k_int(rd, c, "refcount", 1, INT_MAX, &f->refcount) ||
		    !k_bool(rd, c, "shmem", &f->shmem) ||
		    !k_bool(rd, c, "listed", &listed))
			return false;
		f->dev_major = (unsigned)dev[0];
		f->dev_minor = (unsigned)dev[1];
		if (listed) {
			if (vm_file_lookup(m, name) != NULL) {
				json_path_push_key(&rd->path, "name");
				rerr(rd, member(rd, c, "name", true), false,
				    "a second listed file of this name");
				return false;
			}
			f->unlinked = false;
			list_add_tail(&f->list, &m->files);
		}
		cache = member(rd, c, "cache", true);
		if (cache == NULL)
			return false;
		if (!cJSON_IsNull(cache)) {
			size_t o3 = json_path_push_key(&rd->path, "cache");

			if (!read_cache(rd, cache, f))
				return false;
			json_path_pop(&rd->path, o3);
		}
		json_path_pop(&rd->path, o2);
		i++;
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* ---------------------------------------------------------- anon_vmas */

/* The objects; their VMA lists are linked once the tasks exist. */
static bool read_anon_vmas(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "id", "parent", "refcount",
	    "forked", "vmas", NULL };
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, root, "anon_vmas", 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct anon_vma *av, *parent = NULL;
		uint64_t id;
		long pid;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, keys) ||
		    !k_u64(rd, c, "id", ULONG_MAX, &id) ||
		    !k_ref(rd, c, "parent", LONG_MAX, &pid))
			return false;
		if (id == 0 || find_av(rd, (long)id) != NULL) {
			json_path_push_key(&rd->path, "id");
			rerr(rd, member(rd, c, "id", true), false, id == 0 ?
			    "anon_vma ids start at 1" :
			    "anon_vma %" PRIu64 " is listed twice", id);
			return false;
		}
		if (pid >= 0) {
			parent = find_av(rd, pid);
			if (parent == NULL) {
				json_path_push_key(&rd->path, "parent");
				rerr(rd, member(rd, c, "parent", true), false,
				    "anon_vma %ld is not listed before it", pid);
				return false;
			}
		}
		av = xcalloc(1, sizeof(*av));
		anon_vma_register(rd->m, av);
		rd->avs = xrealloc(rd->avs, (rd->navs + 1) * sizeof(*rd->avs));
		rd->avs[rd->navs++] = av;
		av->id = (unsigned long)id;
		INIT_LIST_HEAD(&av->vmas);
		INIT_LIST_HEAD(&av->family);
		av->parent = parent;
		av->root = parent != NULL ? parent->root : av;
		list_add_tail(&av->family_node, &av->root->family);
		if (!k_int(rd, c, "refcount", 1, INT_MAX, &av->refcount) ||
		    !k_bool(rd, c, "forked", &av->forked))
			return false;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool link_anon_vmas(struct rctx *rd, const cJSON *root)
{
	const cJSON *arr = member(rd, root, "anon_vmas", true), *c, *v;
	size_t old = json_path_push_key(&rd->path, "anon_vmas"), o2, o3;
	int i = 0;

	cJSON_ArrayForEach(c, arr) {
		struct anon_vma *av = rd->avs[i];
		const cJSON *vmas;
		int j = 0;

		o2 = json_path_push_index(&rd->path, i++);
		vmas = k_array(rd, c, "vmas", 0, -1, &o3);
		if (vmas == NULL)
			return false;
		cJSON_ArrayForEach(v, vmas) {
			struct task_struct *t;
			struct vm_area_struct *vma;
			uint64_t pid, start;
			size_t o4 = json_path_push_index(&rd->path, j++);

			if (!v_array(rd, v, 2, 2) ||
			    !v_u64(rd, v->child, INT_MAX, &pid) ||
			    !v_u64(rd, v->child->next, UINT64_MAX, &start))
				return false;
			t = find_rtask(rd, (long)pid, NULL);
			if (t == NULL) {
				rerr(rd, v, false, "no task has pid %" PRIu64, pid);
				return false;
			}
			for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
				if (vma->vm_start == start)
					break;
			}
			if (vma == NULL || vma->anon_vma != av) {
				rerr(rd, v, false, "pid %" PRIu64 " has no VMA at "
				    "0x%" PRIx64 " with anon_vma %lu", pid, start,
				    av->id);
				return false;
			}
			if (vma->anon_vma_node.next != NULL) {
				rerr(rd, v, false, "the VMA is listed twice");
				return false;
			}
			list_add_tail(&vma->anon_vma_node, &av->vmas);
			json_path_pop(&rd->path, o4);
		}
		json_path_pop(&rd->path, o3);
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* ---------------------------------------------------------- frames */

static bool parse_flags(struct rctx *rd, const cJSON *item, const char *s,
    unsigned long *flags)
{
	*flags = 0;
	while (*s != '\0') {
		size_t n = strcspn(s, "|");
		int f;

		for (f = 0; f < NR_PAGEFLAGS; f++) {
			if (strlen(flag_names[f]) == n &&
			    strncmp(flag_names[f], s, n) == 0)
				break;
		}
		if (f == NR_PAGEFLAGS) {
			char *w = xstrndup(s, n), *q = json_msg_str(w);

			rerr(rd, item, false, "unknown page flag \"%s\"", q);
			free(q);
			free(w);
			return false;
		}
		*flags |= 1UL << f;
		s += n;
		if (*s == '|')
			s++;
	}
	return true;
}

static bool read_frames(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "pfn", "n", "flags", "refcount",
	    "mapcount", "anon_vma", "file", "index", "private", NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *c;
	unsigned long next = 0;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, root, "frames", 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		unsigned long pfn, n = 1, flags, index = 0, priv = 0;
		size_t of;
		const cJSON *fl;
		const char *fs;
		struct anon_vma *av = NULL;
		void *mapping = NULL;
		int ref = 0, map = -1;
		long avid, fid;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, keys) ||
		    !k_ulong(rd, c, "pfn", m->max_pfn - 1, &pfn))
			return false;
		if (member(rd, c, "n", false) != NULL &&
		    !k_ulong(rd, c, "n", m->max_pfn - pfn, &n))
			return false;
		if (n == 0) {
			json_path_push_key(&rd->path, "n");
			rerr(rd, member(rd, c, "n", true), false,
			    "a run has at least one frame");
			return false;
		}
		if (pfn < next) {
			json_path_push_key(&rd->path, "pfn");
			rerr(rd, member(rd, c, "pfn", true), false, "frames are "
			    "listed by pfn, each once: %lu is not after the "
			    "previous record", pfn);
			return false;
		}
		next = pfn + n;
		if (!k_string(rd, c, "flags", 1024, &fs))
			return false;
		fl = member(rd, c, "flags", true);
		of = json_path_push_key(&rd->path, "flags");
		if (!parse_flags(rd, fl, fs, &flags))
			return false;
		if (flags & (1UL << PG_buddy)) {
			rerr(rd, fl, false, "free blocks come from \"free_area\", "
			    "not from frames");
			return false;
		}
		json_path_pop(&rd->path, of);
		if ((member(rd, c, "refcount", false) != NULL &&
		    !k_int(rd, c, "refcount", INT_MIN, INT_MAX, &ref)) ||
		    (member(rd, c, "mapcount", false) != NULL &&
		    !k_int(rd, c, "mapcount", INT_MIN, INT_MAX, &map)) ||
		    !k_ref(rd, c, "anon_vma", LONG_MAX, &avid) ||
		    !k_ref(rd, c, "file", (long)rd->nfiles, &fid) ||
		    (member(rd, c, "index", false) != NULL &&
		    !k_ulong(rd, c, "index", ULONG_MAX, &index)) ||
		    (member(rd, c, "private", false) != NULL &&
		    !k_ulong(rd, c, "private", ULONG_MAX, &priv)))
			return false;
		if (avid >= 0) {
			av = find_av(rd, avid);
			if (av == NULL || !(flags & (1UL << PG_anon))) {
				json_path_push_key(&rd->path, "anon_vma");
				rerr(rd, member(rd, c, "anon_vma", true), false,
				    av == NULL ? "no anon_vma has id %ld" :
				    "only an \"anon\" frame belongs to an "
				    "anon_vma (id %ld)", avid);
				return false;
			}
			mapping = av;
		}
		if (fid >= 0) {
			if (fid >= (long)rd->nfiles || rd->files[fid]->mapping == NULL ||
			    (flags & ((1UL << PG_anon) | (1UL << PG_pgtable)))) {
				json_path_push_key(&rd->path, "file");
				rerr(rd, member(rd, c, "file", true), false,
				    fid >= (long)rd->nfiles ? "no file has id %ld" :
				    rd->files[fid]->mapping == NULL ?
				    "file %ld has no page cache" :
				    "an anon or pgtable frame cannot be in a "
				    "page cache (file %ld)", fid);
				return false;
			}
			mapping = rd->files[fid]->mapping;
		}
		if ((flags & (1UL << PG_pgtable)) &&
		    ((flags & ((1UL << PG_anon) | (1UL << PG_lru) |
		    (1UL << PG_swapcache))) || map != -1)) {
			rerr(rd, c, false, "a page-table frame is not mapped, "
			    "anonymous, on an LRU list or in the swap cache");
			return false;
		}
		for (unsigned long k = 0; k < n; k++) {
			struct page *p = pfn_to_page(m, pfn + k);

			p->flags = (p->flags & PAGE_WHERE_MASK) | flags;
			p->_refcount = ref;
			p->_mapcount = map;
			p->mapping = mapping;
			p->index = index;
			p->private = priv;
		}
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_reserved(struct rctx *rd, const cJSON *root)
{
	struct machine *m = rd->m;
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, root, "reserved", 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		uint64_t start, n;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_array(rd, c, 2, 2) ||
		    !v_u64(rd, c->child, m->max_pfn - 1, &start) ||
		    !v_u64(rd, c->child->next, m->max_pfn - start, &n))
			return false;
		for (uint64_t k = start; k < start + n; k++) {
			struct page *p = pfn_to_page(m, (unsigned long)k);

			if (!page_is_default(p)) {
				rerr(rd, c, false, "pfn %" PRIu64 " also has a "
				    "frame record or another run", k);
				return false;
			}
			SetPageFlag(p, PG_reserved);
		}
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* ---------------------------------------------------------- nodes */

static bool check_layout(struct rctx *rd, struct zone *z, const char *what,
    unsigned long file, unsigned long have)
{
	if (file == have)
		return true;
	rbad(rd, "node %d zone %s: %s is %lu in the file but %lu on a machine "
	    "of this configuration", z->node, z->name, what, file, have);
	return false;
}

static bool read_free_area(struct rctx *rd, const cJSON *zobj, struct zone *z)
{
	struct machine *m = rd->m;
	const cJSON *arr, *lst, *c;
	size_t old, o2, o3;
	int o = 0;

	arr = k_array(rd, zobj, "free_area", MAX_ORDER, MAX_ORDER, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(lst, arr) {
		int i = 0;

		o2 = json_path_push_index(&rd->path, o);
		if (!v_array(rd, lst, 0, -1))
			return false;
		cJSON_ArrayForEach(c, lst) {
			unsigned long n = 1UL << o, k;
			struct page *p;
			uint64_t pfn;

			o3 = json_path_push_index(&rd->path, i++);
			if (!v_u64(rd, c, m->max_pfn - 1, &pfn))
				return false;
			if (pfn < z->zone_start_pfn || pfn + n > zone_end_pfn(z) ||
			    (pfn & (n - 1)) != 0) {
				rerr(rd, c, false, "an order-%d block at pfn %" PRIu64
				    " is not aligned inside the zone", o, pfn);
				return false;
			}
			for (k = 0; k < n; k++) {
				p = pfn_to_page(m, (unsigned long)pfn + k);
				if (!page_is_default(p) || rd->linked[pfn + k]) {
					rerr(rd, c, false, "pfn %lu of the free "
					    "block is in use, reserved or in "
					    "another block", (unsigned long)pfn + k);
					return false;
				}
			}
			p = pfn_to_page(m, (unsigned long)pfn);
			rd->linked[pfn] = 1;
			SetPageFlag(p, PG_buddy);
			p->private = (unsigned long)o;
			list_add_tail(&p->lru, &z->free_area[o].free_list);
			z->free_area[o].nr_free++;
			json_path_pop(&rd->path, o3);
		}
		json_path_pop(&rd->path, o2);
		o++;
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_zone(struct rctx *rd, const cJSON *c, struct zone *z)
{
	static const char *const keys[] = { "zone", "start", "spanned",
	    "present", "managed", "reserved", "watermark", "lowmem_reserve",
	    "nr_free", "pgalloc", "allocstall", "free_area", NULL };
	unsigned long v[MAX_NR_ZONES], wm[NR_WMARK];
	int i;

	if (!v_object(rd, c, keys))
		return false;
	if (!k_ulong(rd, c, "start", ULONG_MAX, &v[0]) ||
	    !check_layout(rd, z, "start", v[0], z->zone_start_pfn) ||
	    !k_ulong(rd, c, "spanned", ULONG_MAX, &v[0]) ||
	    !check_layout(rd, z, "spanned", v[0], z->spanned_pages) ||
	    !k_ulong(rd, c, "present", ULONG_MAX, &v[0]) ||
	    !check_layout(rd, z, "present", v[0], z->present_pages) ||
	    !k_ulong(rd, c, "managed", ULONG_MAX, &v[0]) ||
	    !check_layout(rd, z, "managed", v[0], z->managed_pages) ||
	    !k_ulong(rd, c, "reserved", ULONG_MAX, &v[0]) ||
	    !check_layout(rd, z, "reserved", v[0], z->nr_reserved) ||
	    !k_ulongs(rd, c, "watermark", wm, NR_WMARK) ||
	    !k_ulongs(rd, c, "lowmem_reserve", v, MAX_NR_ZONES))
		return false;
	for (i = 0; i < NR_WMARK; i++) {
		if (!check_layout(rd, z, "a watermark", wm[i], z->_watermark[i]))
			return false;
	}
	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (!check_layout(rd, z, "lowmem_reserve", v[i],
		    z->lowmem_reserve[i]))
			return false;
	}
	return k_ulong(rd, c, "nr_free", ULONG_MAX, &z->nr_free) &&
	    k_ulong(rd, c, "pgalloc", ULONG_MAX, &z->pgalloc) &&
	    k_ulong(rd, c, "allocstall", ULONG_MAX, &z->allocstall) &&
	    read_free_area(rd, c, z);
}

static bool read_lru(struct rctx *rd, const cJSON *nobj, int nid)
{
	static const char *const keys[] = { "inactive_anon", "active_anon",
	    "inactive_file", "active_file", NULL };
	struct machine *m = rd->m;
	struct lruvec *lv = &m->nodes[nid].lruvec;
	const cJSON *obj = member(rd, nobj, "lru", true), *arr, *c;
	size_t old, o2, o3;
	int l;

	if (obj == NULL)
		return false;
	old = json_path_push_key(&rd->path, "lru");
	if (!v_object(rd, obj, keys))
		return false;
	for (l = 0; l < NR_LRU_LISTS; l++) {
		int i = 0;

		arr = k_array(rd, obj, lru_keys[l], 0, -1, &o2);
		if (arr == NULL)
			return false;
		cJSON_ArrayForEach(c, arr) {
			struct page *p;
			uint64_t pfn;

			o3 = json_path_push_index(&rd->path, i++);
			if (!v_u64(rd, c, m->max_pfn - 1, &pfn))
				return false;
			p = pfn_to_page(m, (unsigned long)pfn);
			if (rd->linked[pfn] || page_to_nid(p) != nid) {
				rerr(rd, c, false, "pfn %" PRIu64 " is %s", pfn,
				    rd->linked[pfn] ? "already on a list" :
				    "on another node");
				return false;
			}
			rd->linked[pfn] = 2;
			list_add_tail(&p->lru, &lv->lists[l]);
			json_path_pop(&rd->path, o3);
		}
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_nodes(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "kswapd_wait", "kswapd_order",
	    "kswapd_highest_zoneidx", "kswapd_failures", "lru_policy",
	    "nonresident_age", "nr_lru", "lru", "zones", NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *c, *zarr, *zc;
	size_t old, o2, o3, o4;
	int nid = 0;

	arr = k_array(rd, root, "nodes", m->nr_nodes, m->nr_nodes, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct pglist_data *pg = &m->nodes[nid];
		struct lruvec *lv = &pg->lruvec;
		const char *pol;
		int zi = 0, zk = 0, p, hz;

		o2 = json_path_push_index(&rd->path, nid);
		if (!v_object(rd, c, keys) ||
		    !k_bool(rd, c, "kswapd_wait", &pg->kswapd_wait) ||
		    !k_int(rd, c, "kswapd_order", 0, MAX_ORDER - 1,
		    &pg->kswapd_order) ||
		    !k_int(rd, c, "kswapd_highest_zoneidx", 0, MAX_NR_ZONES - 1,
		    &hz) ||
		    !k_int(rd, c, "kswapd_failures", 0, INT_MAX,
		    &pg->kswapd_failures) ||
		    !k_string(rd, c, "lru_policy", 64, &pol) ||
		    !k_ulong(rd, c, "nonresident_age", ULONG_MAX,
		    &lv->nonresident_age) ||
		    !k_ulongs(rd, c, "nr_lru", lv->nr_pages, NR_LRU_LISTS))
			return false;
		pg->kswapd_highest_zoneidx = (enum zone_type)hz;
		for (p = 0; p < NR_POLICIES; p++) {
			if (strcmp(policy_names[p], pol) == 0)
				break;
		}
		if (p == NR_POLICIES) {
			json_path_push_key(&rd->path, "lru_policy");
			rerr(rd, member(rd, c, "lru_policy", true), false,
			    "unknown policy");
			return false;
		}
		lv->policy = p;
		if (!read_lru(rd, c, nid))
			return false;
		zarr = k_array(rd, c, "zones", 0, MAX_NR_ZONES, &o3);
		if (zarr == NULL)
			return false;
		cJSON_ArrayForEach(zc, zarr) {
			const char *zn;
			const cJSON *zname;

			o4 = json_path_push_index(&rd->path, zk++);
			zname = cJSON_IsObject(zc) ?
			    member(rd, zc, "zone", true) : NULL;
			if (!cJSON_IsObject(zc)) {
				rerr(rd, zc, false, "expected an object, found %s",
				    json_type_name(zc));
				return false;
			}
			if (zname == NULL || !k_string(rd, zc, "zone", 64, &zn))
				return false;
			while (zi < MAX_NR_ZONES &&
			    (!zone_populated(&pg->node_zones[zi]) ||
			    strcmp(zone_names[zi], zn) != 0))
				zi++;
			if (zi == MAX_NR_ZONES) {
				char *q = json_msg_str(zn);

				json_path_push_key(&rd->path, "zone");
				rerr(rd, zname, false, "\"%s\" is not the next "
				    "populated zone of node %d", q, nid);
				free(q);
				return false;
			}
			if (!read_zone(rd, zc, &pg->node_zones[zi]))
				return false;
			json_path_pop(&rd->path, o4);
			zi++;
		}
		for (; zi < MAX_NR_ZONES; zi++) {
			if (zone_populated(&pg->node_zones[zi])) {
				rerr(rd, zarr, false, "zone %s of node %d is "
				    "missing", zone_names[zi], nid);
				return false;
			}
		}
		json_path_pop(&rd->path, o3);
		json_path_pop(&rd->path, o2);
		nid++;
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* ---------------------------------------------------------- tasks */

static bool read_chunks(struct rctx *rd, const cJSON *obj, const char *key,
    struct list_head *head)
{
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, obj, key, 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct mchunk *ch;
		const cJSON *e;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_array(rd, c, 5, 5))
			return false;
		ch = xcalloc(1, sizeof(*ch));
		list_add_tail(&ch->list, head);
		e = c->child;
		if (!v_u64(rd, e, UINT64_MAX, &ch->addr) ||
		    !v_u64(rd, e->next, UINT64_MAX, &ch->size) ||
		    !v_u64(rd, e->next->next, UINT64_MAX, &ch->req) ||
		    !v_bool(rd, e->next->next->next, &ch->inuse) ||
		    !v_bool(rd, e->next->next->next->next, &ch->mmapped))
			return false;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_malloc(struct rctx *rd, const cJSON *tobj,
    struct malloc_state *ms)
{
	static const char *const keys[] = { "initialized", "mmap_threshold",
	    "trim_threshold", "top_pad", "no_dyn_threshold", "heap_base", "top",
	    "top_size", "size_sz", "align", "threshold_max", "n_mmaps",
	    "mmapped_mem", "chunks", "mmapped", NULL };
	const cJSON *obj = member(rd, tobj, "malloc", true);
	int size_sz, align;

	if (obj == NULL)
		return false;
	json_path_push_key(&rd->path, "malloc");
	if (!v_object(rd, obj, keys) ||
	    !k_bool(rd, obj, "initialized", &ms->initialized) ||
	    !k_u64(rd, obj, "mmap_threshold", UINT64_MAX, &ms->mmap_threshold) ||
	    !k_u64(rd, obj, "trim_threshold", UINT64_MAX, &ms->trim_threshold) ||
	    !k_u64(rd, obj, "top_pad", UINT64_MAX, &ms->top_pad) ||
	    !k_bool(rd, obj, "no_dyn_threshold", &ms->no_dyn_threshold) ||
	    !k_u64(rd, obj, "heap_base", UINT64_MAX, &ms->heap_base) ||
	    !k_u64(rd, obj, "top", UINT64_MAX, &ms->top) ||
	    !k_u64(rd, obj, "top_size", UINT64_MAX, &ms->top_size) ||
	    !k_int(rd, obj, "size_sz", 0, 64, &size_sz) ||
	    !k_int(rd, obj, "align", 0, 4096, &align) ||
	    !k_u64(rd, obj, "threshold_max", UINT64_MAX, &ms->threshold_max) ||
	    !k_int(rd, obj, "n_mmaps", 0, INT_MAX, &ms->n_mmaps) ||
	    !k_u64(rd, obj, "mmapped_mem", UINT64_MAX, &ms->mmapped_mem) ||
	    !read_chunks(rd, obj, "chunks", &ms->chunks) ||
	    !read_chunks(rd, obj, "mmapped", &ms->mmapped))
		return false;
	ms->size_sz = (unsigned)size_sz;
	ms->align = (unsigned)align;
	return true;
}

static bool read_mm(struct rctx *rd, const cJSON *tobj, struct mm_struct *mm)
{
	static const char *const keys[] = { "map_count", "max_map_count",
	    "page_shift", "page_size", "kmem", "exe_file", "total_vm", "data_vm",
	    "exec_vm", "stack_vm", "locked_vm", "hiwater_vm", "hiwater_rss",
	    "rss_stat", "highest_vm_end", "mmap_base", "task_size",
	    "mmap_min_addr", "stack_guard_gap", "start_code", "end_code",
	    "start_data", "end_data", "start_brk", "brk", "start_stack",
	    "arg_start", "arg_end", "env_start", "env_end", NULL };
	const cJSON *obj = member(rd, tobj, "mm", true), *arr, *c;
	uint64_t *addrs[] = {
		&mm->highest_vm_end, &mm->mmap_base, &mm->task_size,
		&mm->mmap_min_addr, &mm->stack_guard_gap, &mm->start_code,
		&mm->end_code, &mm->start_data, &mm->end_data, &mm->start_brk,
		&mm->brk, &mm->start_stack, &mm->arg_start, &mm->arg_end,
		&mm->env_start, &mm->env_end,
	};
	unsigned long *vms[] = { &mm->total_vm, &mm->data_vm, &mm->exec_vm,
	    &mm->stack_vm, &mm->locked_vm, &mm->hiwater_vm, &mm->hiwater_rss };
	size_t old, o2;
	long exe;
	int shift, i = 0;

	if (obj == NULL)
		return false;
	json_path_push_key(&rd->path, "mm");
	if (!v_object(rd, obj, keys) ||
	    !k_int(rd, obj, "map_count", 0, INT_MAX, &mm->map_count) ||
	    !k_int(rd, obj, "max_map_count", 0, INT_MAX, &mm->max_map_count) ||
	    !k_int(rd, obj, "page_shift", 0, 63, &shift) ||
	    !k_u64(rd, obj, "page_size", UINT64_MAX, &mm->page_size) ||
	    !k_ref(rd, obj, "exe_file", (long)rd->nfiles, &exe) ||
	    !read_kmem(rd, obj, &mm->kmem))
		return false;
	mm->page_shift = (unsigned)shift;
	if (mm->page_shift != rd->m->arch.page_shift ||
	    mm->page_size != rd->m->page_size) {
		rerr(rd, obj, false, "the page size is not the machine's");
		return false;
	}
	if (exe >= (long)rd->nfiles) {
		json_path_push_key(&rd->path, "exe_file");
		rerr(rd, member(rd, obj, "exe_file", true), false,
		    "no file has id %ld", exe);
		return false;
	}
	mm->exe_file = exe >= 0 ? rd->files[exe] : NULL;
	for (size_t k = 0; k < ARRAY_SIZE(vms); k++) {
		static const char *const vk[] = { "total_vm", "data_vm",
		    "exec_vm", "stack_vm", "locked_vm", "hiwater_vm",
		    "hiwater_rss" };

		if (!k_ulong(rd, obj, vk[k], ULONG_MAX, vms[k]))
			return false;
	}
	arr = k_array(rd, obj, "rss_stat", NR_MM_COUNTERS, NR_MM_COUNTERS, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		int64_t v;

		o2 = json_path_push_index(&rd->path, i);
		if (!v_i64(rd, c, LONG_MIN / 2, LONG_MAX / 2, &v))
			return false;
		mm->rss_stat[i++] = (long)v;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	for (size_t k = 0; k < ARRAY_SIZE(addrs); k++) {
		if (!k_u64(rd, obj, keys[14 + k], UINT64_MAX, addrs[k]))
			return false;
	}
	return true;
}

static uint64_t subtree_gap(struct vm_area_struct *vma, int depth, bool *deep)
{
	uint64_t max, sub, prev_end;

	if (depth > MAX_RB_DEPTH) {
		*deep = true;
		return 0;
	}
	max = vm_start_gap(vma);
	if (vma->vm_prev != NULL) {
		prev_end = vm_end_gap(vma->vm_prev);
		max = max > prev_end ? max - prev_end : 0;
	}
	if (vma->vm_rb.rb_left != NULL) {
		sub = subtree_gap(rb_entry(vma->vm_rb.rb_left,
		    struct vm_area_struct, vm_rb), depth + 1, deep);
		if (sub > max)
			max = sub;
	}
	if (vma->vm_rb.rb_right != NULL) {
		sub = subtree_gap(rb_entry(vma->vm_rb.rb_right,
		    struct vm_area_struct, vm_rb), depth + 1, deep);
		if (sub > max)
			max = sub;
	}
	vma->rb_subtree_gap = max;
	return max;
}

static bool read_vmas(struct rctx *rd, const cJSON *tobj, struct mm_struct *mm,
    int pid)
{
	static const char *const keys[] = { "start", "end", "flags", "pgoff",
	    "file", "anon_vma", "name", "kmem", "rb", NULL };
	const cJSON *arr, *c;
	struct vm_area_struct **v, *prev = NULL;
	size_t old, o2;
	int n, i = 0;
	bool deep = false;

	arr = k_array(rd, tobj, "vmas", 0, -1, &old);
	if (arr == NULL)
		return false;
	n = cJSON_GetArraySize(arr);
	v = xcalloc((size_t)n + 1, sizeof(*v));
	cJSON_ArrayForEach(c, arr) {
		struct vm_area_struct *vma = xcalloc(1, sizeof(*vma));
		const cJSON *rb, *name;
		long fid, avid;

		v[i] = vma;
		vma->vm_mm = mm;
		vma->vm_prev = prev;
		if (prev != NULL)
			prev->vm_next = vma;
		else
			mm->mmap = vma;
		prev = vma;
		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, keys) ||
		    !k_u64(rd, c, "start", UINT64_MAX, &vma->vm_start) ||
		    !k_u64(rd, c, "end", UINT64_MAX, &vma->vm_end) ||
		    !k_ulong(rd, c, "flags", ULONG_MAX, &vma->vm_flags) ||
		    !k_u64(rd, c, "pgoff", UINT64_MAX, &vma->vm_pgoff) ||
		    !k_ref(rd, c, "file", (long)rd->nfiles, &fid) ||
		    !k_ref(rd, c, "anon_vma", LONG_MAX, &avid) ||
		    !read_kmem(rd, c, &vma->kmem))
			goto fail;
		if (fid >= (long)rd->nfiles) {
			json_path_push_key(&rd->path, "file");
			rerr(rd, member(rd, c, "file", true), false,
			    "no file has id %ld", fid);
			goto fail;
		}
		vma->vm_file = fid >= 0 ? rd->files[fid] : NULL;
		if (avid >= 0) {
			vma->anon_vma = find_av(rd, avid);
			if (vma->anon_vma == NULL) {
				json_path_push_key(&rd->path, "anon_vma");
				rerr(rd, member(rd, c, "anon_vma", true), false,
				    "no anon_vma has id %ld", avid);
				goto fail;
			}
		}
		name = member(rd, c, "name", false);
		if (name != NULL) {
			const char *s;

			if (!k_string(rd, c, "name", MAX_NAME_LEN, &s))
				goto fail;
			vma->vm_name = intern(s);
		}
		rb = member(rd, c, "rb", true);
		if (rb == NULL)
			goto fail;
		json_path_push_key(&rd->path, "rb");
		{
			int64_t parent;
			const char *color;

			if (!v_array(rd, rb, 2, 2) ||
			    !v_i64(rd, rb->child, -1, n - 1, &parent) ||
			    !v_string(rd, rb->child->next, &color))
				goto fail;
			if (strcmp(color, "black") != 0 &&
			    strcmp(color, "red") != 0) {
				rerr(rd, rb->child->next, false,
				    "a node is \"black\" or \"red\"");
				goto fail;
			}
			if (parent == i - 1) {
				rerr(rd, rb->child, false, "a VMA is not its "
				    "own parent");
				goto fail;
			}
			/* stash: parent index + 1 and the colour bit */
			vma->rb_subtree_gap = (uint64_t)(parent + 1);
			vma->vm_rb.__rb_parent_color =
			    strcmp(color, "black") == 0 ? RB_BLACK : RB_RED;
		}
		json_path_pop(&rd->path, o2);
	}
	/* now that every VMA exists: the tree in its saved shape */
	for (i = 0; i < n; i++) {
		struct vm_area_struct *vma = v[i];
		long p = (long)vma->rb_subtree_gap - 1;
		struct rb_node **slot;

		vma->rb_subtree_gap = 0;
		if (p < 0) {
			if (mm->mm_rb.rb_node != NULL) {
				rbad(rd, "pid %d: the VMA tree has two roots", pid);
				goto fail_tree;
			}
			mm->mm_rb.rb_node = &vma->vm_rb;
			continue;
		}
		slot = i < p ? &v[p]->vm_rb.rb_left : &v[p]->vm_rb.rb_right;
		if (*slot != NULL) {
			rbad(rd, "pid %d: VMA %ld has two %s children in the tree",
			    pid, p, i < p ? "left" : "right");
			goto fail_tree;
		}
		*slot = &vma->vm_rb;
		vma->vm_rb.__rb_parent_color |= (uintptr_t)&v[p]->vm_rb;
	}
	if (n > 0 && mm->mm_rb.rb_node == NULL) {
		rbad(rd, "pid %d: the VMA tree has no root", pid);
		goto fail_tree;
	}
	if (n > 0)
		subtree_gap(rb_entry(mm->mm_rb.rb_node, struct vm_area_struct,
		    vm_rb), 0, &deep);
	if (deep) {
		rbad(rd, "pid %d: the VMA tree is deeper than a red-black tree "
		    "can be", pid);
		goto fail_tree;
	}
	free(v);
	json_path_pop(&rd->path, old);
	return true;
fail:
	/* the colours stashed above are harmless: the tree is never walked */
fail_tree:
	mm->mm_rb.rb_node = NULL;
	free(v);
	return false;
}

static bool read_pgtable(struct rctx *rd, const cJSON *tobj,
    struct mm_struct *mm, size_t tidx)
{
	static const char *const keys[] = { "pid", "root", "asid", "nr_tables",
	    "nr_pages", "tables", NULL };
	static const char *const tkeys[] = { "pfn", "level", "entries", NULL };
	struct machine *m = rd->m;
	const cJSON *obj = member(rd, tobj, "pgtable", true), *arr, *c, *e;
	const cJSON *ents;
	struct pgtable *pgt;
	size_t old, o2, o3, o4;
	int i = 0, asid;

	if (obj == NULL)
		return false;
	if (cJSON_IsNull(obj))
		return true;
	json_path_push_key(&rd->path, "pgtable");
	if (!v_object(rd, obj, keys))
		return false;
	pgt = xcalloc(1, sizeof(*pgt));
	pgt->m = m;
	mm->pgt = pgt;
	if (!k_int(rd, obj, "pid", 0, INT_MAX, &pgt->pid) ||
	    !k_ulong(rd, obj, "root", m->max_pfn - 1, &pgt->root_pfn) ||
	    !k_int(rd, obj, "asid", 0, TLB_NR_ASIDS - 1, &asid) ||
	    !k_ulongs(rd, obj, "nr_tables", pgt->nr_tables, MAX_PT_LEVELS) ||
	    !k_ulong(rd, obj, "nr_pages", ULONG_MAX, &pgt->nr_pages))
		return false;
	pgt->asid = (unsigned)asid;
	arr = k_array(rd, obj, "tables", 1, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct pt_page *pt;
		struct page *page;
		unsigned long pfn;
		int level, j = 0;
		long last = -1;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, tkeys) ||
		    !k_ulong(rd, c, "pfn", m->max_pfn - 1, &pfn) ||
		    !k_int(rd, c, "level", 0, m->arch.nr_levels - 1, &level))
			return false;
		page = pfn_to_page(m, pfn);
		if (!PageFlag(page, PG_pgtable) || PageFlag(page, PG_tail) ||
		    rd->table_owner[pfn] != 0) {
			json_path_push_key(&rd->path, "pfn");
			rerr(rd, member(rd, c, "pfn", true), false, "pfn %lu is "
			    "%s", pfn, rd->table_owner[pfn] != 0 ?
			    "already a table" : "not a pgtable frame");
			return false;
		}
		pt = xcalloc(1, sizeof(*pt) + (size_t)pt_entries(m, level) *
		    sizeof(pt->ent[0]));
		pt->level = level;
		pt->nr_entries = pt_entries(m, level);
		page->mapping = pt;
		rd->table_owner[pfn] = (int)tidx + 1;
		ents = k_array(rd, c, "entries", 0, -1, &o3);
		if (ents == NULL)
			return false;
		cJSON_ArrayForEach(e, ents) {
			uint64_t idx, val;

			o4 = json_path_push_index(&rd->path, j++);
			if (!v_array(rd, e, 2, 2) ||
			    !v_u64(rd, e->child, pt->nr_entries - 1, &idx) ||
			    !v_u64(rd, e->child->next, UINT64_MAX, &val))
				return false;
			if ((long)idx <= last || val == 0) {
				rerr(rd, e, false, val == 0 ? "empty entries are "
				    "left out" : "entry %" PRIu64 " is not after "
				    "the previous one", idx);
				return false;
			}
			last = (long)idx;
			pt->ent[idx] = val;
			json_path_pop(&rd->path, o4);
		}
		json_path_pop(&rd->path, o3);
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* Every table of a page table is reached from its root, and only from it. */
static bool reach_tables(struct rctx *rd, int tidx, unsigned long pfn,
    int level, uint8_t *seen, unsigned long *count, int pid)
{
	struct machine *m = rd->m;
	struct pt_page *pt;
	unsigned i;

	if (pfn >= m->max_pfn || rd->table_owner[pfn] != tidx + 1) {
		rbad(rd, "pid %d: an entry points at pfn %lu, which is not one "
		    "of its tables", pid, pfn);
		return false;
	}
	pt = pfn_to_page(m, pfn)->mapping;
	if (pt->level != level || seen[pfn]) {
		rbad(rd, "pid %d: the table at pfn %lu is %s", pid, pfn,
		    seen[pfn] ? "linked twice" : "at the wrong level");
		return false;
	}
	seen[pfn] = 1;
	(*count)++;
	if (level == m->arch.nr_levels - 1)
		return true;
	for (i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (!pte_present(e) || pte_huge(e))
			continue;
		if (pte_protnone(e)) {
			rbad(rd, "pid %d: a PROT_NONE entry above the last level "
			    "in the table at pfn %lu", pid, pfn);
			return false;
		}
		if (!reach_tables(rd, tidx, pte_pfn(e), level + 1, seen, count,
		    pid))
			return false;
	}
	return true;
}

static bool read_tasks(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "pid", "parent", "comm", "kmem", "state",
	    "min_flt", "maj_flt", "oom_score_adj", "oom_victim", "oom_reaped",
	    "malloc", "mm", "vmas", "pgtable", NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0, last = 0;
	int *parents;

	arr = k_array(rd, root, "tasks", 0, -1, &old);
	if (arr == NULL)
		return false;
	parents = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(int));
	cJSON_ArrayForEach(c, arr) {
		struct task_struct *t;
		struct mm_struct *mm;
		const char *comm, *state;
		int adj;

		o2 = json_path_push_index(&rd->path, i);
		if (!v_object(rd, c, keys))
			goto fail;
		t = xcalloc(1, sizeof(*t));
		INIT_LIST_HEAD(&t->malloc.chunks);
		INIT_LIST_HEAD(&t->malloc.mmapped);
		mm = xcalloc(1, sizeof(*mm));
		mm->machine = m;
		t->mm = mm;
		rd->tasks = xrealloc(rd->tasks, (rd->ntasks + 1) *
		    sizeof(*rd->tasks));
		rd->tasks[rd->ntasks++] = t;
		list_add_tail(&t->tasks, &m->tasks);
		if (!k_int(rd, c, "pid", 1, INT_MAX, &t->pid) ||
		    !k_int(rd, c, "parent", 0, INT_MAX, &parents[i]))
			goto fail;
		if (t->pid <= last) {
			json_path_push_key(&rd->path, "pid");
			rerr(rd, member(rd, c, "pid", true), false, "tasks are "
			    "listed by pid, each once");
			goto fail;
		}
		last = t->pid;
		mm->owner_pid = t->pid;
		if (!read_kmem(rd, c, &t->kmem) ||
		    !k_string(rd, c, "comm", TASK_COMM_LEN - 1, &comm) ||
		    !k_string(rd, c, "state", 16, &state))
			goto fail;
		memcpy(t->comm, comm, strlen(comm) + 1);
		if (strcmp(state, "running") == 0)
			t->state = TASK_RUNNING;
		else if (strcmp(state, "sleeping") == 0)
			t->state = TASK_INTERRUPTIBLE;
		else {
			json_path_push_key(&rd->path, "state");
			rerr(rd, member(rd, c, "state", true), false,
			    "a task is \"running\" or \"sleeping\"");
			goto fail;
		}
		if (!k_ulong(rd, c, "min_flt", ULONG_MAX, &t->min_flt) ||
		    !k_ulong(rd, c, "maj_flt", ULONG_MAX, &t->maj_flt) ||
		    !k_int(rd, c, "oom_score_adj", -1000, 1000, &adj) ||
		    !k_bool(rd, c, "oom_victim", &t->oom_victim) ||
		    !k_bool(rd, c, "oom_reaped", &t->oom_reaped))
			goto fail;
		t->oom_score_adj = (short)adj;
		json_path_pop(&rd->path, o2);
		json_path_push_index(&rd->path, i);
		if (!read_malloc(rd, c, &t->malloc))
			goto fail;
		json_path_pop(&rd->path, o2);
		json_path_push_index(&rd->path, i);
		if (!read_mm(rd, c, mm))
			goto fail;
		json_path_pop(&rd->path, o2);
		json_path_push_index(&rd->path, i);
		if (!read_vmas(rd, c, mm, t->pid) ||
		    !read_pgtable(rd, c, mm, rd->ntasks - 1))
			goto fail;
		json_path_pop(&rd->path, o2);
		i++;
	}
	json_path_pop(&rd->path, old);
	for (size_t k = 0; k < rd->ntasks; k++) {
		struct task_struct *t = rd->tasks[k];

		if (parents[k] != 0) {
			t->parent = find_rtask(rd, parents[k], NULL);
			if (t->parent == NULL || t->parent == t) {
				rbad(rd, "pid %d: parent %d is not a task", t->pid,
				    parents[k]);
				goto fail;
			}
		}
		if (t->mm->pgt != NULL) {
			uint8_t *seen = xcalloc(m->max_pfn, 1);
			unsigned long count = 0, listed = 0;
			bool ok;

			ok = reach_tables(rd, (int)k, t->mm->pgt->root_pfn, 0,
			    seen, &count, t->pid);
			free(seen);
			if (!ok)
				goto fail;
			for (unsigned long p = 0; p < m->max_pfn; p++)
				listed += rd->table_owner[p] == (int)k + 1;
			if (count != listed) {
				rbad(rd, "pid %d: %lu of its %lu tables are not "
				    "reached from its root", t->pid,
				    listed - count, listed);
				goto fail;
			}
		}
	}
	free(parents);
	return true;
fail:
	free(parents);
	return false;
}

/* ---------------------------------------------------------- slab */

static bool read_one_slab(struct rctx *rd, const cJSON *c,
    struct kmem_cache *s)
{
	static const char *const keys[] = { "pfn", "inuse", "free", NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *f;
	struct slab *slab;
	unsigned long pfn;
	size_t old, o2;
	int inuse, prev = -1, i = 0;
	unsigned k;

	if (!v_object(rd, c, keys) ||
	    !k_ulong(rd, c, "pfn", m->max_pfn - 1, &pfn) ||
	    !k_int(rd, c, "inuse", 0, (int64_t)s->objects, &inuse))
		return false;
	if (s->objects == 0) {
		rerr(rd, c, false, "cache %s has no slabs", s->name);
		return false;
	}
	if (pfn_to_slab(m, pfn) != NULL) {
		rerr(rd, c, false, "pfn %lu is already a slab", pfn);
		return false;
	}
	slab = slab_restore(m, s, pfn);
	slab->inuse = (unsigned)inuse;
	for (k = 0; k < s->objects; k++) {
		slab->next_free[k] = -1;
		slab->used[k] = 1;
	}
	arr = k_array(rd, c, "free", 0, (int)s->objects, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(f, arr) {
		uint64_t idx;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_u64(rd, f, s->objects - 1, &idx))
			return false;
		if (!slab->used[idx]) {
			rerr(rd, f, false, "object %" PRIu64 " is free twice", idx);
			return false;
		}
		slab->used[idx] = 0;
		if (prev < 0)
			slab->freelist = (int)idx;
		else
			slab->next_free[prev] = (int)idx;
		prev = (int)idx;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_slab(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "caches", "large", NULL };
	static const char *const ckeys[] = { "name", "nr_slabs", "active_objs",
	    "unbacked", "slabs", NULL };
	struct machine *m = rd->m;
	const cJSON *obj = member(rd, root, "slab", true), *arr, *c, *sl;
	struct list_head *caches = slab_caches(m), *pos;
	size_t old, o2, o3, o4;
	int i = 0;

	if (obj == NULL)
		return false;
	json_path_push_key(&rd->path, "slab");
	if (!v_object(rd, obj, keys))
		return false;
	arr = k_array(rd, obj, "caches", (int)list_count(caches),
	    (int)list_count(caches), &old);
	if (arr == NULL)
		return false;
	pos = caches->next;
	cJSON_ArrayForEach(c, arr) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		const char *name;
		int j = 0;

		pos = pos->next;
		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, ckeys) ||
		    !k_string(rd, c, "name", 64, &name))
			return false;
		if (strcmp(name, s->name) != 0) {
			json_path_push_key(&rd->path, "name");
			rerr(rd, member(rd, c, "name", true), false, "the cache "
			    "here is %s on a machine of this configuration",
			    s->name);
			return false;
		}
		if (!k_ulong(rd, c, "nr_slabs", ULONG_MAX, &s->nr_slabs) ||
		    !k_ulong(rd, c, "active_objs", ULONG_MAX, &s->active_objs) ||
		    !k_ulong(rd, c, "unbacked", ULONG_MAX, &s->unbacked))
			return false;
		sl = k_array(rd, c, "slabs", 0, -1, &o3);
		if (sl == NULL)
			return false;
		for (const cJSON *e = sl->child; e != NULL; e = e->next) {
			o4 = json_path_push_index(&rd->path, j++);
			if (!read_one_slab(rd, e, s))
				return false;
			json_path_pop(&rd->path, o4);
		}
		json_path_pop(&rd->path, o3);
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	i = 0;
	arr = k_array(rd, obj, "large", 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		uint64_t pfn, order;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_array(rd, c, 2, 2) ||
		    !v_u64(rd, c->child, m->max_pfn - 1, &pfn) ||
		    !v_u64(rd, c->child->next, MAX_ORDER - 1, &order))
			return false;
		if (kmalloc_large_order(m, (unsigned long)pfn) >= 0) {
			rerr(rd, c, false, "pfn %" PRIu64 " is listed twice", pfn);
			return false;
		}
		kmalloc_large_restore(m, (unsigned long)pfn, (unsigned)order);
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, 0);
	return true;
}

/* ---------------------------------------------------------- TLB */

static struct pgtable *pid_pgtable(struct rctx *rd, const cJSON *item,
    long pid)
{
	struct task_struct *t = find_rtask(rd, pid, NULL);

	if (t == NULL || t->mm->pgt == NULL) {
		rerr(rd, item, false, "pid %ld is %s", pid, t == NULL ?
		    "not a task" : "without a page table");
		return NULL;
	}
	return t->mm->pgt;
}

static bool read_tlb(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "clock", "cur", "cur_asid", "hits",
	    "misses", "fills", "evictions", "invalidated", "full_flushes",
	    "asids", "entries", NULL };
	static const char *const ekeys[] = { "slot", "owner", "asid", "huge",
	    "vpn", "shift", "pfn", "flags", "stamp", NULL };
	struct tlb *tlb = rd->m->tlb;
	const cJSON *obj = member(rd, root, "tlb", true), *arr, *c;
	size_t old, o2;
	long cur, last = -1;
	int i = 0, asid;

	if (obj == NULL)
		return false;
	json_path_push_key(&rd->path, "tlb");
	if (!v_object(rd, obj, keys) ||
	    !k_u64(rd, obj, "clock", UINT64_MAX, &tlb->clock) ||
	    !k_ref(rd, obj, "cur", INT_MAX, &cur) ||
	    !k_int(rd, obj, "cur_asid", 0, TLB_NR_ASIDS - 1, &asid) ||
	    !k_ulong(rd, obj, "hits", ULONG_MAX, &tlb->hits) ||
	    !k_ulong(rd, obj, "misses", ULONG_MAX, &tlb->misses) ||
	    !k_ulong(rd, obj, "fills", ULONG_MAX, &tlb->fills) ||
	    !k_ulong(rd, obj, "evictions", ULONG_MAX, &tlb->evictions) ||
	    !k_ulong(rd, obj, "invalidated", ULONG_MAX, &tlb->invalidated) ||
	    !k_ulong(rd, obj, "full_flushes", ULONG_MAX, &tlb->full_flushes))
		return false;
	tlb->cur_asid = (unsigned)asid;
	if (cur >= 0) {
		json_path_push_key(&rd->path, "cur");
		tlb->cur = pid_pgtable(rd, member(rd, obj, "cur", true), cur);
		if (tlb->cur == NULL)
			return false;
		json_path_pop(&rd->path, strlen("tlb"));
	}
	arr = k_array(rd, obj, "asids", 0, TLB_NR_ASIDS - 1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		uint64_t a;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_u64(rd, c, TLB_NR_ASIDS - 1, &a))
			return false;
		if (a == 0 || (tlb->asid_used[a / 8] & (1U << (a % 8)))) {
			rerr(rd, c, false, a == 0 ? "ASID 0 means untagged" :
			    "ASID %" PRIu64 " is listed twice", a);
			return false;
		}
		tlb->asid_used[a / 8] |= (uint8_t)(1U << (a % 8));
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	i = 0;
	arr = k_array(rd, obj, "entries", 0, (int)tlb->nr_entries, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct tlb_entry *e;
		unsigned long slot;
		int owner, ea, shift;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, ekeys) ||
		    !k_ulong(rd, c, "slot", tlb->nr_entries - 1, &slot))
			return false;
		if ((long)slot <= last) {
			json_path_push_key(&rd->path, "slot");
			rerr(rd, member(rd, c, "slot", true), false, "entries are "
			    "listed by slot, each once");
			return false;
		}
		last = (long)slot;
		e = &tlb->e[slot];
		if (!k_int(rd, c, "owner", 1, INT_MAX, &owner))
			return false;
		json_path_push_key(&rd->path, "owner");
		e->owner = pid_pgtable(rd, member(rd, c, "owner", true), owner);
		if (e->owner == NULL)
			return false;
		json_path_pop(&rd->path, o2);
		json_path_push_index(&rd->path, i - 1);
		if (!k_int(rd, c, "asid", 0, TLB_NR_ASIDS - 1, &ea) ||
		    !k_bool(rd, c, "huge", &e->huge) ||
		    !k_u64(rd, c, "vpn", UINT64_MAX, &e->vpn) ||
		    !k_int(rd, c, "shift", 1, 63, &shift) ||
		    !k_ulong(rd, c, "pfn", rd->m->max_pfn - 1, &e->pfn) ||
		    !k_u64(rd, c, "flags", UINT64_MAX, &e->flags) ||
		    !k_u64(rd, c, "stamp", UINT64_MAX, &e->stamp))
			return false;
		e->asid = (unsigned)ea;
		e->shift = (unsigned)shift;
		e->valid = true;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, 0);
	return true;
}

/* ---------------------------------------------------------- swap */

static bool read_slots(struct rctx *rd, const cJSON *obj,
    struct swap_info_struct *si)
{
	static const char *const keys[] = { "slot", "count", "cache", "owner",
	    "owner_index", "evicted_at", NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *c;
	size_t old, o2;
	long last = -1;
	int i = 0;

	arr = k_array(rd, obj, "slots", 0, -1, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		unsigned long off, count = 0, idx = 0, ev = 0;
		long pfn, owner;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, keys) ||
		    !k_ulong(rd, c, "slot", si->max - 1, &off))
			return false;
		if ((long)off <= last) {
			json_path_push_key(&rd->path, "slot");
			rerr(rd, member(rd, c, "slot", true), false, "slots are "
			    "listed by offset, each once");
			return false;
		}
		last = (long)off;
		if ((member(rd, c, "count", false) != NULL &&
		    !k_ulong(rd, c, "count", 255, &count)) ||
		    !k_ref(rd, c, "cache", (long)m->max_pfn - 1, &pfn) ||
		    !k_ref(rd, c, "owner", LONG_MAX, &owner) ||
		    (member(rd, c, "owner_index", false) != NULL &&
		    !k_ulong(rd, c, "owner_index", ULONG_MAX, &idx)) ||
		    (member(rd, c, "evicted_at", false) != NULL &&
		    !k_ulong(rd, c, "evicted_at", ULONG_MAX, &ev)))
			return false;
		si->swap_map[off] = (unsigned char)count;
		si->cache[off] = pfn >= 0 ? pfn_to_page(m, (unsigned long)pfn) :
		    NULL;
		if (owner >= 0) {
			si->owner[off] = find_av(rd, owner);
			if (si->owner[off] == NULL) {
				json_path_push_key(&rd->path, "owner");
				rerr(rd, member(rd, c, "owner", true), false,
				    "no anon_vma has id %ld", owner);
				return false;
			}
		}
		si->owner_index[off] = idx;
		si->evicted_at[off] = ev;
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

static bool read_swap(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "type", "prio", "name", "max",
	    "pages", "inuse_pages", "cluster_next", "writeback_only", "slots",
	    NULL };
	struct machine *m = rd->m;
	const cJSON *arr, *c;
	size_t old, o2;
	int i = 0;

	arr = k_array(rd, root, "swap", 0, MAX_SWAP_AREAS, &old);
	if (arr == NULL)
		return false;
	cJSON_ArrayForEach(c, arr) {
		struct swap_info_struct *si;
		unsigned long type, max;
		const char *name;

		o2 = json_path_push_index(&rd->path, i++);
		if (!v_object(rd, c, keys) ||
		    !k_ulong(rd, c, "type", MAX_SWAP_AREAS - 1, &type) ||
		    !k_ulong(rd, c, "max", MAX_SWAP_SLOTS, &max))
			return false;
		if (m->swap_info[type] != NULL || max < 2) {
			rerr(rd, c, false, max < 2 ? "a swap area has a header "
			    "and at least one slot" :
			    "swap type %lu is listed twice", type);
			return false;
		}
		si = xcalloc(1, sizeof(*si));
		si->type = (unsigned)type;
		si->max = max;
		si->swap_map = xcalloc(max, 1);
		si->cache = xcalloc(max, sizeof(*si->cache));
		si->owner = xcalloc(max, sizeof(*si->owner));
		si->owner_index = xcalloc(max, sizeof(*si->owner_index));
		si->evicted_at = xcalloc(max, sizeof(*si->evicted_at));
		m->swap_info[type] = si;
		if (type >= m->nr_swapfiles)
			m->nr_swapfiles = (unsigned)type + 1;
		if (!k_int(rd, c, "prio", INT_MIN, INT_MAX, &si->prio) ||
		    !k_string(rd, c, "name", sizeof(si->name) - 1, &name) ||
		    !k_ulong(rd, c, "pages", max - 1, &si->pages) ||
		    !k_ulong(rd, c, "inuse_pages", max, &si->inuse_pages) ||
		    !k_ulong(rd, c, "cluster_next", max - 1, &si->cluster_next) ||
		    !k_bool(rd, c, "writeback_only", &si->writeback_only) ||
		    !read_slots(rd, c, si))
			return false;
		snprintf(si->name, sizeof(si->name), "%s", name);
		json_path_pop(&rd->path, o2);
	}
	json_path_pop(&rd->path, old);
	return true;
}

/* ---------------------------------------------------------- counters */

/* The keys of "vm_events": vmstat_names, NULL-terminated. */
static const char *const *vmstat_names_null(void)
{
	static const char *keys[NR_VM_EVENT_ITEMS + 1];

	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		keys[i] = vmstat_names[i];
	return keys;
}

static bool read_counters(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "event_seq", "totalram_pages",
	    "totalreserve_pages", "min_free_kbytes", "memmap_pages",
	    "kernel_pages", "last_pid", "last_ino", "last_anon_vma",
	    "nr_pgtable_pages", "nr_file_pages", "nr_shmem_pages",
	    "nr_hugetlb_pages", "zero_pfn", "has_zero_page", "least_priority",
	    "nr_dirty", "nr_writeback", "oom_log_seq", "oom_log", NULL };
	static const char *const fixed[] = { "totalram_pages",
	    "totalreserve_pages", "min_free_kbytes", "memmap_pages",
	    "kernel_pages" };
	struct machine *m = rd->m;
	unsigned long have[] = { m->totalram_pages, m->totalreserve_pages,
	    m->min_free_kbytes, m->memmap_pages, m->kernel_pages };
	const cJSON *obj = member(rd, root, "counters", true), *ev;
	const char *log;
	unsigned long seq;

	if (obj == NULL)
		return false;
	json_path_push_key(&rd->path, "counters");
	if (!v_object(rd, obj, keys) ||
	    !k_u64(rd, obj, "event_seq", UINT64_MAX, &m->ev.seq))
		return false;
	for (size_t k = 0; k < ARRAY_SIZE(fixed); k++) {
		unsigned long v;

		if (!k_ulong(rd, obj, fixed[k], ULONG_MAX, &v))
			return false;
		if (v != have[k]) {
			rbad(rd, "%s is %lu in the file but %lu on a machine of "
			    "this configuration", fixed[k], v, have[k]);
			return false;
		}
	}
	if (!k_int(rd, obj, "last_pid", 0, INT_MAX, &m->last_pid) ||
	    !k_ulong(rd, obj, "last_ino", ULONG_MAX, &m->last_ino) ||
	    !k_ulong(rd, obj, "last_anon_vma", ULONG_MAX, &m->last_anon_vma) ||
	    !k_ulong(rd, obj, "nr_pgtable_pages", ULONG_MAX,
	    &m->nr_pgtable_pages) ||
	    !k_ulong(rd, obj, "nr_file_pages", ULONG_MAX, &m->nr_file_pages) ||
	    !k_ulong(rd, obj, "nr_shmem_pages", ULONG_MAX, &m->nr_shmem_pages) ||
	    !k_ulong(rd, obj, "nr_hugetlb_pages", ULONG_MAX,
	    &m->nr_hugetlb_pages) ||
	    !k_ulong(rd, obj, "zero_pfn", m->max_pfn - 1, &m->zero_pfn) ||
	    !k_bool(rd, obj, "has_zero_page", &m->has_zero_page) ||
	    !k_int(rd, obj, "least_priority", INT_MIN, 0, &m->least_priority) ||
	    !k_ulong(rd, obj, "nr_dirty", ULONG_MAX, &m->nr_dirty) ||
	    !k_ulong(rd, obj, "nr_writeback", ULONG_MAX, &m->nr_writeback) ||
	    !k_ulong(rd, obj, "oom_log_seq", UINT_MAX, &seq) ||
	    !k_string(rd, obj, "oom_log", sizeof(m->oom_log) - 1, &log))
		return false;
	m->oom_log_seq = (unsigned)seq;
	snprintf(m->oom_log, sizeof(m->oom_log), "%s", log);
	json_path_pop(&rd->path, 0);
	ev = member(rd, root, "vm_events", true);
	if (ev == NULL)
		return false;
	json_path_push_key(&rd->path, "vm_events");
	if (!v_object(rd, ev, vmstat_names_null()))
		return false;
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		if (!k_ulong(rd, ev, vmstat_names[i], ULONG_MAX, &m->vm_events[i]))
			return false;
	}
	json_path_pop(&rd->path, 0);
	return true;
}

/* ---------------------------------------------------------- checks */

/*
 * What validate_machine does not check but the model relies on, and what
 * must hold before the checkers may follow the pointers safely.
 */
static bool check_state(struct rctx *rd)
{
	struct machine *m = rd->m;
	unsigned long pfn, k;
	size_t i;

	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *p = pfn_to_page(m, pfn);

		if (PageReserved(p) != (bool)rd->boot_reserved[pfn]) {
			rbad(rd, "pfn %lu is %s at boot on a machine of this "
			    "configuration", pfn, rd->boot_reserved[pfn] ?
			    "reserved" : "not reserved");
			return false;
		}
		if (PageLRU(p) != (rd->linked[pfn] == 2)) {
			rbad(rd, "pfn %lu is %s an LRU list but %s PG_lru", pfn,
			    rd->linked[pfn] == 2 ? "on" : "not on",
			    PageLRU(p) ? "has" : "lacks");
			return false;
		}
		if (PageFlag(p, PG_pgtable) && !PageFlag(p, PG_tail) &&
		    rd->table_owner[pfn] == 0) {
			rbad(rd, "pfn %lu is a page-table frame of no process",
			    pfn);
			return false;
		}
		if (PageFlag(p, PG_head)) {
			if (p->private < 1 || p->private >= MAX_ORDER ||
			    pfn + (1UL << p->private) > m->max_pfn) {
				rbad(rd, "pfn %lu heads a compound page of order "
				    "%lu", pfn, p->private);
				return false;
			}
			for (k = 1; k < (1UL << p->private); k++) {
				struct page *t = p + k;

				if (!PageFlag(t, PG_tail) || t->private != pfn) {
					rbad(rd, "pfn %lu is not a tail of the "
					    "compound page at pfn %lu", pfn + k,
					    pfn);
					return false;
				}
			}
		}
		if (PageFlag(p, PG_tail)) {
			struct page *h;

			if (p->private >= m->max_pfn || p->private >= pfn ||
			    (h = pfn_to_page(m, p->private),
			    !PageFlag(h, PG_head)) ||
			    h->private >= MAX_ORDER ||
			    pfn >= p->private + (1UL << h->private)) {
				rbad(rd, "pfn %lu is a tail of no compound page",
				    pfn);
				return false;
			}
		}
	}
	for (i = 0; i < rd->nfiles; i++) {
		struct vm_file *f = rd->files[i];
		struct address_space *as = f->mapping;
		int refs = f->unlinked ? 0 : 1;

		for (size_t t = 0; t < rd->ntasks; t++) {
			struct mm_struct *mm = rd->tasks[t]->mm;
			struct vm_area_struct *vma;

			refs += mm->exe_file == f;
			for (vma = mm->mmap; vma != NULL; vma = vma->vm_next)
				refs += vma->vm_file == f;
		}
		if (refs != f->refcount) {
			rbad(rd, "file %zu (%s): refcount %d but %d references",
			    i, f->name, f->refcount, refs);
			return false;
		}
		if (refs == 0) {
			rbad(rd, "file %zu (%s) is referenced by nothing", i,
			    f->name);
			return false;
		}
		for (k = 0; as != NULL && k < as->nr_slots; k++) {
			struct page *p = as->pages[k];

			if (p != NULL && (p->mapping != as || p->index != k ||
			    PageFlag(p, PG_anon) || p->_refcount < 1)) {
				rbad(rd, "file %zu (%s): the page cache holds pfn "
				    "%lu at index %lu, which is not that page",
				    i, f->name, page_to_pfn(m, p), k);
				return false;
			}
		}
	}
	for (i = 0; i < rd->navs; i++) {
		struct anon_vma *av = rd->avs[i];
		struct vm_area_struct *vma;
		int refs = 0;

		list_for_each_entry(vma, &av->vmas, anon_vma_node)
			refs++;
		for (size_t j = 0; j < rd->navs; j++)
			refs += rd->avs[j]->parent == av;
		if (refs != av->refcount || av->id > m->last_anon_vma) {
			rbad(rd, "anon_vma %lu: %s", av->id, refs != av->refcount ?
			    "its refcount is not its VMAs and children" :
			    "its id is above last_anon_vma");
			return false;
		}
	}
	for (i = 0; i < rd->ntasks; i++) {
		struct task_struct *t = rd->tasks[i];
		struct vm_area_struct *vma;
		struct pgtable *pgt = t->mm->pgt;

		for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
			if (vma->anon_vma != NULL &&
			    vma->anon_vma_node.next == NULL) {
				rbad(rd, "pid %d: the VMA at 0x%" PRIx64 " is not "
				    "listed by its anon_vma %lu", t->pid,
				    vma->vm_start, vma->anon_vma->id);
				return false;
			}
		}
		if (pgt == NULL || pgt->asid == 0)
			continue;
		if (!(m->tlb->asid_used[pgt->asid / 8] & (1U << (pgt->asid % 8)))) {
			rbad(rd, "pid %d: ASID %u is not marked in use", t->pid,
			    pgt->asid);
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			struct pgtable *o = rd->tasks[j]->mm->pgt;

			if (o != NULL && o->asid == pgt->asid) {
				rbad(rd, "pids %d and %d share ASID %u",
				    rd->tasks[j]->pid, t->pid, pgt->asid);
				return false;
			}
		}
	}
	return true;
}

/* Free what the reader built, without the model's teardown paths. */
static void restore_discard(struct rctx *rd)
{
	struct machine *m = rd->m;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < rd->ntasks; i++) {
		struct task_struct *t = rd->tasks[i];
		struct vm_area_struct *vma = t->mm->mmap, *next;

		for (; vma != NULL; vma = next) {
			next = vma->vm_next;
			free(vma);
		}
		free(t->mm->pgt);
		free(t->mm);
		malloc_free_state(t);
		free(t);
	}
	if (rd->table_owner != NULL) {
		for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++) {
			if (rd->table_owner[pfn] != 0)
				free(pfn_to_page(m, pfn)->mapping);
		}
	}
	for (i = 0; i < rd->navs; i++)
		free(rd->avs[i]);
	for (i = 0; i < rd->nfiles; i++) {
		struct vm_file *f = rd->files[i];
		struct address_space *as = f->mapping;

		if (as != NULL) {
			free(as->pages);
			free(as);
		}
		free(f);
	}
	INIT_LIST_HEAD(&m->tasks);
	INIT_LIST_HEAD(&m->files);
	INIT_LIST_HEAD(&m->anon_vmas);	/* freed above */
	m->tlb->cur = NULL;
	machine_free(m);
	rd->m = NULL;
}

static bool read_root(struct rctx *rd, const cJSON *root)
{
	static const char *const keys[] = { "format", "version", "machine",
	    "counters", "vm_events", "nodes", "reserved", "frames", "files",
	    "anon_vmas", "tasks", "tlb", "slab", "swap", NULL };
	const char *format;
	int version;

	if (!cJSON_IsObject(root)) {
		rerr(rd, root, false, "a state file is a JSON object with "
		    "\"format\": \"%s\", found %s", STATE_FORMAT,
		    json_type_name(root));
		return false;
	}
	if (!k_string(rd, root, "format", 64, &format))
		return false;
	if (strcmp(format, STATE_FORMAT) != 0) {
		json_path_push_key(&rd->path, "format");
		rerr(rd, member(rd, root, "format", true), false, "not a "
		    "vmscope state file (\"format\" must be \"%s\")",
		    STATE_FORMAT);
		return false;
	}
	if (!k_int(rd, root, "version", INT_MIN, INT_MAX, &version))
		return false;
	if (version != STATE_VERSION) {
		json_path_push_key(&rd->path, "version");
		rerr(rd, member(rd, root, "version", true), false, "version %d "
		    "is not supported; this vmscope reads version %d", version,
		    STATE_VERSION);
		return false;
	}
	if (!v_object(rd, root, keys))
		return false;
	rd->m = read_machine(rd, root);
	if (rd->m == NULL)
		return false;
	wipe_machine(rd);
	return read_files(rd, root) && read_anon_vmas(rd, root) &&
	    read_frames(rd, root) && read_reserved(rd, root) &&
	    read_nodes(rd, root) && read_tasks(rd, root) &&
	    link_anon_vmas(rd, root) && read_swap(rd, root) &&
	    read_tlb(rd, root) && read_slab(rd, root) &&
	    read_counters(rd, root) && check_state(rd);
}

struct machine *state_parse(const char *name, const char *text, size_t len,
    struct sbuf *err)
{
	struct rctx rd;
	struct sbuf why = SBUF_INIT;
	struct machine *m = NULL;
	size_t off = 0;
	char vwhy[512];

	memset(&rd, 0, sizeof(rd));
	rd.name = name;
	rd.err = err;
	if (json_doc_parse(&rd.doc, text, len, &why, &off) != 0) {
		unsigned line, col;

		json_linecol(text, len, off, &line, &col);
		sbuf_printf(err, "%s:%u:%u: %s\n", name, line, col, sbuf_str(&why));
		sbuf_free(&why);
		return NULL;
	}
	sbuf_free(&why);
	if (read_root(&rd, rd.doc.root)) {
		size_t i;

		/* the page tables first: the other checkers walk them */
		for (i = 0; i < rd.ntasks; i++) {
			struct pgtable *pgt = rd.tasks[i]->mm->pgt;

			if (pgt != NULL &&
			    validate_pgtable(pgt, vwhy, sizeof(vwhy)) != 0) {
				rbad(&rd, "%s", vwhy);
				break;
			}
		}
		if (!rd.failed && validate_machine(rd.m, vwhy, sizeof(vwhy)) != 0)
			rbad(&rd, "%s", vwhy);
	}
	if (rd.failed)
		restore_discard(&rd);
	else
		m = rd.m;
	free(rd.files);
	free(rd.avs);
	free(rd.tasks);
	free(rd.boot_reserved);
	free(rd.linked);
	free(rd.table_owner);
	sbuf_free(&rd.path);
	json_doc_free(&rd.doc);
	return m;
}

/* ---------------------------------------------------------- files */

int state_save_file(struct machine *m, const char *path, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT;
	FILE *fp;
	int rc = 0;

	state_write(m, &text);
	fp = fopen(path, "wb");
	if (fp == NULL ||
	    fwrite(text.s, 1, text.len, fp) != text.len) {
		sbuf_printf(err, "vmscope: save: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (fp != NULL && fclose(fp) != 0 && rc == 0) {
		sbuf_printf(err, "vmscope: save: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	sbuf_free(&text);
	return rc;
}

struct machine *state_load_file(const char *path, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT;
	struct machine *m = NULL;
	int rc = sbuf_read_file(&text, path, path, STATE_MAX_SIZE, err);

	if (rc == SBUF_TOO_LARGE)
		sbuf_printf(err, "vmscope: %s: too large for a state file "
		    "(over %u MiB)\n", path, STATE_MAX_SIZE >> 20);
	else if (rc == 0)
		m = state_parse(path, text.s != NULL ? text.s : "", text.len,
		    err);
	sbuf_free(&text);
	return m;
}

/* ---------------------------------------------------------- commands */

int state_cmd_save(struct cmd_ctx *ctx, const char *path)
{
	if (state_save_file(ctx->s->m, path, ctx->err) != 0)
		return -1;
	cmd_print(ctx, "saved the machine to %s\n", path);
	return 0;
}

int state_cmd_restore(struct cmd_ctx *ctx, const char *path)
{
	struct machine *m = state_load_file(path, ctx->err);

	if (m == NULL) {
		ctx->s->file_error = true;
		return -1;
	}
	session_set_machine(ctx->s, m);
	cmd_print(ctx, "restored the machine from %s\n", path);
	return 0;
}
