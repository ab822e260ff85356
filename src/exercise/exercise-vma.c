/*
 * exercise-vma.c - the `vma` exercise kind: a sequence of mmap, mprotect,
 * munmap and brk calls on a process; predict the /proc/PID/maps lines of
 * the region they touch after each one.
 *
 * The process is a real one of the model (x86_64, spawned as after exec);
 * the calls run as the commands of the same names, so splits, merges
 * (vma_merge, __split_vma) and PAGE_ALIGN of the break are the model's.
 * The worked answer lists each call's VMA events and the lines after it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/events.h"
#include "vmscope/exercise.h"

#define WINDOW		0x10000000ULL
#define PAGE		0x1000ULL
#define MAX_WPAGES	32
#define MAX_OPS		12
#define TRIES		100

static const char *const prots[] = { "rw", "r", "rx", "none" };

static const int vma_events[] = {
	EV_VMA_MAP, EV_VMA_MERGE, EV_VMA_SPLIT, EV_VMA_UNMAP, EV_VMA_PROTECT,
	EV_BRK, -1
};

/*
 * The maps lines of the window (or the [heap] line) as "start-end perms"
 * items joined by "; ", "-" when none; marks the window's mapped pages.
 */
static void lines_of(const char *maps, bool heap, unsigned wpages,
    bool *mapped, struct sbuf *out)
{
	const char *p = maps;
	bool any = false;

	if (mapped != NULL)
		memset(mapped, 0, MAX_WPAGES * sizeof(*mapped));
	while (*p != '\0') {
		unsigned long long a, b;
		char perms[8];
		size_t n = strcspn(p, "\n");
		bool keep;

		if (sscanf(p, "%llx-%llx %7s", &a, &b, perms) == 3) {
			keep = heap ? n >= 6 && strncmp(p + n - 6, "[heap]", 6) == 0 :
			    a < WINDOW + wpages * PAGE && b > WINDOW;
			if (keep) {
				sbuf_printf(out, "%s%llx-%llx %s", any ? "; " : "",
				    a, b, perms);
				any = true;
			}
			for (unsigned long long x = a; !heap && mapped != NULL &&
			    x < b; x += PAGE) {
				if (x >= WINDOW && x < WINDOW + wpages * PAGE)
					mapped[(x - WINDOW) / PAGE] = true;
			}
		}
		p += n + (p[n] == '\n');
	}
	if (!any)
		sbuf_add(out, "-");
}

