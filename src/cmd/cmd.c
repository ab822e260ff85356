/*
 * cmd.c - the command table and the machinery every front end shares:
 * splitting a line into commands and words, finding a command by name,
 * alias or unique prefix (tmux's cmd_find), parsing its options, running
 * it, and reporting errors as one line "vmscope: CMD: what is wrong".
 *
 * A command is a const struct cmd_entry defined in its family's
 * src/cmd/cmd-*.c file and listed in cmd_table[] below.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/session.h"
#include "vmscope/vmscan.h"

extern const struct cmd_entry cmd_machine_entry, cmd_info_entry;
extern const struct cmd_entry cmd_alloc_pages_entry, cmd_free_pages_entry;
extern const struct cmd_entry cmd_buddyinfo_entry, cmd_zoneinfo_entry;
extern const struct cmd_entry cmd_meminfo_entry, cmd_free_entry;
extern const struct cmd_entry cmd_events_entry, cmd_help_entry;
extern const struct cmd_entry cmd_quit_entry, cmd_check_entry;
extern const struct cmd_entry cmd_vmstat_entry;
extern const struct cmd_entry cmd_load_entry, cmd_step_entry, cmd_run_entry;
extern const struct cmd_entry cmd_save_entry, cmd_restore_entry;
extern const struct cmd_entry cmd_policy_entry, cmd_refstring_entry;
extern const struct cmd_entry cmd_exercise_entry;
extern const struct cmd_entry cmd_tui_entry;
extern const struct cmd_entry cmd_tlb_entry, cmd_translate_entry;
extern const struct cmd_entry cmd_pagetable_entry;
extern const struct cmd_entry cmd_spawn_entry, cmd_fork_entry, cmd_exec_entry;
extern const struct cmd_entry cmd_exit_entry, cmd_kill_entry, cmd_ps_entry;
extern const struct cmd_entry cmd_mmap_entry, cmd_munmap_entry;
extern const struct cmd_entry cmd_mprotect_entry, cmd_brk_entry;
extern const struct cmd_entry cmd_mremap_entry, cmd_madvise_entry;
extern const struct cmd_entry cmd_malloc_entry, cmd_free_dispatch_entry;
extern const struct cmd_entry cmd_file_entry;
extern const struct cmd_entry cmd_maps_entry, cmd_smaps_entry;
extern const struct cmd_entry cmd_pmap_entry, cmd_status_entry;
extern const struct cmd_entry cmd_layout_entry;
extern const struct cmd_entry cmd_replay_entry, cmd_import_maps_entry;
extern const struct cmd_entry cmd_touch_entry, cmd_switch_entry;
extern const struct cmd_entry cmd_frames_entry;
extern const struct cmd_entry cmd_swapon_entry, cmd_swapoff_entry;
extern const struct cmd_entry cmd_swaps_entry, cmd_reclaim_entry;
extern const struct cmd_entry cmd_oom_score_adj_entry;
extern const struct cmd_entry cmd_kmalloc_entry, cmd_kfree_entry;
extern const struct cmd_entry cmd_slabinfo_entry, cmd_top_entry;
extern const struct cmd_entry cmd_explain_entry;

const struct cmd_entry *const cmd_table[] = {
	/* machine */
	&cmd_machine_entry,
	&cmd_info_entry,
	/* processes */
	&cmd_spawn_entry,
	&cmd_fork_entry,
	&cmd_exec_entry,
	&cmd_exit_entry,
	&cmd_kill_entry,
	&cmd_ps_entry,
	&cmd_switch_entry,
	/* address space */
	&cmd_mmap_entry,
	&cmd_munmap_entry,
	&cmd_mprotect_entry,
	&cmd_brk_entry,
	&cmd_madvise_entry,
	&cmd_mremap_entry,
	&cmd_malloc_entry,
	&cmd_file_entry,
	&cmd_import_maps_entry,
	/* physical memory */
	&cmd_alloc_pages_entry,
	&cmd_free_pages_entry,
	&cmd_kmalloc_entry,
	&cmd_kfree_entry,
	&cmd_swapon_entry,
	&cmd_swapoff_entry,
	&cmd_reclaim_entry,
	&cmd_oom_score_adj_entry,
	&cmd_policy_entry,
	&cmd_refstring_entry,
	/* memory access */
	&cmd_touch_entry,
	&cmd_translate_entry,
	&cmd_replay_entry,
	/* views */
	&cmd_buddyinfo_entry,
	&cmd_zoneinfo_entry,
	&cmd_meminfo_entry,
	&cmd_vmstat_entry,
	&cmd_slabinfo_entry,
	&cmd_top_entry,
	&cmd_swaps_entry,
	&cmd_free_dispatch_entry,	/* free(1), or glibc free with PID ADDR */
	&cmd_maps_entry,
	&cmd_smaps_entry,
	&cmd_pmap_entry,
	&cmd_status_entry,
	&cmd_layout_entry,
	&cmd_events_entry,
	&cmd_explain_entry,
	&cmd_pagetable_entry,
	&cmd_tlb_entry,
	&cmd_frames_entry,
	/* session */
	&cmd_load_entry,
	&cmd_step_entry,
	&cmd_run_entry,
	&cmd_save_entry,
	&cmd_restore_entry,
	&cmd_exercise_entry,
	&cmd_tui_entry,
	&cmd_check_entry,
	&cmd_help_entry,
	&cmd_quit_entry,
	NULL
};

