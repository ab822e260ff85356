/*
 * mmap.c - the VMAs of an address space and the system calls that change
 * them: mmap, munmap, mprotect, brk, mremap, madvise (mm/mmap.c,
 * mm/mprotect.c, mm/mremap.c, mm/madvise.c of Linux up to 6.0, before the
 * maple tree). Also the simulated files that mmap can map.
 *
 * Each mm keeps its VMAs in a list sorted by address and in a red-black
 * tree keyed by vm_start. Every tree node carries rb_subtree_gap, the
 * largest hole found in front of any VMA of its subtree, so the search for
 * a free range (unmapped_area_topdown) descends only into subtrees that
 * can hold it: O(log n), like find_vma. The gap of a VMA is the distance
 * from the end of its predecessor to its start; the stack guard gap below
 * a VM_GROWSDOWN VMA counts as used.
 *
 *      VMA  A            B                  C
 *      |AAAA|    gap B   |BBB|    gap C     |CC|
 *                          (B)   subtree gap = max(gap(B),
 *                         /   \                   left's, right's)
 *                       (A)   (C)
 *
 * In front of the tree sits the vmacache of Linux 3.15 to 6.0: the last
 * few VMAs find_vma returned, checked first, so a run of faults inside
 * one VMA costs no tree walk. Its slots hold a pointer and a copy of the
 * bounds; every VMA that leaves the mm or changes its bounds bumps
 * mm->vmacache_seqnum, which empties it.
 *
 * Pages and page tables are not here: where a range loses or changes its
 * mapping this file calls the hooks of memory-hooks.c. Nothing here
 * prints; every action returns 0, an address, or a negative errno, and
 * emits events (event-kinds.h) for the views.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/filemap.h"
#include "vmscope/machine.h"
#include "vmscope/memory-hooks.h"
#include "vmscope/rmap.h"
#include "vmscope/mm.h"
#include "vmscope/rbtree_augmented.h"
#include "vmscope/slab.h"

#define PAGE_SHIFT(mm)		((mm)->page_shift)
#define PAGE_SIZE(mm)		((mm)->page_size)
#define offset_in_page(mm, x)	((x) & ((mm)->page_size - 1))

/* PAGE_ALIGN that reports overflow as 0 (the kernel's callers do too). */
static uint64_t page_align(const struct mm_struct *mm, uint64_t x)
{
	if (x > UINT64_MAX - (mm->page_size - 1))
		return 0;
	return ALIGN_UP(x, mm->page_size);
}

/* ------------------------------------------------------------ errno names */

struct errno_desc {
	int		 err;
	const char	*name, *text;
};

/* glibc's strerror texts, fixed here so output never depends on the host. */
static const struct errno_desc errno_table[] = {
	{ EPERM,	"EPERM",	"Operation not permitted" },
	{ ENOENT,	"ENOENT",	"No such file or directory" },
	{ EBADF,	"EBADF",	"Bad file descriptor" },
	{ EAGAIN,	"EAGAIN",	"Resource temporarily unavailable" },
	{ ENOMEM,	"ENOMEM",	"Cannot allocate memory" },
	{ EACCES,	"EACCES",	"Permission denied" },
	{ EFAULT,	"EFAULT",	"Bad address" },
	{ EEXIST,	"EEXIST",	"File exists" },
	{ ENODEV,	"ENODEV",	"No such device" },
	{ EINVAL,	"EINVAL",	"Invalid argument" },
	{ EFBIG,	"EFBIG",	"File too large" },
	{ EOVERFLOW,	"EOVERFLOW",	"Value too large for defined data type" },
};

const char *errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(errno_table); i++) {
		if (errno_table[i].err == err)
			return errno_table[i].name;
	}
	return "E?";
}

const char *errno_text(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(errno_table); i++) {
		if (errno_table[i].err == err)
			return errno_table[i].text;
	}
	return "Unknown error";
}

/* ------------------------------------------------------------ events */

/* "rw-p" for each combination of r, w, x and shared: static storage. */
static const char *const perm_strings[16] = {
	"---p", "r--p", "-w-p", "rw-p", "--xp", "r-xp", "-wxp", "rwxp",
	"---s", "r--s", "-w-s", "rw-s", "--xs", "r-xs", "-wxs", "rwxs",
};

static const char *vma_perms(unsigned long flags)
{
	return perm_strings[(flags & VM_ACCESS_FLAGS) |
	    ((flags & VM_MAYSHARE) ? 8 : 0)];
}

static const char *vma_what(const struct vm_area_struct *vma)
{
	if (vma->vm_name != NULL)
		return vma->vm_name;
	if (vma->vm_file != NULL)
		return vma->vm_file->name;
	if (vma->vm_flags & VM_GROWSDOWN)
		return "(stack)";
	return "(anonymous)";
}

