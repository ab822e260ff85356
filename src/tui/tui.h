/*
 * tui.h - the full-screen front end's own declarations: the screen state
 * (struct tui), the panel "classes" every pane implements, and the small
 * drawing layer the panes share (clipped text, boxes, colours that fall
 * back to attributes on a monochrome terminal).
 *
 * Layers, as in tmux: panes read the model and the timeline and draw into
 * their rectangle of stdscr through the helpers here; tui.c owns the
 * terminal, the layout, the keys and the one doupdate() per frame. The
 * model never calls any of this.
 */
#ifndef VMSCOPE_TUI_TUI_H
#define VMSCOPE_TUI_TUI_H

#include "vmscope/sbuf.h"
#include "vmscope/tui.h"
#include "timeline.h"

struct session;
struct tui;
struct panel;

/* Screen rectangles: outer ones include the border. h == 0: hidden. */
struct rect {
	int	 y, x, h, w;
};

/*
 * Colour roles. Each maps to a colour pair, or on a monochrome terminal
 * to an attribute (tui_attr), so no meaning is carried by colour alone:
 * frame states also differ by character.
 */
enum tui_color {
	C_NORMAL,
	C_FREE,
	C_ANON,
	C_FILE,
	C_PGTABLE,
	C_SLAB,
	C_KERNEL,
	C_RESERVED,
	C_HUGE,
	C_BORDER,
	C_FOCUS,	/* border of the focused pane */
	C_LIT,		/* border of the pane the current event is about */
	C_CURRENT,	/* the current event, the selected item */
	C_HEADER,
	C_DIM,
	C_ERROR,
	C_GOOD,
	C_TITLE,
	NR_TUI_COLORS
};

/*
 * A pane "class" (htop's Panel, tmux's window modes): what a pane of that
 * kind draws and how it answers keys and the mouse. Every hook but draw
 * may be NULL.
 */
struct panel_class {
	const char	*name;		/* "phys": layout, tests, help */
	const char	*title;		/* shown on the border */
	const char	*keys;		/* its own keys, for the help overlay */
	/* Forget selection and scroll (the step changed). */
	void		(*reset)(struct panel *p, struct tui *t);
	/* Draw inside in (the border is drawn by the caller). */
	void		(*draw)(struct panel *p, struct tui *t,
			    const struct rect *in);
	/* A key while focused; true when used. */
	bool		(*key)(struct panel *p, struct tui *t, int key);
	/* A click at (y, x) inside in; true when used. */
	bool		(*mouse)(struct panel *p, struct tui *t, int y, int x);
	/*
	 * Is ev about what this pane shows? If so, select it and return
	 * true; otherwise change nothing. Called newest event first after
	 * every step, so the selection is a function of the step alone and
	 * going back shows exactly the earlier screen.
	 */
	bool		(*follow)(struct panel *p, struct tui *t,
			    const struct tl_event *ev);
	/* `/ADDR`: select what holds addr; true when found. */
	bool		(*find)(struct panel *p, struct tui *t, uint64_t addr);
};

enum pane_id {
	PANE_ADDR,
	PANE_WALK,
	PANE_PHYS,
	PANE_BUDDY,
	PANE_TLB,
	PANE_LOG,
	PANE_PROCS,
	NR_PANES
};

struct panel {
	const struct panel_class *cls;
	struct rect	 r;
	struct rect	 in;		/* inside the border, at the last draw */
	bool		 focused;
	bool		 lit;		/* the current event is about it */
	long		 sel;		/* meaning is the pane's own */
	long		 sel2;
	long		 top;		/* first row shown */
	long		 zoom;
	uint64_t	 addr;		/* a selected address, if the pane has one */
	long		 rows;		/* rows of content at the last draw */
	long		 page;		/* rows visible at the last draw */
};

enum tui_mode {
	MODE_NORMAL,
	MODE_PROMPT,
	MODE_HELP,
	MODE_OUTPUT,
};

enum prompt_kind {
	PROMPT_CMD,
	PROMPT_GOTO,
	PROMPT_FIND,
	PROMPT_ANSWER,
};

#define TUI_PROMPT_MAX	512
#define TUI_HISTORY_MAX	200
#define TUI_SPEEDS	6

