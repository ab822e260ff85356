/*
 * check_scenario.c - the scenario engine: positions in JSON text, loading
 * and validation, playing steps and checking expectations, the quiz, and
 * the rule that a broken file never changes the machine. The catalogue
 * of error messages is tests/scenario-errors/ (a script test); here are
 * the mechanisms behind it.
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"
#include "vmscope/jsonpos.h"
#include "vmscope/scenario.h"
#include "vmscope/task.h"

static struct scenario *parse(const char *text, char **errp)
{
	struct sbuf err = SBUF_INIT;
	struct scenario *sc = scenario_parse("t.json", text, strlen(text), &err);

	if (errp != NULL)
		*errp = sbuf_steal(&err);
	sbuf_free(&err);
	return sc;
}

/* The error for text, which must be refused. */
static char *parse_error(const char *text)
{
	char *err;
	struct scenario *sc = parse(text, &err);

	ck_assert_msg(sc == NULL, "accepted: %s", text);
	return err;
}

START_TEST(test_linecol)
{
	/* "é" is two bytes but one column; a tab is one column. */
	const char *t = "{\n\t\"\xc3\xa9\": [1,\n  2]}";
	unsigned l, c;

	json_linecol(t, strlen(t), 0, &l, &c);
	ck_assert_uint_eq(l, 1);
	ck_assert_uint_eq(c, 1);
	json_linecol(t, strlen(t), 3, &l, &c);	/* the key's quote */
	ck_assert_uint_eq(l, 2);
	ck_assert_uint_eq(c, 2);
	json_linecol(t, strlen(t), (size_t)(strchr(t, '[') - t), &l, &c);
	ck_assert_uint_eq(l, 2);
	ck_assert_uint_eq(c, 7);
	json_linecol(t, strlen(t), (size_t)(strchr(t, '2') - t), &l, &c);
	ck_assert_uint_eq(l, 3);
	ck_assert_uint_eq(c, 3);
	/* A byte-order mark is not a column. */
	json_linecol("\xef\xbb\xbfx", 4, 3, &l, &c);
	ck_assert_uint_eq(c, 1);
}
END_TEST

START_TEST(test_positions)
{
	const char *t = "{ \"a\": [ 10, { \"b\": \"x\" } ],\n  \"c\": null }";
	struct json_doc doc;
	struct sbuf why = SBUF_INIT;
	const cJSON *a, *b, *c;
	size_t off;

	ck_assert_int_eq(json_doc_parse(&doc, t, strlen(t), &why, &off), 0);
	a = cJSON_GetObjectItem(doc.root, "a");
	b = cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1), "b");
	c = cJSON_GetObjectItem(doc.root, "c");
	ck_assert_uint_eq(json_doc_offset(&doc, a, true), 2);
	ck_assert_uint_eq(json_doc_offset(&doc, a, false), 7);
	ck_assert_uint_eq(json_doc_offset(&doc, cJSON_GetArrayItem(a, 0), false), 9);
	ck_assert_uint_eq(json_doc_offset(&doc, b, true), 15);
	ck_assert_uint_eq(json_doc_offset(&doc, b, false), 20);
	ck_assert_uint_eq(json_doc_offset(&doc, c, true), 31);
	ck_assert_uint_eq(json_doc_offset(&doc, c, false), 36);
	/* An array element has no key: its value is given. */
	ck_assert_uint_eq(json_doc_offset(&doc, cJSON_GetArrayItem(a, 0), true), 9);
	json_doc_free(&doc);
	sbuf_free(&why);
}
END_TEST

START_TEST(test_duplicate_first_in_file)
{
	/* Two duplicates: the one met first in the text is reported. */
	const char *t = "{\"x\": {\"k\": 1, \"k\": 2}, \"y\": 1, \"y\": 2}";
	struct json_doc doc;
	struct sbuf why = SBUF_INIT;
	size_t off = 0;

	ck_assert_int_eq(json_doc_parse(&doc, t, strlen(t), &why, &off), -1);
	ck_assert_str_eq(sbuf_str(&why),
	    "duplicate key \"k\" (each key may appear once)");
	ck_assert_uint_eq(off, (size_t)(strstr(t, "\"k\": 2") - t));
	ck_assert_ptr_null(doc.root);
	sbuf_free(&why);
}
END_TEST

