/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * syslat user/kernel ABI: the one header shared by kmod/ and user/.
 *
 * Calling convention of the noop system call:
 *   rax = SYSLAT_NR_NOOP, rdi = cookie (any u64, chosen by the caller)
 *   returns SYSLAT_NOOP_RET when the module is loaded and armed,
 *   -ENOSYS otherwise (exactly as an unassigned number does).
 * The cookie is stored in the call's ring record so that user space can
 * match every kernel record to its own timestamps.
 *
 * debugfs (root only) under SYSLAT_DEBUGFS_DIR:
 *   info        "key\tvalue" lines, first line "# version: N"
 *   stats       per-CPU counters, tab separated, "#" header lines
 *   hist        human-readable histograms (log2 and linear, per CPU, sum)
 *   hist_raw    machine-readable histograms: cpu kind lo hi count rows
 *   ring        binary: struct syslat_record[], for each possible CPU its
 *               retained records oldest first (snapshot taken at open)
 *   reset       write "1": zero counters, histograms and rings
 *   armed       read/write 0 or 1: when 0, nr 500 returns -ENOSYS
 *               (the tracepoint backend detaches its probe)
 *   inject_cycles  read/write: busy-wait this many TSC cycles inside the
 *               timed window (0..SYSLAT_INJECT_MAX)
 * Anything else written to these files returns -EINVAL and changes nothing.
 */
#ifndef SYSLAT_ABI_H
#define SYSLAT_ABI_H

/* __u64/__u32: <linux/types.h> in the kernel, the uapi copy in user space. */
#include <linux/types.h>

#define SYSLAT_ABI_VERSION	1
#define SYSLAT_NR_NOOP		500
#define SYSLAT_NOOP_RET		0xC0FFEEUL
#define SYSLAT_DEBUGFS_DIR	"/sys/kernel/debug/syslat"
#define SYSLAT_INJECT_MAX	100000000ULL	/* 1e8 cycles: tens of ms */

/* Linear histogram: SYSLAT_LIN_BUCKETS buckets of lin_width cycles each;
 * the last bucket collects everything beyond.
 */
#define SYSLAT_LIN_BUCKETS	256
#define SYSLAT_LOG2_BUCKETS	64

/* One record per call of the noop syscall, 40 bytes. */
struct syslat_record {
	__u64 seq;	/* per-CPU call number since the last reset, from 0 */
	__u64 cookie;	/* rdi of the call */
	__u64 t_entry;	/* TSC at the first instruction of the handler */
	__u64 t_exit;	/* TSC at the last timed point before returning */
	__u32 cpu;	/* CPU that executed the call */
	__u32 flags;	/* reserved, 0 */
};

#endif /* SYSLAT_ABI_H */
