// SPDX-License-Identifier: GPL-2.0
/* Dropping disturbed rounds from an exact sampler (stats.h, interf.h). */
#include <math.h>
#include <string.h>

#include "stats.h"

/* Moments again from the exact values (after rounds were dropped). */
static void remoment(struct sampler *sp)
{
	size_t i;

	sp->count = 0;
	sp->mean = sp->m2 = 0;
	sp->min = INFINITY;
	sp->max = -INFINITY;
	for (i = 0; i < sp->n; i++) {
		double v = sp->v[i], d = v - sp->mean;

		sp->count++;
		sp->mean += d / (double)sp->count;
		sp->m2 += d * (v - sp->mean);
		sp->min = v < sp->min ? v : sp->min;
		sp->max = v > sp->max ? v : sp->max;
	}
}

size_t sampler_drop_rounds(struct sampler *sp, const uint8_t *drop)
{
	size_t k, kept = 0, out = 0, nd = 0;

	if (sp->streaming || !sp->nrounds)
		return 0;
	for (k = 0; k < sp->nrounds; k++)
		nd += drop[k] != 0;
	if (!nd || nd == sp->nrounds)
		return 0;
	for (k = 0; k < sp->nrounds; k++) {
		size_t a = sp->round_starts[k];
		size_t b = k + 1 < sp->nrounds ? sp->round_starts[k + 1] : sp->round_first;

		if (drop[k])
			continue;
		memmove(sp->v + out, sp->v + a, (b - a) * sizeof(*sp->v));
		sp->round_starts[kept] = out;
		sp->round_means[kept] = sp->round_means[k];
		sp->round_medians[kept++] = sp->round_medians[k];
		out += b - a;
	}
	sp->n = sp->round_first = out;
	sp->nrounds = kept;
	remoment(sp);
	return nd;
}

