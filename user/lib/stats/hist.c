// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

int hist_init(struct hist *h)
{
	h->count = calloc(HIST_BUCKETS, sizeof(*h->count));
	h->total = 0;
	return h->count ? 0 : -ENOMEM;
}

void hist_destroy(struct hist *h)
{
	free(h->count);
	h->count = NULL;
	h->total = 0;
}

void hist_reset(struct hist *h)
{
	memset(h->count, 0, HIST_BUCKETS * sizeof(*h->count));
	h->total = 0;
}

unsigned int hist_bucket(uint64_t v)
{
	unsigned int e;

	if (v < HIST_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);	/* e >= HIST_SUB_BITS */
	/* Octave e -> group e - SUB_BITS + 1; the top SUB_BITS bits below
	 * the leading one pick the sub-bucket. */
	return (e - HIST_SUB_BITS + 1) * HIST_SUB +
	       (unsigned int)((v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

uint64_t hist_bucket_lo(unsigned int b)
{
	unsigned int g = b / HIST_SUB, s = b % HIST_SUB, e;

	if (g == 0)
		return b;
	e = g + HIST_SUB_BITS - 1;
	return (1ULL << e) + ((uint64_t)s << (e - HIST_SUB_BITS));
}

uint64_t hist_bucket_hi(unsigned int b)
{
	unsigned int g = b / HIST_SUB, e;

	if (g == 0)
		return b;
	e = g + HIST_SUB_BITS - 1;
	return hist_bucket_lo(b) + (1ULL << (e - HIST_SUB_BITS)) - 1;
}

double hist_quantile(const struct hist *h, double q)
{
	double rank, seen = 0;
	unsigned int b;

	if (!h->total)
		return NAN;
	rank = q * (double)(h->total - 1);
	for (b = 0; b < HIST_BUCKETS; b++) {
		double c = (double)h->count[b];

		if (c && seen + c > rank) {
			/* Spread the bucket's values evenly across its width. */
			double lo = (double)hist_bucket_lo(b);
			double w = (double)(hist_bucket_hi(b) - hist_bucket_lo(b));

			return c > 1 ? lo + w * (rank - seen) / (c - 1) : lo;
		}
		seen += c;
	}
	return (double)hist_bucket_hi(HIST_BUCKETS - 1);
}

void hist_to_log2(const struct hist *h, uint64_t out[64])
{
	unsigned int b;

	memset(out, 0, 64 * sizeof(*out));
	for (b = 0; b < HIST_BUCKETS; b++) {
		uint64_t lo = hist_bucket_lo(b);

		out[lo ? 63 - __builtin_clzll(lo) : 0] += h->count[b];
	}
}

static void print_stars(FILE *f, uint64_t val, uint64_t max, int width)
{
	int n = max ? (int)((double)val * width / (double)max) : 0;
	int i;

	if (n > width)
		n = width;
	for (i = 0; i < n; i++)
		fputc('*', f);
	for (; i < width; i++)
		fputc(' ', f);
}

/* Highest non-empty index (trailing empty buckets trimmed), max count. */
static int trim(const uint64_t *vals, int n, uint64_t *max)
{
	int i, last = -1;

	*max = 0;
	for (i = 0; i < n; i++) {
		if (vals[i])
			last = i;
		if (vals[i] > *max)
			*max = vals[i];
	}
	return last;
}

void print_log2_hist(FILE *f, const uint64_t *vals, int n, const char *val_type)
{
	uint64_t max;
	int i, last = trim(vals, n, &max);

	if (last < 0)
		return;
	fprintf(f, "%24s%-16s : count    distribution\n", val_type, "");
	for (i = 0; i <= last; i++) {
		uint64_t lo = i ? 1ULL << i : 0, hi = (i ? 1ULL << (i + 1) : 2) - 1;

		fprintf(f, "%20llu -> %-20llu : %-8llu |", (unsigned long long)lo,
			(unsigned long long)hi, (unsigned long long)vals[i]);
		print_stars(f, vals[i], max, 40);
		fputs("|\n", f);
	}
}

void print_linear_hist(FILE *f, const uint64_t *vals, int n, uint64_t base,
		       uint64_t step, const char *val_type)
{
	uint64_t max;
	int i, first = -1, last = trim(vals, n, &max);

	if (last < 0)
		return;
	for (i = 0; i <= last && first < 0; i++)
		if (vals[i])
			first = i;	/* leading empty buckets trimmed too */
	fprintf(f, "%24s%-16s : count    distribution\n", val_type, "");
	for (i = first; i <= last; i++) {
		fprintf(f, "%20llu -> %-20llu : %-8llu |",
			(unsigned long long)(base + (uint64_t)i * step),
			(unsigned long long)(base + (uint64_t)(i + 1) * step - 1),
			(unsigned long long)vals[i]);
		print_stars(f, vals[i], max, 40);
		fputs("|\n", f);
	}
}

void print_range_hist(FILE *f, const struct hist_range *r, int n, const char *val_type)
{
	uint64_t max = 0;
	int i;

	for (i = 0; i < n; i++)
		if (r[i].count > max)
			max = r[i].count;
	if (!n)
		return;
	fprintf(f, "%24s%-16s : count    distribution\n", val_type, "");
	for (i = 0; i < n; i++) {
		fprintf(f, "%20llu -> %-20llu : %-8llu |", (unsigned long long)r[i].lo,
			(unsigned long long)r[i].hi, (unsigned long long)r[i].count);
		print_stars(f, r[i].count, max, 40);
		fputs("|\n", f);
	}
}
