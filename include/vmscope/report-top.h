/*
 * report-top.h - a snapshot of top(1) from procps-ng: the summary lines
 * and the process table (VIRT = total_vm, RES = VmRSS, SHR = RssFile +
 * RssShmem, in KiB). src/report/top.c; reads the machine only.
 */
#ifndef VMSCOPE_REPORT_TOP_H
#define VMSCOPE_REPORT_TOP_H

#include "vmscope/machine.h"
#include "vmscope/sbuf.h"

/*
 * One screen of `top -b -n 1`. vmscope has no clock: the time of day is
 * the number of commands run so far (clock_seconds), as seconds after
 * midnight, and no process has used CPU time.
 */
void	 report_top(struct machine *m, unsigned long clock_seconds,
	    struct sbuf *sb);

#endif
