// SPDX-License-Identifier: GPL-2.0
/*
 * What the ping-pong benchmarks have in common beyond peer start/stop
 * (ipc.c): the setup and teardown steps around their own channel, and
 * the whole byte-stream ping-pong that bench-pipe.c and bench-unix.c
 * share, which differ only in how the descriptors are made (ipc.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

void *ipc_pp_alloc(struct bench_run *r, size_t size, const char *who)
{
	void *s = ipc_shared_alloc(size);
	int e;

	if (!s) {
		e = errno;
		fprintf(stderr, "%s: mmap: %s\n", who, strerror(e));
		errno = e;	/* the caller returns -errno */
		return NULL;
	}
	r->priv = s;
	return s;
}

int ipc_pp_start(struct bench_run *r, struct ipc_peer *p, const char *who,
		 int (*fn)(void *), void (*poison)(void *), void *arg)
{
	int rc;

	/* Before the start: the peer may die as soon as it exists. */
	p->poison = poison;
	p->poison_arg = arg;
	rc = ipc_peer_start(p, who, r->peer_cpu, ipc_use_process(r), fn, arg);
	if (rc)
		return rc;
	ipc_peer_where(r, p);
	r->divisor = 1;
	return 0;
}

int ipc_pp_stop(struct bench_run *r, struct ipc_peer *p, const char *who,
		void (*kick)(void *), void *karg)
{
	ipc_peer_stop(p, who, kick, karg);
	ipc_peer_where(r, p);
	return p->running ? -EBUSY : 0;
}

/* --- byte-stream ping-pong (pipe, unix) ------------------------------- */

static int stream_peer(void *arg)
{
	struct ipc_stream *s = arg;
	int rc;

	for (;;) {
		rc = ipc_read(s->peer_rx, s->pbuf, sizeof(s->pbuf));
		if (rc || s->peer.stop)
			return rc;
		rc = ipc_write(s->peer_tx, s->pbuf, sizeof(s->pbuf));
		if (rc)
			return rc;
	}
}

/*
 * The peer is gone: make our next read return a message we recognise.
 * Written on the peer's sending end, which is still open here, so it
 * arrives where our reply would (the read end of a pipe, the other end
 * of a socketpair).
 */
static void stream_poison(void *arg)
{
	static const char d[IPC_MSG_SIZE] = { [0 ... IPC_MSG_SIZE - 1] = IPC_POISON_BYTE };
	struct ipc_stream *s = arg;

	if (write(s->peer_tx, d, sizeof(d)) < 0)
		return;		/* nothing better to do in a signal handler */
}

/* Teardown: one last message wakes the peer, which then sees stop. */
static void stream_kick(void *arg)
{
	struct ipc_stream *s = arg;
	int rc = ipc_write(s->tx, s->buf, sizeof(s->buf));

	if (rc)
		fprintf(stderr, "%s: final message to peer: %s\n", s->d->name, strerror(-rc));
}

void ipc_stream_teardown(struct bench_run *r)
{
	struct ipc_stream *s = r->priv;
	int i;

	if (!s)
		return;
	if (ipc_pp_stop(r, &s->peer, s->d->name, stream_kick, s))
		return;		/* a stuck thread still uses s: leak it */
	for (i = 0; i < 4; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

int ipc_stream_setup(struct bench_run *r, const struct ipc_stream_desc *d)
{
	struct ipc_stream *s = ipc_pp_alloc(r, sizeof(*s), d->name);
	int rc;

	if (!s)
		return -errno;
	s->d = d;
	s->fd[0] = s->fd[1] = s->fd[2] = s->fd[3] = -1;
	if (d->open(s)) {
		rc = -errno;
		fprintf(stderr, "%s: %s: %s\n", d->name, d->call, strerror(-rc));
		ipc_stream_teardown(r);
		return rc;
	}
	memset(s->buf, IPC_MSG_BYTE, sizeof(s->buf));
	rc = ipc_pp_start(r, &s->peer, d->name, stream_peer, stream_poison, s);
	if (rc) {
		ipc_stream_teardown(r);
		return rc;
	}
	snprintf(r->note, sizeof(r->note),
		 "%d-byte message over %s, write+read each side", IPC_MSG_SIZE, d->over);
	return 0;
}

/* The round trip inline between tsc_begin() and tsc_end() (bench.h). */
int ipc_stream_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct ipc_stream *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, s->d->name);
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = ipc_write(s->tx, s->buf, sizeof(s->buf));
		if (__builtin_expect(rc, 0))
			break;
		rc = ipc_read(s->rx, s->buf, sizeof(s->buf));
		if (__builtin_expect(rc, 0))
			break;
		if (__builtin_expect(s->buf[IPC_MSG_SIZE - 1] == IPC_POISON_BYTE, 0)) {
			rc = 1;
			break;
		}
	}
	t1 = tsc_end();
	return ipc_sample_done(&s->peer, s->d->name, "round trip", rc, t0, t1, ticks);
}