static void mm_emit(struct mm_struct *mm, enum event_kind kind, uint64_t addr,
    uint64_t val, uint64_t val2, const char *str, const char *str2)
{
	struct vm_event ev;

	if (mm->machine == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = mm->owner_pid;
	ev.addr = addr;
	ev.val = val;
	ev.val2 = val2;
	ev.str = str;
	ev.str2 = str2;
	machine_emit(mm->machine, &ev);
}

/* ------------------------------------------------------------ files */

struct vm_file *vm_file_get(struct vm_file *f)
{
	if (f != NULL)
		f->refcount++;
	return f;
}

void vm_file_put(struct vm_file *f)
{
	if (f == NULL)
		return;
	if (--f->refcount > 0)
		return;
	if (!f->unlinked)
		list_del(&f->list);
	/* the last reference: its page cache goes too (iput -> evict) */
	truncate_inode_pages(f);
	free(f);
}

struct vm_file *vm_file_lookup(struct machine *m, const char *name)
{
	struct vm_file *f;

	list_for_each_entry(f, &m->files, list) {
		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

int vm_file_create(struct machine *m, const char *name, uint64_t size,
    struct vm_file **filep)
{
	struct vm_file *f;

	if (vm_file_lookup(m, name) != NULL)
		return -EEXIST;
	f = xcalloc(1, sizeof(*f));
	f->name = event_intern(&m->ev, name);
	f->size = size;
	/* a disk partition, as /dev/sda1 */
	f->dev_major = 8;
	f->dev_minor = 1;
	f->ino = ++m->last_ino;
	f->refcount = 1;	/* the machine's: files outlive their mappings */
	list_add_tail(&f->list, &m->files);
	if (filep != NULL)
		*filep = f;
	return 0;
}

struct vm_file *shmem_zero_setup(struct machine *m, uint64_t size)
{
	struct vm_file *f = xcalloc(1, sizeof(*f));

	/* what Linux shows for MAP_SHARED|MAP_ANONYMOUS: an unlinked shmem file */
	f->name = event_intern(&m->ev, "/dev/zero (deleted)");
	f->size = size;
	f->dev_major = 0;
	f->dev_minor = 1;
	f->ino = ++m->last_ino;
	f->refcount = 1;	/* the caller's, dropped once mapped */
	f->shmem = true;
	f->unlinked = true;
	INIT_LIST_HEAD(&f->list);
	return f;
}

/* ------------------------------------------------------------ anon_vma */

/*
 * anon_vma_prepare, anon_vma_link, unlink_anon_vmas and anon_vma_fork
 * live in rmap.c with the reverse map they serve.
 */

/*
 * Two VMAs' anonymous pages may live under one anon_vma when they have
 * the same one, or when one has none yet and the other is not a fork
 * child that also sees its parent's anon_vma (Linux: its anon_vma_chain
 * is a single link). A fork child's anon_vma is marked by forked.
 */
static bool is_mergeable_anon_vma(const struct anon_vma *a,
    const struct anon_vma *b)
{
	if (a == b)
		return true;
	if (a == NULL)
		return !b->forked;
	if (b == NULL)
		return !a->forked;
	return false;
}

/* ------------------------------------------------------------ gaps */

uint64_t vm_start_gap(const struct vm_area_struct *vma)
{
	uint64_t start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		start -= vma->vm_mm->stack_guard_gap;
		if (start > vma->vm_start)	/* wrapped below 0 */
			start = 0;
	}
	return start;
}

uint64_t vm_end_gap(const struct vm_area_struct *vma)
{
	/* No architecture vmscope models has stacks growing up. */
	return vma->vm_end;
}

static uint64_t vma_compute_gap(const struct vm_area_struct *vma)
{
	uint64_t gap = vm_start_gap(vma), prev_end;

	if (vma->vm_prev != NULL) {
		prev_end = vm_end_gap(vma->vm_prev);
		gap = gap > prev_end ? gap - prev_end : 0;
	}
	return gap;
}

static uint64_t vma_compute_subtree_gap(struct vm_area_struct *vma)
{
	uint64_t max = vma_compute_gap(vma), sub;

	if (vma->vm_rb.rb_left != NULL) {
		sub = rb_entry(vma->vm_rb.rb_left, struct vm_area_struct,
		    vm_rb)->rb_subtree_gap;
		if (sub > max)
			max = sub;
	}
	if (vma->vm_rb.rb_right != NULL) {
		sub = rb_entry(vma->vm_rb.rb_right, struct vm_area_struct,
		    vm_rb)->rb_subtree_gap;
		if (sub > max)
			max = sub;
	}
	return max;
}

RB_DECLARE_CALLBACKS(static, vma_gap_callbacks, struct vm_area_struct, vm_rb,
    uint64_t, rb_subtree_gap, vma_compute_subtree_gap)

/*
 * The gap of vma changed (its start moved, or its predecessor's end):
 * recompute rb_subtree_gap from it up to the root.
 */
static void vma_gap_update(struct vm_area_struct *vma)
{
	vma_gap_callbacks.propagate(&vma->vm_rb, NULL);
}

/* After vma's end moved: its successor's gap, or the highest end. */
static void vma_end_changed(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_next != NULL)
		vma_gap_update(vma->vm_next);
	else
		mm->highest_vm_end = vm_end_gap(vma);
}

/* ------------------------------------------------------------ vmacache */

/*
 * An address's slot is the low bits of its page number (VMACACHE_HASH),
 * so the pages of a walk spread over the slots.
 */
static unsigned int vmacache_hash(const struct mm_struct *mm, uint64_t addr)
{
	return (unsigned int)(addr >> PAGE_SHIFT(mm)) & (VMACACHE_SIZE - 1);
}

/*
 * A VMA leaves the mm (to be freed) or its bounds move: no slot may be
 * trusted any more.
 */
static void vmacache_invalidate(struct mm_struct *mm)
{
	mm->vmacache_seqnum++;
}

/* The cached VMA containing addr, or NULL (then find_vma walks the tree). */
static struct vm_area_struct *vmacache_find(struct mm_struct *mm,
    uint64_t addr)
{
	unsigned int idx = vmacache_hash(mm, addr);

	if (mm->vmacache.seqnum != mm->vmacache_seqnum) {
		/* stale: flush, as vmacache_valid does (empty: end 0) */
		memset(&mm->vmacache, 0, sizeof(mm->vmacache));
		mm->vmacache.seqnum = mm->vmacache_seqnum;
		return NULL;
	}
	/*
	 * The slot of addr first: the likeliest to hold its VMA. Only the
	 * copied bounds are read, so a miss touches no VMA.
	 */
	for (unsigned int i = 0; i < VMACACHE_SIZE; i++) {
		if (mm->vmacache.start[idx] <= addr &&
		    addr < mm->vmacache.end[idx])
			return mm->vmacache.vmas[idx];
		idx = (idx + 1) & (VMACACHE_SIZE - 1);
	}
	return NULL;
}

static void vmacache_update(struct mm_struct *mm, uint64_t addr,
    struct vm_area_struct *vma)
{
	unsigned int idx = vmacache_hash(mm, addr);

	mm->vmacache.vmas[idx] = vma;
	mm->vmacache.start[idx] = vma->vm_start;
	mm->vmacache.end[idx] = vma->vm_end;
}

/* ------------------------------------------------------------ lookup */

struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *found;

	found = vmacache_find(mm, addr);
	if (found != NULL) {
		mm->vmacache_hits++;
		return found;
	}
	mm->vmacache_misses++;
	while (node != NULL) {
		struct vm_area_struct *v = rb_entry(node, struct vm_area_struct,
		    vm_rb);

		if (v->vm_end > addr) {
			found = v;
			if (v->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	/* a VMA above a hole goes in too; a hit checks the bounds */
	if (found != NULL)
		vmacache_update(mm, addr, found);
	return found;
}

/*
 * The teaching view of a lookup: always the tree walk, node by node, so
 * the EV_VMA_FIND depth shows the O(log n) descent (the vmacache is an
 * accelerator the fault path can do without).
 */
struct vm_area_struct *find_vma_traced(struct mm_struct *mm, uint64_t addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;
	uint64_t depth = 0;

	while (node != NULL) {
		struct vm_area_struct *v = rb_entry(node, struct vm_area_struct,
		    vm_rb);

		depth++;
		if (v->vm_end > addr) {
			found = v;
			if (v->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	mm_emit(mm, EV_VMA_FIND, addr, depth, 0,
	    found == NULL ? "no VMA at or above" :
	    found->vm_start <= addr ? "inside a VMA" : "in a hole below a VMA",
	    NULL);
	return found;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, uint64_t addr,
    struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma != NULL) {
		*pprev = vma->vm_prev;
	} else {
		struct rb_node *last = rb_last(&mm->mm_rb);

		*pprev = last != NULL ? rb_entry(last, struct vm_area_struct,
		    vm_rb) : NULL;
	}
	return vma;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
    uint64_t start, uint64_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (vma != NULL && end <= vma->vm_start)
		vma = NULL;
	return vma;
}

/*
 * Where [addr, end) would be linked: the VMA before it and the tree slot.
 * -ENOMEM when it overlaps a VMA.
 */
static int find_vma_links(struct mm_struct *mm, uint64_t addr, uint64_t end,
    struct vm_area_struct **pprev, struct rb_node ***rb_link,
    struct rb_node **rb_parent)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct rb_node *prev = NULL;

	while (*link != NULL) {
		struct vm_area_struct *v;

		parent = *link;
		v = rb_entry(parent, struct vm_area_struct, vm_rb);
		if (v->vm_end > addr) {
			if (v->vm_start < end)
				return -ENOMEM;
			link = &parent->rb_left;
		} else {
			prev = parent;
			link = &parent->rb_right;
		}
	}
	*pprev = prev != NULL ? rb_entry(prev, struct vm_area_struct, vm_rb) :
	    NULL;
	*rb_link = link;
	*rb_parent = parent;
	return 0;
}

/* ------------------------------------------------------------ link/unlink */

static void vma_link_list(struct mm_struct *mm, struct vm_area_struct *vma,
    struct vm_area_struct *prev)
{
	struct vm_area_struct *next;

	vma->vm_prev = prev;
	if (prev != NULL) {
		next = prev->vm_next;
		prev->vm_next = vma;
	} else {
		next = mm->mmap;
		mm->mmap = vma;
	}
	vma->vm_next = next;
	if (next != NULL)
		next->vm_prev = vma;
}

/*
 * Link vma into the list and the tree at the place find_vma_links found
 * for its range, the tree unchanged since (mmap_region reuses its own
 * lookup, as Linux's vma_link does, instead of walking the tree again).
 */
static void __vma_link(struct mm_struct *mm, struct vm_area_struct *vma,
    struct vm_area_struct *prev, struct rb_node **rb_link,
    struct rb_node *rb_parent)
{
	vma_link_list(mm, vma, prev);
	/* the successor's gap now ends at this VMA */
	vma_end_changed(mm, vma);
	rb_link_node(&vma->vm_rb, rb_parent, rb_link);
	vma->rb_subtree_gap = 0;
	vma_gap_update(vma);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
}

/* Link vma (its range known free) into the list and the tree. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev;
	struct rb_node **rb_link, *rb_parent;

	if (find_vma_links(mm, vma->vm_start, vma->vm_end, &prev, &rb_link,
	    &rb_parent) != 0)
		abort();	/* callers checked: a bug */
	__vma_link(mm, vma, prev, rb_link, rb_parent);
}

/* Take vma out of the list and the tree; the caller frees it. */
static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	if (prev != NULL)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next != NULL) {
		next->vm_prev = prev;
		vma_gap_update(next);
	} else {
		mm->highest_vm_end = prev != NULL ? vm_end_gap(prev) : 0;
	}
	vma->vm_next = vma->vm_prev = NULL;
	mm->map_count--;
	vmacache_invalidate(mm);
}

static struct vm_area_struct *vma_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = xcalloc(1, sizeof(*vma));

	vma->vm_mm = mm;
	RB_CLEAR_NODE(&vma->vm_rb);
	kmem_model_alloc(mm->machine, KMEM_VM_AREA_STRUCT, &vma->kmem);	/* slab.h */
	return vma;
}

/*
 * A new VMA of mm with the fields of orig (Linux's vm_area_dup), its own
 * slab object kept, unlinked. The caller takes its own references (file,
 * anon_vma).
 */
static struct vm_area_struct *vma_dup(struct mm_struct *mm,
    const struct vm_area_struct *orig)
{
	struct vm_area_struct *new = vma_alloc(mm);
	uint64_t kmem = new->kmem;

	*new = *orig;
	new->kmem = kmem;
	new->vm_mm = mm;
	new->vm_next = new->vm_prev = NULL;
	RB_CLEAR_NODE(&new->vm_rb);
	return new;
}