const char *const cmd_group_names[NR_CMD_GROUPS] = {
	[CMD_GROUP_MACHINE] = "Machine",
	[CMD_GROUP_PROCESS] = "Processes",
	[CMD_GROUP_ADDRESS_SPACE] = "Address space",
	[CMD_GROUP_ACCESS] = "Memory access",
	[CMD_GROUP_PHYSICAL] = "Physical memory and kernel",
	[CMD_GROUP_VIEW] = "Views",
	[CMD_GROUP_SESSION] = "Session",
};

const struct cmd_entry *cmd_find(const char *name, struct sbuf *err)
{
	const struct cmd_entry *const *pp, *found = NULL;
	size_t len = strlen(name);
	int matches = 0;

	for (pp = cmd_table; *pp != NULL; pp++) {
		if (strcmp((*pp)->name, name) == 0)
			return *pp;
		if ((*pp)->alias != NULL && strcmp((*pp)->alias, name) == 0)
			return *pp;
	}
	if (len == 0)
		goto unknown;
	for (pp = cmd_table; *pp != NULL; pp++) {
		if (strncmp((*pp)->name, name, len) == 0) {
			found = *pp;
			matches++;
		}
	}
	if (matches == 1)
		return found;
	if (matches > 1) {
		if (err != NULL) {
			const char *sep = "";

			sbuf_printf(err, "vmscope: %s: ambiguous command, could be: ",
			    name);
			for (pp = cmd_table; *pp != NULL; pp++) {
				if (strncmp((*pp)->name, name, len) == 0) {
					sbuf_printf(err, "%s%s", sep, (*pp)->name);
					sep = ", ";
				}
			}
			sbuf_add(err, "\n");
		}
		return NULL;
	}
unknown:
	if (err != NULL)
		sbuf_printf(err, "vmscope: %s: unknown command (try 'help')\n",
		    name);
	return NULL;
}

int cmd_split_words(const char *line, char ***wordsp, int *nwordsp,
    struct sbuf *err)
{
	char **words = NULL;
	int n = 0;
	const char *p = line;
	struct sbuf w = SBUF_INIT;

	for (;;) {
		bool have = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		sbuf_reset(&w);
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;

				while (*p != '\0' && *p != q)
					sbuf_addc(&w, *p++);
				if (*p != q) {
					if (err != NULL)
						sbuf_printf(err,
						    "vmscope: missing closing %c quote\n", q);
					sbuf_free(&w);
					cmd_free_words(words, n);
					return -1;
				}
				p++;
				have = true;
				continue;
			}
			sbuf_addc(&w, *p++);
			have = true;
		}
		if (have) {
			words = xrealloc(words, sizeof(*words) * (size_t)(n + 1));
			words[n++] = xstrdup(sbuf_str(&w));
		}
	}
	sbuf_free(&w);
	*wordsp = words;
	*nwordsp = n;
	return 0;
}

void cmd_free_words(char **words, int nwords)
{
	for (int i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
}

int cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	sbuf_printf(ctx->err, "vmscope: %s: ", ctx->entry->name);
	va_start(ap, fmt);
	sbuf_vprintf(ctx->err, fmt, ap);
	va_end(ap);
	sbuf_addc(ctx->err, '\n');
	return -1;
}

void cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(ctx->out, fmt, ap);
	va_end(ap);
}

bool args_has(const struct args *a, const char *name)
{
	for (int i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].name, name) == 0)
			return true;
	}
	return false;
}

const char *args_get(const struct args *a, const char *name)
{
	/* The last one given wins, as with getopt. */
	for (int i = a->nopts - 1; i >= 0; i--) {
		if (strcmp(a->opts[i].name, name) == 0)
			return a->opts[i].value;
	}
	return NULL;
}

