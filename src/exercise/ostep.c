/*
 * ostep.c - reads the problems of OSTEP's paging-policy.py and answers
 * them in its -c layout, using vmscope's own simulator (refstring.c).
 * Only the text formats are known here: the "ARG name value" header, the
 * "Access: N  Hit/Miss?  State of Memory?" questions (or solved "Access:"
 * lines), the per-access answer line and the FINALSTATS line. The
 * simulator's policies map onto refsim policies: FIFO, LRU, MRU, OPT,
 * UNOPT, RAND and CLOCK (its CLOCK: counters up to clockbits and a
 * randomly placed hand, REFSIM_OSTEP_CLOCK). ostep_policy_tour turns a
 * problem into steps for the TUI (`vmscope ostep FILE --tui`).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/machine.h"
#include "vmscope/ostep.h"
#include "vmscope/refstring.h"

static void set_str(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = xstrndup(s, n);
}

/* Python's int() on a decimal string: blanks around, optional sign. */
static int py_int(const char *s, size_t n, int64_t *val)
{
	char buf[32], *end;
	long long v;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (buf[0] == '+' || buf[0] == '-' ? buf[1] < '0' || buf[1] > '9' :
	    buf[0] < '0' || buf[0] > '9')
		return -1;
	v = strtoll(buf, &end, 10);
	if (*end != '\0')
		return -1;
	*val = v;
	return 0;
}

static void add_page(struct ostep_problem *pb, uint64_t page, size_t *cap)
{
	if (pb->npages == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		pb->pages = xrealloc(pb->pages, *cap * sizeof(*pb->pages));
	}
	pb->pages[pb->npages++] = page;
}

#define PERR(col, ...) do {						\
	if (lineno > 0)							\
		sbuf_printf(err, "%s:%zu:%zu: ", name, lineno, (size_t)(col)); \
	else								\
		sbuf_printf(err, "%s: ", name);				\
	sbuf_printf(err, __VA_ARGS__);					\
	sbuf_addc(err, '\n');						\
	goto fail;							\
} while (0)

static int arg_number(const char *v, size_t n, unsigned long *out)
{
	int64_t x;

	if (py_int(v, n, &x) != 0 || x < 0)
		return -1;
	*out = (unsigned long)x;
	return 0;
}

int ostep_parse(const char *text, const char *name, struct ostep_problem *pb,
    struct sbuf *err)
{
	const char *p = text;
	size_t lineno = 0, cap = 0;

	memset(pb, 0, sizeof(*pb));
	pb->policy = xstrdup("FIFO");
	pb->cachesize = 3;
	pb->clockbits = 2;
	pb->numaddrs = 10;
	pb->maxpage = 10;
	pb->addresses = xstrdup("-1");
	pb->addressfile = xstrdup("");
	sbuf_init(&pb->args);

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		size_t n = len;

