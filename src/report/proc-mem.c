/*
 * proc-mem.c - the physical-memory views: /proc/buddyinfo,
 * /proc/zoneinfo, /proc/meminfo and free(1), byte for byte in the formats
 * of Linux 6.x (mm/vmstat.c, fs/proc/meminfo.c) and procps-ng 4, and the
 * `info` summary and start-up banner. They read struct machine and write
 * into an sbuf; they never change the model.
 *
 * Counters of subsystems vmscope does not model yet (page cache, slab,
 * LRU lists, swap use...) print 0 until those subsystems arrive.
 * Choices where kernels differ by configuration:
 *  - zoneinfo shows the zones the architecture's kernel configures (so no
 *    HighMem on x86_64, no ZONE_DEVICE anywhere), skips the per-cpu
 *    pagesets (vmscope has none) and the numa_* counters, and stops after
 *    reserved_highatomic (6.13 added free_highatomic);
 *  - meminfo prints Zswap/Zswapped (CONFIG_ZSWAP, as in distribution
 *    kernels) and no Cma lines; HighTotal..LowFree only where HighMem
 *    exists (i386, arm32); the THP lines on 64-bit kernels; DirectMap
 *    lines on x86 only;
 *  - Hugepagesize is what one entry of the level above the PTEs maps
 *    (2048 kB on x86_64 and arm64, 4096 kB on i386 without PAE).
 */
#include <inttypes.h>
#include <string.h>

#include "vmscope/cmd.h"		/* format_size */
#include "vmscope/filemap.h"
#include "vmscope/lru.h"
#include "vmscope/memory.h"
#include "vmscope/page_alloc.h"
#include "vmscope/report-mem.h"
#include "vmscope/slab.h"
#include "vmscope/swap.h"

#define SZ_1K	UINT64_C(1024)
#define SZ_1M	(1024 * SZ_1K)
#define SZ_1G	(1024 * SZ_1M)

bool zone_configured(const struct machine *m, enum zone_type idx)
{
	return idx == ZONE_MOVABLE || m->arch.zone_end[idx] != 0;
}

/* frag_show_print */
void report_buddyinfo(struct machine *m, struct sbuf *sb)
{
	struct zone *z;
	int o;

	for_each_populated_zone(m, z) {
		sbuf_printf(sb, "Node %d, zone %8s ", z->node, z->name);
		for (o = 0; o < MAX_ORDER; o++)
			sbuf_printf(sb, "%6lu ", z->free_area[o].nr_free);
		sbuf_addc(sb, '\n');
	}
}

static unsigned long zone_managed_of(const struct machine *m, enum zone_type t)
{
	unsigned long n = 0;
	int nid;

	for (nid = 0; nid < m->nr_nodes; nid++)
		n += m->nodes[nid].node_zones[t].managed_pages;
	return n;
}

static unsigned long zone_free_of(const struct machine *m, enum zone_type t)
{
	unsigned long n = 0;
	int nid;

	for (nid = 0; nid < m->nr_nodes; nid++)
		n += m->nodes[nid].node_zones[t].nr_free;
	return n;
}

/*
 * The first lines of Linux's per-node counters (enum node_stat_item);
 * the model has none of these yet but the refault counters.
 */
static void zoneinfo_node_stats(struct machine *m, struct sbuf *sb)
{
	static const char *const zero_before[] = {
		"nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
		"nr_active_file", "nr_unevictable", "nr_slab_reclaimable",
		"nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
		"workingset_nodes",
	};
	static const char *const zero_after[] = {
		"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty",
		"nr_writeback", "nr_shmem", "nr_kernel_stack",
		"nr_page_table_pages", "nr_swapcached",
	};
	size_t i;

	sbuf_add(sb, "\n  per-node stats");
	for (i = 0; i < ARRAY_SIZE(zero_before); i++)
		sbuf_printf(sb, "\n      %-12s %lu", zero_before[i], 0UL);
	sbuf_printf(sb, "\n      %-12s %lu", "workingset_refault_anon",
	    m->vm_events[VM_workingset_refault_anon]);
	sbuf_printf(sb, "\n      %-12s %lu", "workingset_refault_file",
	    m->vm_events[VM_workingset_refault_file]);
	for (i = 0; i < ARRAY_SIZE(zero_after); i++)
		sbuf_printf(sb, "\n      %-12s %lu", zero_after[i], 0UL);
}

