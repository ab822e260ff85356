/*
 * exercise.c - the machinery every exercise kind shares: the table of
 * kinds, the seeded generator (splitmix64, so a seed gives the same
 * problem on every host), option checking, the question list, answer
 * matching and the quiz state a front end steps through. The kinds
 * themselves live in exercise-KIND.c files.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmscope/cmd.h"
#include "vmscope/exercise.h"

extern const struct exercise_kind exercise_policy_kind;

const struct exercise_kind *const exercise_kinds[] = {
	&exercise_policy_kind,
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

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
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
		ok = parse_set(t, &va, &na) == 0 && parse_set(want, &vb, &nb) == 0 &&
		    na == nb && (na == 0 || memcmp(va, vb, na * sizeof(*va)) == 0);
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
		if (q->explain[0] != '\0')
			sbuf_printf(out, " (%s)", q->explain);
		sbuf_addc(out, '\n');
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
	if (q->explain[0] != '\0')
		sbuf_printf(out, " (%s)", q->explain);
	sbuf_addc(out, '\n');
	qz->cur++;
	if (quiz_done(qz))
		quiz_score(qz, out);
}
