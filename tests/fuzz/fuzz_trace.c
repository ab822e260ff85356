/*
 * fuzz_trace.c - libFuzzer entry point for the readers of files users
 * bring: memory traces in every format (trace.c) and /proc/PID/maps files
 * (import-maps.c), the latter also imported into a small machine. A
 * refusal must be exactly one line "t:LINE:COL: ..." and leave nothing
 * behind; an accepted maps file must print back through `maps` and keep
 * every invariant. Replayed from tests/fuzz/trace/ by `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/import-maps.h"
#include "vmscope/report-pid.h"
#include "vmscope/session.h"
#include "vmscope/task.h"
#include "vmscope/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const struct sbuf *err, int rc)
{
	const char *p = sbuf_str(err), *nl = strchr(p, '\n');

	if (rc == 0 ? err->len != 0 :
	    strncmp(p, "t:", 2) != 0 || nl == NULL || nl[1] != '\0') {
		fprintf(stderr, "rc %d, bad message: '%s'\n", rc, p);
		abort();
	}
}

static struct session *session;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct sbuf err = SBUF_INIT;
	struct maps_file mf;
	struct trace tr;
	int rc;

	for (int f = 0; f < NR_TRACE_FORMATS; f++) {
		sbuf_reset(&err);
		rc = trace_parse("t", text, size, (enum trace_format)f, &tr, &err);
		check_message(&err, rc);
		if ((rc == 0) != (tr.nrefs > 0))
			abort();
		trace_free(&tr);
	}
	if (session == NULL) {
		struct machine_config cfg;
		char why[256];

		/*
		 * The smallest x86_64 machine (32M): validate_machine walks every
		 * frame after each import, and with the default 256M that
		 * walk was most of the harness's time.
		 */
		session = session_new();
		machine_config_default(&cfg);
		cfg.ram = 32ULL << 20;
		session_set_machine(session, machine_new(&cfg, why, sizeof(why)));
		if (session->m == NULL)
			abort();
	}
	sbuf_reset(&err);
	rc = maps_parse("t", text, size, &mf, &err);
	check_message(&err, rc);
	if (rc == 0) {
		struct task_struct *t = NULL;
		struct maps_import_info info;
		int last = session->m->last_pid;
		char why[256];

		rc = maps_import(session->m, &mf, &t, &info, &err);
		check_message(&err, rc);
		if (rc != 0 && session->m->last_pid != last)
			abort();
		if (rc == 0) {
			struct sbuf out = SBUF_INIT;

			report_maps(t, &out);
			if (validate_machine(session->m, why, sizeof(why)) != 0) {
				fprintf(stderr, "invariant: %s\n", why);
				abort();
			}
			sbuf_free(&out);
			task_exit(session->m, t, "fuzz");
		}
		maps_file_free(&mf);
	}
	sbuf_free(&err);
	/*
	 * The files an import creates stay in the machine after its task
	 * exits (as files made with `file` do), and every import looks its
	 * paths up in that list: a fresh machine every 64 files, or the
	 * list of millions of inputs would decide the speed.
	 */
	if (session != NULL) {
		struct list_head *pos;
		int nfiles = 0;

		list_for_each(pos, &session->m->files)
			nfiles++;
		if (nfiles > 64) {
			session_free(session);
			session = NULL;
		}
	}
	return 0;
}
