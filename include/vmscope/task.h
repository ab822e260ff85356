/*
 * task.h - processes (struct task_struct), their life cycle and the
 * user-space C library state vmscope emulates for them, after
 * include/linux/sched.h, kernel/fork.c, fs/exec.c, fs/binfmt_elf.c and
 * kernel/exit.c. Implemented in src/core/task.c (processes, exec layouts
 * per architecture, the kernel half of the address space) and
 * src/core/malloc.c (glibc-like malloc/free).
 *
 * A task owns one mm_struct (mm.h). The machine keeps every task on
 * machine->tasks in pid order; pids are never reused.
 */
#ifndef VMSCOPE_TASK_H
#define VMSCOPE_TASK_H

#include "vmscope/mm.h"

#define TASK_COMM_LEN	16

enum task_state {
	TASK_RUNNING,		/* "R (running)": the one on the CPU */
	TASK_INTERRUPTIBLE,	/* "S (sleeping)": every other process */
};

/* One malloc chunk of the glibc emulation (malloc.c). */
struct mchunk {
	struct list_head list;		/* heap chunks in address order */
	uint64_t	 addr;		/* chunk header address */
	uint64_t	 size;		/* bytes, header included */
	uint64_t	 req;		/* what malloc was asked for */
	bool		 inuse;
	bool		 mmapped;	/* its own mmap, not in the heap */
};

/*
 * glibc's main arena and malloc parameters (malloc/malloc.c: malloc_state,
 * malloc_par), reduced to what decides where memory comes from: the brk
 * heap holds chunks and the top chunk; big requests get their own mmap.
 */
struct malloc_state {
	bool		 initialized;
	uint64_t	 mmap_threshold;	/* M_MMAP_THRESHOLD */
	uint64_t	 trim_threshold;	/* M_TRIM_THRESHOLD */
	uint64_t	 top_pad;		/* M_TOP_PAD */
	bool		 no_dyn_threshold;	/* set by mallopt, never here */
	uint64_t	 heap_base;		/* sbrk_base */
	uint64_t	 top;			/* top chunk address */
	uint64_t	 top_size;
	struct list_head chunks;		/* heap chunks below top */
	struct list_head mmapped;		/* chunks with their own mmap */
	unsigned	 size_sz;		/* SIZE_SZ: 8 or 4 */
	unsigned	 align;			/* MALLOC_ALIGNMENT */
	uint64_t	 threshold_max;		/* DEFAULT_MMAP_THRESHOLD_MAX */
	int		 n_mmaps;
	uint64_t	 mmapped_mem;
};

struct task_struct {
	struct list_head tasks;		/* machine->tasks */
	int		 pid;
	struct task_struct *parent;	/* NULL: reparented to nobody */
	char		 comm[TASK_COMM_LEN];
	enum task_state	 state;
	struct mm_struct *mm;
	uint64_t	 kmem;		/* its task_struct object (slab.h) */
	unsigned long	 min_flt, maj_flt;
	short		 oom_score_adj;
	/*
	 * Chosen by the OOM killer (oom_kill.c): exits after the command;
	 * oom_reaped once its memory was taken back (MMF_OOM_SKIP).
	 */
	bool		 oom_victim;
	bool		 oom_reaped;
	struct malloc_state malloc;
};

/* Create and free the machine's process and file lists (machine.c). */
void	 task_machine_init(struct machine *m);
void	 task_machine_free(struct machine *m);

/*
 * Check every process: pids increasing and at most last_pid, parents
 * alive, each mm (validate_mm) and each malloc heap (chunks in address
 * order, not overlapping, below the top chunk). 0, or
 * -1 with the first violation in why.
 */
int	 validate_tasks(struct machine *m, char *why, size_t whylen);

struct task_struct *find_task_by_pid(struct machine *m, int pid);
/* The parent's pid as ps shows it (0 when none). */
int	 task_ppid(const struct task_struct *t);

/*
 * A new process running the simulated executable /usr/bin/NAME (created
 * on first use), laid out as right after execve plus the C library's
 * start-up (its first malloc sets up a 132 KiB heap). 0 or -errno.
 */
int	 task_spawn(struct machine *m, const char *name,
	    struct task_struct **taskp);
