// SPDX-License-Identifier: GPL-2.0
/*
 * syslat selftest: validates the phase merge on this machine with the
 * module loaded, and says pass/fail with the figures.
 *  1. Phases are ordered (t0 <= t_entry <= t_exit <= t3) and matched for
 *     >= 99 % of the calls, and the sum of the phase medians equals the
 *     round trip measured alone (no ring reads) within the timer window.
 *  2. With N cycles injected inside the handler, the in-kernel median
 *     rises by N within +-2 %, and entry and exit stay where they were
 *     (their CIs overlap, widened by one TSC step). The module's
 *     accounting after its exit stamp is longer for a call of at least
 *     hist_exact cycles (info; its log-linear bucket) than for a shorter
 *     one, so the baseline of check 2 already has hist_exact cycles
 *     injected: both runs then take the same path and differ by N only.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "kmod.h"
#include "phase-run.h"
#include "runner.h"

/* The module caps inject_cycles at 1 ms of TSC cycles (info inject_max). */
#define SELFTEST_INJECT_MAX 100000000ULL

struct st_opts {
	uint64_t calls, inject;
	uint64_t base;		/* injected in check 2's baseline: info hist_exact */
	int cpu;
	int trust_tsc;
};

static int verdict(int ok, const char *what)
{
	printf("selftest: %s %s\n", ok ? "PASS" : "FAIL", what);
	return ok ? 0 : 1;
}

static int check_merge(const struct phase_report *pr, double ovh, double step)
{
	const struct phase_merge *m = &pr->m;
	double good = pr->calls ? (double)m->matched / (double)pr->calls : 0;
	double sum = pr->st[PH_ENTRY].median + pr->st[PH_KERNEL].median + pr->st[PH_EXIT].median;
	double diff = fabs(sum - pr->direct_rt.median);
	char what[256];
	int fails = 0;

	snprintf(what, sizeof(what), "ordered and matched: %zu of %llu calls (%.2f %%, need >= 99 %%)",
		 m->matched, (unsigned long long)pr->calls, good * 100);
	fails += verdict(good >= 0.99, what);
	snprintf(what, sizeof(what), "entry %.0f + in-kernel %.0f + exit %.0f = %.0f vs round trip "
		 "timed alone %.0f: |diff| %.0f <= timer window %.0f + step %.0f",
		 pr->st[PH_ENTRY].median, pr->st[PH_KERNEL].median, pr->st[PH_EXIT].median, sum,
		 pr->direct_rt.median, diff, ovh, step);
	fails += verdict(diff <= ovh + step, what);
	return fails;
}

static int ci_overlap(const struct stats *a, const struct stats *b, double step)
{
	return a->ci_lo - step <= b->ci_hi && b->ci_lo - step <= a->ci_hi;
}

static int check_inject(const struct phase_report *a, const struct phase_report *b,
			uint64_t n, double step)
{
	double rise = b->st[PH_KERNEL].median - a->st[PH_KERNEL].median;
	double err = fabs(rise - (double)n) / (double)n;
	char what[256];
	int fails = 0, k;

	snprintf(what, sizeof(what), "injected %llu: in-kernel median %.0f -> %.0f, rise %.0f "
		 "(error %.2f %%, need <= 2 %%)", (unsigned long long)n, a->st[PH_KERNEL].median,
		 b->st[PH_KERNEL].median, rise, err * 100);
	fails += verdict(err <= 0.02, what);
	for (k = PH_ENTRY; k <= PH_EXIT; k += PH_EXIT - PH_ENTRY) {
		snprintf(what, sizeof(what), "injected %llu: %s median %.0f [CI %.0f-%.0f] -> %.0f "
			 "[CI %.0f-%.0f] (CIs overlap)", (unsigned long long)n, phase_name(k),
			 a->st[k].median, a->st[k].ci_lo, a->st[k].ci_hi, b->st[k].median,
			 b->st[k].ci_lo, b->st[k].ci_hi);
		fails += verdict(ci_overlap(&a->st[k], &b->st[k], step), what);
	}
	return fails;
}

