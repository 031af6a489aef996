// SPDX-License-Identifier: GPL-2.0
/*
 * lmbench lat_ctx: a ring of N processes joined by N pipes passes a token;
 * each hop is read(token), sum the process's own working set, write(token),
 * and costs one context switch. All N processes are pinned to the
 * measuring CPU (lat_ctx leaves placement to the scheduler unless
 * LMBENCH_SCHED is set; here a "context switch" must be one).
 *
 * Like lat_ctx, the ring's own work is measured first in one process
 * (write + read of a pipe to itself + one sum of a warm working set) and
 * subtracted per hop through r->extra_overhead; r->divisor = N. What is
 * left is the switch itself plus, with a working set, the cache refill
 * that switching between N working sets causes, which lat_ctx counts on
 * purpose.
 *
 * Process 0 is the measuring thread; children 1..N-1 are forked. Pipe k
 * carries the token from process k to k+1 (mod N). Every process closes
 * the pipe ends it does not use, so a dead child turns into EOF for the
 * next one and the failure travels round the ring instead of hanging it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "opts.h"
#include "tsc.h"

#define RING_MAX 1024		/* opts.c allows --ring-procs up to 1024 */
#define OVH_TRIES 11		/* lat_ctx/benchmp: TRIES = 11, median */

struct ring_priv;

struct ring_arg {
	struct ring_priv *s;
	int k;			/* child index 1..N-1 */
};

struct ring_priv {
	int nprocs;
	int started;		/* children started */
	int trimmed;		/* we closed the pipe ends we do not use */
	size_t wss;		/* bytes summed per hop */
	long *buf;		/* our working set (private heap) */
	int fds[RING_MAX][2];
	struct ring_arg arg[RING_MAX];
	struct ipc_peer peer[RING_MAX];	/* [k] is child k; [0] unused */
};

static volatile long ring_sink;	/* keeps the sums from being optimised away */

static __attribute__((noinline)) long ring_sum(const long *b, size_t bytes)
{
	size_t i, n = bytes / sizeof(long);
	long sum = 0;

	for (i = 0; i < n; i++)
		sum += b[i];
	return sum;
}

/* A working set that exists in RAM: malloc'd and written once. */
static long *ring_wset(size_t bytes)
{
	long *b;

	if (!bytes)
		return NULL;
	b = malloc(bytes);
	if (b)
		memset(b, 1, bytes);
	return b;
}

/* Child k: keep pipe k-1's read end and pipe k's write end only. */
static int ring_child(void *arg)
{
	struct ring_arg *a = arg;
	struct ring_priv *s = a->s;
	int k = a->k, in = s->fds[k - 1][0], out = s->fds[k][1];
	long *buf;
	int i, rc, tok, stop;

	for (i = 0; i < s->nprocs; i++) {
		if (s->fds[i][0] != in)
			close(s->fds[i][0]);
		if (s->fds[i][1] != out)
			close(s->fds[i][1]);
	}
	buf = ring_wset(s->wss);
	if (s->wss && !buf)
		return -ENOMEM;
	do {
		rc = ipc_read(in, &tok, sizeof(tok));
		if (rc)
			break;
		/*
		 * Read stop once, between read and write: the parent sets it
		 * only after the previous token came home, so it is set here
		 * exactly for the final token, which is still passed on.
		 */
		stop = s->peer[k].stop;
		if (!stop && buf)
			ring_sink = ring_sum(buf, s->wss);
		rc = ipc_write(out, &tok, sizeof(tok));
	} while (!rc && !stop);
	free(buf);
	return rc;
}

/* Wait up to 2 s for the token to come back; 0 if it did. */
static int ring_token_back(struct ring_priv *s)
{
	struct pollfd pfd = { .fd = s->fds[s->nprocs - 1][0], .events = POLLIN };
	int tok;

	if (poll(&pfd, 1, 2000) != 1)
		return -ETIMEDOUT;
	return ipc_read(pfd.fd, &tok, sizeof(tok));
}

