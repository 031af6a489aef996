// SPDX-License-Identifier: GPL-2.0
/*
 * The ipc-sweep ping-pong and stream (sweep.h): one send and one receive
 * per side and kind, the peer bodies, poison, kick and the timed loops.
 * Poison (the
 * peer thread failed, ipc.h) is what the measuring side recognises in
 * place of a reply: end of stream (the peer's sending side shut down or
 * closed), a 0-byte datagram or message, or futex word 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sweep.h"
#include "tsc.h"

#define SHM_TO_PEER 1
#define SHM_TO_US 2
#define SHM_POISON 3

/* Send @len bytes of @b on @fd as the kind wants: 0 or -errno. */
static inline int ch_send(const struct sweep_ch *c, int fd, const char *b)
{
	switch (c->m->kind) {
	case SW_STREAM:
		return ipc_write(fd, b, c->size);
	case SW_DGRAM:
		while (send(fd, b, c->size, 0) != (ssize_t)c->size)
			if (errno != EINTR)
				return -errno;
		return 0;
	case SW_MQ:
		/* A stream's full queue whose reader died must not block for ever. */
		while (c->stream ? mq_timedsend(fd, b, c->size, 0, &c->deadline) :
				   mq_send(fd, b, c->size, 0))
			if (errno != EINTR)
				return -errno;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Receive one message: 0, 1 on poison (short message), -errno. */
static inline int ch_recv(const struct sweep_ch *c, int fd, char *b)
{
	ssize_t k;

	switch (c->m->kind) {
	case SW_STREAM:
		k = ipc_read(fd, b, c->size);
		return k == -EPIPE ? 1 : (int)k;
	case SW_DGRAM:
		while ((k = recv(fd, b, c->size, 0)) < 0)
			if (errno != EINTR)
				return -errno;
		return k == (ssize_t)c->size ? 0 : 1;
	case SW_MQ:
		while ((k = mq_receive(fd, b, c->size, NULL)) < 0)
			if (errno != EINTR)
				return -errno;
		return k == (ssize_t)c->size ? 0 : 1;
	default:
		return -EINVAL;
	}
}

/* Shared-memory hand-off: copy in, publish @to, wait for @back. */
static inline int shm_pass(struct sweep_ch *c, const char *src, uint32_t to)
{
	memcpy(c->shm, src, c->size);
	__atomic_store_n(&c->word, to, __ATOMIC_RELEASE);
	ipc_futex_wake(&c->word, 1, c->priv);
	return 0;
}

static inline int shm_wait(struct sweep_ch *c, uint32_t want, char *dst)
{
	uint32_t w;

	while ((w = __atomic_load_n(&c->word, __ATOMIC_ACQUIRE)) != want) {
		if (w == SHM_POISON)
			return 1;
		ipc_futex_wait(&c->word, w, c->priv, NULL);
	}
	memcpy(dst, c->shm, c->size);
	return 0;
}

/*
 * The stream's end of round: one byte back, whatever the message size,
 * so that the reply costs next to nothing beside N messages. Poison is
 * still what it was: end of stream, or a 0-byte datagram or message.
 */
static int ack_send(const struct sweep_ch *c)
{
	static const char a = IPC_MSG_BYTE;

	switch (c->m->kind) {
	case SW_STREAM:
		return ipc_write(c->peer_tx, &a, 1);
	case SW_DGRAM:
		while (send(c->peer_tx, &a, 1, 0) != 1)
			if (errno != EINTR)
				return -errno;
		return 0;
	default:
		while (mq_send(c->peer_tx, &a, 1, 0))
			if (errno != EINTR)
				return -errno;
		return 0;
	}
}

/* 0 on the ack, 1 on poison, -errno. */
static int ack_recv(struct sweep_ch *c)
{
	ssize_t k;

	if (c->m->kind == SW_STREAM) {
		k = ipc_read(c->rx, c->buf, 1);
		return k == -EPIPE ? 1 : (int)k;
	}
	do
		k = c->m->kind == SW_DGRAM ? recv(c->rx, c->buf, c->size, 0) :
					     mq_receive(c->rx, c->buf, c->size, NULL);
	while (k < 0 && errno == EINTR);
	return k < 0 ? -errno : k == 1 ? 0 : 1;
}

/* Read c->chunks messages (the count is set before the first is sent), ack. */
static int stream_peer(struct sweep_ch *c)
{
	uint64_t got = 0, need = 0;
	int rc;

	for (;;) {
		rc = ch_recv(c, c->peer_rx, c->pbuf);
		if (rc || c->peer.stop)
			return rc > 0 ? -EPROTO : rc;
		if (!got)
			need = __atomic_load_n(&c->chunks, __ATOMIC_ACQUIRE);
		if (++got < need)
			continue;
		got = 0;
		rc = ack_send(c);
		if (rc)
			return rc;
	}
}

/*
 * A process peer inherits every descriptor open at its fork: the other
 * pairs' channels and our ends of its own. Holding them would keep a pipe
 * or socket open after the peer it belongs to died (no EOF, no EPIPE), so
 * it keeps only its two ends (and stdio).
 */
static void close_from3(unsigned int lo, unsigned int hi)
{
	if (lo < 3)
		lo = 3;
	if (lo <= hi)
		close_range(lo, hi, 0);
}

static void keep_own_fds(const struct sweep_ch *c)
{
	unsigned int a = (unsigned int)c->peer_rx, b = (unsigned int)c->peer_tx, t;

	if (c->m->kind == SW_SHM) {
		close_from3(3, ~0U);
		return;
	}
	if (a > b)
		t = a, a = b, b = t;
	if (a > 0)
		close_from3(3, a - 1);
	close_from3(a + 1, b - 1);	/* empty when a == b (a socket) */
	close_from3(b + 1, ~0U);
}

int sweep_peer(void *arg)
{
	struct sweep_ch *c = arg;
	int rc;

	if (c->peer.is_process)
		keep_own_fds(c);
	if (c->stream)
		return stream_peer(c);
	for (;;) {
		if (c->m->kind == SW_SHM) {
			shm_wait(c, SHM_TO_PEER, c->pbuf);
			if (c->peer.stop)
				return 0;
			shm_pass(c, c->pbuf, SHM_TO_US);
			continue;
		}
		rc = ch_recv(c, c->peer_rx, c->pbuf);
		if (rc == -EAGAIN && c->m->kind == SW_DGRAM && !c->peer.stop)
			continue;	/* UDP receive timeout while we were idle */
		if (rc || c->peer.stop)
			return rc > 0 ? -EPROTO : rc;
		rc = ch_send(c, c->peer_tx, c->pbuf);
		if (rc)
			return rc;
	}
}

/*
 * A stream's sender may be blocked on a full pipe or socket: closing the
 * peer's ends (ours stay) makes that write fail (EPIPE, ECONNRESET,
 * ECONNREFUSED) instead of waiting for a reader that is gone.
 */
static void close_peer_ends(struct sweep_ch *c)
{
	int i, fd;

	for (i = 0; i < 4; i++) {
		fd = c->fd[i];
		if (fd >= 0 && (fd == c->peer_rx || fd == c->peer_tx) && fd != c->tx && fd != c->rx) {
			close(fd);
			c->fd[i] = -1;
		}
	}
}

void sweep_poison(void *arg)
{
	struct sweep_ch *c = arg;
	int i;

	if (c->stream && c->m->kind == SW_DGRAM)
		send(c->peer_tx, "", 0, 0);	/* queued on our side: stays readable */
	if (c->stream && c->m->kind != SW_MQ && c->m->kind != SW_SHM) {
		if (c->m->kind == SW_STREAM)
			shutdown(c->peer_tx, SHUT_WR);	/* EOF first, where a socket */
		close_peer_ends(c);
		return;
	}

	switch (c->m->kind) {
	case SW_SHM:
		__atomic_store_n(&c->word, SHM_POISON, __ATOMIC_RELEASE);
		ipc_futex_wake(&c->word, 1, c->priv);
		return;
	case SW_DGRAM:
		if (send(c->peer_tx, "", 0, 0) < 0)
			return;
		return;
	case SW_MQ:
		mq_send(c->peer_tx, "", 0, 0);
		return;
	default:
		if (shutdown(c->peer_tx, SHUT_WR) == 0 || errno != ENOTSOCK)
			return;
		for (i = 0; i < 4; i++)	/* a pipe: close its write end, we see EOF */
			if (c->fd[i] == c->peer_tx) {
				close(c->fd[i]);
				c->fd[i] = -1;
			}
	}
}

void sweep_kick(void *arg)
{
	struct sweep_ch *c = arg;
	int rc = 0;

	if (c->m->kind == SW_SHM)
		shm_pass(c, c->buf, SHM_TO_PEER);
	else
		rc = ch_send(c, c->tx, c->buf);
	if (rc)
		fprintf(stderr, "ipc-sweep: %s: final message to peer: %s\n", c->m->name,
			strerror(-rc));
}

/* @n messages one way and the peer's ack: what lmbench's bw_pipe times. */
static int stream_sample(struct sweep_ch *c, uint64_t n, uint64_t *ticks)
{
	uint64_t t0, t1, i;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &c->deadline);	/* mq's clock */
	c->deadline.tv_sec += SWEEP_STREAM_STALL_S;
	__atomic_store_n(&c->chunks, n, __ATOMIC_RELEASE);
	t0 = tsc_begin();
	for (i = 0; i < n && !rc; i++)
		rc = ch_send(c, c->tx, c->buf);
	if (!rc)
		rc = ack_recv(c);
	t1 = tsc_end();
	if (rc == -ETIMEDOUT)
		fprintf(stderr, "ipc-sweep: %s: the stream's %llu messages were not all queued "
			"within %d s of its start (peer gone?)\n", c->m->name,
			(unsigned long long)n, SWEEP_STREAM_STALL_S);
	if (rc < 0 && c->peer.gone)	/* EPIPE and the like: poison closed the peer's ends */
		rc = 1;
	return ipc_sample_done(&c->peer, c->m->name, "stream", rc, t0, t1, ticks);
}

int sweep_sample(struct sweep_ch *c, uint64_t n, uint64_t *ticks)
{
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(c->peer.gone, 0))
		return ipc_peer_error(&c->peer, c->m->name);
	if (c->stream)
		return stream_sample(c, n, ticks);
	t0 = tsc_begin();
	if (c->m->kind == SW_SHM) {
		for (i = 0; i < n && !rc; i++) {
			shm_pass(c, c->buf, SHM_TO_PEER);
			rc = shm_wait(c, SHM_TO_US, c->buf);
		}
	} else {
		for (i = 0; i < n; i++) {
			rc = ch_send(c, c->tx, c->buf);
			if (__builtin_expect(rc, 0))
				break;
			rc = ch_recv(c, c->rx, c->buf);
			if (__builtin_expect(rc, 0))
				break;
		}
	}
	t1 = tsc_end();
	if (rc == -EAGAIN && c->m->kind == SW_DGRAM) {	/* SO_RCVTIMEO (sweep-chan.c) */
		fprintf(stderr, "ipc-sweep: %s: no reply within 2 s (a datagram lost?)\n", c->m->name);
		return rc;
	}
	return ipc_sample_done(&c->peer, c->m->name, "round trip", rc, t0, t1, ticks);
}
