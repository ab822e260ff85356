/*
 * check_slab.c - the slab allocator (slab.c) and the views built on it:
 * kmalloc_index, direct-map addresses, LIFO reuse, slabs given back when
 * empty, every refusal of kfree, kmalloc_large, the task_struct /
 * mm_struct / vm_area_struct caches following spawn, fork, mmap and exit,
 * the unbacked fallback when no page can be had without reclaim, meminfo's
 * Slab lines, /proc/slabinfo and top's exact formats, and `explain`.
 * validate_machine (validate_slab among the rest) runs after every command.
 */
#include <inttypes.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/page_alloc.h"
#include "vmscope/slab.h"
#include "vmscope/task.h"

#define DIRECT_MAP	0xffff888000000000ULL	/* x86_64 PAGE_OFFSET */

static struct session *fresh(const char *machine)
{
	struct session *s = session_new();

	RUN_OK(s, machine);
	return s;
}

/* Run a line that must succeed; return its output (caller frees). */
static char *out_of(struct session *s, const char *line)
{
	int failed;
	char *err, *out = test_run(s, line, &failed, &err);
	char why[512];

	ck_assert_msg(failed == 0, "'%s' failed: %s", line, err);
	ck_assert_msg(validate_machine(s->m, why, sizeof(why)) == 0,
	    "after '%s': %s", line, why);
	free(err);
	return out;
}

/* Run a line that must fail; return its error text (caller frees). */
static char *err_of(struct session *s, const char *line)
{
	int failed;
	char *err, *out = test_run(s, line, &failed, &err);

	ck_assert_msg(failed == 1, "'%s' should fail", line);
	free(out);
	return err;
}

static uint64_t kmalloc_ok(struct session *s, uint64_t size)
{
	char line[64], *out;
	uint64_t addr = 0;

	snprintf(line, sizeof(line), "kmalloc %" PRIu64, size);
	out = out_of(s, line);
	ck_assert_msg(sscanf(out, "0x%" SCNx64, &addr) == 1, "%s", out);
	free(out);
	return addr;
}

static void kfree_ok(struct session *s, uint64_t addr)
{
	char line[64];

	snprintf(line, sizeof(line), "kfree 0x%" PRIx64, addr);
	free(out_of(s, line));
}

START_TEST(test_kmalloc_index)
{
	static const struct {
		uint64_t	 size;
		const char	*cache;
	} cases[] = {
		{ 1, "kmalloc-8" }, { 8, "kmalloc-8" }, { 9, "kmalloc-16" },
		{ 33, "kmalloc-64" }, { 65, "kmalloc-96" }, { 96, "kmalloc-96" },
		{ 97, "kmalloc-128" }, { 129, "kmalloc-192" },
		{ 193, "kmalloc-256" }, { 257, "kmalloc-512" },
		{ 1000, "kmalloc-1k" }, { 1025, "kmalloc-2k" },
		{ 4096, "kmalloc-4k" }, { 8192, "kmalloc-8k" },
	};
	struct session *s = session_new();

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kmem_cache *c = kmalloc_slab(s->m, cases[i].size);

		ck_assert_ptr_nonnull(c);
		ck_assert_str_eq(c->name, cases[i].cache);
	}
	/* above two pages: kmalloc_large */
	ck_assert_ptr_null(kmalloc_slab(s->m, 8193));
	session_free(s);
}
END_TEST

START_TEST(test_kmalloc_addresses_and_reuse)
{
	struct session *s = session_new();
	unsigned long before = global_free_pages(s->m);
	uint64_t a, b, c;
	char *out;

	out = out_of(s, "kmalloc 100");
	/* the first slab of kmalloc-128: the first object of a fresh page */
	ck_assert_msg(strstr(out, "(kmalloc-128, pfn 0x") != NULL, "%s", out);
	free(out);
	a = kmalloc_ok(s, 120);
	ck_assert_uint_ge(a, DIRECT_MAP);
	b = kmalloc_ok(s, 128);
	ck_assert_uint_eq(b, a + 128);		/* the next slot */
	ck_assert_uint_eq(global_free_pages(s->m), before - 1);
	kfree_ok(s, a);
	c = kmalloc_ok(s, 97);
	ck_assert_uint_eq(c, a);		/* LIFO free list */
	/* the frame is PG_slab; its pfn is the address's */
	ck_assert(PageFlag(pfn_to_page(s->m, (unsigned long)((a - DIRECT_MAP)
	    >> 12)), PG_slab));
	session_free(s);
}
END_TEST

