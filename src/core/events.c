/*
 * events.c - the event bus: sequence numbers, the log ring that `events N`
 * reads, subscription of sinks, and the two renderings of an event (one
 * line of text, one JSON object) driven by the templates of event-kinds.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/events.h"
#include "vmscope/machine.h"

struct event_kind_info {
	const char	*name;
	const char	*fn;
	const char	*tmpl;
};

static const struct event_kind_info event_kinds[NR_EVENT_KINDS] = {
#define EVENT(name, fn, tmpl) [EV_ ## name] = { #name, fn, tmpl },
#include "vmscope/event-kinds.h"
#undef EVENT
};

/* Names are kept lower case ("buddy_split"), computed once. */
static char event_names_lower[NR_EVENT_KINDS][32];

const char *event_kind_name(enum event_kind kind)
{
	char *dst;
	const char *src;

	if ((unsigned)kind >= NR_EVENT_KINDS)
		return "?";
	dst = event_names_lower[kind];
	if (dst[0] == '\0') {
		src = event_kinds[kind].name;
		for (size_t i = 0; src[i] != '\0' && i < sizeof(event_names_lower[0]) - 1; i++)
			dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i]);
	}
	return dst;
}

const char *event_kind_fn(enum event_kind kind)
{
	if ((unsigned)kind >= NR_EVENT_KINDS)
		return "?";
	return event_kinds[kind].fn;
}

int event_kind_lookup(const char *name)
{
	for (int k = 0; k < NR_EVENT_KINDS; k++) {
		if (strcmp(event_kind_name((enum event_kind)k), name) == 0)
			return k;
	}
	return -1;
}

void event_bus_init(struct event_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
	INIT_LIST_HEAD(&bus->sinks);
	bus->log = xcalloc(EVENT_LOG_SIZE, sizeof(*bus->log));
}

void event_bus_free(struct event_bus *bus)
{
	struct event_sink *sink, *next;

	list_for_each_entry_safe(sink, next, &bus->sinks, entry)
		list_del(&sink->entry);
	free(bus->log);
	bus->log = NULL;
	while (bus->nstrings > 0)
		free(bus->strings[--bus->nstrings]);
	free(bus->strings);
	bus->strings = NULL;
}

const char *event_intern(struct event_bus *bus, const char *s)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < bus->nstrings; i++) {
		if (strcmp(bus->strings[i], s) == 0)
			return bus->strings[i];
	}
	bus->strings = xrealloc(bus->strings,
	    (bus->nstrings + 1) * sizeof(*bus->strings));
	bus->strings[bus->nstrings] = xstrdup(s);
	return bus->strings[bus->nstrings++];
}

void event_subscribe(struct event_bus *bus, struct event_sink *sink,
    event_sink_fn *fn, void *arg)
{
	sink->fn = fn;
	sink->arg = arg;
	list_add_tail(&sink->entry, &bus->sinks);
}

void event_unsubscribe(struct event_sink *sink)
{
	list_del(&sink->entry);
}

void event_emit(struct event_bus *bus, struct vm_event *ev)
{
	struct event_sink *sink, *next;

	if (bus->muted > 0)
		return;
	ev->seq = ++bus->seq;
	ev->cmd = bus->cmd;
	bus->log[bus->log_head] = *ev;
	bus->log_head = (bus->log_head + 1) % EVENT_LOG_SIZE;
	if (bus->log_len < EVENT_LOG_SIZE)
		bus->log_len++;
	list_for_each_entry_safe(sink, next, &bus->sinks, entry)
		sink->fn(sink->arg, ev);
}

void machine_emit(struct machine *m, struct vm_event *ev)
{
	event_emit(&m->ev, ev);
}

const struct vm_event *event_log_get(const struct event_bus *bus, size_t i)
{
	if (i >= bus->log_len)
		return NULL;
	return &bus->log[(bus->log_head + EVENT_LOG_SIZE - 1 - i) % EVENT_LOG_SIZE];
}

/*
 * Walk a template. For each conversion, print the field in text (when
 * sb_text is set) or as a "key":value member (when sb_json is set).
 */
static void event_render(const struct vm_event *ev, struct sbuf *sb_text,
    struct sbuf *sb_json)
{
	const char *p = event_kinds[ev->kind].tmpl;
	char key[32];

