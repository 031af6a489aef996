// SPDX-License-Identifier: GPL-2.0
/*
 * syslat ipc-sweep: message-size sweeps of IPC, the ping-pong's round trip
 * and bandwidth and the streaming bandwidth per size, over pipe, unix
 * stream and datagram sockets, POSIX mq, shared memory with a futex
 * hand-off, TCP and UDP over loopback; --pairs N runs N independent pairs
 * at once; --process makes the peers processes (sweep.h, sweep-*.c).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "sweep.h"
#include "topo.h"
#include "tsc.h"

#define MAX_SIZE (16ULL << 20)

struct args {
	const char *cpus, *svg, *placement;
	int fmt;		/* 0 table, 1 csv, 2 json */
};

static int usage(FILE *f, int rc)
{
	int i;

	fputs("usage: syslat ipc-sweep [--mech LIST] [--size LIST|A..B[:F]] [--pairs N]\n"
	      "                        [--traffic T] [--process] [--placement P] [--cpus LIST]\n"
	      "                        [--rounds N] [--round-ms N] [--format table|csv|json]\n"
	      "                        [--svg FILE]\n"
	      "  Ping-pong of SIZE-byte messages: round trip (ns) and bandwidth (bytes/s,\n"
	      "  2 x size per round trip); stream (lmbench bw_pipe, bw_unix, bw_tcp): N\n"
	      "  messages one way, then a 1-byte ack: bandwidth (bytes/s, N x size per\n"
	      "  stream) and ns per message. Per size, median of rounds with a 95 % CI.\n"
	      "  -m, --mech LIST      mechanisms, comma-separated (default: all):\n", f);
	for (i = 0; i < sweep_nmechs; i++)
		fprintf(f, "                       %-10s %s\n", sweep_mechs[i].name, sweep_mechs[i].what);
	fputs("  -s, --size LIST      sizes in bytes, k/M suffixes are powers of 1024, e.g.\n"
	      "                       1,64,4k; or A..B[:F], A, A*F, ... up to B (F default 4)\n"
	      "                       (default 1,64,4k,64k,1M; at most 16M)\n"
	      "  -p, --pairs N        N independent pairs at once, plus 1 pair for the scaling\n"
	      "  -t, --traffic T      pingpong|stream|both (default both); no stream for\n"
	      "                       UDP (no flow control) and shm-futex (one buffer)\n"
	      "      --process        peers are processes (fork), not threads\n"
	      "      --placement P    same: both ends of a pair on one CPU (default with\n"
	      "                       --pairs > 1, one pair per CPU); cross: on two CPUs\n"
	      "                       (default for one pair when two CPUs are allowed);\n"
	      "                       smt, llc, package: on two CPUs that are SMT siblings,\n"
	      "                       share the LLC only, or the package only\n"
	      "      --cpus LIST      CPUs to place on, in order (default: all allowed)\n"
	      "  -r, --rounds N       rounds per cell (default 5, at most 64)\n"
	      "      --round-ms N     length of a round (default 10)\n"
	      "  -f, --format F       table (default), csv or json on stdout\n"
	      "      --svg FILE       also plot round trip and both bandwidths against size (gnuplot)\n", f);
	return rc;
}

/* "4k" -> 4096: k and M are powers of 1024 here (message sizes). */
static int one_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || *s == '-')
		return -1;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'M')
		v <<= 20, end++;
	if (*end || v < 1 || v > MAX_SIZE)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_sizes(struct sweep_cfg *cfg, char *arg)
{
	char *dots = strstr(arg, ".."), *colon, *tok, *save;
	size_t a, b, s;
	unsigned long f = 4;

	cfg->nsize = 0;
	if (dots) {
		*dots = 0;
		colon = strchr(dots + 2, ':');
		if (colon) {
			*colon = 0;
			f = strtoul(colon + 1, &tok, 10);
			if (*tok || f < 2 || f > 1024)
				return -1;
		}
		if (one_size(arg, &a) || one_size(dots + 2, &b) || b < a)
			return -1;
		for (s = a; s <= b && cfg->nsize < SWEEP_MAX_SIZES; s *= f)
			cfg->size[cfg->nsize++] = s;
		return s <= b ? -1 : 0;	/* more than SWEEP_MAX_SIZES: refuse, do not cut */
	}
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (cfg->nsize == SWEEP_MAX_SIZES || one_size(tok, &cfg->size[cfg->nsize]))
			return -1;
		cfg->nsize++;
	}
	return cfg->nsize ? 0 : -1;
}

static int parse_mechs(struct sweep_cfg *cfg, char *arg)
{
	char *tok, *save;

	cfg->nmech = 0;
	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct sweep_mech *m = sweep_mech_find(tok);

		if (!m || cfg->nmech == 16) {
			fprintf(stderr, "syslat ipc-sweep: --mech: unknown mechanism '%s'\n", tok);
			return -1;
		}
		cfg->mech[cfg->nmech++] = m;
	}
	return cfg->nmech ? 0 : -1;
}

#define BAD(...) (fprintf(stderr, "syslat ipc-sweep: " __VA_ARGS__), 2)

