// SPDX-License-Identifier: GPL-2.0
/*
 * pthread hand-offs between two threads:
 *   condvar  round trip: we set turn = 1 and signal under the mutex and
 *            wait until the peer thread, woken, sets turn = 0 and signals
 *            back (two hand-offs through mutex + condition variable)
 *   mutex    one op = pthread_mutex_lock + unlock, uncontended (no peer):
 *            the futex-free fast path every hand-off starts from; far
 *            below the TSC step, so a sample times MUTEX_INNER of them
 *            (divisor), as fcall does
 * The condvar peer is always a thread (the primitive is a thread one
 * here), placed per --placement.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "bench.h"
#include "tsc.h"

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	int turn, stop, started;
	pthread_t peer;
} cv = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0 };

static void *cv_peer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv.m);
	for (;;) {
		while (cv.turn != 1 && !cv.stop)
			pthread_cond_wait(&cv.c, &cv.m);
		if (cv.stop)
			break;
		cv.turn = 0;
		pthread_cond_signal(&cv.c);
	}
	pthread_mutex_unlock(&cv.m);
	return NULL;
}

static int cv_setup(struct bench_run *r)
{
	int err;

	cv.turn = cv.stop = 0;
	err = place_thread_start(&cv.peer, r->peer_cpu, cv_peer, NULL);
	if (err)
		return err;
	cv.started = 1;
	snprintf(r->peer_where, sizeof(r->peer_where), "cpu %d (thread)", r->peer_cpu);
	snprintf(r->note, sizeof(r->note), "mutex + condvar, thread peer%s",
		 r->use_process ? " (--process does not apply)" : "");
	return 0;
}

static void cv_teardown(struct bench_run *r)
{
	(void)r;
	if (!cv.started)
		return;
	pthread_mutex_lock(&cv.m);
	cv.stop = 1;
	pthread_cond_broadcast(&cv.c);
	pthread_mutex_unlock(&cv.m);
	pthread_join(cv.peer, NULL);
	cv.started = 0;
}

static int cv_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&cv.m);
		cv.turn = 1;
		pthread_cond_signal(&cv.c);
		while (cv.turn != 0)
			pthread_cond_wait(&cv.c, &cv.m);
		pthread_mutex_unlock(&cv.m);
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return 0;
}

#define MUTEX_INNER 100

static pthread_mutex_t mx = PTHREAD_MUTEX_INITIALIZER;

static int mx_setup(struct bench_run *r)
{
	r->divisor = MUTEX_INNER;
	snprintf(r->note, sizeof(r->note), "%d lock+unlock pairs per sample, uncontended",
		 MUTEX_INNER);
	return 0;
}

static int mx_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1, total = n * MUTEX_INNER;
	int bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < total; i++) {
		bad |= pthread_mutex_lock(&mx);
		bad |= pthread_mutex_unlock(&mx);
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return -bad;
}

const struct bench bench_condvar = {
	.name = "condvar",
	.summary = "pthread mutex + condition variable hand-off round trip between two threads",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.suites = SUITE_LEBENCH,
	.setup = cv_setup, .sample = cv_sample, .teardown = cv_teardown,
};

const struct bench bench_mutex = {
	.name = "mutex",
	.summary = "pthread_mutex_lock + unlock, uncontended, one op = both",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = mx_setup, .sample = mx_sample,
};
