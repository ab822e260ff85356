/*
 * cmd-task.h - helpers shared by the process and address-space command
 * families (cmd-proc.c, cmd-mm.c): finding the process a PID argument
 * names and printing a system call's failure as the kernel reports it.
 * Private to src/cmd.
 */
#ifndef VMSCOPE_CMD_TASK_H
#define VMSCOPE_CMD_TASK_H

#include "vmscope/cmd.h"
#include "vmscope/task.h"

/*
 * The process named by arg, or NULL after reporting "vmscope: CMD: no
 * process with pid N" (or that arg is not a pid).
 */
struct task_struct *cmd_find_task(struct cmd_ctx *ctx, const char *arg);

/*
 * A simulated system call failed: print the result line
 * "SYSCALL: ENAME (text)" to the command's output. Not an error of
 * vmscope: the command succeeds.
 */
void	 cmd_print_errno(struct cmd_ctx *ctx, const char *syscall, int err);

/* A program name for spawn/exec: non-empty, printable, no spaces. */
int	 cmd_check_name(struct cmd_ctx *ctx, const char *what, const char *name);

#endif
