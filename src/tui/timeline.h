/*
 * timeline.h - the TUI's stepping model, with no curses in it: the list
 * of entries (command lines, narration, quiz questions) played on a
 * machine rebuilt from a known start, the events each command emitted,
 * and the current position as one step number.
 *
 * Steps. Step 0 is the start. Each entry then counts one step per event
 * it emitted (at least one), so stepping walks through a command event by
 * event. The machine always holds the state after the current entry's
 * whole command: panes that cannot show a state in the middle of a
 * command show the state after it, with the current event highlighted.
 *
 * Going back. The start is the session's journal as it was when the
 * timeline was made (session.h): a default machine replaying those lines
 * reaches it. Or it is a saved machine (state.h), for a start that no
 * command line builds (`vmscope ostep FILE --tui`: frames placed where a
 * problem says). Going back to entry i rebuilds the start and replays
 * entries 1..i; the model is deterministic, so every replay emits the
 * same events and every screen comes back exactly.
 */
#ifndef VMSCOPE_TUI_TIMELINE_H
#define VMSCOPE_TUI_TIMELINE_H

#include "vmscope/events.h"
#include "vmscope/pgtable.h"
#include "vmscope/tlb.h"

struct session;

/*
 * The state at one event in the middle of a command, taken by the
 * recording sink while the model was there (the machine itself only ever
 * holds the state after a whole command). Panes draw from it so that a
 * fault stepped stage by stage shows each stage: the walk of the access
 * with the tables that exist so far, the TLB before it is filled, the
 * frame as the allocator left it, the VMA tree nodes find_vma visited.
 */
struct tl_tlb {
	int		 refs;		/* shared by consecutive equal copies */
	unsigned	 n;
	struct tlb_entry e[];		/* owner pointers are not followed */
};

#define TL_VISIT_MAX	16

struct tl_snap {
	/* the access in progress, translated at this event */
	bool		 have_walk;
	int		 walk_pid;
	struct pt_walk	 walk;		/* ptep cleared */
	/* the frame the event names (ev.pfn), as it was */
	bool		 have_page;
	int		 page_state;	/* enum frame_state (tui.h) */
	int		 refcount;
	int		 mapcount;
	unsigned long	 page_flags;
	/* the TLB after this event, and its counters */
	struct tl_tlb	*tlb;
	unsigned long	 hits, misses;
	/* EV_VMA_FIND: the tree nodes visited, root first */
	int		 nvisit;
	struct {
		uint64_t	 start, end;
	} visit[TL_VISIT_MAX];
};

/* An event as captured: its text rendered while its strings were alive. */
struct tl_event {
	struct vm_event	 ev;	/* str and str2 cleared: they die with the machine */
	char		*text;	/* event_format() */
	struct tl_snap	*snap;	/* or NULL: nothing more than the event */
};

enum tl_kind {
	TL_CMD,		/* a command line */
	TL_NOTE,	/* narration only */
	TL_ASK,		/* a quiz question */
};

struct tl_entry {
	enum tl_kind	 kind;
	char		*line;		/* TL_CMD */
	char		*say;		/* narration shown with it, or NULL */
	char		*question;	/* TL_ASK */
	char		*answer;
	char		**choices;	/* TL_ASK multiple choice, or NULL */
	int		 nchoices;
	char		*explain;	/* shown after an answer, or NULL */
	bool		 typed;		/* typed at ':' (vs from a file) */
	/* What the last run gave; every run gives the same. */
	bool		 ran;
	struct tl_event	*events;
	size_t		 nevents;
	size_t		 cap;
	char		*out;
	char		*err;
	int		 failed;
	/* quiz */
	char		*given;		/* the last answer typed, or NULL */
	bool		 right;
};

struct timeline {
	struct session	*s;
	char		*title;		/* or NULL */
	char		*description;	/* the scenario's, shown at step 0; or NULL */
	size_t		 base;		/* journal lines making the start */
	char		*start_state;	/* or the start as state.h JSON */
	unsigned long	 start_ncommands; /* s->ncommands at the start */
	struct tl_entry	*v;		/* entry i (1-based) is v[i - 1] */
	size_t		 n;
	size_t		 cap;
	size_t		 applied;	/* s->m holds the state after entry applied */
	size_t		 pos;		/* the current step */
	unsigned long	 rebuilds;	/* how often the start was rebuilt */
};

