// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of `syslat compare` and `syslat reduce` as a user runs them:
 * small result files and console logs in a temp dir, stdout captured.
 */
#include <check.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "util.h"

static char dir[] = "/tmp/syslat-cmp-XXXXXX";

static const char *put(const char *name, const char *text)
{
	static char path[8][256];
	static int k;
	char *p = path[k++ % 8];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* Run cmd with stdout redirected into a file; return its text (malloc'd). */
static char *run(int (*cmd)(int, char **), int argc, char **argv, int *rc)
{
	char out[256];
	int saved = dup(1);
	FILE *f;

	snprintf(out, sizeof(out), "%s/stdout", dir);
	fflush(stdout);
	f = freopen(out, "w", stdout);
	ck_assert_ptr_nonnull(f);
	optind = 0;	/* glibc: full getopt reset between calls */
	*rc = cmd(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	stdout = fdopen(1, "w");
	return read_text_file(out, 1 << 20);
}

#define RES(name, med, lo, hi) "{\"name\": \"" name "\", \"title\": \"" name "\", " \
	"\"stats\": [1, 2, " #med ", " #med ", 4, 5, 1, 100], \"ci95_median\": [" #lo ", " #hi "], " \
	"\"round_median_cv\": 0.01, \"round_means\": [" #med ", " #med "]}"

static const char *file_a = "{\"schema_version\": 1, \"tsc\": {\"unit\": \"cycles\", \"khz\": 1e6},"
	"\"results\": [" RES("noop", 200, 199, 201) ", " RES("pipe", 5000, 4900, 5100) "]}";
static const char *file_b = "{\"schema_version\": 1, \"tsc\": {\"unit\": \"cycles\", \"khz\": 1e6},"
	"\"results\": [" RES("noop", 250, 249, 251) ", " RES("pipe", 5050, 4950, 5150) ", "
	RES("futex", 3000, 2990, 3010) "]}";

START_TEST(test_compare)
{
	char *argv[] = { "compare", (char *)put("a.json", file_a), (char *)put("b.json", file_b), NULL };
	char *out;
	int rc;

	out = run(cmd_compare, 3, argv, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "noop") && strstr(out, "pipe") && strstr(out, "futex"), "%s", out);
	ck_assert_msg(strstr(out, "+25.0%*") != NULL, "noop: CIs apart -> significant\n%s", out);
	ck_assert_msg(strstr(out, "+1.0% ") != NULL, "pipe: CIs overlap -> not marked\n%s", out);
	free(out);
}
END_TEST

START_TEST(test_compare_rejects)
{
	char *bad[] = { "compare", (char *)put("a.json", file_a), (char *)put("x.json", "{\"results\": [}"), NULL };
	char *wrong[] = { "compare", (char *)put("a.json", file_a), (char *)put("y.json", "{\"a\": 1}"), NULL };
	char *one[] = { "compare", (char *)put("a.json", file_a), NULL };
	int rc;

	free(run(cmd_compare, 3, bad, &rc));
	ck_assert_int_ne(rc, 0);
	free(run(cmd_compare, 3, wrong, &rc));
	ck_assert_int_ne(rc, 0);
	free(run(cmd_compare, 2, one, &rc));
	ck_assert_int_ne(rc, 0);
}
END_TEST

START_TEST(test_reduce)
{
	char log1[2048], log2[2048];
	char *argv[] = { "reduce", NULL, NULL, NULL }, *out;
	int rc;

	snprintf(log1, sizeof(log1), "boot noise\nSYSLAT-JSON-BEGIN kernel=6.1 config=default boot=1\n%s\n"
		 "SYSLAT-JSON-END\nreboot: Power down\n", file_a);
	snprintf(log2, sizeof(log2), "SYSLAT-JSON-BEGIN kernel=6.1 config=default boot=2\n%s\n"
		 "SYSLAT-JSON-END\n", file_b);
	argv[1] = (char *)put("1.log", log1);
	argv[2] = (char *)put("2.log", log2);
	out = run(cmd_reduce, 3, argv, &rc);
	ck_assert_int_eq(rc, 0);
	/* noop pooled over both boots: 200, 200, 250, 250 -> avg 225, median 225, q1 200, q3 250 */
	ck_assert_msg(strstr(out, "6.1 default") && strstr(out, "225.00 |     225.00 |     200.00 |     250.00"),
		      "%s", out);
	ck_assert_msg(strstr(out, "futex") != NULL, "%s", out);
	free(out);
}
END_TEST

START_TEST(test_reduce_rejects)
{
	char *trunc[] = { "reduce", (char *)put("t.log", "SYSLAT-JSON-BEGIN kernel=6.1 config=x boot=1\n{\"a\":\n"), NULL };
	char *none[] = { "reduce", (char *)put("n.log", "Kernel panic - not syncing\n"), NULL };
	char *noround[] = { "reduce", (char *)put("r.log", "SYSLAT-JSON-BEGIN kernel=6.1 config=x boot=1\n"
		"{\"tsc\": {\"unit\": \"cycles\"}, \"results\": [{\"name\": \"noop\"}]}\nSYSLAT-JSON-END\n"), NULL };
	int rc;

	free(run(cmd_reduce, 2, trunc, &rc));
	ck_assert_int_ne(rc, 0);
	free(run(cmd_reduce, 2, none, &rc));
	ck_assert_int_ne(rc, 0);
	free(run(cmd_reduce, 2, noround, &rc));
	ck_assert_int_ne(rc, 0);
}
END_TEST

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	strcpy(dir, "/tmp/syslat-cmp-XXXXXX");
}

Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("cmd");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_compare_rejects);
	tcase_add_test(tc, test_reduce);
	tcase_add_test(tc, test_reduce_rejects);
	suite_add_tcase(s, tc);
	return s;
}
