/*
 * player.c - playing a loaded scenario: building its machine, and for each
 * step printing the narration, asking the quiz question, running the
 * command through cmd_run_line (the same path as the REPL), and checking
 * the expectations against the output, the events the step emitted (a
 * sink on the event bus) and the probes of probes.c. Also the session
 * hooks behind the `load`, `step` and `run` commands.
 *
 * The transcript is plain text and stable, because golden tests compare
 * it byte for byte:
 *
 *	== TITLE ==
 *	description
 *
 *	vmscope> machine --ram 64M
 *	(its output)
 *
 *	# narration of a step
 *	Question: ...              (quiz, before the command: predict it)
 *	  1) first choice
 *	Answer: 1) first choice
 *	  explanation
 *	vmscope> COMMAND
 *	(output, then any error message)
 *	  ok: minor_faults == 4
 *	  FAILED: event buddy_merge (not emitted)
 *
 *	Result: 6 of 7 checks held; 1 command failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/scenario.h"
#include "vmscope/scenario-probe.h"
#include "vmscope/session.h"
#include "vmscope/state.h"

/* ---------------------------------------------------------- output */

/* Narration wider than this is wrapped at spaces (a line is kept whole). */
#define WRAP_COLUMNS	78

/*
 * Each line of text, the first after first, the others after prefix;
 * lines wider than WRAP_COLUMNS are wrapped at blanks, so an author may
 * write a paragraph as one string.
 */
static void print_wrapped(struct sbuf *out, const char *first,
    const char *prefix, const char *text)
{
	const char *p = text, *lead = first;

	do {
		size_t n = strcspn(p, "\n");
		size_t room = WRAP_COLUMNS > strlen(lead) ?
		    WRAP_COLUMNS - strlen(lead) : 20;

		while (n > room) {
			size_t cut = room;

			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				break;	/* one long word: keep it whole */
			sbuf_add(out, lead);
			sbuf_addn(out, p, cut);
			sbuf_addc(out, '\n');
			lead = prefix;
			room = WRAP_COLUMNS > strlen(lead) ?
			    WRAP_COLUMNS - strlen(lead) : 20;
			p += cut + 1;
			n -= cut + 1;
		}
		sbuf_add(out, lead);
		sbuf_addn(out, p, n);
		sbuf_addc(out, '\n');
		lead = prefix;
		p += n;
		if (*p == '\n')
			p++;
	} while (*p != '\0');
}

/* Each line of text after a prefix, as written (commands, output). */
static void print_lines(struct sbuf *out, const char *prefix, const char *text)
{
	const char *p = text;

	do {
		size_t n = strcspn(p, "\n");

		sbuf_add(out, prefix);
		sbuf_addn(out, p, n);
		sbuf_addc(out, '\n');
		p += n;
		if (*p == '\n')
			p++;
	} while (*p != '\0');
}

/* Output as given, ending with a newline when it has any text. */
static void print_block(struct sbuf *out, const struct sbuf *text)
{
	if (text->len == 0)
		return;
	sbuf_addn(out, text->s, text->len);
	if (text->s[text->len - 1] != '\n')
		sbuf_addc(out, '\n');
}

/* A text in double quotes on one line. */
static void print_quoted(struct sbuf *out, const char *s)
{
	sbuf_addc(out, '"');
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\n': sbuf_add(out, "\\n"); break;
		case '\t': sbuf_add(out, "\\t"); break;
		case '"': sbuf_add(out, "\\\""); break;
		case '\\': sbuf_add(out, "\\\\"); break;
		default: sbuf_addc(out, *s); break;
		}
	}
	sbuf_addc(out, '"');
}

static void print_range(struct sbuf *out, const struct sc_range *r)
{
	if (r->lo == r->hi)
		sbuf_printf(out, " == %" PRIu64, r->lo);
	else if (r->hi == UINT64_MAX)
		sbuf_printf(out, " >= %" PRIu64, r->lo);
	else if (r->lo == 0)
		sbuf_printf(out, " <= %" PRIu64, r->hi);
	else
		sbuf_printf(out, " in %" PRIu64 "..%" PRIu64, r->lo, r->hi);
}

