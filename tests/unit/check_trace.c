/*
 * check_trace.c - the readers of what users bring from real machines:
 * memory traces (trace.c: lackey, din, plain, auto-detection, one
 * FILE:LINE:COL message per mistake) and /proc/PID/maps files
 * (import-maps.c: parsing, building a process that prints the same lines
 * back, refusing what the machine cannot hold with nothing changed).
 */
#include <errno.h>
#include <stdio.h>

#include "testutil.h"
#include "vmscope/import-maps.h"
#include "vmscope/report-pid.h"
#include "vmscope/task.h"
#include "vmscope/trace.h"

/* Parse text; on success return the trace, else fail with the message. */
static void parse_ok(const char *text, enum trace_format fmt,
    struct trace *tr)
{
	struct sbuf err = SBUF_INIT;
	int rc = trace_parse("t", text, strlen(text), fmt, tr, &err);

	ck_assert_msg(rc == 0, "'%s' refused: %s", text, sbuf_str(&err));
	sbuf_free(&err);
}

static void parse_err(const char *text, enum trace_format fmt,
    const char *want)
{
	struct sbuf err = SBUF_INIT;
	struct trace tr;
	int rc = trace_parse("t", text, strlen(text), fmt, &tr, &err);

	ck_assert_msg(rc == -1, "'%s' accepted", text);
	ck_assert_ptr_null(tr.refs);
	ck_assert_uint_eq(tr.nrefs, 0);
	ck_assert_str_eq(sbuf_str(&err), want);
	sbuf_free(&err);
}

START_TEST(test_lackey)
{
	struct trace tr;
	const char *text =
	    "==1234== Lackey, an example Valgrind tool\n"
	    "==1234== Command: ./a.out\n"
	    "I  0401ab70,3\n"
	    " L 1fff000708,8\n"
	    " S 04222cac,4\n"
	    " M 0421d7f4,4\n"
	    "==1234== \n";

	parse_ok(text, TRACE_AUTO, &tr);
	ck_assert_int_eq(tr.format, TRACE_LACKEY);
	ck_assert_uint_eq(tr.nrefs, 5);		/* M is a load and a store */
	ck_assert_uint_eq(tr.skipped, 3);
	ck_assert(!tr.pages);
	ck_assert_uint_eq(tr.refs[0].addr, 0x0401ab70);
	ck_assert_uint_eq(tr.refs[0].size, 3);
	ck_assert_int_eq(tr.refs[0].kind, TRACE_IFETCH);
	ck_assert_uint_eq(tr.refs[1].addr, 0x1fff000708ULL);
	ck_assert_int_eq(tr.refs[1].kind, TRACE_READ);
	ck_assert_int_eq(tr.refs[2].kind, TRACE_WRITE);
	ck_assert_int_eq(tr.refs[3].kind, TRACE_READ);
	ck_assert_int_eq(tr.refs[4].kind, TRACE_WRITE);
	ck_assert_uint_eq(tr.refs[4].addr, 0x0421d7f4);
	ck_assert_uint_eq(tr.refs[4].line, 6);
	trace_free(&tr);

	/* CRLF and a comment are fine */
	parse_ok("I  10,1\r\n# x\r\n L 20,2\r\n", TRACE_LACKEY, &tr);
	ck_assert_uint_eq(tr.nrefs, 2);
	trace_free(&tr);

	parse_err("I  0401ab70,3\n X 12,4\n", TRACE_AUTO,
	    "t:2:2: expected I, L, S or M (lackey: \"I  0401ab70,3\" or "
	    "\" L 1fff000708,8\") (read as lackey, guessed from line 1; "
	    "--format says otherwise)\n");
	parse_err(" L 12g4,4\n", TRACE_LACKEY,
	    "t:1:6: expected ',' and the size after the address\n");
	parse_err(" L 1234\n", TRACE_LACKEY,
	    "t:1:8: expected ',' and the size after the address\n");
	parse_err(" S 1234,x\n", TRACE_LACKEY, "t:1:9: expected the size in bytes\n");
	parse_err(" S 1234,4 9\n", TRACE_LACKEY,
	    "t:1:11: unexpected '9' after the reference\n");
	parse_err(" L 12345678123456789,4\n", TRACE_LACKEY,
	    "t:1:4: the address is longer than 64 bits\n");
	parse_err(" L 1,99999999999\n", TRACE_LACKEY,
	    "t:1:6: the size in bytes is too large (at most 4294967295)\n");
	parse_err("L1,4\n", TRACE_LACKEY, "t:1:2: expected a blank after 'L'\n");
}
END_TEST

