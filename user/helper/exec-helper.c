// SPDX-License-Identifier: GPL-2.0
/*
 * syslat-exec-helper: the smallest program execve() can load, for the
 * fork-exec and posix-spawn benchmarks. Static, no libc, no dynamic
 * loader: _start calls exit(0), so what is timed is the kernel's exec
 * and exit, not a C runtime starting up.
 */
void _start(void);

void _start(void)
{
	__asm__ __volatile__("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
	__builtin_unreachable();
}
