// SPDX-License-Identifier: GPL-2.0
/*
 * gtest: the module checks that run inside a QEMU guest (static binary).
 * Every check prints one TAP-like line:
 *   ok N - what | not ok N - what (details) | ok N - what # SKIP why
 * N comes from a counter file shared with the guest's /init script
 * ($SLT_TAPN, default /tmp/tap.n); $SLT_CTX (e.g. the backend) prefixes
 * "what". Exit status: 0 when every check passed or was skipped.
 * The syscall number is the module's (debugfs info "nr"), else 500.
 *
 *   gtest call NR EXPECT [WHAT]   raw syscall; EXPECT: enosys|coffee|NUMBER
 *   gtest getppid                 raw getppid == ppid from /proc/self/stat
 *   gtest count CPU N             stats, hist_raw and ring agree with N calls
 *   gtest inject CYCLES [CALLS]   in-kernel median rises by CYCLES (±2 %)
 *   gtest badwrite                bad writes -> -EINVAL, values unchanged (trace_tgid too)
 *   gtest filter                  filter_tgid: other tgids are not timed
 *   gtest timing                  timing=0: 0xC0FFEE, nothing counted
 *   gtest spin CPU SECS           call the noop for SECS seconds (no check)
 *   gtest hammer CPU SECS|FILE    call 500 until time is up or FILE exists
 *   gtest icount [BACKEND [CONFIG]]  round-trip window minima (bench line)
 *   gtest kbytes SYMBOL           hex of SYMBOL's text read from /proc/kcore
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../../kmod/syslat_abi.h"

#define D SYSLAT_DEBUGFS_DIR
#define ENOSYS_RET (-(long)ENOSYS)

static int failures;
static long g_nr = SYSLAT_NR_NOOP;	/* info's nr when the module is loaded */

/* ---- TAP output ------------------------------------------------------- */

static int tap_next(void)
{
	const char *path = getenv("SLT_TAPN") ? getenv("SLT_TAPN") : "/tmp/tap.n";
	int fd = open(path, O_RDWR | O_CREAT, 0644), n = 0;
	char buf[32] = "";

	if (fd < 0)
		return 0;
	flock(fd, LOCK_EX);
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		n = atoi(buf);
	n++;
	snprintf(buf, sizeof(buf), "%d\n", n);
	if (pwrite(fd, buf, strlen(buf), 0) < 0)
		n = 0;
	flock(fd, LOCK_UN);
	close(fd);
	return n;
}

/* ok: 1 pass, 0 fail, -1 skip; extra: details (fail) or reason (skip). */
static void tap(int ok, const char *extra, const char *fmt, ...)
{
	const char *ctx = getenv("SLT_CTX");
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("%s %d - %s%s%s%s", ok ? "ok" : "not ok", tap_next(),
	       ctx && *ctx ? "[" : "", ctx && *ctx ? ctx : "",
	       ctx && *ctx ? "] " : "", what);
	if (ok < 0)
		printf(" # SKIP %s", extra ? extra : "");
	else if (!ok && extra && *extra)
		printf(" (%s)", extra);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

/* A "# [ctx] ..." comment line: information, not a check. */
static void note(const char *fmt, ...)
{
	const char *ctx = getenv("SLT_CTX");
	va_list ap;

	printf("# %s%s%s", ctx && *ctx ? "[" : "", ctx && *ctx ? ctx : "",
	       ctx && *ctx ? "] " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- helpers ------------------------------------------------------------ */

static inline long sys1(long nr, long a0)
{
	long ret;

	asm volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0)
		     : "rcx", "r11", "memory");
	return ret;
}

static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno || end == s || *end) ? -1 : 0;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -1;
	return sched_getcpu() == cpu ? 0 : -1;
}

/* Write len bytes in one write(2); 0 or -errno. */
static int wfile(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int wstr(const char *path, const char *s)
{
	return wfile(path, s, strlen(s));
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				break;
		}
	}
	close(fd);
	if (buf)
		buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static int read_u64(const char *path, unsigned long long *v)
{
	char *s = slurp(path, NULL);
	int ret = -1;

	if (s) {
		s[strcspn(s, "\n")] = 0;
		ret = parse_u64(s, v);
	}
	free(s);
	return ret;
}