static void vma_free(struct vm_area_struct *vma)
{
	kmem_model_free(vma->vm_mm->machine, KMEM_VM_AREA_STRUCT, &vma->kmem);
	vm_file_put(vma->vm_file);
	unlink_anon_vmas(vma);
	free(vma);
}

/*
 * Move a VMA's bounds in place. The new bounds must keep it in the same
 * order among its neighbours (they may touch, not cross).
 */
static void vma_set_range(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t start, uint64_t end, uint64_t pgoff)
{
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vmacache_invalidate(mm);
	vma_gap_update(vma);
	vma_end_changed(mm, vma);
}

/* ------------------------------------------------------------ accounting */

static bool is_exec_mapping(unsigned long flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC;
}

static bool is_stack_mapping(unsigned long flags)
{
	return (flags & VM_GROWSDOWN) != 0;
}

static bool is_data_mapping(unsigned long flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE;
}

void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages)
{
	mm->total_vm += (unsigned long)npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += (unsigned long)npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += (unsigned long)npages;
	else if (is_data_mapping(flags))
		mm->data_vm += (unsigned long)npages;
	if (flags & VM_LOCKED)
		mm->locked_vm += (unsigned long)npages;
	/* VmPeak: the kernel's update_hiwater_vm, kept up to date */
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* Unaccount, zap and free a VMA already unlinked. */
static void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mm_emit(mm, EV_VMA_UNMAP, vma->vm_start, vma->vm_end, 0,
	    vma_perms(vma->vm_flags), vma_what(vma));
	vm_stat_account(mm, vma->vm_flags, -(long)vma_pages(vma));
	vma_free(vma);
}

/* ------------------------------------------------------------ mm */

struct mm_struct *mm_alloc(struct machine *m, int owner_pid)
{
	struct mm_struct *mm = xcalloc(1, sizeof(*mm));

	mm->mm_rb = RB_ROOT;
	mm->machine = m;
	mm->owner_pid = owner_pid;	/* before pgd_alloc names it */
	mm->page_shift = m->arch.page_shift;
	mm->page_size = m->page_size;
	mm->task_size = m->arch.task_size;
	mm->max_map_count = DEFAULT_MAX_MAP_COUNT;
	mm->stack_guard_gap = (uint64_t)STACK_GUARD_GAP_PAGES << mm->page_shift;
	if (m->arch.id == ARCH_TOY) {
		/* a toy address space is a few hundred pages: one page of guard */
		mm->stack_guard_gap = mm->page_size;
	}
	mm_hook_mm_init(mm);
	kmem_model_alloc(m, KMEM_MM_STRUCT, &mm->kmem);	/* slab.h */
	return mm;
}

/* exit_mmap: every VMA goes, then the page tables. */
static void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap, *next;

	for (; vma != NULL; vma = vma->vm_next)
		mm_hook_zap_range(mm, vma, vma->vm_start, vma->vm_end);
	mm_hook_free_pgtables(mm, 0, mm->task_size);
	vma = mm->mmap;
	while (vma != NULL) {
		next = vma->vm_next;
		vm_stat_account(mm, vma->vm_flags, -(long)vma_pages(vma));
		vma_free(vma);
		vma = next;
	}
	mm->mmap = NULL;
	mm->mm_rb = RB_ROOT;
	mm->map_count = 0;
	mm->highest_vm_end = 0;
	vmacache_invalidate(mm);
}

void mmput(struct mm_struct *mm)
{
	if (mm == NULL)
		return;
	exit_mmap(mm);
	mm_hook_mm_free(mm);
	kmem_model_free(mm->machine, KMEM_MM_STRUCT, &mm->kmem);
	vm_file_put(mm->exe_file);
	free(mm);
}

/* ------------------------------------------------------------ free ranges */

struct unmapped_area_info {
	uint64_t	 length;
	uint64_t	 low_limit, high_limit;
	uint64_t	 align_mask, align_offset;
};

/*
 * The bounds both searches share: length with room for the worst
 * alignment (so any gap this long will do), the highest address a gap may
 * start at, and the lowest it may end at. -ENOMEM when nothing can fit.
 */
static int unmapped_area_limits(const struct unmapped_area_info *info,
    uint64_t *length, uint64_t *low_limit, uint64_t *high_limit)
{
	*length = info->length + info->align_mask;
	if (*length < info->length || info->high_limit < *length)
		return -ENOMEM;
	*high_limit = info->high_limit - *length;
	if (info->low_limit > *high_limit)
		return -ENOMEM;
	*low_limit = info->low_limit + *length;
	return 0;
}

/*
 * The highest free range of info->length bytes inside [low_limit,
 * high_limit): descend the tree preferring right (higher) subtrees whose
 * rb_subtree_gap can hold the length, and climb back only past subtrees
 * that cannot. Each step goes down or up one level: O(log n).
 */
static int64_t unmapped_area_topdown(struct mm_struct *mm,
    const struct unmapped_area_info *info)
{
	struct vm_area_struct *vma, *child;
	uint64_t length, low_limit, high_limit, gap_start, gap_end;

	if (unmapped_area_limits(info, &length, &low_limit, &high_limit) != 0)
		return -ENOMEM;

	/* the range above the last VMA is not in any node: try it first */
	gap_start = mm->highest_vm_end;
	if (gap_start <= high_limit) {
		gap_end = info->high_limit;
		goto found;
	}
	if (mm->mm_rb.rb_node == NULL)
		return -ENOMEM;
	vma = rb_entry(mm->mm_rb.rb_node, struct vm_area_struct, vm_rb);
	if (vma->rb_subtree_gap < length)
		return -ENOMEM;

	for (;;) {
		gap_start = vma->vm_prev != NULL ? vm_end_gap(vma->vm_prev) : 0;
		if (gap_start <= high_limit && vma->vm_rb.rb_right != NULL) {
			child = rb_entry(vma->vm_rb.rb_right,
			    struct vm_area_struct, vm_rb);
			if (child->rb_subtree_gap >= length) {
				vma = child;
				continue;
			}
		}
check_this_gap:
		/* the gap just below vma */
		gap_end = vm_start_gap(vma);
		if (gap_end < low_limit)
			return -ENOMEM;	/* everything left is lower still */
		if (gap_start <= high_limit && gap_end > gap_start &&
		    gap_end - gap_start >= length)
			break;
		if (vma->vm_rb.rb_left != NULL) {
			child = rb_entry(vma->vm_rb.rb_left,
			    struct vm_area_struct, vm_rb);
			if (child->rb_subtree_gap >= length) {
				vma = child;
				continue;
			}
		}
		/* nothing here: climb until we leave a right subtree */
		for (;;) {
			struct rb_node *from = &vma->vm_rb;
			struct rb_node *up = rb_parent(from);

			if (up == NULL)
				return -ENOMEM;
			vma = rb_entry(up, struct vm_area_struct, vm_rb);
			if (from == up->rb_right) {
				gap_start = vma->vm_prev != NULL ?
				    vm_end_gap(vma->vm_prev) : 0;
				goto check_this_gap;
			}
		}
	}
	if (gap_end > info->high_limit)
		gap_end = info->high_limit;
found:
	/* the top of the gap, moved down to the alignment asked for */
	gap_end -= info->length;
	gap_end -= (gap_end - info->align_offset) & info->align_mask;
	return (int64_t)gap_end;
}

/*
 * The lowest free range of info->length bytes inside [low_limit,
 * high_limit): the mirror image of unmapped_area_topdown, for the
 * kernel's fallback when the top-down area is full.
 */
static int64_t unmapped_area(struct mm_struct *mm,
    const struct unmapped_area_info *info)
{
	struct vm_area_struct *vma, *child;
	uint64_t length, low_limit, high_limit, gap_start, gap_end;

	if (unmapped_area_limits(info, &length, &low_limit, &high_limit) != 0)
		return -ENOMEM;

	if (mm->mm_rb.rb_node == NULL)
		goto check_highest;
	vma = rb_entry(mm->mm_rb.rb_node, struct vm_area_struct, vm_rb);
	if (vma->rb_subtree_gap < length)
		goto check_highest;

	for (;;) {
		gap_end = vm_start_gap(vma);
		if (gap_end >= low_limit && vma->vm_rb.rb_left != NULL) {
			child = rb_entry(vma->vm_rb.rb_left,
			    struct vm_area_struct, vm_rb);
			if (child->rb_subtree_gap >= length) {
				vma = child;
				continue;
			}
		}
		gap_start = vma->vm_prev != NULL ? vm_end_gap(vma->vm_prev) : 0;
check_this_gap:
		if (gap_start > high_limit)
			return -ENOMEM;
		if (gap_end >= low_limit && gap_end > gap_start &&
		    gap_end - gap_start >= length)
			goto found;
		if (vma->vm_rb.rb_right != NULL) {
			child = rb_entry(vma->vm_rb.rb_right,
			    struct vm_area_struct, vm_rb);
			if (child->rb_subtree_gap >= length) {
				vma = child;
				continue;
			}
		}
		for (;;) {
			struct rb_node *from = &vma->vm_rb;
			struct rb_node *up = rb_parent(from);

			if (up == NULL)
				goto check_highest;
			vma = rb_entry(up, struct vm_area_struct, vm_rb);
			if (from == up->rb_left) {
				gap_start = vm_end_gap(vma->vm_prev);
				gap_end = vm_start_gap(vma);
				goto check_this_gap;
			}
		}
	}
check_highest:
	gap_start = mm->highest_vm_end;
	if (gap_start > high_limit)
		return -ENOMEM;
found:
	if (gap_start < info->low_limit)
		gap_start = info->low_limit;
	gap_start += (info->align_offset - gap_start) & info->align_mask;
	return (int64_t)gap_start;
}

