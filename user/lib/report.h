/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results of a run and their three renderings: the human table, CSV
 * (csv.c, long format) and JSON (sel4bench-style arrays in an envelope).
 * All values are kept in TSC ticks; ns are derived when printed.
 */
#ifndef SYSLAT_REPORT_H
#define SYSLAT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "bench.h"
#include "opts.h"
#include "stats.h"
#include "tsc.h"

#define REPORT_SCHEMA_VERSION 1

struct env;

struct result {
	const struct bench *b;
	enum sample_mode mode;
	struct stats st;		/* per op, ticks, overheads subtracted */
	double timer_ovh;		/* ticks subtracted per timing window */
	double divisor;			/* ops per counted op */
	double extra_overhead;		/* ticks per op subtracted besides the timer */
	double loop_overhead;		/* ticks per op of the bare loop (reported) */
	uint64_t iters;			/* n per round (after auto-sizing) */
	uint64_t warmup;
	int cpu, peer_cpu, process;
	char peer_where[64];
	int armed;			/* -1 n/a */
	int busy_wait;
	char note[256];
	int partial;			/* interrupted: fewer rounds than asked */
	int err;			/* 0 or -errno from the benchmark */
	int skipped;			/* not run (interrupted before, or refused) */
	double elapsed_s;
	long preempted;			/* involuntary switches of the measuring thread */
	double *round_means;		/* per op, one per kept round (malloc'd; vm-bench pools them) */
	size_t nround_means;
};

struct run_report {
	const struct opts *opt;
	const struct tsc_info *tsc;
	struct stats timer;		/* the empty timing window, ticks */
	const struct env *env;
	int argc;
	char **argv;
	time_t start, end;
	int partial;			/* SIGINT: results incomplete */
	struct result *res;
	size_t nres;
	const struct phase_report *phases;	/* --phases: merge counters, or NULL */
};

struct phase_report;

const char *bench_dir_name(enum bench_dir d);	/* "round trip" ... */
const char *bench_title(const struct bench *b);

void report_table(FILE *f, const struct run_report *rr);
void report_json(FILE *f, const struct run_report *rr);
void report_csv(FILE *f, const struct run_report *rr);	/* csv.c */
/* results.json + results.csv (and a timestamped copy) in dir, atomically. */
int report_write_files(const char *dir, const struct run_report *rr);

#endif