START_TEST(test_din)
{
	struct trace tr;

	parse_ok("0 1fff000708\n1 7ffc\n2 400a10\n3 10\n4 0\n", TRACE_AUTO, &tr);
	ck_assert_int_eq(tr.format, TRACE_DIN);
	ck_assert_uint_eq(tr.nrefs, 4);		/* the flush is skipped */
	ck_assert_uint_eq(tr.skipped, 1);
	ck_assert_int_eq(tr.refs[0].kind, TRACE_READ);
	ck_assert_uint_eq(tr.refs[0].addr, 0x1fff000708ULL);
	ck_assert_int_eq(tr.refs[1].kind, TRACE_WRITE);
	ck_assert_int_eq(tr.refs[2].kind, TRACE_IFETCH);
	ck_assert_int_eq(tr.refs[3].kind, TRACE_READ);
	trace_free(&tr);

	parse_ok("1 0x20 rest ignored\n", TRACE_DIN, &tr);
	ck_assert_uint_eq(tr.refs[0].addr, 0x20);
	trace_free(&tr);

	parse_err("5 1000\n", TRACE_DIN, "t:1:1: the label must be 0 (read), "
	    "1 (write), 2 (instruction fetch), 3 (other) or 4 (flush)\n");
	parse_err("0 1000\n2 xyz\n", TRACE_AUTO, "t:2:3: expected the address "
	    "in hex (read as din, guessed from line 1; --format says "
	    "otherwise)\n");
	parse_err("r 1000\n", TRACE_DIN, "t:1:1: expected a label 0-4 (din: "
	    "\"LABEL HEXADDR\", 0 read, 1 write, 2 instruction fetch)\n");
	parse_err("0 10g0\n", TRACE_DIN, "t:1:5: 'g' is not a hex digit\n");
}
END_TEST

START_TEST(test_plain)
{
	struct trace tr;

	/* a textbook reference string: page numbers */
	parse_ok("7, 0, 1\n2 0 3 # the rest\n\n0\n", TRACE_AUTO, &tr);
	ck_assert_int_eq(tr.format, TRACE_PLAIN);
	ck_assert(tr.pages);
	ck_assert_uint_eq(tr.nrefs, 7);
	ck_assert_uint_eq(tr.refs[0].addr, 7);
	ck_assert_uint_eq(tr.refs[5].addr, 3);
	ck_assert_uint_eq(tr.refs[6].line, 4);
	trace_free(&tr);

	/* addresses, with access kinds */
	parse_ok("0x7ffff7fef123 w\n0x1000\n4096 x\n", TRACE_AUTO, &tr);
	ck_assert(!tr.pages);
	ck_assert_uint_eq(tr.nrefs, 3);
	ck_assert_int_eq(tr.refs[0].kind, TRACE_WRITE);
	ck_assert_int_eq(tr.refs[1].kind, TRACE_READ);
	ck_assert_uint_eq(tr.refs[2].addr, 4096);
	ck_assert_int_eq(tr.refs[2].kind, TRACE_IFETCH);
	trace_free(&tr);

	/* "2 400" reads as din unless told */
	parse_ok("2 400\n", TRACE_PLAIN, &tr);
	ck_assert_uint_eq(tr.nrefs, 2);
	trace_free(&tr);

	parse_err("7 0 1\n0x12z\n", TRACE_AUTO, "t:2:5: 'z' is not a digit "
	    "(read as plain, guessed from line 1; --format says otherwise)\n");
	parse_err("w 12\n", TRACE_PLAIN, "t:1:1: 'w' must follow an address "
	    "or page number\n");
	parse_err("12 w w\n", TRACE_PLAIN, "t:1:6: 'w' must follow an address "
	    "or page number\n");
	parse_err("-3\n", TRACE_PLAIN, "t:1:1: expected an address (0x hex or "
	    "decimal) or a page number\n");
	parse_err("99999999999999999999\n", TRACE_PLAIN,
	    "t:1:1: a number is too large (at most 18446744073709551615)\n");
	parse_err("0x\n", TRACE_PLAIN, "t:1:3: expected an address in hex\n");
}
END_TEST

