// SPDX-License-Identifier: GPL-2.0
/* The mitigation matrix's data: console logs in, per-boot round means out. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "matrix.h"
#include "util.h"

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	void *np;
	size_t nc;

	if (n < *cap)
		return p;
	nc = *cap ? *cap * 2 : 16;
	np = realloc(p, nc * size);
	if (np)
		*cap = nc;
	return np;
}

const struct mx_cell *mx_cell_find(const struct mx *m, const char *kernel, const char *config,
				   const char *name)
{
	size_t i;

	for (i = 0; i < m->nc; i++)
		if (!strcmp(m->c[i].kernel, kernel) && !strcmp(m->c[i].config, config) &&
		    !strcmp(m->c[i].name, name))
			return &m->c[i];
	return NULL;
}

const struct mx_conf *mx_conf_find(const struct mx *m, const char *kernel, const char *config)
{
	size_t i;

	for (i = 0; i < m->nk; i++)
		if (!strcmp(m->k[i].kernel, kernel) && !strcmp(m->k[i].config, config))
			return &m->k[i];
	return NULL;
}

const char *mx_vuln(const struct mx_conf *k, const char *key)
{
	size_t i;

	for (i = 0; k && i < k->nv; i++)
		if (!strcmp(k->vkey[i], key))
			return k->vval[i];
	return NULL;
}

/* The configuration's command line and vulnerabilities, from its first boot seen. */
static int add_conf(struct mx *m, const char *kernel, const char *config, const struct jv *root)
{
	const struct jv *vu = jv_path(root, "env.vulnerabilities");
	struct mx_conf *k = (struct mx_conf *)mx_conf_find(m, kernel, config);
	size_t i;

	if (k) {
		k->boots++;
		return 0;
	}
	if (!(m->k = grow(m->k, &m->capk, m->nk, sizeof(*m->k))))
		return -ENOMEM;
	k = &m->k[m->nk++];
	memset(k, 0, sizeof(*k));
	snprintf(k->kernel, sizeof(k->kernel), "%s", kernel);
	snprintf(k->config, sizeof(k->config), "%s", config);
	k->boots = 1;
	k->cmdline = strdup(jv_str(jv_path(root, "env.kernel_cmdline")) ?: "?");
	if (!vu || vu->type != JV_OBJ)
		return k->cmdline ? 0 : -ENOMEM;
	k->vkey = calloc(vu->n + 1, sizeof(char *));
	k->vval = calloc(vu->n + 1, sizeof(char *));
	if (!k->cmdline || !k->vkey || !k->vval)
		return -ENOMEM;
	for (i = 0; i < vu->n; i++, k->nv++) {
		k->vkey[i] = strdup(vu->keys[i]);
		k->vval[i] = strdup(jv_str(&vu->items[i]) ?: "?");
		if (!k->vkey[i] || !k->vval[i])
			return -ENOMEM;
	}
	return 0;
}

static int add_result(struct mx *m, const char *kernel, const char *config, unsigned int boot,
		      const char *unit, const struct jv *res)
{
	const char *name = jv_str(jv_get(res, "name"));
	const struct jv *rm = jv_get(res, "round_means"), *sk = jv_get(res, "skipped");
	struct mx_cell *c;
	struct mx_boot *b;
	size_t i;

	if (!name || !rm || rm->type != JV_ARR || !rm->n || (sk && sk->num))
		return 0;	/* nothing to pool (skipped, or no rounds: the phases) */
	c = (struct mx_cell *)mx_cell_find(m, kernel, config, name);
	if (!c) {
		if (!(m->c = grow(m->c, &m->capc, m->nc, sizeof(*m->c))))
			return -ENOMEM;
		c = &m->c[m->nc++];
		memset(c, 0, sizeof(*c));
		snprintf(c->kernel, sizeof(c->kernel), "%s", kernel);
		snprintf(c->config, sizeof(c->config), "%s", config);
		snprintf(c->name, sizeof(c->name), "%s", name);
		snprintf(c->unit, sizeof(c->unit), "%s", unit);
	} else if (strcmp(c->unit, unit)) {
		fprintf(stderr, "syslat matrix: %s %s %s mixes %s and %s\n", kernel, config, name,
			c->unit, unit);
		return -EINVAL;
	}
	if (!(b = realloc(c->b, (c->nb + 1) * sizeof(*b))))
		return -ENOMEM;
	c->b = b;
	b = &c->b[c->nb++];
	b->boot = boot;
	b->n = 0;
	if (!(b->v = calloc(rm->n, sizeof(double))))
		return -ENOMEM;
	for (i = 0; i < rm->n; i++)
		if (!isnan(jv_num(&rm->items[i])))
			b->v[b->n++] = jv_num(&rm->items[i]);
	return 0;
}

