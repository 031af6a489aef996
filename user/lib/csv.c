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

static void row(FILE *f, const char *bench, const char *stat, double v,
		const char *unit)
{
	char num[64] = "";	/* NaN: empty field */
	const char *fields[4] = { bench, stat, num, unit };

	if (isfinite(v))
		snprintf(num, sizeof(num), "%.15g", v);
	csv_row(f, fields, 4);
}

static void result_rows(FILE *f, const struct run_report *rr, const struct result *r)
{
	static const char *const names[] = {
		"min", "q1", "median", "mean", "q3", "p90", "p99", "p99.9", "max",
		"stddev", "ci95_lo", "ci95_hi", "median_of_round_means",
	};
	const struct stats *s = &r->st;
	double v[] = { s->min, s->q1, s->median, s->mean, s->q3, s->p90, s->p99,
		       s->p999, s->max, s->stddev, s->ci_lo, s->ci_hi, s->round_median };
	const char *name = r->b->name, *unit = tsc_unit(rr->tsc);
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		row(f, name, names[i], v[i], unit);
	if (!rr->tsc->icount)
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			row(f, name, names[i], tsc_to_ns(rr->tsc, v[i]), "ns");
	row(f, name, "n", (double)s->n, "samples");
	row(f, name, "rounds", (double)s->rounds, "rounds");
	row(f, name, "timer_overhead", r->timer_ovh, unit);
	row(f, name, "loop_overhead", r->loop_overhead, unit);
	row(f, name, "extra_overhead", r->extra_overhead, unit);	/* subtracted per op (ctx-ring) */
	row(f, name, "divisor", r->divisor, "ops per counted op");
	row(f, name, "unstable", s->unstable, "flag");
	row(f, name, "streamed", s->streamed, "flag");
	row(f, name, "partial", r->partial, "flag");
	row(f, name, "preempted", r->preempted < 0 ? NAN : (double)r->preempted, "count");
	if (r->armed >= 0)
		row(f, name, "armed", r->armed, "flag");
}

void report_csv(FILE *f, const struct run_report *rr)
{
	size_t i;

	fputs(CSV_HEADER "\n", f);
	for (i = 0; i < rr->nres; i++)
		if (!rr->res[i].skipped && rr->res[i].st.n)
			result_rows(f, rr, &rr->res[i]);
		else if (rr->res[i].skipped)	/* value 1, the reason in the unit column */
			csv_row(f, (const char *const[]){ rr->res[i].b->name, "skipped", "1",
				rr->res[i].note[0] ? rr->res[i].note : "not run" }, 4);
}
