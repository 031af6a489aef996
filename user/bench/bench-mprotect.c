// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect and brk, the address-space edits without a fault:
 *   mprotect  one op = mprotect(PROT_READ) + mprotect(PROT_READ|PROT_WRITE)
 *             of one present page (the first call flushes its TLB entry)
 *   brk       one op = brk(+4 KiB) + brk(back), raw syscalls, nothing
 *             touched; glibc's malloc never runs inside a window
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

static char *mp_page;

static int mp_setup(struct bench_run *r)
{
	mp_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mp_page == MAP_FAILED) {
		mp_page = NULL;
		return -errno;
	}
	mp_page[0] = 1;
	snprintf(r->note, sizeof(r->note), "RW->R->RW of one present 4 KiB page");
	return 0;
}

static void mp_teardown(struct bench_run *r)
{
	(void)r;
	if (mp_page)
		munmap(mp_page, 4096);
	mp_page = NULL;
}

static int mp_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long p = (long)mp_page, bad = 0;
	uint64_t i, t0, t1;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		bad |= raw_syscall3(SYS_mprotect, p, 4096, PROT_READ);
		bad |= raw_syscall3(SYS_mprotect, p, 4096, PROT_READ | PROT_WRITE);
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? (int)bad : 0;
}

/*
 * The break is read again before every window: glibc's malloc (the
 * runner's sample buffers) may have moved it since, and shrinking below
 * where malloc put it would take its memory away.
 */
static int brk_setup(struct bench_run *r)
{
	long base = raw_syscall1(SYS_brk, 0);

	if (raw_syscall1(SYS_brk, base + 4096) != base + 4096) {
		snprintf(r->note, sizeof(r->note), "brk cannot grow here");
		return BENCH_SKIP;
	}
	raw_syscall1(SYS_brk, base);
	snprintf(r->note, sizeof(r->note), "grow by 4 KiB and shrink back, untouched");
	return 0;
}

static int brk_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long base = raw_syscall1(SYS_brk, 0), up = base + 4096;
	uint64_t i, t0, t1, bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		bad += raw_syscall1(SYS_brk, up) != up;
		bad += raw_syscall1(SYS_brk, base) != base;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -ENOMEM : 0;
}

const struct bench bench_mprotect = {
	.name = "mprotect",
	.summary = "mprotect RW->R then R->RW of one present page, one op = both",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = mp_setup, .sample = mp_sample, .teardown = mp_teardown,
};

const struct bench bench_brk = {
	.name = "brk",
	.summary = "brk grow by 4 KiB + shrink back (raw syscalls), one op = both",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = brk_setup, .sample = brk_sample,
};
