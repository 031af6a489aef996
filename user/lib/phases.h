/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Phase merge: match the module's per-call ring records to the user-side
 * timestamps of the same calls and split each round trip into
 *   entry     = t_entry - t0   (syscall instruction, kernel entry code,
 *                               mitigations, hook up to the first kernel TSC)
 *   in_kernel = t_exit - t_entry
 *   exit      = t3 - t_exit    (module accounting after its exit stamp, hook
 *                               return path, exit work, sysret)
 *   round_trip = t3 - t0
 * Pure code, no I/O: unit-tested in tests/unit/check_phases.c.
 */
#ifndef SYSLAT_PHASES_H
#define SYSLAT_PHASES_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include "syslat_abi.h"

/* What user space recorded around one call. */
struct phase_call {
	uint64_t t0;		/* tsc_begin() before the syscall instruction */
	uint64_t t3;		/* rdtscp after it */
	uint32_t cpu_after;	/* TSC_AUX (cpu) read by that rdtscp */
	int64_t ret;		/* return value of the syscall */
};

enum phase_kind { PH_ENTRY, PH_KERNEL, PH_EXIT, PH_ROUND_TRIP, PH_NR };

struct phase_merge {
	/* Per matched call, PH_NR deltas; caller-provided arrays of ncalls. */
	uint64_t *delta[PH_NR];
	size_t matched;		/* calls with a valid, ordered record */
	size_t missing;		/* no record (overwritten or never written) */
	size_t other_cpu;	/* record made on a CPU other than the caller's */
	size_t migrated;	/* rdtscp saw another CPU than the pinned one */
	size_t unordered;	/* t0 <= t_entry <= t_exit <= t3 violated */
	size_t bad_ret;		/* the call did not return SYSLAT_NOOP_RET */
	size_t duplicate;	/* more than one record carried the cookie */
	size_t foreign;		/* records of other tasks/runs (ignored); our own
				 * records outside the chunk are skipped uncounted */
	uint32_t tgid;		/* set by the caller: records of another tgid
				 * are foreign whatever their cookie; 0: any */
};

/*
 * The cookie of call i of a run is tag << 32 | i: the tag tells our
 * records from any other task's (a hammer on another CPU, another run).
 */
/* Low halves from PHASE_AUX up: our own calls that are not merged (warm-up, timed-alone). */
#define PHASE_AUX 0x80000000u

static inline uint64_t phase_cookie(uint32_t tag, uint32_t i)
{
	return ((uint64_t)tag << 32) | i;
}

/*
 * Merge records (any order, any CPU, as read from debugfs "ring") with
 * the @ncalls calls of run @tag whose indices start at @first (cookie
 * low half = first + k for calls[k]); @cpu is the CPU the caller was
 * pinned to. Counters are added to, so chunks can be merged in turn;
 * matched deltas are appended at m->delta[*][m->matched].
 * Returns 0, or -EINVAL for bad arguments.
 */
int phase_merge_chunk(struct phase_merge *m, uint32_t tag, uint32_t first,
		      const struct phase_call *calls, size_t ncalls,
		      const struct syslat_record *recs, size_t nrecs, uint32_t cpu);

const char *phase_name(enum phase_kind k);

/* Per phase, the sum over the matched calls (the folded weights). */
void phase_sums(const struct phase_merge *m, uint64_t sums[PH_NR]);

/*
 * FlameGraph folded stacks: "<system>;<bench>;<phase> <cycles>" for
 * entry, in_kernel and exit (the round trip is their sum, not a frame);
 * ' ' and ';' in the names become '_' (they delimit frames and the
 * weight). Returns 0 or -errno.
 */
int phase_write_folded(FILE *f, const char *system, const char *bench,
		       const uint64_t sums[PH_NR]);

#endif
