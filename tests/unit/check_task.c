/*
 * check_task.c - processes and their views: the exec layout per
 * architecture, fork/exec/exit (nothing leaked: files and anon_vmas go
 * back to their owners), the glibc-like malloc paths, the kernel-half
 * regions, the views' formats, and commands given bad input (a clear
 * error, and nothing changes).
 */
#include <errno.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/pgtable.h"
#include "vmscope/report-pid.h"
#include "vmscope/task.h"

static char *run(struct session *s, const char *line, int *failed)
{
	return test_run(s, line, failed, NULL);
}

START_TEST(test_spawn_x86_64)
{
	struct session *s = session_new();

	expect_out(s, "spawn bash", "pid 1 (bash)\n");
	expect_out(s, "maps 1",
	    "555555554000-555555559000 r-xp 00000000 08:01 131073                     /usr/bin/bash\n"
	    "555555559000-55555555a000 rw-p 00005000 08:01 131073                     /usr/bin/bash\n"
	    "55555555a000-55555555b000 rw-p 00000000 00:00 0 \n"
	    "55555555b000-55555557c000 rw-p 00000000 00:00 0                          [heap]\n"
	    "7ffff7ff9000-7ffff7ffd000 r--p 00000000 00:00 0                          [vvar]\n"
	    "7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0                          [vdso]\n"
	    "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
	    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n");
	/* the first top-down mapping ends where the vDSO begins */
	expect_out(s, "mmap 1 64K", "0x7ffff7fe9000\n");
	/* a second process reuses the executable file (same inode) */
	expect_out(s, "spawn bash", "pid 2 (bash)\n");
	expect_contains(s, "maps 2", "08:01 131073 ");
	session_free(s);
}
END_TEST

START_TEST(test_spawn_other_arches)
{
	struct session *s = session_new();

	free(run_ok(s, "machine --arch i386"));
	free(run_ok(s, "spawn"));
	expect_contains(s, "maps 1",
	    "08048000-0804d000 r-xp 00000000 08:01 131073     /usr/bin/a.out\n");
	expect_contains(s, "maps 1",
	    "bffdf000-c0000000 rw-p 00000000 00:00 0          [stack]\n");
	expect_contains(s, "maps 1", "b7ffe000-b8000000 r-xp");
	free(run_ok(s, "machine --arch arm32"));
	free(run_ok(s, "spawn"));
	expect_contains(s, "maps 1", "00010000-00015000 r-xp");
	expect_contains(s, "maps 1", "befdf000-bf000000 rw-p");
	expect_contains(s, "maps 1", "ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]\n");
	free(run_ok(s, "machine --arch arm64"));
	free(run_ok(s, "spawn"));
	expect_contains(s, "maps 1", "aaaaaaaaa000-aaaaaaaaf000 r-xp");
	expect_contains(s, "maps 1", "fffffffdf000-1000000000000 rw-p");
	free(run_ok(s, "machine --arch toy"));
	free(run_ok(s, "spawn"));
	expect_contains(s, "maps 1", "[stack]");
	expect_contains(s, "malloc 1 40", "brk heap");
	expect_contains(s, "maps 1", "[heap]");
	session_free(s);
}
END_TEST

START_TEST(test_fork_exec_exit)
{
	struct session *s = session_new();
	struct task_struct *p, *c;
	struct vm_file *f;
	char *a, *b;

	free(run_ok(s, "spawn sh; file data 64K; mmap 1 8K file=data; mmap 1 4K shared"));
	f = vm_file_lookup(s->m, "data");
	ck_assert_int_eq(f->refcount, 2);
	/* the child's maps is the parent's, line for line */
	expect_out(s, "fork 1", "pid 2 (sh)\n");
	a = run_ok(s, "maps 1");
	b = run_ok(s, "maps 2");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	ck_assert_int_eq(f->refcount, 3);
	p = find_task_by_pid(s->m, 1);
	c = find_task_by_pid(s->m, 2);
	ck_assert_ptr_eq(c->parent, p);
	ck_assert_int_eq(c->mm->map_count, p->mm->map_count);
	ck_assert_uint_eq(c->mm->total_vm, p->mm->total_vm);
	/* malloc state is copied: the same pointer comes back in both */
	a = run_ok(s, "malloc 1 100");
	b = run_ok(s, "malloc 2 100");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* exec replaces the address space: the file mapping is gone */
	expect_out(s, "exec 2 ls", "pid 2 (ls)\n");
	ck_assert_int_eq(f->refcount, 2);
	expect_contains(s, "maps 2", "/usr/bin/ls\n");
	/* the orphans of an exit go to pid 1, and to nobody once it is gone */
	expect_out(s, "fork 2", "pid 3 (ls)\n");
	expect_out(s, "exit 2", "pid 2 (ls) exited\n");
	ck_assert_ptr_eq(find_task_by_pid(s->m, 3)->parent, p);
	expect_out(s, "kill 1", "pid 1 (sh) killed by SIGKILL\n");
	ck_assert_int_eq(f->refcount, 1);	/* only the machine's */
	expect_out(s, "ps",
	    "  PID  PPID COMM                  VSZ     RSS  MINFLT  MAJFLT STATE\n"
	    "    3     0 ls                    316       0       0       0 S\n");
	/* pids are not reused */
	expect_out(s, "spawn", "pid 4 (a.out)\n");
	session_free(s);
}
END_TEST

START_TEST(test_malloc_paths)
{
	struct session *s = session_new();
	struct task_struct *t;

	free(run_ok(s, "spawn"));
	t = find_task_by_pid(s->m, 1);
	/* glibc's addresses: after the 0x290-byte tcache chunk */
	expect_out(s, "malloc 1 100",
	    "0x55555555b2a0  brk heap: chunk of 0x70 bytes from the top chunk\n");
	/* 128K fits in top: served from the heap even above the threshold */
	expect_out(s, "malloc 1 131072",
	    "0x55555555b310  brk heap: chunk of 0x20010 bytes from the top chunk\n");
	expect_out(s, "malloc 1 200000",
	    "0x7ffff7fc8010  mmap: its own 0x31000-byte mapping (request >= mmap threshold 0x20000)\n");
	/* freeing it raises the threshold to its size */
	expect_out(s, "free 1 0x7ffff7fc8010",
	    "munmap of its 0x31000-byte mapping; mmap threshold now 0x31000, trim threshold 0x62000\n");
	ck_assert_uint_eq(t->malloc.mmap_threshold, 0x31000);
	/* so the same request now grows the heap with brk */
	expect_contains(s, "malloc 1 200000", "the heap grew by");
	/* small frees go to the free list and are reused */
	expect_out(s, "free 1 0x55555555b2a0",
	    "chunk of 0x70 bytes kept in the heap's free list\n");
	expect_out(s, "malloc 1 90",
	    "0x55555555b2a0  brk heap: chunk of 0x70 bytes reused from the free list\n");
	/* a big free at the top trims the heap, keeping M_TOP_PAD */
	free(run_ok(s, "free 1 0x55555555b310"));
	expect_contains(s, "malloc 1 1000000", "mmap");
	session_free(s);
}
END_TEST

START_TEST(test_malloc_trim)
{
	struct session *s = session_new();
	struct malloc_result r[3];
	struct free_result fr;
	struct task_struct *t;
	char why[512];
	uint64_t brk0;

	free(run_ok(s, "spawn"));
	t = find_task_by_pid(s->m, 1);
	brk0 = t->mm->brk;
	/* three 100K chunks: the first from top, then the heap grows */
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(glibc_malloc(t, 100 * 1024, &r[i]), 0);
	ck_assert_int_eq(r[0].path, MALLOC_FROM_TOP);
	ck_assert_int_eq(r[1].path, MALLOC_FROM_BRK);
	ck_assert_uint_eq(r[1].ptr, r[0].ptr + r[0].chunk);
	ck_assert_uint_gt(t->mm->brk, brk0);
	/* freeing the middle one keeps it in the heap */
	ck_assert_int_eq(glibc_free(t, r[1].ptr, &fr), 0);
	ck_assert_int_eq(fr.path, FREE_TO_BINS);
	/* freeing the top one joins both to top, which is trimmed */
	ck_assert_int_eq(glibc_free(t, r[2].ptr, &fr), 0);
	ck_assert_int_eq(fr.path, FREE_TRIMMED);
	ck_assert_uint_gt(fr.trimmed, 0);
	/* what stays above the used heap: M_TOP_PAD, page rounded */
	ck_assert_uint_le(t->mm->brk - t->malloc.top, 128 * 1024 + 4096 + 32);
	ck_assert_uint_eq(t->mm->brk, t->malloc.top + t->malloc.top_size);
	/* a double free and a wild pointer are refused */
	ck_assert_int_eq(glibc_free(t, r[2].ptr, &fr), -EINVAL);
	ck_assert_int_eq(glibc_free(t, r[0].ptr + 16, &fr), -EINVAL);
	ck_assert_int_eq(validate_machine(s->m, why, sizeof(why)), 0);
	session_free(s);
}
END_TEST

START_TEST(test_kernel_regions)
{
	static const char *const arches[] = { "x86_64", "x86_64-la57", "i386",
	    "arm32", "arm64" };
	struct session *s = session_new();

	for (size_t i = 0; i < ARRAY_SIZE(arches); i++) {
		struct kernel_region r[40];
		char line[64];
		int n;

		snprintf(line, sizeof(line), "machine --arch %s --ram 1G",
		    arches[i]);
		free(run_ok(s, line));
		n = arch_kernel_regions(s->m, r, 40);
		ck_assert_int_gt(n, 3);
		ck_assert_int_le(n, 40);
		ck_assert_uint_ge(r[0].start, s->m->arch.task_size);
		for (int j = 0; j < n; j++) {
			ck_assert_uint_le(r[j].start, r[j].last);
			if (j > 0)
				ck_assert_uint_gt(r[j].start, r[j - 1].last);
		}
		/* the top of the address space is accounted for */
		ck_assert_uint_eq(r[n - 1].last, s->m->arch.bits == 64 ?
		    UINT64_MAX : 0xffffffffULL);
	}
	expect_contains(s, "machine --arch i386 --ram 1G; layout",
	    "c0000000-f7ffffff  lowmem");
	expect_contains(s, "machine --arch x86_64; layout",
	    "ffff888000000000-ffffc87fffffffff  direct map");
	session_free(s);
}
END_TEST

START_TEST(test_views)
{
	struct session *s = session_new();

	free(run_ok(s, "spawn; mmap 1 8K"));
	expect_contains(s, "smaps 1",
	    "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
	    "Size:                132 kB\n"
	    "KernelPageSize:        4 kB\n");
	expect_contains(s, "smaps 1", "VmFlags: rd wr mr mw me gd ac \n");
	expect_contains(s, "smaps 1", "[vvar]\nSize:                 16 kB");
	expect_contains(s, "smaps 1", "VmFlags: rd mr pf io de dd \n");
	expect_contains(s, "smaps 1", "VmFlags: rd ex mr mw me de \n");
	expect_contains(s, "pmap 1",
	    "1:   a.out\n"
	    "Address           Kbytes     RSS   Dirty Mode  Mapping\n"
	    "0000555555554000      20       0       0 r-x-- a.out\n");
	expect_contains(s, "pmap 1",
	    "00007ffffffde000     132       0       0 rw---   [ stack ]\n"
	    "ffffffffff600000       4       0       0 --x--   [ anon ]\n"
	    "---------------- ------- ------- ------- \n"
	    "total kB             328       0       0\n");
	expect_contains(s, "status 1", "VmSize:\t     324 kB\n");
	expect_contains(s, "status 1", "VmData:\t     148 kB\n");
	expect_contains(s, "status 1", "VmStk:\t     132 kB\n");
	expect_contains(s, "status 1", "VmExe:\t      20 kB\n");
	expect_contains(s, "status 1", "VmLib:\t       8 kB\n");
	session_free(s);
}
END_TEST

/* Bad input: an error naming the command, exit status 1, nothing changes. */
START_TEST(test_bad_input)
{
	static const struct {
		const char	*line;
		const char	*err;
	} cases[] = {
		{ "maps 9", "vmscope: maps: no process with pid 9 (see 'ps')\n" },
		{ "mmap 0 4K", "vmscope: mmap: PID: 0 is out of range" },
		{ "mmap x 4K", "vmscope: mmap: PID: 'x' is not a number\n" },
		{ "mmap 1 0", "vmscope: mmap: size 0 is not allowed\n" },
		{ "munmap 1 0x1000 0", "vmscope: munmap: size 0 is not allowed\n" },
		{ "mmap 1 0x10000000000000000 4K", "is not a number" },
		{ "mmap 1 99999999999999999999K", "is not a size" },
		{ "mmap 1 4K rwq", "unknown word 'rwq'" },
		{ "mmap 1 4K fixed", "fixed and noreplace need an ADDR" },
		{ "mmap 1 4K file=nope", "no file 'nope'" },
		{ "mprotect 1 0x1000 4K rz", "PROT 'rz'" },
		{ "madvise 1 0x1000 4K sleep", "advice 'sleep'" },
		{ "brk 1 -0x7fffffffffffffff", "below 0" },
		{ "free 1 0x1234", "not a pointer malloc returned" },
		{ "free 1", "free takes no argument" },
		{ "mremap 1 0x1000 4K 8K maybe", "unknown word 'maybe'" },
		{ "spawn 'a b'", "spaces and control characters" },
		{ "file x:y 4K", "':' is not allowed" },
		{ "kill 2", "no process with pid 2" },
	};
	struct session *s = session_new();
	char *before, *after;

	free(run_ok(s, "spawn; mmap 1 0x100000000000 16K; file data 4K"));
	before = run_ok(s, "maps 1; status 1; ps");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int f;
		char *err, *out = test_run(s, cases[i].line, &f, &err);

		ck_assert_msg(f == 1, "'%s' did not fail", cases[i].line);
		ck_assert_msg(strstr(err, cases[i].err) != NULL,
		    "'%s': error '%s', expected '%s'", cases[i].line, err,
		    cases[i].err);
		ck_assert_msg(strncmp(err, "vmscope: ", 9) == 0, "%s", err);
		ck_assert_str_eq(out, "");
		free(out);
		free(err);
	}
	after = run_ok(s, "maps 1; status 1; ps");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	session_free(s);
}
END_TEST

