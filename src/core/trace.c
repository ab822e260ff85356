/*
 * trace.c - the readers of memory-reference traces (trace.h): valgrind
 * lackey, Dinero din and plain lists. Each reader turns lines into struct
 * trace_ref; `replay` (src/cmd/cmd-trace.c) then feeds them to the model.
 *
 * The formats, as the tools write them:
 *
 *   lackey   "I  0401ab70,3"      instruction fetch of 3 bytes
 *            " L 1fff000708,8"    load       (lackey/lk_main.c prints
 *            " S 1fff000708,8"    store       "%08lx,%lu": hex address
 *            " M 0601b9f8,4"      modify = load then store
 *            "==12345== ..."      valgrind's own messages: skipped
 *   din      "0 1fff000708"       label, hex address: 0 read, 1 write,
 *                                 2 instruction fetch, 3 other (read),
 *                                 4 cache flush (skipped)
 *   plain    "0x7ffff7fef123"     byte addresses, or "7 0 1 2 0 3":
 *            "7, 0, 1  # ..."     page numbers; blanks or commas between
 *                                 values, an optional r, w or x after one
 *
 * All of them allow blank lines and '#' comments, and CRLF line ends.
 * Reading is all or nothing: the first mistake stops it with one message
 * "FILE:LINE:COL: what is wrong" and the trace is left empty.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/compiler.h"
#include "vmscope/trace.h"

static const char *const format_names[NR_TRACE_FORMATS] = {
	[TRACE_AUTO] = "auto",
	[TRACE_LACKEY] = "lackey",
	[TRACE_DIN] = "din",
	[TRACE_PLAIN] = "plain",
};

const char *trace_format_name(enum trace_format f)
{
	return (unsigned)f < NR_TRACE_FORMATS ? format_names[f] : "?";
}

int trace_format_lookup(const char *name)
{
	for (int f = 0; f < NR_TRACE_FORMATS; f++) {
		if (strcmp(format_names[f], name) == 0)
			return f;
	}
	return -1;
}

/* One line being read: its text without the line end, and where it is. */
struct tline {
	const char	*name;
	const char	*s;
	size_t		 len;
	size_t		 no;		/* 1-based */
	struct sbuf	*err;
	enum trace_format fmt;
	bool		 guessed;	/* fmt came from auto-detection */
	size_t		 guessed_at;	/* ... on this line */
};

static int trace_error(const struct tline *l, size_t col, const char *fmt,
    ...) __printf(3, 4);

