/*
 * check_machine.c - building machines (machine.c, arch.c): every
 * architecture boots and passes the invariant checker; zone and node
 * layouts of known configurations; boot reservations; bad configurations
 * refused with a message; the exact text of buddyinfo, meminfo, zoneinfo
 * and free; and the machine/alloc_pages/free_pages commands.
 */
#include <stdio.h>

#include "testutil.h"
#include "vmscope/page_alloc.h"
#include "vmscope/report-mem.h"

#define MiB(x)	((uint64_t)(x) << 20)
#define GiB(x)	((uint64_t)(x) << 30)

static struct machine *boot(const struct machine_config *cfg)
{
	char err[256] = "";
	struct machine *m = machine_new(cfg, err, sizeof(err));

	ck_assert_msg(m != NULL, "machine_new failed: %s", err);
	return m;
}

static struct machine *boot_arch(enum arch_id arch, uint64_t ram, int nodes)
{
	struct machine_config cfg;

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, arch);
	if (ram != 0)
		cfg.ram = ram;
	cfg.nodes = nodes;
	return boot(&cfg);
}

static void assert_valid(struct machine *m)
{
	char why[512];

	ck_assert_msg(validate_buddy(m, why, sizeof(why)) == 0, "%s", why);
}

static struct zone *zone_of(struct machine *m, int nid, enum zone_type t)
{
	return &m->nodes[nid].node_zones[t];
}

START_TEST(test_struct_page_size)
{
	ck_assert_uint_le(sizeof(struct page), 64);
}
END_TEST

START_TEST(test_every_arch_boots)
{
	int a;

	for (a = 0; a < NR_ARCHES; a++) {
		struct machine *m = boot_arch((enum arch_id)a, 0, 1);
		struct page *p;

		assert_valid(m);
		ck_assert_str_eq(m->arch.name, arch_get((enum arch_id)a)->name);
		ck_assert_ptr_eq(arch_lookup(m->arch.name),
		    arch_get((enum arch_id)a));
		ck_assert_uint_gt(m->totalram_pages, 0);
		ck_assert_uint_eq(global_free_pages(m), m->totalram_pages);
		p = alloc_pages_node(m, 0, ZONE_NORMAL, 0, ALLOC_KERNEL);
		ck_assert_msg(p != NULL, "%s: no page", m->arch.name);
		__free_pages(m, p, 0);
		assert_valid(m);
		machine_free(m);
	}
	ck_assert_ptr_null(arch_lookup("sparc"));
	ck_assert_ptr_eq(arch_lookup("aarch64"), arch_get(ARCH_ARM64));
}
END_TEST

/*
 * x86_64, 256M:
 *   pfn 0      4096                                  64512    65536
 *   [ DMA 16M |            DMA32 240M                | memmap ]
 *   pfn 0 reserved; kernel 4M at 16M = pfn 4096..5120; memmap
 *   65536 * 64 B = 4M = 1024 pages at the top.
 */
START_TEST(test_layout_x86_64_256m)
{
	struct machine *m = boot_arch(ARCH_X86_64, MiB(256), 1);
	struct zone *dma = zone_of(m, 0, ZONE_DMA);
	struct zone *dma32 = zone_of(m, 0, ZONE_DMA32);

	ck_assert_uint_eq(m->max_pfn, 65536);
	ck_assert_uint_eq(dma->zone_start_pfn, 0);
	ck_assert_uint_eq(dma->spanned_pages, 4096);
	ck_assert_uint_eq(dma->nr_reserved, 1);
	ck_assert_uint_eq(dma32->zone_start_pfn, 4096);
	ck_assert_uint_eq(dma32->spanned_pages, 61440);
	ck_assert_uint_eq(dma32->nr_reserved, 2048);
	ck_assert(!zone_populated(zone_of(m, 0, ZONE_NORMAL)));
	ck_assert_int_eq(m->nodes[0].nr_zones, ZONE_DMA32 + 1);
	ck_assert(PageReserved(pfn_to_page(m, 0)));
	ck_assert(!PageReserved(pfn_to_page(m, 1)));
	ck_assert(PageReserved(pfn_to_page(m, 4096)));
	ck_assert(PageReserved(pfn_to_page(m, 5119)));
	ck_assert(!PageReserved(pfn_to_page(m, 5120)));
	ck_assert(!PageReserved(pfn_to_page(m, 64511)));
	ck_assert(PageReserved(pfn_to_page(m, 64512)));
	ck_assert_uint_eq(m->kernel_pages, 1024);
	ck_assert_uint_eq(m->memmap_pages, 1024);
	ck_assert_int_eq(page_zonenum(pfn_to_page(m, 4095)), ZONE_DMA);
	ck_assert_int_eq(page_zonenum(pfn_to_page(m, 4096)), ZONE_DMA32);
	ck_assert_int_eq(pfn_to_page(m, 7)->_mapcount, -1);
	machine_free(m);
}
END_TEST

