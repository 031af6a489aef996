// SPDX-License-Identifier: GPL-2.0
/* trace_ring parser and the any-syscall phase merge (see anysys.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "anysys.h"

/* One unsigned (or, @sign, signed) decimal field ending at a tab or the end. */
static int field(const char **p, int sign, uint64_t *u, int64_t *s)
{
	const char *q = *p;
	char *end;

	if (!*q || *q == '\t' || (!sign && *q == '-'))
		return -EINVAL;
	errno = 0;
	if (sign)
		*s = strtoll(q, &end, 10);
	else
		*u = strtoull(q, &end, 10);
	if (errno || end == q || (*end && *end != '\t'))
		return -EINVAL;
	*p = *end ? end + 1 : end;
	return 0;
}

/* "cpu seq tgid tid nr t_enter t_exit ret", all eight, nothing after. */
static int parse_row(const char *line, struct anysys_rec *r)
{
	uint64_t u[7];
	int64_t nr, ret;
	const char *p = line;
	int i, err = 0;

	for (i = 0; i < 4 && !err; i++)
		err = field(&p, 0, &u[i], NULL);
	if (!err)
		err = field(&p, 1, NULL, &nr);
	for (i = 4; i < 6 && !err; i++)
		err = field(&p, 0, &u[i], NULL);
	if (!err)
		err = field(&p, 1, NULL, &ret);
	if (err || *p || u[0] > UINT32_MAX || u[2] > UINT32_MAX || u[3] > UINT32_MAX ||
	    nr < INT32_MIN || nr > INT32_MAX)
		return -EINVAL;
	*r = (struct anysys_rec){ .cpu = (uint32_t)u[0], .seq = u[1], .tgid = (uint32_t)u[2],
				  .tid = (uint32_t)u[3], .nr = (int32_t)nr, .t_enter = u[4],
				  .t_exit = u[5], .ret = ret };
	return 0;
}

/* A '#' line: the ones with values; other comments are ignored. */
static int parse_comment(const char *line, struct anysys_ring *ring)
{
	unsigned long long a, b, c, d;

	if (sscanf(line, "# version: %d", &ring->version) == 1)
		return 0;
	if (sscanf(line, "# tgid: %llu", &a) == 1)
		ring->tgid = (uint32_t)a;
	else if (sscanf(line, "# ring_size: %llu", &a) == 1)
		ring->ring_size = a;
	else if (sscanf(line, "# cpu_stats\t%llu\t%llu\t%llu\t%llu", &a, &b, &c, &d) == 4) {
		ring->unmatched += c;
		ring->evicted += d;
	}
	return 0;
}

static int push(struct anysys_ring *ring, size_t *cap, const struct anysys_rec *r)
{
	if (ring->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct anysys_rec *nr = realloc(ring->r, nc * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		ring->r = nr;
		*cap = nc;
	}
	ring->r[ring->n++] = *r;
	return 0;
}

int anysys_parse_ring(const char *text, struct anysys_ring *ring, int *bad_line)
{
	const char *line = text;
	size_t cap = 0;
	int ln = 0, err = 0;
	char buf[256];

	memset(ring, 0, sizeof(*ring));
	ring->version = -1;
	while (*line && !err) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		struct anysys_rec r;

		ln++;
		if (len >= sizeof(buf)) {
			err = -EINVAL;
			break;
		}
		memcpy(buf, line, len);
		buf[len] = '\0';
		line += len + (nl ? 1 : 0);
		if (ln == 1 && (sscanf(buf, "# version: %d", &ring->version) != 1 ||
				ring->version != ANYSYS_TRACE_VERSION))
			err = -EINVAL;
		else if (buf[0] == '#')
			err = parse_comment(buf, ring);
		else if (buf[0])
			err = parse_row(buf, &r) ? -EINVAL : push(ring, &cap, &r);
	}
	if (!err && ring->version != ANYSYS_TRACE_VERSION)
		err = -EINVAL;	/* empty text */
	if (err) {
		if (bad_line)
			*bad_line = ln;
		anysys_ring_free(ring);
	}
	return err;
}