/*
 * Look name up in an option spec ("zone=,node=,verbose"). Returns 1 for
 * an option with a value, 0 for a flag, -1 when not in the spec. The
 * matched spelling is copied to canon (static storage in the spec).
 */
static int option_lookup(const char *spec, const char *name, size_t namelen,
    const char **canon)
{
	const char *p = spec;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		bool takes = n > 0 && p[n - 1] == '=';
		size_t optlen = takes ? n - 1 : n;

		if (optlen == namelen && strncmp(p, name, namelen) == 0) {
			*canon = p;
			return takes ? 1 : 0;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return -1;
}

/* Options are stored with their canonical name (a NUL-terminated copy). */
static int args_parse(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args *a = &ctx->args;
	const char *spec = ctx->entry->options;

	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		char *w = argv[i];

		if (w[0] == '-' && w[1] == '-' && w[2] != '\0') {
			char *name = w + 2, *eq = strchr(name, '=');
			size_t namelen = eq != NULL ? (size_t)(eq - name) : strlen(name);
			const char *canon;
			int takes = option_lookup(spec, name, namelen, &canon);

			if (takes < 0) {
				return cmd_error(ctx, "unknown option --%.*s (usage: %s)",
				    (int)namelen, name, ctx->entry->usage);
			}
			if (a->nopts == CMD_MAX_OPTS)
				return cmd_error(ctx, "too many options");
			name[namelen] = '\0';
			a->opts[a->nopts].name = name;
			if (takes == 1) {
				if (eq != NULL)
					a->opts[a->nopts].value = eq + 1;
				else if (i + 1 < argc)
					a->opts[a->nopts].value = argv[++i];
				else
					return cmd_error(ctx, "option --%s needs a value",
					    name);
			} else if (eq != NULL) {
				return cmd_error(ctx, "option --%s takes no value",
				    name);
			}
			a->nopts++;
			continue;
		}
		if (a->argc == CMD_MAX_ARGS)
			return cmd_error(ctx, "too many arguments");
		a->argv[a->argc++] = w;
	}
	if (a->argc < ctx->entry->args_min ||
	    (ctx->entry->args_max >= 0 && a->argc > ctx->entry->args_max)) {
		return cmd_error(ctx, "%s arguments (usage: %s)",
		    a->argc < ctx->entry->args_min ? "missing" : "too many",
		    ctx->entry->usage);
	}
	return 0;
}

/*
 * What happens between two commands on the one CPU: kswapd finishes work
 * it was woken for, the kernel's OOM lines of the command are printed as
 * its result, and the tasks the OOM killer chose exit (vmscan.h).
 */
static void cmd_end_of_command(struct machine *m, unsigned oom_seq,
    struct sbuf *out)
{
	kswapd_run(m);
	if (m->oom_log_seq != oom_seq)
		sbuf_printf(out, "%s", m->oom_log);
	oom_reap_marked(m);
}

/* Run one command given as words. Returns 0 or -1. */
static int cmd_run_words(struct session *s, int argc, char **argv,
    struct sbuf *out, struct sbuf *err)
{
	struct cmd_ctx ctx;
	unsigned oom_seq;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.entry = cmd_find(argv[0], err);
	if (ctx.entry == NULL)
		return -1;
	ctx.s = s;
	ctx.m = s->m;
	ctx.out = out;
	ctx.err = err;
	if (args_parse(&ctx, argc, argv) != 0)
		return -1;
	s->ncommands++;
	if (s->m != NULL)
		s->m->ev.cmd = (uint32_t)s->ncommands;
	oom_seq = s->m != NULL ? s->m->oom_log_seq : 0;
	rc = ctx.entry->exec(&ctx);
	if (s->m != NULL && s->m == ctx.m)
		cmd_end_of_command(s->m, oom_seq, out);
	if (s->debug_checks && s->m != NULL) {
		char why[256];

		if (validate_machine(s->m, why, sizeof(why)) != 0) {
			sbuf_printf(err, "vmscope: %s: invariant violated: %s\n",
			    ctx.entry->name, why);
			rc = -1;
		}
	}
	return rc < 0 ? -1 : 0;
}

int cmd_run_line(struct session *s, const char *line, struct sbuf *out,
    struct sbuf *err)
{
	const char *p = line;
	int failed = 0;

