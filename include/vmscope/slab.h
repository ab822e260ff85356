/*
 * slab.h - the slab allocator (mm/slub.c, mm/slab_common.c), simplified:
 * small kernel objects carved out of pages the buddy allocator gives with
 * ALLOC_SLAB (PG_slab frames). Two users:
 *
 *   kmalloc/kfree  the kmalloc-N caches (8, 16, 32, 64, 96, 128, 192, 256,
 *                  then powers of two up to 2 * PAGE_SIZE, as SLUB has);
 *                  bigger requests go straight to the page allocator
 *                  (kmalloc_large) and come back with kfree;
 *   the model      task_struct, mm_struct and vm_area_struct caches, one
 *                  object per live task, mm and VMA of the model (task.c and
 *                  mmap.c call kmem_model_alloc/kmem_model_free), so that a
 *                  student sees the kernel's own memory in slabinfo,
 *                  meminfo (Slab, SUnreclaim) and frames.
 *
 * Addresses are kernel virtual addresses in the direct map:
 * PAGE_OFFSET + (pfn << PAGE_SHIFT) + offset, so kfree finds the slab from
 * the address alone, as virt_to_slab does.
 *
 * Simplified SLUB: one list of slabs per cache (slabs with a free object
 * first), no per-cpu slabs or partial lists per node, no debugging red
 * zones, and an empty slab goes back to the buddy allocator at once (Linux
 * keeps up to min_partial empty slabs). See doc/simplifications.md.
 */
#ifndef VMSCOPE_SLAB_H
#define VMSCOPE_SLAB_H

#include "vmscope/machine.h"

/* The caches of the model's own objects. */
enum kmem_model_cache {
	KMEM_TASK_STRUCT,
	KMEM_MM_STRUCT,
	KMEM_VM_AREA_STRUCT,
	NR_KMEM_MODEL_CACHES
};

#define KMEM_CACHE_NAME_LEN	24

struct kmem_cache {
	struct list_head list;		/* slab_caches, newest first */
	char		 name[KMEM_CACHE_NAME_LEN];
	unsigned	 object_size;	/* what the caller asked for */
	unsigned	 size;		/* the slot, aligned */
	unsigned	 order;		/* of each slab's block */
	unsigned	 objects;	/* per slab; 0: cannot be used here */
	bool		 reclaimable;	/* SLAB_RECLAIM_ACCOUNT */
	struct list_head slabs;		/* slabs with a free object first */
	unsigned long	 nr_slabs;
	unsigned long	 active_objs;
	/*
	 * Model objects that exist without a slab object: their slab page
	 * could not be allocated (the model's own objects never reclaim,
	 * see kmem_model_alloc). Counted so the checker can match them.
	 */
	unsigned long	 unbacked;
};

/* One slab: a block of 2^order frames cut into objects. */
struct slab {
	struct list_head list;		/* kmem_cache.slabs */
	struct kmem_cache *cache;
	unsigned long	 pfn;		/* head frame */
	unsigned	 inuse;
	int		 freelist;	/* first free object, -1: full */
	int		*next_free;	/* SLUB keeps this in the free objects */
	unsigned char	*used;		/* object i allocated? */
};

/* Set up the caches of a new machine (kmem_cache_init); no pages yet. */
void	 kmem_cache_init(struct machine *m);
/* Free the slab bookkeeping (after the tasks are gone). */
void	 slab_machine_free(struct machine *m);

/* The caches, for views: slab_caches order (newest first). */
struct list_head *slab_caches(struct machine *m);
struct kmem_cache *kmem_model_cache(struct machine *m,
	    enum kmem_model_cache which);
/* The kmalloc-N cache a request of size bytes uses, NULL: kmalloc_large. */
struct kmem_cache *kmalloc_slab(struct machine *m, uint64_t size);
/* KMALLOC_MAX_CACHE_SIZE (2 pages) and KMALLOC_MAX_SIZE (an order-10 block). */
uint64_t kmalloc_max_cache_size(const struct machine *m);
uint64_t kmalloc_max_size(const struct machine *m);

