/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trampoline of the patch backend.
 *
 * hook_patch.c replaces the out-of-range store of do_syscall_64()
 *	movq	$-ENOSYS, 0x50(%rbx)		# regs->ax = -ENOSYS
 * with "jmp syslat_tramp" (plus a nop). What it verified at load:
 *  - %rbx holds the struct pt_regs * of the system call;
 *  - both ways out of the store reach one exit block that begins
 *	mov %rbx,%rdi; call syscall_exit_to_user_mode
 *    so all caller-saved registers and the flags are dead there: nothing
 *    needs saving here. %rbx, %rbp and %r12-%r15 are live; this code does
 *    not touch them and the C function it calls preserves them.
 * It is reached only by that direct jmp (no ENDBR needed under IBT) and
 * leaves only by direct jmps whose rel32 hook_patch.c fills in with
 * text_poke() before the site is patched; no ret, so no return thunk.
 * The ORC hint ends stack traces here: the frame is do_syscall_64()'s,
 * which we cannot describe from this file.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <linux/errno.h>
#include <asm/unwind_hints.h>
#include "hook_patch.h"

	.text
SYM_CODE_START(syslat_tramp)
	ANNOTATE_NOENDBR
#ifdef UNWIND_HINT_TYPE_UNDEFINED
	UNWIND_HINT_UNDEFINED
#else
	UNWIND_HINT_EMPTY
#endif
	cmpl	$PATCH_NR_NOOP, PATCH_PT_ORIG_AX(%rbx)	/* (int)orig_ax */
	jne	.Lenosys
	cmpb	$0, syslat_armed(%rip)
	je	.Lenosys
	movq	%rbx, %rdi
	call	syslat_patch_noop			/* sets regs->ax */
SYM_INNER_LABEL(syslat_tramp_ret_noop, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	{disp32} jmp .Lunpatched			/* -> exit block */
.Lenosys:
	movq	$-ENOSYS, PATCH_PT_AX(%rbx)		/* the original store */
SYM_INNER_LABEL(syslat_tramp_ret_enosys, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	{disp32} jmp .Lunpatched			/* -> exit block */
.Lunpatched:
	ud2						/* never reached */
SYM_CODE_END(syslat_tramp)
