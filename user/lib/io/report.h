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
#include "interf.h"
#include "opts.h"
#include "stats.h"
#include "tsc.h"

#define REPORT_SCHEMA_VERSION 2

struct env;

/* The empty timing window, measured before a benchmark's rounds. */
struct timer_window {
	struct stats st;		/* ticks per window */
	double subtracted;		/* per window: the trimmed mean (coarse TSC) or the median */
	double se;			/* standard error of what was subtracted */
	int by_mean;			/* 1: trimmed mean, 0: median */
};

/* One run (process) of a benchmark, as the replication keeps it. */
struct run_stat {
	unsigned int index;		/* 0..runs-1 */
	double median, mean, tmean;	/* of the run's kept per-op values */
	uint64_t n, rounds, disturbed, excluded;
	double timer_subtracted;
	int partial;
};

/* A statistic over the runs: the mean of the run statistics and its 95 % CI. */
struct rep_est {
	double est, lo, hi;
};

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
	/* Added with replication and interference accounting (zero: unknown): */
	double *round_medians;		/* parallel to round_means, NaN when streamed (malloc'd) */
	struct timer_window tw;		/* this benchmark's own empty window */
	struct round_intf *rintf;	/* every measured round, kept or excluded (malloc'd) */
	size_t nrintf;
	uint64_t rounds_disturbed, rounds_excluded;
	double step;			/* TSC step per op: granularity / divisor (/ iters in batch) */
	struct run_stat *runs;		/* the runs merged into this result (malloc'd) */
	unsigned int nruns;
	struct rep_est median, mean, tmean;	/* over runs (or rounds when one run) */
	const char *ci_level;		/* "runs", "rounds" or NULL (no CI) */
	int lead_mean;			/* TSC step sizable: the trimmed mean leads, median CI widened */
	int median_widened;
};

#define REPORT_STEP_SIZABLE 0.02	/* step / median above this: lead with the mean */

/* Free the arrays of a result (not the result itself). */
void result_free(struct result *r);
/*
 * The runs of one benchmark merged (replica.c): per[k] is run k's result.
 * Statistics of the median, mean and trimmed mean over the runs with a
 * Student-t CI (ci.h); with one run, over its rounds. 0 or -ENOMEM.
 */
int result_merge(const struct result *per, unsigned int n, struct result *out);

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
	/* Added with replication: */
	unsigned int runs, runs_done;	/* asked for, completed */
	uint64_t seed;			/* benchmark order of run k: shuffled by seed + k */
	int interference_policy;	/* 0 exclude, 1 flag */
	double wall_s;
	/* Added with the any-syscall phases (bench X --phases): */
	const struct anysys_report *sysph;	/* nsysph of them, or NULL */
	size_t nsysph;
};

struct phase_report;
struct anysys_report;

const char *bench_dir_name(enum bench_dir d);	/* "round trip" ... */
const char *bench_title(const struct bench *b);

void report_table(FILE *f, const struct run_report *rr);
void report_json(FILE *f, const struct run_report *rr);
void report_csv(FILE *f, const struct run_report *rr);	/* csv.c */
/* results.json + results.csv (and a timestamped copy) in dir, atomically. */
int report_write_files(const char *dir, const struct run_report *rr);

#endif
