/*
 * jsonpos.h - JSON documents that remember where each value came from.
 * cJSON builds the tree but keeps no positions and says little about a
 * syntax error, so a small scanner of our own reads the text first: it
 * checks strict JSON syntax (explaining what is wrong and where) and notes
 * the offset of every value and object key in document order. The two
 * are joined by walking the cJSON tree in the same order, so any item can
 * be turned into FILE:LINE:COL for an error message.
 *
 * Used by the scenario loader (and by anything else in src/scenario that
 * reads JSON); never by src/core or src/cmd, which must not see cJSON.
 */
#ifndef VMSCOPE_JSONPOS_H
#define VMSCOPE_JSONPOS_H

#include <cjson/cJSON.h>

#include "vmscope/sbuf.h"

/* Deeper nesting is refused: no scenario needs it, and it bounds the stack. */
#define JSON_MAX_DEPTH	64
/* cJSON copies a number into a 64-byte buffer; longer ones are refused. */
#define JSON_MAX_NUMBER	63

struct json_pos {
	const cJSON	*item;
	size_t		 key_off;	/* object member: where its key starts */
	size_t		 val_off;	/* where its value starts */
};

struct json_doc {
	cJSON		*root;
	const char	*text;		/* not owned; must outlive the doc */
	size_t		 len;
	struct json_pos	*pos;		/* sorted by item, for lookup */
	size_t		 npos;
};

/*
 * Parse text. On success fill doc and return 0. On a syntax error (or a
 * duplicate key, which would make one of the two values silently lost)
 * return -1 with what is wrong in why (no position, no newline) and the
 * byte offset where it was found in *err_off.
 */
int	 json_doc_parse(struct json_doc *doc, const char *text, size_t len,
	     struct sbuf *why, size_t *err_off);
void	 json_doc_free(struct json_doc *doc);

/*
 * Byte offset of item in the text: of its key when key is set and the
 * item is an object member, else of its value. 0 for an unknown item.
 */
size_t	 json_doc_offset(const struct json_doc *doc, const cJSON *item,
	     bool key);

/*
 * Turn a byte offset into a 1-based line and column. Columns count
 * characters (UTF-8 sequences), a tab as one, as most editors' "go to
 * column" does; a leading byte-order mark is not counted.
 */
void	 json_linecol(const char *text, size_t len, size_t off, unsigned *line,
	     unsigned *col);

/*
 * A string from the file as it may appear in a one-line message: control
 * characters, quotes and backslashes escaped as JSON would write them,
 * and cut after JSON_MSG_MAX characters. Returns a new string.
 */
#define JSON_MSG_MAX	60
char	*json_msg_str(const char *s);

/*
 * The path of the key being checked, as error messages print it
 * ("steps[3].expect.faults"): push returns the length to pop back to.
 */
size_t	 json_path_push_key(struct sbuf *path, const char *key);
size_t	 json_path_push_index(struct sbuf *path, int i);
void	 json_path_pop(struct sbuf *path, size_t len);
/* "a string", "a number", ... for messages saying what was found. */
const char *json_type_name(const cJSON *item);

#endif
