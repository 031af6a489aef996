// SPDX-License-Identifier: GPL-2.0
/*
 * Long-format CSV: one row per benchmark x statistic, with its unit, so
 * a spreadsheet or pandas pivots it as needed and new statistics never
 * shift columns.
 */
#include <math.h>
#include <string.h>

#include "csv.h"
#include "report.h"

void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);	/* "" inside quotes */
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_row(FILE *f, const char *const *fields, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_field(f, fields[i]);
	}
	fputc('\n', f);
}

struct csv_ctx {
	FILE *f;
	const char *bench, *mode, *dir, *place, *process;
};

static void row(const struct csv_ctx *c, const char *stat, double v, const char *unit)
{
	char num[64] = "";	/* NaN: empty field */
	const char *fields[CSV_FIELDS] = { c->bench, c->mode, c->dir, c->place, c->process,
					   stat, num, unit };

	if (isfinite(v))
		snprintf(num, sizeof(num), "%.15g", v);
	csv_row(c->f, fields, CSV_FIELDS);
}

static const char *dir_key(enum bench_dir d)
{
	return d == BENCH_ROUND_TRIP ? "round_trip" : d == BENCH_ONE_WAY ? "one_way" : "per_call";
}

static struct csv_ctx ctx_of(FILE *f, const struct result *r)
{
	return (struct csv_ctx){ f, r->b->name, r->mode == MODE_BATCH ? "batch" : "percall",
				 dir_key(r->b->dir),
				 r->peer_cpu < 0 ? "none" : r->peer_cpu == r->cpu ? "same" : "cross",
				 r->process ? "process" : "thread" };
}

static void result_rows(FILE *f, const struct run_report *rr, const struct result *r)
{
	/* tails of batch rounds are of round means: named for it (as in JSON) */
	int batch = r->mode == MODE_BATCH;
	const char *names[] = {
		"min", "q1", "median", "mean", "q3", batch ? "round_p90" : "p90",
		batch ? "round_p99" : "p99", batch ? "round_p99.9" : "p99.9", "max",
		"stddev", "trimmed_mean", "ci95_median_lo", "ci95_median_hi", "ci95_mean_lo",
		"ci95_mean_hi", "ci95_trimmed_mean_lo", "ci95_trimmed_mean_hi",
	};
	const struct stats *s = &r->st;
	double v[] = { s->min, s->q1, s->median, s->mean, s->q3, s->p90, s->p99,
		       s->p999, s->max, s->stddev, r->tmean.est, r->median.lo, r->median.hi,
		       r->mean.lo, r->mean.hi, r->tmean.lo, r->tmean.hi };
	const char *unit = tsc_unit(rr->tsc);
	struct csv_ctx c = ctx_of(f, r);
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		row(&c, names[i], v[i], unit);
	if (!rr->tsc->icount)
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			row(&c, names[i], tsc_to_ns(rr->tsc, v[i]), "ns");
	row(&c, "n", (double)s->n, "samples");
	row(&c, "rounds", (double)s->rounds, "rounds");
	row(&c, "runs", (double)r->nruns, "runs");
	row(&c, "lead_is_trimmed_mean", r->lead_mean, "flag");
	row(&c, "rounds_disturbed", (double)r->rounds_disturbed, "rounds");
	row(&c, "rounds_excluded", (double)r->rounds_excluded, "rounds");
	row(&c, "timer_overhead", r->timer_ovh, unit);
	row(&c, "timer_overhead_se", r->tw.se, unit);
	row(&c, "tsc_step_per_op", r->step, unit);
	row(&c, "loop_overhead", r->loop_overhead, unit);
	row(&c, "extra_overhead", r->extra_overhead, unit);	/* subtracted per op (ctx-ring) */
	row(&c, "divisor", r->divisor, "ops per counted op");
	row(&c, "unstable", s->unstable, "flag");
	row(&c, "streamed", s->streamed, "flag");
	row(&c, "partial", r->partial, "flag");
	row(&c, "preempted", r->preempted < 0 ? NAN : (double)r->preempted, "count");
	if (r->armed >= 0)
		row(&c, "armed", r->armed, "flag");
}

void report_csv(FILE *f, const struct run_report *rr)
{
	size_t i;

	fputs(CSV_HEADER "\n", f);
	for (i = 0; i < rr->nres; i++)
		if (!rr->res[i].skipped && rr->res[i].st.n)
			result_rows(f, rr, &rr->res[i]);
		else if (rr->res[i].skipped) {	/* value 1, the reason in the unit column */
			struct csv_ctx c = ctx_of(f, &rr->res[i]);

			row(&c, "skipped", 1, rr->res[i].note[0] ? rr->res[i].note : "not run");
		}
}