static int vma_generate(struct exercise *ex, const struct exercise_opt *opts,
    int nopts, struct sbuf *err)
{
	struct exercise_text *et = exercise_text_new(ex);
	struct exercise_run r;
	struct sbuf cmd = SBUF_INIT, ans = SBUF_INIT, why = SBUF_INIT;
	struct sbuf prompt = SBUF_INIT;
	bool mapped[MAX_WPAGES];
	unsigned long wpages, length;
	uint64_t brk, heap_start;
	char *heapline;
	int rc = -1;

	exercise_run_init(&r);
	if (exercise_opt_number("vma", opts, nopts, "pages", 16, 8, MAX_WPAGES,
	    &wpages, err) ||
	    exercise_opt_number("vma", opts, nopts, "length", 5, 1, MAX_OPS,
	    &length, err))
		goto out;
	if (exercise_run_cmd(&r, "machine --arch x86_64 --ram 32M") ||
	    exercise_run_cmd(&r, "spawn prog") || exercise_run_cmd(&r, "brk 1")) {
		sbuf_add(err, "exercise vma: the model could not start a process");
		goto out;
	}
	brk = strtoull(sbuf_str(&r.out), NULL, 0);
	exercise_run_cmd(&r, "maps 1");
	sbuf_reset(&ans);
	lines_of(sbuf_str(&r.out), true, (unsigned)wpages, NULL, &ans);
	heapline = sbuf_steal(&ans);
	heap_start = strtoull(heapline, NULL, 16);
	memset(mapped, 0, sizeof(mapped));

	sbuf_printf(&et->problem, "Memory mappings (exercise vma, seed %" PRIu64
	    ")\n\n", ex->seed);
	sbuf_printf(&et->problem, "A process on x86_64 (4 KiB pages) has "
	    "nothing mapped in %llx-%llx;\nits heap is %s, its program break "
	    "0x%" PRIx64 ".\nIt makes these calls (mmap with MAP_FIXED replaces "
	    "what was there;\nthe mappings are anonymous and private):\n\n",
	    WINDOW, WINDOW + wpages * PAGE, heapline, brk);
	sbuf_add(&et->solution, "\nSolution (the model's VMA operations):\n");

	for (unsigned long i = 0; i < length; i++) {
		unsigned long k;
		bool heap = false;
		int tries;

		/* Draw a call the model accepts (mprotect needs a mapping). */
		for (tries = 0; tries < TRIES; tries++) {
			unsigned s;

			k = exercise_rand_below(ex, 100);
			s = (unsigned)exercise_rand_below(ex, wpages);
			unsigned n = 1 + (unsigned)exercise_rand_below(ex, 4);
			const char *prot = prots[exercise_rand_below(ex,
			    ARRAY_SIZE(prots))];

			if (s + n > wpages)
				n = (unsigned)wpages - s;
			sbuf_reset(&cmd);
			heap = false;
			if (i == 0 || k < 40) {
				sbuf_printf(&cmd, "mmap 1 0x%llx %uK %s fixed",
				    WINDOW + s * PAGE, n * 4, prot);
			} else if (k < 65) {
				unsigned e = s;

				if (!mapped[s])
					continue;
				while (e < s + n && mapped[e])
					e++;
				sbuf_printf(&cmd, "mprotect 1 0x%llx %uK %s",
				    WINDOW + s * PAGE, (e - s) * 4, prot);
			} else if (k < 85) {
				sbuf_printf(&cmd, "munmap 1 0x%llx %uK",
				    WINDOW + s * PAGE, n * 4);
			} else {
				static const unsigned sizes[] = { 0x800, 0x1000,
				    0x1800, 0x3000 };
				unsigned sz = sizes[exercise_rand_below(ex, 4)];
				bool down = exercise_rand_below(ex, 2) &&
				    brk - sz > heap_start + 0x2000;

				heap = true;
				sbuf_printf(&cmd, "brk 1 %c0x%x", down ? '-' : '+',
				    sz);
			}
			break;
		}
		if (tries == TRIES || exercise_run_cmd(&r, "%s", sbuf_str(&cmd))) {
			sbuf_printf(err, "exercise vma: the model refused '%s'",
			    sbuf_str(&cmd));
			goto out;
		}
		if (heap)
			brk = strtoull(sbuf_str(&r.out), NULL, 0);
		sbuf_printf(&et->problem, "  %2lu. %s\n", i + 1, sbuf_str(&cmd));
		sbuf_printf(&et->solution, "\n%2lu. %s", i + 1, sbuf_str(&cmd));
		if (heap)
			sbuf_printf(&et->solution, " -> break 0x%" PRIx64, brk);
		sbuf_addc(&et->solution, '\n');
		sbuf_reset(&why);
		exercise_run_events(&r, vma_events, "      ", &why);
		if (why.len == 0)
			sbuf_add(&why, "      (no VMA changes)\n");
		sbuf_add(&et->solution, sbuf_str(&why));
		exercise_run_cmd(&r, "maps 1");
		sbuf_reset(&ans);
		lines_of(sbuf_str(&r.out), heap, (unsigned)wpages, heap ? NULL :
		    mapped, &ans);
		sbuf_printf(&et->solution, "    %s: %s\n", heap ? "[heap]" :
		    "lines", sbuf_str(&ans));
		sbuf_reset(&prompt);
		if (heap)
			sbuf_printf(&prompt, "After call %lu, what is the [heap] "
			    "line? (START-END PERMS)", i + 1);
		else
			sbuf_printf(&prompt, "After call %lu, which maps lines are "
			    "in %llx-%llx? (START-END PERMS; ..., - for none)",
			    i + 1, WINDOW, WINDOW + wpages * PAGE);
		exercise_add_question(ex, ANSWER_MAPS, sbuf_str(&prompt),
		    sbuf_str(&ans), sbuf_str(&why));
	}
	sbuf_add(&et->problem, "\nAfter each call, which lines does "
	    "/proc/PID/maps show for the region\n(or for [heap], after brk)? "
	    "Give them as START-END PERMS, e.g.\n10000000-10002000 rw-p.\n");
	sbuf_addc(&et->solution, '\n');
	free(heapline);
	rc = 0;
out:
	sbuf_free(&cmd);
	sbuf_free(&ans);
	sbuf_free(&why);
	sbuf_free(&prompt);
	exercise_run_free(&r);
	return rc;
}

const struct exercise_kind exercise_vma_kind = {
	.name = "vma",
	.summary = "mmap, mprotect, munmap and brk: predict the maps lines",
	.usage = "[--pages N] [--length N]",
	.options = "pages=,length=",
	.generate = vma_generate,
	.print_problem = exercise_text_print_problem,
	.print_solution = exercise_text_print_solution,
	.free_data = exercise_text_free,
};
