// SPDX-License-Identifier: GPL-2.0
/*
 * JSON results (schema 2, docs/output-formats.md): the envelope, and per
 * benchmark the sel4bench-style [min, q1, median, mean, q3, max, stddev,
 * n] array with the same figures by name beside it, the estimates over
 * runs with their CIs, each run, each round's interference, the timer
 * window. snake_case keys, never renamed once published.
 */
#include <math.h>
#include <stdio.h>

#include "anysys-run.h"
#include "env.h"
#include "json.h"
#include "phase-run.h"
#include "report.h"
#include "stats-json.h"
#include "topo.h"
#include "util.h"

static const char *dir_key(enum bench_dir d)
{
	switch (d) {
	case BENCH_ROUND_TRIP: return "round_trip";
	case BENCH_ONE_WAY: return "one_way";
	default: return "per_call";
	}
}

/* The statistics block, in ticks (k = 1) or ns. */
static void stats_json(json_writer_t *w, const struct stats *s, enum sample_mode mode, double k)
{
	/* batch: one value per round, so the tails are of round means */
	int batch = mode == MODE_BATCH;

	stats_json_block(w, s, k);
	jsonw_float_field(w, batch ? "round_p90" : "p90", s->p90 * k);
	jsonw_float_field(w, batch ? "round_p99" : "p99", s->p99 * k);
	jsonw_float_field(w, batch ? "round_p99_9" : "p99_9", s->p999 * k);
	jsonw_float_field(w, "trimmed_mean", s->tmean * k);
	jsonw_float_field(w, "trimmed_sd", s->tsd * k);
}

static void est_json(json_writer_t *w, const char *name, const struct rep_est *e, double k)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_float_field(w, "value", e->est * k);
	jsonw_name(w, "ci95");
	jsonw_start_array(w);
	jsonw_float(w, e->lo * k);
	jsonw_float(w, e->hi * k);
	jsonw_end_array(w);
	jsonw_end_object(w);
}

static void estimates_json(json_writer_t *w, const struct result *r, double k)
{
	jsonw_name(w, "estimates");
	jsonw_start_object(w);
	jsonw_string_field(w, "ci_level", r->ci_level);
	jsonw_uint_field(w, "runs", r->nruns);
	jsonw_string_field(w, "lead", r->lead_mean ? "trimmed_mean" : "median");
	est_json(w, "median", &r->median, k);
	est_json(w, "mean", &r->mean, k);
	est_json(w, "trimmed_mean", &r->tmean, k);
	jsonw_float_field(w, "median_ci_widened_by", r->median_widened ? r->step / 2 * k : 0);
	jsonw_end_object(w);
	jsonw_name(w, "ci95_median");
	jsonw_start_array(w);
	jsonw_float(w, r->median.lo * k);
	jsonw_float(w, r->median.hi * k);
	jsonw_end_array(w);
}

