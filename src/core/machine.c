/*
 * machine.c - building and tearing down a simulated machine: configuration
 * defaults and validation, the physical layout (nodes, zones, one struct
 * page per frame), the boot-time reservations and the hand-over of every
 * other frame to the buddy allocator (page_alloc.c), as start_kernel ->
 * mm_core_init -> memblock_free_all does.
 *
 * Layout rules, in the order boot applies them:
 *
 *  - RAM starts at physical address 0 and is split evenly into nr_nodes
 *    NUMA nodes (node i: pfns [i * max_pfn / n, (i + 1) * max_pfn / n)).
 *    A node holds a piece of every zone its range crosses, so with two
 *    nodes on x86_64 node 1 may have only DMA32 or Normal.
 *  - Zones follow the architecture's zone_end (arch.c). With --movable the
 *    top quarter of RAM becomes ZONE_MOVABLE, taken only from the highest
 *    populated zone, as find_zone_movable_pfns_for_nodes does with
 *    movablecore=: on i386 with 1G that is all of HighMem.
 *  - memblock reservations, in this order:
 *      * x86: pfn 0, the real-mode IVT and BIOS data area (Linux keeps the
 *        first page away from the allocator, see trim_low_memory_range);
 *      * the kernel image at the architecture's load address, sized
 *        RAM/64 clamped to [1M, 32M] (a distribution kernel's text, data,
 *        bss and initial page tables are in that range);
 *      * each node's memmap (the array of struct page, 64 bytes per frame
 *        in Linux, whatever sizeof(struct page) is here) at the top of
 *        that node's low memory, as memblock allocates top-down and
 *        sparse_init puts a node's memmap on the node. 32-bit kernels
 *        need it below HighMem; a node with no low memory borrows from
 *        the top of the lowest node's.
 *    The toy machine reserves nothing: every frame is there to teach.
 *  - Reserved frames are PG_reserved, counted in zone->nr_reserved, and
 *    never managed: managed = present - reserved. vmscope models no holes,
 *    so present == spanned.
 *  - Every other frame is freed into the buddy lists one by one with the
 *    event bus muted; blocks merge as they meet, never across zones.
 *  - Then watermarks, lowmem_reserve and totalreserve_pages
 *    (init_per_zone_wmark_min), and one EV_MACHINE_BOOT event.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/lru.h"
#include "vmscope/machine.h"
#include "vmscope/page_alloc.h"
#include "vmscope/slab.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"

/* Linux's struct page is 64 bytes; the model's must not be bigger. */
_Static_assert(sizeof(struct page) <= 64, "struct page grew beyond 64 bytes");

#define SZ_1K			UINT64_C(1024)
#define SZ_1M			(1024 * SZ_1K)
#define SZ_1G			(1024 * SZ_1M)

/* What Linux's memmap costs per frame, whatever vmscope's struct page is. */
#define LINUX_STRUCT_PAGE_SIZE	64

#define TOY_DEFAULT_RAM		(1 * SZ_1K)
#define TOY_DEFAULT_SWAP	(1 * SZ_1K)
#define TOY_MIN_FRAMES		4
#define NODE_MIN_RAM		(8 * SZ_1M)	/* per node, real archs */

void machine_config_default(struct machine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->arch = ARCH_X86_64;
	cfg->ram = 256 * SZ_1M;
	cfg->swap = 64 * SZ_1M;
	cfg->nodes = 1;
	cfg->tlb_entries = 64;
	cfg->tlb_ways = 4;
	cfg->asid = true;
	cfg->movable = false;
	cfg->policy = POLICY_LRU2Q;
	cfg->seed = 1;
	/*
	 * The toy's defaults, used with --arch toy: the textbook machine of
	 * 32-byte pages and a 15-bit address space translated by two levels
	 * of 32 entries (5 + 5 + 5 bits).
	 */
	cfg->va_bits = 15;
	cfg->page_size = 32;
	cfg->nr_levels = 2;
	cfg->level_bits[0] = 5;
	cfg->level_bits[1] = 5;
}

void machine_config_for_arch(struct machine_config *cfg, enum arch_id arch)
{
	cfg->arch = arch;
	if (arch == ARCH_TOY) {
		/* 32 frames for a 1024-page virtual space: swapping is visible */
		cfg->ram = TOY_DEFAULT_RAM;
		cfg->swap = TOY_DEFAULT_SWAP;
		cfg->tlb_entries = 8;
		cfg->tlb_ways = 2;
	} else {
		cfg->ram = 256 * SZ_1M;
		cfg->swap = 64 * SZ_1M;
		cfg->tlb_entries = 64;
		cfg->tlb_ways = 4;
	}
}

