/*
 * state.h - whole-machine save and restore (`save FILE`, `restore FILE`):
 * every structure that defines a machine written as one JSON document and
 * read back into a new machine. doc/state.md describes the format.
 *
 * Host pointers become ids on the way out (files by their place in the
 * file list, anon_vmas by their id, tasks by pid, page tables by the pid
 * that owns them) and pointers again on the way in. Restoring builds a
 * complete new machine, checks it (the structural rules of the format,
 * then validate_machine) and only then hands it over; on any mistake the
 * caller's machine is untouched. Lives in src/scenario because it uses
 * cJSON; the commands reach it through the session's scenario_ops.
 */
#ifndef VMSCOPE_STATE_H
#define VMSCOPE_STATE_H

#include "vmscope/sbuf.h"

struct cmd_ctx;
struct machine;
struct session;

#define STATE_FORMAT	"vmscope-state"
#define STATE_VERSION	1
/* Files larger than this are refused before parsing. */
#define STATE_MAX_SIZE	(64U << 20)

/* The machine as JSON text (deterministic: the same state, the same bytes). */
void	 state_write(struct machine *m, struct sbuf *out);
/*
 * Build a new machine from JSON text; name is used in messages. On a
 * mistake return NULL with one line in err: "NAME:LINE:COL: PATH: what is
 * wrong" for the structure, "NAME: inconsistent state: why" when the parts
 * do not fit together.
 */
struct machine *state_parse(const char *name, const char *text, size_t len,
	    struct sbuf *err);

/* The same with files ("vmscope: FILE: No such file or directory"). */
int	 state_save_file(struct machine *m, const char *path, struct sbuf *err);
struct machine *state_load_file(const char *path, struct sbuf *err);

/*
 * The engine of the `save` and `restore` commands (scenario_ops in
 * session.h). restore swaps the session's machine only on success.
 */
int	 state_cmd_save(struct cmd_ctx *ctx, const char *path);
int	 state_cmd_restore(struct cmd_ctx *ctx, const char *path);

#endif
