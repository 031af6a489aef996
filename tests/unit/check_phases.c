// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the phase merge and the folded-stack writer (user/phases.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "kmod.h"
#include "phases.h"

#define TAG 0x5151u
#define CPU 1u
#define MAXC 16

static uint64_t store[PH_NR][MAXC];

static void merge_init(struct phase_merge *m)
{
	int k;

	memset(m, 0, sizeof(*m));
	for (k = 0; k < PH_NR; k++)
		m->delta[k] = store[k];
}

/* Call i: t0 = 1000 i, entry +100, kernel +20, exit +80. */
static void make(struct phase_call *c, struct syslat_record *r, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		c[i].t0 = 1000ull * (i + 1);
		c[i].t3 = c[i].t0 + 200;
		c[i].cpu_after = CPU;
		c[i].ret = SYSLAT_NOOP_RET;
		memset(&r[i], 0, sizeof(r[i]));
		r[i].seq = i;
		r[i].cookie = phase_cookie(TAG, i);
		r[i].t_entry = c[i].t0 + 100;
		r[i].t_exit = r[i].t_entry + 20;
		r[i].cpu = CPU;
	}
}

START_TEST(test_all_matched)
{
	struct phase_call c[8];
	struct syslat_record r[8];
	struct phase_merge m;

	make(c, r, 8);
	merge_init(&m);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 0, c, 8, r, 8, CPU), 0);
	ck_assert_uint_eq(m.matched, 8);
	ck_assert_uint_eq(m.delta[PH_ENTRY][3], 100);
	ck_assert_uint_eq(m.delta[PH_KERNEL][3], 20);
	ck_assert_uint_eq(m.delta[PH_EXIT][3], 80);
	ck_assert_uint_eq(m.delta[PH_ROUND_TRIP][3], 200);
	ck_assert_uint_eq(m.missing + m.other_cpu + m.unordered + m.foreign, 0);
}
END_TEST

/* The ring kept only the newest 5 of 8 records: 3 counted missing, not mixed in. */
START_TEST(test_ring_wrapped)
{
	struct phase_call c[8];
	struct syslat_record r[8];
	struct phase_merge m;

	make(c, r, 8);
	merge_init(&m);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 0, c, 8, r + 3, 5, CPU), 0);
	ck_assert_uint_eq(m.matched, 5);
	ck_assert_uint_eq(m.missing, 3);
	ck_assert_uint_eq(m.delta[PH_ENTRY][0], 100);
}
END_TEST

/* Records in any order (several CPUs' rings concatenated) still match. */
START_TEST(test_order_free_and_foreign)
{
	struct phase_call c[4];
	struct syslat_record r[6], tmp;
	struct phase_merge m;

	make(c, r, 4);
	tmp = r[0];
	r[0] = r[3];
	r[3] = tmp;
	memset(&r[4], 0, sizeof(r[4]));
	r[4].cookie = phase_cookie(TAG + 1, 2);	/* another run's call 2 */
	r[4].cpu = CPU;
	memset(&r[5], 0, sizeof(r[5]));
	r[5].cookie = 0;			/* a hammer task passing no cookie */
	r[5].cpu = 0;
	merge_init(&m);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 0, c, 4, r, 6, CPU), 0);
	ck_assert_uint_eq(m.matched, 4);
	ck_assert_uint_eq(m.foreign, 2);
}
END_TEST

START_TEST(test_rejects_are_counted)
{
	struct phase_call c[6];
	struct syslat_record r[6];
	struct phase_merge m;

	make(c, r, 6);
	r[0].cpu = 0;			/* recorded on another CPU */
	r[1].t_entry = c[1].t0 - 1;	/* before t0 */
	r[2].t_exit = c[2].t3 + 1;	/* after t3 */
	c[3].cpu_after = 0;		/* migrated */
	c[4].ret = -38;			/* ENOSYS: module not armed */
	merge_init(&m);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 0, c, 6, r, 6, CPU), 0);
	ck_assert_uint_eq(m.matched, 1);
	ck_assert_uint_eq(m.other_cpu, 1);
	ck_assert_uint_eq(m.unordered, 2);
	ck_assert_uint_eq(m.migrated, 1);
	ck_assert_uint_eq(m.bad_ret, 1);
}
END_TEST

