/*
 * bench_memory.c - what a simulated frame costs the host: a 16 GiB
 * x86_64 machine (4194304 frames) is built and the bytes the host heap
 * gave for it are divided by the frames. Linux spends sizeof(struct
 * page) = 64 bytes per frame on its mem_map, and vmscope's model of a
 * frame is a struct page too, so 64 is the target: a simulator that
 * needs more per frame than the kernel it models is doing something
 * the kernel does not.
 *
 * The heap figure comes from mallinfo2 (every byte malloc handed out,
 * whether touched or not, mmap'd chunks included), so a big calloc that
 * the host has not paged in still counts. The resident-set growth is
 * printed beside it for comparison. A second figure puts a process on
 * the machine and has it write 256 MiB: what the host spends per frame
 * the simulation then uses (page tables, reverse map, LRU), beyond the
 * frames' struct pages.
 *
 * Prints "BENCH name value unit note" lines for bench/run.sh.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/machine.h"
#include "vmscope/session.h"

#define RAM		"16 GiB"
#define RAM_BYTES	(16ULL << 30)
#define TOUCH_BYTES	(256ULL << 20)
#define TARGET		64

static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static long rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(fp);
	return rss * 4096;
}

/* Run a line that must succeed; return its output (caller frees). */
static char *run(struct session *s, const char *line)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	if (cmd_run_line(s, line, &out, &err) != 0) {
		fprintf(stderr, "bench_memory: '%s': %s", line, sbuf_str(&err));
		exit(1);
	}
	sbuf_free(&err);
	return sbuf_steal(&out);
}

int main(void)
{
	struct machine_config cfg;
	struct machine *m;
	struct session *s;
	size_t heap0, heap1, heap2, heap3;
	long rss0, rss1;
	unsigned long frames;
	uint64_t addr;
	char *out, line[128], err[256];
	double per_frame, rss_per_frame, per_touched;

	machine_config_default(&cfg);
	cfg.ram = RAM_BYTES;
	cfg.swap = 0;
	heap0 = heap_bytes();
	rss0 = rss_bytes();
	m = machine_new(&cfg, err, sizeof(err));
	if (m == NULL) {
		fprintf(stderr, "bench_memory: %s\n", err);
		return 1;
	}
	heap1 = heap_bytes();
	rss1 = rss_bytes();
	frames = m->max_pfn;
	per_frame = (double)(heap1 - heap0) / (double)frames;
	rss_per_frame = (double)(rss1 - rss0) / (double)frames;
	printf("machine: %s RAM, %lu frames, sizeof(struct page) %zu\n", RAM,
	    frames, sizeof(struct page));
	printf("host heap for the machine: %zu bytes; resident growth %ld\n",
	    heap1 - heap0, rss1 - rss0);

	/* The session's default machine is replaced (and freed) here. */
	s = session_new();
	session_set_machine(s, m);
	free(run(s, "spawn"));
	out = run(s, "mmap 1 256M");
	addr = strtoull(out, NULL, 0);
	free(out);
	heap2 = heap_bytes();
	snprintf(line, sizeof(line), "touch 1 0x%llx+256M w --quiet",
	    (unsigned long long)addr);
	free(run(s, line));
	heap3 = heap_bytes();
	per_touched = (double)(heap3 - heap2) /
	    (double)(TOUCH_BYTES / s->m->page_size);

	printf("BENCH memory.struct_page %zu bytes/frame target<=%d %s\n",
	    sizeof(struct page), TARGET,
	    sizeof(struct page) <= TARGET ? "ok" : "OVER");
	printf("BENCH memory.host_per_frame %.1f bytes/frame target<=%d %s "
	    "(16GiB machine; resident %.1f)\n", per_frame, TARGET,
	    per_frame <= TARGET ? "ok" : "OVER", rss_per_frame);
	printf("BENCH memory.host_per_touched_frame %.1f bytes/frame "
	    "(page tables, rmap, LRU for 256MiB written)\n", per_touched);
	session_free(s);
	return per_frame <= TARGET ? 0 : 1;
}
