/*
 * draw.c - the drawing layer every pane uses: text clipped to a width,
 * boxes drawn with UTF-8 line characters or plain ASCII, colour roles
 * turned into colour pairs or, on a monochrome terminal (or with
 * NO_COLOR), into attributes. Nothing here refreshes: tui_draw makes the
 * one doupdate() of a frame.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-curses.h"
#include "tui.h"

/* Without colour, the roles that carry meaning become attributes. */
static const int mono_attr[NR_TUI_COLORS] = {
	[C_FOCUS]	= A_BOLD,
	[C_LIT]		= A_BOLD,
	[C_CURRENT]	= A_REVERSE,
	[C_HEADER]	= A_REVERSE,
	[C_DIM]		= A_DIM,
	[C_ERROR]	= A_BOLD,
	[C_GOOD]	= A_BOLD,
	[C_TITLE]	= A_BOLD,
	[C_KERNEL]	= A_BOLD,
	[C_HUGE]	= A_BOLD,
	[C_RESERVED]	= A_DIM,
};

/* Extra attributes on top of the colour pair. */
static const int color_extra[NR_TUI_COLORS] = {
	[C_FOCUS]	= A_BOLD,
	[C_LIT]		= A_BOLD,
	[C_TITLE]	= A_BOLD,
	[C_ERROR]	= A_BOLD,
	[C_CURRENT]	= A_BOLD,
};

int tui_attr(const struct tui *t, enum tui_color c)
{
	if (c == C_NORMAL)
		return A_NORMAL;
	if (!t->color)
		return mono_attr[c];
	return (int)COLOR_PAIR(c) | color_extra[c];
}

void tui_fill(const struct tui *t, const struct rect *r, int attr)
{
	(void)t;
	for (int y = r->y; y < r->y + r->h; y++) {
		move(y, r->x);
		for (int x = 0; x < r->w; x++)
			addch(' ' | (chtype)attr);
	}
}

int tui_puts(const struct tui *t, int y, int x, int w, int attr,
    const char *s)
{
	int n = 0;

	(void)t;
	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	attron(attr);
	move(y, x);
	/* Our strings are ASCII except in narration; count bytes as columns. */
	for (; s[n] != '\0' && n < w; n++)
		addch((unsigned char)s[n] == '\t' ? ' ' : (unsigned char)s[n]);
	attroff(attr);
	return n;
}

int tui_printf(const struct tui *t, int y, int x, int w, int attr,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tui_puts(t, y, x, w, attr, buf);
}

void tui_hline(const struct tui *t, int y, int x, int w, int attr)
{
	if (w <= 0)
		return;
	attron(attr);
	mvhline(y, x, t->utf8 ? ACS_HLINE : '-', w);
	attroff(attr);
}

void tui_box(const struct tui *t, const struct rect *r, const char *title,
    int attr, struct rect *inner)
{
	chtype hl = t->utf8 ? ACS_HLINE : '-', vl = t->utf8 ? ACS_VLINE : '|';
	chtype ul = t->utf8 ? ACS_ULCORNER : '+', ur = t->utf8 ? ACS_URCORNER : '+';
	chtype ll = t->utf8 ? ACS_LLCORNER : '+', lr = t->utf8 ? ACS_LRCORNER : '+';

	if (inner != NULL) {
		inner->y = r->y + 1;
		inner->x = r->x + 1;
		inner->h = r->h - 2 > 0 ? r->h - 2 : 0;
		inner->w = r->w - 2 > 0 ? r->w - 2 : 0;
	}
	if (r->h < 2 || r->w < 2)
		return;
	attron(attr);
	mvaddch(r->y, r->x, ul);
	mvhline(r->y, r->x + 1, hl, r->w - 2);
	mvaddch(r->y, r->x + r->w - 1, ur);
	mvvline(r->y + 1, r->x, vl, r->h - 2);
	mvvline(r->y + 1, r->x + r->w - 1, vl, r->h - 2);
	mvaddch(r->y + r->h - 1, r->x, ll);
	mvhline(r->y + r->h - 1, r->x + 1, hl, r->w - 2);
	mvaddch(r->y + r->h - 1, r->x + r->w - 1, lr);
	attroff(attr);
	if (title != NULL && r->w > 6) {
		char buf[256];

		snprintf(buf, sizeof(buf), " %s ", title);
		tui_puts(t, r->y, r->x + 2, r->w - 4, attr, buf);
	}
}

int tui_wrap(const char *text, int w, char ***linesp)
{
	char **lines = NULL;
	int n = 0;
	const char *p = text;

	if (w < 8)
		w = 8;
	while (*p != '\0') {
		size_t len = strcspn(p, "\n"), take = len;

		if ((int)len > w) {
			/* break at the last blank that fits */
			take = (size_t)w;
			while (take > 0 && p[take] != ' ')
				take--;
			if (take == 0)
				take = (size_t)w;
		}
		lines = xrealloc(lines, sizeof(*lines) * (size_t)(n + 1));
		lines[n++] = xstrndup(p, take);
		p += take;
		if (*p == ' ' && take < len)
			p++;
		else if (*p == '\n')
			p++;
	}
	*linesp = lines;
	return n;
}

void tui_free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void tui_size_str(char *buf, size_t len, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	int u = 0;

	while (u < 6 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[u]);
}
