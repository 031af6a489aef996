// SPDX-License-Identifier: GPL-2.0
/*
 * Process life cycle (LEBench fork / big fork, lmbench lat_proc fork):
 * one op = fork() + the child's _exit(0) + waitpid() in the parent, all
 * inside the window; the child inherits our pinning, so both run on the
 * measuring CPU. fork-big does the same with FORK_BIG_MIB of touched
 * anonymous memory (4 KiB pages: THP off for it), whose page tables and
 * COW marking fork must copy and exit must tear down.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "tsc.h"

#define FORK_BIG_MIB 64

static struct {
	char *heap;
	size_t len;
} fbig;

static int fork_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;
	int err = 0;
	pid_t pid = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || (err = child_wait(pid)) != 0)
			break;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return pid < 0 ? -errno : err;
}

static int fork_setup(struct bench_run *r)
{
	fflush(NULL);	/* nothing buffered is duplicated into the children */
	snprintf(r->note, sizeof(r->note), "fork+_exit+waitpid, child on the same CPU");
	return 0;
}

static int big_setup(struct bench_run *r)
{
	fbig.len = (size_t)FORK_BIG_MIB << 20;
	fbig.heap = mmap(NULL, fbig.len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fbig.heap == MAP_FAILED) {
		fbig.heap = NULL;
		return -errno;
	}
	madvise(fbig.heap, fbig.len, MADV_NOHUGEPAGE);
	memset(fbig.heap, 1, fbig.len);		/* every page present */
	fflush(NULL);
	snprintf(r->note, sizeof(r->note),
		 "fork+_exit+waitpid with %d MiB touched (4 KiB pages)", FORK_BIG_MIB);
	return 0;
}

static void big_teardown(struct bench_run *r)
{
	(void)r;
	if (fbig.heap)
		munmap(fbig.heap, fbig.len);
	fbig.heap = NULL;
}

const struct bench bench_fork = {
	.name = "fork",
	.summary = "fork + child _exit + waitpid (LEBench fork, lmbench lat_proc fork)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = fork_setup, .sample = fork_sample,
};

const struct bench bench_fork_big = {
	.name = "fork-big",
	.summary = "fork + _exit + waitpid with 64 MiB of touched heap (LEBench big fork)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = big_setup, .sample = fork_sample, .teardown = big_teardown,
};
