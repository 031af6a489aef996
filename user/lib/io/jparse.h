/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON reader (RFC 8259) for syslat's own result files:
 * `syslat compare` and the vm-bench console parser read what json.c wrote.
 * Errors are reported with a byte offset, never by crashing.
 */
#ifndef SYSLAT_JPARSE_H
#define SYSLAT_JPARSE_H

#include <stddef.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	double num;		/* JV_NUM, JV_BOOL (0/1) */
	char *str;		/* JV_STR */
	size_t n;		/* JV_ARR, JV_OBJ: number of items */
	struct jv *items;	/* JV_ARR, JV_OBJ */
	char **keys;		/* JV_OBJ: keys[i] names items[i] */
};

/* Parse exactly one value (surrounding whitespace allowed). NULL on error,
 * with a message naming the offset in @err. Nesting is limited to 64.
 */
struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
void jv_free(struct jv *v);

const struct jv *jv_get(const struct jv *obj, const char *key);	/* NULL if absent */
const struct jv *jv_path(const struct jv *v, const char *dotted);	/* "env.kernel" */
/* Number or NaN when absent/not a number (JSON null reads as NaN). */
double jv_num(const struct jv *v);
const char *jv_str(const struct jv *v);	/* NULL when not a string */

#endif
