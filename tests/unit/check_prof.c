// SPDX-License-Identifier: GPL-2.0
/* The profiler's pieces: symbolizer, instruction classes, RSP framing,
 * folded stacks and perf script folding. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof-fold.h"
#include "prof-insn.h"
#include "prof-out.h"
#include "prof-rsp.h"
#include "prof-sample.h"
#include "prof-sym.h"

static long load_str(struct symtab *t, const char *text, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	long n;

	ck_assert_ptr_nonnull(f);
	n = symtab_load(t, f, err, len);
	fclose(f);
	return n;
}

static const char ksyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000100 T do_syscall_64\n"
	"ffffffff81000100 t __alias_b\n"
	"ffffffff81000180 D some_data\n"
	"ffffffff81000200 t x64_sys_call\n"
	"ffffffffc0001000 t syslat_noop\t[syslat]\n";

START_TEST(sym_lookup)
{
	struct symtab t;
	char err[128], buf[40];

	symtab_init(&t);
	ck_assert_int_eq(load_str(&t, ksyms, err, sizeof(err)), 5);	/* data skipped */
	ck_assert_str_eq(symtab_name(&t, 0xffffffff81000100ULL, buf, sizeof(buf)), "__alias_b");
	ck_assert_str_eq(symtab_name(&t, 0xffffffff810001ffULL, buf, sizeof(buf)), "__alias_b");
	ck_assert_str_eq(symtab_name(&t, 0xffffffff81000200ULL, buf, sizeof(buf)), "x64_sys_call");
	ck_assert_str_eq(symtab_name(&t, 0xffffffffc0001010ULL, buf, sizeof(buf)),
			 "syslat_noop [syslat]");
	/* Below the first symbol and past the span: unknown, with the address. */
	ck_assert_str_eq(symtab_name(&t, 0xffffffff80000000ULL, buf, sizeof(buf)),
			 "[unknown 0xffffffff80000000]");
	ck_assert_str_eq(symtab_name(&t, 0xffffffffc0001000ULL + SYM_MAX_SPAN, buf, sizeof(buf)),
			 "[unknown 0xffffffffc0041000]");
	ck_assert_uint_eq(symtab_addr(&t, "x64_sys_call"), 0xffffffff81000200ULL);
	ck_assert_uint_eq(symtab_addr(&t, "nope"), 0);
	symtab_destroy(&t);
}
END_TEST

START_TEST(sym_malformed)
{
	static const char *const bad[] = {
		"zzzz T foo\n", "ffffffff81000000 T\n", "ffffffff81000000TT foo\n",
		"ffffffff81000000 T foo bar\n", "ffffffff81000000 t foo\tsyslat\n",
	};
	struct symtab t;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		symtab_init(&t);
		err[0] = '\0';
		ck_assert_int_eq(load_str(&t, bad[i], err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "line 1"));
		symtab_destroy(&t);
	}
	symtab_init(&t);
	ck_assert_int_eq(load_str(&t, "0000000000000000 T a\n0000000000000000 t b\n",
				  err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "privilege"));
	symtab_destroy(&t);
}
END_TEST

static enum insn_class cls(const char *hex)
{
	unsigned char b[16];
	size_t n = strlen(hex) / 2;

	ck_assert_int_eq(rsp_unhex(hex, b, n), 0);
	return insn_classify(b, n);
}