int64_t get_unmapped_area(struct mm_struct *mm, struct vm_file *file,
    uint64_t addr, uint64_t len, uint64_t pgoff, int flags)
{
	struct unmapped_area_info info;
	struct vm_area_struct *vma, *prev;
	uint64_t align = 0;
	int64_t ret;

	(void)file;
	(void)pgoff;
	if (len > mm->task_size)
		return -ENOMEM;
	if (flags & MAP_HUGETLB)
		align = HPAGE_PMD_SIZE - 1;
	if (flags & MAP_FIXED) {
		if (addr > mm->task_size - len)
			return -ENOMEM;
		if (offset_in_page(mm, addr) || (addr & align))
			return -EINVAL;
		return (int64_t)addr;
	}
	if (addr != 0) {
		/* a hint: taken when the whole range is free */
		addr = page_align(mm, addr);
		if (align)
			addr = ALIGN_UP(addr, align + 1);
		vma = find_vma_prev(mm, addr, &prev);
		if (addr != 0 && mm->task_size - len >= addr &&
		    addr >= mm->mmap_min_addr &&
		    (vma == NULL || addr + len <= vm_start_gap(vma)) &&
		    (prev == NULL || addr >= vm_end_gap(prev))) {
			mm_emit(mm, EV_UNMAPPED_AREA, addr, len, 0,
			    "the hint address is free", NULL);
			return (int64_t)addr;
		}
	}
	memset(&info, 0, sizeof(info));
	info.length = len;
	info.low_limit = max_t(uint64_t, mm->page_size, mm->mmap_min_addr);
	info.high_limit = mm->mmap_base;
	info.align_mask = align;
	ret = unmapped_area_topdown(mm, &info);
	if (ret >= 0) {
		mm_emit(mm, EV_UNMAPPED_AREA, (uint64_t)ret, len, 0,
		    "top-down below mmap_base", NULL);
		return ret;
	}
	/*
	 * The kernel's fallback: a bottom-up search from TASK_UNMAPPED_BASE
	 * (a third of the address space) to the top.
	 */
	info.low_limit = ALIGN_UP(mm->task_size / 3, mm->page_size);
	info.high_limit = mm->task_size;
	ret = unmapped_area(mm, &info);
	if (ret >= 0)
		mm_emit(mm, EV_UNMAPPED_AREA, (uint64_t)ret, len, 0,
		    "bottom-up fallback", NULL);
	return ret;
}

/* ------------------------------------------------------------ merge */

static bool is_mergeable_vma(const struct vm_area_struct *vma,
    unsigned long vm_flags, const struct vm_file *file)
{
	/* soft-dirty tracking never stops a merge */
	if ((vma->vm_flags ^ vm_flags) & ~VM_SOFTDIRTY)
		return false;
	if (vma->vm_file != file)
		return false;
	if (vma->vm_name != NULL)
		return false;
	return true;
}

/* Can [.., vma->vm_start) with pgoff end_pgoff just before vma join it? */
static bool can_vma_merge_before(const struct vm_area_struct *vma,
    unsigned long vm_flags, const struct anon_vma *anon_vma,
    const struct vm_file *file, uint64_t end_pgoff)
{
	return is_mergeable_vma(vma, vm_flags, file) &&
	    is_mergeable_anon_vma(anon_vma, vma->anon_vma) &&
	    vma->vm_pgoff == end_pgoff;
}

/* Can a range starting at vma->vm_end with pgoff pgoff extend vma? */
static bool can_vma_merge_after(const struct vm_area_struct *vma,
    unsigned long vm_flags, const struct anon_vma *anon_vma,
    const struct vm_file *file, uint64_t pgoff)
{
	return is_mergeable_vma(vma, vm_flags, file) &&
	    is_mergeable_anon_vma(anon_vma, vma->anon_vma) &&
	    vma->vm_pgoff + vma_pages(vma) == pgoff;
}

/* The survivor of a merge takes over the anonymous memory of the others. */
static void absorb_anon_vma(struct vm_area_struct *into,
    const struct vm_area_struct *from)
{
	if (into->anon_vma == NULL && from->anon_vma != NULL)
		anon_vma_link(into, from->anon_vma);
}

/*
 * The range being merged may bring pages of its own: mremap moves the
 * page tables of a VMA with anon_vma av into the survivor (copy_vma).
 * A survivor without an anon_vma must take av (Linux: dup_anon_vma when
 * vma_expand absorbs), or av dies with the old VMA while its pages are
 * still mapped and rmap follows a freed pointer.
 */
static void absorb_range_anon_vma(struct vm_area_struct *into,
    struct anon_vma *av)
{
	if (into->anon_vma == NULL && av != NULL)
		anon_vma_link(into, av);
}

static void merge_remove(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unlink(mm, vma);
	vma_free(vma);
}

/*
 * The layouts vma_merge meets. [addr, end) is the range "new" whose
 * flags are vm_flags; P is prev, N the VMA after the range, V a VMA the
 * range lies in (mprotect, madvise):
 *
 *   a hole (mmap, brk, mremap):   PPPP....NNNN   -> PPPPPPPPNNNN (P grows)
 *                                     new          PPPPNNNNNNNN (N grows)
 *                                                  PPPPPPPPPPPP (one VMA)
 *   all of V:                     PPPPVVVVNNNN   -> the same three, V gone
 *                                     new
 *   the head of V:                PPPPVVVVVVVV   -> PPPPPPPPVVVV (P grows)
 *                                     new
 *   the tail of V (prev = V):     VVVVVVVVNNNN   -> VVVVNNNNNNNN (N grows)
 *                                         new
 *
 * The pieces the range does not cover keep their own flags; callers
 * split what cannot merge. Anonymous VMAs merge when their pgoffs (the
 * page numbers of their addresses) line up; file VMAs when they map the
 * same file at contiguous offsets.
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm,
    struct vm_area_struct *prev, uint64_t addr, uint64_t end,
    unsigned long vm_flags, struct anon_vma *anon_vma, struct vm_file *file,
    uint64_t pgoff)
{
	uint64_t pglen = (end - addr) >> PAGE_SHIFT(mm);
	struct vm_area_struct *area, *next, *covered = NULL;
	bool merge_prev, merge_next;

	if (vm_flags & VM_SPECIAL)
		return NULL;
	area = prev != NULL ? prev->vm_next : mm->mmap;
	next = area;
	if (area != NULL && area->vm_end == end) {
		/* the range is all of area: look at the one after it */
		covered = area;
		next = area->vm_next;
	}

	merge_prev = prev != NULL && prev->vm_end == addr &&
	    can_vma_merge_after(prev, vm_flags, anon_vma, file, pgoff);
	merge_next = next != NULL && next->vm_start == end &&
	    can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen);
	if (merge_prev && merge_next &&
	    !is_mergeable_anon_vma(prev->anon_vma, next->anon_vma))
		merge_next = false;	/* two anon_vmas cannot become one */

	if (merge_prev) {
		uint64_t new_end = merge_next ? next->vm_end : end;
		/* the range is the head of area: area keeps the rest */
		bool head_of_area = covered == NULL && area != NULL &&
		    area->vm_start < end;

		if (covered != NULL) {
			absorb_anon_vma(prev, covered);
			merge_remove(mm, covered);
		}
		if (merge_next) {
			absorb_anon_vma(prev, next);
			merge_remove(mm, next);
		}
		if (head_of_area) {
			/* its pages move to prev: prev must find them (rmap) */
			absorb_anon_vma(prev, area);
			vma_set_range(mm, area, end, area->vm_end,
			    area->vm_pgoff + pglen);
		}
		/* the range's own pages (mremap's copy_vma) come along */
		absorb_range_anon_vma(prev, anon_vma);
		vma_set_range(mm, prev, prev->vm_start, new_end, prev->vm_pgoff);
		mm_emit(mm, EV_VMA_MERGE, prev->vm_start, prev->vm_end, 0,
		    merge_next ? "the VMAs before and after became one" :
		    "the VMA before grew", NULL);
		return prev;
	}
	if (merge_next) {
		if (prev != NULL && prev->vm_end > addr) {
			/* the tail of prev joins next, with its pages */
			absorb_anon_vma(next, prev);
			vma_set_range(mm, prev, prev->vm_start, addr,
			    prev->vm_pgoff);
		}
		if (covered != NULL) {
			absorb_anon_vma(next, covered);
			merge_remove(mm, covered);
		}
		absorb_range_anon_vma(next, anon_vma);
		vma_set_range(mm, next, addr, next->vm_end, pgoff);
		mm_emit(mm, EV_VMA_MERGE, next->vm_start, next->vm_end, 0,
		    "the VMA after grew down", NULL);
		return next;
	}
	return NULL;
}

