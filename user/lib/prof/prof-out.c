// SPDX-License-Identifier: GPL-2.0
/* Profile table, JSON and flame graph SVG (prof-out.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "prof-out.h"

#define SVG_W		1200.0
#define SVG_ROW		16.0
#define SVG_TOP		40.0
#define SVG_MINFRAC	0.001

int prof_table(const struct fold *f, const struct prof_meta *m, FILE *out, size_t max_rows)
{
	struct func_row *rows;
	size_t n, i;

	rows = fold_functions(f, &n);
	if (!rows)
		return -ENOMEM;
	if (m->per > 1)
		fprintf(out, "# %s: %" PRIu64 " %s in all; below: per call (over %g calls)\n",
			m->title, f->total, m->unit, m->per);
	else
		fprintf(out, "# %s: %" PRIu64 " %s in all\n", m->title, f->total, m->unit);
	fprintf(out, "%10s %10s %6s  %s\n", "self", "total", "self%", "function");
	for (i = 0; i < n && (!max_rows || i < max_rows); i++)
		fprintf(out, "%10.1f %10.1f %5.1f%%  %.*s\n", rows[i].self / m->per,
			rows[i].total / m->per, 100.0 * rows[i].self / (double)f->total,
			(int)rows[i].len, rows[i].name);
	if (max_rows && n > max_rows)
		fprintf(out, "# ... %zu more functions in the JSON and folded files\n", n - max_rows);
	free(rows);
	return ferror(out) ? -EIO : 0;
}

void prof_json_functions(const struct fold *f, const struct prof_meta *m, json_writer_t *w)
{
	struct func_row *rows;
	char name[1024];
	size_t n, i;

	rows = fold_functions(f, &n);
	jsonw_name(w, "functions");
	jsonw_start_array(w);
	for (i = 0; rows && i < n; i++) {
		snprintf(name, sizeof(name), "%.*s", (int)rows[i].len, rows[i].name);
		jsonw_start_object(w);
		jsonw_string_field(w, "function", name);
		jsonw_uint_field(w, "self", rows[i].self);
		jsonw_uint_field(w, "total", rows[i].total);
		jsonw_float_field(w, "self_per_call", rows[i].self / m->per);
		jsonw_float_field(w, "total_per_call", rows[i].total / m->per);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	free(rows);
}

static void xml_text(FILE *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(s[i], out);
		}
	}
}

/* Same name, same colour: a warm hue from the name's hash. */
static void colour(const char *s, size_t len, int *r, int *g, int *b)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	*r = 205 + (int)(h % 50);
	*g = 80 + (int)((h >> 8) % 150);
	*b = 40 + (int)((h >> 16) % 40);
	if (len >= 6 && !memcmp(s, "[user]", 6)) {
		*r = 90; *g = 150 + (int)(h % 60); *b = 210;	/* user code: blue */
	}
}

static void rect(FILE *out, const struct prof_meta *m, const char *name, size_t len,
		 int depth, int maxdepth, double x, double w, uint64_t n, uint64_t total)
{
	double y = SVG_TOP + (maxdepth - depth) * SVG_ROW;
	int r, g, b;
	size_t chars = (size_t)(w / 7.0);

	colour(name, len, &r, &g, &b);
	fprintf(out, "<g><title>");
	xml_text(out, name, len);
	fprintf(out, " (%" PRIu64 " %s, %.2f%%, %.1f per call)</title>", n, m->unit,
		100.0 * (double)n / (double)total, (double)n / m->per);
	fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
		"fill=\"rgb(%d,%d,%d)\" rx=\"2\"/>", x, y, w, SVG_ROW - 1, r, g, b);
	if (chars >= 4) {
		fprintf(out, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + SVG_ROW - 4);
		if (len > chars - 1) {
			xml_text(out, name, chars - 3);
			fputs("..", out);
		} else {
			xml_text(out, name, len);
		}
		fputs("</text>", out);
	}
	fputs("</g>\n", out);
}

