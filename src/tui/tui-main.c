/*
 * tui-main.c - `vmscope tui [OPTION]... [FILE]`: its options, then a fresh
 * session handed to tui_run. Kept apart from tui.c so the screen code
 * knows nothing of the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vmscope/scenario.h"
#include "vmscope/scenario-library.h"
#include "vmscope/session.h"
#include "vmscope/tui.h"

static void tui_usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: %s tui [--no-color] [--ascii] [FILE]\n"
	    "Show the simulated machine full screen: address space, page-table walk,\n"
	    "physical frames, buddy free lists, TLB and the event log. With FILE (a\n"
	    "JSON scenario, or one command per line) its commands become steps to go\n"
	    "back and forth through, event by event.\n"
	    "\n"
	    "      --no-color   no colours (so does a non-empty NO_COLOR)\n"
	    "      --ascii      ASCII borders even in a UTF-8 locale\n"
	    "  -h, --help       display this help and exit\n"
	    "\n"
	    "Keys: n/b step, N/B by command, p play, : command, ? help, q quit.\n"
	    "See doc/tui.md.\n", PACKAGE_NAME);
}

int tui_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-color", no_argument, NULL, 'C' },
		{ "ascii", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tui_options opt = { 0 };
	struct session *s;
	char *file;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			opt.no_color = true;
			break;
		case 'A':
			opt.ascii = true;
			break;
		case 'h':
			tui_usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s tui --help' for more information.\n",
			    PACKAGE_NAME);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "%s: tui: one file at most ('%s' is extra)\n",
		    PACKAGE_NAME, argv[optind + 1]);
		return 2;
	}
	/* A bare name may be a scenario of the library (`vmscope tui buddy`). */
	file = optind < argc ? scenario_find(argv[optind]) : NULL;
	opt.file = file != NULL ? file : optind < argc ? argv[optind] : NULL;
	s = session_new();
	scenario_attach(s, NULL);
	rc = tui_run(s, &opt);
	session_free(s);
	free(file);
	return rc;
}
