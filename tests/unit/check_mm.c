/*
 * check_mm.c - the VMAs of an address space (src/core/mmap.c): lookups,
 * the free-range search through subtree gaps, vma_merge and split_vma
 * through the system calls that use them, max_map_count, errors as the
 * syscalls return them, and a seeded random stress test. validate_mm runs
 * after every operation.
 *
 * Layouts are drawn as in the kernel's tools/testing/vma: one character
 * per page from BASE, a letter per VMA, '.' for a hole. layout() renders
 * the mm the same way, so a test states the picture it expects:
 *
 *     "AAA.BB" -> pages 0-2 one VMA, page 3 free, pages 4-5 another VMA
 *
 * and flags are checked through perms(), "rw-p r--p".
 */
#include <errno.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/mm.h"
#include "vmscope/task.h"

#define PG		4096ULL
#define BASE		0x100000000000ULL
#define P(n)		(BASE + (uint64_t)(n) * PG)
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)

static struct machine *tm;

static struct mm_struct *new_mm(void)
{
	struct machine_config cfg;
	char err[256];
	struct mm_struct *mm;

	machine_config_default(&cfg);
	tm = machine_new(&cfg, err, sizeof(err));
	ck_assert_msg(tm != NULL, "%s", err);
	mm = mm_alloc(tm, 0);
	mm->mmap_base = 0x7ffff7fff000ULL;
	mm->mmap_min_addr = 65536;
	return mm;
}

static void free_mm(struct mm_struct *mm)
{
	mmput(mm);
	machine_free(tm);
	tm = NULL;
}

static void check_mm(struct mm_struct *mm)
{
	char why[512];

	ck_assert_msg(validate_mm(mm, why, sizeof(why)) == 0, "%s", why);
}

/* The picture of [BASE, BASE + npages pages): a letter per VMA. */
static const char *layout(struct mm_struct *mm, int npages)
{
	static char buf[256];
	char letter = 'A' - 1;
	struct vm_area_struct *prev = NULL;

	for (int i = 0; i < npages; i++) {
		struct vm_area_struct *v = find_vma(mm, P(i));

		if (v == NULL || v->vm_start > P(i)) {
			buf[i] = '.';
			continue;
		}
		if (v != prev) {
			letter++;
			prev = v;
		}
		buf[i] = letter;
	}
	buf[npages] = '\0';
	return buf;
}

/* The permissions of the VMAs in [BASE, BASE + npages pages). */
static const char *perms(struct mm_struct *mm, int npages)
{
	static char buf[512];
	struct vm_area_struct *v;
	size_t len = 0;

	buf[0] = '\0';
	for (v = find_vma(mm, BASE); v != NULL && v->vm_start < P(npages);
	    v = v->vm_next) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%c%c%c%c",
		    len ? " " : "", (v->vm_flags & VM_READ) ? 'r' : '-',
		    (v->vm_flags & VM_WRITE) ? 'w' : '-',
		    (v->vm_flags & VM_EXEC) ? 'x' : '-',
		    (v->vm_flags & VM_MAYSHARE) ? 's' : 'p');
	}
	return buf;
}

static void map_at(struct mm_struct *mm, int page, int npages, int prot)
{
	int64_t r = do_mmap(mm, P(page), (uint64_t)npages * PG, prot,
	    ANON | MAP_FIXED_NOREPLACE, NULL, 0);

	ck_assert_msg(r == (int64_t)P(page), "mmap at page %d: %lld", page,
	    (long long)r);
	check_mm(mm);
}

START_TEST(test_find_vma)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *v, *prev;

	/* ..AA..BB */
	map_at(mm, 2, 2, RW);
	map_at(mm, 6, 2, PROT_READ);
	ck_assert_str_eq(layout(mm, 8), "..AA..BB");

	v = find_vma(mm, P(0));
	ck_assert_uint_eq(v->vm_start, P(2));		/* first with addr < vm_end */
	ck_assert_uint_eq(find_vma(mm, P(3) + 17)->vm_start, P(2));
	ck_assert_uint_eq(find_vma(mm, P(4))->vm_start, P(6));
	ck_assert_ptr_null(find_vma(mm, P(8)));
	v = find_vma_prev(mm, P(5), &prev);
	ck_assert_uint_eq(v->vm_start, P(6));
	ck_assert_uint_eq(prev->vm_start, P(2));
	v = find_vma_prev(mm, P(9), &prev);
	ck_assert_ptr_null(v);
	ck_assert_uint_eq(prev->vm_start, P(6));	/* the last one */
	ck_assert_ptr_null(find_vma_intersection(mm, P(4), P(6)));
	ck_assert_uint_eq(find_vma_intersection(mm, P(4), P(7))->vm_start, P(6));
	free_mm(mm);
}
END_TEST

