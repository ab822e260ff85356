/*
 * arch.c - the architecture profiles: page-table geometry, the user/kernel
 * split and where each physical zone ends, for every --arch vmscope knows.
 * machine.c copies one into struct machine (filling in the toy's geometry
 * from the configuration); nothing else in the model hard-codes an
 * architecture fact.
 *
 * Also home of the name tables declared in mmzone.h and machine.h
 * (zone_names, policy_names, vmstat_names), since they are fixed facts too.
 *
 * Physical addresses start at 0 on every architecture. Real ARM boards put
 * RAM higher (PHYS_OFFSET, e.g. 0x40000000 on QEMU virt); vmscope drops
 * that offset so pfns read the same everywhere.
 *
 * Zone limits (zone_end, a physical address; 0 means the kernel for that
 * architecture has no such zone, so views do not show it):
 *
 *   x86_64, x86_64-la57   DMA < 16M (ISA), DMA32 < 4G, Normal above.
 *   i386                  DMA < 16M, Normal < 896M (what the 1G kernel
 *                         half can map linearly), HighMem above.
 *   arm32                 Normal < 760M (arm_lowmem_limit with the default
 *                         240M vmalloc area), HighMem above.
 *   arm64                 Since Linux 5.11 ZONE_DMA's size comes from the
 *                         firmware's dma-ranges; with no device that needs
 *                         less, it covers the low 4G and ZONE_DMA32 is
 *                         configured but empty (what /proc/zoneinfo shows
 *                         on most arm64 servers). vmscope does the same:
 *                         DMA < 4G, DMA32 empty, Normal above.
 *   toy                   one ZONE_NORMAL.
 *
 * ZONE_MOVABLE exists everywhere but only gets pages with `machine
 * --movable` (see machine.c).
 */
#include <string.h>

#include "vmscope/machine.h"

#define SZ_1M		(1024ULL * 1024)
#define SZ_1G		(1024ULL * SZ_1M)
#define NO_LIMIT	UINT64_MAX

const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA]	= "DMA",
	[ZONE_DMA32]	= "DMA32",
	[ZONE_NORMAL]	= "Normal",
	[ZONE_HIGHMEM]	= "HighMem",
	[ZONE_MOVABLE]	= "Movable",
};

const char *const policy_names[NR_POLICIES] = {
	[POLICY_LRU2Q]	= "lru2q",
	[POLICY_FIFO]	= "fifo",
	[POLICY_LRU]	= "lru",
	[POLICY_CLOCK]	= "clock",
	[POLICY_OPT]	= "opt",
};

const char *const vmstat_names[NR_VM_EVENT_ITEMS] = {
#define X(name) [VM_ ## name] = #name,
	VMSTAT_ITEMS(X)
#undef X
};