START_TEST(test_parse_ok)
{
	struct scenario *sc = parse(
	    "{ \"$schema\": \"s\", \"title\": \"T\", \"description\": [\"a\", \"b\"],\n"
	    "  \"machine\": { \"arch\": \"i386\", \"ram\": 67108864, \"asid\": false,\n"
	    "    \"movable\": true, \"policy\": \"fifo\" },\n"
	    "  \"steps\": [\n"
	    "    { \"say\": \"hi\" },\n"
	    "    { \"do\": \"alloc_pages 3\", \"expect\": { \"output_contains\": [\"pfn\", \"order 3\"],\n"
	    "      \"events\": [\"buddy_split\", \"expand\"], \"minor_faults\": 0,\n"
	    "      \"free_pages\": [ { \"zone\": \"dma\", \"order\": 2, \"min\": 1 } ] } },\n"
	    "    { \"ask\": { \"question\": \"q\", \"choices\": [\"A b\", \"c\"], \"answer\": \"a  B\" } }\n"
	    "  ] }", NULL);

	ck_assert_ptr_nonnull(sc);
	ck_assert_str_eq(sc->machine_line,
	    "machine --arch i386 --ram 67108864 --asid off --movable --policy fifo");
	ck_assert_str_eq(sc->description, "a\nb");
	ck_assert_int_eq(sc->nsteps, 3);
	ck_assert_int_eq(sc->nexpects, 6);
	ck_assert_int_eq(sc->nasks, 1);
	ck_assert_int_eq(sc->steps[1].expects[2].kind, SC_EVENT);
	ck_assert_int_ge(sc->steps[1].expects[2].event, 0);
	/* "expand" is a Linux function, kept by name. */
	ck_assert_int_eq(sc->steps[1].expects[3].event, -1);
	ck_assert_str_eq(sc->steps[1].expects[3].text, "expand");
	ck_assert_int_eq(sc->steps[1].expects[5].zone, ZONE_DMA);
	ck_assert_uint_eq(sc->steps[1].expects[5].want.hi, UINT64_MAX);
	/* The answer is matched to a choice, case and blanks aside. */
	ck_assert_int_eq(sc->steps[2].ask->answer_choice, 1);
	ck_assert_str_eq(sc->steps[2].ask->answer, "A b");
	scenario_free(sc);

	sc = parse("{\"title\":\"t\",\"machine\":{\"movable\":false,\"page_size\":\"64\"},"
	    "\"steps\":[{\"do\":\"free\"}]}", NULL);
	ck_assert_ptr_nonnull(sc);
	ck_assert_str_eq(sc->machine_line, "machine --page-size 64");
	scenario_free(sc);
}
END_TEST

START_TEST(test_messages)
{
	char *e;

	e = parse_error("{\"title\": \"t\",\n \"steps\": [ {\"do\": \"free\",\n"
	    "   \"expect\": {\"minor_faults\": \"4\"}} ]}");
	ck_assert_str_eq(e, "t.json:3:31: steps[0].expect.minor_faults: "
	    "expected a number or an object such as {\"min\": 1, \"max\": 4}, found a string\n");
	free(e);
	/* Unknown key: the key's position, and a suggestion. */
	e = parse_error("{\"title\": \"t\", \"stesp\": []}");
	ck_assert_str_eq(e, "t.json:1:16: unknown key \"stesp\" (did you mean \"steps\"?)\n");
	free(e);
	/* A command line is checked with the command table's parser. */
	e = parse_error("{\"title\": \"t\", \"steps\": [{\"do\": \"buddyinfo; alloc_pages\"}]}");
	ck_assert_str_eq(e, "t.json:1:33: steps[0].do: alloc_pages: missing arguments "
	    "(usage: alloc_pages ORDER [--zone NAME] [--node N])\n");
	free(e);
	e = parse_error("{\"title\": \"t\", \"steps\": [{\"do\": \"free; step 2\"}]}");
	ck_assert_str_eq(e, "t.json:1:33: steps[0].do: step: cannot be used in a scenario step\n");
	free(e);
}
END_TEST