/*
 * The vmacache in front of the tree (Linux 3.15-6.0): a walk through one
 * VMA walks the tree once; a VMA that moves its bounds (split) or goes
 * empties the cache, even when malloc hands a freed VMA's memory to the
 * next one; validate_mm refuses a slot that is not a VMA of the mm with
 * its current bounds.
 *
 *   AAAA..BB                    (A: pages 0-3, B: pages 6-7)
 *   CCCCCCCC...  at page 16     (64 pages, walked page by page)
 */
START_TEST(test_vmacache)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *a, *b, *v, fake;
	unsigned long hits, misses;
	char why[512];

	map_at(mm, 0, 4, RW);
	map_at(mm, 6, 2, PROT_READ);
	ck_assert_str_eq(layout(mm, 8), "AAAA..BB");
	a = find_vma(mm, P(0));
	b = find_vma(mm, P(6));

	/* A is cached by the lookup of page 0: pages 1-3 hit */
	hits = mm->vmacache_hits;
	misses = mm->vmacache_misses;
	ck_assert_ptr_eq(find_vma(mm, P(0)), a);
	for (int i = 1; i < 4; i++)
		ck_assert_ptr_eq(find_vma(mm, P(i) + 123), a);
	ck_assert_uint_eq(mm->vmacache_hits - hits, 4);
	ck_assert_uint_eq(mm->vmacache_misses - misses, 0);
	/* a hole below B is never a hit: B is cached but does not hold it */
	ck_assert_ptr_eq(find_vma(mm, P(5)), b);
	ck_assert_ptr_eq(find_vma(mm, P(5)), b);
	ck_assert_uint_eq(mm->vmacache_misses - misses, 2);
	check_mm(mm);

	/* mprotect splits A in three: the cached bounds of A are wrong now */
	ck_assert_int_eq(do_mprotect(mm, P(1), PG, PROT_READ), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 8), "ABCC..DD");
	v = find_vma(mm, P(1));
	ck_assert_uint_eq(v->vm_start, P(1));
	ck_assert_uint_eq(v->vm_end, P(2));
	ck_assert_uint_eq(find_vma(mm, P(3))->vm_start, P(2));

	/* every VMA at 0-3 goes; a new one may reuse their memory */
	ck_assert_int_eq(do_munmap(mm, P(0), 4 * PG), 0);
	check_mm(mm);
	ck_assert_ptr_eq(find_vma(mm, P(2)), b);
	map_at(mm, 3, 1, RW);
	ck_assert_str_eq(layout(mm, 8), "...A..BB");
	ck_assert_uint_eq(find_vma(mm, P(0))->vm_start, P(3));
	ck_assert_ptr_eq(find_vma(mm, P(4)), b);

	/* page by page through one large VMA: one walk, then hits */
	map_at(mm, 16, 64, RW);
	hits = mm->vmacache_hits;
	misses = mm->vmacache_misses;
	for (int i = 16; i < 80; i++)
		ck_assert_uint_eq(find_vma(mm, P(i))->vm_start, P(16));
	ck_assert_uint_eq(mm->vmacache_misses - misses, 1);
	ck_assert_uint_eq(mm->vmacache_hits - hits, 63);
	check_mm(mm);

	/* the checker: a cached pointer that is no VMA of this mm */
	(void)find_vma(mm, P(16));
	memset(&fake, 0, sizeof(fake));
	v = mm->vmacache.vmas[1];
	mm->vmacache.vmas[1] = &fake;
	ck_assert_int_ne(validate_mm(mm, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "vmacache") != NULL, "%s", why);
	mm->vmacache.vmas[1] = v;
	check_mm(mm);
	ck_assert_ptr_eq(mm->vmacache.vmas[0], find_vma(mm, P(16)));
	mm->vmacache.end[0] += PG;	/* bounds the VMA no longer has */
	ck_assert_int_ne(validate_mm(mm, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "vmacache") != NULL, "%s", why);
	mm->vmacache.end[0] -= PG;
	check_mm(mm);
	free_mm(mm);
}
END_TEST

/*
 * mprotect in the middle splits one VMA into three; undoing it merges
 * them back into one:
 *
 *   AAA  --mprotect(1, r)-->  ABC (rw- r-- rw-)  --mprotect(1, rw)-->  AAA
 */
START_TEST(test_mprotect_middle)
{
	struct mm_struct *mm = new_mm();

	map_at(mm, 0, 3, RW);
	ck_assert_int_eq(do_mprotect(mm, P(1), PG, PROT_READ), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 3), "ABC");
	ck_assert_str_eq(perms(mm, 3), "rw-p r--p rw-p");
	ck_assert_int_eq(mm->map_count, 3);
	ck_assert_int_eq(do_mprotect(mm, P(1), PG, RW), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 3), "AAA");
	ck_assert_int_eq(mm->map_count, 1);
	free_mm(mm);
}
END_TEST

