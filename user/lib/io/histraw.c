// SPDX-License-Identifier: GPL-2.0
/* Parse the module's hist_raw debugfs file (see histraw.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histraw.h"

static int parse_u64_field(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return (errno || *end) ? -1 : 0;
}

static int parse_row(char *line, unsigned int version, struct histraw_row *r)
{
	char *f[6], *save = NULL, *tok;
	uint64_t cpu;
	int n = 0;

	for (tok = strtok_r(line, "\t", &save); tok && n < 6; tok = strtok_r(NULL, "\t", &save))
		f[n++] = tok;
	if (n != 5)
		return -1;
	if (!strcmp(f[0], "all"))
		r->cpu = HISTRAW_ALL;
	else if (parse_u64_field(f[0], &cpu) || cpu > 65535)
		return -1;
	else
		r->cpu = (int)cpu;
	if (!strcmp(f[1], "log2"))
		r->kind = HR_LOG2;
	else if (version == 1 && !strcmp(f[1], "lin"))
		r->kind = HR_LIN;
	else if (version == 2 && !strcmp(f[1], "loglin"))
		r->kind = HR_LOGLIN;
	else
		return -1;
	if (parse_u64_field(f[2], &r->lo) || parse_u64_field(f[3], &r->hi) ||
	    parse_u64_field(f[4], &r->count) || r->hi < r->lo)
		return -1;
	return 0;
}

static int header(const char *line, struct histraw *h)
{
	uint64_t v;

	if (!strncmp(line, "# version: ", 11)) {
		if (parse_u64_field(line + 11, &v) || v < 1 || v > 2)
			return -1;	/* a newer format: refuse rather than misread */
		h->version = (unsigned int)v;
	} else if (h->version == 1 && !strncmp(line, "# lin_width: ", 13)) {
		if (parse_u64_field(line + 13, &v) || !v)
			return -1;
		h->lin_width = v;
	}
	return 0;	/* other comment lines are free text */
}

int histraw_parse(const char *text, struct histraw *h, char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *save = NULL;
	size_t cap = 0, lineno = 0;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (!copy)
		return -1;
	for (line = strtok_r(copy, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		lineno++;	/* strtok_r skips empty lines; numbers count non-empty lines */
		if (line[0] == '#') {
			rc = header(line, h);
			continue;
		}
		if (h->n == cap) {
			struct histraw_row *nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(h->rows, cap * sizeof(*nr));
			if (!nr) {
				rc = -1;
				break;
			}
			h->rows = nr;
		}
		rc = h->version ? parse_row(line, h->version, &h->rows[h->n]) : -1;
		if (!rc)
			h->n++;
	}
	if (!rc && !h->version) {
		snprintf(err, errlen, "hist_raw: missing '# version: N' header");
		rc = -1;
	} else if (rc) {
		snprintf(err, errlen, "hist_raw line %zu: malformed or unsupported", lineno);
	}
	free(copy);
	if (rc)
		histraw_free(h);
	return rc;
}

void histraw_free(struct histraw *h)
{
	free(h->rows);
	memset(h, 0, sizeof(*h));
}

uint64_t histraw_total(const struct histraw *h, int cpu, enum histraw_kind kind)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->rows[i].cpu == cpu && h->rows[i].kind == kind)
			sum += h->rows[i].count;
	return sum;
}
