// SPDX-License-Identifier: GPL-2.0
/* What syslat run says about the machine's tuning, and records. */
#include <ctype.h>
#include <stdio.h>

#include "env.h"
#include "tune.h"

static void key_of(const char *name, char *key, size_t len)
{
	size_t i, o = (size_t)snprintf(key, len, "tune/");

	for (i = 0; name[i] && o + 1 < len; i++) {
		if (isalnum((unsigned char)name[i]))
			key[o++] = name[i];
		else if (key[o - 1] != '_' && key[o - 1] != '/')
			key[o++] = '_';
	}
	while (key[o - 1] == '_')
		o--;
	key[o] = '\0';
}

void tune_run_note(struct env *e, int cpu, int quiet)
{
	struct tune_report r = { 0 };
	unsigned int untuned = 0;
	char key[96];
	size_t i;

	if (tune_check(&r, cpu)) {
		env_set(e, "tune/checked", "failed (out of memory)");
		return;
	}
	env_set(e, "tune/checked", "cpu%d", r.cpu);
	for (i = 0; i < r.n; i++) {
		const struct tune_item *it = &r.it[i];

		if (it->st != TUNE_WARN || it->detail)
			continue;
		untuned++;
		key_of(it->name, key, sizeof(key));
		env_set(e, key, "%s%s%s", it->value, it->want[0] ? ", wants " : "", it->want);
		if (it->matters && !quiet)
			fprintf(stderr, "syslat: untuned: %s = %s: %s (syslat tune)\n", it->name,
				it->value, it->advice);
	}
	env_set(e, "tune/untuned", "%u", untuned);
	tune_free(&r);
}