static int trace_error(const struct tline *l, size_t col, const char *fmt,
    ...)
{
	va_list ap;

	sbuf_printf(l->err, "%s:%zu:%zu: ", l->name, l->no, col + 1);
	va_start(ap, fmt);
	sbuf_vprintf(l->err, fmt, ap);
	va_end(ap);
	/* a wrong guess is the likeliest cause: say how the file was read */
	if (l->guessed)
		sbuf_printf(l->err, " (read as %s, guessed from line %zu; "
		    "--format says otherwise)", format_names[l->fmt],
		    l->guessed_at);
	sbuf_addc(l->err, '\n');
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * A hex number at *i (no prefix), up to 16 digits. Returns 0 and moves
 * *i past it, or -1 after the message.
 */
static int read_hex(const struct tline *l, size_t *i, const char *what,
    uint64_t *val)
{
	size_t start = *i;
	int n = scan_hex(l->s, l->len, i, 16, val);

	if (n < 0)
		return trace_error(l, start, "%s is longer than 64 bits", what);
	if (n == 0)
		return trace_error(l, start, "expected %s in hex", what);
	return 0;
}

static int read_dec(const struct tline *l, size_t *i, const char *what,
    uint64_t max, uint64_t *val)
{
	size_t start = *i;
	uint64_t v = 0;

	if (*i >= l->len || l->s[*i] < '0' || l->s[*i] > '9')
		return trace_error(l, start, "expected %s", what);
	while (*i < l->len && l->s[*i] >= '0' && l->s[*i] <= '9') {
		unsigned d = (unsigned)(l->s[(*i)++] - '0');

		if (v > (max - d) / 10)
			return trace_error(l, start, "%s is too large (at most "
			    "%llu)", what, (unsigned long long)max);
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

/* After the last field: only blanks, or a comment. */
static int expect_end(const struct tline *l, size_t i)
{
	while (i < l->len && is_blank(l->s[i]))
		i++;
	if (i < l->len && l->s[i] != '#')
		return trace_error(l, i, "unexpected '%c' after the reference",
		    l->s[i]);
	return 0;
}

static int add_ref(const struct tline *l, struct trace *tr, uint64_t addr,
    uint32_t size, enum trace_kind kind)
{
	struct trace_ref *r;

	if (tr->nrefs == TRACE_MAX_REFS)
		return trace_error(l, 0, "more than %u references: cut the "
		    "trace (head -n)", TRACE_MAX_REFS);
	if (tr->nrefs == tr->cap) {
		tr->cap = tr->cap != 0 ? tr->cap * 2 : 256;
		tr->refs = xrealloc(tr->refs, tr->cap * sizeof(*tr->refs));
	}
	r = &tr->refs[tr->nrefs++];
	r->addr = addr;
	r->size = size;
	r->kind = (uint8_t)kind;
	r->line = (uint32_t)(l->no > UINT32_MAX ? UINT32_MAX : l->no);
	return 0;
}

static bool is_valgrind_message(const struct tline *l)
{
	size_t i = 2;

	if (l->len < 5 || l->s[0] != '=' || l->s[1] != '=')
		return false;
	while (i < l->len && l->s[i] >= '0' && l->s[i] <= '9')
		i++;
	return i > 2 && i + 1 < l->len && l->s[i] == '=' &&
	    l->s[i + 1] == '=';
}

/* ------------------------------------------------------------ lackey */

static int parse_lackey(const struct tline *l, struct trace *tr)
{
	size_t i = 0, at;
	uint64_t addr, size;
	char op;

	if (is_valgrind_message(l)) {
		tr->skipped++;
		return 0;
	}
	while (i < l->len && is_blank(l->s[i]))
		i++;
	at = i;
	op = i < l->len ? l->s[i] : '\0';
	if (op != 'I' && op != 'L' && op != 'S' && op != 'M')
		return trace_error(l, at, "expected I, L, S or M (lackey: "
		    "\"I  0401ab70,3\" or \" L 1fff000708,8\")");
	i++;
	if (i >= l->len || !is_blank(l->s[i]))
		return trace_error(l, i, "expected a blank after '%c'", op);
	while (i < l->len && is_blank(l->s[i]))
		i++;
	if (read_hex(l, &i, "the address", &addr) != 0)
		return -1;
	if (i >= l->len || l->s[i] != ',')
		return trace_error(l, i, "expected ',' and the size after the "
		    "address");
	i++;
	if (read_dec(l, &i, "the size in bytes", UINT32_MAX, &size) != 0)
		return -1;
	if (expect_end(l, i) != 0)
		return -1;
	switch (op) {
	case 'I':
		return add_ref(l, tr, addr, (uint32_t)size, TRACE_IFETCH);
	case 'L':
		return add_ref(l, tr, addr, (uint32_t)size, TRACE_READ);
	case 'S':
		return add_ref(l, tr, addr, (uint32_t)size, TRACE_WRITE);
	default:	/* M: read-modify-write, as lackey means it */
		if (add_ref(l, tr, addr, (uint32_t)size, TRACE_READ) != 0)
			return -1;
		return add_ref(l, tr, addr, (uint32_t)size, TRACE_WRITE);
	}
}

/* ------------------------------------------------------------ din */

static int parse_din(const struct tline *l, struct trace *tr)
{
	static const enum trace_kind kinds[] = {
		TRACE_READ, TRACE_WRITE, TRACE_IFETCH, TRACE_READ,
	};
	size_t i = 0, at;
	uint64_t addr;
	int label;

	while (i < l->len && is_blank(l->s[i]))
		i++;
	at = i;
	if (i >= l->len || l->s[i] < '0' || l->s[i] > '9')
		return trace_error(l, at, "expected a label 0-4 (din: \"LABEL "
		    "HEXADDR\", 0 read, 1 write, 2 instruction fetch)");
	label = l->s[i++] - '0';
	if ((i < l->len && !is_blank(l->s[i])) || label > 4)
		return trace_error(l, at, "the label must be 0 (read), 1 "
		    "(write), 2 (instruction fetch), 3 (other) or 4 (flush)");
	while (i < l->len && is_blank(l->s[i]))
		i++;
	if (i + 1 < l->len && l->s[i] == '0' &&
	    (l->s[i + 1] == 'x' || l->s[i + 1] == 'X'))
		i += 2;
	if (read_hex(l, &i, "the address", &addr) != 0)
		return -1;
	/* whatever follows the address after a blank is not ours to read */
	if (i < l->len && !is_blank(l->s[i]) && l->s[i] != '#')
		return trace_error(l, i, "'%c' is not a hex digit", l->s[i]);
	if (label == 4) {	/* a cache flush: nothing for the MMU */
		tr->skipped++;
		return 0;
	}
	return add_ref(l, tr, addr, 0, kinds[label]);
}

/* ------------------------------------------------------------ plain */

static int parse_plain(const struct tline *l, struct trace *tr,
    bool *any_hex)
{
	size_t i = 0;
	bool have_number = false;	/* on this line, for a kind letter */

	for (;;) {
		size_t start;
		uint64_t v;
		char c;

		while (i < l->len && (is_blank(l->s[i]) || l->s[i] == ','))
			i++;
		if (i >= l->len || l->s[i] == '#')
			return 0;
		start = i;
		c = l->s[i];
		if (strchr("rwxRWX", c) != NULL &&
		    (i + 1 == l->len || strchr(" \t,#", l->s[i + 1]) != NULL)) {
			if (!have_number)
				return trace_error(l, start, "'%c' must follow "
				    "an address or page number", c);
			c = (char)(c | 0x20);
			tr->refs[tr->nrefs - 1].kind = (uint8_t)(c == 'r' ?
			    TRACE_READ : c == 'w' ? TRACE_WRITE : TRACE_IFETCH);
			have_number = false;	/* one letter per value */
			i++;
			continue;
		}
		if (c == '0' && i + 1 < l->len &&
		    (l->s[i + 1] == 'x' || l->s[i + 1] == 'X')) {
			i += 2;
			if (read_hex(l, &i, "an address", &v) != 0)
				return -1;
			*any_hex = true;
		} else if (c >= '0' && c <= '9') {
			if (read_dec(l, &i, "a number", UINT64_MAX, &v) != 0)
				return -1;
		} else {
			return trace_error(l, start, "expected an address "
			    "(0x hex or decimal) or a page number");
		}
		if (i < l->len && strchr(" \t,#", l->s[i]) == NULL)
			return trace_error(l, i, "'%c' is not a digit", l->s[i]);
		if (add_ref(l, tr, v, 0, TRACE_READ) != 0)
			return -1;
		have_number = true;
	}
}

/* ------------------------------------------------------------ driver */

/* Blank, a comment: not a reference in any format. */
static bool is_empty_line(const struct tline *l)
{
	size_t i = 0;

	while (i < l->len && is_blank(l->s[i]))
		i++;
	return i == l->len || l->s[i] == '#';
}

/*
 * The format of a reference line: lackey when it starts with I, L, S or
 * M and a blank and holds "HEX,SIZE"; din when it is a digit 0-4, blanks
 * and one hex word; plain otherwise. Textbook lists of two numbers per
 * line ("2 400") read as din: --format plain says otherwise.
 */
static enum trace_format guess_format(const struct tline *l)
{
	size_t i = 0, words = 0;
	const char *p;

	if (is_valgrind_message(l))
		return TRACE_LACKEY;
	while (i < l->len && is_blank(l->s[i]))
		i++;
	p = l->s + i;
	if (i + 1 < l->len && strchr("ILSM", p[0]) != NULL && is_blank(p[1]) &&
	    memchr(p, ',', l->len - i) != NULL)
		return TRACE_LACKEY;
	if (i + 1 < l->len && p[0] >= '0' && p[0] <= '4' && is_blank(p[1])) {
		/* exactly two words, the second all hex */
		bool hex = true;

		for (size_t j = i; j < l->len && l->s[j] != '#';) {
			while (j < l->len && is_blank(l->s[j]))
				j++;
			if (j >= l->len || l->s[j] == '#')
				break;
			words++;
			for (; j < l->len && !is_blank(l->s[j]); j++) {
				if (words == 2 && hex_digit(l->s[j]) < 0)
					hex = false;
			}
		}
		if (words == 2 && hex)
			return TRACE_DIN;
	}
	return TRACE_PLAIN;
}

void trace_free(struct trace *tr)
{
	free(tr->refs);
	memset(tr, 0, sizeof(*tr));
}

int trace_parse(const char *name, const char *text, size_t len,
    enum trace_format fmt, struct trace *tr, struct sbuf *err)
{
	struct tline l;
	size_t pos = 0;
	bool any_hex = false;
	int rc = 0;

	memset(tr, 0, sizeof(*tr));
	memset(&l, 0, sizeof(l));
	l.name = name;
	l.err = err;
	l.fmt = fmt;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;

		l.s = text + pos;
		l.len = end - pos;
		l.no++;
		pos = end + 1;
		if (l.len > 0 && l.s[l.len - 1] == '\r')
			l.len--;
		if (memchr(l.s, '\0', l.len) != NULL) {
			rc = trace_error(&l, (size_t)((const char *)memchr(l.s,
			    '\0', l.len) - l.s), "a NUL byte: this is not a "
			    "text file");
			break;
		}
		if (is_empty_line(&l))
			continue;
		if (l.fmt == TRACE_AUTO) {
			l.fmt = guess_format(&l);
			l.guessed = true;
			l.guessed_at = l.no;
		}
		switch (l.fmt) {
		case TRACE_LACKEY:
			rc = parse_lackey(&l, tr);
			break;
		case TRACE_DIN:
			rc = parse_din(&l, tr);
			break;
		default:
			rc = parse_plain(&l, tr, &any_hex);
			break;
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && tr->nrefs == 0) {
		l.guessed = false;
		l.no = l.no > 0 ? l.no : 1;
		sbuf_printf(err, "%s:%zu:1: no memory references in the file\n",
		    name, l.no);
		rc = -1;
	}
	if (rc != 0) {
		trace_free(tr);
		return -1;
	}
	tr->format = l.fmt;
	tr->nlines = l.no;
	tr->pages = l.fmt == TRACE_PLAIN && !any_hex;
	return 0;
}

int trace_load(const char *path, enum trace_format fmt, struct trace *tr,
    struct sbuf *err)
{
	struct sbuf text = SBUF_INIT;
	int rc;

	memset(tr, 0, sizeof(*tr));
	rc = sbuf_read_file(&text, path, path, TRACE_MAX_SIZE, err);
	if (rc == SBUF_TOO_LARGE) {
		sbuf_printf(err, "vmscope: %s: larger than %u MiB: cut the trace "
		    "(head -n)\n", path, TRACE_MAX_SIZE >> 20);
		rc = -1;
	} else if (rc == 0) {
		rc = trace_parse(path, text.s != NULL ? text.s : "", text.len,
		    fmt, tr, err);
	}
	sbuf_free(&text);
	return rc;
}
