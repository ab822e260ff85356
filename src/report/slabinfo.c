/*
 * slabinfo.c - views of the slab allocator (src/core/slab.c): the
 * /proc/slabinfo file as SLUB writes it (mm/slab_common.c: slabinfo_show,
 * cache_show, print_slabinfo_header), and the owner text `frames` prints
 * for slab frames and kmalloc_large blocks. Read-only.
 */
#include "vmscope/report-slab.h"
#include "vmscope/slab.h"

void report_slabinfo(struct machine *m, struct sbuf *sb)
{
	struct list_head *caches = slab_caches(m);
	struct kmem_cache *s;

	sbuf_add(sb, "slabinfo - version: 2.1\n");
	sbuf_add(sb, "# name            <active_objs> <num_objs> <objsize> "
	    "<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
	    "<sharedfactor> : slabdata <active_slabs> <num_slabs> "
	    "<sharedavail>\n");
	if (caches == NULL)
		return;
	/*
	 * SLUB has no per-cpu array caches to tune: limit, batchcount and
	 * sharedfactor are 0, and every slab counts as active.
	 */
	list_for_each_entry(s, caches, list) {
		sbuf_printf(sb, "%-17s %6lu %6lu %6u %4u %4lu : tunables %4u "
		    "%4u %4u : slabdata %6lu %6lu %6u\n", s->name,
		    s->active_objs, s->nr_slabs * s->objects, s->size,
		    s->objects, 1UL << s->order, 0U, 0U, 0U, s->nr_slabs,
		    s->nr_slabs, 0U);
	}
}

bool report_slab_owner(struct machine *m, const struct page *page,
    struct sbuf *sb)
{
	unsigned long pfn = page_to_pfn(m, page);
	struct slab *slab;
	int order;

	if (PageFlag(page, PG_slab)) {
		slab = pfn_to_slab(m, pfn);
		if (slab == NULL) {
			sbuf_add(sb, "slab");
			return true;
		}
		sbuf_printf(sb, "slab %s: %u/%u objects", slab->cache->name,
		    slab->inuse, slab->cache->objects);
		return true;
	}
	order = kmalloc_large_order(m, pfn);
	if (order < 0)
		return false;
	sbuf_printf(sb, "kmalloc_large 0x%llx",
	    (unsigned long long)slab_page_address(m, pfn));
	return true;
}
