/*
 * fuzz_cmd.c - libFuzzer entry point for the command parser: splitting a
 * line into commands and words, finding commands, parsing options and
 * numbers, without running anything (so inputs cannot build huge
 * machines). Every error must be one line "vmscope: ...". Replayed from
 * tests/fuzz/cmd/ by `make check` (see replay.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_messages(const struct sbuf *err)
{
	const char *p = sbuf_str(err);

	/* Each message is one line starting "vmscope: ". */
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, "vmscope: ", 9) != 0 || nl == NULL) {
			fprintf(stderr, "bad error message: %s\n", p);
			abort();
		}
		p = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The command language is text: it ends at a NUL. */
	char *line = xstrndup((const char *)data, size);
	struct sbuf err = SBUF_INIT;
	char **words;
	int nwords, bad;
	uint64_t v;

	bad = cmd_check_line(line, &err, NULL, NULL);
	if ((bad == 0) != (err.len == 0)) {
		fprintf(stderr, "%d bad commands but messages '%s'\n", bad,
		    sbuf_str(&err));
		abort();
	}
	check_messages(&err);
	sbuf_reset(&err);
	/* Words of each command, as cmd_run_line cuts the line. */
	for (const char *p = line; *p != '\0';) {
		size_t n = strcspn(p, ";\n#");
		char *one = xstrndup(p, n);

		if (cmd_split_words(one, &words, &nwords, &err) == 0) {
			for (int i = 0; i < nwords; i++) {
				(void)parse_u64(words[i], &v);
				(void)parse_size(words[i], 4096, &v);
				(void)cmd_find(words[i], &err);
			}
			cmd_free_words(words, nwords);
		}
		free(one);
		p += n;
		if (*p != '\0')
			p++;
	}
	check_messages(&err);
	sbuf_free(&err);
	free(line);
	return 0;
}
