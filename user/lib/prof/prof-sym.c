// SPDX-License-Identifier: GPL-2.0
/* The symbolizer (prof-sym.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "prof-sym.h"

void symtab_init(struct symtab *t)
{
	memset(t, 0, sizeof(*t));
}

void symtab_destroy(struct symtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	symtab_init(t);
}

int symtab_add(struct symtab *t, uint64_t addr, const char *name)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		struct sym *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n].name = strdup(name);
	if (!t->v[t->n].name)
		return -ENOMEM;
	t->v[t->n++].addr = addr;
	t->sorted = 0;
	return 0;
}

static int is_code(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* One line: 0 added, 1 skipped (not code), -1 malformed. */
static int parse_line(struct symtab *t, char *line)
{
	char *end, *name, *mod;
	uint64_t addr;
	char type;

	errno = 0;
	addr = strtoull(line, &end, 16);
	if (end == line || errno || *end != ' ' || !end[1] || end[2] != ' ' || !end[3])
		return -1;
	type = end[1];
	name = end + 3;
	name[strcspn(name, "\r\n")] = '\0';
	if (!*name || strchr(name, ' '))
		return -1;
	mod = strchr(name, '\t');
	if (mod) {
		*mod++ = ' ';
		if (mod[0] != '[' || mod[strlen(mod) - 1] != ']')
			return -1;
	}
	if (!is_code(type))
		return 1;
	return symtab_add(t, addr, name) ? -1 : 0;
}

long symtab_load(struct symtab *t, FILE *f, char *err, size_t errlen)
{
	char line[1024];
	unsigned long lineno = 0;
	long added = 0, nonzero = 0;
	int rc;

	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		rc = parse_line(t, line);
		if (rc < 0) {
			snprintf(err, errlen, "symbols line %lu: not 'ADDR TYPE NAME [MODULE]'",
				 lineno);
			return -1;
		}
		if (rc == 0) {
			added++;
			nonzero += t->v[t->n - 1].addr != 0;
		}
	}
	if (added && !nonzero) {
		snprintf(err, errlen, "every symbol address is 0: kallsyms read without privilege");
		return -1;
	}
	return added;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

const struct sym *symtab_find(struct symtab *t, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!t->sorted) {
		qsort(t->v, t->n, sizeof(*t->v), cmp_sym);
		t->sorted = 1;
	}
	hi = t->n;
	while (lo < hi) {	/* first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr - t->v[lo - 1].addr >= SYM_MAX_SPAN)
		return NULL;
	/* Aliases at one address: the first in file order is as good as any;
	 * qsort is not stable, so take the lowest name for determinism. */
	hi = lo - 1;
	while (hi > 0 && t->v[hi - 1].addr == t->v[lo - 1].addr)
		hi--;
	for (lo = hi; lo + 1 < t->n && t->v[lo + 1].addr == t->v[hi].addr; lo++)
		if (strcmp(t->v[lo + 1].name, t->v[hi].name) < 0)
			hi = lo + 1;
	return &t->v[hi];
}

const char *symtab_name(struct symtab *t, uint64_t addr, char *buf, size_t len)
{
	const struct sym *s = symtab_find(t, addr);

	if (s)
		return s->name;
	snprintf(buf, len, "[unknown 0x%" PRIx64 "]", addr);
	return buf;
}

uint64_t symtab_addr(const struct symtab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return t->v[i].addr;
	return 0;
}