/*
 * mprotect of a VMA's head joins the VMA before it; of its tail, the one
 * after it (the "head of V" and "tail of V" cases of vma_merge):
 *
 *   AABBBB --mprotect(2, r)--> AAABBB     AAAABB --mprotect(3, r)--> AAABBB
 *   rw r-                      rw r-      r- rw                      r- rw
 */
START_TEST(test_mprotect_head_tail_merge)
{
	struct mm_struct *mm = new_mm();

	map_at(mm, 0, 2, PROT_READ);
	map_at(mm, 2, 4, RW);
	ck_assert_str_eq(layout(mm, 6), "AABBBB");
	ck_assert_int_eq(do_mprotect(mm, P(2), PG, PROT_READ), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 6), "AAABBB");
	ck_assert_str_eq(perms(mm, 6), "r--p rw-p");
	/* and the tail of A joins B */
	ck_assert_int_eq(do_mprotect(mm, P(2), PG, RW), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 6), "AABBBB");
	ck_assert_str_eq(perms(mm, 6), "r--p rw-p");
	ck_assert_int_eq(mm->map_count, 2);
	/* a whole VMA between two equal ones: all three become one */
	ck_assert_int_eq(do_mprotect(mm, P(2), 4 * PG, PROT_READ), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 6), "AAAAAA");
	free_mm(mm);
}
END_TEST

/*
 * munmap from inside A across B into C:
 *
 *   AABBCC --munmap(1..5)--> A....C
 */
START_TEST(test_munmap_across)
{
	struct mm_struct *mm = new_mm();
	unsigned long before = 0;

	map_at(mm, 0, 2, RW);
	map_at(mm, 2, 2, PROT_READ);
	map_at(mm, 4, 2, PROT_READ | PROT_EXEC);
	ck_assert_str_eq(layout(mm, 6), "AABBCC");
	before = mm->total_vm;
	ck_assert_int_eq(do_munmap(mm, P(1), 4 * PG), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 6), "A....B");
	ck_assert_str_eq(perms(mm, 6), "rw-p r-xp");
	ck_assert_uint_eq(mm->total_vm, before - 4);
	/* holes and unmapped ranges are fine */
	ck_assert_int_eq(do_munmap(mm, P(0), 16 * PG), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 6), "......");
	ck_assert_int_eq(do_munmap(mm, P(0), 16 * PG), 0);
	free_mm(mm);
}
END_TEST

/*
 * A new anonymous mapping with the same flags merges with the VMA before
 * it, the one after it, or both:
 *
 *   AA......BB -> AAAA....BB -> AAAA..BBBB -> AAAAAAAAAA
 */
START_TEST(test_merge_both_sides)
{
	struct mm_struct *mm = new_mm();

	map_at(mm, 0, 2, RW);
	map_at(mm, 8, 2, RW);
	map_at(mm, 2, 2, RW);
	ck_assert_str_eq(layout(mm, 10), "AAAA....BB");
	map_at(mm, 6, 2, RW);
	ck_assert_str_eq(layout(mm, 10), "AAAA..BBBB");
	map_at(mm, 4, 2, RW);
	ck_assert_str_eq(layout(mm, 10), "AAAAAAAAAA");
	ck_assert_int_eq(mm->map_count, 1);
	/* different flags do not merge */
	map_at(mm, 10, 1, PROT_READ);
	ck_assert_str_eq(layout(mm, 11), "AAAAAAAAAAB");
	free_mm(mm);
}
END_TEST

/*
 * File mappings merge only with the same file at contiguous offsets:
 *
 *   f@0 f@2 f@5 g@7   ->   AAAABBCC   (f 0-3 merged; 5 is not 4; g is
 *                                      another file)
 */
