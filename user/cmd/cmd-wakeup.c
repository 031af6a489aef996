// SPDX-License-Identifier: GPL-2.0
/*
 * syslat wakeup: timer wake-up latency, the cyclictest measurement. One
 * thread pinned to --cpu sleeps with clock_nanosleep(CLOCK_MONOTONIC,
 * TIMER_ABSTIME) to deadlines --interval apart and reads the clock on
 * waking: latency = wake time - deadline, in ns. SCHED_FIFO 95 is tried
 * (recorded whether it worked); --cpu-dma-latency N holds
 * /dev/cpu_dma_latency open with N us for the run, as cyclictest does.
 * Output: the cyclictest histogram (one bucket per us, "# Total",
 * "# Min/Avg/Max Latencies", "# Histogram Overflows") plus ns figures,
 * or JSON. ^C stops early and prints what was measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "cmds.h"
#include "json.h"
#include "opts.h"
#include "runner.h"
#include "topo.h"

struct wk {
	uint64_t interval_us, loops, hist_us;
	int cpu, json, dma_fd;
	long long dma;		/* -1: not set */
	char policy[64];
	uint64_t *hist;		/* hist_us buckets of 1 us */
	uint64_t n, over, sum_ns, min_ns, max_ns;
};

static int wk_usage(FILE *f, int rc)
{
	fputs("usage: syslat wakeup [--interval US] [--loops N] [--cpu N] [--hist US]\n"
	      "                     [--cpu-dma-latency US] [--format table|json]\n"
	      "  Timer wake-up latency (cyclictest): absolute clock_nanosleep deadlines,\n"
	      "  wake time - deadline per loop; SCHED_FIFO 95 when permitted.\n"
	      "  -i, --interval US        period (default 1000, 10..1000000)\n"
	      "  -l, --loops N            wake-ups (default 10000)\n"
	      "  -c, --cpu N              CPU (default: the first allowed)\n"
	      "      --hist US            histogram buckets of 1 us (default 1000)\n"
	      "      --cpu-dma-latency US hold /dev/cpu_dma_latency at US for the run\n"
	      "  -f, --format F           table (default) or json\n", f);
	return rc;
}

static int num(const char *name, const char *arg, uint64_t lo, uint64_t hi, uint64_t *v)
{
	if (!parse_u64(arg, lo, hi, v))
		return 0;
	fprintf(stderr, "syslat wakeup: --%s '%s': a number in %llu..%llu\n", name, arg,
		(unsigned long long)lo, (unsigned long long)hi);
	return 2;
}

static int wk_parse(struct wk *w, int argc, char **argv)
{
	enum { O_HIST = 256, O_DMA };
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'i' }, { "loops", required_argument, NULL, 'l' },
		{ "cpu", required_argument, NULL, 'c' }, { "hist", required_argument, NULL, O_HIST },
		{ "cpu-dma-latency", required_argument, NULL, O_DMA },
		{ "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c, rc = 0;

	optind = 0;
	while (!rc && (c = getopt_long(argc, argv, "i:l:c:f:h", lo, NULL)) != -1) {
		switch (c) {
		case 'i': rc = num("interval", optarg, 10, 1000000, &w->interval_us); break;
		case 'l': rc = num("loops", optarg, 1, 100000000, &w->loops); break;
		case O_HIST: rc = num("hist", optarg, 1, 1000000, &w->hist_us); break;
		case 'c': rc = num("cpu", optarg, 0, CPU_SETSIZE - 1, &v); w->cpu = (int)v; break;
		case O_DMA: rc = num("cpu-dma-latency", optarg, 0, 2000000000, &v);
			w->dma = (long long)v; break;
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				rc = (fprintf(stderr, "syslat wakeup: --format: table|json\n"), 2);
			w->json = !strcmp(optarg, "json");
			break;
		case 'h': return wk_usage(stdout, 0) - 1;
		default: return wk_usage(stderr, 2);
		}
	}
	if (!rc && optind < argc)
		rc = (fprintf(stderr, "syslat wakeup: unexpected argument '%s'\n", argv[optind]), 2);
	return rc;
}