/* Play all of a scenario given as text on s; returns the run's tally. */
static struct scenario_run play(struct session *s, const char *text,
    char **transcript)
{
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct scenario_run run;

	memset(&run, 0, sizeof(run));
	run.sc = parse(text, NULL);
	ck_assert_ptr_nonnull(run.sc);
	ck_assert_int_eq(scenario_start(s, &run, &out, &err), 0);
	while (!scenario_done(&run))
		scenario_step(s, &run, &out);
	scenario_summary(&run, &out);
	ck_assert_uint_eq(err.len, 0);
	*transcript = sbuf_steal(&out);
	scenario_free(run.sc);
	run.sc = NULL;
	sbuf_free(&err);
	return run;
}

START_TEST(test_play_checks)
{
	struct session *s = session_new();
	char *t;
	struct scenario_run run = play(s,
	    "{\"title\": \"T\", \"machine\": {\"ram\": \"64M\"}, \"steps\": [\n"
	    " {\"do\": \"alloc_pages 7 --zone DMA\", \"expect\": {\n"
	    "   \"events\": [\"alloc_pages\", \"buddy_merge\"], \"no_events\": \"buddy_split\",\n"
	    "   \"free_pages\": [{\"zone\": \"DMA\", \"order\": 7, \"count\": 0},\n"
	    "                  {\"zone\": \"DMA\", \"count\": 3967}],\n"
	    "   \"minor_faults\": 0, \"output_contains\": \"pfn 0x80 \"}},\n"
	    " {\"do\": \"alloc_pages 12\", \"expect\": {\"error_contains\": \"out of range\"}},\n"
	    " {\"do\": \"alloc_pages 12\"},\n"
	    " {\"do\": \"free_pages 0x80\", \"expect\": {\"output_equals\": \"nope\"}}\n"
	    "]}", &t);

	ck_assert_uint_eq(run.held, 7);
	ck_assert_uint_eq(run.failed, 2);
	ck_assert_uint_eq(run.cmd_failed, 1);
	ck_assert_ptr_nonnull(strstr(t, "vmscope> machine --ram 64M\n"));
	ck_assert_ptr_nonnull(strstr(t, "  FAILED: event buddy_merge (not emitted)\n"));
	ck_assert_ptr_nonnull(strstr(t, "  ok: DMA free_area[7] blocks == 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "  ok: fails with \"out of range\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "  FAILED: the command failed\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "  FAILED: output equals the expected text (first difference on line 1)\n"));
	ck_assert_ptr_nonnull(strstr(t, "Result: 7 of 9 checks held; 1 command failed.\n"));
	free(t);
	session_free(s);
}
END_TEST

START_TEST(test_machine_replaced_in_step)
{
	struct session *s = session_new();
	char *t;
	struct scenario_run run;

	/* The sink of the step was on the bus of the machine freed mid-step. */
	run = play(s, "{\"title\": \"T\", \"steps\": [\n"
	    " {\"do\": \"alloc_pages 1; machine --ram 64M; alloc_pages 0\",\n"
	    "  \"expect\": {\"events\": \"alloc_pages\", \"free_pages\":\n"
	    "   {\"zone\": \"DMA32\", \"order\": 0, \"count\": 1}}},\n"
	    " {\"do\": \"alloc_pages 0\", \"expect\": {\"events\": \"buddy_take\"}}]}", &t);
	ck_assert_uint_eq(run.failed, 0);
	ck_assert_uint_eq(run.held, 3);
	ck_assert_uint_eq(s->m->cfg.ram, 64ULL << 20);
	free(t);
	session_free(s);
}
END_TEST

static char *buddyinfo(struct session *s)
{
	return test_run(s, "buddyinfo", NULL, NULL);
}

