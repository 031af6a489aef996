/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exit stamps of any system call of one process (anysys.c):
 * probes on raw_syscalls:sys_enter/sys_exit, attached only while a tgid
 * is armed (debugfs trace_tgid, or the trace_tgid= parameter).
 */
#ifndef SYSLAT_ANYSYS_H
#define SYSLAT_ANYSYS_H

#include <linux/types.h>

struct dentry;

/* trace_ring's text format: its "# version:" line */
#define SYSLAT_TRACE_VERSION	1

/*
 * Allocate the per-CPU rings, then attach the probes if trace_tgid= was
 * given (last: the only step other CPUs can see). 0 or -errno with
 * nothing left attached or allocated.
 */
int syslat_anysys_init(void);
/* Detach the probes, wait until no CPU runs them, free the rings. */
void syslat_anysys_exit(void);
/* The debugfs files trace_tgid and trace_ring in @dir. */
void syslat_anysys_debugfs(struct dentry *dir);

#endif /* SYSLAT_ANYSYS_H */
