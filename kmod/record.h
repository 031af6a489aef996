/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module core internals shared by main.c, record.c and debugfs.c:
 * per-CPU timing state, its readers, and the core's control functions.
 */
#ifndef SYSLAT_RECORD_H
#define SYSLAT_RECORD_H

#include <linux/types.h>
#include "syslat.h"

#define SYSLAT_RING_MIN		64
#define SYSLAT_RING_MAX		1048576
#define SYSLAT_LIN_WIDTH_MAX	1048576

/* Counters of one CPU (or of all), as read by debugfs. */
struct syslat_counts {
	u64 calls;	/* noop calls since the last reset */
	u64 lost;	/* ring records overwritten since the last reset */
	u64 min;	/* of t_exit - t_entry; 0 when calls == 0 */
	u64 max;
	u64 sum;
};

/* A copy of one CPU's (or all CPUs') counters and histograms. */
struct syslat_snap {
	struct syslat_counts c;
	u64 log2[SYSLAT_LOG2_BUCKETS];
	u64 lin[SYSLAT_LIN_BUCKETS];
};

/* The ring file's snapshot, built at open. */
struct syslat_ring_snap {
	size_t len;			/* bytes in rec[] */
	struct syslat_record rec[];
};

/* record.c */
extern u64 syslat_inject_cycles;	/* also the module parameter */
extern unsigned int syslat_ring_size;
extern unsigned int syslat_lin_width;

int syslat_record_alloc(unsigned int ring_size, unsigned int lin_width);
void syslat_record_free(void);
void syslat_record_reset(void);
void syslat_read_counts(unsigned int cpu, struct syslat_counts *c);
void syslat_read_snap(unsigned int cpu, struct syslat_snap *s);
void syslat_add_snap(struct syslat_snap *all, const struct syslat_snap *s);
struct syslat_ring_snap *syslat_ring_snapshot(void);

/* main.c */
extern const char *syslat_hook_name;	/* the hook= parameter */
const struct syslat_backend *syslat_current_backend(void);
int syslat_set_armed(bool on);

/* debugfs.c */
void syslat_debugfs_init(void);
void syslat_debugfs_exit(void);

#endif /* SYSLAT_RECORD_H */
