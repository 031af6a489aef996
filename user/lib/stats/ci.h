/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Confidence intervals at the level of independent replicates (runs),
 * pure and unit-tested (tests/unit/check_ci.c simulates their coverage).
 *
 * A run is a fresh process; its statistic (median, mean of its samples)
 * carries both the between-run and the within-run variation, so a
 * Student-t interval over the run statistics covers the value a run of
 * this configuration gives on average (Kalibera & Jones, ISMM 2013, the
 * top level of their hierarchy). With 3..10 runs the percentile bootstrap
 * is too narrow (ci_hboot below: docs/statistics.md has the figures), so
 * the t quantile is used; ci_hboot stays for many runs and for the tests.
 */
#ifndef SYSLAT_CI_H
#define SYSLAT_CI_H

#include <stddef.h>
#include <stdint.h>

#define CI_LEVEL 0.95

/* Two-sided quantile of Student's t with @df (> 0, may be fractional). */
double ci_t_quantile(double p, double df);
/* Student-t CDF, for the tests. */
double ci_t_cdf(double t, double df);

/* Mean of x[0..n-1] and its t interval; n < 2: lo = hi = NaN. Returns the mean. */
double ci_mean_t(const double *x, size_t n, double *lo, double *hi);

/*
 * Relative change of b against a, from replicate statistics of each side:
 * Welch's t interval on log values, exponentiated, so +10 % and -9.1 %
 * are symmetric. *pct, *lo, *hi in percent; NaN when a side has < 2
 * values or a value <= 0. Returns 1 when the interval excludes 0.
 */
int ci_change_welch(const double *a, size_t na, const double *b, size_t nb,
		    double *pct, double *lo, double *hi);

/*
 * The plain hierarchical percentile bootstrap of the grand mean: resample
 * runs with replacement, then rounds within each chosen run (K&J 2013).
 * x[r * per_run + j] is round j of run r. For the tests and many runs.
 */
void ci_hboot(const double *x, size_t runs, size_t per_run, unsigned int resamples,
	      uint64_t seed, double *lo, double *hi);

/* Normal variate from the splitmix64 state (Box-Muller), for simulations. */
double ci_normal(uint64_t *st);

#endif
