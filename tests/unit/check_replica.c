// SPDX-License-Identifier: GPL-2.0
/*
 * Pieces of the replication and interference accounting with known
 * answers: the TSC step as a tolerant gcd, the kernel log's TSC figure,
 * /proc/interrupts and /proc/softirqs columns, the disturbance policy,
 * dropping rounds from a sampler, merging runs, typed env values.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "interf.h"
#include "report.h"
#include "stats.h"
#include "tsc.h"

START_TEST(test_tsc_step)
{
	uint64_t d[1000], st = 7;
	size_t i;

	for (i = 0; i < 1000; i++)	/* multiples of 26 around varying work */
		d[i] = 26 * (2 + stats_rand(&st) % 80);
	ck_assert_uint_eq(tsc_step_of(d, 1000), 26);
	d[17] = 1001;			/* one disturbed delta does not break it */
	ck_assert_uint_eq(tsc_step_of(d, 1000), 26);
	for (i = 0; i < 1000; i++)	/* a fine TSC */
		d[i] = 40 + stats_rand(&st) % 5000;
	ck_assert_uint_eq(tsc_step_of(d, 1000), 1);
	for (i = 0; i < 1000; i++)	/* all 52 or 78: the step is 26, not 52 */
		d[i] = i % 3 ? 52 : 78;
	ck_assert_uint_eq(tsc_step_of(d, 1000), 26);
	memset(d, 0, sizeof(d));
	ck_assert_uint_eq(tsc_step_of(d, 1000), 0);
}
END_TEST

START_TEST(test_dmesg_khz)
{
	const char *a = "[    0.000062] tsc: Detected 2596.138 MHz processor\n[ 0.1] x\n";
	const char *b = "[0.0] tsc: Detected 2000.000 MHz processor\n"
			"[1.2] tsc: Refined TSC clocksource calibration: 1999.912 MHz\n";

	ck_assert_double_eq_tol(tsc_khz_from_dmesg(a), 2596138, 1e-6);
	ck_assert_double_eq_tol(tsc_khz_from_dmesg(b), 1999912, 1e-6);
	ck_assert(tsc_khz_from_dmesg("nothing here") == 0);
	ck_assert(tsc_khz_from_dmesg(NULL) == 0);
}
END_TEST

static const char *interrupts =
	"           CPU0       CPU1       \n"
	" 24:          1          0  IO-APIC   5-edge      ACPI:Ged\n"
	" 36:          5     120917  PCI-MSIX  1-edge      virtio1-req.0\n"
	"NMI:          0          0   Non-maskable interrupts\n"
	"LOC:      60748      61065   Local timer interrupts\n"
	"RES:        100         16   Rescheduling interrupts\n"
	"ERR:          0\n";
static const char *softirqs =
	"                    CPU0       CPU1       \n"
	"          HI:          0          0\n"
	"       TIMER:      14052      16582\n"
	"         RCU:         10          7\n";

START_TEST(test_interrupt_columns)
{
	ck_assert_uint_eq(intf_sum_interrupts(interrupts, 0), 1 + 5 + 100);	/* LOC left out */
	ck_assert_uint_eq(intf_sum_interrupts(interrupts, 1), 120917 + 16);
	ck_assert_uint_eq(intf_sum_softirqs(softirqs, 0), 14052 + 10);
	ck_assert_uint_eq(intf_sum_softirqs(softirqs, 1), 16582 + 7);
	ck_assert_uint_eq(intf_sum_interrupts(interrupts, 5), 0);	/* no such column */
	ck_assert_uint_eq(intf_parse_schedstat("123456 7890 12\n"), 7890);
	ck_assert_uint_eq(intf_parse_schedstat(""), 0);
}
END_TEST

START_TEST(test_policy)
{
	struct round_intf r = { 0 };
	struct intf_snap a = { .irq = 10, .softirq = 10, .nivcsw = 3, .cpu = 0, .ok = 1 };
	struct intf_snap b = a;

	ck_assert(!intf_disturbed(&r, 60));
	r.irq = 30;
	ck_assert(!intf_disturbed(&r, 60));	/* 2 + 1/ms x 60 ms = 62 allowed */
	r.softirq = 40;
	ck_assert(intf_disturbed(&r, 60));
	memset(&r, 0, sizeof(r));
	r.nivcsw = 1;			/* a short kernel thread: counted, not a disturbance */
	ck_assert(!intf_disturbed(&r, 60));
	r.run_delay_us = 600;		/* waited 1 % of a 60 ms round: not yet */
	ck_assert(!intf_disturbed(&r, 60));
	r.run_delay_us = 601;
	ck_assert(intf_disturbed(&r, 60));
	b.nivcsw = 5;
	b.run_delay_ns = 30 * 1000 * 1000;	/* another task had half the round */
	intf_round(&a, &b, 60, 0, &r);
	ck_assert(r.disturbed && r.nivcsw == 2 && r.run_delay_us == 30000 && r.round_us == 60000);
	intf_round(&a, &b, 60, 1, &r);	/* switching is the measurement */
	ck_assert(!r.disturbed && r.nivcsw == 0 && r.run_delay_us == 0);
	b.nivcsw = 3;
	b.run_delay_ns = 0;
	b.cpu = 1;
	intf_round(&a, &b, 60, 0, &r);
	ck_assert(r.disturbed && r.migrations == 1);
}
END_TEST

