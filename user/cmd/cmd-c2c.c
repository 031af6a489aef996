// SPDX-License-Identifier: GPL-2.0
/*
 * syslat c2c: the core-to-core latency matrix. For every ordered pair of
 * allowed CPUs (a, b) the measuring thread, pinned to a, and a peer
 * thread pinned to b bounce one cache line: we store 1, the peer waits
 * for it and stores 0, we wait for the 0. One round = --iters such round
 * trips between one tsc_begin/tsc_end; the figure is the median over
 * --rounds rounds (after one warm-up round) of the round trip / 2, i.e.
 * one way, with the timer overhead subtracted per round. Each pair is
 * classed from sysfs (topo.c). BUSY-WAITS on both CPUs of a pair.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "c2c.h"
#include "cmds.h"
#include "opts.h"
#include "tsc.h"

static int c2c_usage(FILE *f, int rc)
{
	fputs("usage: syslat c2c [--rounds N] [--iters N] [--cpus LIST] [--format table|json]\n"
	      "                  [--svg FILE]\n"
	      "  Core-to-core latency: one cache line bounced between every ordered pair of\n"
	      "  CPUs, one way (half the round trip), median of the rounds; each pair classed\n"
	      "  smt / llc / package / node / other-node from sysfs. Busy-waits on both CPUs.\n"
	      "  -r, --rounds N   rounds kept per pair (default 10), after one warm-up round\n"
	      "  -n, --iters N    round trips per round (default 10000)\n"
	      "      --cpus LIST  CPUs to include, e.g. 0-3,8 (default: all allowed)\n"
	      "  -f, --format F   table (default) or json on stdout\n"
	      "      --svg FILE   also draw the matrix as a heatmap (gnuplot)\n", f);
	return rc;
}

/* The allowed CPUs (or the --cpus subset of them) into cfg->cpu[]: 0 or 2. */
static int pick_cpus(struct c2c_cfg *cfg, const char *list)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("syslat c2c: sched_getaffinity");
		return 2;
	}
	for (c = 0; c < CPU_SETSIZE && cfg->ncpu < C2C_MAX_CPUS; c++) {
		if (list && !topo_list_has(list, c))
			continue;
		if (!CPU_ISSET(c, &set)) {
			if (list) {
				fprintf(stderr, "syslat c2c: --cpus: CPU %d is not allowed here\n", c);
				return 2;
			}
			continue;
		}
		cfg->cpu[cfg->ncpu++] = c;
	}
	if (cfg->ncpu < 2) {
		fprintf(stderr, "syslat c2c: needs two CPUs, %d usable%s\n", cfg->ncpu,
			list ? " in --cpus" : "");
		return 2;
	}
	return 0;
}

static int parse(struct c2c_cfg *cfg, int argc, char **argv, const char **cpus)
{
	enum { O_CPUS = 256, O_SVG };
	static const struct option lo[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "iters", required_argument, NULL, 'n' },
		{ "cpus", required_argument, NULL, O_CPUS },
		{ "format", required_argument, NULL, 'f' },
		{ "svg", required_argument, NULL, O_SVG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "r:n:f:h", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_u64(optarg, 1, 1000, &cfg->rounds))
				return fprintf(stderr, "syslat c2c: --rounds '%s': 1..1000\n", optarg), 2;
			break;
		case 'n':
			if (parse_u64(optarg, 1, 10000000, &cfg->iters))
				return fprintf(stderr, "syslat c2c: --iters '%s': 1..10M\n", optarg), 2;
			break;
		case O_CPUS: *cpus = optarg; break;
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				return fprintf(stderr, "syslat c2c: --format '%s': table|json\n", optarg), 2;
			cfg->json = !strcmp(optarg, "json");
			break;
		case O_SVG: cfg->svg = optarg; break;
		case 'h': return c2c_usage(stdout, 0) - 1;
		default: return c2c_usage(stderr, 2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "syslat c2c: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return 0;
}

int cmd_c2c(int argc, char **argv)
{
	struct c2c_cfg cfg = { .rounds = 10, .iters = 10000 };
	const char *cpus = NULL;
	struct tsc_info ti;
	int rc = parse(&cfg, argc, argv, &cpus);

	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = pick_cpus(&cfg, cpus)) != 0)
		return rc;
	tsc_init(&ti);
	cfg.tsc = &ti;
	rc = c2c_measure(&cfg);
	if (rc)
		return 1;
	if (cfg.json)
		c2c_print_json(stdout, &cfg, argc, argv);
	else
		c2c_print_table(stdout, &cfg);
	if (cfg.svg && c2c_svg(&cfg)) {
		fprintf(stderr, "syslat c2c: --svg %s: gnuplot failed\n", cfg.svg);
		return 1;
	}
	return 0;
}
