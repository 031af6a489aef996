// SPDX-License-Identifier: GPL-2.0
/*
 * syslat hist: the module's in-kernel (exit - entry) histograms, read
 * from debugfs hist_raw (or a saved copy), printed like bcc's
 * print_log2_hist and as a linear view, per CPU and summed; --svg draws
 * the linear view with gnuplot.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "hist.h"
#include "histraw.h"
#include "syslat_abi.h"
#include "tsc.h"
#include "util.h"

#define LOG2_SLOTS 64

/* The module counts TSC ticks: instructions when the guest runs under QEMU -icount. */
static const char *tick_unit(void)
{
	char *cmdline = read_text_file("/proc/cmdline", 1 << 16);
	struct tsc_info ti = { .icount = cmdline && tsc_cmdline_icount(cmdline) };

	free(cmdline);
	return tsc_unit(&ti);
}

struct hist_opts {
	const char *from;	/* NULL: debugfs */
	const char *svg;
	const char *title;
	int per_cpu;
};

static unsigned int log2_slot(uint64_t lo)
{
	unsigned int i = 0;

	while (lo > 1 && i < LOG2_SLOTS - 1) {
		lo >>= 1;
		i++;
	}
	return i;
}

/*
 * Gather one cpu's (or the sum's) buckets into dense arrays; the module's
 * open last linear bucket (hi = UINT64_MAX) is returned apart, so that it
 * is never drawn as an ordinary lin_width-wide bucket.
 */
static uint64_t gather(const struct histraw *h, int cpu, uint64_t *log2, uint64_t *lin, int nlin)
{
	uint64_t over = 0;
	size_t i;

	memset(log2, 0, LOG2_SLOTS * sizeof(*log2));
	memset(lin, 0, (size_t)nlin * sizeof(*lin));
	for (i = 0; i < h->n; i++) {
		const struct histraw_row *r = &h->rows[i];

		if (r->cpu != cpu)
			continue;
		if (r->kind == HR_LOG2) {
			log2[log2_slot(r->lo)] += r->count;
		} else if (r->hi == UINT64_MAX) {
			over += r->count;
		} else {
			uint64_t b = r->lo / h->lin_width;

			lin[b < (uint64_t)nlin ? b : (uint64_t)nlin - 1] += r->count;
		}
	}
	return over;
}

static int nlin_of(const struct histraw *h)
{
	uint64_t max = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->rows[i].kind == HR_LIN && h->rows[i].hi != UINT64_MAX &&
		    h->rows[i].lo / h->lin_width + 1 > max)
			max = h->rows[i].lo / h->lin_width + 1;
	return max > 65536 ? 65536 : (int)max;
}

static void print_one(const struct histraw *h, int cpu, int nlin)
{
	uint64_t log2[LOG2_SLOTS], *lin = calloc((size_t)nlin + 1, sizeof(*lin)), over, lo = 0;
	const char *unit = tick_unit();
	size_t i;

	if (!lin)
		return;
	over = gather(h, cpu, log2, lin, nlin + 1);
	if (cpu == HISTRAW_ALL)
		printf("\nall CPUs: %llu calls, in-kernel time (exit - entry)\n",
		       (unsigned long long)histraw_total(h, cpu, HR_LOG2));
	else
		printf("\ncpu %d: %llu calls, in-kernel time (exit - entry)\n", cpu,
		       (unsigned long long)histraw_total(h, cpu, HR_LOG2));
	print_log2_hist(stdout, log2, LOG2_SLOTS, unit);
	printf("\n  linear, %llu per bucket:\n", (unsigned long long)h->lin_width);
	print_linear_hist(stdout, lin, nlin, 0, h->lin_width, unit);
	for (i = 0; i < h->n; i++)
		if (h->rows[i].cpu == cpu && h->rows[i].kind == HR_LIN && h->rows[i].hi == UINT64_MAX)
			lo = h->rows[i].lo;
	if (over)
		printf("  %llu calls at or above %llu, beyond the linear range "
		       "(load the module with a larger lin_width to resolve them)\n",
		       (unsigned long long)over, (unsigned long long)lo);
	free(lin);
}

