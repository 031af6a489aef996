// SPDX-License-Identifier: GPL-2.0
/*
 * syslat overhead: what the measurement itself costs on this machine,
 * each figure the best of 7 rounds of 100k back-to-back operations
 * (a benchmark program, not a test: nothing is asserted).
 */
#include <cpuid.h>
#include <stdio.h>

#include "cmds.h"
#include "kmod.h"
#include "opts.h"
#include "place.h"
#include "tsc.h"
#include "bench.h"

#define OVH_N 100000

static inline uint64_t rd_plain(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rd_p(void)
{
	uint32_t lo, hi, aux;

	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rd_fenced(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

enum ovh_kind { OVH_RDTSC, OVH_RDTSCP, OVH_FENCED, OVH_WINDOW, OVH_LOOP, OVH_CPUID };

/* Ticks per operation over n back-to-back operations. */
static double ovh_once(enum ovh_kind k, uint64_t n)
{
	uint64_t i, t0 = tsc_begin(), x = 0;
	unsigned int a, b, c, d;

	for (i = 0; i < n; i++) {
		switch (k) {
		case OVH_RDTSC: x += rd_plain(); break;
		case OVH_RDTSCP: x += rd_p(); break;
		case OVH_FENCED: x += rd_fenced(); break;
		case OVH_WINDOW: x += tsc_end() - tsc_begin(); break;
		case OVH_CPUID: __cpuid(0, a, b, c, d); x += a; break;
		default: __asm__ __volatile__("" : "+r"(x)); break;
		}
	}
	__asm__ __volatile__("" :: "r"(x));
	return (double)(tsc_end() - t0) / (double)n;
}

static double ovh_best(enum ovh_kind k, uint64_t n)
{
	double best = 1e30;
	int i;

	for (i = 0; i < 7; i++) {
		double v = ovh_once(k, n);

		if (v < best)
			best = v;
	}
	return best;
}

static void line(const struct tsc_info *ti, const char *what, double ticks)
{
	printf("%-40s %10.1f %s", what, ticks, tsc_unit(ti));
	if (!ti->icount)
		printf("  %8.1f ns", tsc_to_ns(ti, ticks));
	putchar('\n');
}

int cmd_overhead(int argc, char **argv)
{
	struct placement_res pl;
	struct kmod_info ki;
	struct tsc_info ti;
	struct opts o;
	char err[256];
	int first;

	opts_defaults(&o);
	first = opts_parse(&o, argc, argv, "overhead");
	if (first == OPTS_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (place_resolve(&o, &pl, err, sizeof(err)) || place_pin_self(pl.cpu)) {
		fprintf(stderr, "syslat overhead: %s\n", err);
		return 2;
	}
	kmod_read_info(NULL, &ki);
	tsc_init_with(&ti, ki.tsc_khz);
	printf("# TSC %.3f MHz (%s), cpu %d\n", ti.khz / 1000, tsc_src_name(ti.src), pl.cpu);
	if (ti.calibrated_khz > 0)
		printf("# calibrated against CLOCK_MONOTONIC_RAW: %.3f MHz%s\n",
		       ti.calibrated_khz / 1000, ti.src == TSC_SRC_CALIBRATED ? "" :
		       ti.disagree > TSC_FREQ_WARN ? "  DISAGREES by more than 0.1 %" : " (agrees within 0.1 %)");
	printf("tsc step %llu ticks  (every delta is a multiple; gcd of %d deltas "
	       "around varying work)\n", (unsigned long long)ti.granularity, TSC_STEP_SAMPLES);
	printf("tsc read cost %llu ticks  (smallest back-to-back window: not the step)\n",
	       (unsigned long long)ti.read_cost);
	line(&ti, "rdtsc (back to back)", ovh_best(OVH_RDTSC, OVH_N));
	if (ti.have_rdtscp)
		line(&ti, "rdtscp (back to back)", ovh_best(OVH_RDTSCP, OVH_N));
	line(&ti, "lfence;rdtsc;lfence", ovh_best(OVH_FENCED, OVH_N));
	line(&ti, "timing window (tsc_begin..tsc_end)", ovh_best(OVH_WINDOW, OVH_N));
	line(&ti, "empty loop iteration", ovh_best(OVH_LOOP, OVH_N));
	/* CPUID traps to the hypervisor in a VM: why windows never use it. */
	line(&ti, "cpuid (never used in a window)", ovh_best(OVH_CPUID, 1000));
	return 0;
}
