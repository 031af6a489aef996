// SPDX-License-Identifier: GPL-2.0
/* Descriptor sets for the select / poll / epoll sweeps (evfds.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include "bench.h"
#include "evfds.h"

/* Room for @n more descriptors: raise the soft limit towards the hard one. */
static int room_for(int n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if (rl.rlim_cur >= (rlim_t)n + 64)
		return 0;
	if (rl.rlim_max < (rlim_t)n + 64)
		return -EMFILE;
	rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
}

void evfds_close(struct evfds *e)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (e->fd[i] >= 0)
			close(e->fd[i]);
	e->n = 0;
}

int evfds_open(struct bench_run *r, struct evfds *e, int n, int ready, int below_fd_setsize)
{
	uint64_t one = 1;
	int i, err;

	memset(e, 0, sizeof(*e));
	e->ready = ready;
	if (room_for(n)) {
		snprintf(r->note, sizeof(r->note), "RLIMIT_NOFILE too low for %d descriptors", n);
		return BENCH_SKIP;
	}
	for (i = 0; i < n; i++, e->n++) {
		e->fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (e->fd[i] < 0 || (ready && write(e->fd[i], &one, sizeof(one)) != sizeof(one))) {
			err = -errno;
			e->n += e->fd[i] >= 0;
			evfds_close(e);
			fprintf(stderr, "evfds: eventfd %d of %d: %s\n", i + 1, n, strerror(-err));
			return err;
		}
		if (e->fd[i] > e->maxfd)
			e->maxfd = e->fd[i];
	}
	if (below_fd_setsize && e->maxfd >= FD_SETSIZE) {
		snprintf(r->note, sizeof(r->note), "descriptor %d above select's FD_SETSIZE %d",
			 e->maxfd, FD_SETSIZE);
		evfds_close(e);
		return BENCH_SKIP;
	}
	return 0;
}

void evfds_note(struct bench_run *r, const struct evfds *e, const char *call)
{
	snprintf(r->note, sizeof(r->note), "%s on %d eventfds, %s, zero timeout", call, e->n,
		 e->ready ? "all readable" : "none ready");
}
