/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between hook_patch.c and the trampoline patch_tramp.S.
 * hook_patch.c checks these constants against the kernel's own at build
 * time (struct pt_regs offsets, the ABI's syscall number).
 */
#ifndef SYSLAT_HOOK_PATCH_H
#define SYSLAT_HOOK_PATCH_H

#define PATCH_PT_AX		0x50	/* offsetof(struct pt_regs, ax) */
#define PATCH_PT_ORIG_AX	0x78	/* offsetof(struct pt_regs, orig_ax) */
#define PATCH_NR_NOOP		500	/* SYSLAT_NR_NOOP */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct pt_regs;

/* patch_tramp.S: entry, and the two jmp rel32 that go back (filled at load) */
extern u8 syslat_tramp[];
extern u8 syslat_tramp_ret_noop[];
extern u8 syslat_tramp_ret_enosys[];

/* Called by the trampoline for an armed nr 500, preemption still on. */
void syslat_patch_noop(struct pt_regs *regs);
#endif

#endif /* SYSLAT_HOOK_PATCH_H */
