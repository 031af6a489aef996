// SPDX-License-Identifier: GPL-2.0
/* matrix.json: every configuration (parameters, verdict, vulnerabilities)
 * and every row of the table, differences with their 95 % CIs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "matrix-out.h"
#include "util.h"

int mx_kernel_seen(const struct mx *m, size_t k)
{
	size_t j;

	for (j = 0; j < k; j++)
		if (!strcmp(m->k[j].kernel, m->k[k].kernel))
			return 1;
	return 0;
}

/* The command line of @k beyond the default's, vm-bench's own vmb.* left out. */
void mx_params(const struct mx_conf *k, const struct mx_conf *def, char *buf, size_t len)
{
	char *dup = strdup(k->cmdline), *save = NULL, *t;
	size_t off = 0;

	buf[0] = '\0';
	for (t = dup ? strtok_r(dup, " ", &save) : NULL; t; t = strtok_r(NULL, " ", &save)) {
		const char *d = def ? def->cmdline : "";
		size_t n = strlen(t);
		const char *p = strstr(d, t);
		int in_def = p && (p == d || p[-1] == ' ') && (p[n] == ' ' || !p[n]);

		if (!strncmp(t, "vmb.", 4) || in_def || off + n + 2 >= len)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? " " : "", t);
	}
	free(dup);
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* vm-bench's verdict of KERNEL CONFIG from matrix.tsv, or NULL. */
const char *mx_verdict(const struct mx_verdicts *vd, const char *kernel, const char *config)
{
	size_t i;

	for (i = 0; vd && i < vd->n; i++)
		if (!strcmp(vd->kernel[i], kernel) && !strcmp(vd->config[i], config))
			return vd->verdict[i];
	return NULL;
}

static void diff_json(json_writer_t *w, const char *name, const struct mx_cell *a,
		      const struct mx_cell *b)
{
	double d, lo, hi;

	mx_diff(a, b, &d, &lo, &hi);
	jsonw_name(w, name);
	if (isnan(d)) {
		jsonw_null(w);
		return;
	}
	jsonw_start_object(w);
	jsonw_float_field(w, "diff", d);
	jsonw_float_field(w, "ci95_lo", lo);
	jsonw_float_field(w, "ci95_hi", hi);
	jsonw_end_object(w);
}

static void conf_json(json_writer_t *w, const struct mx_conf *k, const struct mx_conf *def,
		      const struct mx_opts *o)
{
	char params[512];
	size_t j;

	mx_params(k, def, params, sizeof(params));
	jsonw_start_object(w);
	jsonw_string_field(w, "config", k->config);
	jsonw_string_field(w, "params", params);
	jsonw_string_field(w, "kernel_cmdline", k->cmdline);
	jsonw_string_field(w, "verdict", mx_verdict(o->vd, k->kernel, k->config));
	jsonw_uint_field(w, "boots", k->boots);
	jsonw_name(w, "vulnerabilities");
	jsonw_start_object(w);
	for (j = 0; j < k->nv; j++)
		jsonw_string_field(w, k->vkey[j], k->vval[j]);
	jsonw_end_object(w);
	jsonw_end_object(w);
}

static void rows_json(json_writer_t *w, const struct mx *m, const char *kernel,
		      const struct mx_opts *o)
{
	size_t i;

	jsonw_name(w, "rows");
	jsonw_start_array(w);
	for (i = 0; i < m->nc; i++) {
		const struct mx_cell *c = &m->c[i];
		const struct mx_cell *d = mx_cell_find(m, kernel, o->def, c->name);
		const struct mx_cell *off = mx_cell_find(m, kernel, o->off, c->name);

		if (strcmp(c->kernel, kernel))
			continue;
		jsonw_start_object(w);
		jsonw_string_field(w, "benchmark", c->name);
		jsonw_string_field(w, "config", c->config);
		jsonw_string_field(w, "unit", c->unit);
		jsonw_float_field(w, "median", mx_median(c));
		jsonw_uint_field(w, "rounds", mx_rounds(c));
		jsonw_uint_field(w, "boots", c->nb);
		diff_json(w, "cost_vs_default", c == d ? NULL : d, c);
		diff_json(w, "vs_off", c == off ? NULL : c, off);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void write_json(FILE *f, const struct mx *m, const struct mx_opts *o)
{
	json_writer_t *w = jsonw_new(f);
	size_t k, j;

	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", 1);
	jsonw_string_field(w, "tool", "syslat matrix " SYSLAT_VERSION);
	jsonw_string_field(w, "default_config", o->def);
	jsonw_string_field(w, "off_config", o->off);
	jsonw_name(w, "kernels");
	jsonw_start_array(w);
	for (k = 0; k < m->nk; k++) {
		const char *kernel = m->k[k].kernel;

		if (mx_kernel_seen(m, k))
			continue;
		jsonw_start_object(w);
		jsonw_string_field(w, "kernel", kernel);
		jsonw_name(w, "configs");
		jsonw_start_array(w);
		for (j = 0; j < m->nk; j++)
			if (!strcmp(m->k[j].kernel, kernel))
				conf_json(w, &m->k[j], mx_conf_find(m, kernel, o->def), o);
		jsonw_end_array(w);
		rows_json(w, m, kernel, o);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
}

int mx_write_json(const char *dir, const struct mx *m, const struct mx_opts *o)
{
	struct atomic_file af;
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/matrix.json", dir);
	if ((err = atomic_open(&af, path)) != 0)
		return err;
	write_json(af.f, m, o);
	return atomic_commit(&af, 1);
}
