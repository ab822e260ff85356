/*
 * proc-pid.c - the per-process views (report-pid.h) in the formats of
 * fs/proc/task_mmu.c (maps, smaps), fs/proc/array.c and task_mmu.c's
 * task_mem (status), procps-ng pmap -x and ps. Widths follow the target
 * architecture: 32-bit machines get the 32-bit kernel's maps columns and
 * a 32-bit pmap's.
 *
 * Page-dependent numbers (Rss, Pss, Dirty...) come from mm_hook_smaps and
 * the mm's rss counters; they are zero until the paging issue maps pages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/memory-hooks.h"
#include "vmscope/report-pid.h"

static unsigned long to_kb(const struct mm_struct *mm, uint64_t bytes)
{
	(void)mm;
	return (unsigned long)(bytes >> 10);
}

static unsigned long pages_kb(const struct mm_struct *mm, unsigned long pages)
{
	return (unsigned long)(((uint64_t)pages << mm->page_shift) >> 10);
}

/* vma_is_initial_heap / vma_is_initial_stack of Linux 6.x */
static bool vma_is_heap(const struct mm_struct *mm,
    const struct vm_area_struct *vma)
{
	return vma->vm_start < mm->brk && vma->vm_end > mm->start_brk;
}

static bool vma_is_stack(const struct mm_struct *mm,
    const struct vm_area_struct *vma)
{
	return vma->vm_start <= mm->start_stack &&
	    vma->vm_end >= mm->start_stack;
}

const char *vma_display_name(struct task_struct *t,
    const struct vm_area_struct *vma)
{
	if (vma->vm_file != NULL)
		return vma->vm_file->name;
	if (vma->vm_name != NULL)
		return vma->vm_name;
	if (vma_is_heap(t->mm, vma))
		return "[heap]";
	if (vma_is_stack(t->mm, vma))
		return "[stack]";
	return NULL;
}

/*
 * show_vma_header_prefix: the fixed columns, and the padding that puts
 * a name at column 74 (64-bit) or 50 (32-bit).
 */
static void maps_line(struct sbuf *sb, unsigned bits, uint64_t start,
    uint64_t end, const char *perms, uint64_t offset, unsigned major,
    unsigned minor, unsigned long ino, const char *name)
{
	size_t width = 25 + (bits / 8) * 6 - 1, before = sb->len, len;

	sbuf_printf(sb, "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64
	    " %02x:%02x %lu ", start, end, perms, offset, major, minor, ino);
	if (name != NULL) {
		len = sb->len - before;
		while (len++ < width)
			sbuf_addc(sb, ' ');
		sbuf_addc(sb, ' ');
		sbuf_add(sb, name);
	}
	sbuf_addc(sb, '\n');
}

static void vma_perm_chars(const struct vm_area_struct *vma, char perms[5])
{
	perms[0] = (vma->vm_flags & VM_READ) ? 'r' : '-';
	perms[1] = (vma->vm_flags & VM_WRITE) ? 'w' : '-';
	perms[2] = (vma->vm_flags & VM_EXEC) ? 'x' : '-';
	perms[3] = (vma->vm_flags & VM_MAYSHARE) ? 's' : 'p';
	perms[4] = '\0';
}

void report_maps_line(struct task_struct *t, struct vm_area_struct *vma,
    struct sbuf *sb)
{
	const struct machine *m = t->mm->machine;
	struct vm_file *f = vma->vm_file;
	char perms[5];

	vma_perm_chars(vma, perms);
	maps_line(sb, m->arch.bits, vma->vm_start, vma->vm_end, perms,
	    f != NULL ? vma->vm_pgoff << t->mm->page_shift : 0,
	    f != NULL ? f->dev_major : 0, f != NULL ? f->dev_minor : 0,
	    f != NULL ? f->ino : 0, vma_display_name(t, vma));
}