START_TEST(test_trace_empty_and_binary)
{
	parse_err("", TRACE_AUTO, "t:1:1: no memory references in the file\n");
	parse_err("# only\n\n", TRACE_AUTO,
	    "t:2:1: no memory references in the file\n");
	parse_err("==12== only valgrind\n", TRACE_AUTO,
	    "t:1:1: no memory references in the file\n");
	{
		struct sbuf err = SBUF_INIT;
		struct trace tr;

		ck_assert_int_eq(trace_parse("t", "1\n2\0003\n", 6, TRACE_AUTO,
		    &tr, &err), -1);
		ck_assert_str_eq(sbuf_str(&err), "t:2:2: a NUL byte: this is "
		    "not a text file (read as plain, guessed from line 1; "
		    "--format says otherwise)\n");
		sbuf_free(&err);
	}
	ck_assert_int_eq(trace_format_lookup("lackey"), TRACE_LACKEY);
	ck_assert_int_eq(trace_format_lookup("din"), TRACE_DIN);
	ck_assert_int_eq(trace_format_lookup("plain"), TRACE_PLAIN);
	ck_assert_int_eq(trace_format_lookup("auto"), TRACE_AUTO);
	ck_assert_int_eq(trace_format_lookup("csv"), -1);
}
END_TEST

/* ------------------------------------------------------------ maps */

/*
 * A bash of a 6.x x86_64 machine (ASLR on), shortened: the program, its
 * bss, the heap, an anonymous region, a library and a locale file, a
 * named anonymous mapping, the vDSO pages and the stack.
 */
static const char shell_maps[] =
    "55ae6432a000-55ae64359000 r--p 00000000 fe:00 247101                     /usr/bin/bash\n"
    "55ae64359000-55ae6441a000 r-xp 0002f000 fe:00 247101                     /usr/bin/bash\n"
    "55ae64456000-55ae6445f000 rw-p 0012c000 fe:00 247101                     /usr/bin/bash\n"
    "55ae6445f000-55ae6446a000 rw-p 00000000 00:00 0 \n"
    "55ae7ab64000-55ae7abc6000 rw-p 00000000 00:00 0                          [heap]\n"
    "7fef1b753000-7fef1b7d4000 rw-p 00000000 00:00 0 \n"
    "7fef1b7d4000-7fef1b82b000 r--p 00000000 fe:00 320475                     /usr/lib/locale/C.utf8/LC_CTYPE\n"
    "7fef1b835000-7fef1b85b000 r--p 00000000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7fef1b85b000-7fef1b9b1000 r-xp 00026000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7fef1ba00000-7fef1ba01000 rw-s 00000000 00:01 4242                       /dev/zero (deleted)\n"
    "7fef1ba01000-7fef1ba02000 rw-p 00000000 00:00 0                          [anon:glibc: loader malloc]\n"
    "7fef1ba4a000-7fef1ba4e000 r--p 00000000 00:00 0                          [vvar]\n"
    "7fef1ba4e000-7fef1ba50000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
    "7fef1ba50000-7fef1ba52000 r-xp 00000000 00:00 0                          [vdso]\n"
    "7ffd6d9e4000-7ffd6da05000 rw-p 00000000 00:00 0                          [stack]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

static int import_text(struct session *s, const char *text, int pid,
    struct sbuf *err)
{
	struct maps_file mf;
	struct maps_import_info info;
	struct task_struct *t = pid > 0 ? find_task_by_pid(s->m, pid) : NULL;
	int rc;

	if (maps_parse("f.maps", text, strlen(text), &mf, err) != 0)
		return -1;
	rc = maps_import(s->m, &mf, &t, &info, err);
	maps_file_free(&mf);
	return rc;
}

