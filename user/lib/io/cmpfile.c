// SPDX-License-Identifier: GPL-2.0
/* Result files and sides of `syslat compare` (cmpfile.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmpfile.h"
#include "sel4bench.h"
#include "util.h"


int cmp_flag(const struct jv *r, const char *key)
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
void cmp_why_not(const struct jv *a, const struct cmp_file *fa, const struct jv *b,
		    const struct cmp_file *fb, char *why, size_t len)
{
	const char *ka[] = { s_or(a, "mode", "percall"), placement(a),
			     cmp_flag(a, "process") ? "process" : "thread", armed(a),
			     cmp_flag(a, "streamed") ? "streamed" : "exact" };
	const char *kb[] = { s_or(b, "mode", "percall"), placement(b),
			     cmp_flag(b, "process") ? "process" : "thread", armed(b),
			     cmp_flag(b, "streamed") ? "streamed" : "exact" };
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
int cmp_use_ns(const struct col *c, int ncol)
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
			return cmp_flag(r, "skipped") || !st || st->type != JV_ARR || st->n != 8 ||
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

void cmp_fill(struct cell *c, const struct col *col, const char *name, int mean, int ns)
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
			cmp_why_not(c->r, c->f, r, col->f[j], why, sizeof(why));
			if (why[0])
				snprintf(c->why, sizeof(c->why), "mixes %s", why);
		}
		c->lead_mean |= leads_mean(r);
		add_runs(c, r, ns ? 1e6 / col->f[j]->khz : 1, mean);
	}
}

double cmp_mean(const struct cell *c)
{
	double s = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		s += c->v[i];
	return c->n ? s / (double)c->n : NAN;
}

/* A sel4bench file becomes the syslat result file it maps to (sel4bench.h). */
static char *from_sel4(const char *path, char *text)
{
	struct s4_file s4;
	char err[200], *js;

	if (s4_parse(text, strlen(text), &s4, err, sizeof(err))) {
		fprintf(stderr, "syslat compare: %s: %s\n", path, err);
		free(text);
		return NULL;
	}
	free(text);
	js = s4_to_syslat_json(&s4);
	s4_free(&s4);
	if (!js)
		fprintf(stderr, "syslat compare: %s: out of memory\n", path);
	return js;
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
	if (s4_detect(text, strlen(text)) && !(text = from_sel4(path, text)))
		return -1;
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
			cmp_flag(jv_get(f->root, "tsc"), "frequency_known") :
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
int cmp_load_col(struct col *c, char *spec, struct cmp_file *pool, int *used)
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

