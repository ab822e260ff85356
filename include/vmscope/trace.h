/*
 * trace.h - memory-reference traces that users bring from real programs,
 * read into one list of references for `replay`: valgrind's lackey
 * (--tool=lackey --trace-mem=yes), Dinero's din format, and plain lists of
 * addresses or page numbers from textbook exercises. Implemented in
 * src/core/trace.c; no I/O beyond reading the file, no machine involved,
 * so the readers can be tested and fuzzed alone.
 *
 * A file with a mistake is refused as a whole with one message
 * "FILE:LINE:COL: what is wrong" (COL counts bytes from 1).
 */
#ifndef VMSCOPE_TRACE_H
#define VMSCOPE_TRACE_H

#include "vmscope/sbuf.h"

enum trace_format {
	TRACE_AUTO,		/* guess from the first reference line */
	TRACE_LACKEY,
	TRACE_DIN,
	TRACE_PLAIN,
	NR_TRACE_FORMATS
};

/* What the CPU did at the address; the values match touch's r, w, x. */
enum trace_kind {
	TRACE_READ,		/* lackey L, din 0 (and 3) */
	TRACE_WRITE,		/* lackey S, din 1 */
	TRACE_IFETCH,		/* lackey I, din 2 */
};

struct trace_ref {
	uint64_t	 addr;	/* a byte address, or a page number (plain) */
	uint32_t	 size;	/* bytes accessed; 0 when the format has none */
	uint8_t		 kind;	/* enum trace_kind */
	uint32_t	 line;	/* where it came from, for messages */
};

struct trace {
	enum trace_format format;	/* as read (never TRACE_AUTO) */
	struct trace_ref *refs;
	size_t		 nrefs, cap;
	/*
	 * A plain list holds page numbers when no value in it is written in
	 * hex (a textbook reference string "7 0 1 2 0 3"), byte addresses
	 * otherwise. Set by the reader; `replay --pages|--addresses`
	 * overrides it. Always false for lackey and din.
	 */
	bool		 pages;
	size_t		 nlines;	/* lines read */
	size_t		 skipped;	/* valgrind messages, din flushes */
};

/* Files larger than this are refused before parsing. */
#define TRACE_MAX_SIZE		(128U << 20)
#define TRACE_MAX_REFS		(4U << 20)

const char *trace_format_name(enum trace_format f);	/* "lackey" */
/* -1 if unknown; "auto" is TRACE_AUTO. */
int	 trace_format_lookup(const char *name);

/*
 * Read a trace from text (len bytes, need not end in a newline or NUL).
 * With TRACE_AUTO, the first line that is not blank, a comment or a
 * valgrind message decides. name is used in messages. Returns 0, or -1
 * with "NAME:LINE:COL: what is wrong\n" in err and tr empty.
 */
int	 trace_parse(const char *name, const char *text, size_t len,
	     enum trace_format fmt, struct trace *tr, struct sbuf *err);
/* Read a file ("vmscope: FILE: No such file or directory"). */
int	 trace_load(const char *path, enum trace_format fmt, struct trace *tr,
	     struct sbuf *err);
void	 trace_free(struct trace *tr);

#endif
