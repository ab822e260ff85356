/*
 * bench_tui.c - how long the TUI takes to draw one full frame at 200x60
 * on a busy machine: 4 GiB of RAM (1048576 frames for the physical-memory
 * pane to summarise), 50 processes each with a few extra VMAs and some
 * touched memory, the event log full. The TUI renders in-process on a null
 * terminal (newterm writing to /dev/null), as tests/unit/check_tui.c
 * does, so the figure is vmscope's drawing plus ncurses' output work,
 * without a real terminal's throughput.
 *
 * Two figures: a full repaint (clearok: ncurses sends every cell, what
 * happens after a resize or Ctrl-L) and a redraw of an unchanged screen
 * (the panes are all drawn again, ncurses sends only the difference, what
 * happens on each key). The reference is a 60 Hz frame, 16.7 ms.
 *
 * Then the time per step while playing a scenario (scenarios/tour.json,
 * found through $top_srcdir as bench/run.sh sets it): the keys go to
 * tui_key as the TUI's loop sends them and every step is drawn, so each
 * figure is the timeline's work plus a frame. n (the next event) and N
 * (the next command) run forward from the machine the TUI holds; b (back
 * one step) walks from the end to the start, and every b that crosses
 * into the previous command rebuilds the start and replays the commands
 * before it (timeline.h), so its worst case is noted too.
 *
 * Prints "BENCH name value unit note" lines for bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vmscope/cmd.h"
#include "vmscope/session.h"
#include "tui-curses.h"
#include "tui.h"

#define LINES_	60
#define COLS_	200
#define NPROCS	50
#define FRAMES	200
#define BUDGET_MS	(1000.0 / 60)
#define SCENARIO	"scenarios/tour.json"
#define ROUNDS		5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(struct session *s, const char *line)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;

	if (cmd_run_line(s, line, &out, &err) != 0) {
		fprintf(stderr, "bench_tui: '%s': %s", line, sbuf_str(&err));
		exit(1);
	}
	sbuf_free(&out);
	sbuf_free(&err);
}

/* Average milliseconds per tui_draw; full: force a whole-screen repaint. */
static double time_frames(struct tui *t, bool full)
{
	double t0 = now();

	for (int i = 0; i < FRAMES; i++) {
		if (full)
			clearok(curscr, TRUE);
		tui_draw(t);
	}
	return (now() - t0) * 1000 / FRAMES;
}

struct step_time {
	double	 total_ms;	/* over every step of every round */
	double	 worst_ms;
	unsigned long n;
	double	 replay_ms;	/* the steps that rebuilt the start */
	unsigned long nreplay;
};

/* Press key until the position stops moving, drawing after each step. */
static void time_steps(struct tui *t, int key, struct step_time *st)
{
	size_t before;

	do {
		unsigned long rebuilds = t->tl.rebuilds;
		double t0 = now(), ms;

		before = t->tl.pos;
		tui_key(t, key);
		tui_draw(t);
		ms = (now() - t0) * 1000;
		if (t->tl.pos == before)
			break;
		st->total_ms += ms;
		if (ms > st->worst_ms)
			st->worst_ms = ms;
		st->n++;
		if (t->tl.rebuilds != rebuilds) {
			st->replay_ms += ms;
			st->nreplay++;
		}
	} while (true);
}

static void go_to(struct tui *t, size_t pos)
{
	timeline_goto(&t->tl, pos);
	tui_step_changed(t);
	tui_draw(t);
}

