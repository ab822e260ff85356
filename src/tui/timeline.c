/*
 * timeline.c - the TUI's stepping model (see timeline.h): entries read
 * from a scenario, given as a lesson (tui.h) or typed at ':', run
 * through the one command table with an event sink capturing what each
 * emitted, and the rebuild-and-replay (from the journal or a saved
 * machine) that takes the machine back to an earlier entry. No curses
 * here: the unit tests drive it directly.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/scenario.h"
#include "vmscope/session.h"
#include "vmscope/state.h"
#include "vmscope/tui.h"
#include "vmscope/machine.h"
#include "vmscope/mm.h"
#include "vmscope/task.h"
#include "tui.h"

static void snap_free(struct tl_snap *sn)
{
	if (sn == NULL)
		return;
	if (sn->tlb != NULL && --sn->tlb->refs == 0)
		free(sn->tlb);
	free(sn);
}

void timeline_init(struct timeline *tl, struct session *s)
{
	memset(tl, 0, sizeof(*tl));
	tl->s = s;
	tl->base = s->njournal;
}

static void entry_clear_run(struct tl_entry *e)
{
	for (size_t i = 0; i < e->nevents; i++) {
		free(e->events[i].text);
		snap_free(e->events[i].snap);
	}
	e->nevents = 0;
	free(e->out);
	free(e->err);
	e->out = e->err = NULL;
	e->failed = 0;
	e->ran = false;
}

void timeline_free(struct timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		struct tl_entry *e = &tl->v[i];

		entry_clear_run(e);
		free(e->events);
		free(e->line);
		free(e->say);
		free(e->question);
		free(e->answer);
		free(e->explain);
		free(e->given);
		for (int c = 0; c < e->nchoices; c++)
			free(e->choices[c]);
		free(e->choices);
	}
	free(tl->v);
	free(tl->title);
	free(tl->description);
	free(tl->start_state);
	memset(tl, 0, sizeof(*tl));
}

static struct tl_entry *timeline_insert(struct timeline *tl, size_t at)
{
	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 16;
		tl->v = xrealloc(tl->v, tl->cap * sizeof(*tl->v));
	}
	memmove(&tl->v[at + 1], &tl->v[at], (tl->n - at) * sizeof(*tl->v));
	tl->n++;
	memset(&tl->v[at], 0, sizeof(tl->v[at]));
	return &tl->v[at];
}

struct tl_entry *timeline_add(struct timeline *tl, enum tl_kind kind,
    const char *line, const char *say)
{
	struct tl_entry *e = timeline_insert(tl, tl->n);

	e->kind = kind;
	e->line = line != NULL ? xstrdup(line) : NULL;
	e->say = say != NULL ? xstrdup(say) : NULL;
	return e;
}

/* ---- running ------------------------------------------------------ */

/*
 * What the recording sink knows while a command runs: the entry, the
 * machine the events come from, and the access in progress (from its TLB
 * lookup to its TLB fill or signal), whose walk every event inside it
 * snapshots. Snapshots stop at SNAP_BUDGET bytes per command, so a trace
 * of a million accesses costs no more than its events; later steps of
 * such a command show the state after it, as before.
 */
#define SNAP_BUDGET	(24UL << 20)

struct tl_run {
	struct tl_entry	*e;
	struct machine	*m;
	bool		 in_access;
	bool		 unsafe;	/* a process is being torn down */
	int		 pid;
	uint64_t	 addr;
	struct tl_tlb	*last_tlb;
	size_t		 bytes;
};

static struct task_struct *run_task(struct machine *m, int pid)
{
	struct task_struct *task;

	if (m->tasks.next == NULL)
		return NULL;
	list_for_each_entry(task, &m->tasks, tasks) {
		if (task->pid == pid)
			return task;
	}
	return NULL;
}

static bool is_tlb_kind(enum event_kind k)
{
	switch (k) {
	case EV_TLB_HIT: case EV_TLB_MISS: case EV_TLB_FILL:
	case EV_TLB_EVICT: case EV_FLUSH_TLB_PAGE: case EV_FLUSH_TLB_RANGE:
	case EV_FLUSH_TLB_MM: case EV_FLUSH_TLB_ALL: case EV_SWITCH_MM:
		return true;
	default:
		return false;
	}
}