	while (*p != '\0') {
		const char *field;
		char conv;
		bool hex = false, is_str = false, is_zone = false;
		uint64_t num = 0;
		const char *str = NULL;

		if (*p != '%') {
			if (sb_text != NULL)
				sbuf_addc(sb_text, *p);
			p++;
			continue;
		}
		conv = p[1];
		if (conv == '\0')
			break;
		p += 2;
		switch (conv) {
		case '%':
			if (sb_text != NULL)
				sbuf_addc(sb_text, '%');
			continue;
		case 'p': field = "pid"; num = (uint64_t)(int64_t)ev->pid; break;
		case 'n': field = "node"; num = (uint64_t)ev->node; break;
		case 'z': field = "zone"; is_zone = true; break;
		case 'o': field = "order"; num = (uint64_t)ev->order; break;
		case 'l': field = "level"; num = (uint64_t)ev->level; break;
		case 'a': field = "addr"; num = ev->addr; hex = true; break;
		case 'f': field = "pfn"; num = ev->pfn; hex = true; break;
		case 'e': field = "entry"; num = ev->entry; hex = true; break;
		case 'v': field = "val"; num = ev->val; break;
		case 'V': field = "val"; num = ev->val; hex = true; break;
		case 'w': field = "val2"; num = ev->val2; break;
		case 'W': field = "val2"; num = ev->val2; hex = true; break;
		case 's': field = "str"; str = ev->str; is_str = true; break;
		case 't': field = "str2"; str = ev->str2; is_str = true; break;
		default:
			field = "?";
			break;
		}
		snprintf(key, sizeof(key), "%s", field);
		if (*p == '{') {
			const char *end = strchr(p, '}');

			if (end != NULL) {
				size_t n = (size_t)(end - p - 1);

				if (n >= sizeof(key))
					n = sizeof(key) - 1;
				memcpy(key, p + 1, n);
				key[n] = '\0';
				p = end + 1;
			}
		}
		if (is_zone) {
			str = (unsigned)ev->zone < MAX_NR_ZONES ?
			    zone_names[ev->zone] : "?";
			is_str = true;
		}
		if (sb_text != NULL) {
			if (is_str)
				sbuf_add(sb_text, str != NULL ? str : "");
			else if (conv == 'e')
				sbuf_printf(sb_text, "0x%016" PRIx64, num);
			else if (hex)
				sbuf_printf(sb_text, "0x%" PRIx64, num);
			else if (conv == 'p')
				sbuf_printf(sb_text, "%d", ev->pid);
			else
				sbuf_printf(sb_text, "%" PRIu64, num);
		}
		if (sb_json != NULL) {
			sbuf_add(sb_json, ",");
			sbuf_json_str(sb_json, key);
			sbuf_addc(sb_json, ':');
			if (is_str)
				sbuf_json_str(sb_json, str != NULL ? str : "");
			else if (hex)
				sbuf_printf(sb_json, "\"0x%" PRIx64 "\"", num);
			else if (conv == 'p')
				sbuf_printf(sb_json, "%d", ev->pid);
			else
				sbuf_printf(sb_json, "%" PRIu64, num);
		}
	}
}

void event_format(const struct vm_event *ev, struct sbuf *sb)
{
	if ((unsigned)ev->kind >= NR_EVENT_KINDS) {
		sbuf_add(sb, "?");
		return;
	}
	event_render(ev, sb, NULL);
}

void event_format_json(const struct vm_event *ev, struct sbuf *sb)
{
	sbuf_printf(sb, "{\"seq\":%" PRIu64 ",\"cmd\":%" PRIu32 ",\"kind\":",
	    ev->seq, ev->cmd);
	sbuf_json_str(sb, event_kind_name(ev->kind));
	sbuf_add(sb, ",\"fn\":");
	sbuf_json_str(sb, event_kind_fn(ev->kind));
	if ((unsigned)ev->kind < NR_EVENT_KINDS)
		event_render(ev, NULL, sb);
	sbuf_add(sb, ",\"text\":");
	{
		struct sbuf text = SBUF_INIT;

		event_format(ev, &text);
		sbuf_json_str(sb, sbuf_str(&text));
		sbuf_free(&text);
	}
	sbuf_addc(sb, '}');
}
