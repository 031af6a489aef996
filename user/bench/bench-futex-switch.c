// SPDX-License-Identifier: GPL-2.0
/*
 * Context switch by futex hand-off: the futex ping-pong of bench-futex.c,
 * but with the peer on the measuring thread's own CPU, so each hand-off
 * must switch to the other task. One sample iteration = our hand-off to
 * the peer + its hand-off back = two switches, hence divisor 2 and a
 * one-way (per switch) figure that includes one FUTEX_WAKE and one
 * FUTEX_WAIT per switch.
 *
 * Setup counts our thread's context switches over a short check run
 * (getrusage RUSAGE_THREAD) and states the rate in the note, so a
 * scheduler that does not switch as assumed shows up in the result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "ipc.h"

#define CHECK_ROUNDS 1000

static int fsw_setup(struct bench_run *r)
{
	long sw0, sw1;
	uint64_t t;
	double sw;
	int rc;

	/* Both ends on our CPU, whatever the placement says. */
	rc = futex_pp_setup(r, "futex-switch", r->cpu);
	if (rc)
		return rc;
	sw0 = ipc_thread_switches();
	rc = futex_pp_sample(r, CHECK_ROUNDS, &t);
	sw1 = ipc_thread_switches();
	if (rc) {
		futex_pp_teardown(r);
		return rc;
	}
	r->divisor = 2;
	sw = sw0 < 0 || sw1 < 0 ? -1.0 : (double)(sw1 - sw0) / CHECK_ROUNDS;
	snprintf(r->note, sizeof(r->note),
		 "per switch: futex hand-off between two %s on cpu %d, 2 switches per round; "
		 "check run: %.2f switches of the measuring thread per round%s",
		 ipc_use_process(r) ? "processes" : "threads", r->cpu, sw,
		 sw >= 0 && sw < 0.95 ? " (NOT switching as assumed)" : "");
	return 0;
}

const struct bench bench_futex_switch = {
	.name = "futex-switch",
	.summary = "context switch: futex hand-off between two tasks on one CPU (per switch)",
	.dir = BENCH_ONE_WAY,
	.needs_peer = 0,
	.own_switches = 1,
	.in_suite = 1,
	.suites = SUITE_LEBENCH,
	.setup = fsw_setup,
	.sample = futex_pp_sample,
	.teardown = futex_pp_teardown,
};