static void describe(struct sbuf *out, const struct sc_expect *e)
{
	switch (e->kind) {
	case SC_OUTPUT_CONTAINS:
		sbuf_add(out, "output contains ");
		print_quoted(out, e->text);
		break;
	case SC_OUTPUT_EQUALS:
		sbuf_add(out, "output equals the expected text");
		break;
	case SC_ERROR_CONTAINS:
		sbuf_add(out, "fails with ");
		print_quoted(out, e->text);
		break;
	case SC_EVENT:
	case SC_NO_EVENT:
		sbuf_add(out, e->kind == SC_EVENT ? "event " : "no event ");
		if (e->event >= 0)
			sbuf_add(out, event_kind_name((enum event_kind)e->event));
		else
			sbuf_printf(out, "from %s()", e->text);
		break;
	case SC_FREE_PAGES:
		if (e->node != 0)
			sbuf_printf(out, "node %d ", e->node);
		if (e->order >= 0)
			sbuf_printf(out, "%s free_area[%d] blocks", zone_names[e->zone],
			    e->order);
		else
			sbuf_printf(out, "%s free pages", zone_names[e->zone]);
		print_range(out, &e->want);
		break;
	case SC_PROBE:
		sbuf_add(out, e->probe->name);
		if (e->pid >= 0)
			sbuf_printf(out, " of pid %d", e->pid);
		if (e->probe->type == SC_VALUE_NAME)
			sbuf_printf(out, " == %s", e->probe->names[e->name]);
		else
			print_range(out, &e->want);
		break;
	}
}

/* ---------------------------------------------------------- observing */

struct observer {
	struct event_sink	 sink;
	struct sc_observed	 obs;
};

static void observe(void *arg, const struct vm_event *ev)
{
	struct sc_observed *obs = &((struct observer *)arg)->obs;

	if ((unsigned)ev->kind < NR_EVENT_KINDS)
		obs->kinds[ev->kind / 8] |= (unsigned char)(1u << (ev->kind % 8));
	if (obs->nevents == SC_MAX_OBSERVED) {
		obs->truncated = true;
		return;
	}
	if (obs->events == NULL)
		obs->events = xmalloc(SC_MAX_OBSERVED * sizeof(*obs->events));
	obs->events[obs->nevents++] = *ev;
}

static bool saw_function(const struct sc_observed *obs, const char *fn)
{
	for (int k = 0; k < NR_EVENT_KINDS; k++) {
		if (sc_observed_kind(obs, k) &&
		    strcmp(event_kind_fn((enum event_kind)k), fn) == 0)
			return true;
	}
	return false;
}

static bool in_range(const struct sc_range *r, uint64_t v)
{
	return v >= r->lo && v <= r->hi;
}

/* Where two texts part, for a short explanation. */
static void explain_difference(struct sbuf *why, const char *want,
    const char *got)
{
	unsigned line = 1;

	for (; *want != '\0' && *want == *got; want++, got++) {
		if (*want == '\n')
			line++;
	}
	sbuf_printf(why, "first difference on line %u", line);
}

/* Trailing newlines do not count when comparing whole outputs. */
static char *strip_newlines(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '\n')
		n--;
	return xstrndup(s, n);
}

