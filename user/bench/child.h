/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the process, file and memory benchmarks share (child.c): a private
 * temporary directory, children that are always reaped, a child that
 * holds a copy of our memory until released, and the exec helper.
 *
 * Temporary files live in one private directory per benchmark, on
 * tmpfs where one is found ($TMPDIR if tmpfs, else /dev/shm if tmpfs,
 * else $TMPDIR or /tmp as they are), removed by
 * bench_tmp_remove() in teardown, which the runner calls on every path
 * (errors, SIGINT, SIGTERM); an atexit() hook removes any left over.
 */
#ifndef SYSLAT_CHILD_H
#define SYSLAT_CHILD_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>

struct bench_tmp {
	char dir[256];		/* "" when not made */
	char file[300];		/* dir/f */
	int fd;			/* open O_RDWR on file, -1 if none */
	int tmpfs;		/* the directory is on tmpfs */
};

/* Make the directory and dir/f of @size bytes (written, so its pages
 * exist). 0 or -errno (message printed). */
int bench_tmp_make(struct bench_tmp *t, const char *who, size_t size);
/* Close, unlink, rmdir; safe to call twice or on a zeroed struct. */
void bench_tmp_remove(struct bench_tmp *t);
/* "tmpfs" or "not tmpfs", for the note. */
const char *bench_tmp_fs(const struct bench_tmp *t);

/*
 * Reap @pid, retrying EINTR (the run's ^C handler has no SA_RESTART):
 * 0 when it exited with status 0, -ECHILD otherwise. Inline: it is
 * part of the timed fork/vfork/spawn/exec loops.
 */
static inline int child_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -ECHILD;
}

/*
 * A child pinned to @cpu that does nothing but keep its copy of our
 * address space (copy-on-write pages stay shared) until child_hold_stop()
 * closes its pipe; it also exits when we die (EOF, PR_SET_PDEATHSIG).
 */
struct child_hold {
	pid_t pid;		/* 0: none */
	int fd;			/* write end the child waits on */
};
int child_hold_start(struct child_hold *h, int cpu, const char *who);
int child_hold_stop(struct child_hold *h, const char *who);

/* Path of syslat-exec-helper beside our own executable: 0, or -ENOENT
 * with the path tried in @buf. */
int child_helper_path(char *buf, size_t len);

/* "THP always|madvise|never" from sysfs, for notes ("THP ?" if unknown). */
const char *bench_thp_mode(void);

#endif
