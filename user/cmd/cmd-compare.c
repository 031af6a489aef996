// SPDX-License-Identifier: GPL-2.0
/*
 * syslat compare BASE.json OTHER.json...: an A/B table per benchmark in
 * the LKP style (median ±%stddev, %change), the change marked
 * significant when the bootstrap 95 % CIs of the medians do not overlap.
 * Every benchmark of every file is printed; one missing from a file
 * shows as "-". --svg draws a grouped bar chart with gnuplot.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "jparse.h"
#include "util.h"

#define CMP_MAX_FILES 16
#define SA_MEDIAN 2	/* index in the sel4bench-style stats array */
#define SA_MEAN 3
#define SA_STDDEV 6

struct cmp_file {
	const char *path;
	struct jv *root;
	const struct jv *results;
	const char *unit;
};

static double stat_at(const struct jv *r, int idx)
{
	const struct jv *a = jv_get(r, "stats");

	return a && a->type == JV_ARR && a->n == 8 ? jv_num(&a->items[idx]) : NAN;
}

static int flag(const struct jv *r, const char *key)
{
	const struct jv *v = jv_get(r, key);

	return v && v->type == JV_BOOL && v->num != 0;
}

/* The result called @name in @f with samples, or NULL: a skipped one is not a zero. */
static const struct jv *find(const struct cmp_file *f, const char *name)
{
	size_t i;

	for (i = 0; f->results && i < f->results->n; i++) {
		const struct jv *r = &f->results->items[i];

		if (jv_str(jv_get(r, "name")) && !strcmp(jv_str(jv_get(r, "name")), name))
			return flag(r, "skipped") || !(stat_at(r, 7) > 0) ? NULL : r;
	}
	return NULL;
}

static int ci(const struct jv *r, double *lo, double *hi)
{
	const struct jv *a = jv_get(r, "ci95_median");

	if (!a || a->type != JV_ARR || a->n != 2)
		return -1;
	*lo = jv_num(&a->items[0]);
	*hi = jv_num(&a->items[1]);
	return isnan(*lo) || isnan(*hi) ? -1 : 0;
}

