/*
 * slab.c - the slab allocator, a simplified SLUB (mm/slub.c,
 * mm/slab_common.c). A cache hands out objects of one size; its slabs are
 * blocks of 2^order frames taken from the buddy allocator with ALLOC_SLAB
 * (page_alloc.c marks them PG_slab) and cut into equal slots. kmalloc picks
 * a kmalloc-N cache by size (kmalloc_index) or, above two pages, takes
 * pages directly (kmalloc_large). kfree works from the address alone: the
 * direct map turns it into a pfn, the pfn into the slab (virt_to_slab).
 *
 * What is kept where: the caches and slabs live in host memory owned by
 * struct slab_state (machine->slab); the frames only carry PG_slab, as
 * Linux's struct slab overlays struct page but here struct page has no
 * room to spare. Two hash tables map a head pfn to its slab or to its
 * kmalloc_large order, and a third maps a model object (task_struct,
 * mm_struct, vm_area_struct of task.c and mmap.c) to the address of its
 * slab object.
 *
 * Neighbours: page_alloc.c gives and takes the frames; proc-mem.c reads
 * the page counts for meminfo; src/report/slabinfo.c prints the caches;
 * session.c runs validate_slab.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/page_alloc.h"
#include "vmscope/slab.h"
#include "vmscope/task.h"

/* ---- a small open-addressing hash: key 0 is the empty slot --------- */

struct khash {
	uint64_t	*keys;
	uint64_t	*vals;
	size_t		 cap;	/* power of two */
	size_t		 n;
};

static size_t kh_slot(const struct khash *h, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (h->cap - 1);
}

static bool kh_get(const struct khash *h, uint64_t key, uint64_t *val)
{
	size_t i;

	if (h->cap == 0)
		return false;
	for (i = kh_slot(h, key); h->keys[i] != 0; i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == key) {
			if (val != NULL)
				*val = h->vals[i];
			return true;
		}
	}
	return false;
}

static void kh_put(struct khash *h, uint64_t key, uint64_t val);

static void kh_grow(struct khash *h)
{
	struct khash old = *h;
	size_t i;

	h->cap = old.cap ? old.cap * 2 : 64;
	h->keys = xcalloc(h->cap, sizeof(*h->keys));
	h->vals = xcalloc(h->cap, sizeof(*h->vals));
	h->n = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.keys[i] != 0)
			kh_put(h, old.keys[i], old.vals[i]);
	}
	free(old.keys);
	free(old.vals);
}

/* Insert or replace. */
static void kh_put(struct khash *h, uint64_t key, uint64_t val)
{
	size_t i;

	if ((h->n + 1) * 4 > h->cap * 3)
		kh_grow(h);
	for (i = kh_slot(h, key); h->keys[i] != 0; i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == key) {
			h->vals[i] = val;
			return;
		}
	}
	h->keys[i] = key;
	h->vals[i] = val;
	h->n++;
}

/* Remove key; later entries of its probe run shift back into the hole. */
static void kh_del(struct khash *h, uint64_t key)
{
	size_t i, j, want;

	if (h->cap == 0)
		return;
	for (i = kh_slot(h, key); h->keys[i] != key; i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == 0)
			return;
	}
	h->keys[i] = 0;
	h->n--;
	for (j = (i + 1) & (h->cap - 1); h->keys[j] != 0;
	    j = (j + 1) & (h->cap - 1)) {
		want = kh_slot(h, h->keys[j]);
		/* may entry j move to the hole at i? (cyclic interval test) */
		if ((j > i && (want <= i || want > j)) ||
		    (j < i && (want <= i && want > j))) {
			h->keys[i] = h->keys[j];
			h->vals[i] = h->vals[j];
			h->keys[j] = 0;
			i = j;
		}
	}
}

static void kh_free(struct khash *h)
{
	free(h->keys);
	free(h->vals);
	memset(h, 0, sizeof(*h));
}

/* ---- state ---------------------------------------------------------- */

#define NR_KMALLOC_MAX	16

struct slab_state {
	struct list_head caches;	/* slab_caches */
	struct kmem_cache *kmalloc[NR_KMALLOC_MAX];
	int		 nr_kmalloc;
	struct kmem_cache *model[NR_KMEM_MODEL_CACHES];
	struct khash	 slab_by_pfn;	/* head pfn + 1 -> struct slab * */
	struct khash	 large_by_pfn;	/* head pfn + 1 -> order */
	unsigned long	 large_pages;	/* frames of kmalloc_large blocks */
};

/*
 * Object sizes of a typical x86_64 Linux 6.x build, as its slabinfo shows
 * them (they vary with the configuration); used on every architecture.
 */
