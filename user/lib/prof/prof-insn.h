/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an x86-64 instruction does to control flow, from its first bytes:
 * only the classes the stack reconstruction needs (near/far call, return,
 * jump, the syscall/sysret/iret transitions, the TSC reads that open and
 * close a benchmark window). Everything else is INSN_OTHER.
 */
#ifndef SYSLAT_PROF_INSN_H
#define SYSLAT_PROF_INSN_H

#include <stddef.h>

enum insn_class {
	INSN_OTHER,
	INSN_CALL,
	INSN_RET,
	INSN_JMP,
	INSN_SYSCALL,
	INSN_SYSRET,
	INSN_IRET,
	INSN_RDTSC,
	INSN_RDTSCP,
};

enum insn_class insn_classify(const unsigned char *b, size_t n);
const char *insn_class_name(enum insn_class c);

#endif