/* Frame-wise order: ';' below every other character, so all stacks
 * under one prefix are adjacent and merge into one rectangle. */
static int cmp_frames(const void *a, const void *b)
{
	const unsigned char *x = (const unsigned char *)(*(struct fold_ent *const *)a)->stack;
	const unsigned char *y = (const unsigned char *)(*(struct fold_ent *const *)b)->stack;

	for (; *x && *x == *y; x++, y++)
		;
	return (*x == ';' ? 1 : *x + 1) - (*y == ';' ? 1 : *y + 1);
}

struct open_frame {
	const char *name;
	size_t len;
	uint64_t start;
};

#define SVG_DEPTH 256

struct svg_state {
	FILE *out;
	const struct prof_meta *m;
	struct open_frame o[SVG_DEPTH];
	int nopen, maxdepth;
	uint64_t total;
};

static void close_to(struct svg_state *s, int depth, uint64_t x)
{
	while (s->nopen > depth) {
		struct open_frame *f = &s->o[--s->nopen];
		double w = SVG_W * (double)(x - f->start) / (double)s->total;

		if ((double)(x - f->start) >= SVG_MINFRAC * (double)s->total)
			rect(s->out, s->m, f->name, f->len, s->nopen + 1, s->maxdepth,
			     10 + SVG_W * (double)f->start / (double)s->total, w,
			     x - f->start, s->total);
	}
}

static void svg_entry(struct svg_state *s, const struct fold_ent *e, uint64_t x)
{
	const char *p = e->stack, *q;
	int d = 0;

	for (; *p && d < SVG_DEPTH; p = *q ? q + 1 : q, d++) {
		q = strchr(p, ';');
		if (!q)
			q = p + strlen(p);
		if (d < s->nopen && (s->o[d].len != (size_t)(q - p) || memcmp(s->o[d].name, p, s->o[d].len)))
			close_to(s, d, x);
		if (d >= s->nopen) {
			s->o[d] = (struct open_frame){ p, (size_t)(q - p), x };
			s->nopen = d + 1;
		}
	}
	close_to(s, d, x);
}

static int depth_of(const char *s)
{
	int d = 1;

	for (; *s; s++)
		d += *s == ';';
	return d;
}

int prof_svg(const struct fold *f, const struct prof_meta *m, FILE *out)
{
	struct svg_state s = { .out = out, .m = m, .total = f->total };
	struct fold_ent **v;
	uint64_t x = 0;
	size_t n, i;
	double h;

	v = fold_sorted(f, &n);
	if (!v)
		return -ENOMEM;
	qsort(v, n, sizeof(*v), cmp_frames);
	for (i = 0; i < n; i++)
		if (depth_of(v[i]->stack) > s.maxdepth)
			s.maxdepth = depth_of(v[i]->stack);
	if (s.maxdepth > SVG_DEPTH)
		s.maxdepth = SVG_DEPTH;
	h = SVG_TOP + (s.maxdepth + 1) * SVG_ROW + 30;
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%.0f\" height=\"%.0f\" xmlns=\"http://www.w3.org/2000/svg\" "
		"font-family=\"monospace\" font-size=\"11\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"10\" y=\"20\" font-size=\"14\">", SVG_W + 20, h);
	xml_text(out, m->title, strlen(m->title));
	fprintf(out, "</text>\n<text x=\"10\" y=\"%.0f\">width: %s, %" PRIu64 " in all "
		"(%.1f per call); hover a frame for its count</text>\n",
		h - 10, m->unit, f->total, (double)f->total / m->per);
	for (i = 0; f->total && i < n; i++) {
		svg_entry(&s, v[i], x);
		x += v[i]->n;
	}
	close_to(&s, 0, x);
	fputs("</svg>\n", out);
	free(v);
	return ferror(out) ? -EIO : 0;
}