START_TEST(test_broken_file_keeps_machine)
{
	static const char *const bad[] = {
		"{\"title\": \"t\", \"machine\": {\"ram\": \"1K\"}, \"steps\": [{\"do\": \"free\"}]}",
		"{\"title\": \"t\", \"machine\": {\"ram\": \"64M\"}, \"steps\": [{\"do\": \"frob\"}]}",
		"{\"title\": \"t\", \"machine\": {\"ram\": \"64M\"}, \"steps\": [",
	};
	char path[] = "/tmp/check_scenario.XXXXXX";
	struct session *s = session_new();
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	scenario_attach(s, NULL);
	RUN_OK(s, "alloc_pages 5; alloc_pages 2 --zone DMA");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct machine *m = s->m;
		char *before = buddyinfo(s), *after, *line, *err, *out;
		FILE *fp = fopen(path, "w");
		int failed;

		fputs(bad[i], fp);
		fclose(fp);
		s->file_error = false;
		line = xasprintf("load %s", path);
		out = test_run(s, line, &failed, &err);
		ck_assert_int_eq(failed, 1);
		ck_assert_msg(s->file_error, "file_error not set for %zu", i);
		ck_assert_msg(strncmp(err, path, strlen(path)) == 0 &&
		    err[strlen(path)] == ':', "message: %s", err);
		ck_assert_str_eq(out, "");
		ck_assert_ptr_eq(s->m, m);
		after = buddyinfo(s);
		ck_assert_str_eq(before, after);
		free(before);
		free(after);
		free(line);
		free(err);
		free(out);
	}
	unlink(path);
	session_free(s);
}
END_TEST

static const char *fake_answers[4];
static int fake_next;

static char *fake_read(void *arg, struct sbuf *out, const char *prompt)
{
	(void)arg;
	sbuf_add(out, prompt);
	sbuf_addc(out, '\n');
	return fake_answers[fake_next] != NULL ?
	    xstrdup(fake_answers[fake_next++]) : (fake_next++, NULL);
}

