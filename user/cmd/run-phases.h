/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --phases of `syslat run` and `syslat bench` (cmd-run.c): the noop's
 * phases from the module's nr-500 ring (phase-run.h), and those of the
 * listed benchmarks' ordinary system calls from its any-syscall stamps
 * (anysys-run.h), appended to the run's results.
 */
#ifndef SYSLAT_RUN_PHASES_H
#define SYSLAT_RUN_PHASES_H

#include <stddef.h>

#include "anysys-run.h"
#include "bench.h"
#include "kmod.h"
#include "opts.h"
#include "phase-run.h"
#include "report.h"
#include "runner.h"

struct run_phases {
	struct phase_report noop;
	struct anysys_report *sys;	/* malloc'd, nsys of them */
	size_t nsys;
};

/* Calls of each merge: --iters x --rounds, or 20000; 0 (printed) above the limit. */
uint64_t run_phase_calls(const struct opts *o);
/*
 * Before anything runs: 0, or 2 (printed) when --phases names no
 * benchmark with phases or too many calls.
 */
int run_phases_check(const struct opts *o, const struct bench **list, size_t n, int suite);
/* Result slots the phases can add to a run of @list. */
size_t run_phases_slots(const struct bench **list, size_t n);
/*
 * Measure and append to rr->res (room: run_phases_slots()): 0, or 1 when
 * --phases was asked for and could not be done.
 */
int run_phases_add(struct run_report *rr, struct run_phases *ph, const struct runner *rn,
		   const struct kmod_info *ki, const struct bench **list, size_t n, int suite);
void run_phases_free(struct run_phases *ph);

#endif
