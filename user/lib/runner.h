/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measurement loop around one benchmark (contract in bench.h):
 * placement, set-up, auto-sized rounds, warm-up discarded, per-call or
 * batch sampling, overhead subtraction, teardown, progress on stderr.
 */
#ifndef SYSLAT_RUNNER_H
#define SYSLAT_RUNNER_H

#include "place.h"
#include "report.h"

struct runner {
	const struct opts *opt;
	const struct tsc_info *tsc;
	struct placement_res pl;
	int cross_cpu;		/* peer CPU under --placement cross, -1 if none is allowed */
	struct stats timer;	/* the empty window at start-up, per-call samples, ticks */
	double timer_ovh;	/* what runner_timer_window() subtracts from it */
	double t_start;		/* CLOCK_MONOTONIC at init: progress after 1 s */
	unsigned int idx, count;	/* position in the run, for the progress line */
};

/* Resolve placement, pin, measure the timer overhead: 0 or -1 (printed). */
int runner_init(struct runner *rn, const struct opts *o, const struct tsc_info *ti);
/* Run one benchmark into *res: 0, or -errno (res->err, message printed). */
int runner_run(struct runner *rn, const struct bench *b, struct result *res);
/* Measure the empty timing window (each benchmark does, before its rounds). */
void runner_timer_window(const struct tsc_info *ti, struct timer_window *tw);
/* Install the SIGINT handler that sets syslat_stop (no SA_RESTART). */
void runner_catch_sigint(void);

#endif
