/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Phases of ordinary system calls (getppid, read, write, ...) with the
 * module's any-syscall stamps (debugfs trace_tgid / trace_ring,
 * kmod/anysys.c; the merge is anysys.h): `syslat bench getppid --phases`.
 * The stamps put every syscall on the slow entry/exit path, so each
 * measurement also times the same loop with the stamps off and reports
 * the difference: the phases are of the stamped path.
 */
#ifndef SYSLAT_ANYSYS_RUN_H
#define SYSLAT_ANYSYS_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "json.h"
#include "phases.h"
#include "report.h"
#include "stats.h"
#include "tsc.h"

struct anysys_op;	/* one stamped system call of a benchmark (anysys-run.c) */

struct anysys_cfg {
	const char *dir;	/* debugfs dir, NULL: SYSLAT_DEBUGFS_DIR */
	int cpu;		/* the caller is pinned here */
	uint64_t calls;		/* calls to merge */
	uint64_t warmup;	/* calls made and discarded before each part */
};

struct anysys_report {
	const struct anysys_op *op;
	const char *bench;		/* the benchmark it belongs to */
	char label[32];			/* "getppid", "pipe-rw write" */
	long nr;
	struct stats st[PH_NR];		/* per phase, TSC ticks, nothing subtracted */
	struct stats plain_rt;		/* round trip timed alone, stamps off (probes detached) */
	struct stats attached_rt;	/* the same, probes attached for a tgid no task has */
	struct stats stamped_rt;	/* round trip timed alone, stamps on, no ring reads between */
	struct phase_merge m;
	uint64_t sums[PH_NR];
	uint64_t calls;
	uint64_t unmatched, evicted;	/* the module's counters at the last read */
	int partial;
	/* the four phases as benchmarks of a run (names, titles live here) */
	struct bench b[PH_NR];
	char names[PH_NR][48], titles[PH_NR][64];
};

#define ANYSYS_MAX_OPS 2	/* stamped system calls of one benchmark (pipe-rw) */
/* The stamped system calls of benchmark @name into ops[ANYSYS_MAX_OPS]: how many (0: none). */
int anysys_ops_of(const char *name, const struct anysys_op *ops[ANYSYS_MAX_OPS]);
/* "getppid, getpid, ...": the benchmarks --phases knows, for messages. */
const char *anysys_names(void);

/* Measure @op: 0, or -errno with the reason printed. */
int anysys_measure(const struct anysys_cfg *cfg, const struct anysys_op *op,
		   struct anysys_report *ar);
/* Names and titles of the four phase results, from ar->label. */
void anysys_name_results(struct anysys_report *ar);
/* The four phases as results of a run (out[PH_NR]); @unit: tsc_unit(). */
void anysys_results(struct anysys_report *ar, int cpu, const char *unit, struct result *out);
/* '#' lines under the table: merge counters and what the stamping adds. */
void anysys_table_note(FILE *f, const struct anysys_report *ar, const char *unit);
/* One object of the "syscall_phases" array; its medians are in @unit (tsc_unit()). */
void anysys_json(json_writer_t *w, const struct anysys_report *ar, const char *unit);

#endif