START_TEST(insn_classes)
{
	ck_assert_int_eq(cls("e8aabbccdd"), INSN_CALL);
	ck_assert_int_eq(cls("ffd0"), INSN_CALL);		/* call *%rax */
	ck_assert_int_eq(cls("41ffd3"), INSN_CALL);		/* call *%r11 */
	ck_assert_int_eq(cls("ff1425"), INSN_CALL);		/* call *abs */
	ck_assert_int_eq(cls("c3"), INSN_RET);
	ck_assert_int_eq(cls("f3c3"), INSN_RET);		/* repz ret */
	ck_assert_int_eq(cls("c20800"), INSN_RET);
	ck_assert_int_eq(cls("e900000000"), INSN_JMP);
	ck_assert_int_eq(cls("eb05"), INSN_JMP);
	ck_assert_int_eq(cls("ffe0"), INSN_JMP);		/* jmp *%rax */
	ck_assert_int_eq(cls("2effe0"), INSN_JMP);		/* cs jmp *%rax */
	ck_assert_int_eq(cls("0f05"), INSN_SYSCALL);
	ck_assert_int_eq(cls("480f07"), INSN_SYSRET);		/* sysretq */
	ck_assert_int_eq(cls("48cf"), INSN_IRET);
	ck_assert_int_eq(cls("0f31"), INSN_RDTSC);
	ck_assert_int_eq(cls("0f01f9"), INSN_RDTSCP);
	ck_assert_int_eq(cls("0f01"), INSN_OTHER);		/* cut short */
	ck_assert_int_eq(cls("ff30"), INSN_OTHER);		/* push (%rax) */
	ck_assert_int_eq(cls("4889e5"), INSN_OTHER);		/* mov %rsp,%rbp */
	ck_assert_int_eq(cls("66666666666666666666666666666666"), INSN_OTHER);
	ck_assert_int_eq(insn_classify(NULL, 0), INSN_OTHER);
	ck_assert_str_eq(insn_class_name(INSN_RDTSCP), "rdtscp");
}
END_TEST

START_TEST(rsp_helpers)
{
	char buf[64];
	unsigned char b[4];
	uint64_t v;

	ck_assert_uint_eq(rsp_checksum("?", 1), 0x3f);
	ck_assert_int_eq(rsp_frame("g", buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "$g#67");
	ck_assert_int_eq(rsp_frame("0123456789", buf, 12), -1);
	ck_assert_int_eq(rsp_unhex("0aFf", b, 2), 0);
	ck_assert_uint_eq(b[0], 0x0a);
	ck_assert_uint_eq(b[1], 0xff);
	ck_assert_int_eq(rsp_unhex("0g", b, 1), -1);
	ck_assert_int_eq(rsp_unhex("0", b, 1), -1);
	/* Little-endian register 1 (bytes 8..15) of a 'g' reply. */
	ck_assert_int_eq(rsp_reg_at("00000000000000008000e0810000ffff", 8, 8, &v), 0);
	ck_assert_uint_eq(v, 0xffff000081e00080ULL);
	ck_assert_int_eq(rsp_reg_at("0011", 1, 8, &v), -1);
}
END_TEST

static void load_fold(struct fold *f, const char *text, int want_rc)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	char err[128];

	ck_assert_int_eq(fold_load(f, in, err, sizeof(err)), want_rc);
	fclose(in);
}

START_TEST(fold_functions_table)
{
	struct fold f;
	struct func_row *r;
	size_t n;

	fold_init(&f);
	load_fold(&f, "t;a;b 5\nt;a 2\nt;a;a;c 3\n# comment\nt;a;b 1\n", 0);
	ck_assert_uint_eq(f.total, 11);
	ck_assert_uint_eq(f.used, 3);
	r = fold_functions(&f, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(r[0].name[0] == 'b' ? "b" : "?", "b");
	ck_assert_uint_eq(r[0].self, 6);
	ck_assert_uint_eq(r[1].self, 3);	/* c */
	ck_assert_uint_eq(r[2].self, 2);	/* a */
	ck_assert_uint_eq(r[2].total, 11);	/* recursion a;a counted once */
	ck_assert_uint_eq(r[3].self, 0);	/* t */
	ck_assert_uint_eq(r[3].total, 11);
	free(r);
	fold_destroy(&f);
}
END_TEST

START_TEST(fold_malformed)
{
	static const char *const bad[] = { "a;b\n", "a;b x\n", "a;b -1\n", " 5\n", "a;b 5x\n" };
	struct fold f;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fold_init(&f);
		load_fold(&f, bad[i], -1);
		fold_destroy(&f);
	}
}
END_TEST