START_TEST(test_file_merge_rules)
{
	struct mm_struct *mm = new_mm();
	struct vm_file *f, *g;
	struct vm_area_struct *v;

	ck_assert_int_eq(vm_file_create(tm, "f", 16 * PG, &f), 0);
	ck_assert_int_eq(vm_file_create(tm, "g", 16 * PG, &g), 0);
	ck_assert_int_eq(vm_file_create(tm, "f", PG, NULL), -EEXIST);
	ck_assert_int_ge(vm_mmap(mm, P(0), 2 * PG, PROT_READ, MAP_PRIVATE |
	    MAP_FIXED, f, 0), 0);
	ck_assert_int_ge(vm_mmap(mm, P(2), 2 * PG, PROT_READ, MAP_PRIVATE |
	    MAP_FIXED, f, 2 * PG), 0);
	ck_assert_int_ge(vm_mmap(mm, P(4), 2 * PG, PROT_READ, MAP_PRIVATE |
	    MAP_FIXED, f, 5 * PG), 0);
	ck_assert_int_ge(vm_mmap(mm, P(6), 2 * PG, PROT_READ, MAP_PRIVATE |
	    MAP_FIXED, g, 8 * PG), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 8), "AAAABBCC");
	/* four VMAs of f's pages plus the machine's own reference */
	ck_assert_int_eq(f->refcount, 3);
	/* an unaligned offset is EINVAL */
	ck_assert_int_eq(vm_mmap(mm, P(9), PG, PROT_READ, MAP_PRIVATE, f, 100),
	    -EINVAL);

	/* a split keeps each piece's offset right: A becomes A B C */
	ck_assert_int_eq(do_mprotect(mm, P(1), 2 * PG, PROT_NONE), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 8), "ABBCDDEE");
	v = find_vma(mm, P(1));
	ck_assert_uint_eq(v->vm_pgoff, 1);
	ck_assert_uint_eq(v->vm_next->vm_pgoff, 3);
	ck_assert_uint_eq(v->vm_next->vm_next->vm_pgoff, 5);
	ck_assert_int_eq(f->refcount, 5);
	free_mm(mm);
}
END_TEST

/* split_vma directly: new_below and pgoff. */
START_TEST(test_split_vma)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *v;

	map_at(mm, 0, 4, RW);
	v = find_vma(mm, P(0));
	ck_assert_int_eq(split_vma(mm, v, P(1) + 1, 0), -EINVAL);
	ck_assert_int_eq(split_vma(mm, v, P(0), 0), -EINVAL);
	ck_assert_int_eq(split_vma(mm, v, P(3), 1), 0);	/* AAAB, v is B */
	check_mm(mm);
	ck_assert_uint_eq(v->vm_start, P(3));
	ck_assert_uint_eq(v->vm_pgoff, P(3) / PG);
	ck_assert_uint_eq(v->vm_prev->vm_end, P(3));
	ck_assert_str_eq(layout(mm, 4), "AAAB");
	free_mm(mm);
}
END_TEST

/*
 * max_map_count: mmap may take the count one past the limit (it checks
 * map_count > max), a split may not reach it (map_count >= max).
 */
START_TEST(test_max_map_count)
{
	struct mm_struct *mm = new_mm();
	int i;

	for (i = 0; mm->map_count < DEFAULT_MAX_MAP_COUNT; i++) {
		int64_t r = do_mmap(mm, P(2 * i), PG, (i & 1) ? PROT_READ : RW,
		    ANON | MAP_FIXED, NULL, 0);

		ck_assert_int_ge(r, 0);
	}
	check_mm(mm);
	ck_assert_int_eq(mm->map_count, 65530);
	ck_assert_int_ge(do_mmap(mm, P(2 * i), PG, RW, ANON | MAP_FIXED,
	    NULL, 0), 0);
	ck_assert_int_eq(mm->map_count, 65531);
	ck_assert_int_eq(do_mmap(mm, P(2 * i + 4), PG, RW, ANON | MAP_FIXED,
	    NULL, 0), -ENOMEM);
	/* merging needs no new VMA, but mmap checks the count first */
	ck_assert_int_eq(do_mmap(mm, P(2 * i + 1), PG, RW, ANON | MAP_FIXED,
	    NULL, 0), -ENOMEM);
	/* a 3-page VMA cannot be split in the middle */
	ck_assert_int_eq(do_munmap(mm, P(0), 2 * PG), 0);
	ck_assert_int_eq(do_munmap(mm, P(2), 2 * PG), 0);
	ck_assert_int_eq(mm->map_count, 65529);
	ck_assert_int_ge(do_mmap(mm, P(0), 3 * PG, RW, ANON | MAP_FIXED, NULL,
	    0), 0);
	ck_assert_int_eq(mm->map_count, 65530);
	ck_assert_int_eq(do_munmap(mm, P(1), PG), -ENOMEM);
	ck_assert_int_eq(do_mprotect(mm, P(1), PG, PROT_READ), -ENOMEM);
	/* the whole VMA can go */
	ck_assert_int_eq(do_munmap(mm, P(0), 3 * PG), 0);
	check_mm(mm);
	free_mm(mm);
}
END_TEST

