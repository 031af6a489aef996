// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queue ping-pong: two queues (one per direction, else a
 * side could receive its own message), each mq_maxmsg 2 and mq_msgsize
 * IPC_MSG_SIZE bytes, priority 0. The message size is stated in the note
 * because ipc-bench #19 shows how silently differing sizes mislead.
 *
 * The queues get unique names (pid + counter) and are unlinked as soon as
 * both are open: the descriptors stay valid in threads and forked
 * children, and nothing is left behind in /dev/mqueue if we crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

struct mqb_priv {
	struct ipc_peer peer;
	mqd_t to_peer;
	mqd_t to_main;
	/* Own cache lines, so a thread peer's writes do not bounce ours. */
	char buf[IPC_MSG_SIZE] __attribute__((aligned(64)));
	char pbuf[IPC_MSG_SIZE] __attribute__((aligned(64)));
};

/* EINTR is retried: see ipc_write(). */
static inline int mqb_tx(mqd_t q, const char *b)
{
	while (__builtin_expect(mq_send(q, b, IPC_MSG_SIZE, 0), 0)) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static inline int mqb_rx(mqd_t q, char *b)
{
	while (__builtin_expect(mq_receive(q, b, IPC_MSG_SIZE, NULL) < 0, 0)) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static int mqb_peer(void *arg)
{
	struct mqb_priv *s = arg;
	int rc;

	for (;;) {
		rc = mqb_rx(s->to_peer, s->pbuf);
		if (rc || s->peer.stop)
			return rc;
		rc = mqb_tx(s->to_main, s->pbuf);
		if (rc)
			return rc;
	}
}

/*
 * The peer is gone: queue a message we recognise for our next receive.
 * Never blocks (a timeout already in the past); depth 2 leaves room for
 * it next to a reply the peer sent just before it died.
 */
static void mqb_poison(void *arg)
{
	static const char d[IPC_MSG_SIZE] = { [0 ... IPC_MSG_SIZE - 1] = IPC_POISON_BYTE };
	static const struct timespec past = { 0, 0 };
	struct mqb_priv *s = arg;

	if (mq_timedsend(s->to_main, d, sizeof(d), 0, &past))
		return;		/* nothing better to do in a signal handler */
}

static void mqb_kick(void *arg)
{
	struct mqb_priv *s = arg;
	int rc = mqb_tx(s->to_peer, s->buf);

	if (rc)
		fprintf(stderr, "mq: final message to peer: %s\n", strerror(-rc));
}

static void mqb_teardown(struct bench_run *r)
{
	struct mqb_priv *s = r->priv;

	if (!s)
		return;
	if (ipc_pp_stop(r, &s->peer, "mq", mqb_kick, s))
		return;		/* a stuck thread still uses s: leak it */
	if (s->to_peer != (mqd_t)-1)
		mq_close(s->to_peer);
	if (s->to_main != (mqd_t)-1)
		mq_close(s->to_main);
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

/* Create a fresh queue under a unique name and unlink the name at once. */
static mqd_t mqb_create(char tag)
{
	static unsigned int seq;
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = IPC_MSG_SIZE };
	char name[64];
	mqd_t q;
	int e;

	snprintf(name, sizeof(name), "/syslat-%d-%u-%c", (int)getpid(), seq++, tag);
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &a);
	if (q == (mqd_t)-1) {
		e = errno;
		fprintf(stderr, "mq: mq_open %s: %s%s\n", name, strerror(e),
			e == ENOSYS ? " (kernel without CONFIG_POSIX_MQUEUE)" : "");
		errno = e;
		return q;
	}
	if (mq_unlink(name)) {
		e = errno;
		fprintf(stderr, "mq: mq_unlink %s: %s\n", name, strerror(e));
		mq_close(q);
		errno = e;
		return (mqd_t)-1;
	}
	return q;
}

static int mqb_setup(struct bench_run *r)
{
	struct mqb_priv *s = ipc_pp_alloc(r, sizeof(*s), "mq");
	int rc;

	if (!s)
		return -errno;
	s->to_peer = mqb_create('p');
	s->to_main = s->to_peer == (mqd_t)-1 ? (mqd_t)-1 : mqb_create('m');
	if (s->to_main == (mqd_t)-1) {
		rc = -errno;
		mqb_teardown(r);
		return rc;
	}
	memset(s->buf, IPC_MSG_BYTE, sizeof(s->buf));
	rc = ipc_pp_start(r, &s->peer, "mq", mqb_peer, mqb_poison, s);
	if (rc) {
		mqb_teardown(r);
		return rc;
	}
	snprintf(r->note, sizeof(r->note),
		 "two POSIX mqueues, %d-byte messages, depth 2, mq_send+mq_receive each side",
		 IPC_MSG_SIZE);
	return 0;
}

static int mqb_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct mqb_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, "mq");
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = mqb_tx(s->to_peer, s->buf);
		if (__builtin_expect(rc, 0))
			break;
		rc = mqb_rx(s->to_main, s->buf);
		if (__builtin_expect(rc, 0))
			break;
		if (__builtin_expect(s->buf[IPC_MSG_SIZE - 1] == IPC_POISON_BYTE, 0)) {
			rc = 1;
			break;
		}
	}
	t1 = tsc_end();
	return ipc_sample_done(&s->peer, "mq", "round trip", rc, t0, t1, ticks);
}

const struct bench bench_mq = {
	.name = "mq",
	.summary = "POSIX message queue ping-pong between two tasks (1-byte messages)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.setup = mqb_setup,
	.sample = mqb_sample,
	.teardown = mqb_teardown,
};
