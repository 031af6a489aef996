// SPDX-License-Identifier: GPL-2.0
/* getpid through the raw syscall instruction inlined (LEBench's getpid). */
#include <sys/syscall.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

static int getpid_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;
	long ret = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		ret |= raw_syscall0(SYS_getpid);
	t1 = tsc_end();
	*ticks = t1 - t0;
	return ret < 0 ? (int)ret : 0;
}

const struct bench bench_getpid = {
	.name = "getpid",
	.title = "getpid (raw syscall)",
	.summary = "getpid via an inlined raw syscall instruction",
	.dir = BENCH_ROUND_TRIP,
	.suites = SUITE_LEBENCH,
	.sample = getpid_sample,
};
