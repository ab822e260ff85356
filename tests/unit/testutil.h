/*
 * testutil.h - shared setup for the Check unit tests: a tiny PRNG for
 * seeded reproducible stress tests, running command lines against a
 * session and asserting on their output, and the runner boilerplate.
 */
#ifndef VMSCOPE_TESTUTIL_H
#define VMSCOPE_TESTUTIL_H

#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/session.h"

/* xorshift64*: small, fast, and the same on every host. */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t test_rand_below(uint64_t *state, uint64_t n)
{
	return n ? test_rand(state) % n : 0;
}

/* Run a line; return its output (caller frees) and the failure count. */
static inline char *test_run(struct session *s, const char *line, int *failed,
    char **errout)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	int f = cmd_run_line(s, line, &out, &err);

	if (failed != NULL)
		*failed = f;
	if (errout != NULL)
		*errout = sbuf_steal(&err);
	sbuf_free(&err);
	return sbuf_steal(&out);
}

/* Run a line that must succeed and leave every invariant intact. */
#define RUN_OK(s, line) do {						\
	int __f;							\
	char *__e, *__o = test_run((s), (line), &__f, &__e);		\
	char __why[512];						\
	ck_assert_msg(__f == 0, "'%s' failed: %s", (line), __e);	\
	ck_assert_msg(validate_machine((s)->m, __why, sizeof(__why)) == 0, \
	    "after '%s': %s", (line), __why);				\
	free(__o);							\
	free(__e);							\
} while (0)

/* The output of a line that must succeed and keep every invariant. */
static inline char *run_ok(struct session *s, const char *line)
{
	int f;
	char *err, *out = test_run(s, line, &f, &err);
	char why[512];

	ck_assert_msg(f == 0, "'%s' failed: %s", line, err);
	ck_assert_msg(validate_machine(s->m, why, sizeof(why)) == 0,
	    "after '%s': %s", line, why);
	free(err);
	return out;
}

static inline void expect_out(struct session *s, const char *line,
    const char *want)
{
	char *out = run_ok(s, line);

	ck_assert_str_eq(out, want);
	free(out);
}

static inline void expect_contains(struct session *s, const char *line,
    const char *want)
{
	char *out = run_ok(s, line);

	ck_assert_msg(strstr(out, want) != NULL, "'%s' printed:\n%s\nnot '%s'",
	    line, out, want);
	free(out);
}

/* A session on the machine a `machine ...` line builds, checked after
 * every command (what the pressure tests need). */
static inline struct session *pressure_session(const char *machine)
{
	struct session *s = session_new();

	s->debug_checks = true;
	RUN_OK(s, machine);
	return s;
}

static inline int test_main(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	setlocale(LC_ALL, "C");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
