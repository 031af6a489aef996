// SPDX-License-Identifier: GPL-2.0
/* Shared child-process and temporary-file machinery (child.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"

#define TMPFS_MAGIC_ 0x01021994

/* Live directories, for the atexit() safety net. */
#define MAX_LIVE 8
static struct bench_tmp *live[MAX_LIVE];

static int on_tmpfs(const char *dir)
{
	struct statfs sf;

	return statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC_;
}

/*
 * $TMPDIR when it is tmpfs (the file benchmarks are defined on tmpfs),
 * else /dev/shm when that is tmpfs, else $TMPDIR or /tmp as they are
 * (the note then says "not tmpfs"; pagefault-file skips).
 */
static const char *tmp_base(void)
{
	const char *e = getenv("TMPDIR");

	if (e && e[0] && on_tmpfs(e))
		return e;
	if (on_tmpfs("/dev/shm") && access("/dev/shm", W_OK) == 0)
		return "/dev/shm";
	return e && e[0] ? e : "/tmp";
}

static void remove_live(void)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++)
		if (live[i])
			bench_tmp_remove(live[i]);
}

static void track(struct bench_tmp *t, int add)
{
	static int hooked;
	int i;

	if (add && !hooked)
		hooked = atexit(remove_live) == 0;
	for (i = 0; i < MAX_LIVE; i++) {
		if (add && !live[i]) {
			live[i] = t;
			return;
		}
		if (!add && live[i] == t)
			live[i] = NULL;
	}
}

/* Write @size zero bytes so the file's pages exist before any timing. */
static int fill(int fd, size_t size)
{
	static const char zero[65536];

	while (size) {
		size_t k = size < sizeof(zero) ? size : sizeof(zero);
		ssize_t w = write(fd, zero, k);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		size -= (size_t)w;
	}
	return 0;
}

int bench_tmp_make(struct bench_tmp *t, const char *who, size_t size)
{
	int err;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	snprintf(t->dir, sizeof(t->dir), "%s/syslat-%s-XXXXXX", tmp_base(), who);
	if (!mkdtemp(t->dir)) {
		err = -errno;
		fprintf(stderr, "%s: mkdtemp %s: %s\n", who, t->dir, strerror(-err));
		t->dir[0] = 0;
		return err;
	}
	track(t, 1);
	t->tmpfs = on_tmpfs(t->dir);
	snprintf(t->file, sizeof(t->file), "%s/f", t->dir);
	t->fd = open(t->file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	err = t->fd < 0 ? -errno : fill(t->fd, size);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", who, t->file, strerror(-err));
		bench_tmp_remove(t);
	}
	return err;
}

void bench_tmp_remove(struct bench_tmp *t)
{
	if (!t->dir[0])
		return;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	unlink(t->file);
	rmdir(t->dir);
	t->dir[0] = 0;
	track(t, 0);
}

const char *bench_tmp_fs(const struct bench_tmp *t)
{
	return t->tmpfs ? "tmpfs" : "not tmpfs";
}

static int hold_body(void *arg)
{
	int *p = arg;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(p[1]);		/* else our own copy keeps EOF from coming */
	while (read(p[0], &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

int child_hold_start(struct child_hold *h, int cpu, const char *who)
{
	int p[2], err;

	if (pipe2(p, O_CLOEXEC)) {
		err = -errno;
		fprintf(stderr, "%s: pipe: %s\n", who, strerror(-err));
		return err;
	}
	h->pid = place_fork(cpu, hold_body, p);
	err = h->pid < 0 ? -errno : 0;
	close(p[0]);
	if (err) {
		close(p[1]);
		h->pid = 0;
		fprintf(stderr, "%s: fork: %s\n", who, strerror(-err));
		return err;
	}
	h->fd = p[1];
	return 0;
}

int child_hold_stop(struct child_hold *h, const char *who)
{
	int err;

	if (!h->pid)
		return 0;
	close(h->fd);		/* EOF: the child returns */
	err = child_wait(h->pid);
	h->pid = 0;
	if (err)
		fprintf(stderr, "%s: holding child did not exit cleanly\n", who);
	return err;
}

/*
 * The helper sits next to the binary in a build tree (user/) and in
 * ../libexec/syslat/ when installed (make install, the Debian package).
 */
int child_helper_path(char *buf, size_t len)
{
	static const char *const rel[] = { "", "/../libexec/syslat" };
	char self[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	size_t i;

	if (k <= 0)
		k = 0;
	self[k] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(buf, len, "%s%s/syslat-exec-helper", slash ? self : ".", rel[i]);
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

const char *bench_thp_mode(void)
{
	static char mode[32];
	char buf[128], *a, *b;
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	snprintf(mode, sizeof(mode), "THP ?");
	if (!f)
		return mode;
	if (fgets(buf, sizeof(buf), f) && (a = strchr(buf, '[')) && (b = strchr(a, ']'))) {
		*b = 0;
		snprintf(mode, sizeof(mode), "THP %s", a + 1);
	}
	fclose(f);
	return mode;
}
