// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the trace_ring parser and the any-syscall merge
 * (user/lib/anysys.c): a ring recorded in a 6.12 icount guest
 * (data/trace_ring-6.12-icount.txt: the shell's read of /dev/null and
 * echo, pid 1) and small synthetic rings for every counter.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anysys.h"
#include "kmod.h"
#include "util.h"

#define RECORDED "data/trace_ring-6.12-icount.txt"
#define MAXC 32

static uint64_t store[PH_NR][MAXC];

static void merge_init(struct phase_merge *m, uint32_t tgid)
{
	int k;

	memset(m, 0, sizeof(*m));
	for (k = 0; k < PH_NR; k++)
		m->delta[k] = store[k];
	m->tgid = tgid;
}

static struct anysys_ring recorded(void)
{
	struct anysys_ring ring;
	char *text = read_text_file(RECORDED, 1 << 20);
	int line = -1;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(anysys_parse_ring(text, &ring, &line), 0);
	free(text);
	return ring;
}

START_TEST(parse_recorded)
{
	struct anysys_ring ring = recorded();

	ck_assert_int_eq(ring.version, 1);
	ck_assert_uint_eq(ring.tgid, 1);
	ck_assert_uint_eq(ring.ring_size, 64);
	ck_assert_uint_eq(ring.unmatched, 1);	/* the exit of the write that armed it */
	ck_assert_uint_eq(ring.evicted, 0);
	ck_assert_uint_eq(ring.n, 22);
	/* row "0	6	1	1	7	2907308534	2907309137	1": poll */
	ck_assert_uint_eq(ring.r[6].seq, 6);
	ck_assert_int_eq(ring.r[6].nr, 7);
	ck_assert_uint_eq(ring.r[6].t_enter, 2907308534ull);
	ck_assert_uint_eq(ring.r[6].t_exit, 2907309137ull);
	ck_assert_int_eq(ring.r[6].ret, 1);
	ck_assert_int_eq(ring.r[21].nr, 56);	/* clone of the cat that read the ring */
	anysys_ring_free(&ring);
}
END_TEST

/* Calls around the recorded read (nr 0) and write (nr 1): 100 before, 50 after. */
START_TEST(merge_recorded)
{
	struct anysys_ring ring = recorded();
	struct anysys_key key = { .tid = 1, .nr = 0, .expect = 0, .cpu = 0 };
	struct phase_call c[1];
	struct phase_merge m;
	size_t i;

	for (i = 0; i < ring.n && ring.r[i].nr != 0; i++)
		;
	ck_assert_uint_lt(i, ring.n);
	c[0] = (struct phase_call){ .t0 = ring.r[i].t_enter - 100, .t3 = ring.r[i].t_exit + 50,
				    .cpu_after = 0, .ret = 0 };
	merge_init(&m, 1);
	ck_assert_int_eq(anysys_merge(&m, &key, c, 1, &ring), 0);
	ck_assert_uint_eq(m.matched, 1);
	ck_assert_uint_eq(store[PH_ENTRY][0], 100);
	ck_assert_uint_eq(store[PH_KERNEL][0], 2907309893ull - 2907309417ull);
	ck_assert_uint_eq(store[PH_EXIT][0], 50);
	ck_assert_uint_eq(store[PH_ROUND_TRIP][0], 100 + 476 + 50);
	ck_assert_uint_eq(store[PH_ENTRY][0] + store[PH_KERNEL][0] + store[PH_EXIT][0],
			  store[PH_ROUND_TRIP][0]);
	/* the same window for the write (nr 1) finds nothing: another number */
	key.nr = 1;
	merge_init(&m, 1);
	ck_assert_int_eq(anysys_merge(&m, &key, c, 1, &ring), 0);
	ck_assert_uint_eq(m.matched, 0);
	ck_assert_uint_eq(m.missing, 1);
	anysys_ring_free(&ring);
}
END_TEST

