/*
 * cmd-proc.c - the process commands (spawn, fork, exec, exit, kill, ps)
 * and the per-process views (maps, smaps, pmap, status) plus `layout`,
 * the architecture's whole virtual address space. The work is in
 * src/core/task.c and mmap.c; the formats in src/report/proc-pid.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/report-pid.h"
#include "vmscope/session.h"
#include "cmd-task.h"

struct task_struct *cmd_find_task(struct cmd_ctx *ctx, const char *arg)
{
	struct task_struct *t;
	long pid;

	if (cmd_parse_int(ctx, "PID", arg, 1, 0x7fffffff, &pid) != 0)
		return NULL;
	t = find_task_by_pid(ctx->m, (int)pid);
	if (t == NULL) {
		if (list_empty(&ctx->m->tasks) && ctx->m->last_pid == 0)
			cmd_error(ctx, "no process with pid %ld (there are none "
			    "yet: 'spawn' makes one)", pid);
		else if (pid <= ctx->m->last_pid)
			cmd_error(ctx, "no process with pid %ld (it has exited; "
			    "see 'ps')", pid);
		else
			cmd_error(ctx, "no process with pid %ld (see 'ps')", pid);
	}
	return t;
}

void cmd_print_errno(struct cmd_ctx *ctx, const char *syscall, int err)
{
	cmd_print(ctx, "%s: %s (%s)\n", syscall, errno_name(err),
	    errno_text(err));
}

int cmd_check_name(struct cmd_ctx *ctx, const char *what, const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return cmd_error(ctx, "%s: an empty name is not allowed", what);
	if (len > 255)
		return cmd_error(ctx, "%s: the name is longer than 255 bytes",
		    what);
	if (name[len - 1] == '/')
		return cmd_error(ctx, "%s '%s': a name cannot end with '/'",
		    what, name);
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f)
			return cmd_error(ctx, "%s '%s': spaces and control "
			    "characters are not allowed", what, name);
	}
	return 0;
}

static int cmd_spawn_exec(struct cmd_ctx *ctx)
{
	const char *name = ctx->args.argc > 0 ? ctx->args.argv[0] : "a.out";
	struct task_struct *t;
	int err;

	if (cmd_check_name(ctx, "NAME", name) != 0)
		return -1;
	err = task_spawn(ctx->m, name, &t);
	if (err)
		return cmd_error(ctx, "cannot lay out the process: %s",
		    errno_text(err));
	cmd_print(ctx, "pid %d (%s)\n", t->pid, t->comm);
	return 0;
}

const struct cmd_entry cmd_spawn_entry = {
	.name = "spawn",
	.group = CMD_GROUP_PROCESS,
	.usage = "spawn [NAME]",
	.summary = "new process laid out as right after exec; prints its pid",
	.help =
	    "  Start a process running the simulated executable /usr/bin/NAME\n"
	    "  (default a.out; created on first use), laid out as execve leaves it\n"
	    "  with ASLR off (fs/binfmt_elf.c, load_elf_binary): text r-x and data rw-\n"
	    "  mapped from the file, an anonymous bss, the program break right after\n"
	    "  it, [vvar] and [vdso] just below mmap_base, and a 132 KiB [stack] below\n"
	    "  STACK_TOP. Then the C library starts: its first malloc gives the\n"
	    "  process a 132 KiB [heap]. On x86_64 the text is at 0x555555554000 and\n"
	    "  mmap_base is 0x7ffff7fff000 (TASK_SIZE minus 128M: the 8M stack\n"
	    "  rlimit and its guard gap, raised to the 128M minimum).\n"
	    "  Prints \"pid N (NAME)\". 'maps N' shows the result.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_spawn_exec,
};

static int cmd_fork_exec(struct cmd_ctx *ctx)
{
	struct task_struct *p = cmd_find_task(ctx, ctx->args.argv[0]), *c;
	int err;

	if (p == NULL)
		return -1;
	err = task_fork(ctx->m, p, &c);
	if (err) {
		cmd_print_errno(ctx, "fork", err);
		return 0;
	}
	cmd_print(ctx, "pid %d (%s)\n", c->pid, c->comm);
	return 0;
}

const struct cmd_entry cmd_fork_entry = {
	.name = "fork",
	.group = CMD_GROUP_PROCESS,
	.usage = "fork PID",
	.summary = "copy a process; prints the child's pid",
	.help =
	    "  fork(2): copy_process makes a child whose mm_struct is a copy of the\n"
	    "  parent's (dup_mmap: every VMA, with its file and flags, except\n"
	    "  VM_DONTCOPY ones). Anonymous VMAs that already have an anon_vma get one\n"
	    "  of their own in the child, linked to the parent's. Prints\n"
	    "  \"pid N (NAME)\" for the child.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_fork_exec,
};

static int cmd_exec_exec(struct cmd_ctx *ctx)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	const char *name = ctx->args.argc > 1 ? ctx->args.argv[1] : NULL;
	int err;

	if (t == NULL)
		return -1;
	if (name != NULL && cmd_check_name(ctx, "NAME", name) != 0)
		return -1;
	err = task_exec(ctx->m, t, name);
	if (err) {
		cmd_print_errno(ctx, "execve", err);
		return 0;
	}
	cmd_print(ctx, "pid %d (%s)\n", t->pid, t->comm);
	return 0;
}

const struct cmd_entry cmd_exec_entry = {
	.name = "exec",
	.group = CMD_GROUP_PROCESS,
	.usage = "exec PID [NAME]",
	.summary = "replace a process's address space with a new program",
	.help =
	    "  execve(2): the process keeps its pid and parent but gets a brand-new\n"
	    "  mm_struct laid out as 'spawn' does, for /usr/bin/NAME (default: the\n"
	    "  same program); the old address space is torn down (exit_mmap) and\n"
	    "  malloc starts afresh.",
	.args_min = 1,
	.args_max = 2,
	.exec = cmd_exec_exec,
};

static int exit_or_kill(struct cmd_ctx *ctx, bool kill)
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);
	char comm[TASK_COMM_LEN];
	int pid;

	if (t == NULL)
		return -1;
	pid = t->pid;
	memcpy(comm, t->comm, sizeof(comm));
	task_exit(ctx->m, t, kill ? "killed by SIGKILL" : "exit(0)");
	if (kill)
		cmd_print(ctx, "pid %d (%s) killed by SIGKILL\n", pid, comm);
	else
		cmd_print(ctx, "pid %d (%s) exited\n", pid, comm);
	return 0;
}

static int cmd_exit_exec(struct cmd_ctx *ctx)
{
	return exit_or_kill(ctx, false);
}

static int cmd_kill_exec(struct cmd_ctx *ctx)
{
	return exit_or_kill(ctx, true);
}

const struct cmd_entry cmd_exit_entry = {
	.name = "exit",
	.group = CMD_GROUP_PROCESS,
	.usage = "exit PID",
	.summary = "a process exits; its address space is torn down",
	.help =
	    "  The process calls exit(2): do_exit drops its mm (mmput -> exit_mmap\n"
	    "  unmaps every VMA and frees the page tables) and it is reaped. Its\n"
	    "  children are reparented to pid 1. (To leave vmscope, use 'quit'.)",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_exit_exec,
};

const struct cmd_entry cmd_kill_entry = {
	.name = "kill",
	.group = CMD_GROUP_PROCESS,
	.usage = "kill PID",
	.summary = "kill a process with SIGKILL",
	.help =
	    "  Send SIGKILL: the process dies at once and its address space is torn\n"
	    "  down as with 'exit'.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_kill_exec,
};

static int cmd_ps_exec(struct cmd_ctx *ctx)
{
	report_ps(ctx->m, ctx->out);
	return 0;
}

const struct cmd_entry cmd_ps_entry = {
	.name = "ps",
	.group = CMD_GROUP_PROCESS,
	.usage = "ps",
	.summary = "the processes: PID PPID COMM VSZ RSS MINFLT MAJFLT STATE",
	.help =
	    "  One line per process: VSZ is total_vm and RSS the resident pages\n"
	    "  (rss_stat), both in KiB as ps shows them; MINFLT and MAJFLT count\n"
	    "  minor and major page faults; STATE is R for the process on the CPU,\n"
	    "  S otherwise.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_ps_exec,
};

/* ------------------------------------------------------------ views */

