// SPDX-License-Identifier: GPL-2.0
/*
 * Function call: a noinline function called through a pointer the
 * compiler cannot see through (loaded from a volatile), so neither the
 * call nor the function can be removed or inlined.
 *
 * A single call is far below the TSC granularity and the timer overhead,
 * so every sample times FCALL_INNER calls (divisor) even in per-call
 * mode. The bare loop (same shape, an empty asm instead of the call) is
 * timed separately in setup and reported as loop_overhead, not
 * subtracted: on an out-of-order core the loop runs in the shadow of the
 * call, so a subtraction would under-state it. The reference experiment
 * (built at -O0) counts its loop in.
 */
#include <stdio.h>

#include "bench.h"
#include "tsc.h"

#define FCALL_INNER 1000

static __attribute__((noinline)) long fcall_noop(long x)
{
	__asm__ __volatile__("");
	return x;
}

static long (*volatile fcall_ptr)(long) = fcall_noop;

static int fcall_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long (*fn)(long) = fcall_ptr;
	uint64_t i, t0, t1, total = n * FCALL_INNER;
	long acc = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < total; i++)
		acc += fn((long)i);
	t1 = tsc_end();
	__asm__ __volatile__("" :: "r"(acc));
	*ticks = t1 - t0;
	return 0;
}

static uint64_t loop_once(uint64_t total)
{
	uint64_t i, t0;
	long acc = 0;

	t0 = tsc_begin();
	for (i = 0; i < total; i++) {
		acc += (long)i;
		__asm__ __volatile__("" : "+r"(acc));	/* keeps the loop */
	}
	return tsc_end() - t0;
}

static int fcall_setup(struct bench_run *r)
{
	uint64_t best = UINT64_MAX, total = 1000000;
	int i;

	r->divisor = FCALL_INNER;
	/* Best of 7: the least disturbed run of the bare loop. */
	for (i = 0; i < 7; i++) {
		uint64_t t = loop_once(total);

		if (t < best)
			best = t;
	}
	r->loop_overhead = (double)best / (double)total;
	snprintf(r->note, sizeof(r->note), "%d calls per sample; bare loop %.1f/iter, "
		 "included", FCALL_INNER, r->loop_overhead);
	return 0;
}

const struct bench bench_fcall = {
	.name = "fcall",
	.title = "function call",
	.summary = "noinline function called through a pointer (loop overhead reported)",
	.dir = BENCH_PER_CALL,
	.in_suite = 1,
	.setup = fcall_setup,
	.sample = fcall_sample,
};
