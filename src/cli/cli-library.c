/*
 * cli-library.c - `vmscope list`: the scenarios vmscope finds by name
 * (src/scenario/library.c searches; this prints), one per line with its
 * title, for people and for shell completion.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "vmscope/cli.h"
#include "vmscope/scenario-library.h"

int cli_list_main(int argc, char **argv)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	bool dirs = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("Usage: %s list [--dirs]\n"
			    "List the scenarios that 'run', 'check', 'tui' and 'load' accept by\n"
			    "name, with their titles. --dirs prints the directories searched,\n"
			    "in order: $VMSCOPE_SCENARIO_PATH, then the installed library.\n",
			    PACKAGE_NAME);
			return 0;
		}
		if (strcmp(argv[i], "--dirs") == 0) {
			dirs = true;
			continue;
		}
		fprintf(stderr, "%s: list: unexpected argument '%s'\n"
		    "Try '%s list --help' for more information.\n",
		    PACKAGE_NAME, argv[i], PACKAGE_NAME);
		return 2;
	}
	if (dirs) {
		char **d = scenario_dirs();

		for (char **p = d; *p != NULL; p++)
			printf("%s\n", *p);
		scenario_dirs_free(d);
		return 0;
	}
	rc = scenario_library_list(&out, &err);
	cli_flush(&out, &err);
	sbuf_free(&out);
	sbuf_free(&err);
	return rc == 0 ? 0 : 1;
}
