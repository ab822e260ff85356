/*
 * report-frames.h - the `frames` view: physical frames in use and their
 * owners, found through the reverse map (rmap.h) for user pages and by
 * walking the page tables for page-table pages. src/report/frames.c.
 */
#ifndef VMSCOPE_REPORT_FRAMES_H
#define VMSCOPE_REPORT_FRAMES_H

#include "vmscope/machine.h"
#include "vmscope/sbuf.h"

/* zone: an enum zone_type, or -1 for every zone. */
void	 report_frames(struct machine *m, int zone, struct sbuf *sb);
/*
 * What the OWNER column says of one frame: the (pid, address) pairs that
 * map it, "pid N pmd table", "page cache: FILE page N", "swap cache"...
 */
void	 report_frame_owner(struct machine *m, unsigned long pfn,
	     struct sbuf *sb);

#endif
