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
#include "jparse.h"
#include "util.h"

#define CMP_MAX_FILES 64
#define CMP_MAX_COLS 16
#define CMP_MAX_RUNS 1024

struct cmp_file {
	const char *path;
	struct jv *root;
	const struct jv *results;
	const char *unit;
	double khz;
	int freq_known;
};

struct col {
	struct cmp_file *f[CMP_MAX_FILES];
	int nf;
	char label[200];
};

/* What a side is for one benchmark. */
struct cell {
	double v[CMP_MAX_RUNS];		/* run figures (ticks, or ns when converted) */
	size_t n;
	const struct jv *r;		/* first result seen */
	const struct cmp_file *f;	/* its file */
	char why[160];			/* the side itself mixes incompatible files */
	int lead_mean;
};

static int flag(const struct jv *r, const char *key)
{
	const struct jv *v = jv_get(r, key);

	return v && v->type == JV_BOOL && v->num != 0;
}

static const char *s_or(const struct jv *r, const char *key, const char *dflt)
{
	const char *s = jv_str(jv_get(r, key));

	return s ? s : dflt;
}

/* "same"/"cross"/"none" (schema 1 files: from cpu and peer_cpu) */
static const char *placement(const struct jv *r)
{
	double c = jv_num(jv_get(r, "cpu")), p = jv_num(jv_get(r, "peer_cpu"));

	if (jv_str(jv_get(r, "placement")))
		return jv_str(jv_get(r, "placement"));
	return !(p >= 0) ? "none" : c == p ? "same" : "cross";
}

static const char *armed(const struct jv *r)
{
	const struct jv *a = jv_get(r, "armed");

	return !a || a->type != JV_BOOL ? "n/a" : a->num ? "armed" : "disarmed";
}

/* Why results @a (in @fa) and @b (in @fb) cannot be compared; "" if they can. */
static void why_not(const struct jv *a, const struct cmp_file *fa, const struct jv *b,
		    const struct cmp_file *fb, char *why, size_t len)
{
	const char *ka[] = { s_or(a, "mode", "percall"), placement(a),
			     flag(a, "process") ? "process" : "thread", armed(a),
			     flag(a, "streamed") ? "streamed" : "exact" };
	const char *kb[] = { s_or(b, "mode", "percall"), placement(b),
			     flag(b, "process") ? "process" : "thread", armed(b),
			     flag(b, "streamed") ? "streamed" : "exact" };
	static const char *const what[] = { "mode", "placement", "peer", "module", "samples" };
	size_t i;

	why[0] = '\0';
	if (strcmp(fa->unit ? fa->unit : "?", fb->unit ? fb->unit : "?")) {
		snprintf(why, len, "unit %s vs %s", fa->unit ? fa->unit : "?", fb->unit ? fb->unit : "?");
		return;
	}
	for (i = 0; i < sizeof(ka) / sizeof(ka[0]); i++) {
		if (strcmp(ka[i], kb[i])) {
			snprintf(why, len, "%s %s vs %s", what[i], ka[i], kb[i]);
			return;
		}
	}
	if (fa->unit && !strcmp(fa->unit, "cycles") && fabs(fa->khz / fb->khz - 1) > 0.001 &&
	    !(fa->freq_known && fb->freq_known))
		snprintf(why, len, "TSC %.0f vs %.0f MHz, frequency not known", fa->khz / 1000,
			 fb->khz / 1000);
}

/* Compare ns rather than ticks: the two TSC rates differ and both are known. */
static int use_ns(const struct col *c, int ncol)
{
	int i, j;

	for (i = 0; i < ncol; i++)
		for (j = 0; j < c[i].nf; j++)
			if (c[i].f[j]->unit && !strcmp(c[i].f[j]->unit, "cycles") &&
			    fabs(c[i].f[j]->khz / c[0].f[0]->khz - 1) > 0.001)
				return 1;
	return 0;
}

/* The result called @name in @f with samples, or NULL: a skipped one is not a zero. */
static const struct jv *find(const struct cmp_file *f, const char *name)
{
	size_t i;

	for (i = 0; f->results && i < f->results->n; i++) {
		const struct jv *r = &f->results->items[i];
		const struct jv *st = jv_get(r, "stats");

		if (jv_str(jv_get(r, "name")) && !strcmp(jv_str(jv_get(r, "name")), name))
			return flag(r, "skipped") || !st || st->type != JV_ARR || st->n != 8 ||
			       !(jv_num(&st->items[7]) > 0) ? NULL : r;
	}
	return NULL;
}

static int leads_mean(const struct jv *r)
{
	const char *l = jv_str(jv_path(r, "estimates.lead"));

	return l && !strcmp(l, "trimmed_mean");
}

