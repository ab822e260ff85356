/*
 * sbuf.h - growable string buffer. Commands and views write their output
 * into one; the front end (REPL, batch runner, scenario player, TUI)
 * decides where it goes. The model itself never prints.
 */
#ifndef VMSCOPE_SBUF_H
#define VMSCOPE_SBUF_H

#include <stdarg.h>
#include "vmscope/compiler.h"

struct sbuf {
	char	*s;	/* always NUL-terminated once anything was added */
	size_t	 len;
	size_t	 cap;
};

#define SBUF_INIT { NULL, 0, 0 }

void	 sbuf_init(struct sbuf *sb);
void	 sbuf_free(struct sbuf *sb);
void	 sbuf_reset(struct sbuf *sb);
void	 sbuf_add(struct sbuf *sb, const char *s);
void	 sbuf_addn(struct sbuf *sb, const char *s, size_t n);
void	 sbuf_addc(struct sbuf *sb, char c);
void	 sbuf_printf(struct sbuf *sb, const char *fmt, ...) __printf(2, 3);
void	 sbuf_vprintf(struct sbuf *sb, const char *fmt, va_list ap);
/* Append s as a JSON string literal, quotes included. */
void	 sbuf_json_str(struct sbuf *sb, const char *s);
/* The contents ("" when empty); valid until the next change. */
const char *sbuf_str(const struct sbuf *sb);
/* Take ownership of the string; the buffer is left empty. */
char	*sbuf_steal(struct sbuf *sb);
/*
 * Append the whole file at path to sb, reading at most max bytes. 0; -1
 * after the one message "vmscope: NAME: <system error>" in err; or
 * SBUF_TOO_LARGE, with no message (the caller says what the limit is
 * for). name is the path as the user gave it.
 */
#define SBUF_TOO_LARGE	(-2)
int	 sbuf_read_file(struct sbuf *sb, const char *path, const char *name,
	    size_t max, struct sbuf *err);

#endif
