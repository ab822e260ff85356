/*
 * filemap.c - the page cache of the simulated files (filemap.h). The
 * fault handler (memory.c) looks pages up and adds the ones it reads;
 * reclaim (vmscan.c) deletes clean unmapped ones; a file that goes away
 * takes its cache with it. Each cached page holds one reference for the
 * cache, and one more per PTE that maps it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/compiler.h"
#include "vmscope/filemap.h"
#include "vmscope/machine.h"
#include "vmscope/page_alloc.h"

struct address_space *file_mapping(struct machine *m, struct vm_file *f)
{
	struct address_space *as = f->mapping;

	if (as == NULL) {
		as = xcalloc(1, sizeof(*as));
		as->m = m;
		as->host = f;
		f->mapping = as;
	}
	return as;
}

struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	if (mapping == NULL || index >= mapping->nr_slots)
		return NULL;
	return mapping->pages[index];
}

int add_to_page_cache(struct address_space *mapping, struct page *page,
    unsigned long index)
{
	struct machine *m = mapping->m;

	if (index >= mapping->nr_slots) {
		/* grow to the next power of two that holds index */
		unsigned long n = mapping->nr_slots ? mapping->nr_slots : 16;

		while (n <= index)
			n *= 2;
		mapping->pages = xrealloc(mapping->pages, n * sizeof(*mapping->pages));
		memset(mapping->pages + mapping->nr_slots, 0,
		    (n - mapping->nr_slots) * sizeof(*mapping->pages));
		mapping->nr_slots = n;
	}
	if (mapping->pages[index] != NULL)
		return -EEXIST;
	mapping->pages[index] = page;
	mapping->nrpages++;
	page->mapping = mapping;
	page->index = index;
	SetPageFlag(page, PG_uptodate);
	m->nr_file_pages++;
	if (mapping->host->shmem) {
		SetPageFlag(page, PG_swapbacked);
		m->nr_shmem_pages++;
	}
	return 0;
}

void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page_mapping_file(page);
	struct machine *m;

	if (mapping == NULL)
		return;
	m = mapping->m;
	if (page->index < mapping->nr_slots &&
	    mapping->pages[page->index] == page) {
		mapping->pages[page->index] = NULL;
		mapping->nrpages--;
		m->nr_file_pages--;
		if (mapping->host->shmem)
			m->nr_shmem_pages--;
	}
	page->mapping = NULL;
	__free_pages(m, page, 0);
}

void truncate_inode_pages(struct vm_file *f)
{
	struct address_space *as = f->mapping;
	unsigned long i;

	if (as == NULL)
		return;
	for (i = 0; i < as->nr_slots; i++) {
		if (as->pages[i] != NULL)
			delete_from_page_cache(as->pages[i]);
	}
	free(as->pages);
	free(as);
	f->mapping = NULL;
}

unsigned long filemap_nr_pages(struct machine *m)
{
	return m->nr_file_pages;
}
