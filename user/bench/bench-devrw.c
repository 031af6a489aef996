// SPDX-License-Identifier: GPL-2.0
/*
 * read/write of one byte on /dev/zero and /dev/null (lmbench lat_syscall
 * read: /dev/zero; write: /dev/null), through the raw syscall inlined in
 * the loop like getppid. One op is one syscall; the four variants differ
 * only in the device and direction, so they share this file.
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

struct devrw {
	const char *path;
	int nr;			/* SYS_read or SYS_write */
	long expect;		/* bytes each call must return: 1, or 0 (EOF of /dev/null) */
	int fd;
	char buf[64] __attribute__((aligned(64)));
};

static struct devrw rd_zero = { "/dev/zero", SYS_read, 1, -1, { 0 } };
static struct devrw rd_null = { "/dev/null", SYS_read, 0, -1, { 0 } };
static struct devrw wr_zero = { "/dev/zero", SYS_write, 1, -1, { 0 } };
static struct devrw wr_null = { "/dev/null", SYS_write, 1, -1, { 0 } };

static int devrw_setup(struct bench_run *r, struct devrw *d)
{
	d->fd = open(d->path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(r->note, sizeof(r->note), "cannot open %s: %s", d->path,
			 strerror(errno));
		return BENCH_SKIP;
	}
	r->priv = d;
	snprintf(r->note, sizeof(r->note), "1-byte %s on %s (raw syscall)",
		 d->nr == SYS_read ? "read" : "write", d->path);
	return 0;
}

static int devrw_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct devrw *d = r->priv;
	long nr = d->nr, fd = d->fd, buf = (long)d->buf, expect = d->expect;
	uint64_t i, t0, t1, bad = 0;

	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad += raw_syscall3(nr, fd, buf, 1) != expect;
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

static void devrw_teardown(struct bench_run *r)
{
	struct devrw *d = r->priv;

	if (d && d->fd >= 0)
		close(d->fd);
	if (d)
		d->fd = -1;
}

#define DEVRW(var, d, nm, sum)						\
	static int var##_setup(struct bench_run *r) { return devrw_setup(r, &d); } \
	const struct bench bench_##var = {				\
		.name = nm, .summary = sum, .dir = BENCH_PER_CALL,	\
		.suites = SUITE_LEBENCH | SUITE_LMBENCH,		\
		.setup = var##_setup, .sample = devrw_sample,		\
		.teardown = devrw_teardown,				\
	}

DEVRW(read_zero, rd_zero, "read-zero", "read(2) of 1 byte from /dev/zero (lmbench lat_syscall read)");
DEVRW(read_null, rd_null, "read-null", "read(2) of 1 byte from /dev/null: the EOF path");
DEVRW(write_null, wr_null, "write-null", "write(2) of 1 byte to /dev/null (lmbench lat_syscall write)");
DEVRW(write_zero, wr_zero, "write-zero", "write(2) of 1 byte to /dev/zero");