/* Play SCENARIO on a fresh TUI; the null terminal is already set up. */
static void bench_steps(void)
{
	const char *srcdir = getenv("top_srcdir");
	char file[4096];
	struct tui_options opt = { .file = file };
	struct sbuf err = SBUF_INIT;
	struct step_time fwd = { 0 }, cmd = { 0 }, back = { 0 };
	struct session *s = session_new();
	unsigned long rebuilds;
	size_t nsteps;
	struct tui *t;

	snprintf(file, sizeof(file), "%s/%s", srcdir != NULL ? srcdir : ".",
	    SCENARIO);
	s->interactive = true;
	t = tui_new(s, &opt, &err);
	if (t == NULL) {
		fprintf(stderr, "bench_tui: %s\n", sbuf_str(&err));
		exit(1);
	}
	sbuf_free(&err);
	tui_term_setup(t);
	tui_draw(t);
	nsteps = timeline_nsteps(&t->tl);
	rebuilds = t->tl.rebuilds;
	for (int r = 0; r < ROUNDS; r++) {
		go_to(t, 0);
		time_steps(t, 'n', &fwd);
		go_to(t, 0);
		time_steps(t, 'N', &cmd);
		time_steps(t, 'b', &back);
	}
	rebuilds = t->tl.rebuilds - rebuilds;
	tui_free(t);
	session_free(s);
	if (fwd.n == 0 || cmd.n == 0 || back.n == 0) {
		fprintf(stderr, "bench_tui: %s: no steps\n", SCENARIO);
		exit(1);
	}
	printf("tui: %s at %dx%d, %zu steps in %lu entries, %d rounds, "
	    "%lu rebuilds of the start\n", SCENARIO, COLS_, LINES_, nsteps - 1,
	    cmd.n / ROUNDS, ROUNDS, rebuilds);
	printf("BENCH tui.step %.3f ms n, mean of %lu; worst %.3f\n",
	    fwd.total_ms / fwd.n, fwd.n, fwd.worst_ms);
	printf("BENCH tui.step_command %.3f ms N, mean of %lu; worst %.3f\n",
	    cmd.total_ms / cmd.n, cmd.n, cmd.worst_ms);
	printf("BENCH tui.step_back %.3f ms b, mean of %lu; %lu replays "
	    "%.3f each; worst %.3f\n", back.total_ms / back.n, back.n,
	    back.nreplay, back.nreplay ? back.replay_ms / back.nreplay : 0.0,
	    back.worst_ms);
}

int main(void)
{
	struct tui_options opt = { .file = NULL };
	struct sbuf err = SBUF_INIT;
	struct session *s = session_new();
	struct tui *t;
	FILE *out, *in;
	SCREEN *scr;
	char line[160];
	double full_ms, redraw_ms;

	run(s, "machine --ram 4G");
	for (int pid = 1; pid <= NPROCS; pid++) {
		/* a file mapping, two anonymous ones, some of each touched */
		snprintf(line, sizeof(line), "spawn p%d; file lib%d 1M; "
		    "mmap %d 1M r private file=lib%d; mmap %d 2M; mmap %d 64K",
		    pid, pid, pid, pid, pid, pid);
		run(s, line);
		snprintf(line, sizeof(line), "touch %d 0x555555554000+8K --quiet",
		    pid);
		run(s, line);
	}
	s->interactive = true;
	t = tui_new(s, &opt, &err);
	if (t == NULL) {
		fprintf(stderr, "bench_tui: %s\n", sbuf_str(&err));
		return 1;
	}
	sbuf_free(&err);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	scr = newterm("xterm", out, in);
	if (scr == NULL) {
		fprintf(stderr, "bench_tui: no xterm terminfo entry\n");
		return 1;
	}
	resizeterm(LINES_, COLS_);
	tui_term_setup(t);
	tui_draw(t);	/* first frame: layout and caches */

	full_ms = time_frames(t, true);
	redraw_ms = time_frames(t, false);

	tui_free(t);
	session_free(s);
	printf("tui: %dx%d, 4 GiB machine, %d processes, %d frames each\n",
	    COLS_, LINES_, NPROCS, FRAMES);
	printf("BENCH tui.full_frame %.3f ms x%.2f of a 60Hz frame\n", full_ms,
	    full_ms / BUDGET_MS);
	printf("BENCH tui.redraw %.3f ms x%.2f of a 60Hz frame\n", redraw_ms,
	    redraw_ms / BUDGET_MS);
	fflush(stdout);
	bench_steps();
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	return 0;
}