/* zoneinfo_show_print */
static void zoneinfo_zone(struct machine *m, struct pglist_data *pgdat,
    struct zone *z, struct sbuf *sb)
{
	static const char *const zone_stats[] = {
		"nr_zone_inactive_anon", "nr_zone_active_anon",
		"nr_zone_inactive_file", "nr_zone_active_file",
		"nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
		"nr_bounce", "nr_zspages", "nr_free_cma",
	};
	unsigned long promo;
	size_t i;
	int t;
	bool first = true;

	sbuf_printf(sb, "Node %d, zone %8s", pgdat->node_id, z->name);
	/* the node's counters come with its first populated zone */
	for (t = 0; t < (int)z->idx; t++) {
		if (zone_populated(&pgdat->node_zones[t]))
			first = false;
	}
	if (zone_populated(z) && first)
		zoneinfo_node_stats(m, sb);

	/* WMARK_PROMO sits one more step above high */
	promo = high_wmark_pages(z) + (high_wmark_pages(z) - low_wmark_pages(z));
	sbuf_printf(sb,
	    "\n  pages free     %lu"
	    "\n        boost    %lu"
	    "\n        min      %lu"
	    "\n        low      %lu"
	    "\n        high     %lu"
	    "\n        promo    %lu"
	    "\n        spanned  %lu"
	    "\n        present  %lu"
	    "\n        managed  %lu"
	    "\n        cma      %lu",
	    z->nr_free, 0UL, min_wmark_pages(z), low_wmark_pages(z),
	    high_wmark_pages(z), promo, z->spanned_pages, z->present_pages,
	    z->managed_pages, 0UL);

	sbuf_add(sb, "\n        protection: (");
	first = true;
	for (t = 0; t < MAX_NR_ZONES; t++) {
		if (!zone_configured(m, (enum zone_type)t))
			continue;
		sbuf_printf(sb, first ? "%ld" : ", %ld",
		    (long)z->lowmem_reserve[t]);
		first = false;
	}
	sbuf_addc(sb, ')');

	if (!zone_populated(z)) {
		sbuf_addc(sb, '\n');
		return;
	}
	sbuf_printf(sb, "\n      %-12s %lu", "nr_free_pages", z->nr_free);
	for (i = 0; i < ARRAY_SIZE(zone_stats); i++)
		sbuf_printf(sb, "\n      %-12s %lu", zone_stats[i], 0UL);
	sbuf_printf(sb,
	    "\n  node_unreclaimable:  %u"
	    "\n  start_pfn:           %lu"
	    "\n  reserved_highatomic: %lu",
	    0U, z->zone_start_pfn, 0UL);
	sbuf_addc(sb, '\n');
}

void report_zoneinfo(struct machine *m, struct sbuf *sb)
{
	int nid, t;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		for (t = 0; t < MAX_NR_ZONES; t++) {
			if (!zone_configured(m, (enum zone_type)t))
				continue;
			zoneinfo_zone(m, &m->nodes[nid],
			    &m->nodes[nid].node_zones[t], sb);
		}
	}
}

/* show_val_kb: a 16-column label, the value in 8, " kB". */
static void show_val_kb(struct sbuf *sb, const char *label, unsigned long kb)
{
	sbuf_printf(sb, "%-16s%8lu kB\n", label, kb);
}

static unsigned long swap_total_pages(const struct machine *m)
{
	return total_swap_pages(m);
}

/* Page-cache pages waiting to be written back (NR_FILE_DIRTY). */
static unsigned long nr_file_dirty(struct machine *m)
{
	unsigned long pfn, n = 0;

	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		const struct page *page = pfn_to_page(m, pfn);

		if (PageFlag(page, PG_dirty) && page_is_file_cache(page))
			n++;
	}
	return n;
}

/*
 * swap_show (mm/swapfile.c): the header, then per area the path padded
 * to 40 columns, the type, size and use in KiB and the priority.
 */
