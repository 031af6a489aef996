// SPDX-License-Identifier: GPL-2.0
/* syslat c2c output: the matrix as a table, JSON, and a gnuplot heatmap (c2c.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "c2c.h"
#include "json.h"
#include "tsc.h"
#include "util.h"

#ifndef SYSLAT_VERSION
#define SYSLAT_VERSION "unknown"
#endif

/* ns unless the TSC counts instructions (icount): then ticks. */
static double shown(const struct c2c_cfg *cfg, double ticks)
{
	return cfg->tsc->icount ? ticks : tsc_to_ns(cfg->tsc, ticks);
}

static const char *shown_unit(const struct c2c_cfg *cfg)
{
	return cfg->tsc->icount ? tsc_unit(cfg->tsc) : "ns";
}

void c2c_print_table(FILE *f, const struct c2c_cfg *cfg)
{
	int a, b;

	fprintf(f, "# syslat c2c: one-way cache-line latency (round trip / 2), %s, median of %llu "
		"rounds of %llu round trips; rows: from CPU, columns: to CPU\n", shown_unit(cfg),
		(unsigned long long)cfg->rounds, (unsigned long long)cfg->iters);
	fprintf(f, "%8s", "from\\to");
	for (b = 0; b < cfg->ncpu; b++)
		fprintf(f, " %9d", cfg->cpu[b]);
	fputc('\n', f);
	for (a = 0; a < cfg->ncpu; a++) {
		fprintf(f, "%8d", cfg->cpu[a]);
		for (b = 0; b < cfg->ncpu; b++)
			if (a == b)
				fprintf(f, " %9s", "-");
			else
				fprintf(f, " %9.1f", shown(cfg, cfg->m[a][b].one_way));
		fputc('\n', f);
	}
	for (a = 0; a < cfg->ncpu; a++)
		for (b = 0; b < cfg->ncpu; b++)
			if (a != b)
				fprintf(f, "# %d -> %d  %-10s %9.1f %s (%.0f %s), least disturbed round "
					"%.1f %s\n", cfg->cpu[a], cfg->cpu[b],
					topo_class_name(cfg->m[a][b].cls),
					shown(cfg, cfg->m[a][b].one_way), shown_unit(cfg),
					cfg->m[a][b].one_way, tsc_unit(cfg->tsc),
					shown(cfg, cfg->m[a][b].min_one_way), shown_unit(cfg));
}

static void pair_json(json_writer_t *w, const struct c2c_cfg *cfg, int a, int b)
{
	const struct c2c_pair *p = &cfg->m[a][b];

	jsonw_start_object(w);
	jsonw_int_field(w, "from", cfg->cpu[a]);
	jsonw_int_field(w, "to", cfg->cpu[b]);
	jsonw_string_field(w, "class", topo_class_name(p->cls));
	jsonw_float_field(w, "one_way", p->one_way);
	jsonw_float_field(w, "min_one_way", p->min_one_way);
	if (cfg->tsc->icount) {
		jsonw_null_field(w, "one_way_ns");
	} else {
		jsonw_float_field(w, "one_way_ns", tsc_to_ns(cfg->tsc, p->one_way));
	}
	jsonw_end_object(w);
}

void c2c_print_json(FILE *f, const struct c2c_cfg *cfg, int argc, char **argv)
{
	json_writer_t *w = jsonw_new(f);
	int a, b;

	jsonw_pretty(w, 1);
	jsonw_start_object(w);
	jsonw_uint_field(w, "schema_version", 1);
	jsonw_string_field(w, "tool", "syslat c2c");
	jsonw_string_field(w, "version", SYSLAT_VERSION);
	jsonw_string_array_field(w, "argv", argv, argc);
	jsonw_uint_field(w, "time", (uint64_t)time(NULL));
	jsonw_string_field(w, "unit", tsc_unit(cfg->tsc));
	jsonw_float_field(w, "tsc_khz", cfg->tsc->khz);
	jsonw_string_field(w, "what", "one way = half the round trip of one cache line; "
			   "median of the rounds");
	jsonw_uint_field(w, "rounds", cfg->rounds);
	jsonw_uint_field(w, "iters", cfg->iters);
	jsonw_float_field(w, "timer_overhead", cfg->timer_ovh);
	jsonw_name(w, "cpus");	/* where each CPU of the matrix sits */
	jsonw_start_array(w);
	for (a = 0; a < cfg->ncpu; a++)
		topo_ids_json(w, NULL, cfg->cpu[a]);
	jsonw_end_array(w);
	jsonw_name(w, "pairs");
	jsonw_start_array(w);
	for (a = 0; a < cfg->ncpu; a++)
		for (b = 0; b < cfg->ncpu; b++)
			if (a != b)
				pair_json(w, cfg, a, b);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);
}

int c2c_svg(const struct c2c_cfg *cfg)
{
	struct gnuplot gp;
	int a, b, err = gnuplot_open(&gp, cfg->svg);

	if (err)
		return err;
	fprintf(gp.f, "set terminal svg size 640,560 background rgb 'white'\n"
		"set title 'syslat c2c: one-way cache-line latency (%s)'\n"
		"set xlabel 'to CPU'\nset ylabel 'from CPU'\nset size ratio -1\n"
		"set palette rgbformulae 22,13,-31\nset cblabel '%s'\n"
		"set datafile missing 'NaN'\n$M << EOD\n",
		shown_unit(cfg), shown_unit(cfg));
	for (a = 0; a < cfg->ncpu; a++) {
		for (b = 0; b < cfg->ncpu; b++)
			if (a == b)	/* the diagonal: no pair */
				fprintf(gp.f, "%sNaN", b ? " " : "");
			else
				fprintf(gp.f, "%s%.3f", b ? " " : "",
					shown(cfg, cfg->m[a][b].one_way));
		fputc('\n', gp.f);
	}
	fputs("EOD\nset xtics (", gp.f);
	for (b = 0; b < cfg->ncpu; b++)
		fprintf(gp.f, "%s'%d' %d", b ? ", " : "", cfg->cpu[b], b);
	fputs(")\nset ytics (", gp.f);
	for (a = 0; a < cfg->ncpu; a++)
		fprintf(gp.f, "%s'%d' %d", a ? ", " : "", cfg->cpu[a], a);
	fputs(")\nplot $M matrix with image notitle\n", gp.f);
	return gnuplot_close(&gp);
}