/* "256M", "1536K", "32B": how the user would have typed it. */
static const char *size_str(char *buf, size_t len, uint64_t bytes)
{
	if (bytes != 0 && bytes % SZ_1G == 0)
		snprintf(buf, len, "%" PRIu64 "G", bytes / SZ_1G);
	else if (bytes != 0 && bytes % SZ_1M == 0)
		snprintf(buf, len, "%" PRIu64 "M", bytes / SZ_1M);
	else if (bytes != 0 && bytes % SZ_1K == 0)
		snprintf(buf, len, "%" PRIu64 "K", bytes / SZ_1K);
	else
		snprintf(buf, len, "%" PRIu64 "B", bytes);
	return buf;
}

static int __printf(3, 4) config_error(char *err, size_t errlen,
    const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_power_of_2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static unsigned ilog2_u64(uint64_t x)
{
	unsigned r = 0;

	while (x >>= 1)
		r++;
	return r;
}

/* Linux's names for the levels that remain when some are folded. */
static const char *const level_names_by_count[MAX_PT_LEVELS][MAX_PT_LEVELS] = {
	{ "pte" },
	{ "pgd", "pte" },
	{ "pgd", "pmd", "pte" },
	{ "pgd", "pud", "pmd", "pte" },
	{ "pgd", "p4d", "pud", "pmd", "pte" },
};

/* Fill in the toy's geometry from the configuration, checking it. */
static int toy_geometry(struct arch_profile *a, const struct machine_config *cfg,
    char *err, size_t errlen)
{
	unsigned sum = 0, widest = 0, shift;
	uint64_t entry;
	int i;

	if (!is_power_of_2(cfg->page_size) || cfg->page_size < 8 ||
	    cfg->page_size > 64 * SZ_1K)
		return config_error(err, errlen, "--page-size %" PRIu64 ": a "
		    "power of two from 8 bytes to 64K is needed", cfg->page_size);
	shift = ilog2_u64(cfg->page_size);
	if (cfg->nr_levels < 1 || cfg->nr_levels > MAX_PT_LEVELS)
		return config_error(err, errlen, "--levels: 1 to %d levels are "
		    "possible, not %d", MAX_PT_LEVELS, cfg->nr_levels);
	for (i = 0; i < cfg->nr_levels; i++) {
		if (cfg->level_bits[i] < 1 || cfg->level_bits[i] > 16)
			return config_error(err, errlen, "--levels: level %d "
			    "has %u bits; 1 to 16 are possible", i,
			    cfg->level_bits[i]);
		sum += cfg->level_bits[i];
		if (cfg->level_bits[i] > widest)
			widest = cfg->level_bits[i];
	}
	if (cfg->va_bits < 4 || cfg->va_bits > 32)
		return config_error(err, errlen, "--va-bits %u: the toy "
		    "translates 4 to 32 bits", cfg->va_bits);
	if (sum + shift != cfg->va_bits)
		return config_error(err, errlen, "--va-bits %u does not match "
		    "the geometry: %u level bits + %u offset bits (%" PRIu64
		    "-byte pages) = %u", cfg->va_bits, sum, shift,
		    cfg->page_size, sum + shift);

	a->va_bits = cfg->va_bits;
	a->page_shift = shift;
	a->nr_levels = cfg->nr_levels;
	for (i = 0; i < MAX_PT_LEVELS; i++) {
		a->level_bits[i] = i < cfg->nr_levels ? cfg->level_bits[i] : 0;
		a->level_names[i] = i < cfg->nr_levels ?
		    level_names_by_count[cfg->nr_levels - 1][i] : NULL;
	}
	/*
	 * Entries are as wide as lets the widest table fill one page (the
	 * textbook convention), at least one byte and at most eight; with
	 * more entries than bytes in a page a table spans several pages.
	 */
	entry = cfg->page_size >> widest;
	a->pte_size = (unsigned)clamp_t(uint64_t, entry, 1, 8);
	/* all of the toy's space is user space; no kernel half */
	a->task_size = 1ULL << cfg->va_bits;
	a->page_offset = a->task_size;
	a->min_ram = TOY_MIN_FRAMES * cfg->page_size;
	return 0;
}

static int check_config(const struct machine_config *cfg,
    struct arch_profile *a, char *err, size_t errlen)
{
	const struct arch_profile *p = arch_get(cfg->arch);
	char b1[32], b2[32];
	uint64_t page_size, per_node;
	int rc;

	if (p == NULL)
		return config_error(err, errlen, "unknown architecture %d",
		    (int)cfg->arch);
	*a = *p;
	if (cfg->arch == ARCH_TOY) {
		rc = toy_geometry(a, cfg, err, errlen);
		if (rc != 0)
			return rc;
	}
	page_size = 1ULL << a->page_shift;

	if (cfg->ram < a->min_ram)
		return config_error(err, errlen, "--ram %s: at least %s is "
		    "needed for %s", size_str(b1, sizeof b1, cfg->ram),
		    size_str(b2, sizeof b2, a->min_ram), a->name);
	if (cfg->ram > a->max_ram)
		return config_error(err, errlen, "--ram %s: at most %s is "
		    "possible for %s", size_str(b1, sizeof b1, cfg->ram),
		    size_str(b2, sizeof b2, a->max_ram), a->name);
	if (cfg->ram % page_size != 0)
		return config_error(err, errlen, "--ram %s is not a multiple "
		    "of the page size (%s)", size_str(b1, sizeof b1, cfg->ram),
		    size_str(b2, sizeof b2, page_size));
	if (cfg->nodes < 1 || cfg->nodes > MAX_NUMNODES)
		return config_error(err, errlen, "--nodes %d: 1 to %d nodes are "
		    "possible", cfg->nodes, MAX_NUMNODES);
	per_node = cfg->ram / (uint64_t)cfg->nodes;
	if (cfg->arch == ARCH_TOY ? per_node < 2 * page_size :
	    per_node < NODE_MIN_RAM)
		return config_error(err, errlen, "--nodes %d: %s of RAM gives "
		    "each node %s; at least %s per node is needed", cfg->nodes,
		    size_str(b1, sizeof b1, cfg->ram),
		    size_str(b2, sizeof b2, per_node),
		    cfg->arch == ARCH_TOY ? "2 pages" : "8M");
	if (cfg->tlb_entries < 1 || cfg->tlb_entries > 4096)
		return config_error(err, errlen, "--tlb %d: 1 to 4096 entries "
		    "are possible", cfg->tlb_entries);
	if (cfg->tlb_ways < 1 || cfg->tlb_ways > cfg->tlb_entries ||
	    cfg->tlb_entries % cfg->tlb_ways != 0 ||
	    !is_power_of_2((uint64_t)(cfg->tlb_entries / cfg->tlb_ways)))
		return config_error(err, errlen, "--tlb %dx%d: the entries must "
		    "divide into a power-of-two number of sets of %d ways",
		    cfg->tlb_entries, cfg->tlb_ways, cfg->tlb_ways);
	if ((unsigned)cfg->policy >= NR_POLICIES)
		return config_error(err, errlen, "unknown policy %d",
		    (int)cfg->policy);
	return 0;
}

/* The zone a frame belongs to, from the arch limits and --movable. */
struct zone_ranges {
	unsigned long	start[MAX_NR_ZONES];
	unsigned long	end[MAX_NR_ZONES];
};

static void compute_zone_ranges(const struct machine *m, struct zone_ranges *r)
{
	unsigned long prev = 0, end, mstart;
	int z, top = -1;

	memset(r, 0, sizeof(*r));
	for (z = 0; z < ZONE_MOVABLE; z++) {
		if (m->arch.zone_end[z] == 0)
			continue;
		end = (unsigned long)min_t(uint64_t,
		    m->arch.zone_end[z] >> m->arch.page_shift, m->max_pfn);
		if (end < prev)
			end = prev;
		r->start[z] = prev;
		r->end[z] = end;
		if (end > prev)
			top = z;
		prev = end;
	}
	if (!m->cfg.movable || top < 0)
		return;
	/* the top quarter, but only out of the highest populated zone */
	mstart = m->max_pfn - m->max_pfn / 4;
	if (mstart < r->start[top])
		mstart = r->start[top];
	r->end[top] = mstart;
	r->start[ZONE_MOVABLE] = mstart;
	r->end[ZONE_MOVABLE] = m->max_pfn;
}

static void memblock_reserve(struct machine *m, unsigned long start,
    unsigned long n)
{
	unsigned long pfn;

	for (pfn = start; pfn < start + n && pfn < m->max_pfn; pfn++)
		SetPageFlag(&m->mem_map[pfn], PG_reserved);
}

/*
 * memblock_alloc, top-down: the highest run of n unreserved frames inside
 * [lo, hi). Returns its first pfn, or -1 when none fits.
 */
static long memblock_find_top(struct machine *m, unsigned long n,
    unsigned long lo, unsigned long hi)
{
	unsigned long end = hi, pfn;

	if (n == 0 || hi <= lo || hi - lo < n)
		return -1;
	while (end - lo >= n) {
		for (pfn = end; pfn > end - n; pfn--) {
			if (PageReserved(&m->mem_map[pfn - 1]))
				break;
		}
		if (pfn == end - n)
			return (long)pfn;
		end = pfn - 1;	/* skip past the reserved frame */
	}
	return -1;
}

/* The end of memory the kernel maps permanently (no HighMem, no Movable). */
static unsigned long lowmem_end_pfn(const struct zone_ranges *r)
{
	unsigned long end = 0;
	int z;

	for (z = 0; z <= ZONE_NORMAL; z++) {
		if (r->end[z] > r->start[z] && r->end[z] > end)
			end = r->end[z];
	}
	return end;
}

static int reserve_boot_memory(struct machine *m, const struct zone_ranges *r,
    char *err, size_t errlen)
{
	unsigned long kstart, kpages, lowmem = lowmem_end_pfn(r);
	uint64_t ksize;
	char b1[32], b2[32];
	int nid;

	if (m->cfg.arch == ARCH_TOY)
		return 0;

	if (m->cfg.arch == ARCH_X86_64 || m->cfg.arch == ARCH_X86_64_LA57 ||
	    m->cfg.arch == ARCH_I386)
		memblock_reserve(m, 0, 1);

	ksize = clamp_t(uint64_t, m->cfg.ram / 64, SZ_1M, 32 * SZ_1M);
	ksize = ALIGN_UP(ksize, m->page_size);
	m->arch.kernel_size = ksize;
	if (m->arch.kernel_phys + ksize > m->cfg.ram)
		return config_error(err, errlen, "--ram %s: the %s kernel "
		    "image is loaded at %s and needs %s",
		    size_str(b1, sizeof b1, m->cfg.ram), m->arch.name,
		    size_str(b2, sizeof b2, m->arch.kernel_phys),
		    size_str(b1, sizeof b1, ksize));
	kstart = (unsigned long)(m->arch.kernel_phys >> m->arch.page_shift);
	kpages = (unsigned long)(ksize >> m->arch.page_shift);
	memblock_reserve(m, kstart, kpages);
	m->kernel_pages = kpages;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct pglist_data *pgdat = &m->nodes[nid];
		unsigned long n, hi;
		long at;

		n = (unsigned long)((pgdat->node_spanned_pages *
		    (uint64_t)LINUX_STRUCT_PAGE_SIZE + m->page_size - 1) /
		    m->page_size);
		hi = min_t(unsigned long, pgdat->node_start_pfn +
		    pgdat->node_spanned_pages, lowmem);
		at = memblock_find_top(m, n, pgdat->node_start_pfn, hi);
		if (at < 0)
			at = memblock_find_top(m, n, 0, lowmem);
		if (at < 0)
			return config_error(err, errlen, "--ram %s: no room in "
			    "low memory for node %d's memmap (%lu pages)",
			    size_str(b1, sizeof b1, m->cfg.ram), nid, n);
		memblock_reserve(m, (unsigned long)at, n);
		m->memmap_pages += n;
	}
	return 0;
}

