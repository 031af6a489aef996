/* SPDX-License-Identifier: GPL-2.0 */
/* The core-to-core latency matrix (syslat c2c): measurement (c2c.c) and output (c2c-report.c). */
#ifndef SYSLAT_C2C_H
#define SYSLAT_C2C_H

#include <stdint.h>
#include <stdio.h>

#include "topo.h"

#define C2C_MAX_CPUS 64

struct tsc_info;

struct c2c_pair {
	double one_way;		/* ticks: median over rounds of round trip / 2; NaN on the diagonal */
	double min_one_way;	/* ticks: least disturbed round */
	enum topo_class cls;
};

struct c2c_cfg {
	uint64_t rounds, iters;
	int json;
	const char *svg;
	const struct tsc_info *tsc;
	int ncpu;
	int cpu[C2C_MAX_CPUS];
	double timer_ovh;	/* ticks of the empty window, subtracted per round */
	struct c2c_pair m[C2C_MAX_CPUS][C2C_MAX_CPUS];	/* [from][to], indexes into cpu[] */
};

/* Every ordered pair: 0, or -errno (message printed). */
int c2c_measure(struct c2c_cfg *cfg);
void c2c_print_table(FILE *f, const struct c2c_cfg *cfg);
void c2c_print_json(FILE *f, const struct c2c_cfg *cfg, int argc, char **argv);
int c2c_svg(const struct c2c_cfg *cfg);	/* 0 or -errno */

#endif