		lineno++;
		p += len + (p[len] == '\n');
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n >= 4 && strncmp(line, "ARG ", 4) == 0) {
			const char *key = line + 4, *val;
			size_t klen = strcspn(key, " \n"), vlen;
			int64_t seed;

			sbuf_addn(&pb->args, line, n);
			sbuf_addc(&pb->args, '\n');
			val = key + klen + (key[klen] == ' ');
			vlen = (size_t)(line + n - val);
			if (val > line + n)
				vlen = 0;
#define KEY(s) (klen == strlen(s) && strncmp(key, s, klen) == 0)
			if (KEY("policy")) {
				set_str(&pb->policy, val, vlen);
			} else if (KEY("addresses")) {
				set_str(&pb->addresses, val, vlen);
			} else if (KEY("addressfile")) {
				set_str(&pb->addressfile, val, vlen);
			} else if (KEY("notrace")) {
				pb->notrace = vlen == 4 && strncmp(val, "True", 4) == 0;
			} else if (KEY("seed")) {
				if (py_int(val, vlen, &seed) != 0)
					PERR(val - line + 1, "seed '%.*s' is not a number",
					    (int)vlen, val);
				/* random.seed() of a negative int uses its abs */
				pb->seed = seed < 0 ? (uint64_t)-seed : (uint64_t)seed;
			} else if (KEY("cachesize") || KEY("clockbits") ||
			    KEY("numaddrs") || KEY("maxpage")) {
				unsigned long v;

				if (arg_number(val, vlen, &v) != 0)
					PERR(val - line + 1, "%.*s '%.*s' is not a "
					    "number", (int)klen, key, (int)vlen, val);
				if (KEY("cachesize"))
					pb->cachesize = v;
				else if (KEY("clockbits"))
					pb->clockbits = v;
				else if (KEY("numaddrs"))
					pb->numaddrs = v;
				else
					pb->maxpage = v;
			}
#undef KEY
		} else if (n >= 7 && strncmp(line, "Access:", 7) == 0) {
			const char *num = line + 7;
			size_t nlen;
			int64_t page;

			while (*num == ' ')
				num++;
			nlen = strspn(num, "-0123456789");
			if (py_int(num, nlen, &page) != 0 || page < 0)
				PERR(num - line + 1, "'Access:' is not followed by a "
				    "page number");
			add_page(pb, (uint64_t)page, &cap);
		} else if (n >= 36 && strncmp(line,
		    "Assuming a replacement policy of ", 33) == 0) {
			const char *pol = line + 33, *comma;
			unsigned long size;

			comma = memchr(pol, ',', n - 33);
			if (comma == NULL || sscanf(comma, ", and a cache of size "
			    "%lu pages", &size) != 1)
				PERR(1, "cannot read the policy and cache size");
			set_str(&pb->policy, pol, (size_t)(comma - pol));
			pb->cachesize = size;
		} else if (strspn(line, " \t\r") >= n ||
		    strncmp(line, "figure out whether", 18) == 0 ||
		    strncmp(line, "in the page cache.", 18) == 0 ||
		    strncmp(line, "Solving...", 10) == 0 ||
		    strncmp(line, "FINALSTATS", 10) == 0 ||
		    memmem(line, n, "paging-policy", 13) != NULL) {
			continue;	/* prose, the command line, old answers */
		} else {
			PERR(1, "not a line of paging-policy.py's output: '%.*s'",
			    (int)(n > 40 ? 40 : n), line);
		}
	}

	if (pb->cachesize == 0) {
		lineno = 0;
		PERR(0, "a cache of 0 pages cannot hold anything");
	}
	if (pb->npages == 0) {
		if (strcmp(pb->addresses, "-1") != 0) {
			const char *a = pb->addresses;

			for (;;) {
				size_t l = strcspn(a, ",");
				int64_t page;

				if (py_int(a, l, &page) != 0 || page < 0) {
					lineno = 0;
					PERR(0, "ARG addresses: '%.*s' is not a page "
					    "number", (int)l, a);
				}
				add_page(pb, (uint64_t)page, &cap);
				if (a[l] == '\0')
					break;
				a += l + 1;
			}
		} else if (pb->addressfile[0] != '\0') {
			lineno = 0;
			PERR(0, "the addresses came from %s and no 'Access:' line "
			    "lists them", pb->addressfile);
		} else {
			struct py_random r;

			/* Regenerate them as the simulator did. */
			py_random_seed(&r, pb->seed);
			for (unsigned long i = 0; i < pb->numaddrs; i++) {
				add_page(pb, (uint64_t)((double)pb->maxpage *
				    py_random_random(&r)), &cap);
			}
		}
	}
	if (pb->npages == 0) {
		lineno = 0;
		PERR(0, "no page references");
	}
	return 0;
fail:
	ostep_problem_free(pb);
	return -1;
}

void ostep_problem_free(struct ostep_problem *pb)
{
	free(pb->policy);
	free(pb->addresses);
	free(pb->addressfile);
	free(pb->pages);
	sbuf_free(&pb->args);
	memset(pb, 0, sizeof(*pb));
}

static const struct {
	const char	*name;
	enum refsim_policy p;
	const char	*left, *right;
} ostep_policies[] = {
	{ "FIFO", REFSIM_FIFO, "FirstIn", "Lastin " },
	{ "LRU", REFSIM_LRU, "LRU", "MRU" },
	{ "MRU", REFSIM_MRU, "LRU", "MRU" },
	{ "OPT", REFSIM_OPT, "Left ", "Right" },
	{ "UNOPT", REFSIM_UNOPT, "Left ", "Right" },
	{ "RAND", REFSIM_RAND, "Left ", "Right" },
	{ "CLOCK", REFSIM_OSTEP_CLOCK, "Left ", "Right" },
};

