// SPDX-License-Identifier: GPL-2.0
/* Option parsing: every bad value is rejected, good ones land. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "place.h"

START_TEST(test_parse_u64_good)
{
	uint64_t v;

	ck_assert_int_eq(parse_u64("0", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_u64("42", 0, 100, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(parse_u64("1k", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 1000);
	ck_assert_int_eq(parse_u64("25M", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 25000000);
	ck_assert_int_eq(parse_u64("2G", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 2000000000);
	ck_assert_int_eq(parse_u64("4Ki", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

START_TEST(test_parse_u64_bad)
{
	const char *inval[] = { "", "-1", "-0", " 1", "+1", "1 ", "12x", "0x10", "1kk",
				"k", "1.5", "1e3", "1KI", "--1" };
	uint64_t v = 77;
	size_t i;

	for (i = 0; i < sizeof(inval) / sizeof(inval[0]); i++)
		ck_assert_msg(parse_u64(inval[i], 0, UINT64_MAX, &v) == -EINVAL,
			      "accepted '%s'", inval[i]);
	ck_assert_int_eq(parse_u64(NULL, 0, 10, &v), -EINVAL);
	ck_assert_int_eq(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(parse_u64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(parse_u64("20000000000G", 0, UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(parse_u64("11", 0, 10, &v), -ERANGE);
	ck_assert_int_eq(parse_u64("0", 1, 10, &v), -ERANGE);
	ck_assert_uint_eq(v, 77);	/* untouched on failure */
}
END_TEST

/* opts_parse on a NULL-terminated list; returns its result. */
static int parse(struct opts *o, const char **args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"bench";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	opts_defaults(o);
	return opts_parse(o, argc, argv, "bench");
}

START_TEST(test_opts_bad)
{
	static const char *cases[][3] = {
		{ "--iters", "-5" }, { "--iters", "abc" }, { "--iters", "" },
		{ "--iters", "0" }, { "--iters", "99999999999999999999" },
		{ "--rounds", "1x" }, { "--rounds", "0" }, { "--warmup", "-1" },
		{ "--cpu", "99999" }, { "--cpu", "-1" }, { "--peer-cpu", "x" },
		{ "--placement", "diagonal" }, { "--placement", "" },
		{ "--format", "xml" }, { "--mode", "fast" }, { "--output", "" },
		{ "--ring-procs", "1" }, { "--max-samples", "10" },
		{ "--numa-node", "-2" }, { "--bogus" }, { "--iters" },
		{ "--runs", "0" }, { "--runs", "x" }, { "--runs", "1001" }, { "-R", "-1" },
		{ "--seed", "-1" }, { "--interference", "maybe" },
	};
	struct opts o;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(parse(&o, cases[i]) == -1, "accepted %s %s", cases[i][0],
			      cases[i][1] ? cases[i][1] : "");
}
END_TEST

START_TEST(test_opts_good)
{
	const char *args[] = { "noop", "--iters", "2k", "--rounds", "3", "--placement",
			       "cross", "--format", "json", "--mode", "batch", "-q",
			       "pipe", "--ring-wss", "64Ki", "--process", NULL };
	struct opts o;
	int first = parse(&o, args);

	ck_assert_int_eq(first, 15);	/* non-options permuted to the end */
	ck_assert_uint_eq(o.iters, 2000);
	ck_assert(o.iters_set);
	ck_assert_uint_eq(o.rounds, 3);
	ck_assert_int_eq(o.placement, PLACE_CROSS);
	ck_assert(o.placement_set);
	ck_assert_int_eq(o.format, FMT_JSON);
	ck_assert_int_eq(o.mode, MODE_BATCH);
	ck_assert(o.quiet && o.process);
	ck_assert_uint_eq(o.ring_wss, 65536);
}
END_TEST

START_TEST(test_opts_replication)
{
	const char *args[] = { "--runs", "7", "--seed", "9", "--interference", "flag",
			       "--run-index", "3", "--run-out", "/tmp/x.json", NULL };
	struct opts o;

	ck_assert_int_eq(parse(&o, args), 11);
	ck_assert_uint_eq(o.runs, 7);
	ck_assert_uint_eq(o.seed, 9);
	ck_assert(o.seed_set && o.intf_flag);
	ck_assert_int_eq(o.run_index, 3);
	ck_assert_str_eq(o.run_out, "/tmp/x.json");
}
END_TEST

START_TEST(test_opts_defaults)
{
	const char *args[] = { NULL };
	struct opts o;

	ck_assert_int_eq(parse(&o, args), 1);
	ck_assert(!o.iters_set);
	ck_assert_int_eq(o.cpu, -1);
	ck_assert_int_eq(o.placement, PLACE_SAME);
	ck_assert_int_eq(o.format, FMT_TABLE);
	ck_assert_int_eq(o.mode, MODE_PER_CALL);
	ck_assert_uint_eq(o.runs, OPTS_DEFAULT_RUNS);
	ck_assert(o.runs >= 3);		/* enough for a between-run estimate */
	ck_assert_int_eq(o.run_index, -1);
	ck_assert(!o.intf_flag);
}
END_TEST

START_TEST(test_impossible_placement)
{
	struct placement_res pr;
	struct opts o;
	cpu_set_t set;
	char err[256];
	int c, last = -1;

	opts_defaults(&o);
	o.cpu = CPU_SETSIZE - 1;	/* never in this machine's mask */
	ck_assert_int_eq(place_resolve(&o, &pr, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not in the affinity mask"));
	opts_defaults(&o);
	ck_assert_int_eq(place_resolve(&o, &pr, err, sizeof(err)), 0);
	ck_assert_int_eq(pr.peer_cpu, pr.cpu);	/* same */
	o.placement = PLACE_SMT;
	if (place_smt_sibling(pr.cpu) < 0)
		ck_assert_int_eq(place_resolve(&o, &pr, err, sizeof(err)), -1);
	sched_getaffinity(0, sizeof(set), &set);
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			last = c;
	opts_defaults(&o);
	o.peer_cpu = last + 1;	/* just outside the mask */
	ck_assert_int_eq(place_resolve(&o, &pr, err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_opts_help)
{
	const char *args[] = { "--iters", "5", "--help", NULL };
	struct opts o;

	ck_assert_int_eq(parse(&o, args), OPTS_HELP);
}
END_TEST

Suite *opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_u64_good);
	tcase_add_test(tc, test_parse_u64_bad);
	tcase_add_test(tc, test_opts_bad);
	tcase_add_test(tc, test_opts_good);
	tcase_add_test(tc, test_opts_defaults);
	tcase_add_test(tc, test_opts_replication);
	tcase_add_test(tc, test_impossible_placement);
	tcase_add_test(tc, test_opts_help);
	suite_add_tcase(s, tc);
	return s;
}