/*
 * Per-CPU call count from "stats": the column named "calls" (or "count")
 * of the "# cpu ..." header line (else column 2), in the row whose first
 * field is the CPU number. -1 when not found.
 */
/* The value of one "key\tvalue" line of info, or -1. */
static long long info_value(const char *key)
{
	char *t = slurp(D "/info", NULL), *p;
	size_t kl = strlen(key);
	long long v = -1;

	for (p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == '\t') {
			v = strtoll(p + kl + 1, NULL, 10);
			break;
		}
	free(t);
	return v;
}

/* Column @name ("calls", "min", "max", "sum", ...) of cpu's stats row, or -1. */
static long long stats_field(int cpu, const char *name)
{
	char *s = slurp(D "/stats", NULL), *line, *save = NULL;
	int col = 1;
	long long val = -1;

	for (line = s ? strtok_r(s, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok, *ts = NULL;
		int i = 0, c = -1;

		if (line[0] == '#') {
			for (tok = strtok_r(line + 1, " \t", &ts); tok;
			     tok = strtok_r(NULL, " \t", &ts), i++) {
				if (!i && strcmp(tok, "cpu"))
					break;
				if (!strcmp(tok, name) ||
				    (!strcmp(name, "calls") && !strcmp(tok, "count")))
					c = i;
			}
			if (c >= 0)
				col = c;
			continue;
		}
		tok = strtok_r(line, "\t ", &ts);
		if (!tok || strtol(tok, NULL, 10) != cpu || !strchr("0123456789", tok[0]))
			continue;
		for (i = 1; i <= col && (tok = strtok_r(NULL, "\t ", &ts)); i++)
			;
		if (tok && i > col)
			val = strtoll(tok, NULL, 0);
	}
	free(s);
	return val;
}

static long long stats_count(int cpu)
{
	return stats_field(cpu, "calls");
}

/* Sum of hist_raw counts for cpu, per kind; returns the number of kinds. */
static int hist_sums(int cpu, char kinds[][16], long long *sums, int max)
{
	char *s = slurp(D "/hist_raw", NULL), *line, *save = NULL;
	int nk = 0, k;

	for (line = s ? strtok_r(s, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char c[32], kind[16];
		unsigned long long lo, hi, cnt;

		if (line[0] == '#' ||
		    sscanf(line, "%31s %15s %llu %llu %llu", c, kind, &lo, &hi, &cnt) != 5)
			continue;
		if (!strchr("0123456789", c[0]) || atoi(c) != cpu)
			continue;
		for (k = 0; k < nk && strcmp(kinds[k], kind); k++)
			;
		if (k == nk) {
			if (nk == max)
				continue;
			snprintf(kinds[nk], 16, "%s", kind);
			sums[nk++] = 0;
		}
		sums[k] += cnt;
	}
	free(s);
	return nk;
}

/* The ring's records of one CPU (all CPUs if cpu < 0), in file order. */
static struct syslat_record *ring_read(int cpu, size_t *n)
{
	size_t len, i, m = 0;
	struct syslat_record *r = (struct syslat_record *)slurp(D "/ring", &len);

	*n = 0;
	if (!r)
		return NULL;
	for (i = 0; i < len / sizeof(*r); i++)
		if (cpu < 0 || (int)r[i].cpu == cpu)
			r[m++] = r[i];
	*n = m;
	return r;
}

static unsigned long long cookie_base(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return 0x5ec0000000000000ULL ^ ((unsigned long long)getpid() << 32) ^
	       ((unsigned long long)ts.tv_nsec << 8);
}

/* ---- subcommands ---------------------------------------------------------- */

static long expect_value(const char *s)
{
	unsigned long long v;

	if (!strcmp(s, "enosys"))
		return ENOSYS_RET;
	if (!strcmp(s, "coffee"))
		return SYSLAT_NOOP_RET;
	return parse_u64(s, &v) ? ENOSYS_RET : (long)v;
}

static int cmd_call(int argc, char **argv)
{
	long nr = strtol(argv[2], NULL, 0), want = expect_value(argv[3]), got = 0;
	char det[96] = "";
	int i;

	for (i = 0; i < 3; i++) {
		got = sys1(nr, 0x1234 + i);
		if (got != want)
			break;
	}
	snprintf(det, sizeof(det), "call %d returned %ld (%#lx), want %ld (%#lx)",
		 i + 1, got, got, want, want);
	tap(got == want, det, "syscall %ld returns %s%s%s", nr, argv[3],
	    argc > 4 ? ": " : "", argc > 4 ? argv[4] : "");
	return 0;
}

static int cmd_getppid(void)
{
	char *s = slurp("/proc/self/stat", NULL), *p = s ? strrchr(s, ')') : NULL;
	long ppid = -1, got = sys1(SYS_getppid, 0);
	char det[96];

	if (p)
		sscanf(p + 2, "%*c %ld", &ppid);
	free(s);
	snprintf(det, sizeof(det), "raw getppid %ld, /proc/self/stat %ld", got, ppid);
	tap(got == ppid && ppid > 0, det, "getppid returns the parent's pid");
	return 0;
}

/*
 * The module derives min, max and sum from its histogram (exact below
 * 512 cycles, kept apart above): they must equal what the ring's records
 * of the same calls say, call by call.
 */
static void count_vs_ring(int cpu, const struct syslat_record *r, size_t n)
{
	unsigned long long min = ~0ULL, max = 0, sum = 0, big = 0;
	char det[160];
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long long d = r[i].t_exit - r[i].t_entry;

		min = d < min ? d : min;
		max = d > max ? d : max;
		sum += d;
		big += d >= 512;
	}
	snprintf(det, sizeof(det), "ring: min %llu max %llu sum %llu (%llu of %zu >= 512); stats: %lld %lld %lld",
		 min, max, sum, big, n, stats_field(cpu, "min"), stats_field(cpu, "max"),
		 stats_field(cpu, "sum"));
	tap(stats_field(cpu, "min") == (long long)min && stats_field(cpu, "max") == (long long)max &&
	    stats_field(cpu, "sum") == (long long)sum, det,
	    "count: stats min, max and sum of cpu %d equal the ring's %zu records", cpu, n);
}

static int cmd_count(char **argv)
{
	int cpu = atoi(argv[2]), nk, k;
	long n = atol(argv[3]), i;
	unsigned long long base = cookie_base();
	long long before, after, sums[4];
	char kinds[4][16], det[256];
	struct syslat_record *r;
	size_t nr, keep, bad = 0;

	if (pin(cpu)) {
		tap(-1, "cannot pin to that cpu", "count: %ld calls on cpu %d", n, cpu);
		return 0;
	}
	if (wstr(D "/reset", "1\n"))
		tap(0, strerror(errno), "count: reset accepts 1");
	before = stats_count(cpu);
	for (i = 0; i < n; i++)
		if (sys1(g_nr, base + i) != (long)SYSLAT_NOOP_RET)
			bad++;
	after = stats_count(cpu);
	snprintf(det, sizeof(det), "%zu calls did not return 0xC0FFEE", bad);
	tap(!bad, det, "count: %ld calls on cpu %d return 0xC0FFEE", n, cpu);
	snprintf(det, sizeof(det), "before %lld after %lld", before, after);
	tap(before >= 0 && after - before == n, det,
	    "count: stats count of cpu %d rose by exactly %ld", cpu, n);

	nk = hist_sums(cpu, kinds, sums, 4);
	for (k = 0; k < nk; k++) {
		snprintf(det, sizeof(det), "sum %lld, count %lld", sums[k], after);
		tap(sums[k] == after, det, "count: hist_raw %s total of cpu %d equals count",
		    kinds[k], cpu);
	}
	if (nk < 2)
		tap(0, "want log2 and loglin rows", "count: hist_raw has %d kinds for cpu %d",
		    nk, cpu);

	r = ring_read(cpu, &nr);
	keep = nr < (size_t)n ? nr : (size_t)n;
	bad = 0;
	for (i = 0; i < (long)keep; i++) {
		struct syslat_record *x = &r[nr - keep + i];

		if (x->cookie != base + (n - keep + i) || x->t_exit < x->t_entry ||
		    x->tgid != (unsigned int)getpid() || (i && x->seq != x[-1].seq + 1))
			bad++;
	}
	snprintf(det, sizeof(det), "%zu of %zu records out of order, wrong or of another tgid, %zu on cpu",
		 bad, keep, nr);
	tap(r && !bad && keep >= (n < 64 ? (size_t)n : 64), det,
	    "count: ring's last %zu records of cpu %d carry the cookies in order and our tgid", keep, cpu);
	if (r && keep == (size_t)n)
		count_vs_ring(cpu, r + nr - keep, keep);
	free(r);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* Median of exit - entry over the ring after `calls` calls with inject. */
static long long inject_median(unsigned long long inject, long calls)
{
	unsigned long long base = cookie_base(), *d;
	struct syslat_record *r;
	char buf[32];
	size_t n, i, m = 0;
	long long med = -1;

	snprintf(buf, sizeof(buf), "%llu\n", inject);
	if (wstr(D "/inject_cycles", buf) || wstr(D "/reset", "1\n"))
		return -1;
	for (i = 0; i < (size_t)calls; i++)
		sys1(g_nr, base + i);
	r = ring_read(sched_getcpu(), &n);
	d = calloc(n + 1, sizeof(*d));
	for (i = 0; r && d && i < n; i++)
		if (r[i].cookie - base < (unsigned long long)calls)
			d[m++] = r[i].t_exit - r[i].t_entry;
	if (m) {
		qsort(d, m, sizeof(*d), cmp_u64);
		med = d[m / 2];
	}
	/* every call of this run >= inject: the long calls' own sum/min/max */
	if (r && m == n && m == (size_t)calls)
		count_vs_ring(sched_getcpu(), r, n);
	free(r);
	free(d);
	return med;
}

static int cmd_inject(int argc, char **argv)
{
	unsigned long long n = strtoull(argv[2], NULL, 0);
	long calls = argc > 3 ? atol(argv[3]) : 1000;
	long long m0, m1, rise;
	char det[160];

	pin(0);
	m0 = inject_median(0, calls);
	m1 = inject_median(n, calls);
	wstr(D "/inject_cycles", "0\n");
	rise = m1 - m0;
	snprintf(det, sizeof(det), "median %lld -> %lld, rise %lld, want %llu +-2%%",
		 m0, m1, rise, n);
	tap(m0 >= 0 && m1 >= 0 && llabs(rise - (long long)n) * 50 <= (long long)n, det,
	    "inject: %llu cycles raise the in-kernel median by %llu +-2%%", n, n);
	note("inject: median exit-entry %lld with 0, %lld with %llu (rise %lld)",
	     m0, m1, n, rise);
	return 0;
}

static void badwrite_file(const char *file, const char *const *vals, int nvals)
{
	char path[128], det[160];
	unsigned long long v0 = 0, v1 = 0;
	long long c0, c1;
	int i, ret, readable;

	snprintf(path, sizeof(path), D "/%s", file);
	readable = !read_u64(path, &v0);
	c0 = stats_count(sched_getcpu());
	for (i = 0; i < nvals; i++) {
		ret = wfile(path, vals[i], strlen(vals[i]));
		readable = readable && !read_u64(path, &v1);
		c1 = stats_count(sched_getcpu());
		snprintf(det, sizeof(det), "write returned %d (%s); value %llu -> %llu; count %lld -> %lld",
			 ret, ret ? strerror(-ret) : "success", v0, v1, c0, c1);
		tap(ret == -EINVAL && (!readable || v1 == v0) && c1 == c0, det,
		    "badwrite: %s <- \"%s\" gives -EINVAL, changes nothing", file,
		    *vals[i] == '\n' ? "\\n" : vals[i]);
	}
}

static int cmd_badwrite(void)
{
	static const char *const armed[] = { "garbage", "-1", "2", "1x",
		"99999999999999999999999", "", "\n", " 1", "0x1", "1\n\n" };
	static const char *const reset[] = { "garbage", "-1", "2",
		"99999999999999999999999", "", "\n" };
	static const char *const filter[] = { "garbage", "-1", "4194305",
		"18446744073709551616", "", "\n", "12 " };
	long long max = info_value("inject_max");
	char over[32], buf[32];
	const char *inject[] = { "garbage", "-1", over,
		"18446744073709551616", "99999999999999999999999", "", "\n" };
	unsigned long long v;
	int i;

	snprintf(over, sizeof(over), "%lld", max + 1);
	tap(max > 0, "", "badwrite: info reports inject_max (%lld)", max);
	pin(0);
	for (i = 0; i < 10; i++)
		sys1(g_nr, i);
	badwrite_file("armed", armed, sizeof(armed) / sizeof(*armed));
	badwrite_file("timing", armed, sizeof(armed) / sizeof(*armed));
	badwrite_file("reset", reset, sizeof(reset) / sizeof(*reset));
	badwrite_file("inject_cycles", inject, sizeof(inject) / sizeof(*inject));
	badwrite_file("filter_tgid", filter, sizeof(filter) / sizeof(*filter));
	badwrite_file("trace_tgid", filter, sizeof(filter) / sizeof(*filter));

	/* Positive controls: the same files take good values. */
	i = read_u64(D "/armed", &v);
	snprintf(buf, sizeof(buf), "%llu\n", v);
	tap(!i && !wstr(D "/armed", buf), strerror(errno), "badwrite: armed <- its own value works");
	snprintf(buf, sizeof(buf), "%lld\n", max);
	i = wstr(D "/inject_cycles", buf) || read_u64(D "/inject_cycles", &v) ||
	    v != (unsigned long long)max;
	tap(!i, "", "badwrite: inject_cycles <- inject_max works");
	i = wstr(D "/inject_cycles", "0\n") || read_u64(D "/inject_cycles", &v) || v;
	tap(!i, "", "badwrite: inject_cycles <- 0 works");
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	i = wstr(D "/trace_tgid", buf) || read_u64(D "/trace_tgid", &v) || v != (unsigned long long)getpid();
	i = i || wstr(D "/trace_tgid", "0\n") || read_u64(D "/trace_tgid", &v) || v;
	tap(!i, "", "badwrite: trace_tgid <- our pid, then 0, works");
	i = wstr(D "/reset", "1\n");
	tap(!i && stats_count(sched_getcpu()) == 0, "", "badwrite: reset <- 1 zeroes the count");
	return 0;
}

/* n calls on this CPU: how much its stats count rose; -1 on error. */
static long long count_rise(long n, long *bad)
{
	long long before = stats_count(sched_getcpu()), after;
	long i;

	*bad = 0;
	for (i = 0; i < n; i++)
		*bad += sys1(g_nr, i) != (long)SYSLAT_NOOP_RET;
	after = stats_count(sched_getcpu());
	return before < 0 || after < 0 ? -1 : after - before;
}

static int cmd_filter(void)
{
	char buf[32], det[128];
	long long rise;
	long bad;

	pin(0);
	/* tgid 1 (init) is never us */
	wstr(D "/filter_tgid", "1\n");
	rise = count_rise(100, &bad);
	snprintf(det, sizeof(det), "count rose by %lld, %ld calls not 0xC0FFEE", rise, bad);
	tap(rise == 0 && !bad, det, "filter: filter_tgid=1: our 100 calls return 0xC0FFEE, none timed");
	snprintf(buf, sizeof(buf), "%d\n", getpid());
	wstr(D "/filter_tgid", buf);
	rise = count_rise(100, &bad);
	snprintf(det, sizeof(det), "count rose by %lld, %ld calls not 0xC0FFEE", rise, bad);
	tap(rise == 100 && !bad, det, "filter: filter_tgid=our tgid: all 100 calls timed");
	wstr(D "/filter_tgid", "0\n");
	rise = count_rise(100, &bad);
	snprintf(det, sizeof(det), "count rose by %lld", rise);
	tap(rise == 100 && !bad, det, "filter: filter_tgid=0: all 100 calls timed again");
	return 0;
}

static int cmd_timing(void)
{
	char det[128];
	long long rise;
	long bad;

	pin(0);
	wstr(D "/timing", "0\n");
	rise = count_rise(100, &bad);
	snprintf(det, sizeof(det), "count rose by %lld, %ld calls not 0xC0FFEE", rise, bad);
	tap(rise == 0 && !bad, det, "timing: timing=0: 100 calls return 0xC0FFEE, none counted");
	wstr(D "/timing", "1\n");
	rise = count_rise(100, &bad);
	snprintf(det, sizeof(det), "count rose by %lld, %ld calls not 0xC0FFEE", rise, bad);
	tap(rise == 100 && !bad, det, "timing: timing=1: all 100 calls counted again");
	return 0;
}

/* Call the noop on @cpu until SECS have passed: a target to backtrace. */
static int cmd_spin(char **argv)
{
	time_t end = time(NULL) + atol(argv[3]);
	unsigned long n = 0;

	pin(atoi(argv[2]));
	while (time(NULL) < end)
		sys1(g_nr, n++);
	return 0;
}

static int stop_now(const char *arg, time_t deadline)
{
	if (deadline)
		return time(NULL) >= deadline;
	return access(arg, F_OK) == 0;
}

static int cmd_hammer(char **argv)
{
	int cpu = atoi(argv[2]);
	unsigned long long secs, calls = 0, coffee = 0, enosys = 0, other = 0;
	time_t deadline = 0;
	long first_other = 0, r;
	char det[160];

	if (!parse_u64(argv[3], &secs))
		deadline = time(NULL) + secs;
	if (pin(cpu)) {
		tap(-1, "cannot pin to that cpu", "hammer on cpu %d", cpu);
		return 0;
	}
	while (!(calls & 1023) ? !stop_now(argv[3], deadline) : 1) {
		r = sys1(g_nr, calls++);
		if (r == (long)SYSLAT_NOOP_RET)
			coffee++;
		else if (r == ENOSYS_RET)
			enosys++;
		else if (!other++)
			first_other = r;
	}
	snprintf(det, sizeof(det), "%llu calls: %llu 0xC0FFEE, %llu -ENOSYS, %llu other (first %#lx)",
		 calls, coffee, enosys, other, first_other);
	tap(!other, det, "hammer cpu %d: every call returned 0xC0FFEE or -ENOSYS", cpu);
	note("hammer cpu %d: %s", cpu, det);
	tap(coffee && enosys, det, "hammer cpu %d: saw both 0xC0FFEE and -ENOSYS", cpu);
	return 0;
}

static inline unsigned long long t_begin(void)
{
	unsigned int lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (unsigned long long)hi << 32 | lo;
}

static inline unsigned long long t_end(void)
{
	unsigned int lo, hi, aux;

	asm volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	return (unsigned long long)hi << 32 | lo;
}

/* Minimum round trip of syscall nr (nr < 0: empty window). */
static unsigned long long window_min(long nr, int reps)
{
	unsigned long long best = ~0ULL, t0, t1;
	int i;

	for (i = 0; i < reps; i++) {
		if (nr < 0) {
			t0 = t_begin();
			t1 = t_end();
		} else {
			t0 = t_begin();
			sys1(nr, i);
			t1 = t_end();
		}
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

static int cmd_icount(int argc, char **argv)
{
	char *cmdline = slurp("/proc/cmdline", NULL);
	int icount = cmdline && strstr(cmdline, "syslat.icount=1");
	struct utsname u;
	unsigned long long e, a, b, c, f;

	free(cmdline);
	uname(&u);
	pin(0);
	e = window_min(-1, 2000);
	a = window_min(g_nr, 2000);
	b = window_min(g_nr + 1, 2000);
	c = window_min(SYS_getppid, 2000);
	f = window_min(1000, 2000);
	/* nr500 is the module's number (nr=), nr501 the next one */
	printf("bench: kernel=%s backend=%s config=%s nr500=%llu nr501=%llu nr1000=%llu getppid=%llu empty=%llu %s\n",
	       u.release, argc > 2 ? argv[2] : "none", argc > 3 ? argv[3] : "-",
	       a, b, f, c, e, icount ? "instructions (icount)" : "cycles (TSC, not icount)");
	return 0;
}

/* ---- kbytes: a function's text, read through /proc/kcore -------------- */

static int ksym_range(const char *sym, unsigned long long *start, unsigned long long *end)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long a, best = ~0ULL;
	char t, name[256], line[512];

	*start = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &t, name) == 3 &&
		    !strcmp(name, sym) && strchr("tT", t))
			*start = a;
	rewind(f);
	while (*start && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx", &a) == 1 && a > *start && a < best)
			best = a;
	fclose(f);
	*end = best;
	return *start && best != ~0ULL && best - *start < 65536 ? 0 : -1;
}

static int cmd_kbytes(char **argv)
{
	unsigned long long s, e;
	int fd = open("/proc/kcore", O_RDONLY), i;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned char buf[65536];

	if (fd < 0 || ksym_range(argv[2], &s, &e) ||
	    pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return fprintf(stderr, "kbytes: no /proc/kcore or symbol\n"), 1;
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph))
			break;
		if (ph.p_type != PT_LOAD || s < ph.p_vaddr || e > ph.p_vaddr + ph.p_memsz)
			continue;
		if (pread(fd, buf, e - s, ph.p_offset + (s - ph.p_vaddr)) != (ssize_t)(e - s))
			break;
		printf("%s %#llx+%#llx:", argv[2], s, e - s);
		for (i = 0; i < (int)(e - s); i++)
			printf(" %02x", buf[i]);
		printf("\n");
		return 0;
	}
	fprintf(stderr, "kbytes: %s not readable in /proc/kcore\n", argv[2]);
	return 1;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	long long nr;

	setvbuf(stdout, NULL, _IOLBF, 0);
	nr = access(D "/info", R_OK) ? -1 : info_value("nr");
	if (nr > 0)
		g_nr = nr;
	if (!strcmp(c, "call") && argc > 3)
		cmd_call(argc, argv);
	else if (!strcmp(c, "getppid"))
		cmd_getppid();
	else if (!strcmp(c, "count") && argc > 3)
		cmd_count(argv);
	else if (!strcmp(c, "inject") && argc > 2)
		cmd_inject(argc, argv);
	else if (!strcmp(c, "badwrite"))
		cmd_badwrite();
	else if (!strcmp(c, "filter"))
		cmd_filter();
	else if (!strcmp(c, "timing"))
		cmd_timing();
	else if (!strcmp(c, "spin") && argc > 3)
		cmd_spin(argv);
	else if (!strcmp(c, "hammer") && argc > 3)
		cmd_hammer(argv);
	else if (!strcmp(c, "icount"))
		cmd_icount(argc, argv);
	else if (!strcmp(c, "kbytes") && argc > 2)
		return cmd_kbytes(argv);
	else {
		fprintf(stderr, "usage: gtest call NR EXPECT [WHAT] | getppid | count CPU N |\n"
			"       inject CYCLES [CALLS] | badwrite | filter | timing |\n"
			"       spin CPU SECS | hammer CPU SECS|FILE |\n"
			"       icount [BACKEND] | kbytes SYMBOL\n");
		return 2;
	}
	return failures ? 1 : 0;
}
