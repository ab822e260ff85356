/*
 * record.c - `vmscope --events FILE`: every event of the session written
 * to FILE as JSON Lines while it happens, through a sink on the event bus
 * (the `events` command only sees the log ring, which keeps the last
 * 8192). The sink is the session's recorder, so it follows the session
 * onto each machine a `machine` command or a scenario builds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cli.h"
#include "vmscope/session.h"

struct recorder {
	struct event_sink sink;
	FILE		*fp;
	char		*path;
	struct sbuf	 line;
};

static void record_event(void *arg, const struct vm_event *ev)
{
	struct recorder *r = arg;

	sbuf_reset(&r->line);
	event_format_json(ev, &r->line);
	sbuf_addc(&r->line, '\n');
	fwrite(r->line.s, 1, r->line.len, r->fp);
}

int cli_record_open(struct session *s, const char *path)
{
	struct recorder *r;
	FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (fp == NULL) {
		fprintf(stderr, "vmscope: %s: %s\n", path, strerror(errno));
		return -1;
	}
	r = xcalloc(1, sizeof(*r));
	r->fp = fp;
	r->path = xstrdup(path);
	session_set_recorder(s, &r->sink, record_event, r);
	return 0;
}

int cli_record_close(struct session *s)
{
	struct recorder *r;
	bool bad;
	int rc = 0;

	if (s->recorder == NULL)
		return 0;
	r = s->recorder->arg;
	session_set_recorder(s, NULL, NULL, NULL);
	bad = ferror(r->fp) != 0;
	if (r->fp == stdout ? fflush(r->fp) != 0 : fclose(r->fp) != 0)
		bad = true;
	if (bad) {
		fprintf(stderr, "vmscope: %s: %s\n", r->path,
		    errno != 0 ? strerror(errno) : "write error");
		rc = -1;
	}
	sbuf_free(&r->line);
	free(r->path);
	free(r);
	return rc;
}
