// SPDX-License-Identifier: GPL-2.0
/*
 * epoll_wait() on an epoll instance watching N eventfds for EPOLLIN,
 * level-triggered, ready or idle (LEBench epoll): one op = one
 * epoll_wait() with a zero timeout and room for N events, which returns
 * N (the ready list is walked and copied out) or 0. The epoll_ctl adds
 * are in setup. One benchmark per sweep point N = 1, 10, 100, 1000 x
 * ready/idle.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "bench.h"
#include "evfds.h"
#include "tsc.h"

static struct {
	struct evfds e;
	int ep;
	struct epoll_event ev[EVFDS_MAX];
} epo = { .ep = -1 };

static void epo_teardown(struct bench_run *r)
{
	(void)r;
	if (epo.ep >= 0)
		close(epo.ep);
	epo.ep = -1;
	evfds_close(&epo.e);
}

static int epo_setup(struct bench_run *r, int n, int ready)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int i, err = evfds_open(r, &epo.e, n, ready, 0);

	if (err)
		return err;
	epo.ep = epoll_create1(EPOLL_CLOEXEC);
	for (i = 0; epo.ep >= 0 && i < n; i++) {
		ev.data.fd = epo.e.fd[i];
		if (epoll_ctl(epo.ep, EPOLL_CTL_ADD, epo.e.fd[i], &ev))
			break;
	}
	if (epo.ep < 0 || i < n) {
		err = -errno;
		fprintf(stderr, "epoll: %s: %s\n", epo.ep < 0 ? "epoll_create1" : "epoll_ctl",
			strerror(-err));
		epo_teardown(r);
		return err;
	}
	evfds_note(r, &epo.e, "epoll_wait");
	return 0;
}

static int epo_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	int ep = epo.ep, cnt = epo.e.n, expect = epo.e.ready ? cnt : 0, bad = 0;
	uint64_t i, t0, t1;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad |= epoll_wait(ep, epo.ev, cnt, 0) != expect;
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

#define EPO_VAR(N, rd, st)						\
	static int epo_##N##_##st##_setup(struct bench_run *r) { return epo_setup(r, N, rd); } \
	const struct bench bench_epoll_##N##_##st = {			\
		.name = EVFDS_NAME("epoll", N, #st),			\
		.summary = EVFDS_SUM("epoll_wait", N, #st),		\
		.dir = BENCH_PER_CALL,					\
		.suites = SUITE_LEBENCH,				\
		.setup = epo_##N##_##st##_setup, .sample = epo_sample,	\
		.teardown = epo_teardown,				\
	}

EPO_VAR(1, 1, ready);
EPO_VAR(10, 1, ready);
EPO_VAR(100, 1, ready);
EPO_VAR(1000, 1, ready);
EPO_VAR(1, 0, idle);
EPO_VAR(10, 0, idle);
EPO_VAR(100, 0, idle);
EPO_VAR(1000, 0, idle);
