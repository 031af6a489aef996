// SPDX-License-Identifier: GPL-2.0
/*
 * noop-check: the guest-side test of the patched kernel (patches/).
 * Built static, run as /noop-check by the initramfs of check-patched.sh.
 *
 *   noop-check func     syscall 500 -> 0xC0FFEE, 501 / 499 / 500|x32 bit
 *                       -> -ENOSYS; prints "NOOPCHECK func PASS|FAIL"
 *   noop-check icount [N]
 *                       round trips of nr 500 and nr 501 timed with the
 *                       same window as user/tsc.h (start LFENCE;RDTSC,
 *                       end RDTSCP;LFENCE), N calls each (default 2000),
 *                       minimum kept. Under "qemu -icount shift=0" every
 *                       TSC delta is an exact count of guest instructions.
 *                       Prints "NOOPCHECK icount key=value ..." lines.
 *   noop-check stock [N]
 *                       for an unpatched kernel: 500 must return -ENOSYS;
 *                       then the nr 501 round trip and the empty window
 *                       as above ("NOOPCHECK stock ..." lines).
 *
 * Everything goes to stdout, one line per result, tagged NOOPCHECK so the
 * host can find it in the serial log.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "../kmod/syslat_abi.h"

#define NR_ENOSYS	(SYSLAT_NR_NOOP + 1)	/* 501: past NR_syscalls */
#define NR_HOLE		(SYSLAT_NR_NOOP - 1)	/* 499: a table hole */
#define X32_BIT		0x40000000L		/* __X32_SYSCALL_BIT */
#define COOKIE		0x5157a7c0ffee0001UL

static long sys1(long nr, unsigned long a0)
{
	register unsigned long rdi __asm__("rdi") = a0;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "0"(nr), "r"(rdi)
			     : "rcx", "r11", "memory");
	return ret;
}

/*
 * One timed round trip. The whole window is one asm block so that the
 * compiler cannot put anything inside it: LFENCE; RDTSC; 2 MOVs (keep the
 * start), MOV nr; SYSCALL ... ; RDTSCP; LFENCE. With do_call == 0 the
 * MOV nr and SYSCALL are skipped (a not-taken JZ instead), which gives the
 * empty-window cost to subtract.
 */
static uint64_t window(long nr, unsigned long cookie, int do_call, long *ret)
{
	register unsigned long rdi __asm__("rdi") = cookie;
	uint32_t lo0, hi0, lo1, hi1;
	long rax;

	__asm__ __volatile__("lfence\n\t"
			     "rdtsc\n\t"
			     "mov %%eax, %[lo0]\n\t"
			     "mov %%edx, %[hi0]\n\t"
			     "test %[call], %[call]\n\t"
			     "jz 1f\n\t"
			     "mov %[nr], %%rax\n\t"
			     "syscall\n"
			     "1:\n\t"
			     "mov %%rax, %[rax]\n\t"
			     "rdtscp\n\t"
			     "lfence\n\t"
			     "mov %%eax, %[lo1]\n\t"
			     "mov %%edx, %[hi1]\n\t"
			     : [lo0] "=&r"(lo0), [hi0] "=&r"(hi0),
			       [lo1] "=&r"(lo1), [hi1] "=&r"(hi1),
			       [rax] "=&r"(rax), "+r"(rdi)
			     : [nr] "r"(nr), [call] "r"(do_call)
			     : "rax", "rdx", "rcx", "r11", "memory", "cc");
	if (ret)
		*ret = rax;
	return (((uint64_t)hi1 << 32) | lo1) - (((uint64_t)hi0 << 32) | lo0);
}

static int check(const char *what, long got, long want)
{
	int ok = got == want;

	printf("NOOPCHECK func %s: got %ld (%#lx), want %ld (%#lx): %s\n",
	       what, got, (unsigned long)got, want, (unsigned long)want,
	       ok ? "ok" : "WRONG");
	return ok;
}