static bool check_one(struct session *s, const struct sc_expect *e,
    const struct sc_observed *obs, const char *output, const char *errors,
    bool cmd_failed, uint64_t before, struct sbuf *why)
{
	uint64_t v;

	switch (e->kind) {
	case SC_OUTPUT_CONTAINS:
		return strstr(output, e->text) != NULL;
	case SC_OUTPUT_EQUALS: {
		char *a = strip_newlines(e->text), *b = strip_newlines(output);
		bool same = strcmp(a, b) == 0;

		if (!same)
			explain_difference(why, a, b);
		free(a);
		free(b);
		return same;
	}
	case SC_ERROR_CONTAINS:
		if (!cmd_failed) {
			sbuf_add(why, "the command succeeded");
			return false;
		}
		return strstr(errors, e->text) != NULL;
	case SC_EVENT:
	case SC_NO_EVENT: {
		bool seen = e->event >= 0 ? sc_observed_kind(obs, e->event) :
		    saw_function(obs, e->text);

		if (e->kind == SC_EVENT && !seen)
			sbuf_add(why, "not emitted");
		if (e->kind == SC_NO_EVENT && seen)
			sbuf_add(why, "emitted");
		return e->kind == SC_EVENT ? seen : !seen;
	}
	case SC_FREE_PAGES: {
		const struct zone *z;

		if (e->node >= s->m->nr_nodes) {
			sbuf_printf(why, "the machine has no node %d", e->node);
			return false;
		}
		z = &s->m->nodes[e->node].node_zones[e->zone];
		if (!zone_populated(z)) {
			sbuf_printf(why, "this machine has no %s zone",
			    zone_names[e->zone]);
			return false;
		}
		v = e->order >= 0 ? z->free_area[e->order].nr_free : z->nr_free;
		break;
	}
	case SC_PROBE:
		if (e->probe->type == SC_VALUE_NAME)
			return e->probe->match(s, e->pid, obs, e->name, why) == 1;
		if (e->probe->read(s, e->pid, obs, &v, why) != 0)
			return false;
		if (e->probe->delta)
			v -= before;
		break;
	default:
		return false;
	}
	if (in_range(&e->want, v))
		return true;
	sbuf_printf(why, "got %" PRIu64, v);
	return false;
}

/* ---------------------------------------------------------- playing */

static int play_command(struct session *s, struct scenario_run *run,
    const struct sc_step *st, struct sbuf *out)
{
	struct sbuf cout = SBUF_INIT, cerr = SBUF_INIT, why = SBUF_INIT;
	struct observer ob;
	struct machine *m0 = s->m;
	uint64_t *before = xcalloc((size_t)st->nexpects + 1, sizeof(*before));
	bool expects_error = false, replaced, cmd_failed;
	int failed = 0;

	memset(&ob, 0, sizeof(ob));
	for (int i = 0; i < st->nexpects; i++) {
		const struct sc_expect *e = &st->expects[i];

		if (e->kind == SC_ERROR_CONTAINS)
			expects_error = true;
		/* A process that does not exist yet has had no faults. */
		if (e->kind == SC_PROBE && e->probe->delta &&
		    e->probe->read(s, e->pid, NULL, &before[i], &why) != 0)
			before[i] = 0;
		sbuf_reset(&why);
	}

	print_lines(out, "vmscope> ", st->cmd);
	event_subscribe(&m0->ev, &ob.sink, observe, &ob);
	cmd_failed = cmd_run_line(s, st->cmd, &cout, &cerr) != 0;
	/*
	 * A `machine` in the step freed the old machine, and with it the
	 * bus; event_bus_free unlinked our sink. Counters start again from
	 * zero on the new machine.
	 */
	replaced = s->m != m0 || list_empty(&ob.sink.entry);
	if (!replaced)
		event_unsubscribe(&ob.sink);
	ob.obs.machine_replaced = replaced;
	print_block(out, &cout);
	print_block(out, &cerr);

	if (cmd_failed && !expects_error) {
		sbuf_add(out, "  FAILED: the command failed\n");
		run->cmd_failed++;
		failed++;
	}
	for (int i = 0; i < st->nexpects; i++) {
		const struct sc_expect *e = &st->expects[i];
		bool ok;

		sbuf_reset(&why);
		ok = check_one(s, e, &ob.obs, sbuf_str(&cout), sbuf_str(&cerr),
		    cmd_failed, replaced ? 0 : before[i], &why);
		sbuf_add(out, ok ? "  ok: " : "  FAILED: ");
		describe(out, e);
		if (!ok && why.len > 0)
			sbuf_printf(out, " (%s)", sbuf_str(&why));
		sbuf_addc(out, '\n');
		if (ok)
			run->held++;
		else {
			run->failed++;
			failed++;
		}
	}
	free(ob.obs.events);
	free(before);
	sbuf_free(&cout);
	sbuf_free(&cerr);
	sbuf_free(&why);
	return failed;
}

