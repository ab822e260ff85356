/*
 * check_cmd.c - the command language: word splitting and quoting, command
 * lookup by name, alias and unique prefix, options, number and size
 * parsing, ';' and '#' in lines, and errors that change nothing.
 */
#include "testutil.h"

START_TEST(test_split_words)
{
	char **w;
	int n;
	struct sbuf err = SBUF_INIT;

	ck_assert_int_eq(cmd_split_words("  mmap 1  64K 'a b' \"c\"", &w, &n,
	    &err), 0);
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(w[0], "mmap");
	ck_assert_str_eq(w[2], "64K");
	ck_assert_str_eq(w[3], "a b");
	ck_assert_str_eq(w[4], "c");
	cmd_free_words(w, n);
	ck_assert_int_eq(cmd_split_words("say 'oops", &w, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "missing closing ' quote"));
	sbuf_free(&err);
}
END_TEST

START_TEST(test_find)
{
	struct sbuf err = SBUF_INIT;

	ck_assert_str_eq(cmd_find("buddyinfo", NULL)->name, "buddyinfo");
	ck_assert_str_eq(cmd_find("buddy", NULL)->name, "buddyinfo");
	ck_assert_str_eq(cmd_find("?", NULL)->name, "help");
	ck_assert_ptr_null(cmd_find("m", &err));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "ambiguous command"));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "machine"));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&err), "meminfo"));
	sbuf_reset(&err);
	ck_assert_ptr_null(cmd_find("frobnicate", &err));
	ck_assert_str_eq(sbuf_str(&err),
	    "vmscope: frobnicate: unknown command (try 'help')\n");
	sbuf_free(&err);
	/* Every entry is complete: help text comes from the table. */
	for (int i = 0; cmd_table[i] != NULL; i++) {
		const struct cmd_entry *e = cmd_table[i];

		ck_assert_msg(e->usage != NULL && strncmp(e->usage, e->name,
		    strlen(e->name)) == 0, "%s: usage", e->name);
		ck_assert_msg(e->summary != NULL, "%s: summary", e->name);
		ck_assert_msg(e->help != NULL, "%s: help", e->name);
		ck_assert_msg(e->exec != NULL, "%s: exec", e->name);
	}
}
END_TEST

START_TEST(test_numbers)
{
	uint64_t v;

	ck_assert_int_eq(parse_u64("0x1f", &v), 0);
	ck_assert_uint_eq(v, 31);
	ck_assert_int_eq(parse_u64("42", &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(parse_u64("", &v), -1);
	ck_assert_int_eq(parse_u64("0x", &v), -1);
	ck_assert_int_eq(parse_u64("-1", &v), -1);
	ck_assert_int_eq(parse_u64("12z", &v), -1);
	ck_assert_int_eq(parse_u64("99999999999999999999999", &v), -1);
	ck_assert_int_eq(parse_size("64K", 4096, &v), 0);
	ck_assert_uint_eq(v, 65536);
	ck_assert_int_eq(parse_size("2M", 4096, &v), 0);
	ck_assert_uint_eq(v, 2 << 20);
	ck_assert_int_eq(parse_size("3p", 4096, &v), 0);
	ck_assert_uint_eq(v, 3 * 4096);
	ck_assert_int_eq(parse_size("0x2000", 4096, &v), 0);
	ck_assert_uint_eq(v, 0x2000);
	ck_assert_int_eq(parse_size("100", 4096, &v), 0);
	ck_assert_uint_eq(v, 100);
	ck_assert_int_eq(parse_size("K", 4096, &v), -1);
	ck_assert_int_eq(parse_size("99999999999G", 4096, &v), -1);
	ck_assert_int_eq(parse_size("1.5M", 4096, &v), -1);
}
END_TEST

/* The hex scanner the maps and trace readers share (util.c). */
START_TEST(test_scan_hex)
{
	const char *s = "7fFf0000-x";
	uint64_t v = 0;
	size_t i = 0;

	ck_assert_int_eq(hex_digit('a'), 10);
	ck_assert_int_eq(hex_digit('F'), 15);
	ck_assert_int_eq(hex_digit('g'), -1);
	ck_assert_int_eq(scan_hex(s, strlen(s), &i, 16, &v), 8);
	ck_assert_uint_eq(v, 0x7fff0000);
	ck_assert_uint_eq(i, 8);
	i = 9;
	ck_assert_int_eq(scan_hex(s, strlen(s), &i, 16, &v), 0);
	ck_assert_uint_eq(i, 9);
	/* a length limit: the whole string, then one digit too many */
	i = 0;
	ck_assert_int_eq(scan_hex(s, 4, &i, 4, &v), 4);
	ck_assert_uint_eq(v, 0x7fff);
	i = 0;
	ck_assert_int_eq(scan_hex(s, strlen(s), &i, 7, &v), -1);
	ck_assert_uint_eq(i, 7);
	i = 0;
	ck_assert_int_eq(scan_hex("1234567890abcdef1", 17, &i, 16, &v), -1);
}
END_TEST

START_TEST(test_lines)
{
	struct session *s = session_new();
	char *out, *err;
	int failed;

	out = test_run(s, "buddyinfo ; # a comment; meminfo\nbuddyinfo", &failed,
	    &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(err, "");
	/* Two buddyinfo outputs, no meminfo (it was in the comment). */
	ck_assert_ptr_null(strstr(out, "MemTotal"));
	ck_assert_ptr_nonnull(strstr(strstr(out, "Node 0") + 1, "Node 0"));
	free(out);
	free(err);

	out = test_run(s, "frob; buddyinfo; help nosuch", &failed, &err);
	ck_assert_int_eq(failed, 2);
	ck_assert_ptr_nonnull(strstr(out, "Node 0"));
	ck_assert_ptr_nonnull(strstr(err, "vmscope: frob: unknown command"));
	free(out);
	free(err);
	session_free(s);
}
END_TEST

START_TEST(test_options_and_arity)
{
	struct session *s = session_new();
	char *out, *err;
	int failed;

	out = test_run(s, "alloc_pages --bogus 1 0", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "vmscope: alloc_pages: unknown option --bogus"));
	free(out);
	free(err);
	out = test_run(s, "alloc_pages", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "missing arguments"));
	free(out);
	free(err);
	out = test_run(s, "alloc_pages 0 --zone", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(err, "option --zone needs a value"));
	free(out);
	free(err);
	out = test_run(s, "help help", &failed, &err);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "help [COMMAND]"));
	free(out);
	free(err);
	out = test_run(s, "quit; buddyinfo", &failed, &err);
	ck_assert(s->quit);
	ck_assert_str_eq(out, "");
	free(out);
	free(err);
	session_free(s);
}
END_TEST

static Suite *cmd_suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_split_words);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_scan_hex);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_options_and_arity);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(cmd_suite());
}