static const struct {
	const char	*name;
	unsigned	 size;
} model_caches[NR_KMEM_MODEL_CACHES] = {
	[KMEM_TASK_STRUCT]	= { "task_struct", 7808 },
	[KMEM_MM_STRUCT]	= { "mm_struct", 1152 },
	[KMEM_VM_AREA_STRUCT]	= { "vm_area_struct", 184 },
};

/* One slab event: the cache's name (NULL for kmalloc_large), the block. */
static void emit(struct machine *m, enum event_kind kind, const char *name,
    unsigned long pfn, unsigned order, uint64_t addr, uint64_t val,
    uint64_t val2)
{
	struct vm_event ev;

	if (m->ev.muted)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pfn = pfn;
	ev.addr = addr;
	ev.order = (int)order;
	ev.val = val;
	ev.val2 = val2;
	ev.str = name;
	machine_emit(m, &ev);
}

static void slab_emit(struct machine *m, enum event_kind kind,
    struct kmem_cache *s, unsigned long pfn, uint64_t addr, uint64_t val,
    uint64_t val2)
{
	emit(m, kind, s != NULL ? s->name : NULL, pfn,
	    s != NULL ? s->order : 0, addr, val, val2);
}

static void large_emit(struct machine *m, enum event_kind kind,
    unsigned long pfn, unsigned order, uint64_t addr, uint64_t val,
    uint64_t val2)
{
	emit(m, kind, NULL, pfn, order, addr, val, val2);
}

static unsigned get_order_bytes(const struct machine *m, uint64_t bytes)
{
	unsigned order = 0;

	while ((m->page_size << order) < bytes)
		order++;
	return order;
}

/*
 * calc_slab_order: the smallest order (up to max_order) giving at least
 * min_objects objects with at most 1/fract of the slab left over.
 */
static unsigned calc_slab_order(const struct machine *m, unsigned size,
    unsigned min_objects, unsigned max_order, unsigned fract)
{
	unsigned order;

	for (order = get_order_bytes(m, (uint64_t)min_objects * size);
	    order <= max_order; order++) {
		uint64_t slab_size = m->page_size << order;

		if (slab_size % size <= slab_size / fract)
			break;
	}
	return order;
}

/*
 * calculate_order (mm/slub.c): SLUB wants 4 * (fls(nr_cpus) + 1) objects
 * per slab, 8 on vmscope's one CPU, within PAGE_ALLOC_COSTLY_ORDER (3),
 * accepting less waste first; then fewer objects; then a bigger order.
 */
static unsigned calculate_order(const struct machine *m, unsigned size)
{
	unsigned min_objects, fract, order;

	for (min_objects = 8; min_objects >= 1; min_objects /= 2) {
		for (fract = 16; fract >= 4; fract /= 2) {
			order = calc_slab_order(m, size, min_objects, 3, fract);
			if (order <= 3)
				return order;
		}
	}
	order = calc_slab_order(m, size, 1, MAX_ORDER - 1, 1);
	return order;
}

static struct kmem_cache *kmem_cache_create(struct slab_state *st,
    const struct machine *m, const char *name, unsigned size,
    bool reclaimable)
{
	struct kmem_cache *s = xcalloc(1, sizeof(*s));

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->object_size = size;
	s->size = ALIGN_UP(size, 8U);
	s->reclaimable = reclaimable;
	s->order = calculate_order(m, s->size);
	if (s->order < MAX_ORDER)
		s->objects = (unsigned)((m->page_size << s->order) / s->size);
	INIT_LIST_HEAD(&s->slabs);
	list_add(&s->list, &st->caches);	/* newest first, as Linux */
	return s;
}

static void kmalloc_cache_name(char *buf, size_t len, unsigned size)
{
	if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, len, "kmalloc-%uk", size / 1024);
	else
		snprintf(buf, len, "kmalloc-%u", size);
}

void kmem_cache_init(struct machine *m)
{
	static const unsigned small[] = { 8, 16, 32, 64, 96, 128, 192 };
	struct slab_state *st = xcalloc(1, sizeof(*st));
	uint64_t max = kmalloc_max_cache_size(m), size;
	char name[KMEM_CACHE_NAME_LEN];
	size_t i;

	INIT_LIST_HEAD(&st->caches);
	m->slab = st;
	/* create_kmalloc_caches runs first: they end up last in the list */
	for (i = 0; i < ARRAY_SIZE(small) && small[i] <= max; i++) {
		kmalloc_cache_name(name, sizeof(name), small[i]);
		st->kmalloc[st->nr_kmalloc++] = kmem_cache_create(st, m, name,
		    small[i], false);
	}
	for (size = 256; size <= max && st->nr_kmalloc < NR_KMALLOC_MAX;
	    size *= 2) {
		kmalloc_cache_name(name, sizeof(name), (unsigned)size);
		st->kmalloc[st->nr_kmalloc++] = kmem_cache_create(st, m, name,
		    (unsigned)size, false);
	}
	/* fork_init (task_struct), then proc_caches_init (mm, VMAs) */
	for (i = 0; i < NR_KMEM_MODEL_CACHES; i++)
		st->model[i] = kmem_cache_create(st, m, model_caches[i].name,
		    model_caches[i].size, false);
}