/* Refused system calls are results, not errors; they change nothing. */
START_TEST(test_syscall_results)
{
	static const struct {
		const char	*line;
		const char	*out;
	} cases[] = {
		{ "mmap 1 0x100000001000 4K noreplace",
		    "mmap: EEXIST (File exists)\n" },
		{ "mmap 1 0x100000000001 4K fixed",
		    "mmap: EINVAL (Invalid argument)\n" },
		{ "mmap 1 0x7ffffffff000 4K fixed",
		    "mmap: ENOMEM (Cannot allocate memory)\n" },
		{ "mmap 1 0x1000 4K fixed",
		    "mmap: EPERM (Operation not permitted)\n" },
		{ "mmap 1 0x100000000000 4K file=data:100",
		    "mmap: EINVAL (Invalid argument)\n" },
		{ "munmap 1 0x100000000001 4K",
		    "munmap: EINVAL (Invalid argument)\n" },
		{ "munmap 1 0xfffffffffffff000 4K",
		    "munmap: EINVAL (Invalid argument)\n" },
		{ "mprotect 1 0x200000000000 4K r",
		    "mprotect: ENOMEM (Cannot allocate memory)\n" },
		{ "mprotect 1 0x100000000008 4K r",
		    "mprotect: EINVAL (Invalid argument)\n" },
		{ "mremap 1 0x100000000000 16K 32K",
		    "mremap: ENOMEM (Cannot allocate memory)\n" },
		{ "mremap 1 0x300000000000 4K 8K maymove",
		    "mremap: EFAULT (Bad address)\n" },
		{ "madvise 1 0x300000000000 4K dontneed",
		    "madvise: ENOMEM (Cannot allocate memory)\n" },
		{ "brk 1 0x1000", "0x55555557c000 (refused: the break stays)\n" },
	};
	struct session *s = session_new();
	char *before, *after;

	free(run_ok(s, "spawn; mmap 1 0x100000000000 16K; mmap 1 0x100000004000 4K r; file data 4K"));
	before = run_ok(s, "maps 1; status 1");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_out(s, cases[i].line, cases[i].out);
	after = run_ok(s, "maps 1; status 1");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	session_free(s);
}
END_TEST

