// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark table. The IPC and context-switch benchmarks are
 * referenced weakly: a tree without their files still builds, and
 * bench_next() skips what is not linked in.
 */
#include <string.h>

#include "bench.h"

extern const struct bench bench_timer, bench_fcall, bench_noop, bench_getppid,
	bench_enosys, bench_getppid_libc;

#define WEAK __attribute__((weak))
extern const struct bench bench_pipe WEAK, bench_eventfd WEAK, bench_futex WEAK,
	bench_unix WEAK, bench_mq WEAK, bench_shm WEAK, bench_yield WEAK,
	bench_futex_switch WEAK, bench_ctx_ring WEAK;

const struct bench *const bench_table[] = {
	/* timing baseline, then cheapest to dearest: the suite's order */
	&bench_timer,
	&bench_fcall,
	&bench_noop,
	&bench_enosys,
	&bench_getppid,
	&bench_getppid_libc,
	&bench_pipe,
	&bench_eventfd,
	&bench_futex,
	&bench_unix,
	&bench_mq,
	&bench_shm,
	&bench_yield,
	&bench_futex_switch,
	&bench_ctx_ring,
	NULL,
};

const unsigned int bench_table_len = sizeof(bench_table) / sizeof(bench_table[0]) - 1;

const struct bench *bench_next(unsigned int *i)
{
	while (*i < bench_table_len) {
		const struct bench *b = bench_table[(*i)++];

		if (b)
			return b;
	}
	return NULL;
}

const struct bench *bench_find(const char *name)
{
	const struct bench *b;
	unsigned int i;

	BENCH_FOR_EACH(b, i)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}