	/* Only top-level lines: nested ones replay with their parent. */
	if (s->depth++ == 0 && s->interactive)
		session_journal_add(s, line);
	while (*p != '\0' && !s->quit) {
		size_t n = strcspn(p, ";\n#");
		char *one = xstrndup(p, n);
		char **words;
		int nwords;

		if (cmd_split_words(one, &words, &nwords, err) != 0)
			failed++;
		else {
			if (nwords > 0 &&
			    cmd_run_words(s, nwords, words, out, err) != 0)
				failed++;
			cmd_free_words(words, nwords);
		}
		free(one);
		p += n;
		if (*p == '#')
			p += strcspn(p, "\n");
		if (*p != '\0')
			p++;
	}
	s->depth--;
	return failed;
}

int cmd_check_line(const char *line, struct sbuf *err,
    int (*fn)(void *arg, const struct cmd_entry *e, struct sbuf *err),
    void *arg)
{
	const char *p = line;
	int bad = 0;

	/* Split exactly as cmd_run_line does, so what passes here parses there. */
	while (*p != '\0') {
		size_t n = strcspn(p, ";\n#");
		char *one = xstrndup(p, n);
		char **words;
		int nwords;

		if (cmd_split_words(one, &words, &nwords, err) != 0)
			bad++;
		else {
			if (nwords > 0) {
				struct cmd_ctx ctx;

				memset(&ctx, 0, sizeof(ctx));
				ctx.err = err;
				ctx.entry = cmd_find(words[0], err);
				if (ctx.entry == NULL ||
				    args_parse(&ctx, nwords, words) != 0 ||
				    (fn != NULL && fn(arg, ctx.entry, err) != 0))
					bad++;
			}
			cmd_free_words(words, nwords);
		}
		free(one);
		p += n;
		if (*p == '#')
			p += strcspn(p, "\n");
		if (*p != '\0')
			p++;
	}
	return bad;
}

int parse_u64(const char *s, uint64_t *val)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (s[2] == '\0')
			return -1;
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno != 0 || *end != '\0')
		return -1;
	*val = v;
	return 0;
}

int parse_size(const char *s, uint64_t page_size, uint64_t *val)
{
	size_t len;
	uint64_t mult = 1, v;
	char *num;
	int rc;

	if (s == NULL || (len = strlen(s)) == 0)
		return -1;
	switch (s[len - 1]) {
	case 'k': case 'K': mult = 1ULL << 10; len--; break;
	case 'm': case 'M': mult = 1ULL << 20; len--; break;
	case 'g': case 'G': mult = 1ULL << 30; len--; break;
	case 't': case 'T': mult = 1ULL << 40; len--; break;
	case 'p': case 'P': mult = page_size; len--; break;
	default:
		if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			break;
		if (s[len - 1] == 'B' || s[len - 1] == 'b')
			len--;
		break;
	}
	if (len == 0)
		return -1;
	num = xstrndup(s, len);
	rc = parse_u64(num, &v);
	free(num);
	if (rc != 0 || mult == 0)
		return -1;
	if (v != 0 && mult > UINT64_MAX / v)
		return -1;
	*val = v * mult;
	return 0;
}

int cmd_parse_u64(struct cmd_ctx *ctx, const char *what, const char *s,
    uint64_t *val)
{
	if (parse_u64(s, val) != 0)
		return cmd_error(ctx, "%s: '%s' is not a number", what, s);
	return 0;
}

int cmd_parse_int(struct cmd_ctx *ctx, const char *what, const char *s,
    long min, long max, long *val)
{
	uint64_t v;
	bool neg = s != NULL && s[0] == '-';

	if (parse_u64(neg ? s + 1 : s, &v) != 0)
		return cmd_error(ctx, "%s: '%s' is not a number", what, s);
	if (v > (uint64_t)INT64_MAX ||
	    (neg ? -(int64_t)v < min : (int64_t)v > max) ||
	    (!neg && (int64_t)v < min)) {
		return cmd_error(ctx, "%s: %s is out of range (%ld to %ld)", what,
		    s, min, max);
	}
	*val = neg ? -(long)v : (long)v;
	return 0;
}

int cmd_parse_size(struct cmd_ctx *ctx, const char *what, const char *s,
    uint64_t *val)
{
	uint64_t ps = ctx->m != NULL ? ctx->m->page_size : 4096;

	if (parse_size(s, ps, val) != 0) {
		return cmd_error(ctx,
		    "%s: '%s' is not a size (bytes, or with K, M, G or p for pages)",
		    what, s);
	}
	return 0;
}

void format_size(struct sbuf *sb, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	unsigned u = 0;

	while (u + 1 < ARRAY_SIZE(units) && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	sbuf_printf(sb, "%" PRIu64 " %s", bytes, units[u]);
}
