/*
 * cmd-import.c - `import-maps [PID] FILE`: a process built from a real
 * /proc/PID/maps file, so a student can load the layout of their own
 * shell (cat /proc/$$/maps > my.maps) and explore it with maps, pmap,
 * mmap, mprotect... The reading and building are in
 * src/core/import-maps.c; this file is the command around them.
 */
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/import-maps.h"
#include "vmscope/session.h"
#include "cmd-task.h"

static int cmd_import_maps_exec(struct cmd_ctx *ctx)
{
	struct args *a = &ctx->args;
	struct task_struct *t = NULL;
	const char *path = a->argv[a->argc - 1];
	struct maps_import_info info;
	struct maps_file mf;
	int rc;

	if (a->argc == 2 && (t = cmd_find_task(ctx, a->argv[0])) == NULL)
		return -1;
	if (maps_load(path, &mf, ctx->err) != 0) {
		ctx->s->file_error = true;
		return -1;
	}
	rc = maps_import(ctx->m, &mf, &t, &info, ctx->err);
	maps_file_free(&mf);
	if (rc != 0) {
		ctx->s->file_error = true;
		return -1;
	}
	cmd_print(ctx, "pid %d (%s): %zu VMA%s from %s", t->pid, t->comm,
	    info.vmas, info.vmas == 1 ? "" : "s", path);
	if (info.skipped > 0)
		cmd_print(ctx, " (%zu line%s left out: the gate page, which "
		    "maps shows by itself)", info.skipped,
		    info.skipped == 1 ? "" : "s");
	cmd_print(ctx, "\n");
	return 0;
}

const struct cmd_entry cmd_import_maps_entry = {
	.name = "import-maps",
	.group = CMD_GROUP_ADDRESS_SPACE,
	.usage = "import-maps [PID] FILE",
	.summary = "a process laid out as a real /proc/PID/maps file says",
	.help =
	    "  Build a process from a copy of a real /proc/PID/maps file (try\n"
	    "  'cat /proc/$$/maps > shell.maps': your shell). Without PID a new\n"
	    "  process is made, named after the first file mapped (the program);\n"
	    "  with PID its address space is replaced, as execve would. Every line\n"
	    "  becomes one VMA at the place the line gives, with its permissions and\n"
	    "  offset; a file line maps a simulated file with the line's name, device\n"
	    "  and inode; [heap] sets the program break (start_brk, brk) and [stack]\n"
	    "  start_stack, so 'maps' prints the lines back as they were. [vsyscall]\n"
	    "  is not a VMA: 'maps' prints the machine's own. The machine must be the\n"
	    "  file's architecture (machine --arch i386 for a 32-bit maps). A line\n"
	    "  that is wrong, or out of place on this machine, stops the import:\n"
	    "  FILE:LINE:COL: what is wrong, and nothing changes.",
	.args_min = 1,
	.args_max = 2,
	.exec = cmd_import_maps_exec,
};
