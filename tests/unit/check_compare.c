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

/* schema 2: three runs each; @extra adds or overrides keys of the result */
#define RES2(name, r1, r2, r3, extra) "{\"name\": \"" name "\", " extra \
	"\"stats\": [1, 2, " #r2 ", " #r2 ", 4, 5, 1, 300], \"estimates\": {\"lead\": \"median\"}, " \
	"\"runs\": [{\"median\": " #r1 ", \"n\": 100}, {\"median\": " #r2 ", \"n\": 100}, " \
	"{\"median\": " #r3 ", \"n\": 100}], \"round_means\": [" #r1 ", " #r2 ", " #r3 "]}"
#define ENV2(khz, known) "{\"schema_version\": 2, \"tsc\": {\"unit\": \"cycles\", \"khz\": " \
	#khz ", \"frequency_known\": " #known "}, \"results\": ["

static const char *file_c = ENV2(1e6, true)
	RES2("noop", 200, 202, 198, "") ", " RES2("pipe", 5000, 5200, 4800, "") ", "
	RES2("batchy", 100, 101, 99, "\"mode\": \"percall\",") ", "
	RES2("peer", 900, 910, 890, "\"process\": false,") "]}";
static const char *file_d = ENV2(1e6, true)
	RES2("noop", 250, 252, 248, "") ", " RES2("pipe", 5100, 5300, 4900, "") ", "
	RES2("batchy", 100, 101, 99, "\"mode\": \"batch\",") ", "
	RES2("peer", 900, 910, 890, "\"process\": true,") "]}";
/* another TSC rate: with both frequencies known, ns are compared (2x the ticks = same ns) */
static const char *file_e = ENV2(2e6, true)
	RES2("noop", 400, 404, 396, "") "]}";
static const char *file_f = ENV2(2e6, false)
	RES2("noop", 400, 404, 396, "") "]}";

/* The line of @out that starts with @name (static copy). */
static const char *line_of(const char *out, const char *name)
{
	static char buf[512];
	const char *p = out;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, n) && p[n] == ' ') {
			size_t k = strcspn(p, "\n");

			snprintf(buf, sizeof(buf), "%.*s", (int)k, p);
			return buf;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return "";
}

START_TEST(test_compare)
{
	char *argv[] = { "compare", (char *)put("c.json", file_c), (char *)put("d.json", file_d), NULL };
	char *out;
	int rc;

	out = run(cmd_compare, 3, argv, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(out);
	/* noop: +25 %, runs within +-1 %: the CI excludes 0 */
	ck_assert_msg(strstr(line_of(out, "noop"), "+25.0%") && strstr(line_of(out, "noop"), "]*"),
		      "noop significant\n%s", out);
	/* pipe: +2 % inside a +-4 % run-to-run spread: not starred */
	ck_assert_msg(strstr(line_of(out, "pipe"), "+2.0%") && !strstr(line_of(out, "pipe"), "*"),
		      "pipe not significant\n%s", out);
	ck_assert_msg(strstr(line_of(out, "batchy"), "not comparable") &&
		      strstr(line_of(out, "batchy"), "mode percall vs batch"), "batch vs percall\n%s", out);
	ck_assert_msg(strstr(line_of(out, "peer"), "not comparable") &&
		      strstr(line_of(out, "peer"), "peer thread vs process"), "thread vs process\n%s", out);
	ck_assert_msg(strstr(out, "# flagged 1 of 2 compared rows; 2 not comparable"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_compare_tsc_rates)
{
	char *known[] = { "compare", (char *)put("c.json", file_c), (char *)put("e.json", file_e), NULL };
	char *unknown[] = { "compare", (char *)put("c.json", file_c), (char *)put("f.json", file_f), NULL };
	char *out;
	int rc;

	out = run(cmd_compare, 3, known, &rc);
	ck_assert_msg(rc == 0 && strstr(out, "ns compared") && strstr(line_of(out, "noop"), "+0.0%"),
		      "%s", out);
	free(out);
	out = run(cmd_compare, 3, unknown, &rc);
	ck_assert_msg(rc == 0 && strstr(line_of(out, "noop"), "frequency not known"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_compare_pools_files)
{
	char spec[600], *argv[] = { "compare", spec, NULL, NULL }, *out;
	int rc;

	/* schema 1 files have one figure each: alone no CI, pooled two per side */
	snprintf(spec, sizeof(spec), "%s,%s", put("a.json", file_a), put("a2.json", file_a));
	argv[2] = (char *)put("b.json", file_b);
	out = run(cmd_compare, 3, argv, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(line_of(out, "noop"), "(  2)") && strstr(line_of(out, "noop"), "1 run: no CI"),
		      "%s", out);
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
	tcase_add_test(tc, test_compare_tsc_rates);
	tcase_add_test(tc, test_compare_pools_files);
	tcase_add_test(tc, test_reduce);
	tcase_add_test(tc, test_reduce_rejects);
	suite_add_tcase(s, tc);
	return s;
}