/* Beyond 4G there is ZONE_NORMAL; the kernel image is clamped to 32M. */
START_TEST(test_layout_x86_64_6g)
{
	struct machine *m = boot_arch(ARCH_X86_64, GiB(6), 1);
	struct zone *dma32 = zone_of(m, 0, ZONE_DMA32);
	struct zone *normal = zone_of(m, 0, ZONE_NORMAL);

	ck_assert_uint_eq(dma32->zone_start_pfn, 4096);
	ck_assert_uint_eq(zone_end_pfn(dma32), 1048576);
	ck_assert_uint_eq(normal->zone_start_pfn, 1048576);
	ck_assert_uint_eq(normal->spanned_pages, 524288);
	ck_assert_uint_eq(m->kernel_pages, 8192);
	/* 1572864 frames * 64 B = 96M of memmap, at the top: in Normal */
	ck_assert_uint_eq(m->memmap_pages, 24576);
	ck_assert_uint_eq(normal->nr_reserved, 24576);
	ck_assert_uint_eq(dma32->nr_reserved, 8192);
	assert_valid(m);
	machine_free(m);
}
END_TEST

/*
 * i386, 1G:
 *   pfn 0     4096                          225280   229376      262144
 *   [ DMA   |          Normal               | memmap ]  HighMem 128M ]
 * The memmap must be in low memory, so it sits at the top of Normal.
 */
START_TEST(test_layout_i386_highmem)
{
	struct machine *m = boot_arch(ARCH_I386, GiB(1), 1);
	struct zone *normal = zone_of(m, 0, ZONE_NORMAL);
	struct zone *high = zone_of(m, 0, ZONE_HIGHMEM);
	struct sbuf sb = SBUF_INIT;

	ck_assert_uint_eq(zone_of(m, 0, ZONE_DMA)->spanned_pages, 4096);
	ck_assert(!zone_populated(zone_of(m, 0, ZONE_DMA32)));
	ck_assert_uint_eq(normal->zone_start_pfn, 4096);
	ck_assert_uint_eq(zone_end_pfn(normal), 229376);
	ck_assert_uint_eq(high->zone_start_pfn, 229376);
	ck_assert_uint_eq(high->spanned_pages, 32768);
	ck_assert_uint_eq(high->nr_reserved, 0);
	ck_assert(PageReserved(pfn_to_page(m, 229375)));
	ck_assert(PageReserved(pfn_to_page(m, 225280)));
	ck_assert(!PageReserved(pfn_to_page(m, 225279)));
	ck_assert(!zone_configured(m, ZONE_DMA32));
	ck_assert(zone_configured(m, ZONE_HIGHMEM));
	report_meminfo(m, &sb);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb),
	    "HighTotal:        131072 kB\n"));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb), "DirectMap4M:"));
	ck_assert_ptr_null(strstr(sbuf_str(&sb), "AnonHugePages:"));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb),
	    "Hugepagesize:       4096 kB\n"));
	sbuf_free(&sb);
	assert_valid(m);
	machine_free(m);
}
END_TEST

/* arm64: DMA covers the low 4G, DMA32 is configured but empty. */
START_TEST(test_layout_arm64)
{
	struct machine *m = boot_arch(ARCH_ARM64, GiB(5), 1);

	ck_assert_uint_eq(zone_end_pfn(zone_of(m, 0, ZONE_DMA)), 1048576);
	ck_assert(!zone_populated(zone_of(m, 0, ZONE_DMA32)));
	ck_assert(zone_configured(m, ZONE_DMA32));
	ck_assert_uint_eq(zone_of(m, 0, ZONE_NORMAL)->spanned_pages, 262144);
	ck_assert(!PageReserved(pfn_to_page(m, 0)));
	assert_valid(m);
	machine_free(m);
}
END_TEST

/*
 * Two nodes of 128M: node 0 has DMA and DMA32, node 1 only DMA32; each
 * node's memmap (32768 * 64 B = 512 pages) sits at its own top.
 */