static void gate_line(struct task_struct *t, struct sbuf *sb)
{
	struct exec_layout l;

	arch_exec_layout(t->mm->machine, &l);
	if (l.gate_name != NULL)
		maps_line(sb, t->mm->machine->arch.bits, l.gate_start,
		    l.gate_end, l.gate_perms, 0, 0, 0, 0, l.gate_name);
}

void report_maps(struct task_struct *t, struct sbuf *sb)
{
	struct vm_area_struct *vma;

	for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next)
		report_maps_line(t, vma, sb);
	gate_line(t, sb);
}

/* show_smap_vma_flags: two letters per vm_flags bit, in bit order. */
static void vmflags_line(struct sbuf *sb, unsigned long flags)
{
	static const char *const mnemonics[32] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",
		"gd", "um", "pf", NULL, "uw", "lo", "io", "sr",
		"rr", "dc", "de", "lf", "ac", "nr", "ht", "sf",
		"ar", "wf", "dd", "sd", "mm", "hg", "nh", "mg",
	};

	sbuf_add(sb, "VmFlags: ");
	for (int i = 0; i < 32; i++) {
		if ((flags & (1UL << i)) && mnemonics[i] != NULL)
			sbuf_printf(sb, "%s ", mnemonics[i]);
	}
	sbuf_addc(sb, '\n');
}

static void smaps_field(struct sbuf *sb, const char *name, unsigned long kb)
{
	char label[32];

	snprintf(label, sizeof(label), "%s:", name);
	sbuf_printf(sb, "%-16s%8lu kB\n", label, kb);
}

/* THP could back part of this VMA (transparent_hugepage=madvise). */
static bool thp_eligible(const struct vm_area_struct *vma)
{
	uint64_t start = ALIGN_UP(vma->vm_start, HPAGE_PMD_SIZE);

	if (!(vma->vm_flags & VM_HUGEPAGE) || (vma->vm_flags & VM_NOHUGEPAGE))
		return false;
	if (vma->vm_file != NULL || (vma->vm_flags & VM_SPECIAL))
		return false;
	return start + HPAGE_PMD_SIZE <= vma->vm_end &&
	    vma->vm_mm->page_size == 4096;
}

static void smaps_one(struct task_struct *t, struct vm_area_struct *vma,
    struct sbuf *sb)
{
	struct mm_struct *mm = t->mm;
	struct mem_size_stats mss;
	uint64_t pagesize = (vma->vm_flags & VM_HUGETLB) ? HPAGE_PMD_SIZE :
	    mm->page_size;
	bool hugetlb = (vma->vm_flags & VM_HUGETLB) != 0;

	mm_hook_smaps(mm, vma, &mss);
	if (hugetlb) {
		/*
		 * smaps_hugetlb_range counts a hugetlb page only as
		 * Private_Hugetlb or Shared_Hugetlb, never in Rss and the
		 * Clean/Dirty/Referenced/Anonymous lines.
		 */
		uint64_t resident = mss.resident;

		memset(&mss, 0, sizeof(mss));
		mss.resident = resident;
	}
	report_maps_line(t, vma, sb);
	smaps_field(sb, "Size", to_kb(mm, vma->vm_end - vma->vm_start));
	smaps_field(sb, "KernelPageSize", to_kb(mm, pagesize));
	smaps_field(sb, "MMUPageSize", to_kb(mm, pagesize));
	smaps_field(sb, "Rss", to_kb(mm, hugetlb ? 0 : mss.resident));
	smaps_field(sb, "Pss", to_kb(mm, hugetlb ? 0 : mss.pss));
	smaps_field(sb, "Pss_Dirty", to_kb(mm, hugetlb ? 0 : mss.pss_dirty));
	smaps_field(sb, "Shared_Clean", to_kb(mm, mss.shared_clean));
	smaps_field(sb, "Shared_Dirty", to_kb(mm, mss.shared_dirty));
	smaps_field(sb, "Private_Clean", to_kb(mm, mss.private_clean));
	smaps_field(sb, "Private_Dirty", to_kb(mm, mss.private_dirty));
	smaps_field(sb, "Referenced", to_kb(mm, mss.referenced));
	smaps_field(sb, "Anonymous", to_kb(mm, mss.anonymous));
	smaps_field(sb, "KSM", 0);
	smaps_field(sb, "LazyFree", to_kb(mm, mss.lazyfree));
	smaps_field(sb, "AnonHugePages", to_kb(mm, mss.anonymous_thp));
	smaps_field(sb, "ShmemPmdMapped", 0);
	smaps_field(sb, "FilePmdMapped", 0);
	smaps_field(sb, "Shared_Hugetlb", 0);
	smaps_field(sb, "Private_Hugetlb", to_kb(mm, hugetlb ? mss.resident : 0));
	smaps_field(sb, "Swap", to_kb(mm, mss.swap));
	smaps_field(sb, "SwapPss", to_kb(mm, mss.swap_pss));
	smaps_field(sb, "Locked", (vma->vm_flags & VM_LOCKED) ?
	    to_kb(mm, mss.pss) : 0);
	sbuf_printf(sb, "THPeligible:    %d\n", thp_eligible(vma) ? 1 : 0);
	vmflags_line(sb, vma->vm_flags);
}

