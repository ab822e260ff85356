/*
 * scenario.c - reading a scenario file: JSON in, a checked struct scenario
 * out. Everything that can be known without running is checked here, so
 * that a typo stops the file at load time with its position instead of
 * silently skipping a check or failing halfway through a lesson:
 * unknown keys, wrong types, command lines (through cmd_check_line, the
 * same parser cmd_run_line uses), event kinds, zone names, quiz answers.
 *
 * Messages read "FILE:LINE:COL: PATH: what is wrong", where PATH is the
 * JSON path with 0-based indices ("steps[3].expect.minor_faults"). The
 * position is that of the offending value, of the key for an unknown or
 * duplicate key, and of the object for a missing key.
 *
 * The player (player.c) and the probe table (probes.c) are the other
 * halves of the engine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/events.h"
#include "vmscope/jsonpos.h"
#include "vmscope/mmzone.h"
#include "vmscope/scenario.h"
#include "vmscope/scenario-library.h"
#include "vmscope/scenario-probe.h"

struct loader {
	const char	*name;
	struct json_doc	 doc;
	struct sbuf	*err;
	struct sbuf	 path;		/* "steps[3].expect" while inside it */
	struct scenario	*sc;
};

/* Largest integer a JSON number (a double) holds exactly. */
#define JSON_MAX_INT	9007199254740992.0

static int lerr(struct loader *ld, const cJSON *item, bool key,
	    const char *fmt, ...) __printf(4, 5);

static void lerr_v(struct loader *ld, size_t off, const char *fmt,
    va_list ap)
{
	unsigned line, col;

	json_linecol(ld->doc.text, ld->doc.len, off, &line, &col);
	sbuf_printf(ld->err, "%s:%u:%u: ", ld->name, line, col);
	if (ld->path.len > 0)
		sbuf_printf(ld->err, "%s: ", sbuf_str(&ld->path));
	sbuf_vprintf(ld->err, fmt, ap);
	sbuf_addc(ld->err, '\n');
}

/* An error about item, pointing at its key (key set) or its value. */
static int lerr(struct loader *ld, const cJSON *item, bool key,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lerr_v(ld, json_doc_offset(&ld->doc, item, key), fmt, ap);
	va_end(ap);
	return -1;
}

static int expected(struct loader *ld, const cJSON *item, const char *what)
{
	return lerr(ld, item, false, "expected %s, found %s", what,
	    json_type_name(item));
}

/* Edit distance, for "did you mean"; big when either word is long. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[33], prev, tmp;

	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* The closest of names (NULL-terminated) to word, if close enough. */
static const char *closest(const char *word, const char *const *names)
{
	const char *best = NULL;
	unsigned bestd = 3;	/* at most two edits away */

	for (; *names != NULL; names++) {
		unsigned d = edit_distance(word, *names);

		if (d < bestd) {
			bestd = d;
			best = *names;
		}
	}
	return best;
}

static void list_names(struct sbuf *sb, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++)
		sbuf_printf(sb, "%s%s", i ? ", " : "", names[i]);
}

/* Refuse members of obj whose key is not in allowed. */
static int check_keys(struct loader *ld, const cJSON *obj,
    const char *const *allowed)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, obj) {
		const char *near;
		char *key;
		size_t i;
		struct sbuf list = SBUF_INIT;

		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], c->string) == 0)
				break;
		}
		if (allowed[i] != NULL)
			continue;
		key = json_msg_str(c->string);
		near = closest(c->string, allowed);
		if (near != NULL) {
			lerr(ld, c, true, "unknown key \"%s\" (did you mean \"%s\"?)",
			    key, near);
		} else {
			list_names(&list, allowed);
			lerr(ld, c, true, "unknown key \"%s\" (known keys: %s)", key,
			    sbuf_str(&list));
			sbuf_free(&list);
		}
		free(key);
		return -1;
	}
	return 0;
}

static int get_string(struct loader *ld, const cJSON *item, char **out)
{
	if (!cJSON_IsString(item))
		return expected(ld, item, "a string");
	*out = xstrdup(item->valuestring);
	return 0;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\n\r")] == '\0';
}

