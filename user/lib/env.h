/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Environment capture: everything that changes the figures (kernel,
 * mitigations, TSC, frequency policy, idle policy, isolation, module,
 * placement, priority), as ordered key/value strings. A key "a/b" is
 * rendered in JSON as member b of object a (consecutive keys).
 */
#ifndef SYSLAT_ENV_H
#define SYSLAT_ENV_H

#include <stdio.h>

#include "json.h"

struct tsc_info;
struct kmod_info;

struct env_kv {
	char *key;
	char *val;
};

struct env {
	struct env_kv *kv;
	size_t n, cap;
};

void env_init(struct env *e);
void env_destroy(struct env *e);
/* Add or replace key; printf-style value. */
void env_set(struct env *e, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *env_get(const struct env *e, const char *key);	/* NULL if absent */

/* Capture everything from /proc, /sys, uname, CPUID and the given infos. */
void env_capture(struct env *e, const struct tsc_info *ti, const struct kmod_info *ki);

void env_print(FILE *f, const struct env *e);		/* "key: value" lines */
/* One object; values typed: 0/1 flags as booleans, whole numbers as numbers. */
void env_json(json_writer_t *w, const struct env *e);
enum { ENV_STRING, ENV_NUMBER, ENV_BOOL };
int env_value_kind(const char *key, const char *val);	/* ENV_*, for env_json and tests */

/* "0-1,3" from the calling thread's affinity mask. */
void env_affinity_list(char *buf, size_t len);

#endif