/* ------------------------------------------------------------ split */

/*
 * Cut vma in two at addr. The new VMA is a copy of vma with its own
 * bounds; pgoff of the upper part advances by the pages below the cut:
 *
 *   new_below = 0:  VVVVVVVV  ->  VVVV|NNNN   (N: pgoff + 4)
 *   new_below = 1:  VVVVVVVV  ->  NNNN|VVVV   (V: pgoff + 4)
 */
static int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t addr, int new_below)
{
	struct vm_area_struct *new;
	uint64_t delta = (addr - vma->vm_start) >> PAGE_SHIFT(mm);
	uint64_t old_start = vma->vm_start, old_end = vma->vm_end;

	if ((vma->vm_flags & VM_HUGETLB) && (addr & (HPAGE_PMD_SIZE - 1)))
		return -EINVAL;
	new = vma_dup(mm, vma);
	new->vm_file = vm_file_get(vma->vm_file);
	new->anon_vma = NULL;
	anon_vma_link(new, vma->anon_vma);
	if (new_below) {
		new->vm_end = addr;
		vma_set_range(mm, vma, addr, vma->vm_end,
		    vma->vm_pgoff + delta);
	} else {
		new->vm_start = addr;
		new->vm_pgoff = vma->vm_pgoff + delta;
		vma_set_range(mm, vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	vma_link(mm, new);
	mm_emit(mm, EV_VMA_SPLIT, old_start, old_end, addr, NULL, NULL);
	return 0;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
    int new_below)
{
	if (addr <= vma->vm_start || addr >= vma->vm_end ||
	    offset_in_page(mm, addr))
		return -EINVAL;
	if (mm->map_count >= mm->max_map_count)
		return -ENOMEM;
	return __split_vma(mm, vma, addr, new_below);
}

/* ------------------------------------------------------------ munmap */

/* The unmap itself: [start, end) is page aligned and not empty. */
static int __do_munmap(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *vma, *prev, *last, *next;
	int err;

	vma = find_vma(mm, start);
	if (vma == NULL || vma->vm_start >= end)
		return 0;
	prev = vma->vm_prev;

	if (start > vma->vm_start) {
		/*
		 * Unmapping the middle of a VMA leaves two: one more VMA
		 * than before, which max_map_count must allow.
		 */
		if (end < vma->vm_end && mm->map_count >= mm->max_map_count)
			return -ENOMEM;
		err = __split_vma(mm, vma, start, 0);
		if (err)
			return err;
		prev = vma;
		vma = vma->vm_next;	/* the upper part, where the range starts */
	}
	/*
	 * The VMA holding end, split there. A range inside one VMA (most
	 * munmaps) needs no second walk of the tree for it.
	 */
	last = end <= vma->vm_end ? vma : find_vma(mm, end);
	if (last != NULL && end > last->vm_start && end < last->vm_end) {
		err = __split_vma(mm, last, end, 1);
		if (err)
			return err;
	}

	/* everything from vma up to end is now whole VMAs: detach them */
	vma = prev != NULL ? prev->vm_next : mm->mmap;
	while (vma != NULL && vma->vm_start < end) {
		next = vma->vm_next;
		mm_hook_zap_range(mm, vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		remove_vma(mm, vma);
		vma = next;
	}
	/* page tables between the neighbours that remain */
	mm_hook_free_pgtables(mm, prev != NULL ? prev->vm_end : 0,
	    vma != NULL ? vma->vm_start : mm->task_size);
	return 0;
}

int do_munmap(struct mm_struct *mm, uint64_t start, uint64_t len)
{
	uint64_t end;

	if (offset_in_page(mm, start) || start > mm->task_size ||
	    len > mm->task_size - start)
		return -EINVAL;
	len = page_align(mm, len);
	if (len == 0)
		return -EINVAL;
	end = start + len;
	return __do_munmap(mm, start, end);
}

/* ------------------------------------------------------------ mmap */

static unsigned long calc_vm_prot_bits(int prot)
{
	unsigned long f = 0;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

/* Private writable mappings are charged to the overcommit accounting. */
static bool accountable_mapping(unsigned long vm_flags)
{
	if (vm_flags & VM_HUGETLB)
		return false;
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

static int64_t mmap_region(struct mm_struct *mm, struct vm_file *file,
    uint64_t addr, uint64_t len, unsigned long vm_flags, uint64_t pgoff)
{
	struct vm_area_struct *vma, *prev;
	struct rb_node **rb_link, *rb_parent;
	uint64_t end = addr + len;
	int err;

	/* MAP_FIXED over existing mappings: they go first */
	while (find_vma_links(mm, addr, end, &prev, &rb_link, &rb_parent) != 0) {
		err = __do_munmap(mm, addr, end);
		if (err)
			return err;
	}
	if (accountable_mapping(vm_flags))
		vm_flags |= VM_ACCOUNT;

	vma = vma_merge(mm, prev, addr, end, vm_flags, NULL, file, pgoff);
	if (vma == NULL) {
		/* no merge changed the tree: the links found above still hold */
		vma = vma_alloc(mm);
		vma->vm_start = addr;
		vma->vm_end = end;
		vma->vm_flags = vm_flags;
		vma->vm_pgoff = pgoff;
		vma->vm_file = vm_file_get(file);
		__vma_link(mm, vma, prev, rb_link, rb_parent);
		mm_emit(mm, EV_VMA_MAP, addr, end, 0, vma_perms(vm_flags),
		    vma_what(vma));
	}
	vm_stat_account(mm, vm_flags, (long)(len >> PAGE_SHIFT(mm)));
	return (int64_t)addr;
}

int64_t do_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot,
    int flags, struct vm_file *file, uint64_t pgoff)
{
	unsigned long vm_flags;
	struct vm_file *shm = NULL;
	int64_t ret;

	if (len == 0)
		return -EINVAL;
	if ((flags & (MAP_SHARED | MAP_PRIVATE)) == 0 ||
	    (flags & (MAP_SHARED | MAP_PRIVATE)) == (MAP_SHARED | MAP_PRIVATE))
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED)) {
		/* round_hint_to_min: a hint below mmap_min_addr moves up */
		addr = ALIGN_DOWN(addr, mm->page_size);
		if (addr != 0 && addr < mm->mmap_min_addr)
			addr = page_align(mm, mm->mmap_min_addr);
	}
	len = page_align(mm, len);
	if (len == 0)
		return -ENOMEM;
	if (flags & MAP_HUGETLB) {
		if (file != NULL)
			return -EINVAL;
		if (len > UINT64_MAX - HPAGE_PMD_SIZE)
			return -ENOMEM;
		len = ALIGN_UP(len, HPAGE_PMD_SIZE);
	}
	if (pgoff + (len >> PAGE_SHIFT(mm)) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > mm->max_map_count)
		return -ENOMEM;

	ret = get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (ret < 0)
		return ret;
	addr = (uint64_t)ret;
	if ((flags & MAP_FIXED) && addr < mm->mmap_min_addr)
		return -EPERM;	/* security_mmap_addr */
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    find_vma_intersection(mm, addr, addr + len) != NULL)
		return -EEXIST;

	vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE |
	    VM_MAYEXEC;
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	/* hugetlbfs_file_mmap: never expanded by mremap, never merged */
	if (flags & MAP_HUGETLB)
		vm_flags |= VM_HUGETLB | VM_DONTEXPAND;
	if (file != NULL) {
		if (flags & MAP_SHARED)
			vm_flags |= VM_SHARED | VM_MAYSHARE;
	} else if (flags & MAP_SHARED) {
		/* shared anonymous memory is a shmem file mapped at offset 0 */
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		pgoff = 0;
		shm = shmem_zero_setup(mm->machine, len);
		file = shm;
	} else {
		/* private anonymous: pgoff is the page number of the address */
		pgoff = addr >> PAGE_SHIFT(mm);
	}
	ret = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	vm_file_put(shm);
	if (ret >= 0 && (flags & MAP_HUGETLB)) {
		/*
		 * Linux backs MAP_HUGETLB with an unlinked file of its internal
		 * hugetlbfs mount (hugetlb_file_setup, HUGETLB_ANON_FILE): maps
		 * names it so. vmscope keeps the VMA anonymous and only names
		 * it (doc/simplifications.md).
		 */
		struct vm_area_struct *hv = find_vma(mm, (uint64_t)ret);

		if (hv != NULL && hv->vm_start == (uint64_t)ret)
			hv->vm_name = "/anon_hugepage (deleted)";
	}
	if (ret >= 0 && (flags & MAP_POPULATE))
		mm_hook_populate(mm, addr, addr + len);
	return ret;
}

int64_t vm_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot,
    int flags, struct vm_file *file, uint64_t offset)
{
	if (offset_in_page(mm, offset))
		return -EINVAL;
	if (offset + page_align(mm, len) < offset)
		return -EINVAL;
	return do_mmap(mm, addr, len, prot, flags, file,
	    offset >> PAGE_SHIFT(mm));
}

