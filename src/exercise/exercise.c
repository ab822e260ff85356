/*
 * exercise.c - the machinery every exercise kind shares: the table of
 * kinds, the seeded generator (splitmix64, so a seed gives the same
 * problem on every host), option checking, the question list, answer
 * matching and the quiz state a front end steps through. The kinds
 * themselves live in exercise-KIND.c files. Kinds that run the model get
 * here a session driven by command lines, with the events of each
 * command kept for the worked answer (exercise_run).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmscope/cmd.h"
#include "vmscope/events.h"
#include "vmscope/exercise.h"
#include "vmscope/session.h"

extern const struct exercise_kind exercise_policy_kind;
extern const struct exercise_kind exercise_translate_kind;
extern const struct exercise_kind exercise_buddy_kind;
extern const struct exercise_kind exercise_vma_kind;
extern const struct exercise_kind exercise_cow_kind;
extern const struct exercise_kind exercise_tlb_kind;

const struct exercise_kind *const exercise_kinds[] = {
	&exercise_translate_kind,
	&exercise_buddy_kind,
	&exercise_policy_kind,
	&exercise_vma_kind,
	&exercise_cow_kind,
	&exercise_tlb_kind,
	NULL
};

const struct exercise_kind *exercise_kind_find(const char *name)
{
	for (int i = 0; exercise_kinds[i] != NULL; i++) {
		if (strcmp(exercise_kinds[i]->name, name) == 0)
			return exercise_kinds[i];
	}
	return NULL;
}

/* Is name ("frames") in a spec ("policy=,frames=,flag")? */
static bool spec_has(const char *spec, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = spec; p != NULL && *p != '\0';) {
		size_t n = strcspn(p, ",");
		size_t optlen = n > 0 && p[n - 1] == '=' ? n - 1 : n;

		if (optlen == len && strncmp(p, name, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

struct exercise *exercise_new(const struct exercise_kind *kind, uint64_t seed,
    const struct exercise_opt *opts, int nopts, struct sbuf *err)
{
	struct exercise *ex;

	for (int i = 0; i < nopts; i++) {
		if (!spec_has(kind->options, opts[i].name)) {
			sbuf_printf(err, "exercise %s: unknown option --%s (options: "
			    "%s)", kind->name, opts[i].name, kind->usage);
			return NULL;
		}
	}
	ex = xcalloc(1, sizeof(*ex));
	ex->kind = kind;
	ex->seed = seed;
	ex->rng = seed;
	if (kind->generate(ex, opts, nopts, err) != 0) {
		exercise_free(ex);
		return NULL;
	}
	return ex;
}

void exercise_free(struct exercise *ex)
{
	if (ex == NULL)
		return;
	if (ex->kind->free_data != NULL)
		ex->kind->free_data(ex);
	for (size_t i = 0; i < ex->nq; i++) {
		free(ex->q[i].prompt);
		free(ex->q[i].answer);
		free(ex->q[i].explain);
	}
	free(ex->q);
	free(ex);
}

/* splitmix64: every seed, including 0, gives a good stream. */
uint64_t exercise_rand(struct exercise *ex)
{
	uint64_t z = (ex->rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t exercise_rand_below(struct exercise *ex, uint64_t n)
{
	return n ? exercise_rand(ex) % n : 0;
}

void exercise_add_question(struct exercise *ex, enum answer_kind kind,
    const char *prompt, const char *answer, const char *explain)
{
	struct exercise_question *q;

	ex->q = xrealloc(ex->q, (ex->nq + 1) * sizeof(*ex->q));
	q = &ex->q[ex->nq++];
	q->kind = kind;
	q->prompt = xstrdup(prompt);
	q->answer = xstrdup(answer);
	q->explain = xstrdup(explain != NULL ? explain : "");
}

const char *exercise_opt_get(const struct exercise_opt *opts, int nopts,
    const char *name)
{
	for (int i = nopts - 1; i >= 0; i--) {
		if (strcmp(opts[i].name, name) == 0)
			return opts[i].value;
	}
	return NULL;
}

/* Lower-case copy without blanks at either end. */
static char *normalise(const char *s)
{
	char *r;
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	r = xstrndup(s, n);
	for (char *p = r; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static bool is_none(const char *s)
{
	return strcmp(s, "-") == 0 || strcmp(s, "none") == 0 ||
	    strcmp(s, "no") == 0 || strcmp(s, "nothing") == 0;
}

/* Numbers separated by blanks or commas, brackets ignored; sorted. */
static int parse_set(const char *s, uint64_t **v, size_t *n)
{
	char *copy = xstrdup(s), *save = NULL;
	int rc = 0;

	*v = NULL;
	*n = 0;
	for (char *tok = strtok_r(copy, " \t,[]{}", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,[]{}", &save)) {
		uint64_t x;

		if (parse_u64(tok, &x) != 0) {
			rc = -1;
			break;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = x;
	}
	free(copy);
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), cmp_u64);
	return rc;
}

/*
 * "0x50" against "0x50" or "80"; "fault pte" against "pte", "fault at
 * pte" or "fault pte": the level's name must be there, no number.
 */
static bool walk_matches(const char *t, const char *want)
{
	uint64_t a, b;
	const char *level;
	size_t n;

	if (strncmp(want, "fault ", 6) != 0)
		return parse_u64(t, &a) == 0 && parse_u64(want, &b) == 0 && a == b;
	level = want + 6;
	n = strlen(level);
	for (const char *p = t; (p = strstr(p, level)) != NULL; p++) {
		bool start = p == t || !isalnum((unsigned char)p[-1]);
		bool end = !isalnum((unsigned char)p[n]);

		if (start && end)
			return strpbrk(t, "0123456789") == NULL ||
			    strcmp(level, "p4d") == 0;
	}
	return false;
}

/* One maps item "START-END PERMS" as "start-end perms" with p appended. */
static int maps_item(const char *s, size_t n, struct sbuf *sb)
{
	char buf[128], perms[8];
	unsigned long long a, b;
	int used = 0;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return 0;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (sscanf(buf, "%llx - %llx %7s %n", &a, &b, perms, &used) != 3 ||
	    buf[used] != '\0')
		return -1;
	if (strlen(perms) == 3)
		strcat(perms, "p");
	sbuf_printf(sb, "%llx-%llx %s;", a, b, perms);
	return 0;
}

static int maps_norm(const char *s, struct sbuf *sb)
{
	if (is_none(s))
		return 0;
	for (;;) {
		size_t n = strcspn(s, ";,\n");

		if (maps_item(s, n, sb) != 0)
			return -1;
		if (s[n] == '\0')
			return 0;
		s += n + 1;
	}
}

/* The lines in order, with or without 0x, 3 or 4 permission letters. */
static bool maps_matches(const char *t, const char *want)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	bool ok;

	ok = maps_norm(t, &a) == 0 && maps_norm(want, &b) == 0 &&
	    strcmp(sbuf_str(&a), sbuf_str(&b)) == 0;
	sbuf_free(&a);
	sbuf_free(&b);
	return ok;
}

bool exercise_check_answer(const struct exercise_question *q,
    const char *typed)
{
	char *t = normalise(typed), *want = normalise(q->answer);
	uint64_t a, b, *va = NULL, *vb = NULL;
	size_t na, nb;
	bool ok = false;

	switch (q->kind) {
	case ANSWER_HIT_MISS:
		if (strcmp(t, "h") == 0)
			ok = strcmp(want, "hit") == 0;
		else if (strcmp(t, "m") == 0 || strcmp(t, "fault") == 0)
			ok = strcmp(want, "miss") == 0;
		else
			ok = strcmp(t, want) == 0;
		break;
	case ANSWER_PAGE_OR_NONE:
		if (is_none(t) || is_none(want)) {
			ok = is_none(t) && is_none(want);
			break;
		}
		/* fall through */
	case ANSWER_NUMBER:
		ok = parse_u64(t, &a) == 0 && parse_u64(want, &b) == 0 && a == b;
		break;
	case ANSWER_SET:
		if (is_none(t) || is_none(want)) {
			ok = is_none(t) && is_none(want);
			break;
		}
		ok = parse_set(t, &va, &na) == 0 && parse_set(want, &vb, &nb) == 0 &&
		    na == nb && (na == 0 || memcmp(va, vb, na * sizeof(*va)) == 0);
		break;
	case ANSWER_WALK:
		ok = walk_matches(t, want);
		break;
	case ANSWER_MAPS:
		ok = maps_matches(t, want);
		break;
	case ANSWER_WORD:
		ok = strcmp(t, want) == 0;
		break;
	}
	free(va);
	free(vb);
	free(t);
	free(want);
	return ok;
}

struct quiz *quiz_new(struct exercise *ex)
{
	struct quiz *qz = xcalloc(1, sizeof(*qz));

	qz->ex = ex;
	return qz;
}

void quiz_free(struct quiz *qz)
{
	if (qz == NULL)
		return;
	exercise_free(qz->ex);
	free(qz);
}

const struct exercise_question *quiz_current(const struct quiz *qz)
{
	return qz->cur < qz->ex->nq ? &qz->ex->q[qz->cur] : NULL;
}

bool quiz_done(const struct quiz *qz)
{
	return qz->cur >= qz->ex->nq;
}

void quiz_score(const struct quiz *qz, struct sbuf *out)
{
	sbuf_printf(out, "score %u/%u\n", qz->right, qz->asked);
}

/*
 * A short reason goes in parentheses; the model's steps (several lines)
 * follow the answer, indented.
 */
static void add_explain(struct sbuf *out, const struct exercise_question *q)
{
	if (q->explain[0] == '\0')
		sbuf_addc(out, '\n');
	else if (strchr(q->explain, '\n') != NULL)
		sbuf_printf(out, "; the model's steps:\n%s%s", q->explain,
		    q->explain[strlen(q->explain) - 1] == '\n' ? "" : "\n");
	else
		sbuf_printf(out, " (%s)\n", q->explain);
}

bool quiz_answer(struct quiz *qz, const char *typed, struct sbuf *out)
{
	const struct exercise_question *q = quiz_current(qz);
	bool ok;

	if (q == NULL)
		return false;
	ok = exercise_check_answer(q, typed);
	qz->asked++;
	if (ok) {
		qz->right++;
		sbuf_add(out, "right\n");
	} else {
		sbuf_printf(out, "wrong: the answer is %s", q->answer);
		add_explain(out, q);
	}
	qz->cur++;
	if (quiz_done(qz))
		quiz_score(qz, out);
	return ok;
}

void quiz_skip(struct quiz *qz, struct sbuf *out)
{
	const struct exercise_question *q = quiz_current(qz);

	if (q == NULL)
		return;
	qz->asked++;
	sbuf_printf(out, "skipped: the answer is %s", q->answer);
	add_explain(out, q);
	qz->cur++;
	if (quiz_done(qz))
		quiz_score(qz, out);
}

/* ---- text problems ------------------------------------------------ */

struct exercise_text *exercise_text_new(struct exercise *ex)
{
	struct exercise_text *et = xcalloc(1, sizeof(*et));

	sbuf_init(&et->problem);
	sbuf_init(&et->solution);
	ex->data = et;
	return et;
}

void exercise_text_print_problem(const struct exercise *ex, struct sbuf *out)
{
	const struct exercise_text *et = ex->data;

	sbuf_add(out, sbuf_str(&et->problem));
}

void exercise_text_print_solution(const struct exercise *ex, struct sbuf *out)
{
	const struct exercise_text *et = ex->data;

	sbuf_add(out, sbuf_str(&et->solution));
}

void exercise_text_free(struct exercise *ex)
{
	struct exercise_text *et = ex->data;

	if (et != NULL) {
		sbuf_free(&et->problem);
		sbuf_free(&et->solution);
		free(et);
	}
	ex->data = NULL;
}

int exercise_opt_number(const char *kind, const struct exercise_opt *opts,
    int nopts, const char *name, unsigned long def, unsigned long lo,
    unsigned long hi, unsigned long *val, struct sbuf *err)
{
	const char *s = exercise_opt_get(opts, nopts, name);
	uint64_t v = def;

	if (s != NULL && (parse_u64(s, &v) != 0 || v < lo || v > hi)) {
		sbuf_printf(err, "exercise %s: --%s: '%s' is not a number "
		    "from %lu to %lu", kind, name, s, lo, hi);
		return -1;
	}
	*val = (unsigned long)v;
	return 0;
}

/* ---- running the model -------------------------------------------- */

static void clear_events(struct exercise_run *r)
{
	for (size_t i = 0; i < r->nev; i++)
		free(r->ev[i].text);
	free(r->ev);
	r->ev = NULL;
	r->nev = 0;
}

static void record_event(void *arg, const struct vm_event *ev)
{
	struct exercise_run *r = arg;
	struct sbuf sb = SBUF_INIT;

	sbuf_printf(&sb, "%s: ", event_kind_fn(ev->kind));
	event_format(ev, &sb);
	r->ev = xrealloc(r->ev, (r->nev + 1) * sizeof(*r->ev));
	r->ev[r->nev].kind = (int)ev->kind;
	r->ev[r->nev].text = sbuf_steal(&sb);
	r->nev++;
}

void exercise_run_init(struct exercise_run *r)
{
	memset(r, 0, sizeof(*r));
	r->s = session_new();
	sbuf_init(&r->out);
	sbuf_init(&r->err);
	r->sink = xcalloc(1, sizeof(struct event_sink));
	session_set_recorder(r->s, r->sink, record_event, r);
}

void exercise_run_free(struct exercise_run *r)
{
	if (r->s == NULL)
		return;
	session_free(r->s);	/* unsubscribes the recorder */
	free(r->sink);
	clear_events(r);
	sbuf_free(&r->out);
	sbuf_free(&r->err);
	memset(r, 0, sizeof(*r));
}

int exercise_run_cmd(struct exercise_run *r, const char *fmt, ...)
{
	struct sbuf line = SBUF_INIT;
	va_list ap;
	int failed;

	va_start(ap, fmt);
	sbuf_vprintf(&line, fmt, ap);
	va_end(ap);
	sbuf_reset(&r->out);
	sbuf_reset(&r->err);
	clear_events(r);
	failed = cmd_run_line(r->s, sbuf_str(&line), &r->out, &r->err);
	sbuf_free(&line);
	return failed;
}

bool exercise_run_saw(const struct exercise_run *r, int kind)
{
	for (size_t i = 0; i < r->nev; i++) {
		if (r->ev[i].kind == kind)
			return true;
	}
	return false;
}

void exercise_run_events(const struct exercise_run *r, const int *kinds,
    const char *indent, struct sbuf *out)
{
	for (size_t i = 0; i < r->nev; i++) {
		for (const int *k = kinds; *k >= 0; k++) {
			if (r->ev[i].kind == *k) {
				sbuf_printf(out, "%s%s\n", indent, r->ev[i].text);
				break;
			}
		}
	}
}
