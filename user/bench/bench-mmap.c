// SPDX-License-Identifier: GPL-2.0
/*
 * mmap + munmap of anonymous private memory (LEBench mmap/munmap, lmbench
 * lat_mmap): one op = mmap() of 4 KiB or 2 MiB and munmap() of it, both
 * in the window. The -populate variants pass MAP_POPULATE, so the op also
 * allocates and zeroes every page (and frees them in munmap); the 2 MiB
 * one gets 4 KiB pages unless THP is "always" (the note says which mode).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "bench.h"
#include "child.h"
#include "tsc.h"

struct mm_var {
	size_t len;
	int flags;
};

static const struct mm_var mm_4k = { 4096, 0 }, mm_2m = { 2UL << 20, 0 },
	mm_4k_pop = { 4096, MAP_POPULATE }, mm_2m_pop = { 2UL << 20, MAP_POPULATE };

static int mm_setup(struct bench_run *r, const struct mm_var *v)
{
	r->priv = (void *)v;
	snprintf(r->note, sizeof(r->note), "mmap+munmap %zu KiB%s, %s", v->len >> 10,
		 v->flags ? " populated" : ", no page touched", bench_thp_mode());
	return 0;
}

static int mm_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	const struct mm_var *v = r->priv;
	size_t len = v->len;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | v->flags, bad = 0;
	uint64_t i, t0, t1;
	void *p;

	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (p == MAP_FAILED || munmap(p, len)) {
			bad = -errno;
			break;
		}
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad;
}

#define MMAP_VAR(var, v, nm, sum)					\
	static int var##_setup(struct bench_run *r) { return mm_setup(r, &v); } \
	const struct bench bench_##var = {				\
		.name = nm, .summary = sum, .dir = BENCH_PER_CALL,	\
		.suites = SUITE_LEBENCH | SUITE_LMBENCH,		\
		.setup = var##_setup, .sample = mm_sample,		\
	}

MMAP_VAR(mmap_4k, mm_4k, "mmap-4k", "mmap+munmap of 4 KiB anonymous, untouched");
MMAP_VAR(mmap_2m, mm_2m, "mmap-2m", "mmap+munmap of 2 MiB anonymous, untouched");
MMAP_VAR(mmap_4k_pop, mm_4k_pop, "mmap-4k-populate", "mmap(MAP_POPULATE)+munmap of 4 KiB anonymous");
MMAP_VAR(mmap_2m_pop, mm_2m_pop, "mmap-2m-populate", "mmap(MAP_POPULATE)+munmap of 2 MiB anonymous");
