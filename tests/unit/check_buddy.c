/*
 * check_buddy.c - the buddy allocator (page_alloc.c): the split and merge
 * of seed 000, a seeded random stress run checked by validate_buddy after
 * every operation, the watermarks and lowmem_reserve of known machines
 * against hand computation, the zonelist fallback, merges at zone borders
 * and the refusals of free_pages_check.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/page_alloc.h"

static struct machine *boot(const struct machine_config *cfg)
{
	char err[256] = "";
	struct machine *m = machine_new(cfg, err, sizeof(err));

	ck_assert_msg(m != NULL, "machine_new failed: %s", err);
	return m;
}

/* A toy machine: 32-byte pages, one node, no reservations. */
static struct machine *boot_toy(unsigned long frames, int nodes)
{
	struct machine_config cfg;

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_TOY);
	cfg.ram = frames * cfg.page_size;
	cfg.nodes = nodes;
	return boot(&cfg);
}

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static void assert_valid(struct machine *m, const char *when)
{
	char why[512];

	ck_assert_msg(validate_buddy(m, why, sizeof(why)) == 0, "%s: %s",
	    when, why);
}

/* Record events to check the steps the allocator took. */
struct ev_log {
	struct event_sink sink;
	int		 n;
	struct vm_event	 ev[64];
};

static void ev_log_fn(void *arg, const struct vm_event *ev)
{
	struct ev_log *log = arg;

	if (log->n < (int)ARRAY_SIZE(log->ev))
		log->ev[log->n] = *ev;
	log->n++;
}

static int count_kind(const struct ev_log *log, enum event_kind kind)
{
	int i, n = 0;

	for (i = 0; i < log->n && i < (int)ARRAY_SIZE(log->ev); i++)
		n += log->ev[i].kind == kind;
	return n;
}

/*
 * Seed 000: only a 512-page block is free; a 128-page request splits it
 * into 128 + 128 + 256 and takes the first 128:
 *
 *   pfn 0          128        256                    512
 *   [ taken 128 | free 128 |       free 256         ]
 *
 * Freeing the 128 merges 128+128 -> 256, 256+256 -> 512.
 */
START_TEST(test_seed000_split_and_merge)
{
	struct machine *m = boot_toy(512, 1);
	struct zone *z = &m->nodes[0].node_zones[ZONE_NORMAL];
	struct ev_log log = { .n = 0 };
	struct page *page;
	int o;

	for (o = 0; o < MAX_ORDER; o++)
		ck_assert_uint_eq(z->free_area[o].nr_free, o == 9 ? 1 : 0);

	event_subscribe(&m->ev, &log.sink, ev_log_fn, &log);
	page = alloc_pages_node(m, 0, ZONE_NORMAL, 7, ALLOC_KERNEL);
	ck_assert_ptr_nonnull(page);
	ck_assert_uint_eq(page_to_pfn(m, page), 0);
	for (o = 0; o < MAX_ORDER; o++)
		ck_assert_uint_eq(z->free_area[o].nr_free,
		    (o == 7 || o == 8) ? 1 : 0);
	ck_assert_uint_eq(z->nr_free, 384);
	ck_assert_int_eq(count_kind(&log, EV_BUDDY_TAKE), 1);
	ck_assert_int_eq(count_kind(&log, EV_BUDDY_SPLIT), 2);
	ck_assert_int_eq(count_kind(&log, EV_ALLOC_PAGES), 1);
	/* the upper halves: 256 at pfn 256, then 128 at pfn 128 */
	ck_assert_uint_eq(pfn_to_page(m, 256)->private, 8);
	ck_assert(PageBuddy(pfn_to_page(m, 256)));
	ck_assert_uint_eq(pfn_to_page(m, 128)->private, 7);
	ck_assert(PageBuddy(pfn_to_page(m, 128)));
	/* the block remembers its order */
	ck_assert(PageFlag(page, PG_head));
	ck_assert(PageFlag(pfn_to_page(m, 127), PG_tail));
	assert_valid(m, "after alloc");

	log.n = 0;
	__free_pages(m, page, 7);
	ck_assert_int_eq(count_kind(&log, EV_BUDDY_MERGE), 2);
	ck_assert_int_eq(count_kind(&log, EV_BUDDY_FREE), 1);
	for (o = 0; o < MAX_ORDER; o++)
		ck_assert_uint_eq(z->free_area[o].nr_free, o == 9 ? 1 : 0);
	ck_assert_uint_eq(m->vm_events[VM_pgfree], 128);
	ck_assert_uint_eq(z->pgalloc, 128);
	assert_valid(m, "after free");
	event_unsubscribe(&log.sink);
	machine_free(m);
}
END_TEST

