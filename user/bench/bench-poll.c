// SPDX-License-Identifier: GPL-2.0
/*
 * poll() on N eventfds for POLLIN, ready or idle (LEBench poll): one op
 * = one poll() with a zero timeout over the prepared array, which
 * returns N or 0 (revents is rewritten, the array needs no reset). One
 * benchmark per sweep point N = 1, 10, 100, 1000 x ready/idle.
 */
#include <errno.h>
#include <poll.h>

#include "bench.h"
#include "evfds.h"
#include "tsc.h"

static struct {
	struct evfds e;
	struct pollfd pfd[EVFDS_MAX];
} pol;

static int pol_setup(struct bench_run *r, int n, int ready)
{
	int i, err = evfds_open(r, &pol.e, n, ready, 0);

	if (err)
		return err;
	for (i = 0; i < n; i++) {
		pol.pfd[i].fd = pol.e.fd[i];
		pol.pfd[i].events = POLLIN;
	}
	evfds_note(r, &pol.e, "poll");
	return 0;
}

static void pol_teardown(struct bench_run *r)
{
	(void)r;
	evfds_close(&pol.e);
}

static int pol_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	int expect = pol.e.ready ? pol.e.n : 0, bad = 0;
	nfds_t nfds = (nfds_t)pol.e.n;
	uint64_t i, t0, t1;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad |= poll(pol.pfd, nfds, 0) != expect;
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

#define POL_VAR(N, rd, st)						\
	static int pol_##N##_##st##_setup(struct bench_run *r) { return pol_setup(r, N, rd); } \
	const struct bench bench_poll_##N##_##st = {			\
		.name = EVFDS_NAME("poll", N, #st),			\
		.summary = EVFDS_SUM("poll", N, #st),			\
		.dir = BENCH_PER_CALL,					\
		.suites = SUITE_LEBENCH,				\
		.setup = pol_##N##_##st##_setup, .sample = pol_sample,	\
		.teardown = pol_teardown,				\
	}

POL_VAR(1, 1, ready);
POL_VAR(10, 1, ready);
POL_VAR(100, 1, ready);
POL_VAR(1000, 1, ready);
POL_VAR(1, 0, idle);
POL_VAR(10, 0, idle);
POL_VAR(100, 0, idle);
POL_VAR(1000, 0, idle);