static void init_zone(struct machine *m, struct pglist_data *pgdat,
    enum zone_type idx, const struct zone_ranges *r)
{
	struct zone *z = &pgdat->node_zones[idx];
	unsigned long nstart = pgdat->node_start_pfn;
	unsigned long nend = nstart + pgdat->node_spanned_pages;
	unsigned long start, end;
	int o;

	memset(z, 0, sizeof(*z));
	z->name = zone_names[idx];
	z->idx = idx;
	z->node = pgdat->node_id;
	for (o = 0; o < MAX_ORDER; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);

	start = max_t(unsigned long, nstart, r->start[idx]);
	end = min_t(unsigned long, nend, r->end[idx]);
	if (end <= start)
		return;
	z->zone_start_pfn = start;
	z->spanned_pages = end - start;
	z->present_pages = end - start;
	(void)m;
}

static void init_frames(struct machine *m)
{
	struct pglist_data *pgdat;
	struct zone *z;
	unsigned long pfn;
	int nid, zi;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		pgdat = &m->nodes[nid];
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			z = &pgdat->node_zones[zi];
			for (pfn = z->zone_start_pfn; pfn < zone_end_pfn(z);
			    pfn++) {
				struct page *page = &m->mem_map[pfn];

				page->flags =
				    ((unsigned long)nid << PAGE_NODE_SHIFT) |
				    ((unsigned long)zi << PAGE_ZONE_SHIFT);
				INIT_LIST_HEAD(&page->lru);
				page->_mapcount = -1;
			}
		}
	}
}

