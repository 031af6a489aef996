/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address -> function, from /proc/kallsyms text (kernel and module
 * symbols: "ADDR TYPE NAME [MODULE]") or `nm -n` output of a program
 * (same shape, no module). Only code symbols (t/T/w/W) count; an address
 * belongs to the nearest symbol at or below it, within SYM_MAX_SPAN
 * bytes (kallsyms has no sizes) and never past the next symbol.
 */
#ifndef SYSLAT_PROF_SYM_H
#define SYSLAT_PROF_SYM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SYM_MAX_SPAN	(256u << 10)

struct sym {
	uint64_t addr;
	char *name;		/* "foo" or "foo [module]" */
};

struct symtab {
	struct sym *v;
	size_t n, cap;
	int sorted;
};

void symtab_init(struct symtab *t);
void symtab_destroy(struct symtab *t);
/* Read symbols from f. Returns the number of code symbols added, or -1
 * with a message (line number) in err for a malformed line or all-zero
 * addresses (kallsyms read without privilege). */
long symtab_load(struct symtab *t, FILE *f, char *err, size_t errlen);
int symtab_add(struct symtab *t, uint64_t addr, const char *name);
/* The function containing addr, or NULL. */
const struct sym *symtab_find(struct symtab *t, uint64_t addr);
/* Name for addr: the symbol's, else "[unknown 0xADDR]" in buf. */
const char *symtab_name(struct symtab *t, uint64_t addr, char *buf, size_t len);
/* Address of a symbol by name (first match), 0 if absent. */
uint64_t symtab_addr(const struct symtab *t, const char *name);

#endif
