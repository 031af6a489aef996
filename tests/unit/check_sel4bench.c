// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the sel4bench import (user/lib/io/sel4bench.c) on a
 * recorded real run: tests/golden/sel4bench-tcg-icount.log is the serial
 * console of tests/guest/sel4.sh's boot (QEMU TCG, -icount shift=0, the
 * syslat-sel4: lines first), tests/golden/sel4bench-tcg-icount.json the
 * JSON it extracted. Truncated and malformed variants are cut from them
 * or written here; syslat reduce and compare read them as a user would.
 */
#include <check.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "jparse.h"
#include "sel4bench.h"
#include "util.h"

#define GOLDEN_LOG "../golden/sel4bench-tcg-icount.log"
#define GOLDEN_JSON "../golden/sel4bench-tcg-icount.json"

static char dir[] = "/tmp/syslat-s4-XXXXXX";

static char *golden(const char *path)
{
	char *t = read_text_file(path, 1 << 22);

	ck_assert_msg(t != NULL, "cannot read %s", path);
	return t;
}

static const struct s4_row *row(const struct s4_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->rows[i].name, name))
			return &f->rows[i];
	ck_abort_msg("no row %s", name);
	return NULL;
}

static int parse(const char *text, struct s4_file *f, char *err)
{
	return s4_parse(text, strlen(text), f, err, 200);
}

START_TEST(test_golden_log)
{
	char *t = golden(GOLDEN_LOG), err[200];
	const struct s4_row *r;
	struct s4_file f;
	size_t i, j, core = 0;

	ck_assert(s4_detect(t, strlen(t)));
	ck_assert_msg(parse(t, &f, err) == 0, "%s", err);
	ck_assert_str_eq(f.system, "seL4 13.0.0 (sel4bench manifest f62d375)");
	ck_assert_str_eq(f.config, "release");
	ck_assert_str_eq(f.unit, "instructions (icount)");
	/* 7 IPC, 30 scheduler, 12 signal, 3 hardware, 30 sync, 60 page mapping rows */
	ck_assert_uint_eq(f.n, 142);
	r = row(&f, "sel4-call");
	ck_assert(r->min == 190 && r->max == 190 && r->median == 190 && r->samples == 16);
	ck_assert(r->nraw == 16 && r->raw[15] == 190 && r->core && !r->xas);
	ck_assert_str_eq(r->dir, "one_way");
	ck_assert_str_eq(r->title, "seL4_Call (same AS)");
	ck_assert(row(&f, "sel4-replyrecv")->median == 217);
	ck_assert(row(&f, "sel4-call-xas")->xas && row(&f, "sel4-call-xas")->median == 191);
	ck_assert_str_eq(row(&f, "sel4-call10-xas")->title, "seL4_Call (other AS, 10w)");
	ck_assert(row(&f, "sel4-null-syscall")->median == 103);
	ck_assert(row(&f, "sel4-cv-p2c")->median == 1237);
	ck_assert(!row(&f, "sel4-map-1024-mapping")->core);
	ck_assert(row(&f, "sel4-signal")->median == 514 && row(&f, "sel4-signal")->core);
	ck_assert(row(&f, "sel4-yield")->median == 267 && row(&f, "sel4-yield-xas")->xas);
	/* the scheduler's and the signal benchmark's overheads share a name: -2 */
	ck_assert(row(&f, "sel4-signal-overhead")->median == 14 && row(&f, "sel4-signal-overhead-2"));
	/* early processing: only the mean is data; PMU-averaged rows without counters: all 0 */
	r = row(&f, "sel4-signal-early");
	ck_assert(r->early && !r->core && isnan(r->median) && !r->raw && r->mean == 515);
	r = row(&f, "sel4-avg-signal-lo-cycle-counter");
	ck_assert(r->unmeasured && !r->core && r->median == 0);
	for (i = 0; i < f.n; i++) {
		core += f.rows[i].core;
		ck_assert_msg(!f.rows[i].core || f.rows[i].linux_eq, "%s: no counterpart", f.rows[i].name);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(f.rows[i].name, f.rows[j].name), "%s twice", f.rows[i].name);
	}
	ck_assert_uint_eq(core, 13);
	s4_free(&f);
	free(t);
}
END_TEST

START_TEST(test_bare_json)
{
	char *t = golden(GOLDEN_JSON), err[200];
	struct s4_file f;

	ck_assert(s4_detect(t, strlen(t)));
	ck_assert_msg(parse(t, &f, err) == 0, "%s", err);
	ck_assert_uint_eq(f.n, 142);
	/* no syslat-sel4: lines: cycles or instructions (this run's), not known */
	ck_assert_str_eq(f.unit, "ticks (unit not recorded)");
	ck_assert_str_eq(f.system, "seL4 (sel4bench)");
	ck_assert(row(&f, "sel4-call")->median == 190);
	s4_free(&f);
	free(t);
}
END_TEST