static void print_answer(struct sbuf *out, const struct sc_ask *a)
{
	if (a->answer_choice > 0)
		sbuf_printf(out, "%d) ", a->answer_choice);
	sbuf_add(out, a->answer);
}

static bool answer_is_right(const struct sc_ask *a, const char *given)
{
	char *g = sc_normalize_answer(given), *w;
	bool right;

	if (a->answer_choice > 0) {
		char *num = xasprintf("%d", a->answer_choice);

		right = strcmp(g, num) == 0;
		free(num);
		if (!right) {
			w = sc_normalize_answer(a->answer);
			right = strcmp(g, w) == 0;
			free(w);
		}
	} else {
		w = sc_normalize_answer(a->answer);
		right = strcmp(g, w) == 0;
		free(w);
	}
	free(g);
	return right;
}

static void play_ask(struct session *s, struct scenario_run *run,
    const struct sc_ask *a, struct sbuf *out)
{
	bool interactive = s->interactive && run->io != NULL &&
	    run->io->read_answer != NULL;
	char *given;

	print_wrapped(out, "Question: ", "  ", a->question);
	for (int i = 0; i < a->nchoices; i++) {
		char num[16];

		snprintf(num, sizeof(num), "  %d) ", i + 1);
		print_wrapped(out, num, "     ", a->choices[i]);
	}
	if (!interactive) {
		sbuf_add(out, "Answer: ");
		print_answer(out, a);
		sbuf_addc(out, '\n');
	} else {
		run->asked++;
		given = run->io->read_answer(run->io->arg, out, "Your answer: ");
		if (given == NULL || given[strspn(given, " \t\r\n")] == '\0') {
			sbuf_add(out, "No answer; it is ");
		} else if (answer_is_right(a, given)) {
			sbuf_add(out, "Right: ");
			run->right++;
		} else {
			sbuf_add(out, "Not quite; the answer is ");
		}
		print_answer(out, a);
		sbuf_addc(out, '\n');
		free(given);
	}
	if (a->explain != NULL)
		print_wrapped(out, "  ", "  ", a->explain);
}

int scenario_start(struct session *s, struct scenario_run *run,
    struct sbuf *out, struct sbuf *err)
{
	struct scenario *sc = run->sc;
	struct sbuf hdr = SBUF_INIT, cout = SBUF_INIT, cerr = SBUF_INIT;
	const char *msg;

	run->next = 0;
	run->held = run->failed = run->cmd_failed = 0;
	run->asked = run->right = 0;
	if (cmd_run_line(s, sc->machine_line, &cout, &cerr) != 0) {
		/* The options were the file's: report them at its "machine". */
		msg = sbuf_str(&cerr);
		if (strncmp(msg, "vmscope: ", 9) == 0)
			msg += 9;
		sbuf_printf(err, "%s:%u:%u: %.*s\n", sc->path, sc->machine_line_no,
		    sc->machine_col, (int)strcspn(msg, "\n"), msg);
		sbuf_free(&cout);
		sbuf_free(&cerr);
		return -1;
	}
	sbuf_printf(&hdr, "== %s ==\n", sc->title);
	if (sc->description != NULL)
		print_wrapped(&hdr, "", "", sc->description);
	sbuf_addc(&hdr, '\n');
	print_lines(&hdr, "vmscope> ", sc->machine_line);
	print_block(&hdr, &cout);
	sbuf_addn(out, hdr.s, hdr.len);
	sbuf_free(&hdr);
	sbuf_free(&cout);
	sbuf_free(&cerr);
	return 0;
}

