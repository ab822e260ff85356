/*
 * fuzz_scenario.c - libFuzzer entry point for the scenario loader: any
 * bytes must give either a scenario or exactly one error line that starts
 * with the file name and a position. Built with clang -fsanitize=fuzzer
 * by `make fuzz`; replay.c turns it into a plain program that replays the
 * corpus in tests/fuzz/scenario/ under `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf err = SBUF_INIT;
	struct scenario *sc;
	const char *msg;

	sc = scenario_parse("fuzz.json", (const char *)data, size, &err);
	msg = sbuf_str(&err);
	if (sc == NULL) {
		unsigned line, col;
		char c;

		/* One line, "fuzz.json:LINE:COL: ...", positions from 1. */
		if (sscanf(msg, "fuzz.json:%u:%u%c", &line, &col, &c) != 3 ||
		    line == 0 || col == 0 || c != ':' ||
		    strchr(msg, '\n') != msg + strlen(msg) - 1) {
			fprintf(stderr, "bad error message: %s\n", msg);
			abort();
		}
	} else {
		if (err.len != 0 || sc->nsteps < 1 || sc->title == NULL ||
		    sc->machine_line == NULL ||
		    strncmp(sc->machine_line, "machine", 7) != 0) {
			fprintf(stderr, "inconsistent scenario\n");
			abort();
		}
		for (int i = 0; i < sc->nsteps; i++) {
			const struct sc_step *st = &sc->steps[i];

			if (st->cmd == NULL && st->say == NULL && st->ask == NULL)
				abort();
			if (st->nexpects > 0 && st->cmd == NULL)
				abort();
		}
	}
	scenario_free(sc);
	sbuf_free(&err);
	return 0;
}