static void free_slab_struct(struct slab *slab)
{
	free(slab->next_free);
	free(slab->used);
	free(slab);
}

void slab_machine_free(struct machine *m)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *s, *sn;
	struct slab *slab, *tmp;

	if (st == NULL)
		return;
	list_for_each_entry_safe(s, sn, &st->caches, list) {
		list_for_each_entry_safe(slab, tmp, &s->slabs, list)
			free_slab_struct(slab);
		free(s);
	}
	kh_free(&st->slab_by_pfn);
	kh_free(&st->large_by_pfn);
	free(st);
	m->slab = NULL;
}

struct list_head *slab_caches(struct machine *m)
{
	return m->slab != NULL ? &m->slab->caches : NULL;
}

struct kmem_cache *kmem_model_cache(struct machine *m,
    enum kmem_model_cache which)
{
	return m->slab != NULL ? m->slab->model[which] : NULL;
}

uint64_t kmalloc_max_cache_size(const struct machine *m)
{
	return 2 * m->page_size;	/* KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1 */
}

uint64_t kmalloc_max_size(const struct machine *m)
{
	return m->page_size << (MAX_ORDER - 1);
}

/* kmalloc_index: 96 and 192 sit between the powers of two. */
struct kmem_cache *kmalloc_slab(struct machine *m, uint64_t size)
{
	struct slab_state *st = m->slab;
	int i;

	if (st == NULL || size > kmalloc_max_cache_size(m))
		return NULL;
	for (i = 0; i < st->nr_kmalloc; i++) {
		if (st->kmalloc[i]->object_size >= size)
			return st->kmalloc[i];
	}
	return NULL;
}

uint64_t slab_page_address(const struct machine *m, unsigned long pfn)
{
	return m->arch.page_offset + ((uint64_t)pfn << m->arch.page_shift);
}

struct slab *pfn_to_slab(struct machine *m, unsigned long pfn)
{
	struct page *page;
	uint64_t v;

	if (m->slab == NULL || pfn >= m->max_pfn)
		return NULL;
	page = pfn_to_page(m, pfn);
	if (!PageFlag(page, PG_slab))
		return NULL;
	if (PageFlag(page, PG_tail))
		pfn = page->private;
	if (!kh_get(&m->slab->slab_by_pfn, pfn + 1, &v))
		return NULL;
	return (struct slab *)(uintptr_t)v;
}

int kmalloc_large_order(struct machine *m, unsigned long pfn)
{
	uint64_t v;

	if (m->slab == NULL || !kh_get(&m->slab->large_by_pfn, pfn + 1, &v))
		return -1;
	return (int)v;
}

/* ---- slabs ---------------------------------------------------------- */

/*
 * allocate_slab: a block of the cache's order from the buddy allocator,
 * cut into objects chained in address order (the first allocation gets
 * the slab's first object).
 */
static struct slab *allocate_slab(struct machine *m, struct kmem_cache *s)
{
	struct page *page;
	struct slab *slab;
	unsigned i;

	if (s->objects == 0)
		return NULL;
	page = alloc_pages_node(m, 0, ZONE_NORMAL, s->order, ALLOC_SLAB);
	if (page == NULL)
		return NULL;
	slab = xcalloc(1, sizeof(*slab));
	slab->cache = s;
	slab->pfn = page_to_pfn(m, page);
	slab->next_free = xcalloc(s->objects, sizeof(*slab->next_free));
	slab->used = xcalloc(s->objects, 1);
	for (i = 0; i < s->objects; i++)
		slab->next_free[i] = i + 1 < s->objects ? (int)i + 1 : -1;
	slab->freelist = 0;
	list_add(&slab->list, &s->slabs);
	s->nr_slabs++;
	kh_put(&m->slab->slab_by_pfn, slab->pfn + 1, (uint64_t)(uintptr_t)slab);
	slab_emit(m, EV_SLAB_NEW, s, slab->pfn, slab_page_address(m, slab->pfn),
	    s->objects, s->size);
	return slab;
}

