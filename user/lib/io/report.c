// SPDX-License-Identifier: GPL-2.0
/*
 * Human table and JSON results. The JSON keeps sel4bench's compact
 * [min, q1, median, mean, q3, max, stddev, n] array per benchmark and adds
 * the rest by name; keys are snake_case and never renamed once published
 * (bump REPORT_SCHEMA_VERSION instead).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "anysys-run.h"
#include "env.h"
#include "phase-run.h"
#include "report.h"
#include "util.h"

const char *bench_dir_name(enum bench_dir d)
{
	switch (d) {
	case BENCH_ROUND_TRIP: return "round trip";
	case BENCH_ONE_WAY: return "one way";
	default: return "per call";
	}
}

const char *bench_title(const struct bench *b)
{
	return b->title ? b->title : b->name;
}

/* Ticks: whole numbers from 100 up, one decimal below. */
static void fmt_ticks(char *buf, size_t len, double v)
{
	snprintf(buf, len, fabs(v) >= 100 ? "%.0f" : "%.1f", v);
}

static void fmt_ns(char *buf, size_t len, double ns)
{
	if (!isfinite(ns))
		snprintf(buf, len, "-");
	else if (fabs(ns) >= 10000)
		snprintf(buf, len, "%.2f us", ns / 1000);
	else
		snprintf(buf, len, "%.1f ns", ns);
}

static void table_header(FILE *f, const struct run_report *rr)
{
	const struct tsc_info *ti = rr->tsc;
	char t[32];

	fmt_ticks(t, sizeof(t), rr->timer.median);
	if (ti->icount)
		fprintf(f, "# syslat %s  units: instructions (icount), no ns\n", SYSLAT_VERSION);
	else
		fprintf(f, "# syslat %s  TSC %.3f MHz (%s)%s, tsc step %llu\n",
			SYSLAT_VERSION, ti->khz / 1000, tsc_src_name(ti->src),
			ti->have_rdtscp ? ", rdtscp" : ", no rdtscp",
			(unsigned long long)ti->granularity);
	fprintf(f, "# %u run%s (processes, order shuffled, seed %llu) x %llu rounds; %s samples; "
		"timer window measured per benchmark and subtracted per window\n",
		rr->runs_done, rr->runs_done == 1 ? "" : "s", (unsigned long long)rr->seed,
		(unsigned long long)rr->opt->rounds,
		rr->opt->mode == MODE_BATCH ? "batch (per-round mean)" : "per-call");
	if (rr->runs_done >= 2)
		fprintf(f, "# figure = mean over runs of each run's median (or trimmed mean, marked "
			"'mean'); CI = 95 %% Student t over the runs\n");
	else
		fprintf(f, "# one run: CI = 95 %% t over its rounds, NOT run-to-run reproducibility "
			"(use --runs)\n");
	if (rr->opt->mode != MODE_BATCH && ti->granularity > 1)
		fprintf(f, "# the TSC moves in steps of %llu: where a step is >= %.0f %% of the figure "
			"the trimmed mean leads (dithered) and the median's CI is widened by +-step/2\n",
			(unsigned long long)ti->granularity, REPORT_STEP_SIZABLE * 100);
}

/* Disturbed rounds (interf.h), when there were any. */
static void table_intf(FILE *f, const struct result *r)
{
	if (!r->rounds_disturbed)
		return;
	fprintf(f, "  disturbed %llu/%zu rounds", (unsigned long long)r->rounds_disturbed, r->nrintf);
	if (r->rounds_excluded)
		fprintf(f, " (%llu excluded)", (unsigned long long)r->rounds_excluded);
}

static void table_row(FILE *f, const struct run_report *rr, const struct result *r)
{
	const struct rep_est *e = r->lead_mean ? &r->tmean : &r->median;
	char v[32], ns[32], lo[32], hi[32], where[96] = "", pm[24] = "";
	const struct stats *s = &r->st;

	fmt_ticks(v, sizeof(v), e->est);
	fmt_ticks(lo, sizeof(lo), e->lo);
	fmt_ticks(hi, sizeof(hi), e->hi);
	fmt_ns(ns, sizeof(ns), tsc_to_ns(rr->tsc, e->est));
	if (isfinite(e->lo) && e->est > 0)
		snprintf(pm, sizeof(pm), " \u00b1%.1f%%", (e->hi - e->lo) / 2 / e->est * 100);
	if (r->b->needs_peer)
		snprintf(where, sizeof(where), "  [cpu %d, peer %s]", r->cpu,
			 r->peer_where[0] ? r->peer_where : "?");
	fprintf(f, "%-28s %-4s %6s %s", bench_title(r->b), r->lead_mean ? "mean" : "p50", v,
		rr->tsc->icount ? "instructions (icount)" : "cycles");
	if (!rr->tsc->icount)
		fprintf(f, " %10s", ns);
	if (isfinite(e->lo))
		fprintf(f, "  [CI %s\u2013%s%s]", lo, hi, pm);
	else
		fprintf(f, "  [no CI]");
	fprintf(f, "  %s%s%s%s%s", bench_dir_name(r->b->dir),
		where, s->unstable ? "  UNSTABLE" : "", r->partial ? "  PARTIAL" : "",
		s->streamed ? "  (streamed)" : "");
	table_intf(f, r);
	/* A batch window spans any preemption; per-call samples isolate it. */
	if (r->mode == MODE_BATCH && r->preempted > 0)
		fprintf(f, "  preempted %ldx", r->preempted);
	fprintf(f, "%s%s\n", r->note[0] ? "  " : "", r->note);
}

void report_table(FILE *f, const struct run_report *rr)
{
	size_t i;

	table_header(f, rr);
	for (i = 0; i < rr->nres; i++) {
		const struct result *r = &rr->res[i];

		if (r->skipped || !r->st.n)
			fprintf(f, "%-28s %s%s%s\n", bench_title(r->b),
				r->skipped ? "skipped" : r->err ? "failed" : "no samples",
				r->note[0] ? ": " : "", r->note);
		else
			table_row(f, rr, r);
	}
	if (rr->phases)
		phase_table_note(f, rr->phases, tsc_unit(rr->tsc));
	for (i = 0; i < rr->nsysph; i++)
		anysys_table_note(f, &rr->sysph[i], tsc_unit(rr->tsc));
	if (rr->partial)
		fputs("# interrupted: results are partial\n", f);
}

static int write_one(const char *path, const struct run_report *rr,
		     void (*fn)(FILE *, const struct run_report *))
{
	struct atomic_file af;
	int err = atomic_open(&af, path);

	if (err)
		return err;
	fn(af.f, rr);
	return atomic_commit(&af, 1);	/* it checks the stream's error state */
}

int report_write_files(const char *dir, const struct run_report *rr)
{
	char stamp[32], path[4096];
	struct tm tm;
	int err;

	if ((err = ensure_dir(dir)) != 0) {
		fprintf(stderr, "syslat: --output %s: %s\n", dir, strerror(-err));
		return err;
	}
	gmtime_r(&rr->start, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(path, sizeof(path), "%s/syslat-%s.json", dir, stamp);
	err = write_one(path, rr, report_json);
	if (!err) {
		snprintf(path, sizeof(path), "%s/syslat-%s.csv", dir, stamp);
		err = write_one(path, rr, report_csv);
	}
	if (err)
		fprintf(stderr, "syslat: writing %s: %s\n", path, strerror(-err));
	else if (!rr->opt->quiet)
		fprintf(stderr, "results: %s/syslat-%s.{json,csv}%s\n", dir, stamp,
			rr->partial ? " (partial)" : "");
	return err;
}
