/*
 * main.c - vmscope's entry point: parse the options and hand the session
 * to a front end. Nothing else lives here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "vmscope/cli.h"
#include "vmscope/session.h"

static void usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: %s [OPTION]...\n"
	    "A Linux virtual-memory laboratory: a simulated machine with processes,\n"
	    "VMAs, page tables, a TLB, zones and a buddy allocator, driven by commands\n"
	    "that mirror system calls and /proc views.\n"
	    "\n"
	    "With no option, start the interactive prompt on the default machine\n"
	    "(x86_64, 256 MiB RAM); when standard input is not a terminal, read\n"
	    "commands from it without prompting.\n"
	    "\n"
	    "  -e, --execute=COMMANDS   run COMMANDS (separated by ';') and exit\n"
	    "  -q, --quiet              no banner at the prompt\n"
	    "  -h, --help               display this help and exit\n"
	    "  -V, --version            output version information and exit\n"
	    "\n"
	    "Exit status: 0 if every command succeeded, 1 if a command failed,\n"
	    "2 for a usage error.\n"
	    "\n"
	    "Examples:\n"
	    "  vmscope -e 'alloc_pages 7; buddyinfo'\n"
	    "  echo meminfo | vmscope\n"
	    "\n"
	    "Type 'help' at the prompt for the commands.\n",
	    PACKAGE_NAME);
}

static void version(void)
{
	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	printf("A Linux virtual-memory laboratory.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "execute", required_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *execute = NULL;
	bool quiet = false;
	struct session *s;
	int c, rc;

	while ((c = getopt_long(argc, argv, "e:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			execute = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			version();
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n",
			    PACKAGE_NAME);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n"
		    "Try '%s --help' for more information.\n", PACKAGE_NAME,
		    argv[optind], PACKAGE_NAME);
		return 2;
	}

	s = session_new();
	if (execute != NULL)
		rc = cli_run_string(s, execute);
	else if (isatty(STDIN_FILENO))
		rc = cli_repl(s, !quiet);
	else
		rc = cli_run_stream(s, stdin);
	session_free(s);
	return rc;
}
