// SPDX-License-Identifier: GPL-2.0
/* Log-linear buckets and the bcc-style printers. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

START_TEST(test_buckets_exact_below_sub)
{
	uint64_t v;

	for (v = 0; v < HIST_SUB; v++) {
		ck_assert_uint_eq(hist_bucket(v), v);
		ck_assert_uint_eq(hist_bucket_lo(hist_bucket(v)), v);
		ck_assert_uint_eq(hist_bucket_hi(hist_bucket(v)), v);
	}
	ck_assert_uint_eq(hist_bucket(64), 64);		/* 64..127: width 1 */
	ck_assert_uint_eq(hist_bucket(127), 127);
	ck_assert_uint_eq(hist_bucket(128), 128);	/* 128..255: width 2 */
	ck_assert_uint_eq(hist_bucket(129), 128);
	ck_assert_uint_eq(hist_bucket_hi(128), 129);
}
END_TEST

START_TEST(test_buckets_contain_and_order)
{
	uint64_t vals[] = { 200, 212, 1000, 4097, 123456789, 1ULL << 40, UINT64_MAX };
	unsigned int prev = 0;
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		unsigned int b = hist_bucket(vals[i]);

		ck_assert(b < HIST_BUCKETS);
		ck_assert(hist_bucket_lo(b) <= vals[i] && vals[i] <= hist_bucket_hi(b));
		/* relative width at most 1/64 */
		ck_assert((double)(hist_bucket_hi(b) - hist_bucket_lo(b)) <=
			  (double)vals[i] / HIST_SUB);
		ck_assert(b >= prev);
		prev = b;
	}
}
END_TEST

START_TEST(test_quantile)
{
	struct hist h;
	uint64_t v;

	ck_assert_int_eq(hist_init(&h), 0);
	ck_assert(isnan(hist_quantile(&h, 0.5)));
	for (v = 0; v < 64; v++)
		hist_add(&h, v);
	ck_assert_uint_eq(h.total, 64);
	ck_assert(fabs(hist_quantile(&h, 0.5) - 31.5) < 1.0);
	ck_assert(hist_quantile(&h, 0) == 0);
	ck_assert(hist_quantile(&h, 1) == 63);
	hist_destroy(&h);
}
END_TEST

static __attribute__((noinline)) char *capture(void (*fn)(FILE *, const uint64_t *, int, const char *),
		     const uint64_t *vals, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, vals, n, "cycles");
	fclose(f);
	return buf;
}

static int count_char(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

START_TEST(test_print_log2)
{
	uint64_t vals[8] = { 0, 1, 3, 0, 0, 0, 0, 0 };
	char *out = capture(print_log2_hist, vals, 8), *l2, *l3;

	/* header + 3 buckets, trailing empty ones trimmed */
	ck_assert_int_eq(count_char(out, '\n'), 4);
	ck_assert_ptr_nonnull(strstr(out, "0 -> 1"));
	ck_assert_ptr_nonnull(strstr(out, "2 -> 3"));
	ck_assert_ptr_nonnull(strstr(out, "4 -> 7"));
	ck_assert_ptr_null(strstr(out, "8 -> 15"));
	l3 = strstr(out, "4 -> 7");
	l2 = strstr(out, "2 -> 3");
	ck_assert_int_eq((int)strspn(strchr(l3, '|') + 1, "*"), 40);	/* max: 40 stars */
	ck_assert_int_eq((int)strspn(strchr(l2, '|') + 1, "*"), 13);	/* 1 * 40 / 3 */
	free(out);
	vals[1] = vals[2] = 0;
	out = capture(print_log2_hist, vals, 8);
	ck_assert_str_eq(out, "");	/* all empty: nothing */
	free(out);
}
END_TEST

START_TEST(test_print_linear)
{
	uint64_t vals[5] = { 0, 2, 4, 0, 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print_linear_hist(f, vals, 5, 200, 10, "cycles");
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "210 -> 219"));
	ck_assert_ptr_nonnull(strstr(buf, "220 -> 229"));
	ck_assert_ptr_null(strstr(buf, "200 -> 209"));	/* leading empty trimmed */
	ck_assert_ptr_null(strstr(buf, "230 -> 239"));
	ck_assert_int_eq(count_char(buf, '\n'), 3);
	free(buf);
}
END_TEST

START_TEST(test_print_range)
{
	const struct hist_range r[3] = { { 200, 200, 4 }, { 201, 201, 2 }, { 512, 543, 1 } };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print_range_hist(f, r, 3, "cycles");
	print_range_hist(f, r, 0, "cycles");	/* nothing, not even a header */
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "200 -> 200"));
	ck_assert_ptr_nonnull(strstr(buf, "512 -> 543"));
	ck_assert_ptr_nonnull(strstr(buf, "|****************************************|"));
	ck_assert_ptr_nonnull(strstr(buf, "|**********                              |"));
	ck_assert_int_eq(count_char(buf, '\n'), 4);
	free(buf);
}
END_TEST

START_TEST(test_to_log2)
{
	struct hist h;
	uint64_t out[64];

	hist_init(&h);
	hist_add(&h, 0);
	hist_add(&h, 1);
	hist_add(&h, 212);	/* 128..255 -> bucket 7 */
	hist_add(&h, 255);
	hist_to_log2(&h, out);
	ck_assert_uint_eq(out[0], 2);
	ck_assert_uint_eq(out[7], 2);
	hist_destroy(&h);
}
END_TEST

Suite *hist_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_buckets_exact_below_sub);
	tcase_add_test(tc, test_buckets_contain_and_order);
	tcase_add_test(tc, test_quantile);
	tcase_add_test(tc, test_print_log2);
	tcase_add_test(tc, test_print_range);
	tcase_add_test(tc, test_print_linear);
	tcase_add_test(tc, test_to_log2);
	suite_add_tcase(s, tc);
	return s;
}
