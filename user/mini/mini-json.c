// SPDX-License-Identifier: GPL-2.0
/*
 * syslat-mini's result: the harness's JSON schema (report-json.c,
 * docs/output-formats.md) for the fields a batch run without a kernel
 * interface has, under the same keys, so that `syslat reduce` and
 * `syslat compare` read it as they read the harness's. The system is
 * whatever uname(2) says (Linux, or "Unikraft" on the elfloader).
 */
#include <math.h>
#include <string.h>
#include <sys/utsname.h>

#include "json.h"
#include "mini.h"
#include "stats-json.h"

static void result(json_writer_t *w, const struct tsc_info *ti, const struct mini_opts *o,
		   const struct mini_result *m)
{
	jsonw_start_object(w);
	jsonw_string_field(w, "name", m->b->name);
	jsonw_string_field(w, "title", m->b->title ? m->b->title : m->b->name);
	jsonw_string_field(w, "direction", m->b->dir == BENCH_ROUND_TRIP ? "round_trip" : "per_call");
	jsonw_string_field(w, "mode", "batch");
	jsonw_string_field(w, "unit", tsc_unit(ti));
	stats_json_block(w, &m->st, 1);
	jsonw_uint_field(w, "rounds", m->nrounds);
	/* batch mode: one window per round, so its median is its mean */
	jsonw_float_array_field(w, "round_means", m->round_means, m->nrounds);
	jsonw_float_array_field(w, "round_medians", m->round_means, m->nrounds);
	jsonw_name(w, "timer_window");
	jsonw_start_object(w);
	jsonw_float_field(w, "subtracted", m->tw.subtracted);
	jsonw_string_field(w, "by", m->tw.by_mean ? "trimmed_mean" : "median");
	jsonw_float_field(w, "subtracted_se", m->tw.se);
	jsonw_end_object(w);
	jsonw_float_field(w, "timer_overhead", m->b->no_timer_sub ? 0 : m->tw.subtracted);
	jsonw_float_field(w, "loop_overhead", m->r.loop_overhead);
	jsonw_float_field(w, "divisor", m->r.divisor);
	jsonw_uint_field(w, "iters", o->iters);
	jsonw_uint_field(w, "warmup", o->warmup);
	jsonw_null_field(w, "armed");
	jsonw_string_field(w, "placement", "none");
	jsonw_string_field(w, "note", m->r.note);
	jsonw_bool_field(w, "partial", 0);
	jsonw_bool_field(w, "skipped", m->skipped);
	jsonw_int_field(w, "error", m->err);
	jsonw_end_object(w);
}

static void system_block(json_writer_t *w)
{
	struct utsname u;
	int ok = uname(&u) == 0;

	jsonw_name(w, "env");
	jsonw_start_object(w);
	jsonw_string_field(w, "sysname", ok ? u.sysname : NULL);
	jsonw_string_field(w, "kernel", ok ? u.release : NULL);
	jsonw_string_field(w, "kernel_version", ok ? u.version : NULL);
	jsonw_string_field(w, "machine", ok ? u.machine : NULL);
	jsonw_string_field(w, "libc", "musl (static-pie)");
	jsonw_end_object(w);
}

static void tsc_block(json_writer_t *w, const struct tsc_info *ti)
{
	jsonw_name(w, "tsc");
	jsonw_start_object(w);
	jsonw_float_field(w, "khz", ti->khz > 0 ? ti->khz : NAN);
	jsonw_string_field(w, "source", tsc_src_name(ti->src));
	jsonw_bool_field(w, "frequency_known", ti->src == TSC_SRC_CPUID);
	jsonw_bool_field(w, "rdtscp", ti->have_rdtscp);
	jsonw_uint_field(w, "step", ti->granularity);
	jsonw_uint_field(w, "granularity", ti->granularity);
	jsonw_bool_field(w, "icount", ti->icount);
	jsonw_string_field(w, "unit", tsc_unit(ti));
	jsonw_end_object(w);
}

void mini_json(FILE *f, const struct mini_opts *o, const struct tsc_info *ti,
	       const struct mini_result *res, unsigned int n, int argc, char **argv)
{
	json_writer_t *w = jsonw_new(f);
	unsigned int i;

	if (!w)
		return;
	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", REPORT_SCHEMA_VERSION);
	jsonw_string_field(w, "tool", "syslat-mini");
	jsonw_string_field(w, "version", SYSLAT_VERSION);
	jsonw_string_array_field(w, "argv", argv, argc);
	jsonw_bool_field(w, "partial", 0);
	tsc_block(w, ti);
	jsonw_name(w, "options");
	jsonw_start_object(w);
	jsonw_uint_field(w, "runs", 1);
	jsonw_uint_field(w, "iters", o->iters);
	jsonw_uint_field(w, "rounds", o->rounds);
	jsonw_uint_field(w, "warmup", o->warmup);
	jsonw_string_field(w, "mode", "batch");
	jsonw_end_object(w);
	system_block(w);
	jsonw_name(w, "results");
	jsonw_start_array(w);
	for (i = 0; i < n; i++)
		result(w, ti, o, &res[i]);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
}
