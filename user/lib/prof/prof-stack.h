/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call stacks rebuilt exactly from an instruction stream. Each executed
 * instruction is given as (rip, rsp before it, cr3, control-flow class);
 * the stack state is updated when the next instruction's rsp is known:
 *   - a call whose rsp drops by 8 pushes a frame {caller, return slot};
 *   - any instruction leaves, in the stack region rsp now points into,
 *     only the frames whose slot lies at or above rsp (a ret pops its
 *     slot, a stack unwind pops many, a tail jmp pops nothing: the leaf is
 *     always the function containing rip, so tail calls show as such);
 *   - regions are 16 KiB kernel task stacks, keyed by address: the entry
 *     stack switch and a context switch just change region, and a task's
 *     frames are found again when the CPU comes back to its stack.
 * A region where a ret returns to a caller never seen (a task that went to
 * sleep before the trace began) gets a "[earlier frames]" root until its
 * next kernel entry: what lies below is unknown, never invented. User-mode code is flat: "[user] function".
 */
#ifndef SYSLAT_PROF_STACK_H
#define SYSLAT_PROF_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "prof-insn.h"
#include "prof-sym.h"

#define STACK_MAX_DEPTH	128
#define STACK_MAX_REGIONS	64
#define STACK_MAX_TASKS	16

struct insn_rec {
	uint64_t rip, rsp, cr3, fs;	/* task: (cr3, fs base) */
	enum insn_class cls;
};

struct frame {
	uint64_t slot;
	uint64_t caller;	/* address of the call instruction */
};

struct region {
	uint64_t base;
	int partial;
	size_t depth;
	struct frame f[STACK_MAX_DEPTH];
};

struct stack_state {
	struct symtab *ksyms, *usyms;	/* usyms may be NULL */
	struct region reg[STACK_MAX_REGIONS];
	size_t nreg;
	uint64_t task_cr3[STACK_MAX_TASKS], task_fs[STACK_MAX_TASKS];	/* labels, by first appearance */
	size_t ntask;
	struct insn_rec prev;
	int have_prev;
	uint64_t overflows;	/* frames dropped past STACK_MAX_DEPTH */
};

void stack_init(struct stack_state *s, struct symtab *ksyms, struct symtab *usyms);
int stack_is_kernel(uint64_t addr);
/* Account rec: updates the state with what the previous instruction did,
 * then writes rec's folded stack ("task;frame;...;leaf") into buf. */
int stack_feed(struct stack_state *s, const struct insn_rec *rec, char *buf, size_t len);
/* Forget the previous instruction (a gap in the stream: between windows). */
void stack_gap(struct stack_state *s);

#endif