/* The errors the system calls return, and nothing changed. */
START_TEST(test_syscall_errors)
{
	struct mm_struct *mm = new_mm();
	uint64_t ts = mm->task_size;

	map_at(mm, 0, 4, RW);
	ck_assert_int_eq(do_mmap(mm, P(0), 0, RW, ANON, NULL, 0), -EINVAL);
	ck_assert_int_eq(do_mmap(mm, P(0) + 1, PG, RW, ANON | MAP_FIXED, NULL,
	    0), -EINVAL);
	ck_assert_int_eq(do_mmap(mm, P(1), PG, RW, ANON | MAP_FIXED_NOREPLACE,
	    NULL, 0), -EEXIST);
	ck_assert_int_eq(do_mmap(mm, ts - PG, 2 * PG, RW, ANON | MAP_FIXED,
	    NULL, 0), -ENOMEM);
	ck_assert_int_eq(do_mmap(mm, 0x1000, PG, RW, ANON | MAP_FIXED, NULL,
	    0), -EPERM);
	ck_assert_int_eq(do_mmap(mm, 0, UINT64_MAX - 10, RW, ANON, NULL, 0),
	    -ENOMEM);
	ck_assert_int_eq(do_mmap(mm, 0, PG, RW, MAP_ANONYMOUS, NULL, 0),
	    -EINVAL);
	ck_assert_int_eq(do_munmap(mm, P(0) + 8, PG), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, ts, PG), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, P(0), ts), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, P(0) + 8, PG, PROT_READ), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, P(8), PG, PROT_READ), -ENOMEM);
	ck_assert_int_eq(do_mprotect(mm, P(0), UINT64_MAX - P(0), PROT_READ),
	    -ENOMEM);
	ck_assert_int_eq(do_mprotect(mm, P(0), 0, PROT_READ), 0);
	ck_assert_int_eq(do_madvise(mm, P(0) + 1, PG, MADV_DONTNEED), -EINVAL);
	ck_assert_int_eq(do_mremap(mm, P(8), PG, 2 * PG, MREMAP_MAYMOVE),
	    -EFAULT);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 5), "AAAA.");
	ck_assert_str_eq(perms(mm, 5), "rw-p");
	/* a hole stops mprotect after the first VMA changed, as on Linux */
	map_at(mm, 6, 1, RW);
	ck_assert_int_eq(do_mprotect(mm, P(0), 7 * PG, PROT_READ), -ENOMEM);
	ck_assert_str_eq(perms(mm, 7), "r--p rw-p");
	/* a permission without its VM_MAY* twin is EACCES */
	{
		struct vm_area_struct *v = find_vma(mm, P(6));

		v->vm_flags &= ~VM_MAYEXEC;
		ck_assert_int_eq(do_mprotect(mm, P(6), PG, PROT_EXEC), -EACCES);
	}
	check_mm(mm);
	free_mm(mm);
}
END_TEST

/* get_unmapped_area: the hint, then the highest gap below mmap_base. */
START_TEST(test_unmapped_area)
{
	struct mm_struct *mm = new_mm();
	uint64_t top = mm->mmap_base;
	int64_t a, b, c;

	a = do_mmap(mm, 0, 4 * PG, RW, ANON, NULL, 0);
	ck_assert_uint_eq((uint64_t)a, top - 4 * PG);
	b = do_mmap(mm, 0, PG, PROT_READ, ANON, NULL, 0);
	ck_assert_uint_eq((uint64_t)b, top - 5 * PG);
	/* a hole of 2 pages inside a: a 1-page request lands at its top */
	ck_assert_int_eq(do_munmap(mm, (uint64_t)a + PG, 2 * PG), 0);
	c = do_mmap(mm, 0, PG, PROT_EXEC, ANON, NULL, 0);
	ck_assert_uint_eq((uint64_t)c, (uint64_t)a + 2 * PG);
	/* a 2-page request does not fit the remaining 1-page hole */
	c = do_mmap(mm, 0, 2 * PG, PROT_EXEC, ANON, NULL, 0);
	ck_assert_uint_eq((uint64_t)c, top - 7 * PG);
	/* a free hint is taken, a taken one is not */
	ck_assert_uint_eq((uint64_t)do_mmap(mm, P(3), PG, RW, ANON, NULL, 0),
	    P(3));
	c = do_mmap(mm, P(3), PG, PROT_READ, ANON, NULL, 0);
	ck_assert_uint_ne((uint64_t)c, P(3));
	/* an unaligned hint is rounded down, a low one raised to mmap_min_addr */
	ck_assert_uint_eq((uint64_t)do_mmap(mm, P(5) + 5, PG, PROT_EXEC, ANON,
	    NULL, 0), P(5));
	ck_assert_uint_eq((uint64_t)do_mmap(mm, 4096, PG, PROT_EXEC, ANON,
	    NULL, 0), 65536);
	check_mm(mm);
	free_mm(mm);
}
END_TEST

/* The stack's guard gap is left free by the top-down search. */
START_TEST(test_stack_guard_gap)
{
	struct mm_struct *mm = new_mm();
	uint64_t top = 0x7ffffffff000ULL;
	int64_t a;

	ck_assert_int_eq(map_fixed_vma(mm, top - 33 * PG, top, VM_STACK_FLAGS,
	    NULL, 0, NULL), 0);
	mm->mmap_base = top;	/* pretend the mmap area starts at the stack */
	a = do_mmap(mm, 0, PG, RW, ANON, NULL, 0);
	ck_assert_uint_eq((uint64_t)a, top - 33 * PG - mm->stack_guard_gap - PG);
	check_mm(mm);
	free_mm(mm);
}
END_TEST

