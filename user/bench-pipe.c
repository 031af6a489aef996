// SPDX-License-Identifier: GPL-2.0
/*
 * Pipe ping-pong (lmbench lat_pipe, perf bench sched pipe): the measuring
 * thread writes IPC_MSG_SIZE bytes into one pipe, the peer reads them and
 * writes them back through a second pipe. Two pipes, because with one the
 * writer could read its own message back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

struct pipe_priv {
	struct ipc_peer peer;
	int to_peer[2];		/* [0] read end (peer), [1] write end (us) */
	int to_main[2];
	/* Own cache lines, so a thread peer's writes do not bounce ours. */
	char buf[IPC_MSG_SIZE] __attribute__((aligned(64)));
	char pbuf[IPC_MSG_SIZE] __attribute__((aligned(64)));
};

static int pipe_peer(void *arg)
{
	struct pipe_priv *s = arg;
	int rc;

	for (;;) {
		rc = ipc_read(s->to_peer[0], s->pbuf, sizeof(s->pbuf));
		if (rc || s->peer.stop)
			return rc;
		rc = ipc_write(s->to_main[1], s->pbuf, sizeof(s->pbuf));
		if (rc)
			return rc;
	}
}

/* The peer is gone: make our next read return a message we recognise. */
static void pipe_poison(void *arg)
{
	static const char d[IPC_MSG_SIZE] = { [0 ... IPC_MSG_SIZE - 1] = IPC_POISON_BYTE };
	struct pipe_priv *s = arg;

	if (write(s->to_main[1], d, sizeof(d)) < 0)
		return;		/* nothing better to do in a signal handler */
}

/* Teardown: one last message wakes the peer, which then sees stop. */
static void pipe_kick(void *arg)
{
	struct pipe_priv *s = arg;
	int rc = ipc_write(s->to_peer[1], s->buf, sizeof(s->buf));

	if (rc)
		fprintf(stderr, "pipe: final message to peer: %s\n", strerror(-rc));
}

static void pipe_close(struct pipe_priv *s)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (s->to_peer[i] >= 0)
			close(s->to_peer[i]);
		if (s->to_main[i] >= 0)
			close(s->to_main[i]);
	}
}

static void pipe_teardown(struct bench_run *r)
{
	struct pipe_priv *s = r->priv;

	if (!s)
		return;
	ipc_peer_stop(&s->peer, "pipe", pipe_kick, s);
	ipc_peer_where(r, &s->peer);
	if (s->peer.running)
		return;		/* a stuck thread still uses s: leak it */
	pipe_close(s);
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

static int pipe_setup(struct bench_run *r)
{
	struct pipe_priv *s = ipc_shared_alloc(sizeof(*s));
	int rc;

	if (!s) {
		rc = -errno;
		fprintf(stderr, "pipe: mmap: %s\n", strerror(errno));
		return rc;
	}
	s->to_peer[0] = s->to_peer[1] = s->to_main[0] = s->to_main[1] = -1;
	r->priv = s;
	if (pipe(s->to_peer) || pipe(s->to_main)) {
		rc = -errno;
		fprintf(stderr, "pipe: pipe(): %s\n", strerror(errno));
		pipe_teardown(r);
		return rc;
	}
	memset(s->buf, IPC_MSG_BYTE, sizeof(s->buf));
	s->peer.poison = pipe_poison;
	s->peer.poison_arg = s;
	rc = ipc_peer_start(&s->peer, "pipe", r->peer_cpu, ipc_use_process(r),
			    pipe_peer, s);
	if (rc) {
		pipe_teardown(r);
		return rc;
	}
	ipc_peer_where(r, &s->peer);
	r->divisor = 1;
	snprintf(r->note, sizeof(r->note),
		 "%d-byte message over two pipes, write+read each side",
		 IPC_MSG_SIZE);
	return 0;
}

static int pipe_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct pipe_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, "pipe");
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = ipc_write(s->to_peer[1], s->buf, sizeof(s->buf));
		if (__builtin_expect(rc, 0))
			break;
		rc = ipc_read(s->to_main[0], s->buf, sizeof(s->buf));
		if (__builtin_expect(rc, 0))
			break;
		if (__builtin_expect(s->buf[IPC_MSG_SIZE - 1] == IPC_POISON_BYTE, 0)) {
			rc = 1;
			break;
		}
	}
	t1 = tsc_end();
	if (rc == 1)
		return ipc_peer_error(&s->peer, "pipe");
	if (rc) {
		fprintf(stderr, "pipe: round trip: %s\n", strerror(-rc));
		return rc;
	}
	*ticks = t1 - t0;
	return 0;
}

const struct bench bench_pipe = {
	.name = "pipe",
	.summary = "pipe ping-pong between two tasks (1-byte message)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.setup = pipe_setup,
	.sample = pipe_sample,
	.teardown = pipe_teardown,
};
