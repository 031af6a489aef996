// SPDX-License-Identifier: GPL-2.0
/*
 * Runs of one benchmark merged into one result (report.h): the named
 * statistics over every kept sample, and the median, mean and trimmed
 * mean as the mean of the run figures with a Student-t CI over runs
 * (ci.h; docs/statistics.md says why not a percentile bootstrap).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "report.h"

void result_free(struct result *r)
{
	free(r->round_means);
	free(r->round_medians);
	free(r->rintf);
	free(r->runs);
	r->round_means = r->round_medians = NULL;
	r->rintf = NULL;
	r->runs = NULL;
}

/* Pooled moments and extremes; quartiles and tails as means over the runs. */
static void pool_stats(const struct result *per, unsigned int n, struct stats *s)
{
	double sum = 0, ss = 0, m;
	unsigned int k, used = 0;

	memset(s, 0, sizeof(*s));
	s->min = INFINITY;
	s->max = -INFINITY;
	for (k = 0; k < n; k++) {
		const struct stats *r = &per[k].st;

		if (!r->n)
			continue;
		used++;
		s->n += r->n;
		s->rounds += r->rounds;
		sum += r->mean * (double)r->n;
		s->min = r->min < s->min ? r->min : s->min;
		s->max = r->max > s->max ? r->max : s->max;
		s->q1 += r->q1;
		s->q3 += r->q3;
		s->p90 += r->p90;
		s->p99 += r->p99;
		s->p999 += r->p999;
		s->unstable |= r->unstable;
		s->streamed |= r->streamed;
	}
	if (!used) {
		stats_compute(NULL, 0, s);
		return;
	}
	s->mean = m = sum / (double)s->n;
	for (k = 0; k < n; k++) {	/* within + between: the pooled sd */
		const struct stats *r = &per[k].st;

		if (r->n)
			ss += r->stddev * r->stddev * (double)(r->n - 1) +
			      (double)r->n * (r->mean - m) * (r->mean - m);
	}
	s->stddev = s->n > 1 ? sqrt(ss / (double)(s->n - 1)) : 0;
	s->cv = m != 0 ? s->stddev / fabs(m) : NAN;
	s->q1 /= used;
	s->q3 /= used;
	s->p90 /= used;
	s->p99 /= used;
	s->p999 /= used;
	s->round_cv = s->round_median_cv = s->round_median = NAN;
	s->ci_lo = s->ci_hi = NAN;
}

static void estimate(const double *x, size_t n, struct rep_est *e)
{
	e->est = ci_mean_t(x, n, &e->lo, &e->hi);
}

/* Concatenate the per-round arrays of the runs. */
static int concat(const struct result *per, unsigned int n, struct result *out)
{
	size_t nr = 0, ni = 0, k;
	unsigned int j;

	for (j = 0; j < n; j++) {
		nr += per[j].nround_means;
		ni += per[j].nrintf;
	}
	out->round_means = malloc((nr + 1) * sizeof(double));
	out->round_medians = malloc((nr + 1) * sizeof(double));
	out->rintf = malloc((ni + 1) * sizeof(*out->rintf));
	if (!out->round_means || !out->round_medians || !out->rintf)
		return -ENOMEM;
	for (j = 0; j < n; j++) {
		for (k = 0; k < per[j].nround_means; k++) {
			out->round_means[out->nround_means] = per[j].round_means[k];
			out->round_medians[out->nround_means++] =
				per[j].round_medians ? per[j].round_medians[k] : NAN;
		}
		if (per[j].nrintf)
			memcpy(out->rintf + out->nrintf, per[j].rintf,
			       per[j].nrintf * sizeof(*out->rintf));
		out->nrintf += per[j].nrintf;
		out->rounds_disturbed += per[j].rounds_disturbed;
		out->rounds_excluded += per[j].rounds_excluded;
	}
	return 0;
}