/* What a log cut at @at (a substring, kept or not) gives. */
static void expect_cut(const char *text, const char *at, int keep, const char *msg)
{
	const char *p = strstr(text, at);
	struct s4_file f;
	char err[200], *cut;

	ck_assert_ptr_nonnull(p);
	cut = strndup(text, (size_t)(p - text) + (keep ? strlen(at) : 0));
	ck_assert(s4_detect(cut, strlen(cut)));
	ck_assert_msg(parse(cut, &f, err) == -1, "cut at %s parsed", at);
	ck_assert_msg(strstr(err, msg), "cut at %s: '%s' lacks '%s'", at, err, msg);
	free(cut);
}

START_TEST(test_truncated)
{
	char *t = golden(GOLDEN_LOG), *j = golden(GOLDEN_JSON), *mid;
	struct s4_file f;
	char err[200];

	expect_cut(t, "END JSON OUTPUT", 0, "truncated");
	expect_cut(t, "\"Wait time\"", 1, "truncated");
	/* the guest stopped before the JSON: markers missing altogether */
	ck_assert_int_eq(parse("syslat-sel4: unit=cycles\nipc Benchmarks\n", &f, err), -1);
	ck_assert_msg(strstr(err, "no sel4bench JSON"), "%s", err);
	/* the JSON cut short, then the end marker: a JSON error with its offset */
	mid = strdup(t);
	strcpy(strstr(mid, "\"Broadcast time\""), "END JSON OUTPUT\n");
	ck_assert_int_eq(parse(mid, &f, err), -1);
	ck_assert_msg(strstr(err, "sel4bench JSON: JSON error at byte"), "%s", err);
	/* bare JSON cut in half */
	j[strlen(j) / 2] = '\0';
	ck_assert_int_eq(parse(j, &f, err), -1);
	ck_assert_msg(strstr(err, "JSON error"), "%s", err);
	free(mid);
	free(j);
	free(t);
}
END_TEST

#define ROW(extra) "{\"Function\": \"seL4_Call\", \"Same vspace?\": true, \"IPC length\": 0, " \
	"\"Min\": 1, \"Max\": 3, \"Mean\": 2.0, \"Stddev\": \"nan\", \"Median\": 2, " \
	"\"1st quantile\": 1, \"3rd quantile\": 3" extra "}"
#define FILE1(rows) "[{\"Benchmark\": \"One way IPC microbenchmarks\", \"Results\": [" rows "]}]"

START_TEST(test_malformed)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ FILE1(ROW("")), "no \"Samples\"" },
		{ FILE1(ROW(", \"Samples\": 0")), "\"Samples\" is 0" },
		{ FILE1(ROW(", \"Samples\": 2.5")), "\"Samples\" is 2.5" },
		{ FILE1(ROW(", \"Samples\": 3, \"Raw results\": [1, 2]")), "2 values for 3 samples" },
		{ FILE1(ROW(", \"Samples\": 2, \"Raw results\": [1, \"x\"]")), "raw result 1 is not" },
		{ FILE1("{\"Function\": \"seL4_Call\", \"Max\": 3}"), "no \"Min\"" },
		{ FILE1("42"), "row 1: not an object" },
		{ "[{\"Benchmark\": \"x\"}]", "benchmark 1: no \"Benchmark\" name and \"Results\"" },
		{ "[{\"Benchmark\": 1, \"Results\": []}]", "benchmark 1" },
		{ "[]", "not a non-empty list" },
		{ "JSON OUTPUT\n{\"Benchmark\": 1}END JSON OUTPUT", "not a non-empty list" },
		{ "JSON OUTPUT\n[{\"Benchmark\": ]END JSON OUTPUT", "JSON error at byte" },
	};
	struct s4_file f;
	char err[200];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(parse(cases[i].text, &f, err) == -1, "case %zu parsed", i);
		ck_assert_msg(strstr(err, cases[i].msg), "case %zu: '%s' lacks '%s'", i, err,
			      cases[i].msg);
	}
	/* "nan" is sel4bench's own NaN; a good file parses */
	ck_assert_msg(parse(FILE1(ROW(", \"Samples\": 2")), &f, err) == 0, "%s", err);
	ck_assert(isnan(f.rows[0].stddev) && f.rows[0].raw == NULL);
	s4_free(&f);
	/* syslat's own files and console logs are not taken for sel4bench's */
	ck_assert(!s4_detect("{\"schema_version\": 2}", 21));
	ck_assert(!s4_detect("SYSLAT-JSON-BEGIN x\n{}\nSYSLAT-JSON-END\n", 38));
}
END_TEST