/* discard_slab: the empty slab's block goes back to the buddy allocator. */
static void discard_slab(struct machine *m, struct slab *slab)
{
	struct kmem_cache *s = slab->cache;

	list_del(&slab->list);
	s->nr_slabs--;
	kh_del(&m->slab->slab_by_pfn, slab->pfn + 1);
	slab_emit(m, EV_SLAB_FREE, s, slab->pfn, slab_page_address(m, slab->pfn),
	    0, 0);
	__free_pages(m, pfn_to_page(m, slab->pfn), s->order);
	free_slab_struct(slab);
}

static uint64_t slab_obj_address(const struct machine *m,
    const struct slab *slab, unsigned idx)
{
	return slab_page_address(m, slab->pfn) + (uint64_t)idx * slab->cache->size;
}

/* The slab whose block holds the kernel address addr, or NULL. */
static struct slab *virt_to_slab(struct machine *m, uint64_t addr)
{
	uint64_t base = m->arch.page_offset;

	if (addr < base)
		return NULL;
	return pfn_to_slab(m, (unsigned long)((addr - base) >>
	    m->arch.page_shift));
}

/* Which object of slab addr falls in (past the last: the unused tail). */
static uint64_t obj_to_index(const struct machine *m, const struct slab *slab,
    uint64_t addr)
{
	return (addr - slab_page_address(m, slab->pfn)) / slab->cache->size;
}

/*
 * slab_alloc: the first slab of the list has a free object if any slab
 * has one (full slabs are kept at the tail); otherwise a new slab.
 */
static int kmem_cache_alloc(struct machine *m, struct kmem_cache *s,
    uint64_t *addr, bool quiet)
{
	struct slab *slab = NULL;
	unsigned idx;

	if (!list_empty(&s->slabs)) {
		slab = list_first_entry(&s->slabs, struct slab, list);
		if (slab->freelist < 0)
			slab = NULL;
	}
	if (slab == NULL) {
		slab = allocate_slab(m, s);
		if (slab == NULL)
			return -ENOMEM;
	}
	idx = (unsigned)slab->freelist;
	slab->freelist = slab->next_free[idx];
	slab->next_free[idx] = -1;
	slab->used[idx] = 1;
	slab->inuse++;
	s->active_objs++;
	if (slab->freelist < 0)
		list_move_tail(&slab->list, &s->slabs);
	*addr = slab_obj_address(m, slab, idx);
	if (!quiet)
		slab_emit(m, EV_KMEM_CACHE_ALLOC, s, slab->pfn, *addr,
		    slab->inuse, s->objects);
	return 0;
}

static void kmem_cache_free_idx(struct machine *m, struct slab *slab,
    unsigned idx, bool quiet)
{
	struct kmem_cache *s = slab->cache;
	bool was_full = slab->freelist < 0;

	slab->used[idx] = 0;
	slab->next_free[idx] = slab->freelist;	/* LIFO, as SLUB */
	slab->freelist = (int)idx;
	slab->inuse--;
	s->active_objs--;
	if (!quiet)
		slab_emit(m, EV_KMEM_CACHE_FREE, s, slab->pfn,
		    slab_obj_address(m, slab, idx), slab->inuse, s->objects);
	if (slab->inuse == 0)
		discard_slab(m, slab);
	else if (was_full)
		list_move(&slab->list, &s->slabs);
}

/* ---- kmalloc / kfree ------------------------------------------------- */

int kmalloc(struct machine *m, uint64_t size, uint64_t *addr)
{
	struct kmem_cache *s;
	struct page *page;
	unsigned order;
	unsigned long pfn;

	if (size == 0) {
		*addr = ZERO_SIZE_PTR;
		return 0;
	}
	if (size > kmalloc_max_size(m))
		return -E2BIG;
	s = kmalloc_slab(m, size);
	if (s != NULL)
		return kmem_cache_alloc(m, s, addr, false);
	if (m->slab == NULL)
		return -ENOMEM;
	/* kmalloc_large: pages, no slab; counted as SUnreclaim */
	order = get_order_bytes(m, size);
	page = alloc_pages_node(m, 0, ZONE_NORMAL, order, ALLOC_KERNEL);
	if (page == NULL)
		return -ENOMEM;
	/*
	 * Not PG_kernel: free_pages must not take it (only kfree may), and
	 * not PG_slab: it is no slab. Compound (order >= 1) keeps it off the LRU.
	 */
	pfn = page_to_pfn(m, page);
	for (unsigned long i = 0; i < (1UL << order); i++)
		ClearPageFlag(page + i, PG_kernel);
	kh_put(&m->slab->large_by_pfn, pfn + 1, order);
	m->slab->large_pages += 1UL << order;
	*addr = slab_page_address(m, pfn);
	large_emit(m, EV_KMALLOC_LARGE, pfn, order, *addr, size,
	    kmalloc_max_cache_size(m));
	return 0;
}