#define HDR "# version: 1\n# tgid: 7\n# ring_size: 64\n# cpu_stats\t0\t9\t2\t3\n" \
	    "# cpu_stats\t1\t0\t1\t0\n# cpu\tseq\ttgid\ttid\tnr\tt_enter\tt_exit\tret\n"

static void parse_ok(const char *text, struct anysys_ring *ring)
{
	int line = -1;

	ck_assert_int_eq(anysys_parse_ring(text, ring, &line), 0);
}

/* Ten calls of nr 39 by tid 8 on cpu 0: t0 = 1000 (i + 1), entry 100, kernel 300, exit 50. */
static void calls(struct phase_call *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = (struct phase_call){ .t0 = 1000 * (i + 1), .t3 = 1000 * (i + 1) + 450,
					    .cpu_after = 0, .ret = 5 };
}

static char *rows(const char *extra, size_t n)
{
	static char buf[8192];
	size_t i, len;

	len = (size_t)snprintf(buf, sizeof(buf), "%s", HDR);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "0\t%zu\t7\t8\t39\t%zu\t%zu\t5\n",
					i, 1000 * (i + 1) + 100, 1000 * (i + 1) + 400);
	snprintf(buf + len, sizeof(buf) - len, "%s", extra);
	return buf;
}

START_TEST(merge_counters)
{
	const struct anysys_key key = { .tid = 8, .nr = 39, .expect = 5, .cpu = 0 };
	struct phase_call c[12];
	struct anysys_ring ring;
	struct phase_merge m;

	/* foreign tgid, another thread, our other syscall, ours on cpu 1 in the span */
	parse_ok(rows("0\t20\t9\t9\t39\t3150\t3200\t5\n0\t21\t7\t10\t39\t4150\t4200\t5\n"
		      "0\t22\t7\t8\t0\t5460\t5470\t0\n1\t0\t7\t8\t39\t6100\t6200\t5\n", 10), &ring);
	ck_assert_uint_eq(ring.unmatched, 3);
	ck_assert_uint_eq(ring.evicted, 3);
	calls(c, 10);
	merge_init(&m, 7);
	ck_assert_int_eq(anysys_merge(&m, &key, c, 10, &ring), 0);
	ck_assert_uint_eq(m.matched, 10);
	ck_assert_uint_eq(m.foreign, 2);
	ck_assert_uint_eq(m.other_cpu, 1);
	ck_assert_uint_eq(store[PH_ENTRY][9], 100);
	ck_assert_uint_eq(store[PH_KERNEL][9], 300);
	ck_assert_uint_eq(store[PH_EXIT][9], 50);
	anysys_ring_free(&ring);

	/* call 11 has no record; 12 has two (an impossible ring: counted) */
	parse_ok(rows("0\t10\t7\t8\t39\t12100\t12200\t5\n0\t11\t7\t8\t39\t12300\t12400\t5\n", 10),
		 &ring);
	calls(c, 12);
	merge_init(&m, 7);
	ck_assert_int_eq(anysys_merge(&m, &key, c, 12, &ring), 0);
	ck_assert_uint_eq(m.matched, 10);
	ck_assert_uint_eq(m.missing, 1);
	ck_assert_uint_eq(m.duplicate, 1);
	anysys_ring_free(&ring);
}
END_TEST