/* Chunks: second chunk's calls 4..7 use cookies first=4.., appended after the first's. */
START_TEST(test_chunks_and_duplicates)
{
	struct phase_call c[8];
	struct syslat_record r[9];
	struct phase_merge m;

	make(c, r, 8);
	r[8] = r[5];
	merge_init(&m);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 0, c, 4, r, 4, CPU), 0);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 4, c + 4, 4, r + 4, 5, CPU), 0);
	ck_assert_uint_eq(m.matched, 8);
	ck_assert_uint_eq(m.duplicate, 1);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, UINT32_MAX, c, 4, r, 4, CPU), -EINVAL);
}
END_TEST

/* The ring snapshot also holds our earlier chunk and aux calls: skipped, not "other tasks". */
START_TEST(test_own_records_not_foreign)
{
	struct phase_call c[8];
	struct syslat_record r[9];
	struct phase_merge m;

	make(c, r, 8);
	r[8] = r[0];
	r[8].cookie = phase_cookie(TAG, PHASE_AUX + 3);	/* a timed-alone call */
	merge_init(&m);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 4, c + 4, 4, r, 9, CPU), 0);
	ck_assert_uint_eq(m.matched, 4);
	ck_assert_uint_eq(m.foreign, 0);
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, PHASE_AUX - 2, c, 4, r, 4, CPU), -EINVAL);
}
END_TEST

/* With m->tgid set, a record of another process is foreign even with our cookie. */
START_TEST(test_other_tgid_foreign)
{
	struct phase_call c[4];
	struct syslat_record r[4];
	struct phase_merge m;

	make(c, r, 4);
	r[0].tgid = r[1].tgid = r[3].tgid = 42;
	r[2].tgid = 43;
	merge_init(&m);
	m.tgid = 42;
	ck_assert_int_eq(phase_merge_chunk(&m, TAG, 0, c, 4, r, 4, CPU), 0);
	ck_assert_uint_eq(m.matched, 3);
	ck_assert_uint_eq(m.foreign, 1);
	ck_assert_uint_eq(m.missing, 1);
}
END_TEST

/* ABI 2 info keys; kmod_nr() falls back to 500 for modules that lack nr. */
START_TEST(test_kmod_info_v2)
{
	struct kmod_info ki;

	ck_assert_int_eq(kmod_parse_info("# version: 2\nabi_version\t2\nnr\t600\ntiming\t0\n"
					 "filter_tgid\t42\ninject_max\t2596139\n", &ki), 0);
	ck_assert_int_eq(ki.abi_version, 2);
	ck_assert_int_eq(kmod_nr(&ki), 600);
	ck_assert_int_eq(ki.timing, 0);
	ck_assert_uint_eq(ki.filter_tgid, 42);
	ck_assert_uint_eq(ki.inject_max, 2596139);
	ck_assert_int_eq(kmod_parse_info("# version: 1\nabi_version\t1\n", &ki), 0);
	ck_assert_int_eq(kmod_nr(&ki), SYSLAT_NR_NOOP);
	ck_assert_int_eq(ki.timing, -1);
}
END_TEST

START_TEST(test_folded)
{
	struct phase_call c[3];
	struct syslat_record r[3];
	struct phase_merge m;
	uint64_t sums[PH_NR];
	char buf[256];
	FILE *f;

	make(c, r, 3);
	merge_init(&m);
	phase_merge_chunk(&m, TAG, 0, c, 3, r, 3, CPU);
	phase_sums(&m, sums);
	ck_assert_uint_eq(sums[PH_ROUND_TRIP], 600);
	f = fmemopen(buf, sizeof(buf), "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(phase_write_folded(f, "linux 6.12;x", "noop_syscall", sums), 0);
	fclose(f);
	ck_assert_str_eq(buf, "linux_6.12_x;noop_syscall;entry 300\n"
			      "linux_6.12_x;noop_syscall;in_kernel 60\n"
			      "linux_6.12_x;noop_syscall;exit 240\n");
}
END_TEST

Suite *phases_suite(void)
{
	Suite *s = suite_create("phases");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, test_all_matched);
	tcase_add_test(tc, test_ring_wrapped);
	tcase_add_test(tc, test_order_free_and_foreign);
	tcase_add_test(tc, test_rejects_are_counted);
	tcase_add_test(tc, test_chunks_and_duplicates);
	tcase_add_test(tc, test_own_records_not_foreign);
	tcase_add_test(tc, test_other_tgid_foreign);
	tcase_add_test(tc, test_kmod_info_v2);
	tcase_add_test(tc, test_folded);
	suite_add_tcase(s, tc);
	return s;
}
