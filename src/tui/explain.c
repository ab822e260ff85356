/*
 * explain.c - the explanation line under the event log. The texts, one
 * per event kind (what the kernel is doing at that point and where to
 * read it in the Linux source), live in src/core/explain.c so that the
 * `explain` command says the same; this file only adds the fallback for a
 * kind the table does not know yet: "Linux: fn()".
 */
#include <stdio.h>

#include "vmscope/explain.h"
#include "tui.h"

bool tui_explain_known(enum event_kind kind)
{
	return explain_known(kind);
}

const char *tui_explain(const struct tl_event *ev)
{
	static char buf[160];
	const char *text = explain_event_kind(ev->ev.kind);

	if (text != NULL)
		return text;
	snprintf(buf, sizeof(buf), "Linux: %s().", event_kind_fn(ev->ev.kind));
	return buf;
}