/* The old `free` view still answers without arguments. */
START_TEST(test_free_dispatch)
{
	struct session *s = session_new();

	expect_contains(s, "free", "               total        used        free");
	session_free(s);
}
END_TEST

/*
 * Every event of a process's address space names that process, from the
 * very first one: pgd_alloc and the VMAs exec lays out are emitted while
 * the mm is being built, before the task is linked in. (mm_alloc used to
 * run pgd_alloc before the owner's pid was known: page-table events said
 * pid 0, and validate_tasks now checks pgt->pid as well.)
 */
struct pid_log {
	struct event_sink sink;
	int		 n;
	enum event_kind	 kind[256];
	int		 pid[256];
};

static void pid_log_fn(void *arg, const struct vm_event *ev)
{
	struct pid_log *log = arg;

	/* (fork also sets the parent's PTEs read-only: not logged here) */
	if (ev->kind != EV_PGD_ALLOC && ev->kind != EV_PGTABLE_ALLOC &&
	    ev->kind != EV_VMA_MAP)
		return;
	if (log->n < 256) {
		log->kind[log->n] = ev->kind;
		log->pid[log->n] = ev->pid;
	}
	log->n++;
}

/* Run line; every address-space event it emitted must name pid. */
static void expect_events_pid(struct session *s, struct pid_log *log,
    const char *line, int pid)
{
	bool pgd = false;
	int i;

	log->n = 0;
	free(run_ok(s, line));
	ck_assert_msg(log->n > 0 && log->n <= 256, "'%s': %d events", line,
	    log->n);
	for (i = 0; i < log->n; i++) {
		ck_assert_msg(log->pid[i] == pid, "'%s': event %d (kind %d) "
		    "says pid %d, not %d", line, i, (int)log->kind[i],
		    log->pid[i], pid);
		pgd |= log->kind[i] == EV_PGD_ALLOC;
	}
	ck_assert_msg(pgd || strncmp(line, "touch", 5) == 0,
	    "'%s' allocated no pgd", line);
	ck_assert_int_eq(find_task_by_pid(s->m, pid)->mm->pgt->pid, pid);
}