START_TEST(test_empty_slab_goes_back)
{
	struct session *s = session_new();
	unsigned long before = global_free_pages(s->m);
	uint64_t addr[9];
	char *out;
	int i;

	/* kmalloc-1k: 8 objects per order-1 slab; the ninth makes a second */
	for (i = 0; i < 9; i++)
		addr[i] = kmalloc_ok(s, 1024);
	ck_assert_uint_eq(global_free_pages(s->m), before - 4);
	out = out_of(s, "slabinfo");
	ck_assert_msg(strstr(out, "kmalloc-1k             9     16   1024    8"
	    "    2 : tunables    0    0    0 : slabdata      2      2      0\n")
	    != NULL, "%s", out);
	free(out);
	kfree_ok(s, addr[8]);		/* the second slab empties: freed */
	ck_assert_uint_eq(global_free_pages(s->m), before - 2);
	for (i = 0; i < 8; i++)
		kfree_ok(s, addr[i]);
	ck_assert_uint_eq(global_free_pages(s->m), before);
	out = out_of(s, "explain");
	ck_assert_msg(strstr(out, "discard_slab(): kmalloc-1k: slab at pfn ") !=
	    NULL, "%s", out);
	free(out);
	session_free(s);
}
END_TEST

START_TEST(test_kfree_refusals)
{
	struct session *s = session_new();
	struct kmem_cache *vc;
	unsigned long slab_pages;
	uint64_t a, big;
	char line[96], *err, *out;

	a = kmalloc_ok(s, 64);
	(void)kmalloc_ok(s, 64);
	snprintf(line, sizeof(line), "kfree 0x%" PRIx64, a + 8);
	err = err_of(s, line);
	ck_assert_msg(strstr(err, "vmscope: kfree: ") == err &&
	    strstr(err, "inside the kmalloc-64 object") != NULL, "%s", err);
	free(err);
	kfree_ok(s, a);
	snprintf(line, sizeof(line), "kfree 0x%" PRIx64, a);
	err = err_of(s, line);
	ck_assert_msg(strstr(err, "double free") != NULL, "%s", err);
	free(err);
	err = err_of(s, "kfree 0x1000");
	ck_assert_msg(strstr(err, "not in the direct map") != NULL, "%s", err);
	free(err);
	/* a frame that is free, not a slab */
	snprintf(line, sizeof(line), "kfree 0x%" PRIx64,
	    (uint64_t)(DIRECT_MAP + ((uint64_t)(s->m->max_pfn - 1) << 12)));
	err = err_of(s, line);
	ck_assert_msg(strstr(err, "not a slab page") != NULL, "%s", err);
	free(err);
	err = err_of(s, "kfree nonsense");
	free(err);
	/* the model's own objects cannot be kfreed */
	RUN_OK(s, "spawn a");
	vc = kmem_model_cache(s->m, KMEM_TASK_STRUCT);
	ck_assert_uint_eq(vc->active_objs, 1);
	{
		struct slab *slab = list_first_entry(&vc->slabs, struct slab,
		    list);

		snprintf(line, sizeof(line), "kfree 0x%" PRIx64,
		    (uint64_t)slab_page_address(s->m, slab->pfn));
	}
	err = err_of(s, line);
	ck_assert_msg(strstr(err, "task_struct the model is using") != NULL,
	    "%s", err);
	free(err);
	/* kmalloc_large: order 3 for 20000 bytes; only its start is freed */
	slab_pages = slab_unreclaimable_pages(s->m);
	big = kmalloc_ok(s, 20000);
	ck_assert_uint_eq(slab_unreclaimable_pages(s->m), slab_pages + 8);
	snprintf(line, sizeof(line), "kfree 0x%" PRIx64, big + 4096);
	err = err_of(s, line);
	ck_assert_msg(strstr(err, "kmalloc_large block") != NULL, "%s", err);
	free(err);
	/* free_pages must not take it either */
	snprintf(line, sizeof(line), "free_pages 0x%" PRIx64,
	    (uint64_t)((big - DIRECT_MAP) >> 12));
	err = err_of(s, line);
	free(err);
	out = out_of(s, "meminfo");
	snprintf(line, sizeof(line), "\nSUnreclaim:     %8lu kB\n",
	    (slab_pages + 8) * 4);
	ck_assert_msg(strstr(out, line) != NULL, "want '%s' in %s", line, out);
	free(out);
	kfree_ok(s, big);
	out = out_of(s, "kmalloc 0; kfree 0x10; kmalloc 5M");
	ck_assert_msg(strstr(out, "ZERO_SIZE_PTR") != NULL &&
	    strstr(out, "= NULL: above KMALLOC_MAX_SIZE") != NULL, "%s", out);
	free(out);
	session_free(s);
}
END_TEST