static int parse(int argc, char **argv, struct st_opts *so)
{
	static const struct option lo[] = {
		{ "calls", required_argument, NULL, 'n' },
		{ "inject", required_argument, NULL, 'i' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "trust-tsc", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		const char *what = c == 'n' ? "--calls" : c == 'i' ? "--inject" : "--cpu";

		if (c == 'h' || c == '?' || c == 't') {
			if (c == 't') {
				so->trust_tsc = 1;
				continue;
			}
			fprintf(c == 'h' ? stdout : stderr,
				"usage: syslat selftest [--calls N] [--inject CYCLES] [--cpu N] [--trust-tsc]\n"
				"  Validates the phase merge with the module loaded (root).\n"
				"  --calls N        calls per measurement (default 20000)\n"
				"  --inject CYCLES  cost injected for check 2 (default 10000)\n"
				"  --trust-tsc      merge without constant_tsc+nonstop_tsc (e.g. QEMU TCG)\n"
				"  Under plain QEMU TCG the TSC follows emulation speed: check 2 cannot hold\n"
				"  there; run it on hardware, under KVM, or under -icount (exact counts).\n");
			return c == 'h' ? 1 : -1;
		}
		if (parse_u64(optarg, c == 'c' ? 0 : 1000, c == 'n' ? 10000000 :
			      c == 'i' ? SELFTEST_INJECT_MAX : 4095, &v)) {
			fprintf(stderr, "syslat selftest: bad %s '%s'\n", what, optarg);
			return -1;
		}
		if (c == 'n')
			so->calls = v;
		else if (c == 'i')
			so->inject = v;
		else
			so->cpu = (int)v;
	}
	if (optind < argc) {
		fprintf(stderr, "syslat selftest: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/*
 * The measurements and their checks: 0 (verdicts in *fails), or 2, or
 * 130 on ^C. Check 1 on the plain noop; check 2 between so->base and
 * so->base + so->inject injected cycles (the first run reused when the
 * base is 0).
 */
static int run_checks(const struct phase_cfg *cfg, const struct st_opts *so,
		      const struct runner *rn, const struct tsc_info *ti, int *fails)
{
	struct phase_report a, base, b;

	if (kmod_set_inject(NULL, 0) || phase_measure(cfg, &a))
		return 2;
	if (syslat_stop)
		return 130;
	phase_report_print(stdout, &a, rn->timer_ovh, ti);
	*fails += check_merge(&a, rn->timer_ovh, (double)ti->granularity);
	base = a;
	if (so->base && (kmod_set_inject(NULL, so->base) || phase_measure(cfg, &base))) {
		*fails += verdict(0, "baseline measurement (hist_exact cycles injected) could not run");
		return 0;
	}
	if (syslat_stop)
		return 130;
	if (so->base)
		phase_report_print(stdout, &base, rn->timer_ovh, ti);
	if (kmod_set_inject(NULL, so->base + so->inject) || phase_measure(cfg, &b)) {
		*fails += verdict(0, "injected-cost measurement could not run");
		return 0;
	}
	if (syslat_stop)
		return 130;
	phase_report_print(stdout, &b, rn->timer_ovh, ti);
	*fails += check_inject(&base, &b, so->inject, (double)ti->granularity);
	return 0;
}

int cmd_selftest(int argc, char **argv)
{
	struct st_opts so = { .calls = 20000, .inject = 10000, .cpu = -1 };
	struct kmod_info ki;
	struct tsc_info ti;
	struct runner rn;
	struct opts o;
	int rc, fails = 0;

	rc = parse(argc, argv, &so);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (kmod_read_info(NULL, &ki)) {
		fprintf(stderr, "syslat selftest: the syslat module is not loaded\n");
		return 2;
	}
	so.base = ki.hist_exact;
	if (ki.inject_max && so.base + so.inject > ki.inject_max) {
		fprintf(stderr, "syslat selftest: --inject %llu + the baseline's %llu exceeds the module's inject_max %llu (1 ms)\n",
			(unsigned long long)so.inject, (unsigned long long)so.base,
			(unsigned long long)ki.inject_max);
		return 2;
	}
	tsc_init_with(&ti, ki.tsc_khz);
	if (!phase_tsc_ok(&ti, so.trust_tsc, "syslat selftest"))
		return 2;
	opts_defaults(&o);
	o.cpu = so.cpu;
	o.quiet = 1;
	if (runner_init(&rn, &o, &ti))
		return 2;
	struct phase_cfg cfg = { .cpu = rn.pl.cpu, .calls = so.calls, .warmup = 1000, .quiet = 1 };

	/* ^C ends the measurement early (phase_measure() disarms what it armed);
	 * inject_cycles is restored below on every path. */
	runner_catch_sigint();
	rc = run_checks(&cfg, &so, &rn, &ti, &fails);
	if (kmod_set_inject(NULL, ki.inject_cycles))
		fprintf(stderr, "syslat selftest: could not restore inject_cycles\n");
	if (rc)
		return rc;
	printf("selftest: %s (%d failed)\n", fails ? "FAIL" : "PASS", fails);
	return fails ? 1 : 0;
}