/* memblock_free_all: everything not reserved goes to the buddy lists. */
static unsigned long free_all_bootmem(struct machine *m)
{
	struct zone *z;
	unsigned long pfn, reserved = 0;

	for_each_populated_zone(m, z) {
		z->nr_reserved = 0;
		for (pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn++) {
			if (PageReserved(&m->mem_map[pfn])) {
				z->nr_reserved++;
				continue;
			}
			memblock_free_pages(m, pfn, 0);
		}
		z->managed_pages = z->present_pages - z->nr_reserved;
		m->totalram_pages += z->managed_pages;
		reserved += z->nr_reserved;
	}
	return reserved;
}

struct machine *machine_new(const struct machine_config *cfg, char *err,
    size_t errlen)
{
	struct machine *m;
	struct zone_ranges r;
	struct vm_event ev;
	unsigned long reserved;
	int nid, zi;

	m = xcalloc(1, sizeof(*m));
	m->cfg = *cfg;
	if (check_config(cfg, &m->arch, err, errlen) != 0)
		goto fail_free;

	m->page_size = 1ULL << m->arch.page_shift;
	m->max_pfn = (unsigned long)(cfg->ram >> m->arch.page_shift);
	m->nr_nodes = cfg->nodes;
	event_bus_init(&m->ev);
	task_machine_init(m);
	m->mem_map = xcalloc(m->max_pfn, sizeof(struct page));

	compute_zone_ranges(m, &r);
	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct pglist_data *pgdat = &m->nodes[nid];
		unsigned long start, end;

		start = (unsigned long)((uint64_t)nid * m->max_pfn / m->nr_nodes);
		end = (unsigned long)((uint64_t)(nid + 1) * m->max_pfn /
		    m->nr_nodes);
		pgdat->node_id = nid;
		lruvec_init(&pgdat->lruvec);
		pgdat->node_start_pfn = start;
		pgdat->node_spanned_pages = end - start;
		pgdat->nr_zones = 0;
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			init_zone(m, pgdat, (enum zone_type)zi, &r);
			if (zone_populated(&pgdat->node_zones[zi]))
				pgdat->nr_zones = zi + 1;
		}
	}
	init_frames(m);
	if (reserve_boot_memory(m, &r, err, errlen) != 0)
		goto fail_map;

	event_mute(&m->ev);
	reserved = free_all_bootmem(m);
	init_per_zone_wmark_min(m);
	kmem_cache_init(m);
	event_unmute(&m->ev);
	m->tlb = tlb_new(m, (unsigned)cfg->tlb_entries, (unsigned)cfg->tlb_ways,
	    cfg->asid);
	/* machine --swap SIZE: the swap area is on from boot (swapon -a) */
	event_mute(&m->ev);
	if (cfg->swap >= 2 * m->page_size)
		(void)swapon(m, cfg->swap, NULL);
	event_unmute(&m->ev);

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_MACHINE_BOOT;
	ev.str = m->arch.name;
	ev.val = m->max_pfn;
	ev.val2 = reserved;
	machine_emit(m, &ev);
	return m;

fail_map:
	free(m->mem_map);
	event_bus_free(&m->ev);
fail_free:
	free(m);
	return NULL;
}

void machine_free(struct machine *m)
{
	if (m == NULL)
		return;
	task_machine_free(m);
	slab_machine_free(m);
	swap_machine_free(m);
	tlb_free(m->tlb);
	event_bus_free(&m->ev);
	free(m->mem_map);
	free(m);
}