int map_fixed_vma(struct mm_struct *mm, uint64_t start, uint64_t end,
    unsigned long vm_flags, struct vm_file *file, uint64_t pgoff,
    const char *name)
{
	struct vm_area_struct *vma, *prev;
	struct rb_node **rb_link, *rb_parent;

	if (start >= end || offset_in_page(mm, start) ||
	    offset_in_page(mm, end) || end > mm->task_size)
		return -EINVAL;
	if (find_vma_links(mm, start, end, &prev, &rb_link, &rb_parent) != 0)
		return -EEXIST;
	if (mm->map_count >= mm->max_map_count)
		return -ENOMEM;
	vma = vma_alloc(mm);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = file != NULL ? pgoff : start >> PAGE_SHIFT(mm);
	vma->vm_file = vm_file_get(file);
	vma->vm_name = name;
	__vma_link(mm, vma, prev, rb_link, rb_parent);
	vm_stat_account(mm, vm_flags, (long)((end - start) >> PAGE_SHIFT(mm)));
	mm_emit(mm, EV_VMA_MAP, start, end, 0, vma_perms(vm_flags),
	    vma_what(vma));
	return 0;
}

/* ------------------------------------------------------------ mprotect */

static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
    struct vm_area_struct **pprev, uint64_t start, uint64_t end,
    unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	uint64_t pgoff, npages = (end - start) >> PAGE_SHIFT(mm);
	struct vm_area_struct *merged;
	int err;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	/*
	 * Making a private mapping writable charges it (VM_ACCOUNT). The
	 * charge stays when write permission goes again, so such a VMA no
	 * longer merges with never-writable neighbours, unless it is
	 * anonymous and was never faulted (no anon_vma): then, as since
	 * Linux 6.6, the charge is dropped and it merges again.
	 */
	if (newflags & VM_WRITE) {
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
		    VM_SHARED | VM_NORESERVE)))
			newflags |= VM_ACCOUNT;
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) &&
	    vma->anon_vma == NULL) {
		newflags &= ~VM_ACCOUNT;
	}

	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT(mm));
	merged = vma_merge(mm, *pprev, start, end, newflags, vma->anon_vma,
	    vma->vm_file, pgoff);
	if (merged != NULL) {
		vma = merged;
		*pprev = vma;
		goto success;
	}
	*pprev = vma;
	if (start != vma->vm_start) {
		err = split_vma(mm, vma, start, 1);
		if (err)
			return err;
	}
	if (end != vma->vm_end) {
		err = split_vma(mm, vma, end, 0);
		if (err)
			return err;
	}
success:
	/*
	 * Only [start, end) changed; a merged VMA may be larger but the rest
	 * of it already had newflags.
	 */
	vma->vm_flags = newflags;
	mm_hook_change_protection(mm, vma, start, end, newflags);
	vm_stat_account(mm, oldflags, -(long)npages);
	vm_stat_account(mm, newflags, (long)npages);
	mm_emit(mm, EV_VMA_PROTECT, start, end, 0, vma_perms(newflags), NULL);
	return 0;
}

int do_mprotect(struct mm_struct *mm, uint64_t start, uint64_t len, int prot)
{
	struct vm_area_struct *vma, *prev;
	uint64_t end, nstart, tmp;
	unsigned long newflags;
	int err;

	if (offset_in_page(mm, start))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (len == 0)
		return 0;
	len = page_align(mm, len);
	end = start + len;
	if (len == 0 || end <= start)
		return -ENOMEM;

	vma = find_vma(mm, start);
	if (vma == NULL || vma->vm_start > start)
		return -ENOMEM;
	prev = start > vma->vm_start ? vma : vma->vm_prev;

	/*
	 * VMA by VMA, as Linux does: a hole stops the walk with ENOMEM and
	 * leaves the VMAs before it changed.
	 */
	for (nstart = start;;) {
		newflags = calc_vm_prot_bits(prot) |
		    (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* each new permission needs its VM_MAY* twin */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS)
			return -EACCES;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mprotect_fixup(mm, vma, &prev, nstart, tmp, newflags);
		if (err)
			return err;
		nstart = tmp;
		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			return 0;
		vma = prev->vm_next;
		if (vma == NULL || vma->vm_start != nstart)
			return -ENOMEM;
	}
}

/* ------------------------------------------------------------ brk */

/*
 * Grow the heap by [addr, addr + len): extend the VMA that ends at addr
 * when it is the heap (it starts at or above start_brk) and has the same
 * flags, otherwise map a new one. Like Linux 6.1 and later, the bss below
 * start_brk is never extended, so [heap] stays a line of its own in maps.
 */
static int do_brk_flags(struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	unsigned long flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT;
	struct vm_area_struct *vma, *prev;
	struct rb_node **rb_link, *rb_parent;
	int64_t ret;

	ret = get_unmapped_area(mm, NULL, addr, len, 0, MAP_FIXED);
	if (ret < 0)
		return (int)ret;
	if (find_vma_links(mm, addr, addr + len, &prev, &rb_link, &rb_parent))
		return -ENOMEM;
	if (mm->map_count > mm->max_map_count)
		return -ENOMEM;
	if (prev != NULL && prev->vm_end == addr &&
	    prev->vm_start >= mm->start_brk && prev->vm_flags == flags &&
	    prev->vm_file == NULL && prev->vm_name == NULL) {
		vma_set_range(mm, prev, prev->vm_start, addr + len,
		    prev->vm_pgoff);
		vma = prev;
	} else {
		vma = vma_alloc(mm);
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_flags = flags;
		vma->vm_pgoff = addr >> PAGE_SHIFT(mm);
		__vma_link(mm, vma, prev, rb_link, rb_parent);
		mm_emit(mm, EV_VMA_MAP, addr, addr + len, 0, vma_perms(flags),
		    "[heap]");
	}
	vm_stat_account(mm, flags, (long)(len >> PAGE_SHIFT(mm)));
	return 0;
}

uint64_t do_brk(struct mm_struct *mm, uint64_t brk)
{
	uint64_t origbrk = mm->brk, newbrk, oldbrk;
	struct vm_area_struct *next;

	if (brk < mm->start_brk || brk > mm->task_size)
		goto out;
	newbrk = page_align(mm, brk);
	oldbrk = page_align(mm, mm->brk);
	if (newbrk == 0 && brk != 0)
		goto out;
	if (oldbrk == newbrk) {
		mm->brk = brk;
		goto success;
	}
	if (brk <= mm->brk) {
		/* shrinking: unmap the pages above the new break */
		mm->brk = brk;
		if (__do_munmap(mm, newbrk, oldbrk) != 0) {
			mm->brk = origbrk;
			goto out;
		}
		goto success;
	}
	/* keep a page (and the stack's guard gap) free above the heap */
	next = find_vma(mm, oldbrk);
	if (next != NULL && newbrk + mm->page_size > vm_start_gap(next))
		goto out;
	if (do_brk_flags(mm, oldbrk, newbrk - oldbrk) != 0)
		goto out;
	mm->brk = brk;
success:
	mm_emit(mm, EV_BRK, 0, origbrk, mm->brk,
	    mm->brk >= origbrk ? "grown" : "shrunk", NULL);
	return mm->brk;
out:
	mm_emit(mm, EV_BRK, 0, origbrk, brk, "refused, break unchanged", NULL);
	return mm->brk;
}

/* ------------------------------------------------------------ mremap */

/*
 * Place a copy of [addr, addr + len) of vma at new_addr (copy_vma):
 * merged with a neighbour there when it can be.
 */
