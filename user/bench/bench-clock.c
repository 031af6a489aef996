// SPDX-License-Identifier: GPL-2.0
/*
 * clock_gettime(CLOCK_MONOTONIC) through the vDSO (glibc's call, no
 * kernel entry while the clocksource allows it) and through the raw
 * syscall instruction: the pair shows what the vDSO saves. With a
 * clocksource the vDSO cannot read (e.g. no usable TSC), glibc falls
 * back to the syscall and the two converge; the note names the
 * clocksource. A vDSO read is about one TSC step, so its samples time
 * VDSO_INNER calls each (divisor), as fcall does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"
#include "util.h"

#define VDSO_INNER 100

static struct timespec clk_ts;

static int clk_setup(struct bench_run *r)
{
	char cs[64];

	if (read_line_file("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			   cs, sizeof(cs)))
		snprintf(cs, sizeof(cs), "?");
	snprintf(r->note, sizeof(r->note), "CLOCK_MONOTONIC, clocksource %s", cs);
	return 0;
}

static int vdso_setup(struct bench_run *r)
{
	clk_setup(r);
	r->divisor = VDSO_INNER;
	snprintf(r->note + strlen(r->note), sizeof(r->note) - strlen(r->note),
		 ", %d calls per sample", VDSO_INNER);
	return 0;
}

static int vdso_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t i, t0, t1, total = n * VDSO_INNER;
	int bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < total; i++)
		bad |= clock_gettime(CLOCK_MONOTONIC, &clk_ts);
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

static int sys_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long ts = (long)&clk_ts;
	uint64_t i, t0, t1;
	long bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad |= raw_syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, ts);
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -EIO : 0;
}

const struct bench bench_clock_vdso = {
	.name = "clock-gettime-vdso",
	.summary = "clock_gettime(CLOCK_MONOTONIC) through glibc and the vDSO",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = vdso_setup, .sample = vdso_sample,
};

const struct bench bench_clock_sys = {
	.name = "clock-gettime-sys",
	.summary = "clock_gettime(CLOCK_MONOTONIC) through the raw syscall (no vDSO)",
	.dir = BENCH_ROUND_TRIP,
	.suites = SUITE_LEBENCH,
	.setup = clk_setup, .sample = sys_sample,
};