/* Which model cache, if any, s is. */
static bool is_model_cache(struct machine *m, const struct kmem_cache *s)
{
	int i;

	for (i = 0; i < NR_KMEM_MODEL_CACHES; i++) {
		if (m->slab->model[i] == s)
			return true;
	}
	return false;
}

static int __kfree_check(struct machine *m, uint64_t addr, char *why,
    size_t whylen)
{
	uint64_t base = m->arch.page_offset, obj;
	unsigned long pfn;
	struct page *page;
	struct slab *slab;
	int order;

	if (addr == ZERO_SIZE_PTR || addr == 0)
		return 0;	/* kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing */
	if (m->slab == NULL)
		return why_printf(why, whylen, "no slab allocator on this machine");
	if (addr < base || ((addr - base) >> m->arch.page_shift) >= m->max_pfn)
		return why_printf(why, whylen, "0x%llx is not in the direct map "
		    "(0x%llx-0x%llx): kmalloc addresses are",
		    (unsigned long long)addr, (unsigned long long)base,
		    (unsigned long long)slab_page_address(m, m->max_pfn));
	pfn = (unsigned long)((addr - base) >> m->arch.page_shift);
	page = pfn_to_page(m, pfn);
	order = kmalloc_large_order(m, pfn);
	if (order >= 0) {
		if (addr != slab_page_address(m, pfn))
			return why_printf(why, whylen, "0x%llx is inside the "
			    "kmalloc_large block at 0x%llx; kfree needs its "
			    "start", (unsigned long long)addr,
			    (unsigned long long)slab_page_address(m, pfn));
		return 0;
	}
	if (PageFlag(page, PG_tail) && !PageFlag(page, PG_slab) &&
	    kmalloc_large_order(m, page->private) >= 0)
		return why_printf(why, whylen, "0x%llx is inside the "
		    "kmalloc_large block at 0x%llx; kfree needs its start",
		    (unsigned long long)addr,
		    (unsigned long long)slab_page_address(m, page->private));
	slab = virt_to_slab(m, addr);
	if (slab == NULL)
		return why_printf(why, whylen, "0x%llx is in pfn 0x%lx, which is "
		    "not a slab page (kfree: virt_to_slab finds no slab)",
		    (unsigned long long)addr, pfn);
	obj = obj_to_index(m, slab, addr);
	if (obj >= slab->cache->objects)
		return why_printf(why, whylen, "0x%llx is in the unused tail of "
		    "a %s slab", (unsigned long long)addr, slab->cache->name);
	if (addr != slab_obj_address(m, slab, (unsigned)obj))
		return why_printf(why, whylen, "0x%llx is inside the %s object "
		    "at 0x%llx; kfree needs its start", (unsigned long long)addr,
		    slab->cache->name,
		    (unsigned long long)slab_obj_address(m, slab, (unsigned)obj));
	if (!slab->used[obj])
		return why_printf(why, whylen, "0x%llx is a free %s object "
		    "(double free)", (unsigned long long)addr, slab->cache->name);
	if (is_model_cache(m, slab->cache))
		return why_printf(why, whylen, "0x%llx is a %s the model is "
		    "using; only kmalloc objects may be freed here",
		    (unsigned long long)addr, slab->cache->name);
	return 0;
}

/* -EINVAL with the reason in why, or 0. */
int kfree_check(struct machine *m, uint64_t addr, char *why, size_t whylen)
{
	return __kfree_check(m, addr, why, whylen) != 0 ? -EINVAL : 0;
}

static uint64_t __kfree(struct machine *m, uint64_t addr, bool quiet)
{
	unsigned long pfn;
	struct slab *slab;
	uint64_t size;
	int order;

	if (addr == ZERO_SIZE_PTR || addr == 0 || m->slab == NULL)
		return 0;
	pfn = (unsigned long)((addr - m->arch.page_offset) >> m->arch.page_shift);
	order = kmalloc_large_order(m, pfn);
	if (order >= 0) {
		kh_del(&m->slab->large_by_pfn, pfn + 1);
		m->slab->large_pages -= 1UL << order;
		large_emit(m, EV_KFREE_LARGE, pfn, (unsigned)order, addr,
		    m->page_size << order, 0);
		__free_pages(m, pfn_to_page(m, pfn), (unsigned)order);
		return m->page_size << order;
	}
	slab = virt_to_slab(m, addr);
	size = slab->cache->size;
	kmem_cache_free_idx(m, slab, (unsigned)obj_to_index(m, slab, addr),
	    quiet);
	return size;
}

