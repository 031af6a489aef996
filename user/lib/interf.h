/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interference on the measuring CPU, per round: interrupts (every row of
 * /proc/interrupts but the local timer, which ticks at HZ on any busy
 * CPU), softirqs (/proc/softirqs), involuntary context switches of the
 * measuring thread (getrusage(RUSAGE_THREAD)) and migrations
 * (sched_getcpu). Read between rounds, never inside a timed window.
 *
 * Default policy (--interference exclude): a round is disturbed when the
 * thread was preempted (unless switching is what the benchmark measures)
 * or migrated, or when interrupts + softirqs exceed INTF_BASE +
 * INTF_PER_MS per ms of the round (about 50x what a quiet CPU of the
 * development machine sees). Disturbed rounds are counted, and dropped
 * from the statistics as long as at least one round remains (a streamed
 * sampler cannot drop: it only counts). --interference flag keeps them.
 */
#ifndef SYSLAT_INTERF_H
#define SYSLAT_INTERF_H

#include <stdint.h>

#define INTF_BASE 2.0
#define INTF_PER_MS 1.0

struct intf_snap {
	uint64_t irq, softirq;	/* on the CPU */
	long nivcsw;
	int cpu;		/* sched_getcpu() at the snapshot */
	int ok;			/* /proc files were readable */
};

struct round_intf {
	uint32_t irq, softirq, nivcsw, migrations;
	uint8_t disturbed, excluded;
};

/* Snapshot for @cpu. */
void intf_snap(struct intf_snap *s, int cpu);
/* Deltas of a round of @ms; @own_switches: preemptions are the measurement. */
void intf_round(const struct intf_snap *a, const struct intf_snap *b, double ms,
		int own_switches, struct round_intf *out);

/* Pure, unit-tested: sum of column @cpu of /proc/interrupts text, LOC excluded. */
uint64_t intf_sum_interrupts(const char *text, int cpu);
/* Sum of column @cpu of /proc/softirqs text. */
uint64_t intf_sum_softirqs(const char *text, int cpu);
/* The policy above on one round's counts. */
int intf_disturbed(const struct round_intf *r, double ms);

#endif