void report_smaps(struct task_struct *t, struct sbuf *sb)
{
	struct vm_area_struct *vma;
	struct exec_layout l;

	for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next)
		smaps_one(t, vma, sb);
	arch_exec_layout(t->mm->machine, &l);
	if (l.gate_name != NULL) {
		uint64_t kb = (l.gate_end - l.gate_start) >> 10;
		bool x86 = strcmp(l.gate_name, "[vsyscall]") == 0;

		maps_line(sb, t->mm->machine->arch.bits, l.gate_start,
		    l.gate_end, l.gate_perms, 0, 0, 0, 0, l.gate_name);
		smaps_field(sb, "Size", (unsigned long)kb);
		smaps_field(sb, "KernelPageSize", (unsigned long)kb);
		smaps_field(sb, "MMUPageSize", (unsigned long)kb);
		smaps_field(sb, "Rss", 0);
		smaps_field(sb, "Pss", 0);
		smaps_field(sb, "Pss_Dirty", 0);
		smaps_field(sb, "Shared_Clean", 0);
		smaps_field(sb, "Shared_Dirty", 0);
		smaps_field(sb, "Private_Clean", 0);
		smaps_field(sb, "Private_Dirty", 0);
		smaps_field(sb, "Referenced", 0);
		smaps_field(sb, "Anonymous", 0);
		smaps_field(sb, "KSM", 0);
		smaps_field(sb, "LazyFree", 0);
		smaps_field(sb, "AnonHugePages", 0);
		smaps_field(sb, "ShmemPmdMapped", 0);
		smaps_field(sb, "FilePmdMapped", 0);
		smaps_field(sb, "Shared_Hugetlb", 0);
		smaps_field(sb, "Private_Hugetlb", 0);
		smaps_field(sb, "Swap", 0);
		smaps_field(sb, "SwapPss", 0);
		smaps_field(sb, "Locked", 0);
		sbuf_add(sb, "THPeligible:    0\n");
		vmflags_line(sb, x86 ? VM_EXEC :
		    VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC);
	}
}

/* procps pmap: the basename of a file, or a bracketed kind. */
static const char *pmap_mapping(struct task_struct *t,
    const struct vm_area_struct *vma)
{
	const char *name = vma_display_name(t, vma), *slash;

	/* a file, or a hugetlb mapping's unlinked hugetlbfs file */
	if (vma->vm_file != NULL || (name != NULL && name[0] == '/')) {
		slash = strrchr(name, '/');
		return slash != NULL ? slash + 1 : name;
	}
	if (name != NULL && strcmp(name, "[stack]") == 0)
		return "  [ stack ]";
	return "  [ anon ]";
}

