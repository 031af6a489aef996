// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd ping-pong: the measuring thread adds 1 to one eventfd counter,
 * the peer's read() returns it (and resets it to 0), the peer adds 1 to a
 * second eventfd that we read. Two counters, because a single one would
 * let a side read back its own post.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

struct efd_priv {
	struct ipc_peer peer;
	int to_peer;
	int to_main;
	/* Own cache lines, so a thread peer's writes do not bounce ours. */
	uint64_t val __attribute__((aligned(64)));
	uint64_t pval __attribute__((aligned(64)));
};

static int efd_peer(void *arg)
{
	struct efd_priv *s = arg;
	int rc;

	for (;;) {
		rc = ipc_read(s->to_peer, &s->pval, sizeof(s->pval));
		if (rc || s->peer.stop)
			return rc;
		s->pval = 1;
		rc = ipc_write(s->to_main, &s->pval, sizeof(s->pval));
		if (rc)
			return rc;
	}
}

/* Added to our counter when the peer is gone: never a normal value (1). */
#define EFD_POISON (1ULL << 40)

static void efd_poison(void *arg)
{
	struct efd_priv *s = arg;
	uint64_t v = EFD_POISON;

	if (write(s->to_main, &v, sizeof(v)) < 0)
		return;		/* nothing better to do in a signal handler */
}

static void efd_kick(void *arg)
{
	struct efd_priv *s = arg;
	uint64_t one = 1;
	int rc = ipc_write(s->to_peer, &one, sizeof(one));

	if (rc)
		fprintf(stderr, "eventfd: final post to peer: %s\n", strerror(-rc));
}

static void efd_teardown(struct bench_run *r)
{
	struct efd_priv *s = r->priv;

	if (!s)
		return;
	if (ipc_pp_stop(r, &s->peer, "eventfd", efd_kick, s))
		return;		/* a stuck thread still uses s: leak it */
	if (s->to_peer >= 0)
		close(s->to_peer);
	if (s->to_main >= 0)
		close(s->to_main);
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

static int efd_setup(struct bench_run *r)
{
	struct efd_priv *s = ipc_pp_alloc(r, sizeof(*s), "eventfd");
	int rc;

	if (!s)
		return -errno;
	s->to_peer = eventfd(0, EFD_CLOEXEC);
	s->to_main = s->to_peer < 0 ? -1 : eventfd(0, EFD_CLOEXEC);
	if (s->to_main < 0) {
		rc = -errno;
		fprintf(stderr, "eventfd: eventfd(): %s\n", strerror(errno));
		efd_teardown(r);
		return rc;
	}
	rc = ipc_pp_start(r, &s->peer, "eventfd", efd_peer, efd_poison, s);
	if (rc) {
		efd_teardown(r);
		return rc;
	}
	snprintf(r->note, sizeof(r->note),
		 "two eventfds (blocking), write 8 bytes + read 8 bytes each side");
	return 0;
}

static int efd_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct efd_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, "eventfd");
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		s->val = 1;
		rc = ipc_write(s->to_peer, &s->val, sizeof(s->val));
		if (__builtin_expect(rc, 0))
			break;
		rc = ipc_read(s->to_main, &s->val, sizeof(s->val));
		if (__builtin_expect(rc, 0))
			break;
		if (__builtin_expect(s->val != 1, 0)) {
			rc = 1;		/* poison: the peer is gone */
			break;
		}
	}
	t1 = tsc_end();
	return ipc_sample_done(&s->peer, "eventfd", "round trip", rc, t0, t1, ticks);
}

const struct bench bench_eventfd = {
	.name = "eventfd",
	.summary = "eventfd ping-pong between two tasks (8-byte counter post)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.setup = efd_setup,
	.sample = efd_sample,
	.teardown = efd_teardown,
};
