/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files of one profile: PREFIX.folded, PREFIX.txt (table), PREFIX.json
 * and PREFIX.svg, each written to a temp file and renamed only when
 * complete, and the self-check against the benchmark's own measurement.
 */
#ifndef SYSLAT_PROF_REPORT_H
#define SYSLAT_PROF_REPORT_H

#include "prof-anal.h"
#include "prof-out.h"

struct prof_job {
	const char *trace, *kallsyms, *usyms, *measured, *prefix, *title, *bench;
	unsigned long lead;
	int argc;		/* the command line, for the JSON envelope */
	char **argv;
};

/* 0: written and the self-check holds (or had nothing to compare);
 * 1: written, self-check failed; -1: error (message printed). */
int prof_report(const struct prof_job *j);
/* Folded stacks + meta -> the four files under prefix. */
int prof_write_all(const struct fold *f, const struct prof_meta *m, const char *prefix,
		   void (*json_extra)(json_writer_t *w, const void *ctx), const void *ctx);
/* --diff: per-function self/total difference B - A of two folded files. */
int prof_diff(const char *a, const char *b, FILE *out);

#endif
