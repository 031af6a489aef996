/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming JSON writer in the shape of bpftool's json_writer: the
 * writer tracks nesting and commas, so callers never assemble JSON with
 * printf. Strings are escaped per RFC 8259 (\\ \" and every control
 * character); non-finite numbers are written as null.
 */
#ifndef SYSLAT_JSON_H
#define SYSLAT_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
	FILE *out;
	int depth;
	int pretty;
	int first[JSON_MAX_DEPTH];	/* no element written yet at this depth */
	char close[JSON_MAX_DEPTH];	/* '}' or ']' to end the scope at this depth */
	int after_name;			/* a name was written, value pending */
} json_writer_t;

json_writer_t *jsonw_new(FILE *f);
void jsonw_destroy(json_writer_t **self);	/* closes open scopes, newline */
void jsonw_pretty(json_writer_t *self, int on);

void jsonw_start_object(json_writer_t *self);
void jsonw_end_object(json_writer_t *self);
void jsonw_start_array(json_writer_t *self);
void jsonw_end_array(json_writer_t *self);
void jsonw_name(json_writer_t *self, const char *name);

void jsonw_string(json_writer_t *self, const char *s);	/* NULL -> null */
void jsonw_float(json_writer_t *self, double v);	/* NaN/Inf -> null */
void jsonw_uint(json_writer_t *self, uint64_t v);
void jsonw_int(json_writer_t *self, int64_t v);
void jsonw_bool(json_writer_t *self, int v);
void jsonw_null(json_writer_t *self);

/* name + value shorthands */
void jsonw_string_field(json_writer_t *self, const char *name, const char *s);
void jsonw_float_field(json_writer_t *self, const char *name, double v);
void jsonw_uint_field(json_writer_t *self, const char *name, uint64_t v);
void jsonw_int_field(json_writer_t *self, const char *name, int64_t v);
void jsonw_bool_field(json_writer_t *self, const char *name, int v);
void jsonw_null_field(json_writer_t *self, const char *name);
/* name: [v[0], ...]; a NULL v is an empty array */
void jsonw_float_array_field(json_writer_t *self, const char *name, const double *v, size_t n);
void jsonw_string_array_field(json_writer_t *self, const char *name, char *const *v, int n);

/* The escaped form of s (with quotes) to f; exposed for the tests. */
void json_escape(FILE *f, const char *s);

#endif