static void runs_json(json_writer_t *w, const struct result *r)
{
	unsigned int k;

	jsonw_name(w, "runs");
	jsonw_start_array(w);
	for (k = 0; k < r->nruns; k++) {
		const struct run_stat *s = &r->runs[k];

		jsonw_start_object(w);
		jsonw_uint_field(w, "index", s->index);
		jsonw_float_field(w, "median", s->median);
		jsonw_float_field(w, "mean", s->mean);
		jsonw_float_field(w, "trimmed_mean", s->tmean);
		jsonw_uint_field(w, "n", s->n);
		jsonw_uint_field(w, "rounds", s->rounds);
		jsonw_uint_field(w, "rounds_disturbed", s->disturbed);
		jsonw_uint_field(w, "rounds_excluded", s->excluded);
		jsonw_float_field(w, "timer_subtracted", s->timer_subtracted);
		jsonw_bool_field(w, "partial", s->partial);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

#define INTF_FIELD(w, name, r, f) do {					\
	size_t i_;							\
	jsonw_name(w, name);						\
	jsonw_start_array(w);						\
	for (i_ = 0; i_ < (r)->nrintf; i_++)				\
		jsonw_uint(w, (r)->rintf[i_].f);			\
	jsonw_end_array(w);						\
} while (0)

static void intf_json(json_writer_t *w, const struct run_report *rr, const struct result *r)
{
	jsonw_name(w, "interference");
	jsonw_start_object(w);
	jsonw_string_field(w, "policy", rr->opt->intf_flag ? "flag" : "exclude");
	jsonw_uint_field(w, "rounds_measured", r->nrintf);
	jsonw_uint_field(w, "rounds_disturbed", r->rounds_disturbed);
	jsonw_uint_field(w, "rounds_excluded", r->rounds_excluded);
	INTF_FIELD(w, "irq", r, irq);
	INTF_FIELD(w, "softirq", r, softirq);
	INTF_FIELD(w, "nivcsw", r, nivcsw);
	INTF_FIELD(w, "migrations", r, migrations);
	INTF_FIELD(w, "run_delay_us", r, run_delay_us);
	INTF_FIELD(w, "round_us", r, round_us);
	INTF_FIELD(w, "disturbed", r, disturbed);
	INTF_FIELD(w, "excluded", r, excluded);
	jsonw_end_object(w);
}

static void timer_json(json_writer_t *w, const char *name, const struct timer_window *tw)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_float_field(w, "subtracted", tw->subtracted);
	jsonw_string_field(w, "by", tw->by_mean ? "trimmed_mean" : "median");
	jsonw_float_field(w, "subtracted_se", tw->se);
	stats_json(w, &tw->st, MODE_PER_CALL, 1);
	jsonw_bool_field(w, "unstable", tw->st.unstable);
	jsonw_end_object(w);
}

static const char *placement_key(const struct result *r)
{
	return r->peer_cpu < 0 ? "none" : r->peer_cpu == r->cpu ? "same" : "cross";
}

static void topo_json(json_writer_t *w, const struct result *r)
{
	/* read at print time, on the machine that ran it */
	topo_ids_json(w, "cpu_ids", r->cpu);
	topo_ids_json(w, "peer_cpu_ids", r->peer_cpu);
	if (r->cpu < 0 || r->peer_cpu < 0)
		jsonw_null_field(w, "relation");
	else
		jsonw_string_field(w, "relation", r->cpu == r->peer_cpu ? "same" :
				   topo_class_name(topo_classify(r->cpu, r->peer_cpu)));
}

static void meta_json(json_writer_t *w, const struct result *r)
{
	jsonw_float_field(w, "timer_overhead", r->timer_ovh);
	jsonw_float_field(w, "extra_overhead", r->extra_overhead);
	jsonw_float_field(w, "loop_overhead", r->loop_overhead);
	jsonw_float_field(w, "divisor", r->divisor);
	jsonw_float_field(w, "tsc_step_per_op", r->step);
	jsonw_uint_field(w, "iters", r->iters);
	jsonw_uint_field(w, "warmup", r->warmup);
	jsonw_int_field(w, "cpu", r->cpu);
	jsonw_int_field(w, "peer_cpu", r->peer_cpu);
	jsonw_string_field(w, "placement", placement_key(r));
	topo_json(w, r);
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
}

static void result_json(json_writer_t *w, const struct run_report *rr, const struct result *r)
{
	const struct stats *s = &r->st;
	int ns = !rr->tsc->icount && rr->tsc->khz > 0;

	jsonw_start_object(w);
	jsonw_string_field(w, "name", r->b->name);
	jsonw_string_field(w, "title", bench_title(r->b));
	jsonw_string_field(w, "direction", dir_key(r->b->dir));
	jsonw_string_field(w, "mode", r->mode == MODE_BATCH ? "batch" : "percall");
	jsonw_string_field(w, "unit", tsc_unit(rr->tsc));
	stats_json(w, s, r->mode, 1);
	estimates_json(w, r, 1);
	jsonw_uint_field(w, "rounds", s->rounds);
	jsonw_float_array_field(w, "round_means", r->round_means, r->nround_means);
	jsonw_float_array_field(w, "round_medians", r->round_medians, r->nround_means);
	runs_json(w, r);
	intf_json(w, rr, r);
	jsonw_float_field(w, "cv", s->cv);
	jsonw_float_field(w, "round_cv", s->round_cv);
	jsonw_float_field(w, "round_median_cv", s->round_median_cv);
	jsonw_bool_field(w, "unstable", s->unstable);
	jsonw_bool_field(w, "streamed", s->streamed);
	jsonw_name(w, "ns");
	if (!ns) {
		jsonw_null(w);
	} else {
		jsonw_start_object(w);
		stats_json(w, s, r->mode, 1e6 / rr->tsc->khz);
		estimates_json(w, r, 1e6 / rr->tsc->khz);
		jsonw_end_object(w);
	}
	timer_json(w, "timer_window", &r->tw);
	meta_json(w, r);
	jsonw_end_object(w);
}

