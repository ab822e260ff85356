/*
 * import-maps.h - a simulated process built from a real /proc/PID/maps
 * file, so a student can load the layout of their own shell and explore
 * it (`import-maps`, src/cmd/cmd-import.c). Implemented in
 * src/core/import-maps.c in two stages: maps_parse reads the text (no
 * machine involved: testable and fuzzable alone), maps_import checks the
 * lines against a machine and builds the address space, all or nothing.
 *
 * Each line becomes one VMA with the line's range, permissions, offset
 * (vm_pgoff), and for file lines a simulated file with the line's name,
 * device and inode, so `maps` prints the line back as it was read. What
 * cannot come back is listed in doc/import-maps.md.
 */
#ifndef VMSCOPE_IMPORT_MAPS_H
#define VMSCOPE_IMPORT_MAPS_H

#include "vmscope/sbuf.h"

struct machine;
struct task_struct;

/* One line of a maps file, as written (columns are 0-based, for messages). */
struct maps_line {
	uint64_t	 start, end;
	char		 perms[5];	/* "r-xp" */
	uint64_t	 offset;	/* bytes */
	unsigned	 major, minor;
	uint64_t	 ino;
	char		*name;		/* NULL: no name (plain anonymous) */
	size_t		 line;		/* 1-based */
	size_t		 col_end, col_perms, col_offset, col_dev, col_ino,
			 col_name;
};

struct maps_file {
	char		*name;		/* for messages */
	struct maps_line *lines;
	size_t		 n, cap;
};

/* Files larger than this are refused before parsing. */
#define MAPS_MAX_SIZE		(16U << 20)

/*
 * Read the lines of a maps file: "START-END PERMS OFFSET MAJ:MIN INODE
 * [NAME]" with hex START, END, OFFSET, MAJ and MIN and decimal INODE, the
 * name being the rest of the line after the blanks. 0, or -1 with one
 * "NAME:LINE:COL: what is wrong\n" in err and mf empty.
 */
int	 maps_parse(const char *name, const char *text, size_t len,
	     struct maps_file *mf, struct sbuf *err);
/* Read a file ("vmscope: FILE: No such file or directory"). */
int	 maps_load(const char *path, struct maps_file *mf, struct sbuf *err);
void	 maps_file_free(struct maps_file *mf);

/* What an import did, for the command's report. */
struct maps_import_info {
	size_t		 vmas;		/* VMAs made */
	size_t		 files;		/* simulated files made */
	size_t		 skipped;	/* lines left out (the [vsyscall] page) */
};

/*
 * Check every line against machine m (page alignment, address order, the
 * top of user space, [heap] and [stack] lines that the model can name),
 * then build the address space: into a new process when *taskp is NULL
 * (named after the first file mapped, like the executable), else in
 * place of the address space of *taskp (as execve would). On a mistake
 * return -1 with "NAME:LINE:COL: what is wrong\n" in err and nothing in
 * the machine changed.
 */
int	 maps_import(struct machine *m, const struct maps_file *mf,
	     struct task_struct **taskp, struct maps_import_info *info,
	     struct sbuf *err);

#endif
