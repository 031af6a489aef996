// SPDX-License-Identifier: GPL-2.0
/*
 * syslat profile: where a benchmark's instructions go.
 *   syslat profile [--kernel VER] [--hook patch|tracepoint] [--calls K]
 *                  [--cpu MODEL] [--append ARGS] BENCH
 *       exact: a TCG + icount guest followed instruction by instruction
 *       through QEMU's gdbstub (tests/guest/profile.sh drives the guest and
 *       calls the internal modes below)
 *   syslat profile --sample [--seconds S] BENCH     perf cpu-clock samples on this host
 *   syslat profile --diff A.folded B.folded         per-function difference
 * Internal (used by profile.sh): --where BENCH, --trace PORT, --analyze TRACE.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cmds.h"
#include "opts.h"
#include "prof-report.h"
#include "prof-sample.h"
#include "prof-walk.h"
#include "util.h"

static const char usage_text[] =
"usage: syslat profile [--kernel VER] [--hook patch|tracepoint] [--calls K] [--cpu MODEL]\n"
"                      [--append ARGS] [--out DIR] [--keep] BENCH\n"
"       syslat profile --sample [--seconds S] [--out DIR] BENCH\n"
"       syslat profile --diff A.folded B.folded\n"
"  Exact instruction profile of BENCH's timed window (syscall entry to the return\n"
"  to user space, and every task the CPU runs meanwhile) in a QEMU TCG guest under\n"
"  -icount shift=0, followed from the host through the gdbstub; counts are\n"
"  instructions, not time. --sample: perf cpu-clock stack samples of BENCH on this\n"
"  host instead (statistical). Outputs DIR/NAME.{folded,txt,json,svg} (DIR: build/profile;\n"
"  --keep: also the trace, kallsyms and console in DIR/NAME.work/). --cpu: the guest's\n"
"  CPU model (default max); --append: more kernel command line, each parameter\n"
"  documented for that kernel (e.g. nopti, mitigations=off).\n"
"  examples: syslat profile getppid\n"
"            syslat profile --kernel 6.1.0-57-amd64 --calls 20 enosys\n"
"            syslat profile --hook patch noop\n"
"            syslat profile --cpu Skylake-Client-v1 --append nopti --out build/nopti enosys\n"
"            syslat profile --diff build/profile/enosys-6.1.folded build/profile/enosys-6.12.folded\n";

enum mode { M_GUEST, M_SAMPLE, M_DIFF, M_WHERE, M_TRACE, M_ANALYZE };

struct pargs {
	enum mode mode;
	const char *kernel, *hook, *out, *cpu, *append, *arg;
	struct walk_opts w;
	struct prof_job job;
	uint64_t calls, seconds;
	int keep;
};

enum { O_KERNEL = 256, O_HOOK, O_CALLS, O_OUT, O_SAMPLE, O_DIFF, O_WHERE, O_TRACE,
	O_OPEN, O_RANGE, O_SKIP, O_ANALYZE, O_KSYMS, O_USYMS, O_MEASURED, O_PREFIX,
	O_TITLE, O_LEAD, O_SECONDS, O_KEEP, O_CPU, O_APPEND };

static const struct option lopts[] = {
	{ "kernel", required_argument, NULL, O_KERNEL },
	{ "hook", required_argument, NULL, O_HOOK },
	{ "calls", required_argument, NULL, O_CALLS },
	{ "out", required_argument, NULL, O_OUT },
	{ "keep", no_argument, NULL, O_KEEP },
	{ "cpu", required_argument, NULL, O_CPU },
	{ "append", required_argument, NULL, O_APPEND },
	{ "sample", no_argument, NULL, O_SAMPLE },
	{ "seconds", required_argument, NULL, O_SECONDS },
	{ "diff", no_argument, NULL, O_DIFF },
	{ "where", no_argument, NULL, O_WHERE },
	{ "trace", required_argument, NULL, O_TRACE },
	{ "open", required_argument, NULL, O_OPEN },
	{ "range", required_argument, NULL, O_RANGE },
	{ "skip", required_argument, NULL, O_SKIP },
	{ "analyze", required_argument, NULL, O_ANALYZE },
	{ "kallsyms", required_argument, NULL, O_KSYMS },
	{ "usersyms", required_argument, NULL, O_USYMS },
	{ "measured", required_argument, NULL, O_MEASURED },
	{ "prefix", required_argument, NULL, O_PREFIX },
	{ "title", required_argument, NULL, O_TITLE },
	{ "lead", required_argument, NULL, O_LEAD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad(const char *what, const char *val)
{
	fprintf(stderr, "syslat profile: %s '%s'\n", what, val);
	return -1;
}

static int hexarg(const char *s, uint64_t *out)
{
	char *end;

	if (strncmp(s, "0x", 2))
		return -1;
	*out = strtoull(s, &end, 16);
	return *end || end == s + 2 ? -1 : 0;
}

static int num(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, const char *what)
{
	return parse_u64(s, lo, hi, out) ? bad(what, s) : 0;
}

static int range(const char *s, struct walk_opts *w)
{
	char lo[32], *colon = strchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(lo))
		return bad("--range wants 0xLO:0xHI, not", s);
	memcpy(lo, s, (size_t)(colon - s));
	lo[colon - s] = '\0';
	if (hexarg(lo, &w->lo) || hexarg(colon + 1, &w->hi) || w->lo >= w->hi)
		return bad("--range wants 0xLO:0xHI, not", s);
	return 0;
}

static int one_opt(struct pargs *a, int c)
{
	uint64_t v;

	switch (c) {
	case O_KERNEL: a->kernel = optarg; return 0;
	case O_HOOK:
		if (strcmp(optarg, "patch") && strcmp(optarg, "tracepoint"))
			return bad("--hook is patch or tracepoint, not", optarg);
		a->hook = optarg;
		return 0;
	case O_CALLS: return num(optarg, 1, ANAL_MAX_WINDOWS - 1, &a->calls, "--calls is 1..4095, not");
	case O_SECONDS: return num(optarg, 1, 600, &a->seconds, "--seconds is 1..600, not");
	case O_OUT: a->out = optarg; return 0;
	case O_KEEP: a->keep = 1; return 0;
	case O_CPU: a->cpu = optarg; return 0;	/* profile.sh checks both */
	case O_APPEND: a->append = optarg; return 0;
	case O_SAMPLE: a->mode = M_SAMPLE; return 0;
	case O_DIFF: a->mode = M_DIFF; return 0;
	case O_WHERE: a->mode = M_WHERE; return 0;
	case O_TRACE:
		a->mode = M_TRACE;
		if (num(optarg, 1, 65535, &v, "--trace wants a port, not"))
			return -1;
		a->w.port = (int)v;
		return 0;
	case O_OPEN: return hexarg(optarg, &a->w.open) ? bad("--open wants 0xADDR, not", optarg) : 0;
	case O_RANGE: return range(optarg, &a->w);
	case O_SKIP:
		if (num(optarg, 0, 1000000, &v, "--skip is 0..1000000, not"))
			return -1;
		a->w.skip = (unsigned long)v;
		return 0;
	case O_ANALYZE: a->mode = M_ANALYZE; a->job.trace = optarg; return 0;
	case O_KSYMS: a->job.kallsyms = optarg; return 0;
	case O_USYMS: a->job.usyms = optarg; return 0;
	case O_MEASURED: a->job.measured = optarg; return 0;
	case O_PREFIX: a->job.prefix = optarg; return 0;
	case O_TITLE: a->job.title = optarg; return 0;
	case O_LEAD:
		if (num(optarg, 0, 16, &v, "--lead is 0..16, not"))
			return -1;
		a->job.lead = (unsigned long)v;
		return 0;
	}
	return -1;
}

