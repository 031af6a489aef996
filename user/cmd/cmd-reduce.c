// SPDX-License-Identifier: GPL-2.0
/*
 * syslat reduce LOG...: the reference experiment's reduction. Reads the
 * serial-console logs of guest runs (console.h: one JSON result per
 * block, labelled "kernel=K config=C boot=N"), pools the per-round
 * figures of every boot per (kernel, config, benchmark) and prints the
 * avg / median / q1 / q3 table of the EuroSys'21 Table 1 (numpy's
 * quantiles, as its process script), in the guests' unit; ns only when
 * the unit is cycles. --out DIR writes summary.csv and summary.json.
 * A label may name the program that produced the block ("prog=syslat-mini",
 * the program that runs unchanged on every system of vm-bench --system):
 * it joins the platform, and --side-by-side prints those platforms as the
 * rows of one more table, one column per operation, so that the systems
 * are compared like with like.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "console.h"
#include "json.h"
#include "stats.h"
#include "util.h"

struct cell {
	char platform[160];	/* "6.12.117+deb12-amd64 default" [+ " syslat-mini"] */
	int side;		/* a side-by-side row: a block that names its prog (or an importer of
				 * another system's results that sets it) */
	char name[48], title[64], unit[40];
	double *v;		/* pooled per-round values */
	size_t n, cap;
	double khz_sum;		/* for the mean TSC frequency of the boots */
	unsigned int boots;
	uint64_t disturbed, excluded;	/* rounds, from the results' interference */
	struct stats st;
};

struct reduce {
	struct cell *c;
	size_t n, cap;
};

/* "kernel=K config=C boot=N [prog=P]" -> "K C [P]" (the boot number
 * pools); 1 when the label names a prog. */
static int platform_of(const char *label, char *out, size_t len)
{
	char k[96] = "?", c[48] = "?", g[32] = "";
	const char *p;

	if ((p = strstr(label, "kernel=")))
		sscanf(p + 7, "%95s", k);
	if ((p = strstr(label, "config=")))
		sscanf(p + 7, "%47s", c);
	if ((p = strstr(label, "prog=")))
		sscanf(p + 5, "%31s", g);
	snprintf(out, len, "%s %s%s%s", k, c, g[0] ? " " : "", g);
	return g[0] != 0;
}

static struct cell *cell_get(struct reduce *r, const char *plat, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->c[i].platform, plat) && !strcmp(r->c[i].name, name))
			return &r->c[i];
	if (r->n == r->cap) {
		struct cell *nc = realloc(r->c, (r->cap ? r->cap * 2 : 32) * sizeof(*nc));

		if (!nc)
			return NULL;
		r->c = nc;
		r->cap = r->cap ? r->cap * 2 : 32;
	}
	memset(&r->c[r->n], 0, sizeof(r->c[0]));
	snprintf(r->c[r->n].platform, sizeof(r->c[0].platform), "%s", plat);
	snprintf(r->c[r->n].name, sizeof(r->c[0].name), "%s", name);
	return &r->c[r->n++];
}