/* Run figures of @r into c: runs[].median or .trimmed_mean (schema 1: the one median). */
static void add_runs(struct cell *c, const struct jv *r, double k, int mean)
{
	const struct jv *runs = jv_get(r, "runs");
	size_t i;

	if (!runs || runs->type != JV_ARR || !runs->n) {
		const struct jv *st = jv_get(r, "stats");

		if (c->n < CMP_MAX_RUNS)
			c->v[c->n++] = jv_num(&st->items[mean ? 3 : 2]) * k;
		return;
	}
	for (i = 0; i < runs->n && c->n < CMP_MAX_RUNS; i++) {
		const struct jv *x = &runs->items[i];
		double v = jv_num(jv_get(x, mean ? "trimmed_mean" : "median"));

		if (mean && isnan(v))
			v = jv_num(jv_get(x, "mean"));
		if (isfinite(v) && (jv_num(jv_get(x, "n")) > 0 || isnan(jv_num(jv_get(x, "n")))))
			c->v[c->n++] = v * k;
	}
}

static void fill(struct cell *c, const struct col *col, const char *name, int mean, int ns)
{
	int j;

	memset(c, 0, sizeof(*c));
	for (j = 0; j < col->nf; j++) {
		const struct jv *r = find(col->f[j], name);
		char why[120];

		if (!r)
			continue;
		if (!c->r) {
			c->r = r;
			c->f = col->f[j];
		} else if (!c->why[0]) {
			why_not(c->r, c->f, r, col->f[j], why, sizeof(why));
			if (why[0])
				snprintf(c->why, sizeof(c->why), "mixes %s", why);
		}
		c->lead_mean |= leads_mean(r);
		add_runs(c, r, ns ? 1e6 / col->f[j]->khz : 1, mean);
	}
}

static double mean_of(const struct cell *c)
{
	double s = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		s += c->v[i];
	return c->n ? s / (double)c->n : NAN;
}

static void print_cell(const struct cell *c)
{
	if (!c->r)
		printf("  %10s %5s", "-", "");
	else
		printf("  %10.1f (%3zu)", mean_of(c), c->n);
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
		why_not(base->r, base->f, c->r, c->f, why, len);
	if (why[0]) {
		printf("  %26s", "not comparable");
		return -1;
	}
	sig = ci_change_welch(base->v, base->n, c->v, c->n, &pct, &lo, &hi);
	if (isnan(pct)) {	/* a side with one run: the change alone, no CI, no star */
		double b = mean_of(base);

		printf("  %+7.1f%% %-17s", b > 0 ? (mean_of(c) / b - 1) * 100 : NAN, "[1 run: no CI]");
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
		fill(&cells[j], &c[j], name, 0, ns);
		mean |= cells[j].lead_mean;
	}
	for (j = 0; mean && j < ncol; j++)
		fill(&cells[j], &c[j], name, 1, ns);
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
		if (cells[j].r && flag(cells[j].r, "partial"))
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
	int j, ns = use_ns(c, ncol);
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
				fill(cl, &c[j], names[i], 0, 0);
				v = mean_of(cl);
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

static int load(struct cmp_file *f, const char *path)
{
	char err[200], *text = read_text_file(path, 256 << 20);
	double v;
	const char *src;

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
	f->khz = jv_num(jv_path(f->root, "tsc.khz"));
	src = jv_str(jv_path(f->root, "tsc.source"));
	f->freq_known = jv_get(jv_get(f->root, "tsc"), "frequency_known") ?
			flag(jv_get(f->root, "tsc"), "frequency_known") :
			src && strcmp(src, "none") && strncmp(src, "calibrated", 10);
	v = jv_num(jv_get(f->root, "schema_version"));
	if (!f->results || f->results->type != JV_ARR || !(v == 1 || v == 2)) {
		fprintf(stderr, "syslat compare: %s: not a syslat result file (schema_version 1 or 2 "
			"with a results array)\n", path);
		return -1;
	}
	return 0;
}

/* "a.json,b.json" -> the files of one column. */
static int load_col(struct col *c, char *spec, struct cmp_file *pool, int *used)
{
	char *save = NULL, *p;

	snprintf(c->label, sizeof(c->label), "%s", spec);
	for (p = strtok_r(spec, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (*used == CMP_MAX_FILES || c->nf == CMP_MAX_FILES) {
			fprintf(stderr, "syslat compare: more than %d files\n", CMP_MAX_FILES);
			return -1;
		}
		c->f[c->nf] = &pool[(*used)++];
		if (load(c->f[c->nf++], p))
			return -1;
	}
	return c->nf ? 0 : -1;
}

static int usage(int c)
{
	fprintf(c == 'h' ? stdout : stderr,
		"usage: syslat compare [--svg FILE] A.json[,A2.json...] B.json[,B2.json...]...\n"
		"  A/B table of syslat result files (2 to %d columns). A column of several\n"
		"  comma-separated files pools their runs (boots, separate invocations).\n"
		"  %%change vs A with its 95 %% CI over runs; '*' only when the CI excludes 0;\n"
		"  rows that differ in unit, mode, placement, thread/process, module state,\n"
		"  streamed samples or unknown TSC rates are marked not comparable, with why.\n",
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
		rc = load_col(&cols[j], argv[optind + j], pool, &used);
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
