// SPDX-License-Identifier: GPL-2.0
/* Call stack reconstruction and trace analysis: a recorded getppid trace
 * (6.12, three windows, tests/unit/data/) and small synthetic streams for
 * calls, returns, tail jumps, stack switches and malformed input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof-anal.h"
#include "prof-stack.h"

#define DATA "data/getppid-6.12"

static void load_syms(struct symtab *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char err[128];

	ck_assert_msg(f != NULL, "%s missing (run from tests/unit)", path);
	symtab_init(t);
	ck_assert_int_gt(symtab_load(t, f, err, sizeof(err)), 0);
	fclose(f);
}

static uint64_t count_of(const struct fold *f, const char *stack)
{
	size_t i;

	for (i = 0; i < f->cap; i++)
		if (f->v[i].stack && !strcmp(f->v[i].stack, stack))
			return f->v[i].n;
	return 0;
}

START_TEST(recorded_getppid)
{
	struct symtab ks, us;
	struct profile *p = calloc(1, sizeof(*p));
	struct window_count w;
	char err[256];
	FILE *f;

	load_syms(&ks, DATA ".kallsyms");
	load_syms(&us, DATA ".user-syms");	/* not *.usyms: kbuild clean on 6.1 deletes those */
	profile_init(p);
	f = fopen(DATA ".trace", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(profile_read(p, f, &ks, &us, 1, err, sizeof(err)) == 0, "%s", err);
	fclose(f);
	ck_assert_uint_eq(p->nwin, 3);
	ck_assert(profile_uniform(p, &w));
	/* The benchmark measured 335 + 8 timer overhead = 343 on this kernel. */
	ck_assert_uint_eq(w.insns, 343);
	ck_assert_uint_eq(w.kernel, 320);
	ck_assert_uint_eq(w.user, 23);
	ck_assert_uint_eq(w.syscalls, 1);
	ck_assert_uint_eq(w.tasks, 1);
	ck_assert_uint_eq(w.tsc, 343);		/* the guest's own rdtsc delta */
	ck_assert_uint_eq(p->fold.total, 2 * 343);
	ck_assert_uint_eq(p->unknown, 0);
	ck_assert_uint_eq(count_of(&p->fold, "bench-task;[user] getppid_sample"), 2 * 23);
	ck_assert_uint_eq(count_of(&p->fold, "bench-task;entry_SYSCALL_64_after_hwframe;"
				   "do_syscall_64;__do_sys_getppid;__task_pid_nr_ns"), 2 * 48);
	ck_assert_uint_eq(count_of(&p->fold, "bench-task;entry_SYSCALL_64_after_hwframe;"
				   "do_syscall_64;x64_sys_call"), 2 * 23);
	/* No frame is left hanging: the return path is back at the root. */
	ck_assert_uint_eq(count_of(&p->fold, "bench-task;syscall_return_via_sysret"), 2 * 22);
	profile_destroy(p);
	free(p);
	symtab_destroy(&ks);
	symtab_destroy(&us);
}
END_TEST

static struct symtab syn;

static void syn_setup(void)
{
	symtab_init(&syn);
	symtab_add(&syn, 0xffffffff81000000ULL, "entry");
	symtab_add(&syn, 0xffffffff81000100ULL, "outer");
	symtab_add(&syn, 0xffffffff81000200ULL, "inner");
	symtab_add(&syn, 0xffffffff81000300ULL, "tail");
	symtab_add(&syn, 0xffffffff81000400ULL, "switch_to");
	symtab_add(&syn, 0xffffffff81000500ULL, "end");
}

static void syn_teardown(void)
{
	symtab_destroy(&syn);
}

#define K(off)	(0xffffffff81000000ULL + (off))
#define TOP_A	0xffa0000000104000ULL	/* top of one 16 KiB task stack */
#define TOP_B	0xffa0000000204000ULL

