// SPDX-License-Identifier: GPL-2.0
/*
 * vfork(): one op = vfork() + the child's _exit(0) + waitpid(). The child
 * borrows our address space (no page-table copy) and we are suspended
 * until it exits, so this is fork's cost without the mm duplication.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "tsc.h"

static int vfork_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	/* volatile: vfork returns twice (-Wclobbered); a load/store per
	 * iteration is noise beside a vfork */
	volatile uint64_t i, t0;
	volatile int err = 0;
	volatile pid_t pid = 0;
	uint64_t t1;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		pid = vfork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || (err = child_wait(pid)) != 0)
			break;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return pid < 0 ? -errno : err;
}

static int vfork_setup(struct bench_run *r)
{
	fflush(NULL);
	snprintf(r->note, sizeof(r->note), "vfork+_exit+waitpid, child on the same CPU");
	return 0;
}

const struct bench bench_vfork = {
	.name = "vfork",
	.summary = "vfork + child _exit + waitpid",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = vfork_setup, .sample = vfork_sample,
};
