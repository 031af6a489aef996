// SPDX-License-Identifier: GPL-2.0
/* getppid through the raw `syscall` instruction inlined in the loop. */
#include <sys/syscall.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

static int getppid_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;
	long ret = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		ret |= raw_syscall0(SYS_getppid);
	t1 = tsc_end();
	*ticks = t1 - t0;
	return ret < 0 ? (int)ret : 0;
}

const struct bench bench_getppid = {
	.name = "getppid",
	.title = "getppid (raw syscall)",
	.summary = "getppid via an inlined raw syscall instruction",
	.dir = BENCH_ROUND_TRIP,
	.in_suite = 1,
	.suites = SUITE_LEBENCH,
	.sample = getppid_sample,
};
