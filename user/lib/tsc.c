// SPDX-License-Identifier: GPL-2.0
/*
 * TSC set-up: RDTSCP detection, invariance flags, frequency and its
 * source, granularity, icount mode. The timing reads are inline in tsc.h.
 */
#include <cpuid.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <time.h>

#include "tsc.h"
#include "util.h"

int tsc_have_rdtscp = 1;

const char *tsc_src_name(enum tsc_freq_src src)
{
	switch (src) {
	case TSC_SRC_CPUID: return "cpuid";	/* 0x15, 0x16 or hypervisor 0x40000010 */
	case TSC_SRC_SYSFS: return "sysfs tsc_freq_khz";
	case TSC_SRC_MODULE: return "module tsc_khz";
	case TSC_SRC_CALIBRATED: return "calibrated (CLOCK_MONOTONIC_RAW)";
	case TSC_SRC_DMESG: return "kernel log";
	default: return "none";
	}
}

int tsc_parse_khz(const char *s, double *khz)
{
	char *end;
	double v;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -EINVAL;
	while (*end == '\n' || *end == ' ' || *end == '\t')
		end++;
	if (*end || !(v > 0) || !isfinite(v) || v > 1e8)	/* > 100 GHz: junk */
		return -EINVAL;
	*khz = v;
	return 0;
}

double tsc_khz_cpuid15(uint32_t eax, uint32_t ebx, uint32_t ecx)
{
	/* SDM: TSC = crystal * ebx / eax; ecx == 0 means crystal not enumerated. */
	if (!eax || !ebx || !ecx)
		return 0;
	return (double)ecx * ebx / eax / 1000.0;
}

/* Is @word a whole space-separated word of @line (up to a newline)? */
static int has_word(const char *line, const char *word)
{
	size_t n = strlen(word);
	const char *p = line;

	while ((p = strstr(p, word)) != NULL) {
		int before = p == line || p[-1] == ' ' || p[-1] == '\t';
		int after = p[n] == '\0' || p[n] == ' ' || p[n] == '\n' || p[n] == '\t';

		if (before && after)
			return 1;
		p += n;
	}
	return 0;
}

