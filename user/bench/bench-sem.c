// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX semaphore ping-pong: we sem_post(to) and sem_wait(back); the peer
 * sem_wait(to)s and sem_post(back)s. Process-shared semaphores in shared
 * memory, so the peer is a thread or (--process) a process; a dead peer
 * is reported through the shared ipc.c poison (a post with the gone flag
 * set: sem_post is async-signal-safe).
 */
#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

struct sem_pp {
	struct ipc_peer peer;
	sem_t to, back;
	volatile int poisoned;
	int inited;
};

static int sem_peer(void *arg)
{
	struct sem_pp *s = arg;

	for (;;) {
		while (sem_wait(&s->to))
			if (errno != EINTR)
				return -errno;
		if (s->peer.stop)
			return 0;
		if (sem_post(&s->back))
			return -errno;
	}
}

static void sem_poison(void *arg)
{
	struct sem_pp *s = arg;

	s->poisoned = 1;
	sem_post(&s->back);
}

static void sem_kick(void *arg)
{
	sem_post(&((struct sem_pp *)arg)->to);
}

static void sem_teardown(struct bench_run *r)
{
	struct sem_pp *s = r->priv;

	if (!s)
		return;
	if (s->inited && ipc_pp_stop(r, &s->peer, "sem", sem_kick, s))
		return;		/* a stuck thread still uses s: leak it */
	if (s->inited) {
		sem_destroy(&s->to);
		sem_destroy(&s->back);
	}
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

static int sem_setup(struct bench_run *r)
{
	struct sem_pp *s = ipc_pp_alloc(r, sizeof(*s), "sem");
	int rc;

	if (!s)
		return -errno;
	if (sem_init(&s->to, 1, 0) || sem_init(&s->back, 1, 0)) {
		rc = -errno;
		fprintf(stderr, "sem: sem_init: %s\n", strerror(-rc));
		sem_teardown(r);
		return rc;
	}
	s->inited = 1;
	rc = ipc_pp_start(r, &s->peer, "sem", sem_peer, sem_poison, s);
	if (rc) {
		s->inited = 0;	/* no peer to stop */
		sem_teardown(r);
		return rc;
	}
	snprintf(r->note, sizeof(r->note), "process-shared sem_t pair, post+wait each side");
	return 0;
}

static int sem_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct sem_pp *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, "sem");
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		if (__builtin_expect(sem_post(&s->to), 0)) {
			rc = -errno;
			break;
		}
		while (sem_wait(&s->back) && !rc)
			rc = errno == EINTR ? 0 : -errno;
		if (__builtin_expect(rc || s->poisoned, 0)) {
			rc = rc ? rc : 1;
			break;
		}
	}
	t1 = tsc_end();
	return ipc_sample_done(&s->peer, "sem", "round trip", rc, t0, t1, ticks);
}

const struct bench bench_sem = {
	.name = "sem",
	.summary = "POSIX semaphore ping-pong between two tasks (sem_post/sem_wait)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.suites = SUITE_LEBENCH,
	.setup = sem_setup, .sample = sem_sample, .teardown = sem_teardown,
};
