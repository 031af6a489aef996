/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FlameGraph folded stacks ("a;b;c COUNT" a line) with their weights,
 * and the per-function table derived from them: self (leaf) and total
 * (anywhere on the stack, once per stack) counts.
 */
#ifndef SYSLAT_PROF_FOLD_H
#define SYSLAT_PROF_FOLD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fold_ent {
	char *stack;
	uint64_t n;
};

struct fold {
	struct fold_ent *v;	/* hash table, cap slots */
	size_t used, cap;
	uint64_t total;
};

struct func_row {
	const char *name;	/* points into a fold's stacks (valid while it lives) */
	size_t len;
	uint64_t self, total;
};

void fold_init(struct fold *f);
void fold_destroy(struct fold *f);
int fold_add(struct fold *f, const char *stack, uint64_t n);
/* Read folded text; -1 with "line N: ..." in err on a malformed line. */
int fold_load(struct fold *f, FILE *in, char *err, size_t errlen);
/* Entries sorted by stack (FlameGraph's input order); caller frees. */
struct fold_ent **fold_sorted(const struct fold *f, size_t *n);
int fold_write(const struct fold *f, FILE *out);
/* Per-function rows, sorted by self count, then total, then name. */
struct func_row *fold_functions(const struct fold *f, size_t *n);

#endif
