// SPDX-License-Identifier: GPL-2.0
/*
 * An unassigned syscall number (501): the kernel's shortest path,
 * entry -> "nr >= NR_syscalls" -> -ENOSYS -> exit, with no handler at all.
 * The difference to noop (500) with the module loaded is the hook's cost.
 */
#include <errno.h>
#include <stdio.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

#define ENOSYS_NR 501

static int enosys_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1, bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad += raw_syscall1(ENOSYS_NR, (long)i) != -ENOSYS;
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EPROTO : 0;
}

static int enosys_setup(struct bench_run *r)
{
	if (raw_syscall1(ENOSYS_NR, 0) != -ENOSYS)
		return -EPROTO;	/* something answers 501: not the ENOSYS path */
	snprintf(r->note, sizeof(r->note), "nr %d, returns -ENOSYS", ENOSYS_NR);
	return 0;
}

const struct bench bench_enosys = {
	.name = "enosys",
	.title = "ENOSYS syscall (501)",
	.summary = "unassigned syscall number 501 via raw syscall (kernel's shortest path)",
	.dir = BENCH_ROUND_TRIP,
	.in_suite = 1,
	.setup = enosys_setup,
	.sample = enosys_sample,
};
