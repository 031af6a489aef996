/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options shared by the subcommands (the libbpf-tools "struct env"). */
#ifndef SYSLAT_OPTS_H
#define SYSLAT_OPTS_H

#include <stdint.h>

enum placement { PLACE_SAME, PLACE_CROSS, PLACE_SMT, PLACE_LLC, PLACE_PACKAGE };
enum out_format { FMT_TABLE, FMT_CSV, FMT_JSON };
enum sample_mode { MODE_PER_CALL, MODE_BATCH };

/* Runs (processes) of the selected benchmarks by default: docs/statistics.md. */
#define OPTS_DEFAULT_RUNS 5
#define OPTS_DEFAULT_ROUNDS 5	/* kept per run, after one warm-up round */
#define OPTS_DEFAULT_ROUND_MS 50

struct opts {
	uint64_t iters;		/* calls per round */
	uint64_t rounds;	/* rounds kept */
	uint64_t warmup;	/* rounds discarded first */
	int cpu;		/* -1: first CPU of the affinity mask */
	int peer_cpu;		/* -1: derived from placement */
	enum placement placement;
	int numa_node;		/* -1: none */
	enum out_format format;
	enum sample_mode mode;
	const char *output_dir;	/* NULL: no files */
	int quiet;
	int fifo;		/* try SCHED_FIFO */
	int mlock;		/* try mlockall */
	int process;		/* IPC peers as processes instead of threads */
	uint64_t ring_procs;	/* ctx-ring: processes in the ring */
	uint64_t ring_wss;	/* ctx-ring: working set per process, bytes */
	uint64_t max_samples;	/* above this, stream into a histogram */
	int phases;		/* syscall benchmark: merge kernel timestamps */
	int trust_tsc;		/* merge even without constant_tsc + nonstop_tsc */
	const char *folded;	/* --folded FILE: phases as FlameGraph folded stacks */
	/* Added by the harness (keep the fields above as they are): */
	int iters_set;		/* --iters given: no auto-sizing of rounds */
	uint64_t round_ms;	/* auto-sizing aims at rounds of this length */
	int placement_set;	/* --placement or --peer-cpu given */
	const char *suite;	/* --suite NAME for syslat run/list (bench.h), NULL: table1 */
	/* Replication (stats): */
	uint64_t runs;		/* --runs: processes, each running the whole selection */
	uint64_t seed;		/* --seed: order shuffle; 0: from the clock */
	int seed_set;
	int intf_flag;		/* --interference flag: count disturbed rounds, keep them */
	int run_index;		/* hidden --run-index: this is one run of a parent, -1 not */
	const char *run_out;	/* hidden --run-out FILE: where the run's JSON goes */
};

void opts_defaults(struct opts *o);
/* Strict unsigned parse: whole string, base 10 (k/M/G suffixes), range. 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Parse common options from argv (getopt_long); returns index of first
 * non-option, -1 after printing what is wrong, or OPTS_HELP after printing
 * the usage of @cmd for --help (the caller exits 0). */
#define OPTS_HELP (-2)
int opts_parse(struct opts *o, int argc, char **argv, const char *cmd);

#endif