static int view_exec(struct cmd_ctx *ctx,
    void (*fn)(struct task_struct *, struct sbuf *))
{
	struct task_struct *t = cmd_find_task(ctx, ctx->args.argv[0]);

	if (t == NULL)
		return -1;
	fn(t, ctx->out);
	return 0;
}

static int cmd_maps_exec(struct cmd_ctx *ctx)
{
	return view_exec(ctx, report_maps);
}

static int cmd_smaps_exec(struct cmd_ctx *ctx)
{
	return view_exec(ctx, report_smaps);
}

static int cmd_pmap_exec(struct cmd_ctx *ctx)
{
	return view_exec(ctx, report_pmap);
}

static int cmd_status_exec(struct cmd_ctx *ctx)
{
	return view_exec(ctx, report_status);
}

const struct cmd_entry cmd_maps_entry = {
	.name = "maps",
	.group = CMD_GROUP_VIEW,
	.usage = "maps PID",
	.summary = "the process's VMAs, as /proc/PID/maps",
	.help =
	    "  One line per VMA in the format of /proc/PID/maps (show_map_vma):\n"
	    "  start-end, permissions (p private, s shared), file offset, device,\n"
	    "  inode, and a name from column 74 (50 on 32-bit machines): the file,\n"
	    "  [heap], [stack], [vdso], [vvar]. Plain anonymous lines end in one\n"
	    "  space. x86_64 adds the [vsyscall] page, arm32 [vectors].",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_maps_exec,
};

