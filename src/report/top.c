/*
 * top.c - one screen of top(1) (procps-ng 4, `top -b -n 1`): the summary
 * area (uptime line, task states, CPU, MiB Mem and MiB Swap) and the
 * process table. VIRT is total_vm, RES is VmRSS (rss_stat), SHR is
 * RssFile + RssShmem, all in KiB, %MEM is RES over MemTotal. vmscope has
 * no clock and its processes use no CPU time, so the output is
 * deterministic: the time of day counts commands, %CPU and TIME+ are 0.
 * Read-only; proc-pid.c has ps, proc-mem.c the meminfo counters used here.
 */
#include <stdio.h>

#include "vmscope/page_alloc.h"
#include "vmscope/report-top.h"
#include "vmscope/slab.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"

/*
 * scale_num: a KiB count in a column of width w; when it does not fit,
 * top shows it in larger units with a suffix (m, g, t).
 */
static void put_mem(struct sbuf *sb, int w, unsigned long kib)
{
	static const char units[] = "mgt";
	char buf[32];
	double v = (double)kib;
	int i, n;

	n = snprintf(buf, sizeof(buf), "%lu", kib);
	if (n <= w) {
		sbuf_printf(sb, "%*s", w, buf);
		return;
	}
	for (i = 0; units[i] != '\0'; i++) {
		v /= 1024.0;
		n = snprintf(buf, sizeof(buf), "%.1f%c", v, units[i]);
		if (n <= w)
			break;
		n = snprintf(buf, sizeof(buf), "%.0f%c", v, units[i]);
		if (n <= w)
			break;
	}
	sbuf_printf(sb, "%*s", w, buf);
}

void report_top(struct machine *m, unsigned long clock_seconds,
    struct sbuf *sb)
{
	unsigned long total = pages_to_kb(m, m->totalram_pages);
	unsigned long freekb = pages_to_kb(m, global_free_pages(m));
	unsigned long avail = pages_to_kb(m, si_mem_available(m));
	unsigned long cache = pages_to_kb(m, m->nr_file_pages +
	    slab_reclaimable_pages(m));
	unsigned long swap = pages_to_kb(m, total_swap_pages(m));
	unsigned long swapfree = pages_to_kb(m, nr_free_swap_pages(m));
	unsigned long used = total > avail ? total - avail : 0;
	unsigned ntasks = 0, running = 0;
	unsigned long hh, mm, ss;
	struct task_struct *t;

	list_for_each_entry(t, &m->tasks, tasks) {
		ntasks++;
		running += t->state == TASK_RUNNING;
	}
	hh = (clock_seconds / 3600) % 24;
	mm = (clock_seconds / 60) % 60;
	ss = clock_seconds % 60;
	/* sprint_uptime: "up N min" below an hour, "up H:MM" below a day */
	sbuf_printf(sb, "top - %02lu:%02lu:%02lu up ", hh, mm, ss);
	if (clock_seconds < 3600)
		sbuf_printf(sb, "%lu min", clock_seconds / 60);
	else
		sbuf_printf(sb, "%lu:%02lu", clock_seconds / 3600, mm);
	sbuf_add(sb, ",  0 users,  load average: 0.00, 0.00, 0.00\n");
	sbuf_printf(sb, "Tasks:%4u total,%4u running,%4u sleeping,%4u stopped,"
	    "%4u zombie\n", ntasks, running, ntasks - running, 0U, 0U);
	sbuf_add(sb, "%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,"
	    "  0.0 hi,  0.0 si,  0.0 st\n");
	sbuf_printf(sb, "MiB Mem :%9.1f total,%9.1f free,%9.1f used,%9.1f "
	    "buff/cache\n", total / 1024.0, freekb / 1024.0, used / 1024.0,
	    cache / 1024.0);
	sbuf_printf(sb, "MiB Swap:%9.1f total,%9.1f free,%9.1f used.%9.1f "
	    "avail Mem\n", swap / 1024.0, swapfree / 1024.0,
	    (swap - swapfree) / 1024.0, avail / 1024.0);
	sbuf_add(sb, "\n");
	sbuf_printf(sb, "%7s %-8s %3s %3s %7s %6s %6s %c %5s %5s %9s %s\n",
	    "PID", "USER", "PR", "NI", "VIRT", "RES", "SHR", 'S', "%CPU",
	    "%MEM", "TIME+", "COMMAND");
	/* sorted by %CPU as top is; all are 0.0 here, so in pid order */
	list_for_each_entry(t, &m->tasks, tasks) {
		struct mm_struct *mmp = t->mm;
		unsigned long virt = 0, res = 0, shr = 0;

		if (mmp != NULL) {
			virt = pages_to_kb(m, mmp->total_vm);
			res = pages_to_kb(m, get_mm_rss(mmp));
			shr = pages_to_kb(m, get_mm_counter(mmp, MM_FILEPAGES) +
			    get_mm_counter(mmp, MM_SHMEMPAGES));
		}
		sbuf_printf(sb, "%7d %-8s %3d %3d ", t->pid, "root", 20, 0);
		put_mem(sb, 7, virt);
		sbuf_addc(sb, ' ');
		put_mem(sb, 6, res);
		sbuf_addc(sb, ' ');
		put_mem(sb, 6, shr);
		sbuf_printf(sb, " %c %5.1f %5.1f %9s %s\n",
		    t->state == TASK_RUNNING ? 'R' : 'S', 0.0,
		    total ? 100.0 * (double)res / (double)total : 0.0,
		    "0:00.00", t->comm);
	}
}
