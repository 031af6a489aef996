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
};

struct tsc_info {
	double khz;			/* 0 when unknown */
	enum tsc_freq_src src;
	int have_rdtscp;
	int constant_tsc;		/* from /proc/cpuinfo flags */
	int nonstop_tsc;
	int icount;			/* "syslat.icount=1" on the kernel cmdline */
	uint64_t granularity;		/* smallest non-zero delta seen */
};

/* Fills *ti, sets tsc_have_rdtscp; @module_khz > 0 is the module's
 * tsc_khz (kmod.c), used when CPUID does not give the frequency. */
int tsc_init(struct tsc_info *ti);
int tsc_init_with(struct tsc_info *ti, double module_khz);
const char *tsc_src_name(enum tsc_freq_src src);
/* Parse the "tsc_khz" value of a module info file or sysfs: 0 on success. */
int tsc_parse_khz(const char *s, double *khz);

/* Pure helpers, unit-tested: */
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