static void feed(struct stack_state *s, uint64_t rip, uint64_t rsp, enum insn_class c,
		 const char *want)
{
	struct insn_rec r = { .rip = rip, .rsp = rsp, .cr3 = 0x1000, .fs = 0x7f00, .cls = c };
	char buf[512];

	ck_assert_int_eq(stack_feed(s, &r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, want);
}

START_TEST(calls_returns_tail)
{
	struct stack_state s;

	stack_init(&s, &syn, NULL);
	feed(&s, 0x401000, 0x7ffc0000, INSN_SYSCALL, "bench-task;[user] [unknown 0x401000]");
	feed(&s, K(0x00), 0x7ffc0000, INSN_OTHER, "bench-task;entry");	/* user stack still */
	feed(&s, K(0x04), TOP_A, INSN_OTHER, "bench-task;entry");	/* stack switch */
	feed(&s, K(0x08), TOP_A - 8, INSN_CALL, "bench-task;entry");
	feed(&s, K(0x100), TOP_A - 16, INSN_OTHER, "bench-task;entry;outer");
	feed(&s, K(0x104), TOP_A - 24, INSN_CALL, "bench-task;entry;outer");	/* push + call */
	feed(&s, K(0x200), TOP_A - 32, INSN_JMP, "bench-task;entry;outer;inner");
	feed(&s, K(0x300), TOP_A - 32, INSN_RET, "bench-task;entry;outer;tail");	/* tail call */
	feed(&s, K(0x108), TOP_A - 24, INSN_OTHER, "bench-task;entry;outer");
	feed(&s, K(0x10c), TOP_A - 16, INSN_RET, "bench-task;entry;outer");
	feed(&s, K(0x0c), TOP_A - 8, INSN_OTHER, "bench-task;entry");
	feed(&s, 0x401002, 0x7ffc0000, INSN_OTHER, "bench-task;[user] [unknown 0x401002]");
	ck_assert_uint_eq(s.overflows, 0);
}
END_TEST

START_TEST(context_switch)
{
	struct stack_state s;

	stack_init(&s, &syn, NULL);
	/* Task A enters, calls outer, which calls switch_to. */
	feed(&s, K(0x04), TOP_A, INSN_CALL, "bench-task;entry");
	feed(&s, K(0x100), TOP_A - 8, INSN_CALL, "bench-task;entry;outer");
	feed(&s, K(0x400), TOP_A - 16, INSN_OTHER, "bench-task;entry;outer;switch_to");
	/* rsp moves to task B's stack, asleep since before the trace: its
	 * ret goes to a caller we never saw. */
	feed(&s, K(0x404), TOP_B - 200, INSN_RET, "bench-task;switch_to");
	feed(&s, K(0x210), TOP_B - 192, INSN_CALL, "bench-task;[earlier frames];inner");
	feed(&s, K(0x300), TOP_B - 200, INSN_RET, "bench-task;[earlier frames];inner;tail");
	/* Back on A's stack: A's frames are found again. */
	feed(&s, K(0x214), TOP_B - 192, INSN_OTHER, "bench-task;[earlier frames];inner");
	feed(&s, K(0x408), TOP_A - 16, INSN_RET, "bench-task;entry;outer;switch_to");
	feed(&s, K(0x104), TOP_A - 8, INSN_OTHER, "bench-task;entry;outer");
	/* A new entry on B's stack starts it afresh. */
	feed(&s, K(0x04), TOP_B, INSN_OTHER, "bench-task;entry");
}
END_TEST

START_TEST(task_labels)
{
	struct insn_rec a = { .rip = 0x401000, .rsp = 0x7ffc0000, .cr3 = 0x1000, .fs = 0x7f00 };
	struct insn_rec b = a, c = a;
	struct stack_state s;
	char buf[256];

	b.fs = 0x7e00;		/* another thread of the same process */
	c.cr3 = 0x2000;		/* another process */
	stack_init(&s, &syn, NULL);
	ck_assert_int_eq(stack_feed(&s, &a, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "bench-task;[user] [unknown 0x401000]");
	ck_assert_int_eq(stack_feed(&s, &b, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "task-2;[user] [unknown 0x401000]");
	ck_assert_int_eq(stack_feed(&s, &c, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "task-3;[user] [unknown 0x401000]");
	ck_assert_int_eq(stack_feed(&s, &a, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "bench-task;[user] [unknown 0x401000]");
}
END_TEST

static int read_text(const char *text, char *err, size_t len)
{
	struct profile *p = calloc(1, sizeof(*p));
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	profile_init(p);
	rc = profile_read(p, f, &syn, NULL, 0, err, len);
	fclose(f);
	profile_destroy(p);
	free(p);
	return rc;
}

START_TEST(malformed_traces)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "nonsense\n", "not a syslat trace" },
		{ "# syslat-trace 2\nW\nffffffff81000000 0 0 0 0f31\n", "truncated" },
		{ "# syslat-trace 2\nffffffff81000000 0 0 0 0f31\n", "outside a window" },
		{ "# syslat-trace 2\nW\nffffffff81000000 0 0 0 0f3\nE 1 1\n", "not 'RIP RSP CR3 FS BYTES'" },
		{ "# syslat-trace 2\nW\nffffffff81000000 0 zz 0 0f31\nE 1 1\n", "not 'RIP" },
		{ "# syslat-trace 2\nW\nW\n", "opened twice" },
		{ "# syslat-trace 2\nW\nE 1 5\n", "without a window" },
		{ "# syslat-trace 2\nW\nffffffff81000000 0 0 0 0f31\nE 1\n", "not 'E RIP DELTA'" },
		{ "# syslat-trace 2\n", "no window" },
		{ "# syslat-trace 2\n# open 0xzz\n", "bad '# open'" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_int_eq(read_text(bad[i].text, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i].msg) != NULL, "case %zu: '%s'", i, err);
	}
	ck_assert_int_eq(read_text("# syslat-trace 2\nW\nffffffff81000000 0 0 0 0f31\nE 1 1\n",
				   err, sizeof(err)), 0);
}
END_TEST

Suite *prof_stack_suite(void)
{
	Suite *s = suite_create("prof_stack");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, syn_setup, syn_teardown);
	tcase_add_test(tc, recorded_getppid);
	tcase_add_test(tc, calls_returns_tail);
	tcase_add_test(tc, context_switch);
	tcase_add_test(tc, task_labels);
	tcase_add_test(tc, malformed_traces);
	suite_add_tcase(s, tc);
	return s;
}
