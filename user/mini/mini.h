/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syslat-mini: the guest program that runs unmodified on Linux and on
 * Unikraft's elfloader (a static-pie linked against musl, docs/vm-bench.md).
 * It runs a handful of benchmarks with the harness's own sample functions
 * and timing window, in batch mode (one window of --iters operations per
 * round), and prints a syslat JSON result that `syslat reduce` pools.
 */
#ifndef SYSLAT_MINI_H
#define SYSLAT_MINI_H

#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "report.h"
#include "tsc.h"

#define MINI_MAX_BENCH 8

struct mini_opts {
	uint64_t rounds, iters, warmup;
	int icount;			/* the guest runs under -icount: unit is instructions */
	const char *label;		/* console block label, "k=v,k=v"; NULL: bare JSON */
	const char *bench[MINI_MAX_BENCH];
	unsigned int nbench;
};

/* One benchmark's outcome, as the harness's results carry it. */
struct mini_result {
	const struct bench *b;
	struct bench_run r;
	struct timer_window tw;
	double *round_means;		/* per-op figure of each kept round */
	uint64_t nrounds;
	struct stats st;		/* over round_means */
	int err;			/* 0, or -errno of setup/sample */
	int skipped;
};

/* mini-sys.c: the system calls whose answer depends on the system. */
extern const struct bench mini_bench_noop, mini_bench_enosys;
/* mini-run.c */
const struct bench *mini_find(const char *name);
void mini_run(const struct mini_opts *o, const struct tsc_info *ti, struct mini_result *res);
/* mini-json.c */
void mini_json(FILE *f, const struct mini_opts *o, const struct tsc_info *ti,
	       const struct mini_result *res, unsigned int n, int argc, char **argv);

#endif
