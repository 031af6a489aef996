/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recorded trace (prof-walk.h format) turned into a profile: every
 * instruction of every window attributed to its folded call stack, and
 * per-window counts (kernel, user, syscall instructions) that the
 * self-check compares with what the benchmark measured.
 */
#ifndef SYSLAT_PROF_ANAL_H
#define SYSLAT_PROF_ANAL_H

#include <stdint.h>
#include <stdio.h>

#include "prof-fold.h"
#include "prof-sym.h"

#define ANAL_MAX_WINDOWS 4096

struct window_count {
	uint64_t insns, kernel, user, syscalls, tasks;
	uint64_t tsc;		/* the guest's own TSC delta for this window */
};

struct profile {
	struct fold fold;		/* the profiled windows */
	unsigned long lead;		/* leading windows used only to learn stacks */
	unsigned long nwin;		/* windows in the trace */
	struct window_count win[ANAL_MAX_WINDOWS];
	uint64_t unknown;		/* instructions at unknown addresses */
	uint64_t open, lo, hi;
};

void profile_init(struct profile *p);
void profile_destroy(struct profile *p);
/* Read a trace; windows before the lead-th are replayed (stacks) but not
 * counted. -1 with "trace line N: ..." in err for anything malformed,
 * a truncated trace (a window without its end) included. */
int profile_read(struct profile *p, FILE *in, struct symtab *ksyms, struct symtab *usyms,
		 unsigned long lead, char *err, size_t errlen);
/* Are all counted windows equal? Then *w is their common count. */
int profile_uniform(const struct profile *p, struct window_count *w);

#endif