/* xorshift with its own state so a failing run can be replayed. */
static uint64_t stress_rand(uint64_t *s)
{
	return test_rand(s);
}

struct block {
	unsigned long	 pfn;
	unsigned	 order;
};

static void stress(struct machine *m, uint64_t seed, long ops,
    unsigned max_order, bool vary_zone)
{
	struct block *live = xcalloc((size_t)m->max_pfn, sizeof(*live));
	unsigned long nlive = 0, live_pages = 0, managed = m->totalram_pages;
	uint64_t st = seed;
	char why[512];
	long i;

	for (i = 0; i < ops; i++) {
		uint64_t r = stress_rand(&st);

		if (nlive == 0 || r % 100 < 55) {
			unsigned order = (unsigned)(stress_rand(&st) %
			    (max_order + 1));
			enum zone_type hz = ZONE_NORMAL;
			int nid = (int)(stress_rand(&st) % (uint64_t)m->nr_nodes);
			struct page *page;

			if (vary_zone)
				hz = (enum zone_type)(stress_rand(&st) % 3);
			page = alloc_pages_node(m, nid, hz, order, ALLOC_KERNEL);
			if (page != NULL) {
				live[nlive].pfn = page_to_pfn(m, page);
				live[nlive].order = order;
				nlive++;
				live_pages += 1UL << order;
			}
		} else {
			unsigned long k = (unsigned long)(stress_rand(&st) % nlive);
			unsigned order;

			ck_assert_msg(free_pages_check(m, live[k].pfn, &order,
			    why, sizeof(why)) == 0, "seed %" PRIu64 " op %ld: "
			    "%s", seed, i, why);
			ck_assert_uint_eq(order, live[k].order);
			__free_pages(m, pfn_to_page(m, live[k].pfn), order);
			live_pages -= 1UL << order;
			live[k] = live[--nlive];
		}
		ck_assert_msg(validate_buddy(m, why, sizeof(why)) == 0,
		    "seed %" PRIu64 " op %ld: %s", seed, i, why);
		ck_assert_msg(global_free_pages(m) + live_pages == managed,
		    "seed %" PRIu64 " op %ld: pages not conserved", seed, i);
	}
	/* give everything back: the boot layout must come back */
	while (nlive > 0) {
		nlive--;
		__free_pages(m, pfn_to_page(m, live[nlive].pfn),
		    live[nlive].order);
	}
	ck_assert_uint_eq(global_free_pages(m), managed);
	ck_assert_msg(validate_buddy(m, why, sizeof(why)) == 0, "seed %"
	    PRIu64 " at the end: %s", seed, why);
	free(live);
}

/*
 * Operations for a stress run: def in `make check` (validate_buddy after
 * each one is linear in the frames), VMSCOPE_STRESS_OPS=N for longer runs.
 */
static long stress_ops(long def)
{
	const char *env = getenv("VMSCOPE_STRESS_OPS");

	return env != NULL && atol(env) > 0 ? atol(env) : def;
}

/* Two toy nodes of 1000 frames: node borders are not order-aligned. */
START_TEST(test_stress_toy_two_nodes)
{
	struct machine *m = boot_toy(2000, 2);

	stress(m, 0x5eed0001ULL, stress_ops(30000), 6, false);
	machine_free(m);
}
END_TEST