uint64_t kfree(struct machine *m, uint64_t addr)
{
	return __kfree(m, addr, false);
}

/* ---- the model's own objects ----------------------------------------- */

void kmem_model_alloc(struct machine *m, enum kmem_model_cache which,
    uint64_t *kmem)
{
	struct slab_state *st = m->slab;
	uint64_t addr = 0;

	*kmem = KMEM_NONE;
	if (st == NULL || m->arch.id == ARCH_TOY)
		return;
	/*
	 * GFP_NOWAIT: no direct reclaim, kswapd or OOM kill from inside the
	 * caller's surgery (reclaim_depth makes the allocator skip them).
	 */
	m->reclaim_depth++;
	if (kmem_cache_alloc(m, st->model[which], &addr, true) != 0) {
		addr = KMEM_UNBACKED;
		st->model[which]->unbacked++;
	}
	m->reclaim_depth--;
	*kmem = addr;
}

void kmem_model_free(struct machine *m, enum kmem_model_cache which,
    uint64_t *kmem)
{
	struct slab_state *st = m->slab;
	uint64_t addr = *kmem;

	*kmem = KMEM_NONE;
	if (st == NULL || addr == KMEM_NONE)
		return;		/* made where there was no slab */
	if (addr == KMEM_UNBACKED) {
		st->model[which]->unbacked--;
		return;
	}
	__kfree(m, addr, true);
}

/* ---- counters -------------------------------------------------------- */

unsigned long slab_reclaimable_pages(struct machine *m)
{
	struct kmem_cache *s;
	unsigned long n = 0;

	if (m->slab == NULL)
		return 0;
	list_for_each_entry(s, &m->slab->caches, list) {
		if (s->reclaimable)
			n += s->nr_slabs << s->order;
	}
	return n;
}

unsigned long slab_unreclaimable_pages(struct machine *m)
{
	struct kmem_cache *s;
	unsigned long n = 0;

	if (m->slab == NULL)
		return 0;
	list_for_each_entry(s, &m->slab->caches, list) {
		if (!s->reclaimable)
			n += s->nr_slabs << s->order;
	}
	return n + m->slab->large_pages;
}

/* ---- invariant checker ------------------------------------------------ */

#define VS_FAIL(...) do {					\
	why_printf(why, whylen, __VA_ARGS__);			\
	return -1;						\
} while (0)

static int validate_one_slab(struct machine *m, struct slab *slab,
    char *why, size_t whylen)
{
	struct kmem_cache *s = slab->cache;
	unsigned long i, nused = 0, nfree = 0;
	struct page *page;
	uint64_t v;
	int idx;

	if (slab->pfn + (1UL << s->order) > m->max_pfn)
		VS_FAIL("%s slab at pfn 0x%lx leaves mem_map", s->name,
		    slab->pfn);
	if (!kh_get(&m->slab->slab_by_pfn, slab->pfn + 1, &v) ||
	    v != (uint64_t)(uintptr_t)slab)
		VS_FAIL("%s slab at pfn 0x%lx is not found by its pfn",
		    s->name, slab->pfn);
	page = pfn_to_page(m, slab->pfn);
	if (!PageFlag(page, PG_slab) || PageFlag(page, PG_tail) ||
	    PageBuddy(page) || page->_refcount != 1)
		VS_FAIL("%s slab pfn 0x%lx is not an allocated PG_slab head "
		    "(refcount %d)", s->name, slab->pfn, page->_refcount);
	if (s->order > 0 && (!PageFlag(page, PG_head) ||
	    page->private != s->order))
		VS_FAIL("%s slab pfn 0x%lx is not an order-%u compound block",
		    s->name, slab->pfn, s->order);
	for (i = 1; i < (1UL << s->order); i++) {
		if (!PageFlag(page + i, PG_slab) || !PageFlag(page + i, PG_tail))
			VS_FAIL("%s slab pfn 0x%lx: frame 0x%lx is not a "
			    "PG_slab tail", s->name, slab->pfn, slab->pfn + i);
	}
	for (i = 0; i < s->objects; i++)
		nused += slab->used[i] != 0;
	if (nused != slab->inuse)
		VS_FAIL("%s slab pfn 0x%lx: inuse %u but %lu objects marked",
		    s->name, slab->pfn, slab->inuse, nused);
	if (slab->inuse == 0)
		VS_FAIL("%s slab pfn 0x%lx is empty but kept", s->name,
		    slab->pfn);
	for (idx = slab->freelist; idx >= 0; idx = slab->next_free[idx]) {
		if ((unsigned)idx >= s->objects || slab->used[idx])
			VS_FAIL("%s slab pfn 0x%lx: free list holds object %d, "
			    "which is %s", s->name, slab->pfn, idx,
			    (unsigned)idx >= s->objects ? "out of range" :
			    "allocated");
		if (++nfree > s->objects)
			VS_FAIL("%s slab pfn 0x%lx: free list loops", s->name,
			    slab->pfn);
	}
	if (nfree + slab->inuse != s->objects)
		VS_FAIL("%s slab pfn 0x%lx: %lu free + %u in use != %u objects",
		    s->name, slab->pfn, nfree, slab->inuse, s->objects);
	return 0;
}