START_TEST(test_maps_roundtrip)
{
	struct session *s = session_new();
	struct sbuf err = SBUF_INIT, out = SBUF_INIT;
	struct task_struct *t;
	char why[512];
	char *o;

	ck_assert_int_eq(import_text(s, shell_maps, 0, &err), 0);
	ck_assert_str_eq(sbuf_str(&err), "");
	t = find_task_by_pid(s->m, 1);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->comm, "bash");
	ck_assert_int_eq(t->mm->map_count, 15);
	report_maps(t, &out);
	ck_assert_str_eq(sbuf_str(&out), shell_maps);
	ck_assert_int_eq(validate_machine(s->m, why, sizeof(why)), 0);
	/* the files carry the line's device and inode; the shmem is private */
	ck_assert_ptr_nonnull(vm_file_lookup(s->m, "/usr/bin/bash"));
	ck_assert_uint_eq(vm_file_lookup(s->m, "/usr/bin/bash")->ino, 247101);
	ck_assert_ptr_null(vm_file_lookup(s->m, "/dev/zero (deleted)"));
	ck_assert_uint_eq(t->mm->start_brk, 0x55ae7ab64000ULL);
	ck_assert_uint_eq(t->mm->brk, 0x55ae7abc6000ULL);

	/* the process lives on: fork, mmap, malloc, exit */
	o = test_run(s, "fork 1; mmap 1 64K; malloc 1 100; mprotect 1 "
	    "0x55ae7ab64000 4K r; exit 2; check", NULL, NULL);
	ck_assert_msg(strstr(o, "0x7fef1ba3a000\n") != NULL, "%s", o);
	ck_assert_msg(strstr(o, "all invariants hold") != NULL, "%s", o);
	free(o);

	/* again in place of pid 1 (as execve): same lines, same pid */
	sbuf_reset(&out);
	ck_assert_int_eq(import_text(s, shell_maps, 1, &err), 0);
	t = find_task_by_pid(s->m, 1);
	report_maps(t, &out);
	ck_assert_str_eq(sbuf_str(&out), shell_maps);
	ck_assert_int_eq(validate_machine(s->m, why, sizeof(why)), 0);
	sbuf_free(&out);
	sbuf_free(&err);
	session_free(s);
}
END_TEST

START_TEST(test_maps_i386)
{
	static const char maps32[] =
	    "08048000-08049000 r-xp 00000000 08:01 1234       /tmp/a.out\n"
	    "08049000-0804a000 rw-p 00000000 08:01 1234       /tmp/a.out\n"
	    "0804a000-0806b000 rw-p 00000000 00:00 0          [heap]\n"
	    "b7e00000-b7fb0000 r-xp 00000000 08:01 99         /lib/libc.so.6\n"
	    "b7fb0000-b7fb2000 rw-p 001b0000 08:01 99         /lib/libc.so.6\n"
	    "b7fb2000-b7fb5000 rw-p 00000000 00:00 0 \n"
	    "bffdf000-c0000000 rw-p 00000000 00:00 0          [stack]\n";
	struct session *s = session_new();
	struct sbuf err = SBUF_INIT, out = SBUF_INIT;

	RUN_OK(s, "machine --arch i386");
	ck_assert_int_eq(import_text(s, maps32, 0, &err), 0);
	report_maps(find_task_by_pid(s->m, 1), &out);
	ck_assert_str_eq(sbuf_str(&out), maps32);

	/* a 64-bit file does not fit */
	sbuf_reset(&err);
	ck_assert_int_eq(import_text(s, shell_maps, 0, &err), -1);
	ck_assert_str_eq(sbuf_str(&err), "f.maps:1:14: above the top of user "
	    "space of i386 (0xc0000000): pick the machine the file comes from "
	    "('machine --arch ...')\n");
	ck_assert_ptr_null(find_task_by_pid(s->m, 2));
	sbuf_free(&out);
	sbuf_free(&err);
	session_free(s);
}
END_TEST

