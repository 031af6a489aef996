// SPDX-License-Identifier: GPL-2.0
/*
 * The noop syscall (500, or the module's nr=), raw `syscall` inlined,
 * cookie in rdi (the call index, so ring records can be matched to these
 * calls).
 * With the module loaded every call must return 0xC0FFEE; without it
 * 500 is an unassigned number and the result is the ENOSYS path, which
 * the note says. A backend that is not armed (the tracepoint backend
 * slows every syscall while armed) is armed here only, in setup, and
 * disarmed in teardown; the result records whether it was armed.
 */
#include <errno.h>
#include <stdio.h>

#include "bench.h"
#include "kmod.h"
#include "rawsys.h"
#include "tsc.h"

struct noop_state {
	long expect;		/* SYSLAT_NOOP_RET or -ENOSYS */
	int we_armed;		/* disarm in teardown */
	long nr;		/* the module's number (info nr), else 500 */
	uint64_t cookie;
};

static struct noop_state noop_st;

static int noop_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct noop_state *st = r->priv;
	uint64_t i, t0, t1, bad = 0, c = st->cookie;
	long expect = st->expect, nr = st->nr;

	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad += raw_syscall1(nr, (long)(c + i)) != expect;
	t1 = tsc_end();
	st->cookie = c + n;
	*ticks = t1 - t0;
	if (bad) {
		fprintf(stderr, "noop: %llu of %llu calls did not return %#lx\n",
			(unsigned long long)bad, (unsigned long long)n, expect);
		return -EPROTO;
	}
	return 0;
}

static int noop_arm(struct bench_run *r, struct noop_state *st,
		    const struct kmod_info *ki)
{
	int err;

	if (ki->armed == 0) {
		err = kmod_set_armed(NULL, 1);
		if (err) {
			fprintf(stderr, "noop: cannot arm the module (%s backend): %d\n",
				ki->backend, err);
			return err;
		}
		st->we_armed = 1;
	}
	r->armed = 1;
	st->expect = (long)SYSLAT_NOOP_RET;
	snprintf(r->note, sizeof(r->note), "module %s backend%s", ki->backend,
		 st->we_armed ? ", armed for this benchmark only" : "");
	return 0;
}

static int noop_setup(struct bench_run *r)
{
	struct noop_state *st = &noop_st;
	struct kmod_info ki;
	long ret;
	int err;

	st->we_armed = 0;
	st->cookie = 0;
	st->nr = SYSLAT_NR_NOOP;
	r->priv = st;
	if (kmod_read_info(NULL, &ki) != 0) {
		st->expect = -ENOSYS;
		r->armed = -1;
		snprintf(r->note, sizeof(r->note), "ENOSYS path: module not loaded");
	} else if ((err = noop_arm(r, st, &ki)) != 0) {
		return err;
	} else {
		st->nr = kmod_nr(&ki);
	}
	ret = raw_syscall1(st->nr, 0);
	if (ret != st->expect) {
		fprintf(stderr, "noop: nr %ld returned %#lx, expected %#lx (%s)\n",
			st->nr, ret, st->expect, r->note);
		if (st->we_armed)
			kmod_set_armed(NULL, 0);
		st->we_armed = 0;
		return -EPROTO;
	}
	return 0;
}

static void noop_teardown(struct bench_run *r)
{
	struct noop_state *st = r->priv;

	if (st && st->we_armed && kmod_set_armed(NULL, 0))
		fprintf(stderr, "noop: could not disarm the module again\n");
}

const struct bench bench_noop = {
	.name = "noop",
	.title = "noop syscall (500)",
	.summary = "syscall 500 via raw syscall: module's 0xC0FFEE, or the ENOSYS path without it",
	.dir = BENCH_ROUND_TRIP,
	.in_suite = 1,
	.setup = noop_setup,
	.sample = noop_sample,
	.teardown = noop_teardown,
};
