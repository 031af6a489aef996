/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw `syscall` instruction, inlined into the caller's timing loop:
 * no libc wrapper and no call/ret around it. A `ret` right after the
 * kernel returns costs ~140 extra ticks on the development guest (a
 * return-stack mispredict after the kernel's RSB filling, see
 * notes/measuring-syscalls.md), so the raw figure is the kernel's cost and
 * the getppid-libc benchmark shows what an application pays.
 */
#ifndef SYSLAT_RAWSYS_H
#define SYSLAT_RAWSYS_H

static inline __attribute__((always_inline)) long raw_syscall0(long nr)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "0"(nr) : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long raw_syscall1(long nr, long a1)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "0"(nr), "D"(a1)
			     : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long raw_syscall2(long nr, long a1, long a2)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "0"(nr), "D"(a1), "S"(a2)
			     : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long raw_syscall3(long nr, long a1, long a2,
							       long a3)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "0"(nr), "D"(a1), "S"(a2), "d"(a3)
			     : "rcx", "r11", "memory");
	return ret;
}

#endif
