/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampling where instructions cannot be followed (a host, a KVM guest):
 * `perf record -g` around `syslat bench BENCH` with a hardware cycles
 * event when a PMU exists, else the cpu-clock software event; `perf
 * script` folded like the exact profile (root first: the command, its
 * "[user] ..." frames, then the kernel frames), counts in samples.
 */
#ifndef SYSLAT_PROF_SAMPLE_H
#define SYSLAT_PROF_SAMPLE_H

#include <stdio.h>

#include "prof-fold.h"

int prof_sample(const char *bench, unsigned seconds, const char *outdir, int argc, char **argv);
/* Fold `perf script` text (unit tested): stacks of the command @comm only
 * (NULL: all). -1 with a message on malformed input. */
int prof_fold_perf(FILE *in, const char *comm, struct fold *f, char *err, size_t errlen);

#endif
