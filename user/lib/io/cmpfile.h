/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result files for `syslat compare`: columns of one or more files, and
 * per benchmark a side's run figures and why two sides cannot be
 * compared (cmd-compare.c prints the table).
 */
#ifndef SYSLAT_CMPFILE_H
#define SYSLAT_CMPFILE_H

#include <stddef.h>

#include "jparse.h"

#define CMP_MAX_FILES 64
#define CMP_MAX_COLS 16
#define CMP_MAX_RUNS 1024

struct cmp_file {
	const char *path;
	struct jv *root;
	const struct jv *results;
	const char *unit;
	double khz;
	int freq_known;
};

struct col {
	struct cmp_file *f[CMP_MAX_FILES];
	int nf;
	char label[200];
};

/* What a side is for one benchmark. */
struct cell {
	double v[CMP_MAX_RUNS];		/* run figures (ticks, or ns when converted) */
	size_t n;
	const struct jv *r;		/* first result seen */
	const struct cmp_file *f;	/* its file */
	char why[160];			/* the side itself mixes incompatible files */
	int lead_mean;
};

int cmp_flag(const struct jv *r, const char *key);
/* "a.json,b.json" -> the files of one column (parsed into pool[*used...]): 0 or -1. */
int cmp_load_col(struct col *c, char *spec, struct cmp_file *pool, int *used);
/* Why results @a (in @fa) and @b (in @fb) cannot be compared; "" if they can. */
void cmp_why_not(const struct jv *a, const struct cmp_file *fa, const struct jv *b,
		 const struct cmp_file *fb, char *why, size_t len);
/* Compare ns rather than ticks: the TSC rates differ and all are known. */
int cmp_use_ns(const struct col *c, int ncol);
/* A side's figures for @name: runs' medians, or trimmed means when @mean. */
void cmp_fill(struct cell *c, const struct col *col, const char *name, int mean, int ns);
double cmp_mean(const struct cell *c);

#endif
