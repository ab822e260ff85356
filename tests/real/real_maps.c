/*
 * real_maps.c - the real-Linux side of tests/real.sh. `real_maps CASE`
 * performs a sequence of mmap/mprotect/munmap/brk calls on the host kernel
 * and prints the part of /proc/self/maps it touched; `real_maps
 * --normalize` reads vmscope's output for the same sequence (CASE.cmd)
 * and prints it the same way, so the two can be compared with cmp.
 *
 * The cases work at fixed addresses in a region nothing else uses
 * (BASE, reserved first with MAP_FIXED_NOREPLACE), except brk, which is
 * compared relative to the start of [heap]. Normalized lines:
 *
 *     --                                 a maps dump ends ([vsyscall])
 *     +0x1000-+0x3000 r--p 00000000 anon  a VMA in [BASE, BASE + 16M)
 *     heap +0x0-+0x26000 rw-p            the [heap] VMA, from its start
 *     result: EEXIST                     a system call failed
 *
 * Device and inode numbers and file names differ between the machines
 * and are left out ("file" stands for any file).
 *
 * It allocates nothing with malloc after start-up, so glibc does not
 * move the break behind the test's back.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define BASE	0x200000000000UL
#define SPAN	0x1000000UL
#define PG	4096UL

static char buf[1 << 16];

static void out(const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			exit(2);
		s += w;
		n -= (size_t)w;
	}
}

static void normalize_line(const char *line)
{
	unsigned long start, end, off, ino;
	char perms[8], dev[16], name[512], o[700];
	int n;

	name[0] = '\0';
	n = sscanf(line, "%lx-%lx %7s %lx %15s %lu %511[^\n]", &start, &end,
	    perms, &off, dev, &ino, name);
	if (n < 6) {
		/* vmscope's result line for a failed call: "mmap: EEXIST (...)" */
		const char *c = strstr(line, ": E");

		if (c != NULL && strchr(line, '(') != NULL) {
			char e[32];

			if (sscanf(c + 2, "%31s", e) == 1) {
				snprintf(o, sizeof(o), "result: %s\n", e);
				out(o);
			}
		}
		return;
	}
	if (strcmp(name, "[vsyscall]") == 0) {
		out("--\n");	/* the last line of every maps */
		return;
	}
	if (strcmp(name, "[heap]") == 0) {
		snprintf(o, sizeof(o), "heap +0x0-+0x%lx %s\n", end - start,
		    perms);
		out(o);
		return;
	}
	if (start < BASE || start >= BASE + SPAN)
		return;
	snprintf(o, sizeof(o), "+0x%lx-+0x%lx %s %08lx %s\n", start - BASE,
	    end - BASE, perms, off, name[0] == '\0' ? "anon" : "file");
	out(o);
}

static void normalize_text(char *text)
{
	char *line = text, *nl;

	while (*line != '\0') {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		normalize_line(line);
		if (nl == NULL)
			break;
		line = nl + 1;
	}
}

static void dump(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	ssize_t r;

	if (fd < 0)
		exit(2);
	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	normalize_text(buf);
}

static void *map(unsigned long addr, unsigned long len, int prot, int flags,
    int fd, off_t off)
{
	void *p = mmap((void *)addr, len, prot, flags | MAP_FIXED_NOREPLACE,
	    fd, off);

	if (p == MAP_FAILED) {
		char o[64];

		snprintf(o, sizeof(o), "result: %s\n",
		    errno == EEXIST ? "EEXIST" : errno == ENOMEM ? "ENOMEM" :
		    errno == EINVAL ? "EINVAL" : "E?");
		out(o);
	}
	return p;
}

#define RW	(PROT_READ | PROT_WRITE)
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)

static void result(int rc)
{
	char o[64];

	if (rc == 0)
		return;
	snprintf(o, sizeof(o), "result: %s\n", errno == ENOMEM ? "ENOMEM" :
	    errno == EINVAL ? "EINVAL" : errno == EACCES ? "EACCES" : "E?");
	out(o);
}

/* mprotect the middle page of three: a split into three, then a merge */
static void case_mprotect_merge(void)
{
	map(BASE, 3 * PG, RW, ANON, -1, 0);
	result(mprotect((void *)(BASE + PG), PG, PROT_READ));
	dump();
	result(mprotect((void *)(BASE + PG), PG, RW));
	dump();
}

/* munmap from the middle of one VMA across another into a third */
static void case_munmap_across(void)
{
	map(BASE, 2 * PG, RW, ANON, -1, 0);
	map(BASE + 2 * PG, 2 * PG, PROT_READ, ANON, -1, 0);
	map(BASE + 4 * PG, 2 * PG, PROT_READ | PROT_EXEC, ANON, -1, 0);
	dump();
	result(munmap((void *)(BASE + PG), 4 * PG));
	dump();
	/* a range with holes and past every VMA is fine */
	result(munmap((void *)BASE, 16 * PG));
	dump();
}

