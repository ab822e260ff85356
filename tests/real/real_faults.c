/*
 * real_faults.c - the real kernel's page-fault counts for the cases
 * tests/real-faults.sh also runs in vmscope. Each case maps fresh
 * anonymous memory (16 pages, MADV_NOHUGEPAGE so THP cannot change the
 * counts), accesses it one byte per page, and prints the ru_minflt
 * difference getrusage(RUSAGE_SELF) reports around the accesses:
 *
 *   anon_read N          reading N fresh pages (the zero page)
 *   anon_write_after_read N   then writing them (copies of the zero page)
 *   write_first N        writing N fresh pages
 *   fork_child_read N    a fork child reading inherited pages
 *   fork_child_write N   a fork child writing inherited pages (COW copies)
 *   parent_write_after_child_exit N   the parent writing them afterwards
 *   populate N           mmap(MAP_POPULATE) itself
 *   populate_then_write N
 *   prot_none SIGNAL     a child touching PROT_NONE memory: how it died
 *
 * Plain C, no vmscope code. Only meaningful on Linux.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES	16

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static char *map(int flags)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, NPAGES * ps, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
#ifdef MADV_NOHUGEPAGE
	madvise(p, NPAGES * ps, MADV_NOHUGEPAGE);
#endif
	return p;
}

/* Touch each page; volatile so the compiler keeps every access. */
static long touch(char *p, int write)
{
	long ps = sysconf(_SC_PAGESIZE), before, i;
	volatile char *v = p, sink = 0;

	before = minflt();
	for (i = 0; i < NPAGES; i++) {
		if (write)
			v[i * ps] = 1;
		else
			sink += v[i * ps];
	}
	(void)sink;
	return minflt() - before;
}

int main(void)
{
	long ps = sysconf(_SC_PAGESIZE), before, n;
	char *p;
	pid_t pid;
	int st, fds[2];

	(void)minflt();		/* fault getrusage's own path in first */
	/* one whole read-then-write pass, thrown away, for the same reason */
	p = map(0);
	(void)touch(p, 0);
	(void)touch(p, 1);
	munmap(p, NPAGES * ps);
	p = map(0);
	printf("anon_read %ld\n", touch(p, 0));
	printf("anon_write_after_read %ld\n", touch(p, 1));

	p = map(0);
	printf("write_first %ld\n", touch(p, 1));

	/* fork: the child reports through a pipe */
	fflush(stdout);
	if (pipe(fds) != 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		long r = touch(p, 0), w = touch(p, 1);
		char buf[64];

		snprintf(buf, sizeof(buf), "%ld %ld", r, w);
		if (write(fds[1], buf, strlen(buf) + 1) < 0)
			_exit(1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	{
		char buf[64] = "";
		long r = -1, w = -1;

		if (read(fds[0], buf, sizeof(buf) - 1) > 0)
			sscanf(buf, "%ld %ld", &r, &w);
		printf("fork_child_read %ld\n", r);
		printf("fork_child_write %ld\n", w);
	}
	printf("parent_write_after_child_exit %ld\n", touch(p, 1));

	/*
	 * A first populated mapping, thrown away: whatever the libc or the
	 * stack fault in on the way is then not counted as the mapping's.
	 */
	munmap(mmap(NULL, NPAGES * ps, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0), NPAGES * ps);
	before = minflt();
	p = mmap(NULL, NPAGES * ps, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	n = minflt() - before;
	printf("populate %ld\n", n);
	printf("populate_then_write %ld\n", touch(p, 1));

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		p = map(0);
		mprotect(p, ps, PROT_NONE);
		(void)touch(p, 0);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("prot_none %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ?
	    "SIGSEGV" : "no-signal");
	return 0;
}