/* Brute force: the highest gap of len below high that starts >= low. */
static uint64_t slow_topdown(struct mm_struct *mm, uint64_t len, uint64_t low,
    uint64_t high)
{
	struct vm_area_struct *v;
	uint64_t best = 0, gap_start, gap_end;

	gap_start = mm->highest_vm_end;
	if (gap_start <= high && high - gap_start >= len)
		return high - len;
	for (v = mm->mmap; v != NULL; v = v->vm_next) {
		gap_start = v->vm_prev != NULL ? vm_end_gap(v->vm_prev) : 0;
		gap_end = vm_start_gap(v);
		if (gap_end > high)
			gap_end = high;
		if (gap_start < low)
			gap_start = low;
		if (gap_end > gap_start && gap_end - gap_start >= len &&
		    gap_end - len > best)
			best = gap_end - len;
	}
	return best;
}

/* get_unmapped_area against a list scan on random layouts. */
START_TEST(test_unmapped_area_random)
{
	uint64_t seed = 0x5eed0001, s;
	struct mm_struct *mm = new_mm();
	int n;

	printf("check_mm: test_unmapped_area_random seed %#llx\n",
	    (unsigned long long)seed);
	s = seed;
	/* fill [top - 4096 pages, top) with random VMAs and holes */
	for (n = 0; n < 1500; n++) {
		uint64_t page = test_rand_below(&s, 4096);
		uint64_t len = 1 + test_rand_below(&s, 4);

		(void)do_mmap(mm, mm->mmap_base - (page + len) * PG, len * PG,
		    (int)test_rand_below(&s, 4), ANON | MAP_FIXED, NULL, 0);
	}
	check_mm(mm);
	for (n = 0; n < 2000; n++) {
		uint64_t len = (1 + test_rand_below(&s, 6)) * PG;
		uint64_t want = slow_topdown(mm, len, 65536, mm->mmap_base);
		int64_t got = get_unmapped_area(mm, NULL, 0, len, 0, 0);

		ck_assert_msg(want != 0 && (uint64_t)got == want,
		    "len %#llx: got %#llx, want %#llx", (unsigned long long)len,
		    (unsigned long long)got, (unsigned long long)want);
		if (test_rand_below(&s, 2))
			(void)do_mmap(mm, 0, len, RW, ANON, NULL, 0);
		else
			(void)do_munmap(mm, mm->mmap_base -
			    (1 + test_rand_below(&s, 4096)) * PG, PG);
	}
	check_mm(mm);
	free_mm(mm);
}
END_TEST

START_TEST(test_brk)
{
	struct mm_struct *mm = new_mm();
	uint64_t sb = P(100);

	/* a bss VMA below the break, which brk must not extend */
	ck_assert_int_eq(map_fixed_vma(mm, P(99), sb, VM_DATA_DEFAULT_FLAGS |
	    VM_ACCOUNT, NULL, 0, NULL), 0);
	mm->start_brk = mm->brk = sb;
	ck_assert_uint_eq(do_brk(mm, sb + 100), sb + 100);
	check_mm(mm);
	ck_assert_uint_eq(find_vma(mm, sb)->vm_start, sb);	/* its own VMA */
	ck_assert_uint_eq(find_vma(mm, sb)->vm_end, sb + PG);
	ck_assert_uint_eq(do_brk(mm, sb + 3 * PG), sb + 3 * PG);
	ck_assert_int_eq(mm->map_count, 2);			/* grew in place */
	ck_assert_uint_eq(do_brk(mm, sb + PG + 1), sb + PG + 1);
	ck_assert_uint_eq(find_vma(mm, sb)->vm_end, sb + 2 * PG);
	check_mm(mm);
	/* below start_brk: refused, the old break comes back */
	ck_assert_uint_eq(do_brk(mm, sb - PG), sb + PG + 1);
	/* within a page of the next mapping: refused */
	map_at(mm, 110, 1, RW);
	ck_assert_uint_eq(do_brk(mm, P(110)), sb + PG + 1);
	ck_assert_uint_eq(do_brk(mm, P(109)), P(109));
	ck_assert_uint_eq(do_brk(mm, sb), sb);
	ck_assert_int_eq(mm->map_count, 2);			/* heap gone */
	check_mm(mm);
	free_mm(mm);
}
END_TEST

