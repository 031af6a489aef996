// SPDX-License-Identifier: GPL-2.0
/*
 * select() on N eventfds, ready or idle (LEBench select, lmbench
 * lat_select): one op = copying the prepared read set (select overwrites
 * it) and one select() with a zero timeout, which returns N or 0. One
 * benchmark per sweep point N = 1, 10, 100, 1000 x ready/idle.
 */
#include <errno.h>
#include <sys/select.h>

#include "bench.h"
#include "evfds.h"
#include "tsc.h"

static struct {
	struct evfds e;
	fd_set set;
} sel;

static int sel_setup(struct bench_run *r, int n, int ready)
{
	int i, err = evfds_open(r, &sel.e, n, ready, 1);

	if (err)
		return err;
	FD_ZERO(&sel.set);
	for (i = 0; i < n; i++)
		FD_SET(sel.e.fd[i], &sel.set);
	evfds_note(r, &sel.e, "select");
	return 0;
}

static void sel_teardown(struct bench_run *r)
{
	(void)r;
	evfds_close(&sel.e);
}

static int sel_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	int nfds = sel.e.maxfd + 1, expect = sel.e.ready ? sel.e.n : 0, bad = 0;
	struct timeval tv;
	uint64_t i, t0, t1;
	fd_set s;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		s = sel.set;
		tv.tv_sec = 0;
		tv.tv_usec = 0;
		bad |= select(nfds, &s, NULL, NULL, &tv) != expect;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

#define SEL_VAR(N, rd, st)						\
	static int sel_##N##_##st##_setup(struct bench_run *r) { return sel_setup(r, N, rd); } \
	const struct bench bench_select_##N##_##st = {		\
		.name = EVFDS_NAME("select", N, #st),			\
		.summary = EVFDS_SUM("select", N, #st),			\
		.dir = BENCH_PER_CALL,					\
		.suites = SUITE_LEBENCH | SUITE_LMBENCH,		\
		.setup = sel_##N##_##st##_setup, .sample = sel_sample,	\
		.teardown = sel_teardown,				\
	}

SEL_VAR(1, 1, ready);
SEL_VAR(10, 1, ready);
SEL_VAR(100, 1, ready);
SEL_VAR(1000, 1, ready);
SEL_VAR(1, 0, idle);
SEL_VAR(10, 0, idle);
SEL_VAR(100, 0, idle);
SEL_VAR(1000, 0, idle);
