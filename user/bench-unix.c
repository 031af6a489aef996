// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX stream ping-pong (lmbench lat_unix): one socketpair, the
 * measuring thread writes IPC_MSG_SIZE bytes on sv[0], the peer reads them
 * on sv[1] and writes them back. Unlike a pipe, each end is bidirectional,
 * so one pair is enough. read()/write() as lat_unix does, not send/recv.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

struct unix_priv {
	struct ipc_peer peer;
	int sv[2];		/* [0] ours, [1] the peer's */
	/* Own cache lines, so a thread peer's writes do not bounce ours. */
	char buf[IPC_MSG_SIZE] __attribute__((aligned(64)));
	char pbuf[IPC_MSG_SIZE] __attribute__((aligned(64)));
};

static int unix_peer(void *arg)
{
	struct unix_priv *s = arg;
	int rc;

	for (;;) {
		rc = ipc_read(s->sv[1], s->pbuf, sizeof(s->pbuf));
		if (rc || s->peer.stop)
			return rc;
		rc = ipc_write(s->sv[1], s->pbuf, sizeof(s->pbuf));
		if (rc)
			return rc;
	}
}

/* The peer is gone: make our next read return a message we recognise. */
static void unix_poison(void *arg)
{
	static const char d[IPC_MSG_SIZE] = { [0 ... IPC_MSG_SIZE - 1] = IPC_POISON_BYTE };
	struct unix_priv *s = arg;

	/* The peer's end is still open here: data written on it reaches sv[0]. */
	if (write(s->sv[1], d, sizeof(d)) < 0)
		return;		/* nothing better to do in a signal handler */
}

static void unix_kick(void *arg)
{
	struct unix_priv *s = arg;
	int rc = ipc_write(s->sv[0], s->buf, sizeof(s->buf));

	if (rc)
		fprintf(stderr, "unix: final message to peer: %s\n", strerror(-rc));
}

static void unix_teardown(struct bench_run *r)
{
	struct unix_priv *s = r->priv;

	if (!s)
		return;
	ipc_peer_stop(&s->peer, "unix", unix_kick, s);
	ipc_peer_where(r, &s->peer);
	if (s->peer.running)
		return;		/* a stuck thread still uses s: leak it */
	if (s->sv[0] >= 0)
		close(s->sv[0]);
	if (s->sv[1] >= 0)
		close(s->sv[1]);
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

static int unix_setup(struct bench_run *r)
{
	struct unix_priv *s = ipc_shared_alloc(sizeof(*s));
	int rc;

	if (!s) {
		rc = -errno;
		fprintf(stderr, "unix: mmap: %s\n", strerror(errno));
		return rc;
	}
	s->sv[0] = s->sv[1] = -1;
	r->priv = s;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s->sv)) {
		rc = -errno;
		fprintf(stderr, "unix: socketpair: %s\n", strerror(errno));
		unix_teardown(r);
		return rc;
	}
	memset(s->buf, IPC_MSG_BYTE, sizeof(s->buf));
	s->peer.poison = unix_poison;
	s->peer.poison_arg = s;
	rc = ipc_peer_start(&s->peer, "unix", r->peer_cpu, ipc_use_process(r),
			    unix_peer, s);
	if (rc) {
		unix_teardown(r);
		return rc;
	}
	ipc_peer_where(r, &s->peer);
	r->divisor = 1;
	snprintf(r->note, sizeof(r->note),
		 "%d-byte message over an AF_UNIX stream socketpair, write+read each side",
		 IPC_MSG_SIZE);
	return 0;
}

static int unix_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct unix_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, "unix");
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = ipc_write(s->sv[0], s->buf, sizeof(s->buf));
		if (__builtin_expect(rc, 0))
			break;
		rc = ipc_read(s->sv[0], s->buf, sizeof(s->buf));
		if (__builtin_expect(rc, 0))
			break;
		if (__builtin_expect(s->buf[IPC_MSG_SIZE - 1] == IPC_POISON_BYTE, 0)) {
			rc = 1;
			break;
		}
	}
	t1 = tsc_end();
	if (rc == 1)
		return ipc_peer_error(&s->peer, "unix");
	if (rc) {
		fprintf(stderr, "unix: round trip: %s\n", strerror(-rc));
		return rc;
	}
	*ticks = t1 - t0;
	return 0;
}

const struct bench bench_unix = {
	.name = "unix",
	.summary = "AF_UNIX stream socketpair ping-pong between two tasks (1-byte message)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.setup = unix_setup,
	.sample = unix_sample,
	.teardown = unix_teardown,
};
