// SPDX-License-Identifier: GPL-2.0
/*
 * Shared-memory spin ping-pong: one 64-bit word on its own cache line.
 * We store an odd value and spin until the peer has stored the next even
 * one; the peer spins for the odd value and stores value + 1. No system
 * call on the path: what it measures is two cache-line transfers between
 * the CPUs, plus however the hypervisor runs two spinning vCPUs.
 *
 * It busy-waits: both CPUs burn 100 % for the whole run (ipc-bench #34:
 * "the shared-memory tests are jokes" next to blocking IPC), so the result
 * carries busy_wait = 1 and says so. The spin has no PAUSE, because PAUSE
 * adds ~40-140 cycles per iteration on recent cores and, in a guest, feeds
 * KVM's pause-loop exiting, which would deschedule the spinning vCPU.
 *
 * Both ends on one CPU would livelock (the spinner holds the CPU the other
 * side needs until its time slice ends), so that placement is refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "ipc.h"
#include "tsc.h"

/* Check that the peer still exists every this many spins (not timed-relevant). */
#define ALIVE_CHECK_MASK ((1u << 22) - 1)

struct shm_priv {
	struct ipc_peer peer;
	uint64_t seq __attribute__((aligned(64)));
	char pad[64 - sizeof(uint64_t)];
};

static int shm_peer(void *arg)
{
	struct shm_priv *s = arg;
	uint64_t v;

	for (;;) {
		do {
			if (s->peer.stop)
				return 0;
			v = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		} while (!(v & 1));
		__atomic_store_n(&s->seq, v + 1, __ATOMIC_RELEASE);
	}
}

static void shm_teardown(struct bench_run *r)
{
	struct shm_priv *s = r->priv;

	if (!s)
		return;
	/* No kick: the peer polls the stop flag while it spins. */
	ipc_peer_stop(&s->peer, "shm", NULL, NULL);
	ipc_peer_where(r, &s->peer);
	if (s->peer.running)
		return;		/* a stuck thread still uses s: leak it */
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

static int shm_setup(struct bench_run *r)
{
	struct shm_priv *s;
	int rc;

	if (r->cpu == r->peer_cpu) {
		fprintf(stderr, "shm: both ends would spin on cpu %d and livelock; "
			"it needs two CPUs (e.g. --placement cross)\n", r->cpu);
		return -EINVAL;
	}
	s = ipc_shared_alloc(sizeof(*s));
	if (!s) {
		rc = -errno;
		fprintf(stderr, "shm: mmap: %s\n", strerror(errno));
		return rc;
	}
	r->priv = s;
	rc = ipc_peer_start(&s->peer, "shm", r->peer_cpu, ipc_use_process(r), shm_peer, s);
	if (rc) {
		shm_teardown(r);
		return rc;
	}
	ipc_peer_where(r, &s->peer);
	r->divisor = 1;
	r->busy_wait = 1;
	snprintf(r->note, sizeof(r->note),
		 "BUSY-WAITS: both ends spin (no PAUSE), burning cpu %d and cpu %d at 100 %%; "
		 "one shared cache line",
		 r->cpu, r->peer_cpu);
	return 0;
}

/* Our half: publish odd v+1, spin for v+2. Rarely checks the peer is alive. */
static inline int shm_round(struct shm_priv *s)
{
	uint64_t v = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);
	uint32_t spins = 0;

	__atomic_store_n(&s->seq, v + 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) != v + 2) {
		if (__builtin_expect((++spins & ALIVE_CHECK_MASK) == 0, 0) &&
		    !ipc_peer_alive(&s->peer))
			return -ECHILD;
	}
	return 0;
}

static int shm_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct shm_priv *s = r->priv;
	uint64_t t0, t1, i;
	int rc = 0;

	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = shm_round(s);
		if (__builtin_expect(rc, 0))
			break;
	}
	t1 = tsc_end();
	if (rc) {
		fprintf(stderr, "shm: peer went away during a round trip\n");
		return rc;
	}
	*ticks = t1 - t0;
	return 0;
}

const struct bench bench_shm = {
	.name = "shm",
	.summary = "shared-memory spin ping-pong (BUSY-WAITS, burns two CPUs; needs cross placement)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.needs_two_cpus = 1,
	.in_suite = 1,
	.setup = shm_setup,
	.sample = shm_sample,
	.teardown = shm_teardown,
};