int ostep_solve(const struct ostep_problem *pb, struct sbuf *out)
{
	struct refsim *sim;
	struct refsim_frame *fr;
	struct py_random rng;
	struct sbuf mem = SBUF_INIT;
	unsigned long hits = 0, misses = 0;
	size_t which;

	if (pb->args.len > 0) {
		sbuf_add(out, sbuf_str(&pb->args));
		sbuf_addc(out, '\n');
	}
	if (!pb->notrace)
		sbuf_add(out, "Solving...\n\n");
	for (which = 0; which < ARRAY_SIZE(ostep_policies); which++) {
		if (strcmp(pb->policy, ostep_policies[which].name) == 0)
			break;
	}
	if (which == ARRAY_SIZE(ostep_policies)) {
		sbuf_printf(out, "Policy %s is not yet implemented\n", pb->policy);
		return 1;
	}

	/* The draws that generated the addresses come before the policy's. */
	py_random_seed(&rng, pb->seed);
	if (strcmp(pb->addresses, "-1") == 0 && pb->addressfile[0] == '\0') {
		for (unsigned long i = 0; i < pb->numaddrs; i++)
			py_random_random(&rng);
	}
	sim = refsim_new(ostep_policies[which].p, (unsigned)pb->cachesize);
	refsim_set_future(sim, pb->pages, pb->npages);
	refsim_set_random(sim, &rng);
	refsim_set_clockbits(sim, (unsigned)pb->clockbits);
	fr = xcalloc(pb->cachesize, sizeof(*fr));
	for (size_t i = 0; i < pb->npages; i++) {
		struct refsim_result res;
		size_t n;

		refsim_step(sim, pb->pages[i], &res);
		if (res.hit)
			hits++;
		else
			misses++;
		if (pb->notrace)
			continue;
		n = refsim_frames(sim, fr, pb->cachesize);
		sbuf_reset(&mem);
		sbuf_addc(&mem, '[');
		for (size_t k = 0; k < n; k++)
			sbuf_printf(&mem, "%s%" PRIu64, k ? ", " : "", fr[k].page);
		sbuf_addc(&mem, ']');
		sbuf_printf(out, "Access: %" PRIu64 "  %s %s -> %12s <- %s "
		    "Replaced:", pb->pages[i], res.hit ? "HIT " : "MISS",
		    ostep_policies[which].left, sbuf_str(&mem),
		    ostep_policies[which].right);
		if (res.evicted)
			sbuf_printf(out, "%" PRIu64, res.victim);
		else
			sbuf_addc(out, '-');
		sbuf_printf(out, " [Hits:%lu Misses:%lu]\n", hits, misses);
	}
	sbuf_printf(out, "\nFINALSTATS hits %lu   misses %lu   hitrate %.2f\n\n",
	    hits, misses, (100.0 * (double)hits) / ((double)hits +
	    (double)misses));
	sbuf_free(&mem);
	free(fr);
	refsim_free(sim);
	return 0;
}

/* ---- the walk-through (`vmscope ostep FILE --tui`) ------------------ */

void ostep_tour_add(struct ostep_tour *tour, const char *say, const char *cmd,
    const char *question, const char *answer, const char *explain)
{
	struct ostep_step *st;

	tour->steps = xrealloc(tour->steps, (tour->nsteps + 1) *
	    sizeof(*tour->steps));
	st = &tour->steps[tour->nsteps++];
	st->say = say != NULL ? xstrdup(say) : NULL;
	st->cmd = cmd != NULL ? xstrdup(cmd) : NULL;
	st->question = question != NULL ? xstrdup(question) : NULL;
	st->answer = answer != NULL ? xstrdup(answer) : NULL;
	st->explain = explain != NULL ? xstrdup(explain) : NULL;
}

void ostep_tour_free(struct ostep_tour *tour)
{
	for (size_t i = 0; i < tour->nsteps; i++) {
		struct ostep_step *st = &tour->steps[i];

		free(st->say);
		free(st->cmd);
		free(st->question);
		free(st->answer);
		free(st->explain);
	}
	free(tour->steps);
	free(tour->title);
	free(tour->description);
	if (tour->m != NULL)
		machine_free(tour->m);
	memset(tour, 0, sizeof(*tour));
}

/* Each step reruns the prefix: keep the replay of the last one small. */
#define TOUR_MAX_REFS	100

/* "[1, 2]" of an answer line: what memory holds after that access. */
static void line_memory(const char *line, struct sbuf *out)
{
	const char *a = strstr(line, "-> "), *b = strstr(line, " <-");

	if (a == NULL || b == NULL || b < a) {
		sbuf_add(out, "[]");
		return;
	}
	a += 3;
	while (*a == ' ')
		a++;
	sbuf_addn(out, a, (size_t)(b - a));
}

