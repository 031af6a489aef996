// SPDX-License-Identifier: GPL-2.0
/*
 * syslat compare A[,A2...] B[,B2...]...: an A/B table per benchmark. A
 * column is one or more result files (boots, separate invocations) whose
 * runs are pooled. The figure of a side is the mean over its runs of each
 * run's median (or trimmed mean where the TSC step is a sizable part of
 * it, as the run table does); the %change comes with its own 95 % CI
 * (Welch t over the runs' log figures, ci.h) and is starred only when
 * that CI excludes 0. Rows that cannot be compared say why instead of a
 * number: unit, mode, placement, thread/process, armed state, streamed
 * vs exact, TSC rates that differ without a known frequency (with both
 * frequencies known, ns are compared). --svg draws a bar chart.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "cmds.h"
#include "cmpfile.h"
#include "jparse.h"
#include "util.h"

static void print_cell(const struct cell *c)
{
	if (!c->r)
		printf("  %10s %5s", "-", "");
	else
		printf("  %10.1f (%3zu)", cmp_mean(c), c->n);
}

/* %change of @c against @base, with its CI; 1 when starred, -1 when not comparable. */
static int print_change(const struct cell *base, const struct cell *c, char *why, size_t len)
{
	double pct, lo, hi;
	int sig;

	why[0] = '\0';
	if (!base->r || !c->r) {
		printf("  %26s", "");
		return 0;
	}
	if (base->why[0] || c->why[0])
		snprintf(why, len, "%s", base->why[0] ? base->why : c->why);
	else
		cmp_why_not(base->r, base->f, c->r, c->f, why, len);
	if (why[0]) {
		printf("  %26s", "not comparable");
		return -1;
	}
	sig = ci_change_welch(base->v, base->n, c->v, c->n, &pct, &lo, &hi);
	if (isnan(pct)) {	/* a side with one run: the change alone, no CI, no star */
		double b = cmp_mean(base);

		printf("  %+7.1f%% %-17s", b > 0 ? (cmp_mean(c) / b - 1) * 100 : NAN, "[1 run: no CI]");
		return 0;
	}
	printf("  %+7.1f%% [%+6.1f,%+6.1f]%s", pct, lo, hi, sig ? "*" : " ");
	return sig;
}

struct tally {
	int rows, flagged, refused;
};

static void print_row(const struct col *c, int ncol, const char *name, int ns, struct tally *t)
{
	struct cell *cells = calloc((size_t)ncol, sizeof(*cells));
	char why[160], reasons[400] = "";
	int j, mean = 0;

	if (!cells)
		return;
	for (j = 0; j < ncol; j++) {	/* one statistic for the whole row */
		cmp_fill(&cells[j], &c[j], name, 0, ns);
		mean |= cells[j].lead_mean;
	}
	for (j = 0; mean && j < ncol; j++)
		cmp_fill(&cells[j], &c[j], name, 1, ns);
	printf("%-16s %-4s", name, mean ? "mean" : "p50");
	print_cell(&cells[0]);
	for (j = 1; j < ncol; j++) {
		int st = print_change(&cells[0], &cells[j], why, sizeof(why));

		print_cell(&cells[j]);
		if (st >= 0 && cells[0].r && cells[j].r) {
			t->rows++;
			t->flagged += st;
		} else if (st < 0) {
			t->refused++;
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
				 "  [%c: %s]", 'A' + j, why);
		}
	}
	for (j = 0; j < ncol; j++)	/* an interrupted run's figure is marked */
		if (cells[j].r && cmp_flag(cells[j].r, "partial"))
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
				 "  PARTIAL %c", 'A' + j);
	printf("%s\n", reasons);
	free(cells);
}

/* Names in order of first appearance over all files. */
static size_t collect_names(const struct col *c, int ncol, const char **names, size_t max)
{
	size_t n = 0, i, k;
	int j, f;

	for (j = 0; j < ncol; j++)
		for (f = 0; f < c[j].nf; f++)
			for (i = 0; i < c[j].f[f]->results->n; i++) {
				const char *nm = jv_str(jv_get(&c[j].f[f]->results->items[i], "name"));

				for (k = 0; nm && k < n && strcmp(names[k], nm); k++)
					;
				if (nm && k == n && n < max)
					names[n++] = nm;
			}
	return n;
}

