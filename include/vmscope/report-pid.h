/*
 * report-pid.h - text views of one process, written into a struct sbuf in
 * the exact formats of Linux and procps so a student can put them next to
 * their own machine's: /proc/PID/maps, /proc/PID/smaps, /proc/PID/status
 * (its identity and Vm* lines), pmap -x, and ps. src/report/proc-pid.c;
 * the views only read the task and its mm.
 */
#ifndef VMSCOPE_REPORT_PID_H
#define VMSCOPE_REPORT_PID_H

#include "vmscope/sbuf.h"
#include "vmscope/task.h"

/* /proc/PID/maps: one line per VMA, then the gate page ([vsyscall]). */
void	 report_maps(struct task_struct *t, struct sbuf *sb);
/* One maps line for vma (newline included). */
void	 report_maps_line(struct task_struct *t, struct vm_area_struct *vma,
	    struct sbuf *sb);
/* The name maps shows for vma, or NULL (plain anonymous memory). */
const char *vma_display_name(struct task_struct *t,
	    const struct vm_area_struct *vma);
/* /proc/PID/smaps: each maps line and its counters. */
void	 report_smaps(struct task_struct *t, struct sbuf *sb);
/* pmap -x PID (procps-ng). */
void	 report_pmap(struct task_struct *t, struct sbuf *sb);
/* /proc/PID/status: Name, State, the pids, the Vm and Rss lines. */
void	 report_status(struct task_struct *t, struct sbuf *sb);
/* ps: PID PPID COMM VSZ RSS MINFLT MAJFLT STATE for every process. */
void	 report_ps(struct machine *m, struct sbuf *sb);
/* The kernel half of the address space, region by region. */
void	 report_kernel_layout(struct machine *m, struct sbuf *sb);

#endif
