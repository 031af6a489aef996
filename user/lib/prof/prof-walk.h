/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following a benchmark's timing windows in a guest through its gdbstub:
 * a hardware breakpoint on the window's opening TSC read inside the
 * benchmark's sample function; after `skip` such hits, every instruction
 * of `windows` windows is single-stepped and written to a trace, from the
 * opening rdtsc to the closing rdtsc/rdtscp of the same function. The
 * CPU is followed wherever it goes (kernel, other tasks after a switch).
 *
 * Trace format (text, one instruction a line):
 *   # syslat-trace 2
 *   # open 0xADDR range 0xLO 0xHI
 *   W                      a window opens (the next line is its rdtsc)
 *   RIP RSP CR3 FS BYTES   hex; FS: the fs base (tells threads of one
 *                          address space apart); BYTES: the instruction's
 *                          first bytes
 *   E RIP DELTA            the closing TSC read at RIP (not counted) and
 *                          the window as the guest's TSC measured it
 */
#ifndef SYSLAT_PROF_WALK_H
#define SYSLAT_PROF_WALK_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

struct walk_opts {
	const char *host;
	int port;
	uint64_t open;		/* address of the opening rdtsc */
	uint64_t lo, hi;	/* the sample function */
	unsigned long skip;	/* window hits let run before tracing */
	unsigned long windows;	/* windows traced */
	unsigned long max_steps;	/* per window: a runaway guard */
	int wait_ms;		/* for the first hit */
};

struct walk_stats {
	unsigned long hits, skipped_other, windows;
	uint64_t steps;
	double step_seconds;	/* wall time spent stepping */
	int interrupted;	/* prof_walk_stop was set: the trace holds the whole windows before */
};

/* Set from a signal handler: stop at once; the windows completed so far
 * stay in the trace (a window is written only when it is whole). */
extern volatile sig_atomic_t prof_walk_stop;

/* 0, or -1 with a message in err (nothing promised about @out then). */
int prof_walk(const struct walk_opts *o, FILE *out, struct walk_stats *st,
	      char *err, size_t errlen);

#endif
