// SPDX-License-Identifier: GPL-2.0
/*
 * Minor page faults, per page (LEBench page fault, lmbench lat_pagefault):
 *   pagefault-anon  first write to a fresh anonymous private page: the
 *                   kernel allocates and zeroes a page
 *   pagefault-file  first write to a MAP_SHARED page of a tmpfs file whose
 *                   pages already exist: the fault maps a page-cache page
 *                   (write, so no fault-around maps 16 pages at once)
 *   pagefault-cow   first write to a private page shared with a child
 *                   since fork: the kernel copies it
 * The region (FAULT_CHUNK pages, THP off) is mapped, and for cow
 * populated and forked, outside the timed window; the window holds only
 * the loop of one-byte writes, one per page, so one op = one fault. When
 * the region is used up it is remade, again outside the window; a batch
 * larger than the region is timed as several windows whose ticks add up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "tsc.h"

#define FAULT_CHUNK 4096UL	/* pages per region: 16 MiB with 4 KiB pages */

enum fault_kind { F_ANON, F_FILE, F_COW };

struct fault_state {
	enum fault_kind kind;
	const char *who;
	size_t page, len;
	char *base;		/* NULL: no region */
	size_t cursor;		/* pages of the region already faulted */
	struct bench_tmp tmp;
	struct child_hold hold;
	int cpu;
};

static struct fault_state fault_st;

static void unmap_region(struct fault_state *st)
{
	child_hold_stop(&st->hold, st->who);
	if (st->base)
		munmap(st->base, st->len);
	st->base = NULL;
}

/* A fresh region: untimed. 0 or -errno. */
static int remap(struct fault_state *st)
{
	int file = st->kind == F_FILE;

	unmap_region(st);
	st->base = mmap(NULL, st->len, PROT_READ | PROT_WRITE,
			file ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS,
			file ? st->tmp.fd : -1, 0);
	if (st->base == MAP_FAILED) {
		st->base = NULL;
		return -errno;
	}
	if (!file)
		madvise(st->base, st->len, MADV_NOHUGEPAGE);
	st->cursor = 0;
	if (st->kind != F_COW)
		return 0;
	memset(st->base, 1, st->len);	/* our pages, then shared with the child */
	return child_hold_start(&st->hold, st->cpu, st->who);
}

static int fault_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct fault_state *st = r->priv;
	size_t page = st->page;
	uint64_t total = 0, k, i, t0, t1;
	int err;

	while (n) {
		k = n < FAULT_CHUNK ? n : FAULT_CHUNK;
		if (FAULT_CHUNK - st->cursor < k && (err = remap(st)) != 0)
			return err;
		{
			volatile char *p = st->base + st->cursor * page;

			t0 = tsc_begin();
			for (i = 0; i < k; i++)
				p[i * page] = 2;
			t1 = tsc_end();
		}
		total += t1 - t0;
		st->cursor += k;
		n -= k;
	}
	*ticks = total;
	return 0;
}

static int fault_setup(struct bench_run *r, enum fault_kind kind, const char *who)
{
	struct fault_state *st = &fault_st;
	int err;

	memset(st, 0, sizeof(*st));
	st->tmp.fd = -1;
	st->kind = kind;
	st->who = who;
	st->cpu = r->cpu;
	st->page = (size_t)sysconf(_SC_PAGESIZE);
	st->len = FAULT_CHUNK * st->page;
	st->cursor = FAULT_CHUNK;	/* the first sample maps */
	r->priv = st;
	if (kind == F_FILE && (err = bench_tmp_make(&st->tmp, who, st->len)) != 0)
		return err;
	if (kind == F_FILE && !st->tmp.tmpfs) {
		/* other filesystems add their own write-fault work (and may map
		 * more than the faulting page): not this benchmark */
		snprintf(r->note, sizeof(r->note), "no tmpfs ($TMPDIR and /dev/shm are not)");
		bench_tmp_remove(&st->tmp);
		return BENCH_SKIP;
	}
	snprintf(r->note, sizeof(r->note), "per page: write fault in a %zu MiB region%s%s, %s",
		 st->len >> 20, kind == F_FILE ? " of a file on " : "",
		 kind == F_FILE ? bench_tmp_fs(&st->tmp) : "",
		 kind == F_FILE ? "page cache pages" : "THP off");
	return 0;
}

static void fault_teardown(struct bench_run *r)
{
	struct fault_state *st = r->priv;

	if (!st)
		return;
	unmap_region(st);
	bench_tmp_remove(&st->tmp);
}

static int anon_setup(struct bench_run *r)
{
	return fault_setup(r, F_ANON, "pagefault-anon");
}

static int file_setup(struct bench_run *r)
{
	return fault_setup(r, F_FILE, "pagefault-file");
}

static int cow_setup(struct bench_run *r)
{
	fflush(NULL);
	return fault_setup(r, F_COW, "pagefault-cow");
}

const struct bench bench_pagefault_anon = {
	.name = "pagefault-anon",
	.summary = "anonymous minor page fault (first write), per page; mapping outside the window",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = anon_setup, .sample = fault_sample, .teardown = fault_teardown,
};

const struct bench bench_pagefault_file = {
	.name = "pagefault-file",
	.summary = "file-backed (tmpfs, MAP_SHARED) write fault, per page (lmbench lat_pagefault)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = file_setup, .sample = fault_sample, .teardown = fault_teardown,
};

const struct bench bench_pagefault_cow = {
	.name = "pagefault-cow",
	.summary = "copy-on-write fault after fork (child holds the pages), per page",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH,
	.setup = cow_setup, .sample = fault_sample, .teardown = fault_teardown,
};
