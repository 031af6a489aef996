/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookup of unexported kernel symbols for the patch backend (ksym.c).
 */
#ifndef SYSLAT_KSYM_H
#define SYSLAT_KSYM_H

#include <linux/types.h>

/* Find kallsyms_lookup_name() through a kprobe; 0 or -errno + @why. */
int syslat_ksym_init(char *why, size_t len);
/* Address of @name, or 0. Only after syslat_ksym_init() succeeded. */
unsigned long syslat_ksym_lookup(const char *name);
/* Is indirect branch tracking (IBT) enforced on this CPU? */
bool syslat_ksym_ibt_enabled(void);
/* May the function at @addr be called through a pointer (IBT)? */
bool syslat_ksym_callable(unsigned long addr);
/*
 * Check that @addr is the first byte of the function @name; on success
 * store the function's size in @size and return 0.
 */
int syslat_ksym_extent(unsigned long addr, const char *name,
		       unsigned long *size);

#endif /* SYSLAT_KSYM_H */
