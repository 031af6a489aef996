// SPDX-License-Identifier: GPL-2.0
/* sel4bench result files into syslat's result model (sel4bench.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jparse.h"
#include "json.h"
#include "sel4bench.h"

#define S4_BEGIN "JSON OUTPUT"
#define S4_END "END JSON OUTPUT"
#define S4_TAG "syslat-sel4: "

/* A statistic: a number, or sel4bench's "nan"/"inf" strings; -1 when absent. */
static int stat(const struct jv *row, const char *key, double *out)
{
	const struct jv *v = jv_get(row, key);

	if (v && v->type == JV_NUM) {
		*out = v->num;
		return 0;
	}
	if (v && v->type == JV_STR && (!strcmp(v->str, "nan") || !strcmp(v->str, "inf"))) {
		*out = v->str[0] == 'n' ? NAN : INFINITY;
		return 0;
	}
	return -1;
}

static int fill_row(struct s4_row *r, const struct jv *row, char *why, size_t len)
{
	static const char *const keys[] = { "Min", "Max", "Mean", "Stddev", "Median",
					    "1st quantile", "3rd quantile", "Samples" };
	double *dst[] = { &r->min, &r->max, &r->mean, &r->stddev, &r->median, &r->q1, &r->q3, NULL };
	const struct jv *raw = jv_get(row, "Raw results");
	double n = -1;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (stat(row, keys[i], dst[i] ? dst[i] : &n)) {
			snprintf(why, len, "no \"%s\"", keys[i]);
			return -1;
		}
	}
	if (!(n >= 1) || n != floor(n)) {
		snprintf(why, len, "\"Samples\" is %g", n);
		return -1;
	}
	r->samples = (size_t)n;
	if (!raw)
		return 0;
	if (raw->type != JV_ARR || raw->n != r->samples) {
		snprintf(why, len, "\"Raw results\" has %zu values for %zu samples",
			 raw->type == JV_ARR ? raw->n : 0, r->samples);
		return -1;
	}
	r->raw = malloc(raw->n * sizeof(*r->raw));
	if (!r->raw) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (i = 0; i < raw->n; i++) {
		r->raw[i] = jv_num(&raw->items[i]);
		if (isnan(r->raw[i])) {
			snprintf(why, len, "raw result %zu is not a number", i);
			return -1;
		}
	}
	r->nraw = raw->n;
	return 0;
}

/* What sel4bench prints as 0 without having measured it (sel4bench.h). */
static void absent_figures(struct s4_row *r)
{
	size_t n = strlen(r->bench), k = strlen("(early processing)");

	if (n >= k && !strcmp(r->bench + n - k, "(early processing)")) {
		r->early = 1;
		r->min = r->max = r->median = r->q1 = r->q3 = NAN;
		free(r->raw);
		r->raw = NULL;
		r->nraw = 0;
		r->core = 0;
	} else if (r->min == 0 && r->max == 0 && r->mean == 0) {
		r->unmeasured = 1;
		r->core = 0;
	}
}

/* Same name twice (a new row kind): the later ones get -2, -3 ... */
static void uniq(struct s4_file *f, struct s4_row *r)
{
	char base[sizeof(r->name)];
	unsigned int k = 1;
	size_t i;

again:
	for (i = 0; i < f->n; i++) {
		if (!strcmp(f->rows[i].name, r->name)) {
			if (k == 1)
				snprintf(base, sizeof(base), "%s", r->name);
			if (++k > 999)
				return;	/* leave it: a file this odd is not sel4bench's */
			snprintf(r->name, sizeof(r->name), "%.40s-%u", base, k);
			goto again;
		}
	}
}