START_TEST(test_layout_two_nodes)
{
	struct machine *m = boot_arch(ARCH_X86_64, MiB(256), 2);

	ck_assert_int_eq(m->nr_nodes, 2);
	ck_assert_uint_eq(m->nodes[1].node_start_pfn, 32768);
	ck_assert_uint_eq(m->nodes[1].node_spanned_pages, 32768);
	ck_assert(zone_populated(zone_of(m, 0, ZONE_DMA)));
	ck_assert_uint_eq(zone_end_pfn(zone_of(m, 0, ZONE_DMA32)), 32768);
	ck_assert(!zone_populated(zone_of(m, 1, ZONE_DMA)));
	ck_assert_uint_eq(zone_of(m, 1, ZONE_DMA32)->zone_start_pfn, 32768);
	ck_assert_uint_eq(zone_of(m, 1, ZONE_DMA32)->nr_reserved, 512);
	ck_assert(PageReserved(pfn_to_page(m, 32767)));
	ck_assert(PageReserved(pfn_to_page(m, 65535)));
	ck_assert_int_eq(page_to_nid(pfn_to_page(m, 40000)), 1);
	ck_assert_uint_eq(m->memmap_pages, 1024);
	assert_valid(m);
	machine_free(m);
}
END_TEST

/* Three nodes: 65536 / 3 does not divide; the last node takes the rest. */
START_TEST(test_layout_three_nodes)
{
	struct machine *m = boot_arch(ARCH_X86_64, MiB(256), 3);

	ck_assert_uint_eq(m->nodes[0].node_spanned_pages, 21845);
	ck_assert_uint_eq(m->nodes[1].node_start_pfn, 21845);
	ck_assert_uint_eq(m->nodes[2].node_start_pfn, 43690);
	ck_assert_uint_eq(m->nodes[2].node_spanned_pages, 21846);
	assert_valid(m);
	machine_free(m);
}
END_TEST

/* --movable: the top quarter of RAM (pfn 49152..65536) is ZONE_MOVABLE. */
START_TEST(test_layout_movable)
{
	struct machine_config cfg;
	struct machine *m;
	struct zone *mov;

	machine_config_default(&cfg);
	cfg.movable = true;
	m = boot(&cfg);
	mov = zone_of(m, 0, ZONE_MOVABLE);
	ck_assert_uint_eq(mov->zone_start_pfn, 49152);
	ck_assert_uint_eq(mov->spanned_pages, 16384);
	ck_assert_uint_eq(zone_end_pfn(zone_of(m, 0, ZONE_DMA32)), 49152);
	/* the memmap stays out of the movable zone */
	ck_assert_uint_eq(mov->nr_reserved, 0);
	ck_assert_uint_eq(min_wmark_pages(mov), 32);
	assert_valid(m);
	machine_free(m);
}
END_TEST

/* A toy with tiny RAM: 1K of 32-byte pages, nothing reserved. */
START_TEST(test_toy_defaults)
{
	struct machine *m = boot_arch(ARCH_TOY, 0, 1);

	ck_assert_uint_eq(m->page_size, 32);
	ck_assert_uint_eq(m->max_pfn, 32);
	ck_assert_uint_eq(m->arch.va_bits, 15);
	ck_assert_int_eq(m->arch.nr_levels, 2);
	ck_assert_uint_eq(m->arch.pte_size, 1);
	ck_assert_uint_eq(m->totalram_pages, 32);
	ck_assert_uint_eq(m->nodes[0].node_zones[ZONE_NORMAL].free_area[5].nr_free, 1);
	ck_assert_uint_ge(min_wmark_pages(zone_of(m, 0, ZONE_NORMAL)), 1);
	assert_valid(m);
	machine_free(m);
}
END_TEST

static void expect_refused(struct machine_config *cfg, const char *needle)
{
	char err[256] = "";
	struct machine *m = machine_new(cfg, err, sizeof(err));

	ck_assert_msg(m == NULL, "accepted a config that should fail (%s)",
	    needle);
	ck_assert_msg(strstr(err, needle) != NULL, "message '%s' lacks '%s'",
	    err, needle);
}

START_TEST(test_bad_configs)
{
	struct machine_config cfg;

	machine_config_default(&cfg);
	cfg.ram = 1024;
	expect_refused(&cfg, "--ram 1K: at least 32M is needed for x86_64");
	machine_config_default(&cfg);
	cfg.ram = GiB(64);
	expect_refused(&cfg, "at most 16G");
	machine_config_default(&cfg);
	cfg.ram = MiB(256) + 100;
	expect_refused(&cfg, "not a multiple of the page size");
	machine_config_default(&cfg);
	cfg.nodes = 0;
	expect_refused(&cfg, "--nodes 0");
	cfg.nodes = 9;
	expect_refused(&cfg, "--nodes 9");
	machine_config_default(&cfg);
	cfg.ram = MiB(32);
	cfg.nodes = 8;
	expect_refused(&cfg, "per node");
	machine_config_default(&cfg);
	cfg.tlb_entries = 64;
	cfg.tlb_ways = 3;
	expect_refused(&cfg, "--tlb 64x3");
	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_I386);
	cfg.ram = GiB(8);
	expect_refused(&cfg, "at most 4G is possible for i386");

	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_TOY);
	cfg.va_bits = 16;
	expect_refused(&cfg, "--va-bits 16 does not match");
	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_TOY);
	cfg.page_size = 48;
	expect_refused(&cfg, "power of two");
	machine_config_default(&cfg);
	machine_config_for_arch(&cfg, ARCH_TOY);
	cfg.ram = 64;
	expect_refused(&cfg, "at least 128B");
}
END_TEST

