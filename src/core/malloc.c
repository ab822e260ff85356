/*
 * malloc.c - a glibc-like malloc/free running inside a simulated process,
 * to show where user-space memory comes from (glibc malloc/malloc.c:
 * _int_malloc, sysmalloc, _int_free, systrim, munmap_chunk).
 *
 * What is kept of glibc, because it decides which system calls happen:
 *   - chunk sizes: request + SIZE_SZ rounded to MALLOC_ALIGNMENT, at least
 *     MINSIZE; the user pointer is two SIZE_SZ after the chunk header;
 *   - a request the heap cannot serve and that is at or above
 *     M_MMAP_THRESHOLD (128 KiB) gets its own mmap; smaller ones grow the
 *     heap with brk by request + M_TOP_PAD (128 KiB) rounded up to pages;
 *   - freeing an mmapped chunk larger than the threshold raises the
 *     threshold to its size (and M_TRIM_THRESHOLD to twice that), up to
 *     DEFAULT_MMAP_THRESHOLD_MAX (32 MiB on 64-bit, 512 KiB on 32-bit);
 *   - freeing a chunk of 64 KiB or more when the top chunk exceeds
 *     M_TRIM_THRESHOLD gives memory back with a negative sbrk, keeping
 *     M_TOP_PAD.
 * What is simpler: one free list with best fit and immediate coalescing
 * instead of tcache, fastbins and bins. A request is first served from a
 * free chunk, then from the top chunk, as glibc does even for requests
 * above the threshold.
 *
 * The only way out to the kernel is through mmap.c (do_brk, do_mmap,
 * do_munmap), so the heap VMAs, [heap] and the counters move exactly as
 * the program's system calls would move them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/task.h"

#define SZ_1K				UINT64_C(1024)
#define DEFAULT_MMAP_THRESHOLD		(128 * SZ_1K)
#define DEFAULT_TOP_PAD			(128 * SZ_1K)
#define FASTBIN_CONSOLIDATION_THRESHOLD	(64 * SZ_1K)
#define TCACHE_MAX_BINS			64
#define DEFAULT_MMAP_MAX		65536

static uint64_t min_size(const struct malloc_state *ms)
{
	uint64_t mask = ms->align - 1;

	return (4 * ms->size_sz + mask) & ~mask;
}

/* request2size; 0 when the request cannot be represented. */
static uint64_t request2size(const struct malloc_state *ms, uint64_t req)
{
	uint64_t mask = ms->align - 1;

	if (req > UINT64_MAX / 2)
		return 0;
	if (req + ms->size_sz + mask < min_size(ms))
		return min_size(ms);
	return (req + ms->size_sz + mask) & ~mask;
}

static uint64_t chunk2mem(const struct malloc_state *ms, uint64_t chunk)
{
	return chunk + 2 * ms->size_sz;
}

void malloc_init_state(struct task_struct *t)
{
	struct malloc_state *ms = &t->malloc;
	const struct machine *m = t->mm->machine;
	bool is64 = m->arch.bits == 64;

	memset(ms, 0, sizeof(*ms));
	INIT_LIST_HEAD(&ms->chunks);
	INIT_LIST_HEAD(&ms->mmapped);
	ms->size_sz = is64 ? 8 : 4;
	/* 16 on x86 (both widths, glibc >= 2.26), 2 * SIZE_SZ elsewhere */
	ms->align = (m->arch.id == ARCH_I386 || is64) ? 16 : 8;
	ms->mmap_threshold = DEFAULT_MMAP_THRESHOLD;
	ms->trim_threshold = DEFAULT_MMAP_THRESHOLD;
	ms->top_pad = DEFAULT_TOP_PAD;
	ms->threshold_max = is64 ? 4 * 1024 * 1024 * 8ULL : 512 * SZ_1K;
	if (m->arch.id == ARCH_TOY) {
		/* the same shape at the toy's scale, in pages */
		ms->mmap_threshold = 8 * m->page_size;
		ms->trim_threshold = 8 * m->page_size;
		ms->top_pad = 4 * m->page_size;
		ms->threshold_max = 64 * m->page_size;
	}
	ms->initialized = true;
}

