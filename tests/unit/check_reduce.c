// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for syslat reduce (user/cmd/cmd-reduce.c): blocks whose label
 * names a prog get a platform of their own and, with --side-by-side, a row
 * of the side-by-side table, "-" where a system lacks the operation.
 */
#include <check.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

#define BLOCK(label, json) "SYSLAT-JSON-BEGIN " label "\n" json "\nSYSLAT-JSON-END\n"
#define RES(name, a, b) "{\"name\": \"" name "\", \"title\": \"" name "\", \"round_means\": [" a ", " b "]}"
#define DOC(unit, results) "{\"tsc\": {\"unit\": \"" unit "\", \"khz\": null}, \"results\": [" results "]}"

/* Runs syslat reduce on one log holding @text (and the file @extra when
 * not NULL); its stdout in @out. */
static int reduce_with(const char *text, const char *extra, int side, char *out, size_t len)
{
	char log[] = "/tmp/check-reduce-XXXXXX", *argv[5];
	int fd = mkstemp(log), argc = 0, rc, saved;
	FILE *cap = tmpfile();
	size_t n;

	ck_assert(fd >= 0 && cap);
	ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	argv[argc++] = "reduce";
	if (side)
		argv[argc++] = "--side-by-side";
	argv[argc++] = log;
	if (extra)
		argv[argc++] = (char *)extra;
	argv[argc] = NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(cap), STDOUT_FILENO);
	optind = 0;
	rc = cmd_reduce(argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(cap);
	n = fread(out, 1, len - 1, cap);
	out[n] = '\0';
	fclose(cap);
	unlink(log);
	return rc;
}

static int reduce(const char *text, int side, char *out, size_t len)
{
	return reduce_with(text, NULL, side, out, len);
}

static const char two_systems[] =
	BLOCK("kernel=6.12 config=default boot=1", DOC("instructions (icount)", RES("noop", "277", "277")))
	BLOCK("kernel=6.12 config=default boot=1 prog=syslat-mini",
	      DOC("instructions (icount)", RES("noop", "219", "219") ", " RES("enosys", "216", "216")))
	BLOCK("kernel=unikraft-0.5.0 config=elfloader boot=1 prog=syslat-mini",
	      DOC("instructions (icount)", RES("noop", "85", "85")));

START_TEST(test_prog_joins_platform)
{
	char out[8192];

	ck_assert_int_eq(reduce(two_systems, 0, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "\n6.12 default                                 | noop"), "%s", out);
	ck_assert_msg(strstr(out, "\n6.12 default syslat-mini                     | noop"), "%s", out);
	ck_assert_msg(strstr(out, "\nunikraft-0.5.0 elfloader syslat-mini"), "%s", out);
	ck_assert_msg(!strstr(out, "side by side"), "no side-by-side table without the option: %s", out);
}
END_TEST

START_TEST(test_side_by_side)
{
	char out[8192], *t, *e;

	ck_assert_int_eq(reduce(two_systems, 1, out, sizeof(out)), 0);
	t = strstr(out, "side by side");
	ck_assert_msg(t != NULL, "%s", out);
	ck_assert_msg(strstr(t, "Platform                                     |       noop |     enosys | unit\n"),
		      "%s", t);
	ck_assert_msg(strstr(t, "6.12 default syslat-mini                     |     219.00 |     216.00 | "
			     "instructions (icount)\n"), "%s", t);
	ck_assert_msg(strstr(t, "unikraft-0.5.0 elfloader syslat-mini         |      85.00 |          - | "
			     "instructions (icount)\n"), "%s", t);
	e = strstr(t, "Every system side by side");
	if (e)	/* the systems table below has a row per system: not this one's */
		*e = '\0';
	ck_assert_msg(!strstr(t, "6.12 default      "), "the harness's block is not a row: %s", t);
}
END_TEST

START_TEST(test_side_by_side_none)
{
	char out[8192];

	ck_assert_int_eq(reduce(BLOCK("kernel=6.1 config=default boot=1",
				      DOC("cycles", RES("noop", "200", "201"))), 1, out, sizeof(out)), 0);
	ck_assert_msg(!strstr(out, "side by side"), "no prog, no second table: %s", out);
}
END_TEST

/* Linux (harness + syslat-mini), Unikraft and a recorded seL4 run: one row
 * per system, each column from the cells its system has, seL4's round
 * trip the marked sum of Call and ReplyRecv (190 + 217). */
