/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interference on the measuring CPU, per round: interrupts (every row of
 * /proc/interrupts but the local timer, which ticks at HZ on any busy
 * CPU), softirqs (/proc/softirqs), involuntary context switches of the
 * measuring thread (getrusage(RUSAGE_THREAD)) and migrations
 * (sched_getcpu). Read between rounds, never inside a timed window.
 *
 * Also the time the thread waited, runnable, for a CPU
 * (/proc/thread-self/schedstat run_delay): what other tasks took from it.
 *
 * Default policy (--interference exclude): a round is disturbed when the
 * thread waited runnable for more than INTF_DELAY_FRAC of the round
 * (unless switching is what the benchmark measures), migrated, or saw
 * more interrupts + softirqs than INTF_BASE + INTF_PER_MS per ms of the
 * round (about 50x what a quiet CPU of the development machine sees).
 * Involuntary switches are counted but are not by themselves a
 * disturbance: a kernel thread that runs for microseconds preempts too. Disturbed rounds are counted, and dropped
 * from the statistics as long as at least one round remains (a streamed
 * sampler cannot drop: it only counts). --interference flag keeps them.
 */
#ifndef SYSLAT_INTERF_H
#define SYSLAT_INTERF_H

#include <stdint.h>

#define INTF_BASE 2.0
#define INTF_PER_MS 1.0
#define INTF_DELAY_FRAC 0.01

struct intf_snap {
	uint64_t irq, softirq;	/* on the CPU */
	long nivcsw;
	uint64_t run_delay_ns;	/* schedstat: waited runnable */
	int cpu;		/* sched_getcpu() at the snapshot */
	int ok;			/* /proc files were readable */
};

struct round_intf {
	uint32_t irq, softirq, nivcsw, migrations;
	uint32_t run_delay_us;	/* not applicable (0) where switching is measured */
	uint32_t round_us;	/* the round's wall time */
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
/* run_delay from /proc/.../schedstat text ("exec_ns delay_ns slices"): ns, 0 if unreadable. */
uint64_t intf_parse_schedstat(const char *text);

#endif