static const char perf_text[] =
	"syslat 1234 [000]  100.000001:     250000 cpu-clock: \n"
	"\tffffffff81e00080 entry_SYSCALL_64+0x0 ([kernel.kallsyms])\n"
	"\t          4042db getppid_sample+0x2b (/root/syslat)\n"
	"\n"
	"other 99 [001]  100.000002:     250000 cpu-clock: \n"
	"\tffffffff81000000 x+0x0 ([kernel.kallsyms])\n"
	"\n"
	"syslat 1234 [000]  100.000003:     250000 cpu-clock: \n"
	"\tffffffff81001000 do_syscall_64+0x10 ([kernel.kallsyms])\n"
	"\tffffffff81e00080 entry_SYSCALL_64+0x0 ([kernel.kallsyms])\n"
	"\t          4042db [unknown] (/root/syslat)\n";

START_TEST(perf_folding)
{
	FILE *in = fmemopen((void *)perf_text, strlen(perf_text), "r");
	struct fold f;
	struct fold_ent **v;
	char err[128];
	size_t n;

	fold_init(&f);
	ck_assert_int_eq(prof_fold_perf(in, "syslat", &f, err, sizeof(err)), 0);
	fclose(in);
	ck_assert_uint_eq(f.total, 2);
	v = fold_sorted(&f, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0]->stack, "syslat;[user] [unknown 0x4042db];entry_SYSCALL_64;do_syscall_64");
	ck_assert_str_eq(v[1]->stack, "syslat;[user] getppid_sample;entry_SYSCALL_64");
	free(v);
	fold_destroy(&f);
	in = fmemopen("syslat 1 [0] 1: 1 cpu-clock:\n\tnot-a-frame\n", 40, "r");
	fold_init(&f);
	ck_assert_int_eq(prof_fold_perf(in, NULL, &f, err, sizeof(err)), -1);
	fclose(in);
	fold_destroy(&f);
}
END_TEST

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

START_TEST(svg_render)
{
	struct prof_meta m = { .title = "t <&> \"q\"", .unit = "instructions", .per = 2 };
	struct fold f;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	fold_init(&f);
	/* a;b and a;b;c share the a;b prefix: one rectangle for it; a!x sorts
	 * between "a;b" and "a;b;c" by bytes, yet must not split it. */
	load_fold(&f, "r;a;b 4\nr;a;b;c 4\nr;a!x 2\nr;[user] u<1> 10\n", 0);
	out = open_memstream(&buf, &len);
	ck_assert_int_eq(prof_svg(&f, &m, out), 0);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "<?xml"));
	ck_assert_ptr_nonnull(strstr(buf, "</svg>\n"));
	ck_assert_ptr_nonnull(strstr(buf, "t &lt;&amp;&gt; &quot;q&quot;"));
	ck_assert_ptr_nonnull(strstr(buf, "[user] u&lt;1&gt;"));
	ck_assert_int_eq(count(buf, "<rect x="), 6);	/* r, a, b, c, a!x, [user] u<1> */
	ck_assert_int_eq(count(buf, "<title>b ("), 1);
	ck_assert_ptr_nonnull(strstr(buf, "<title>r (20 instructions, 100.00%, 10.0 per call)</title>"
				 "<rect x=\"10.00\" y=\"88.0\" width=\"1200.00\""));
	free(buf);
	fold_destroy(&f);
}
END_TEST

Suite *prof_suite(void)
{
	Suite *s = suite_create("prof");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sym_lookup);
	tcase_add_test(tc, sym_malformed);
	tcase_add_test(tc, insn_classes);
	tcase_add_test(tc, rsp_helpers);
	tcase_add_test(tc, fold_functions_table);
	tcase_add_test(tc, fold_malformed);
	tcase_add_test(tc, perf_folding);
	tcase_add_test(tc, svg_render);
	suite_add_tcase(s, tc);
	return s;
}
