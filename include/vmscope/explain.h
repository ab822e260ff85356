/*
 * explain.h - for each event kind, a few sentences saying what the kernel
 * is doing at that point, why, and where to read it in the Linux source.
 * One table (src/core/explain.c) serves the `explain` command and the
 * TUI's explanation line under the event log.
 */
#ifndef VMSCOPE_EXPLAIN_H
#define VMSCOPE_EXPLAIN_H

#include "vmscope/events.h"

/* The explanation of an event kind, or NULL when the table has none. */
const char *explain_event_kind(enum event_kind kind);
/* Whether the table explains this kind. */
bool	 explain_known(enum event_kind kind);

#endif
