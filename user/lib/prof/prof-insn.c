// SPDX-License-Identifier: GPL-2.0
/* Control-flow class of an x86-64 instruction (prof-insn.h). */
#include "prof-insn.h"

static int is_prefix(unsigned char c)
{
	switch (c) {
	case 0x26: case 0x2e: case 0x36: case 0x3e:	/* segment / branch hints */
	case 0x64: case 0x65: case 0x66: case 0x67:
	case 0xf0: case 0xf2: case 0xf3:
		return 1;
	}
	return 0;
}

static enum insn_class two_byte(const unsigned char *b, size_t n)
{
	if (n < 1)
		return INSN_OTHER;
	switch (b[0]) {
	case 0x05:
		return INSN_SYSCALL;
	case 0x07:
		return INSN_SYSRET;
	case 0x31:
		return INSN_RDTSC;
	case 0x01:
		return n >= 2 && b[1] == 0xf9 ? INSN_RDTSCP : INSN_OTHER;
	}
	return INSN_OTHER;
}

enum insn_class insn_classify(const unsigned char *b, size_t n)
{
	size_t i = 0;
	unsigned reg;

	while (i < n && i < 14 && is_prefix(b[i]))
		i++;
	if (i < n && (b[i] & 0xf0) == 0x40)	/* REX */
		i++;
	if (i >= n)
		return INSN_OTHER;
	switch (b[i]) {
	case 0xe8:
		return INSN_CALL;
	case 0xc3: case 0xc2: case 0xcb: case 0xca:
		return INSN_RET;
	case 0xe9: case 0xeb: case 0xea:
		return INSN_JMP;
	case 0xcf:
		return INSN_IRET;
	case 0x0f:
		return two_byte(b + i + 1, n - i - 1);
	case 0xff:
		if (i + 1 >= n)
			return INSN_OTHER;
		reg = (b[i + 1] >> 3) & 7;
		if (reg == 2 || reg == 3)
			return INSN_CALL;
		if (reg == 4 || reg == 5)
			return INSN_JMP;
		return INSN_OTHER;
	}
	return INSN_OTHER;
}

const char *insn_class_name(enum insn_class c)
{
	static const char *const names[] = {
		"other", "call", "ret", "jmp", "syscall", "sysret", "iret", "rdtsc", "rdtscp",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}