void tsc_parse_cpuinfo_flags(const char *text, int *constant, int *nonstop, int *rdtscp)
{
	const char *p = strstr(text, "\nflags");
	char line[8192];
	size_t n;

	*constant = *nonstop = *rdtscp = 0;
	if (!p && strncmp(text, "flags", 5) == 0)
		p = text;
	else if (p)
		p++;
	if (!p)
		return;
	n = strcspn(p, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	*constant = has_word(line, "constant_tsc");
	*nonstop = has_word(line, "nonstop_tsc");
	*rdtscp = has_word(line, "rdtscp");
}

int tsc_cmdline_icount(const char *cmdline)
{
	return has_word(cmdline, "syslat.icount=1");
}

const char *tsc_unit(const struct tsc_info *ti)
{
	return ti->icount ? "instructions (icount)" : "cycles";
}

double tsc_to_ns(const struct tsc_info *ti, double ticks)
{
	if (ti->icount || !(ti->khz > 0))
		return NAN;
	return ticks * 1e6 / ti->khz;
}

double tsc_cpuid_khz(void)
{
	unsigned int a, b, c, d, max = __get_cpuid_max(0, NULL);

	if (max >= 0x15) {
		__cpuid(0x15, a, b, c, d);
		if (tsc_khz_cpuid15(a, b, c) > 0)
			return tsc_khz_cpuid15(a, b, c);
	}
	/* 0x16 EAX is the base frequency in MHz: the TSC rate on the parts
	 * that lack 0x15's crystal value, a fallback only. */
	if (max >= 0x16) {
		__cpuid(0x16, a, b, c, d);
		if (a & 0xffff)
			return (a & 0xffff) * 1000.0;
	}
	/* Hypervisors (VMware, KVM with the feature) report the guest TSC
	 * rate in kHz in leaf 0x40000010 EAX, when CPUID.1:ECX.31 says a
	 * hypervisor is present and its max leaf reaches it. */
	__cpuid(1, a, b, c, d);
	if (c & (1u << 31)) {
		__cpuid(0x40000000, a, b, c, d);
		if (a >= 0x40000010 && a < 0x40000100) {
			__cpuid(0x40000010, a, b, c, d);
			if (a)
				return a;
		}
	}
	return 0;
}

static uint64_t mono_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* TSC ticks per ms over a 50 ms sleep, best of three (the shortest
 * bracket around the clock reads is the least disturbed). */
static double calibrate_khz(void)
{
	struct timespec d = { 0, 50 * 1000 * 1000 };
	double best = 0, best_bracket = 1e30;
	int i;

	for (i = 0; i < 3; i++) {
		uint64_t a0 = tsc_begin(), n0 = mono_raw_ns(), a1 = tsc_end();
		uint64_t b0, n1, b1;

		nanosleep(&d, NULL);
		b0 = tsc_begin();
		n1 = mono_raw_ns();
		b1 = tsc_end();
		if ((double)(a1 - a0 + b1 - b0) < best_bracket) {
			best_bracket = (double)(a1 - a0 + b1 - b0);
			best = (double)((b0 + b1) / 2 - (a0 + a1) / 2) * 1e6 / (double)(n1 - n0);
		}
	}
	return best;
}

uint64_t tsc_step_of(const uint64_t *d, size_t n)
{
	uint64_t g, mn = UINT64_MAX;
	size_t i, hit;

	for (i = 0; i < n; i++)
		if (d[i] && d[i] < mn)
			mn = d[i];
	if (mn == UINT64_MAX)
		return 0;
	/* The largest g dividing (nearly) every delta: an exact gcd would
	 * drop to 1 on the first delta disturbed by a TSC offset change. */
	for (g = mn; g > 1; g--) {
		for (i = hit = 0; i < n; i++)
			hit += d[i] % g == 0;
		if ((double)hit >= TSC_STEP_AGREE * (double)n)
			return g;
	}
	return 1;
}

/*
 * The TSC's step: deltas around 0..~2000 iterations of a dependent loop
 * (varying work, so the deltas are not all the same multiple), then
 * tsc_step_of(). The smallest back-to-back delta is the read cost, not
 * the step: it is 26 or 52 on a machine whose TSC moves by 26.
 */
void tsc_measure_step(struct tsc_info *ti)
{
	uint64_t d[TSC_STEP_SAMPLES], x = 0x9e3779b97f4a7c15ULL, mn = UINT64_MAX;
	size_t i, j;

	for (i = 0; i < TSC_STEP_SAMPLES; i++) {
		size_t work = (size_t)((x >> 33) % 2048);
		uint64_t t0 = tsc_begin(), t1;

		for (j = 0; j < work; j++)
			__asm__ __volatile__("" : "+r"(x));
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		t1 = tsc_end();
		d[i] = t1 - t0;
		if (d[i] && d[i] < mn)
			mn = d[i];
	}
	/* Under icount every instruction is a tick: a loop of k instructions per
	 * iteration would pass for a step of k. */
	ti->granularity = ti->icount ? 1 : tsc_step_of(d, TSC_STEP_SAMPLES);
	ti->read_cost = mn == UINT64_MAX ? 0 : mn;
}

static void read_flags(struct tsc_info *ti)
{
	char *text = read_text_file("/proc/cpuinfo", 1 << 20);
	unsigned int a, b, c, d;
	int rdtscp_flag = 0;

	if (text) {
		tsc_parse_cpuinfo_flags(text, &ti->constant_tsc, &ti->nonstop_tsc,
					&rdtscp_flag);
		free(text);
	}
	/* CPUID 0x80000001 EDX bit 27 is the authority for RDTSCP. */
	ti->have_rdtscp = 0;
	if (__get_cpuid(0x80000001, &a, &b, &c, &d))
		ti->have_rdtscp = !!(d & (1u << 27));
	tsc_have_rdtscp = ti->have_rdtscp;
	text = read_text_file("/proc/cmdline", 65536);
	ti->icount = text ? tsc_cmdline_icount(text) : 0;
	free(text);
}

double tsc_khz_from_dmesg(const char *log)
{
	static const char *const keys[] = {
		"tsc: Refined TSC clocksource calibration: ", "tsc: Detected ",
	};
	size_t k;

	for (k = 0; log && k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *p = log, *last = NULL;
		double mhz;

		while ((p = strstr(p, keys[k])) != NULL) {
			last = p;
			p += strlen(keys[k]);
		}
		if (last && sscanf(last + strlen(keys[k]), "%lf MHz", &mhz) == 1 &&
		    mhz > 0 && mhz < 1e5)
			return mhz * 1000;
	}
	return 0;
}

static double dmesg_khz(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	double khz = 0;

	if (len <= 0 || len > (64 << 20) || !(buf = malloc((size_t)len + 1)))
		return 0;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len > 0) {
		buf[len] = '\0';
		khz = tsc_khz_from_dmesg(buf);
	}
	free(buf);
	return khz;
}

/* The kernel's own figure, best first: the module's tsc_khz, sysfs, the log. */
static double kernel_khz(double module_khz, enum tsc_freq_src *src)
{
	char *s = read_text_file("/sys/devices/system/cpu/cpu0/tsc_freq_khz", 64);
	double khz = 0;

	if (module_khz > 0) {
		khz = module_khz;
		*src = TSC_SRC_MODULE;
	} else if (s && tsc_parse_khz(s, &khz) == 0) {
		*src = TSC_SRC_SYSFS;
	} else if ((khz = dmesg_khz()) > 0) {
		*src = TSC_SRC_DMESG;
	}
	free(s);
	return khz;
}

/*
 * Frequency: the kernel's figure, else CPUID, else the calibration. The
 * calibration always runs (callers pin first: a migration in the middle
 * would mix two CPUs' TSCs) and is compared with the chosen figure.
 */
int tsc_init_with(struct tsc_info *ti, double module_khz)
{
	enum tsc_freq_src src = TSC_SRC_NONE;
	double khz;

	memset(ti, 0, sizeof(*ti));
	read_flags(ti);
	ti->kernel_khz = kernel_khz(module_khz, &src);
	ti->calibrated_khz = ti->icount ? 0 : calibrate_khz();
	if (ti->kernel_khz > 0) {
		ti->khz = ti->kernel_khz;
		ti->src = src;
	} else if ((khz = tsc_cpuid_khz()) > 0) {
		ti->khz = khz;
		ti->src = TSC_SRC_CPUID;
	} else {
		ti->khz = ti->calibrated_khz;
		ti->src = ti->khz > 0 ? TSC_SRC_CALIBRATED : TSC_SRC_NONE;
	}
	ti->disagree = ti->calibrated_khz > 0 && ti->khz > 0 && ti->src != TSC_SRC_CALIBRATED ?
		       fabs(ti->calibrated_khz / ti->khz - 1) : NAN;
	tsc_measure_step(ti);
	return 0;
}

int tsc_init(struct tsc_info *ti)
{
	return tsc_init_with(ti, 0);
}
