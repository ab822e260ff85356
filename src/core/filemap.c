/*
 * filemap.c - the page cache of the simulated files (filemap.h). The
 * fault handler (memory.c) looks pages up and adds the ones it reads;
 * reclaim (vmscan.c) deletes clean unmapped ones; a file that goes away
 * takes its cache with it. Each cached page holds one reference for the
 * cache, and one more per PTE that maps it. A page reclaim drops leaves a
 * shadow entry (workingset.c) that the next read of that offset turns
 * into a refault.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/compiler.h"
#include "vmscope/filemap.h"
#include "vmscope/machine.h"
#include "vmscope/lru.h"
#include "vmscope/page_alloc.h"
#include "vmscope/workingset.h"

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
	if (index < mapping->nr_shadow_slots && mapping->shadows[index] != 0) {
		unsigned long shadow = mapping->shadows[index], eviction;
		int nid;

		/* filemap_add_folio -> workingset_refault */
		mapping->shadows[index] = 0;
		mapping->nrshadows--;
		mapping->refaults++;
		unpack_shadow(shadow, &nid, &eviction);
		if (workingset_refault(m, nid, eviction, true) &&
		    !PageFlag(page, PG_active)) {
			SetPageFlag(page, PG_active);
			m->vm_events[VM_pgactivate]++;
		}
	}
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

/* Leave shadow in slot index, growing shadows[] to hold it. */
static void store_shadow(struct address_space *mapping, unsigned long index,
    unsigned long shadow)
{
	if (index >= mapping->nr_shadow_slots) {
		unsigned long n = mapping->nr_shadow_slots ?
		    mapping->nr_shadow_slots : 16;

		while (n <= index)
			n *= 2;
		mapping->shadows = xrealloc(mapping->shadows,
		    n * sizeof(*mapping->shadows));
		memset(mapping->shadows + mapping->nr_shadow_slots, 0,
		    (n - mapping->nr_shadow_slots) * sizeof(*mapping->shadows));
		mapping->nr_shadow_slots = n;
	}
	if (mapping->shadows[index] == 0)
		mapping->nrshadows++;
	mapping->shadows[index] = shadow;
}

void __delete_from_page_cache(struct page *page, unsigned long shadow)
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
		else if (shadow != 0)
			store_shadow(mapping, page->index, shadow);
	}
	page->mapping = NULL;
	__free_pages(m, page, 0);
}

void delete_from_page_cache(struct page *page)
{
	__delete_from_page_cache(page, 0);
}

int page_cache_set_shadow(struct address_space *mapping, unsigned long index,
    unsigned long shadow)
{
	if ((shadow & 1) == 0 ||
	    (index < mapping->nr_slots && mapping->pages[index] != NULL))
		return -EINVAL;
	store_shadow(mapping, index, shadow);
	return 0;
}

unsigned long page_cache_shadow(struct address_space *mapping,
    unsigned long index)
{
	if (mapping == NULL || index >= mapping->nr_shadow_slots)
		return 0;
	return mapping->shadows[index];
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
	free(as->shadows);	/* truncation leaves no shadows */
	free(as);
	f->mapping = NULL;
}

unsigned long filemap_nr_pages(struct machine *m)
{
	return m->nr_file_pages;
}

static int check_mapping(struct machine *m, struct address_space *as,
    char *why, size_t whylen)
{
	const char *name = as->host->name;
	unsigned long i, pages = 0, shadows = 0;

	for (i = 0; i < as->nr_slots; i++) {
		struct page *page = as->pages[i];

		if (page == NULL)
			continue;
		pages++;
		if (page->mapping != as || page->index != i) {
			snprintf(why, whylen, "%s: the page in slot %lu does not "
			    "point back at it", name, i);
			return -1;
		}
	}
	for (i = 0; i < as->nr_shadow_slots; i++) {
		unsigned long eviction;
		int nid;

		if (as->shadows[i] == 0)
			continue;
		shadows++;
		if (i < as->nr_slots && as->pages[i] != NULL) {
			snprintf(why, whylen, "%s: slot %lu holds a page and a "
			    "shadow", name, i);
			return -1;
		}
		unpack_shadow(as->shadows[i], &nid, &eviction);
		if ((as->shadows[i] & 1) == 0 || nid >= m->nr_nodes ||
		    eviction > m->nodes[nid].lruvec.nonresident_age) {
			snprintf(why, whylen, "%s: slot %lu: shadow 0x%lx names "
			    "no past eviction", name, i, as->shadows[i]);
			return -1;
		}
	}
	if (pages != as->nrpages || shadows != as->nrshadows) {
		snprintf(why, whylen, "%s: %lu pages and %lu shadows counted, "
		    "the slots hold %lu and %lu", name, as->nrpages,
		    as->nrshadows, pages, shadows);
		return -1;
	}
	return 0;
}

int validate_filemap(struct machine *m, char *why, size_t whylen)
{
	struct vm_file *f;

	list_for_each_entry(f, &m->files, list) {
		if (f->mapping != NULL &&
		    check_mapping(m, f->mapping, why, whylen) != 0)
			return -1;
	}
	return 0;
}
