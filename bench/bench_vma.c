/*
 * bench_vma.c - what mmap, munmap and find_vma cost as an address space
 * grows: 100, 10000 and 100000 VMAs in one mm (src/core/mmap.c). All
 * three walk the augmented red-black tree, so the cost per operation
 * should grow with log n only (issue 3: the 100000 case within 2x of the
 * 100 case).
 *
 * Each operation is measured twice:
 *   - time (ns/op), on this host, as it is;
 *   - instructions (instr/op), counted by callgrind: the program runs
 *     itself again under `valgrind --tool=callgrind` and reads the counts
 *     of each phase from the dumps (CALLGRIND_DUMP_STATS_AT). The count
 *     is the same on every run and free of cache effects, so its ratio
 *     is the algorithmic growth; the time ratio adds the memory
 *     hierarchy: a 100-VMA tree sits in L1, a 100000-VMA one (about
 *     14 MB of VMAs) does not, and a random lookup pays a cache and TLB
 *     miss per level.
 *
 * Layout: n one-page VMAs with a one-page hole after each, mmap_base at
 * the top of them, so a hint-less mmap has to search the tree for the
 * highest hole (unmapped_area_topdown through rb_subtree_gap) instead of
 * taking the free space above everything. Below them lies one 256-page
 * VMA (a heap).
 *
 * The find_vma access patterns:
 *   find_vma       random addresses over the n VMAs and holes: the
 *                  general case; the vmacache almost never helps;
 *   find_vma_seq   page by page over the n VMAs: every lookup is a new
 *                  one-page VMA (or the hole after it), so the vmacache
 *                  misses every time and this is the tree walk with the
 *                  upper levels warm in the host's caches;
 *   find_vma_walk  page by page through the 256-page heap, as the faults
 *                  of a memset would: one tree walk, then vmacache hits.
 *                  The case the vmacache is for, not a general one.
 *   floor          not the model: the random addresses of find_vma looked
 *                  up by binary search in a plain sorted array of the n
 *                  vm_end values (800 KB at 100000, within the host's L2).
 *                  No comparison-based lookup does fewer comparisons or
 *                  touches less memory, so its ratio is the least any
 *                  search tree can show on this host: if it is above 2x,
 *                  a time ratio within 2x is out of reach for a random
 *                  find_vma, whatever the tree.
 *
 * Times are the best of several passes (lookups) or batches (mmap and
 * munmap, each batch undone by the next munmap batch), so that other work
 * on the host does not decide a ratio; instruction counts are those of
 * one pass or batch.
 *
 * Exit status: 1 when an instruction ratio (deterministic) exceeds 2x, or
 * a time ratio grows like a linear scan (LINEAR_ALARM); time ratios above
 * 2x are reported, not failed (they depend on the host's caches).
 *
 * Run: make bench (or ./bench/bench_vma [ROUNDS]).
 * BENCH_VMA_CALLGRIND=0 skips the instruction counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif

#include "vmscope/machine.h"
#include "vmscope/mm.h"

#define PG		4096ULL
#define BASE		0x100000000000ULL
#define HEAP_PAGES	256
#define HEAP		(BASE - 2 * HEAP_PAGES * PG)
#define BATCH		1000
#define LOOKUPS		200000
#define LOOKUP_REPEATS	5	/* time: the best of this many passes */
#define LINEAR_ALARM	100.0	/* a scan would show about 1000 */
#define TARGET		2.0	/* issue 3: 100000 within 2x of 100 */

enum phase { PH_MMAP, PH_MUNMAP, PH_FIND, PH_SEQ, PH_WALK, PH_FLOOR,
	NR_PHASES };

static const char *const phase_names[NR_PHASES] = {
	"mmap", "munmap", "find_vma", "find_vma_seq", "find_vma_walk", "floor",
};

static const char *const phase_desc[NR_PHASES] = {
	"mmap", "munmap", "find_vma (random)", "find_vma (page by page)",
	"find_vma (heap walk)", "floor: sorted-array search",
};

static const long sizes[] = { 100, 10000, 100000 };
#define NR_SIZES	3

struct result {
	double	 ns[NR_PHASES];		/* per operation */
	double	 instr[NR_PHASES];	/* per operation, 0 if not counted */
	double	 hits[NR_PHASES];	/* vmacache hit rate of the lookups */
	double	 depth;			/* tree nodes a random lookup visits */
};

/* Under callgrind: count the instructions of the phase between these. */
static int counting;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void phase_begin(int count)
{
#ifdef HAVE_CALLGRIND
	if (counting && count) {
		CALLGRIND_START_INSTRUMENTATION;
		CALLGRIND_ZERO_STATS;
		CALLGRIND_TOGGLE_COLLECT;
	}
#else
	(void)count;
#endif
}