static int parse(struct pargs *a, int argc, char **argv)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->calls = 10;
	a->seconds = 5;
	a->w.host = "127.0.0.1";
	a->w.max_steps = 10000000;
	a->w.wait_ms = 300000;
	a->job.lead = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return 1;
		}
		if (c == '?' || one_opt(a, c))
			return -1;
	}
	a->w.windows = (unsigned long)a->calls + 1;	/* one lead window */
	if (a->mode == M_DIFF) {
		if (argc - optind != 2)
			return bad("--diff takes two folded files, got", argc - optind ? argv[optind] : "none");
		a->job.trace = argv[optind];
		a->arg = argv[optind + 1];
		return 0;
	}
	if (a->mode == M_TRACE || a->mode == M_ANALYZE)
		return optind == argc ? 0 : bad("unexpected argument", argv[optind]);
	if (argc - optind != 1)
		return bad("wants one benchmark name, got", optind < argc ? argv[optind + 1] : "none");
	a->arg = argv[optind];
	return 0;
}

static int do_where(const char *name)
{
	const struct bench *b = bench_find(name);

	if (!b)
		return bad("unknown benchmark", name), 2;
	/* Meaningful in syslat-static (not position independent): the same
	 * address the guest's copy runs the sample function at. */
	printf("0x%" PRIxPTR "\n", (uintptr_t)b->sample);
	return 0;
}

static void on_sigint(int sig)
{
	(void)sig;
	prof_walk_stop = 1;
}