void report_pmap(struct task_struct *t, struct sbuf *sb)
{
	struct mm_struct *mm = t->mm;
	unsigned bits = mm->machine->arch.bits;
	int aw = bits == 64 ? 16 : 8;
	uint64_t total = 0, rss_total = 0, dirty_total = 0;
	struct vm_area_struct *vma;
	struct exec_layout l;
	char mode[6];

	sbuf_printf(sb, "%d:   %s\n", t->pid, t->comm);
	sbuf_printf(sb, "%-*s Kbytes     RSS   Dirty Mode  Mapping\n", aw + 1,
	    "Address");
	for (vma = mm->mmap; vma != NULL; vma = vma->vm_next) {
		struct mem_size_stats mss;
		uint64_t kb = (vma->vm_end - vma->vm_start) >> 10;
		uint64_t dirty;

		mm_hook_smaps(mm, vma, &mss);
		dirty = mss.shared_dirty + mss.private_dirty;
		mode[0] = (vma->vm_flags & VM_READ) ? 'r' : '-';
		mode[1] = (vma->vm_flags & VM_WRITE) ? 'w' : '-';
		mode[2] = (vma->vm_flags & VM_EXEC) ? 'x' : '-';
		mode[3] = (vma->vm_flags & VM_MAYSHARE) ? 's' : '-';
		mode[4] = '-';
		mode[5] = '\0';
		sbuf_printf(sb, "%0*" PRIx64 " %7" PRIu64 " %7" PRIu64 " %7"
		    PRIu64 " %s %s\n", aw, vma->vm_start, kb,
		    mss.resident >> 10, dirty >> 10, mode, pmap_mapping(t, vma));
		total += kb;
		rss_total += mss.resident >> 10;
		dirty_total += dirty >> 10;
	}
	arch_exec_layout(mm->machine, &l);
	if (l.gate_name != NULL) {
		uint64_t kb = (l.gate_end - l.gate_start) >> 10;

		sbuf_printf(sb, "%0*" PRIx64 " %7" PRIu64 " %7d %7d %c%c%c%c-"
		    " %s\n", aw, l.gate_start, kb, 0, 0,
		    l.gate_perms[0], l.gate_perms[1], l.gate_perms[2],
		    l.gate_perms[3] == 's' ? 's' : '-', "  [ anon ]");
		total += kb;
	}
	sbuf_printf(sb, "%.*s ------- ------- ------- \n", aw,
	    "----------------");
	sbuf_printf(sb, "total kB %*" PRIu64 " %7" PRIu64 " %7" PRIu64 "\n",
	    aw - 1, total, rss_total, dirty_total);
}

/* mm->hugetlb_usage: the bytes of hugetlb pages the process maps. */
static uint64_t hugetlb_usage(struct task_struct *t)
{
	struct vm_area_struct *vma;
	struct mem_size_stats mss;
	uint64_t bytes = 0;

	for (vma = t->mm->mmap; vma != NULL; vma = vma->vm_next) {
		if (!(vma->vm_flags & VM_HUGETLB))
			continue;
		mm_hook_smaps(t->mm, vma, &mss);
		bytes += mss.resident;
	}
	return bytes;
}

static const char *state_name(enum task_state s)
{
	return s == TASK_RUNNING ? "R (running)" : "S (sleeping)";
}

