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
/* The LEBench / lmbench operations (suites lebench, lmbench). */
extern const struct bench bench_getpid WEAK, bench_clock_vdso WEAK, bench_clock_sys WEAK,
	bench_read_zero WEAK, bench_read_null WEAK, bench_write_null WEAK,
	bench_write_zero WEAK, bench_pipe_rw WEAK, bench_stat WEAK, bench_fstat WEAK,
	bench_open_close WEAK, bench_fork WEAK, bench_fork_big WEAK, bench_vfork WEAK,
	bench_posix_spawn WEAK, bench_fork_exec WEAK, bench_thread_create WEAK,
	bench_pagefault_anon WEAK, bench_pagefault_file WEAK, bench_pagefault_cow WEAK,
	bench_mmap_4k WEAK, bench_mmap_2m WEAK, bench_mmap_4k_pop WEAK, bench_mmap_2m_pop WEAK,
	bench_mprotect WEAK, bench_brk WEAK,
	bench_tlb_mprotect_0 WEAK, bench_tlb_mprotect_1 WEAK, bench_tlb_mprotect_3 WEAK,
	bench_tlb_mprotect_7 WEAK, bench_tlb_munmap_0 WEAK, bench_tlb_munmap_1 WEAK,
	bench_tlb_munmap_3 WEAK, bench_tlb_munmap_7 WEAK;
extern const struct bench bench_sig_install WEAK, bench_sig_self WEAK,
	bench_sig_pingpong WEAK, bench_uring_nop WEAK, bench_mutex WEAK, bench_condvar WEAK,
	bench_sem WEAK;
/* The select / poll / epoll sweeps: one entry per (N, ready|idle). */
extern const struct bench bench_select_1_ready WEAK, bench_select_10_ready WEAK,
	bench_select_100_ready WEAK, bench_select_1000_ready WEAK, bench_select_1_idle WEAK,
	bench_select_10_idle WEAK, bench_select_100_idle WEAK, bench_select_1000_idle WEAK,
	bench_poll_1_ready WEAK, bench_poll_10_ready WEAK, bench_poll_100_ready WEAK,
	bench_poll_1000_ready WEAK, bench_poll_1_idle WEAK, bench_poll_10_idle WEAK,
	bench_poll_100_idle WEAK, bench_poll_1000_idle WEAK, bench_epoll_1_ready WEAK,
	bench_epoll_10_ready WEAK, bench_epoll_100_ready WEAK, bench_epoll_1000_ready WEAK,
	bench_epoll_1_idle WEAK, bench_epoll_10_idle WEAK, bench_epoll_100_idle WEAK,
	bench_epoll_1000_idle WEAK;

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
	/* syscalls with real work */
	&bench_getpid,
	&bench_clock_vdso,
	&bench_clock_sys,
	&bench_read_zero,
	&bench_read_null,
	&bench_write_null,
	&bench_write_zero,
	&bench_pipe_rw,
	&bench_stat,
	&bench_fstat,
	&bench_open_close,
	/* process and thread life cycle */
	&bench_thread_create,
	&bench_vfork,
	&bench_posix_spawn,
	&bench_fork,
	&bench_fork_exec,
	&bench_fork_big,
	/* memory */
	&bench_pagefault_anon,
	&bench_pagefault_file,
	&bench_pagefault_cow,
	&bench_mmap_4k,
	&bench_mmap_2m,
	&bench_mmap_4k_pop,
	&bench_mmap_2m_pop,
	&bench_mprotect,
	&bench_brk,
	&bench_tlb_mprotect_0,
	&bench_tlb_mprotect_1,
	&bench_tlb_mprotect_3,
	&bench_tlb_mprotect_7,
	&bench_tlb_munmap_0,
	&bench_tlb_munmap_1,
	&bench_tlb_munmap_3,
	&bench_tlb_munmap_7,
	/* events */
	&bench_select_1_ready,
	&bench_select_10_ready,
	&bench_select_100_ready,
	&bench_select_1000_ready,
	&bench_select_1_idle,
	&bench_select_10_idle,
	&bench_select_100_idle,
	&bench_select_1000_idle,
	&bench_poll_1_ready,
	&bench_poll_10_ready,
	&bench_poll_100_ready,
	&bench_poll_1000_ready,
	&bench_poll_1_idle,
	&bench_poll_10_idle,
	&bench_poll_100_idle,
	&bench_poll_1000_idle,
	&bench_epoll_1_ready,
	&bench_epoll_10_ready,
	&bench_epoll_100_ready,
	&bench_epoll_1000_ready,
	&bench_epoll_1_idle,
	&bench_epoll_10_idle,
	&bench_epoll_100_idle,
	&bench_epoll_1000_idle,
	&bench_sig_install,
	&bench_sig_self,
	&bench_sig_pingpong,
	&bench_uring_nop,
	&bench_mutex,
	&bench_condvar,
	&bench_sem,
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

const char *const bench_suite_names[] = { "table1", "lebench", "lmbench", "all", NULL };

int bench_in_suite(const struct bench *b, const char *suite)
{
	if (strcmp(suite, "table1") == 0)
		return b->in_suite;
	if (strcmp(suite, "lebench") == 0)
		return !!(b->suites & SUITE_LEBENCH);
	if (strcmp(suite, "lmbench") == 0)
		return !!(b->suites & SUITE_LMBENCH);
	return strcmp(suite, "all") == 0;
}
