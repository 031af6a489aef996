// SPDX-License-Identifier: GPL-2.0
/* A profile's four files, and the per-function diff (prof-report.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

	if (!w)
		return -ENOMEM;
	iso_time(time(NULL), now, sizeof(now));
	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_int_field(w, "schema_version", PROF_SCHEMA);
	jsonw_string_field(w, "tool_version", "syslat " SYSLAT_VERSION);
	jsonw_string_field(w, "time", now);
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

static void diff_rows(const struct func_row *ra, size_t na, const struct func_row *rb,
		      size_t nb, FILE *out)
{
	static const struct func_row zero;
	size_t i;

	fprintf(out, "%10s %10s %10s  %s\n", "A self", "B self", "B-A", "function");
	for (i = 0; i < nb; i++) {
		const struct func_row *a = lookup(ra, na, rb[i].name, rb[i].len) ?: &zero;

		fprintf(out, "%10" PRIu64 " %10" PRIu64 " %+10" PRId64 "  %.*s\n", a->self,
			rb[i].self, (int64_t)(rb[i].self - a->self), (int)rb[i].len, rb[i].name);
	}
	for (i = 0; i < na; i++)
		if (!lookup(rb, nb, ra[i].name, ra[i].len))
			fprintf(out, "%10" PRIu64 " %10d %+10" PRId64 "  %.*s (only in A)\n",
				ra[i].self, 0, -(int64_t)ra[i].self, (int)ra[i].len, ra[i].name);
}

int prof_diff(const char *a, const char *b, FILE *out)
{
	struct fold fa, fb;
	struct func_row *ra = NULL, *rb = NULL;
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
	fprintf(out, "# A = %s (%" PRIu64 " in all), B = %s (%" PRIu64 " in all), "
		"B-A = %+" PRId64 "; self counts, same unit as the inputs\n",
		a, fa.total, b, fb.total, (int64_t)(fb.total - fa.total));
	diff_rows(ra, na, rb, nb, out);
	rc = ferror(out) ? -1 : 0;
out:
	free(ra);
	free(rb);
	fold_destroy(&fa);
	fold_destroy(&fb);
	return rc;
}