/* Pin, SCHED_FIFO if permitted, cpu_dma_latency if asked: 0 or 2 (printed). */
static int wk_prepare(struct wk *w)
{
	struct sched_param sp = { .sched_priority = 95 };
	int32_t dma = (int32_t)w->dma;
	cpu_set_t set;
	int c, err;

	if (w->cpu < 0 && sched_getaffinity(0, sizeof(set), &set) == 0)
		for (c = 0; c < CPU_SETSIZE && w->cpu < 0; c++)
			if (CPU_ISSET(c, &set))
				w->cpu = c;
	if ((err = place_pin_self(w->cpu)) != 0) {
		fprintf(stderr, "syslat wakeup: cannot run on CPU %d: %s\n", w->cpu, strerror(-err));
		return 2;
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp) == 0)
		snprintf(w->policy, sizeof(w->policy), "SCHED_FIFO 95");
	else
		snprintf(w->policy, sizeof(w->policy), "SCHED_OTHER (SCHED_FIFO: %s)", strerror(errno));
	if (w->dma < 0)
		return 0;
	w->dma_fd = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC);
	if (w->dma_fd < 0 || write(w->dma_fd, &dma, sizeof(dma)) != sizeof(dma)) {
		fprintf(stderr, "syslat wakeup: /dev/cpu_dma_latency: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}

static void wk_add(struct wk *w, uint64_t ns)
{
	uint64_t us = ns / 1000;

	if (us < w->hist_us)
		w->hist[us]++;
	else
		w->over++;
	w->n++;
	w->sum_ns += ns;
	if (ns < w->min_ns)
		w->min_ns = ns;
	if (ns > w->max_ns)
		w->max_ns = ns;
}

static void wk_loop(struct wk *w)
{
	struct timespec next, now;
	uint64_t k;
	long long d;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (k = 0; k < w->loops && !syslat_stop; k++) {
		next.tv_nsec += (long)(w->interval_us * 1000);
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL))
			continue;	/* EINTR: ^C, the loop condition stops */
		clock_gettime(CLOCK_MONOTONIC, &now);
		d = (long long)(now.tv_sec - next.tv_sec) * 1000000000LL + (now.tv_nsec - next.tv_nsec);
		wk_add(w, d > 0 ? (uint64_t)d : 0);
	}
}

static void wk_table(const struct wk *w)
{
	uint64_t i, last = 0;

	printf("# syslat wakeup: CPU %d, %s, interval %llu us, %llu wake-ups%s\n", w->cpu, w->policy,
	       (unsigned long long)w->interval_us, (unsigned long long)w->n,
	       syslat_stop ? " (interrupted)" : "");
	for (i = 0; i < w->hist_us; i++)
		if (w->hist[i])
			last = i;
	printf("# Histogram\n");
	for (i = 0; i <= last; i++)
		printf("%06llu %06llu\n", (unsigned long long)i, (unsigned long long)w->hist[i]);
	printf("# Total: %09llu\n# Min Latencies: %05llu\n# Avg Latencies: %05llu\n"
	       "# Max Latencies: %05llu\n# Histogram Overflows: %05llu\n",
	       (unsigned long long)w->n, (unsigned long long)(w->n ? w->min_ns / 1000 : 0),
	       (unsigned long long)(w->n ? w->sum_ns / w->n / 1000 : 0),
	       (unsigned long long)(w->max_ns / 1000), (unsigned long long)w->over);
	printf("# ns: min %llu avg %llu max %llu\n", (unsigned long long)(w->n ? w->min_ns : 0),
	       (unsigned long long)(w->n ? w->sum_ns / w->n : 0), (unsigned long long)w->max_ns);
}

static void wk_json(const struct wk *w)
{
	json_writer_t *j = jsonw_new(stdout);
	uint64_t i;

	jsonw_start_object(j);
	jsonw_uint_field(j, "schema_version", 1);
	jsonw_string_field(j, "tool", "syslat wakeup");
	jsonw_int_field(j, "cpu", w->cpu);
	topo_ids_json(j, "cpu_ids", w->cpu);
	jsonw_string_field(j, "policy", w->policy);
	jsonw_uint_field(j, "interval_us", w->interval_us);
	jsonw_uint_field(j, "wakeups", w->n);
	jsonw_bool_field(j, "partial", syslat_stop != 0);
	jsonw_uint_field(j, "min_ns", w->n ? w->min_ns : 0);
	jsonw_float_field(j, "avg_ns", w->n ? (double)w->sum_ns / (double)w->n : 0);
	jsonw_uint_field(j, "max_ns", w->max_ns);
	jsonw_uint_field(j, "overflows", w->over);
	jsonw_name(j, "hist_us");	/* [bucket (us), count] for non-empty buckets */
	jsonw_start_array(j);
	for (i = 0; i < w->hist_us; i++) {
		if (!w->hist[i])
			continue;
		jsonw_start_array(j);
		jsonw_uint(j, i);
		jsonw_uint(j, w->hist[i]);
		jsonw_end_array(j);
	}
	jsonw_end_array(j);
	jsonw_end_object(j);
	jsonw_destroy(&j);
}

int cmd_wakeup(int argc, char **argv)
{
	struct wk w = { .interval_us = 1000, .loops = 10000, .hist_us = 1000, .cpu = -1,
			.dma_fd = -1, .dma = -1, .min_ns = UINT64_MAX };
	int rc = wk_parse(&w, argc, argv);

	if (rc)
		return rc < 0 ? 0 : rc;
	w.hist = calloc(w.hist_us, sizeof(*w.hist));
	if (!w.hist)
		return 1;
	runner_catch_sigint();
	rc = wk_prepare(&w);
	if (!rc) {
		wk_loop(&w);
		if (w.json)
			wk_json(&w);
		else
			wk_table(&w);
		rc = syslat_stop ? 130 : 0;
	}
	if (w.dma_fd >= 0)
		close(w.dma_fd);	/* releases the latency request */
	free(w.hist);
	return rc;
}
