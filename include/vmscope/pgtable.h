/*
 * pgtable.h - a process's page tables: the multi-level radix tree that the
 * MMU walks to turn a virtual address into a physical one, after
 * arch/x86/include/asm/pgtable*.h and mm/memory.c.
 *
 * The geometry (levels, bits per level, entry size) comes from the
 * machine's arch profile. Every table lives in frames taken from the buddy
 * allocator (PG_pgtable); the entries themselves are kept in host memory
 * that the table's head struct page points at (page->mapping), so a pfn is
 * all one needs to read a table, as the MMU does.
 *
 * Entries use one internal encoding on every architecture, the x86 one
 * (below); pgtable_entry_raw() renders an entry as the machine's own MMU
 * would hold it (32-bit x86, ARM short descriptors, arm64 descriptors, the
 * toy's one-byte entries). doc/simplifications.md lists what differs.
 *
 * This layer knows nothing of VMAs, page refcounts or rmap: callers
 * (the fault handler, munmap, fork, reclaim) decide what goes into an
 * entry, and flush the TLB where Linux does (tlb.h).
 */
#ifndef VMSCOPE_PGTABLE_H
#define VMSCOPE_PGTABLE_H

#include "vmscope/machine.h"

/*
 * Entry bits (x86): P RW US A D as in the hardware; PSE marks a leaf above
 * the last level (a 2 MiB page on x86_64); PROTNONE is Linux's software bit
 * for a PROT_NONE page (present to Linux, not to the MMU); NX forbids
 * instruction fetches. The frame number sits at bit 12 whatever the page
 * size, so toy entries use the same layout.
 */
#define _PAGE_BIT_PRESENT	0
#define _PAGE_BIT_RW		1
#define _PAGE_BIT_USER		2
#define _PAGE_BIT_ACCESSED	5
#define _PAGE_BIT_DIRTY		6
#define _PAGE_BIT_PSE		7
#define _PAGE_BIT_PROTNONE	8
#define _PAGE_BIT_NX		63

#define _PAGE_PRESENT		(1ULL << _PAGE_BIT_PRESENT)
#define _PAGE_RW		(1ULL << _PAGE_BIT_RW)
#define _PAGE_USER		(1ULL << _PAGE_BIT_USER)
#define _PAGE_ACCESSED		(1ULL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY		(1ULL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE		(1ULL << _PAGE_BIT_PSE)
#define _PAGE_PROTNONE		(1ULL << _PAGE_BIT_PROTNONE)
#define _PAGE_NX		(1ULL << _PAGE_BIT_NX)

/* What Linux puts in an entry that points at a lower table (0x067). */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)

#define PTE_PFN_SHIFT		12
#define PTE_PFN_MASK		0x000ffffffffff000ULL	/* bits 12..51 */

/*
 * Swap entries (not present): the x86_64 layout of Linux 4.x, before the
 * L1TF mitigation inverted the offset: type in bits 9..13, offset from
 * bit 14; bits 0 (present) and 8 (protnone) stay clear.
 */
#define SWP_TYPE_SHIFT		9
#define SWP_TYPE_BITS		5
#define SWP_OFFSET_SHIFT	14
#define MAX_SWAPFILES		(1U << SWP_TYPE_BITS)