struct tui {
	struct session	*s;
	struct timeline	 tl;
	struct tui_options opt;
	struct panel	 panes[NR_PANES];
	int		 focus;		/* enum pane_id */
	int		 slot[2];	/* small layout: pane in each top slot */
	bool		 big;		/* every pane has its own place */
	int		 lines, cols;
	bool		 color;
	bool		 utf8;
	enum tui_mode	 mode;
	/* the prompt line */
	enum prompt_kind pkind;
	char		 pbuf[TUI_PROMPT_MAX];
	size_t		 plen, pcur;
	char		*hist[TUI_HISTORY_MAX];
	size_t		 nhist;
	size_t		 hpos;
	/* the output box and the help overlay */
	char		*output;
	char		*output_title;
	long		 out_top;
	long		 help_top;
	/* playing */
	bool		 playing;
	int		 speed;		/* 0 slowest .. TUI_SPEEDS - 1 */
	/* one line of feedback in the key bar */
	char		 msg[256];
	bool		 msg_err;
	bool		 quit;
	struct rect	 narr;		/* narration box at the last draw */
	/*
	 * An `exercise` typed at ':' leaves a quiz (exercise.h), asked in
	 * the question box one question at a time; feedback is the last
	 * "right" / "wrong: ..." (and the score at the end).
	 */
	struct quiz	*quiz;
	char		*quiz_feedback;
};

extern const struct panel_class panel_addr_class;
extern const struct panel_class panel_walk_class;
extern const struct panel_class panel_phys_class;
extern const struct panel_class panel_buddy_class;
extern const struct panel_class panel_tlb_class;
extern const struct panel_class panel_log_class;
extern const struct panel_class panel_procs_class;

/* tui.c: the screen without the terminal, so tests can drive it. */
struct tui *tui_new(struct session *s, const struct tui_options *opt,
	    struct sbuf *err);
void	 tui_free(struct tui *t);
/* After newterm: modes, colours, mouse. */
void	 tui_term_setup(struct tui *t);
/* Lay out and draw one frame, with one doupdate(). */
void	 tui_draw(struct tui *t);
/* One key (or KEY_MOUSE, KEY_RESIZE). */
void	 tui_key(struct tui *t, int key);
/* Play one tick: the next step, stopping at the end or a question. */
void	 tui_tick(struct tui *t);
/* The step changed: recompute selections, lit panes and slots. */
void	 tui_step_changed(struct tui *t);
void	 tui_message(struct tui *t, bool error, const char *fmt, ...)
	    __printf(3, 4);

/* draw.c: the drawing layer. */
int	 tui_attr(const struct tui *t, enum tui_color c);
void	 tui_fill(const struct tui *t, const struct rect *r, int attr);
/* Text clipped to w columns at (y, x); returns the columns used. */
int	 tui_puts(const struct tui *t, int y, int x, int w, int attr,
	     const char *s);
int	 tui_printf(const struct tui *t, int y, int x, int w, int attr,
	     const char *fmt, ...) __printf(6, 7);
/* A border with a title; inner is the rectangle inside it. */
void	 tui_box(const struct tui *t, const struct rect *r, const char *title,
	     int attr, struct rect *inner);
void	 tui_hline(const struct tui *t, int y, int x, int w, int attr);
/* Break text into lines of at most w columns; returns the line count. */
int	 tui_wrap(const char *text, int w, char ***linesp);
void	 tui_free_lines(char **lines, int n);
/* Human size: "256M", "4K", "1536B" (short, for narrow panes). */
void	 tui_size_str(char *buf, size_t len, uint64_t bytes);

/*
 * panel-addr.c: the process with that pid (pid <= 0: the first one), NULL
 * when there is none; and the selection the address-space pane holds,
 * which the walk and process panes show too.
 */
struct task_struct *tui_task(struct tui *t, int pid);
void	 tui_selection(struct tui *t, int *pid, uint64_t *addr);

/* explain.c: a longer explanation of an event kind. */
const char *tui_explain(const struct tl_event *ev);
/* Has the kind an explanation of its own (not the fallback)? */
bool	 tui_explain_known(enum event_kind kind);

/* panel-phys.c: what a frame holds, for the map and the status line. */
enum frame_state {
	FS_FREE,
	FS_ANON,
	FS_FILE,
	FS_PGTABLE,
	FS_SLAB,
	FS_KERNEL,
	FS_RESERVED,
	FS_HUGE,
	NR_FRAME_STATES
};
struct machine;
enum frame_state frame_state(struct machine *m, unsigned long pfn);
extern const char frame_state_char[NR_FRAME_STATES];
extern const char *const frame_state_name[NR_FRAME_STATES];

#endif