/*
 * One question and one step per reference: first "hit or miss?" with
 * memory as it is before the access, then the simulator's answer line as
 * narration over `refstring --explain` run on the references so far (the
 * output box shows the model's table up to this access). The answer lines
 * are ostep_solve's own, so the walk-through says what `vmscope ostep`
 * prints. RAND and CLOCK draw from Python's random stream, which the
 * refstring command does not replay: those steps are narration only.
 */
int ostep_policy_tour(const struct ostep_problem *pb, const char *name,
    struct ostep_tour *tour, struct sbuf *err)
{
	struct ostep_problem traced = *pb;
	struct sbuf out = SBUF_INIT, cmd = SBUF_INIT, say = SBUF_INIT;
	struct sbuf q = SBUF_INIT, prev = SBUF_INIT;
	const char *p, *final = NULL, *refname = NULL;
	size_t n = pb->npages < TOUR_MAX_REFS ? pb->npages : TOUR_MAX_REFS;
	size_t k = 0;

	traced.notrace = false;		/* the per-access lines are the answers */
	if (ostep_solve(&traced, &out) != 0) {
		sbuf_printf(err, "%s: policy %s is not yet implemented (by "
		    "paging-policy.py either)\n", name, pb->policy);
		sbuf_free(&out);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ostep_policies); i++) {
		if (strcmp(pb->policy, ostep_policies[i].name) == 0 &&
		    ostep_policies[i].p != REFSIM_RAND &&
		    ostep_policies[i].p != REFSIM_OSTEP_CLOCK)
			refname = refsim_policy_names[ostep_policies[i].p];
	}
	tour->title = xasprintf("OSTEP paging-policy.py: %s",
	    strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name);
	tour->description = xasprintf("Policy %s, a cache of %lu page%s, %zu "
	    "reference%s. At each reference: hit or miss? ('a' answers) Then "
	    "the next step gives the simulator's answer line%s. 'vmscope ostep "
	    "%s' prints them all.", pb->policy, pb->cachesize,
	    pb->cachesize == 1 ? "" : "s", pb->npages, pb->npages == 1 ? "" : "s",
	    refname != NULL ? ", with the model's table so far in the output "
	    "box ('o')" : "", name);
	sbuf_add(&prev, "[]");
	for (p = sbuf_str(&out); *p != '\0' && k < n; p += strcspn(p, "\n") +
	    (p[strcspn(p, "\n")] == '\n')) {
		size_t len = strcspn(p, "\n");
		char *line;
		bool hit;

		if (strncmp(p, "Access: ", 8) != 0)
			continue;
		line = xstrndup(p, len);
		hit = strstr(line, " HIT ") != NULL;
		sbuf_reset(&say);
		sbuf_reset(&q);
		sbuf_printf(&say, "Reference %zu of %zu: page %" PRIu64 ". Memory "
		    "holds %s.", k + 1, pb->npages, pb->pages[k], sbuf_str(&prev));
		sbuf_printf(&q, "Access: %" PRIu64 "  Hit or miss?", pb->pages[k]);
		ostep_tour_add(tour, sbuf_str(&say), NULL, sbuf_str(&q),
		    hit ? "hit" : "miss", line);
		if (refname != NULL) {
			sbuf_reset(&cmd);
			sbuf_printf(&cmd, "refstring --frames %lu --policy %s "
			    "--explain ", pb->cachesize, refname);
			for (size_t i = 0; i <= k; i++)
				sbuf_printf(&cmd, "%s%" PRIu64, i ? "," : "",
				    pb->pages[i]);
		}
		ostep_tour_add(tour, line, refname != NULL ? sbuf_str(&cmd) : NULL,
		    NULL, NULL, NULL);
		sbuf_reset(&prev);
		line_memory(line, &prev);
		free(line);
		k++;
	}
	final = strstr(sbuf_str(&out), "FINALSTATS");
	sbuf_reset(&say);
	if (k < pb->npages)
		sbuf_printf(&say, "The walk-through stops after %zu references; "
		    "'vmscope ostep %s' answers all %zu.\n", k, name, pb->npages);
	if (final != NULL)
		sbuf_addn(&say, final, strcspn(final, "\n"));
	ostep_tour_add(tour, sbuf_str(&say), NULL, NULL, NULL, NULL);
	sbuf_free(&out);
	sbuf_free(&cmd);
	sbuf_free(&say);
	sbuf_free(&q);
	sbuf_free(&prev);
	return 0;
}
