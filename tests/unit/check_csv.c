// SPDX-License-Identifier: GPL-2.0
/* CSV writer, read back with a strict RFC 4180 reader written here. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "report.h"

#define MAXF 8

/*
 * Strict reader: one record from *p into fields (malloc'd), returns the
 * field count, 0 at end of input, -1 on a malformed record (a quote inside
 * an unquoted field, text after a closing quote, an unterminated quote).
 */
static int read_record(const char **p, char *fields[MAXF])
{
	const char *s = *p;
	int n = 0;

	if (!*s)
		return 0;
	for (;;) {
		char *out = malloc(strlen(s) + 1), *o = out;

		if (n == MAXF)
			return -1;
		fields[n++] = out;
		if (*s == '"') {
			for (s++;; s++) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"')
					*o++ = *s++;
				else if (*s == '"')
					break;
				else
					*o++ = *s;
			}
			s++;
			if (*s != ',' && *s != '\n')
				return -1;
		} else {
			for (; *s && *s != ',' && *s != '\n'; s++) {
				if (*s == '"' || *s == '\r')
					return -1;
				*o++ = *s;
			}
			if (!*s)
				return -1;	/* every record ends with \n */
		}
		*o = '\0';
		if (*s++ == '\n')
			break;
	}
	*p = s;
	return n;
}

static void free_fields(char *f[MAXF], int n)
{
	while (n-- > 0)
		free(f[n]);
}

START_TEST(test_quoting_roundtrip)
{
	const char *in[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", "x\r" };
	char *buf = NULL, *f[MAXF];
	size_t len = 0;
	const char *p;
	FILE *fp = open_memstream(&buf, &len);
	int n, i;

	csv_row(fp, in, 6);
	fclose(fp);
	p = buf;
	n = read_record(&p, f);
	ck_assert_int_eq(n, 6);
	for (i = 0; i < 6; i++)
		ck_assert_str_eq(f[i], in[i]);
	free_fields(f, n);
	ck_assert_int_eq(read_record(&p, f), 0);
	free(buf);
}
END_TEST

START_TEST(test_reader_is_strict)
{
	const char *bad[] = { "a\"b\n", "\"a\"b\n", "\"open\n", "no newline" };
	char *f[MAXF];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *p = bad[i];
		int n = read_record(&p, f);

		ck_assert_msg(n < 0, "accepted: %s", bad[i]);
	}
}
END_TEST

static const struct bench fake = { .name = "noop", .dir = BENCH_ROUND_TRIP };

START_TEST(test_report_long_format)
{
	struct tsc_info ti = { .khz = 2600000, .src = TSC_SRC_CALIBRATED };
	struct result res[2];
	struct opts o;
	struct run_report rr = { .opt = &o, .tsc = &ti, .res = res, .nres = 2 };
	double v[] = { 210, 212, 214 };
	char *buf = NULL, *f[MAXF];
	size_t len = 0;
	const char *p;
	FILE *fp = open_memstream(&buf, &len);
	int n, rows = 0, median_ns = 0, skipped = 0;

	opts_defaults(&o);
	memset(res, 0, sizeof(res));
	res[0].b = &fake;
	res[0].armed = -1;
	res[0].peer_cpu = -1;
	stats_compute(v, 3, &res[0].st);
	res[1].b = &fake;
	res[1].peer_cpu = -1;
	res[1].skipped = 1;	/* skipped: one "skipped" row, no statistics */
	snprintf(res[1].note, sizeof(res[1].note), "needs 3 other CPUs");
	report_csv(fp, &rr);
	fclose(fp);
	p = buf;
	ck_assert_int_eq(read_record(&p, f), 8);
	ck_assert_str_eq(f[0], "benchmark");
	ck_assert_str_eq(f[1], "mode");
	ck_assert_str_eq(f[2], "direction");
	ck_assert_str_eq(f[3], "placement");
	ck_assert_str_eq(f[4], "process");
	ck_assert_str_eq(f[5], "statistic");
	ck_assert_str_eq(f[6], "value");
	ck_assert_str_eq(f[7], "unit");
	free_fields(f, 8);
	while ((n = read_record(&p, f)) > 0) {
		char *end;

		ck_assert_int_eq(n, 8);
		ck_assert_str_eq(f[0], "noop");
		ck_assert_str_eq(f[1], "percall");
		ck_assert_str_eq(f[2], "round_trip");
		ck_assert_str_eq(f[3], "none");
		ck_assert_str_eq(f[4], "thread");
		ck_assert(f[7][0]);
		if (f[6][0]) {	/* empty = NaN (no value) */
			strtod(f[6], &end);
			ck_assert_msg(*end == '\0', "not a number: %s", f[6]);
		}
		if (!strcmp(f[5], "skipped")) {
			ck_assert_str_eq(f[6], "1");
			ck_assert_str_eq(f[7], "needs 3 other CPUs");
			skipped++;
		}
		if (!strcmp(f[5], "median") && !strcmp(f[7], "ns")) {
			ck_assert(fabs(strtod(f[6], NULL) - 212 / 2.6) < 1e-6);
			median_ns = 1;
		}
		rows++;
		free_fields(f, n);
	}
	ck_assert_int_eq(n, 0);
	ck_assert(median_ns);
	ck_assert_int_eq(skipped, 1);
	ck_assert_int_ge(rows, 26);	/* 13 statistics in cycles and in ns, + counts */
	free(buf);
}
END_TEST

Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_quoting_roundtrip);
	tcase_add_test(tc, test_reader_is_strict);
	tcase_add_test(tc, test_report_long_format);
	suite_add_tcase(s, tc);
	return s;
}
