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
#define PATCH_NR_NOOP		500	/* SYSLAT_NR_NOOP, replaced by nr= at load */
#define PATCH_NOOP_RET		0xC0FFEE	/* SYSLAT_NOOP_RET */
#define PATCH_MODE_NOOP		1	/* SYSLAT_MODE_NOOP; OFF below, TIMED above */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct pt_regs;

/*
 * patch_tramp.S: entry, the cmpl whose imm32 is the syscall number, the
 * pushq $imm32 of the timed path, and the three jmp rel32 that go back
 * (all filled in at load)
 */
extern u8 syslat_tramp[];
extern u8 syslat_tramp_nr[];
extern u8 syslat_tramp_push[];
extern u8 syslat_tramp_ret_fast[];
extern u8 syslat_tramp_ret_noop[];
extern u8 syslat_tramp_ret_enosys[];
#endif

#endif /* SYSLAT_HOOK_PATCH_H */
