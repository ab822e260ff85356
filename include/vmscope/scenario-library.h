/*
 * scenario-library.h - finding scenarios by name. A scenario can be named
 * by its path or, for the lessons shipped with vmscope and those a teacher
 * keeps in a directory of their own, by its bare name ("buddy" for
 * buddy.json). scenario_load() resolves names through scenario_find(), so
 * `vmscope run NAME`, `vmscope check NAME`, `vmscope tui NAME` and the
 * `load NAME` command all accept one.
 *
 * The library is searched in this order:
 *   1. each directory of $VMSCOPE_SCENARIO_PATH (colon-separated);
 *   2. the source tree's scenarios/, only when the running binary is the
 *      one in the build tree (an uninstalled vmscope);
 *   3. the installed library, $(pkgdatadir)/scenarios.
 */
#ifndef VMSCOPE_SCENARIO_LIBRARY_H
#define VMSCOPE_SCENARIO_LIBRARY_H

#include "vmscope/sbuf.h"

/*
 * The file NAME stands for (caller frees): NAME itself when it exists,
 * else NAME or NAME.json in the first library directory that has it.
 * A NAME with a '/' is a path and is never looked up. NULL if none.
 */
char	*scenario_find(const char *name);

/*
 * The library directories in search order, as a NULL-terminated array
 * (caller frees with scenario_dirs_free). Directories that do not exist
 * are included: the list says where vmscope looks.
 */
char	**scenario_dirs(void);
void	 scenario_dirs_free(char **dirs);

/*
 * Every scenario of the library, sorted by name, one line each: its name
 * (what scenario_find accepts) and its title. A name found in two
 * directories is listed once, from the first. A file that does not load
 * is reported in err and makes the result -1; the others are listed.
 */
int	 scenario_library_list(struct sbuf *out, struct sbuf *err);

#endif