START_TEST(test_pgtable_owner_pid)
{
	struct session *s = session_new();
	struct pid_log log = { .n = 0 };

	event_subscribe(&s->m->ev, &log.sink, pid_log_fn, &log);
	expect_events_pid(s, &log, "spawn a", 1);
	expect_events_pid(s, &log, "touch 1 0x555555559000 w", 1);
	expect_events_pid(s, &log, "fork 1", 2);
	expect_events_pid(s, &log, "exec 2 b", 2);
	expect_events_pid(s, &log, "touch 2 0x555555559000 w", 2);
	expect_events_pid(s, &log, "spawn c", 3);
	event_unsubscribe(&log.sink);
	session_free(s);
}
END_TEST

/*
 * An anonymous hugetlb mapping is named as Linux names its unlinked
 * hugetlbfs file, in maps and pmap, and smaps shows de (VM_DONTEXPAND)
 * and ht (VM_HUGETLB); mremap cannot grow it.
 */
START_TEST(test_hugetlb_views)
{
	struct session *s = session_new();
	char *out;
	int f;

	free(run_ok(s, "spawn big; mmap 1 0x40000000 4M rw hugetlb"));
	expect_contains(s, "maps 1", "40000000-40400000 rw-p 00000000 00:00 0"
	    "                                  /anon_hugepage (deleted)\n");
	expect_contains(s, "smaps 1", "VmFlags: rd wr mr mw me de ht \n");
	expect_contains(s, "pmap 1", "0000000040000000    4096       0       0 "
	    "rw--- anon_hugepage (deleted)\n");
	out = run(s, "mremap 1 0x40000000 4M 8M maymove", &f);
	ck_assert_str_eq(out, "mremap: EFAULT (Bad address)\n");
	free(out);
	/* a 2 MiB-aligned munmap leaves the rest with its name */
	free(run_ok(s, "munmap 1 0x40000000 2M"));
	expect_contains(s, "maps 1", "40200000-40400000 rw-p 00000000 00:00 0"
	    "                                  /anon_hugepage (deleted)\n");
	session_free(s);
}
END_TEST

static Suite *task_suite(void)
{
	Suite *s = suite_create("task");
	TCase *tc = tcase_create("task");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_spawn_x86_64);
	tcase_add_test(tc, test_spawn_other_arches);
	tcase_add_test(tc, test_fork_exec_exit);
	tcase_add_test(tc, test_malloc_paths);
	tcase_add_test(tc, test_malloc_trim);
	tcase_add_test(tc, test_kernel_regions);
	tcase_add_test(tc, test_views);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_syscall_results);
	tcase_add_test(tc, test_free_dispatch);
	tcase_add_test(tc, test_pgtable_owner_pid);
	tcase_add_test(tc, test_hugetlb_views);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(task_suite());
}
