/*
 * report-mem.h - text views of physical memory, written into a struct
 * sbuf: /proc/buddyinfo, /proc/zoneinfo, /proc/meminfo and free(1) in
 * their exact Linux formats (so a student can put them next to their own
 * machine's), plus vmscope's own machine summary (`info`) and banner.
 * The views only read the machine.
 */
#ifndef VMSCOPE_REPORT_MEM_H
#define VMSCOPE_REPORT_MEM_H

#include "vmscope/machine.h"
#include "vmscope/sbuf.h"

/* /proc/buddyinfo: populated zones, free blocks per order. */
void	 report_buddyinfo(struct machine *m, struct sbuf *sb);
/* /proc/zoneinfo: every zone the architecture configures, per node. */
void	 report_zoneinfo(struct machine *m, struct sbuf *sb);
/* /proc/meminfo, Linux 6.x field list and order. */
void	 report_meminfo(struct machine *m, struct sbuf *sb);
/* /proc/swaps (swap_show). */
void	 report_swaps(struct machine *m, struct sbuf *sb);
/* free(1) from procps-ng 4, default (KiB) output. */
void	 report_free(struct machine *m, struct sbuf *sb);
/* `info`: architecture, RAM layout, reservations, swap, TLB, policy. */
void	 report_info(struct machine *m, struct sbuf *sb);
/*
 * One line, newline included: "machine: x86_64, 256 MiB RAM (node 0:
 * DMA 16 MiB, DMA32 240 MiB), swap 64 MiB, TLB 64x4 with ASID".
 */
void	 report_banner(struct machine *m, struct sbuf *sb);

/* Whether the architecture's kernel has this zone (views show only those). */
bool	 zone_configured(const struct machine *m, enum zone_type idx);

#endif
