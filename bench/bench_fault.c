/*
 * bench_fault.c - accesses per second through the full model
 * (src/core/memory.c): TLB hits, TLB misses that walk the page table, and
 * first-touch faults (do_anonymous_page: VMA lookup, table allocation,
 * buddy allocation, PTE write, retry and TLB refill). In the same run the
 * first-touch pattern is done for real on the host (mmap N pages, write
 * one byte in each), and the ratio simulated/real is printed: how much
 * slower the model is than the kernel it imitates.
 *
 * Events are muted for the timed loops: the model's cost, not the event
 * log's, is what is measured (the TUI and logs add theirs on top).
 *
 * Run: make bench (or ./bench/bench_fault [PAGES]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

/* mm.h defines the same flags with the Linux UAPI values */
#undef PROT_NONE
#undef PROT_READ
#undef PROT_WRITE
#undef PROT_EXEC
#undef MAP_SHARED
#undef MAP_PRIVATE
#undef MAP_FIXED
#undef MAP_ANONYMOUS
#undef MAP_NORESERVE
#undef MAP_POPULATE
#undef MAP_HUGETLB
#undef MAP_FIXED_NOREPLACE
#undef MREMAP_MAYMOVE
#undef MADV_DONTNEED
#undef MADV_PAGEOUT
#undef MADV_HUGEPAGE
#undef MADV_NOHUGEPAGE

#include "vmscope/machine.h"
#include "vmscope/memory.h"
#include "vmscope/mm.h"
#include "vmscope/task.h"

#define BASE	0x100000000000ULL

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct machine *boot(void)
{
	struct machine_config cfg;
	char err[256];
	struct machine *m;

	machine_config_default(&cfg);
	cfg.ram = 1ULL << 30;
	m = machine_new(&cfg, err, sizeof(err));
	if (m == NULL) {
		fprintf(stderr, "bench_fault: %s\n", err);
		exit(1);
	}
	return m;
}

/* Access n pages from BASE; returns ns per access. */
static double run(struct machine *m, struct task_struct *t, unsigned long n,
    enum mmu_access_type type, int want, unsigned long stride)
{
	struct access_result r;
	unsigned long i;
	double t0 = now_ns();

	for (i = 0; i < n; i++) {
		enum access_kind k = access_memory(m, t,
		    BASE + (i % stride) * 4096, type, &r);

		if (want >= 0 && (int)k != want) {
			fprintf(stderr, "bench_fault: access %lu: kind %d, not "
			    "%d\n", i, (int)r.kind, (int)want);
			exit(1);
		}
	}
	return (now_ns() - t0) / (double)n;
}

int main(int argc, char **argv)
{
	unsigned long pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 50000;
	struct machine *m = boot();
	struct task_struct *t;
	double fault_ns, hit_ns, walk_ns, real_ns, t0;
	unsigned long i, tlb_entries;
	volatile char *p;

	event_mute(&m->ev);
	if (task_spawn(m, "bench", &t) != 0 ||
	    do_mmap(t->mm, BASE, pages * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) < 0) {
		fprintf(stderr, "bench_fault: cannot map %lu pages\n", pages);
		return 1;
	}
	tlb_entries = m->tlb->nr_entries;

	fault_ns = run(m, t, pages, MMU_WRITE, ACCESS_MINOR, pages);
	/* a working set that fits the TLB: hits after the first round */
	(void)run(m, t, tlb_entries / 2, MMU_READ, -1, tlb_entries / 2);
	hit_ns = run(m, t, pages, MMU_READ, ACCESS_TLB_HIT, tlb_entries / 2);
	/* a sweep far larger than the TLB: every access misses and walks */
	flush_tlb_all(m);
	walk_ns = run(m, t, pages, MMU_READ, ACCESS_WALK, pages);

	/* the same first touch, for real */
	p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise((void *)p, pages * 4096, MADV_NOHUGEPAGE);
	t0 = now_ns();
	for (i = 0; i < pages; i++)
		p[i * 4096] = 1;
	real_ns = (now_ns() - t0) / (double)pages;
	munmap((void *)p, pages * 4096);

	printf("bench_fault: %lu pages, x86_64 1 GiB, TLB %lu entries\n", pages,
	    tlb_entries);
	printf("  TLB hit          %9.0f ns/access  %12.0f accesses/s\n",
	    hit_ns, 1e9 / hit_ns);
	printf("  TLB miss + walk  %9.0f ns/access  %12.0f accesses/s\n",
	    walk_ns, 1e9 / walk_ns);
	printf("  first touch      %9.0f ns/access  %12.0f accesses/s "
	    "(minor fault, do_anonymous_page)\n", fault_ns, 1e9 / fault_ns);
	printf("  real first touch %9.0f ns/access  %12.0f accesses/s "
	    "(this host's kernel)\n", real_ns, 1e9 / real_ns);
	printf("  simulated/real first touch: %.2fx\n", fault_ns / real_ns);
	/* the rows of make bench's table (bench/run.sh) */
	printf("BENCH fault.tlb_hit %.0f accesses/s %.0f ns/access\n",
	    1e9 / hit_ns, hit_ns);
	printf("BENCH fault.tlb_miss_walk %.0f accesses/s %.0f ns/access\n",
	    1e9 / walk_ns, walk_ns);
	printf("BENCH fault.first_touch %.0f accesses/s %.0f ns/access, minor "
	    "fault (do_anonymous_page)\n", 1e9 / fault_ns, fault_ns);
	printf("BENCH fault.real_first_touch %.0f accesses/s %.0f ns/access, "
	    "this host's kernel\n", 1e9 / real_ns, real_ns);
	printf("BENCH fault.sim_vs_real %.2f ratio simulated/real first touch, "
	    "same run\n", fault_ns / real_ns);
	task_exit(m, t, "done");
	machine_free(m);
	return 0;
}
