/*
 * compiler.h - small helpers every vmscope file may use: container_of,
 * ARRAY_SIZE, min/max, and the one host allocator (xmalloc and friends,
 * which abort on host out-of-memory; simulated out-of-memory is model state).
 */
#ifndef VMSCOPE_COMPILER_H
#define VMSCOPE_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b) ((type)(a) > (type)(b) ? (type)(a) : (type)(b))
#define clamp_t(type, v, lo, hi) min_t(type, max_t(type, v, lo), hi)

#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#if defined(__GNUC__)
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#else
#define __printf(a, b)
#define __unused
#define __noreturn
#endif

void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *ptr, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __printf(1, 2);
/*
 * An invariant checker's or a precondition's reason: printed into why
 * (which may be NULL or empty), returns -1 for `return why_printf(...)`.
 */
int	 why_printf(char *why, size_t whylen, const char *fmt, ...)
	    __printf(3, 4);
/* qsort/bsearch order of two uint64_t. */
int	 cmp_u64(const void *a, const void *b);
/* The value of a hex digit, or -1. */
int	 hex_digit(char c);
/*
 * The hex digits (no prefix) of s[*i .. len): their value in *val and
 * *i moved past them. Returns how many there were, or -1 as soon as
 * there are more than maxdigits (*i then at the first one too many).
 */
int	 scan_hex(const char *s, size_t len, size_t *i, unsigned maxdigits,
	    uint64_t *val);

#endif