/* A text: a string, or an array of strings (one per line). */
static int get_text(struct loader *ld, const cJSON *item, char **out)
{
	struct sbuf sb = SBUF_INIT;
	const cJSON *c;
	int i = 0;

	if (cJSON_IsString(item)) {
		*out = xstrdup(item->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(item))
		return expected(ld, item, "a string or an array of strings (lines)");
	cJSON_ArrayForEach(c, item) {
		if (!cJSON_IsString(c)) {
			size_t old = json_path_push_index(&ld->path, i);

			expected(ld, c, "a string (one line of text)");
			json_path_pop(&ld->path, old);
			sbuf_free(&sb);
			return -1;
		}
		if (i++ > 0)
			sbuf_addc(&sb, '\n');
		sbuf_add(&sb, c->valuestring);
	}
	*out = sbuf_steal(&sb);
	return 0;
}

static int get_count(struct loader *ld, const cJSON *item, uint64_t max,
    uint64_t *val)
{
	double d;

	if (!cJSON_IsNumber(item))
		return expected(ld, item, "a number");
	d = item->valuedouble;
	if (!(d >= 0 && d <= JSON_MAX_INT) || (double)(uint64_t)d != d)
		return lerr(ld, item, false,
		    "expected a whole number of at least 0, found %g", d);
	if ((uint64_t)d > max)
		return lerr(ld, item, false, "%.0f is too large (at most %llu)", d,
		    (unsigned long long)max);
	*val = (uint64_t)d;
	return 0;
}

/* ---------------------------------------------------------- machine */

/*
 * The "machine" object holds the options of the `machine` command, taken
 * from its table entry so the two cannot drift apart: "ram": "64M" is
 * --ram 64M. Keys may use '_' for '-' ("page_size").
 */
static int load_machine(struct loader *ld, const cJSON *obj)
{
	const struct cmd_entry *e = cmd_find("machine", NULL);
	const char *spec = e != NULL && e->options != NULL ? e->options : "";
	struct sbuf line = SBUF_INIT;
	const cJSON *c;
	unsigned l, col;

	if (!cJSON_IsObject(obj))
		return expected(ld, obj, "an object (options of the machine command)");
	json_linecol(ld->doc.text, ld->doc.len,
	    json_doc_offset(&ld->doc, obj, true), &l, &col);
	ld->sc->machine_line_no = l;
	ld->sc->machine_col = col;
	sbuf_add(&line, "machine");
	cJSON_ArrayForEach(c, obj) {
		char *opt = xstrdup(c->string);
		const char *p = spec, *found = NULL;
		bool takes = false;
		size_t olen = strlen(opt), old;
		int rc = 0;

		for (char *q = opt; *q != '\0'; q++) {
			if (*q == '_')
				*q = '-';
		}
		while (*p != '\0') {
			size_t n = strcspn(p, ",");
			bool t = n > 0 && p[n - 1] == '=';

			if ((t ? n - 1 : n) == olen && strncmp(p, opt, olen) == 0) {
				found = p;
				takes = t;
				break;
			}
			p += n;
			if (*p == ',')
				p++;
		}
		if (found == NULL) {
			struct sbuf names = SBUF_INIT;
			char *key = json_msg_str(c->string);

			for (p = spec; *p != '\0';) {
				size_t n = strcspn(p, ",");

				sbuf_printf(&names, "%s%.*s", names.len ? ", " : "",
				    (int)(n > 0 && p[n - 1] == '=' ? n - 1 : n), p);
				p += n;
				if (*p == ',')
					p++;
			}
			lerr(ld, c, true,
			    "unknown key \"%s\" (the options of the machine command: %s)",
			    key, sbuf_str(&names));
			sbuf_free(&names);
			free(key);
			free(opt);
			sbuf_free(&line);
			return -1;
		}
		old = json_path_push_key(&ld->path, c->string);
		if (!takes) {
			if (!cJSON_IsBool(c))
				rc = expected(ld, c, "true or false");
			else if (cJSON_IsTrue(c))
				sbuf_printf(&line, " --%s", opt);
		} else if (cJSON_IsBool(c)) {
			/* --asid on|off */
			sbuf_printf(&line, " --%s %s", opt, cJSON_IsTrue(c) ? "on" : "off");
		} else if (cJSON_IsNumber(c)) {
			uint64_t v;

			rc = get_count(ld, c, UINT64_MAX, &v);
			if (rc == 0)
				sbuf_printf(&line, " --%s %llu", opt,
				    (unsigned long long)v);
		} else if (cJSON_IsString(c)) {
			const char *v = c->valuestring;

			/* It becomes one word of a command line. */
			if (*v == '\0' || v[strcspn(v, " \t\n\r;#'\"")] != '\0')
				rc = lerr(ld, c, false,
				    "expected one word (no spaces, quotes, ';' or '#')");
			else
				sbuf_printf(&line, " --%s %s", opt, v);
		} else {
			rc = expected(ld, c, "a string or a number");
		}
		json_path_pop(&ld->path, old);
		free(opt);
		if (rc != 0) {
			sbuf_free(&line);
			return -1;
		}
	}
	free(ld->sc->machine_line);
	ld->sc->machine_line = sbuf_steal(&line);
	return 0;
}

/* ---------------------------------------------------------- steps */

/* Session commands would recurse into the player or end it mid-lesson. */
static int refuse_in_step(void *arg, const struct cmd_entry *e,
    struct sbuf *err)
{
	static const char *const refused[] = { "load", "step", "run", "quit",
	    "tui" };

	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		if (strcmp(e->name, refused[i]) == 0) {
			sbuf_printf(err, "vmscope: %s: cannot be used in a scenario step\n",
			    e->name);
			return -1;
		}
	}
	return 0;
}