static int do_func(void)
{
	int ok = 1;

	ok &= check("nr 500 (noop)", sys1(SYSLAT_NR_NOOP, COOKIE),
		    (long)SYSLAT_NOOP_RET);
	ok &= check("nr 500 cookie 0", sys1(SYSLAT_NR_NOOP, 0),
		    (long)SYSLAT_NOOP_RET);
	ok &= check("nr 501 (past NR_syscalls)", sys1(NR_ENOSYS, COOKIE),
		    -ENOSYS);
	ok &= check("nr 499 (table hole)", sys1(NR_HOLE, COOKIE), -ENOSYS);
	ok &= check("nr 500|x32 bit", sys1(SYSLAT_NR_NOOP | X32_BIT, COOKIE),
		    -ENOSYS);
	ok &= check("nr 39 (getpid) sanity", sys1(39, 0) > 0, 1);
	printf("NOOPCHECK func %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

struct minstat {
	uint64_t min, max;
	unsigned long at_min;
};

static void measure(struct minstat *m, long nr, int do_call, long want,
		    unsigned long n, int *bad)
{
	unsigned long i;

	m->min = UINT64_MAX;
	m->max = 0;
	m->at_min = 0;
	for (i = 0; i < n; i++) {
		long ret = 0;
		uint64_t d = window(nr, COOKIE + i, do_call, &ret);

		if (do_call && ret != want)
			*bad = 1;
		if (d < m->min) {
			m->min = d;
			m->at_min = 0;
		}
		if (d == m->min)
			m->at_min++;
		if (d > m->max)
			m->max = d;
	}
}

static int do_icount(unsigned long n)
{
	struct minstat e, a, b;
	int bad = 0;

	/* warm-up: page in, fill caches/TLB (no effect on icount anyway) */
	measure(&e, 0, 0, 0, 100, &bad);
	measure(&a, SYSLAT_NR_NOOP, 1, (long)SYSLAT_NOOP_RET, 100, &bad);
	measure(&b, NR_ENOSYS, 1, -ENOSYS, 100, &bad);

	measure(&e, 0, 0, 0, n, &bad);
	measure(&a, SYSLAT_NR_NOOP, 1, (long)SYSLAT_NOOP_RET, n, &bad);
	measure(&b, NR_ENOSYS, 1, -ENOSYS, n, &bad);
	if (bad) {
		printf("NOOPCHECK icount FAIL: a call returned the wrong value\n");
		return 1;
	}
	printf("NOOPCHECK icount calls=%lu\n", n);
	printf("NOOPCHECK icount empty_window min=%llu max=%llu n_at_min=%lu\n",
	       (unsigned long long)e.min, (unsigned long long)e.max, e.at_min);
	printf("NOOPCHECK icount nr500 min=%llu max=%llu n_at_min=%lu\n",
	       (unsigned long long)a.min, (unsigned long long)a.max, a.at_min);
	printf("NOOPCHECK icount nr501 min=%llu max=%llu n_at_min=%lu\n",
	       (unsigned long long)b.min, (unsigned long long)b.max, b.at_min);
	if (e.min >= a.min || e.min >= b.min) {
		printf("NOOPCHECK icount FAIL: empty window not below the calls\n");
		return 1;
	}
	printf("NOOPCHECK icount result nr500=%llu nr501=%llu empty=%llu net500=%llu net501=%llu ratio=%.3f\n",
	       (unsigned long long)a.min, (unsigned long long)b.min,
	       (unsigned long long)e.min,
	       (unsigned long long)(a.min - e.min),
	       (unsigned long long)(b.min - e.min),
	       (double)(a.min - e.min) / (double)(b.min - e.min));
	printf("NOOPCHECK icount PASS\n");
	return 0;
}

static int do_stock(unsigned long n)
{
	struct minstat e, b;
	int bad = 0;

	if (!check("nr 500 on a stock kernel", sys1(SYSLAT_NR_NOOP, COOKIE),
		   -ENOSYS)) {
		printf("NOOPCHECK stock FAIL\n");
		return 1;
	}
	measure(&e, 0, 0, 0, 100, &bad);
	measure(&b, NR_ENOSYS, 1, -ENOSYS, 100, &bad);
	measure(&e, 0, 0, 0, n, &bad);
	measure(&b, NR_ENOSYS, 1, -ENOSYS, n, &bad);
	if (bad || e.min >= b.min) {
		printf("NOOPCHECK stock FAIL: wrong return or empty window\n");
		return 1;
	}
	printf("NOOPCHECK stock result nr501=%llu empty=%llu net501=%llu n_at_min=%lu\n",
	       (unsigned long long)b.min, (unsigned long long)e.min,
	       (unsigned long long)(b.min - e.min), b.at_min);
	printf("NOOPCHECK stock PASS\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct utsname u;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u) == 0)
		printf("NOOPCHECK kernel %s %s\n", u.release, u.version);
	if (argc >= 2 && !strcmp(argv[1], "func"))
		return do_func();
	if (argc >= 2 && !strcmp(argv[1], "icount"))
		return do_icount(argc >= 3 ? strtoul(argv[2], NULL, 0) : 2000);
	if (argc >= 2 && !strcmp(argv[1], "stock"))
		return do_stock(argc >= 3 ? strtoul(argv[2], NULL, 0) : 2000);
	fprintf(stderr, "usage: %s func | icount [N] | stock [N]\n", argv[0]);
	return 2;
}