static int push(struct cell *c, double v)
{
	if (c->n == c->cap) {
		double *nv = realloc(c->v, (c->cap ? c->cap * 2 : 64) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		c->v = nv;
		c->cap = c->cap ? c->cap * 2 : 64;
	}
	c->v[c->n++] = v;
	return 0;
}

/* One benchmark result of one boot: its per-round means, pooled. */
static int add_result(struct reduce *r, const char *plat, int side, const struct jv *res,
		      const char *unit, double khz, const char *where)
{
	const char *name = jv_str(jv_get(res, "name")), *title = jv_str(jv_get(res, "title"));
	const struct jv *rm = jv_get(res, "round_means");
	struct cell *c;
	size_t i;

	if (jv_get(res, "skipped") && jv_get(res, "skipped")->num)
		return 0;
	if (rm && rm->type == JV_ARR && !rm->n)
		return 0;	/* no rounds (the noop phases, or none completed): nothing to pool */
	if (jv_get(res, "partial") && jv_get(res, "partial")->num)
		fprintf(stderr, "syslat reduce: warning: %s: %s is from an interrupted run (partial)\n",
			where, name ? name : "?");
	if (!name || !rm || rm->type != JV_ARR || !rm->n) {
		fprintf(stderr, "syslat reduce: %s: result %s has no round_means\n", where,
			name ? name : "(unnamed)");
		return -EINVAL;
	}
	if (!(c = cell_get(r, plat, name)))
		return -ENOMEM;
	c->side = side;
	snprintf(c->title, sizeof(c->title), "%s", title ? title : name);
	if (c->unit[0] && strcmp(c->unit, unit)) {
		fprintf(stderr, "syslat reduce: %s: %s mixes %s and %s\n", where, plat, c->unit, unit);
		return -EINVAL;
	}
	snprintf(c->unit, sizeof(c->unit), "%s", unit);
	c->khz_sum += khz;
	c->boots++;
	if (jv_num(jv_path(res, "interference.rounds_disturbed")) > 0) {
		c->disturbed += (uint64_t)jv_num(jv_path(res, "interference.rounds_disturbed"));
		c->excluded += (uint64_t)fmax(0, jv_num(jv_path(res, "interference.rounds_excluded")));
		fprintf(stderr, "syslat reduce: note: %s: %s: %.0f rounds disturbed, %.0f excluded "
			"(interference on the measuring CPU)\n", where, name,
			jv_num(jv_path(res, "interference.rounds_disturbed")),
			fmax(0, jv_num(jv_path(res, "interference.rounds_excluded"))));
	}
	for (i = 0; i < rm->n; i++)
		if (isnan(jv_num(&rm->items[i])) || push(c, jv_num(&rm->items[i])))
			return -EINVAL;
	return 0;
}

static int add_log(struct reduce *r, const char *path)
{
	char err[256], plat[160], where[400], *text = read_text_file(path, 256 << 20);
	struct console_block *b;
	size_t n, i, k;
	int rc = 0;

	if (!text) {
		fprintf(stderr, "syslat reduce: cannot read %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (console_parse(text, strlen(text), &b, &n, err, sizeof(err))) {
		fprintf(stderr, "syslat reduce: %s: %s\n", path, err);
		free(text);
		return -EINVAL;
	}
	free(text);
	if (!n) {
		fprintf(stderr, "syslat reduce: %s: no result block (guest crashed or timed out?)\n", path);
		rc = -EINVAL;
	}
	for (i = 0; i < n && !rc; i++) {
		const struct jv *res = jv_get(b[i].json, "results");
		const char *unit = jv_str(jv_path(b[i].json, "tsc.unit"));
		double khz = jv_num(jv_path(b[i].json, "tsc.khz"));
		int side = platform_of(b[i].label, plat, sizeof(plat));

		snprintf(where, sizeof(where), "%s line %zu", path, b[i].line);
		if (!res || res->type != JV_ARR || !unit) {
			fprintf(stderr, "syslat reduce: %s: not a syslat result (results, tsc.unit)\n", where);
			rc = -EINVAL;
		}
		for (k = 0; !rc && k < res->n; k++)
			rc = add_result(r, plat, side, &res->items[k], unit, isnan(khz) ? 0 : khz,
					where);
	}
	console_free(b, n);
	return rc;
}

static void print_table(FILE *f, struct reduce *r)
{
	size_t i;

	fprintf(f, "%-44s | %-24s | %10s | %10s | %10s | %10s | %9s | %s\n", "Platform", "Routine call",
		"avg", "median", "q1", "q3", "nsecs", "unit");
	for (i = 0; i < r->n; i++) {
		struct cell *c = &r->c[i];
		double khz = c->boots ? c->khz_sum / c->boots : 0;
		char ns[32] = "-";

		stats_compute(c->v, c->n, &c->st);
		if (!strcmp(c->unit, "cycles") && khz > 0)
			snprintf(ns, sizeof(ns), "%.2f", c->st.median / khz * 1e6);
		fprintf(f, "%-44s | %-24s | %10.2f | %10.2f | %10.2f | %10.2f | %9s | %s\n",
			c->platform, c->title, c->st.mean, c->st.median, c->st.q1, c->st.q3, ns, c->unit);
	}
}

/* Index of s in v[0..n-1], appending it when absent and there is room. */
static size_t name_index(const char **v, size_t *n, size_t max, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(v[i], s))
			return i;
	if (*n < max)
		v[(*n)++] = s;
	return i;
}

/* The platforms whose blocks name their prog, one row each, one column per
 * operation (the median; "-" where a system has no such operation). Runs
 * after print_table(), which computed the statistics. */
#define SIDE_MAX 16
static void print_side(FILE *f, const struct reduce *r)
{
	const char *col[SIDE_MAX], *row[SIDE_MAX], *unit[SIDE_MAX] = { 0 };
	double v[SIDE_MAX][SIDE_MAX];
	size_t nc = 0, nr = 0, i, j, a, b;

	for (i = 0; i < r->n; i++) {
		if (!r->c[i].side)
			continue;
		a = name_index(row, &nr, SIDE_MAX, r->c[i].platform);
		b = name_index(col, &nc, SIDE_MAX, r->c[i].name);
		if (a == SIDE_MAX || b == SIDE_MAX)
			continue;	/* more than the table holds: the first table has it all */
		if (!unit[a])
			for (j = 0; j < SIDE_MAX; j++)
				v[a][j] = NAN;
		unit[a] = r->c[i].unit;
		v[a][b] = r->c[i].st.median;
	}
	if (!nr)
		return;
	fprintf(f, "\n# The same program on every system, side by side: median per operation\n");
	fprintf(f, "%-44s", "Platform");
	for (j = 0; j < nc; j++)
		fprintf(f, " | %10s", col[j]);
	fprintf(f, " | unit\n");
	for (i = 0; i < nr; i++) {
		fprintf(f, "%-44s", row[i]);
		for (j = 0; j < nc; j++)
			if (isnan(v[i][j]))
				fprintf(f, " | %10s", "-");
			else
				fprintf(f, " | %10.2f", v[i][j]);
		fprintf(f, " | %s\n", unit[i]);
	}
}

static void write_csv(FILE *f, const struct reduce *r)
{
	size_t i;

	fprintf(f, "platform,benchmark,unit,avg,median,q1,q3,n,boots,rounds_disturbed,rounds_excluded\n");
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];

		fprintf(f, "%s,%s,%s,%.4f,%.4f,%.4f,%.4f,%llu,%u,%llu,%llu\n", c->platform, c->name,
			c->unit, c->st.mean, c->st.median, c->st.q1, c->st.q3,
			(unsigned long long)c->st.n, c->boots, (unsigned long long)c->disturbed,
			(unsigned long long)c->excluded);
	}
}