int scenario_step(struct session *s, struct scenario_run *run,
    struct sbuf *out)
{
	const struct sc_step *st;
	int failed = 0;

	if (scenario_done(run))
		return 0;
	st = &run->sc->steps[run->next++];
	sbuf_addc(out, '\n');
	if (st->say != NULL)
		print_wrapped(out, "# ", "# ", st->say);
	if (st->ask != NULL)
		play_ask(s, run, st->ask, out);
	if (st->cmd != NULL)
		failed = play_command(s, run, st, out);
	return failed;
}

void scenario_summary(const struct scenario_run *run, struct sbuf *out)
{
	sbuf_printf(out, "Result: %lu of %lu check%s held", run->held,
	    run->held + run->failed, run->held + run->failed == 1 ? "" : "s");
	if (run->cmd_failed > 0)
		sbuf_printf(out, "; %lu command%s failed", run->cmd_failed,
		    run->cmd_failed == 1 ? "" : "s");
	if (run->asked > 0)
		sbuf_printf(out, "; %lu of %lu question%s answered right",
		    run->right, run->asked, run->asked == 1 ? "" : "s");
	sbuf_add(out, ".\n");
}

/* ---------------------------------------------------------- commands */

struct scenario_state {
	const struct scenario_io *io;
	struct scenario_run	 run;	/* run.sc is NULL until a load */
};

static int ops_load(struct cmd_ctx *ctx, const char *path)
{
	struct scenario_state *st = ctx->s->scenario;
	struct scenario_run run;
	struct scenario *sc;

	sc = scenario_load(path, ctx->err);
	if (sc == NULL) {
		ctx->s->file_error = true;
		return -1;
	}
	memset(&run, 0, sizeof(run));
	run.sc = sc;
	run.io = st->io;
	if (scenario_start(ctx->s, &run, ctx->out, ctx->err) != 0) {
		ctx->s->file_error = true;
		scenario_free(sc);
		return -1;
	}
	scenario_free(st->run.sc);
	st->run = run;
	cmd_print(ctx, "\n%d step%s: 'step' plays the next one, 'run' plays them all.\n",
	    sc->nsteps, sc->nsteps == 1 ? "" : "s");
	return 0;
}

static int ops_step(struct cmd_ctx *ctx, unsigned long n)
{
	struct scenario_state *st = ctx->s->scenario;
	struct scenario_run *run = &st->run;
	unsigned long i;
	int failed = 0;

	if (run->sc == NULL)
		return cmd_error(ctx, "no scenario loaded (load one with 'load FILE')");
	if (scenario_done(run))
		return cmd_error(ctx,
		    "the scenario is finished ('load' it again to play it again)");
	for (i = 0; (n == 0 || i < n) && !scenario_done(run); i++)
		failed += scenario_step(ctx->s, run, ctx->out);
	if (scenario_done(run)) {
		sbuf_addc(ctx->out, '\n');
		scenario_summary(run, ctx->out);
	}
	if (failed > 0)
		return cmd_error(ctx, "%d check%s failed", failed,
		    failed == 1 ? "" : "s");
	return 0;
}

static void ops_release(struct session *s)
{
	struct scenario_state *st = s->scenario;

	if (st == NULL)
		return;
	scenario_free(st->run.sc);
	free(st);
	s->scenario = NULL;
}

static const struct scenario_ops scenario_session_ops = {
	.load = ops_load,
	.step = ops_step,
	.release = ops_release,
	.save = state_cmd_save,
	.restore = state_cmd_restore,
};

void scenario_attach(struct session *s, const struct scenario_io *io)
{
	struct scenario_state *st;

	if (s->scenario_ops != NULL && s->scenario_ops->release != NULL)
		s->scenario_ops->release(s);
	st = xcalloc(1, sizeof(*st));
	st->io = io;
	s->scenario_ops = &scenario_session_ops;
	s->scenario = st;
}