START_TEST(test_drop_rounds)
{
	struct sampler sp;
	struct stats s;
	uint8_t drop[3] = { 0, 1, 0 }, all[3] = { 1, 1, 1 };
	int r, i;

	sampler_init(&sp, 1000);
	for (r = 0; r < 3; r++) {
		for (i = 0; i < 4; i++)
			sampler_add(&sp, r == 1 ? 1000 : 10 + i);
		sampler_end_round(&sp);
	}
	ck_assert_uint_eq(sampler_drop_rounds(&sp, all), 0);	/* never drop everything */
	ck_assert_uint_eq(sampler_drop_rounds(&sp, drop), 1);
	sampler_stats(&sp, &s);
	ck_assert_uint_eq(s.n, 8);
	ck_assert_uint_eq(s.rounds, 2);
	ck_assert_double_eq_tol(s.max, 13, 1e-12);
	ck_assert_double_eq_tol(s.mean, 11.5, 1e-12);
	ck_assert_double_eq_tol(sp.round_means[1], 11.5, 1e-12);
	sampler_destroy(&sp);
}
END_TEST

static const struct bench fake = { .name = "x", .dir = BENCH_PER_CALL };

static void one_run(struct result *r, double base)
{
	double v[100];
	int i;

	memset(r, 0, sizeof(*r));
	r->b = &fake;
	for (i = 0; i < 100; i++)
		v[i] = base + i % 10;
	stats_compute(v, 100, &r->st);
	r->st.rounds = 2;
	r->round_means = malloc(2 * sizeof(double));
	r->round_medians = malloc(2 * sizeof(double));
	r->round_means[0] = r->round_means[1] = r->st.mean;
	r->round_medians[0] = r->round_medians[1] = r->st.median;
	r->nround_means = 2;
	r->step = 1;
}

START_TEST(test_merge_runs)
{
	struct result per[3], out;
	int k;

	for (k = 0; k < 3; k++)
		one_run(&per[k], 100 + 10 * k);	/* run medians 104.5, 114.5, 124.5 */
	ck_assert_int_eq(result_merge(per, 3, &out), 0);
	ck_assert_uint_eq(out.nruns, 3);
	ck_assert_str_eq(out.ci_level, "runs");
	ck_assert_double_eq_tol(out.median.est, 114.5, 1e-9);
	/* sd 10 over 3 runs: +- 4.3027 * 10 / sqrt(3) */
	ck_assert_double_eq_tol(out.median.hi - out.median.est, 4.30265 * 10 / sqrt(3), 1e-3);
	ck_assert_uint_eq(out.st.n, 300);
	ck_assert_uint_eq(out.nround_means, 6);
	ck_assert(out.st.min == 100);
	ck_assert(out.st.max == 129);
	ck_assert(!out.lead_mean);	/* step 1 of ~115: not sizable */
	result_free(&out);
	for (k = 0; k < 3; k++)
		per[k].step = 26;	/* a coarse TSC: the trimmed mean leads, median CI widened */
	ck_assert_int_eq(result_merge(per, 3, &out), 0);
	ck_assert(out.lead_mean && out.median_widened);
	ck_assert_double_eq_tol(out.median.hi - out.median.est, 4.30265 * 10 / sqrt(3) + 13, 1e-3);
	result_free(&out);
	ck_assert_int_eq(result_merge(per, 1, &out), 0);	/* one run: CI over its rounds */
	ck_assert_str_eq(out.ci_level, "rounds");
	result_free(&out);
	for (k = 0; k < 3; k++)
		result_free(&per[k]);
}
END_TEST

START_TEST(test_env_types)
{
	ck_assert_int_eq(env_value_kind("constant_tsc", "1"), ENV_BOOL);
	ck_assert_int_eq(env_value_kind("tsc_khz", "2596138.000"), ENV_NUMBER);
	ck_assert_int_eq(env_value_kind("cpus_online", "0-1"), ENV_STRING);
	ck_assert_int_eq(env_value_kind("kernel_release", "6.1.0-18-amd64"), ENV_STRING);
	ck_assert_int_eq(env_value_kind("x", ""), ENV_STRING);
	ck_assert_int_eq(env_value_kind("x", "nan"), ENV_STRING);
	ck_assert_int_eq(env_value_kind("x", "0x10"), ENV_STRING);
	ck_assert_int_eq(env_value_kind("vulnerabilities/meltdown", "Not affected"), ENV_STRING);
}
END_TEST

Suite *replica_suite(void)
{
	Suite *s = suite_create("replica");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tsc_step);
	tcase_add_test(tc, test_dmesg_khz);
	tcase_add_test(tc, test_interrupt_columns);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_drop_rounds);
	tcase_add_test(tc, test_merge_runs);
	tcase_add_test(tc, test_env_types);
	suite_add_tcase(s, tc);
	return s;
}
