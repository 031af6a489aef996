// SPDX-License-Identifier: GPL-2.0
/*
 * CPU topology (topo.c) and ipc-sweep's placement levels (sweep-place.c)
 * on a made-up sysfs tree, so that levels this machine lacks are covered:
 * 10 CPUs, SMT pairs (0,1) (2,3) (4,5) (6,7) (8,9); package 0 = 0-3 with
 * two LLCs (0-1, 2-3), package 1 = 4-7 with one LLC, package 2 = 8-9;
 * NUMA node 0 = packages 0 and 1, node 1 = package 2.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep.h"
#include "topo.h"

static char root[] = "/tmp/syslat-topo.XXXXXX";

static const char *const sib[10] = { "0-1", "0-1", "2-3", "2-3", "4-5", "4-5", "6-7", "6-7",
				     "8-9", "8-9" };
static const char *const llc[10] = { "0-1", "0-1", "2-3", "2-3", "4-7", "4-7", "4-7", "4-7",
				     "8-9", "8-9" };
static const int llc_id[10] = { 0, 0, 1, 1, 2, 2, 2, 2, 3, 3 };
static const int pkg[10] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2 };

static void put(const char *rel, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(const char *rel, const char *fmt, ...)
{
	char path[512], *p;
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {	/* mkdir -p */
		*p = 0;
		mkdir(path, 0700);
		*p = '/';
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void tree_setup(void)
{
	char rel[128];
	int c;

	ck_assert_ptr_nonnull(mkdtemp(root));
	for (c = 0; c < 10; c++) {
		snprintf(rel, sizeof(rel), "cpu/cpu%d/topology/thread_siblings_list", c);
		put(rel, "%s\n", sib[c]);
		snprintf(rel, sizeof(rel), "cpu/cpu%d/topology/physical_package_id", c);
		put(rel, "%d\n", pkg[c]);
		snprintf(rel, sizeof(rel), "cpu/cpu%d/topology/die_id", c);
		put(rel, "0\n");
		snprintf(rel, sizeof(rel), "cpu/cpu%d/cache/index0/level", c);
		put(rel, "1\n");
		snprintf(rel, sizeof(rel), "cpu/cpu%d/cache/index3/level", c);
		put(rel, "3\n");
		snprintf(rel, sizeof(rel), "cpu/cpu%d/cache/index3/shared_cpu_list", c);
		put(rel, "%s\n", llc[c]);
		snprintf(rel, sizeof(rel), "cpu/cpu%d/cache/index3/id", c);
		put(rel, "%d\n", llc_id[c]);
	}
	put("node/node0/cpulist", "0-7\n");
	put("node/node1/cpulist", "8-9\n");
	topo_set_root(root);
}

static void tree_teardown(void)
{
	char cmd[128];

	topo_set_root(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "check_topo: could not remove %s\n", root);
	strcpy(root, "/tmp/syslat-topo.XXXXXX");
}

START_TEST(test_list_has)
{
	ck_assert(topo_list_has("0-3,8,10-11", 0));
	ck_assert(topo_list_has("0-3,8,10-11", 3));
	ck_assert(!topo_list_has("0-3,8,10-11", 4));
	ck_assert(topo_list_has("0-3,8,10-11", 8));
	ck_assert(!topo_list_has("0-3,8,10-11", 9));
	ck_assert(topo_list_has("0-3,8,10-11", 11));
	ck_assert(!topo_list_has("", 0));
	ck_assert(!topo_list_has("x", 0));
}
END_TEST

START_TEST(test_classify)
{
	ck_assert_int_eq(topo_classify(0, 1), TOPO_SMT);
	ck_assert_int_eq(topo_classify(0, 2), TOPO_PACKAGE);	/* same package, other LLC */
	ck_assert_int_eq(topo_classify(4, 6), TOPO_LLC);
	ck_assert_int_eq(topo_classify(0, 4), TOPO_NODE);	/* other package, same node */
	ck_assert_int_eq(topo_classify(0, 8), TOPO_OTHER_NODE);
	ck_assert_int_eq(topo_classify(9, 8), TOPO_SMT);
	ck_assert_str_eq(topo_class_name(TOPO_OTHER_NODE), "other-node");
}
END_TEST

START_TEST(test_ids)
{
	struct topo_ids t;

	topo_ids(2, &t);
	ck_assert_int_eq(t.cpu, 2);
	ck_assert_int_eq(t.package, 0);
	ck_assert_int_eq(t.die, 0);
	ck_assert_int_eq(t.llc, 1);
	ck_assert_int_eq(t.node, 0);
	topo_ids(8, &t);
	ck_assert_int_eq(t.package, 2);
	ck_assert_int_eq(t.llc, 3);
	ck_assert_int_eq(t.node, 1);
	topo_ids(42, &t);	/* no such CPU: every id unknown, not 0 */
	ck_assert_int_eq(t.package, -1);
	ck_assert_int_eq(t.llc, -1);
	ck_assert_int_eq(t.node, -1);
}
END_TEST

/* sweep_place() on CPUs 0-9: @pl, @pairs -> rc and "a>b a>b ..." */
static int place(const char *pl, int pairs, char *got, size_t len)
{
	struct sweep_cfg cfg = { .pairs = pairs, .placement = pl, .ncpu = 10 };
	int i, rc;
	size_t n = 0;

	for (i = 0; i < 10; i++)
		cfg.cpus[i] = i;
	rc = sweep_place(&cfg);
	got[0] = 0;
	for (i = 0; rc == 0 && i < pairs; i++)
		n += (size_t)snprintf(got + n, len - n, "%s%d>%d", i ? " " : "", cfg.pair_cpu[i],
				      cfg.pair_peer[i]);
	return rc;
}

START_TEST(test_sweep_levels)
{
	char got[256];

	ck_assert_int_eq(place("smt", 2, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "0>1 2>3");
	/* llc: never an SMT pair, though those share the LLC too */
	ck_assert_int_eq(place("llc", 2, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "4>6 5>7");
	ck_assert_int_eq(place("package", 2, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "0>2 1>3");
	ck_assert_int_eq(place("cross", 5, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "0>1 2>3 4>5 6>7 8>9");
	ck_assert_int_eq(place("same", 3, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "0>0 1>1 2>2");
}
END_TEST

START_TEST(test_sweep_refusals)
{
	char got[256];

	ck_assert_int_eq(place("llc", 3, got, sizeof(got)), 2);	/* only two such pairs */
	ck_assert_int_eq(place("package", 3, got, sizeof(got)), 2);
	ck_assert_int_eq(place("smt", 6, got, sizeof(got)), 2);
	ck_assert_int_eq(place("cross", 6, got, sizeof(got)), 2);
	ck_assert_int_eq(place("same", 11, got, sizeof(got)), 2);
	ck_assert_int_eq(place("node", 1, got, sizeof(got)), 2);	/* not a placement */
}
END_TEST

Suite *topo_suite(void)
{
	Suite *s = suite_create("topo");
	TCase *tc = tcase_create("topo");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_test(tc, test_list_has);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_sweep_levels);
	tcase_add_test(tc, test_sweep_refusals);
	suite_add_tcase(s, tc);
	return s;
}