static int load_do(struct loader *ld, const cJSON *item, char **out)
{
	struct sbuf why = SBUF_INIT;
	const char *msg;
	size_t n;

	if (!cJSON_IsString(item))
		return expected(ld, item, "a string (a command line)");
	if (blank(item->valuestring))
		return lerr(ld, item, false, "the command line is empty");
	if (cmd_check_line(item->valuestring, &why, refuse_in_step, NULL) != 0) {
		/* The first message, without the "vmscope: " of the REPL. */
		msg = sbuf_str(&why);
		if (strncmp(msg, "vmscope: ", 9) == 0)
			msg += 9;
		n = strcspn(msg, "\n");
		lerr(ld, item, false, "%.*s", (int)n, msg);
		sbuf_free(&why);
		return -1;
	}
	sbuf_free(&why);
	*out = xstrdup(item->valuestring);
	return 0;
}

static struct sc_expect *add_expect(struct sc_step *st, enum sc_expect_kind k)
{
	struct sc_expect *e;

	st->expects = xrealloc(st->expects,
	    (size_t)(st->nexpects + 1) * sizeof(*st->expects));
	e = &st->expects[st->nexpects++];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->event = -1;
	e->order = -1;
	e->pid = -1;
	return e;
}

/* A string or a non-empty array of strings; calls fn for each one. */
static int for_each_text(struct loader *ld, const cJSON *item,
    int (*fn)(struct loader *, const cJSON *, struct sc_step *, int),
    struct sc_step *st, int kind)
{
	const cJSON *c;
	int i = 0;

	if (cJSON_IsString(item))
		return fn(ld, item, st, kind);
	if (!cJSON_IsArray(item))
		return expected(ld, item, "a string or an array of strings");
	if (item->child == NULL)
		return lerr(ld, item, false, "the list is empty");
	cJSON_ArrayForEach(c, item) {
		size_t old = json_path_push_index(&ld->path, i++);
		int rc;

		if (!cJSON_IsString(c))
			rc = expected(ld, c, "a string");
		else
			rc = fn(ld, c, st, kind);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int add_text_expect(struct loader *ld, const cJSON *item,
    struct sc_step *st, int kind)
{
	(void)ld;
	add_expect(st, (enum sc_expect_kind)kind)->text =
	    xstrdup(item->valuestring);
	return 0;
}

/*
 * An event is named by its kind ("buddy_split") or by the Linux function
 * it stands for ("expand"), which may cover several kinds.
 */
static int add_event_expect(struct loader *ld, const cJSON *item,
    struct sc_step *st, int kind)
{
	const char *name = item->valuestring;
	int k = event_kind_lookup(name);
	const char *names[NR_EVENT_KINDS + 1];
	const char *near;
	char *shown;
	struct sc_expect *e;

	if (k < 0) {
		for (int i = 0; i < NR_EVENT_KINDS; i++) {
			if (strcmp(event_kind_fn((enum event_kind)i), name) == 0) {
				e = add_expect(st, (enum sc_expect_kind)kind);
				e->text = xstrdup(name);
				return 0;
			}
		}
		for (int i = 0; i < NR_EVENT_KINDS; i++)
			names[i] = event_kind_name((enum event_kind)i);
		names[NR_EVENT_KINDS] = NULL;
		near = closest(name, names);
		shown = json_msg_str(name);
		if (near != NULL)
			lerr(ld, item, false,
			    "unknown event kind \"%s\" (did you mean \"%s\"?)", shown,
			    near);
		else
			lerr(ld, item, false,
			    "unknown event kind \"%s\" ('help events' and 'events' show the kinds)",
			    shown);
		free(shown);
		return -1;
	}
	e = add_expect(st, (enum sc_expect_kind)kind);
	e->event = k;
	return 0;
}

/*
 * A number compared with the observed one: a bare number must be equal;
 * an object gives "count" (equal) or "min" and/or "max" (inclusive).
 * Only the comparison keys are read here; check_keys ran before.
 */
static int load_range(struct loader *ld, const cJSON *obj, struct sc_range *r)
{
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(obj, "count");
	const cJSON *min = cJSON_GetObjectItemCaseSensitive(obj, "min");
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(obj, "max");
	size_t old;
	int rc = 0;

	r->lo = 0;
	r->hi = UINT64_MAX;
	if (count == NULL && min == NULL && max == NULL)
		return lerr(ld, obj, false,
		    "needs \"count\", or \"min\" and/or \"max\"");
	if (count != NULL && (min != NULL || max != NULL))
		return lerr(ld, min != NULL ? min : max, true,
		    "\"count\" cannot be combined with \"min\" or \"max\"");
	if (count != NULL) {
		old = json_path_push_key(&ld->path, "count");
		rc = get_count(ld, count, UINT64_MAX, &r->lo);
		r->hi = r->lo;
		json_path_pop(&ld->path, old);
		return rc;
	}
	if (min != NULL) {
		old = json_path_push_key(&ld->path, "min");
		rc = get_count(ld, min, UINT64_MAX, &r->lo);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	if (max != NULL) {
		old = json_path_push_key(&ld->path, "max");
		rc = get_count(ld, max, UINT64_MAX, &r->hi);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
		if (r->hi < r->lo)
			return lerr(ld, max, false, "max is smaller than min");
	}
	return 0;
}

static int zone_lookup(const char *name)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (strcasecmp(zone_names[z], name) == 0)
			return z;
	}
	return -1;
}

static int load_free_pages_one(struct loader *ld, const cJSON *obj,
    struct sc_step *st)
{
	static const char *const keys[] = { "zone", "order", "node", "count",
	    "min", "max", NULL };
	const cJSON *zone, *order, *node;
	struct sc_expect e;
	uint64_t v;
	size_t old;
	int rc;