static void ring_teardown(struct bench_run *r)
{
	struct ring_priv *s = r->priv;
	int k, tok = 0, whole;

	if (!s)
		return;
	whole = s->started == s->nprocs - 1;
	for (k = 1; k <= s->started; k++)
		__atomic_store_n(&s->peer[k].stop, 1, __ATOMIC_SEQ_CST);
	/* One last trip tells every child in turn; a broken ring is killed. */
	if (!whole || ipc_write(s->fds[0][1], &tok, sizeof(tok)) ||
	    ring_token_back(s)) {
		if (whole)
			fprintf(stderr, "ctx-ring: ring did not stop, killing it\n");
		for (k = 1; k <= s->started; k++) {
			s->peer[k].gone = 1;	/* reported here, not again */
			kill(s->peer[k].pid, SIGKILL);
		}
	}
	for (k = 1; k <= s->started; k++)
		ipc_peer_stop(&s->peer[k], "ctx-ring", NULL, NULL);
	if (s->started)
		ipc_peer_where(r, &s->peer[1]);
	for (k = 0; k < s->nprocs; k++) {
		int mine = k == 0 || !s->trimmed;

		if (s->fds[k][0] >= 0 && (mine || k == s->nprocs - 1))
			close(s->fds[k][0]);
		if (s->fds[k][1] >= 0 && mine)
			close(s->fds[k][1]);
	}
	free(s->buf);
	ipc_shared_free(s, sizeof(*s));
	r->priv = NULL;
}

/*
 * Keep pipe 0 (both ends: our own reader means a write never raises
 * SIGPIPE) and the read end of pipe N-1; close the rest so that EOF
 * travels round the ring when a child dies.
 */
static void ring_trim(struct ring_priv *s)
{
	int k, last = s->nprocs - 1;

	for (k = 1; k <= last; k++) {
		if (k != last)
			close(s->fds[k][0]);
		close(s->fds[k][1]);
	}
	s->trimmed = 1;
}