static void maps_err(const char *text, const char *want)
{
	struct session *s = session_new();
	struct sbuf err = SBUF_INIT;
	unsigned long ino = s->m->last_ino;

	RUN_OK(s, "spawn bash");
	ck_assert_int_eq(import_text(s, text, 1, &err), -1);
	ck_assert_str_eq(sbuf_str(&err), want);
	/* nothing changed: the same process, no new file */
	ck_assert_int_eq(s->m->last_pid, 1);
	ck_assert_int_eq(find_task_by_pid(s->m, 1)->mm->map_count, 7);
	ck_assert_ptr_null(vm_file_lookup(s->m, "/x"));
	ck_assert_uint_eq(s->m->last_ino, ino + 1);	/* bash's own file */
	sbuf_free(&err);
	session_free(s);
}

START_TEST(test_maps_errors)
{
	maps_err("", "f.maps:1:1: no mappings in the file (expected lines of "
	    "/proc/PID/maps)\n");
	maps_err("1000 r--p 0 00:00 0\n", "f.maps:1:5: expected '-' between "
	    "the start and end addresses (maps: \"START-END PERMS OFFSET DEV "
	    "INODE NAME\")\n");
	maps_err("2000-1000 r--p 0 00:00 0\n", "f.maps:1:6: the end address "
	    "must be above the start address\n");
	maps_err("1000-2000 rwq 0 00:00 0\n", "f.maps:1:11: expected "
	    "permissions such as r-xp: r or -, w or -, x or -, then p (private) "
	    "or s (shared)\n");
	maps_err("10000-20000 r--p 0 0000 0\n", "f.maps:1:24: expected ':' in "
	    "the device (MAJOR:MINOR in hex, as 08:01)\n");
	maps_err("10000-20000 r--p 0 00:00 x\n", "f.maps:1:26: expected the "
	    "inode number (decimal)\n");
	maps_err("10000-20000 r--p 00000000 08:01 5 /x\n"
	    "18000-30000 r--p 00000000 08:01 5 /x\n",
	    "f.maps:2:1: overlaps or comes before line 1 (maps lists VMAs in "
	    "address order)\n");
	maps_err("10000-20800 r--p 00000000 08:01 5 /x\n",
	    "f.maps:1:7: not aligned to the page size of this machine (4096 "
	    "bytes)\n");
	maps_err("10000-20000 r--p 00001000 00:00 0\n",
	    "f.maps:1:18: an anonymous mapping shows offset 0 in maps\n");
	maps_err("10000-20000 r--p 00000000 08:01 5\n",
	    "f.maps:1:27: a file mapping (device or inode given) needs the "
	    "file's name\n");
	maps_err("10000-20000 r--p 00000000 08:01 5 /x\n"
	    "20000-30000 rw-p 00000000 00:00 0 [heap]\n"
	    "30000-40000 rw-p 00000000 00:00 0\n"
	    "40000-50000 rw-p 00000000 00:00 0 [heap]\n",
	    "f.maps:4:1: [heap] lines must follow one another (the heap is one "
	    "range, start_brk to brk)\n");
	maps_err("10000-20000 rw-p 00000000 00:00 0 [stack]\n"
	    "30000-40000 rw-p 00000000 00:00 0 [stack]\n",
	    "f.maps:2:35: a second [stack] (vmscope names one stack range of at "
	    "most two VMAs)\n");
	maps_err("10000-20000 r--p 0 123456789:00 0\n", "f.maps:1:20: the "
	    "device major number has more than 8 hex digits\n");
}
END_TEST

START_TEST(test_maps_command)
{
	struct session *s = session_new();
	int failed;
	char *err, *out;

	out = test_run(s, "import-maps /nonexistent/x.maps", &failed, &err);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(err, "vmscope: /nonexistent/x.maps: No such file or "
	    "directory\n");
	ck_assert(s->file_error);
	free(out);
	free(err);
	out = test_run(s, "import-maps 3 /nonexistent/x.maps", &failed, &err);
	ck_assert_str_eq(err, "vmscope: import-maps: no process with pid 3 "
	    "(there are none yet: 'spawn' makes one)\n");
	free(out);
	free(err);
	session_free(s);
}
END_TEST

static Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_lackey);
	tcase_add_test(tc, test_din);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_trace_empty_and_binary);
	tcase_add_test(tc, test_maps_roundtrip);
	tcase_add_test(tc, test_maps_i386);
	tcase_add_test(tc, test_maps_errors);
	tcase_add_test(tc, test_maps_command);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(trace_suite());
}
