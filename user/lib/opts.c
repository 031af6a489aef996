// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line options: one struct of defaults, one getopt_long switch,
 * and one strict number parser through which every number goes (the
 * libbpf-tools runqlat shape, minus its strtol-without-endptr).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

#define OPTS_STR_(x) #x
#define OPTS_STR(x) OPTS_STR_(x)

void opts_defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->iters = 100000;	/* upper bound; auto-sized to round_ms */
	o->warmup = 1;
	o->cpu = -1;
	o->peer_cpu = -1;
	/* Same CPU by default: cross-CPU wake-ups in VMs cost 30x more and
	 * depend on the idle policy (anchors §3.7); --placement cross asks. */
	o->placement = PLACE_SAME;
	o->numa_node = -1;
	o->format = FMT_TABLE;
	o->mode = MODE_PER_CALL;
	o->ring_procs = 2;
	o->ring_wss = 0;
	o->max_samples = 1000000;	/* 8 MB of doubles per benchmark */
	/* Replication: runs x rounds x samples (docs/statistics.md). */
	o->runs = OPTS_DEFAULT_RUNS;
	o->rounds = OPTS_DEFAULT_ROUNDS;
	o->round_ms = OPTS_DEFAULT_ROUND_MS;
	o->run_index = -1;
}

/* Multiplier for a suffix: k M G (powers of 1000), Ki Mi Gi (of 1024). */
static int suffix_mult(const char *s, uint64_t *mult)
{
	static const struct { const char *s; uint64_t m; } tab[] = {
		{ "", 1 }, { "k", 1000ULL }, { "K", 1000ULL },
		{ "M", 1000000ULL }, { "G", 1000000000ULL },
		{ "Ki", 1ULL << 10 }, { "Mi", 1ULL << 20 }, { "Gi", 1ULL << 30 },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(s, tab[i].s) == 0) {
			*mult = tab[i].m;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	uint64_t mult;
	char *end;

	/* strtoull accepts " -1" and wraps it: insist on a leading digit. */
	if (!s || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || suffix_mult(end, &mult))
		return -EINVAL;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	v *= mult;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

struct cmd_help {
	const char *cmd, *synopsis, *examples;
};

static const struct cmd_help helps[] = {
	{ "run", "syslat run [OPTIONS]\n  Run the default suite --runs times (default "
	  OPTS_STR(OPTS_DEFAULT_RUNS) "), each run a fresh process with the\n  benchmarks in a "
	  "shuffled order; print a table whose CIs are over the runs, and write\n  results "
	  "(JSON + CSV, docs/output-formats.md) into --output DIR (default ./syslat-results).",
	  "  syslat run                      (5 runs, about 30-45 s on 2 vCPUs)\n"
	  "  syslat run --runs 10 --seed 7 --output /tmp/r\n"
	  "  syslat run --placement cross --format json --output /tmp/r\n" },
	{ "bench", "syslat bench NAME... [OPTIONS]\n  Run the named benchmarks "
	  "(see 'syslat list').",
	  "  syslat bench noop getppid --mode batch --iters 1M\n"
	  "  syslat bench pipe --process --placement cross\n" },
	{ "list", "syslat list\n  Show the benchmarks with one-line descriptions.", "" },
	{ "env", "syslat env [--format table|json]\n  Print the captured environment.", "" },
	{ "overhead", "syslat overhead [--cpu N]\n  Print the measurement overhead "
	  "figures (rdtsc, rdtscp, timing window, loop, TSC step and read cost).", "" },
};

static void usage(FILE *f, const char *cmd)
{
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (cmd && strcmp(cmd, helps[i].cmd) == 0)
			break;
	if (i < sizeof(helps) / sizeof(helps[0]))
		fprintf(f, "usage: %s\n\n", helps[i].synopsis);
	else
		fprintf(f, "usage: syslat %s [OPTIONS]\n\n", cmd ? cmd : "CMD");
	fputs("Options (numbers take k/M/G = 10^3.. or Ki/Mi/Gi = 2^10.. suffixes):\n"
	      "  -n, --iters N        calls per round (default: auto-sized to --round-ms, at most 100k)\n"
	      "  -R, --runs N         independent runs (processes) of the selection, each in an\n"
	      "                       order shuffled by --seed; CIs are over runs (default "
	      OPTS_STR(OPTS_DEFAULT_RUNS) ")\n"
	      "      --seed N         seed of the order shuffles (default: from the clock; recorded)\n"
	      "  -r, --rounds N       rounds kept per run (default " OPTS_STR(OPTS_DEFAULT_ROUNDS) ")\n"
	      "  -w, --warmup N       rounds discarded first (default 1)\n"
	      "      --round-ms N     target length of an auto-sized round (default "
	      OPTS_STR(OPTS_DEFAULT_ROUND_MS) ")\n"
	      "      --interference P exclude|flag rounds disturbed on the measuring CPU\n"
	      "                       (interrupts, softirqs, preemption, migration; default exclude)\n"
	      "  -c, --cpu N          CPU of the measuring thread (default: first allowed)\n"
	      "  -C, --peer-cpu N     CPU of the peer thread/process\n"
	      "  -p, --placement P    peer placement: same|cross|smt (default same)\n"
	      "      --numa-node N    restrict CPUs and memory to NUMA node N (libnuma)\n"
	      "  -f, --format F       table|csv|json on stdout (default table)\n"
	      "  -o, --output DIR     write result files (JSON + CSV) atomically into DIR\n"
	      "  -q, --quiet          no progress, no notes on stderr\n"
	      "  -m, --mode M         percall|batch (default percall)\n"
	      "      --fifo           try SCHED_FIFO (recorded whether it worked)\n"
	      "      --mlock          try mlockall (recorded whether it worked)\n"
	      "      --process        IPC peers are processes, not threads\n"
	      "      --ring-procs N   ctx-ring: processes in the ring (default 2)\n"
	      "      --ring-wss SIZE  ctx-ring: working set per process in bytes\n"
	      "      --max-samples N  above this, stream into a histogram (default 1M)\n"
	      "      --phases         split syscalls into entry / in-kernel / exit with the module:\n"
	      "                       noop from its ring (syslat run does it whenever the module is\n"
	      "                       loaded); with bench also getppid, getpid, enosys, read-*,\n"
	      "                       write-*, pipe-rw from its tracepoint stamps (their cost printed)\n"
	      "      --trust-tsc      merge kernel and user TSC without constant_tsc+nonstop_tsc\n"
	      "      --folded FILE    write the phases as FlameGraph folded stacks (implies --phases)\n"
	      "      --suite NAME     syslat run/list: table1 (default), lebench, lmbench or all\n"
	      "  -h, --help           this text\n", f);
	if (i < sizeof(helps) / sizeof(helps[0]) && helps[i].examples[0])
		fprintf(f, "\nExamples:\n%s", helps[i].examples);
}

enum { O_NUMA = 256, O_FIFO, O_MLOCK, O_PROCESS, O_RPROCS, O_RWSS, O_MAXS,
       O_PHASES, O_ROUNDMS, O_TRUST_TSC, O_FOLDED, O_SUITE,
       O_SEED, O_INTF, O_RUN_INDEX, O_RUN_OUT };

static const struct option longopts[] = {
	{ "iters", required_argument, NULL, 'n' },
	{ "rounds", required_argument, NULL, 'r' },
	{ "warmup", required_argument, NULL, 'w' },
	{ "round-ms", required_argument, NULL, O_ROUNDMS },
	{ "cpu", required_argument, NULL, 'c' },
	{ "peer-cpu", required_argument, NULL, 'C' },
	{ "placement", required_argument, NULL, 'p' },
	{ "numa-node", required_argument, NULL, O_NUMA },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "mode", required_argument, NULL, 'm' },
	{ "fifo", no_argument, NULL, O_FIFO },
	{ "mlock", no_argument, NULL, O_MLOCK },
	{ "process", no_argument, NULL, O_PROCESS },
	{ "ring-procs", required_argument, NULL, O_RPROCS },
	{ "ring-wss", required_argument, NULL, O_RWSS },
	{ "max-samples", required_argument, NULL, O_MAXS },
	{ "phases", no_argument, NULL, O_PHASES },
	{ "trust-tsc", no_argument, NULL, O_TRUST_TSC },
	{ "folded", required_argument, NULL, O_FOLDED },
	{ "suite", required_argument, NULL, O_SUITE },
	{ "runs", required_argument, NULL, 'R' },
	{ "seed", required_argument, NULL, O_SEED },
	{ "interference", required_argument, NULL, O_INTF },
	/* hidden: one run of a replicated parent (cmd-run.c) */
	{ "run-index", required_argument, NULL, O_RUN_INDEX },
	{ "run-out", required_argument, NULL, O_RUN_OUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Index of @s in the NULL-terminated @names, or -1. */
static int pick(const char *s, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* One numeric option: parse into *dst or say what is wrong. */
static int num_opt(const char *name, const char *arg, uint64_t min,
		   uint64_t max, uint64_t *dst)
{
	int err = parse_u64(arg, min, max, dst);

	if (err == -ERANGE)
		fprintf(stderr, "syslat: --%s '%s': out of range [%llu, %llu]\n",
			name, arg, (unsigned long long)min, (unsigned long long)max);
	else if (err)
		fprintf(stderr, "syslat: --%s '%s': not a number\n", name, arg);
	return err;
}

static int int_opt(const char *name, const char *arg, uint64_t max, int *dst)
{
	uint64_t v;

	if (num_opt(name, arg, 0, max, &v))
		return -1;
	*dst = (int)v;
	return 0;
}

static int enum_opt(const char *name, const char *arg,
		    const char *const *names, int *dst)
{
	int v = pick(arg, names);

	if (v < 0) {
		fprintf(stderr, "syslat: --%s '%s': expected", name, arg);
		for (v = 0; names[v]; v++)
			fprintf(stderr, "%s%s", v ? "|" : " ", names[v]);
		fputc('\n', stderr);
		return -1;
	}
	*dst = v;
	return 0;
}

/* The replication options. */
static int rep_opt(struct opts *o, int c, const char *arg)
{
	static const char *const intf[] = { "exclude", "flag", NULL };
	int v, err = -1;

	switch (c) {
	case 'R': err = num_opt("runs", arg, 1, 1000, &o->runs); break;
	case O_SEED: err = num_opt("seed", arg, 0, UINT64_MAX, &o->seed);
		o->seed_set = 1; break;
	case O_INTF: err = enum_opt("interference", arg, intf, &v);
		o->intf_flag = v; break;
	case O_RUN_INDEX: err = int_opt("run-index", arg, 999, &o->run_index); break;
	case O_RUN_OUT: o->run_out = arg; err = 0; break;
	}
	return err ? -1 : 0;
}

static int one_opt(struct opts *o, int c, const char *arg)
{
	static const char *const places[] = { "same", "cross", "smt", NULL };
	static const char *const formats[] = { "table", "csv", "json", NULL };
	static const char *const modes[] = { "percall", "batch", NULL };
	static const char *const suites[] = { "table1", "lebench", "lmbench", "all", NULL };
	int v, err = 0;

	switch (c) {
	case 'n': err = num_opt("iters", arg, 1, 10000000000ULL, &o->iters);
		o->iters_set = 1; break;
	case 'r': err = num_opt("rounds", arg, 1, 1000000, &o->rounds); break;
	case 'w': err = num_opt("warmup", arg, 0, 1000000, &o->warmup); break;
	case O_ROUNDMS: err = num_opt("round-ms", arg, 1, 60000, &o->round_ms); break;
	case 'c': err = int_opt("cpu", arg, CPU_SETSIZE - 1, &o->cpu); break;
	case 'C': err = int_opt("peer-cpu", arg, CPU_SETSIZE - 1, &o->peer_cpu);
		o->placement_set = 1; break;
	case O_NUMA: err = int_opt("numa-node", arg, 1023, &o->numa_node); break;
	case 'p': err = enum_opt("placement", arg, places, &v);
		o->placement = (enum placement)v; o->placement_set = 1; break;
	case 'f': err = enum_opt("format", arg, formats, &v);
		o->format = (enum out_format)v; break;
	case 'm': err = enum_opt("mode", arg, modes, &v);
		o->mode = (enum sample_mode)v; break;
	case 'o':
		if (!arg[0]) {
			fprintf(stderr, "syslat: --output: empty directory name\n");
			err = -1;
		}
		o->output_dir = arg; break;
	case 'q': o->quiet = 1; break;
	case O_FIFO: o->fifo = 1; break;
	case O_MLOCK: o->mlock = 1; break;
	case O_PROCESS: o->process = 1; break;
	case O_RPROCS: err = num_opt("ring-procs", arg, 2, 1024, &o->ring_procs); break;
	case O_RWSS: err = num_opt("ring-wss", arg, 0, 1ULL << 30, &o->ring_wss); break;
	case O_MAXS: err = num_opt("max-samples", arg, 1000, 1000000000ULL,
				   &o->max_samples); break;
	case O_PHASES: o->phases = 1; break;
	case O_TRUST_TSC: o->trust_tsc = 1; break;
	case O_FOLDED: o->folded = arg; o->phases = 1; break;
	case O_SUITE: err = enum_opt("suite", arg, suites, &v);
		o->suite = suites[v]; break;
	default: return rep_opt(o, c, arg);
	}
	return err ? -1 : 0;
}

int opts_parse(struct opts *o, int argc, char **argv, const char *cmd)
{
	int c;

	optind = 0;	/* full re-initialisation: opts_parse may run twice (tests) */
	opterr = 1;
	while ((c = getopt_long(argc, argv, "n:r:R:w:c:C:p:f:o:qm:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout, cmd);
			return OPTS_HELP;
		}
		if (c == '?' || one_opt(o, c, optarg)) {
			fprintf(stderr, "try 'syslat %s --help'\n", cmd ? cmd : "");
			return -1;
		}
	}
	return optind;
}
