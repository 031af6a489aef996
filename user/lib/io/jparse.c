// SPDX-License-Identifier: GPL-2.0
/* Strict recursive-descent JSON reader (see jparse.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jparse.h"

#define JV_MAX_DEPTH 64

struct jp {
	const char *s;
	size_t len, pos;
	int depth;
	char *err;
	size_t errlen;
};

static int fail(struct jp *p, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (p->err && p->err[0])
		return -1;	/* keep the first, innermost message */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err)
		snprintf(p->err, p->errlen, "JSON error at byte %zu: %s", p->pos, msg);
	return -1;
}

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static int peek(struct jp *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail(p, "invalid literal");
	p->pos += n;
	return 0;
}

static int put_utf8(char *o, size_t *k, unsigned int cp)
{
	if (cp < 0x80) {
		o[(*k)++] = (char)cp;
	} else if (cp < 0x800) {
		o[(*k)++] = (char)(0xc0 | cp >> 6);
		o[(*k)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		o[(*k)++] = (char)(0xe0 | cp >> 12);
		o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[(*k)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		o[(*k)++] = (char)(0xf0 | cp >> 18);
		o[(*k)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[(*k)++] = (char)(0x80 | (cp & 0x3f));
	}
	return 0;
}

static int hex4(struct jp *p, unsigned int *cp)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int c = peek(p);

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return fail(p, "bad \\u escape");
		p->pos++;
	}
	*cp = v;
	return 0;
}

static int escape(struct jp *p, char *o, size_t *k)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned int cp, lo;
	int c = peek(p);

	p->pos++;
	e = c > 0 ? strchr(from, c) : NULL;
	if (e) {
		o[(*k)++] = to[e - from];
		return 0;
	}
	if (c != 'u' || hex4(p, &cp))
		return fail(p, "bad escape");
	if (cp >= 0xd800 && cp < 0xdc00) {	/* surrogate pair */
		if (literal(p, "\\u") || hex4(p, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return fail(p, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp < 0xe000) {
		return fail(p, "lone low surrogate");
	}
	return put_utf8(o, k, cp);
}

static int parse_string(struct jp *p, char **out)
{
	size_t k = 0;
	char *o;

	p->pos++;	/* opening quote */
	o = malloc(p->len - p->pos + 1);	/* output never longer than input */
	if (!o)
		return fail(p, "out of memory");
	for (;;) {
		int c = peek(p);

		if (c < 0) {
			free(o);
			return fail(p, "unterminated string");
		}
		if (c == '"')
			break;
		if (c < 0x20) {
			free(o);
			return fail(p, "control character in string");
		}
		if (c == '\\') {
			p->pos++;
			if (escape(p, o, &k)) {
				free(o);
				return -1;
			}
			continue;
		}
		o[k++] = (char)c;
		p->pos++;
	}
	p->pos++;
	o[k] = '\0';
	*out = o;
	return 0;
}

static int parse_number(struct jp *p, double *out)
{
	size_t start = p->pos;
	char buf[64], *end;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
	} else if (peek(p) >= '1' && peek(p) <= '9') {
		while (peek(p) >= '0' && peek(p) <= '9')
			p->pos++;
	} else {
		return fail(p, "bad number");
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!(peek(p) >= '0' && peek(p) <= '9'))
			return fail(p, "bad fraction");
		while (peek(p) >= '0' && peek(p) <= '9')
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!(peek(p) >= '0' && peek(p) <= '9'))
			return fail(p, "bad exponent");
		while (peek(p) >= '0' && peek(p) <= '9')
			p->pos++;
	}
	if (p->pos - start >= sizeof(buf))
		return fail(p, "number too long");
	memcpy(buf, p->s + start, p->pos - start);
	buf[p->pos - start] = '\0';
	*out = strtod(buf, &end);
	return 0;
}

static int parse_value(struct jp *p, struct jv *v);

static int grow(struct jp *p, struct jv *v, size_t *cap, int with_keys)
{
	size_t nc = *cap ? *cap * 2 : 8;
	struct jv *ni;

	ni = realloc(v->items, nc * sizeof(*ni));
	if (!ni)
		return fail(p, "out of memory");
	v->items = ni;
	if (with_keys) {
		char **nk = realloc(v->keys, nc * sizeof(*nk));

		if (!nk)
			return fail(p, "out of memory");
		v->keys = nk;
	}
	*cap = nc;
	return 0;
}

/* Array or object: the same loop, objects read "key": before each value. */
static int parse_container(struct jp *p, struct jv *v, int obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;

	if (++p->depth > JV_MAX_DEPTH)
		return fail(p, "nesting deeper than %d", JV_MAX_DEPTH);
	v->type = obj ? JV_OBJ : JV_ARR;
	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		if (v->n == cap && grow(p, v, &cap, obj))
			return -1;
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (obj) {
			skip_ws(p);
			if (peek(p) != '"')
				return fail(p, "expected a key");
			if (parse_string(p, &v->keys[v->n]))
				return -1;
			skip_ws(p);
			if (peek(p) != ':') {
				free(v->keys[v->n]);
				return fail(p, "expected ':'");
			}
			p->pos++;
		}
		v->n++;
		if (parse_value(p, &v->items[v->n - 1]))
			return -1;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == close) {
			p->pos++;
			p->depth--;
			return 0;
		}
		return fail(p, "expected ',' or '%c'", close);
	}
}

static int parse_value(struct jp *p, struct jv *v)
{
	int c;

	skip_ws(p);
	c = peek(p);
	switch (c) {
	case '{':
		return parse_container(p, v, 1);
	case '[':
		return parse_container(p, v, 0);
	case '"':
		v->type = JV_STR;
		return parse_string(p, &v->str);
	case 't':
		v->type = JV_BOOL;
		v->num = 1;
		return literal(p, "true");
	case 'f':
		v->type = JV_BOOL;
		return literal(p, "false");
	case 'n':
		v->type = JV_NULL;
		return literal(p, "null");
	case -1:
		return fail(p, "unexpected end of input");
	default:
		v->type = JV_NUM;
		return parse_number(p, &v->num);
	}
}

static void jv_clear(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jv_clear(&v->items[i]);
		if (v->type == JV_OBJ)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	jv_clear(v);
	free(v);
}

struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct jp p = { .s = text, .len = len, .err = err, .errlen = errlen };
	struct jv *v = calloc(1, sizeof(*v));

	if (err && errlen)
		err[0] = '\0';
	if (!v)
		return NULL;
	if (parse_value(&p, v) == 0) {
		skip_ws(&p);
		if (p.pos == p.len)
			return v;
		fail(&p, "trailing data after the value");
	}
	jv_free(v);
	return NULL;
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JV_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

const struct jv *jv_path(const struct jv *v, const char *dotted)
{
	char key[128];
	const char *dot;

	while (v && *dotted) {
		size_t n;

		dot = strchr(dotted, '.');
		n = dot ? (size_t)(dot - dotted) : strlen(dotted);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, dotted, n);
		key[n] = '\0';
		v = jv_get(v, key);
		dotted += n + (dot ? 1 : 0);
	}
	return v;
}

double jv_num(const struct jv *v)
{
	return v && (v->type == JV_NUM) ? v->num : NAN;
}

const char *jv_str(const struct jv *v)
{
	return v && v->type == JV_STR ? v->str : NULL;
}
