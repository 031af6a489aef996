/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Phases of any system call: the module's trace_ring (kmod/anysys.c, text:
 * "# version: 1", '#' header lines, rows "cpu seq tgid tid nr t_enter
 * t_exit ret") parsed, and merged with the user-side timestamps of the
 * same calls. The records carry no cookie: a call's record is the one of
 * our thread and syscall number whose t_enter lies in the call's window
 * [t0, t3] on our CPU (one thread makes one system call at a time, so no
 * window holds two). Pure code, no I/O: tests/unit/check_anysys.c.
 */
#ifndef SYSLAT_ANYSYS_H
#define SYSLAT_ANYSYS_H

#include <stddef.h>
#include <stdint.h>

#include "phases.h"

#define ANYSYS_TRACE_VERSION 1	/* the trace_ring format this reads */

struct anysys_rec {
	uint32_t cpu;
	uint64_t seq;		/* per-CPU record number since arming */
	uint32_t tgid, tid;
	int32_t nr;
	uint64_t t_enter;	/* TSC in the sys_enter probe */
	uint64_t t_exit;	/* TSC in the sys_exit probe */
	int64_t ret;		/* the return value sys_exit saw */
};

struct anysys_ring {
	struct anysys_rec *r;	/* malloc'd, in file order */
	size_t n;
	int version;
	uint32_t tgid;		/* "# tgid:" the filter at the time of reading */
	uint64_t ring_size;	/* "# ring_size:" records per CPU */
	uint64_t unmatched;	/* exits without an entry stamp, all CPUs */
	uint64_t evicted;	/* entry stamps dropped for newer ones, all CPUs */
};

/*
 * Parse the text of trace_ring into @ring (caller: anysys_ring_free).
 * 0, -EINVAL for a malformed or other-version text (the line number in
 * *bad_line when not NULL), -ENOMEM.
 */
int anysys_parse_ring(const char *text, struct anysys_ring *ring, int *bad_line);
void anysys_ring_free(struct anysys_ring *ring);

/* What a merge matches: our thread and number, the expected return. */
struct anysys_key {
	uint32_t tid;
	int32_t nr;
	int64_t expect;		/* every call must return this */
	uint32_t cpu;		/* the caller is pinned here */
};

/*
 * Merge the @ncalls calls (in the order made, t0 ascending) with @ring.
 * Counters of @m are added to, matched deltas appended at
 * m->delta[*][m->matched] (arrays the caller sized). Records of another
 * tgid than m->tgid (when set) or of another thread are foreign; our
 * thread's other system calls are skipped uncounted; ours on another CPU
 * inside the calls' span count as other_cpu. bad_ret also counts calls
 * whose record saw another return value than the call did.
 * 0 or -EINVAL / -ENOMEM.
 */
int anysys_merge(struct phase_merge *m, const struct anysys_key *key,
		 const struct phase_call *calls, size_t ncalls, const struct anysys_ring *ring);

#endif
