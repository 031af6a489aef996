// SPDX-License-Identifier: GPL-2.0
/*
 * syslat matrix LOG...: the mitigation matrix of vm-bench --matrix. Per
 * kernel and benchmark, each configuration's median (of per-round means,
 * pooled over boots) and two differences with 95 % bootstrap CIs:
 *   cost    = default - config   what the knob turned off in config costs
 *                                on top of every other default mitigation
 *   vs off  = config - off       what still costs with that knob off
 * The configurations' kernel parameters (their command line beyond the
 * default's), verdicts (vm-bench's matrix.tsv: did the guest's
 * vulnerabilities change) and the vulnerabilities that differ from the
 * default's are listed first. --out DIR: matrix.json.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "matrix.h"
#include "matrix-out.h"
#include "util.h"

static int load_verdicts(struct mx_verdicts *vd, const char *path)
{
	char *text = read_text_file(path, 1 << 20), *save = NULL, *line;

	if (!text) {
		fprintf(stderr, "syslat matrix: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5];
		int i;

		for (i = 0; i < 5 && line; i++) {
			f[i] = line;
			line = strchr(line, '\t');
			if (line)
				*line++ = '\0';
		}
		if (i < 5 || !strcmp(f[0], "kernel") || vd->n == MX_MAX_VERDICTS)
			continue;
		vd->kernel[vd->n] = strdup(f[0]);
		vd->config[vd->n] = strdup(f[1]);
		vd->verdict[vd->n] = strdup(f[4]);
		vd->n++;
	}
	free(text);
	return 0;
}

static void free_verdicts(struct mx_verdicts *vd)
{
	size_t i;

	for (i = 0; i < vd->n; i++) {
		free(vd->kernel[i]);
		free(vd->config[i]);
		free(vd->verdict[i]);
	}
}

/* "+12.0 [+11.0, +13.0]*": '*' when the interval excludes 0. */
static void fmt_diff(char *buf, size_t len, const struct mx_cell *a, const struct mx_cell *b)
{
	double d, lo, hi;

	mx_diff(a, b, &d, &lo, &hi);
	if (isnan(d))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f [%+.1f, %+.1f]%s", d, lo, hi,
			 lo > 0 || hi < 0 ? "*" : "");
}

static void print_confs(const struct mx *m, const char *kernel, const struct mx_opts *o)
{
	const struct mx_conf *def = mx_conf_find(m, kernel, o->def);
	char params[512];
	size_t i, j;

	printf("# configurations (parameters beyond the default's; vulnerabilities that differ):\n");
	for (i = 0; i < m->nk; i++) {
		const struct mx_conf *k = &m->k[i];
		const char *v = mx_verdict(o->vd, kernel, k->config);

		if (strcmp(k->kernel, kernel))
			continue;
		mx_params(k, def, params, sizeof(params));
		printf("#   %-26s %u boot(s)  %s%s%s\n", k->config, k->boots, params,
		       v ? "  => " : "", v ? v : "");
		for (j = 0; def && k != def && j < k->nv; j++) {
			const char *dv = mx_vuln(def, k->vkey[j]);

			if (!dv || strcmp(dv, k->vval[j]))
				printf("#       %s: %s\n", k->vkey[j], k->vval[j]);
		}
	}
}

static void print_kernel(const struct mx *m, const char *kernel, const struct mx_opts *o)
{
	char c1[64], c2[64];
	size_t i, j;

	for (i = 0; i < m->nc && strcmp(m->c[i].kernel, kernel); i++)
		;
	printf("# kernel %s: unit %s; median of per-round means over boots x rounds\n", kernel,
	       i < m->nc ? m->c[i].unit : "?");
	printf("# cost = %s - config (what the knob adds to the default); vs off = config - %s;\n"
	       "# [95 %% CI]: bootstrap over boots, then rounds within a boot; '*': the CI excludes 0\n",
	       o->def, o->off);
	print_confs(m, kernel, o);
	printf("%-16s %-26s %10s %6s  %-28s %-28s\n", "benchmark", "config", "median", "rounds",
	       "cost (default - config)", "vs off (config - off)");
	for (i = 0; i < m->nc; i++) {
		const struct mx_cell *d = &m->c[i], *off;

		if (strcmp(d->kernel, kernel) || strcmp(d->config, o->def))
			continue;
		off = mx_cell_find(m, kernel, o->off, d->name);
		for (j = 0; j < m->nk; j++) {
			const struct mx_cell *c;

			if (strcmp(m->k[j].kernel, kernel) ||
			    !(c = mx_cell_find(m, kernel, m->k[j].config, d->name)))
				continue;
			fmt_diff(c1, sizeof(c1), c == d ? NULL : d, c);
			fmt_diff(c2, sizeof(c2), c == off ? NULL : c, off);
			printf("%-16s %-26s %10.1f %6zu  %-28s %-28s\n", d->name, c->config,
			       mx_median(c), mx_rounds(c), c1, c2);
		}
	}
}

static int usage(int err)
{
	fprintf(err ? stderr : stdout,
		"usage: syslat matrix [--default NAME] [--off NAME] [--verdicts FILE] [--out DIR] LOG...\n"
		"  The mitigation matrix of vm-bench --matrix mitigations: per kernel and\n"
		"  benchmark, each configuration's cost against the default configuration\n"
		"  (default: 'default') and mitigations=off (default: 'nomitig'), 95 %% CIs.\n"
		"  --verdicts: vm-bench's matrix.tsv; --out DIR: writes DIR/matrix.json.\n");
	return err ? 2 : 0;
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "default", required_argument, NULL, 'd' },
		{ "off", required_argument, NULL, 'f' },
		{ "verdicts", required_argument, NULL, 'v' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mx_verdicts vd = { 0 };
	struct mx_opts o = { .def = "default", .off = "nomitig", .vd = &vd };
	const char *vpath = NULL, *out = NULL;
	struct mx m = { 0 };
	int c, i, rc = 0;
	size_t k;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o.def = optarg; break;
		case 'f': o.off = optarg; break;
		case 'v': vpath = optarg; break;
		case 'o': out = optarg; break;
		default: return usage(c != 'h');
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "syslat matrix: give at least one console log\n");
		return 2;
	}
	if (vpath && load_verdicts(&vd, vpath))
		rc = -1;
	for (i = optind; i < argc && !rc; i++)
		rc = mx_add_log(&m, argv[i]);
	for (k = 0; !rc && k < m.nk; k++) {
		if (mx_kernel_seen(&m, k))
			continue;
		if (!mx_conf_find(&m, m.k[k].kernel, o.def) || !mx_conf_find(&m, m.k[k].kernel, o.off))
			fprintf(stderr, "syslat matrix: warning: kernel %s lacks '%s' or '%s'\n",
				m.k[k].kernel, o.def, o.off);
		printf("%s", k ? "\n" : "");
		print_kernel(&m, m.k[k].kernel, &o);
	}
	if (!rc && out && (rc = mx_write_json(out, &m, &o)) != 0)
		fprintf(stderr, "syslat matrix: writing %s/matrix.json: %s\n", out, strerror(-rc));
	mx_free(&m);
	free_verdicts(&vd);
	return rc ? 1 : 0;
}
