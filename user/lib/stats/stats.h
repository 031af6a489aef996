/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sample statistics, pure and unit-tested.
 *
 * Quantiles use linear interpolation between order statistics at rank
 * (n - 1) * q (Hyndman & Fan type 7, numpy's default), so q1/median/q3
 * match what the reference experiment's numpy script computes.
 * stddev is the sample standard deviation (n - 1); 0 for n = 1.
 *
 * A sampler collects values: exactly (sorted array) up to max_samples, then
 * it moves everything into a log-linear histogram (hist.h) and streams,
 * keeping min/max/mean/stddev exact and the quantiles to within a bucket
 * (1.6 %); stats.streamed says so.
 */
#ifndef SYSLAT_STATS_H
#define SYSLAT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "hist.h"

#define STATS_UNSTABLE_CV	0.05	/* stddev/mean above this: flagged */
#define STATS_BOOT_RESAMPLES	2000
#define STATS_BOOT_SEED		0x5eed5eedULL

struct stats {
	uint64_t n;
	double min, q1, median, mean, q3, p90, p99, p999, max, stddev;
	double ci_lo, ci_hi;		/* bootstrap 95 % CI of the median; NaN if n < 2 */
	double round_median;		/* median of per-round means; NaN if none */
	uint64_t rounds;		/* per-round means seen */
	double cv;			/* stddev / mean of the samples */
	double round_cv;		/* stddev / mean of the per-round means; NaN if < 2 */
	double round_median_cv;		/* the same over per-round medians; NaN if unknown */
	/*
	 * stddev / mean > STATS_UNSTABLE_CV, over rounds when there are >= 2:
	 * of the per-round medians when known (per-call samples: a single
	 * 50 ms VM stall moves a round's mean, not its median), else of the
	 * per-round means (batch mode, streaming); over the samples otherwise.
	 * A sampler with a resolution also requires the stddev to exceed it
	 * (medians that flip between two TSC steps are quantisation).
	 */
	int unstable;
	int streamed;			/* quantiles from the histogram */
	/* Added with replication (zero/NaN when unknown): */
	double tmean, tsd;		/* mean and sd of the lowest 99 % (top 1 % trimmed); NaN streamed */
};

#define STATS_TRIM 0.01			/* fraction trimmed from the top for tmean */

/* Quantile of sorted v[0..n-1], type 7. NaN for n = 0. */
double stats_quantile_sorted(const double *v, size_t n, double q);
/* All statistics of v[0..n-1]; sorts v in place. CI by bootstrap. */
void stats_compute(double *v, size_t n, struct stats *s);
/* Median of v (sorts v in place). NaN for n = 0. */
double stats_median(double *v, size_t n);

/*
 * Exact bootstrap percentile CI of the median, simulated: a resample's
 * median is an order statistic of n uniform indices into the sorted data,
 * drawn directly from its Beta distribution, so the cost is O(resamples)
 * whatever n is. @quant maps a fraction of the data to a value
 * (interpolating into sorted data or the histogram).
 */
void stats_boot_ci(uint64_t n, double (*quant)(const void *ctx, double idx),
		   const void *ctx, double *lo, double *hi);

/* Deterministic PRNG (splitmix64), exposed for the tests. */
uint64_t stats_rand(uint64_t *state);

struct sampler {
	double *v;		/* exact values, until streaming */
	size_t n, cap;
	uint64_t max_samples;
	double resolution;	/* timer resolution per value: spread below it is not instability */
	struct hist h;		/* after switching: values rounded to u64, < 0 -> 0 */
	int streaming;
	uint64_t count;
	double min, max, mean, m2;	/* Welford, always exact */
	double *round_means;
	double *round_medians;	/* while exact; NULL once streaming */
	size_t nrounds, rounds_cap;
	size_t round_first;	/* index in v of the round's first value */
	size_t *round_starts;	/* per round, its first index in v (exact only) */
	double round_sum;
	uint64_t round_n;
};

int sampler_init(struct sampler *sp, uint64_t max_samples);	/* 0 or -ENOMEM */
void sampler_destroy(struct sampler *sp);
int sampler_add(struct sampler *sp, double v);		/* 0 or -ENOMEM */
int sampler_end_round(struct sampler *sp);		/* closes a round's mean */
/*
 * Drop the rounds with drop[k] != 0 (k over closed rounds) from an exact
 * sampler: values, per-round figures and moments. Returns the number
 * dropped; 0 (nothing changed) when streaming or when none would remain.
 */
size_t sampler_drop_rounds(struct sampler *sp, const uint8_t *drop);
/* Statistics of everything added; sorts the exact values. */
void sampler_stats(struct sampler *sp, struct stats *s);

#endif
