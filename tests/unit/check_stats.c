// SPDX-License-Identifier: GPL-2.0
/* Statistics against values computed by hand (type-7 quantiles). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "stats.h"

#define EPS 1e-9

START_TEST(test_four_values)
{
	double v[] = { 4, 1, 3, 2 };	/* unsorted on purpose */
	struct stats s;

	stats_compute(v, 4, &s);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_double_eq_tol(s.min, 1, EPS);
	ck_assert_double_eq_tol(s.q1, 1.75, EPS);	/* rank 0.75 */
	ck_assert_double_eq_tol(s.median, 2.5, EPS);	/* rank 1.5 */
	ck_assert_double_eq_tol(s.mean, 2.5, EPS);
	ck_assert_double_eq_tol(s.q3, 3.25, EPS);	/* rank 2.25 */
	ck_assert_double_eq_tol(s.max, 4, EPS);
	ck_assert_double_eq_tol(s.stddev, sqrt(5.0 / 3), EPS);	/* sum sq 5, n-1 = 3 */
	ck_assert_double_eq_tol(s.p90, 3.7, EPS);	/* rank 2.7 */
}
END_TEST

START_TEST(test_odd_and_edges)
{
	double v[] = { 10, 20, 30, 40, 50 };
	double s5[] = { 10, 20, 30, 40, 50 };

	ck_assert_double_eq_tol(stats_quantile_sorted(s5, 5, 0), 10, EPS);
	ck_assert_double_eq_tol(stats_quantile_sorted(s5, 5, 1), 50, EPS);
	ck_assert_double_eq_tol(stats_quantile_sorted(s5, 5, 0.5), 30, EPS);
	ck_assert_double_eq_tol(stats_quantile_sorted(s5, 5, 0.25), 20, EPS);
	ck_assert_double_eq_tol(stats_quantile_sorted(s5, 5, 0.99), 49.6, EPS);	/* 4*.99 */
	ck_assert_double_eq_tol(stats_median(v, 5), 30, EPS);
	ck_assert(isnan(stats_quantile_sorted(s5, 0, 0.5)));
}
END_TEST

START_TEST(test_tail_percentiles)
{
	double v[1000];
	struct stats s;
	int i;

	for (i = 0; i < 1000; i++)
		v[i] = 1000 - i;	/* 1..1000 reversed */
	stats_compute(v, 1000, &s);
	ck_assert_double_eq_tol(s.median, 500.5, EPS);
	ck_assert_double_eq_tol(s.p99, 990.01, 1e-6);	/* rank 989.01 */
	ck_assert_double_eq_tol(s.p999, 999.001, 1e-6);	/* rank 998.001 */
	ck_assert_double_eq_tol(s.mean, 500.5, EPS);
}
END_TEST