/*
 * The slab object of one task_struct, mm_struct or vm_area_struct: the
 * start of an allocated object of that model cache, or unbacked.
 */
static int check_model_object(struct machine *m, enum kmem_model_cache which,
    uint64_t addr, uint64_t *addrs, size_t *naddrs, size_t cap,
    unsigned long *unbacked, char *why, size_t whylen)
{
	struct kmem_cache *s = m->slab->model[which];
	struct slab *slab;
	uint64_t idx;

	if (addr == KMEM_NONE)
		VS_FAIL("a %s of the model has no slab object", s->name);
	if (addr == KMEM_UNBACKED) {
		unbacked[which]++;
		return 0;
	}
	slab = virt_to_slab(m, addr);
	if (slab == NULL || slab->cache != s)
		VS_FAIL("the %s at 0x%llx is not in a %s slab", s->name,
		    (unsigned long long)addr, s->name);
	idx = obj_to_index(m, slab, addr);
	if (idx >= s->objects || addr != slab_obj_address(m, slab,
	    (unsigned)idx) || !slab->used[idx])
		VS_FAIL("the %s at 0x%llx is not an allocated object of its "
		    "slab", s->name, (unsigned long long)addr);
	if (*naddrs == cap)
		VS_FAIL("more model objects point at slab objects than the "
		    "model caches have allocated");
	addrs[(*naddrs)++] = addr;
	return 0;
}

/* Every model object owns its own allocated object of the right cache. */
static int validate_model_objects(struct machine *m, char *why, size_t whylen)
{
	unsigned long unbacked[NR_KMEM_MODEL_CACHES] = { 0 };
	size_t n = 0, i, cap = 0;
	struct task_struct *t;
	struct vm_area_struct *vma;
	uint64_t *addrs;
	int bad = 0;

	for (i = 0; i < NR_KMEM_MODEL_CACHES; i++)
		cap += m->slab->model[i]->active_objs;
	addrs = xcalloc(cap + 1, sizeof(*addrs));
	list_for_each_entry(t, &m->tasks, tasks) {
		bad = check_model_object(m, KMEM_TASK_STRUCT, t->kmem, addrs, &n,
		    cap, unbacked, why, whylen);
		if (bad == 0 && t->mm != NULL)
			bad = check_model_object(m, KMEM_MM_STRUCT, t->mm->kmem,
			    addrs, &n, cap, unbacked, why, whylen);
		for (vma = t->mm != NULL ? t->mm->mmap : NULL;
		    bad == 0 && vma != NULL; vma = vma->vm_next)
			bad = check_model_object(m, KMEM_VM_AREA_STRUCT,
			    vma->kmem, addrs, &n, cap, unbacked, why, whylen);
		if (bad != 0)
			break;
	}
	for (i = 0; bad == 0 && i < NR_KMEM_MODEL_CACHES; i++) {
		if (unbacked[i] != m->slab->model[i]->unbacked)
			bad = why_printf(why, whylen, "%s: %lu unbacked objects "
			    "counted, %lu found", m->slab->model[i]->name,
			    m->slab->model[i]->unbacked, unbacked[i]);
	}
	qsort(addrs, n, sizeof(*addrs), cmp_u64);
	for (i = 1; bad == 0 && i < n; i++) {
		if (addrs[i] == addrs[i - 1])
			bad = why_printf(why, whylen, "two model objects share "
			    "the slab object at 0x%llx",
			    (unsigned long long)addrs[i]);
	}
	free(addrs);
	return bad;
}