/* x86_64 with 32M: DMA and DMA32, boot reservations, zone fallback. */
START_TEST(test_stress_x86_zones)
{
	struct machine_config cfg;
	struct machine *m;

	machine_config_default(&cfg);
	cfg.ram = 32ULL << 20;
	m = boot(&cfg);
	stress(m, 0x5eed0002ULL, stress_ops(6000), 10, true);
	machine_free(m);
}
END_TEST

/*
 * The default machine, x86_64 with 256M, by hand:
 *   DMA    pfn 0..4096, pfn 0 reserved            managed  4095
 *   DMA32  pfn 4096..65536, kernel 4M at 16M and
 *          memmap 65536 * 64 B = 4M reserved      managed 59392
 *   lowmem_kbytes = 63487 * 4 = 253948
 *   min_free_kbytes = int_sqrt(253948 * 16 = 4063168) = 2015
 *   pages_min = 2015 / 4 = 503
 *   DMA:   min = 503 * 4095 / 63487 = 32;  delta = max(32/4 = 8,
 *          4095 * 10 / 10000 = 4) = 8;     low 40, high 48
 *   DMA32: min = 503 * 59392 / 63487 = 470; delta = max(117, 59) = 117;
 *          low 587, high 704
 *   lowmem_reserve: DMA[j > DMA] = 59392 / 256 = 232; DMA32's are 0
 *   totalreserve = (232 + 48) + (0 + 704) = 984 pages
 *   MemAvailable = 63487 - 984 = 62503 pages
 */
START_TEST(test_wmarks_default)
{
	struct machine_config cfg;
	struct machine *m;
	struct zone *dma, *dma32;
	int j;

	machine_config_default(&cfg);
	m = boot(&cfg);
	dma = &m->nodes[0].node_zones[ZONE_DMA];
	dma32 = &m->nodes[0].node_zones[ZONE_DMA32];

	ck_assert_uint_eq(dma->managed_pages, 4095);
	ck_assert_uint_eq(dma32->managed_pages, 59392);
	ck_assert_uint_eq(m->min_free_kbytes, 2015);
	ck_assert_uint_eq(min_wmark_pages(dma), 32);
	ck_assert_uint_eq(low_wmark_pages(dma), 40);
	ck_assert_uint_eq(high_wmark_pages(dma), 48);
	ck_assert_uint_eq(min_wmark_pages(dma32), 470);
	ck_assert_uint_eq(low_wmark_pages(dma32), 587);
	ck_assert_uint_eq(high_wmark_pages(dma32), 704);
	ck_assert_uint_eq(dma->lowmem_reserve[ZONE_DMA], 0);
	for (j = ZONE_DMA32; j < MAX_NR_ZONES; j++) {
		ck_assert_uint_eq(dma->lowmem_reserve[j], 232);
		ck_assert_uint_eq(dma32->lowmem_reserve[j], 0);
	}
	ck_assert_uint_eq(m->totalreserve_pages, 984);
	ck_assert_uint_eq(si_mem_available(m), 62503);
	machine_free(m);
}
END_TEST

/*
 * i386 with 1G: DMA 16M, Normal to 896M, HighMem 128M = 32768 pages.
 * Normal's protection against HighMem requests: 32768 / 32 = 1024.
 * HighMem's min: clamp(32768 / 1024 = 32, 32, 128) = 32.
 */