static void phase_end(int count, enum phase ph, long n)
{
#ifdef HAVE_CALLGRIND
	char name[64];

	if (counting && count) {
		CALLGRIND_TOGGLE_COLLECT;
		snprintf(name, sizeof(name), "%s.%ld", phase_names[ph], n);
		CALLGRIND_DUMP_STATS_AT(name);
		CALLGRIND_STOP_INSTRUMENTATION;
	}
#else
	(void)count;
	(void)ph;
	(void)n;
#endif
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* How many operations a phase does: the parent divides the counts by it. */
static long phase_ops(enum phase ph, long n)
{
	if (ph == PH_MMAP || ph == PH_MUNMAP)
		return n < BATCH ? n : BATCH;
	return LOOKUPS;
}

/* The nodes find_vma's tree walk visits for addr (no vmacache). */
static int tree_depth(struct mm_struct *mm, uint64_t addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	int depth = 0;

	while (node != NULL) {
		struct vm_area_struct *v = rb_entry(node, struct vm_area_struct,
		    vm_rb);

		depth++;
		if (v->vm_end > addr) {
			if (v->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return depth;
}

/* The vm_end of every VMA, in order: the floor phase searches it. */
static uint64_t *ends;
static long nr_ends;

/* The first VMA end above addr, by binary search (the floor phase). */
static long floor_search(uint64_t addr)
{
	long lo = 0, hi = nr_ends;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (ends[mid] > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* One pass of a lookup phase: LOOKUPS calls of find_vma; its time in ns. */
static double lookup_pass(struct mm_struct *mm, long n, enum phase ph,
    uint64_t *sink)
{
	uint64_t s = 88172645463325252ULL, a;
	double t = now_ns();

	for (long i = 0; i < LOOKUPS; i++) {
		struct vm_area_struct *v;

		if (ph == PH_FLOOR) {
			a = BASE + rnd(&s) % ((uint64_t)n * 2 * PG);
			*sink += (uint64_t)floor_search(a);
			continue;
		}
		if (ph == PH_FIND)
			a = BASE + rnd(&s) % ((uint64_t)n * 2 * PG);
		else if (ph == PH_SEQ)
			a = BASE + ((uint64_t)i % ((uint64_t)n * 2)) * PG;
		else
			a = HEAP + ((uint64_t)i % HEAP_PAGES) * PG;
		v = find_vma(mm, a);
		*sink += v != NULL ? v->vm_start : 0;
	}
	return now_ns() - t;
}

/*
 * A lookup phase: the same addresses LOOKUP_REPEATS times; the time is
 * the fastest pass (the one the host's other work disturbed least), the
 * instructions and vmacache hits those of the last (any pass counts the
 * same).
 */
static uint64_t lookups(struct mm_struct *mm, long n, enum phase ph,
    struct result *res)
{
	uint64_t sink = 0;
	unsigned long hits = 0;
	double t, best = 0;

	for (int pass = 0; pass < LOOKUP_REPEATS; pass++) {
		int count = pass == LOOKUP_REPEATS - 1;

		hits = mm->vmacache_hits;
		phase_begin(count);
		t = lookup_pass(mm, n, ph, &sink);
		phase_end(count, ph, n);
		if (pass == 0 || t < best)
			best = t;
	}
	res->ns[ph] = best / LOOKUPS;
	res->hits[ph] = (double)(mm->vmacache_hits - hits) / LOOKUPS;
	return sink;
}

static void run(struct machine *m, long n, int rounds, struct result *res)
{
	struct mm_struct *mm = mm_alloc(m, 0);
	uint64_t addrs[BATCH], s = 1, sink = 0;
	double t, t_mmap = 0, t_munmap = 0, depth = 0;
	int batch = (int)phase_ops(PH_MMAP, n);

	mm->mmap_min_addr = 65536;
	mm->max_map_count = 1 << 30;
	if (do_mmap(mm, HEAP, HEAP_PAGES * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) < 0)
		abort();
	for (long i = 0; i < n; i++) {
		if (do_mmap(mm, BASE + (uint64_t)i * 2 * PG, PG, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) < 0)
			abort();
	}
	/* the mmap area ends at the top of the VMAs: holes must be searched */
	mm->mmap_base = BASE + (uint64_t)n * 2 * PG;

	for (int r = 0; r < rounds; r++) {
		/* counted: the last round, its allocator warm like the others */
		int count = r == rounds - 1;

		phase_begin(count);
		t = now_ns();
		for (int i = 0; i < batch; i++) {
			int64_t a = do_mmap(mm, 0, PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);

			if (a < 0)
				abort();
			addrs[i] = (uint64_t)a;
		}
		t = now_ns() - t;
		if (r == 0 || t < t_mmap)
			t_mmap = t;	/* the least disturbed batch */
		phase_end(count, PH_MMAP, n);
		phase_begin(count);
		t = now_ns();
		for (int i = 0; i < batch; i++)
			if (do_munmap(mm, addrs[i], PG) != 0)
				abort();
		t = now_ns() - t;
		if (r == 0 || t < t_munmap)
			t_munmap = t;
		phase_end(count, PH_MUNMAP, n);
	}
	res->ns[PH_MMAP] = t_mmap / batch;
	res->ns[PH_MUNMAP] = t_munmap / batch;
	sink += lookups(mm, n, PH_FIND, res);
	sink += lookups(mm, n, PH_SEQ, res);
	sink += lookups(mm, n, PH_WALK, res);
	ends = xcalloc((size_t)mm->map_count, sizeof(*ends));
	nr_ends = 0;
	for (struct vm_area_struct *v = mm->mmap; v != NULL; v = v->vm_next)
		ends[nr_ends++] = v->vm_end;
	sink += lookups(mm, n, PH_FLOOR, res);
	free(ends);
	for (int i = 0; i < 10000; i++)
		depth += tree_depth(mm, BASE + rnd(&s) % ((uint64_t)n * 2 * PG));
	res->depth = depth / 10000;
	if (sink == 1)
		puts("");
	mmput(mm);
}

/* ---------------------------------------------------------- callgrind */

/* "totals: N" of the dump named name (desc: Trigger: Client Request: name). */
static int read_dump(const char *path, char *name, size_t namelen,
    double *total)
{
	FILE *f = fopen(path, "r");
	char line[256];
	const char *trig = "desc: Trigger: Client Request: ";
	int have = 0;

	if (f == NULL)
		return -1;
	name[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, trig, strlen(trig)) == 0) {
			snprintf(name, namelen, "%.100s", line + strlen(trig));
		} else if (strncmp(line, "totals: ", 8) == 0 ||
		    (!have && strncmp(line, "summary: ", 9) == 0)) {
			*total = strtod(strchr(line, ' ') + 1, NULL);
			have = 1;
		}
	}
	fclose(f);
	return have && name[0] != '\0' ? 0 : -1;
}

/*
 * Run this program again under callgrind (counting mode) and fill in
 * res[].instr from its dumps. Returns 0, or -1 with why.
 */
static int count_instructions(struct result *res, char *why, size_t whylen)
{
	char dir[] = "/tmp/bench_vma.XXXXXX", self[4096], out[4200];
	char path[4300], name[128];
	const char *env = getenv("BENCH_VMA_CALLGRIND");
	ssize_t len;
	pid_t pid;
	int status, found = 0;

	if (env != NULL && strcmp(env, "0") == 0) {
		snprintf(why, whylen, "BENCH_VMA_CALLGRIND=0");
		return -1;
	}
#ifndef HAVE_CALLGRIND
	snprintf(why, whylen, "built without valgrind/callgrind.h");
	return -1;
#endif
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0) {
		snprintf(why, whylen, "cannot find this program (%s)",
		    strerror(errno));
		return -1;
	}
	self[len] = '\0';
	if (mkdtemp(dir) == NULL) {
		snprintf(why, whylen, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	snprintf(out, sizeof(out), "--callgrind-out-file=%s/cg.out", dir);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char vg[] = "valgrind", tool[] = "--tool=callgrind", q[] = "-q";
		char ia[] = "--instr-atstart=no", ca[] = "--collect-atstart=no";
		char mode[] = "--count-instructions";
		char *argv[] = { vg, tool, q, ia, ca, out, self, mode, NULL };

		if (freopen("/dev/null", "w", stdout) == NULL ||
		    freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		execvp("valgrind", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		snprintf(why, whylen, WIFEXITED(status) &&
		    WEXITSTATUS(status) == 127 ? "valgrind not found" :
		    "the run under callgrind failed");
		goto out;
	}
	for (int k = 1; k < 100; k++) {
		double total;

		snprintf(path, sizeof(path), "%s/cg.out.%d", dir, k);
		if (read_dump(path, name, sizeof(name), &total) != 0)
			break;
		for (int i = 0; i < NR_SIZES; i++) {
			for (int ph = 0; ph < NR_PHASES; ph++) {
				char want[64];

				snprintf(want, sizeof(want), "%s.%ld",
				    phase_names[ph], sizes[i]);
				if (strcmp(name, want) == 0) {
					res[i].instr[ph] = total /
					    (double)phase_ops((enum phase)ph,
					    sizes[i]);
					found++;
				}
			}
		}
	}
	if (found != NR_SIZES * NR_PHASES)
		snprintf(why, whylen, "%d of %d callgrind dumps read", found,
		    NR_SIZES * NR_PHASES);
out:
	for (int k = 0; k < 100; k++) {
		snprintf(path, sizeof(path), k ? "%s/cg.out.%d" : "%s/cg.out",
		    dir, k);
		(void)unlink(path);
	}
	(void)rmdir(dir);
	return found == NR_SIZES * NR_PHASES ? 0 : -1;
}

/* ---------------------------------------------------------- report */

static const char *verdict(double r)
{
	return r <= TARGET ? "within 2x" : "above 2x";
}

int main(int argc, char **argv)
{
	struct result res[NR_SIZES];
	struct machine_config cfg;
	struct machine *m;
	char err[256], why[256] = "";
	int rounds = 200, have_instr, failed = 0;

	if (argc > 1 && strcmp(argv[1], "--count-instructions") == 0) {
#ifdef HAVE_CALLGRIND
		if (!RUNNING_ON_VALGRIND) {
			fprintf(stderr, "bench_vma: --count-instructions is "
			    "for running under callgrind\n");
			return 1;
		}
#endif
		counting = 1;
		rounds = 2;
	} else if (argc > 1) {
		rounds = atoi(argv[1]);
		if (rounds < 1)
			rounds = 1;
	}
	memset(res, 0, sizeof(res));
	machine_config_default(&cfg);
	m = machine_new(&cfg, err, sizeof(err));
	if (m == NULL) {
		fprintf(stderr, "bench_vma: %s\n", err);
		return 1;
	}
	event_mute(&m->ev);	/* measure the tree, not the event log */
	for (int i = 0; i < NR_SIZES; i++)
		run(m, sizes[i], rounds, &res[i]);
	machine_free(m);
	if (counting)
		return 0;

	have_instr = count_instructions(res, why, sizeof(why)) == 0;
	printf("%8s", "VMAs");
	for (int ph = 0; ph < NR_PHASES; ph++)
		printf(" %14s", phase_names[ph]);
	printf("\n");
	for (int i = 0; i < NR_SIZES; i++) {
		printf("%8ld", sizes[i]);
		for (int ph = 0; ph < NR_PHASES; ph++)
			printf(" %11.1f ns", res[i].ns[ph]);
		printf("\n%8s", "");
		for (int ph = 0; ph < NR_PHASES; ph++)
			printf(" %8.1f instr", res[i].instr[ph]);
		printf("\n");
	}
	if (!have_instr)
		printf("instruction counts: not measured (%s)\n", why);

	/* the lines bench/run.sh puts in its table, ratios to 100 VMAs */
	for (int i = 0; i < NR_SIZES; i++) {
		for (int ph = 0; ph < NR_PHASES; ph++) {
			char hits[64] = "";

			if (ph >= PH_FIND && ph != PH_FLOOR)
				snprintf(hits, sizeof(hits), ", vmacache hits "
				    "%.0f%%", 100 * res[i].hits[ph]);
			printf("BENCH vma.%s.%ld %.1f ns/op x%.2f vs 100 VMAs%s\n",
			    phase_names[ph], sizes[i], res[i].ns[ph],
			    res[i].ns[ph] / res[0].ns[ph], hits);
			if (have_instr)
				printf("BENCH vma.%s.%ld.instr %.1f instr/op "
				    "x%.2f vs 100 VMAs\n", phase_names[ph],
				    sizes[i], res[i].instr[ph],
				    res[i].instr[ph] / res[0].instr[ph]);
		}
	}
	if (!have_instr)
		printf("BENCH vma.instr - - not measured: %s\n", why);

	printf("100000 VMAs vs 100 (1000x more; random lookups visit %.1f vs "
	    "%.1f tree nodes, x%.2f):\n", res[2].depth, res[0].depth,
	    res[2].depth / res[0].depth);
	printf("  %-26s %16s %22s\n", "", "time", "instructions");
	for (int ph = 0; ph < NR_PHASES; ph++) {
		double rt = res[2].ns[ph] / res[0].ns[ph];

		printf("  %-26s x%6.2f %-9s", phase_desc[ph], rt, verdict(rt));
		if (rt > LINEAR_ALARM)
			failed = 1;
		if (have_instr) {
			double ri = res[2].instr[ph] / res[0].instr[ph];

			printf("   x%6.2f %s", ri, verdict(ri));
			/* the floor is a reference, not the model */
			if (ri > TARGET && ph != PH_FLOOR)
				failed = 1;
		}
		printf("\n");
	}
	if (failed) {
		printf("FAIL: an instruction count grows beyond 2x, or a time "
		    "like a linear scan\n");
		return 1;
	}
	printf("logarithmic: instruction counts within 2x, no time grows like "
	    "a scan\n");
	return 0;
}
