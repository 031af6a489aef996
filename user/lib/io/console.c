// SPDX-License-Identifier: GPL-2.0
/* Extract JSON result blocks from a guest's serial console (see console.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

struct cp {
	struct console_block *b;
	size_t n, cap;
	char *body;		/* JSON text of the open block */
	size_t body_len, body_cap;
	int open;
};

static int body_append(struct cp *c, const char *s, size_t n)
{
	if (c->body_len + n + 2 > c->body_cap) {
		size_t nc = (c->body_len + n + 2) * 2;
		char *nb = realloc(c->body, nc);

		if (!nb)
			return -1;
		c->body = nb;
		c->body_cap = nc;
	}
	memcpy(c->body + c->body_len, s, n);
	c->body_len += n;
	c->body[c->body_len++] = '\n';
	return 0;
}

static void set_label(char *dst, size_t len, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int close_block(struct cp *c, size_t line, char *err, size_t errlen)
{
	char jerr[160];
	struct console_block *b = &c->b[c->n];

	b->json = jv_parse(c->body ? c->body : "", c->body_len, jerr, sizeof(jerr));
	if (!b->json) {
		snprintf(err, errlen, "block '%s' (lines %zu-%zu): %s", b->label, b->line, line, jerr);
		return -1;
	}
	c->n++;
	c->open = 0;
	return 0;
}

/* One console line: a marker, a body line, or garbage outside any block. */
static int feed(struct cp *c, const char *s, size_t n, size_t line, char *err, size_t errlen)
{
	char tmp[4096];
	const char *beg, *end;

	set_label(tmp, sizeof(tmp), s, n);	/* NUL-terminated copy for strstr */
	beg = strstr(tmp, CONSOLE_BEGIN);
	end = strstr(tmp, CONSOLE_END);
	if (beg) {
		if (c->open) {
			snprintf(err, errlen, "line %zu: block '%s' from line %zu interleaved with a new one",
				 line, c->b[c->n].label, c->b[c->n].line);
			return -1;
		}
		if (c->n == c->cap) {
			size_t nc = c->cap ? c->cap * 2 : 8;
			struct console_block *nb = realloc(c->b, nc * sizeof(*nb));

			if (!nb)
				return -1;
			c->b = nb;
			c->cap = nc;
		}
		memset(&c->b[c->n], 0, sizeof(c->b[0]));
		beg += strlen(CONSOLE_BEGIN);
		set_label(c->b[c->n].label, sizeof(c->b[0].label), beg, strlen(beg));
		c->b[c->n].line = line;
		c->body_len = 0;
		c->open = 1;
		return 0;
	}
	if (end) {
		if (!c->open) {
			snprintf(err, errlen, "line %zu: end marker without a begin marker", line);
			return -1;
		}
		return close_block(c, line, err, errlen);
	}
	if (c->open && body_append(c, s, n)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void console_free(struct console_block *blocks, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		jv_free(blocks[i].json);
	free(blocks);
}

int console_parse(const char *text, size_t len, struct console_block **blocks, size_t *n,
		  char *err, size_t errlen)
{
	struct cp c = { 0 };
	size_t pos = 0, line = 0;
	int rc = 0;

	while (pos < len && rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;

		rc = feed(&c, text + pos, ll, ++line, err, errlen);
		pos += ll + 1;
	}
	if (rc == 0 && c.open) {
		snprintf(err, errlen, "truncated: block '%s' from line %zu has no end marker",
			 c.b[c.n].label, c.b[c.n].line);
		rc = -1;
	}
	free(c.body);
	if (rc) {
		console_free(c.b, c.n);
		return -1;
	}
	*blocks = c.b;
	*n = c.n;
	return 0;
}