static int add_bench(struct s4_file *f, const struct jv *b, size_t bi, char *err, size_t len)
{
	const char *name = jv_str(jv_get(b, "Benchmark"));
	const struct jv *res = jv_get(b, "Results");
	struct s4_row *nr;
	char why[160];
	size_t i;

	if (!name || !res || res->type != JV_ARR) {
		snprintf(err, len, "benchmark %zu: no \"Benchmark\" name and \"Results\" list", bi + 1);
		return -1;
	}
	nr = realloc(f->rows, (f->n + res->n + 1) * sizeof(*nr));
	if (!nr) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	f->rows = nr;
	for (i = 0; i < res->n; i++) {
		struct s4_row *r = &f->rows[f->n];

		memset(r, 0, sizeof(*r));
		if (res->items[i].type != JV_OBJ || fill_row(r, &res->items[i], why, sizeof(why))) {
			snprintf(err, len, "benchmark \"%s\" row %zu: %s", name, i + 1,
				 res->items[i].type != JV_OBJ ? "not an object" : why);
			free(r->raw);
			return -1;
		}
		s4_name_row(r, name, &res->items[i]);
		absent_figures(r);
		uniq(f, r);
		f->n++;
	}
	return 0;
}

/* Where sel4bench's JSON is in @text: the bare JSON, or between the markers. */
static int locate(const char *text, size_t len, const char **js, size_t *jlen, char *err,
		  size_t errlen)
{
	const char *b = text, *e, *end = text + len;

	while (b < end && isspace((unsigned char)*b))
		b++;
	if (b < end && *b == '[') {
		*js = b;
		*jlen = (size_t)(end - b);
		return 0;
	}
	for (b = text; (b = memmem(b, (size_t)(end - b), S4_BEGIN, strlen(S4_BEGIN))); b++)
		if (b - text < 4 || memcmp(b - 4, "END ", 4))
			break;
	if (!b) {
		snprintf(err, errlen, "no sel4bench JSON (neither a JSON list nor a \"" S4_BEGIN "\" line)");
		return -1;
	}
	b += strlen(S4_BEGIN);
	e = memmem(b, (size_t)(end - b), S4_END, strlen(S4_END));
	if (!e) {
		snprintf(err, errlen, "truncated: \"" S4_BEGIN "\" without \"" S4_END
			 "\" (the guest stopped early?)");
		return -1;
	}
	*js = b;
	*jlen = (size_t)(e - b);
	return 0;
}

/* "syslat-sel4: KEY=VALUE" lines before the JSON. */
static void tags(struct s4_file *f, const char *text, const char *stop)
{
	const char *p = text;

	snprintf(f->system, sizeof(f->system), "seL4 (sel4bench)");
	f->config[0] = '\0';
	/* Bare JSON does not say: cycles on hardware, instructions under icount. */
	snprintf(f->unit, sizeof(f->unit), "%s", S4_UNIT_UNKNOWN);
	while ((p = strstr(p, S4_TAG)) && p < stop) {
		const char *v = p + strlen(S4_TAG), *nl = strchr(v, '\n');
		int n = (int)(nl ? nl - v : (long)strlen(v));
		char *dst = !strncmp(v, "system=", 7) ? f->system : !strncmp(v, "config=", 7) ?
			    f->config : !strncmp(v, "unit=", 5) ? f->unit : NULL;
		size_t cap = dst == f->unit ? sizeof(f->unit) : sizeof(f->system);

		if (dst) {
			const char *eq = strchr(v, '=') + 1;

			n -= (int)(eq - v);
			while (n > 0 && isspace((unsigned char)eq[n - 1]))
				n--;
			snprintf(dst, cap, "%.*s", n, eq);
		}
		p = v;
	}
}

int s4_detect(const char *text, size_t len)
{
	const char *b = text, *end = text + len;

	while (b < end && isspace((unsigned char)*b))
		b++;
	if (b < end && *b == '[')	/* a list whose first benchmark says so */
		return memmem(b, (size_t)(end - b > 200 ? 200 : end - b), "\"Benchmark\"", 11) != NULL;
	return memmem(text, len, S4_TAG, strlen(S4_TAG)) || memmem(text, len, S4_END, strlen(S4_END)) ||
	       memmem(text, len, "\n" S4_BEGIN, strlen(S4_BEGIN) + 1);
}

