/*
 * jsonpos.c - strict JSON scanning with positions, joined to cJSON's tree
 * (see jsonpos.h for why both exist).
 *
 * The scanner is a plain recursive descent over RFC 8259 JSON. It is
 * stricter than cJSON (which lets "01", "+1" or raw control characters
 * through), so whatever it accepts cJSON accepts too and builds the same
 * sequence of values; that shared pre-order sequence is what lets the
 * n-th value noted by the scanner be pinned on the n-th cJSON item.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/jsonpos.h"

struct scan {
	const char	*s;
	size_t		 len;
	size_t		 p;
	struct json_pos	*pos;
	size_t		 npos;
	size_t		 cap;
	struct sbuf	*why;
	size_t		 err_off;
};

static int scan_fail(struct scan *sc, size_t off, const char *fmt, ...)
	__printf(3, 4);

static int scan_fail(struct scan *sc, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(sc->why, fmt, ap);
	va_end(ap);
	sc->err_off = off;
	return -1;
}

/* Name the character at off the way a user would recognise it. */
static void describe_char(struct scan *sc, size_t off, struct sbuf *sb)
{
	unsigned char c = (unsigned char)sc->s[off];

	if (c == 0xe2 && off + 2 < sc->len &&
	    (unsigned char)sc->s[off + 1] == 0x80 &&
	    ((unsigned char)sc->s[off + 2] & 0xfc) == 0x9c) {
		/* U+201C..U+201F: pasted from a word processor. */
		sbuf_add(sb, "a curly quote (JSON needs straight \" quotes)");
	} else if (c > 0x20 && c < 0x7f)
		sbuf_printf(sb, "'%c'", c);
	else if (c == 0)
		sbuf_add(sb, "a NUL byte");
	else
		sbuf_printf(sb, "byte 0x%02x", c);
}

static int unexpected(struct scan *sc, const char *expected)
{
	struct sbuf what = SBUF_INIT;
	int rc;

	if (sc->p >= sc->len)
		return scan_fail(sc, sc->p, "unexpected end of file, expected %s",
		    expected);
	if (sc->s[sc->p] == '/')
		return scan_fail(sc, sc->p, "comments are not allowed in JSON");
	if (sc->s[sc->p] == '\'')
		return scan_fail(sc, sc->p,
		    "strings and keys need double quotes, not single quotes");
	describe_char(sc, sc->p, &what);
	rc = scan_fail(sc, sc->p, "expected %s, found %s", expected,
	    sbuf_str(&what));
	sbuf_free(&what);
	return rc;
}

static void skip_ws(struct scan *sc)
{
	while (sc->p < sc->len) {
		char c = sc->s[sc->p];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->p++;
	}
}

static void note(struct scan *sc, size_t key_off, size_t val_off)
{
	if (sc->npos == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->pos = xrealloc(sc->pos, sc->cap * sizeof(*sc->pos));
	}
	sc->pos[sc->npos].item = NULL;
	sc->pos[sc->npos].key_off = key_off;
	sc->pos[sc->npos].val_off = val_off;
	sc->npos++;
}

