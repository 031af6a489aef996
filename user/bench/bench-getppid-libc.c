// SPDX-License-Identifier: GPL-2.0
/*
 * getppid through glibc's wrapper: what `perf bench syscall basic` and
 * lmbench `lat_syscall null` time, and what an application pays
 * (call + ret around the syscall, see rawsys.h).
 */
#include <unistd.h>

#include "bench.h"
#include "tsc.h"

static pid_t (*volatile getppid_ptr)(void) = getppid;

static int getppid_libc_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	pid_t (*fn)(void) = getppid_ptr;	/* a real call, never folded */
	uint64_t i, t0, t1;
	long acc = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		acc |= fn();
	t1 = tsc_end();
	*ticks = t1 - t0;
	return acc < 0 ? -1 : 0;
}

const struct bench bench_getppid_libc = {
	.name = "getppid-libc",
	.title = "getppid (glibc wrapper)",
	.summary = "getppid via glibc, as perf bench syscall basic and lmbench time it",
	.dir = BENCH_ROUND_TRIP,
	.in_suite = 1,
	.suites = SUITE_LMBENCH,
	.sample = getppid_libc_sample,
};
