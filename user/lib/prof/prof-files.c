// SPDX-License-Identifier: GPL-2.0
/* A profile's four files, and the per-function diff (prof-report.h). */
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jparse.h"
#include "prof-report.h"
#include "util.h"

#ifndef SYSLAT_VERSION
#define SYSLAT_VERSION "unknown"
#endif

#define PROF_SCHEMA 1

struct json_job {
	const struct fold *f;
	const struct prof_meta *m;
	void (*extra)(json_writer_t *w, const void *ctx);
	const void *ctx;
};

static int write_json(const struct json_job *j, FILE *out)
{
	json_writer_t *w = jsonw_new(out);
	char now[32];
	int i;

	if (!w)
		return -ENOMEM;
	iso_time(time(NULL), now, sizeof(now));
	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_int_field(w, "schema_version", PROF_SCHEMA);
	jsonw_string_field(w, "tool_version", "syslat " SYSLAT_VERSION);
	jsonw_string_field(w, "time", now);
	jsonw_name(w, "argv");
	jsonw_start_array(w);
	for (i = 0; i < j->m->argc; i++)
		jsonw_string(w, j->m->argv[i]);
	jsonw_end_array(w);
	jsonw_string_field(w, "title", j->m->title);
	jsonw_string_field(w, "unit", j->m->unit);
	jsonw_uint_field(w, "total", j->f->total);
	jsonw_float_field(w, "per_call_divisor", j->m->per);
	if (j->extra)
		j->extra(w, j->ctx);
	prof_json_functions(j->f, j->m, w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
	return ferror(out) ? -EIO : 0;
}

enum kind { K_FOLDED, K_TABLE, K_JSON, K_SVG };

static int one_file(const char *prefix, const char *ext, enum kind k, const struct json_job *j)
{
	struct atomic_file af;
	char path[4096];
	int rc;

	if (snprintf(path, sizeof(path), "%s.%s", prefix, ext) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = atomic_open(&af, path);
	if (rc)
		goto err;
	switch (k) {
	case K_FOLDED: rc = fold_write(j->f, af.f); break;
	case K_TABLE: rc = prof_table(j->f, j->m, af.f, 0); break;
	case K_JSON: rc = write_json(j, af.f); break;
	case K_SVG: rc = prof_svg(j->f, j->m, af.f); break;
	}
	rc = atomic_commit(&af, rc == 0) ?: rc;
	if (!rc)
		return 0;
err:
	fprintf(stderr, "syslat profile: %s: %s\n", path, strerror(-rc));
	return rc;
}

int prof_write_all(const struct fold *f, const struct prof_meta *m, const char *prefix,
		   void (*json_extra)(json_writer_t *w, const void *ctx), const void *ctx)
{
	struct json_job j = { f, m, json_extra, ctx };

	if (one_file(prefix, "folded", K_FOLDED, &j) || one_file(prefix, "txt", K_TABLE, &j) ||
	    one_file(prefix, "json", K_JSON, &j) || one_file(prefix, "svg", K_SVG, &j))
		return -1;
	prof_table(f, m, stdout, 25);
	printf("# files: %s.{folded,txt,json,svg}\n", prefix);
	return 0;
}

static int load(const char *path, struct fold *f)
{
	char err[256];
	FILE *in = fopen(path, "r");
	int rc;

	if (!in) {
		fprintf(stderr, "syslat profile: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = fold_load(f, in, err, sizeof(err));
	fclose(in);
	if (rc)
		fprintf(stderr, "syslat profile: %s: %s\n", path, err);
	return rc;
}

static const struct func_row *lookup(const struct func_row *r, size_t n,
				     const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].len == len && !memcmp(r[i].name, name, len))
			return &r[i];
	return NULL;
}

/* Calls behind a folded file: per_call_divisor of the JSON written next
 * to it (X.folded -> X.json), 1 when there is none. */
static double calls_of(const char *folded)
{
	char path[4096], err[128], *text;
	size_t n = strlen(folded);
	struct jv *root;
	double d = 1;

	if (n < 7 || strcmp(folded + n - 7, ".folded") || n + 1 > sizeof(path))
		return 1;
	snprintf(path, sizeof(path), "%.*s.json", (int)(n - 7), folded);
	text = read_text_file(path, 64 << 20);
	root = text ? jv_parse(text, strlen(text), err, sizeof(err)) : NULL;
	if (root && jv_num(jv_get(root, "per_call_divisor")) >= 1)
		d = jv_num(jv_get(root, "per_call_divisor"));
	jv_free(root);
	free(text);
	return d;
}

struct diff_row {
	const char *name;
	size_t len;
	double a, b;
};

static int cmp_diff(const void *x, const void *y)
{
	const struct diff_row *p = x, *q = y;
	double dp = fabs(p->b - p->a), dq = fabs(q->b - q->a);

	return dp < dq ? 1 : dp > dq ? -1 : 0;
}

static int diff_rows(const struct func_row *ra, size_t na, double ca, const struct func_row *rb,
		     size_t nb, double cb, FILE *out)
{
	struct diff_row *d = calloc(na + nb + 1, sizeof(*d));
	const struct func_row *o;
	size_t i, n = 0;

	if (!d)
		return -ENOMEM;
	for (i = 0; i < nb; i++) {
		o = lookup(ra, na, rb[i].name, rb[i].len);
		d[n++] = (struct diff_row){ rb[i].name, rb[i].len, o ? o->self / ca : 0, rb[i].self / cb };
	}
	for (i = 0; i < na; i++)
		if (!lookup(rb, nb, ra[i].name, ra[i].len))
			d[n++] = (struct diff_row){ ra[i].name, ra[i].len, ra[i].self / ca, 0 };
	qsort(d, n, sizeof(*d), cmp_diff);
	fprintf(out, "%10s %10s %10s  %s\n", "A self", "B self", "B-A", "function");
	for (i = 0; i < n; i++)
		fprintf(out, "%10.1f %10.1f %+10.1f  %.*s\n", d[i].a, d[i].b, d[i].b - d[i].a,
			(int)d[i].len, d[i].name);
	free(d);
	return 0;
}

int prof_diff(const char *a, const char *b, FILE *out)
{
	struct fold fa, fb;
	struct func_row *ra = NULL, *rb = NULL;
	double ca = calls_of(a), cb = calls_of(b);
	size_t na, nb;
	int rc = -1;

	fold_init(&fa);
	fold_init(&fb);
	if (load(a, &fa) || load(b, &fb))
		goto out;
	ra = fold_functions(&fa, &na);
	rb = fold_functions(&fb, &nb);
	if (!ra || !rb)
		goto out;
	fprintf(out, "# A = %s, B = %s; self counts per call (A over %g, B over %g calls,\n"
		"# from the JSON next to each file, else 1), same unit as the inputs\n"
		"# in all: A %.1f, B %.1f, B-A %+.1f\n", a, b, ca, cb, fa.total / ca,
		fb.total / cb, fb.total / cb - fa.total / ca);
	rc = diff_rows(ra, na, ca, rb, nb, cb, out) || ferror(out) ? -1 : 0;
out:
	free(ra);
	free(rb);
	fold_destroy(&fa);
	fold_destroy(&fb);
	return rc;
}
