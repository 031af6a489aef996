// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the guest console parser (user/console.c). */
#include <check.h>
#include <string.h>

#include "console.h"

static int run(const char *text, struct console_block **b, size_t *n, char *err)
{
	return console_parse(text, strlen(text), b, n, err, 200);
}

START_TEST(test_two_blocks_with_noise)
{
	const char *log =
		"[    0.000000] Linux version 6.12\n"
		"garbage { not json\n"
		"\x1b[0m\x1b[?25hSYSLAT-JSON-BEGIN boot=1 config=default\r\n"
		"{\"a\": 1,\n"
		" \"b\": [2, 3]}\r\n"
		"SYSLAT-JSON-END\n"
		"SYSLAT-JSON-BEGIN boot=2\n"
		"{\"a\": 2}\n"
		"SYSLAT-JSON-END";
	struct console_block *b;
	char err[200];
	size_t n;

	ck_assert_msg(run(log, &b, &n, err) == 0, "%s", err);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(b[0].label, "boot=1 config=default");
	ck_assert_uint_eq(b[0].line, 3);
	ck_assert(jv_num(jv_get(b[1].json, "a")) == 2.0);
	console_free(b, n);
}
END_TEST

START_TEST(test_errors)
{
	static const struct { const char *log, *msg; } cases[] = {
		{ "SYSLAT-JSON-BEGIN x\n{\"a\": 1}\n", "truncated" },
		{ "SYSLAT-JSON-BEGIN x\n{\"a\": \n", "truncated" },
		{ "SYSLAT-JSON-BEGIN x\n{\"a\": 1\nSYSLAT-JSON-BEGIN y\n{}\nSYSLAT-JSON-END\n", "interleaved" },
		{ "SYSLAT-JSON-BEGIN x\n{\"a\":\n[   12.3] random: crng init\n1}\nSYSLAT-JSON-END\n", "JSON error" },
		{ "SYSLAT-JSON-BEGIN x\nSYSLAT-JSON-END\n", "JSON error" },
		{ "SYSLAT-JSON-END\n", "without a begin" },
	};
	struct console_block *b = NULL;
	char err[200];
	size_t i, n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(run(cases[i].log, &b, &n, err) == -1, "case %zu accepted", i);
		ck_assert_msg(strstr(err, cases[i].msg) != NULL, "case %zu: '%s'", i, err);
	}
}
END_TEST

START_TEST(test_no_blocks)
{
	struct console_block *b;
	char err[200];
	size_t n = 7;

	ck_assert_int_eq(run("just a kernel log\nKernel panic\n", &b, &n, err), 0);
	ck_assert_uint_eq(n, 0);
	console_free(b, n);
}
END_TEST

Suite *console_suite(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_two_blocks_with_noise);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_no_blocks);
	suite_add_tcase(s, tc);
	return s;
}