static void free_chunk_list(struct list_head *head)
{
	struct mchunk *c, *n;

	list_for_each_entry_safe(c, n, head, list) {
		list_del(&c->list);
		free(c);
	}
}

void malloc_free_state(struct task_struct *t)
{
	struct malloc_state *ms = &t->malloc;

	if (!ms->initialized)
		return;
	free_chunk_list(&ms->chunks);
	free_chunk_list(&ms->mmapped);
	ms->initialized = false;
}

static void copy_chunk_list(struct list_head *to, const struct list_head *from)
{
	const struct mchunk *c;

	list_for_each_entry(c, from, list) {
		struct mchunk *n = xmalloc(sizeof(*n));

		*n = *c;
		list_add_tail(&n->list, to);
	}
}

void malloc_dup_state(struct task_struct *child,
    const struct task_struct *parent)
{
	struct malloc_state *ms = &child->malloc;

	*ms = parent->malloc;
	INIT_LIST_HEAD(&ms->chunks);
	INIT_LIST_HEAD(&ms->mmapped);
	if (!parent->malloc.initialized)
		return;
	copy_chunk_list(&ms->chunks, &parent->malloc.chunks);
	copy_chunk_list(&ms->mmapped, &parent->malloc.mmapped);
}

static struct mchunk *new_chunk(uint64_t addr, uint64_t size, bool inuse)
{
	struct mchunk *c = xcalloc(1, sizeof(*c));

	c->addr = addr;
	c->size = size;
	c->inuse = inuse;
	return c;
}

static void malloc_emit(struct task_struct *t, enum event_kind kind,
    uint64_t ptr, uint64_t size, uint64_t chunk, const char *how)
{
	struct vm_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = t->pid;
	ev.addr = ptr;
	ev.val = size;
	ev.val2 = chunk;
	ev.str = how;
	machine_emit(t->mm->machine, &ev);
}

/* ------------------------------------------------------------ sysmalloc */

/*
 * Grow the heap so the top chunk holds nb + MINSIZE, with M_TOP_PAD to
 * spare: brk by (nb + top_pad + MINSIZE - what top has), page rounded.
 */
static int sysmalloc_brk(struct task_struct *t, uint64_t nb, uint64_t *grown)
{
	struct malloc_state *ms = &t->malloc;
	struct mm_struct *mm = t->mm;
	uint64_t ps = mm->page_size, size, old_brk, want;

	if (ms->heap_base == 0 || mm->brk != ms->top + ms->top_size) {
		/*
		 * First use, or the break was moved behind malloc's back
		 * (the `brk` command): the heap goes on from the current
		 * break, as glibc does after a foreign sbrk.
		 */
		uint64_t start = ALIGN_UP(mm->brk, ms->align);

		/*
		 * The break was moved below chunks malloc handed out: glibc
		 * stops with "break adjusted to free malloc space"; here the
		 * brk path fails and the caller falls back to mmap, so no
		 * chunk ends up above top.
		 */
		if (!list_empty(&ms->chunks) && start < list_last_entry(
		    &ms->chunks, struct mchunk, list)->addr +
		    list_last_entry(&ms->chunks, struct mchunk, list)->size)
			return -EFAULT;
		if (ms->heap_base == 0)
			ms->heap_base = start;
		ms->top = start;
		ms->top_size = 0;
		if (start != mm->brk &&
		    do_brk(mm, start) != start)
			return -ENOMEM;
	}
	size = nb + ms->top_pad + min_size(ms);
	size = size > ms->top_size ? size - ms->top_size : 0;
	size = ALIGN_UP(size, ps);
	old_brk = mm->brk;
	want = old_brk + size;
	if (want < old_brk || do_brk(mm, want) != want)
		return -ENOMEM;
	ms->top_size += size;
	*grown = size;
	return 0;
}