static const struct arch_profile arch_profiles[NR_ARCHES] = {
	[ARCH_X86_64] = {
		.id		= ARCH_X86_64,
		.name		= "x86_64",
		.bits		= 64,
		.va_bits	= 48,
		.page_shift	= 12,
		.nr_levels	= 4,
		.level_bits	= { 9, 9, 9, 9 },
		.level_names	= { "pgd", "pud", "pmd", "pte" },
		.pte_size	= 8,
		.task_size	= 0x00007ffffffff000ULL,
		.page_offset	= 0xffff888000000000ULL,
		.max_ram	= 16 * SZ_1G,
		.min_ram	= 32 * SZ_1M,
		.zone_end	= { 16 * SZ_1M, 4 * SZ_1G, NO_LIMIT, 0, 0 },
		/* CONFIG_PHYSICAL_START: above the ISA DMA range */
		.kernel_phys	= 16 * SZ_1M,
	},
	[ARCH_X86_64_LA57] = {
		.id		= ARCH_X86_64_LA57,
		.name		= "x86_64-la57",
		.bits		= 64,
		.va_bits	= 57,
		.page_shift	= 12,
		.nr_levels	= 5,
		.level_bits	= { 9, 9, 9, 9, 9 },
		.level_names	= { "pgd", "p4d", "pud", "pmd", "pte" },
		.pte_size	= 8,
		.task_size	= 0x00fffffffffff000ULL,
		.page_offset	= 0xff11000000000000ULL,
		.max_ram	= 16 * SZ_1G,
		.min_ram	= 32 * SZ_1M,
		.zone_end	= { 16 * SZ_1M, 4 * SZ_1G, NO_LIMIT, 0, 0 },
		.kernel_phys	= 16 * SZ_1M,
	},
	[ARCH_I386] = {
		.id		= ARCH_I386,
		.name		= "i386",
		.bits		= 32,
		.va_bits	= 32,
		.page_shift	= 12,
		.nr_levels	= 2,
		.level_bits	= { 10, 10 },
		.level_names	= { "pgd", "pte" },
		.pte_size	= 4,
		.task_size	= 0xc0000000ULL,
		.page_offset	= 0xc0000000ULL,
		/* without PAE a 32-bit PTE addresses 4G of RAM */
		.max_ram	= 4 * SZ_1G,
		.min_ram	= 32 * SZ_1M,
		.zone_end	= { 16 * SZ_1M, 0, 896 * SZ_1M, NO_LIMIT, 0 },
		.kernel_phys	= 16 * SZ_1M,
	},
	[ARCH_ARM32] = {
		.id		= ARCH_ARM32,
		.name		= "arm32",
		.bits		= 32,
		.va_bits	= 32,
		.page_shift	= 12,
		/* short descriptors: 4096 L1 entries (1M each), 256 L2 */
		.nr_levels	= 2,
		.level_bits	= { 12, 8 },
		.level_names	= { "pgd", "pte" },
		.pte_size	= 4,
		.task_size	= 0xbf000000ULL,	/* modules sit below PAGE_OFFSET */
		.page_offset	= 0xc0000000ULL,
		.max_ram	= 4 * SZ_1G,
		.min_ram	= 16 * SZ_1M,
		.zone_end	= { 0, 0, 760 * SZ_1M, NO_LIMIT, 0 },
		/* TEXT_OFFSET: the 16K swapper_pg_dir sits just below */
		.kernel_phys	= 0x8000,
	},
	[ARCH_ARM64] = {
		.id		= ARCH_ARM64,
		.name		= "arm64",
		.bits		= 64,
		.va_bits	= 48,
		.page_shift	= 12,
		.nr_levels	= 4,
		.level_bits	= { 9, 9, 9, 9 },
		.level_names	= { "pgd", "pud", "pmd", "pte" },
		.pte_size	= 8,
		.task_size	= 0x0001000000000000ULL,
		.page_offset	= 0xffff000000000000ULL,
		.max_ram	= 16 * SZ_1G,
		.min_ram	= 16 * SZ_1M,
		.zone_end	= { 4 * SZ_1G, 4 * SZ_1G, NO_LIMIT, 0, 0 },
		/* the image is loaded 2M-aligned */
		.kernel_phys	= 2 * SZ_1M,
	},
	[ARCH_TOY] = {
		.id		= ARCH_TOY,
		.name		= "toy",
		.bits		= 32,
		/* geometry, task_size and page_offset come from the config */
		.max_ram	= 16 * SZ_1M,
		.zone_end	= { 0, 0, NO_LIMIT, 0, 0 },
	},
};

const struct arch_profile *arch_get(enum arch_id id)
{
	if ((unsigned)id >= NR_ARCHES)
		return NULL;
	return &arch_profiles[id];
}

const struct arch_profile *arch_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ARCHES; i++) {
		if (strcmp(arch_profiles[i].name, name) == 0)
			return &arch_profiles[i];
	}
	/* the names people also type */
	if (strcmp(name, "x86-64") == 0 || strcmp(name, "amd64") == 0)
		return &arch_profiles[ARCH_X86_64];
	if (strcmp(name, "x86") == 0 || strcmp(name, "i686") == 0)
		return &arch_profiles[ARCH_I386];
	if (strcmp(name, "arm") == 0)
		return &arch_profiles[ARCH_ARM32];
	if (strcmp(name, "aarch64") == 0)
		return &arch_profiles[ARCH_ARM64];
	return NULL;
}