START_TEST(test_mremap)
{
	struct mm_struct *mm = new_mm();
	int64_t r;

	map_at(mm, 0, 2, RW);
	map_at(mm, 4, 1, PROT_READ);
	/* AA..B: grow A in place to 4 pages (the hole fits) */
	ck_assert_int_eq(do_mremap(mm, P(0), 2 * PG, 4 * PG, 0), (int64_t)P(0));
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 5), "AAAAB");
	/* no room now: ENOMEM without maymove, a move with it */
	ck_assert_int_eq(do_mremap(mm, P(0), 4 * PG, 5 * PG, 0), -ENOMEM);
	r = do_mremap(mm, P(0), 4 * PG, 5 * PG, MREMAP_MAYMOVE);
	ck_assert_int_gt(r, 0);
	ck_assert_uint_ne((uint64_t)r, P(0));
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 5), "....A");
	ck_assert_uint_eq(find_vma(mm, (uint64_t)r)->vm_end, (uint64_t)r + 5 * PG);
	/* shrinking unmaps the tail */
	ck_assert_int_eq(do_mremap(mm, (uint64_t)r, 5 * PG, PG, 0), r);
	ck_assert_uint_eq(find_vma(mm, (uint64_t)r)->vm_end, (uint64_t)r + PG);
	/* [vdso]-like VM_DONTEXPAND mappings cannot grow */
	ck_assert_int_eq(map_fixed_vma(mm, P(20), P(21), VM_READ | VM_EXEC |
	    VM_MAYREAD | VM_MAYEXEC | VM_DONTEXPAND, NULL, 0, "[vdso]"), 0);
	ck_assert_int_eq(do_mremap(mm, P(20), PG, 2 * PG, MREMAP_MAYMOVE),
	    -EFAULT);
	check_mm(mm);
	free_mm(mm);
}
END_TEST

START_TEST(test_madvise)
{
	struct mm_struct *mm = new_mm();

	map_at(mm, 0, 4, RW);
	map_at(mm, 6, 2, RW);
	ck_assert_int_eq(do_madvise(mm, P(0), 4 * PG, MADV_DONTNEED), 0);
	ck_assert_int_eq(do_madvise(mm, P(0), 8 * PG, MADV_DONTNEED), -ENOMEM);
	/* hugepage on the middle of A: split, the flag in the middle only */
	ck_assert_int_eq(do_madvise(mm, P(1), 2 * PG, MADV_HUGEPAGE), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 8), "ABBC..DD");
	ck_assert(find_vma(mm, P(1))->vm_flags & VM_HUGEPAGE);
	ck_assert(!(find_vma(mm, P(0))->vm_flags & VM_HUGEPAGE));
	ck_assert_int_eq(do_madvise(mm, P(1), 2 * PG, MADV_NOHUGEPAGE), 0);
	ck_assert(find_vma(mm, P(1))->vm_flags & VM_NOHUGEPAGE);
	check_mm(mm);
	free_mm(mm);
}
END_TEST

/* Shared anonymous memory is a shmem file and does not merge. */
START_TEST(test_shared_anon)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *v;

	ck_assert_int_ge(do_mmap(mm, P(0), 2 * PG, RW, MAP_SHARED |
	    MAP_ANONYMOUS | MAP_FIXED, NULL, 0), 0);
	ck_assert_int_ge(do_mmap(mm, P(2), 2 * PG, RW, MAP_SHARED |
	    MAP_ANONYMOUS | MAP_FIXED, NULL, 0), 0);
	check_mm(mm);
	ck_assert_str_eq(layout(mm, 4), "AABB");
	v = find_vma(mm, P(0));
	ck_assert(vma_is_shmem(v));
	ck_assert_uint_eq(v->vm_pgoff, 0);
	ck_assert_str_eq(perms(mm, 4), "rw-s rw-s");
	free_mm(mm);
}
END_TEST

/* anon_vma compatibility: a fork child's anon_vma blocks a NULL merge. */
START_TEST(test_anon_vma_merge)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *v;

	map_at(mm, 0, 2, RW);
	v = find_vma(mm, P(0));
	anon_vma_prepare(v);
	map_at(mm, 2, 2, RW);		/* NULL next to an anon_vma: merges */
	ck_assert_str_eq(layout(mm, 4), "AAAA");
	v->anon_vma->forked = true;
	map_at(mm, 4, 2, RW);		/* but not with a fork child's */
	ck_assert_str_eq(layout(mm, 6), "AAAABB");
	free_mm(mm);
}
END_TEST

/*
 * Random mmap/munmap/mprotect/brk/mremap/madvise over several address
 * spaces, validate_mm after each; find_vma checked against a list scan.
 */
