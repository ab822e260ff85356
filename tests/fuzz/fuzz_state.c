/*
 * fuzz_state.c - libFuzzer entry point for `restore` (src/scenario/
 * state.c): any bytes must give either a machine that passes every
 * invariant check and saves back to exactly the bytes it was read from
 * when those were a save, or exactly one error line that starts with the
 * file name and either a position or "inconsistent state". Built with
 * clang -fsanitize=fuzzer by `make fuzz`; replay.c turns it into a plain
 * program that replays the corpus in tests/fuzz/state/ under `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/session.h"
#include "vmscope/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf err = SBUF_INIT, again = SBUF_INIT, third = SBUF_INIT;
	struct machine *m, *m2;
	const char *msg;
	char why[512];

	m = state_parse("fuzz.json", (const char *)data, size, &err);
	msg = sbuf_str(&err);
	if (m == NULL) {
		unsigned line, col;
		char c;

		/* One line: "fuzz.json:LINE:COL: ..." or "fuzz.json: inconsistent state: ..." */
		if (strchr(msg, '\n') != msg + strlen(msg) - 1 ||
		    (strncmp(msg, "fuzz.json: inconsistent state: ", 31) != 0 &&
		    (sscanf(msg, "fuzz.json:%u:%u%c", &line, &col, &c) != 3 ||
		    line == 0 || col == 0 || c != ':'))) {
			fprintf(stderr, "bad error message: %s\n", msg);
			abort();
		}
		sbuf_free(&err);
		return 0;
	}
	if (err.len != 0 || validate_machine(m, why, sizeof(why)) != 0) {
		fprintf(stderr, "accepted an inconsistent machine: %s\n", why);
		abort();
	}
	/* what was accepted saves to a file that restores to itself */
	state_write(m, &again);
	m2 = state_parse("again.json", again.s, again.len, &err);
	if (m2 == NULL) {
		fprintf(stderr, "a save does not restore: %s\n", sbuf_str(&err));
		abort();
	}
	state_write(m2, &third);
	if (third.len != again.len || memcmp(third.s, again.s, again.len) != 0) {
		fprintf(stderr, "restore then save is not the same file\n");
		abort();
	}
	machine_free(m2);
	machine_free(m);
	sbuf_free(&third);
	sbuf_free(&again);
	sbuf_free(&err);
	return 0;
}
