// SPDX-License-Identifier: GPL-2.0
/*
 * stat(2), fstat(2) and open(2)+close(2) of one file in a private
 * directory, tmpfs where possible (child.h says where; the note records
 * whether it was tmpfs), as lmbench lat_syscall stat/fstat/open. Raw
 * syscalls inlined; stat and open use a short absolute path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "rawsys.h"
#include "tsc.h"

static struct {
	struct bench_tmp tmp;
	struct stat st;
} fst;

static int fst_setup(struct bench_run *r)
{
	int err = bench_tmp_make(&fst.tmp, "stat", 4096);

	if (err)
		return err;
	r->priv = &fst;
	snprintf(r->note, sizeof(r->note), "4 KiB file on %s", bench_tmp_fs(&fst.tmp));
	return 0;
}

static void fst_teardown(struct bench_run *r)
{
	(void)r;
	bench_tmp_remove(&fst.tmp);
}

static int stat_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long path = (long)fst.tmp.file, sb = (long)&fst.st;
	uint64_t i, t0, t1, bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad += raw_syscall2(SYS_stat, path, sb) != 0;
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

static int fstat_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long fd = fst.tmp.fd, sb = (long)&fst.st;
	uint64_t i, t0, t1, bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad += raw_syscall2(SYS_fstat, fd, sb) != 0;
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

static int open_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long path = (long)fst.tmp.file, fd;
	uint64_t i, t0, t1, bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		fd = raw_syscall2(SYS_open, path, O_RDONLY);
		bad += fd < 0 || raw_syscall1(SYS_close, fd) != 0;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

const struct bench bench_stat = {
	.name = "stat",
	.summary = "stat(2) of a file in a private tmpfs directory (lmbench lat_syscall stat)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = fst_setup, .sample = stat_sample, .teardown = fst_teardown,
};

const struct bench bench_fstat = {
	.name = "fstat",
	.summary = "fstat(2) of an open tmpfs file (lmbench lat_syscall fstat)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = fst_setup, .sample = fstat_sample, .teardown = fst_teardown,
};

const struct bench bench_open_close = {
	.name = "open-close",
	.summary = "open(2)+close(2) of a tmpfs file, one op = both (lmbench lat_syscall open)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = fst_setup, .sample = open_sample, .teardown = fst_teardown,
};
