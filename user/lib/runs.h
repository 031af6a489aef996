/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replicated runs (--runs N): each run is a fresh process (this binary
 * re-executed from /proc/self/exe with the hidden --run-index K and
 * --run-out FILE), so address-space layout, heap and caches start over
 * as they would for a user running the tool again. Runs write their JSON
 * into a private temp dir that is removed on every exit path; on SIGINT
 * the running child is interrupted too and the runs gathered so far are
 * kept (the result is marked partial).
 */
#ifndef SYSLAT_RUNS_H
#define SYSLAT_RUNS_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

#include "jparse.h"
#include "report.h"

/* Benchmark order of run @k: list shuffled in place with seed + k. */
void runs_shuffle(const struct bench **list, size_t n, uint64_t seed, unsigned int k);

/*
 * Run the selection @runs times as child processes. per[k * n + i] gets
 * benchmark i of the k-th completed run (a benchmark a run did not
 * produce is marked skipped). Children start with the affinity @aff (the caller's before
 * it pinned itself). *failed set when a run failed. Returns the number of runs that completed (0..runs);
 * *partial set when interrupted.
 */
unsigned int runs_spawn(const struct opts *o, const struct bench *const *list, size_t n,
			const cpu_set_t *aff, struct result *per, int *partial, int *failed);

struct runner;
/* One run in this process, its order shuffled as run o->run_index: per[i] for list[i].
 * @suite: a member refusing the placement is skipped, not a failure. 0 or 1 (failed). */
int runs_here(struct runner *rn, const struct opts *o, const struct bench **list,
	      size_t n, int suite, struct result *per);
/* per[k * n + i] of @runs runs merged into rr->res[0..n-1] (rr->nres counts): 0 or -1. */
int runs_merge(struct run_report *rr, struct result *per, size_t n, unsigned int runs);
/* A run of a replicated parent: its JSON into --run-out, nothing on stdout. */
int runs_emit(const struct run_report *rr);

/* One run's result object (JSON of a child) back into a struct result. */
void result_from_json(const struct jv *j, const struct bench *b, struct result *r);

#endif