/* The three model caches follow the processes and their VMAs. */
START_TEST(test_model_caches)
{
	struct session *s = session_new();
	struct machine *m = s->m;
	struct kmem_cache *tc = kmem_model_cache(m, KMEM_TASK_STRUCT);
	struct kmem_cache *mc = kmem_model_cache(m, KMEM_MM_STRUCT);
	struct kmem_cache *vc = kmem_model_cache(m, KMEM_VM_AREA_STRUCT);
	struct task_struct *t;
	unsigned long vmas;

	RUN_OK(s, "spawn a");
	t = find_task_by_pid(m, 1);
	ck_assert_uint_eq(tc->active_objs, 1);
	ck_assert_uint_eq(mc->active_objs, 1);
	ck_assert_uint_eq(vc->active_objs, (unsigned long)t->mm->map_count);
	vmas = vc->active_objs;
	/* an mmap that cannot merge is one more vm_area_struct */
	RUN_OK(s, "mmap 1 0x100000000 4p r");
	ck_assert_uint_eq(vc->active_objs, vmas + 1);
	/* mprotect of the middle splits it in three */
	RUN_OK(s, "mprotect 1 0x100001000 4K rw");
	ck_assert_uint_eq(vc->active_objs, vmas + 3);
	RUN_OK(s, "fork 1");
	ck_assert_uint_eq(tc->active_objs, 2);
	ck_assert_uint_eq(mc->active_objs, 2);
	RUN_OK(s, "exec 2 b");
	RUN_OK(s, "exit 1; exit 2");
	ck_assert_uint_eq(tc->active_objs, 0);
	ck_assert_uint_eq(mc->active_objs, 0);
	ck_assert_uint_eq(vc->active_objs, 0);
	/* every slab of the model caches went back */
	ck_assert_uint_eq(tc->nr_slabs + mc->nr_slabs + vc->nr_slabs, 0);
	ck_assert_uint_eq(slab_unreclaimable_pages(m), 0);
	session_free(s);
}
END_TEST

/*
 * With every page taken by alloc_pages, the model's objects get no slab
 * (no reclaim is allowed there): they are counted as unbacked, the
 * checker accepts it, and freeing them settles the count.
 */
START_TEST(test_model_unbacked)
{
	struct session *s = session_new();
	struct kmem_cache *vc;
	char line[96];
	int i;

	RUN_OK(s, "machine --ram 32M --swap 0");
	RUN_OK(s, "spawn a");
	vc = kmem_model_cache(s->m, KMEM_VM_AREA_STRUCT);
	/* down to the min watermark, without reclaim or the OOM killer */
	s->m->reclaim_depth++;
	for (i = 0; i < 20000; i++) {
		if (alloc_pages_node(s->m, 0, ZONE_NORMAL, 0, ALLOC_KERNEL) ==
		    NULL)
			break;
	}
	s->m->reclaim_depth--;
	ck_assert_int_lt(i, 20000);
	/* 40 VMAs that cannot merge (alternate permissions) */
	for (i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "mmap 1 0x%x 1p %s",
		    0x10000000 + i * 0x2000, i % 2 ? "r" : "rw");
		RUN_OK(s, line);
	}
	ck_assert_uint_gt(vc->unbacked, 0);
	RUN_OK(s, "munmap 1 0x10000000 0x50000");
	ck_assert_uint_eq(vc->unbacked, 0);
	session_free(s);
}
END_TEST

START_TEST(test_toy_has_no_model_objects)
{
	struct session *s = fresh("machine --arch toy");
	char *out;

	RUN_OK(s, "spawn a");
	ck_assert_uint_eq(kmem_model_cache(s->m, KMEM_TASK_STRUCT)->active_objs,
	    0);
	out = out_of(s, "kmalloc 8");
	ck_assert_msg(strstr(out, "kmalloc-8") != NULL, "%s", out);
	free(out);
	session_free(s);
}
END_TEST

START_TEST(test_slabinfo_and_meminfo)
{
	struct session *s = session_new();
	char *out;

	RUN_OK(s, "kmalloc 64; kmalloc 64; kmalloc 50");
	static const char head[] = "slabinfo - version: 2.1\n"
	    "# name            <active_objs> <num_objs> <objsize> <objperslab> "
	    "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
	    "slabdata <active_slabs> <num_slabs> <sharedavail>\n"
	    "vm_area_struct         0      0    184   22    1 : tunables    0 "
	    "   0    0 : slabdata      0      0      0\n";

	out = out_of(s, "slabinfo");
	ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "\nkmalloc-64             3     64     64   64"
	    "    1 : tunables    0    0    0 : slabdata      1      1      0\n")
	    != NULL, "%s", out);
	/* newest first: kmalloc-8 was made first */
	ck_assert_msg(strstr(out, "\nkmalloc-8              0      0      8  512"
	    "    1 : tunables    0    0    0 : slabdata      0      0      0\n")
	    != NULL && out[strlen(out) - 2] == '0', "%s", out);
	free(out);
	out = out_of(s, "meminfo");
	ck_assert_msg(strstr(out, "\nSlab:                  4 kB\n"
	    "SReclaimable:          0 kB\nSUnreclaim:            4 kB\n") != NULL,
	    "%s", out);
	free(out);
	out = out_of(s, "frames");
	ck_assert_msg(strstr(out, "slab kmalloc-64: 3/64 objects") != NULL,
	    "%s", out);
	free(out);
	session_free(s);
}
END_TEST

