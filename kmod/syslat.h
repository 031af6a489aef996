/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interface between the module core (main.c, record.c,
 * debugfs.c) and the hook backends (hook_tracepoint.c, hook_patch.c).
 */
#ifndef SYSLAT_H
#define SYSLAT_H

#include <linux/types.h>
#include <linux/seq_file.h>
#include <asm/ibt.h>
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
 * What the fast paths do with an armed call of syslat_nr, one byte so
 * that the patch trampoline decides with one compare:
 *   SYSLAT_MODE_OFF   disarmed: -ENOSYS, as an unassigned number
 *   SYSLAT_MODE_NOOP  timing=0: return SYSLAT_NOOP_RET, nothing else
 *   SYSLAT_MODE_TIMED timing=1: the timed noop, syslat_noop*()
 * Written only by the core (main.c, under its mutex): it is made non-OFF
 * only after ->set_armed(true) succeeded, and OFF before
 * ->set_armed(false). patch_tramp.S knows these values.
 */
#define SYSLAT_MODE_OFF		0
#define SYSLAT_MODE_NOOP	1
#define SYSLAT_MODE_TIMED	2
extern u8 syslat_mode;
extern bool syslat_armed;	/* the armed state as set; mode follows it */

/* The syscall number taken over (the nr= parameter), fixed at load. */
extern int syslat_nr;

/*
 * The timed noop: stamps, optional injected cost, per-CPU accounting
 * and the ring record, then regs->ax = SYSLAT_NOOP_RET. Callers from
 * outside the filtered tgid only get SYSLAT_NOOP_RET.
 * syslat_noop_irqoff() disables interrupts itself with a bare cli/sti
 * (the patch site runs with them on and every flag dead);
 * syslat_noop() saves and restores them (the tracepoint probe).
 * Interrupts off keeps each CPU's state single-writer and lets readers
 * take consistent snapshots by IPI (record.c).
 */
__noendbr void syslat_noop_irqoff(struct pt_regs *regs);	/* direct calls only */
void syslat_noop(struct pt_regs *regs);

#endif /* SYSLAT_H */