static void options_json(json_writer_t *w, const struct opts *o)
{
	static const char *const places[] = { "same", "cross", "smt", "llc", "package" };

	jsonw_name(w, "options");
	jsonw_start_object(w);
	jsonw_uint_field(w, "runs", o->runs);
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
	jsonw_string_field(w, "interference", o->intf_flag ? "flag" : "exclude");
	jsonw_end_object(w);
}

static void tsc_json(json_writer_t *w, const struct run_report *rr)
{
	const struct tsc_info *ti = rr->tsc;

	jsonw_name(w, "tsc");
	jsonw_start_object(w);
	jsonw_float_field(w, "khz", ti->khz);
	jsonw_string_field(w, "source", tsc_src_name(ti->src));
	jsonw_bool_field(w, "frequency_known", ti->src != TSC_SRC_NONE && ti->src != TSC_SRC_CALIBRATED);
	jsonw_float_field(w, "kernel_khz", ti->kernel_khz > 0 ? ti->kernel_khz : NAN);
	jsonw_float_field(w, "calibrated_khz", ti->calibrated_khz > 0 ? ti->calibrated_khz : NAN);
	jsonw_float_field(w, "calibration_disagreement", ti->disagree);
	jsonw_bool_field(w, "rdtscp", ti->have_rdtscp);
	jsonw_bool_field(w, "constant_tsc", ti->constant_tsc);
	jsonw_bool_field(w, "nonstop_tsc", ti->nonstop_tsc);
	jsonw_uint_field(w, "step", ti->granularity);
	jsonw_uint_field(w, "granularity", ti->granularity);	/* schema 1 name of the step */
	jsonw_uint_field(w, "read_cost", ti->read_cost);
	jsonw_bool_field(w, "icount", ti->icount);
	jsonw_string_field(w, "unit", tsc_unit(ti));
	jsonw_end_object(w);
	jsonw_name(w, "timer_overhead");
	jsonw_start_object(w);
	stats_json(w, &rr->timer, MODE_PER_CALL, 1);
	jsonw_bool_field(w, "unstable", rr->timer.unstable);
	jsonw_end_object(w);
}

static void replication_json(json_writer_t *w, const struct run_report *rr)
{
	jsonw_name(w, "replication");
	jsonw_start_object(w);
	jsonw_uint_field(w, "runs", rr->runs);
	jsonw_uint_field(w, "runs_completed", rr->runs_done);
	jsonw_uint_field(w, "seed", rr->seed);
	jsonw_string_field(w, "order", "run k shuffles the benchmarks with seed + k (Fisher-Yates, splitmix64)");
	jsonw_string_field(w, "ci", rr->runs_done >= 2 ? "student t over the run statistics" :
			   "student t over the rounds of the one run (reproducibility not covered)");
	jsonw_float_field(w, "wall_s", rr->wall_s);
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
	replication_json(w, rr);
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
	if (rr->nsysph) {
		jsonw_name(w, "syscall_phases");
		jsonw_start_array(w);
		for (k = 0; k < rr->nsysph; k++)
			anysys_json(w, &rr->sysph[k], tsc_unit(rr->tsc));
		jsonw_end_array(w);
	}
	jsonw_end_object(w);
	jsonw_destroy(&w);
}