void report_status(struct task_struct *t, struct sbuf *sb)
{
	struct mm_struct *mm = t->mm;
	unsigned long text, lib, rss, anon, file, shmem, hwm;

	anon = get_mm_counter(mm, MM_ANONPAGES);
	file = get_mm_counter(mm, MM_FILEPAGES);
	shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	rss = anon + file + shmem;
	hwm = mm->hiwater_rss > rss ? mm->hiwater_rss : rss;
	/* task_mem: text is the code's page span, the rest of exec_vm is libraries */
	text = (unsigned long)((ALIGN_UP(mm->end_code, mm->page_size) -
	    ALIGN_DOWN(mm->start_code, mm->page_size)) >> 10);
	lib = pages_kb(mm, mm->exec_vm);
	lib = lib > text ? lib - text : 0;

	sbuf_printf(sb, "Name:\t%s\n", t->comm);
	sbuf_printf(sb, "State:\t%s\n", state_name(t->state));
	sbuf_printf(sb, "Tgid:\t%d\n", t->pid);
	sbuf_printf(sb, "Pid:\t%d\n", t->pid);
	sbuf_printf(sb, "PPid:\t%d\n", task_ppid(t));
	sbuf_printf(sb, "VmPeak:\t%8lu kB\n", pages_kb(mm, mm->hiwater_vm));
	sbuf_printf(sb, "VmSize:\t%8lu kB\n", pages_kb(mm, mm->total_vm));
	sbuf_printf(sb, "VmLck:\t%8lu kB\n", pages_kb(mm, mm->locked_vm));
	sbuf_printf(sb, "VmPin:\t%8lu kB\n", 0UL);
	sbuf_printf(sb, "VmHWM:\t%8lu kB\n", pages_kb(mm, hwm));
	sbuf_printf(sb, "VmRSS:\t%8lu kB\n", pages_kb(mm, rss));
	sbuf_printf(sb, "RssAnon:\t%8lu kB\n", pages_kb(mm, anon));
	sbuf_printf(sb, "RssFile:\t%8lu kB\n", pages_kb(mm, file));
	sbuf_printf(sb, "RssShmem:\t%8lu kB\n", pages_kb(mm, shmem));
	sbuf_printf(sb, "VmData:\t%8lu kB\n", pages_kb(mm, mm->data_vm));
	sbuf_printf(sb, "VmStk:\t%8lu kB\n", pages_kb(mm, mm->stack_vm));
	sbuf_printf(sb, "VmExe:\t%8lu kB\n", text);
	sbuf_printf(sb, "VmLib:\t%8lu kB\n", lib);
	sbuf_printf(sb, "VmPTE:\t%8lu kB\n",
	    (unsigned long)(mm_hook_pgtables_bytes(mm) >> 10));
	sbuf_printf(sb, "VmSwap:\t%8lu kB\n",
	    pages_kb(mm, get_mm_counter(mm, MM_SWAPENTS)));
	sbuf_printf(sb, "HugetlbPages:\t%8lu kB\n",
	    (unsigned long)(hugetlb_usage(t) >> 10));
	sbuf_printf(sb, "Threads:\t1\n");
}

void report_ps(struct machine *m, struct sbuf *sb)
{
	struct task_struct *t;

	sbuf_printf(sb, "%5s %5s %-15s %9s %7s %7s %7s %s\n", "PID", "PPID",
	    "COMM", "VSZ", "RSS", "MINFLT", "MAJFLT", "STATE");
	list_for_each_entry(t, &m->tasks, tasks) {
		sbuf_printf(sb, "%5d %5d %-15s %9lu %7lu %7lu %7lu %c\n",
		    t->pid, task_ppid(t), t->comm,
		    pages_kb(t->mm, t->mm->total_vm),
		    pages_kb(t->mm, get_mm_rss(t->mm)), t->min_flt, t->maj_flt,
		    t->state == TASK_RUNNING ? 'R' : 'S');
	}
}

void report_kernel_layout(struct machine *m, struct sbuf *sb)
{
	struct kernel_region r[40];
	int n = arch_kernel_regions(m, r, (int)ARRAY_SIZE(r));
	int w = m->arch.bits == 64 ? 16 : 8;

	sbuf_printf(sb, "%0*" PRIx64 "-%0*" PRIx64 "  %-14s %s\n", w,
	    (uint64_t)0, w, m->arch.task_size - 1, "user",
	    "user space: TASK_SIZE, one per process (maps PID)");
	for (int i = 0; i < n && i < (int)ARRAY_SIZE(r); i++) {
		if (r[i].start < m->arch.task_size)
			continue;	/* arm32 modules sit below PAGE_OFFSET */
		sbuf_printf(sb, "%0*" PRIx64 "-%0*" PRIx64 "  %-14s %s\n", w,
		    r[i].start, w, r[i].last, r[i].hole ? "(hole)" : r[i].name,
		    r[i].what);
	}
}
