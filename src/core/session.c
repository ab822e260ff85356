/*
 * session.c - a front end's hold on the machine, and the whole-machine
 * invariant checker that debug builds run after every command.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmscope/exercise.h"
#include "vmscope/filemap.h"
#include "vmscope/lru.h"
#include "vmscope/memory.h"
#include "vmscope/page_alloc.h"
#include "vmscope/session.h"
#include "vmscope/slab.h"
#include "vmscope/swap.h"
#include "vmscope/task.h"
#include "vmscope/tlb.h"

struct session *session_new(void)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	s->m = machine_new(&cfg, err, sizeof(err));
	if (s->m == NULL) {
		/* The default configuration is ours: failing here is a bug. */
		fprintf(stderr, "vmscope: default machine: %s\n", err);
		abort();
	}
#ifdef VMSCOPE_DEBUG
	s->debug_checks = true;
#endif
	return s;
}

void session_free(struct session *s)
{
	if (s == NULL)
		return;
	if (s->scenario_ops != NULL && s->scenario_ops->release != NULL)
		s->scenario_ops->release(s);
	quiz_free(s->quiz);
	session_set_recorder(s, NULL, NULL, NULL);
	machine_free(s->m);
	session_journal_truncate(s, 0);
	free(s->journal);
	free(s);
}

void session_journal_add(struct session *s, const char *line)
{
	s->journal = xrealloc(s->journal, sizeof(*s->journal) *
	    (s->njournal + 1));
	s->journal[s->njournal++] = xstrdup(line);
}

void session_journal_truncate(struct session *s, size_t n)
{
	while (s->njournal > n)
		free(s->journal[--s->njournal]);
}

void session_set_machine(struct session *s, struct machine *m)
{
	if (s->m == m)
		return;
	if (s->recorder != NULL)
		event_unsubscribe(s->recorder);
	machine_free(s->m);
	s->m = m;
	if (s->recorder != NULL)
		event_subscribe(&m->ev, s->recorder, s->recorder->fn,
		    s->recorder->arg);
}

void session_set_recorder(struct session *s, struct event_sink *sink,
    event_sink_fn *fn, void *arg)
{
	if (s->recorder != NULL)
		event_unsubscribe(s->recorder);
	s->recorder = sink;
	if (sink != NULL)
		event_subscribe(&s->m->ev, sink, fn, arg);
}

int validate_machine(struct machine *m, char *why, size_t whylen)
{
	if (validate_buddy(m, why, whylen) != 0)
		return -1;
	if (validate_tasks(m, why, whylen) != 0)
		return -1;
	if (validate_pgtables(m, why, whylen) != 0)
		return -1;
	if (validate_tlb(m, why, whylen) != 0)
		return -1;
	if (validate_memory(m, why, whylen) != 0)
		return -1;
	if (validate_lru(m, why, whylen) != 0)
		return -1;
	if (validate_swap(m, why, whylen) != 0)
		return -1;
	if (validate_filemap(m, why, whylen) != 0)
		return -1;
	if (validate_slab(m, why, whylen) != 0)
		return -1;
	return 0;
}
