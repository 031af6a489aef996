/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader for the module's machine-readable histograms (debugfs hist_raw):
 *   # version: 1
 *   # lin_width: 8
 *   # cpu	kind	lo	hi	count
 *   0	log2	128	255	1000
 *   all	lin	200	207	12
 * Rows name non-empty buckets only; cpu "all" is the sum over CPUs.
 */
#ifndef SYSLAT_HISTRAW_H
#define SYSLAT_HISTRAW_H

#include <stddef.h>
#include <stdint.h>

#define HISTRAW_ALL (-1)

enum histraw_kind { HR_LOG2, HR_LIN };

struct histraw_row {
	int cpu;		/* HISTRAW_ALL for the sum */
	enum histraw_kind kind;
	uint64_t lo, hi, count;	/* bucket [lo, hi] in TSC cycles */
};

struct histraw {
	unsigned int version;
	uint64_t lin_width;
	struct histraw_row *rows;
	size_t n;
};

/* 0, or -1 with "line N: what" in @err. */
int histraw_parse(const char *text, struct histraw *h, char *err, size_t errlen);
void histraw_free(struct histraw *h);
/* Sum of the counts of one cpu (or HISTRAW_ALL) and kind. */
uint64_t histraw_total(const struct histraw *h, int cpu, enum histraw_kind kind);

#endif