/* The three estimates: over runs, or over the rounds of a single run. */
static void estimates(struct result *out, unsigned int nused, const double *med,
		      const double *mean, const double *tmean)
{
	if (nused >= 2) {
		estimate(med, nused, &out->median);
		estimate(mean, nused, &out->mean);
		estimate(tmean, nused, &out->tmean);
		out->ci_level = "runs";
		return;
	}
	/* one run: its figures, the CI from its rounds (reproducibility not covered) */
	out->median.est = med[0];
	out->mean.est = mean[0];
	out->tmean.est = tmean[0];
	out->median.lo = out->median.hi = out->mean.lo = out->mean.hi = NAN;
	out->tmean.lo = out->tmean.hi = NAN;
	out->ci_level = NULL;
	if (out->nround_means >= 2) {
		struct rep_est e;

		estimate(out->round_means, out->nround_means, &e);
		out->mean.lo = e.lo - e.est + mean[0];
		out->mean.hi = e.hi - e.est + mean[0];
		out->tmean.lo = out->mean.lo - mean[0] + tmean[0];
		out->tmean.hi = out->mean.hi - mean[0] + tmean[0];
		estimate(out->round_medians, out->nround_means, &e);
		if (isnan(e.est))	/* streamed: no round medians, batch uses the means */
			estimate(out->round_means, out->nround_means, &e);
		out->median.lo = e.lo - e.est + med[0];
		out->median.hi = e.hi - e.est + med[0];
		out->ci_level = "rounds";
	}
}

/* Coarse TSC: the step is a sizable part of the figure (docs/statistics.md). */
static void coarse(struct result *out)
{
	double step = out->step;

	if (!(step > 0) || !(out->median.est > 0) || step / out->median.est < REPORT_STEP_SIZABLE)
		return;
	out->lead_mean = isfinite(out->tmean.est);
	if (isfinite(out->median.lo)) {
		out->median.lo -= step / 2;
		out->median.hi += step / 2;
		out->median_widened = 1;
	}
}

static void copy_meta(struct result *out, const struct result *m)
{
	out->b = m->b;
	out->mode = m->mode;
	out->tw = m->tw;
	out->timer_ovh = m->timer_ovh;
	out->divisor = m->divisor;
	out->extra_overhead = m->extra_overhead;
	out->loop_overhead = m->loop_overhead;
	out->iters = m->iters;
	out->warmup = m->warmup;
	out->cpu = m->cpu;
	out->peer_cpu = m->peer_cpu;
	out->process = m->process;
	out->armed = m->armed;
	out->busy_wait = m->busy_wait;
	out->step = m->step;
	memcpy(out->note, m->note, sizeof(out->note));
	memcpy(out->peer_where, m->peer_where, sizeof(out->peer_where));
	out->err = m->err;
}

int result_merge(const struct result *per, unsigned int n, struct result *out)
{
	double *med = calloc(3 * (size_t)n + 3, sizeof(double)), *mean = med + n + 1, *tm = mean + n + 1;
	unsigned int k, used = 0, first = n;

	memset(out, 0, sizeof(*out));
	out->runs = calloc(n + 1, sizeof(*out->runs));
	if (!med || !out->runs || concat(per, n, out)) {
		free(med);
		return -ENOMEM;
	}
	for (k = 0; k < n; k++) {
		const struct result *r = &per[k];
		struct run_stat *rs = &out->runs[out->nruns++];

		rs->index = k;
		rs->median = r->st.n ? r->st.median : NAN;
		rs->mean = r->st.n ? r->st.mean : NAN;
		rs->tmean = r->st.n ? r->st.tmean : NAN;
		rs->n = r->st.n;
		rs->rounds = r->st.rounds;
		rs->disturbed = r->rounds_disturbed;
		rs->excluded = r->rounds_excluded;
		rs->timer_subtracted = r->timer_ovh;
		rs->partial = r->partial;
		if (!r->st.n || r->skipped)
			continue;
		if (first == n)
			first = k;
		med[used] = rs->median;
		mean[used] = rs->mean;
		tm[used++] = isfinite(rs->tmean) ? rs->tmean : rs->mean;
	}
	/* metadata (placement, notes, mode, overheads) from the first run with samples */
	copy_meta(out, &per[first < n ? first : 0]);
	out->skipped = !used && per[first < n ? first : 0].skipped;
	for (k = 0; k < n; k++) {
		out->partial |= per[k].partial;
		out->elapsed_s += per[k].elapsed_s;
		out->preempted = per[k].preempted < 0 ? -1 : out->preempted + per[k].preempted;
	}
	pool_stats(per, n, &out->st);
	if (used) {
		estimates(out, used, med, mean, tm);
		out->st.median = out->median.est;	/* the figures the CIs are about */
		out->st.tmean = out->tmean.est;
		coarse(out);
	} else {
		out->median.est = out->mean.est = out->tmean.est = NAN;
		out->median.lo = out->median.hi = out->mean.lo = out->mean.hi = NAN;
		out->tmean.lo = out->tmean.hi = NAN;
	}
	free(med);
	return 0;
}