void report_swaps(struct machine *m, struct sbuf *sb)
{
	unsigned i;

	sbuf_add(sb, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (i = 0; i < m->nr_swapfiles; i++) {
		const struct swap_info_struct *si = m->swap_info[i];
		unsigned long bytes, inuse;
		int len;

		if (si == NULL || si->writeback_only)
			continue;
		bytes = pages_to_kb(m, si->pages);
		inuse = pages_to_kb(m, si->inuse_pages);
		len = (int)strlen(si->name);
		sbuf_printf(sb, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", si->name,
		    len < 40 ? 40 - len : 1, " ", "file\t", bytes,
		    bytes < 10000000 ? "\t" : "", inuse,
		    inuse < 10000000 ? "\t" : "", si->prio);
	}
}

/* VMALLOC_TOTAL >> 10 of each architecture's kernel. */
static unsigned long vmalloc_total_kb(const struct machine *m)
{
	switch (m->cfg.arch) {
	case ARCH_X86_64:
		return 34359738367UL;		/* 32T - 1 byte */
	case ARCH_X86_64_LA57:
		return 13743895347199UL;	/* 12800T - 1 byte */
	case ARCH_I386:
		return 122880;			/* 120M above 896M of lowmem */
	case ARCH_ARM32:
		return 245760;			/* the default 240M */
	case ARCH_ARM64:
		return 135290159040UL;		/* 48-bit VA, 4K pages */
	default:
		return 0;
	}
}

/*
 * arch_report_meminfo on x86: how the direct map covers RAM. vmscope
 * maps the first 2M (4M on i386) with small pages, as the kernel does
 * around the BIOS area, then the largest pages that fit.
 */
static void report_directmap(struct machine *m, struct sbuf *sb)
{
	uint64_t ram = m->cfg.ram, k4, m2 = 0, g1 = 0, pos, end, big;

	if (m->cfg.arch == ARCH_I386) {
		end = min_t(uint64_t, ram, 896 * SZ_1M);
		k4 = min_t(uint64_t, end, 4 * SZ_1M);
		big = (end - k4) / (4 * SZ_1M) * (4 * SZ_1M);
		k4 += end - k4 - big;
		sbuf_printf(sb, "DirectMap4k:    %8lu kB\n",
		    (unsigned long)(k4 >> 10));
		sbuf_printf(sb, "DirectMap4M:    %8lu kB\n",
		    (unsigned long)(big >> 10));
		return;
	}
	k4 = min_t(uint64_t, ram, 2 * SZ_1M);
	pos = k4;
	end = min_t(uint64_t, ram, SZ_1G);
	if (end > pos) {
		m2 = (end - pos) / (2 * SZ_1M) * (2 * SZ_1M);
		k4 += end - pos - m2;
		pos = end;
	}
	if (ram > pos) {
		g1 = (ram - pos) / SZ_1G * SZ_1G;
		pos += g1;
		big = (ram - pos) / (2 * SZ_1M) * (2 * SZ_1M);
		m2 += big;
		k4 += ram - pos - big;
	}
	sbuf_printf(sb, "DirectMap4k:    %8lu kB\n", (unsigned long)(k4 >> 10));
	sbuf_printf(sb, "DirectMap2M:    %8lu kB\n", (unsigned long)(m2 >> 10));
	sbuf_printf(sb, "DirectMap1G:    %8lu kB\n", (unsigned long)(g1 >> 10));
}

/* meminfo_proc_show */
void report_meminfo(struct machine *m, struct sbuf *sb)
{
	unsigned long totalram = m->totalram_pages;
	unsigned long freeram = global_free_pages(m);
	unsigned long swap = swap_total_pages(m);
	unsigned long totalhigh, freehigh, commit, hpage_kb;
	bool highmem = zone_configured(m, ZONE_HIGHMEM);
	struct mem_stats mst;
	bool is64 = m->arch.bits == 64;
	int last = m->arch.nr_levels - 1;

	memory_stats(m, &mst);

	show_val_kb(sb, "MemTotal:", pages_to_kb(m, totalram));
	show_val_kb(sb, "MemFree:", pages_to_kb(m, freeram));
	show_val_kb(sb, "MemAvailable:", pages_to_kb(m, si_mem_available(m)));
	show_val_kb(sb, "Buffers:", 0);
	show_val_kb(sb, "Cached:", pages_to_kb(m, m->nr_file_pages));
	show_val_kb(sb, "SwapCached:", pages_to_kb(m,
	    total_swapcache_pages(m)));
	show_val_kb(sb, "Active:", pages_to_kb(m,
	    global_lru_pages(m, LRU_ACTIVE_ANON) +
	    global_lru_pages(m, LRU_ACTIVE_FILE)));
	show_val_kb(sb, "Inactive:", pages_to_kb(m,
	    global_lru_pages(m, LRU_INACTIVE_ANON) +
	    global_lru_pages(m, LRU_INACTIVE_FILE)));
	show_val_kb(sb, "Active(anon):", pages_to_kb(m,
	    global_lru_pages(m, LRU_ACTIVE_ANON)));
	show_val_kb(sb, "Inactive(anon):", pages_to_kb(m,
	    global_lru_pages(m, LRU_INACTIVE_ANON)));
	show_val_kb(sb, "Active(file):", pages_to_kb(m,
	    global_lru_pages(m, LRU_ACTIVE_FILE)));
	show_val_kb(sb, "Inactive(file):", pages_to_kb(m,
	    global_lru_pages(m, LRU_INACTIVE_FILE)));
	show_val_kb(sb, "Unevictable:", 0);
	show_val_kb(sb, "Mlocked:", 0);
	if (highmem) {
		totalhigh = zone_managed_of(m, ZONE_HIGHMEM);
		freehigh = zone_free_of(m, ZONE_HIGHMEM);
		show_val_kb(sb, "HighTotal:", pages_to_kb(m, totalhigh));
		show_val_kb(sb, "HighFree:", pages_to_kb(m, freehigh));
		show_val_kb(sb, "LowTotal:", pages_to_kb(m, totalram - totalhigh));
		show_val_kb(sb, "LowFree:", pages_to_kb(m, freeram - freehigh));
	}
	show_val_kb(sb, "SwapTotal:", pages_to_kb(m, swap));
	show_val_kb(sb, "SwapFree:", pages_to_kb(m, nr_free_swap_pages(m)));
	show_val_kb(sb, "Zswap:", 0);
	show_val_kb(sb, "Zswapped:", 0);
	show_val_kb(sb, "Dirty:", pages_to_kb(m, nr_file_dirty(m)));
	show_val_kb(sb, "Writeback:", 0);
	show_val_kb(sb, "AnonPages:", pages_to_kb(m, mst.anon));
	show_val_kb(sb, "Mapped:", pages_to_kb(m, mst.mapped));
	show_val_kb(sb, "Shmem:", pages_to_kb(m, m->nr_shmem_pages));
	/* slab.c: kmalloc_large pages count as SUnreclaim, as in Linux */
	show_val_kb(sb, "KReclaimable:", pages_to_kb(m,
	    slab_reclaimable_pages(m)));
	show_val_kb(sb, "Slab:", pages_to_kb(m, slab_reclaimable_pages(m) +
	    slab_unreclaimable_pages(m)));
	show_val_kb(sb, "SReclaimable:", pages_to_kb(m,
	    slab_reclaimable_pages(m)));
	show_val_kb(sb, "SUnreclaim:", pages_to_kb(m,
	    slab_unreclaimable_pages(m)));
	show_val_kb(sb, "KernelStack:", 0);
	show_val_kb(sb, "PageTables:", pages_to_kb(m, m->nr_pgtable_pages));
	show_val_kb(sb, "SecPageTables:", 0);
	show_val_kb(sb, "NFS_Unstable:", 0);
	show_val_kb(sb, "Bounce:", 0);
	show_val_kb(sb, "WritebackTmp:", 0);
	/* vm_commit_limit with vm.overcommit_ratio = 50 */
	commit = totalram * 50 / 100 + swap;
	show_val_kb(sb, "CommitLimit:", pages_to_kb(m, commit));
	show_val_kb(sb, "Committed_AS:", 0);
	show_val_kb(sb, "VmallocTotal:", vmalloc_total_kb(m));
	show_val_kb(sb, "VmallocUsed:", 0);
	show_val_kb(sb, "VmallocChunk:", 0);
	show_val_kb(sb, "Percpu:", 0);
	sbuf_printf(sb, "HardwareCorrupted: %5lu kB\n", 0UL);
	if (is64) {
		show_val_kb(sb, "AnonHugePages:", pages_to_kb(m, mst.anon_thp));
		show_val_kb(sb, "ShmemHugePages:", 0);
		show_val_kb(sb, "ShmemPmdMapped:", 0);
		show_val_kb(sb, "FileHugePages:", 0);
		show_val_kb(sb, "FilePmdMapped:", 0);
	}
	/* hugetlb_report_meminfo */
	hpage_kb = last > 0 ? (unsigned long)((m->page_size <<
	    m->arch.level_bits[last]) / 1024) : 0;
	sbuf_printf(sb,
	    "HugePages_Total:   %5lu\n"
	    "HugePages_Free:    %5lu\n"
	    "HugePages_Rsvd:    %5lu\n"
	    "HugePages_Surp:    %5lu\n"
	    "Hugepagesize:   %8lu kB\n",
	    mst.hugetlb, 0UL, 0UL, mst.hugetlb, hpage_kb);
	/* pages are allocated as surplus on fault: nr_hugepages is 0 */
	sbuf_printf(sb, "Hugetlb:        %8lu kB\n", mst.hugetlb * hpage_kb);
	if (m->cfg.arch == ARCH_X86_64 || m->cfg.arch == ARCH_X86_64_LA57 ||
	    m->cfg.arch == ARCH_I386)
		report_directmap(m, sb);
}

/*
 * free(1), procps-ng 4: label column of 8, then right-aligned columns of
 * 12, so "total" ends at column 20. used = MemTotal - MemAvailable;
 * buff/cache = Buffers + Cached + SReclaimable.
 */
void report_free(struct machine *m, struct sbuf *sb)
{
	unsigned long total = pages_to_kb(m, m->totalram_pages);
	unsigned long freekb = pages_to_kb(m, global_free_pages(m));
	unsigned long avail = pages_to_kb(m, si_mem_available(m));
	unsigned long swap = pages_to_kb(m, swap_total_pages(m));
	unsigned long swapfree = pages_to_kb(m, nr_free_swap_pages(m));
	unsigned long cache = pages_to_kb(m, m->nr_file_pages);
	unsigned long used = total > avail ? total - avail : 0;

	sbuf_add(sb, "               total        used        free      shared"
	    "  buff/cache   available\n");
	sbuf_printf(sb, "%-8s%12lu%12lu%12lu%12lu%12lu%12lu\n", "Mem:",
	    total, used, freekb, 0UL, cache, avail);
	sbuf_printf(sb, "%-8s%12lu%12lu%12lu\n", "Swap:", swap, swap - swapfree,
	    swapfree);
}

static void banner_geometry(struct machine *m, struct sbuf *sb)
{
	int i;

	sbuf_printf(sb, " (%u-bit VA, ", m->arch.va_bits);
	format_size(sb, m->page_size);
	sbuf_add(sb, " pages, levels ");
	for (i = 0; i < m->arch.nr_levels; i++)
		sbuf_printf(sb, i ? "+%u" : "%u", m->arch.level_bits[i]);
	sbuf_addc(sb, ')');
}

void report_banner(struct machine *m, struct sbuf *sb)
{
	int nid, t;
	bool first;

	sbuf_printf(sb, "machine: %s", m->arch.name);
	if (m->cfg.arch == ARCH_TOY)
		banner_geometry(m, sb);
	sbuf_add(sb, ", ");
	format_size(sb, m->cfg.ram);
	sbuf_add(sb, " RAM (");
	for (nid = 0; nid < m->nr_nodes; nid++) {
		sbuf_printf(sb, "%snode %d:", nid ? "; " : "", nid);
		first = true;
		for (t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &m->nodes[nid].node_zones[t];

			if (!zone_populated(z))
				continue;
			sbuf_printf(sb, "%s %s ", first ? "" : ",", z->name);
			format_size(sb, (uint64_t)z->spanned_pages * m->page_size);
			first = false;
		}
	}
	sbuf_add(sb, "), ");
	if (m->cfg.swap != 0) {
		sbuf_add(sb, "swap ");
		format_size(sb, m->cfg.swap);
	} else {
		sbuf_add(sb, "no swap");
	}
	sbuf_printf(sb, ", TLB %dx%d %s ASID\n", m->cfg.tlb_entries,
	    m->cfg.tlb_ways, m->cfg.asid ? "with" : "without");
}

static void info_reservations(struct machine *m, struct sbuf *sb)
{
	if (m->cfg.arch == ARCH_TOY) {
		sbuf_add(sb, "reserved    nothing (the toy keeps its memmap off "
		    "the board)\n");
		return;
	}
	sbuf_add(sb, "reserved    ");
	if (m->cfg.arch == ARCH_X86_64 || m->cfg.arch == ARCH_X86_64_LA57 ||
	    m->cfg.arch == ARCH_I386)
		sbuf_add(sb, "pfn 0 (BIOS data), ");
	sbuf_add(sb, "kernel image ");
	format_size(sb, m->arch.kernel_size);
	sbuf_printf(sb, " at 0x%" PRIx64 ", memmap ", m->arch.kernel_phys);
	format_size(sb, (uint64_t)m->memmap_pages * m->page_size);
	sbuf_add(sb, " (64 bytes of struct page per frame)\n");
}

void report_info(struct machine *m, struct sbuf *sb)
{
	const struct arch_profile *a = &m->arch;
	int nid, t, i;

	sbuf_printf(sb, "arch        %s: %u-bit virtual addresses, ", a->name,
	    a->va_bits);
	format_size(sb, m->page_size);
	sbuf_printf(sb, " pages, %d levels ", a->nr_levels);
	for (i = 0; i < a->nr_levels; i++)
		sbuf_printf(sb, i ? "/%s" : "%s", a->level_names[i]);
	sbuf_add(sb, " (");
	for (i = 0; i < a->nr_levels; i++)
		sbuf_printf(sb, "%u+", a->level_bits[i]);
	sbuf_printf(sb, "%u bits), %u-byte entries\n", a->page_shift,
	    a->pte_size);
	sbuf_printf(sb, "user space  0x0-0x%" PRIx64 " (TASK_SIZE)", a->task_size);
	if (a->page_offset != a->task_size)
		sbuf_printf(sb, ", kernel linear map at 0x%" PRIx64
		    " (PAGE_OFFSET)", a->page_offset);
	sbuf_addc(sb, '\n');
	sbuf_add(sb, "RAM         ");
	format_size(sb, m->cfg.ram);
	sbuf_printf(sb, " = %lu page frames (max_pfn 0x%lx), %d node%s\n",
	    m->max_pfn, m->max_pfn, m->nr_nodes, m->nr_nodes > 1 ? "s" : "");
	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct pglist_data *pgdat = &m->nodes[nid];

		sbuf_printf(sb, "node %d      pfn 0x%lx-0x%lx\n", nid,
		    pgdat->node_start_pfn,
		    pgdat->node_start_pfn + pgdat->node_spanned_pages);
		for (t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &pgdat->node_zones[t];

			if (!zone_populated(z))
				continue;
			sbuf_printf(sb, "  %-8s  pfn 0x%lx-0x%lx  ", z->name,
			    z->zone_start_pfn, zone_end_pfn(z));
			format_size(sb, (uint64_t)z->spanned_pages *
			    m->page_size);
			sbuf_printf(sb, ", managed %lu, reserved %lu, free %lu, "
			    "wmark min/low/high %lu/%lu/%lu\n",
			    z->managed_pages, z->nr_reserved, z->nr_free,
			    min_wmark_pages(z), low_wmark_pages(z),
			    high_wmark_pages(z));
		}
	}
	info_reservations(m, sb);
	sbuf_printf(sb, "reserves    min_free_kbytes %lu, totalreserve_pages "
	    "%lu\n", m->min_free_kbytes, m->totalreserve_pages);
	sbuf_add(sb, "swap        ");
	if (m->cfg.swap)
		format_size(sb, m->cfg.swap);
	else
		sbuf_add(sb, "none");
	sbuf_printf(sb, "\nTLB         %d entries, %d-way (%d sets), ASID %s\n",
	    m->cfg.tlb_entries, m->cfg.tlb_ways,
	    m->cfg.tlb_entries / m->cfg.tlb_ways, m->cfg.asid ? "on" : "off");
	sbuf_printf(sb, "policy      %s\n", policy_names[m->cfg.policy]);
	sbuf_printf(sb, "seed        %" PRIu64 "\n", m->cfg.seed);
}
