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

#endif