/* anonymous mappings with equal flags merge on either side and both */
static void case_anon_merge(void)
{
	map(BASE, 2 * PG, RW, ANON, -1, 0);
	map(BASE + 2 * PG, 2 * PG, RW, ANON, -1, 0);
	map(BASE + 8 * PG, 2 * PG, RW, ANON, -1, 0);
	dump();
	map(BASE + 6 * PG, 2 * PG, RW, ANON, -1, 0);
	map(BASE + 4 * PG, 2 * PG, RW, ANON, -1, 0);
	map(BASE + 10 * PG, 2 * PG, PROT_READ, ANON, -1, 0);
	dump();
}

/* the heap grows and shrinks with brk, in place */
static void case_brk(void)
{
	unsigned long cur = (unsigned long)syscall(SYS_brk, 0);

	dump();
	cur = (unsigned long)syscall(SYS_brk, cur + 5 * PG);
	dump();
	cur = (unsigned long)syscall(SYS_brk, cur - 0x10000);
	dump();
	cur = (unsigned long)syscall(SYS_brk, cur + 100);
	dump();
}

/* a file mapped in pieces: contiguous offsets merge, a gap does not */
static void case_file_pgoff(void)
{
	char path[] = "/tmp/vmscope-real-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0 || ftruncate(fd, 16 * PG) != 0)
		exit(2);
	unlink(path);
	map(BASE, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	map(BASE + 2 * PG, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
	map(BASE + 4 * PG, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 5 * PG);
	map(BASE + 6 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	map(BASE + 8 * PG, 2 * PG, RW, MAP_SHARED, fd, 8 * PG);
	map(BASE + 10 * PG, 2 * PG, RW, MAP_SHARED, fd, 10 * PG);
	dump();
	/* the middle of the merged piece gets its own offset */
	result(mprotect((void *)(BASE + PG), 2 * PG, PROT_NONE));
	dump();
	close(fd);
}

/* MAP_FIXED_NOREPLACE fails with EEXIST; MAP_FIXED replaces */
static void case_noreplace(void)
{
	map(BASE, 4 * PG, RW, ANON, -1, 0);
	map(BASE + PG, PG, RW, ANON, -1, 0);
	map(BASE + 3 * PG, 2 * PG, RW, ANON, -1, 0);
	dump();
	mmap((void *)(BASE + PG), 2 * PG, PROT_READ, ANON | MAP_FIXED, -1, 0);
	dump();
}

/* a writable private mapping stays charged (VM_ACCOUNT) after mprotect */
static void case_account(void)
{
	map(BASE, PG, PROT_READ, ANON, -1, 0);
	map(BASE + PG, 2 * PG, PROT_READ, ANON, -1, 0);
	dump();
	result(mprotect((void *)(BASE + PG), PG, RW));
	result(mprotect((void *)(BASE + PG), PG, PROT_READ));
	dump();
	/* a hole stops mprotect with ENOMEM after the first VMA changed */
	map(BASE + 8 * PG, PG, PROT_READ, ANON, -1, 0);
	result(mprotect((void *)BASE, 9 * PG, PROT_NONE));
	dump();
}

static const struct {
	const char	*name;
	void		(*fn)(void);
} cases[] = {
	{ "mprotect-merge", case_mprotect_merge },
	{ "munmap-across", case_munmap_across },
	{ "anon-merge", case_anon_merge },
	{ "brk", case_brk },
	{ "file-pgoff", case_file_pgoff },
	{ "noreplace", case_noreplace },
	{ "account", case_account },
};

int main(int argc, char **argv)
{
	void *p;

	if (argc == 2 && strcmp(argv[1], "--normalize") == 0) {
		size_t len = 0;
		ssize_t r;

		while ((r = read(0, buf + len, sizeof(buf) - 1 - len)) > 0)
			len += (size_t)r;
		buf[len] = '\0';
		normalize_text(buf);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: real_maps CASE | --normalize\n");
		return 2;
	}
	/* the C library's first malloc sets up the heap, as in vmscope */
	p = malloc(1);
	if (p == NULL)
		return 2;
	/* the test region must be free */
	if (mmap((void *)BASE, SPAN, PROT_NONE, ANON | MAP_FIXED_NOREPLACE, -1,
	    0) != (void *)BASE)
		return 77;
	munmap((void *)BASE, SPAN);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, argv[1]) == 0) {
			cases[i].fn();
			return 0;
		}
	}
	fprintf(stderr, "real_maps: unknown case %s\n", argv[1]);
	return 2;
}
