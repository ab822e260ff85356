/*
 * replay.c - a main() for the libFuzzer harnesses so they run without
 * libFuzzer: each argument (a file, or a directory whose files are taken
 * in name order) is fed to LLVMFuzzerTestOneInput once. Without
 * arguments it replays $top_srcdir/tests/fuzz/CORPUS, CORPUS being set at
 * build time; that is how `make check` runs it. A harness that finds a
 * bug aborts, which fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmscope/sbuf.h"

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS must name the corpus directory under tests/fuzz"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	struct sbuf sb = SBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_addn(&sb, buf, n);
	fclose(fp);
	LLVMFuzzerTestOneInput((const uint8_t *)(sb.s != NULL ? sb.s : ""),
	    sb.len);
	sbuf_free(&sb);
	return 0;
}

static int replay(const char *path, int *count)
{
	struct dirent **names;
	struct stat st;
	int n, rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *file;

		if (names[i]->d_name[0] != '.') {
			file = xasprintf("%s/%s", path, names[i]->d_name);
			if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
				(*count)++;
				if (replay_file(file) != 0)
					rc = -1;
			}
			free(file);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	int count = 0, rc = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			if (replay(argv[i], &count) != 0)
				rc = 1;
		}
	} else {
		char *dir = xasprintf("%s/tests/fuzz/%s", top != NULL ? top : ".",
		    FUZZ_CORPUS);

		rc = replay(dir, &count) != 0;
		free(dir);
	}
	printf("replayed %d input%s\n", count, count == 1 ? "" : "s");
	return rc != 0 || count == 0;
}
