// SPDX-License-Identifier: GPL-2.0
/*
 * Program start (lmbench lat_proc exec): one op = fork() + execve() of
 * syslat-exec-helper (static, no libc: it exits at once) + waitpid();
 * posix-spawn does the same through posix_spawn(), which glibc implements
 * with clone(CLONE_VM | CLONE_VFORK), so it saves fork's mm copy. The
 * helper is looked up beside syslat; without it both are skipped.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "tsc.h"

extern char **environ;

static struct {
	char path[PATH_MAX];
	char *argv[2];
} ex;

static int exec_setup(struct bench_run *r)
{
	if (child_helper_path(ex.path, sizeof(ex.path))) {
		snprintf(r->note, sizeof(r->note), "no %.200s (build it: make -C user)", ex.path);
		return BENCH_SKIP;
	}
	ex.argv[0] = ex.path;
	ex.argv[1] = NULL;
	fflush(NULL);
	snprintf(r->note, sizeof(r->note), "static no-libc helper, child on the same CPU");
	return 0;
}

static int fork_exec_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;
	int err = 0;
	pid_t pid = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0) {
			execve(ex.path, ex.argv, environ);
			_exit(127);
		}
		if (pid < 0 || (err = child_wait(pid)) != 0)
			break;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return pid < 0 ? -errno : err;
}

static int spawn_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;
	int err = 0;
	pid_t pid;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		err = -posix_spawn(&pid, ex.path, NULL, NULL, ex.argv, environ);
		if (err || (err = child_wait(pid)) != 0)
			break;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return err;
}

const struct bench bench_fork_exec = {
	.name = "fork-exec",
	.summary = "fork + execve of a tiny static helper + waitpid (lmbench lat_proc exec)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = exec_setup, .sample = fork_exec_sample,
};

const struct bench bench_posix_spawn = {
	.name = "posix-spawn",
	.summary = "posix_spawn of the tiny static helper + waitpid",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = exec_setup, .sample = spawn_sample,
};
