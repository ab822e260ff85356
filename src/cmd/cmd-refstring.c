/*
 * cmd-refstring.c - the classroom replacement policies as commands:
 * `policy` (the machine's replacement policy) and `refstring`, the
 * textbook exercise of running a reference string through a number of
 * frames under one or several policies. The simulation is
 * src/core/refstring.c, the table src/report/refstring.c; this file reads
 * the reference string (inline or @FILE) and the options.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/refstring.h"
#include "vmscope/report-refstring.h"
#include "vmscope/session.h"

_Static_assert((int)REFSIM_OPT == (int)POLICY_OPT &&
    (int)REFSIM_LRU2Q == (int)POLICY_LRU2Q && NR_CLASSIC_POLICIES == NR_POLICIES,
    "refsim policies 0..4 are the machine's reclaim policies");

/* Above this many references, only the totals unless --table. */
#define REFSTRING_TABLE_MAX	50
#define REFSTRING_MAX_FRAMES	(1U << 20)

struct pagevec {
	uint64_t	*v;
	size_t		 n;
	size_t		 cap;
};

static void pagevec_add(struct pagevec *pv, uint64_t page)
{
	if (pv->n == pv->cap) {
		pv->cap = pv->cap ? pv->cap * 2 : 64;
		pv->v = xrealloc(pv->v, pv->cap * sizeof(*pv->v));
	}
	pv->v[pv->n++] = page;
}

/* A page number: decimal or 0x hex, nothing else in the token. */
static int parse_page(const char *tok, size_t len, uint64_t *page)
{
	char buf[32];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	return parse_u64(buf, page);
}

/*
 * @FILE: page numbers separated by newlines, blanks or commas; '#' starts
 * a comment. Errors name the place as FILE:LINE:COL.
 */
static int read_seq_file(struct cmd_ctx *ctx, const char *path,
    struct pagevec *pv)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0;

	if (fp == NULL)
		return cmd_error(ctx, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, fp)) != -1) {
		size_t i = 0;

		lineno++;
		while (i < (size_t)len) {
			size_t start;
			uint64_t page;

			if (line[i] == '#' || line[i] == '\n')
				break;
			if (line[i] == ' ' || line[i] == '\t' || line[i] == ',' ||
			    line[i] == '\r') {
				i++;
				continue;
			}
			start = i;
			while (i < (size_t)len && strchr(" \t,\r\n#", line[i]) == NULL)
				i++;
			if (parse_page(line + start, i - start, &page) != 0) {
				rc = cmd_error(ctx, "%s:%zu:%zu: '%.*s' is not a page "
				    "number", path, lineno, start + 1,
				    (int)(i - start > 20 ? 20 : i - start),
				    line + start);
				goto out;
			}
			pagevec_add(pv, page);
		}
	}
	if (ferror(fp))
		rc = cmd_error(ctx, "%s: %s", path, strerror(errno));
	else if (pv->n == 0)
		rc = cmd_error(ctx, "%s: no page numbers in the file", path);
out:
	free(line);
	fclose(fp);
	return rc;
}

/* Inline SEQ: the positional words, each a comma-separated list. */
static int read_seq_words(struct cmd_ctx *ctx, struct pagevec *pv)
{
	const struct args *a = &ctx->args;

	if (a->argc == 1 && a->argv[0][0] == '@')
		return read_seq_file(ctx, a->argv[0] + 1, pv);
	for (int w = 0; w < a->argc; w++) {
		const char *p = a->argv[w];

		for (;;) {
			size_t len = strcspn(p, ",");
			bool last = p[len] == '\0';
			uint64_t page;

			/* "1, 2" or "1 , 2": a comma may end or start a word */
			if (len == 0 && ((last && p != a->argv[w]) ||
			    (p == a->argv[w] && w > 0))) {
				if (last)
					break;
				p++;
				continue;
			}
			if (len == 0) {
				return cmd_error(ctx, "SEQ: empty entry after "
				    "reference %zu", pv->n);
			}
			if (parse_page(p, len, &page) != 0) {
				return cmd_error(ctx, "SEQ: '%.*s' is not a page "
				    "number (reference %zu)", (int)len, p,
				    pv->n + 1);
			}
			pagevec_add(pv, page);
			if (last)
				break;
			p += len + 1;
		}
	}
	if (pv->n == 0)
		return cmd_error(ctx, "SEQ: no references");
	return 0;
}

