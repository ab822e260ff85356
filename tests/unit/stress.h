/*
 * stress.h - the whole-machine random stress driver (issue 8), shared by
 * tests/unit/check_stress.c (a short run in `make check`) and
 * bench/bench_stress.c (a long run, a million operations and more).
 *
 * A seeded generator drives a small machine (little RAM, some swap, so
 * that kswapd, direct reclaim and the OOM killer all happen) through the
 * command layer, as a user would: many processes mixing mmap, munmap,
 * mprotect, brk, mremap, madvise, fork, exec, exit, touch, switch,
 * swapon/swapoff, reclaim, alloc_pages/free_pages and kmalloc/kfree,
 * with validate_machine after every operation. Commands may fail (an
 * address range that is not mapped, ENOMEM...): that is a result, not a
 * bug; a crash or a broken invariant is. The operations are chosen from
 * what the model holds (live pids, their VMAs), so most of them do
 * something.
 *
 * The same seed gives the same run on every host; a failure names the
 * seed, the operation index, the command and the invariant, and the last
 * commands before it, so that
 *   VMSCOPE_STRESS_SEED=S VMSCOPE_STRESS_OPS=N tests/unit/check_stress
 * replays it. Needs no Check: plain C over libvmcore.
 */
#ifndef VMSCOPE_STRESS_H
#define VMSCOPE_STRESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/session.h"
#include "vmscope/task.h"

#define STRESS_MAX_TASKS	10
#define STRESS_MAX_KOBJ		256	/* kmalloc objects kept */
#define STRESS_MAX_KPAGES	24	/* alloc_pages blocks kept */
#define STRESS_HISTORY		16

struct stress_stats {
	unsigned long	 ops;
	unsigned long	 failed_cmds;	/* commands refused: normal */
	unsigned long	 spawned, forked, exited;
	unsigned long	 oom_kills, direct_reclaims, kswapd_runs;
	unsigned long	 swap_outs, swap_ins;
};

struct stress {
	uint64_t	 seed;
	uint64_t	 rng;
	struct session	*s;
	struct sbuf	 out, err;
	char		 cmd[256];
	char		 history[STRESS_HISTORY][256];
	unsigned long	 nhistory;
	uint64_t	 kobj[STRESS_MAX_KOBJ];
	int		 nkobj;
	unsigned long	 kpages[STRESS_MAX_KPAGES];
	int		 nkpages;
	bool		 swap_on;
	struct stress_stats st;
	/* the failure, if any */
	unsigned long	 fail_op;
	char		 fail_why[512];
};

static inline uint64_t stress_rand(struct stress *x)
{
	/* xorshift64*, as testutil.h */
	uint64_t v = x->rng;

	v ^= v >> 12;
	v ^= v << 25;
	v ^= v >> 27;
	x->rng = v;
	return v * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t stress_below(struct stress *x, uint64_t n)
{
	return n ? stress_rand(x) % n : 0;
}

/* Run x->cmd; returns the failure count. Keeps it in the history. */
static int stress_cmd(struct stress *x)
{
	int failed;

	snprintf(x->history[x->nhistory % STRESS_HISTORY],
	    sizeof(x->history[0]), "%s", x->cmd);
	x->nhistory++;
	sbuf_reset(&x->out);
	sbuf_reset(&x->err);
	failed = cmd_run_line(x->s, x->cmd, &x->out, &x->err);
	if (failed)
		x->st.failed_cmds++;
	return failed;
}

static int stress_run_fmt(struct stress *x, const char *fmt, ...)
    __printf(2, 3);
static int stress_run_fmt(struct stress *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->cmd, sizeof(x->cmd), fmt, ap);
	va_end(ap);
	return stress_cmd(x);
}

static int stress_ntasks(struct stress *x)
{
	struct task_struct *t;
	int n = 0;

	list_for_each_entry(t, &x->s->m->tasks, tasks)
		n++;
	return n;
}

static struct task_struct *stress_pick_task(struct stress *x)
{
	struct task_struct *t;
	int n = stress_ntasks(x), i = 0, want;

	if (n == 0)
		return NULL;
	want = (int)stress_below(x, (uint64_t)n);
	list_for_each_entry(t, &x->s->m->tasks, tasks) {
		if (i++ == want)
			return t;
	}
	return NULL;
}

static struct vm_area_struct *stress_pick_vma(struct stress *x,
    struct task_struct *t)
{
	struct vm_area_struct *vma;
	int i = 0, want;

