// SPDX-License-Identifier: GPL-2.0
/* Replicate-level confidence intervals (ci.h). */
#include <math.h>
#include <stdlib.h>

#include "ci.h"
#include "stats.h"

/* Continued fraction of the regularised incomplete beta (Lentz). */
static double beta_cf(double a, double b, double x)
{
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;
	int m;

	d = 1 / (fabs(d) < 1e-300 ? 1e-300 : d);
	h = d;
	for (m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2)), del;

		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < 1e-300 ? 1e-300 : d);
		c = fabs(c) < 1e-300 ? 1e-300 : c;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < 1e-300 ? 1e-300 : d);
		c = fabs(c) < 1e-300 ? 1e-300 : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-14)
			break;
	}
	return h;
}

static double inc_beta(double a, double b, double x)
{
	double lbt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lbt) * beta_cf(a, b, x) / a;
	return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double ci_t_cdf(double t, double df)
{
	double tail = 0.5 * inc_beta(df / 2, 0.5, df / (df + t * t));

	return t >= 0 ? 1 - tail : tail;
}

double ci_t_quantile(double p, double df)
{
	double lo = 0, hi = 1e4;
	int i;

	if (!(df > 0) || !(p > 0 && p < 1))
		return NAN;
	if (p < 0.5)
		return -ci_t_quantile(1 - p, df);
	for (i = 0; i < 200; i++) {	/* bisection: monotone, no tuning */
		double mid = (lo + hi) / 2;

		if (ci_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static void mean_var(const double *x, size_t n, double *mean, double *var)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	*mean = s / (double)n;
	for (i = 0; i < n; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	*var = n > 1 ? ss / (double)(n - 1) : NAN;
}

double ci_mean_t(const double *x, size_t n, double *lo, double *hi)
{
	double m, v, h;

	*lo = *hi = NAN;
	if (!n)
		return NAN;
	mean_var(x, n, &m, &v);
	if (n < 2)
		return m;
	h = ci_t_quantile(0.5 + CI_LEVEL / 2, (double)(n - 1)) * sqrt(v / (double)n);
	*lo = m - h;
	*hi = m + h;
	return m;
}

/* Logs of x into out; -1 when a value is not > 0. */
static int logs(const double *x, size_t n, double *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(x[i] > 0))
			return -1;
		out[i] = log(x[i]);
	}
	return 0;
}

int ci_change_welch(const double *a, size_t na, const double *b, size_t nb,
		    double *pct, double *lo, double *hi)
{
	double *la = malloc((na + nb + 1) * sizeof(*la)), *lb = la ? la + na : NULL;
	double ma, va, mb, vb, se2, df, h, d;

	*pct = *lo = *hi = NAN;
	if (!la || na < 2 || nb < 2 || logs(a, na, la) || logs(b, nb, lb)) {
		free(la);
		return 0;
	}
	mean_var(la, na, &ma, &va);
	mean_var(lb, nb, &mb, &vb);
	free(la);
	d = mb - ma;
	se2 = va / (double)na + vb / (double)nb;
	*pct = (exp(d) - 1) * 100;
	if (!(se2 > 0)) {	/* identical replicates: no spread to judge by */
		*lo = *hi = *pct;
		return 0;
	}
	/* Welch-Satterthwaite degrees of freedom */
	df = se2 * se2 / (va * va / ((double)na * na * (double)(na - 1)) +
			  vb * vb / ((double)nb * nb * (double)(nb - 1)));
	h = ci_t_quantile(0.5 + CI_LEVEL / 2, df) * sqrt(se2);
	*lo = (exp(d - h) - 1) * 100;
	*hi = (exp(d + h) - 1) * 100;
	return *lo > 0 || *hi < 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void ci_hboot(const double *x, size_t runs, size_t per_run, unsigned int resamples,
	      uint64_t seed, double *lo, double *hi)
{
	double *m = malloc(resamples * sizeof(*m));
	unsigned int k;
	uint64_t st = seed;

	*lo = *hi = NAN;
	if (!m || runs < 1 || per_run < 1 || resamples < 2) {
		free(m);
		return;
	}
	for (k = 0; k < resamples; k++) {
		double s = 0;
		size_t r, j;

		for (r = 0; r < runs; r++) {
			size_t rr = stats_rand(&st) % runs;

			for (j = 0; j < per_run; j++)
				s += x[rr * per_run + stats_rand(&st) % per_run];
		}
		m[k] = s / (double)(runs * per_run);
	}
	qsort(m, resamples, sizeof(*m), cmp_d);
	*lo = stats_quantile_sorted(m, resamples, (1 - CI_LEVEL) / 2);
	*hi = stats_quantile_sorted(m, resamples, (1 + CI_LEVEL) / 2);
	free(m);
}

double ci_normal(uint64_t *st)
{
	double u1 = ((double)(stats_rand(st) >> 11) + 0.5) / 9007199254740992.0;
	double u2 = ((double)(stats_rand(st) >> 11) + 0.5) / 9007199254740992.0;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}
