// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring NOP (liburing): one op = get an SQE, prep a NOP, submit it
 * and wait for its completion in one io_uring_enter(), then mark the CQE
 * seen. No SQPOLL: each op enters the kernel once. A kernel that refuses
 * io_uring (CONFIG_IO_URING off: ENOSYS; kernel.io_uring_disabled or a
 * seccomp/LSM policy: EPERM) makes it a skip that says which.
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "tsc.h"
#include "util.h"

static struct {
	struct io_uring ring;
	int up;
} ur;

static int ur_setup(struct bench_run *r)
{
	char dis[16] = "";
	int err = io_uring_queue_init(8, &ur.ring, 0);

	if (err) {
		if (read_line_file("/proc/sys/kernel/io_uring_disabled", dis, sizeof(dis)))
			snprintf(dis, sizeof(dis), "n/a");
		snprintf(r->note, sizeof(r->note),
			 "io_uring_queue_init: %s (kernel.io_uring_disabled=%s)",
			 strerror(-err), dis);
		return BENCH_SKIP;
	}
	ur.up = 1;
	snprintf(r->note, sizeof(r->note), "NOP submit+wait in one io_uring_enter, no SQPOLL");
	return 0;
}

static void ur_teardown(struct bench_run *r)
{
	(void)r;
	if (ur.up)
		io_uring_queue_exit(&ur.ring);
	ur.up = 0;
}

static int ur_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct io_uring *ring = &ur.ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	uint64_t i, t0, t1;
	int rc = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		sqe = io_uring_get_sqe(ring);
		if (!sqe) {
			rc = -EBUSY;
			break;
		}
		io_uring_prep_nop(sqe);
		rc = io_uring_submit_and_wait(ring, 1);
		if (rc < 0 || (rc = io_uring_peek_cqe(ring, &cqe)) != 0)
			break;
		rc = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		if (rc)
			break;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return rc < 0 ? rc : 0;
}

const struct bench bench_uring_nop = {
	.name = "uring-nop",
	.summary = "io_uring NOP submit + completion (liburing, one io_uring_enter per op)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = ur_setup, .sample = ur_sample, .teardown = ur_teardown,
};
