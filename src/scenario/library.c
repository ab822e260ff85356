/*
 * library.c - scenarios by name: the search path (scenario-library.h says
 * which directories, in which order) and the listing of `vmscope list`.
 * scenario.c calls scenario_find() before opening a file, so everything
 * that loads a scenario accepts a name; this file only knows about
 * directories and file names, never about the JSON inside, and reads
 * titles through scenario_load() like any other caller.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmscope/compiler.h"
#include "vmscope/scenario.h"
#include "vmscope/scenario-library.h"

#ifndef VMSCOPE_DATADIR
#define VMSCOPE_DATADIR "/usr/local/share/vmscope"
#endif

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Is the running binary the one `make` built in the build tree? Then the
 * source tree's scenarios/ are the library, so that an uninstalled
 * vmscope finds the lessons next to it; an installed copy never looks
 * there, whether or not the build tree is still around.
 */
static bool running_uninstalled(void)
{
#if defined(VMSCOPE_BUILDDIR) && defined(VMSCOPE_SRCDIR)
	char exe[PATH_MAX], *dir, *slash;
	ssize_t n;
	bool same;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';
	dir = realpath(VMSCOPE_BUILDDIR, NULL);
	same = dir != NULL && strcmp(dir, exe) == 0;
	free(dir);
	return same;
#else
	return false;
#endif
}

static void dirs_add(char ***dirs, size_t *n, char *dir)
{
	*dirs = xrealloc(*dirs, (*n + 2) * sizeof(**dirs));
	(*dirs)[(*n)++] = dir;
	(*dirs)[*n] = NULL;
}

char **scenario_dirs(void)
{
	const char *env = getenv("VMSCOPE_SCENARIO_PATH");
	char **dirs = xcalloc(1, sizeof(*dirs));
	size_t n = 0;

	while (env != NULL && *env != '\0') {
		size_t len = strcspn(env, ":");

		if (len > 0)
			dirs_add(&dirs, &n, xasprintf("%.*s", (int)len, env));
		env += len;
		if (*env == ':')
			env++;
	}
#ifdef VMSCOPE_SRCDIR
	if (running_uninstalled())
		dirs_add(&dirs, &n, xstrdup(VMSCOPE_SRCDIR "/scenarios"));
#endif
	dirs_add(&dirs, &n, xstrdup(VMSCOPE_DATADIR "/scenarios"));
	return dirs;
}

void scenario_dirs_free(char **dirs)
{
	if (dirs == NULL)
		return;
	for (char **d = dirs; *d != NULL; d++)
		free(*d);
	free(dirs);
}

static bool has_json_suffix(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".json") == 0;
}

char *scenario_find(const char *name)
{
	char **dirs, *found = NULL;

	if (access(name, F_OK) == 0)
		return xstrdup(name);
	if (*name == '\0' || strchr(name, '/') != NULL)
		return NULL;
	dirs = scenario_dirs();
	for (char **d = dirs; *d != NULL && found == NULL; d++) {
		char *path = xasprintf("%s/%s", *d, name);

		if (!is_file(path) && !has_json_suffix(name)) {
			free(path);
			path = xasprintf("%s/%s.json", *d, name);
		}
		if (is_file(path))
			found = path;
		else
			free(path);
	}
	scenario_dirs_free(dirs);
	return found;
}

/*
 * Titles start in a fixed column, so that adding a lesson with a long name
 * does not move the others (scripts and documentation show these lines).
 */
#define LIST_NAME_WIDTH	16

struct entry {
	char	*name;		/* without .json */
	char	*path;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

int scenario_library_list(struct sbuf *out, struct sbuf *err)
{
	struct entry *v = NULL;
	size_t n = 0;
	char **dirs = scenario_dirs();
	int rc = 0;

	for (char **d = dirs; *d != NULL; d++) {
		DIR *dp = opendir(*d);
		struct dirent *de;
		size_t first = n;	/* names of earlier directories win */

		if (dp == NULL)
			continue;
		while ((de = readdir(dp)) != NULL) {
			size_t len = strlen(de->d_name);
			char *name, *path;
			bool dup = false;

			if (de->d_name[0] == '.' || !has_json_suffix(de->d_name))
				continue;
			path = xasprintf("%s/%s", *d, de->d_name);
			if (!is_file(path)) {
				free(path);
				continue;
			}
			name = xasprintf("%.*s", (int)(len - 5), de->d_name);
			for (size_t i = 0; i < first && !dup; i++)
				dup = strcmp(v[i].name, name) == 0;
			if (dup) {
				free(name);
				free(path);
				continue;
			}
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].name = name;
			v[n].path = path;
			n++;
		}
		closedir(dp);
	}
	scenario_dirs_free(dirs);
	if (n > 0)
		qsort(v, n, sizeof(*v), entry_cmp);
	for (size_t i = 0; i < n; i++) {
		struct scenario *sc = scenario_load(v[i].path, err);

		if (sc == NULL)
			rc = -1;
		else
			sbuf_printf(out, "%-*s  %s\n", LIST_NAME_WIDTH,
			    v[i].name, sc->title);
		scenario_free(sc);
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
	return rc;
}
