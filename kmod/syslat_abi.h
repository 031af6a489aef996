/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * syslat user/kernel ABI: the one header shared by kmod/ and user/.
 *
 * Calling convention of the noop system call (number: the module's nr=
 * parameter, default SYSLAT_NR_NOOP; debugfs "info" says which):
 *   rax = nr, rdi = cookie (any u64, chosen by the caller)
 *   returns SYSLAT_NOOP_RET when the module is loaded and armed,
 *   -ENOSYS otherwise (exactly as an unassigned number does).
 * The cookie and the caller's tgid are stored in the call's ring record
 * so that user space can match every kernel record to its own timestamps.
 *
 * debugfs (root only) under SYSLAT_DEBUGFS_DIR; docs/module.md has the
 * formats:
 *   info        "key\tvalue" lines, first line "# version: N"
 *   stats       per-CPU counters, tab separated, "#" header lines
 *   hist        human-readable histograms (log2 and log-linear, per
 *               CPU, sum)
 *   hist_raw    machine-readable histograms: cpu kind lo hi count rows
 *   ring        binary: struct syslat_record[], CPU by CPU the records
 *               retained when the reader reaches that CPU, oldest first
 *   reset       write "1": zero counters, histograms and rings
 *   armed       read/write 0 or 1: when 0, nr returns -ENOSYS
 *               (the tracepoint backend detaches its probe)
 *   timing      read/write 0 or 1: when 0, nr only returns SYSLAT_NOOP_RET
 *   filter_tgid read/write: time only calls of this tgid (0 = all)
 *   inject_cycles  read/write: busy-wait this many TSC cycles inside the
 *               timed window (0 .. one millisecond of TSC cycles)
 *   trace_tgid  read/write: stamp entry and exit of every system call of
 *               this tgid (kmod/anysys.c); 0 = off. A write starts a new
 *               session (rings cleared). The probes slow every task's
 *               system calls while armed.
 *   trace_ring  text: per CPU the stamped calls, "# version: 1", "#"
 *               header lines, rows "cpu seq tgid tid nr t_enter t_exit ret"
 * Anything else written to these files returns -EINVAL and changes nothing.
 * Every writable file is also a load-time parameter of the same name
 * (debugfs writes fail under kernel lockdown).
 */
#ifndef SYSLAT_ABI_H
#define SYSLAT_ABI_H

/* __u64/__u32: <linux/types.h> in the kernel, the uapi copy in user space. */
#include <linux/types.h>

#define SYSLAT_ABI_VERSION	2	/* 2: tgid in the record, nr= */
#define SYSLAT_NR_NOOP		500	/* default of nr= */
#define SYSLAT_NOOP_RET		0xC0FFEEUL
#define SYSLAT_DEBUGFS_DIR	"/sys/kernel/debug/syslat"

/* The log2 view of hist and hist_raw: bucket b holds 2^b..2^(b+1)-1. */
#define SYSLAT_LOG2_BUCKETS	64

/* One record per call of the noop syscall, 40 bytes. */
struct syslat_record {
	__u64 seq;	/* per-CPU call number since the last reset, from 0 */
	__u64 cookie;	/* rdi of the call */
	__u64 t_entry;	/* TSC at the first instruction of the handler */
	__u64 t_exit;	/* TSC at the last timed point before returning */
	__u32 cpu;	/* CPU that executed the call */
	__u32 tgid;	/* thread group (process) id of the caller */
};

#endif /* SYSLAT_ABI_H */
