/*
 * report-slab.h - text views of the slab allocator (slab.h): /proc/slabinfo
 * in its exact format, and the owner column `frames` shows for a slab or
 * kmalloc_large frame. src/report/slabinfo.c; the views only read.
 */
#ifndef VMSCOPE_REPORT_SLAB_H
#define VMSCOPE_REPORT_SLAB_H

#include "vmscope/machine.h"
#include "vmscope/sbuf.h"

/* /proc/slabinfo, version 2.1 as SLUB writes it (slab_common.c cache_show). */
void	 report_slabinfo(struct machine *m, struct sbuf *sb);
/*
 * When the frame is a slab (or a kmalloc_large block), append who owns it
 * ("slab kmalloc-64: 3/64 objects") and return true; otherwise append
 * nothing and return false.
 */
bool	 report_slab_owner(struct machine *m, const struct page *page,
	    struct sbuf *sb);

#endif