/* Share the previous copy when the TLB did not change (a hit, a miss). */
static struct tl_tlb *tlb_copy(struct tl_run *r)
{
	struct tlb *tlb = r->m->tlb;
	size_t sz = tlb->nr_entries * sizeof(tlb->e[0]);
	struct tl_tlb *c;

	if (r->last_tlb != NULL && r->last_tlb->n == tlb->nr_entries &&
	    memcmp(r->last_tlb->e, tlb->e, sz) == 0) {
		r->last_tlb->refs++;
		return r->last_tlb;
	}
	c = xmalloc(sizeof(*c) + sz);
	c->refs = 2;		/* the snapshot and r->last_tlb */
	c->n = tlb->nr_entries;
	memcpy(c->e, tlb->e, sz);
	r->bytes += sizeof(*c) + sz;
	if (r->last_tlb != NULL && --r->last_tlb->refs == 0)
		free(r->last_tlb);
	r->last_tlb = c;
	return c;
}

static void vma_visits(struct tl_run *r, const struct vm_event *ev,
    struct tl_snap *sn)
{
	struct task_struct *task = run_task(r->m, ev->pid);
	struct rb_node *node;

	if (task == NULL || task->mm == NULL)
		return;
	/* The tree is as find_vma left it: walk it the same way again. */
	node = task->mm->mm_rb.rb_node;
	while (node != NULL && sn->nvisit < TL_VISIT_MAX) {
		struct vm_area_struct *v = rb_entry(node, struct vm_area_struct,
		    vm_rb);

		sn->visit[sn->nvisit].start = v->vm_start;
		sn->visit[sn->nvisit].end = v->vm_end;
		sn->nvisit++;
		if (v->vm_end > ev->addr) {
			if (v->vm_start <= ev->addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
}

static struct tl_snap *take_snap(struct tl_run *r, const struct vm_event *ev)
{
	struct machine *m = r->m;
	struct tl_snap *sn;
	bool walk, page, tlb;

	switch (ev->kind) {
	case EV_TLB_MISS:
	case EV_TLB_HIT:
	case EV_PAGE_FAULT:
		if (!r->in_access || ev->kind != EV_PAGE_FAULT) {
			r->in_access = true;
			r->unsafe = false;
			r->pid = ev->pid;
			r->addr = ev->addr;
		}
		break;
	case EV_OOM_VICTIM: case EV_OOM_KILL: case EV_TASK_EXIT:
	case EV_PGD_FREE: case EV_PGTABLE_FREE:
		r->unsafe = true;
		break;
	default:
		break;
	}
	if (r->bytes > SNAP_BUDGET || m == NULL)
		return NULL;
	walk = r->in_access && !r->unsafe;
	page = ev->pfn != 0 && ev->pfn < m->max_pfn && m->mem_map != NULL;
	tlb = is_tlb_kind(ev->kind) && m->tlb != NULL;
	if (!walk && !page && !tlb && ev->kind != EV_VMA_FIND)
		return NULL;
	sn = xcalloc(1, sizeof(*sn));
	r->bytes += sizeof(*sn);
	if (walk) {
		struct task_struct *task = run_task(m, r->pid);

		if (task != NULL && task->mm != NULL && task->mm->pgt != NULL) {
			pgtable_walk(task->mm->pgt, r->addr, 0, &sn->walk);
			sn->walk.ptep = NULL;
			sn->walk_pid = r->pid;
			sn->have_walk = true;
		}
	}
	if (page) {
		const struct page *pg = &m->mem_map[ev->pfn];

		sn->have_page = true;
		sn->page_state = (int)frame_state(m, (unsigned long)ev->pfn);
		sn->refcount = pg->_refcount;
		sn->mapcount = page_mapcount(pg);
		sn->page_flags = pg->flags;
	}
	if (tlb) {
		sn->tlb = tlb_copy(r);
		sn->hits = m->tlb->hits;
		sn->misses = m->tlb->misses;
	}
	if (ev->kind == EV_VMA_FIND)
		vma_visits(r, ev, sn);
	switch (ev->kind) {
	case EV_TLB_FILL: case EV_TLB_HIT: case EV_SIGSEGV: case EV_SIGBUS:
	case EV_WALK_BAD_ADDR:
		r->in_access = false;	/* the access is over */
		break;
	default:
		break;
	}
	return sn;
}

static void entry_record(struct tl_entry *e, const struct vm_event *ev,
    struct tl_run *r)
{
	struct tl_event *t;
	struct sbuf sb = SBUF_INIT;

	if (e->nevents == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->events = xrealloc(e->events, e->cap * sizeof(*e->events));
	}
	t = &e->events[e->nevents++];
	t->ev = *ev;
	event_format(ev, &sb);
	t->text = sbuf_steal(&sb);
	t->ev.str = NULL;
	t->ev.str2 = NULL;
	t->snap = r != NULL ? take_snap(r, ev) : NULL;
}

static void tl_sink(void *arg, const struct vm_event *ev)
{
	struct tl_run *r = arg;

	entry_record(r->e, ev, r);
}

/* Run entry i on the session, recording what it does. */
static void run_entry(struct timeline *tl, size_t i)
{
	struct tl_entry *e = &tl->v[i - 1];
	struct session *s = tl->s;
	struct machine *m0 = s->m;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct event_sink sink;
	struct tl_run r = { .e = e, .m = m0 };

	entry_clear_run(e);
	e->ran = true;
	if (e->kind != TL_CMD)
		return;
	event_subscribe(&m0->ev, &sink, tl_sink, &r);
	e->failed = cmd_run_line(s, e->line, &out, &err);
	/* Harmless when m0 was freed: its bus left our sink self-linked. */
	event_unsubscribe(&sink);
	if (r.last_tlb != NULL && --r.last_tlb->refs == 0)
		free(r.last_tlb);
	if (s->m != m0 && s->m != NULL) {
		/* A new machine (`machine`): its boot events are in its ring. */
		const struct event_bus *bus = &s->m->ev;

		for (size_t j = bus->log_len; j-- > 0;)
			entry_record(e, event_log_get(bus, j), NULL);
	}
	/* A `quit` inside a scenario ends nothing; one typed at ':' does. */
	if (!e->typed)
		s->quit = false;
	e->out = sbuf_steal(&out);
	e->err = sbuf_steal(&err);
	if (e->out == NULL)
		e->out = xstrdup("");
	if (e->err == NULL)
		e->err = xstrdup("");
}

/* The saved start as a new machine on the session. */
static int restore_start(struct timeline *tl, struct sbuf *err)
{
	struct machine *m = state_parse("start state", tl->start_state,
	    strlen(tl->start_state), err);

	if (m == NULL)
		return -1;
	session_set_machine(tl->s, m);
	tl->s->ncommands = tl->start_ncommands;
	session_journal_truncate(tl->s, tl->base);
	tl->applied = 0;
	return 0;
}

int timeline_set_start(struct timeline *tl, const char *state,
    struct sbuf *err)
{
	free(tl->start_state);
	tl->start_state = xstrdup(state);
	tl->start_ncommands = tl->s->ncommands;
	if (restore_start(tl, err) != 0) {
		free(tl->start_state);
		tl->start_state = NULL;
		return -1;
	}
	return 0;
}

/*
 * Rebuild the start state: the saved machine restored, or a default
 * machine replaying the base journal.
 */
static int timeline_rebuild(struct timeline *tl)
{
	struct session *s = tl->s, *tmp;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	if (tl->start_state != NULL) {
		int rc = restore_start(tl, &err);

		sbuf_free(&err);
		tl->rebuilds += rc == 0;
		return rc;
	}
	tmp = session_new();
	tmp->scenario_ops = s->scenario_ops;
	tmp->interactive = false;	/* nothing to journal there */
	for (size_t i = 0; i < tl->base && i < s->njournal; i++) {
		tmp->quit = false;
		cmd_run_line(tmp, s->journal[i], &out, &err);
		sbuf_reset(&out);
		sbuf_reset(&err);
	}
	sbuf_free(&out);
	sbuf_free(&err);
	if (tmp->m == NULL) {
		session_free(tmp);
		return -1;
	}
	session_set_machine(s, tmp->m);
	tmp->m = NULL;
	/* Event records carry command numbers: keep them the same. */
	s->ncommands = tmp->ncommands;
	session_free(tmp);
	session_journal_truncate(s, tl->base);
	tl->applied = 0;
	tl->rebuilds++;
	return 0;
}

static int timeline_apply(struct timeline *tl, size_t entry)
{
	if (entry < tl->applied && timeline_rebuild(tl) != 0)
		return -1;
	while (tl->applied < entry)
		run_entry(tl, ++tl->applied);
	return 0;
}

/* ---- steps -------------------------------------------------------- */

size_t timeline_entry_steps(const struct timeline *tl, size_t entry)
{
	const struct tl_entry *e = timeline_entry(tl, entry);

	if (e == NULL || e->nevents == 0)
		return 1;
	return e->nevents;
}

size_t timeline_nsteps(const struct timeline *tl)
{
	size_t n = 1;

	for (size_t i = 1; i <= tl->n; i++)
		n += timeline_entry_steps(tl, i);
	return n;
}

size_t timeline_entry_first(const struct timeline *tl, size_t entry)
{
	size_t pos = 1;

	if (entry == 0)
		return 0;
	for (size_t i = 1; i < entry && i <= tl->n; i++)
		pos += timeline_entry_steps(tl, i);
	return pos;
}

void timeline_locate(const struct timeline *tl, size_t pos, size_t *entry,
    size_t *k)
{
	size_t first = 1;

	*entry = 0;
	*k = 0;
	if (pos == 0)
		return;
	for (size_t i = 1; i <= tl->n; i++) {
		size_t n = timeline_entry_steps(tl, i);

		if (pos < first + n || i == tl->n) {
			*entry = i;
			*k = pos - first < n ? pos - first : n - 1;
			return;
		}
		first += n;
	}
}

int timeline_goto_entry(struct timeline *tl, size_t entry, size_t k)
{
	size_t n;

	if (entry > tl->n)
		entry = tl->n;
	if (timeline_apply(tl, entry) != 0)
		return -1;
	n = timeline_entry_steps(tl, entry);
	if (k >= n)
		k = n - 1;
	tl->pos = timeline_entry_first(tl, entry) + k;
	return 0;
}

int timeline_goto(struct timeline *tl, size_t pos)
{
	size_t entry, k;

	timeline_locate(tl, pos, &entry, &k);
	return timeline_goto_entry(tl, entry, k);
}

int timeline_run_typed(struct timeline *tl, const char *line,
    struct tl_entry **entryp)
{
	size_t entry, k;
	struct tl_entry *e;

	timeline_locate(tl, tl->pos, &entry, &k);
	if (timeline_apply(tl, entry) != 0)
		return 1;
	e = timeline_insert(tl, entry);	/* becomes entry + 1 */
	e->kind = TL_CMD;
	e->line = xstrdup(line);
	e->typed = true;
	/* Later entries were recorded without this one: mark them stale. */
	for (size_t i = entry + 1; i < tl->n; i++)
		tl->v[i].ran = false;
	run_entry(tl, ++tl->applied);
	tl->pos = timeline_entry_first(tl, entry + 1) +
	    timeline_entry_steps(tl, entry + 1) - 1;
	if (entryp != NULL)
		*entryp = e;
	return e->failed;
}

const struct tl_event *timeline_current_event(const struct timeline *tl)
{
	size_t entry, k;
	const struct tl_entry *e;

	timeline_locate(tl, tl->pos, &entry, &k);
	e = timeline_entry(tl, entry);
	if (e == NULL || k >= e->nevents)
		return NULL;
	return &e->events[k];
}

void timeline_events_back(const struct timeline *tl,
    bool (*fn)(void *arg, const struct tl_event *ev, size_t entry,
    size_t index), void *arg)
{
	size_t entry, k;

	timeline_locate(tl, tl->pos, &entry, &k);
	for (size_t i = entry; i >= 1; i--) {
		const struct tl_entry *e = timeline_entry(tl, i);
		size_t last = i == entry ? k + 1 : e->nevents;

		if (last > e->nevents)
			last = e->nevents;
		for (size_t j = last; j-- > 0;) {
			if (fn(arg, &e->events[j], i, j))
				return;
		}
	}
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

const struct tl_snap *timeline_tlb_snap(const struct timeline *tl)
{
	size_t entry, k;
	const struct tl_entry *e;

	timeline_locate(tl, tl->pos, &entry, &k);
	e = timeline_entry(tl, entry);
	if (e == NULL || k + 1 >= e->nevents)
		return NULL;
	for (size_t j = k + 1; j-- > 0;) {
		const struct tl_snap *sn = e->events[j].snap;

		if (sn != NULL && sn->tlb != NULL)
			return sn;
	}
	return NULL;
}

/* Blanks squeezed, case folded, a final '.' dropped: "The  heap." = "the heap". */
static char *norm_answer(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	bool blank = false;

	while (isspace((unsigned char)*s))
		s++;
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			blank = true;
			continue;
		}
		if (blank && o > out)
			*o++ = ' ';
		blank = false;
		*o++ = (char)tolower((unsigned char)*s);
	}
	if (o > out && o[-1] == '.')
		o--;
	*o = '\0';
	return out;
}

/* Whole numbers (decimal or 0x hex) of the same value: "0x06bc" = "0x6bc". */
static bool same_number(const char *a, const char *b)
{
	char *ea, *eb;
	unsigned long long x, y;

	if (!isdigit((unsigned char)*a) || !isdigit((unsigned char)*b))
		return false;
	errno = 0;
	x = strtoull(a, &ea, 0);
	y = strtoull(b, &eb, 0);
	return errno == 0 && *ea == '\0' && *eb == '\0' && x == y;
}

bool timeline_answer(struct tl_entry *e, const char *given)
{
	char *g = xstrdup(given), *gt = trim(g);
	char *gn = norm_answer(gt), *an = norm_answer(e->answer ? e->answer : "");
	int choice = 0;

	free(e->given);
	e->given = xstrdup(gt);
	e->right = strcmp(gn, an) == 0 || same_number(gn, an);
	/* Multiple choice: the text of the right choice is as good as its number. */
	if (!e->right && e->nchoices > 0 && sscanf(an, "%d", &choice) == 1 &&
	    choice >= 1 && choice <= e->nchoices) {
		char *cn = norm_answer(e->choices[choice - 1]);

		e->right = strcmp(gn, cn) == 0;
		free(cn);
	}
	free(g);
	free(gn);
	free(an);
	return e->right;
}

/* ---- loading ------------------------------------------------------ */

static char *join_say(char *say, const char *more)
{
	char *s;

	if (say == NULL)
		return xstrdup(more);
	s = xasprintf("%s\n%s", say, more);
	free(say);
	return s;
}

static int load_plain(struct timeline *tl, const char *path, FILE *fp,
    struct sbuf *err)
{
	char *buf = NULL, *say = NULL;
	size_t cap = 0;
	unsigned lineno = 0;

	while (getline(&buf, &cap, fp) != -1) {
		char *l = trim(buf);
		struct tl_entry *e;

		lineno++;
		if (*l == '\0' || *l == '#')
			continue;
		if (strncmp(l, "say", 3) == 0 && (l[3] == ' ' || l[3] == '\t')) {
			say = join_say(say, trim(l + 3));
			continue;
		}
		if (strncmp(l, "ask", 3) == 0 && (l[3] == ' ' || l[3] == '\t')) {
			char *eq = strrchr(l, '=');

			if (eq == NULL) {
				sbuf_printf(err, "%s:%u: ask needs 'QUESTION = ANSWER'\n",
				    path, lineno);
				free(buf);
				free(say);
				return -1;
			}
			*eq = '\0';
			e = timeline_add(tl, TL_ASK, NULL, say);
			e->question = xstrdup(trim(l + 3));
			e->answer = xstrdup(trim(eq + 1));
		} else {
			if (cmd_check_line(l, err, NULL, NULL) != 0) {
				/* cmd_check_line said what; say where. */
				sbuf_printf(err, "%s:%u: bad command\n", path, lineno);
				free(buf);
				free(say);
				return -1;
			}
			timeline_add(tl, TL_CMD, l, say);
		}
		free(say);
		say = NULL;
	}
	if (say != NULL)
		timeline_add(tl, TL_NOTE, NULL, say);
	free(say);
	free(buf);
	return 0;
}

static int load_scenario(struct timeline *tl, const char *path,
    struct sbuf *err)
{
	struct scenario *sc = scenario_load(path, err);
	struct tl_entry *e;

	if (sc == NULL)
		return -1;
	tl->title = sc->title != NULL ? xstrdup(sc->title) : NULL;
	/* The description is what step 0 shows, before anything runs. */
	tl->description = sc->description != NULL ? xstrdup(sc->description) :
	    NULL;
	if (sc->machine_line != NULL)
		timeline_add(tl, TL_CMD, sc->machine_line, NULL);
	for (int i = 0; i < sc->nsteps; i++) {
		const struct sc_step *st = &sc->steps[i];

		if (st->cmd != NULL)
			timeline_add(tl, TL_CMD, st->cmd, st->say);
		if (st->ask != NULL) {
			const struct sc_ask *q = st->ask;
			struct sbuf qs = SBUF_INIT;

			e = timeline_add(tl, TL_ASK, NULL,
			    st->cmd == NULL ? st->say : NULL);
			sbuf_add(&qs, q->question);
			for (int c = 0; c < q->nchoices; c++)
				sbuf_printf(&qs, "\n  %d) %s", c + 1, q->choices[c]);
			if (q->nchoices > 0) {
				e->choices = xcalloc((size_t)q->nchoices,
				    sizeof(*e->choices));
				for (int c = 0; c < q->nchoices; c++)
					e->choices[c] = xstrdup(q->choices[c]);
				e->nchoices = q->nchoices;
			}
			e->question = sbuf_steal(&qs);
			if (q->answer_choice > 0)
				e->answer = xasprintf("%d", q->answer_choice);
			else
				e->answer = xstrdup(q->answer ? q->answer : "");
			e->explain = q->explain ? xstrdup(q->explain) : NULL;
		}
		if (st->cmd == NULL && st->ask == NULL && st->say != NULL)
			timeline_add(tl, TL_NOTE, NULL, st->say);
	}
	scenario_free(sc);
	return 0;
}

/* Run it all once so every step is known, then back to the start. */
static int timeline_prepare(struct timeline *tl, const char *name,
    struct sbuf *err)
{
	if (timeline_goto_entry(tl, tl->n, SIZE_MAX) != 0 ||
	    timeline_goto(tl, 0) != 0) {
		sbuf_printf(err, "%s: cannot rebuild the start state\n", name);
		return -1;
	}
	return 0;
}

int timeline_load_lesson(struct timeline *tl, const struct tui_lesson *l,
    struct sbuf *err)
{
	const char *name = l->title != NULL ? l->title : "lesson";

	tl->title = l->title != NULL ? xstrdup(l->title) : NULL;
	tl->description = l->description != NULL ? xstrdup(l->description) :
	    NULL;
	if (l->start_state != NULL &&
	    timeline_set_start(tl, l->start_state, err) != 0)
		return -1;
	for (size_t i = 0; i < l->nsteps; i++) {
		const struct tui_step *st = &l->steps[i];
		struct tl_entry *e;

		if (st->cmd != NULL) {
			if (cmd_check_line(st->cmd, err, NULL, NULL) != 0)
				return -1;
			timeline_add(tl, TL_CMD, st->cmd, st->say);
		}
		if (st->question != NULL) {
			e = timeline_add(tl, TL_ASK, NULL,
			    st->cmd == NULL ? st->say : NULL);
			e->question = xstrdup(st->question);
			e->answer = xstrdup(st->answer != NULL ? st->answer : "");
			e->explain = st->explain != NULL ? xstrdup(st->explain) :
			    NULL;
		}
		if (st->cmd == NULL && st->question == NULL && st->say != NULL)
			timeline_add(tl, TL_NOTE, NULL, st->say);
	}
	return timeline_prepare(tl, name, err);
}

int timeline_load(struct timeline *tl, const char *path, struct sbuf *err)
{
	FILE *fp = fopen(path, "r");
	int c, rc;

	if (fp == NULL) {
		sbuf_printf(err, "vmscope: tui: cannot open %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	do
		c = getc(fp);
	while (c != EOF && isspace(c));
	if (c == '{') {
		fclose(fp);
		rc = load_scenario(tl, path, err);
	} else {
		rewind(fp);
		rc = load_plain(tl, path, fp, err);
		fclose(fp);
	}
	if (rc != 0)
		return -1;
	return timeline_prepare(tl, path, err);
}