START_TEST(test_lowmem_reserve_i386)
{
	struct machine_config cfg;
	struct machine *m;
	struct zone *dma, *normal, *high;

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_I386);
	cfg.ram = 1ULL << 30;
	m = boot(&cfg);
	dma = &m->nodes[0].node_zones[ZONE_DMA];
	normal = &m->nodes[0].node_zones[ZONE_NORMAL];
	high = &m->nodes[0].node_zones[ZONE_HIGHMEM];

	ck_assert_uint_eq(high->managed_pages, 32768);
	ck_assert_uint_eq(normal->lowmem_reserve[ZONE_HIGHMEM], 1024);
	ck_assert_uint_eq(normal->lowmem_reserve[ZONE_MOVABLE], 1024);
	ck_assert_uint_eq(normal->lowmem_reserve[ZONE_NORMAL], 0);
	ck_assert_uint_eq(dma->lowmem_reserve[ZONE_NORMAL],
	    normal->managed_pages / 256);
	ck_assert_uint_eq(dma->lowmem_reserve[ZONE_HIGHMEM],
	    (normal->managed_pages + 32768) / 256);
	ck_assert_uint_eq(high->lowmem_reserve[ZONE_MOVABLE], 0);
	ck_assert_uint_eq(min_wmark_pages(high), 32);
	/* min_free_kbytes counts low memory only */
	ck_assert_uint_eq(m->min_free_kbytes, isqrt((dma->managed_pages +
	    normal->managed_pages) * 4 * 16));
	machine_free(m);
}
END_TEST

/*
 * GFP_KERNEL on the default machine (no Normal zone): the zonelist is
 * DMA32 then DMA. Order-0 allocations drain, in this order:
 *   fast path  DMA32 down to its low mark (587), then DMA down to
 *              low + lowmem_reserve[Normal] = 40 + 232 = 272;
 *   slow path  DMA32 down to min (470), DMA down to 32 + 232 = 264;
 * then ENOMEM with an ALLOC_FAIL event.
 */
