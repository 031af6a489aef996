// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the hist_raw reader (user/histraw.c). */
#include <check.h>
#include <string.h>

#include "histraw.h"

START_TEST(test_parse)
{
	const char *t = "# version: 1\n# lin_width: 8\n# cpu\tkind\tlo\thi\tcount\n"
			"0\tlog2\t128\t255\t1000\n1\tlog2\t256\t511\t5\n"
			"0\tlin\t200\t207\t990\n0\tlin\t2040\t18446744073709551615\t10\n"
			"all\tlog2\t128\t255\t1000\nall\tlog2\t256\t511\t5\n";
	struct histraw h;
	char err[128];

	ck_assert_msg(histraw_parse(t, &h, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(h.n, 6);
	ck_assert_uint_eq(h.lin_width, 8);
	ck_assert_uint_eq(histraw_total(&h, 0, HR_LOG2), 1000);
	ck_assert_uint_eq(histraw_total(&h, 0, HR_LIN), 1000);
	ck_assert_uint_eq(histraw_total(&h, HISTRAW_ALL, HR_LOG2), 1005);
	ck_assert_int_eq(h.rows[4].cpu, HISTRAW_ALL);
	histraw_free(&h);
}
END_TEST

START_TEST(test_parse_v2)
{
	const char *t = "# version: 2\n# t_exit - t_entry in TSC cycles\n# cpu\tkind\tlo\thi\tcount\n"
			"0\tlog2\t128\t255\t1000\n0\tlog2\t512\t1023\t3\n"
			"0\tloglin\t200\t200\t990\n0\tloglin\t201\t201\t10\n"
			"0\tloglin\t512\t543\t3\n";
	struct histraw h;
	char err[128];

	ck_assert_msg(histraw_parse(t, &h, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(h.version, 2);
	ck_assert_uint_eq(h.n, 5);
	ck_assert_uint_eq(histraw_total(&h, 0, HR_LOG2), 1003);
	ck_assert_uint_eq(histraw_total(&h, 0, HR_LOGLIN), 1003);
	ck_assert_uint_eq(histraw_total(&h, 0, HR_LIN), 0);
	ck_assert_int_eq(h.rows[4].kind, HR_LOGLIN);
	ck_assert_uint_eq(h.rows[4].hi, 543);
	histraw_free(&h);
}
END_TEST

START_TEST(test_rejects)
{
	static const char *const bad[] = {
		"0\tlog2\t1\t1\t1\n",				/* no version */
		"# version: 3\n0\tlog2\t1\t1\t1\n",		/* unknown version */
		"# version: 2\n0\tlin\t1\t1\t1\n",		/* lin is version 1 only */
		"# version: 1\n0\tloglin\t1\t1\t1\n",	/* loglin is version 2 only */
		"0\tlog2\t1\t1\t1\n# version: 2\n",		/* a row before the version */
		"# version: 1\n0\tlog3\t1\t1\t1\n",
		"# version: 1\n0\tlog2\t1\t1\n",
		"# version: 1\n0\tlog2\t2\t1\t1\n",		/* hi < lo */
		"# version: 1\n0\tlog2\t1\t1\t-1\n",
		"# version: 1\nx\tlog2\t1\t1\t1\n",
		"# version: 1\n0\tlog2\t1\t1\t1x\n",
		"# version: 1\n# lin_width: 0\n",
	};
	struct histraw h;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(histraw_parse(bad[i], &h, err, sizeof(err)) == -1, "accepted %zu", i);
		ck_assert(strstr(err, "hist_raw") != NULL);
	}
}
END_TEST

Suite *histraw_suite(void)
{
	Suite *s = suite_create("histraw");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_v2);
	tcase_add_test(tc, test_rejects);
	suite_add_tcase(s, tc);
	return s;
}
