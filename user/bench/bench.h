/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark table, in the style of tools/perf/bench/: one
 * bench-<name>.c per benchmark, each exporting one struct bench.
 *
 * The framework (runner.c) owns the loop around a benchmark:
 *   setup() once; warmup x sample() discarded; then samples:
 *     per-call mode: rounds x iters calls of sample(r, 1, &t)
 *     batch mode:    rounds calls of sample(r, iters, &t)
 *   teardown() once, also after an error or SIGINT.
 * sample() times n operations itself with tsc_begin()/tsc_end() around
 * an inline loop (so the operation is not a call through a pointer,
 * which would change what is measured) and returns the raw ticks.
 * The framework subtracts the timer overhead (an empty window timed with
 * the same code): once per window, i.e. per call in per-call mode and per
 * round in batch mode, then divides by n * ops_per_op_divisor.
 */
#ifndef SYSLAT_BENCH_H
#define SYSLAT_BENCH_H

#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <sys/types.h>

enum bench_dir {
	BENCH_PER_CALL,		/* one call, e.g. a syscall round trip user->kernel->user */
	BENCH_ROUND_TRIP,	/* a message there and back between two tasks */
	BENCH_ONE_WAY,		/* half a round trip, or one switch */
};

struct opts;

struct bench_run {
	const struct opts *opt;	/* parsed command line (opts.h) */
	int cpu;		/* CPU of the measuring thread (already pinned) */
	int peer_cpu;		/* CPU for a peer thread/process, resolved by the runner */
	int use_process;	/* peer is a process (fork) rather than a thread */
	void *priv;		/* benchmark state */

	/* Set by the benchmark in setup() when they apply: */
	double divisor;		/* ops per counted op (default 1): ring of N -> N */
	double extra_overhead;	/* ticks per op to subtract besides the timer (lat_ctx's ring overhead) */
	int armed;		/* -1 n/a, 0/1: module backend armed during the run */
	int busy_wait;		/* burns CPUs while waiting (shm spin) */
	char note[256];		/* shown with the result, e.g. "ENOSYS path: module not loaded" */
	char peer_where[64];	/* where the peer ran, e.g. "cpu 1 (process)" */
	double loop_overhead;	/* ticks per op of the bare loop: reported, not subtracted */
};

struct bench {
	const char *name;	/* "pipe", "noop", ... unique, [a-z0-9-] */
	const char *summary;	/* one line for "syslat list" */
	enum bench_dir dir;
	int needs_peer;		/* uses opt placement for a second task */
	int own_switches;	/* its tasks share one CPU by design: switches are the measurement */
	int needs_two_cpus;	/* busy-waits: peer on another CPU unless --placement says otherwise */
	int in_suite;		/* part of "syslat run" */
	int (*setup)(struct bench_run *r);		/* 0 or -errno, message on stderr */
	int (*sample)(struct bench_run *r, uint64_t n, uint64_t *ticks);
	void (*teardown)(struct bench_run *r);
	/* Optional, added later (zero when not set): */
	const char *title;	/* table label, e.g. "noop syscall (500)"; NULL: name */
	int no_timer_sub;	/* do not subtract the timer overhead (the timer itself) */
	unsigned int suites;	/* SUITE_* bits besides table1 (which is in_suite) */
};

/*
 * Named suites (syslat run --suite NAME). table1 is the default run, the
 * members with in_suite set; the others are the bits of struct
 * bench.suites; "all" is every benchmark.
 */
#define SUITE_LEBENCH	0x1u	/* LEBench's core operations (SOSP'19) */
#define SUITE_LMBENCH	0x2u	/* lmbench's latency set */
int bench_in_suite(const struct bench *b, const char *suite);
/* The suite names, NULL terminated: table1, lebench, lmbench, all. */
extern const char *const bench_suite_names[];

/*
 * setup() returns BENCH_SKIP, with the reason in r->note, when the
 * benchmark cannot run here (no io_uring, too few CPUs, ...): the result
 * says "skipped: <reason>" in every output and the run does not fail.
 */
#define BENCH_SKIP 1

/*
 * Every benchmark known at build time, NULL terminated. An entry whose
 * file is not linked in (weak reference) is skipped by bench_next(), so
 * iterate with BENCH_FOR_EACH rather than stopping at the first NULL.
 */
extern const struct bench *const bench_table[];	/* bench-table.c */
extern const unsigned int bench_table_len;	/* entries before the final NULL */
const struct bench *bench_find(const char *name);
/* Next linked-in benchmark at or after *i (advances *i), or NULL at the end. */
const struct bench *bench_next(unsigned int *i);
#define BENCH_FOR_EACH(b, i) for ((i) = 0; ((b) = bench_next(&(i))) != NULL; )

/* Set by the SIGINT handler: stop after the current round (runner.c). */
extern volatile sig_atomic_t syslat_stop;

/* Helpers for benchmarks (place.c). */
int place_pin_self(int cpu);		/* sched_setaffinity to one CPU; 0 or -errno */
int place_current_cpu(void);		/* sched_getcpu() */
/* Start a peer thread pinned to @cpu behind a barrier: 0 or -errno. */
int place_thread_start(pthread_t *t, int cpu, void *(*fn)(void *), void *arg);
/* fork a child pinned to @cpu that runs fn(arg) and _exit()s with its return. */
pid_t place_fork(int cpu, int (*fn)(void *), void *arg);

#endif