START_TEST(test_stress)
{
	/* 20000 in make check; VMSCOPE_STRESS_OPS=N runs N */
	enum { NPROC = 4, SPAN_PAGES = 512 };
	const char *env = getenv("VMSCOPE_STRESS_OPS");
	const long NOPS = env != NULL && atol(env) > 0 ? atol(env) : 20000;
	uint64_t seed = 20240601, s = seed;
	struct mm_struct *mms[NPROC];
	struct machine_config cfg;
	char err[256], why[512];
	struct machine *m;
	long counts[8] = { 0 };

	printf("check_mm: test_stress seed %llu, %ld operations\n",
	    (unsigned long long)seed, NOPS);
	machine_config_default(&cfg);
	m = machine_new(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(m);
	for (int i = 0; i < NPROC; i++) {
		mms[i] = mm_alloc(m, 0);
		mms[i]->mmap_base = P((i + 1) * 4096);
		mms[i]->mmap_min_addr = 65536;
		mms[i]->start_brk = mms[i]->brk = P(i * 4096 + 2048);
	}
	for (long op = 0; op < NOPS; op++) {
		struct mm_struct *mm = mms[test_rand_below(&s, NPROC)];
		uint64_t base = ALIGN_DOWN(mm->mmap_base - SPAN_PAGES * PG,
		    PG);
		uint64_t addr = base + test_rand_below(&s, SPAN_PAGES) * PG;
		uint64_t len = (1 + test_rand_below(&s, 16)) * PG;
		int prot = (int)test_rand_below(&s, 8), kind;
		struct vm_area_struct *v, *slow;

		kind = (int)test_rand_below(&s, 8);
		counts[kind]++;
		switch (kind) {
		case 0:
		case 1:
			(void)do_mmap(mm, addr, len, prot, ANON | MAP_FIXED,
			    NULL, 0);
			break;
		case 2:
			(void)do_mmap(mm, test_rand_below(&s, 2) ? addr : 0,
			    len, prot, ANON, NULL, 0);
			break;
		case 3:
			(void)do_munmap(mm, addr, len);
			break;
		case 4:
			(void)do_mprotect(mm, addr, len, prot & 3);
			break;
		case 5:
			(void)do_brk(mm, mm->start_brk +
			    test_rand_below(&s, 64) * PG / 2);
			break;
		case 6:
			(void)do_mremap(mm, addr, len,
			    (1 + test_rand_below(&s, 16)) * PG,
			    test_rand_below(&s, 2) ? MREMAP_MAYMOVE : 0);
			break;
		case 7:
			(void)do_madvise(mm, addr, len, test_rand_below(&s, 2) ?
			    MADV_DONTNEED : MADV_HUGEPAGE);
			break;
		}
		if (validate_mm(mm, why, sizeof(why)) != 0)
			ck_abort_msg("seed %llu op %ld (kind %d): %s",
			    (unsigned long long)seed, op, kind, why);
		/*
		 * The lookup agrees with a walk of the list, through the
		 * tree and then through the vmacache (the address again,
		 * and the next page), after whatever the operation freed.
		 */
		addr = base + test_rand_below(&s, SPAN_PAGES + 32) * PG;
		for (int k = 0; k < 3; k++) {
			uint64_t a = addr + (k == 2 ? PG : 0);

			v = find_vma(mm, a);
			for (slow = mm->mmap; slow != NULL && slow->vm_end <= a;
			    slow = slow->vm_next)
				;
			ck_assert_ptr_eq(v, slow);
		}
	}
	for (int i = 0; i < 8; i++)
		ck_assert_int_gt(counts[i], 0);
	/* the cache was exercised, not bypassed */
	for (int i = 0; i < NPROC; i++)
		ck_assert_uint_gt(mms[i]->vmacache_hits, 1000);
	for (int i = 0; i < NPROC; i++)
		mmput(mms[i]);
	machine_free(m);
}
END_TEST

static Suite *mm_suite(void)
{
	Suite *s = suite_create("mm");
	TCase *tc = tcase_create("vma");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_find_vma);
	tcase_add_test(tc, test_vmacache);
	tcase_add_test(tc, test_mprotect_middle);
	tcase_add_test(tc, test_mprotect_head_tail_merge);
	tcase_add_test(tc, test_munmap_across);
	tcase_add_test(tc, test_merge_both_sides);
	tcase_add_test(tc, test_file_merge_rules);
	tcase_add_test(tc, test_split_vma);
	tcase_add_test(tc, test_max_map_count);
	tcase_add_test(tc, test_syscall_errors);
	tcase_add_test(tc, test_unmapped_area);
	tcase_add_test(tc, test_stack_guard_gap);
	tcase_add_test(tc, test_unmapped_area_random);
	tcase_add_test(tc, test_brk);
	tcase_add_test(tc, test_mremap);
	tcase_add_test(tc, test_madvise);
	tcase_add_test(tc, test_shared_anon);
	tcase_add_test(tc, test_anon_vma_merge);
	tcase_add_test(tc, test_stress);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(mm_suite());
}
