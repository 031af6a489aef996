// SPDX-License-Identifier: GPL-2.0
/*
 * The two syscall benchmarks of syslat-mini. Their loops are the
 * harness's (bench-noop.c, bench-enosys.c: raw `syscall` inlined, the call
 * index in rdi), but what a correct answer is depends on the system, so
 * setup asks the system once and every timed call must give that answer:
 *   noop (500): 0xC0FFEE where something implements it (the syslat module
 *     on Linux, the elfloader's noop on Unikraft), else the ENOSYS path,
 *     and the note says which;
 *   enosys (501): an unassigned number on both; the value is the system's
 *     own ENOSYS (38 on Linux, 78 on Unikraft 0.5, whose nolibc numbers
 *     errors as BSD does), recorded in the note.
 * The mini program cannot read the module's debugfs (Unikraft has none),
 * so it neither arms nor disarms the module: the Linux guest loads it with
 * the patch backend, which is always armed.
 */
#include <errno.h>
#include <stdio.h>

#include "bench.h"
#include "mini.h"
#include "rawsys.h"
#include "syslat_abi.h"
#include "tsc.h"

#define MINI_NR_ENOSYS 501

struct sys_state {
	long nr, expect;
	uint64_t cookie;
};

static struct sys_state noop_st = { .nr = SYSLAT_NR_NOOP };
static struct sys_state enosys_st = { .nr = MINI_NR_ENOSYS };

static int sys_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct sys_state *st = r->priv;
	uint64_t i, t0, t1, bad = 0, c = st->cookie;
	long expect = st->expect, nr = st->nr;

	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad += raw_syscall1(nr, (long)(c + i)) != expect;
	t1 = tsc_end();
	st->cookie = c + n;
	*ticks = t1 - t0;
	if (bad) {
		fprintf(stderr, "syslat-mini: nr %ld: %llu of %llu calls did not return %#lx\n", nr,
			(unsigned long long)bad, (unsigned long long)n, expect);
		return -EPROTO;
	}
	return 0;
}

static int noop_setup(struct bench_run *r)
{
	long ret = raw_syscall1(noop_st.nr, 0);

	r->priv = &noop_st;
	noop_st.expect = ret;
	if (ret == (long)SYSLAT_NOOP_RET) {
		snprintf(r->note, sizeof(r->note), "nr %ld returns %#lx", noop_st.nr, ret);
		return 0;
	}
	if (ret < 0 && ret > -4096) {
		snprintf(r->note, sizeof(r->note), "ENOSYS path: nr %ld returns -%ld, not 0xc0ffee "
			 "(no syslat module here)", noop_st.nr, -ret);
		return 0;
	}
	fprintf(stderr, "syslat-mini: noop: nr %ld returned %#lx: neither 0xc0ffee nor an error\n",
		noop_st.nr, ret);
	return -EPROTO;
}

static int enosys_setup(struct bench_run *r)
{
	long ret = raw_syscall1(enosys_st.nr, 0);

	r->priv = &enosys_st;
	enosys_st.expect = ret;
	if (ret >= 0 || ret <= -4096) {
		fprintf(stderr, "syslat-mini: enosys: nr %ld returned %#lx: something answers it\n",
			enosys_st.nr, ret);
		return -EPROTO;
	}
	snprintf(r->note, sizeof(r->note), "nr %ld returns -%ld (this system's ENOSYS)",
		 enosys_st.nr, -ret);
	return 0;
}

const struct bench mini_bench_noop = {
	.name = "noop",
	.title = "noop syscall (500)",
	.summary = "syscall 500 via raw syscall: 0xC0FFEE where implemented, else the ENOSYS path",
	.dir = BENCH_ROUND_TRIP,
	.setup = noop_setup,
	.sample = sys_sample,
};

const struct bench mini_bench_enosys = {
	.name = "enosys",
	.title = "ENOSYS syscall (501)",
	.summary = "unassigned syscall number 501 via raw syscall",
	.dir = BENCH_ROUND_TRIP,
	.setup = enosys_setup,
	.sample = sys_sample,
};