START_TEST(test_zonelist_fallback)
{
	struct machine_config cfg;
	struct machine *m;
	struct zone *dma, *dma32;
	struct page *page;
	unsigned long n = 0, first_dma = 0;
	unsigned long *pfns;
	const struct vm_event *ev;

	machine_config_default(&cfg);
	m = boot(&cfg);
	dma = &m->nodes[0].node_zones[ZONE_DMA];
	dma32 = &m->nodes[0].node_zones[ZONE_DMA32];
	pfns = xcalloc(m->max_pfn, sizeof(*pfns));
	event_mute(&m->ev);
	while ((page = alloc_pages_node(m, 0, ZONE_NORMAL, 0,
	    ALLOC_KERNEL)) != NULL) {
		if (page_zonenum(page) == ZONE_DMA && first_dma == 0) {
			first_dma = n + 1;
			ck_assert_uint_eq(dma32->nr_free, 587);
		}
		pfns[n++] = page_to_pfn(m, page);
	}
	event_unmute(&m->ev);
	ck_assert_uint_ne(first_dma, 0);
	ck_assert_uint_eq(dma32->nr_free, 470);
	ck_assert_uint_eq(dma->nr_free, 264);
	ck_assert_uint_eq(n, 4095 - 264 + 59392 - 470);

	/* one more, not muted: the failure says why */
	ck_assert_ptr_null(alloc_pages_node(m, 0, ZONE_NORMAL, 0, ALLOC_KERNEL));
	ev = event_log_get(&m->ev, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(ev->kind, EV_ALLOC_FAIL);
	ck_assert_ptr_nonnull(strstr(ev->str, "min watermark"));

	/* GFP_DMA may still go lower: DMA's own reserve is 0, min is 32 */
	page = alloc_pages_node(m, 0, ZONE_DMA, 0, ALLOC_KERNEL);
	ck_assert_ptr_nonnull(page);
	ck_assert_int_eq(page_zonenum(page), ZONE_DMA);
	__free_pages(m, page, 0);

	while (n > 0)
		__free_pages(m, pfn_to_page(m, pfns[--n]), 0);
	assert_valid(m, "after freeing all");
	ck_assert_uint_eq(global_free_pages(m), m->totalram_pages);
	free(pfns);
	machine_free(m);
}
END_TEST

/* With two nodes, node 1 is tried only when node 0 cannot serve. */
START_TEST(test_fallback_other_node)
{
	struct machine *m = boot_toy(256, 2);
	struct page *page;
	int from_node1 = 0;

	while ((page = alloc_pages_node(m, 0, ZONE_NORMAL, 0,
	    ALLOC_KERNEL)) != NULL) {
		if (page_to_nid(page) == 1) {
			from_node1++;
			/* node 0 was exhausted down to its min first */
			ck_assert_uint_le(m->nodes[0].node_zones[ZONE_NORMAL].nr_free,
			    min_wmark_pages(&m->nodes[0].node_zones[ZONE_NORMAL]) +
			    low_wmark_pages(&m->nodes[0].node_zones[ZONE_NORMAL]));
		}
	}
	ck_assert_int_gt(from_node1, 0);
	assert_valid(m, "two nodes exhausted");
	machine_free(m);
}
END_TEST

/*
 * Three toy nodes of 1000 frames: node 0 ends at pfn 1000, inside the
 * aligned 1024-block 0..1023. The block 992..999 (order 3) must never
 * merge with 1000..1007 on node 1.
 */
START_TEST(test_merge_stays_in_zone)
{
	struct machine *m = boot_toy(3000, 3);
	struct zone *z0 = &m->nodes[0].node_zones[ZONE_NORMAL];
	struct page *a, *b;

	ck_assert_uint_eq(m->nodes[1].node_start_pfn, 1000);
	ck_assert(PageBuddy(pfn_to_page(m, 992)));
	ck_assert_uint_eq(pfn_to_page(m, 992)->private, 3);
	ck_assert(PageBuddy(pfn_to_page(m, 1000)));
	ck_assert_uint_eq(pfn_to_page(m, 1000)->private, 3);
	ck_assert_uint_eq(z0->nr_free, 1000);
	assert_valid(m, "boot");

	/* take both sides of the border and give them back */
	a = alloc_pages_node(m, 0, ZONE_NORMAL, 3, ALLOC_KERNEL);
	b = alloc_pages_node(m, 1, ZONE_NORMAL, 3, ALLOC_KERNEL);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	__free_pages(m, b, 3);
	__free_pages(m, a, 3);
	ck_assert_uint_eq(pfn_to_page(m, 992)->private, 3);
	ck_assert_uint_eq(pfn_to_page(m, 1000)->private, 3);
	assert_valid(m, "border");
	machine_free(m);
}
END_TEST

START_TEST(test_free_pages_check)
{
	struct machine_config cfg;
	struct machine *m;
	struct page *page;
	unsigned long pfn;
	unsigned order = 99;
	char why[256];

	machine_config_default(&cfg);
	m = boot(&cfg);
	page = alloc_pages_node(m, 0, ZONE_NORMAL, 2, ALLOC_KERNEL);
	ck_assert_ptr_nonnull(page);
	pfn = page_to_pfn(m, page);

	ck_assert_int_eq(free_pages_check(m, pfn, &order, why, sizeof(why)), 0);
	ck_assert_uint_eq(order, 2);
	ck_assert_int_eq(free_pages_check(m, pfn + 1, &order, why,
	    sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "tail page"));
	ck_assert_int_eq(free_pages_check(m, 0, &order, why, sizeof(why)),
	    -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "reserved"));
	ck_assert_int_eq(free_pages_check(m, m->max_pfn, &order, why,
	    sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "beyond"));
	/* pfn 1 heads the free order-0 block left by the reserved pfn 0 */
	ck_assert_int_eq(free_pages_check(m, 1, &order, why, sizeof(why)),
	    -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "already free"));
	/* pfn 5 lies inside the free order-2 block at 4 */
	ck_assert_int_eq(free_pages_check(m, 5, &order, why, sizeof(why)),
	    -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "inside the order-2 block at pfn 0x4"));
	assert_valid(m, "checks change nothing");

	__free_pages(m, page, 2);
	ck_assert_int_eq(free_pages_check(m, pfn, &order, why, sizeof(why)),
	    -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "already free"));
	machine_free(m);
}
END_TEST