	if (!cJSON_IsObject(obj))
		return expected(ld, obj,
		    "an object such as {\"zone\": \"DMA32\", \"order\": 3, \"count\": 1}");
	if (check_keys(ld, obj, keys) != 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.order = -1;
	zone = cJSON_GetObjectItemCaseSensitive(obj, "zone");
	if (zone == NULL)
		return lerr(ld, obj, false, "needs \"zone\" (DMA, DMA32, Normal, HighMem or Movable)");
	old = json_path_push_key(&ld->path, "zone");
	if (!cJSON_IsString(zone))
		rc = expected(ld, zone, "a string");
	else if ((e.zone = zone_lookup(zone->valuestring)) < 0) {
		char *shown = json_msg_str(zone->valuestring);

		rc = lerr(ld, zone, false,
		    "unknown zone \"%s\" (DMA, DMA32, Normal, HighMem or Movable)",
		    shown);
		free(shown);
	} else
		rc = 0;
	json_path_pop(&ld->path, old);
	if (rc != 0)
		return -1;
	if ((order = cJSON_GetObjectItemCaseSensitive(obj, "order")) != NULL) {
		old = json_path_push_key(&ld->path, "order");
		rc = get_count(ld, order, MAX_ORDER - 1, &v);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
		e.order = (int)v;
	}
	if ((node = cJSON_GetObjectItemCaseSensitive(obj, "node")) != NULL) {
		old = json_path_push_key(&ld->path, "node");
		rc = get_count(ld, node, MAX_NUMNODES - 1, &v);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
		e.node = (int)v;
	}
	if (load_range(ld, obj, &e.want) != 0)
		return -1;
	e.kind = SC_FREE_PAGES;
	*add_expect(st, SC_FREE_PAGES) = e;
	return 0;
}

static int load_free_pages(struct loader *ld, const cJSON *item,
    struct sc_step *st)
{
	const cJSON *c;
	int i = 0;