static int do_trace(struct pargs *a)
{
	struct sigaction sa = { .sa_handler = on_sigint };	/* no SA_RESTART: poll returns */
	struct walk_stats st;
	struct atomic_file af;
	char err[256];
	int rc;

	if (!a->w.open || !a->w.hi || !a->job.prefix)
		return bad("--trace needs --open, --range and --prefix", "(missing)"), 2;
	if (a->w.open < a->w.lo || a->w.open >= a->w.hi)
		return bad("--open is outside --range", "(check the addresses)"), 2;
	rc = atomic_open(&af, a->job.prefix);
	if (rc)
		return fprintf(stderr, "syslat profile: %s: %s\n", a->job.prefix, strerror(-rc)), 1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = prof_walk(&a->w, af.f, &st, err, sizeof(err));
	if (!rc && st.interrupted && st.windows < 2)
		rc = -1, snprintf(err, sizeof(err), "interrupted before a window past the lead one");
	if (atomic_commit(&af, rc == 0) && rc == 0) {
		fprintf(stderr, "syslat profile: %s: write failed\n", a->job.prefix);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "syslat profile: trace failed after %lu windows: %s "
			"(nothing written)\n", st.windows, err);
		return 1;
	}
	if (st.interrupted)
		fprintf(stderr, "syslat profile: interrupted: kept the %lu whole windows traced\n",
			st.windows);
	printf("# traced %lu windows after %lu skipped, %" PRIu64 " single steps in %.2f s "
	       "(%.0f steps/s), %lu breakpoint hits in other code\n", st.windows,
	       a->w.skip, st.steps, st.step_seconds,
	       st.step_seconds > 0 ? (double)st.steps / st.step_seconds : 0.0, st.skipped_other);
	return st.interrupted ? 130 : 0;
}

static int do_analyze(struct pargs *a)
{
	char title[256];
	int rc;

	if (!a->job.kallsyms || !a->job.prefix)
		return bad("--analyze needs --kallsyms and --prefix", "(missing)"), 2;
	if (!a->job.title) {
		snprintf(title, sizeof(title), "%s", a->job.trace);
		a->job.title = title;
	}
	a->job.argc = syslat_argc;
	a->job.argv = syslat_argv;
	rc = prof_report(&a->job);
	return rc < 0 ? 1 : rc;
}

/* The guest driver sits in the source tree next to the binary
 * (user/syslat -> tests/guest/profile.sh) unless SYSLAT_PROFILE_SH says. */
static int do_guest(struct pargs *a)
{
	char self[PATH_MAX], script[PATH_MAX + 64], calls[32];
	const char *env = getenv("SYSLAT_PROFILE_SH");
	char *args[24];
	ssize_t n;
	int i = 0;

	if (!bench_find(a->arg))
		return bad("unknown benchmark", a->arg), 2;
	if (env) {
		snprintf(script, sizeof(script), "%s", env);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0)
			return perror("syslat profile: /proc/self/exe"), 1;
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		snprintf(script, sizeof(script), "%s/../tests/guest/profile.sh", self);
	}
	if (access(script, R_OK))
		return fprintf(stderr, "syslat profile: no guest driver at %s "
			       "(run from the source tree or set SYSLAT_PROFILE_SH)\n", script), 1;
	snprintf(calls, sizeof(calls), "%" PRIu64, a->calls);
	args[i++] = "bash";
	args[i++] = script;
	args[i++] = "--calls";
	args[i++] = calls;
	if (a->kernel) { args[i++] = "--kernel"; args[i++] = (char *)a->kernel; }
	if (a->hook) { args[i++] = "--hook"; args[i++] = (char *)a->hook; }
	if (a->out) { args[i++] = "--out"; args[i++] = (char *)a->out; }
	if (a->cpu) { args[i++] = "--cpu"; args[i++] = (char *)a->cpu; }
	if (a->append) { args[i++] = "--append"; args[i++] = (char *)a->append; }
	if (a->keep) args[i++] = "--keep";
	args[i++] = (char *)a->arg;
	args[i] = NULL;
	execvp("bash", args);
	perror("syslat profile: bash");
	return 1;
}

int cmd_profile(int argc, char **argv)
{
	struct pargs a;
	int rc = parse(&a, argc, argv);

	if (rc)
		return rc > 0 ? 0 : 2;
	switch (a.mode) {
	case M_WHERE: return do_where(a.arg);
	case M_TRACE: return do_trace(&a);
	case M_ANALYZE: return do_analyze(&a);
	case M_DIFF: return prof_diff(a.job.trace, a.arg, stdout) ? 1 : 0;
	case M_SAMPLE:
		return prof_sample(a.arg, (unsigned)a.seconds, a.out ?: "build/profile",
				   syslat_argc, syslat_argv);
	case M_GUEST: return do_guest(&a);
	}
	return 2;
}
