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
 * hook_patch.c also fills in the syscall number (nr=) and the address
 * pushed on the timed path.
 *
 * Stack traces: on the timed path the address of the instruction after
 * the site is pushed, so that syslat_noop_irqoff() runs in a frame that
 * looks called from do_syscall_64 there (UNWIND_HINT_FUNC): an unwinder
 * stopped inside the timed window (oops, NMI backtrace, perf) goes on
 * through do_syscall_64 to entry_SYSCALL_64. The push is popped again,
 * never returned to, so call and ret stay paired for the return stack
 * buffer. A timer interrupt that became pending in the irq-off window is
 * taken right after the STI/RET, at the addq below: still under the hint.
 * The other instructions (the tests before the push, the push itself, the
 * untimed paths, the jumps back) carry the hint that ends a trace: they
 * cannot call or fault, but an interrupt or NMI taken at one of them gets
 * a trace that ends here, for their frame is do_syscall_64's, whose size
 * this file cannot know.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <linux/errno.h>
#include <asm/unwind_hints.h>
#include "hook_patch.h"

#ifdef UNWIND_HINT_TYPE_UNDEFINED
#define TRAMP_HINT_STOP	UNWIND_HINT_UNDEFINED
#else
#define TRAMP_HINT_STOP	UNWIND_HINT_EMPTY
#endif

	.text
SYM_CODE_START(syslat_tramp)
	ANNOTATE_NOENDBR
	TRAMP_HINT_STOP
SYM_INNER_LABEL(syslat_tramp_nr, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	cmpl	$PATCH_NR_NOOP, PATCH_PT_ORIG_AX(%rbx)	/* imm32: nr= */
	jne	.Lenosys
	cmpb	$PATCH_MODE_NOOP, syslat_mode(%rip)
	jb	.Lenosys				/* disarmed */
	ja	.Ltimed
	movq	$PATCH_NOOP_RET, PATCH_PT_AX(%rbx)	/* timing=0 */
SYM_INNER_LABEL(syslat_tramp_ret_fast, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	{disp32} jmp .Lunpatched			/* -> exit block */
.Ltimed:
SYM_INNER_LABEL(syslat_tramp_push, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	.byte	0x68					/* pushq $imm32 */
	.long	0					/* site + 8, at load */
	UNWIND_HINT_FUNC
	movq	%rbx, %rdi
	call	syslat_noop_irqoff			/* sets regs->ax */
	addq	$8, %rsp
	TRAMP_HINT_STOP
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
