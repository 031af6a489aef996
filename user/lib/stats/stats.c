// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_quantile_sorted(const double *v, size_t n, double q)
{
	double h;
	size_t lo;

	if (!n)
		return NAN;
	if (q <= 0)
		return v[0];
	if (q >= 1)
		return v[n - 1];
	h = (double)(n - 1) * q;
	lo = (size_t)h;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

double stats_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return stats_quantile_sorted(v, n, 0.5);
}

uint64_t stats_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(uint64_t *st)	/* (0, 1) */
{
	return ((double)(stats_rand(st) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(uint64_t *st)	/* Box-Muller */
{
	return sqrt(-2 * log(unif(st))) * cos(2 * M_PI * unif(st));
}

/* Gamma(a, 1) for a >= 1, Marsaglia & Tsang (2000). */
static double gamma_rand(double a, uint64_t *st)
{
	double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);

	for (;;) {
		double x = normal(st), v = 1 + c * x, u;

		if (v <= 0)
			continue;
		v = v * v * v;
		u = unif(st);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static double beta_rand(double a, double b, uint64_t *st)
{
	double x = gamma_rand(a, st);

	return x / (x + gamma_rand(b, st));
}

static int cmp_pair(const void *a, const void *b)
{
	return cmp_double(a, b);
}

void stats_boot_ci(uint64_t n, double (*quant)(const void *ctx, double idx),
		   const void *ctx, double *lo, double *hi)
{
	uint64_t st = STATS_BOOT_SEED, k = (n + 1) / 2;
	double *m;
	int i;

	*lo = *hi = NAN;
	if (n < 2 || !(m = malloc(STATS_BOOT_RESAMPLES * sizeof(*m))))
		return;
	for (i = 0; i < STATS_BOOT_RESAMPLES; i++) {
		/* U_(k) of n uniforms ~ Beta(k, n - k + 1); the resample's
		 * k-th value is data[floor(n * U_(k))]. For even n the median
		 * also needs U_(k+1) = U_(k) + (1 - U_(k)) * Beta(1, n - k). */
		double u = beta_rand((double)k, (double)(n - k + 1), &st);
		double idx = floor(u * (double)n), v = quant(ctx, idx);

		if (n % 2 == 0) {
			double u2 = u + (1 - u) * (1 - pow(unif(&st), 1.0 / (double)(n - k)));

			v = (v + quant(ctx, floor(u2 * (double)n))) / 2;
		}
		m[i] = v;
	}
	qsort(m, STATS_BOOT_RESAMPLES, sizeof(*m), cmp_pair);
	*lo = stats_quantile_sorted(m, STATS_BOOT_RESAMPLES, 0.025);
	*hi = stats_quantile_sorted(m, STATS_BOOT_RESAMPLES, 0.975);
	free(m);
}

struct sorted_ctx {
	const double *v;
	size_t n;
};

static double sorted_at(const void *ctx, double idx)
{
	const struct sorted_ctx *c = ctx;
	size_t i = idx < 0 ? 0 : (size_t)idx;

	return c->v[i < c->n ? i : c->n - 1];
}

/* Sets everything but the quantiles from the exact moments. */
static void moments(struct stats *s, uint64_t n, double mn, double mx,
		    double mean, double m2)
{
	s->n = n;
	s->min = mn;
	s->max = mx;
	s->mean = mean;
	s->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
	s->cv = fabs(mean) > 0 ? s->stddev / fabs(mean) : NAN;
	s->round_cv = NAN;
	s->unstable = n > 1 && s->cv > STATS_UNSTABLE_CV;
}

/* Mean and sd of the lowest (1 - STATS_TRIM) of sorted v: VM stalls and
 * interrupts live in the top tail and would dominate a plain mean. */
static void trimmed(const double *v, size_t n, struct stats *s)
{
	size_t k = n - (size_t)floor((double)n * STATS_TRIM), i;
	double sum = 0, ss = 0;

	for (i = 0; i < k; i++)
		sum += v[i];
	s->tmean = sum / (double)k;
	for (i = 0; i < k; i++)
		ss += (v[i] - s->tmean) * (v[i] - s->tmean);
	s->tsd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0;
}

void stats_compute(double *v, size_t n, struct stats *s)
{
	struct sorted_ctx c = { v, n };
	double mean = 0, m2 = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->round_median = s->ci_lo = s->ci_hi = s->cv = s->round_cv = NAN;
	s->round_median_cv = NAN;
	s->tmean = s->tsd = NAN;
	if (!n) {
		s->min = s->q1 = s->median = s->mean = s->q3 = NAN;
		s->p90 = s->p99 = s->p999 = s->max = s->stddev = NAN;
		return;
	}
	for (i = 0; i < n; i++) {	/* Welford: stable for large n */
		double d = v[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * (v[i] - mean);
	}
	qsort(v, n, sizeof(*v), cmp_double);
	moments(s, n, v[0], v[n - 1], mean, m2);
	s->q1 = stats_quantile_sorted(v, n, 0.25);
	s->median = stats_quantile_sorted(v, n, 0.5);
	s->q3 = stats_quantile_sorted(v, n, 0.75);
	s->p90 = stats_quantile_sorted(v, n, 0.90);
	s->p99 = stats_quantile_sorted(v, n, 0.99);
	s->p999 = stats_quantile_sorted(v, n, 0.999);
	stats_boot_ci(n, sorted_at, &c, &s->ci_lo, &s->ci_hi);
	trimmed(v, n, s);
}

int sampler_init(struct sampler *sp, uint64_t max_samples)
{
	memset(sp, 0, sizeof(*sp));
	sp->max_samples = max_samples;
	sp->min = INFINITY;
	sp->max = -INFINITY;
	return 0;
}

void sampler_destroy(struct sampler *sp)
{
	free(sp->v);
	free(sp->round_means);
	free(sp->round_medians);
	free(sp->round_starts);
	if (sp->streaming)
		hist_destroy(&sp->h);
	memset(sp, 0, sizeof(*sp));
}

/*
 * Streamed values are fixed point, 1/STREAM_SCALE of a tick: per-op
 * figures below one tick (a function call, batch means) keep their
 * fraction, and the histogram's 1.6 % buckets hold from 1/4 tick up.
 * Negative values (overhead subtracted past zero) still count as 0.
 */
#define STREAM_SCALE 256.0

static uint64_t to_bucket_value(double v)
{
	v *= STREAM_SCALE;
	return v <= 0 ? 0 : v >= 1.8e19 ? UINT64_MAX : (uint64_t)llround(v);
}

static double stream_quantile(const struct hist *h, double q)
{
	return hist_quantile(h, q) / STREAM_SCALE;
}

/* Past max_samples: move the exact values into the histogram. */
static int start_streaming(struct sampler *sp)
{
	size_t i;

	if (hist_init(&sp->h))
		return -ENOMEM;
	for (i = 0; i < sp->n; i++)
		hist_add(&sp->h, to_bucket_value(sp->v[i]));
	free(sp->v);
	sp->v = NULL;
	sp->n = sp->cap = sp->round_first = 0;
	sp->streaming = 1;
	return 0;
}

int sampler_add(struct sampler *sp, double v)
{
	double d = v - sp->mean;

	sp->count++;
	sp->mean += d / (double)sp->count;
	sp->m2 += d * (v - sp->mean);
	if (v < sp->min)
		sp->min = v;
	if (v > sp->max)
		sp->max = v;
	sp->round_sum += v;
	sp->round_n++;
	if (!sp->streaming && sp->n == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 4096;
		double *nv;

		if (sp->n >= sp->max_samples) {
			if (start_streaming(sp))
				return -ENOMEM;
		} else {
			if (cap > sp->max_samples)
				cap = sp->max_samples;
			nv = realloc(sp->v, cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			sp->v = nv;
			sp->cap = cap;
		}
	}
	if (sp->streaming)
		hist_add(&sp->h, to_bucket_value(v));
	else
		sp->v[sp->n++] = v;
	return 0;
}

/* Median of the current round's exact values (a copy: v stays in order). */
static double current_round_median(struct sampler *sp)
{
	size_t n = sp->n - sp->round_first;
	double *c = malloc(n * sizeof(*c)), m;

	if (!c)
		return NAN;
	memcpy(c, sp->v + sp->round_first, n * sizeof(*c));
	m = stats_median(c, n);
	free(c);
	return m;
}

int sampler_end_round(struct sampler *sp)
{
	if (!sp->round_n)
		return 0;
	if (sp->nrounds == sp->rounds_cap) {
		size_t cap = sp->rounds_cap ? sp->rounds_cap * 2 : 64;
		double *nr = realloc(sp->round_means, cap * sizeof(*nr));
		double *nm = nr ? realloc(sp->round_medians, cap * sizeof(*nm)) : NULL;
		size_t *ns = nm ? realloc(sp->round_starts, cap * sizeof(*ns)) : NULL;

		if (nr)
			sp->round_means = nr;
		if (nm)
			sp->round_medians = nm;
		if (!ns)
			return -ENOMEM;
		sp->round_starts = ns;
		sp->rounds_cap = cap;
	}
	sp->round_starts[sp->nrounds] = sp->round_first;
	sp->round_medians[sp->nrounds] = sp->streaming ? NAN : current_round_median(sp);
	sp->round_means[sp->nrounds++] = sp->round_sum / (double)sp->round_n;
	sp->round_sum = 0;
	sp->round_n = 0;
	sp->round_first = sp->n;
	return 0;
}

static double round_cv(const double *v, size_t n)
{
	double sum = 0, ss = 0, mean;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / (double)n;
	for (i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	return fabs(mean) > 0 ? sqrt(ss / (double)(n - 1)) / fabs(mean) : NAN;
}

static double hist_at(const void *ctx, double idx)
{
	const struct hist *h = ctx;

	return stream_quantile(h, h->total > 1 ? idx / (double)(h->total - 1) : 0);
}

void sampler_stats(struct sampler *sp, struct stats *s)
{
	if (!sp->streaming) {
		stats_compute(sp->v, sp->n, s);
	} else {
		memset(s, 0, sizeof(*s));
		moments(s, sp->count, sp->min, sp->max, sp->mean, sp->m2);
		s->q1 = stream_quantile(&sp->h, 0.25);
		s->median = stream_quantile(&sp->h, 0.5);
		s->q3 = stream_quantile(&sp->h, 0.75);
		s->p90 = stream_quantile(&sp->h, 0.90);
		s->p99 = stream_quantile(&sp->h, 0.99);
		s->p999 = stream_quantile(&sp->h, 0.999);
		stats_boot_ci(sp->count, hist_at, &sp->h, &s->ci_lo, &s->ci_hi);
		s->streamed = 1;
	}
	s->rounds = sp->nrounds;
	s->round_median = sp->nrounds ? stats_median(sp->round_means, sp->nrounds) : NAN;
	s->round_median_cv = NAN;
	if (sp->nrounds >= 2) {
		s->round_cv = round_cv(sp->round_means, sp->nrounds);
		s->round_median_cv = round_cv(sp->round_medians, sp->nrounds);
		double cv = isfinite(s->round_median_cv) ? s->round_median_cv : s->round_cv;

		s->unstable = cv > STATS_UNSTABLE_CV &&
			      cv * fabs(s->round_median) > sp->resolution;
	}
}