const struct cmd_entry cmd_smaps_entry = {
	.name = "smaps",
	.group = CMD_GROUP_VIEW,
	.usage = "smaps PID",
	.summary = "per-VMA memory counters, as /proc/PID/smaps",
	.help =
	    "  Each maps line followed by its counters (Size, Rss, Pss, shared and\n"
	    "  private clean/dirty, Anonymous, Swap...) and VmFlags, the two-letter\n"
	    "  names of vm_flags (rd wr ex sh mr mw me ms gd ... ac ...). Rss and the\n"
	    "  counters after it count the pages present in the page table.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_smaps_exec,
};

const struct cmd_entry cmd_pmap_entry = {
	.name = "pmap",
	.group = CMD_GROUP_VIEW,
	.usage = "pmap PID",
	.summary = "the address space as pmap -x shows it",
	.help =
	    "  procps pmap -x: address, size, resident and dirty KiB, mode, and the\n"
	    "  mapping (file name, [ anon ], [ stack ]), then the totals.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_pmap_exec,
};

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.group = CMD_GROUP_VIEW,
	.usage = "status PID",
	.summary = "the Vm* lines of /proc/PID/status",
	.help =
	    "  Name, State, pids and the memory lines of /proc/PID/status (task_mem):\n"
	    "  VmPeak/VmSize (total_vm), VmRSS with RssAnon/RssFile/RssShmem, VmData\n"
	    "  (private writable), VmStk, VmExe (the text), VmLib (other executable\n"
	    "  mappings), VmPTE (page tables), VmSwap.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_status_exec,
};

static int cmd_layout_exec(struct cmd_ctx *ctx)
{
	struct exec_layout l;

	report_kernel_layout(ctx->m, ctx->out);
	arch_exec_layout(ctx->m, &l);
	cmd_print(ctx, "exec layout: text at 0x%" PRIx64 ", mmap_base 0x%"
	    PRIx64 ", STACK_TOP 0x%" PRIx64 "\n", l.text_start, l.mmap_base,
	    l.stack_top);
	return 0;
}

const struct cmd_entry cmd_layout_entry = {
	.name = "layout",
	.group = CMD_GROUP_VIEW,
	.usage = "layout",
	.summary = "the architecture's virtual address space, kernel half included",
	.help =
	    "  User space (0 to TASK_SIZE) and the kernel's regions above it: on\n"
	    "  x86_64 the direct map of all RAM, vmalloc, vmemmap, kernel text and\n"
	    "  modules (Documentation/arch/x86/x86_64/mm.rst); on i386 lowmem (up to\n"
	    "  896M of RAM mapped linearly at 0xc0000000), vmalloc, pkmap and fixmap;\n"
	    "  on arm32 modules, lowmem, vmalloc, fixmap and the vector page; on\n"
	    "  arm64 the linear map, modules, vmalloc and vmemmap.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_layout_exec,
};