static struct vm_area_struct *copy_vma(struct mm_struct *mm,
    struct vm_area_struct *vma, uint64_t addr, uint64_t new_addr,
    uint64_t len)
{
	uint64_t pgoff = vma->vm_pgoff +
	    ((addr - vma->vm_start) >> PAGE_SHIFT(mm));
	struct vm_area_struct *new, *prev;
	struct rb_node **rb_link, *rb_parent;

	/* an anonymous VMA keeps its pgoff when it moves, as in Linux */
	if (find_vma_links(mm, new_addr, new_addr + len, &prev, &rb_link,
	    &rb_parent) != 0)
		return NULL;
	new = vma_merge(mm, prev, new_addr, new_addr + len, vma->vm_flags,
	    vma->anon_vma, vma->vm_file, pgoff);
	if (new != NULL)
		return new;
	new = vma_dup(mm, vma);
	new->vm_start = new_addr;
	new->vm_end = new_addr + len;
	new->vm_pgoff = pgoff;
	new->vm_file = vm_file_get(vma->vm_file);
	new->anon_vma = NULL;
	anon_vma_link(new, vma->anon_vma);
	vma_link(mm, new);
	return new;
}

static int64_t move_vma(struct mm_struct *mm, struct vm_area_struct *vma,
    uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint64_t new_addr)
{
	struct vm_area_struct *new_vma;
	unsigned long flags = vma->vm_flags;
	int err;

	/* a move may split the old VMA twice and add one */
	if (mm->map_count >= mm->max_map_count - 3)
		return -ENOMEM;
	new_vma = copy_vma(mm, vma, old_addr, new_addr, new_len);
	if (new_vma == NULL)
		return -ENOMEM;
	mm_hook_move_page_tables(mm, vma, old_addr, new_vma, new_addr,
	    old_len < new_len ? old_len : new_len);
	vm_stat_account(mm, flags, (long)(new_len >> PAGE_SHIFT(mm)));
	err = __do_munmap(mm, old_addr, old_addr + old_len);
	if (err)
		return err;
	mm_emit(mm, EV_VMA_MOVE, old_addr, new_addr, new_len, NULL, NULL);
	return (int64_t)new_addr;
}

int64_t do_mremap(struct mm_struct *mm, uint64_t addr, uint64_t old_len,
    uint64_t new_len, int flags)
{
	struct vm_area_struct *vma;
	int64_t new_addr;
	int err;

	if (flags & ~MREMAP_MAYMOVE)
		return -EINVAL;
	if (offset_in_page(mm, addr))
		return -EINVAL;
	old_len = page_align(mm, old_len);
	new_len = page_align(mm, new_len);
	if (new_len == 0)
		return -EINVAL;
	if (old_len == 0)
		return -EINVAL;	/* duplicating shared mappings is not modelled */
	if (addr > mm->task_size || old_len > mm->task_size - addr)
		return -EINVAL;

	/* shrinking always works in place: unmap the tail */
	if (old_len >= new_len) {
		if (old_len > new_len) {
			err = __do_munmap(mm, addr + new_len, addr + old_len);
			if (err)
				return err;
		}
		return (int64_t)addr;
	}

	/* vma_to_resize: the old range must lie in one VMA */
	vma = find_vma(mm, addr);
	if (vma == NULL || vma->vm_start > addr)
		return -EFAULT;
	if (old_len > vma->vm_end - addr)
		return -EFAULT;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;

	/* grow in place when the range ends the VMA and room follows it */
	if (old_len == vma->vm_end - addr) {
		uint64_t delta = new_len - old_len;
		uint64_t end = vma->vm_end + delta;

		if (end > vma->vm_end && end <= mm->task_size &&
		    (vma->vm_next == NULL || vma->vm_next->vm_start >= end)) {
			vma_set_range(mm, vma, vma->vm_start, end,
			    vma->vm_pgoff);
			vm_stat_account(mm, vma->vm_flags,
			    (long)(delta >> PAGE_SHIFT(mm)));
			mm_emit(mm, EV_VMA_MERGE, vma->vm_start, vma->vm_end, 0,
			    "grown in place by mremap", NULL);
			return (int64_t)addr;
		}
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = get_unmapped_area(mm, vma->vm_file, 0, new_len,
	    vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT(mm)),
	    (vma->vm_flags & VM_SHARED) ? MAP_SHARED : 0);
	if (new_addr < 0)
		return new_addr;
	return move_vma(mm, vma, addr, old_len, new_len, (uint64_t)new_addr);
}

/* ------------------------------------------------------------ madvise */

/* Change the flags of [start, end) of vma: merge, else split (as mprotect). */
static int madvise_update_vma(struct mm_struct *mm, struct vm_area_struct *vma,
    struct vm_area_struct **pprev, uint64_t start, uint64_t end,
    unsigned long newflags)
{
	struct vm_area_struct *merged;
	uint64_t pgoff;
	int err;

	if (newflags == vma->vm_flags) {
		*pprev = vma;
		return 0;
	}
	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT(mm));
	merged = vma_merge(mm, *pprev, start, end, newflags, vma->anon_vma,
	    vma->vm_file, pgoff);
	if (merged != NULL) {
		*pprev = merged;
		merged->vm_flags = newflags;
		return 0;
	}
	*pprev = vma;
	if (start != vma->vm_start) {
		err = split_vma(mm, vma, start, 1);
		if (err)
			return err;
	}
	if (end != vma->vm_end) {
		err = split_vma(mm, vma, end, 0);
		if (err)
			return err;
	}
	vma->vm_flags = newflags;
	return 0;
}

static int madvise_vma(struct mm_struct *mm, struct vm_area_struct *vma,
    struct vm_area_struct **pprev, uint64_t start, uint64_t end, int advice)
{
	unsigned long newflags = vma->vm_flags;
	const char *what = NULL;
	int err;

	switch (advice) {
	case MADV_DONTNEED:
		if (vma->vm_flags & (VM_LOCKED | VM_HUGETLB | VM_PFNMAP))
			return -EINVAL;
		mm_hook_zap_range(mm, vma, start, end);
		*pprev = vma;
		what = "MADV_DONTNEED: pages dropped";
		break;
	case MADV_PAGEOUT:
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		mm_hook_pageout(mm, vma, start, end);
		*pprev = vma;
		what = "MADV_PAGEOUT: pages reclaimed";
		break;
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		if (advice == MADV_HUGEPAGE) {
			newflags &= ~VM_NOHUGEPAGE;
			newflags |= VM_HUGEPAGE;
			what = "MADV_HUGEPAGE: THP allowed";
		} else {
			newflags &= ~VM_HUGEPAGE;
			newflags |= VM_NOHUGEPAGE;
			what = "MADV_NOHUGEPAGE: THP off";
		}
		/* hugetlb and special mappings ignore it */
		if (vma->vm_flags & (VM_HUGETLB | VM_SPECIAL)) {
			*pprev = vma;
			break;
		}
		err = madvise_update_vma(mm, vma, pprev, start, end, newflags);
		if (err)
			return err;
		break;
	default:
		return -EINVAL;
	}
	mm_emit(mm, EV_VMA_ADVISE, start, end, 0, what, NULL);
	return 0;
}

