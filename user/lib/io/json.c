// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json.h"

json_writer_t *jsonw_new(FILE *f)
{
	json_writer_t *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->out = f;
	w->first[0] = 1;
	return w;
}

void jsonw_pretty(json_writer_t *self, int on)
{
	self->pretty = on;
}

static void indent(json_writer_t *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Comma and indentation before a value or a name; none after a name. */
static void sep(json_writer_t *w)
{
	if (w->after_name) {
		w->after_name = 0;
		return;
	}
	if (!w->first[w->depth])
		fputc(',', w->out);
	w->first[w->depth] = 0;
	if (w->depth)
		indent(w);
}

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			/* All other C0 controls and DEL as \u00XX; UTF-8 bytes
			 * pass through unchanged. */
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void open_scope(json_writer_t *w, char c)
{
	sep(w);
	fputc(c, w->out);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = 1;
	w->close[w->depth] = c == '{' ? '}' : ']';
}

static void close_scope(json_writer_t *w, char c)
{
	int empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->out);
}

void jsonw_start_object(json_writer_t *self) { open_scope(self, '{'); }
void jsonw_end_object(json_writer_t *self) { close_scope(self, '}'); }
void jsonw_start_array(json_writer_t *self) { open_scope(self, '['); }
void jsonw_end_array(json_writer_t *self) { close_scope(self, ']'); }

void jsonw_name(json_writer_t *self, const char *name)
{
	sep(self);
	json_escape(self->out, name);
	fputs(self->pretty ? ": " : ":", self->out);
	self->after_name = 1;
}

void jsonw_string(json_writer_t *self, const char *s)
{
	sep(self);
	if (s)
		json_escape(self->out, s);
	else
		fputs("null", self->out);
}

void jsonw_float(json_writer_t *self, double v)
{
	sep(self);
	if (!isfinite(v))
		fputs("null", self->out);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(self->out, "%.0f", v);	/* integers without ".000000" */
	else
		fprintf(self->out, "%.15g", v);
}

void jsonw_uint(json_writer_t *self, uint64_t v)
{
	sep(self);
	fprintf(self->out, "%" PRIu64, v);
}

void jsonw_int(json_writer_t *self, int64_t v)
{
	sep(self);
	fprintf(self->out, "%" PRId64, v);
}

void jsonw_bool(json_writer_t *self, int v)
{
	sep(self);
	fputs(v ? "true" : "false", self->out);
}

void jsonw_null(json_writer_t *self)
{
	sep(self);
	fputs("null", self->out);
}

void jsonw_string_field(json_writer_t *self, const char *name, const char *s)
{
	jsonw_name(self, name);
	jsonw_string(self, s);
}

void jsonw_float_field(json_writer_t *self, const char *name, double v)
{
	jsonw_name(self, name);
	jsonw_float(self, v);
}

void jsonw_uint_field(json_writer_t *self, const char *name, uint64_t v)
{
	jsonw_name(self, name);
	jsonw_uint(self, v);
}

void jsonw_int_field(json_writer_t *self, const char *name, int64_t v)
{
	jsonw_name(self, name);
	jsonw_int(self, v);
}

void jsonw_bool_field(json_writer_t *self, const char *name, int v)
{
	jsonw_name(self, name);
	jsonw_bool(self, v);
}

void jsonw_null_field(json_writer_t *self, const char *name)
{
	jsonw_name(self, name);
	jsonw_null(self);
}

void jsonw_float_array_field(json_writer_t *self, const char *name, const double *v, size_t n)
{
	size_t i;

	jsonw_name(self, name);
	jsonw_start_array(self);
	for (i = 0; v && i < n; i++)
		jsonw_float(self, v[i]);
	jsonw_end_array(self);
}

void jsonw_string_array_field(json_writer_t *self, const char *name, char *const *v, int n)
{
	int i;

	jsonw_name(self, name);
	jsonw_start_array(self);
	for (i = 0; i < n; i++)
		jsonw_string(self, v[i]);
	jsonw_end_array(self);
}

void jsonw_destroy(json_writer_t **self)
{
	json_writer_t *w = *self;

	if (!w)
		return;
	while (w->depth > 0)	/* a caller that bailed out still gets valid JSON */
		close_scope(w, w->close[w->depth]);
	fputc('\n', w->out);
	free(w);
	*self = NULL;
}