static inline uint64_t pfn_pte(unsigned long pfn, uint64_t prot)
{
	return ((uint64_t)pfn << PTE_PFN_SHIFT) | (prot & ~PTE_PFN_MASK);
}
static inline unsigned long pte_pfn(uint64_t pte)
{
	return (unsigned long)((pte & PTE_PFN_MASK) >> PTE_PFN_SHIFT);
}
static inline uint64_t pte_flags(uint64_t pte)
{
	return pte & ~PTE_PFN_MASK;
}
static inline bool pte_none(uint64_t pte) { return pte == 0; }
/* Present to Linux: a PROT_NONE page counts, as in pte_present(). */
static inline bool pte_present(uint64_t pte)
{
	return (pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) != 0;
}
/* Present to the MMU: what the hardware walk checks. */
static inline bool pte_hw_present(uint64_t pte)
{
	return (pte & _PAGE_PRESENT) != 0;
}
static inline bool pte_protnone(uint64_t pte)
{
	return (pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
}
static inline bool pte_write(uint64_t pte) { return (pte & _PAGE_RW) != 0; }
static inline bool pte_user(uint64_t pte) { return (pte & _PAGE_USER) != 0; }
static inline bool pte_young(uint64_t pte)
{
	return (pte & _PAGE_ACCESSED) != 0;
}
static inline bool pte_dirty(uint64_t pte) { return (pte & _PAGE_DIRTY) != 0; }
static inline bool pte_exec(uint64_t pte) { return (pte & _PAGE_NX) == 0; }
/* A leaf above the last level (pmd_trans_huge / pmd_leaf). */
static inline bool pte_huge(uint64_t pte)
{
	return pte_present(pte) && (pte & _PAGE_PSE) != 0;
}
static inline uint64_t pte_mkyoung(uint64_t pte)
{
	return pte | _PAGE_ACCESSED;
}
static inline uint64_t pte_mkold(uint64_t pte) { return pte & ~_PAGE_ACCESSED; }
static inline uint64_t pte_mkdirty(uint64_t pte) { return pte | _PAGE_DIRTY; }
static inline uint64_t pte_mkclean(uint64_t pte) { return pte & ~_PAGE_DIRTY; }
static inline uint64_t pte_mkwrite(uint64_t pte) { return pte | _PAGE_RW; }
static inline uint64_t pte_wrprotect(uint64_t pte) { return pte & ~_PAGE_RW; }
static inline uint64_t pte_mkhuge(uint64_t pte) { return pte | _PAGE_PSE; }

static inline uint64_t swp_entry_to_pte(unsigned type, unsigned long offset)
{
	return ((uint64_t)(type & (MAX_SWAPFILES - 1)) << SWP_TYPE_SHIFT) |
	    ((uint64_t)offset << SWP_OFFSET_SHIFT);
}
/* Neither none nor present: a swap entry (is_swap_pte). */
static inline bool is_swap_pte(uint64_t pte)
{
	return !pte_none(pte) && !pte_present(pte);
}
static inline unsigned pte_swp_type(uint64_t pte)
{
	return (unsigned)(pte >> SWP_TYPE_SHIFT) & (MAX_SWAPFILES - 1);
}
static inline unsigned long pte_swp_offset(uint64_t pte)
{
	return (unsigned long)(pte >> SWP_OFFSET_SHIFT);
}

/*
 * One table: the host copy of its entries. The head struct page of the
 * table's frames points at it through page->mapping (Linux overlays a
 * struct ptdesc on struct page for the same purpose).
 */
struct pt_page {
	int		 level;		/* 0 = top (pgd) */
	unsigned	 nr_entries;
	uint64_t	 ent[];
};

/*
 * A process's page tables (mm->pgd plus what Linux keeps in mm->context
 * and mm->pgtables_bytes).
 */
struct pgtable {
	struct machine	*m;
	int		 pid;		/* owner, for events (0: none) */
	unsigned long	 root_pfn;	/* what CR3 / TTBR0 holds */
	/*
	 * Address-space id when the TLB tags entries (--asid on); 0 means
	 * untagged: the TLB is flushed when switching to or from it.
	 */
	unsigned	 asid;
	unsigned long	 nr_tables[MAX_PT_LEVELS];	/* tables per level */
	unsigned long	 nr_pages;	/* frames in all tables */
};

/* ---- geometry ---------------------------------------------------- */

/*
 * Lowest address bit of the index into a table of this level, which is
 * also log2 of what one of its entries maps (12 at the pte level).
 */
unsigned pt_level_shift(const struct machine *m, int level);
/* The index addr selects in a table of this level. */
unsigned pt_index(const struct machine *m, int level, uint64_t addr);
/* Entries in a table of this level. */
unsigned pt_entries(const struct machine *m, int level);
/*
 * Order of the frame block holding one table of this level: 0 on x86
 * (4 KiB tables); 2 for the ARM short-descriptor first level (16 KiB);
 * more than 0 on a toy whose tables outgrow its pages.
 */
unsigned pt_table_order(const struct machine *m, int level);
/* Bytes of entries in one table of this level (entries x entry size). */
uint64_t pt_table_bytes(const struct machine *m, int level);
/*
 * The level whose entries may map a huge page (the pmd: the level above
 * the last), or -1 when the geometry has a single level.
 */
int	 pt_huge_level(const struct machine *m);
/* Whether the MMU has a no-execute bit (not i386 without PAE, not the toy). */
static inline bool pt_has_nx(const struct machine *m)
{
	return m->arch.id != ARCH_I386 && m->arch.id != ARCH_TOY;
}
/* False for addresses the tables cannot translate (non-canonical...). */
bool	 pt_addr_valid(const struct machine *m, uint64_t addr);
/*
 * What a single flat table covering the whole virtual address space
 * would cost: 2^(va_bits - page_shift) entries (4 MiB on i386).
 */
uint64_t pt_flat_bytes(const struct machine *m);

/* ---- building and tearing down ------------------------------------ */

/*
 * pgd_alloc: a page table with an empty root, owned by pid. Takes an ASID
 * from the machine's TLB when tagging is on. NULL when the buddy allocator
 * has no frame (simulated ENOMEM; the ALLOC_FAIL event says why).
 */
struct pgtable *pgtable_alloc(struct machine *m, int pid);
/*
 * Free every table (the root too) back to the buddy allocator, flush the
 * TLB entries of this address space and give back its ASID. Leaf entries
 * are not followed: the frames they map are the caller's business (drop
 * them first, as exit_mmap's unmap_vmas runs before free_pgtables).
 */
void	 pgtable_free(struct pgtable *pgt);

/* The host copy of the table in frame pfn, NULL if pfn holds none. */
struct pt_page *pt_page_of(struct machine *m, unsigned long pfn);

/*
 * Look up the last-level entry for addr without allocating. NULL when a
 * table on the way is missing or a huge leaf maps addr.
 */
uint64_t *pte_offset(struct pgtable *pgt, uint64_t addr);
/*
 * The entry at level `pt_huge_level` for addr (a pmd), NULL when a table
 * above it is missing or the geometry has one level.
 */
uint64_t *pmd_offset(struct pgtable *pgt, uint64_t addr);
/*
 * __pte_alloc and friends: make sure every table down to the last level
 * exists for addr, allocating missing ones (ALLOC_PGTABLE, one
 * EV_PGTABLE_ALLOC each), and point *ptep at the entry. Returns 0,
 * -ENOMEM when a frame cannot be had (tables made so far stay, as in
 * Linux), -EEXIST when a huge leaf maps addr, -EFAULT for an address the
 * tables do not translate.
 */
int	 pte_alloc(struct pgtable *pgt, uint64_t addr, uint64_t **ptep);
/* The same down to the huge level, for a huge leaf (pmd_alloc). */
int	 pmd_alloc(struct pgtable *pgt, uint64_t addr, uint64_t **pmdp);

/*
 * set_pte_at: store an entry (last level). Emits EV_SET_PTE. Changing a
 * present entry requires a TLB flush by the caller, as in Linux.
 */
void	 set_pte_at(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
	     uint64_t pte);
/* set_pmd_at: store a huge leaf (pte_mkhuge) at the huge level. */
void	 set_pmd_at(struct pgtable *pgt, uint64_t addr, uint64_t *pmdp,
	     uint64_t pmd);
/* ptep_get_and_clear: clear an entry, return what it held. EV_CLEAR_PTE. */
uint64_t ptep_get_and_clear(struct pgtable *pgt, uint64_t addr,
	     uint64_t *ptep);
/* The same for a huge leaf. */
uint64_t pmdp_get_and_clear(struct pgtable *pgt, uint64_t addr,
	     uint64_t *pmdp);
/*
 * ptep_clear_flush: clear and flush the page from the TLB, what
 * try_to_unmap_one (swap-out) and do_wp_page (COW) do.
 */
uint64_t ptep_clear_flush(struct pgtable *pgt, uint64_t addr, uint64_t *ptep);
/*
 * ptep_set_wrprotect: clear RW, no flush; fork's copy_present_pte does
 * this for private writable pages and dup_mmap flushes the whole mm after.
 */
void	 ptep_set_wrprotect(struct pgtable *pgt, uint64_t addr,
	     uint64_t *ptep);

/*
 * free_pgtables: free the tables under [start, end) that hold no entry
 * any more, from the bottom up (a freed table clears its entry in the
 * table above, which may then be empty too). The root stays. Returns the
 * number of tables freed; each emits EV_PGTABLE_FREE.
 */
unsigned long free_pgtables(struct pgtable *pgt, uint64_t start, uint64_t end);

/* ---- walking ------------------------------------------------------ */

enum pt_walk_result {
	WALK_MAPPED,	/* a present leaf: pfn and phys are valid */
	WALK_NONE,	/* an empty entry (no table or no page) at `level` */
	WALK_SWAP,	/* a swap entry in the leaf */
	WALK_PROTNONE,	/* a PROT_NONE page: present to Linux, not the MMU */
	WALK_BAD_ADDR,	/* an address these tables cannot translate */
};

struct pt_walk_step {
	int		 level;
	const char	*name;		/* "pgd" ... "pte" */
	unsigned	 index;
	unsigned long	 table_pfn;	/* the table the entry is in */
	uint64_t	 entry;		/* internal encoding */
	bool		 leaf;		/* maps a page: pte, or a huge pmd */
};

struct pt_walk {
	uint64_t	 addr;
	enum pt_walk_result result;
	int		 nr_steps;
	struct pt_walk_step step[MAX_PT_LEVELS];
	int		 level;		/* the level where the walk stopped */
	uint64_t	*ptep;		/* the last entry read, NULL if none */
	uint64_t	 leaf;		/* its value */
	unsigned long	 pfn;		/* WALK_MAPPED: the frame of addr */
	unsigned	 page_shift;	/* WALK_MAPPED: size of the mapping */
	uint64_t	 phys;		/* WALK_MAPPED: the physical address */
};

/* Walk flags. */
#define WALK_EMIT	0x1	/* one EV_WALK_LEVEL per level read */

/*
 * The MMU's walk from the root down, reading one entry per level, without
 * changing anything. Fills w (the steps are what `translate` prints and
 * the TUI draws) and returns w->result.
 */
enum pt_walk_result pgtable_walk(struct pgtable *pgt, uint64_t addr,
	    unsigned flags, struct pt_walk *w);

/*
 * walk_page_range: call fn for every leaf entry that is not none (present,
 * swap or protnone; huge leaves included) mapping an address in
 * [start, end), in address order. addr is the first address the entry
 * maps, shift log2 of its size. fn returning non-zero stops the walk and
 * is returned. fn may change *ptep (with set_pte_at) but must not free
 * tables.
 */
typedef int pt_entry_fn(struct pgtable *pgt, uint64_t addr, uint64_t *ptep,
	    int level, unsigned shift, void *arg);
int	 walk_page_range(struct pgtable *pgt, uint64_t start, uint64_t end,
	     pt_entry_fn *fn, void *arg);

/* ---- rendering and checking ---------------------------------------- */

/*
 * An entry as the machine's MMU would hold it: 64-bit x86 as is; 32-bit
 * x86 without NX; ARM short descriptors; arm64 descriptors; toy entries
 * of pte_size bytes (valid bit on top, frame number below).
 */
uint64_t pgtable_entry_raw(const struct machine *m, int level, uint64_t entry);
/* Hex digits to print a raw entry with (2 x pte_size). */
static inline int pt_entry_digits(const struct machine *m)
{
	return (int)(2 * m->arch.pte_size);
}

/*
 * Check one page table: every table frame is a PG_pgtable block head of
 * the right order holding a table of the right level, each referenced
 * once, nr_tables and nr_pages right, leaf entries point at frames that
 * exist and are not free. Returns 0 or -1 with the first violation in why.
 */
int	 validate_pgtable(struct pgtable *pgt, char *why, size_t whylen);
/*
 * Machine-wide: m->nr_pgtable_pages equals the frames of every PG_pgtable
 * block, and each has its table.
 */
int	 validate_pgtables(struct machine *m, char *why, size_t whylen);

#endif