int do_madvise(struct mm_struct *mm, uint64_t start, uint64_t len_in,
    int advice)
{
	struct vm_area_struct *vma, *prev;
	uint64_t len, end, tmp;
	int unmapped_error = 0, err;

	if (advice != MADV_DONTNEED && advice != MADV_PAGEOUT &&
	    advice != MADV_HUGEPAGE && advice != MADV_NOHUGEPAGE)
		return -EINVAL;
	if (offset_in_page(mm, start))
		return -EINVAL;
	len = page_align(mm, len_in);
	if (len_in != 0 && len == 0)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	/*
	 * Walk the VMAs of the range; a hole is remembered as ENOMEM but
	 * the VMAs after it are still advised, as Linux does.
	 */
	vma = find_vma_prev(mm, start, &prev);
	if (vma != NULL && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (vma == NULL)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		err = madvise_vma(mm, vma, &prev, start, tmp, advice);
		if (err)
			return err;
		start = tmp;
		if (prev != NULL && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = prev != NULL ? prev->vm_next : find_vma(mm, start);
	}
	return unmapped_error;
}

/* ------------------------------------------------------------ stack */

/*
 * expand_downwards (mm/mmap.c): the fault handler found addr just below a
 * VM_GROWSDOWN VMA. Grow it down to addr's page if the stack rlimit
 * (8 MiB, ulimit -s 8192) allows the new size and the stack guard gap to
 * the VMA below stays free. The pages below keep their linear index, so
 * vm_pgoff moves down with vm_start.
 */
int expand_downwards(struct vm_area_struct *vma, uint64_t address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma->vm_prev;
	uint64_t start = address & ~(mm->page_size - 1), grow;

	if (!(vma->vm_flags & VM_GROWSDOWN) || start >= vma->vm_start)
		return -EFAULT;
	if (start < mm->mmap_min_addr)
		return -EPERM;
	if (vma->vm_end - start > STACK_RLIMIT_BYTES)
		return -ENOMEM;
	if (prev != NULL && !(prev->vm_flags & VM_GROWSDOWN) &&
	    (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    prev->vm_end + mm->stack_guard_gap > start)
		return -ENOMEM;
	if (prev != NULL && prev->vm_end > start)
		return -ENOMEM;
	grow = (vma->vm_start - start) >> PAGE_SHIFT(mm);
	vma_set_range(mm, vma, start, vma->vm_end, vma->vm_pgoff - grow);
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	return 0;
}

/* ------------------------------------------------------------ fork */

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *old, *new;
	int err;

	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->mmap_base = oldmm->mmap_base;
	mm->mmap_min_addr = oldmm->mmap_min_addr;
	mm->hiwater_vm = oldmm->hiwater_vm;
	mm->exe_file = vm_file_get(oldmm->exe_file);

	for (old = oldmm->mmap; old != NULL; old = old->vm_next) {
		if (old->vm_flags & VM_DONTCOPY)
			continue;
		new = vma_dup(mm, old);
		new->vm_file = vm_file_get(old->vm_file);
		new->anon_vma = NULL;
		if (old->anon_vma != NULL && !(old->vm_flags & VM_WIPEONFORK)) {
			/*
			 * anon_vma_fork: the child's VMA gets an anon_vma of
			 * its own that also sees the parent's pages.
			 */
			anon_vma_fork(new, old);
		}
		/* appending in address order keeps list and tree sorted */
		vma_link(mm, new);
		vm_stat_account(mm, new->vm_flags, (long)vma_pages(new));
		if (!(old->vm_flags & VM_WIPEONFORK)) {
			err = mm_hook_copy_page_range(mm, new, oldmm, old);
			if (err)
				return err;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ checker */

static int vma_cmp(const struct rb_node *a, const struct rb_node *b)
{
	const struct vm_area_struct *va = rb_entry(a, struct vm_area_struct,
	    vm_rb);
	const struct vm_area_struct *vb = rb_entry(b, struct vm_area_struct,
	    vm_rb);

	return va->vm_start < vb->vm_start ? -1 : va->vm_start > vb->vm_start;
}

int validate_mm(struct mm_struct *mm, char *why, size_t whylen)
{
	struct vm_area_struct *vma, *prev = NULL;
	struct rb_node *node;
	unsigned long total = 0, data = 0, exec = 0, stack = 0;
	uint64_t highest = 0;
	long n;
	int count = 0;
	/* the vmacache slots seen on the list (never dereferenced before) */
	bool cache_live = mm->vmacache.seqnum == mm->vmacache_seqnum;
	bool cached_found[VMACACHE_SIZE] = { false };

	for (vma = mm->mmap; vma != NULL; vma = vma->vm_next) {
		for (unsigned int i = 0; cache_live && i < VMACACHE_SIZE; i++) {
			if (mm->vmacache.vmas[i] == vma &&
			    mm->vmacache.start[i] == vma->vm_start &&
			    mm->vmacache.end[i] == vma->vm_end)
				cached_found[i] = true;
		}
		if (vma->vm_prev != prev)
			return why_printf(why, whylen, "VMA %#llx: vm_prev is wrong",
			    (unsigned long long)vma->vm_start);
		if (vma->vm_mm != mm)
			return why_printf(why, whylen, "VMA %#llx: vm_mm is wrong",
			    (unsigned long long)vma->vm_start);
		if (vma->vm_start >= vma->vm_end)
			return why_printf(why, whylen, "VMA %#llx-%#llx is empty or "
			    "reversed", (unsigned long long)vma->vm_start,
			    (unsigned long long)vma->vm_end);
		if (offset_in_page(mm, vma->vm_start) ||
		    offset_in_page(mm, vma->vm_end))
			return why_printf(why, whylen, "VMA %#llx-%#llx is not page "
			    "aligned", (unsigned long long)vma->vm_start,
			    (unsigned long long)vma->vm_end);
		if (vma->vm_end > mm->task_size)
			return why_printf(why, whylen, "VMA %#llx-%#llx ends past "
			    "TASK_SIZE", (unsigned long long)vma->vm_start,
			    (unsigned long long)vma->vm_end);
		if (prev != NULL && prev->vm_end > vma->vm_start)
			return why_printf(why, whylen, "VMA %#llx-%#llx overlaps or "
			    "is before %#llx-%#llx",
			    (unsigned long long)vma->vm_start,
			    (unsigned long long)vma->vm_end,
			    (unsigned long long)prev->vm_start,
			    (unsigned long long)prev->vm_end);
		if (vma->rb_subtree_gap != vma_compute_subtree_gap(vma))
			return why_printf(why, whylen, "VMA %#llx: rb_subtree_gap "
			    "%#llx, should be %#llx",
			    (unsigned long long)vma->vm_start,
			    (unsigned long long)vma->rb_subtree_gap,
			    (unsigned long long)vma_compute_subtree_gap(vma));
		if (vma->anon_vma != NULL && vma->anon_vma->refcount <= 0)
			return why_printf(why, whylen, "VMA %#llx: anon_vma refcount "
			    "%d", (unsigned long long)vma->vm_start,
			    vma->anon_vma->refcount);
		if (vma->vm_file != NULL && vma->vm_file->refcount <= 0)
			return why_printf(why, whylen, "VMA %#llx: file refcount %d",
			    (unsigned long long)vma->vm_start,
			    vma->vm_file->refcount);
		total += vma_pages(vma);
		if (is_exec_mapping(vma->vm_flags))
			exec += vma_pages(vma);
		else if (is_stack_mapping(vma->vm_flags))
			stack += vma_pages(vma);
		else if (is_data_mapping(vma->vm_flags))
			data += vma_pages(vma);
		highest = vm_end_gap(vma);
		prev = vma;
		count++;
	}
	if (count != mm->map_count)
		return why_printf(why, whylen, "map_count %d but %d VMAs on the list",
		    mm->map_count, count);
	/*
	 * A valid vmacache holds only VMAs of this mm (no freed one) with
	 * their current bounds; an empty slot matches no address.
	 */
	for (unsigned int i = 0; cache_live && i < VMACACHE_SIZE; i++) {
		if (mm->vmacache.vmas[i] != NULL ? !cached_found[i] :
		    mm->vmacache.start[i] < mm->vmacache.end[i])
			return why_printf(why, whylen, "vmacache slot %u holds "
			    "%#llx-%#llx, not a VMA of the mm with these bounds "
			    "(seqnum %llu)", i,
			    (unsigned long long)mm->vmacache.start[i],
			    (unsigned long long)mm->vmacache.end[i],
			    (unsigned long long)mm->vmacache_seqnum);
	}
	if (highest != mm->highest_vm_end)
		return why_printf(why, whylen, "highest_vm_end %#llx, should be %#llx",
		    (unsigned long long)mm->highest_vm_end,
		    (unsigned long long)highest);

	n = rb_verify(&mm->mm_rb, vma_cmp, why, whylen);
	if (n < 0)
		return -1;
	if (n != count)
		return why_printf(why, whylen, "%ld VMAs in the tree, %d on the list",
		    n, count);
	/* the in-order walk of the tree is the list */
	vma = mm->mmap;
	for (node = rb_first(&mm->mm_rb); node != NULL; node = rb_next(node)) {
		if (rb_entry(node, struct vm_area_struct, vm_rb) != vma)
			return why_printf(why, whylen, "tree and list disagree at "
			    "%#llx", vma != NULL ?
			    (unsigned long long)vma->vm_start : 0ULL);
		vma = vma->vm_next;
	}
	if (total != mm->total_vm || data != mm->data_vm ||
	    exec != mm->exec_vm || stack != mm->stack_vm)
		return why_printf(why, whylen, "counters total/data/exec/stack "
		    "%lu/%lu/%lu/%lu pages, VMAs add up to %lu/%lu/%lu/%lu",
		    mm->total_vm, mm->data_vm, mm->exec_vm, mm->stack_vm,
		    total, data, exec, stack);
	if (mm->hiwater_vm < mm->total_vm)
		return why_printf(why, whylen, "VmPeak %lu below VmSize %lu",
		    mm->hiwater_vm, mm->total_vm);
	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (mm->rss_stat[i] < 0)
			return why_printf(why, whylen, "rss counter %d is negative",
			    i);
	}
	if (mm->brk < mm->start_brk)
		return why_printf(why, whylen, "brk below start_brk");
	return 0;
}
