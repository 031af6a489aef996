// SPDX-License-Identifier: GPL-2.0
/* Folded stacks and the per-function table (prof-fold.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "prof-fold.h"

void fold_init(struct fold *f)
{
	memset(f, 0, sizeof(*f));
}

void fold_destroy(struct fold *f)
{
	size_t i;

	for (i = 0; i < f->cap; i++)
		free(f->v[i].stack);
	free(f->v);
	fold_init(f);
}

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct fold_ent *slot(struct fold_ent *v, size_t cap, const char *s, size_t len)
{
	size_t i = hash(s, len) & (cap - 1);

	while (v[i].stack && (strlen(v[i].stack) != len || memcmp(v[i].stack, s, len)))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static int grow(struct fold *f)
{
	size_t cap = f->cap ? 2 * f->cap : 1024, i;
	struct fold_ent *v = calloc(cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (i = 0; i < f->cap; i++)
		if (f->v[i].stack)
			*slot(v, cap, f->v[i].stack, strlen(f->v[i].stack)) = f->v[i];
	free(f->v);
	f->v = v;
	f->cap = cap;
	return 0;
}

static int add_len(struct fold *f, const char *stack, size_t len, uint64_t n)
{
	struct fold_ent *e;

	if (2 * (f->used + 1) > f->cap && grow(f))
		return -ENOMEM;
	e = slot(f->v, f->cap, stack, len);
	if (!e->stack) {
		e->stack = strndup(stack, len);
		if (!e->stack)
			return -ENOMEM;
		f->used++;
	}
	e->n += n;
	f->total += n;
	return 0;
}

int fold_add(struct fold *f, const char *stack, uint64_t n)
{
	return add_len(f, stack, strlen(stack), n);
}

int fold_load(struct fold *f, FILE *in, char *err, size_t errlen)
{
	char *line = NULL, *sp, *end;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	uint64_t n;
	int rc = 0;

	while (!rc && (len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		sp = strrchr(line, ' ');
		errno = 0;
		n = sp ? strtoull(sp + 1, &end, 10) : 0;
		if (!sp || sp == line || !sp[1] || *end || errno || sp[1] == '-') {
			snprintf(err, errlen, "line %zu: not 'frame;frame;... COUNT'", lineno);
			rc = -1;
		} else if (add_len(f, line, (size_t)(sp - line), n)) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
	}
	free(line);
	if (!rc && ferror(in)) {
		snprintf(err, errlen, "read error");
		rc = -1;
	}
	return rc;
}

static int cmp_stack(const void *a, const void *b)
{
	return strcmp((*(struct fold_ent *const *)a)->stack, (*(struct fold_ent *const *)b)->stack);
}

struct fold_ent **fold_sorted(const struct fold *f, size_t *n)
{
	struct fold_ent **v = malloc((f->used + 1) * sizeof(*v));
	size_t i, k = 0;

	if (!v)
		return NULL;
	for (i = 0; i < f->cap; i++)
		if (f->v[i].stack)
			v[k++] = &f->v[i];
	qsort(v, k, sizeof(*v), cmp_stack);
	*n = k;
	return v;
}

int fold_write(const struct fold *f, FILE *out)
{
	struct fold_ent **v;
	size_t n, i;

	v = fold_sorted(f, &n);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		fprintf(out, "%s %" PRIu64 "\n", v[i]->stack, v[i]->n);
	free(v);
	return ferror(out) ? -EIO : 0;
}

static struct func_row *row(struct func_row **rows, size_t *n, size_t *cap,
			    const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*rows)[i].len == len && !memcmp((*rows)[i].name, name, len))
			return &(*rows)[i];
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 256;
		struct func_row *r = realloc(*rows, c * sizeof(*r));

		if (!r)
			return NULL;
		*rows = r;
		*cap = c;
	}
	(*rows)[*n] = (struct func_row){ .name = name, .len = len };
	return &(*rows)[(*n)++];
}

static int cmp_row(const void *a, const void *b)
{
	const struct func_row *x = a, *y = b;
	size_t l = x->len < y->len ? x->len : y->len;
	int c;

	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	c = memcmp(x->name, y->name, l);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Did frame [p, p+len) already occur in stack before p? */
static int seen_before(const char *stack, const char *p, size_t len)
{
	const char *s = stack, *q;

	for (; s < p; s = q + 1) {
		q = strchr(s, ';');
		if ((size_t)(q - s) == len && !memcmp(s, p, len))
			return 1;
	}
	return 0;
}

/* Totals count a function once per stack (recursion); self is the leaf. */
static int account(struct func_row **rows, size_t *n, size_t *cap, const struct fold_ent *e)
{
	const char *p = e->stack, *q;
	struct func_row *r = NULL;

	for (; *p; p = *q ? q + 1 : q) {
		q = strchr(p, ';');
		if (!q)
			q = p + strlen(p);
		r = row(rows, n, cap, p, (size_t)(q - p));
		if (!r)
			return -ENOMEM;
		if (!seen_before(e->stack, p, (size_t)(q - p)))
			r->total += e->n;
	}
	if (r)
		r->self += e->n;
	return 0;
}

struct func_row *fold_functions(const struct fold *f, size_t *n)
{
	struct func_row *rows = NULL;
	size_t cap = 0, i;

	*n = 0;
	for (i = 0; i < f->cap; i++)
		if (f->v[i].stack && account(&rows, n, &cap, &f->v[i])) {
			free(rows);
			return NULL;
		}
	if (!rows)
		rows = calloc(1, sizeof(*rows));
	if (rows)
		qsort(rows, *n, sizeof(*rows), cmp_row);
	return rows;
}
