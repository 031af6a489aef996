/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interface between the module core (main.c, record.c,
 * debugfs.c) and the hook backends (hook_tracepoint.c, hook_patch.c).
 */
#ifndef SYSLAT_H
#define SYSLAT_H

#include <linux/types.h>
#include <linux/seq_file.h>
#include "syslat_abi.h"

struct pt_regs;

struct syslat_backend {
	const char *name;
	/*
	 * Verify the hook site and install the hook. On failure return a
	 * negative errno with a one-line reason in @why and leave nothing
	 * installed. Called in module init after the per-CPU state exists,
	 * before debugfs (which cannot fail) is created.
	 */
	int (*install)(char *why, size_t len);
	/*
	 * Remove the hook and wait until no task can still execute backend
	 * or module code reached through it. Called first in module exit.
	 */
	void (*remove)(void);
	/* Apply the armed state (already validated). */
	int (*set_armed)(bool on);
	/* Describe the hook site for debugfs "info" (one line, no '\n'). */
	void (*describe)(struct seq_file *m);
};

extern const struct syslat_backend syslat_tracepoint_backend;
extern const struct syslat_backend syslat_patch_backend;

/*
 * Read by the backends' fast paths; written only by the core (module
 * init and the debugfs "armed" file, serialized by a mutex in main.c).
 * The core sets it before calling ->install(), which applies it (the
 * tracepoint backend attaches its probe only when it is true). On a
 * change the core calls ->set_armed(true) before setting it, and clears
 * it before calling ->set_armed(false): a fast path that sees it false
 * must leave nr 500 alone (-ENOSYS).
 */
extern bool syslat_armed;

/*
 * The noop system call itself: timestamps, optional injected cost,
 * per-CPU accounting and the ring record, then regs->ax = SYSLAT_NOOP_RET.
 * Must be called with preemption disabled: the tracepoint probe runs so;
 * the patch site does not, so its C entry (hook_patch.c) disables it.
 * Cookie is regs->di.
 */
void syslat_noop(struct pt_regs *regs);

#endif /* SYSLAT_H */
