/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module core internals shared by main.c, record.c and debugfs.c:
 * per-CPU timing state, its readers, and the core's control functions.
 */
#ifndef SYSLAT_RECORD_H
#define SYSLAT_RECORD_H

#include <linux/bits.h>
#include <linux/types.h>
#include "syslat.h"

#define SYSLAT_RING_MIN		64
#define SYSLAT_RING_MAX		1048576
/* x32 system calls carry bit 30: our number stays below it. */
#define SYSLAT_NR_LIMIT		0x40000000
/* All rings together (ring_size x possible CPUs x 32-byte slots) stay below this. */
#define SYSLAT_RING_TOTAL_MAX	(256UL << 20)

/*
 * The one per-call histogram of d = t_exit - t_entry (TSC cycles),
 * log-linear: one bucket per value below SYSLAT_HIST_EXACT (a syscall's
 * 20..500 cycles in the window stay exact, and the common call needs no
 * arithmetic to find its bucket), then SYSLAT_HIST_SUB buckets per power
 * of two up to 2^64 (the top bit's position and the next
 * SYSLAT_HIST_SUB_BITS bits). The log2 view is a sum of these.
 */
#define SYSLAT_HIST_EXACT_BITS	9
#define SYSLAT_HIST_EXACT	BIT(SYSLAT_HIST_EXACT_BITS)
#define SYSLAT_HIST_SUB_BITS	4
#define SYSLAT_HIST_SUB		BIT(SYSLAT_HIST_SUB_BITS)
#define SYSLAT_HIST_BIG		((64 - SYSLAT_HIST_EXACT_BITS) << SYSLAT_HIST_SUB_BITS)
#define SYSLAT_HIST_BUCKETS	(SYSLAT_HIST_EXACT + SYSLAT_HIST_BIG)

/* Counters of one CPU (or of all), as read by debugfs; exact, derived. */
struct syslat_counts {
	u64 calls;	/* timed calls since the last reset */
	u64 lost;	/* ring records overwritten since the last reset */
	u64 min;	/* of t_exit - t_entry; 0 when calls == 0 */
	u64 max;
	u64 sum;
};

/* A consistent copy of one CPU's (or all CPUs') counters and histograms. */
struct syslat_snap {
	struct syslat_counts c;
	u64 hist[SYSLAT_HIST_BUCKETS];	/* syslat_bucket_range() says which */
};

/* record.c */
extern u64 syslat_inject_cycles;	/* also the module parameter */
extern u32 syslat_filter_tgid;		/* also the module parameter */
extern unsigned int syslat_ring_size;

int syslat_record_alloc(unsigned int ring_size);
void syslat_record_free(void);
void syslat_record_reset(void);
u64 syslat_inject_max(void);
void syslat_update_slow(void);
void syslat_read_counts(unsigned int cpu, struct syslat_counts *c);
void syslat_read_snap(unsigned int cpu, struct syslat_snap *s);
void syslat_add_snap(struct syslat_snap *all, const struct syslat_snap *s);
void syslat_bucket_range(unsigned int i, u64 *lo, u64 *hi);

/*
 * The ring file's reader: each CPU sampled when reached, records streamed in
 * batches of SYSLAT_RING_BATCH (one seq_file item each: a hammering
 * writer overwrites slots quickly, the reader must not dawdle).
 */
#define SYSLAT_RING_BATCH	128
#define SYSLAT_RING_UNSAMPLED	U64_MAX	/* head[] of a CPU not reached yet */
struct syslat_ring_iter {
	unsigned long gen;	/* reset generation at open */
	unsigned int cpu;	/* current CPU */
	u64 seq;		/* first record of the current batch */
	u64 *first, *head;	/* per CPU: [first, head) retained when reached */
	struct syslat_record batch[SYSLAT_RING_BATCH];
};

int syslat_ring_iter_init(struct syslat_ring_iter *it);
void syslat_ring_iter_free(struct syslat_ring_iter *it);
/* Position @it at batch @pos of the stream; false past the end. */
bool syslat_ring_seek(struct syslat_ring_iter *it, loff_t pos);
/*
 * Copy the batch @it points at into it->batch: how many records are
 * whole (records overwritten meanwhile are left out).
 */
unsigned int syslat_ring_copy(struct syslat_ring_iter *it);

/* main.c */
extern const char *syslat_hook_name;	/* the hook= parameter */
const struct syslat_backend *syslat_current_backend(void);
int syslat_set_armed(bool on);
int syslat_set_timing(bool on);
bool syslat_get_timing(void);

/* debugfs.c */
/* A whole write as one decimal u64 ("N" or "N\n"): 0, -EINVAL or -EFAULT. */
int syslat_parse_u64(const char __user *ubuf, size_t count, u64 *val);
void syslat_debugfs_init(void);
void syslat_debugfs_exit(void);

#endif /* SYSLAT_RECORD_H */
