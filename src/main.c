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
#include "vmscope/scenario.h"
#include "vmscope/session.h"
#include "vmscope/tui.h"

static void usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: %s [OPTION]...\n"
	    "  or:  %s [OPTION]... run FILE|NAME\n"
	    "  or:  %s check FILE|NAME...\n"
	    "  or:  %s list\n"
	    "  or:  %s exercise KIND [--seed N] [--solve] [OPTION]...\n"
	    "  or:  %s ostep FILE [--tui]\n"
	    "  or:  %s tui [--no-color] [--ascii] [FILE|NAME]\n"
	    "A Linux virtual-memory laboratory: a simulated machine with processes,\n"
	    "VMAs, page tables, a TLB, zones and a buddy allocator, driven by commands\n"
	    "that mirror system calls and /proc views.\n"
	    "\n"
	    "With no option, start the interactive prompt on the default machine\n"
	    "(x86_64, 256 MiB RAM); when standard input is not a terminal, read\n"
	    "commands from it without prompting.\n"
	    "\n"
	    "'run FILE' plays a scenario (a JSON lesson: machine, steps, checks,\n"
	    "quiz questions) and prints its transcript; 'check FILE...' validates\n"
	    "scenarios without playing them (see doc/scenarios.md). A NAME is a\n"
	    "scenario of the library (searched in $VMSCOPE_SCENARIO_PATH, then\n"
	    "the installed ones); 'list' prints them with their titles.\n"
	    "'exercise KIND' prints a generated problem (--solve: its worked answer);\n"
	    "'ostep FILE' answers a problem printed by OSTEP's paging-policy.py or\n"
	    "its two translation homeworks in the layout of their -c output; with\n"
	    "--tui it opens the full-screen view to step through it (see\n"
	    "doc/policies.md, doc/exercises.md).\n"
	    "'tui [FILE]' opens the full-screen view, stepping through FILE (a\n"
	    "scenario or one command per line) if given (see doc/tui.md).\n"
	    "\n"
	    "  -e, --execute=COMMANDS   run COMMANDS (separated by ';') and exit\n"
	    "      --events=FILE        write every event of the session (or of\n"
	    "                             the scenario with run) to FILE as JSON\n"
	    "                             Lines; '-' is standard output\n"
	    "  -i, --interactive        with run: ask the quiz questions and wait\n"
	    "                             for answers instead of printing them\n"
	    "  -q, --quiet              no banner at the prompt\n"
	    "  -h, --help               display this help and exit\n"
	    "  -V, --version            output version information and exit\n"
	    "\n"
	    "Exit status: 0 if every command succeeded (and every check of a\n"
	    "scenario held), 1 if a command failed or a check did not hold, 2 for a\n"
	    "usage error or a file that cannot be read or parsed.\n"
	    "\n"
	    "Examples:\n"
	    "  vmscope -e 'alloc_pages 7; buddyinfo'\n"
	    "  echo meminfo | vmscope\n"
	    "  vmscope run scenarios/buddy.json\n"
	    "  vmscope run buddy\n"
	    "\n"
	    "Type 'help' at the prompt for the commands.\n",
	    PACKAGE_NAME, PACKAGE_NAME, PACKAGE_NAME, PACKAGE_NAME, PACKAGE_NAME,
	    PACKAGE_NAME, PACKAGE_NAME);
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
		{ "events", required_argument, NULL, 'E' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *execute = NULL, *events = NULL;
	bool quiet = false, interactive = false;
	struct session *s;
	int c, rc;

	/* These subcommands have options of their own: hand them argv whole. */
	if (argc > 1 && strcmp(argv[1], "exercise") == 0)
		return cli_exercise_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "ostep") == 0)
		return cli_ostep_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "tui") == 0)
		return tui_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "list") == 0)
		return cli_list_main(argc - 1, argv + 1);
	while ((c = getopt_long(argc, argv, "e:iqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			execute = optarg;
			break;
		case 'E':	/* long only: --events FILE */
			events = optarg;
			break;
		case 'i':
			interactive = true;
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
	if (optind < argc && strcmp(argv[optind], "check") == 0) {
		if (optind + 1 == argc)
			goto missing_file;
		return cli_scenario_check(argc - optind - 1, argv + optind + 1);
	}
	if (optind < argc && strcmp(argv[optind], "run") == 0) {
		if (optind + 1 == argc)
			goto missing_file;
		if (optind + 2 == argc) {
			s = session_new();
			if (events != NULL && cli_record_open(s, events) != 0) {
				session_free(s);
				return 2;
			}
			rc = cli_scenario_run(s, argv[optind + 1], interactive);
			if (cli_record_close(s) != 0 && rc == 0)
				rc = 2;
			session_free(s);
			return rc;
		}
		optind += 2;	/* one scenario per run: the next word is extra */
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n"
		    "Try '%s --help' for more information.\n", PACKAGE_NAME,
		    argv[optind], PACKAGE_NAME);
		return 2;
	}

	s = session_new();
	if (events != NULL && cli_record_open(s, events) != 0) {
		session_free(s);
		return 2;
	}
	scenario_attach(s, &cli_scenario_io);
	if (execute != NULL)
		rc = cli_run_string(s, execute);
	else if (isatty(STDIN_FILENO)) {
		s->tui_hook = tui_session_hook;	/* the `tui` command */
		rc = cli_repl(s, !quiet);
	}
	else
		rc = cli_run_stream(s, stdin);
	if (cli_record_close(s) != 0 && rc == 0)
		rc = 2;
	session_free(s);
	return rc;

missing_file:
	fprintf(stderr, "%s: %s: a scenario file is needed\n"
	    "Try '%s --help' for more information.\n", PACKAGE_NAME,
	    argv[optind], PACKAGE_NAME);
	return 2;
}