START_TEST(test_n1)
{
	double v[] = { 7 };
	struct stats s;

	stats_compute(v, 1, &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_double_eq_tol(s.min, 7, EPS);
	ck_assert_double_eq_tol(s.q1, 7, EPS);
	ck_assert_double_eq_tol(s.median, 7, EPS);
	ck_assert_double_eq_tol(s.p999, 7, EPS);
	ck_assert_double_eq_tol(s.max, 7, EPS);
	ck_assert_double_eq_tol(s.stddev, 0, EPS);
	ck_assert(isnan(s.ci_lo) && isnan(s.ci_hi));	/* no CI from one value */
	ck_assert(!s.unstable);
}
END_TEST

START_TEST(test_n0)
{
	struct stats s;

	stats_compute(NULL, 0, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(isnan(s.median) && isnan(s.mean));
}
END_TEST

START_TEST(test_ci)
{
	double v[101], c[50];
	struct stats s, s2;
	int i;

	for (i = 0; i < 101; i++)
		v[i] = i + 1;
	stats_compute(v, 101, &s);
	ck_assert_double_eq_tol(s.median, 51, EPS);
	ck_assert(s.ci_lo <= s.median && s.median <= s.ci_hi);
	/* order-statistic CI ~ median +- 1.96 sqrt(n)/2 ranks = +-9.8 */
	ck_assert_msg(s.ci_lo >= 38 && s.ci_lo <= 47, "lo %g", s.ci_lo);
	ck_assert_msg(s.ci_hi >= 55 && s.ci_hi <= 64, "hi %g", s.ci_hi);
	for (i = 0; i < 101; i++)
		v[i] = i + 1;
	stats_compute(v, 101, &s2);	/* fixed seed: reproducible */
	ck_assert_double_eq(s.ci_lo, s2.ci_lo);
	ck_assert_double_eq(s.ci_hi, s2.ci_hi);
	for (i = 0; i < 50; i++)
		c[i] = 212;
	stats_compute(c, 50, &s);
	ck_assert_double_eq_tol(s.ci_lo, 212, EPS);
	ck_assert_double_eq_tol(s.ci_hi, 212, EPS);
}
END_TEST

START_TEST(test_ci_even_small)
{
	double v[] = { 1, 2 };
	struct stats s;

	stats_compute(v, 2, &s);
	ck_assert(s.ci_lo >= 1 && s.ci_hi <= 2 && s.ci_lo <= s.ci_hi);
}
END_TEST

START_TEST(test_unstable)
{
	double a[] = { 100, 100, 100, 200 };	/* cv = 50 / 125 */
	double b[] = { 100, 101, 99, 100 };
	struct stats s;

	stats_compute(a, 4, &s);
	ck_assert(s.unstable);
	ck_assert_double_eq_tol(s.cv, 0.4, EPS);
	stats_compute(b, 4, &s);
	ck_assert(!s.unstable);
}
END_TEST

START_TEST(test_sampler_rounds)
{
	struct sampler sp;
	struct stats s;
	int r, i;

	sampler_init(&sp, 1000);
	for (r = 0; r < 3; r++) {
		for (i = 0; i < 4; i++)
			sampler_add(&sp, r * 10 + i);	/* round means 1.5, 11.5, 21.5 */
		sampler_end_round(&sp);
	}
	sampler_stats(&sp, &s);
	ck_assert_uint_eq(s.rounds, 3);
	ck_assert_double_eq_tol(s.round_median, 11.5, EPS);
	ck_assert(!s.streamed);
	ck_assert_uint_eq(s.n, 12);
	ck_assert(s.unstable);	/* round medians 1.5 .. 21.5 */
	sampler_destroy(&sp);
}
END_TEST

START_TEST(test_sampler_resolution)
{
	struct sampler sp;
	struct stats s;
	int r;

	/* medians flip between two TSC steps of 26: quantisation, not instability */
	sampler_init(&sp, 1000);
	sp.resolution = 26;
	for (r = 0; r < 10; r++) {
		sampler_add(&sp, r % 2 ? 208 : 234);
		sampler_end_round(&sp);
	}
	sampler_stats(&sp, &s);
	ck_assert(s.round_median_cv > STATS_UNSTABLE_CV);
	ck_assert(!s.unstable);
	sampler_destroy(&sp);
}
END_TEST

START_TEST(test_sampler_streaming)
{
	struct sampler sp;
	struct stats s;
	int i;

	sampler_init(&sp, 1000);
	for (i = 1; i <= 10000; i++)
		ck_assert_int_eq(sampler_add(&sp, i), 0);
	sampler_end_round(&sp);
	sampler_stats(&sp, &s);
	ck_assert(s.streamed);
	ck_assert_uint_eq(s.n, 10000);
	ck_assert_double_eq_tol(s.min, 1, EPS);
	ck_assert_double_eq_tol(s.max, 10000, EPS);
	ck_assert_double_eq_tol(s.mean, 5000.5, 1e-6);	/* exact (Welford) */
	ck_assert_double_eq_tol(s.median, 5000.5, 5000 * 0.02);	/* within a bucket */
	ck_assert_double_eq_tol(s.p99, 9900, 9900 * 0.02);
	ck_assert(s.ci_lo <= s.median + 100 && s.ci_hi >= s.median - 100);
	ck_assert_double_eq_tol(s.round_median, 5000.5, 1e-6);
	sampler_destroy(&sp);
}
END_TEST

START_TEST(test_rand)
{
	uint64_t a = 1, b = 1;
	int i;

	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(stats_rand(&a), stats_rand(&b));
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_four_values);
	tcase_add_test(tc, test_odd_and_edges);
	tcase_add_test(tc, test_tail_percentiles);
	tcase_add_test(tc, test_n1);
	tcase_add_test(tc, test_n0);
	tcase_add_test(tc, test_ci);
	tcase_add_test(tc, test_ci_even_small);
	tcase_add_test(tc, test_unstable);
	tcase_add_test(tc, test_sampler_rounds);
	tcase_add_test(tc, test_sampler_resolution);
	tcase_add_test(tc, test_sampler_streaming);
	tcase_add_test(tc, test_rand);
	suite_add_tcase(s, tc);
	return s;
}
