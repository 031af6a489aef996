// SPDX-License-Identifier: GPL-2.0
/* TSC frequency parsing and sources, cpuinfo flags, icount, module info. */
#include <check.h>
#include <errno.h>
#include <math.h>

#include "kmod.h"
#include "tsc.h"

START_TEST(test_parse_khz)
{
	const char *bad[] = { "", "abc", "-5", "0", "12 34", "2596000x", "nan", "inf",
			      " 2596000", "1e9", NULL };
	double k = -1;
	int i;

	ck_assert_int_eq(tsc_parse_khz("2596000\n", &k), 0);
	ck_assert(k == 2596000);
	ck_assert_int_eq(tsc_parse_khz("2596000.5", &k), 0);
	ck_assert(k == 2596000.5);
	for (i = 0; bad[i]; i++)
		ck_assert_msg(tsc_parse_khz(bad[i], &k) != 0, "accepted '%s'", bad[i]);
	ck_assert(k == 2596000.5);	/* untouched on failure */
}
END_TEST

START_TEST(test_cpuid15)
{
	/* 24 MHz crystal * 216 / 2 = 2592 MHz */
	ck_assert(fabs(tsc_khz_cpuid15(2, 216, 24000000) - 2592000) < 1e-6);
	ck_assert(tsc_khz_cpuid15(0, 216, 24000000) == 0);
	ck_assert(tsc_khz_cpuid15(2, 0, 24000000) == 0);
	ck_assert(tsc_khz_cpuid15(2, 216, 0) == 0);	/* crystal not enumerated */
}
END_TEST

START_TEST(test_cpuinfo_flags)
{
	const char *t = "processor\t: 0\nmodel name\t: AMD EPYC\n"
			"flags\t\t: fpu tsc rdtscp constant_tsc nonstop_tsc_x lm\n";
	const char *u = "flags\t\t: fpu constant_tsc nonstop_tsc\nbugs\t: rdtscp\n";
	int c, n, r;

	tsc_parse_cpuinfo_flags(t, &c, &n, &r);
	ck_assert(c == 1 && n == 0 && r == 1);	/* whole words only */
	tsc_parse_cpuinfo_flags(u, &c, &n, &r);
	ck_assert(c == 1 && n == 1 && r == 0);	/* first flags line only */
	tsc_parse_cpuinfo_flags("nothing", &c, &n, &r);
	ck_assert(c == 0 && n == 0 && r == 0);
}
END_TEST

START_TEST(test_icount)
{
	struct tsc_info ti = { .khz = 2600000, .icount = 1 };

	ck_assert(tsc_cmdline_icount("quiet syslat.icount=1 console=ttyS0\n"));
	ck_assert(tsc_cmdline_icount("syslat.icount=1"));
	ck_assert(!tsc_cmdline_icount("syslat.icount=10"));
	ck_assert(!tsc_cmdline_icount("xsyslat.icount=1"));
	ck_assert(!tsc_cmdline_icount("syslat.icount=0"));
	ck_assert_str_eq(tsc_unit(&ti), "instructions (icount)");
	ck_assert(isnan(tsc_to_ns(&ti, 100)));
	ti.icount = 0;
	ck_assert_str_eq(tsc_unit(&ti), "cycles");
	ck_assert(fabs(tsc_to_ns(&ti, 260) - 100) < 1e-9);
}
END_TEST

START_TEST(test_src_names)
{
	ck_assert_str_eq(tsc_src_name(TSC_SRC_CPUID), "cpuid");
	ck_assert_str_eq(tsc_src_name(TSC_SRC_CALIBRATED), "calibrated (CLOCK_MONOTONIC_RAW)");
}
END_TEST

START_TEST(test_kmod_info)
{
	struct kmod_info ki;

	ck_assert_int_eq(kmod_parse_info("# version: 1\nbackend\ttracepoint\n"
					 "tsc_khz\t2596000\narmed\t0\nfuture_key\tx\n"
					 "inject_cycles\t100\n", &ki), 0);
	ck_assert_int_eq(ki.version, 1);
	ck_assert_str_eq(ki.backend, "tracepoint");
	ck_assert(ki.tsc_khz == 2596000);
	ck_assert_int_eq(ki.armed, 0);
	ck_assert_uint_eq(ki.inject_cycles, 100);
	ck_assert_int_eq(kmod_parse_info("backend\tpatch\n", &ki), -EINVAL);
	ck_assert_int_eq(kmod_read_info("/nonexistent/syslat", &ki), -ENOENT);
	ck_assert_int_eq(ki.loaded, 0);
}
END_TEST

Suite *tsc_suite(void)
{
	Suite *s = suite_create("tsc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_khz);
	tcase_add_test(tc, test_cpuid15);
	tcase_add_test(tc, test_cpuinfo_flags);
	tcase_add_test(tc, test_icount);
	tcase_add_test(tc, test_src_names);
	tcase_add_test(tc, test_kmod_info);
	suite_add_tcase(s, tc);
	return s;
}