START_TEST(test_to_syslat)
{
	char *t = golden(GOLDEN_LOG), err[200], *js;
	const struct jv *res;
	struct s4_file f;
	struct jv *root;
	size_t i;

	ck_assert_msg(parse(t, &f, err) == 0, "%s", err);
	js = s4_to_syslat_json(&f);
	ck_assert_ptr_nonnull(js);
	root = jv_parse(js, strlen(js), err, sizeof(err));
	ck_assert_msg(root != NULL, "%s", err);
	ck_assert(jv_num(jv_get(root, "schema_version")) == 2);
	ck_assert_str_eq(jv_str(jv_path(root, "tsc.unit")), "instructions (icount)");
	res = jv_get(root, "results");
	ck_assert(res && res->type == JV_ARR && res->n == f.n);
	ck_assert_str_eq(jv_str(jv_get(&res->items[0], "name")), "sel4-call");
	ck_assert(jv_num(&jv_get(&res->items[0], "stats")->items[2]) == 190);
	ck_assert(jv_num(&jv_get(&res->items[0], "stats")->items[7]) == 16);
	ck_assert_ptr_nonnull(jv_str(jv_path(&res->items[0], "sel4bench.linux")));
	for (i = 0; i < res->n; i++) {	/* unmeasured rows are skipped, early ones lead with the mean */
		const char *nm = jv_str(jv_get(&res->items[i], "name"));
		const struct jv *sk = jv_get(&res->items[i], "skipped");

		if (!strcmp(nm, "sel4-avg-signal-lo-cycle-counter"))
			ck_assert(sk && sk->type == JV_BOOL && sk->num);
		if (!strcmp(nm, "sel4-signal-early"))
			ck_assert_str_eq(jv_str(jv_path(&res->items[i], "estimates.lead")), "trimmed_mean");
	}
	jv_free(root);
	free(js);
	s4_free(&f);
	free(t);
}
END_TEST

/* Run cmd with stdout and stderr redirected into files; stdout's text. */
static char *run(int (*cmd)(int, char **), int argc, char **argv, int *rc)
{
	char out[256], errp[256];
	int so = dup(1), se = dup(2);

	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(errp, sizeof(errp), "%s/stderr", dir);
	fflush(stdout);
	fflush(stderr);
	ck_assert_ptr_nonnull(freopen(out, "w", stdout));
	ck_assert_ptr_nonnull(freopen(errp, "w", stderr));
	optind = 0;
	*rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	stdout = fdopen(1, "w");
	stderr = fdopen(2, "w");
	return read_text_file(out, 1 << 20);
}

static char *err_text(void)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/stderr", dir);
	return read_text_file(p, 1 << 20);
}

START_TEST(test_reduce_compare)
{
	char *t = golden(GOLDEN_LOG), cut[256], *out, *e;
	char *red[] = { "reduce", GOLDEN_LOG, NULL }, *bad[] = { "reduce", cut, NULL };
	char *cmp[] = { "compare", GOLDEN_LOG, GOLDEN_JSON, NULL }, *cbad[] = { "compare", GOLDEN_LOG, cut, NULL };
	FILE *f;
	int rc;

	out = run(cmd_reduce, 2, red, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(out, "seL4 13.0.0 (sel4bench manifest f62d375) release | seL4_Call (same AS)"
			      "      |     190.00 |     190.00 |"), "%s", out);
	ck_assert_msg(strstr(out, "null syscall (seL4)"), "%s", out);
	ck_assert_msg(!strstr(out, "sel4-map") && !strstr(out, "Mapping"), "%s", out);
	e = err_text();
	ck_assert_msg(strstr(e, "129 sel4bench rows without a Linux counterpart left out of the table, "
			    "24 of them all zero"), "%s", e);
	free(e);
	free(out);
	/* compare: the same run twice (the log's unit vs the bare JSON's: refused, with why) */
	out = run(cmd_compare, 3, cmp, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(out, "sel4-call ") && strstr(out, "unit instructions (icount) vs ticks (unit not recorded)"),
		      "%s", out);
	free(out);
	/* a truncated log: exit status 1, the file named */
	snprintf(cut, sizeof(cut), "%s/cut.log", dir);
	f = fopen(cut, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(t, 1, (size_t)(strstr(t, "END JSON OUTPUT") - t), f);
	fclose(f);
	out = run(cmd_reduce, 2, bad, &rc);
	ck_assert_int_eq(rc, 1);
	e = err_text();
	ck_assert_msg(strstr(e, cut) && strstr(e, "truncated"), "%s", e);
	free(e);
	free(out);
	out = run(cmd_compare, 3, cbad, &rc);
	ck_assert_int_eq(rc, 1);
	e = err_text();
	ck_assert_msg(strstr(e, cut) && strstr(e, "truncated"), "%s", e);
	free(e);
	free(out);
	free(t);
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
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/syslat-s4-XXXXXX");
}

Suite *sel4bench_suite(void)
{
	Suite *s = suite_create("sel4bench");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_golden_log);
	tcase_add_test(tc, test_bare_json);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_to_syslat);
	tcase_add_test(tc, test_reduce_compare);
	suite_add_tcase(s, tc);
	return s;
}
