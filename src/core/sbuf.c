/*
 * sbuf.c - growable string buffers, the medium between the command layer
 * and the front ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/sbuf.h"

void sbuf_init(struct sbuf *sb)
{
	sb->s = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sbuf_free(struct sbuf *sb)
{
	free(sb->s);
	sbuf_init(sb);
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->s != NULL)
		sb->s[0] = '\0';
}

static void sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->s = xrealloc(sb->s, sb->cap);
}

void sbuf_addn(struct sbuf *sb, const char *s, size_t n)
{
	sbuf_grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sbuf_add(struct sbuf *sb, const char *s)
{
	sbuf_addn(sb, s, strlen(s));
}

void sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_addn(sb, &c, 1);
}

void sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	sbuf_grow(sb, (size_t)n);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sbuf_json_str(struct sbuf *sb, const char *s)
{
	const unsigned char *p;

	sbuf_addc(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			sbuf_add(sb, "\\\"");
			break;
		case '\\':
			sbuf_add(sb, "\\\\");
			break;
		case '\n':
			sbuf_add(sb, "\\n");
			break;
		case '\t':
			sbuf_add(sb, "\\t");
			break;
		case '\r':
			sbuf_add(sb, "\\r");
			break;
		default:
			if (*p < 0x20)
				sbuf_printf(sb, "\\u%04x", *p);
			else
				sbuf_addc(sb, (char)*p);
		}
	}
	sbuf_addc(sb, '"');
}

const char *sbuf_str(const struct sbuf *sb)
{
	return sb->s != NULL ? sb->s : "";
}

char *sbuf_steal(struct sbuf *sb)
{
	char *s = sb->s != NULL ? sb->s : xstrdup("");

	sbuf_init(sb);
	return s;
}

int sbuf_read_file(struct sbuf *sb, const char *path, const char *name,
    size_t max, struct sbuf *err)
{
	FILE *fp = fopen(path, "rb");
	char buf[65536];
	size_t n, len = 0;
	int rc = 0;

	if (fp == NULL) {
		sbuf_printf(err, "vmscope: %s: %s\n", name, strerror(errno));
		return -1;
	}
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		len += n;
		if (len > max)
			rc = SBUF_TOO_LARGE;
		else
			sbuf_addn(sb, buf, n);
	}
	if (rc == 0 && ferror(fp)) {
		sbuf_printf(err, "vmscope: %s: %s\n", name, strerror(errno));
		rc = -1;
	}
	fclose(fp);
	return rc;
}