static int sysmalloc_mmap(struct task_struct *t, uint64_t nb, uint64_t *addr,
    uint64_t *size)
{
	struct malloc_state *ms = &t->malloc;
	uint64_t len = ALIGN_UP(nb + ms->size_sz, t->mm->page_size);
	int64_t ret;

	ret = do_mmap(t->mm, 0, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (ret < 0)
		return (int)ret;
	*addr = (uint64_t)ret;
	*size = len;
	return 0;
}

/* ------------------------------------------------------------ malloc */

/* Best fit among the free heap chunks: the smallest, then the lowest. */
static struct mchunk *find_free_chunk(struct malloc_state *ms, uint64_t nb)
{
	struct mchunk *c, *best = NULL;

	list_for_each_entry(c, &ms->chunks, list) {
		if (!c->inuse && c->size >= nb &&
		    (best == NULL || c->size < best->size))
			best = c;
	}
	return best;
}

static int __glibc_malloc(struct task_struct *t, uint64_t size,
    struct malloc_result *res, bool emit)
{
	struct malloc_state *ms = &t->malloc;
	uint64_t nb = request2size(ms, size);
	struct mchunk *c;
	static const char *const path_names[] = {
		[MALLOC_FROM_FREE] = "a free chunk in the heap",
		[MALLOC_FROM_TOP] = "the top chunk of the brk heap",
		[MALLOC_FROM_BRK] = "the top chunk after brk grew the heap",
		[MALLOC_FROM_MMAP] = "its own mmap (request >= mmap threshold)",
	};

	memset(res, 0, sizeof(*res));
	if (nb == 0)
		return -ENOMEM;
	c = find_free_chunk(ms, nb);
	if (c != NULL) {
		if (c->size - nb >= min_size(ms)) {
			struct mchunk *rest = new_chunk(c->addr + nb,
			    c->size - nb, false);

			list_add(&rest->list, &c->list);
			c->size = nb;
		}
		c->inuse = true;
		c->req = size;
		res->path = MALLOC_FROM_FREE;
		goto done;
	}
	res->path = MALLOC_FROM_TOP;
	if (ms->heap_base == 0 || ms->top_size < nb + min_size(ms) ||
	    t->mm->brk != ms->top + ms->top_size) {
		uint64_t addr = 0, len = 0;

		if (nb >= ms->mmap_threshold && ms->n_mmaps < DEFAULT_MMAP_MAX &&
		    sysmalloc_mmap(t, nb, &addr, &len) == 0) {
			c = new_chunk(addr, len, true);
			c->mmapped = true;
			c->req = size;
			list_add_tail(&c->list, &ms->mmapped);
			ms->n_mmaps++;
			ms->mmapped_mem += len;
			res->path = MALLOC_FROM_MMAP;
			goto done;
		}
		if (sysmalloc_brk(t, nb, &res->brk_grow) != 0) {
			/* glibc's fallback when brk fails: try mmap */
			if (sysmalloc_mmap(t, nb, &addr, &len) != 0)
				return -ENOMEM;
			c = new_chunk(addr, len, true);
			c->mmapped = true;
			c->req = size;
			list_add_tail(&c->list, &ms->mmapped);
			ms->n_mmaps++;
			ms->mmapped_mem += len;
			res->path = MALLOC_FROM_MMAP;
			goto done;
		}
		res->path = MALLOC_FROM_BRK;
	}
	/* carve the chunk from the bottom of top */
	c = new_chunk(ms->top, nb, true);
	c->req = size;
	list_add_tail(&c->list, &ms->chunks);
	ms->top += nb;
	ms->top_size -= nb;
done:
	res->ptr = chunk2mem(ms, c->addr);
	res->chunk = c->size;
	if (emit)
		malloc_emit(t, EV_MALLOC, res->ptr, size, c->size,
		    path_names[res->path]);
	return 0;
}

int glibc_malloc(struct task_struct *t, uint64_t size, struct malloc_result *res)
{
	return __glibc_malloc(t, size, res, true);
}

int glibc_malloc_startup(struct task_struct *t)
{
	struct malloc_result res;
	uint64_t tcache_size = 2 * TCACHE_MAX_BINS +
	    (uint64_t)TCACHE_MAX_BINS * t->malloc.size_sz;

	/* tcache_init's allocation of the tcache_perthread_struct */
	return __glibc_malloc(t, tcache_size, &res, false);
}

/* ------------------------------------------------------------ free */

static struct mchunk *find_chunk(struct list_head *head,
    const struct malloc_state *ms, uint64_t ptr)
{
	struct mchunk *c;

	list_for_each_entry(c, head, list) {
		if (chunk2mem(ms, c->addr) == ptr)
			return c;
	}
	return NULL;
}

/* systrim: give back what top holds beyond M_TOP_PAD, in whole pages. */
static uint64_t systrim(struct task_struct *t)
{
	struct malloc_state *ms = &t->malloc;
	struct mm_struct *mm = t->mm;
	uint64_t top_area, extra, want;

	if (ms->top_size <= min_size(ms) + 1)
		return 0;
	top_area = ms->top_size - min_size(ms) - 1;
	if (top_area <= ms->top_pad)
		return 0;
	extra = ALIGN_DOWN(top_area - ms->top_pad, mm->page_size);
	if (extra == 0 || mm->brk != ms->top + ms->top_size)
		return 0;
	want = mm->brk - extra;
	if (do_brk(mm, want) != want)
		return 0;
	ms->top_size -= extra;
	return extra;
}

int glibc_free(struct task_struct *t, uint64_t ptr, struct free_result *res)
{
	struct malloc_state *ms = &t->malloc;
	struct mchunk *c, *nb;
	const char *how;

	memset(res, 0, sizeof(*res));
	c = find_chunk(&ms->mmapped, ms, ptr);
	if (c != NULL) {
		/* munmap_chunk, and the dynamic threshold of free() */
		res->chunk = c->size;
		res->path = FREE_MUNMAP;
		if (!ms->no_dyn_threshold && c->size > ms->mmap_threshold &&
		    c->size <= ms->threshold_max) {
			ms->mmap_threshold = c->size;
			ms->trim_threshold = 2 * c->size;
			res->threshold_raised = true;
		}
		(void)do_munmap(t->mm, c->addr, c->size);
		ms->n_mmaps--;
		ms->mmapped_mem -= c->size;
		list_del(&c->list);
		free(c);
		how = res->threshold_raised ?
		    "unmapped; mmap threshold raised to its size" : "unmapped";
		goto done;
	}
	c = find_chunk(&ms->chunks, ms, ptr);
	if (c == NULL || !c->inuse)
		return -EINVAL;
	res->chunk = c->size;
	c->inuse = false;
	c->req = 0;
	/* coalesce with free neighbours that touch it */
	if (c->list.prev != &ms->chunks) {
		nb = list_entry(c->list.prev, struct mchunk, list);
		if (!nb->inuse && nb->addr + nb->size == c->addr) {
			nb->size += c->size;
			list_del(&c->list);
			free(c);
			c = nb;
		}
	}
	if (c->list.next != &ms->chunks) {
		nb = list_entry(c->list.next, struct mchunk, list);
		if (!nb->inuse && c->addr + c->size == nb->addr) {
			c->size += nb->size;
			list_del(&nb->list);
			free(nb);
		}
	}
	res->path = FREE_TO_BINS;
	how = "kept in the heap's free list";
	if (c->addr + c->size == ms->top &&
	    t->mm->brk == ms->top + ms->top_size) {
		uint64_t merged = c->size;

		ms->top = c->addr;
		ms->top_size += c->size;
		list_del(&c->list);
		free(c);
		res->path = FREE_TO_TOP;
		how = "merged into the top chunk";
		if (merged >= FASTBIN_CONSOLIDATION_THRESHOLD &&
		    ms->top_size >= ms->trim_threshold) {
			res->trimmed = systrim(t);
			if (res->trimmed != 0) {
				res->path = FREE_TRIMMED;
				how = "merged into top; heap trimmed with brk";
			}
		}
	}
done:
	res->mmap_threshold = ms->mmap_threshold;
	res->trim_threshold = ms->trim_threshold;
	malloc_emit(t, EV_FREE, ptr, 0, res->chunk, how);
	return 0;
}
