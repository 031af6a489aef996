// SPDX-License-Identifier: GPL-2.0
/* Phase merge of kernel ring records with user-side timestamps (see phases.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phases.h"

static const char *const phase_names[PH_NR] = {
	[PH_ENTRY] = "entry",
	[PH_KERNEL] = "in_kernel",
	[PH_EXIT] = "exit",
	[PH_ROUND_TRIP] = "round_trip",
};

const char *phase_name(enum phase_kind k)
{
	return k < PH_NR ? phase_names[k] : "?";
}

/*
 * For each call, the index of its record or SIZE_MAX; the ring is at most
 * ncpus * ring_size records, so one linear pass with a direct index
 * (cookie low half - first) is enough: no hashing, no sorting.
 */
static int index_records(size_t *idx, size_t ncalls, uint32_t tag, uint32_t first,
			 const struct syslat_record *recs, size_t nrecs,
			 struct phase_merge *m)
{
	size_t i;

	for (i = 0; i < ncalls; i++)
		idx[i] = SIZE_MAX;
	for (i = 0; i < nrecs; i++) {
		uint64_t c = recs[i].cookie;
		uint32_t lo = (uint32_t)c;

		if ((uint32_t)(c >> 32) != tag || (m->tgid && recs[i].tgid != m->tgid)) {
			m->foreign++;
			continue;
		}
		if (lo < first || lo - first >= ncalls)
			continue;	/* ours: an earlier chunk, warm-up or timed alone */
		if (idx[lo - first] != SIZE_MAX) {
			m->duplicate++;
			continue;
		}
		idx[lo - first] = i;
	}
	return 0;
}

/* Classify one call; 1 when it is a valid match. */
static int classify(struct phase_merge *m, const struct phase_call *c,
		    const struct syslat_record *r, uint32_t cpu)
{
	if (c->ret != (int64_t)SYSLAT_NOOP_RET) {
		m->bad_ret++;
		return 0;
	}
	if (c->cpu_after != cpu) {
		m->migrated++;
		return 0;
	}
	if (!r) {
		m->missing++;
		return 0;
	}
	if (r->cpu != cpu) {
		m->other_cpu++;
		return 0;
	}
	if (!(c->t0 <= r->t_entry && r->t_entry <= r->t_exit && r->t_exit <= c->t3)) {
		m->unordered++;
		return 0;
	}
	return 1;
}

int phase_merge_chunk(struct phase_merge *m, uint32_t tag, uint32_t first,
		      const struct phase_call *calls, size_t ncalls,
		      const struct syslat_record *recs, size_t nrecs, uint32_t cpu)
{
	size_t *idx, i;

	if (!m || (!calls && ncalls) || (!recs && nrecs))
		return -EINVAL;
	if (ncalls > PHASE_AUX - (uint64_t)first || first > PHASE_AUX)
		return -EINVAL;
	idx = malloc((ncalls ? ncalls : 1) * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	index_records(idx, ncalls, tag, first, recs, nrecs, m);
	for (i = 0; i < ncalls; i++) {
		const struct phase_call *c = &calls[i];
		const struct syslat_record *r = idx[i] == SIZE_MAX ? NULL : &recs[idx[i]];
		size_t k = m->matched;

		if (!classify(m, c, r, cpu))
			continue;
		m->delta[PH_ENTRY][k] = r->t_entry - c->t0;
		m->delta[PH_KERNEL][k] = r->t_exit - r->t_entry;
		m->delta[PH_EXIT][k] = c->t3 - r->t_exit;
		m->delta[PH_ROUND_TRIP][k] = c->t3 - c->t0;
		m->matched++;
	}
	free(idx);
	return 0;
}

/* Copy @s into @buf with the folded format's delimiters replaced. */
static const char *frame(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (s[i] == ' ' || s[i] == ';' || s[i] == '\n') ? '_' : s[i];
	buf[i] = '\0';
	return buf;
}

void phase_sums(const struct phase_merge *m, uint64_t sums[PH_NR])
{
	size_t i;
	int k;

	for (k = 0; k < PH_NR; k++)
		for (sums[k] = 0, i = 0; i < m->matched; i++)
			sums[k] += m->delta[k][i];
}

int phase_write_folded(FILE *f, const char *system, const char *bench,
		       const uint64_t sums[PH_NR])
{
	char sys[128], b[128];
	int k;

	for (k = PH_ENTRY; k <= PH_EXIT; k++) {
		uint64_t sum = sums[k];

		if (fprintf(f, "%s;%s;%s %" PRIu64 "\n", frame(sys, sizeof(sys), system),
			    frame(b, sizeof(b), bench), phase_name(k), sum) < 0)
			return -EIO;
	}
	return fflush(f) ? -errno : 0;
}