/* "fifo", "fifo,lru,opt" or "all" (the five the machine knows). */
static int parse_policies(struct cmd_ctx *ctx, const char *spec,
    int *list, int *nlist)
{
	const char *p = spec;

	*nlist = 0;
	if (strcmp(spec, "all") == 0) {
		for (int i = 0; i < NR_CLASSIC_POLICIES; i++)
			list[(*nlist)++] = (i + 1) % NR_CLASSIC_POLICIES;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		char *name = xstrndup(p, len);
		int pol = refsim_policy_lookup(name);

		if (pol < 0 || pol == REFSIM_RAND || pol == REFSIM_OSTEP_CLOCK) {
			cmd_error(ctx, "--policy: unknown policy '%s' (lru2q, fifo, "
			    "lru, clock, opt, mru, unopt or all)", name);
			free(name);
			return -1;
		}
		free(name);
		if (*nlist == NR_REFSIM_POLICIES)
			return cmd_error(ctx, "--policy: too many policies");
		list[(*nlist)++] = pol;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* "3", "3,4" or "1-8". */
static int parse_frames(struct cmd_ctx *ctx, const char *spec,
    unsigned **list, size_t *nlist)
{
	const char *p = spec;

	*list = NULL;
	*nlist = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *item = xstrndup(p, len), *dash = strchr(item, '-');
		uint64_t lo, hi;
		int bad;

		if (dash != NULL) {
			*dash = '\0';
			bad = parse_u64(item, &lo) != 0 ||
			    parse_u64(dash + 1, &hi) != 0 || hi < lo;
		} else {
			bad = parse_u64(item, &lo) != 0;
			hi = lo;
		}
		free(item);
		if (bad || lo == 0 || hi > REFSTRING_MAX_FRAMES ||
		    *nlist + (hi - lo + 1) > 64) {
			free(*list);
			return cmd_error(ctx, "--frames: '%.*s' is not a frame count "
			    "or range from 1 to %u (at most 64 counts)", (int)len, p,
			    REFSTRING_MAX_FRAMES);
		}
		for (uint64_t f = lo; f <= hi; f++) {
			*list = xrealloc(*list, (*nlist + 1) * sizeof(**list));
			(*list)[(*nlist)++] = (unsigned)f;
		}
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

static int cmd_refstring_exec(struct cmd_ctx *ctx)
{
	const char *fspec = args_get(&ctx->args, "frames");
	const char *pspec = args_get(&ctx->args, "policy");
	bool explain = args_has(&ctx->args, "explain");
	bool rows, many;
	int pols[NR_REFSIM_POLICIES], npols;
	unsigned *frames = NULL;
	size_t nframes = 0;
	struct pagevec pv = { NULL, 0, 0 };
	unsigned long *hits = NULL, *misses = NULL;
	size_t k = 0;
	int rc = -1;

	if (fspec == NULL)
		return cmd_error(ctx, "--frames N is needed (usage: %s)",
		    ctx->entry->usage);
	if (parse_frames(ctx, fspec, &frames, &nframes) != 0)
		return -1;
	if (pspec == NULL) {
		npols = 1;
		pols[0] = ctx->m != NULL ? (int)ctx->m->cfg.policy : REFSIM_LRU2Q;
	} else if (parse_policies(ctx, pspec, pols, &npols) != 0) {
		goto out;
	}
	if (read_seq_words(ctx, &pv) != 0)
		goto out;

	rows = pv.n <= REFSTRING_TABLE_MAX || args_has(&ctx->args, "table") ||
	    args_has(&ctx->args, "verbose") || explain;
	many = npols > 1 || nframes > 1;
	hits = xcalloc((size_t)npols * nframes, sizeof(*hits));
	misses = xcalloc((size_t)npols * nframes, sizeof(*misses));
	for (int i = 0; i < npols; i++) {
		for (size_t f = 0; f < nframes; f++, k++) {
			if (rows) {
				cmd_print(ctx, "%s%s, %u frame%s, %zu reference%s\n",
				    k ? "\n" : "", refsim_policy_names[pols[i]],
				    frames[f], frames[f] == 1 ? "" : "s", pv.n,
				    pv.n == 1 ? "" : "s");
			}
			misses[k] = report_refstring_table(ctx->out, pols[i],
			    frames[f], pv.v, pv.n, rows, explain, &hits[k]);
			if (rows) {
				report_refsim_totals(ctx->out, hits[k], misses[k]);
				cmd_print(ctx, "\n");
			}
		}
	}
	if (many) {
		/* The summary: one line per policy and frame count. */
		k = 0;
		if (rows)
			cmd_print(ctx, "\n");
		for (int i = 0; i < npols; i++) {
			for (size_t f = 0; f < nframes; f++, k++) {
				cmd_print(ctx, "%-5s %4u frames  ",
				    refsim_policy_names[pols[i]], frames[f]);
				report_refsim_totals(ctx->out, hits[k], misses[k]);
				cmd_print(ctx, "\n");
			}
		}
	} else if (!rows) {
		report_refsim_totals(ctx->out, hits[0], misses[0]);
		cmd_print(ctx, "\n");
	}
	rc = 0;
out:
	free(hits);
	free(misses);
	free(frames);
	free(pv.v);
	return rc;
}

const struct cmd_entry cmd_refstring_entry = {
	.name = "refstring",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "refstring --frames N[,N|-N] [--policy P[,P...]|all] "
	    "[--table] [--explain] SEQ|@FILE",
	.summary = "run a reference string through a replacement policy",
	.help = "  The textbook exercise: page references (SEQ, comma-separated page\n"
	    "  numbers, or @FILE with numbers separated by newlines, blanks or commas,\n"
	    "  '#' comments) go through N frames under a policy: lru2q (Linux's\n"
	    "  active/inactive lists, simplified), fifo, lru, clock (second chance),\n"
	    "  opt (Belady's optimum, which reads the future), mru or unopt (the\n"
	    "  pessimum, from OSTEP). Default: the machine's policy (see `policy`).\n"
	    "  One row per reference: result, victim, and the frames in the policy's\n"
	    "  order; then 'hits H misses M hitrate R'. Strings of more than 50\n"
	    "  references print only the totals unless --table; --explain gives the\n"
	    "  reason of each eviction. Several policies (a list or 'all') or frame\n"
	    "  counts (3,4 or 1-8) end with one totals line each: try FIFO on\n"
	    "  1,2,3,4,1,2,5,1,2,3,4,5 with --frames 3,4 for Belady's anomaly.\n"
	    "  Linux: mm/vmscan.c and mm/swap.c keep the real lists.",
	.args_min = 1,
	.args_max = -1,
	.options = "frames=,policy=,table,verbose,explain",
	.exec = cmd_refstring_exec,
};

static int cmd_policy_exec(struct cmd_ctx *ctx)
{
	int p;

	if (ctx->args.argc == 0) {
		cmd_print(ctx, "policy %s\n", policy_names[ctx->m->cfg.policy]);
	} else {
		p = refsim_policy_lookup(ctx->args.argv[0]);
		if (p < 0 || p >= NR_CLASSIC_POLICIES) {
			return cmd_error(ctx, "unknown policy '%s' (lru2q, fifo, "
			    "lru, clock or opt)", ctx->args.argv[0]);
		}
		ctx->m->cfg.policy = (enum reclaim_policy)p;
	}
	if (ctx->m->cfg.policy == POLICY_OPT)
		cmd_print(ctx, "note: opt needs the future: `replay` gives it "
		    "the trace's; any other reclaim falls back to lru2q\n");
	return 0;
}

const struct cmd_entry cmd_policy_entry = {
	.name = "policy",
	.group = CMD_GROUP_PHYSICAL,
	.usage = "policy [lru2q|fifo|lru|clock|opt]",
	.summary = "show or set the machine's page replacement policy",
	.help = "  The policy reclaim uses to choose pages to evict, and the default of\n"
	    "  `refstring`: lru2q (Linux: an active and an inactive LRU list; new pages\n"
	    "  start inactive, a second reference activates them, the oldest inactive\n"
	    "  page is evicted), fifo, lru, clock (second chance) or opt (Belady; it\n"
	    "  needs the future, so it applies to reference strings and replayed\n"
	    "  traces). Without an argument, print the current one. On the machine,\n"
	    "  opt evicts by the future only during `replay` (the replaying\n"
	    "  process's page used again farthest ahead); elsewhere it falls back\n"
	    "  to lru2q, and says so. `machine --policy` sets it for a new machine.\n"
	    "  Linux: mm/vmscan.c.",
	.args_min = 0,
	.args_max = 1,
	.exec = cmd_policy_exec,
};
