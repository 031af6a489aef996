/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log-linear histogram of u64 values (HDR-style): values below
 * 2^HIST_SUB_BITS have a bucket each; above, every power of two is cut
 * into 2^HIST_SUB_BITS equal buckets, so a bucket is at most 1/64 (1.6 %)
 * of its value wide. Fixed 32 KiB, no allocation in hist_add().
 * Printers in the bcc style: "lo -> hi : count |****|", 40 stars,
 * trailing empty buckets trimmed.
 */
#ifndef SYSLAT_HIST_H
#define SYSLAT_HIST_H

#include <stdint.h>
#include <stdio.h>

#define HIST_SUB_BITS	6
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_BUCKETS	((64 - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	uint64_t *count;	/* HIST_BUCKETS counters */
	uint64_t total;
};

int hist_init(struct hist *h);		/* 0 or -ENOMEM */
void hist_destroy(struct hist *h);
void hist_reset(struct hist *h);

unsigned int hist_bucket(uint64_t v);
uint64_t hist_bucket_lo(unsigned int b);	/* smallest value in bucket b */
uint64_t hist_bucket_hi(unsigned int b);	/* largest value in bucket b */

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->count[hist_bucket(v)]++;
	h->total++;
}

/* Value at quantile q in [0, 1], interpolated inside the bucket
 * (the same rank rule as stats_quantile: rank (n - 1) * q). NaN if empty. */
double hist_quantile(const struct hist *h, double q);
/* Collapse into log2 buckets (bucket i holds [2^i, 2^(i+1)), 0 in bucket 0). */
void hist_to_log2(const struct hist *h, uint64_t out[64]);

/* bcc libbpf-tools trace_helpers.c print_log2_hist(): bucket i is
 * [2^i, 2^(i+1) - 1] (i = 0 covers 0..1). */
void print_log2_hist(FILE *f, const uint64_t *vals, int n, const char *val_type);
/* print_linear_hist(): bucket i is [base + i*step, base + (i+1)*step - 1]. */
void print_linear_hist(FILE *f, const uint64_t *vals, int n, uint64_t base,
		       uint64_t step, const char *val_type);

/* A bucket of any width, [lo, hi] inclusive (the module's log-linear ones). */
struct hist_range {
	uint64_t lo, hi, count;
};

/* The same layout for @n buckets of their own widths, as given (in order). */
void print_range_hist(FILE *f, const struct hist_range *r, int n, const char *val_type);

#endif
