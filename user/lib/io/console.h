/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial-console parser for guest runs (vm-bench): a guest prints each
 * result file between two marker lines,
 *     SYSLAT-JSON-BEGIN <label>
 *     { ... }
 *     SYSLAT-JSON-END
 * Markers are found anywhere in a line (the console may prefix escape
 * codes). Garbage outside blocks is ignored; a block that is truncated,
 * interleaved with another, or not valid JSON is an error with a line
 * number - never a silently wrong number.
 */
#ifndef SYSLAT_CONSOLE_H
#define SYSLAT_CONSOLE_H

#include <stddef.h>
#include "jparse.h"

#define CONSOLE_BEGIN "SYSLAT-JSON-BEGIN"
#define CONSOLE_END "SYSLAT-JSON-END"

struct console_block {
	char label[128];	/* text after the begin marker, trimmed */
	size_t line;		/* line of the begin marker, from 1 */
	struct jv *json;
};

/*
 * Parse @text; on success *blocks (malloc'd, n entries) and 0.
 * On error -1 and a message in @err; nothing to free.
 */
int console_parse(const char *text, size_t len, struct console_block **blocks, size_t *n,
		  char *err, size_t errlen);
void console_free(struct console_block *blocks, size_t n);

#endif
