/*
 * events.h - the event stream from the model to the front ends, in the
 * spirit of kernel tracepoints. The model emits one event at each stage of
 * an operation (a buddy split, a watermark check, each page-table walk
 * level...); sinks subscribe: the event log ring, the TUI stepper, the JSON
 * Lines exporter, tests.
 *
 * Event kinds are declared once, in event-kinds.h, with the Linux function
 * they stand for and a template that gives both the one-line text
 * rendering and the fields of the JSON rendering.
 */
#ifndef VMSCOPE_EVENTS_H
#define VMSCOPE_EVENTS_H

#include "vmscope/list.h"
#include "vmscope/sbuf.h"

enum event_kind {
#define EVENT(name, fn, tmpl) EV_ ## name,
#include "vmscope/event-kinds.h"
#undef EVENT
	NR_EVENT_KINDS
};

/*
 * One event. Which fields mean something depends on the kind: its template
 * names them. String fields must point at storage that outlives the event
 * (string literals or names owned by the machine for its lifetime).
 */
struct vm_event {
	uint64_t	 seq;		/* 1, 2, ... per machine */
	uint32_t	 cmd;		/* number of the command that emitted it */
	enum event_kind	 kind;
	int		 pid;
	int		 node;
	int		 zone;		/* zone index (enum zone_type) */
	int		 order;
	int		 level;		/* page-table level, 0 = top */
	uint64_t	 addr;		/* virtual address */
	uint64_t	 pfn;
	uint64_t	 entry;		/* page-table entry value */
	uint64_t	 val;
	uint64_t	 val2;
	const char	*str;
	const char	*str2;
};

typedef void event_sink_fn(void *arg, const struct vm_event *ev);

struct event_sink {
	struct list_head entry;
	event_sink_fn	*fn;
	void		*arg;
};

#define EVENT_LOG_SIZE	8192	/* events kept for `events N` */

struct event_bus {
	uint64_t	 seq;		/* last sequence number given */
	uint32_t	 cmd;		/* current command number */
	int		 muted;		/* nesting depth; boot is muted */
	struct list_head sinks;
	struct vm_event	*log;		/* ring of the last EVENT_LOG_SIZE */
	size_t		 log_head;	/* next slot to write */
	size_t		 log_len;
	/* event_intern's copies, freed with the bus */
	char		**strings;
	size_t		 nstrings;
};

void	 event_bus_init(struct event_bus *bus);
void	 event_bus_free(struct event_bus *bus);
void	 event_subscribe(struct event_bus *bus, struct event_sink *sink,
	     event_sink_fn *fn, void *arg);
void	 event_unsubscribe(struct event_sink *sink);
/* Fill seq and cmd, log the event and hand it to every sink. */
void	 event_emit(struct event_bus *bus, struct vm_event *ev);
static inline void event_mute(struct event_bus *bus) { bus->muted++; }
static inline void event_unmute(struct event_bus *bus) { bus->muted--; }

/*
 * A copy of s that lives as long as the bus, for event strings whose
 * owner may go first (a task's comm: the task exits, its events stay in
 * the log). Equal strings share one copy.
 */
const char *event_intern(struct event_bus *bus, const char *s);

/* The i-th most recent logged event (0 = newest), NULL past the log. */
const struct vm_event *event_log_get(const struct event_bus *bus, size_t i);

const char *event_kind_name(enum event_kind kind);	/* "buddy_split" */
const char *event_kind_fn(enum event_kind kind);	/* "expand" */
int	 event_kind_lookup(const char *name);		/* -1 if unknown */
/* The canonical one-line text (no newline). */
void	 event_format(const struct vm_event *ev, struct sbuf *sb);
/* One JSON object (no newline). */
void	 event_format_json(const struct vm_event *ev, struct sbuf *sb);

#endif