/* Per-hop cost of the ring's own work in one process (lat_ctx overhead()). */
static int ring_overhead(struct ring_priv *s, double *ovh, double *lo, double *hi)
{
	uint64_t iters = s->wss > 16384 ? 100 : 1000, t0, t1, i;
	double m[OVH_TRIES], x;
	int p[2], tok = 0, rc = 0, t, j;

	if (pipe(p))
		return -errno;
	for (t = 0; t < OVH_TRIES && !rc; t++) {
		t0 = tsc_begin();
		for (i = 0; i < iters; i++) {
			rc = ipc_write(p[1], &tok, sizeof(tok));
			if (!rc)
				rc = ipc_read(p[0], &tok, sizeof(tok));
			if (rc)
				break;
			if (s->buf)
				ring_sink = ring_sum(s->buf, s->wss);
		}
		t1 = tsc_end();
		/* Insertion sort: eleven values. */
		x = (double)(t1 - t0) / (double)iters;
		for (j = t; j > 0 && m[j - 1] > x; j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
	close(p[0]);
	close(p[1]);
	if (rc)
		return rc;
	/* Median, and the 3rd and 9th of eleven as a spread robust to a stray try. */
	*ovh = m[OVH_TRIES / 2];
	*lo = m[OVH_TRIES / 5];
	*hi = m[OVH_TRIES - 1 - OVH_TRIES / 5];
	return 0;
}

static int ring_start(struct bench_run *r, struct ring_priv *s)
{
	int k, rc;

	for (k = 0; k < s->nprocs; k++) {
		if (pipe(s->fds[k])) {
			rc = -errno;
			fprintf(stderr, "ctx-ring: pipe %d of %d: %s%s\n", k + 1, s->nprocs,
				strerror(errno), errno == EMFILE ? " (raise ulimit -n)" : "");
			return rc;
		}
	}
	for (k = 1; k < s->nprocs; k++) {
		s->arg[k].s = s;
		s->arg[k].k = k;
		/* Every process on our CPU: each hop must be a switch. */
		rc = ipc_peer_start(&s->peer[k], "ctx-ring", r->cpu, 1, ring_child, &s->arg[k]);
		if (rc)
			return rc;
		s->started = k;
	}
	ring_trim(s);
	return 0;
}

static int ring_sample(struct bench_run *r, uint64_t n, uint64_t *ticks);

/*
 * Switches per hop over a check run, counted by every ring process: one
 * per hop is what lat_ctx assumes, but a woken process may preempt the
 * one that woke it (EEVDF wakeup preemption), which then switches twice.
 * -1 when the counters cannot be read.
 */
static double ring_switch_rate(struct bench_run *r, struct ring_priv *s)
{
	uint64_t trips = s->wss > 16384 ? 50 : 500, t;
	long before = 0, after = 0, v;
	int k, pass;

	for (pass = 0; pass < 2; pass++) {
		long *sum = pass ? &after : &before;

		if (pass && ring_sample(r, trips, &t))
			return -1;
		*sum = ipc_thread_switches();
		for (k = 1; k < s->nprocs && *sum >= 0; k++) {
			v = ipc_proc_switches(s->peer[k].pid);
			*sum = v < 0 ? -1 : *sum + v;
		}
		if (*sum < 0)
			return -1;
	}
	return (double)(after - before) / (double)(trips * (uint64_t)s->nprocs);
}

static int ring_setup(struct bench_run *r)
{
	uint64_t n = r->opt && r->opt->ring_procs ? r->opt->ring_procs : 2;
	uint64_t wss = r->opt ? r->opt->ring_wss : 0;
	double ovh = 0, lo = 0, hi = 0, rate;
	char rs[16] = "n/a";
	struct ring_priv *s;
	int k, rc;

	if (n < 2 || n > RING_MAX) {
		fprintf(stderr, "ctx-ring: ring of %llu processes: need 2..%d\n",
			(unsigned long long)n, RING_MAX);
		return -EINVAL;
	}
	s = ipc_shared_alloc(sizeof(*s));
	if (!s) {
		rc = -errno;
		fprintf(stderr, "ctx-ring: mmap: %s\n", strerror(errno));
		return rc;
	}
	r->priv = s;
	s->nprocs = (int)n;
	s->wss = (size_t)wss;
	for (k = 0; k < RING_MAX; k++)
		s->fds[k][0] = s->fds[k][1] = -1;
	s->buf = ring_wset(s->wss);
	rc = s->wss && !s->buf ? -ENOMEM : ring_overhead(s, &ovh, &lo, &hi);
	if (rc) {
		fprintf(stderr, "ctx-ring: measuring the ring overhead: %s\n", strerror(-rc));
		ring_teardown(r);
		return rc;
	}
	rc = ring_start(r, s);
	if (rc) {
		ring_teardown(r);
		return rc;
	}
	r->divisor = (double)n;
	r->extra_overhead = ovh;
	r->use_process = 1;	/* always processes, as lat_ctx: say so in the result */
	rate = ring_switch_rate(r, s);
	if (rate >= 0)
		snprintf(rs, sizeof(rs), "%.2f", rate);
	snprintf(r->note, sizeof(r->note),
		 "per context switch, lat_ctx style (1/hop; check run %s switches/hop): "
		 "%d processes on cpu %d, %zu B working set each; %.0f ticks/hop ring overhead "
		 "subtracted (pipe+sum in 1 process, median of %d, mid-range %.0f-%.0f%s)",
		 rs, s->nprocs, r->cpu, s->wss, ovh, OVH_TRIES, lo, hi,
		 hi - lo > 0.1 * ovh ? ", UNSTABLE" : "");
	return 0;
}

static int ring_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct ring_priv *s = r->priv;
	int in = s->fds[s->nprocs - 1][0], out = s->fds[0][1];
	uint64_t t0, t1, i;
	int rc = 0, tok = 0;

	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		rc = ipc_write(out, &tok, sizeof(tok));
		if (__builtin_expect(rc, 0))
			break;
		rc = ipc_read(in, &tok, sizeof(tok));
		if (__builtin_expect(rc, 0))
			break;
		if (s->buf)
			ring_sink = ring_sum(s->buf, s->wss);
	}
	t1 = tsc_end();
	if (rc) {
		fprintf(stderr, "ctx-ring: token: %s%s\n", strerror(-rc),
			rc == -EPIPE ? " (a ring process died)" : "");
		return rc;
	}
	*ticks = t1 - t0;
	return 0;
}

const struct bench bench_ctx_ring = {
	.name = "ctx-ring",
	.summary = "context switch: lmbench lat_ctx ring of N processes passing a token (per switch)",
	.dir = BENCH_ONE_WAY,
	.needs_peer = 0,
	.own_switches = 1,
	.in_suite = 1,
	.suites = SUITE_LMBENCH,
	.setup = ring_setup,
	.sample = ring_sample,
	.teardown = ring_teardown,
};
