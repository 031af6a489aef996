// SPDX-License-Identifier: GPL-2.0
/*
 * Context switch by sched_yield(): two tasks pinned to the measuring CPU,
 * both calling sched_yield() in a loop. With exactly two runnable tasks on
 * a CPU, each yield hands the CPU to the other one, so one of our yields
 * is one switch away and (after the peer's yield) one switch back: two
 * switches per sample iteration, divisor 2, plus the cost of the yield
 * syscalls themselves.
 *
 * Whether a yield really switches is the scheduler's choice (CFS/EEVDF
 * may return at once when the other task is not yet eligible), so setup
 * measures our switch count and the peer's progress over a check run and
 * puts both in the note. Anything else runnable on the CPU distorts this.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

#define CHECK_ROUNDS 1000

struct yield_priv {
	struct ipc_peer peer;
	/* The peer's yield count, own cache line. */
	volatile uint64_t yields __attribute__((aligned(64)));
};

static int yield_peer(void *arg)
{
	struct yield_priv *s = arg;

	while (!s->peer.stop) {
		if (sched_yield())
			return -errno;
		s->yields++;
	}
	return 0;
}

/*
 * Nothing to unblock (we never block), but registering a poison() makes
 * the SIGCHLD handler set peer.gone when a process peer dies; without a
 * peer our yields would return at once and look like very fast switches.
 */
static void yield_poison(void *arg)
{
	(void)arg;
}

static void yield_teardown(struct bench_run *r)
{
	struct yield_priv *s = r->priv;

	if (!s)
		return;
	/* No kick: the peer never blocks, it sees stop on its next turn. */
	ipc_peer_stop(&s->peer, "yield", NULL, NULL);
	ipc_peer_where(r, &s->peer);
	if (s->peer.running)
		return;		/* a stuck thread still uses s: leak it */
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

static int yield_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct yield_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		if (__builtin_expect(sched_yield(), 0)) {
			rc = -errno;
			break;
		}
	}
	t1 = tsc_end();
	if (rc) {
		fprintf(stderr, "yield: sched_yield: %s\n", strerror(-rc));
		return rc;
	}
	/* Checked after the window: a sample taken without a peer is void. */
	if (__builtin_expect(s->peer.gone || s->peer.exited, 0))
		return ipc_peer_error(&s->peer, "yield");
	*ticks = t1 - t0;
	return 0;
}

static int yield_setup(struct bench_run *r)
{
	struct yield_priv *s = ipc_shared_alloc(sizeof(*s));
	uint64_t t, y0, y1;
	double sw, py;
	long sw0, sw1;
	int rc;

	if (!s) {
		rc = -errno;
		fprintf(stderr, "yield: mmap: %s\n", strerror(errno));
		return rc;
	}
	r->priv = s;
	/* Both ends on our CPU, whatever the placement says. */
	s->peer.poison = yield_poison;
	s->peer.poison_arg = s;
	rc = ipc_peer_start(&s->peer, "yield", r->cpu, ipc_use_process(r), yield_peer, s);
	if (rc) {
		yield_teardown(r);
		return rc;
	}
	ipc_peer_where(r, &s->peer);
	y0 = s->yields;
	sw0 = ipc_thread_switches();
	rc = yield_sample(r, CHECK_ROUNDS, &t);
	sw1 = ipc_thread_switches();
	y1 = s->yields;
	if (rc) {
		yield_teardown(r);
		return rc;
	}
	r->divisor = 2;
	sw = sw0 < 0 || sw1 < 0 ? -1.0 : (double)(sw1 - sw0) / CHECK_ROUNDS;
	py = (double)(y1 - y0) / CHECK_ROUNDS;
	snprintf(r->note, sizeof(r->note),
		 "per switch: sched_yield ping-pong of two %s on cpu %d, 2 switches per yield of ours; "
		 "check run: %.2f switches and %.2f peer yields per yield of ours%s",
		 ipc_use_process(r) ? "processes" : "threads", r->cpu, sw, py,
		 (sw >= 0 && sw < 0.95) || py < 0.95 ? " (NOT switching as assumed)" : "");
	return 0;
}

const struct bench bench_yield = {
	.name = "yield",
	.summary = "context switch: sched_yield between two tasks on one CPU (per switch)",
	.dir = BENCH_ONE_WAY,
	.needs_peer = 0,
	.own_switches = 1,
	.in_suite = 1,
	.setup = yield_setup,
	.sample = yield_sample,
	.teardown = yield_teardown,
};