	if (t->mm == NULL || t->mm->map_count == 0)
		return NULL;
	want = (int)stress_below(x, (uint64_t)t->mm->map_count);
	for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
		if (i++ == want)
			return vma;
	}
	return NULL;
}

/*
 * A page-aligned range inside a random VMA (sometimes running past its
 * end into the next one): start and length in bytes.
 */
static bool stress_pick_range(struct stress *x, struct task_struct *t,
    uint64_t *start, uint64_t *len)
{
	struct vm_area_struct *vma = stress_pick_vma(x, t);
	uint64_t ps = x->s->m->page_size, pages, first, n;

	if (vma == NULL)
		return false;
	pages = (vma->vm_end - vma->vm_start) / ps;
	first = stress_below(x, pages);
	n = 1 + stress_below(x, pages - first < 64 ? pages - first : 64);
	if (stress_below(x, 8) == 0)
		n += 1 + stress_below(x, 16);	/* past the end */
	*start = vma->vm_start + first * ps;
	*len = n * ps;
	return true;
}

/*
 * touch: mostly an access the VMA allows (a process killed by SIGSEGV
 * at every other touch would never build up memory pressure), over up
 * to 512 pages; now and then anything, signals included.
 */
static void stress_touch(struct stress *x, struct task_struct *t)
{
	struct vm_area_struct *vma = stress_pick_vma(x, t), *v;
	uint64_t ps = x->s->m->page_size, pages, first, n;
	unsigned long f;

	/* half the time the biggest VMA: that is where memory goes */
	if (t->mm != NULL && stress_below(x, 2)) {
		for (v = t->mm->mmap; v != NULL; v = v->vm_next) {
			if (vma == NULL || v->vm_end - v->vm_start >
			    vma->vm_end - vma->vm_start)
				vma = v;
		}
	}
	char acc = 'r';

	if (vma == NULL)
		return;
	f = vma->vm_flags;
	pages = (vma->vm_end - vma->vm_start) / ps;
	first = stress_below(x, 2) ? 0 : stress_below(x, pages);
	n = pages - first;
	if (n > 512)
		n = 512;
	n = stress_below(x, 3) ? n : 1 + stress_below(x, n);
	if (stress_below(x, 30) == 0)
		acc = "rwx"[stress_below(x, 3)];
	else if ((f & VM_WRITE) && stress_below(x, 3))
		acc = 'w';
	else if ((f & VM_EXEC) && stress_below(x, 4) == 0)
		acc = 'x';
	else if (!(f & VM_READ) && stress_below(x, 10))
		return;
	stress_run_fmt(x, "touch %d 0x%" PRIx64 "+%" PRIu64 " %c --quiet",
	    t->pid, vma->vm_start + first * ps, n * ps, acc);
}

static const char *const stress_prots[] = { "r", "rw", "rx", "rwx", "none", "w" };
static const char *const stress_progs[] = { "bash", "cat", "python3", "cc1", "sh" };

static void stress_setup(struct stress *x)
{
	int i;

	x->s->debug_checks = false;	/* validated below, once per op */
	/* the seed picks the machine: each small enough to run out */
	static const char *const machines[] = {
		"machine --ram 32M --swap 24M",
		"machine --arch arm64 --ram 16M --swap 16M",
		"machine --arch i386 --ram 32M --swap 16M",
		"machine --arch x86_64 --ram 32M --swap 8M --tlb 16x2 --asid off",
	};

	snprintf(x->cmd, sizeof(x->cmd), "%s",
	    machines[x->seed % ARRAY_SIZE(machines)]);
	stress_cmd(x);
	x->swap_on = true;
	for (i = 0; i < 3; i++) {
		stress_run_fmt(x, "file data%d %dK", i, 512 << i);
	}
	stress_run_fmt(x, "spawn init");
}

