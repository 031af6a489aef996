// SPDX-License-Identifier: GPL-2.0
/* syslat run | bench NAME... | list */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "env.h"
#include "kmod.h"
#include "run-phases.h"
#include "runner.h"
#include "tune.h"
#include "runs.h"
#include "util.h"

static double now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Warn once about what makes the figures less trustworthy. */
static void tsc_warnings(const struct tsc_info *ti, int quiet)
{
	if (quiet)
		return;
	if (!ti->constant_tsc)
		fprintf(stderr, "syslat: warning: no constant_tsc: the TSC rate follows the "
			"CPU frequency, cycles are not time\n");
	if (!ti->nonstop_tsc)
		fprintf(stderr, "syslat: warning: no nonstop_tsc: the TSC may stop in idle "
			"states\n");
	if (!ti->have_rdtscp)
		fprintf(stderr, "syslat: note: no RDTSCP, windows end with lfence;rdtsc;lfence\n");
	if (ti->src == TSC_SRC_CALIBRATED)
		fprintf(stderr, "syslat: note: TSC frequency calibrated against "
			"CLOCK_MONOTONIC_RAW: %.3f MHz\n", ti->khz / 1000);
	else if (ti->disagree > TSC_FREQ_WARN)
		fprintf(stderr, "syslat: warning: TSC %.3f MHz (%s) but %.3f MHz calibrated "
			"against CLOCK_MONOTONIC_RAW (%.2f %% apart): ns figures are suspect\n",
			ti->khz / 1000, tsc_src_name(ti->src), ti->calibrated_khz / 1000,
			ti->disagree * 100);
	if (ti->icount)
		fprintf(stderr, "syslat: icount mode (syslat.icount=1): the TSC counts "
			"instructions; no ns are printed\n");
}

/* --fifo / --mlock: try, and record what happened either way. */
static void priority(const struct opts *o, struct env *e)
{
	struct sched_param sp = { .sched_priority = 50 };

	env_set(e, "sched_policy", "SCHED_OTHER");
	if (o->fifo) {
		if (sched_setscheduler(0, SCHED_FIFO, &sp) == 0)
			env_set(e, "sched_policy", "SCHED_FIFO 50");
		else
			env_set(e, "sched_policy", "SCHED_OTHER (SCHED_FIFO failed: %s)",
				strerror(errno));
	}
	env_set(e, "mlock", "off");
	if (o->mlock) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0)
			env_set(e, "mlock", "locked");
		else
			env_set(e, "mlock", "failed: %s", strerror(errno));
	}
}

/*
 * The tracepoint backend slows every syscall while armed: keep it
 * disarmed for the run (the noop benchmark arms it around itself) and
 * restore the state afterwards. Returns 1 when it was disarmed here.
 */
static int quiesce_module(const struct kmod_info *ki, int quiet)
{
	if (!ki->loaded || ki->armed != 1 || strcmp(ki->backend, "tracepoint"))
		return 0;
	if (kmod_set_armed(NULL, 0)) {
		fprintf(stderr, "syslat: warning: cannot disarm the tracepoint backend: "
			"every benchmark runs with it armed (recorded per result)\n");
		return 0;
	}
	if (!quiet)
		fprintf(stderr, "syslat: tracepoint backend disarmed for the run "
			"(armed around noop only)\n");
	return 1;
}

/* stdout in the chosen format, then the files: 0 or -errno of the files. */
static int emit(const struct run_report *rr)
{
	const struct opts *o = rr->opt;

	if (o->format == FMT_JSON)
		report_json(stdout, rr);
	else if (o->format == FMT_CSV)
		report_csv(stdout, rr);
	else
		report_table(stdout, rr);
	return o->output_dir ? report_write_files(o->output_dir, rr) : 0;
}

/* Placement, then the TSC set-up after pinning (the calibration must not migrate). */
static int prepare(const struct opts *o, struct runner *rn, struct tsc_info *ti,
		   const struct kmod_info *ki, struct env *env, const cpu_set_t *aff)
{
	char err[256];
	struct placement_res pl;

	if (place_resolve(o, &pl, err, sizeof(err))) {
		fprintf(stderr, "syslat: %s\n", err);
		return -1;
	}
	if (place_pin_self(pl.cpu)) {
		fprintf(stderr, "syslat: cannot pin to CPU %d\n", pl.cpu);
		return -1;
	}
	tsc_init_with(ti, ki->tsc_khz);
	tsc_warnings(ti, o->quiet);
	/* runner_init resolves the placement again, from the whole mask */
	sched_setaffinity(0, sizeof(*aff), aff);
	/* Before the timer overhead is measured: it is taken as the benchmarks run. */
	priority(o, env);
	return runner_init(rn, o, ti);
}