static int add_block(struct mx *m, const struct console_block *cb, const char *path)
{
	const struct jv *res = jv_get(cb->json, "results");
	const char *unit = jv_str(jv_path(cb->json, "tsc.unit")), *p;
	char kernel[96] = "", config[48] = "";
	unsigned int boot = 0;
	size_t i;
	int rc;

	if ((p = strstr(cb->label, "kernel=")))
		sscanf(p + 7, "%95s", kernel);
	if ((p = strstr(cb->label, "config=")))
		sscanf(p + 7, "%47s", config);
	if ((p = strstr(cb->label, "boot=")))
		sscanf(p + 5, "%u", &boot);
	if (!kernel[0] || !config[0] || !res || res->type != JV_ARR || !unit) {
		fprintf(stderr, "syslat matrix: %s line %zu: not a vm-bench result (label "
			"kernel=K config=C, results, tsc.unit)\n", path, cb->line);
		return -EINVAL;
	}
	if ((rc = add_conf(m, kernel, config, cb->json)) != 0)
		return rc;
	for (i = 0; i < res->n; i++)
		if ((rc = add_result(m, kernel, config, boot, unit, &res->items[i])) != 0)
			return rc;
	return 0;
}

int mx_add_log(struct mx *m, const char *path)
{
	char err[256], *text = read_text_file(path, 256 << 20);
	struct console_block *b;
	size_t n, i;
	int rc = 0;

	if (!text) {
		rc = -errno;
		fprintf(stderr, "syslat matrix: cannot read %s: %s\n", path, strerror(errno));
		return rc;
	}
	if (console_parse(text, strlen(text), &b, &n, err, sizeof(err))) {
		fprintf(stderr, "syslat matrix: %s: %s\n", path, err);
		free(text);
		return -EINVAL;
	}
	free(text);
	if (!n) {
		fprintf(stderr, "syslat matrix: %s: no result block (guest crashed or timed out?)\n", path);
		rc = -EINVAL;
	}
	for (i = 0; i < n && !rc; i++)
		rc = add_block(m, &b[i], path);
	console_free(b, n);
	return rc;
}

void mx_free(struct mx *m)
{
	size_t i, j;

	for (i = 0; i < m->nc; i++) {
		for (j = 0; j < m->c[i].nb; j++)
			free(m->c[i].b[j].v);
		free(m->c[i].b);
	}
	for (i = 0; i < m->nk; i++) {
		for (j = 0; j < m->k[i].nv; j++) {
			free(m->k[i].vkey[j]);
			free(m->k[i].vval[j]);
		}
		free(m->k[i].vkey);
		free(m->k[i].vval);
		free(m->k[i].cmdline);
	}
	free(m->c);
	free(m->k);
	memset(m, 0, sizeof(*m));
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Type-7 median of v[0..n-1] (sorted in place), as numpy and stats.c. */
static double median_of(double *v, size_t n)
{
	double r;
	size_t i;

	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_d);
	r = (double)(n - 1) / 2;
	i = (size_t)r;
	return i + 1 < n ? v[i] + (r - (double)i) * (v[i + 1] - v[i]) : v[i];
}

size_t mx_rounds(const struct mx_cell *c)
{
	size_t n = 0, j;

	for (j = 0; c && j < c->nb; j++)
		n += c->b[j].n;
	return n;
}

double mx_median(const struct mx_cell *c)
{
	size_t n = mx_rounds(c), j, k = 0;
	double *v, med;

	if (!n || !(v = malloc(n * sizeof(*v))))
		return NAN;
	for (j = 0; j < c->nb; j++) {
		memcpy(v + k, c->b[j].v, c->b[j].n * sizeof(*v));
		k += c->b[j].n;
	}
	med = median_of(v, n);
	free(v);
	return med;
}

static uint64_t rnd(uint64_t *s)	/* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One two-level resample of @c into @buf (room for nb x max rounds): its median. */
static double resample(const struct mx_cell *c, double *buf, uint64_t *s)
{
	size_t n = 0, j, r;

	for (j = 0; j < c->nb; j++) {
		const struct mx_boot *b = &c->b[c->nb > 1 ? rnd(s) % c->nb : j];

		for (r = 0; b->n && r < b->n; r++)
			buf[n++] = b->v[rnd(s) % b->n];
	}
	return median_of(buf, n);
}

static size_t max_rounds(const struct mx_cell *c)
{
	size_t m = 0, j;

	for (j = 0; j < c->nb; j++)
		m = c->b[j].n > m ? c->b[j].n : m;
	return m * c->nb;
}

void mx_diff(const struct mx_cell *a, const struct mx_cell *b, double *d, double *lo, double *hi)
{
	double *ba, *bb, *ds;
	uint64_t s = MX_SEED;
	size_t i, n = 0;

	*d = *lo = *hi = NAN;
	if (!a || !b || !mx_rounds(a) || !mx_rounds(b))
		return;
	*d = mx_median(a) - mx_median(b);
	ba = malloc(max_rounds(a) * sizeof(double));
	bb = malloc(max_rounds(b) * sizeof(double));
	ds = malloc(MX_RESAMPLES * sizeof(double));
	if (ba && bb && ds) {
		for (i = 0; i < MX_RESAMPLES; i++) {
			double x = resample(a, ba, &s), y = resample(b, bb, &s);

			if (!isnan(x) && !isnan(y))
				ds[n++] = x - y;
		}
		qsort(ds, n, sizeof(*ds), cmp_d);
		if (n) {
			*lo = ds[(size_t)(0.025 * (double)(n - 1))];
			*hi = ds[(size_t)ceil(0.975 * (double)(n - 1))];
		}
	}
	free(ba);
	free(bb);
	free(ds);
}