START_TEST(test_quiz_interactive)
{
	static const struct scenario_io io = { fake_read, NULL };
	struct session *s = session_new();
	char *out, *err;
	int failed;
	char path[] = "/tmp/check_scenario.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	char *line;

	fputs("{\"title\": \"Q\", \"steps\": [\n"
	    " {\"ask\": {\"question\": \"Say three\", \"answer\": \"Three\"}},\n"
	    " {\"ask\": {\"question\": \"Pick\", \"choices\": [\"x\", \"y\"], \"answer\": 2}},\n"
	    " {\"ask\": {\"question\": \"Pick by text\", \"choices\": [\"x\", \"Big Y\"], \"answer\": 2}},\n"
	    " {\"ask\": {\"question\": \"Last\", \"answer\": 1, \"explain\": \"because\"}}]}", fp);
	fclose(fp);
	fake_answers[0] = "  three ";
	fake_answers[1] = "1";
	fake_answers[2] = "big   y";
	fake_answers[3] = NULL;
	fake_next = 0;
	scenario_attach(s, &io);
	s->interactive = true;
	line = xasprintf("load %s; run", path);
	out = test_run(s, line, &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_int_eq(fake_next, 4);
	ck_assert_ptr_nonnull(strstr(out, "Question: Say three\nYour answer: \nRight: Three\n"));
	ck_assert_ptr_nonnull(strstr(out, "Not quite; the answer is 2) y\n"));
	ck_assert_ptr_nonnull(strstr(out, "Right: 2) Big Y\n"));
	ck_assert_ptr_nonnull(strstr(out, "No answer; it is 1\n  because\n"));
	ck_assert_ptr_nonnull(strstr(out, "2 of 4 questions answered right."));
	free(out);
	free(err);
	/* Not interactive: the answer is printed, nothing is read. */
	s->interactive = false;
	fake_next = 0;
	out = test_run(s, line, &failed, &err);
	ck_assert_int_eq(fake_next, 0);
	ck_assert_ptr_nonnull(strstr(out, "Question: Pick\n  1) x\n  2) y\nAnswer: 2) y\n"));
	free(out);
	free(err);
	free(line);
	unlink(path);
	session_free(s);
}
END_TEST

START_TEST(test_commands_without_engine)
{
	struct session *s = session_new();
	char *out, *err;
	int failed;

	out = test_run(s, "load x.json; step; run", &failed, &err);
	ck_assert_int_eq(failed, 3);
	ck_assert_str_eq(err,
	    "vmscope: load: scenarios are not available in this front end\n"
	    "vmscope: step: scenarios are not available in this front end\n"
	    "vmscope: run: scenarios are not available in this front end\n");
	free(out);
	free(err);
	session_free(s);
}
END_TEST

START_TEST(test_mutations)
{
	/*
	 * Seeded byte mutations of a valid scenario: each must load, or be
	 * refused with exactly one line carrying a position.
	 */
	static const char base[] =
	    "{\"title\": \"t\", \"machine\": {\"ram\": \"64M\"}, \"steps\": [\n"
	    " {\"say\": [\"a\", \"b\"], \"do\": \"alloc_pages 3\", \"expect\": {\n"
	    "  \"events\": [\"buddy_split\"], \"free_pages\": {\"zone\": \"DMA\", \"count\": 1},\n"
	    "  \"minor_faults\": {\"min\": 0, \"max\": 3}}},\n"
	    " {\"ask\": {\"question\": \"q\", \"choices\": [\"1\", \"2\"], \"answer\": 2}}]}";
	static const char bytes[] = "{}[]\",:\\ 0a-.e\n\x01\xc3";
	uint64_t seed = 6;
	char buf[sizeof(base)];
	int loaded = 0;

	for (int i = 0; i < 3000; i++) {
		struct sbuf err = SBUF_INIT;
		struct scenario *sc;
		unsigned line, col;
		int n = 1 + (int)test_rand_below(&seed, 3);
		size_t len = sizeof(base) - 1;

		memcpy(buf, base, sizeof(base));
		while (n-- > 0) {
			size_t at = test_rand_below(&seed, len);

			if (test_rand_below(&seed, 4) == 0)
				len = at;	/* truncate */
			else
				buf[at] = bytes[test_rand_below(&seed, sizeof(bytes) - 1)];
		}
		sc = scenario_parse("m.json", buf, len, &err);
		if (sc != NULL) {
			loaded++;
			ck_assert_uint_eq(err.len, 0);
		} else {
			ck_assert_msg(sscanf(sbuf_str(&err), "m.json:%u:%u:", &line, &col) == 2,
			    "no position: %s", sbuf_str(&err));
			ck_assert_msg(strchr(err.s, '\n') == err.s + err.len - 1,
			    "not one line: %s", err.s);
		}
		scenario_free(sc);
		sbuf_free(&err);
	}
	/* Some mutations are harmless (inside strings): both paths ran. */
	ck_assert_int_gt(loaded, 0);
	ck_assert_int_lt(loaded, 3000);
}
END_TEST

START_TEST(test_process_probes)
{
	struct session *s = session_new();
	struct task_struct *t;
	struct scenario_run run;
	char *text, *tr;
	int nvmas;

	RUN_OK(s, "machine --ram 64M; spawn app");
	t = find_task_by_pid(s->m, 1);
	ck_assert_ptr_nonnull(t);
	nvmas = t->mm->map_count;
	/* A mapping away from the others is one more VMA; no frame yet. */
	text = xasprintf("{\"title\": \"T\", \"machine\": {\"ram\": \"64M\"}, \"steps\": [\n"
	    " {\"do\": \"spawn app\", \"expect\": {\"vmas\": {\"pid\": 1, \"count\": %d}}},\n"
	    " {\"do\": \"mmap 1 0x100000000000 4p rw\", \"expect\": {\n"
	    "   \"vmas\": {\"pid\": 1, \"count\": %d}, \"rss\": {\"pid\": 1, \"count\": 0},\n"
	    "   \"minor_faults\": {\"pid\": 1, \"count\": 0}, \"major_faults\": 0}},\n"
	    " {\"do\": \"free\", \"expect\": {\"rss\": {\"pid\": 9, \"count\": 0}}}]}",
	    nvmas, nvmas + 1);
	run = play(s, text, &tr);
	ck_assert_uint_eq(run.held, 5);
	ck_assert_uint_eq(run.failed, 1);
	ck_assert_ptr_nonnull(strstr(tr, "  FAILED: rss of pid 9 == 0 (no process 9)\n"));
	free(tr);
	free(text);
	session_free(s);
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_linecol);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_duplicate_first_in_file);
	tcase_add_test(tc, test_parse_ok);
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_play_checks);
	tcase_add_test(tc, test_machine_replaced_in_step);
	tcase_add_test(tc, test_process_probes);
	tcase_add_test(tc, test_broken_file_keeps_machine);
	tcase_add_test(tc, test_quiz_interactive);
	tcase_add_test(tc, test_commands_without_engine);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(scenario_suite());
}