START_TEST(test_format_buddyinfo)
{
	struct machine_config cfg;
	struct machine *m;
	struct sbuf sb = SBUF_INIT;

	machine_config_default(&cfg);
	m = boot(&cfg);
	report_buddyinfo(m, &sb);
	ck_assert_str_eq(sbuf_str(&sb),
	    "Node 0, zone      DMA      1      1      1      1      1      1      1      1      1      1      3 \n"
	    "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0     58 \n");
	sbuf_free(&sb);
	machine_free(m);
}
END_TEST

START_TEST(test_format_meminfo_free)
{
	struct machine_config cfg;
	struct machine *m;
	struct sbuf sb = SBUF_INIT;
	const char *s;

	machine_config_default(&cfg);
	m = boot(&cfg);
	report_meminfo(m, &sb);
	s = sbuf_str(&sb);
	/* 63487 managed pages; available 63487 - 984 reserved = 62503 */
	ck_assert(strncmp(s, "MemTotal:         253948 kB\n"
	    "MemFree:          253948 kB\n"
	    "MemAvailable:     250012 kB\n"
	    "Buffers:               0 kB\n", 112) == 0);
	ck_assert_ptr_nonnull(strstr(s, "\nSwapTotal:         65532 kB\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nHardwareCorrupted:     0 kB\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nHugePages_Total:       0\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nHugepagesize:       2048 kB\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nVmallocTotal:   34359738367 kB\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nDirectMap2M:      260096 kB\n"));
	ck_assert_ptr_null(strstr(s, "HighTotal"));

	sbuf_reset(&sb);
	report_free(m, &sb);
	ck_assert_str_eq(sbuf_str(&sb),
	    "               total        used        free      shared  buff/cache   available\n"
	    "Mem:          253948        3936      253948           0           0      250012\n"
	    "Swap:          65532           0       65532\n");
	sbuf_free(&sb);
	machine_free(m);
}
END_TEST

START_TEST(test_format_zoneinfo)
{
	struct machine_config cfg;
	struct machine *m;
	struct sbuf sb = SBUF_INIT;
	const char *s;

	machine_config_default(&cfg);
	m = boot(&cfg);
	report_zoneinfo(m, &sb);
	s = sbuf_str(&sb);
	ck_assert(strncmp(s, "Node 0, zone      DMA\n  per-node stats\n", 38) == 0);
	ck_assert_ptr_nonnull(strstr(s,
	    "Node 0, zone    DMA32\n"
	    "  pages free     59392\n"
	    "        boost    0\n"
	    "        min      470\n"
	    "        low      587\n"
	    "        high     704\n"
	    "        promo    821\n"
	    "        spanned  61440\n"
	    "        present  61440\n"
	    "        managed  59392\n"
	    "        cma      0\n"
	    "        protection: (0, 0, 0, 0)\n"
	    "      nr_free_pages 59392\n"));
	ck_assert_ptr_nonnull(strstr(s, "        protection: (0, 232, 232, 232)\n"));
	ck_assert_ptr_nonnull(strstr(s, "  start_pfn:           4096\n"));
	/* x86_64 has no HighMem; the empty Movable zone is shown */
	ck_assert_ptr_null(strstr(s, "HighMem"));
	ck_assert_ptr_nonnull(strstr(s, "Node 0, zone  Movable\n"));
	sbuf_free(&sb);
	machine_free(m);
}
END_TEST

START_TEST(test_banner)
{
	struct machine_config cfg;
	struct machine *m;
	struct sbuf sb = SBUF_INIT;

	machine_config_default(&cfg);
	m = boot(&cfg);
	report_banner(m, &sb);
	ck_assert_str_eq(sbuf_str(&sb), "machine: x86_64, 256 MiB RAM (node 0: "
	    "DMA 16 MiB, DMA32 240 MiB), swap 64 MiB, TLB 64x4 with ASID\n");
	sbuf_free(&sb);
	machine_free(m);
}
END_TEST

