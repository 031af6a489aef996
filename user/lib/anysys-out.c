// SPDX-License-Identifier: GPL-2.0
/* The any-syscall phases as results, table notes and JSON (anysys-run.h). */
#include <stdio.h>
#include <string.h>

#include "anysys-run.h"
#include "phase-run.h"

static const char *const what[PH_NR] = {
	[PH_ENTRY] = "syscall insn, entry code, slow-path work up to the sys_enter probe's TSC",
	[PH_KERNEL] = "sys_enter probe's TSC to sys_exit probe's TSC: the call's work, tracepoint work",
	[PH_EXIT] = "sys_exit probe's TSC, exit work, sysret, to the user TSC",
	[PH_ROUND_TRIP] = "user TSC to user TSC, the sum of the three",
};

void anysys_name_results(struct anysys_report *ar)
{
	static const char *const suffix[PH_NR] = { "entry", "kernel", "exit", "phased" };
	static const char *const title[PH_NR] = { "entry", "in-kernel", "exit", "round trip" };
	static const enum bench_dir dir[PH_NR] = { BENCH_ONE_WAY, BENCH_PER_CALL, BENCH_ONE_WAY,
						   BENCH_ROUND_TRIP };
	int k, i;

	for (k = 0; k < PH_NR; k++) {
		snprintf(ar->names[k], sizeof(ar->names[k]), "%s-%s", ar->label, suffix[k]);
		for (i = 0; ar->names[k][i]; i++)
			if (ar->names[k][i] == ' ')
				ar->names[k][i] = '-';
		snprintf(ar->titles[k], sizeof(ar->titles[k]), "%s phase: %s", ar->label, title[k]);
		ar->b[k] = (struct bench){ .name = ar->names[k], .title = ar->titles[k],
					   .dir = dir[k], .summary = what[k] };
	}
}

static double distortion(const struct anysys_report *ar)
{
	return ar->stamped_rt.median - ar->plain_rt.median;
}

void anysys_results(struct anysys_report *ar, int cpu, const char *unit, struct result *out)
{
	int k;

	for (k = 0; k < PH_NR; k++) {
		struct result *r = &out[k];

		memset(r, 0, sizeof(*r));
		r->b = &ar->b[k];
		r->mode = MODE_PER_CALL;
		r->st = ar->st[k];
		r->divisor = 1;
		r->iters = ar->calls;
		r->cpu = cpu;
		r->peer_cpu = -1;
		r->armed = -1;
		r->partial = ar->partial;
		snprintf(r->note, sizeof(r->note), "%s; stamped path (%+.0f %s over unstamped); raw, "
			 "timer window not subtracted", what[k], distortion(ar), unit);
	}
}

void anysys_table_note(FILE *f, const struct anysys_report *ar, const char *unit)
{
	const struct phase_merge *m = &ar->m;

	fprintf(f, "# %s phases: %zu of %llu calls merged (missing %zu, other cpu %zu, migrated %zu, "
		"unordered %zu, bad return %zu, duplicate %zu; %zu records of other tasks ignored; "
		"module: %llu unmatched exits, %llu evicted entries)\n", ar->label, m->matched,
		(unsigned long long)ar->calls, m->missing, m->other_cpu, m->migrated, m->unordered,
		m->bad_ret, m->duplicate, m->foreign, (unsigned long long)ar->unmatched,
		(unsigned long long)ar->evicted);
	fprintf(f, "# %s: stamping adds %+.0f %s to the round trip (timed alone, p50 %.0f stamped - "
		"%.0f unstamped, this run; %+.0f of it with the probes attached but not stamping "
		"this task, the slow path); the phases are of the stamped path\n", ar->label,
		distortion(ar), unit, ar->stamped_rt.median, ar->plain_rt.median,
		ar->attached_rt.median - ar->plain_rt.median);
}

void anysys_json(json_writer_t *w, const struct anysys_report *ar, const char *unit)
{
	jsonw_start_object(w);
	jsonw_string_field(w, "syscall", ar->label);
	jsonw_string_field(w, "bench", ar->bench);
	jsonw_int_field(w, "nr", ar->nr);
	jsonw_uint_field(w, "calls", ar->calls);
	phase_merge_json(w, &ar->m);
	jsonw_uint_field(w, "unmatched_exits", ar->unmatched);
	jsonw_uint_field(w, "evicted_entries", ar->evicted);
	jsonw_string_field(w, "unit", unit);	/* of the medians below */
	jsonw_float_field(w, "entry_median", ar->st[PH_ENTRY].median);
	jsonw_float_field(w, "kernel_median", ar->st[PH_KERNEL].median);
	jsonw_float_field(w, "exit_median", ar->st[PH_EXIT].median);
	jsonw_float_field(w, "round_trip_median", ar->st[PH_ROUND_TRIP].median);
	jsonw_float_field(w, "stamped_round_trip_median", ar->stamped_rt.median);
	jsonw_float_field(w, "unstamped_round_trip_median", ar->plain_rt.median);
	jsonw_float_field(w, "attached_round_trip_median", ar->attached_rt.median);
	jsonw_float_field(w, "stamping_cost_median", distortion(ar));
	jsonw_end_object(w);
}
