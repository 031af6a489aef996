// SPDX-License-Identifier: GPL-2.0
/*
 * The empty timing window: tsc_begin() immediately followed by tsc_end().
 * This is the overhead the runner subtracts from every other window, so
 * it is reported raw (no_timer_sub). In batch mode it is the cost of n
 * back-to-back windows per window.
 */
#include "bench.h"
#include "tsc.h"

static int timer_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, sum = 0;

	(void)r;
	for (i = 0; i < n; i++) {
		uint64_t t0 = tsc_begin();

		sum += tsc_end() - t0;
	}
	*ticks = sum;
	return 0;
}

const struct bench bench_timer = {
	.name = "timer",
	.title = "timer (empty window)",
	.summary = "cost of the empty timing window (lfence;rdtsc .. rdtscp;lfence)",
	.dir = BENCH_PER_CALL,
	.in_suite = 1,
	.sample = timer_sample,
	.no_timer_sub = 1,
};
