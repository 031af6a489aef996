// SPDX-License-Identifier: GPL-2.0
/*
 * Thread life cycle (LEBench thread create): one op = pthread_create() of
 * a thread that returns at once + pthread_join(). The thread inherits our
 * pinning (same CPU); its stack comes from glibc's cache after the first.
 */
#include <pthread.h>
#include <stdio.h>

#include "bench.h"
#include "tsc.h"

static void *thread_body(void *arg)
{
	return arg;
}

static int thread_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1;
	pthread_t t;
	int err = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		err = pthread_create(&t, NULL, thread_body, NULL);
		if (err || (err = pthread_join(t, NULL)) != 0)
			break;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return -err;
}

static int thread_setup(struct bench_run *r)
{
	snprintf(r->note, sizeof(r->note), "create+join, thread on the same CPU");
	return 0;
}

const struct bench bench_thread_create = {
	.name = "thread-create",
	.summary = "pthread_create of an empty thread + pthread_join (LEBench thread create)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = thread_setup, .sample = thread_sample,
};