static void write_json(FILE *f, const struct reduce *r)
{
	json_writer_t *w = jsonw_new(f);
	size_t i;

	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", 1);
	jsonw_string_field(w, "tool", "syslat reduce " SYSLAT_VERSION);
	jsonw_name(w, "rows");
	jsonw_start_array(w);
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "platform", c->platform);
		jsonw_string_field(w, "name", c->name);
		jsonw_string_field(w, "title", c->title);
		jsonw_string_field(w, "unit", c->unit);
		jsonw_float_field(w, "avg", c->st.mean);
		jsonw_float_field(w, "median", c->st.median);
		jsonw_float_field(w, "q1", c->st.q1);
		jsonw_float_field(w, "q3", c->st.q3);
		jsonw_float_field(w, "tsc_khz", c->boots ? c->khz_sum / c->boots : NAN);
		jsonw_uint_field(w, "n", c->st.n);
		jsonw_uint_field(w, "boots", c->boots);
		jsonw_uint_field(w, "rounds_disturbed", c->disturbed);
		jsonw_uint_field(w, "rounds_excluded", c->excluded);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
}

static int write_out(const char *dir, struct reduce *r)
{
	struct atomic_file af;
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if ((err = atomic_open(&af, path)) != 0)
		return err;
	write_csv(af.f, r);
	if ((err = atomic_commit(&af, 1)) != 0)
		return err;
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	if ((err = atomic_open(&af, path)) != 0)
		return err;
	write_json(af.f, r);
	return atomic_commit(&af, 1);
}

int cmd_reduce(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "side-by-side", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct reduce r = { 0 };
	const char *out = NULL;
	int c, i, rc = 0, side = 0;
	size_t k;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'o' || c == 's') {
			out = c == 'o' ? optarg : out;
			side |= c == 's';
			continue;
		}
		fprintf(c == 'h' ? stdout : stderr,
			"usage: syslat reduce [--out DIR] [--side-by-side] CONSOLE.log...\n"
			"  Pools the per-round figures of guest runs (console logs with\n"
			"  SYSLAT-JSON-BEGIN/END blocks) per platform and benchmark and prints\n"
			"  avg/median/q1/q3 (Table-1 style); --out DIR: summary.csv, summary.json.\n"
			"  --side-by-side: then the platforms whose blocks name their program\n"
			"  (prog=, e.g. syslat-mini on Linux and Unikraft) as one table, one\n"
			"  column per operation (medians).\n");
		return c == 'h' ? 0 : 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "syslat reduce: give at least one console log\n");
		return 2;
	}
	for (i = optind; i < argc && !rc; i++)
		rc = add_log(&r, argv[i]);
	if (!rc) {
		print_table(stdout, &r);
		if (side)
			print_side(stdout, &r);
		if (out && (rc = write_out(out, &r)) != 0)
			fprintf(stderr, "syslat reduce: writing %s: %s\n", out, strerror(-rc));
	}
	for (k = 0; k < r.n; k++)
		free(r.c[k].v);
	free(r.c);
	return rc ? 1 : 0;
}