/* A timeline starting at the session's current state (its journal). */
void	 timeline_init(struct timeline *tl, struct session *s);
void	 timeline_free(struct timeline *tl);

/* Append entries (not run yet). Strings are copied. */
struct tl_entry *timeline_add(struct timeline *tl, enum tl_kind kind,
	    const char *line, const char *say);
/*
 * Read a file: a JSON scenario (scenario.h) when it starts with '{', else
 * a plain file of one command line per line where "say TEXT" narrates the
 * next command and "ask QUESTION = ANSWER" asks a question. Then run it
 * all once to learn its steps and come back to step 0. -1 with one line
 * in err ("FILE:LINE: what is wrong") on failure.
 */
int	 timeline_load(struct timeline *tl, const char *path, struct sbuf *err);
/*
 * Start from a saved machine (the text of a state file) instead of the
 * journal: the session gets it now, and every rebuild restores it again.
 * Call before adding entries. -1 with the reason in err when the text is
 * not a state the model accepts.
 */
int	 timeline_set_start(struct timeline *tl, const char *state,
	     struct sbuf *err);
/* A lesson built by the caller (tui.h), run once like timeline_load. */
struct tui_lesson;
int	 timeline_load_lesson(struct timeline *tl, const struct tui_lesson *l,
	     struct sbuf *err);

/* Steps: the total (step 0 included) and those of one entry. */
size_t	 timeline_nsteps(const struct timeline *tl);
size_t	 timeline_entry_steps(const struct timeline *tl, size_t entry);
/* The first step of entry (0 for the start). */
size_t	 timeline_entry_first(const struct timeline *tl, size_t entry);
/* Which entry (0 = start) and which of its steps a step number is. */
void	 timeline_locate(const struct timeline *tl, size_t pos, size_t *entry,
	     size_t *k);
static inline struct tl_entry *timeline_entry(const struct timeline *tl,
    size_t entry)
{
	return entry >= 1 && entry <= tl->n ? &tl->v[entry - 1] : NULL;
}

/*
 * Move to a step (clamped): rebuild or run forward so that the machine
 * holds the state after that step's entry. Returns 0, or -1 when the
 * start could not be rebuilt (the position is then unchanged).
 */
int	 timeline_goto(struct timeline *tl, size_t pos);
/* Go to step k (clamped) of entry; k = SIZE_MAX: its last step. */
int	 timeline_goto_entry(struct timeline *tl, size_t entry, size_t k);

/*
 * Insert a command typed by the user after the current entry, run it and
 * move to its last step. Later entries stay, to be replayed after it.
 * Returns the number of commands that failed; the entry has the output.
 */
int	 timeline_run_typed(struct timeline *tl, const char *line,
	     struct tl_entry **entryp);

/* The event shown as current (NULL at step 0 or for an event-less step). */
const struct tl_event *timeline_current_event(const struct timeline *tl);
/*
 * Visit the events shown at the current position, newest first, until fn
 * returns true (stop). entry and index say where each one is.
 */
void	 timeline_events_back(const struct timeline *tl,
	     bool (*fn)(void *arg, const struct tl_event *ev, size_t entry,
	     size_t index), void *arg);

/*
 * The TLB as it was at the current step: the copy taken at the latest
 * TLB event of the current command up to the step, with its counters;
 * NULL when the machine's own TLB is right (no such event, or at the
 * command's last step).
 */
const struct tl_snap *timeline_tlb_snap(const struct timeline *tl);

/*
 * Check a quiz answer: case and surrounding blanks do not matter, nor
 * how a number is written (0x06bc is 0x6bc, 16 is 0x10). When the answer
 * is a choice number, the text of that choice counts too.
 */
bool	 timeline_answer(struct tl_entry *e, const char *given);

#endif
