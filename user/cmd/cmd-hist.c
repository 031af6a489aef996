// SPDX-License-Identifier: GPL-2.0
/*
 * syslat hist: the module's in-kernel (exit - entry) histograms, read
 * from debugfs hist_raw (or a saved copy), printed like bcc's
 * print_log2_hist and as the module's own fine buckets (log-linear;
 * linear in a version 1 copy), per CPU and summed; --svg draws the fine
 * buckets with gnuplot.
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

/* The fine rows: the module's log-linear buckets (v2) or linear ones (v1). */
static int fine_kind(const struct histraw_row *r)
{
	return r->kind == HR_LOGLIN || (r->kind == HR_LIN && r->hi != UINT64_MAX);
}

/*
 * One cpu's (or the sum's) log2 view and fine rows, in file order
 * (ascending). A version 1 file's open last linear bucket (hi =
 * UINT64_MAX) is counted apart in *over, never drawn as a bucket.
 */
static struct hist_range *gather(const struct histraw *h, int cpu, uint64_t *log2,
				 int *nfine, uint64_t *over)
{
	struct hist_range *fine = calloc(h->n + 1, sizeof(*fine));
	size_t i;

	memset(log2, 0, LOG2_SLOTS * sizeof(*log2));
	*nfine = 0;
	*over = 0;
	for (i = 0; fine && i < h->n; i++) {
		const struct histraw_row *r = &h->rows[i];

		if (r->cpu != cpu)
			continue;
		if (r->kind == HR_LOG2)
			log2[log2_slot(r->lo)] += r->count;
		else if (fine_kind(r))
			fine[(*nfine)++] = (struct hist_range){ r->lo, r->hi, r->count };
		else
			*over += r->count;
	}
	return fine;
}

static void print_one(const struct histraw *h, int cpu)
{
	uint64_t log2[LOG2_SLOTS], over;
	const char *unit = tick_unit();
	struct hist_range *fine;
	int nfine;

	fine = gather(h, cpu, log2, &nfine, &over);
	if (!fine)
		return;
	if (cpu == HISTRAW_ALL)
		printf("\nall CPUs: %llu calls, in-kernel time (exit - entry)\n",
		       (unsigned long long)histraw_total(h, cpu, HR_LOG2));
	else
		printf("\ncpu %d: %llu calls, in-kernel time (exit - entry)\n", cpu,
		       (unsigned long long)histraw_total(h, cpu, HR_LOG2));
	print_log2_hist(stdout, log2, LOG2_SLOTS, unit);
	if (h->version == 1)
		printf("\n  linear, %llu per bucket, non-empty buckets:\n",
		       (unsigned long long)h->lin_width);
	else
		printf("\n  log-linear (the module's buckets: one per tick below 512, "
		       "then 16 per power of two), non-empty buckets:\n");
	print_range_hist(stdout, fine, nfine, unit);
	if (over)
		printf("  %llu calls beyond the linear range (in the log2 view above)\n",
		       (unsigned long long)over);
	free(fine);
}

/* gnuplot from Debian draws the summed fine rows; no SVG code of our own. */
static int write_svg(const struct histraw *h, const struct hist_opts *ho)
{
	uint64_t log2[LOG2_SLOTS], over;
	struct hist_range *fine;
	char title[512];
	struct gnuplot gp;
	int i, nfine, rc;
	FILE *g;

	fine = gather(h, HISTRAW_ALL, log2, &nfine, &over);
	if (!fine)
		return -ENOMEM;
	rc = gnuplot_open(&gp, ho->svg);
	if (rc) {
		fprintf(stderr, "syslat hist: %s: %s\n", ho->svg, strerror(-rc));
		free(fine);
		return rc;
	}
	g = gp.f;
	gnuplot_quote(title, sizeof(title), ho->title ? ho->title : "syslat: in-kernel time of syscall 500");
	/*
	 * Each box as wide as its bucket (column 3). A log x axis, as the
	 * module's buckets are: one far outlier would otherwise squeeze the
	 * body of a linear axis against its left edge.
	 */
	fprintf(g, "set terminal svg size 800,450 dynamic enhanced font 'sans,11' background rgb 'white'\n"
		"set title '%s' noenhanced\nset xlabel 'in-kernel time, exit - entry (%s, log scale)'\n"
		"set ylabel 'calls (log scale: the tail stays visible)'\nset logscale xy 2\n"
		"set logscale y 10\nset format x '%%g'\n"
		"set xrange [*:*]\nset yrange [0.8:*]\nset style fill solid 0.6\nset grid xtics ytics\n"
		"plot '-' using 1:2:3 with boxes title 'all CPUs%s' lc rgb '#3060a0'\n",
		title, tick_unit(), over ? " (calls beyond the linear range not drawn)" : "");
	for (i = 0; i < nfine; i++)
		fprintf(g, "%.1f %llu %llu\n", ((double)fine[i].lo + (double)fine[i].hi + 1) / 2,
			(unsigned long long)fine[i].count,
			(unsigned long long)(fine[i].hi - fine[i].lo + 1));
	fprintf(g, "e\n");
	free(fine);
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
				"  log2 (bcc style) and fine (the module's log-linear buckets),\n"
				"  summed over CPUs (--per-cpu: each too).\n"
				"  --from FILE  read a saved hist_raw instead of %s/hist_raw\n"
				"  --svg FILE   plot the summed fine buckets with gnuplot\n", SYSLAT_DEBUGFS_DIR);
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
	int rc, cpu;

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
	print_one(&h, HISTRAW_ALL);
	for (cpu = 0; ho.per_cpu && cpu < 4096; cpu++)
		if (histraw_total(&h, cpu, HR_LOG2))
			print_one(&h, cpu);
	rc = ho.svg ? write_svg(&h, &ho) : 0;
	if (!rc && ho.svg)
		fprintf(stderr, "syslat hist: wrote %s\n", ho.svg);
	histraw_free(&h);
	return rc ? 1 : 0;
}
