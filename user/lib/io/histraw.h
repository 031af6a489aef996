/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader for the module's machine-readable histograms (debugfs hist_raw):
 *   # version: 2
 *   # cpu	kind	lo	hi	count
 *   0	log2	128	255	1000
 *   all	loglin	200	200	12
 * Rows name non-empty buckets only; cpu "all" is the sum over CPUs.
 * Version 2 (ABI 2 modules from 0.2): kind loglin, the module's own
 * log-linear buckets (one per cycle below 512, then 16 per power of two).
 * Version 1 (saved copies of older modules): kind lin, buckets of
 * "# lin_width: N" cycles, the last one open (hi = UINT64_MAX).
 */
#ifndef SYSLAT_HISTRAW_H
#define SYSLAT_HISTRAW_H

#include <stddef.h>
#include <stdint.h>

#define HISTRAW_ALL (-1)

enum histraw_kind { HR_LOG2, HR_LIN, HR_LOGLIN };

struct histraw_row {
	int cpu;		/* HISTRAW_ALL for the sum */
	enum histraw_kind kind;
	uint64_t lo, hi, count;	/* bucket [lo, hi] in TSC cycles */
};

struct histraw {
	unsigned int version;	/* 1 or 2 */
	uint64_t lin_width;	/* version 1 only */
	struct histraw_row *rows;
	size_t n;
};

/* 0, or -1 with "line N: what" in @err. */
int histraw_parse(const char *text, struct histraw *h, char *err, size_t errlen);
void histraw_free(struct histraw *h);
/* Sum of the counts of one cpu (or HISTRAW_ALL) and kind. */
uint64_t histraw_total(const struct histraw *h, int cpu, enum histraw_kind kind);

#endif