int validate_slab(struct machine *m, char *why, size_t whylen)
{
	struct slab_state *st = m->slab;
	unsigned long model[NR_KMEM_MODEL_CACHES] = { 0 };
	unsigned long nslabs_total = 0, heads = 0, large = 0, pfn, i;
	struct task_struct *t;
	struct kmem_cache *s;
	struct slab *slab;

	if (st == NULL)
		return 0;
	list_for_each_entry(s, &st->caches, list) {
		unsigned long nslabs = 0, active = 0;
		bool seen_full = false;

		list_for_each_entry(slab, &s->slabs, list) {
			if (slab->cache != s)
				VS_FAIL("a slab on the %s list belongs to %s",
				    s->name, slab->cache->name);
			if (validate_one_slab(m, slab, why, whylen) != 0)
				return -1;
			if (slab->freelist < 0)
				seen_full = true;
			else if (seen_full)
				VS_FAIL("%s: a slab with free objects after a "
				    "full one", s->name);
			nslabs++;
			active += slab->inuse;
		}
		if (nslabs != s->nr_slabs || active != s->active_objs)
			VS_FAIL("%s: counts say %lu slabs %lu objects, the list "
			    "has %lu slabs %lu objects", s->name, s->nr_slabs,
			    s->active_objs, nslabs, active);
		nslabs_total += nslabs;
	}
	if (nslabs_total != st->slab_by_pfn.n)
		VS_FAIL("%lu slabs listed, %zu found by pfn", nslabs_total,
		    st->slab_by_pfn.n);
	/* every PG_slab head frame is a listed slab */
	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);

		if (PageFlag(page, PG_slab) && !PageFlag(page, PG_tail)) {
			heads++;
			if (!kh_get(&st->slab_by_pfn, pfn + 1, NULL))
				VS_FAIL("pfn 0x%lx is PG_slab but no cache owns "
				    "it", pfn);
		}
	}
	if (heads != nslabs_total)
		VS_FAIL("%lu PG_slab blocks, %lu slabs", heads, nslabs_total);
	for (i = 0; i < st->large_by_pfn.cap; i++) {
		unsigned long order;
		struct page *page;

		if (st->large_by_pfn.keys[i] == 0)
			continue;
		pfn = (unsigned long)st->large_by_pfn.keys[i] - 1;
		order = (unsigned long)st->large_by_pfn.vals[i];
		if (pfn + (1UL << order) > m->max_pfn)
			VS_FAIL("kmalloc_large block at pfn 0x%lx leaves mem_map",
			    pfn);
		page = pfn_to_page(m, pfn);
		if (PageBuddy(page) || page->_refcount != 1 ||
		    PageFlag(page, PG_tail) || PageFlag(page, PG_slab) ||
		    PageFlag(page, PG_kernel) || (order > 0 &&
		    (!PageFlag(page, PG_head) || page->private != order)))
			VS_FAIL("kmalloc_large block at pfn 0x%lx is not an "
			    "allocated order-%lu block", pfn, order);
		large += 1UL << order;
	}
	if (large != st->large_pages)
		VS_FAIL("kmalloc_large blocks hold %lu pages, counted %lu",
		    large, st->large_pages);

	/* one object per task, mm and VMA of the model */
	if (m->arch.id == ARCH_TOY)
		return 0;
	list_for_each_entry(t, &m->tasks, tasks) {
		model[KMEM_TASK_STRUCT]++;
		if (t->mm != NULL) {
			model[KMEM_MM_STRUCT]++;
			model[KMEM_VM_AREA_STRUCT] += (unsigned long)t->mm->map_count;
		}
	}
	for (i = 0; i < NR_KMEM_MODEL_CACHES; i++) {
		s = st->model[i];
		if (s->active_objs + s->unbacked != model[i])
			VS_FAIL("%s: %lu objects + %lu unbacked, but the model "
			    "has %lu", s->name, s->active_objs, s->unbacked,
			    model[i]);
	}
	return validate_model_objects(m, why, whylen);
}

/* ---- save and restore (src/scenario/state.c) ------------------------- */

bool kmem_model_saved(uint64_t kmem, uint64_t *addr)
{
	*addr = kmem == KMEM_UNBACKED ? 0 : kmem;
	return kmem != KMEM_NONE;
}

uint64_t kmem_model_restored(uint64_t addr)
{
	return addr == 0 ? KMEM_UNBACKED : addr;
}

struct slab *slab_restore(struct machine *m, struct kmem_cache *s,
    unsigned long pfn)
{
	struct slab *slab;

	if (m->slab == NULL || s->objects == 0)
		return NULL;
	slab = xcalloc(1, sizeof(*slab));
	slab->cache = s;
	slab->pfn = pfn;
	slab->next_free = xcalloc(s->objects, sizeof(*slab->next_free));
	slab->used = xcalloc(s->objects, 1);
	slab->freelist = -1;
	list_add_tail(&slab->list, &s->slabs);
	kh_put(&m->slab->slab_by_pfn, pfn + 1, (uint64_t)(uintptr_t)slab);
	return slab;
}

void kmalloc_large_restore(struct machine *m, unsigned long pfn,
    unsigned order)
{
	if (m->slab == NULL)
		return;
	kh_put(&m->slab->large_by_pfn, pfn + 1, order);
	m->slab->large_pages += 1UL << order;
}