/* Enough free pages but no big block: the failure blames fragmentation. */
START_TEST(test_fragmentation_failure)
{
	struct machine *m = boot_toy(64, 1);
	struct zone *z = &m->nodes[0].node_zones[ZONE_NORMAL];
	struct page *pages[64];
	const struct vm_event *ev;
	int n = 0, i;
	unsigned h;

	while ((pages[n] = alloc_pages_node(m, 0, ZONE_NORMAL, 0,
	    ALLOC_KERNEL)) != NULL)
		n++;
	/* free every other frame: only order-0 holes */
	for (i = 0; i < n; i++) {
		if (page_to_pfn(m, pages[i]) % 2 == 0)
			__free_pages(m, pages[i], 0);
	}
	assert_valid(m, "holes");
	/*
	 * What the watermark kept back at the end of the fill is one small
	 * block; ask for one order more than the largest free block.
	 */
	for (h = MAX_ORDER - 1; h > 0; h--) {
		if (z->free_area[h].nr_free > 0)
			break;
	}
	ck_assert_uint_lt(h, 4);
	ck_assert_uint_gt(z->nr_free - ((1UL << (h + 1)) - 1),
	    min_wmark_pages(z));
	ck_assert_ptr_null(alloc_pages_node(m, 0, ZONE_NORMAL, h + 1,
	    ALLOC_KERNEL));
	ev = event_log_get(&m->ev, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(ev->kind, EV_ALLOC_FAIL);
	ck_assert_ptr_nonnull(strstr(ev->str, "fragmentation"));
	/* order 0 still works */
	ck_assert_ptr_nonnull(alloc_pages_node(m, 0, ZONE_NORMAL, 0,
	    ALLOC_KERNEL));
	machine_free(m);
}
END_TEST

/* The check emits one WMARK_CHECK per zone tried. */
START_TEST(test_wmark_check_events)
{
	struct machine_config cfg;
	struct machine *m;
	struct ev_log log = { .n = 0 };
	int i;

	machine_config_default(&cfg);
	m = boot(&cfg);
	event_subscribe(&m->ev, &log.sink, ev_log_fn, &log);
	ck_assert_ptr_nonnull(alloc_pages_node(m, 0, ZONE_NORMAL, 0,
	    ALLOC_KERNEL));
	ck_assert_int_eq(log.ev[0].kind, EV_WMARK_CHECK);
	ck_assert_int_eq(log.ev[0].zone, ZONE_DMA32);
	ck_assert_str_eq(log.ev[0].str, "low");
	ck_assert_str_eq(log.ev[0].str2, "ok");
	ck_assert_uint_eq(log.ev[0].val2, 587);
	for (i = 0; i < log.n; i++)
		ck_assert_int_ne(log.ev[i].kind, EV_ALLOC_FAIL);
	event_unsubscribe(&log.sink);
	/* order above MAX_ORDER - 1 fails cleanly */
	ck_assert_ptr_null(alloc_pages_node(m, 0, ZONE_NORMAL, MAX_ORDER,
	    ALLOC_KERNEL));
	machine_free(m);
}
END_TEST

static Suite *buddy_suite(void)
{
	Suite *s = suite_create("buddy");
	TCase *tc = tcase_create("core");
	TCase *slow = tcase_create("stress");

	tcase_add_test(tc, test_seed000_split_and_merge);
	tcase_add_test(tc, test_wmarks_default);
	tcase_add_test(tc, test_lowmem_reserve_i386);
	tcase_add_test(tc, test_zonelist_fallback);
	tcase_add_test(tc, test_fallback_other_node);
	tcase_add_test(tc, test_merge_stays_in_zone);
	tcase_add_test(tc, test_free_pages_check);
	tcase_add_test(tc, test_fragmentation_failure);
	tcase_add_test(tc, test_wmark_check_events);
	suite_add_tcase(s, tc);
	tcase_add_test(slow, test_stress_toy_two_nodes);
	tcase_add_test(slow, test_stress_x86_zones);
	tcase_set_timeout(slow, 120);
	suite_add_tcase(s, slow);
	return s;
}

int main(void)
{
	return test_main(buddy_suite());
}
