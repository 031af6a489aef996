// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the strict JSON reader (user/jparse.c). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "jparse.h"

static struct jv *parse(const char *s, char *err)
{
	return jv_parse(s, strlen(s), err, 160);
}

START_TEST(test_values)
{
	char err[160];
	struct jv *v = parse(" {\"a\": [1, -2.5e1, true, null], \"s\": \"x\\\"\\\\\\n\\u00e9\\ud83d\\ude00\","
			     " \"o\": {\"k\": 0}} ", err);

	ck_assert_msg(v != NULL, "%s", err);
	ck_assert_int_eq(jv_get(v, "a")->n, 4);
	ck_assert(jv_num(&jv_get(v, "a")->items[1]) == -25.0);
	ck_assert_int_eq(jv_get(v, "a")->items[2].type, JV_BOOL);
	ck_assert(isnan(jv_num(&jv_get(v, "a")->items[3])));
	ck_assert_str_eq(jv_str(jv_get(v, "s")), "x\"\\\n\xc3\xa9\xf0\x9f\x98\x80");
	ck_assert(jv_num(jv_path(v, "o.k")) == 0.0);
	ck_assert_ptr_null(jv_path(v, "o.missing"));
	ck_assert_ptr_null(jv_get(v, "zz"));
	jv_free(v);
}
END_TEST

START_TEST(test_rejects)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"abc",
		"\"a\nb\"", "\"\\x\"", "\"\\ud800\"", "[1] 2", "{1:2}", "nan", "+1", "[\"\\u12G4\"]",
	};
	char err[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jv *v = parse(bad[i], err);

		ck_assert_msg(v == NULL, "accepted: %s", bad[i]);
		ck_assert_msg(strstr(err, "JSON error at byte") != NULL, "no message for %s", bad[i]);
	}
}
END_TEST

START_TEST(test_depth_limit)
{
	char s[200], err[160];
	struct jv *v;

	memset(s, '[', 100);
	memset(s + 100, ']', 100);
	v = jv_parse(s, 200, err, sizeof(err));
	ck_assert_ptr_null(v);
	ck_assert(strstr(err, "nesting") != NULL);
}
END_TEST

Suite *jparse_suite(void)
{
	Suite *s = suite_create("jparse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_rejects);
	tcase_add_test(tc, test_depth_limit);
	suite_add_tcase(s, tc);
	return s;
}
