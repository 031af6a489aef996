// SPDX-License-Identifier: GPL-2.0
/*
 * syslat-mini [--rounds N] [--iters N] [--warmup N] [--icount]
 *             [--bench LIST] [--label K=V,K=V...]
 * The benchmark program that runs unmodified in the Linux guests and on
 * Unikraft's elfloader (docs/vm-bench.md). Everything it needs from the
 * system is what the 2020 elfloader offers: write to fd 1/2, uname,
 * arch_prctl, exit; no /proc, no debugfs, no mmap (mini-alloc.c), no
 * getopt state across systems to worry about (argv is all it reads).
 * --icount says the guest runs under -icount shift=0 (the unit becomes
 * instructions): a Unikraft guest has no /proc/cmdline to say so.
 * --label prints the result between the console markers vm-bench parses
 * (commas become blanks: Unikraft splits its command line on blanks).
 * Bad input: a message and exit status 2.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "mini.h"

#define MINI_DEFAULT_BENCH "timer,fcall,noop,enosys"

static void usage(FILE *f)
{
	fprintf(f, "usage: syslat-mini [--rounds N] [--iters N] [--warmup N] [--icount]\n"
		"                   [--bench LIST] [--label K=V,K=V...]\n"
		"  Batch-mode rounds of timer, fcall, noop (nr 500) and enosys (nr 501),\n"
		"  JSON on stdout; --label: between SYSLAT-JSON-BEGIN/END markers.\n"
		"  defaults: --rounds 10 --iters 2000 --warmup 1 --bench " MINI_DEFAULT_BENCH "\n");
}

static int bad(const char *what, const char *val)
{
	fprintf(stderr, "syslat-mini: %s: '%s'\n", what, val ? val : "(missing)");
	usage(stderr);
	return 2;
}

/* A decimal count in [lo, hi]; 0 on success. */
static int parse_count(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_bench(struct mini_opts *o, char *list)
{
	char *tok, *save = NULL;

	o->nbench = 0;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!mini_find(tok) || o->nbench == MINI_MAX_BENCH)
			return bad("--bench: not one of " MINI_DEFAULT_BENCH, tok);
		o->bench[o->nbench++] = tok;
	}
	return o->nbench ? 0 : bad("--bench: empty list", list);
}

static int parse_args(int argc, char **argv, struct mini_opts *o)
{
	static char defaults[] = MINI_DEFAULT_BENCH;
	int i, rc = parse_bench(o, defaults);

	for (i = 1; i < argc && !rc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--icount")) {
			o->icount = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		}
		i++;
		if (!strcmp(a, "--rounds"))
			rc = parse_count(v, 1, 100000, &o->rounds) ? bad("--rounds needs 1..100000", v) : 0;
		else if (!strcmp(a, "--iters"))
			rc = parse_count(v, 1, 1000000000, &o->iters) ?
			     bad("--iters needs 1..1000000000", v) : 0;
		else if (!strcmp(a, "--warmup"))
			rc = parse_count(v, 0, 1000, &o->warmup) ? bad("--warmup needs 0..1000", v) : 0;
		else if (!strcmp(a, "--bench"))
			rc = v ? parse_bench(o, strdup(v)) : bad("--bench needs a list", v);
		else if (!strcmp(a, "--label"))
			rc = v && strchr(v, '=') ? (o->label = v, 0) : bad("--label needs K=V,...", v);
		else
			rc = bad("unknown argument", a);
	}
	return rc;
}

/* What the TSC is here, without /proc: CPUID for RDTSCP and the rate. */
static void tsc_setup(struct tsc_info *ti, int icount)
{
	unsigned int a, b, c, d;

	memset(ti, 0, sizeof(*ti));
	if (__get_cpuid(0x80000001, &a, &b, &c, &d))
		ti->have_rdtscp = !!(d & (1u << 27));
	tsc_have_rdtscp = ti->have_rdtscp;
	ti->icount = icount;
	ti->khz = tsc_cpuid_khz();
	ti->src = ti->khz > 0 ? TSC_SRC_CPUID : TSC_SRC_NONE;
	tsc_measure_step(ti);
}

static void print_label(const char *label)
{
	const char *p;

	fputs(CONSOLE_BEGIN " ", stdout);
	for (p = label; *p; p++)
		putchar(*p == ',' ? ' ' : *p);
	fputs(" prog=syslat-mini\n", stdout);
}

int main(int argc, char **argv)
{
	static struct mini_result res[MINI_MAX_BENCH];
	struct mini_opts o = { .rounds = 10, .iters = 2000, .warmup = 1 };
	struct tsc_info ti;
	unsigned int i;
	int rc = parse_args(argc, argv, &o), failed = 0;

	if (rc)
		return rc == 1 ? 0 : rc;
	tsc_setup(&ti, o.icount);
	mini_run(&o, &ti, res);
	if (o.label)
		print_label(o.label);
	mini_json(stdout, &o, &ti, res, o.nbench, argc, argv);
	if (o.label)
		puts(CONSOLE_END);
	for (i = 0; i < o.nbench; i++)
		failed |= res[i].err != 0;
	fflush(stdout);
	return failed;
}
