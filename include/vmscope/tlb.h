/*
 * tlb.h - the CPU side of translation: the machine's one CPU with its TLB
 * (a set-associative cache of translations, LRU within a set, tagged with
 * an address-space id when --asid is on), the loaded page table (CR3 /
 * TTBR0) and context switches, the flush calls Linux makes
 * (flush_tlb_page, flush_tlb_range, flush_tlb_mm, flush_tlb_all), and
 * mmu_access(): what the MMU does for one load, store or fetch.
 *
 * Indexing: a 4 KiB entry lives in set (vpn mod nr_sets), a huge one in
 * set (huge vpn mod nr_sets); the rest of the vpn is the tag (TLBI and
 * TLBT in the textbooks). Real CPUs keep huge pages in a separate array;
 * vmscope shares one (doc/simplifications.md).
 */
#ifndef VMSCOPE_TLB_H
#define VMSCOPE_TLB_H

#include "vmscope/pgtable.h"

/* PCIDs are 12 bits on x86; 0 is kept for "untagged". */
#define TLB_NR_ASIDS	4096

struct tlb_entry {
	bool		 valid;
	bool		 huge;
	unsigned	 asid;
	uint64_t	 vpn;		/* addr >> shift: the whole page number */
	unsigned	 shift;		/* page_shift, or the huge level's shift */
	unsigned long	 pfn;		/* first frame of the page */
	uint64_t	 flags;		/* flag bits of the leaf when filled */
	uint64_t	 stamp;		/* last use, for LRU in the set */
	/*
	 * Not hardware state: whose page table the entry came from, so that
	 * validate_tlb can compare it with its PTE.
	 */
	const struct pgtable *owner;
};

struct tlb {
	struct machine	*m;
	unsigned	 nr_entries;
	unsigned	 nr_ways;
	unsigned	 nr_sets;	/* a power of two */
	bool		 asid_enabled;
	struct tlb_entry *e;		/* set s, way w at e[s * nr_ways + w] */
	uint64_t	 clock;		/* LRU stamps */
	/* the loaded address space (CR3) */
	struct pgtable	*cur;
	unsigned	 cur_asid;
	uint8_t		 asid_used[TLB_NR_ASIDS / 8];
	/* counters for `tlb` */
	unsigned long	 hits;
	unsigned long	 misses;
	unsigned long	 fills;
	unsigned long	 evictions;
	unsigned long	 invalidated;	/* entries dropped by flushes */
	unsigned long	 full_flushes;	/* whole-TLB flushes (switch, all) */
};

/*
 * A TLB of nr_entries in sets of nr_ways (nr_entries / nr_ways must be a
 * power of two; machine_new checks the configuration).
 */
struct tlb *tlb_new(struct machine *m, unsigned nr_entries, unsigned nr_ways,
	    bool asid);
void	 tlb_free(struct tlb *tlb);

/* The set a translation of addr with page size 1 << shift goes to. */
unsigned tlb_set_index(const struct tlb *tlb, uint64_t addr, unsigned shift);
/* The tag: the vpn without the set bits. */
uint64_t tlb_tag(const struct tlb *tlb, uint64_t vpn);

/* Give an address space an ASID (0 when tagging is off or none is free). */
unsigned tlb_asid_alloc(struct tlb *tlb);
void	 tlb_asid_free(struct tlb *tlb, unsigned asid);

/*
 * Look addr up for the loaded address space: probes the 4 KiB set and,
 * when the geometry has huge pages, the huge set. A hit refreshes the
 * entry's LRU stamp. Counts and emits EV_TLB_HIT / EV_TLB_MISS. Returns
 * the entry or NULL.
 */
struct tlb_entry *tlb_lookup(struct tlb *tlb, uint64_t addr);
/*
 * Refill after a walk: cache the leaf that maps addr (shift: log2 of the
 * page it maps) for the loaded address space, replacing an entry for the
 * same page or else the least recently used way of the set (EV_TLB_FILL,
 * which names the entry evicted).
 */
struct tlb_entry *tlb_fill(struct tlb *tlb, uint64_t addr, uint64_t leaf,
	    unsigned shift);

/*
 * The flushes, taking the address space whose translations changed.
 * With ASIDs they drop that address space's entries only; without, the
 * TLB only ever holds the loaded one's, so a flush for another does
 * nothing. Each emits one event with the count of entries dropped and
 * returns it.
 */
unsigned flush_tlb_page(struct pgtable *pgt, uint64_t addr);
/* Entries mapping any address in [start, end). */
unsigned flush_tlb_range(struct pgtable *pgt, uint64_t start, uint64_t end);
unsigned flush_tlb_mm(struct pgtable *pgt);
unsigned flush_tlb_all(struct machine *m);

/*
 * switch_mm: load next's page table on the CPU (next may be NULL: only the
 * kernel runs). Without ASIDs the TLB is flushed, as a CR3 write without
 * PCID does; with them entries stay and carry their tag. Switching to the
 * loaded one does nothing. Emits EV_SWITCH_MM.
 */
void	 switch_mm(struct machine *m, struct pgtable *next);
/* A page table goes away: forget it if loaded (pgtable_free calls this). */
void	 tlb_forget_mm(struct machine *m, struct pgtable *pgt);

enum mmu_access_type {
	MMU_READ,
	MMU_WRITE,
	MMU_EXEC,
};

enum mmu_fault {
	MMU_OK,
	MMU_FAULT_NOT_PRESENT,	/* no translation: the walk says where */
	MMU_FAULT_PROT,		/* present, but the access is not allowed */
	MMU_FAULT_BAD_ADDR,	/* non-canonical or outside the tables */
	MMU_FAULT_NO_MM,	/* no page table loaded */
};

struct mmu_result {
	enum mmu_fault	 fault;
	bool		 tlb_hit;	/* the lookup hit (it may still fault) */
	unsigned long	 pfn;
	uint64_t	 phys;
	struct pt_walk	 walk;	/* when the TLB missed (or had to re-walk) */
};

/*
 * One user-mode access by the loaded address space, as the MMU does it:
 * TLB lookup; on a hit whose cached rights allow it, done (a first write
 * through a clean entry re-walks to set the dirty bit, like x86). On a
 * miss, walk (emitting each level); a present leaf that allows the access
 * gets its accessed bit (and dirty bit for a write) set and is cached.
 * Anything else is a fault for the caller to handle (handle_mm_fault) and
 * retry; like x86, a faulting access drops its TLB entry first.
 */
enum mmu_fault mmu_access(struct machine *m, uint64_t addr,
	    enum mmu_access_type type, struct mmu_result *r);

/*
 * The invariant: every valid entry belongs to a live address space (the
 * loaded one when untagged) whose page table maps the same page to the
 * same frame, and grants no right (write, user, exec, dirty) the PTE does
 * not. Returns 0 or -1 with the first violation in why.
 */
int	 validate_tlb(struct machine *m, char *why, size_t whylen);

#endif