/* @suite: a member that refuses this placement is skipped, not a failure. */
static int run_list(const struct opts *uo, const struct bench **list, size_t n,
		    int suite, int argc, char **argv)
{
	struct run_report rr = { .argc = argc, .argv = argv };
	struct opts oo = *uo, *o = &oo;
	struct result *per = NULL;
	struct run_phases ph = { 0 };
	struct kmod_info ki;
	struct tsc_info ti;
	struct runner rn;
	struct env env;
	cpu_set_t aff;
	double t0 = now_wall();
	unsigned int runs = o->run_index >= 0 ? 1 : (unsigned int)o->runs, k;
	int failed = 0, rearm;
	size_t i;

	rr.opt = o;
	rr.start = time(NULL);
	if (!o->seed_set)
		o->seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	/* Before the module is touched: a ^C from here on still re-arms it below. */
	runner_catch_sigint();
	kmod_read_info(NULL, &ki);
	rearm = quiesce_module(&ki, o->quiet);
	env_init(&env);
	CPU_ZERO(&aff);
	sched_getaffinity(0, sizeof(aff), &aff);	/* the runs start from it again */
	rr.res = calloc(n + run_phases_slots(list, n), sizeof(*rr.res));
	per = calloc((size_t)runs * n + 1, sizeof(*per));
	if (!rr.res || !per || prepare(o, &rn, &ti, &ki, &env, &aff)) {
		failed = rr.res && per ? 2 : 1;
		goto out;
	}
	env_capture(&env, &ti, &ki);
	env_set(&env, "placement", "cpu %d, peer cpu %d (%s)", rn.pl.cpu, rn.pl.peer_cpu,
		rn.pl.how);
	tune_run_note(&env, rn.pl.cpu, o->quiet);	/* tune.h: untuned settings, recorded */
	rr.tsc = &ti;
	rr.env = &env;
	rr.timer = rn.timer;
	rr.runs = runs;
	rr.seed = o->seed;
	if (runs > 1) {
		rr.runs_done = runs_spawn(o, list, n, &aff, per, &rr.partial, &failed);
	} else {
		failed = runs_here(&rn, o, list, n, suite, per);
		rr.runs_done = 1;
	}
	if (runs_merge(&rr, per, n, rr.runs_done ? rr.runs_done : 1))
		failed = 1;
	if (o->run_index < 0 && run_phases_add(&rr, &ph, &rn, &ki, list, n, suite))
		failed = 1;
	rr.end = time(NULL);
	rr.partial |= syslat_stop != 0;
	rr.wall_s = now_wall() - t0;
	if (o->run_index >= 0 ? runs_emit(&rr) : emit(&rr))
		failed = 1;
out:
	if (rearm && kmod_set_armed(NULL, 1))
		fprintf(stderr, "syslat: warning: could not re-arm the module\n");
	for (i = 0; rr.res && i < rr.nres; i++)
		result_free(&rr.res[i]);
	for (k = 0; per && k < runs; k++)
		for (i = 0; i < n; i++)
			result_free(&per[(size_t)k * n + i]);
	free(per);
	free(rr.res);
	run_phases_free(&ph);
	env_destroy(&env);
	return rr.partial ? 130 : failed;
}

/* Parse, collect the benchmarks (the suite, or the names given), run. */
static int run_cmd(int argc, char **argv, int suite)
{
	const struct bench **list, *b;
	struct opts o;
	unsigned int i;
	size_t n = 0;
	int first, k, rc;

	opts_defaults(&o);
	first = opts_parse(&o, argc, argv, argv[0]);
	if (first == OPTS_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (!suite && o.suite) {
		fprintf(stderr, "syslat bench: --suite belongs to 'syslat run'\n");
		return 2;
	}
	if (suite && first < argc) {
		fprintf(stderr, "syslat run: unexpected argument '%s' (use 'syslat bench')\n",
			argv[first]);
		return 2;
	}
	if (!suite && first >= argc) {
		fprintf(stderr, "syslat bench: name at least one benchmark (syslat list)\n");
		return 2;
	}
	if (suite && !o.output_dir)
		o.output_dir = "syslat-results";
	list = calloc(bench_table_len + (size_t)argc, sizeof(*list));
	if (!list)
		return 1;
	if (suite) {
		BENCH_FOR_EACH(b, i)
			if (bench_in_suite(b, o.suite ? o.suite : "table1"))
				list[n++] = b;
	}
	for (k = first; !suite && k < argc; k++) {
		if (!(list[n++] = bench_find(argv[k]))) {
			fprintf(stderr, "syslat bench: unknown benchmark '%s' (syslat list)\n",
				argv[k]);
			free(list);
			return 2;
		}
	}
	if (run_phases_check(&o, list, n, suite)) {
		free(list);
		return 2;
	}
	rc = run_list(&o, list, n, suite, syslat_argc ? syslat_argc : argc,
		      syslat_argv ? syslat_argv : argv);
	free(list);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	return run_cmd(argc, argv, 1);
}

int cmd_bench(int argc, char **argv)
{
	return run_cmd(argc, argv, 0);
}

int cmd_list(int argc, char **argv)
{
	const struct bench *b;
	unsigned int i;
	struct opts o;
	int first, k;

	opts_defaults(&o);
	first = opts_parse(&o, argc, argv, "list");
	if (first == OPTS_HELP)
		return 0;
	if (first < 0)
		return 2;
	/* One row per benchmark (scripts take column 1), in table order, which
	 * keeps each suite together; --suite shows one suite only. */
	printf("%-20s %-10s %-22s %s\n", "name", "kind", "suites", "summary");
	BENCH_FOR_EACH(b, i) {
		char su[64] = "";
		size_t len = 0;

		if (o.suite && !bench_in_suite(b, o.suite))
			continue;
		for (k = 0; bench_suite_names[k + 1]; k++)	/* not "all" */
			if (bench_in_suite(b, bench_suite_names[k]))
				len += (size_t)snprintf(su + len, sizeof(su) - len, "%s%s",
							len ? "," : "", bench_suite_names[k]);
		printf("%-20s %-10s %-22s %s\n", b->name, bench_dir_name(b->dir),
		       len ? su : "-", b->summary);
	}
	return 0;
}
