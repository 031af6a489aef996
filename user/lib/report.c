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

#include "env.h"
#include "json.h"
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

static const char *dir_key(enum bench_dir d)
{
	switch (d) {
	case BENCH_ROUND_TRIP: return "round_trip";
	case BENCH_ONE_WAY: return "one_way";
	default: return "per_call";
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
		fprintf(f, "# syslat %s  TSC %.3f MHz (%s)%s, granularity %llu\n",
			SYSLAT_VERSION, ti->khz / 1000, tsc_src_name(ti->src),
			ti->have_rdtscp ? ", rdtscp" : ", no rdtscp",
			(unsigned long long)ti->granularity);
	fprintf(f, "# timer window %s %s (subtracted per window)%s; %s samples; "
		"p50 = median, CI = bootstrap 95 %% of the median\n",
		t, tsc_unit(ti), rr->timer.unstable ? " UNSTABLE" : "",
		rr->opt->mode == MODE_BATCH ? "batch (per-round mean)" : "per-call");
	if (rr->opt->mode != MODE_BATCH && ti->granularity > 1)
		fprintf(f, "# per-call figures move in TSC steps of %llu; --mode batch resolves "
			"below that\n", (unsigned long long)ti->granularity);
}

static void table_row(FILE *f, const struct run_report *rr, const struct result *r)
{
	char p50[32], ns[32], lo[32], hi[32], where[96] = "";
	const struct stats *s = &r->st;

	fmt_ticks(p50, sizeof(p50), s->median);
	fmt_ticks(lo, sizeof(lo), s->ci_lo);
	fmt_ticks(hi, sizeof(hi), s->ci_hi);
	fmt_ns(ns, sizeof(ns), tsc_to_ns(rr->tsc, s->median));
	if (r->b->needs_peer)
		snprintf(where, sizeof(where), "  [cpu %d, peer %s]", r->cpu,
			 r->peer_where[0] ? r->peer_where : "?");
	fprintf(f, "%-28s p50 %6s %s", bench_title(r->b), p50,
		rr->tsc->icount ? "instructions (icount)" : "cycles");
	if (!rr->tsc->icount)
		fprintf(f, " %10s", ns);
	fprintf(f, "  [CI %s\u2013%s]  %s%s%s%s%s", lo, hi, bench_dir_name(r->b->dir),
		where, s->unstable ? "  UNSTABLE" : "", r->partial ? "  PARTIAL" : "",
		s->streamed ? "  (streamed)" : "");
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
	if (rr->partial)
		fputs("# interrupted: results are partial\n", f);
}

/* [min, q1, median, mean, q3, max, stddev, n] scaled by k (ticks -> ns). */
static void sel4_array(json_writer_t *w, const char *name, const struct stats *s, double k)
{
	jsonw_name(w, name);
	jsonw_start_array(w);
	jsonw_float(w, s->min * k);
	jsonw_float(w, s->q1 * k);
	jsonw_float(w, s->median * k);
	jsonw_float(w, s->mean * k);
	jsonw_float(w, s->q3 * k);
	jsonw_float(w, s->max * k);
	jsonw_float(w, s->stddev * k);
	jsonw_uint(w, s->n);
	jsonw_end_array(w);
}

/* The statistics block, in ticks (k = 1) or ns. */
static void stats_json(json_writer_t *w, const struct stats *s, double k)
{
	sel4_array(w, "stats", s, k);
	jsonw_float_field(w, "p90", s->p90 * k);
	jsonw_float_field(w, "p99", s->p99 * k);
	jsonw_float_field(w, "p99_9", s->p999 * k);
	jsonw_name(w, "ci95_median");
	jsonw_start_array(w);
	jsonw_float(w, s->ci_lo * k);
	jsonw_float(w, s->ci_hi * k);
	jsonw_end_array(w);
	jsonw_float_field(w, "median_of_round_means", s->round_median * k);
}

static void result_json(json_writer_t *w, const struct run_report *rr, const struct result *r)
{
	const struct stats *s = &r->st;
	size_t k;

	jsonw_start_object(w);
	jsonw_string_field(w, "name", r->b->name);
	jsonw_string_field(w, "title", bench_title(r->b));
	jsonw_string_field(w, "direction", dir_key(r->b->dir));
	jsonw_string_field(w, "mode", r->mode == MODE_BATCH ? "batch" : "percall");
	jsonw_string_field(w, "unit", tsc_unit(rr->tsc));
	stats_json(w, s, 1);
	jsonw_uint_field(w, "rounds", s->rounds);
	jsonw_name(w, "round_means");
	jsonw_start_array(w);
	for (k = 0; k < r->nround_means; k++)
		jsonw_float(w, r->round_means[k]);
	jsonw_end_array(w);
	jsonw_float_field(w, "cv", s->cv);
	jsonw_float_field(w, "round_cv", s->round_cv);
	jsonw_float_field(w, "round_median_cv", s->round_median_cv);
	jsonw_bool_field(w, "unstable", s->unstable);
	jsonw_bool_field(w, "streamed", s->streamed);
	jsonw_name(w, "ns");
	if (rr->tsc->icount || !(rr->tsc->khz > 0)) {
		jsonw_null(w);
	} else {
		jsonw_start_object(w);
		stats_json(w, s, 1e6 / rr->tsc->khz);
		jsonw_end_object(w);
	}
	jsonw_float_field(w, "timer_overhead", r->timer_ovh);
	jsonw_float_field(w, "extra_overhead", r->extra_overhead);
	jsonw_float_field(w, "loop_overhead", r->loop_overhead);
	jsonw_float_field(w, "divisor", r->divisor);
	jsonw_uint_field(w, "iters", r->iters);
	jsonw_uint_field(w, "warmup", r->warmup);
	jsonw_int_field(w, "cpu", r->cpu);
	jsonw_int_field(w, "peer_cpu", r->peer_cpu);
	jsonw_string_field(w, "peer_where", r->peer_where);
	jsonw_bool_field(w, "process", r->process);
	if (r->armed < 0)
		jsonw_null_field(w, "armed");
	else
		jsonw_bool_field(w, "armed", r->armed);
	jsonw_bool_field(w, "busy_wait", r->busy_wait);
	jsonw_string_field(w, "note", r->note);
	jsonw_bool_field(w, "partial", r->partial);
	jsonw_bool_field(w, "skipped", r->skipped);
	jsonw_int_field(w, "error", r->err);
	jsonw_float_field(w, "elapsed_s", r->elapsed_s);
	if (r->preempted < 0)
		jsonw_null_field(w, "preempted");	/* same-CPU peer: not a disturbance */
	else
		jsonw_int_field(w, "preempted", r->preempted);
	jsonw_end_object(w);
}

static void options_json(json_writer_t *w, const struct opts *o)
{
	static const char *const places[] = { "same", "cross", "smt" };

	jsonw_name(w, "options");
	jsonw_start_object(w);
	jsonw_uint_field(w, "iters", o->iters);
	jsonw_bool_field(w, "iters_auto", !o->iters_set);
	jsonw_uint_field(w, "round_ms", o->round_ms);
	jsonw_uint_field(w, "rounds", o->rounds);
	jsonw_uint_field(w, "warmup", o->warmup);
	jsonw_string_field(w, "mode", o->mode == MODE_BATCH ? "batch" : "percall");
	jsonw_string_field(w, "placement", places[o->placement]);
	jsonw_int_field(w, "cpu", o->cpu);
	jsonw_int_field(w, "peer_cpu", o->peer_cpu);
	jsonw_int_field(w, "numa_node", o->numa_node);
	jsonw_bool_field(w, "process", o->process);
	jsonw_bool_field(w, "fifo", o->fifo);
	jsonw_bool_field(w, "mlock", o->mlock);
	jsonw_uint_field(w, "ring_procs", o->ring_procs);
	jsonw_uint_field(w, "ring_wss", o->ring_wss);
	jsonw_uint_field(w, "max_samples", o->max_samples);
	jsonw_end_object(w);
}

static void tsc_json(json_writer_t *w, const struct run_report *rr)
{
	const struct tsc_info *ti = rr->tsc;

	jsonw_name(w, "tsc");
	jsonw_start_object(w);
	jsonw_float_field(w, "khz", ti->khz);
	jsonw_string_field(w, "source", tsc_src_name(ti->src));
	jsonw_bool_field(w, "rdtscp", ti->have_rdtscp);
	jsonw_bool_field(w, "constant_tsc", ti->constant_tsc);
	jsonw_bool_field(w, "nonstop_tsc", ti->nonstop_tsc);
	jsonw_uint_field(w, "granularity", ti->granularity);
	jsonw_bool_field(w, "icount", ti->icount);
	jsonw_string_field(w, "unit", tsc_unit(ti));
	jsonw_end_object(w);
	jsonw_name(w, "timer_overhead");
	jsonw_start_object(w);
	stats_json(w, &rr->timer, 1);
	jsonw_bool_field(w, "unstable", rr->timer.unstable);
	jsonw_end_object(w);
}

void report_json(FILE *f, const struct run_report *rr)
{
	json_writer_t *w = jsonw_new(f);
	char t[64];
	int i;
	size_t k;

	if (!w)
		return;
	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", REPORT_SCHEMA_VERSION);
	jsonw_string_field(w, "tool", "syslat");
	jsonw_string_field(w, "version", SYSLAT_VERSION);
	jsonw_name(w, "argv");
	jsonw_start_array(w);
	for (i = 0; i < rr->argc; i++)
		jsonw_string(w, rr->argv[i]);
	jsonw_end_array(w);
	iso_time(rr->start, t, sizeof(t));
	jsonw_string_field(w, "start_time", t);
	iso_time(rr->end, t, sizeof(t));
	jsonw_string_field(w, "end_time", t);
	jsonw_bool_field(w, "partial", rr->partial);
	tsc_json(w, rr);
	options_json(w, rr->opt);
	jsonw_name(w, "env");
	env_json(w, rr->env);
	jsonw_name(w, "results");
	jsonw_start_array(w);
	for (k = 0; k < rr->nres; k++)
		result_json(w, rr, &rr->res[k]);
	jsonw_end_array(w);
	if (rr->phases)
		phase_json(w, rr->phases);
	jsonw_end_object(w);
	jsonw_destroy(&w);
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
