// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the mitigation matrix (user/lib/matrix.c, matrix-out.c). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matrix.h"
#include "matrix-out.h"

#define EPS 1e-9

/* A cell of @nb boots, boot b holding n values base + b * step + r * jitter. */
static void fill(struct mx_cell *c, size_t nb, size_t n, double base, double step, double jitter)
{
	size_t b, r;

	memset(c, 0, sizeof(*c));
	c->b = calloc(nb, sizeof(*c->b));
	c->nb = nb;
	for (b = 0; b < nb; b++) {
		c->b[b].v = calloc(n, sizeof(double));
		c->b[b].n = n;
		for (r = 0; r < n; r++)
			c->b[b].v[r] = base + (double)b * step + (double)(r % 3) * jitter;
	}
}

static void drop(struct mx_cell *c)
{
	size_t b;

	for (b = 0; b < c->nb; b++)
		free(c->b[b].v);
	free(c->b);
}

START_TEST(test_exact_counts_give_a_point_interval)
{
	struct mx_cell a, b;
	double d, lo, hi;

	fill(&a, 2, 10, 228, 0, 0);	/* icount: the same figure every round and boot */
	fill(&b, 2, 10, 216, 0, 0);
	ck_assert_double_eq_tol(mx_median(&a), 228, EPS);
	ck_assert_uint_eq(mx_rounds(&a), 20);
	mx_diff(&a, &b, &d, &lo, &hi);
	ck_assert_double_eq_tol(d, 12, EPS);
	ck_assert_double_eq_tol(lo, 12, EPS);
	ck_assert_double_eq_tol(hi, 12, EPS);
	drop(&a);
	drop(&b);
}
END_TEST

START_TEST(test_boot_spread_widens_the_interval)
{
	struct mx_cell a, b, one;
	double d, lo, hi, d1, lo1, hi1;

	fill(&a, 4, 10, 100, 5, 0);	/* boots at 100, 105, 110, 115 */
	fill(&b, 4, 10, 100, 0, 0);
	mx_diff(&a, &b, &d, &lo, &hi);
	ck_assert(lo <= d && d <= hi);
	ck_assert(hi - lo >= 5);	/* the boots' spread is in the interval */
	ck_assert(lo >= 0 && hi <= 15);
	fill(&one, 1, 10, 110, 0, 1);	/* one boot: rounds only */
	mx_diff(&one, &b, &d1, &lo1, &hi1);
	ck_assert(lo1 >= 10 && hi1 <= 12);
	drop(&a);
	drop(&b);
	drop(&one);
}
END_TEST

START_TEST(test_missing_cells_are_nan)
{
	struct mx_cell a;
	double d, lo, hi;

	fill(&a, 1, 3, 1, 0, 0);
	mx_diff(&a, NULL, &d, &lo, &hi);
	ck_assert(isnan(d) && isnan(lo) && isnan(hi));
	drop(&a);
}
END_TEST

START_TEST(test_params_beyond_the_default)
{
	struct mx_conf def = { .cmdline = "console=ttyS0 vmb.boot=1 vmb.config=default syslat.icount=1" };
	struct mx_conf k = { .cmdline = "console=ttyS0 vmb.boot=1 vmb.config=pti nopti syslat.icount=1" };
	struct mx_conf m = { .cmdline = "console=ttyS0 mds=off vmb.x=1 tsx_async_abort=off" };
	char buf[128];

	mx_params(&k, &def, buf, sizeof(buf));
	ck_assert_str_eq(buf, "nopti");
	mx_params(&m, &def, buf, sizeof(buf));
	ck_assert_str_eq(buf, "mds=off tsx_async_abort=off");
	mx_params(&def, &def, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
}
END_TEST

Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_exact_counts_give_a_point_interval);
	tcase_add_test(tc, test_boot_spread_widens_the_interval);
	tcase_add_test(tc, test_missing_cells_are_nan);
	tcase_add_test(tc, test_params_beyond_the_default);
	suite_add_tcase(s, tc);
	return s;
}