/* gnuplot from Debian draws the summed linear view; no SVG code of our own. */
static int write_svg(const struct histraw *h, const struct hist_opts *ho, int nlin)
{
	uint64_t log2[LOG2_SLOTS], *lin = calloc((size_t)nlin + 1, sizeof(*lin)), over;
	char title[512];
	struct gnuplot gp;
	FILE *g;
	int i, rc;

	if (!lin)
		return -ENOMEM;
	over = gather(h, HISTRAW_ALL, log2, lin, nlin + 1);
	rc = gnuplot_open(&gp, ho->svg);
	if (rc) {
		fprintf(stderr, "syslat hist: %s: %s\n", ho->svg, strerror(-rc));
		free(lin);
		return rc;
	}
	g = gp.f;
	gnuplot_quote(title, sizeof(title), ho->title ? ho->title : "syslat: in-kernel time of syscall 500");
	fprintf(g, "set terminal svg size 800,450 dynamic enhanced font 'sans,11' background rgb 'white'\n"
		"set title '%s' noenhanced\nset xlabel 'in-kernel time, exit - entry (%s)'\n"
		"set ylabel 'calls (log scale: the tail stays visible)'\nset logscale y\n"
		"set xrange [0:*]\nset yrange [0.8:*]\nset style fill solid 0.6\nset boxwidth %llu\nset grid ytics\n"
		"plot '-' using 1:2 with boxes title 'all CPUs%s' lc rgb '#3060a0'\n",
		title, tick_unit(), (unsigned long long)h->lin_width, over ? " (calls beyond the linear range not drawn)" : "");
	for (i = 0; i < nlin; i++)
		if (lin[i])
			fprintf(g, "%llu %llu\n", (unsigned long long)(i * h->lin_width + h->lin_width / 2),
				(unsigned long long)lin[i]);
	fprintf(g, "e\n");
	free(lin);
	rc = gnuplot_close(&gp);
	if (rc)
		fprintf(stderr, "syslat hist: gnuplot failed writing %s\n", ho->svg);
	return rc;
}

static int parse(int argc, char **argv, struct hist_opts *ho)
{
	static const struct option lo[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "svg", required_argument, NULL, 's' },
		{ "title", required_argument, NULL, 't' },
		{ "per-cpu", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'f': ho->from = optarg; break;
		case 's': ho->svg = optarg; break;
		case 't': ho->title = optarg; break;
		case 'p': ho->per_cpu = 1; break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: syslat hist [--from FILE] [--per-cpu] [--svg FILE] [--title TEXT]\n"
				"  The module's histograms of in-kernel time (debugfs hist_raw),\n"
				"  log2 (bcc style) and linear, summed over CPUs (--per-cpu: each too).\n"
				"  --from FILE  read a saved hist_raw instead of %s/hist_raw\n"
				"  --svg FILE   plot the summed linear view with gnuplot\n", SYSLAT_DEBUGFS_DIR);
			return c == 'h' ? 1 : -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "syslat hist: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

int cmd_hist(int argc, char **argv)
{
	struct hist_opts ho = { 0 };
	char err[160], *text;
	struct histraw h;
	int rc, nlin, cpu;

	rc = parse(argc, argv, &ho);
	if (rc)
		return rc > 0 ? 0 : 2;
	text = read_text_file(ho.from ? ho.from : SYSLAT_DEBUGFS_DIR "/hist_raw", 64 << 20);
	if (!text) {
		fprintf(stderr, "syslat hist: cannot read %s: %s\n",
			ho.from ? ho.from : SYSLAT_DEBUGFS_DIR "/hist_raw",
			ho.from ? strerror(errno) : "is the module loaded (and are you root)?");
		return 1;
	}
	rc = histraw_parse(text, &h, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "syslat hist: %s\n", err);
		return 1;
	}
	nlin = nlin_of(&h);
	print_one(&h, HISTRAW_ALL, nlin);
	for (cpu = 0; ho.per_cpu && cpu < 4096; cpu++)
		if (histraw_total(&h, cpu, HR_LOG2))
			print_one(&h, cpu, nlin);
	rc = ho.svg ? write_svg(&h, &ho, nlin) : 0;
	if (!rc && ho.svg)
		fprintf(stderr, "syslat hist: wrote %s\n", ho.svg);
	histraw_free(&h);
	return rc ? 1 : 0;
}
