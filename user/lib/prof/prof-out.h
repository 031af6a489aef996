/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Profile outputs: the per-function table, JSON, and a flame graph SVG
 * drawn by our own renderer (FlameGraph's flamegraph.pl is not packaged
 * in Debian 12): one rectangle per (stack prefix), width proportional to
 * its weight, root at the bottom, frames narrower than 0.1 % left out
 * of the picture (never out of the table or the folded file).
 */
#ifndef SYSLAT_PROF_OUT_H
#define SYSLAT_PROF_OUT_H

#include <stdio.h>

#include "json.h"
#include "prof-fold.h"

struct prof_meta {
	const char *title;	/* first SVG line, e.g. "getppid, 6.12.117, 10 calls" */
	const char *unit;	/* "instructions (TCG icount)" or "samples (cpu-clock)" */
	double per;		/* divide counts by this in the table (calls); 1 for none */
	int argc;		/* the command line, for the JSON envelope */
	char **argv;
};

int prof_table(const struct fold *f, const struct prof_meta *m, FILE *out, size_t max_rows);
int prof_svg(const struct fold *f, const struct prof_meta *m, FILE *out);
/* The functions array of the JSON output (caller owns the writer). */
void prof_json_functions(const struct fold *f, const struct prof_meta *m, json_writer_t *w);

#endif