/* Four hex digits at off, or -1. */
static long hex4(struct scan *sc, size_t off)
{
	long v = 0;

	if (off + 4 > sc->len)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hex_digit(sc->s[off + i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static int scan_string(struct scan *sc)
{
	size_t start = sc->p;

	sc->p++;	/* the opening quote */
	for (;;) {
		unsigned char c;

		if (sc->p >= sc->len || sc->s[sc->p] == '\n' ||
		    sc->s[sc->p] == '\r')
			return scan_fail(sc, start, "unterminated string");
		c = (unsigned char)sc->s[sc->p];
		if (c == '"') {
			sc->p++;
			return 0;
		}
		if (c < 0x20) {
			return scan_fail(sc, sc->p,
			    "control character 0x%02x in a string (write it as an escape such as \\t or \\u%04x)",
			    c, c);
		}
		if (c != '\\') {
			sc->p++;
			continue;
		}
		if (sc->p + 1 >= sc->len)
			return scan_fail(sc, start, "unterminated string");
		switch (sc->s[sc->p + 1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			sc->p += 2;
			break;
		case 'u': {
			long u = hex4(sc, sc->p + 2);

			if (u < 0) {
				return scan_fail(sc, sc->p,
				    "\\u must be followed by four hex digits");
			}
			if (u == 0) {
				return scan_fail(sc, sc->p,
				    "\\u0000 is not allowed in a string");
			}
			if (u >= 0xdc00 && u <= 0xdfff) {
				return scan_fail(sc, sc->p,
				    "\\u%04lx is a low surrogate without a high one before it",
				    u);
			}
			if (u >= 0xd800 && u <= 0xdbff) {
				long lo = -1;

				if (sc->p + 7 < sc->len && sc->s[sc->p + 6] == '\\' &&
				    sc->s[sc->p + 7] == 'u')
					lo = hex4(sc, sc->p + 8);
				if (lo < 0xdc00 || lo > 0xdfff) {
					return scan_fail(sc, sc->p,
					    "\\u%04lx is a high surrogate not followed by a low one (\\udc00 to \\udfff)",
					    u);
				}
				sc->p += 6;
			}
			sc->p += 6;
			break;
		}
		default: {
			struct sbuf what = SBUF_INIT;
			int rc;

			describe_char(sc, sc->p + 1, &what);
			rc = scan_fail(sc, sc->p,
			    "invalid escape: backslash followed by %s (to write a backslash, double it)",
			    sbuf_str(&what));
			sbuf_free(&what);
			return rc;
		}
		}
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int scan_number(struct scan *sc)
{
	size_t start = sc->p;
	const char *s = sc->s;

	if (sc->p < sc->len && s[sc->p] == '-')
		sc->p++;
	if (sc->p >= sc->len || !is_digit(s[sc->p]))
		return scan_fail(sc, start, "invalid number: a digit must follow '-'");
	if (s[sc->p] == '0' && sc->p + 1 < sc->len && is_digit(s[sc->p + 1]))
		return scan_fail(sc, start,
		    "invalid number: no leading zeros (write hex values as strings: \"0x10\")");
	while (sc->p < sc->len && is_digit(s[sc->p]))
		sc->p++;
	if (sc->p < sc->len && s[sc->p] == '.') {
		sc->p++;
		if (sc->p >= sc->len || !is_digit(s[sc->p]))
			return scan_fail(sc, start,
			    "invalid number: a digit must follow '.'");
		while (sc->p < sc->len && is_digit(s[sc->p]))
			sc->p++;
	}
	if (sc->p < sc->len && (s[sc->p] == 'e' || s[sc->p] == 'E')) {
		sc->p++;
		if (sc->p < sc->len && (s[sc->p] == '+' || s[sc->p] == '-'))
			sc->p++;
		if (sc->p >= sc->len || !is_digit(s[sc->p]))
			return scan_fail(sc, start,
			    "invalid number: the exponent needs digits");
		while (sc->p < sc->len && is_digit(s[sc->p]))
			sc->p++;
	}
	if (sc->p - start > JSON_MAX_NUMBER)
		return scan_fail(sc, start, "number too long (over %d characters)",
		    JSON_MAX_NUMBER);
	/* "12abc" or "0x10": say so rather than complain about a comma. */
	if (sc->p < sc->len && (is_digit(s[sc->p]) ||
	    (s[sc->p] >= 'a' && s[sc->p] <= 'z') ||
	    (s[sc->p] >= 'A' && s[sc->p] <= 'Z'))) {
		return scan_fail(sc, start,
		    "invalid number (write hex values and sizes as strings: \"0x10\", \"64M\")");
	}
	return 0;
}

static int scan_literal(struct scan *sc)
{
	static const char *const words[] = { "true", "false", "null" };

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);

		if (sc->len - sc->p >= n && memcmp(sc->s + sc->p, words[i], n) == 0) {
			sc->p += n;
			return 0;
		}
	}
	return -1;
}

static int scan_value(struct scan *sc, int depth, size_t key_off);

static int scan_object(struct scan *sc, int depth)
{
	sc->p++;	/* { */
	skip_ws(sc);
	if (sc->p < sc->len && sc->s[sc->p] == '}') {
		sc->p++;
		return 0;
	}
	for (size_t comma = SIZE_MAX;;) {
		size_t key_off;

		skip_ws(sc);
		if (sc->p < sc->len && sc->s[sc->p] == '}' && comma != SIZE_MAX)
			return scan_fail(sc, comma,
			    "trailing comma before '}' (not allowed in JSON)");
		if (sc->p >= sc->len || sc->s[sc->p] != '"')
			return unexpected(sc, "a key in double quotes");
		key_off = sc->p;
		if (scan_string(sc) != 0)
			return -1;
		skip_ws(sc);
		if (sc->p >= sc->len || sc->s[sc->p] != ':')
			return unexpected(sc, "':' after the key");
		sc->p++;
		skip_ws(sc);
		if (scan_value(sc, depth, key_off) != 0)
			return -1;
		skip_ws(sc);
		if (sc->p < sc->len && sc->s[sc->p] == ',') {
			comma = sc->p++;
			continue;
		}
		if (sc->p < sc->len && sc->s[sc->p] == '}') {
			sc->p++;
			return 0;
		}
		if (sc->p < sc->len && sc->s[sc->p] == '"')
			return scan_fail(sc, sc->p,
			    "missing ',' between object members");
		return unexpected(sc, "',' or '}' after an object member");
	}
}

static int scan_array(struct scan *sc, int depth)
{
	sc->p++;	/* [ */
	skip_ws(sc);
	if (sc->p < sc->len && sc->s[sc->p] == ']') {
		sc->p++;
		return 0;
	}
	for (size_t comma = SIZE_MAX;;) {
		skip_ws(sc);
		if (sc->p < sc->len && sc->s[sc->p] == ']' && comma != SIZE_MAX)
			return scan_fail(sc, comma,
			    "trailing comma before ']' (not allowed in JSON)");
		if (scan_value(sc, depth, SIZE_MAX) != 0)
			return -1;
		skip_ws(sc);
		if (sc->p < sc->len && sc->s[sc->p] == ',') {
			comma = sc->p++;
			continue;
		}
		if (sc->p < sc->len && sc->s[sc->p] == ']') {
			sc->p++;
			return 0;
		}
		if (sc->p < sc->len && (sc->s[sc->p] == '"' || sc->s[sc->p] == '{'))
			return scan_fail(sc, sc->p,
			    "missing ',' between array elements");
		return unexpected(sc, "',' or ']' after an array element");
	}
}

static int scan_value(struct scan *sc, int depth, size_t key_off)
{
	char c;

	if (sc->p >= sc->len)
		return unexpected(sc, "a value");
	note(sc, key_off, sc->p);
	c = sc->s[sc->p];
	switch (c) {
	case '{':
	case '[':
		if (depth >= JSON_MAX_DEPTH)
			return scan_fail(sc, sc->p, "nested deeper than %d levels",
			    JSON_MAX_DEPTH);
		return c == '{' ? scan_object(sc, depth + 1) :
		    scan_array(sc, depth + 1);
	case '"':
		return scan_string(sc);
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return scan_number(sc);
	default:
		if (scan_literal(sc) == 0)
			return 0;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return scan_fail(sc, sc->p,
			    "expected a value; text must be in double quotes (true, false and null are the only bare words)");
		return unexpected(sc, "a value");
	}
}

/* Pin the noted offsets on cJSON's items, in the same pre-order. */
static int attach(struct scan *sc, const cJSON *item, size_t *i)
{
	for (; item != NULL; item = item->next) {
		if (*i >= sc->npos)
			return -1;
		sc->pos[(*i)++].item = item;
		if (item->child != NULL && attach(sc, item->child, i) != 0)
			return -1;
	}
	return 0;
}

static int pos_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct json_pos *)a)->item;
	uintptr_t y = (uintptr_t)((const struct json_pos *)b)->item;

	return x < y ? -1 : x > y;
}

struct member {
	const char	*key;
	size_t		 off;
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Find the duplicate key that comes first in the file (its second
 * occurrence). SIZE_MAX when there is none.
 */
static size_t first_duplicate(const struct json_doc *doc, const cJSON *item,
    const char **dupkey)
{
	size_t best = SIZE_MAX;

	for (; item != NULL; item = item->next) {
		size_t n = 0, k = 0, off;
		struct member *m;
		const cJSON *c;

		if (item->child == NULL)
			continue;
		off = first_duplicate(doc, item->child, dupkey);
		if (off < best)
			best = off;
		if (!cJSON_IsObject(item))
			continue;
		for (c = item->child; c != NULL; c = c->next)
			n++;
		m = xmalloc(n * sizeof(*m));
		for (c = item->child; c != NULL; c = c->next) {
			m[k].key = c->string != NULL ? c->string : "";
			m[k++].off = json_doc_offset(doc, c, true);
		}
		qsort(m, n, sizeof(*m), member_cmp);
		for (k = 1; k < n; k++) {
			if (strcmp(m[k - 1].key, m[k].key) == 0 && m[k].off < best) {
				best = m[k].off;
				*dupkey = m[k].key;
			}
		}
		free(m);
	}
	return best;
}

int json_doc_parse(struct json_doc *doc, const char *text, size_t len,
    struct sbuf *why, size_t *err_off)
{
	struct scan sc;
	const char *end = NULL;
	const char *dupkey = NULL;
	size_t i = 0, dup;

	memset(doc, 0, sizeof(*doc));
	memset(&sc, 0, sizeof(sc));
	sc.s = text;
	sc.len = len;
	sc.why = why;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		sc.p = 3;	/* cJSON skips a byte-order mark too */
	skip_ws(&sc);
	if (sc.p >= len) {
		scan_fail(&sc, sc.p, "the file is empty (a JSON object was expected)");
		goto fail;
	}
	if (scan_value(&sc, 0, SIZE_MAX) != 0)
		goto fail;
	skip_ws(&sc);
	if (sc.p < len) {
		scan_fail(&sc, sc.p, "unexpected text after the end of the JSON value");
		goto fail;
	}

	doc->root = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (doc->root == NULL || attach(&sc, doc->root, &i) != 0 ||
	    i != sc.npos) {
		/* The scanner and cJSON disagree: a bug, but say where. */
		scan_fail(&sc, end != NULL && end >= text ? (size_t)(end - text) : 0,
		    "invalid JSON");
		goto fail;
	}
	doc->text = text;
	doc->len = len;
	doc->pos = sc.pos;
	doc->npos = sc.npos;
	qsort(doc->pos, doc->npos, sizeof(*doc->pos), pos_cmp);

	dup = first_duplicate(doc, doc->root, &dupkey);
	if (dup != SIZE_MAX) {
		char *k = json_msg_str(dupkey);

		sbuf_printf(why, "duplicate key \"%s\" (each key may appear once)",
		    k);
		free(k);
		*err_off = dup;
		json_doc_free(doc);
		return -1;
	}
	return 0;

fail:
	*err_off = sc.err_off;
	free(sc.pos);
	cJSON_Delete(doc->root);
	memset(doc, 0, sizeof(*doc));
	return -1;
}

void json_doc_free(struct json_doc *doc)
{
	cJSON_Delete(doc->root);
	free(doc->pos);
	memset(doc, 0, sizeof(*doc));
}

size_t json_doc_offset(const struct json_doc *doc, const cJSON *item, bool key)
{
	struct json_pos want, *found;

	want.item = item;
	found = bsearch(&want, doc->pos, doc->npos, sizeof(*doc->pos), pos_cmp);
	if (found == NULL)
		return 0;
	if (key && found->key_off != SIZE_MAX)
		return found->key_off;
	return found->val_off;
}

void json_linecol(const char *text, size_t len, size_t off, unsigned *line,
    unsigned *col)
{
	unsigned l = 1, c = 1;
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (off > len)
		off = len;
	for (; i < off; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c++;	/* not a UTF-8 continuation byte */
		}
	}
	*line = l;
	*col = c;
}

char *json_msg_str(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	size_t n = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (n++ == JSON_MSG_MAX) {
			sbuf_add(&sb, "...");
			break;
		}
		if (c == '"' || c == '\\')
			sbuf_printf(&sb, "\\%c", c);
		else if (c == '\n')
			sbuf_add(&sb, "\\n");
		else if (c == '\t')
			sbuf_add(&sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sbuf_printf(&sb, "\\u%04x", c);
		else
			sbuf_addc(&sb, (char)c);
	}
	if (sb.len == 0)
		return xstrdup("");
	return sbuf_steal(&sb);
}

size_t json_path_push_key(struct sbuf *path, const char *key)
{
	size_t old = path->len;

	if (old > 0)
		sbuf_addc(path, '.');
	sbuf_add(path, key);
	return old;
}

size_t json_path_push_index(struct sbuf *path, int i)
{
	size_t old = path->len;

	sbuf_printf(path, "[%d]", i);
	return old;
}

void json_path_pop(struct sbuf *path, size_t len)
{
	path->len = len;
	if (path->s != NULL)
		path->s[len] = '\0';
}

const char *json_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsObject(item))
		return "an object";
	return "something else";
}