/*
 * kmalloc(size, GFP_KERNEL): 0 and the object's address, or -ENOMEM (no
 * page for a new slab even after reclaim; ALLOC_FAIL says why), -E2BIG
 * (above KMALLOC_MAX_SIZE). Size 0 gives ZERO_SIZE_PTR (16).
 */
#define ZERO_SIZE_PTR	16ULL
int	 kmalloc(struct machine *m, uint64_t size, uint64_t *addr);
/*
 * Check that addr may be given to kfree: the start of a live kmalloc
 * object or of a kmalloc_large block. 0, or -EINVAL with the reason in
 * why. Changes nothing.
 */
int	 kfree_check(struct machine *m, uint64_t addr, char *why, size_t whylen);
/* kfree an address kfree_check accepted; returns the bytes the object had. */
uint64_t kfree(struct machine *m, uint64_t addr);

/*
 * The model's own objects: one object of the cache per live task_struct,
 * mm_struct and vm_area_struct, whose address the model object keeps in
 * its kmem field: KMEM_NONE (made where there is no slab), KMEM_UNBACKED,
 * or the object's kernel address. The page allocation never reclaims (it
 * runs in the middle of VMA surgery, where reclaim must not look at the
 * half-built state): when even the min watermark refuses, the object is
 * counted as unbacked. Only a new or freed slab is an event (an event per
 * VMA would drown the log of every mmap); slabinfo counts the objects.
 * No-ops on the toy architecture, whose textbook machine has no kernel
 * objects.
 */
#define KMEM_NONE	0
#define KMEM_UNBACKED	1	/* never an object's address: they are aligned */
void	 kmem_model_alloc(struct machine *m, enum kmem_model_cache which,
	    uint64_t *kmem);
void	 kmem_model_free(struct machine *m, enum kmem_model_cache which,
	    uint64_t *kmem);

/* The slab whose block holds pfn (head or tail), or NULL. */
struct slab *pfn_to_slab(struct machine *m, unsigned long pfn);
/* A kmalloc_large block starting at pfn: its order, or -1. */
int	 kmalloc_large_order(struct machine *m, unsigned long pfn);
/* Kernel virtual address of a frame in the direct map. */
uint64_t slab_page_address(const struct machine *m, unsigned long pfn);

/* meminfo: pages of SReclaimable and SUnreclaim (kmalloc_large included). */
unsigned long slab_reclaimable_pages(struct machine *m);
unsigned long slab_unreclaimable_pages(struct machine *m);

/*
 * Check every cache and slab: in-use counts match the objects marked,
 * free lists hold exactly the free objects, slab frames are allocated
 * PG_slab blocks of the cache's order, every PG_slab frame belongs to a
 * slab, kmalloc_large blocks are allocated, and the model caches hold
 * one object per task, mm and VMA. 0, or -1 with the first violation.
 */
int	 validate_slab(struct machine *m, char *why, size_t whylen);

/*
 * Save and restore (src/scenario/state.c) rebuild the bookkeeping of a
 * machine read from a file. A saved state holds the address of a model
 * object's slab object, 0 when unbacked, nothing for KMEM_NONE.
 */
bool	 kmem_model_saved(uint64_t kmem, uint64_t *addr);
uint64_t kmem_model_restored(uint64_t addr);
/*
 * A slab of cache s at pfn, appended to the cache's list, every object
 * free and unchained (freelist -1): the caller fills next_free, used,
 * inuse and freelist, and the cache's nr_slabs and active_objs.
 */
struct slab *slab_restore(struct machine *m, struct kmem_cache *s,
	    unsigned long pfn);
/* A kmalloc_large block of 2^order frames at pfn. */
void	 kmalloc_large_restore(struct machine *m, unsigned long pfn,
	    unsigned order);

#endif
