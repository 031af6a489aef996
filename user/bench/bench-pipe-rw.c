// SPDX-License-Identifier: GPL-2.0
/*
 * One byte written into a pipe and read back by the same thread: the
 * pipe's read and write paths without a wake-up or a context switch (the
 * pipe ping-pong has both). One op = write(1 byte) + read(1 byte), raw
 * syscalls inlined.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

static struct {
	int fd[2];
	char buf[64] __attribute__((aligned(64)));
} prw = { { -1, -1 }, { 0 } };

static int prw_setup(struct bench_run *r)
{
	if (pipe2(prw.fd, O_CLOEXEC)) {
		int e = errno;

		fprintf(stderr, "pipe-rw: pipe: %s\n", strerror(e));
		return -e;
	}
	r->priv = &prw;
	snprintf(r->note, sizeof(r->note), "write+read of 1 byte, one thread, no switch");
	return 0;
}

static int prw_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long wfd = prw.fd[1], rfd = prw.fd[0], buf = (long)prw.buf;
	uint64_t i, t0, t1, bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		bad += raw_syscall3(SYS_write, wfd, buf, 1) != 1;
		bad += raw_syscall3(SYS_read, rfd, buf, 1) != 1;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

static void prw_teardown(struct bench_run *r)
{
	int i;

	(void)r;
	for (i = 0; i < 2; i++) {
		if (prw.fd[i] >= 0)
			close(prw.fd[i]);
		prw.fd[i] = -1;
	}
}

const struct bench bench_pipe_rw = {
	.name = "pipe-rw",
	.summary = "write(2) then read(2) of 1 byte on a pipe, one thread (no wake-up)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = prw_setup,
	.sample = prw_sample,
	.teardown = prw_teardown,
};