/* One random operation. */
static void stress_op(struct stress *x)
{
	struct machine *m = x->s->m;
	struct task_struct *t = stress_pick_task(x);
	uint64_t ps = m->page_size, start = 0, len = 0;
	int pid = t != NULL ? t->pid : 0;
	unsigned op = (unsigned)stress_below(x, 100);

	if (t == NULL || (op < 2 && stress_ntasks(x) < STRESS_MAX_TASKS)) {
		stress_run_fmt(x, "spawn %s",
		    stress_progs[stress_below(x, ARRAY_SIZE(stress_progs))]);
		x->st.spawned++;
		return;
	}
	if (op < 5 && stress_ntasks(x) < STRESS_MAX_TASKS) {
		stress_run_fmt(x, "fork %d", pid);
		x->st.forked++;
	} else if (op < 5) {
		stress_touch(x, t);
	} else if (op < 6) {
		stress_run_fmt(x, "exec %d %s", pid,
		    stress_progs[stress_below(x, ARRAY_SIZE(stress_progs))]);
	} else if (op < 7) {
		stress_run_fmt(x, stress_below(x, 2) ? "exit %d" : "kill %d", pid);
		x->st.exited++;
	} else if (op < 17) {
		/* mmap: anonymous or file, private or shared, sometimes populated */
		uint64_t pages = 1 + stress_below(x, stress_below(x, 3) ? 64 : 2048);
		unsigned kind = (unsigned)stress_below(x, 6);
		char extra[96] = "";

		if (kind == 1)
			snprintf(extra, sizeof(extra), " shared");
		else if (kind == 2 || kind == 3)
			snprintf(extra, sizeof(extra), " %s file=data%d",
			    kind == 2 ? "private" : "shared",
			    (int)stress_below(x, 3));
		if (stress_below(x, 6) == 0)
			strcat(extra, " populate");
		if (stress_below(x, 5) == 0 && stress_pick_range(x, t, &start,
		    &len))
			stress_run_fmt(x, "mmap %d 0x%" PRIx64 " %" PRIu64 "p %s%s%s",
			    pid, start, pages,
			    stress_prots[stress_below(x, 4)], extra,
			    stress_below(x, 2) ? " fixed" : "");
		else
			stress_run_fmt(x, "mmap %d %" PRIu64 "p %s%s", pid, pages,
			    stress_prots[stress_below(x, 4)], extra);
	} else if (op < 21) {
		if (stress_pick_range(x, t, &start, &len))
			stress_run_fmt(x, "munmap %d 0x%" PRIx64 " %" PRIu64, pid,
			    start, len);
	} else if (op < 25) {
		if (stress_pick_range(x, t, &start, &len))
			stress_run_fmt(x, "mprotect %d 0x%" PRIx64 " %" PRIu64 " %s",
			    pid, start, len,
			    stress_prots[stress_below(x, ARRAY_SIZE(stress_prots))]);
	} else if (op < 28) {
		uint64_t n = 1 + stress_below(x, 32);

		stress_run_fmt(x, "brk %d %c%" PRIu64 "p", pid,
		    stress_below(x, 3) ? '+' : '-', n);
	} else if (op < 31) {
		if (stress_pick_range(x, t, &start, &len))
			stress_run_fmt(x, "mremap %d 0x%" PRIx64 " %" PRIu64 " %"
			    PRIu64 "%s", pid, start, len,
			    (1 + stress_below(x, 2 * len / ps + 4)) * ps,
			    stress_below(x, 4) ? " maymove" : "");
	} else if (op < 34) {
		if (stress_pick_range(x, t, &start, &len))
			stress_run_fmt(x, "madvise %d 0x%" PRIx64 " %" PRIu64 " %s",
			    pid, start, len,
			    stress_below(x, 2) ? "dontneed" : "pageout");
	} else if (op < 69) {
		stress_touch(x, t);
	} else if (op < 72) {
		stress_run_fmt(x, "switch %d", pid);
	} else if (op < 75) {
		stress_run_fmt(x, "malloc %d %" PRIu64, pid,
		    1 + stress_below(x, stress_below(x, 3) ? 4096 : 512 * 1024));
	} else if (op < 76) {
		stress_run_fmt(x, "reclaim %" PRIu64, stress_below(x, 256));
	} else if (op < 77) {
		if (x->swap_on && stress_below(x, 4) == 0) {
			stress_run_fmt(x, "swapoff");
			x->swap_on = false;
		} else if (!x->swap_on) {
			if (stress_run_fmt(x, "swapon %" PRIu64 "M",
			    8 + stress_below(x, 24)) == 0)
				x->swap_on = true;
		}
	} else if (op < 82) {
		if (x->nkpages > 0 && (x->nkpages == STRESS_MAX_KPAGES ||
		    stress_below(x, 2))) {
			int i = (int)stress_below(x, (uint64_t)x->nkpages);

			stress_run_fmt(x, "free_pages 0x%lx", x->kpages[i]);
			x->kpages[i] = x->kpages[--x->nkpages];
		} else {
			unsigned long pfn;

			stress_run_fmt(x, "alloc_pages %d%s",
			    (int)stress_below(x, 4),
			    stress_below(x, 4) == 0 ? " --zone DMA" : "");
			if (sscanf(sbuf_str(&x->out), "pfn 0x%lx", &pfn) == 1)
				x->kpages[x->nkpages++] = pfn;
		}
	} else if (op < 94) {
		if (x->nkobj > 0 && (x->nkobj == STRESS_MAX_KOBJ ||
		    stress_below(x, 2))) {
			int i = (int)stress_below(x, (uint64_t)x->nkobj);

			stress_run_fmt(x, "kfree 0x%" PRIx64, x->kobj[i]);
			x->kobj[i] = x->kobj[--x->nkobj];
		} else {
			uint64_t size = 1 + stress_below(x, stress_below(x, 8) ?
			    512 : 40000), addr;

			stress_run_fmt(x, "kmalloc %" PRIu64, size);
			if (sscanf(sbuf_str(&x->out), "0x%" SCNx64, &addr) == 1)
				x->kobj[x->nkobj++] = addr;
		}
	} else {
		/* a view now and then: views must not change anything */
		static const char *const views[] = { "slabinfo", "top",
		    "meminfo", "frames", "ps", "explain", "vmstat", "buddyinfo" };

		stress_run_fmt(x, "%s", views[stress_below(x, ARRAY_SIZE(views))]);
	}
}

