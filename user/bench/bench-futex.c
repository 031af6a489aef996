// SPDX-License-Identifier: GPL-2.0
/*
 * futex ping-pong: one 32-bit word says whose turn it is (1: the peer's,
 * 0: ours). A side hands over by storing the new value and FUTEX_WAKE,
 * then FUTEX_WAITs while the word still holds the value it stored; the
 * kernel's value check in FUTEX_WAIT makes a wake before the wait harmless.
 * The wake is issued on every hand-off, without a "waiter present" flag,
 * so every round trip costs two wakes and (usually) two waits.
 *
 * Threads use FUTEX_PRIVATE_FLAG (no mm/inode key lookup); processes
 * share the word through a MAP_SHARED anonymous mapping and need the
 * shared futex ops.
 *
 * The same machinery does the one-CPU hand-off of bench-futex-switch.c
 * (futex_pp_* in ipc.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

struct futex_priv {
	struct ipc_peer peer;
	const char *who;
	int priv;		/* FUTEX_PRIVATE_FLAG usable (thread peer) */
	uint32_t turn __attribute__((aligned(64)));
};

#define TURN_MAIN 0
#define TURN_PEER 1
#define TURN_GONE 2		/* poison: the peer died or failed */

/* Wait while *w == val. 0, or -errno. EINTR is retried (see ipc_write()). */
static inline int futex_wait_while(uint32_t *w, uint32_t val, int priv)
{
	while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == val) {
		if (ipc_futex_wait(w, val, priv, NULL) == 0 || errno == EAGAIN ||
		    errno == EINTR)
			continue;
		return -errno;
	}
	return 0;
}

static inline int futex_hand(uint32_t *w, uint32_t val, int priv)
{
	__atomic_store_n(w, val, __ATOMIC_SEQ_CST);
	return ipc_futex_wake(w, 1, priv) < 0 ? -errno : 0;
}

/*
 * Our hand-off: a compare-and-swap from TURN_MAIN rather than a store,
 * so that poison stored while we were not looking is not overwritten
 * (then we would wait for ever). 1 if poisoned, else as futex_hand().
 */
static inline int futex_hand_main(uint32_t *w, int priv)
{
	uint32_t old = TURN_MAIN;

	if (!__atomic_compare_exchange_n(w, &old, TURN_PEER, 0, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return 1;
	return ipc_futex_wake(w, 1, priv) < 0 ? -errno : 0;
}

/* Async-signal-safe: a store and a syscall. */
static void futex_poison(void *arg)
{
	struct futex_priv *s = arg;

	__atomic_store_n(&s->turn, TURN_GONE, __ATOMIC_SEQ_CST);
	ipc_futex_wake(&s->turn, 1, s->priv);
}

static int futex_peer(void *arg)
{
	struct futex_priv *s = arg;
	int rc;

	for (;;) {
		rc = futex_wait_while(&s->turn, TURN_MAIN, s->priv);
		if (rc || s->peer.stop)
			return rc;
		rc = futex_hand(&s->turn, TURN_MAIN, s->priv);
		if (rc)
			return rc;
	}
}

static void futex_kick(void *arg)
{
	struct futex_priv *s = arg;
	int rc = futex_hand(&s->turn, TURN_PEER, s->priv);

	if (rc)
		fprintf(stderr, "%s: final wake of peer: %s\n", s->who, strerror(-rc));
}

void futex_pp_teardown(struct bench_run *r)
{
	struct futex_priv *s = r->priv;

	if (!s)
		return;
	ipc_peer_stop(&s->peer, s->who, futex_kick, s);
	ipc_peer_where(r, &s->peer);
	if (s->peer.running)
		return;		/* a stuck thread still uses s: leak it */
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

int futex_pp_setup(struct bench_run *r, const char *who, int peer_cpu)
{
	struct futex_priv *s = ipc_shared_alloc(sizeof(*s));
	int process = ipc_use_process(r);
	int rc;

	if (!s) {
		rc = -errno;
		fprintf(stderr, "%s: mmap: %s\n", who, strerror(errno));
		return rc;
	}
	r->priv = s;
	s->who = who;
	s->priv = !process;
	s->turn = TURN_MAIN;
	s->peer.poison = futex_poison;
	s->peer.poison_arg = s;
	rc = ipc_peer_start(&s->peer, who, peer_cpu, process, futex_peer, s);
	if (rc) {
		futex_pp_teardown(r);
		return rc;
	}
	ipc_peer_where(r, &s->peer);
	r->divisor = 1;
	return 0;
}

int futex_pp_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct futex_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	if (__builtin_expect(s->peer.gone, 0))
		return ipc_peer_error(&s->peer, s->who);
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = futex_hand_main(&s->turn, s->priv);
		if (__builtin_expect(rc, 0))
			break;
		rc = futex_wait_while(&s->turn, TURN_PEER, s->priv);
		if (__builtin_expect(rc, 0))
			break;
	}
	t1 = tsc_end();
	if (!rc && __atomic_load_n(&s->turn, __ATOMIC_RELAXED) == TURN_GONE)
		rc = 1;		/* the peer handed back "gone" */
	return ipc_sample_done(&s->peer, s->who, "hand-off", rc, t0, t1, ticks);
}

static int futex_setup(struct bench_run *r)
{
	int rc = futex_pp_setup(r, "futex", r->peer_cpu);
	struct futex_priv *s = r->priv;

	if (rc)
		return rc;
	snprintf(r->note, sizeof(r->note),
		 "FUTEX_WAKE + FUTEX_WAIT on one shared word each side (%s futex)",
		 s->priv ? "private" : "shared");
	return 0;
}

const struct bench bench_futex = {
	.name = "futex",
	.summary = "futex (FUTEX_WAIT/FUTEX_WAKE) ping-pong between two tasks",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.setup = futex_setup,
	.sample = futex_pp_sample,
	.teardown = futex_pp_teardown,
};