int s4_parse(const char *text, size_t len, struct s4_file *f, char *err, size_t errlen)
{
	const char *js;
	char jerr[160];
	struct jv *root;
	size_t jlen, i;

	memset(f, 0, sizeof(*f));
	if (locate(text, len, &js, &jlen, err, errlen))
		return -1;
	tags(f, text, js);
	root = jv_parse(js, jlen, jerr, sizeof(jerr));
	if (!root) {
		snprintf(err, errlen, "sel4bench JSON: %s", jerr);
		return -1;
	}
	if (root->type != JV_ARR || !root->n) {
		snprintf(err, errlen, "sel4bench JSON: not a non-empty list of benchmarks");
		jv_free(root);
		return -1;
	}
	for (i = 0; i < root->n; i++) {
		if (add_bench(f, &root->items[i], i, err, errlen)) {
			jv_free(root);
			s4_free(f);
			return -1;
		}
	}
	jv_free(root);
	return 0;
}

void s4_free(struct s4_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->rows[i].raw);
	free(f->rows);
	f->rows = NULL;
	f->n = 0;
}

void s4_platform(const struct s4_file *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", f->system, f->config[0] ? " " : "", f->config);
}

static void row_json(json_writer_t *w, const struct s4_row *r, const char *unit)
{
	const double st[] = { r->min, r->q1, r->median, r->mean, r->q3, r->max, r->stddev };
	size_t i;

	jsonw_start_object(w);
	jsonw_string_field(w, "name", r->name);
	jsonw_string_field(w, "title", r->title);
	jsonw_string_field(w, "direction", r->dir);
	jsonw_string_field(w, "mode", "percall");
	jsonw_string_field(w, "unit", unit);
	jsonw_string_field(w, "placement", "same");	/* sel4bench runs on one core */
	jsonw_bool_field(w, "process", r->xas);
	if (r->unmeasured) {	/* compare shows "-", never a zero */
		jsonw_bool_field(w, "skipped", 1);
		jsonw_string_field(w, "why", "every figure 0: averaged with PMU counters, none here");
	}
	if (r->early) {		/* only the mean is data: compare leads with it */
		jsonw_name(w, "estimates");
		jsonw_start_object(w);
		jsonw_string_field(w, "lead", "trimmed_mean");
		jsonw_end_object(w);
	}
	jsonw_name(w, "stats");
	jsonw_start_array(w);
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		jsonw_float(w, st[i]);
	jsonw_uint(w, r->samples);
	jsonw_end_array(w);
	jsonw_name(w, "runs");	/* one boot is one run */
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_float_field(w, "median", r->median);
	jsonw_float_field(w, "mean", r->mean);
	jsonw_uint_field(w, "n", r->samples);
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_name(w, "sel4bench");
	jsonw_start_object(w);
	jsonw_string_field(w, "benchmark", r->bench);
	jsonw_string_field(w, "operation", r->op);
	jsonw_string_field(w, "linux", r->linux_eq);
	jsonw_end_object(w);
	jsonw_end_object(w);
}

char *s4_to_syslat_json(const struct s4_file *f)
{
	char *buf = NULL;
	size_t len = 0, i;
	json_writer_t *w;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	w = jsonw_new(m);
	if (!w) {
		fclose(m);
		free(buf);
		return NULL;
	}
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", 2);
	jsonw_string_field(w, "tool", "sel4bench, imported by syslat");
	jsonw_string_field(w, "system", f->system);
	jsonw_string_field(w, "config", f->config);
	jsonw_name(w, "tsc");
	jsonw_start_object(w);
	jsonw_string_field(w, "unit", f->unit);
	jsonw_null_field(w, "khz");
	jsonw_string_field(w, "source", "sel4bench");
	jsonw_bool_field(w, "frequency_known", 0);
	jsonw_end_object(w);
	jsonw_name(w, "results");
	jsonw_start_array(w);
	for (i = 0; i < f->n; i++)
		row_json(w, &f->rows[i], f->unit);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}
