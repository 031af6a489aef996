// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for syslat tune's state file (user/lib/tune-state.c): settings
 * are temporary files here, so --apply/--restore semantics are tested
 * without touching the machine. tune_apply() refuses to run without root:
 * as another user only that refusal is tested.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tune.h"
#include "util.h"

static char dir[64];

static void put(const char *name, const char *val)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", val);
	fclose(f);
}

static const char *get(const char *name)
{
	static char buf[256];
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (read_line_file(p, buf, sizeof(buf)))
		return "(unreadable)";
	return buf;
}

/* An untuned item whose file is @name in the temporary directory. */
static void item(struct tune_report *r, const char *name, const char *cur, const char *want)
{
	struct tune_item *it = tune_add(r, name, TUNE_WARN);

	ck_assert_ptr_nonnull(it);
	snprintf(it->path, sizeof(it->path), "%s/%s", dir, name);
	snprintf(it->value, sizeof(it->value), "%s", cur);
	snprintf(it->want, sizeof(it->want), "%s", want);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/syslat-tune-unit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_apply_twice_then_restore)
{
	struct tune_report r = { 0 }, r2 = { 0 };
	char state[128], *first, *second;

	if (geteuid() != 0)
		return;	/* test_needs_root covers this case */
	snprintf(state, sizeof(state), "%s/run/tune.state", dir);
	put("aslr", "2");
	put("thp", "madvise");
	item(&r, "aslr", "2", "0");
	item(&r, "thp", "madvise", "never");
	ck_assert_int_eq(tune_apply(&r, state), 0);
	ck_assert_str_eq(get("aslr"), "0");
	ck_assert_str_eq(get("thp"), "never");
	first = read_text_file(state, 4096);
	ck_assert_ptr_nonnull(first);
	/* drifted, applied again: the first apply's originals stay */
	put("thp", "always");
	item(&r2, "thp", "always", "never");
	ck_assert_int_eq(tune_apply(&r2, state), 0);
	second = read_text_file(state, 4096);
	ck_assert_str_eq(first, second);
	ck_assert_int_eq(tune_restore(state), 0);
	ck_assert_str_eq(get("aslr"), "2");
	ck_assert_str_eq(get("thp"), "madvise");
	ck_assert_int_ne(access(state, F_OK), 0);
	ck_assert_int_eq(tune_restore(state), 2);	/* nothing left to restore */
	free(first);
	free(second);
	tune_free(&r);
	tune_free(&r2);
}
END_TEST

START_TEST(test_restore_keeps_what_failed)
{
	char state[128], line[300];
	FILE *f;

	if (geteuid() != 0)
		return;
	snprintf(state, sizeof(state), "%s/tune.state", dir);
	put("ok", "0");
	f = fopen(state, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n%s/ok\t5\n%s/missing/x\t1\n", TUNE_STATE_HEADER, dir, dir);
	fclose(f);
	ck_assert_int_eq(tune_restore(state), 1);
	ck_assert_str_eq(get("ok"), "5");
	snprintf(line, sizeof(line), "%s/missing/x\t1", dir);
	ck_assert_ptr_nonnull(strstr(read_text_file(state, 4096), line));
	ck_assert_ptr_null(strstr(read_text_file(state, 4096), "/ok\t"));
}
END_TEST

START_TEST(test_needs_root)
{
	struct tune_report r = { 0 };
	char state[128];

	if (geteuid() == 0)
		return;
	snprintf(state, sizeof(state), "%s/tune.state", dir);
	put("aslr", "2");
	item(&r, "aslr", "2", "0");
	ck_assert_int_eq(tune_apply(&r, state), -1);
	ck_assert_str_eq(get("aslr"), "2");
	ck_assert_int_ne(access(state, F_OK), 0);
	tune_free(&r);
}
END_TEST

START_TEST(test_state_path)
{
	unsetenv("SYSLAT_TUNE_STATE");
	ck_assert_str_eq(tune_state_path(NULL), TUNE_STATE_DEFAULT);
	setenv("SYSLAT_TUNE_STATE", "/tmp/x.state", 1);
	ck_assert_str_eq(tune_state_path(NULL), "/tmp/x.state");
	ck_assert_str_eq(tune_state_path("/a"), "/a");
	unsetenv("SYSLAT_TUNE_STATE");
}
END_TEST

Suite *tune_suite(void)
{
	Suite *s = suite_create("tune");
	TCase *tc = tcase_create("state");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_apply_twice_then_restore);
	tcase_add_test(tc, test_restore_keeps_what_failed);
	tcase_add_test(tc, test_needs_root);
	tcase_add_test(tc, test_state_path);
	suite_add_tcase(s, tc);
	return s;
}
