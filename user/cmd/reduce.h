/* SPDX-License-Identifier: GPL-2.0 */
/* syslat reduce's pooled cells (cmd-reduce.c) and its side-by-side tables
 * (reduce-side.c). */
#ifndef SYSLAT_REDUCE_H
#define SYSLAT_REDUCE_H

#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct cell {
	char platform[160];	/* "6.12.117+deb12-amd64 default" [+ " syslat-mini"] */
	int side;		/* a row of reduce_print_side: a block that names its prog (an
				 * imported sel4bench file never does: it runs another program) */
	char name[48], title[64], unit[40];
	double *v;		/* pooled per-round values */
	size_t n, cap;
	double khz_sum;		/* for the mean TSC frequency of the boots */
	unsigned int boots;
	uint64_t disturbed, excluded;	/* rounds, from the results' interference */
	struct stats st;
};

struct reduce {
	struct cell *c;
	size_t n, cap;
};

/* The Table-1 table; computes every cell's statistics (call it first). */
void reduce_print_table(FILE *f, struct reduce *r);
/* The platforms whose blocks name their program, a column per operation. */
void reduce_print_side(FILE *f, const struct reduce *r);
/* The operations the systems share (Linux, Unikraft, seL4), a row per system. */
void reduce_print_systems(FILE *f, const struct reduce *r);

#endif