START_TEST(merge_bad_calls)
{
	const struct anysys_key key = { .tid = 8, .nr = 39, .expect = 5, .cpu = 0 };
	struct phase_call c[10];
	struct anysys_ring ring;
	struct phase_merge m;

	/* record 3 leaves after the user's t3; record 4 returned 6 */
	parse_ok("# version: 1\n0\t0\t7\t8\t39\t1100\t1400\t5\n0\t1\t7\t8\t39\t2100\t2400\t5\n"
		 "0\t2\t7\t8\t39\t3100\t3400\t5\n0\t3\t7\t8\t39\t4100\t4460\t5\n"
		 "0\t4\t7\t8\t39\t5100\t5400\t6\n", &ring);
	calls(c, 5);
	c[1].ret = 4;		/* not what the call must return */
	c[2].cpu_after = 1;	/* migrated */
	merge_init(&m, 7);
	ck_assert_int_eq(anysys_merge(&m, &key, c, 5, &ring), 0);
	ck_assert_uint_eq(m.matched, 1);
	ck_assert_uint_eq(m.bad_ret, 2);
	ck_assert_uint_eq(m.migrated, 1);
	ck_assert_uint_eq(m.unordered, 1);
	ck_assert_int_eq(anysys_merge(NULL, &key, c, 5, &ring), -EINVAL);
	ck_assert_int_eq(anysys_merge(&m, &key, NULL, 5, &ring), -EINVAL);
	anysys_ring_free(&ring);
}
END_TEST

START_TEST(parse_bad)
{
	static const char *const bad[] = {
		"", "# version: 2\n", "0\t0\t7\t8\t39\t1\t2\t3\n# version: 1\n",
		"# version: 1\n0\t0\t7\t8\t39\t1\t2\n",		/* seven fields */
		"# version: 1\n0\t0\t7\t8\t39\t1\t2\t3\t4\n",	/* nine */
		"# version: 1\n0\t0\t7\t8\t39\t1\t2\tx\n",
		"# version: 1\n0\t-1\t7\t8\t39\t1\t2\t3\n",	/* negative seq */
		"# version: 1\n0\t0\t7\t8\t39\t18446744073709551616\t2\t3\n",
		"# version: 1\n4294967296\t0\t7\t8\t39\t1\t2\t3\n",
		"# version: 1\n0 0 7 8 39 1 2 3\n",		/* spaces, not tabs */
		"# version: 1\n0\t0\t7\t8\t\t1\t2\t3\n",
	};
	struct anysys_ring ring;
	size_t i;
	int line;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		line = 0;
		ck_assert_msg(anysys_parse_ring(bad[i], &ring, &line) == -EINVAL, "case %zu", i);
		ck_assert_ptr_null(ring.r);
	}
	line = 0;
	anysys_parse_ring("# version: 1\n# x\n0\t0\t7\t8\t39\t1\t2\n", &ring, &line);
	ck_assert_int_eq(line, 3);
	/* negative nr and ret are fine; so is a missing final newline */
	parse_ok("# version: 1\n0\t0\t7\t8\t-1\t1\t2\t-38", &ring);
	ck_assert_uint_eq(ring.n, 1);
	ck_assert_int_eq(ring.r[0].nr, -1);
	ck_assert_int_eq(ring.r[0].ret, -38);
	anysys_ring_free(&ring);
}
END_TEST

/* trace_tgid as kmod_get_trace_tgid() reads it: a tgid, never garbage taken for 0. */
START_TEST(trace_tgid_read)
{
	static const struct { const char *text; long want; } c[] = {
		{ "0\n", 0 }, { "4194304\n", 4194304 }, { "123", 123 },
		{ "\n", -EPROTO }, { "x\n", -EPROTO }, { "12x\n", -EPROTO }, { "-1\n", -EPROTO },
	};
	char dir[] = "/tmp/syslat-unit-tgid.XXXXXX", path[64];
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace_tgid", dir);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fputs(c[i].text, f);
		fclose(f);
		ck_assert_msg(kmod_get_trace_tgid(dir) == c[i].want, "case %zu", i);
	}
	unlink(path);
	ck_assert_int_lt(kmod_get_trace_tgid(dir), 0);	/* no file: -ENOENT */
	rmdir(dir);
}
END_TEST

Suite *anysys_suite(void)
{
	Suite *s = suite_create("anysys");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_recorded);
	tcase_add_test(tc, merge_recorded);
	tcase_add_test(tc, merge_counters);
	tcase_add_test(tc, merge_bad_calls);
	tcase_add_test(tc, parse_bad);
	tcase_add_test(tc, trace_tgid_read);
	suite_add_tcase(s, tc);
	return s;
}
