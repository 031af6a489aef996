// SPDX-License-Identifier: GPL-2.0
/*
 * TLB shootdown: mprotect / munmap while N other threads of this process
 * spin in user space on other CPUs, so every flush of our mm must IPI
 * them and wait (LEBench's munmap/mprotect with threads). One benchmark
 * per N (0, 1, 3, 7 others), so each N is a row of its own; N = 0 is the
 * baseline of the series. More others than CPUs: skipped, saying so.
 *   tlb-mprotect-N  one op = mprotect RW->R + R->RW of one present page
 *   tlb-munmap-N    one op = munmap of one present page (the page is
 *                   mapped and touched outside the window)
 * The spinners BUSY-WAIT: they burn the N CPUs for the run.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

#define TLB_MAX 7
#define TLB_CHUNK 1024UL	/* pages mapped at a time for munmap */

static struct {
	pthread_t t[TLB_MAX];
	int nt, others;
	char where[64];
	char *region;		/* munmap: TLB_CHUNK pages, cursor of unmapped */
	size_t cursor;
	volatile int stop;
} tlb;

static void *spin(void *arg)
{
	(void)arg;
	while (!tlb.stop)
		__builtin_ia32_pause();
	return NULL;
}

static void tlb_teardown(struct bench_run *r)
{
	int i;

	(void)r;
	tlb.stop = 1;
	for (i = 0; i < tlb.nt; i++)
		pthread_join(tlb.t[i], NULL);
	tlb.nt = 0;
	if (tlb.region && tlb.cursor < TLB_CHUNK)
		munmap(tlb.region + tlb.cursor * 4096, (TLB_CHUNK - tlb.cursor) * 4096);
	tlb.region = NULL;
}

/* N spinners on N CPUs other than ours; BENCH_SKIP when there are fewer. */
static int tlb_setup(struct bench_run *r, int others)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu, len = 0;

	memset(&tlb, 0, sizeof(tlb));
	tlb.others = others;
	tlb.cursor = TLB_CHUNK;
	for (cpu = 0; cpu < ncpu && tlb.nt < others; cpu++) {
		if (cpu == r->cpu || place_thread_start(&tlb.t[tlb.nt], cpu, spin, NULL))
			continue;	/* ours, or not in our allowed set */
		tlb.nt++;
		len += snprintf(tlb.where + len, sizeof(tlb.where) - (size_t)len, "%s%d",
				len ? "," : "cpu ", cpu);
		if (len >= (int)sizeof(tlb.where))
			len = (int)sizeof(tlb.where) - 1;
	}
	if (tlb.nt < others) {
		snprintf(r->note, sizeof(r->note), "needs %d other CPUs, %d usable", others,
			 tlb.nt);
		tlb_teardown(r);
		return BENCH_SKIP;
	}
	r->busy_wait = others > 0;
	snprintf(r->peer_where, sizeof(r->peer_where), "%s", others ? tlb.where : "none");
	snprintf(r->note, sizeof(r->note), "%d other thread%s spinning (%s)", others,
		 others == 1 ? "" : "s", others ? tlb.where : "none");
	return 0;
}

static int mprot_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	static char *page;
	uint64_t i, t0, t1;
	long p, bad = 0;

	(void)r;
	if (!page) {	/* kept for the process's life: one page */
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED) {
			page = NULL;
			return -ENOMEM;
		}
		page[0] = 1;
	}
	p = (long)page;
	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		bad |= raw_syscall3(SYS_mprotect, p, 4096, PROT_READ);
		bad |= raw_syscall3(SYS_mprotect, p, 4096, PROT_READ | PROT_WRITE);
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	return (int)bad;
}

static int remap(void)
{
	size_t i;

	tlb.region = mmap(NULL, TLB_CHUNK * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (tlb.region == MAP_FAILED) {
		tlb.region = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < TLB_CHUNK; i++)	/* in our TLB, not only in the page table */
		tlb.region[i * 4096] = 1;
	tlb.cursor = 0;
	return 0;
}

static int munmap_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	uint64_t total = 0, k, i, t0, t1;
	long bad = 0;
	int err;

	(void)r;
	while (n) {
		k = n < TLB_CHUNK ? n : TLB_CHUNK;
		if (TLB_CHUNK - tlb.cursor < k) {
			if (tlb.region && tlb.cursor < TLB_CHUNK)
				munmap(tlb.region + tlb.cursor * 4096,
				       (TLB_CHUNK - tlb.cursor) * 4096);
			if ((err = remap()) != 0)
				return err;
		}
		{
			long p = (long)(tlb.region + tlb.cursor * 4096);

			t0 = tsc_begin();
			for (i = 0; i < k; i++)
				bad |= raw_syscall2(SYS_munmap, p + (long)i * 4096, 4096);
			t1 = tsc_end();
		}
		total += t1 - t0;
		tlb.cursor += k;
		n -= k;
	}
	*ticks = total;
	return (int)bad;
}

#define TLB_VAR(op, N)							\
	static int op##_##N##_setup(struct bench_run *r) { return tlb_setup(r, N); } \
	const struct bench bench_tlb_##op##_##N = {			\
		.name = "tlb-" #op "-" #N,				\
		.summary = #op " with " #N " other threads spinning on other CPUs (TLB shootdown)", \
		.dir = BENCH_PER_CALL,					\
		.suites = SUITE_LEBENCH,				\
		.setup = op##_##N##_setup, .sample = op##_sample,	\
		.teardown = tlb_teardown,				\
	}
#define mprotect_sample mprot_sample

TLB_VAR(mprotect, 0);
TLB_VAR(mprotect, 1);
TLB_VAR(mprotect, 3);
TLB_VAR(mprotect, 7);
TLB_VAR(munmap, 0);
TLB_VAR(munmap, 1);
TLB_VAR(munmap, 3);
TLB_VAR(munmap, 7);