/* fork: a child with a copy of the address space (dup_mmap). */
int	 task_fork(struct machine *m, struct task_struct *parent,
	    struct task_struct **childp);
/* execve: replace the address space (name NULL keeps the program). */
int	 task_exec(struct machine *m, struct task_struct *t, const char *name);
/* exit or kill: tear the address space down and remove the task. */
void	 task_exit(struct machine *m, struct task_struct *t, const char *why);

/*
 * The user layout an exec produces on this machine's architecture (ASLR
 * off): where each piece goes. Exposed for views and tests.
 */
struct exec_layout {
	uint64_t	 text_start;	/* ELF load address of the text */
	uint64_t	 text_size, data_size, bss_size;
	uint64_t	 stack_top;	/* STACK_TOP */
	uint64_t	 stack_size;	/* at exec: 132 KiB */
	uint64_t	 mmap_base;
	uint64_t	 mmap_min_addr;
	uint64_t	 vvar_pages, vdso_pages;
	const char	*gate_name;	/* "[vsyscall]", "[vectors]" or NULL */
	uint64_t	 gate_start, gate_end;
	const char	*gate_perms;
};
void	 arch_exec_layout(const struct machine *m, struct exec_layout *l);

/*
 * The kernel half of the address space (and the holes around it), from
 * the top of user space upwards, for views and the TUI. Addresses follow
 * the architecture's documented layout (Documentation/arch/x86/x86_64/mm.rst,
 * arch/x86/include/asm/pgtable_32_areas.h, Documentation/arch/arm/memory.rst,
 * Documentation/arch/arm64/memory.rst); on 32-bit the lowmem/vmalloc
 * boundary depends on RAM.
 */
struct kernel_region {
	uint64_t	 start, last;	/* [start, last]: the top one ends at 2^64 - 1 */
	const char	*name;		/* "direct map", "vmalloc", ... */
	const char	*what;		/* one line for a student */
	bool		 hole;		/* not mapped (guard, non-canonical) */
};
/* Fill up to max regions; returns how many there are. */
int	 arch_kernel_regions(const struct machine *m, struct kernel_region *r,
	    int max);

/* glibc malloc emulation (malloc.c). */
enum malloc_path {
	MALLOC_FROM_FREE,	/* a free chunk in the heap (bins) */
	MALLOC_FROM_TOP,	/* carved from the top chunk */
	MALLOC_FROM_BRK,	/* the heap grew with brk first (sysmalloc) */
	MALLOC_FROM_MMAP,	/* its own mmap (>= mmap threshold) */
};

struct malloc_result {
	uint64_t	 ptr;		/* what malloc returns */
	uint64_t	 chunk;		/* chunk size */
	enum malloc_path path;
	uint64_t	 brk_grow;	/* bytes the heap grew by */
};

enum free_path {
	FREE_TO_BINS,		/* kept in the heap for reuse */
	FREE_TO_TOP,		/* merged into the top chunk */
	FREE_TRIMMED,		/* ... and the heap shrank (systrim) */
	FREE_MUNMAP,		/* its own mapping was unmapped */
};

struct free_result {
	uint64_t	 chunk;
	enum free_path	 path;
	uint64_t	 trimmed;	/* bytes given back with brk */
	bool		 threshold_raised;
	uint64_t	 mmap_threshold, trim_threshold;	/* after */
};

void	 malloc_init_state(struct task_struct *t);
void	 malloc_free_state(struct task_struct *t);
/* Copy the parent's malloc state into a forked child. */
void	 malloc_dup_state(struct task_struct *child,
	    const struct task_struct *parent);
/*
 * What the C library does at start-up before main: its first allocation
 * (glibc's tcache) sets up the brk heap, 132 KiB on 4K pages.
 */
int	 glibc_malloc_startup(struct task_struct *t);
/* 0, or -ENOMEM when neither brk nor mmap can provide the memory. */
int	 glibc_malloc(struct task_struct *t, uint64_t size,
	    struct malloc_result *res);
/* 0, or -EINVAL when ptr was not returned by malloc (and not freed since). */
int	 glibc_free(struct task_struct *t, uint64_t ptr, struct free_result *res);

#endif
