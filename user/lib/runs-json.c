// SPDX-License-Identifier: GPL-2.0
/* A child run's JSON result back into a struct result (runs.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"

static double num(const struct jv *o, const char *k)
{
	return jv_num(jv_get(o, k));
}

static int flag(const struct jv *o, const char *k)
{
	const struct jv *v = jv_get(o, k);

	return v && (v->type == JV_BOOL || v->type == JV_NUM) && v->num != 0;
}

static void str(const struct jv *o, const char *k, char *dst, size_t len)
{
	const char *s = jv_str(jv_get(o, k));

	snprintf(dst, len, "%s", s ? s : "");
}

static void stats_of(const struct jv *j, enum sample_mode mode, struct stats *s)
{
	const struct jv *st = jv_get(j, "statistics");
	int batch = mode == MODE_BATCH;

	memset(s, 0, sizeof(*s));
	s->min = num(st, "min");
	s->q1 = num(st, "q1");
	s->median = num(st, "median");
	s->mean = num(st, "mean");
	s->q3 = num(st, "q3");
	s->max = num(st, "max");
	s->stddev = num(st, "stddev");
	s->n = isfinite(num(st, "n")) ? (uint64_t)num(st, "n") : 0;
	s->p90 = num(j, batch ? "round_p90" : "p90");
	s->p99 = num(j, batch ? "round_p99" : "p99");
	s->p999 = num(j, batch ? "round_p99_9" : "p99_9");
	s->tmean = num(j, "trimmed_mean");
	s->tsd = num(j, "trimmed_sd");
	s->ci_lo = s->ci_hi = s->round_median = NAN;
	s->cv = num(j, "cv");
	s->round_cv = num(j, "round_cv");
	s->round_median_cv = num(j, "round_median_cv");
	s->unstable = flag(j, "unstable");
	s->streamed = flag(j, "streamed");
}

static double *farray(const struct jv *a, size_t *n)
{
	double *v;
	size_t i;

	*n = 0;
	if (!a || a->type != JV_ARR || !(v = malloc((a->n + 1) * sizeof(*v))))
		return NULL;
	for (i = 0; i < a->n; i++)
		v[i] = jv_num(&a->items[i]);
	*n = a->n;
	return v;
}

static uint32_t u32_at(const struct jv *o, const char *k, size_t i)
{
	const struct jv *a = jv_get(o, k);
	double v = a && a->type == JV_ARR && i < a->n ? jv_num(&a->items[i]) : 0;

	return isfinite(v) && v > 0 ? (uint32_t)v : 0;
}

static void intf_of(const struct jv *in, struct result *r)
{
	const struct jv *irq = jv_get(in, "irq");
	size_t i, n = irq && irq->type == JV_ARR ? irq->n : 0;

	r->rintf = calloc(n + 1, sizeof(*r->rintf));
	if (!r->rintf)
		return;
	for (i = 0; i < n; i++) {
		struct round_intf *ri = &r->rintf[i];

		ri->irq = u32_at(in, "irq", i);
		ri->softirq = u32_at(in, "softirq", i);
		ri->nivcsw = u32_at(in, "nivcsw", i);
		ri->migrations = u32_at(in, "migrations", i);
		ri->run_delay_us = u32_at(in, "run_delay_us", i);
		ri->round_us = u32_at(in, "round_us", i);
		ri->disturbed = u32_at(in, "disturbed", i) != 0;
		ri->excluded = u32_at(in, "excluded", i) != 0;
	}
	r->nrintf = n;
	r->rounds_disturbed = (uint64_t)fmax(0, num(in, "rounds_disturbed"));
	r->rounds_excluded = (uint64_t)fmax(0, num(in, "rounds_excluded"));
}

static void timer_of(const struct jv *t, struct timer_window *tw)
{
	stats_of(t, MODE_PER_CALL, &tw->st);
	tw->subtracted = num(t, "subtracted");
	tw->se = num(t, "subtracted_se");
	tw->by_mean = jv_str(jv_get(t, "by")) && !strcmp(jv_str(jv_get(t, "by")), "trimmed_mean");
}

void result_from_json(const struct jv *j, const struct bench *b, struct result *r)
{
	const char *mode = jv_str(jv_get(j, "mode"));
	const struct jv *armed = jv_get(j, "armed"), *pre = jv_get(j, "preempted");
	size_t n;

	memset(r, 0, sizeof(*r));
	r->b = b;
	r->mode = mode && !strcmp(mode, "batch") ? MODE_BATCH : MODE_PER_CALL;
	stats_of(j, r->mode, &r->st);
	r->st.rounds = (uint64_t)fmax(0, num(j, "rounds"));
	r->round_means = farray(jv_get(j, "round_means"), &r->nround_means);
	r->round_medians = farray(jv_get(j, "round_medians"), &n);
	if (n != r->nround_means) {	/* never trust a short array as parallel */
		free(r->round_medians);
		r->round_medians = NULL;
	}
	intf_of(jv_get(j, "interference"), r);
	timer_of(jv_get(j, "timer_window"), &r->tw);
	r->timer_ovh = num(j, "timer_overhead");
	r->extra_overhead = num(j, "extra_overhead");
	r->loop_overhead = num(j, "loop_overhead");
	r->divisor = num(j, "divisor");
	r->step = num(j, "tsc_step_per_op");
	r->iters = (uint64_t)fmax(0, num(j, "iters"));
	r->warmup = (uint64_t)fmax(0, num(j, "warmup"));
	r->cpu = (int)num(j, "cpu");
	r->peer_cpu = (int)num(j, "peer_cpu");
	r->process = flag(j, "process");
	r->armed = armed && armed->type == JV_BOOL ? (int)armed->num : -1;
	r->busy_wait = flag(j, "busy_wait");
	str(j, "note", r->note, sizeof(r->note));
	str(j, "peer_where", r->peer_where, sizeof(r->peer_where));
	r->partial = flag(j, "partial");
	r->skipped = flag(j, "skipped");
	r->err = isfinite(num(j, "error")) ? (int)num(j, "error") : 0;
	r->elapsed_s = num(j, "elapsed_s");
	r->preempted = pre && pre->type == JV_NUM ? (long)pre->num : -1;
}
