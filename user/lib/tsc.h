/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TSC reads for timing windows.
 *
 * Start: LFENCE; RDTSC - the LFENCE waits until every earlier instruction
 * has completed locally, so work before the window cannot leak into it,
 * and RDTSC cannot be hoisted above it.
 * End: RDTSCP; LFENCE - RDTSCP waits until all earlier instructions have
 * executed (SDM: "not serializing, but waits until all previous
 * instructions have executed"), and the LFENCE after it keeps later
 * instructions from starting before the read.
 * CPUID would serialise fully but traps to the hypervisor in a VM
 * (thousands of cycles), so it is never used here.
 * Without RDTSCP (tsc_have_rdtscp == 0) the end is LFENCE; RDTSC; LFENCE.
 */
#ifndef SYSLAT_TSC_H
#define SYSLAT_TSC_H

#include <stddef.h>
#include <stdint.h>

extern int tsc_have_rdtscp;

static inline uint64_t tsc_begin(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi, aux;

	if (__builtin_expect(tsc_have_rdtscp, 1))
		__asm__ __volatile__("rdtscp\n\tlfence"
				     : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	else
		__asm__ __volatile__("lfence\n\trdtsc\n\tlfence"
				     : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Where the TSC frequency came from. */
enum tsc_freq_src {
	TSC_SRC_NONE,
	TSC_SRC_CPUID,		/* CPUID 0x15 (or 0x16 base frequency) */
	TSC_SRC_SYSFS,		/* /sys/devices/system/cpu/cpu0/tsc_freq_khz */
	TSC_SRC_MODULE,		/* syslat module's tsc_khz (kernel's value) */
	TSC_SRC_CALIBRATED,	/* against CLOCK_MONOTONIC_RAW */
	TSC_SRC_DMESG,		/* the kernel log's "tsc: Detected/Refined ... MHz" */
};

struct tsc_info {
	double khz;			/* 0 when unknown */
	enum tsc_freq_src src;
	int have_rdtscp;
	int constant_tsc;		/* from /proc/cpuinfo flags */
	int nonstop_tsc;
	int icount;			/* "syslat.icount=1" on the kernel cmdline */
	uint64_t granularity;		/* the step: every delta is a multiple of it (tsc_step_of) */
	uint64_t read_cost;		/* smallest non-zero window: what a read costs, not the step */
	double kernel_khz;		/* the kernel's figure (module, sysfs, dmesg), 0 if none */
	double calibrated_khz;		/* against CLOCK_MONOTONIC_RAW after pinning, 0 if not done */
	double disagree;		/* |calibrated / chosen - 1|, NaN when one is missing */
};

/* Fills *ti, sets tsc_have_rdtscp; @module_khz > 0 is the module's
 * tsc_khz (kmod.c), used when CPUID does not give the frequency. */
int tsc_init(struct tsc_info *ti);
int tsc_init_with(struct tsc_info *ti, double module_khz);
const char *tsc_src_name(enum tsc_freq_src src);
/* The frequency CPUID gives (leaf 0x15, 0x16, or the hypervisor leaf), kHz; 0 if none. */
double tsc_cpuid_khz(void);
/* Sets ti->granularity (1 when ti->icount is set) and ti->read_cost from
 * timed windows around varying work (tsc_step_of). */
void tsc_measure_step(struct tsc_info *ti);
/* Parse the "tsc_khz" value of a module info file or sysfs: 0 on success. */
int tsc_parse_khz(const char *s, double *khz);

#define TSC_STEP_SAMPLES 2000
#define TSC_STEP_AGREE 0.99	/* fraction of deltas the step must divide */
#define TSC_FREQ_WARN 0.001	/* calibration vs kernel figure: warn above 0.1 % */

/* Pure helpers, unit-tested: */
/* The largest g dividing >= 99 % of the non-zero deltas d[0..n-1] (0 if none). */
uint64_t tsc_step_of(const uint64_t *d, size_t n);
/* kHz from kernel log text: the last "tsc: Refined TSC clocksource calibration: X MHz",
 * else "tsc: Detected X MHz processor"; 0 if neither. */
double tsc_khz_from_dmesg(const char *log);
/* kHz from CPUID 0x15 (eax = denominator, ebx = numerator, ecx = crystal Hz); 0 if unusable. */
double tsc_khz_cpuid15(uint32_t eax, uint32_t ebx, uint32_t ecx);
/* "flags" line of /proc/cpuinfo text: sets the three flags (0/1). */
void tsc_parse_cpuinfo_flags(const char *text, int *constant, int *nonstop, int *rdtscp);
/* Does a kernel command line contain syslat.icount=1 as a whole word? */
int tsc_cmdline_icount(const char *cmdline);
/* Unit of figures: "cycles" or "instructions (icount)". */
const char *tsc_unit(const struct tsc_info *ti);
/* ticks -> ns, NAN in icount mode or when the frequency is unknown. */
double tsc_to_ns(const struct tsc_info *ti, double ticks);

#endif
