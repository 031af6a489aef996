/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Measuring the phases of the noop syscall with the module's ring
 * (phases.h does the matching): `syslat bench noop --phases`, the suite
 * when the module is loaded, and `syslat selftest`.
 */
#ifndef SYSLAT_PHASE_RUN_H
#define SYSLAT_PHASE_RUN_H

#include <sched.h>
#include <stdint.h>

#include "json.h"
#include "phases.h"
#include "report.h"
#include "stats.h"
#include "tsc.h"

#define PHASE_MAX_CALLS 10000000u	/* 40 bytes of timestamps each */

/* The end of a window plus the CPU it ran on (TSC_AUX holds node << 12 | cpu on Linux). */
static inline uint64_t tsc_end_cpu(uint32_t *cpu)
{
	uint32_t lo, hi, aux;

	if (!tsc_have_rdtscp) {
		*cpu = (uint32_t)sched_getcpu();
		return tsc_end();
	}
	__asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	*cpu = aux & 0xfff;
	return ((uint64_t)hi << 32) | lo;
}

struct phase_cfg {
	const char *dir;	/* debugfs dir, NULL: SYSLAT_DEBUGFS_DIR */
	int cpu;		/* the caller is pinned here */
	uint64_t calls;		/* calls to merge */
	uint64_t warmup;	/* calls made and discarded first */
	int quiet;
};

struct phase_report {
	struct stats st[PH_NR];		/* per phase, TSC ticks, nothing subtracted */
	struct stats direct_rt;		/* plain noop round trips in the same run, no ring reads between */
	struct stats enosys_rt;		/* nr 501 round trips, module disarmed where it can be */
	struct phase_merge m;		/* counters of the merge */
	uint64_t sums[PH_NR];		/* per phase over the merged calls: folded weights */
	uint64_t calls;
	uint32_t tag;
	long nr;			/* the module's syscall number (info nr) */
	char backend[32];
	int enosys_disarmed;		/* the ENOSYS figure was taken with the hook detached */
	int we_armed;
	int partial;			/* SIGINT: pr->calls is what was made */
};

/*
 * Arms the module if needed (and disarms it again), resets it, makes
 * cfg->calls noop calls in chunks that fit the ring, merges. 0, or -errno
 * with the reason printed.
 */
int phase_measure(const struct phase_cfg *cfg, struct phase_report *pr);
/* Delta arrays for @n calls, counters zeroed: 0, or -ENOMEM with none left allocated. */
int phase_merge_alloc(struct phase_merge *m, uint64_t n);
/* Per-phase statistics and sums of the matched calls; frees the delta arrays. */
void phase_merge_stats(struct phase_merge *m, struct stats st[PH_NR], uint64_t sums[PH_NR]);
/* The merge counters (matched, missing, ..., foreign) as fields of the open object. */
void phase_merge_json(json_writer_t *w, const struct phase_merge *m);
/* Invariant TSC, icount, or the user vouches for it (--trust-tsc); else prints why not. */
int phase_tsc_ok(const struct tsc_info *ti, int trust, const char *who);
void phase_report_print(FILE *f, const struct phase_report *pr, double timer_ovh,
			const struct tsc_info *ti);

/* The four phases as results of a run (out[PH_NR]), for table/CSV/JSON. */
void phase_results(const struct phase_report *pr, int cpu, struct result *out);
/* "phases": the merge counters and the hook cost, for the JSON envelope. */
void phase_json(json_writer_t *w, const struct phase_report *pr);
/* Two '#' lines under the table: the counters and the hook cost. */
void phase_table_note(FILE *f, const struct phase_report *pr, const char *unit);

#endif