static int parse_opt(struct sweep_cfg *cfg, struct args *a, int c, char *arg)
{
	uint64_t v;

	switch (c) {
	case 'm':
		return parse_mechs(cfg, arg) ? 2 : 0;
	case 's':
		if (parse_sizes(cfg, arg))
			return BAD("--size: '%s': sizes 1..16M, a list or A..B[:F] (F 2..1024), "
				   "at most %d sizes\n", arg, SWEEP_MAX_SIZES);
		return 0;
	case 'p':
		if (parse_u64(arg, 1, SWEEP_MAX_PAIRS, &v))
			return BAD("--pairs '%s': 1..%d\n", arg, SWEEP_MAX_PAIRS);
		cfg->pairs = (int)v;
		return 0;
	case 'r':
		if (parse_u64(arg, 1, 64, &cfg->rounds))
			return BAD("--rounds '%s': 1..64\n", arg);
		return 0;
	case 'R':
		if (parse_u64(arg, 1, 1000, &cfg->round_ms))
			return BAD("--round-ms '%s': 1..1000\n", arg);
		return 0;
	case 'P':
		a->placement = arg;	/* checked by sweep_place() */
		return 0;
	case 't':
		if (!strcmp(arg, "pingpong") || !strcmp(arg, "stream") || !strcmp(arg, "both")) {
			cfg->traffic = arg[0] == 'p' ? SWEEP_PINGPONG : arg[0] == 's' ? SWEEP_STREAM :
				       SWEEP_PINGPONG | SWEEP_STREAM;
			return 0;
		}
		return BAD("--traffic '%s': pingpong|stream|both\n", arg);
	case 'X': cfg->process = 1; return 0;
	case 'c': a->cpus = arg; return 0;
	case 'S': a->svg = arg; return 0;
	case 'f':
		if (!strcmp(arg, "table") || !strcmp(arg, "csv") || !strcmp(arg, "json")) {
			a->fmt = arg[0] == 't' ? 0 : arg[0] == 'c' ? 1 : 2;
			return 0;
		}
		return BAD("--format '%s': table|csv|json\n", arg);
	case 'h':
		return usage(stdout, 0) - 1;
	default:
		return usage(stderr, 2);
	}
}

static int parse(struct sweep_cfg *cfg, struct args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "mech", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "pairs", required_argument, NULL, 'p' },
		{ "traffic", required_argument, NULL, 't' },
		{ "process", no_argument, NULL, 'X' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "round-ms", required_argument, NULL, 'R' },
		{ "placement", required_argument, NULL, 'P' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "svg", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "m:s:p:t:r:f:h", lo, NULL)) != -1)
		if ((rc = parse_opt(cfg, a, c, optarg)) != 0)
			return rc;
	if (optind < argc)
		return BAD("unexpected argument '%s'\n", argv[optind]);
	return 0;
}

/* The CPUs to place on and the placement: 0 or 2 (what the machine cannot offer). */
static int pick_cpus(struct sweep_cfg *cfg, const struct args *a)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return perror("syslat ipc-sweep: sched_getaffinity"), 2;
	for (c = 0; c < CPU_SETSIZE && cfg->ncpu < SWEEP_MAX_PAIRS * 2; c++) {
		if (a->cpus && !topo_list_has(a->cpus, c))
			continue;
		if (!CPU_ISSET(c, &set)) {
			if (a->cpus)
				return BAD("--cpus: CPU %d is not allowed here\n", c);
			continue;
		}
		cfg->cpus[cfg->ncpu++] = c;
	}
	if (!cfg->ncpu)
		return BAD("--cpus '%s': no CPU\n", a->cpus);
	cfg->placement = a->placement ? a->placement :
			 cfg->pairs > 1 || cfg->ncpu < 2 ? "same" : "cross";
	return sweep_place(cfg);
}

static volatile int stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* ^C or SIGTERM: finish the cell running, print what was gathered, exit 130. */
static void catch_stop(struct sweep_cfg *cfg)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A peer gone mid-stream is reported through poison and EPIPE, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	cfg->stop = &stop_flag;
}

int cmd_ipcsweep(int argc, char **argv)
{
	struct sweep_cfg cfg = { .pairs = 1, .rounds = 5, .round_ms = 10,
				 .traffic = SWEEP_PINGPONG | SWEEP_STREAM,
				 .size = { 1, 64, 4096, 65536, 1048576 }, .nsize = 5 };
	struct args a = { 0 };
	struct tsc_info ti;
	int i, rc;

	for (i = 0; i < sweep_nmechs; i++)
		cfg.mech[cfg.nmech++] = &sweep_mechs[i];
	rc = parse(&cfg, &a, argc, argv);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = pick_cpus(&cfg, &a)) != 0)
		return rc;
	tsc_init(&ti);
	if (ti.khz <= 0)
		return fprintf(stderr, "syslat ipc-sweep: TSC frequency unknown\n"), 1;
	cfg.tsc = &ti;
	catch_stop(&cfg);
	rc = sweep_run(&cfg);
	cfg.interrupted |= stop_flag;
	if (!rc && cfg.interrupted) {
		fprintf(stderr, "syslat ipc-sweep: interrupted: the cells measured so far follow\n");
		rc = 130;
	}
	if (a.fmt == 0) {
		printf("# placement %s, measuring thread > peer:", cfg.placement);
		for (i = 0; i < cfg.pairs; i++)
			printf(" %d>%d", cfg.pair_cpu[i], cfg.pair_peer[i]);
		printf("; peers are %s%s\n", cfg.process ? "processes" : "threads",
		       cfg.interrupted ? "; INTERRUPTED, partial" : "");
		sweep_print_table(stdout, &cfg);
	} else if (a.fmt == 1) {
		sweep_print_csv(stdout, &cfg);
	} else {
		sweep_print_json(stdout, &cfg, argc, argv);
	}
	if (!rc && a.svg && sweep_svg(&cfg, a.svg)) {
		fprintf(stderr, "syslat ipc-sweep: --svg %s: gnuplot failed\n", a.svg);
		rc = 1;
	}
	sweep_free(&cfg);
	return rc;
}