void anysys_ring_free(struct anysys_ring *ring)
{
	free(ring->r);
	ring->r = NULL;
	ring->n = 0;
}

static int by_enter(const void *a, const void *b)
{
	const struct anysys_rec *x = *(const struct anysys_rec *const *)a;
	const struct anysys_rec *y = *(const struct anysys_rec *const *)b;

	return x->t_enter < y->t_enter ? -1 : x->t_enter > y->t_enter;
}

/*
 * Our thread's records of the number on our CPU, by t_enter; the others
 * counted as anysys.h says. Returns the count or -ENOMEM.
 */
static ssize_t candidates(struct phase_merge *m, const struct anysys_key *key,
			  const struct anysys_ring *ring, uint64_t lo, uint64_t hi,
			  const struct anysys_rec ***out)
{
	const struct anysys_rec **c = malloc((ring->n ? ring->n : 1) * sizeof(*c));
	size_t i, n = 0;

	if (!c)
		return -ENOMEM;
	for (i = 0; i < ring->n; i++) {
		const struct anysys_rec *r = &ring->r[i];

		if ((m->tgid && r->tgid != m->tgid) || r->tid != key->tid)
			m->foreign++;
		else if (r->nr != key->nr)
			continue;	/* ours, another system call (reading the ring, ...) */
		else if (r->cpu != key->cpu)
			m->other_cpu += r->t_enter >= lo && r->t_enter <= hi;
		else
			c[n++] = r;
	}
	qsort(c, n, sizeof(*c), by_enter);
	*out = c;
	return (ssize_t)n;
}

/* Classify call @c against its record @r (NULL: none); 1 when matched. */
static int classify(struct phase_merge *m, const struct anysys_key *key,
		    const struct phase_call *c, const struct anysys_rec *r, int dup)
{
	if (c->ret != key->expect || (r && r->ret != c->ret)) {
		m->bad_ret++;
		return 0;
	}
	if (c->cpu_after != key->cpu) {
		m->migrated++;
		return 0;
	}
	if (!r) {
		m->missing++;
		return 0;
	}
	if (dup) {
		m->duplicate++;
		return 0;
	}
	if (!(c->t0 <= r->t_enter && r->t_enter <= r->t_exit && r->t_exit <= c->t3)) {
		m->unordered++;
		return 0;
	}
	return 1;
}

int anysys_merge(struct phase_merge *m, const struct anysys_key *key,
		 const struct phase_call *calls, size_t ncalls, const struct anysys_ring *ring)
{
	const struct anysys_rec **c;
	size_t i, j = 0;
	ssize_t nc;

	if (!m || !key || !ring || (!calls && ncalls) || (!ring->r && ring->n))
		return -EINVAL;
	if (!ncalls)
		return 0;
	nc = candidates(m, key, ring, calls[0].t0, calls[ncalls - 1].t3, &c);
	if (nc < 0)
		return (int)nc;
	for (i = 0; i < ncalls; i++) {
		const struct phase_call *pc = &calls[i];
		const struct anysys_rec *r = NULL;
		size_t k = m->matched;
		int dup;

		while (j < (size_t)nc && c[j]->t_enter < pc->t0)
			j++;	/* before this window: earlier calls, warm-up */
		if (j < (size_t)nc && c[j]->t_enter <= pc->t3)
			r = c[j++];
		dup = r && j < (size_t)nc && c[j]->t_enter <= pc->t3;
		if (!classify(m, key, pc, r, dup))
			continue;
		m->delta[PH_ENTRY][k] = r->t_enter - pc->t0;
		m->delta[PH_KERNEL][k] = r->t_exit - r->t_enter;
		m->delta[PH_EXIT][k] = pc->t3 - r->t_exit;
		m->delta[PH_ROUND_TRIP][k] = pc->t3 - pc->t0;
		m->matched++;
	}
	free(c);
	return 0;
}