static void stress_print_failure(struct stress *x, FILE *fp)
{
	unsigned long i, first;

	fprintf(fp, "stress: seed %" PRIu64 ": operation %lu: '%s': %s\n",
	    x->seed, x->fail_op, x->cmd, x->fail_why);
	fprintf(fp, "stress: replay with VMSCOPE_STRESS_SEED=%" PRIu64
	    " VMSCOPE_STRESS_OPS=%lu\n", x->seed, x->fail_op + 1);
	first = x->nhistory > STRESS_HISTORY ? x->nhistory - STRESS_HISTORY : 0;
	fprintf(fp, "stress: the last commands:\n");
	for (i = first; i < x->nhistory; i++)
		fprintf(fp, "  %s\n", x->history[i % STRESS_HISTORY]);
}

/* Event counters of the run, read from the machine's vmstat. */
static void stress_collect(struct stress *x)
{
	struct machine *m = x->s->m;

	x->st.oom_kills = m->vm_events[VM_oom_kill];
	x->st.kswapd_runs = m->vm_events[VM_kswapd_wakeups];
	x->st.swap_outs = m->vm_events[VM_pswpout];
	x->st.swap_ins = m->vm_events[VM_pswpin];
	x->st.direct_reclaims = m->vm_events[VM_pgscan_direct];
}

/*
 * Run ops operations from seed. Returns 0, or -1 with the failure in x
 * (call stress_print_failure). progress, when given, is called every
 * 2^16 operations.
 */
static int stress_run(struct stress *x, uint64_t seed, unsigned long ops,
    void (*progress)(struct stress *x, unsigned long done))
{
	char why[512];
	unsigned long i;

	memset(x, 0, sizeof(*x));
	x->seed = seed;
	x->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
	x->s = session_new();
	sbuf_init(&x->out);
	sbuf_init(&x->err);
	stress_setup(x);
	for (i = 0; i < ops; i++) {
		snprintf(x->cmd, sizeof(x->cmd), "(no command)");
		stress_op(x);
		x->st.ops++;
		if (strstr(sbuf_str(&x->err), "invariant") != NULL ||
		    validate_machine(x->s->m, why, sizeof(why)) != 0) {
			x->fail_op = i;
			snprintf(x->fail_why, sizeof(x->fail_why), "%s",
			    strstr(sbuf_str(&x->err), "invariant") != NULL ?
			    sbuf_str(&x->err) : why);
			stress_collect(x);
			return -1;
		}
		if (progress != NULL && (i & 0xffff) == 0xffff)
			progress(x, i + 1);
	}
	stress_collect(x);
	return 0;
}

static void stress_free(struct stress *x)
{
	session_free(x->s);
	sbuf_free(&x->out);
	sbuf_free(&x->err);
	x->s = NULL;
}

/* VMSCOPE_STRESS_SEED / VMSCOPE_STRESS_OPS, or the defaults given. */
static inline uint64_t stress_env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtoull(v, &end, 0);
	return *end == '\0' ? (uint64_t)n : def;
}

#endif