	if (!cJSON_IsArray(item))
		return load_free_pages_one(ld, item, st);
	if (item->child == NULL)
		return lerr(ld, item, false, "the list is empty");
	cJSON_ArrayForEach(c, item) {
		size_t old = json_path_push_index(&ld->path, i++);
		int rc = load_free_pages_one(ld, c, st);

		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* One of the probe's names, exactly as written there ("SIGSEGV"). */
static int probe_name_lookup(struct loader *ld, const cJSON *item,
    const struct sc_probe *p, int *name)
{
	struct sbuf list = SBUF_INIT;
	const char *near = NULL;
	char *shown;

	if (!cJSON_IsString(item))
		return expected(ld, item, "a string");
	for (int i = 0; p->names[i] != NULL; i++) {
		if (strcmp(p->names[i], item->valuestring) == 0) {
			*name = i;
			return 0;
		}
		if (strcasecmp(p->names[i], item->valuestring) == 0)
			near = p->names[i];
	}
	if (near == NULL)
		near = closest(item->valuestring, p->names);
	shown = json_msg_str(item->valuestring);
	if (near != NULL) {
		lerr(ld, item, false, "unknown %s \"%s\" (did you mean \"%s\"?)",
		    p->name, shown, near);
	} else {
		list_names(&list, p->names);
		lerr(ld, item, false, "unknown %s \"%s\" (one of: %s)", p->name,
		    shown, sbuf_str(&list));
		sbuf_free(&list);
	}
	free(shown);
	return -1;
}

/*
 * A probe whose value is a name: "SIGSEGV", or {"name": "SIGSEGV",
 * "pid": 2} to look at one process.
 */
static int load_name_probe(struct loader *ld, const cJSON *item,
    const struct sc_probe *p, struct sc_step *st)
{
	static const char *const keys_pid[] = { "name", "pid", NULL };
	static const char *const keys_nopid[] = { "name", NULL };
	const cJSON *name, *pid;
	struct sc_expect e;
	uint64_t v;
	size_t old;
	int rc;

	memset(&e, 0, sizeof(e));
	e.pid = -1;
	if (cJSON_IsString(item)) {
		if (p->pid == SC_PID_REQUIRED)
			return lerr(ld, item, false,
			    "needs a process: {\"name\": \"%s\", \"pid\": 1}",
			    p->names[0]);
		if (probe_name_lookup(ld, item, p, &e.name) != 0)
			return -1;
		goto done;
	}
	if (!cJSON_IsObject(item))
		return lerr(ld, item, false,
		    "expected a name such as \"%s\" or an object such as "
		    "{\"name\": \"%s\", \"pid\": 1}, found %s", p->names[0],
		    p->names[0], json_type_name(item));
	if (check_keys(ld, item, p->pid == SC_PID_NONE ? keys_nopid : keys_pid) != 0)
		return -1;
	if ((name = cJSON_GetObjectItemCaseSensitive(item, "name")) == NULL)
		return lerr(ld, item, false, "needs \"name\" (the %s to expect)",
		    p->name);
	old = json_path_push_key(&ld->path, "name");
	rc = probe_name_lookup(ld, name, p, &e.name);
	json_path_pop(&ld->path, old);
	if (rc != 0)
		return -1;
	pid = cJSON_GetObjectItemCaseSensitive(item, "pid");
	if (pid == NULL && p->pid == SC_PID_REQUIRED)
		return lerr(ld, item, false, "needs \"pid\" (the process to look at)");
	if (pid != NULL) {
		old = json_path_push_key(&ld->path, "pid");
		rc = get_count(ld, pid, 1U << 30, &v);
		if (rc == 0 && v == 0)
			rc = lerr(ld, pid, false, "pids start at 1");
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
		e.pid = (int)v;
	}
done:
	e.kind = SC_PROBE;
	e.probe = p;
	*add_expect(st, SC_PROBE) = e;
	return 0;
}

static int load_probe(struct loader *ld, const cJSON *item,
    const struct sc_probe *p, struct sc_step *st)
{
	static const char *const keys_pid[] = { "pid", "count", "min", "max",
	    NULL };
	static const char *const keys_nopid[] = { "count", "min", "max", NULL };
	struct sc_expect *e;
	const cJSON *pid;
	uint64_t v;

	if (p->type == SC_VALUE_NAME ? p->match == NULL : p->read == NULL)
		return lerr(ld, item, true, "this build cannot check %s yet (%s)",
		    p->name, p->missing != NULL ? p->missing : "not implemented");
	if (p->type == SC_VALUE_NAME)
		return load_name_probe(ld, item, p, st);
	if (cJSON_IsNumber(item)) {
		if (p->pid == SC_PID_REQUIRED)
			return lerr(ld, item, false,
			    "needs a process: {\"pid\": 1, \"count\": %g}",
			    item->valuedouble);
		if (get_count(ld, item, UINT64_MAX, &v) != 0)
			return -1;
		e = add_expect(st, SC_PROBE);
		e->probe = p;
		e->want.lo = e->want.hi = v;
		return 0;
	}
	if (!cJSON_IsObject(item))
		return expected(ld, item, p->pid == SC_PID_REQUIRED ?
		    "an object such as {\"pid\": 1, \"count\": 4}" :
		    "a number or an object such as {\"min\": 1, \"max\": 4}");
	if (check_keys(ld, item, p->pid == SC_PID_NONE ? keys_nopid : keys_pid) != 0)
		return -1;
	pid = cJSON_GetObjectItemCaseSensitive(item, "pid");
	if (pid == NULL && p->pid == SC_PID_REQUIRED)
		return lerr(ld, item, false, "needs \"pid\" (the process to look at)");
	e = add_expect(st, SC_PROBE);
	e->probe = p;
	if (pid != NULL) {
		size_t old = json_path_push_key(&ld->path, "pid");
		int rc = get_count(ld, pid, 1U << 30, &v);

		if (rc == 0 && v == 0)
			rc = lerr(ld, pid, false, "pids start at 1");
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
		e->pid = (int)v;
	}
	return load_range(ld, item, &e->want);
}

static int load_expect(struct loader *ld, const cJSON *obj, struct sc_step *st)
{
	static const char *keys[8 + SC_MAX_PROBES + 1];
	const cJSON *c;

	if (keys[0] == NULL) {
		size_t n = 0;

		keys[n++] = "output_contains";
		keys[n++] = "output_equals";
		keys[n++] = "error_contains";
		keys[n++] = "events";
		keys[n++] = "no_events";
		keys[n++] = "free_pages";
		for (int i = 0; sc_probes[i].name != NULL && i < SC_MAX_PROBES; i++)
			keys[n++] = sc_probes[i].name;
		keys[n] = NULL;
	}
	if (!cJSON_IsObject(obj))
		return expected(ld, obj, "an object of checks");
	if (check_keys(ld, obj, keys) != 0)
		return -1;
	cJSON_ArrayForEach(c, obj) {
		size_t old = json_path_push_key(&ld->path, c->string);
		const char *k = c->string;
		int rc;

		if (strcmp(k, "output_contains") == 0)
			rc = for_each_text(ld, c, add_text_expect, st,
			    SC_OUTPUT_CONTAINS);
		else if (strcmp(k, "error_contains") == 0)
			rc = for_each_text(ld, c, add_text_expect, st,
			    SC_ERROR_CONTAINS);
		else if (strcmp(k, "output_equals") == 0) {
			if (!cJSON_IsString(c))
				rc = expected(ld, c, "a string");
			else
				rc = add_text_expect(ld, c, st, SC_OUTPUT_EQUALS);
		} else if (strcmp(k, "events") == 0)
			rc = for_each_text(ld, c, add_event_expect, st, SC_EVENT);
		else if (strcmp(k, "no_events") == 0)
			rc = for_each_text(ld, c, add_event_expect, st, SC_NO_EVENT);
		else if (strcmp(k, "free_pages") == 0)
			rc = load_free_pages(ld, c, st);
		else
			rc = load_probe(ld, c, sc_probe_find(k), st);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Trimmed and lower case, for comparing quiz answers. */
char *sc_normalize_answer(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	bool space = false;

	s += strspn(s, " \t\r\n");
	for (; *s != '\0'; s++) {
		char c = *s;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = true;
			continue;
		}
		if (space && sb.len > 0)
			sbuf_addc(&sb, ' ');
		space = false;
		sbuf_addc(&sb, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
	}
	if (sb.len == 0)
		return xstrdup("");
	return sbuf_steal(&sb);
}

static int load_ask(struct loader *ld, const cJSON *obj, struct sc_ask *a)
{
	static const char *const keys[] = { "question", "answer", "choices",
	    "explain", NULL };
	const cJSON *q, *ans, *choices, *explain, *c;
	size_t old;
	int rc = 0, n = 0;

	if (!cJSON_IsObject(obj))
		return expected(ld, obj,
		    "an object such as {\"question\": \"...\", \"answer\": \"...\"}");
	if (check_keys(ld, obj, keys) != 0)
		return -1;
	q = cJSON_GetObjectItemCaseSensitive(obj, "question");
	ans = cJSON_GetObjectItemCaseSensitive(obj, "answer");
	choices = cJSON_GetObjectItemCaseSensitive(obj, "choices");
	explain = cJSON_GetObjectItemCaseSensitive(obj, "explain");
	if (q == NULL)
		return lerr(ld, obj, false, "needs \"question\"");
	if (ans == NULL)
		return lerr(ld, obj, false, "needs \"answer\"");

	old = json_path_push_key(&ld->path, "question");
	rc = get_text(ld, q, &a->question);
	if (rc == 0 && blank(a->question))
		rc = lerr(ld, q, false, "the question is empty");
	json_path_pop(&ld->path, old);
	if (rc != 0)
		return -1;

	if (choices != NULL) {
		old = json_path_push_key(&ld->path, "choices");
		if (!cJSON_IsArray(choices))
			rc = expected(ld, choices, "an array of strings");
		else if (cJSON_GetArraySize(choices) < 2)
			rc = lerr(ld, choices, false, "give at least two choices");
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
		a->choices = xcalloc((size_t)cJSON_GetArraySize(choices),
		    sizeof(*a->choices));
		cJSON_ArrayForEach(c, choices) {
			old = json_path_push_key(&ld->path, "choices");
			json_path_push_index(&ld->path, n);
			if (!cJSON_IsString(c))
				rc = expected(ld, c, "a string");
			else if (blank(c->valuestring))
				rc = lerr(ld, c, false, "the choice is empty");
			json_path_pop(&ld->path, old);
			if (rc != 0)
				return -1;
			a->choices[n] = xstrdup(c->valuestring);
			a->nchoices = ++n;
		}
	}

	old = json_path_push_key(&ld->path, "answer");
	if (cJSON_IsNumber(ans)) {
		uint64_t v;

		rc = get_count(ld, ans, UINT64_MAX, &v);
		if (rc == 0 && a->nchoices > 0 && (v < 1 || v > (uint64_t)a->nchoices))
			rc = lerr(ld, ans, false,
			    "there is no choice %llu (the choices are numbered 1 to %d)",
			    (unsigned long long)v, a->nchoices);
		if (rc == 0 && a->nchoices > 0)
			a->answer_choice = (int)v;
		else if (rc == 0)
			a->answer = xasprintf("%llu", (unsigned long long)v);
	} else if (cJSON_IsString(ans)) {
		if (blank(ans->valuestring))
			rc = lerr(ld, ans, false, "the answer is empty");
		else if (a->nchoices > 0) {
			char *want = sc_normalize_answer(ans->valuestring);
			uint64_t v;

			if (parse_u64(want, &v) == 0 && v >= 1 &&
			    v <= (uint64_t)a->nchoices)
				a->answer_choice = (int)v;
			for (int i = 0; i < a->nchoices && a->answer_choice == 0; i++) {
				char *have = sc_normalize_answer(a->choices[i]);

				if (strcmp(have, want) == 0)
					a->answer_choice = i + 1;
				free(have);
			}
			free(want);
			if (a->answer_choice == 0) {
				char *shown = json_msg_str(ans->valuestring);

				rc = lerr(ld, ans, false,
				    "\"%s\" is none of the choices (give the number of the right one, 1 to %d)",
				    shown, a->nchoices);
				free(shown);
			}
		} else {
			a->answer = xstrdup(ans->valuestring);
		}
	} else {
		rc = expected(ld, ans, "a string or a number");
	}
	json_path_pop(&ld->path, old);
	if (rc != 0)
		return -1;
	if (a->answer_choice > 0)
		a->answer = xstrdup(a->choices[a->answer_choice - 1]);

	if (explain != NULL) {
		old = json_path_push_key(&ld->path, "explain");
		rc = get_text(ld, explain, &a->explain);
		json_path_pop(&ld->path, old);
	}
	return rc;
}

static int load_step(struct loader *ld, const cJSON *obj, struct sc_step *st)
{
	static const char *const keys[] = { "do", "say", "expect", "ask", NULL };
	const cJSON *c_do, *c_say, *c_expect, *c_ask;
	size_t old;
	int rc = 0;

	if (!cJSON_IsObject(obj))
		return expected(ld, obj, "an object (a step)");
	if (check_keys(ld, obj, keys) != 0)
		return -1;
	c_do = cJSON_GetObjectItemCaseSensitive(obj, "do");
	c_say = cJSON_GetObjectItemCaseSensitive(obj, "say");
	c_expect = cJSON_GetObjectItemCaseSensitive(obj, "expect");
	c_ask = cJSON_GetObjectItemCaseSensitive(obj, "ask");
	if (c_do == NULL && c_say == NULL && c_ask == NULL)
		return lerr(ld, obj, false,
		    "a step needs \"do\", \"say\" or \"ask\"");
	if (c_expect != NULL && c_do == NULL)
		return lerr(ld, c_expect, true,
		    "\"expect\" needs a \"do\" command in the same step");
	if (c_say != NULL) {
		old = json_path_push_key(&ld->path, "say");
		rc = get_text(ld, c_say, &st->say);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	if (c_do != NULL) {
		old = json_path_push_key(&ld->path, "do");
		rc = load_do(ld, c_do, &st->cmd);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	if (c_expect != NULL) {
		old = json_path_push_key(&ld->path, "expect");
		rc = load_expect(ld, c_expect, st);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	if (c_ask != NULL) {
		st->ask = xcalloc(1, sizeof(*st->ask));
		old = json_path_push_key(&ld->path, "ask");
		rc = load_ask(ld, c_ask, st->ask);
		json_path_pop(&ld->path, old);
	}
	return rc;
}

static int load_root(struct loader *ld, const cJSON *root)
{
	static const char *const keys[] = { "$schema", "title", "description",
	    "machine", "steps", NULL };
	struct scenario *sc = ld->sc;
	const cJSON *c, *title, *desc, *machine, *steps, *schema;
	size_t old;
	int rc = 0, i = 0;

	if (!cJSON_IsObject(root))
		return lerr(ld, root, false,
		    "a scenario is a JSON object with \"title\" and \"steps\", found %s",
		    json_type_name(root));
	if (check_keys(ld, root, keys) != 0)
		return -1;
	schema = cJSON_GetObjectItemCaseSensitive(root, "$schema");
	title = cJSON_GetObjectItemCaseSensitive(root, "title");
	desc = cJSON_GetObjectItemCaseSensitive(root, "description");
	machine = cJSON_GetObjectItemCaseSensitive(root, "machine");
	steps = cJSON_GetObjectItemCaseSensitive(root, "steps");

	if (schema != NULL && !cJSON_IsString(schema)) {
		old = json_path_push_key(&ld->path, "$schema");
		expected(ld, schema, "a string (the schema's URI)");
		json_path_pop(&ld->path, old);
		return -1;
	}
	if (title == NULL)
		return lerr(ld, root, false, "needs \"title\"");
	old = json_path_push_key(&ld->path, "title");
	rc = get_string(ld, title, &sc->title);
	if (rc == 0 && blank(sc->title))
		rc = lerr(ld, title, false, "the title is empty");
	json_path_pop(&ld->path, old);
	if (rc != 0)
		return -1;
	if (desc != NULL) {
		old = json_path_push_key(&ld->path, "description");
		rc = get_text(ld, desc, &sc->description);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	}
	sc->machine_line = xstrdup("machine");
	if (machine != NULL) {
		old = json_path_push_key(&ld->path, "machine");
		rc = load_machine(ld, machine);
		json_path_pop(&ld->path, old);
		if (rc != 0)
			return -1;
	} else {
		sc->machine_line_no = 1;
		sc->machine_col = 1;
	}
	if (steps == NULL)
		return lerr(ld, root, false, "needs \"steps\"");
	old = json_path_push_key(&ld->path, "steps");
	if (!cJSON_IsArray(steps))
		rc = expected(ld, steps, "an array of steps");
	else if (steps->child == NULL)
		rc = lerr(ld, steps, false, "there are no steps");
	json_path_pop(&ld->path, old);
	if (rc != 0)
		return -1;
	sc->steps = xcalloc((size_t)cJSON_GetArraySize(steps), sizeof(*sc->steps));
	cJSON_ArrayForEach(c, steps) {
		old = json_path_push_key(&ld->path, "steps");
		json_path_push_index(&ld->path, i);
		rc = load_step(ld, c, &sc->steps[i]);
		json_path_pop(&ld->path, old);
		sc->nsteps = ++i;	/* so scenario_free frees a half-built step */
		if (rc != 0)
			return -1;
		sc->nexpects += sc->steps[i - 1].nexpects;
		if (sc->steps[i - 1].ask != NULL)
			sc->nasks++;
	}
	return 0;
}

struct scenario *scenario_parse(const char *name, const char *text,
    size_t len, struct sbuf *err)
{
	struct loader ld;
	struct sbuf why = SBUF_INIT;
	size_t off = 0;

	memset(&ld, 0, sizeof(ld));
	ld.name = name;
	ld.err = err;
	if (json_doc_parse(&ld.doc, text, len, &why, &off) != 0) {
		unsigned line, col;

		json_linecol(text, len, off, &line, &col);
		sbuf_printf(err, "%s:%u:%u: %s\n", name, line, col, sbuf_str(&why));
		sbuf_free(&why);
		return NULL;
	}
	sbuf_free(&why);
	ld.sc = xcalloc(1, sizeof(*ld.sc));
	ld.sc->path = xstrdup(name);
	if (load_root(&ld, ld.doc.root) != 0) {
		scenario_free(ld.sc);
		ld.sc = NULL;
	}
	sbuf_free(&ld.path);
	json_doc_free(&ld.doc);
	return ld.sc;
}

struct scenario *scenario_load(const char *path, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT;
	struct scenario *sc = NULL;
	char *found;
	int rc;

	/* A bare name ("buddy") may be a scenario of the library. */
	found = scenario_find(path);
	if (found == NULL) {
		sbuf_printf(err, "vmscope: %s: %s\n", path, strerror(ENOENT));
		return NULL;
	}
	rc = sbuf_read_file(&text, found, path, SCENARIO_MAX_SIZE, err);
	free(found);
	if (rc == SBUF_TOO_LARGE)
		sbuf_printf(err,
		    "vmscope: %s: too large for a scenario (over %u KiB)\n",
		    path, SCENARIO_MAX_SIZE / 1024);
	else if (rc == 0)
		sc = scenario_parse(path, text.s != NULL ? text.s : "", text.len,
		    err);
	sbuf_free(&text);
	return sc;
}

void scenario_free(struct scenario *sc)
{
	if (sc == NULL)
		return;
	for (int i = 0; i < sc->nsteps; i++) {
		struct sc_step *st = &sc->steps[i];

		free(st->say);
		free(st->cmd);
		for (int j = 0; j < st->nexpects; j++)
			free(st->expects[j].text);
		free(st->expects);
		if (st->ask != NULL) {
			free(st->ask->question);
			free(st->ask->answer);
			for (int j = 0; j < st->ask->nchoices; j++)
				free(st->ask->choices[j]);
			free(st->ask->choices);
			free(st->ask->explain);
			free(st->ask);
		}
	}
	free(sc->steps);
	free(sc->path);
	free(sc->title);
	free(sc->description);
	free(sc->machine_line);
	free(sc);
}