static char *run(struct session *s, const char *line, int *failed, char **err)
{
	return test_run(s, line, failed, err);
}

START_TEST(test_cmd_machine)
{
	struct session *s = session_new();
	struct machine *old;
	char *out, *err;
	int failed;

	out = run(s, "machine --arch i386 --ram 1G", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "machine: i386, 1 GiB RAM (node 0: DMA 16 MiB, "
	    "Normal 880 MiB, HighMem 128 MiB), swap 64 MiB, TLB 64x4 with ASID\n");
	free(out);
	free(err);

	old = s->m;
	out = run(s, "machine --ram 1K", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(err, "vmscope: machine: --ram 1K: at least 32M is "
	    "needed for x86_64\n");
	ck_assert_ptr_eq(s->m, old);
	free(out);
	free(err);

	out = run(s, "machine --va-bits 12", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "only for --arch toy"));
	free(out);
	free(err);

	out = run(s, "machine --arch toy --page-size 64 --levels 4,4", &failed,
	    &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "toy (14-bit VA, 64 B pages, levels 4+4)"));
	ck_assert_uint_eq(s->m->arch.va_bits, 14);
	free(out);
	free(err);

	RUN_OK(s, "machine --nodes 2 --tlb 32x2 --asid off --policy clock --movable");
	ck_assert_int_eq(s->m->nr_nodes, 2);
	ck_assert(!s->m->cfg.asid);
	ck_assert_int_eq(s->m->cfg.policy, POLICY_CLOCK);
	RUN_OK(s, "info; buddyinfo; zoneinfo; meminfo; free");
	session_free(s);
}
END_TEST

START_TEST(test_cmd_alloc_free)
{
	struct session *s = session_new();
	char *out, *err;
	int failed;

	out = run(s, "alloc_pages 3", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "pfn 0x1400 (order 3, 8 pages, node 0 zone DMA32)\n");
	free(out);
	free(err);

	out = run(s, "free_pages 0x1401", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(err, "vmscope: free_pages: pfn 0x1401 is a tail page "
	    "of the order-3 block at pfn 0x1400; free its head\n");
	free(out);
	free(err);

	out = run(s, "free_pages 0", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "reserved"));
	free(out);
	free(err);

	out = run(s, "free_pages 0x1400; free_pages 0x1400", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(out, "freed pfn 0x1400 (order 3, 8 pages)\n");
	ck_assert_ptr_nonnull(strstr(err, "already free"));
	free(out);
	free(err);

	out = run(s, "alloc_pages 11", &failed, &err);
	ck_assert_int_eq(failed, 1);
	free(out);
	free(err);
	out = run(s, "alloc_pages 0 --zone HighMem", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "x86_64 has no zone HighMem"));
	free(out);
	free(err);

	out = run(s, "alloc_pages 0 --zone dma", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "zone DMA)"));
	free(out);
	free(err);

	/* a simulated ENOMEM is a result, not an error */
	RUN_OK(s, "machine --arch toy");
	out = run(s, "alloc_pages 5", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "page allocation failure: order:5"));
	free(out);
	free(err);
	session_free(s);
}
END_TEST

static Suite *machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *layout = tcase_create("layout");
	TCase *format = tcase_create("format");
	TCase *cmd = tcase_create("commands");

	tcase_add_test(layout, test_struct_page_size);
	tcase_add_test(layout, test_every_arch_boots);
	tcase_add_test(layout, test_layout_x86_64_256m);
	tcase_add_test(layout, test_layout_x86_64_6g);
	tcase_add_test(layout, test_layout_i386_highmem);
	tcase_add_test(layout, test_layout_arm64);
	tcase_add_test(layout, test_layout_two_nodes);
	tcase_add_test(layout, test_layout_three_nodes);
	tcase_add_test(layout, test_layout_movable);
	tcase_add_test(layout, test_toy_defaults);
	tcase_add_test(layout, test_bad_configs);
	tcase_set_timeout(layout, 60);
	suite_add_tcase(s, layout);
	tcase_add_test(format, test_format_buddyinfo);
	tcase_add_test(format, test_format_meminfo_free);
	tcase_add_test(format, test_format_zoneinfo);
	tcase_add_test(format, test_banner);
	suite_add_tcase(s, format);
	tcase_add_test(cmd, test_cmd_machine);
	tcase_add_test(cmd, test_cmd_alloc_free);
	suite_add_tcase(s, cmd);
	return s;
}

int main(void)
{
	return test_main(machine_suite());
}