START_TEST(test_top_format)
{
	struct session *s = fresh("machine --ram 64M --swap 16M");
	struct task_struct *t;
	char *out, row[160];

	RUN_OK(s, "spawn bash; mmap 1 0x100000000 1M; touch 1 0x100000000+256K w "
	    "--quiet; file f 64K; mmap 1 0x200000000 64K r shared file=f; "
	    "touch 1 0x200000000+64K r --quiet; fork 1");
	t = find_task_by_pid(s->m, 1);
	out = out_of(s, "top");
	ck_assert_msg(strncmp(out, "top - 00:00:", 12) == 0, "%s", out);
	ck_assert_msg(strstr(out, " up 0 min,  0 users,  load average: 0.00, "
	    "0.00, 0.00\nTasks:   2 total,   1 running,   1 sleeping,   0 "
	    "stopped,   0 zombie\n%Cpu(s):  0.0 us,") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\nMiB Mem :     62.0 total,") != NULL &&
	    strstr(out, "\nMiB Swap:     16.0 total,     16.0 free,      0.0 "
	    "used.") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\n\n    PID USER      PR  NI    VIRT    RES"
	    "    SHR S  %CPU  %MEM     TIME+ COMMAND\n") != NULL, "%s", out);
	ck_assert_uint_eq(get_mm_counter(t->mm, MM_FILEPAGES) +
	    get_mm_counter(t->mm, MM_SHMEMPAGES), 16);
	snprintf(row, sizeof(row), "\n      1 root      20   0 %7lu %6lu %6lu R "
	    "  0.0 ", pages_to_kb(s->m, t->mm->total_vm),
	    pages_to_kb(s->m, get_mm_rss(t->mm)),
	    pages_to_kb(s->m, get_mm_counter(t->mm, MM_FILEPAGES) +
	    get_mm_counter(t->mm, MM_SHMEMPAGES)));
	ck_assert_msg(strstr(out, row) != NULL, "want '%s' in %s", row, out);
	ck_assert_msg(strstr(out, "   0:00.00 bash\n      2 root ") != NULL,
	    "%s", out);
	free(out);
	session_free(s);
}
END_TEST

START_TEST(test_explain)
{
	struct session *s = session_new();
	char *out;

	out = out_of(s, "explain");
	/* the boot event is the only one */
	ck_assert_msg(strstr(out, "start_kernel()") != NULL, "%s", out);
	free(out);
	RUN_OK(s, "alloc_pages 3");
	RUN_OK(s, "ps");		/* no events: explain looks further back */
	out = out_of(s, "explain");
	ck_assert_msg(strstr(out, "The last command (number ") == out, "%s", out);
	ck_assert_msg(strstr(out, "expand(): zone DMA32: split pfn") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "        expand (mm/page_alloc.c): halve the "
	    "block;") != NULL, "%s", out);
	/* one explanation per kind: expand runs 7 times, is told once */
	ck_assert_ptr_null(strstr(strstr(out, "halve the block") + 1,
	    "halve the block"));
	free(out);
	RUN_OK(s, "kmalloc 10");
	out = out_of(s, "explain 2");
	ck_assert_msg(strstr(out, "The last 2 events:\n") == out, "%s", out);
	ck_assert_msg(strstr(out, "kmem_cache_alloc(): kmalloc-16: object ") !=
	    NULL, "%s", out);
	free(out);
	free(err_of(s, "explain 0"));
	free(err_of(s, "explain x"));
	session_free(s);
}
END_TEST

static Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = tcase_create("slab");

	tcase_add_test(tc, test_kmalloc_index);
	tcase_add_test(tc, test_kmalloc_addresses_and_reuse);
	tcase_add_test(tc, test_empty_slab_goes_back);
	tcase_add_test(tc, test_kfree_refusals);
	tcase_add_test(tc, test_model_caches);
	tcase_add_test(tc, test_model_unbacked);
	tcase_add_test(tc, test_toy_has_no_model_objects);
	tcase_add_test(tc, test_slabinfo_and_meminfo);
	tcase_add_test(tc, test_top_format);
	tcase_add_test(tc, test_explain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(slab_suite());
}
