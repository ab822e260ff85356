/*
 * exercise.h - generated exercises with worked answers, and a quiz that a
 * front end drives one question at a time.
 *
 * An exercise kind (policy; later translate, buddy, vma, cow, tlb) is a
 * const struct exercise_kind in src/exercise/exercise-KIND.c, listed in
 * exercise_kinds[]. From a seed and its options it generates a problem
 * (deterministically: same seed and options, same problem), prints it,
 * prints the worked answer, and fills a list of questions with their
 * expected answers and explanations. The `exercise` command, `vmscope
 * exercise` and the REPL's quiz mode use only this interface; the TUI can
 * drive a struct quiz the same way the REPL does.
 */
#ifndef VMSCOPE_EXERCISE_H
#define VMSCOPE_EXERCISE_H

#include "vmscope/sbuf.h"

/* How a typed answer is compared with the expected one. */
enum answer_kind {
	ANSWER_HIT_MISS,	/* "hit"/"h" or "miss"/"m", any case */
	ANSWER_NUMBER,		/* a number, decimal or 0x hex */
	ANSWER_PAGE_OR_NONE,	/* a number, or "-"/"none" */
	ANSWER_SET,		/* numbers in any order, blanks/commas/[]; - none */
	ANSWER_WALK,		/* a physical address, or "fault LEVEL" */
	ANSWER_MAPS,		/* "START-END PERMS" items split by ; or , */
	ANSWER_WORD,		/* one word from a list the prompt gives */
};

struct exercise_question {
	char		*prompt;	/* "Reference 4 is page 2: hit or miss?" */
	enum answer_kind kind;
	char		*answer;	/* canonical: "miss", "7", "-", "0 1 2" */
	char		*explain;	/* why; shown after a wrong answer */
};

struct exercise_kind;

/* The options given to a kind: --name value pairs, unvalidated. */
struct exercise_opt {
	const char	*name;
	const char	*value;		/* NULL for a flag */
};

struct exercise {
	const struct exercise_kind *kind;
	uint64_t	 seed;
	uint64_t	 rng;		/* the generator's state (splitmix64) */
	void		*data;		/* the kind's problem and solution */
	struct exercise_question *q;
	size_t		 nq;
};

struct exercise_kind {
	const char	*name;
	const char	*summary;
	const char	*usage;		/* its options: "[--policy P] ..." */
	const char	*options;	/* as cmd_entry: "policy=,frames=" */
	/*
	 * Build ex->data and the questions from ex->seed and the options;
	 * return 0, or -1 with one line (no newline) in err.
	 */
	int		(*generate)(struct exercise *ex,
			    const struct exercise_opt *opts, int nopts,
			    struct sbuf *err);
	void		(*print_problem)(const struct exercise *ex,
			    struct sbuf *out);
	void		(*print_solution)(const struct exercise *ex,
			    struct sbuf *out);
	void		(*free_data)(struct exercise *ex);
};

extern const struct exercise_kind *const exercise_kinds[];

const struct exercise_kind *exercise_kind_find(const char *name);

/*
 * Generate an exercise of a kind. NULL with the reason in err (one line,
 * no newline) on bad options.
 */
struct exercise *exercise_new(const struct exercise_kind *kind, uint64_t seed,
	    const struct exercise_opt *opts, int nopts, struct sbuf *err);
void	 exercise_free(struct exercise *ex);

/* For kinds: the next pseudo-random number, and one below n. */
uint64_t exercise_rand(struct exercise *ex);
uint64_t exercise_rand_below(struct exercise *ex, uint64_t n);
/* For kinds: append a question (the strings are copied). */
void	 exercise_add_question(struct exercise *ex, enum answer_kind kind,
	     const char *prompt, const char *answer, const char *explain);
/* For kinds: an option's value, or NULL. */
const char *exercise_opt_get(const struct exercise_opt *opts, int nopts,
	     const char *name);

/*
 * For kinds whose problem and worked answer are text built once by
 * generate (every kind that runs the model): ex->data is a struct
 * exercise_text, and these three are the kind's print and free hooks.
 */
struct exercise_text {
	struct sbuf	 problem;
	struct sbuf	 solution;
};
struct exercise_text *exercise_text_new(struct exercise *ex);
void	 exercise_text_print_problem(const struct exercise *ex,
	     struct sbuf *out);
void	 exercise_text_print_solution(const struct exercise *ex,
	     struct sbuf *out);
void	 exercise_text_free(struct exercise *ex);

/*
 * For kinds: solve with the model itself. A session runs command lines
 * as a user would type them; the output and the events (one line each,
 * with their kind) of the last command are kept for the questions and
 * the worked answer.
 */
struct session;
struct exercise_event {
	int		 kind;		/* enum event_kind */
	char		*text;		/* the event's one-line rendering */
};
struct exercise_run {
	struct session	*s;
	struct sbuf	 out;		/* of the last command */
	struct sbuf	 err;
	struct exercise_event *ev;	/* of the last command */
	size_t		 nev;
	void		*sink;		/* the recorder (struct event_sink) */
};
void	 exercise_run_init(struct exercise_run *r);
void	 exercise_run_free(struct exercise_run *r);
/* Run one line; 0, or the number of commands that failed. */
int	 exercise_run_cmd(struct exercise_run *r, const char *fmt, ...)
	     __printf(2, 3);
/* Did the last command emit an event of this kind? */
bool	 exercise_run_saw(const struct exercise_run *r, int kind);
/*
 * Append the last command's events of the kinds listed (ending with -1),
 * each on its own line after indent.
 */
void	 exercise_run_events(const struct exercise_run *r, const int *kinds,
	     const char *indent, struct sbuf *out);
/* Option parsing for kinds: a number in [lo, hi], def when absent. */
int	 exercise_opt_number(const char *kind, const struct exercise_opt *opts,
	     int nopts, const char *name, unsigned long def, unsigned long lo,
	     unsigned long hi, unsigned long *val, struct sbuf *err);

/* Does a typed answer match the question's? Blanks and case are ignored. */
bool	 exercise_check_answer(const struct exercise_question *q,
	     const char *typed);

/* A quiz: the questions of an exercise asked in order, with a score. */
struct quiz {
	struct exercise	*ex;		/* owned */
	size_t		 cur;		/* index of the question being asked */
	unsigned	 right;
	unsigned	 asked;
};

struct quiz *quiz_new(struct exercise *ex);	/* takes ex */
void	 quiz_free(struct quiz *qz);
/* The question being asked, NULL when the quiz is over. */
const struct exercise_question *quiz_current(const struct quiz *qz);
/*
 * Answer the current question: writes "right" or "wrong: the answer is X
 * (why)" to out, moves on, and after the last question the score. Returns
 * true when the answer was right.
 */
bool	 quiz_answer(struct quiz *qz, const char *typed, struct sbuf *out);
/* Skip the current question (counts as asked, not right). */
void	 quiz_skip(struct quiz *qz, struct sbuf *out);
bool	 quiz_done(const struct quiz *qz);
/* "score 7/9" and a newline. */
void	 quiz_score(const struct quiz *qz, struct sbuf *out);

#endif