static int load(struct cmp_file *f, const char *path)
{
	char err[200], *text = read_text_file(path, 256 << 20);

	f->path = path;
	if (!text) {
		fprintf(stderr, "syslat compare: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	f->root = jv_parse(text, strlen(text), err, sizeof(err));
	free(text);
	if (!f->root) {
		fprintf(stderr, "syslat compare: %s: %s\n", path, err);
		return -1;
	}
	f->results = jv_get(f->root, "results");
	f->unit = jv_str(jv_path(f->root, "tsc.unit"));
	if (!f->results || f->results->type != JV_ARR || jv_num(jv_get(f->root, "schema_version")) != 1) {
		fprintf(stderr, "syslat compare: %s: not a syslat result file (schema_version 1 "
			"with a results array)\n", path);
		return -1;
	}
	return 0;
}

/*
 * median ±%stddev, the spread being run to run as LKP's: of the per-round
 * medians (per-call mode), else of the per-round means (batch mode), else
 * of the samples. The samples' own stddev is dominated by rare VM stalls.
 */
static void cell(const struct jv *r)
{
	double med = stat_at(r, SA_MEDIAN), cv = jv_num(jv_get(r, "round_median_cv"));

	if (isnan(cv))
		cv = jv_num(jv_get(r, "round_cv"));
	if (isnan(cv)) {
		double mean = stat_at(r, SA_MEAN), sd = stat_at(r, SA_STDDEV);

		cv = mean > 0 ? sd / mean : NAN;
	}
	if (!r || isnan(med))
		printf("  %10s %6s", "-", "");
	else if (isnan(cv))
		printf("  %10.1f %6s", med, "");
	else
		printf("  %10.1f ±%4.1f%%", med, cv * 100);
}

/* %change of @r against @base, '*' when the CIs of the medians do not overlap. */
static void change(const struct jv *base, const struct jv *r)
{
	double b = stat_at(base, SA_MEDIAN), v = stat_at(r, SA_MEDIAN), blo, bhi, lo, hi;
	int sig;

	if (!base || !r || isnan(b) || isnan(v) || b == 0) {
		printf("  %10s", "");
		return;
	}
	sig = !ci(base, &blo, &bhi) && !ci(r, &lo, &hi) && (lo > bhi || hi < blo);
	printf("  %+8.1f%%%s", (v - b) / b * 100, sig ? "*" : " ");
}

/* Names in order of first appearance over all files. */
static size_t collect_names(const struct cmp_file *f, int nf, const char **names, size_t max)
{
	size_t n = 0, i, k;
	int j;

	for (j = 0; j < nf; j++)
		for (i = 0; i < f[j].results->n; i++) {
			const char *nm = jv_str(jv_get(&f[j].results->items[i], "name"));

			for (k = 0; nm && k < n && strcmp(names[k], nm); k++)
				;
			if (nm && k == n && n < max)
				names[n++] = nm;
		}
	return n;
}

static void print_table(const struct cmp_file *f, int nf, const char **names, size_t n)
{
	size_t i;
	int j;

	for (j = 0; j < nf; j++)
		printf("# [%c] %s (%s)\n", 'A' + j, f[j].path, f[j].unit ? f[j].unit : "?");
	printf("# median ±%%stddev over rounds (of their medians, or means in batch mode); %%change vs A, '*': bootstrap 95 %% "
	       "CIs of the medians do not overlap\n");
	printf("%-18s", "benchmark");
	for (j = 0; j < nf; j++)
		printf("%s  %10s %6s", j ? "    %change" : "", "median", "±%sd");
	printf("\n");
	for (i = 0; i < n; i++) {
		const struct jv *base = find(&f[0], names[i]);
		char partial[40] = "";

		printf("%-18s", names[i]);
		cell(base);
		for (j = 1; j < nf; j++) {
			const struct jv *r = find(&f[j], names[i]);

			change(base, r);
			cell(r);
		}
		for (j = 0; j < nf; j++)	/* an interrupted run's figure is marked */
			if (flag(find(&f[j], names[i]), "partial") && strlen(partial) < sizeof(partial) - 4)
				snprintf(partial + strlen(partial), sizeof(partial) - strlen(partial),
					 "%s%c", partial[0] ? "," : "  PARTIAL: ", 'A' + j);
		printf("%s\n", partial);
	}
}

static int write_svg(const char *path, const struct cmp_file *f, int nf, const char **names, size_t n)
{
	char q[600], unit[64];
	struct gnuplot gp;
	size_t i, k;
	FILE *g;
	int j, err;

	if ((err = gnuplot_open(&gp, path)) != 0)
		return err;
	g = gp.f;
	gnuplot_quote(unit, sizeof(unit), f[0].unit ? f[0].unit : "cycles");
	fprintf(g, "set terminal svg size 1000,500 dynamic font 'sans,10' background rgb 'white'\n"
		"set style data histogram\nset style histogram clustered gap 1\n"
		"set style fill solid 0.7\nset logscale y\nset xtics rotate by -40 noenhanced\n"
		"set ylabel 'median (%s, log scale)'\nset key noenhanced\nplot ", unit);
	for (j = 0; j < nf; j++) {
		gnuplot_quote(q, sizeof(q), f[j].path);
		fprintf(g, "%s'-' using 2:xtic(1) title '%s'", j ? ", " : "", q);
	}
	fprintf(g, "\n");
	for (j = 0; j < nf; j++) {
		for (i = 0; i < n; i++) {
			double v = stat_at(find(&f[j], names[i]), SA_MEDIAN);

			/* a data label in double quotes: no quote or blank inside */
			for (k = 0; names[i][k] && k + 1 < sizeof(q); k++)
				q[k] = strchr("\" \t\\", names[i][k]) ? '_' : names[i][k];
			q[k] = '\0';
			fprintf(g, "\"%s\" %g\n", q, isnan(v) || v <= 0 ? 1e-9 : v);
		}
		fprintf(g, "e\n");
	}
	return gnuplot_close(&gp);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmp_file f[CMP_MAX_FILES] = { 0 };
	const char *svg = NULL, *names[512];
	int c, nf, j, rc = 0;
	size_t n;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 's') {
			svg = optarg;
			continue;
		}
		fprintf(c == 'h' ? stdout : stderr,
			"usage: syslat compare [--svg FILE] BASE.json OTHER.json...\n"
			"  A/B table of syslat result files (2 to %d), LKP style.\n", CMP_MAX_FILES);
		return c == 'h' ? 0 : 2;
	}
	nf = argc - optind;
	if (nf < 2 || nf > CMP_MAX_FILES) {
		fprintf(stderr, "syslat compare: give 2 to %d result files (got %d)\n", CMP_MAX_FILES, nf);
		return 2;
	}
	for (j = 0; j < nf && !rc; j++)
		rc = load(&f[j], argv[optind + j]);
	if (!rc) {
		for (j = 1; j < nf; j++)
			if (f[j].unit && f[0].unit && strcmp(f[j].unit, f[0].unit))
				fprintf(stderr, "syslat compare: warning: %s is in %s, %s in %s\n",
					f[j].path, f[j].unit, f[0].path, f[0].unit);
		n = collect_names(f, nf, names, sizeof(names) / sizeof(names[0]));
		print_table(f, nf, names, n);
		if (svg && write_svg(svg, f, nf, names, n)) {
			fprintf(stderr, "syslat compare: gnuplot failed writing %s\n", svg);
			rc = -1;
		}
	}
	for (j = 0; j < nf; j++)
		jv_free(f[j].root);
	return rc ? 1 : 0;
}
