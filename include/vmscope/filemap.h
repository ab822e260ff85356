/*
 * filemap.h - the page cache (mm/filemap.c): the pages of each simulated
 * file that are in memory, found by their offset in the file. A file
 * fault looks here first (find_get_page): a hit is a minor fault, a miss
 * reads the page from "disk" into a new frame (add_to_page_cache) and is a
 * major fault. The cache keeps one reference on each of its pages, so a
 * page stays cached after every mapping is gone, until the file goes
 * (truncate_inode_pages) or reclaim drops it (delete_from_page_cache).
 *
 * Linux keeps the pages of an address_space in an XArray; vmscope keeps
 * an array indexed by page offset, grown on demand. vm_file->mapping
 * points at the file's address_space once it has one.
 *
 * Reclaim leaves a shadow entry where it drops a page (Linux stores it in
 * the XArray slot itself; vmscope keeps shadows[] beside pages[]): the
 * eviction stamp of workingset.c. add_to_page_cache finds it when the
 * page is read back, counts workingset_refault_file and, when the page
 * was evicted recently enough, brings it back active. Truncation drops
 * shadows without a trace, as truncate_inode_pages does.
 *
 * Shared anonymous memory (shmem) uses the same cache for its hidden
 * file; its pages are created zero-filled, not read, so its faults are
 * minor (shmem_fault).
 */
#ifndef VMSCOPE_FILEMAP_H
#define VMSCOPE_FILEMAP_H

#include "vmscope/mm.h"
#include "vmscope/mmzone.h"

struct machine;

struct address_space {
	struct machine	*m;
	struct vm_file	*host;
	struct page	**pages;	/* by page offset; NULL: not cached */
	unsigned long	 nr_slots;	/* length of pages[] */
	unsigned long	 nrpages;	/* cached pages */
	unsigned long	 reads;		/* pages read from disk (major faults) */
	/* shadow entries (pack_shadow) by page offset; 0: none */
	unsigned long	*shadows;
	unsigned long	 nr_shadow_slots;	/* length of shadows[] */
	unsigned long	 nrshadows;	/* slots holding one */
	unsigned long	 refaults;	/* reads that found one */
};

/* The file's address_space, made on first use. */
struct address_space *file_mapping(struct machine *m, struct vm_file *f);

/*
 * The cached page at offset index (no reference taken: the caller maps it
 * or takes one), NULL when not cached. Linux's find_get_page takes one.
 */
struct page *find_get_page(struct address_space *mapping,
	    unsigned long index);
/*
 * Put a new page into the cache at index: page->mapping, page->index,
 * PG_uptodate; the cache's reference is the allocation's own. -EEXIST
 * when the slot is taken. A shadow in the slot makes this a refault
 * (workingset_refault_file; PG_active set when the page was part of the
 * working set, for the caller's lru_cache_add) and is consumed.
 */
int	 add_to_page_cache(struct address_space *mapping, struct page *page,
	    unsigned long index);
/*
 * Take a page out of the cache (reclaim, truncate): clears the slot,
 * page->mapping, and drops the cache's reference (the page is freed
 * unless someone else still holds one). The page must not be mapped.
 */
void	 delete_from_page_cache(struct page *page);
/* The same, leaving shadow (pack_shadow; 0: none) in the slot: reclaim. */
void	 __delete_from_page_cache(struct page *page, unsigned long shadow);
/* The shadow at index, 0 when none. */
unsigned long page_cache_shadow(struct address_space *mapping,
	    unsigned long index);
/*
 * Put a shadow at index (`restore`): -EINVAL when it is not one (bit 0
 * clear) or the slot holds a page.
 */
int	 page_cache_set_shadow(struct address_space *mapping,
	    unsigned long index, unsigned long shadow);
/* Drop every cached page of f (the file is going away). */
void	 truncate_inode_pages(struct vm_file *f);

/* Every cached page of every file, for meminfo Cached. */
unsigned long filemap_nr_pages(struct machine *m);

/*
 * Check every file's cache: page and shadow counts match the slots, a
 * slot holds a page or a shadow (never both), each page points back at
 * its slot, each shadow names a node and a stamp its clock has passed.
 * 0, or -1 with the first violation in why.
 */
int	 validate_filemap(struct machine *m, char *why, size_t whylen);

static inline bool page_is_file_cache(const struct page *page)
{
	return page->mapping != NULL && !PageFlag(page, PG_anon);
}

/* The address_space of a page-cache page (NULL for anonymous pages). */
static inline struct address_space *page_mapping_file(const struct page *page)
{
	return page_is_file_cache(page) ?
	    (struct address_space *)page->mapping : NULL;
}

#endif
