/*
 * report-paging.h - text views of translation: a page-table walk
 * (`translate`), the populated part of a page table and what it costs
 * against a flat table (`pagetable`), and the TLB (`tlb`). They take the
 * page table itself, not a process, so tests and the TUI can use them on
 * any struct pgtable; the commands find the process's one.
 */
#ifndef VMSCOPE_REPORT_PAGING_H
#define VMSCOPE_REPORT_PAGING_H

#include "vmscope/pgtable.h"
#include "vmscope/sbuf.h"

/* "P RW US A D NX": the flag bits of an entry, by their x86 names. */
void	 pte_flags_text(const struct machine *m, int level, uint64_t entry,
	     struct sbuf *sb);

/*
 * translate: how the address splits into indexes, then one line per level
 * read (level, index, entry as the arch holds it, flags, where it leads),
 * then the physical address or where and why the walk faulted. Emits the
 * walk's events. Returns the walk's result.
 */
enum pt_walk_result report_translate(struct pgtable *pgt, uint64_t addr,
	    struct sbuf *sb);

/*
 * pagetable: the geometry, then every table that exists (one line each,
 * indented by level, with the range it covers and its entries in use);
 * with only_addr set, just the branch that translates addr, and the
 * entries in use of its last table. Ends with the cost of the tables
 * against one flat table for the whole address space.
 */
void	 report_pagetable(struct pgtable *pgt, bool only_addr, uint64_t addr,
	     struct sbuf *sb);

/* The cost summary alone: "3 tables (1 pgd + 2 pte) = 3 pages, 12 KiB ...". */
void	 report_pagetable_cost(struct pgtable *pgt, struct sbuf *sb);

/* tlb: geometry, the loaded address space, counters and valid entries. */
void	 report_tlb(struct machine *m, struct sbuf *sb);

#endif