static void print_table(const struct col *c, int ncol, const char **names, size_t n)
{
	struct tally t = { 0 };
	int j, ns = cmp_use_ns(c, ncol);
	size_t i;

	for (j = 0; j < ncol; j++)
		printf("# [%c] %s (%s)\n", 'A' + j, c[j].label,
		       ns ? "ns" : c[j].f[0]->unit ? c[j].f[0]->unit : "?");
	printf("# figure: mean over runs (count in parentheses) of each run's median, or of its "
	       "trimmed mean ('mean': TSC step sizable)\n# %%change vs A with its 95 %% CI "
	       "(Welch t over the runs' logs); '*': the CI excludes 0%s\n",
	       ns ? "; TSC rates differ, both known: ns compared" : "");
	printf("%-16s %-4s  %10s %5s", "benchmark", "stat", "A", "(runs)");
	for (j = 1; j < ncol; j++)
		printf("  %26s  %10c %5s", "%change [95% CI]", 'A' + j, "(runs)");
	printf("\n");
	for (i = 0; i < n; i++)
		print_row(c, ncol, names[i], ns, &t);
	printf("# flagged %d of %d compared rows; %d not comparable\n", t.flagged, t.rows, t.refused);
}

static int write_svg(const char *path, const struct col *c, int ncol, const char **names, size_t n)
{
	char q[600], unit[64];
	struct gnuplot gp;
	size_t i, k;
	FILE *g;
	int j, err;

	if ((err = gnuplot_open(&gp, path)) != 0)
		return err;
	g = gp.f;
	gnuplot_quote(unit, sizeof(unit), c[0].f[0]->unit ? c[0].f[0]->unit : "cycles");
	fprintf(g, "set terminal svg size 1000,500 dynamic font 'sans,10' background rgb 'white'\n"
		"set style data histogram\nset style histogram clustered gap 1\n"
		"set style fill solid 0.7\nset logscale y\nset xtics rotate by -40 noenhanced\n"
		"set ylabel 'median (%s, log scale)'\nset key noenhanced\nplot ", unit);
	for (j = 0; j < ncol; j++) {
		gnuplot_quote(q, sizeof(q), c[j].label);
		fprintf(g, "%s'-' using 2:xtic(1) title '%s'", j ? ", " : "", q);
	}
	fprintf(g, "\n");
	for (j = 0; j < ncol; j++) {
		for (i = 0; i < n; i++) {
			struct cell *cl = malloc(sizeof(*cl));
			double v = NAN;

			if (cl) {
				cmp_fill(cl, &c[j], names[i], 0, 0);
				v = cmp_mean(cl);
				free(cl);
			}
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

static int usage(int c)
{
	fprintf(c == 'h' ? stdout : stderr,
		"usage: syslat compare [--svg FILE] A.json[,A2.json...] B.json[,B2.json...]...\n"
		"  A/B table of syslat result files (2 to %d columns). A column of several\n"
		"  comma-separated files pools their runs (boots, separate invocations).\n"
		"  %%change vs A with its 95 %% CI over runs; '*' only when the CI excludes 0;\n"
		"  rows that differ in unit, mode, placement, thread/process, module state,\n"
		"  streamed samples or unknown TSC rates are marked not comparable, with why.\n"
		"  A file may also be sel4bench's output (a seL4 console log or its JSON).\n",
		CMP_MAX_COLS);
	return c == 'h' ? 0 : 2;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct cmp_file pool[CMP_MAX_FILES];
	struct col cols[CMP_MAX_COLS];
	const char *svg = NULL, *names[512];
	int c, ncol, j, rc = 0, used = 0;
	size_t n;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c != 's')
			return usage(c);
		svg = optarg;
	}
	ncol = argc - optind;
	if (ncol < 2 || ncol > CMP_MAX_COLS) {
		fprintf(stderr, "syslat compare: give 2 to %d columns of result files (got %d)\n",
			CMP_MAX_COLS, ncol);
		return 2;
	}
	memset(cols, 0, sizeof(cols));
	memset(pool, 0, sizeof(pool));
	for (j = 0; j < ncol && !rc; j++)
		rc = cmp_load_col(&cols[j], argv[optind + j], pool, &used);
	if (!rc) {
		n = collect_names(cols, ncol, names, sizeof(names) / sizeof(names[0]));
		print_table(cols, ncol, names, n);
		if (svg && write_svg(svg, cols, ncol, names, n)) {
			fprintf(stderr, "syslat compare: gnuplot failed writing %s\n", svg);
			rc = -1;
		}
	}
	for (j = 0; j < used; j++)
		jv_free(pool[j].root);
	return rc ? 1 : 0;
}
