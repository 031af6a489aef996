// SPDX-License-Identifier: GPL-2.0
/* The empty timing window (runner.h): what every window costs by itself. */
#include <math.h>

#include "runner.h"
#include "tsc.h"

/*
 * The empty window, timed like every per-call window (same inline reads,
 * same sampler path): 10 rounds of 2000 after 1000 discarded. On a coarse
 * TSC its distribution spans two steps (26/52 here, mean ~49): the median
 * would be off by a fraction of a step, the trimmed mean is not.
 */
void runner_timer_window(const struct tsc_info *ti, struct timer_window *tw)
{
	struct sampler sp;
	int r, i;

	sampler_init(&sp, 100000);
	sp.resolution = (double)ti->granularity;
	for (i = 0; i < 1000; i++)	/* warm-up, discarded */
		(void)(tsc_end() - tsc_begin());
	for (r = 0; r < 10; r++) {
		for (i = 0; i < 2000; i++) {
			uint64_t t0 = tsc_begin();

			sampler_add(&sp, (double)(tsc_end() - t0));
		}
		sampler_end_round(&sp);
	}
	sampler_stats(&sp, &tw->st);
	sampler_destroy(&sp);
	tw->by_mean = ti->granularity > 1 && isfinite(tw->st.tmean);
	tw->subtracted = tw->by_mean ? tw->st.tmean : tw->st.median;
	/* the median's error is below a step; the mean's is sd / sqrt(n) */
	tw->se = tw->by_mean ? tw->st.tsd / sqrt((double)tw->st.n) : (double)ti->granularity / 2;
}