static const char three_systems[] =
	BLOCK("kernel=6.12 config=default boot=1", DOC("instructions (icount)",
	      RES("futex-switch", "4329", "4329") ", " RES("pipe", "11821", "11821") ", "
	      RES("enosys", "216", "216")))
	BLOCK("kernel=6.12 config=default boot=1 prog=syslat-mini",
	      DOC("instructions (icount)", RES("fcall", "8", "8") ", " RES("noop", "219", "219")))
	BLOCK("kernel=unikraft-0.5.0 config=elfloader boot=1 prog=syslat-mini",
	      DOC("instructions (icount)", RES("fcall", "8", "8") ", " RES("noop", "85", "85") ", "
	      RES("enosys", "84", "84")));

START_TEST(test_systems_table)
{
	static char out[32768];
	char *t, *u;

	ck_assert_int_eq(reduce_with(three_systems, "../golden/sel4bench-tcg-icount.log", 1, out,
				     sizeof(out)), 0);
	t = strstr(out, "Every system side by side");
	ck_assert_msg(t != NULL, "%s", out);
	u = strstr(t, "\n6.12 default ");
	ck_assert_msg(u && !strncmp(u + 50, "|           8.00 |         219.00 |         216.00 |"
			"        4329.00 |       11821.00 | instructions (icount)\n", 102), "%s", t);
	u = strstr(t, "\nunikraft-0.5.0 elfloader ");
	ck_assert_msg(u && strstr(u, "|          85.00 |          84.00 |              - |              - |"),
		      "%s", t);
	u = strstr(t, "\nseL4 13.0.0 (sel4bench manifest f62d375) release |              - |         103.00 |"
		   "              - |         190.00 |        407.00* |");
	ck_assert_msg(u != NULL, "%s", t);
	ck_assert_msg(!strstr(t, "syslat-mini  "), "one row per system, not per program: %s", t);
}
END_TEST

/* A figure in another unit than its row's (logs of a KVM run pooled with a
 * TCG run's) is never printed under the row's unit. */
START_TEST(test_systems_other_unit)
{
	static const char mixed[] =
		BLOCK("kernel=6.12 config=default boot=1", DOC("instructions (icount)",
		      RES("futex-switch", "4329", "4329")))
		BLOCK("kernel=6.12 config=default boot=2", DOC("cycles", RES("pipe", "9000", "9000")))
		BLOCK("kernel=6.12 config=default boot=1 prog=syslat-mini",
		      DOC("instructions (icount)", RES("noop", "219", "219")))
		BLOCK("kernel=6.12 config=default boot=2 prog=syslat-mini", DOC("cycles", RES("fcall", "3", "3")))
		BLOCK("kernel=unikraft-0.5.0 config=elfloader boot=1 prog=syslat-mini",
		      DOC("instructions (icount)", RES("noop", "85", "85")));
	static char out[32768];
	char *t, *u;

	ck_assert_int_eq(reduce(mixed, 1, out, sizeof(out)), 0);
	t = strstr(out, "Every system side by side");
	ck_assert_msg(t != NULL, "%s", out);
	u = strstr(t, "\n6.12 default ");
	/* the row's unit is its first column's (fcall, cycles here) */
	ck_assert_msg(u && !strncmp(u + 50, "|           3.00 |     other unit |              - |"
			"     other unit |        9000.00 | cycles\n", 87), "%s", t);
	ck_assert_msg(strstr(t, "# other unit: 6.12 default's null syscall"), "%s", t);
	ck_assert_msg(strstr(t, "# other unit: 6.12 default's IPC one-way"), "%s", t);
	ck_assert_msg(!strstr(t, "219") && !strstr(t, "4329"), "an icount figure under a cycles row: %s", t);
	u = strstr(out, "side by side: median per operation");
	ck_assert_msg(u && strstr(u, "1 figure(s) in another unit"), "%s", out);
}
END_TEST

Suite *reduce_suite(void)
{
	Suite *s = suite_create("reduce");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_prog_joins_platform);
	tcase_add_test(tc, test_side_by_side);
	tcase_add_test(tc, test_side_by_side_none);
	tcase_add_test(tc, test_systems_table);
	tcase_add_test(tc, test_systems_other_unit);
	suite_add_tcase(s, tc);
	return s;
}
