// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: escaping, nesting, null for NaN/Inf; parsed back with
 * the strict reader (jparse.c) and, when installed, with jq. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jparse.h"
#include "env.h"
#include "json.h"

static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_escape(f, s);
	fclose(f);
	return buf;
}

START_TEST(test_escape)
{
	char *e = escaped("a\"b\\c/\n\t\r\b\f\x01\x1f\x7f\xc3\xa9");

	ck_assert_str_eq(e, "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\xc3\xa9\"");
	free(e);
	e = escaped("");
	ck_assert_str_eq(e, "\"\"");
	free(e);
}
END_TEST

/* A document with every kind of value; returns the text (caller frees). */
static char *sample_doc(int pretty, const char *str)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_writer_t *w = jsonw_new(f);

	jsonw_pretty(w, pretty);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", 1);
	jsonw_string_field(w, "s", str);
	jsonw_float_field(w, "nan", NAN);
	jsonw_float_field(w, "inf", INFINITY);
	jsonw_float_field(w, "x", 81.5);
	jsonw_int_field(w, "neg", -42);
	jsonw_bool_field(w, "t", 1);
	jsonw_null_field(w, "nothing");
	jsonw_name(w, "arr");
	jsonw_start_array(w);
	jsonw_float(w, 1);
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_start_array(w);
	jsonw_end_array(w);
	jsonw_string(w, NULL);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
	fclose(f);
	return buf;
}

static void check_doc(const char *text, const char *str)
{
	char err[160];
	struct jv *v = jv_parse(text, strlen(text), err, sizeof(err));
	const struct jv *arr;

	ck_assert_msg(v != NULL, "%s in: %s", err, text);
	ck_assert(jv_num(jv_get(v, "schema_version")) == 1);
	ck_assert_str_eq(jv_str(jv_get(v, "s")), str);
	ck_assert_int_eq(jv_get(v, "nan")->type, JV_NULL);
	ck_assert_int_eq(jv_get(v, "inf")->type, JV_NULL);
	ck_assert(jv_num(jv_get(v, "x")) == 81.5);
	ck_assert(jv_num(jv_get(v, "neg")) == -42);
	ck_assert_int_eq(jv_get(v, "t")->type, JV_BOOL);
	arr = jv_get(v, "arr");
	ck_assert_int_eq(arr->type, JV_ARR);
	ck_assert_int_eq(arr->n, 4);
	ck_assert_int_eq(arr->items[1].type, JV_OBJ);
	ck_assert_int_eq(arr->items[3].type, JV_NULL);
	jv_free(v);
}

START_TEST(test_roundtrip)
{
	char str[64];
	char *doc;
	int i;

	/* every control character, plus the two escapes that bit bpftool */
	for (i = 1; i < 32; i++)
		str[i - 1] = (char)i;
	strcpy(str + 31, "\\\"end");
	doc = sample_doc(0, str);
	check_doc(doc, str);
	free(doc);
	doc = sample_doc(1, str);
	check_doc(doc, str);
	free(doc);
}
END_TEST

START_TEST(test_destroy_closes)
{
	char *buf = NULL, err[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_writer_t *w = jsonw_new(f);
	struct jv *v;

	jsonw_start_object(w);
	jsonw_name(w, "a");
	jsonw_start_array(w);
	jsonw_uint(w, 1);
	jsonw_destroy(&w);	/* a caller bailing out mid-document */
	fclose(f);
	v = jv_parse(buf, strlen(buf), err, sizeof(err));
	ck_assert_msg(v != NULL, "%s: %s", err, buf);
	jv_free(v);
	free(buf);
}
END_TEST

START_TEST(test_jq)
{
	char path[] = "/tmp/check_json.XXXXXX", cmd[256];
	char *doc = sample_doc(1, "q\"\\\x01");
	int fd;

	if (system("command -v jq >/dev/null 2>&1") != 0) {
		free(doc);
		return;	/* jq not installed: the strict parser above suffices */
	}
	fd = mkstemp(path);
	ck_assert(fd >= 0);
	ck_assert(write(fd, doc, strlen(doc)) == (ssize_t)strlen(doc));
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "jq -e '.s == \"q\\\"\\\\\\u0001\" and .nan == null' %s >/dev/null", path);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	free(doc);
}
END_TEST

START_TEST(test_env_groups)
{
	char *buf = NULL, err[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_writer_t *w = jsonw_new(f);
	struct env e;
	struct jv *v;

	env_init(&e);
	env_set(&e, "kernel_release", "6.1.0");
	env_set(&e, "vulnerabilities/meltdown", "Not affected");
	env_set(&e, "vulnerabilities/spectre_v2", "Mitigation: \"Retpolines\"\n");
	env_set(&e, "hypervisor", "%d", 1);
	env_set(&e, "kernel_release", "6.12.0");	/* replaces, keeps its place */
	env_json(w, &e);
	jsonw_destroy(&w);
	fclose(f);
	v = jv_parse(buf, strlen(buf), err, sizeof(err));
	ck_assert_msg(v != NULL, "%s: %s", err, buf);
	ck_assert_str_eq(jv_str(jv_get(v, "kernel_release")), "6.12.0");
	ck_assert_str_eq(jv_str(jv_path(v, "vulnerabilities.meltdown")), "Not affected");
	/* trailing whitespace trimmed, quotes kept */
	ck_assert_str_eq(jv_str(jv_path(v, "vulnerabilities.spectre_v2")),
			 "Mitigation: \"Retpolines\"");
	/* typed: a 0/1 flag is a boolean */
	ck_assert_int_eq(jv_get(v, "hypervisor")->type, JV_BOOL);
	ck_assert(jv_get(v, "hypervisor")->num == 1);
	ck_assert_int_eq(v->n, 3);
	jv_free(v);
	env_destroy(&e);
	free(buf);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_destroy_closes);
	tcase_add_test(tc, test_jq);
	tcase_add_test(tc, test_env_groups);
	suite_add_tcase(s, tc);
	return s;
}
