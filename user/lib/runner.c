// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kmod.h"
#include "runner.h"

volatile sig_atomic_t syslat_stop;

static void on_sigint(int sig)
{
	(void)sig;
	syslat_stop = 1;
}

void runner_catch_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;	/* no SA_RESTART: blocking waits see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int measure_timer(struct runner *rn)
{
	struct timer_window tw;

	runner_timer_window(rn->tsc, &tw);
	rn->timer = tw.st;
	rn->timer_ovh = tw.subtracted;
	if (rn->timer.unstable && !rn->opt->quiet)
		fprintf(stderr, "syslat: warning: the timer overhead itself is unstable "
			"(cv of per-round medians %.1f %%): figures below are suspect\n",
			rn->timer.round_median_cv * 100);
	return 0;
}

int runner_init(struct runner *rn, const struct opts *o, const struct tsc_info *ti)
{
	char err[256];
	int e;

	memset(rn, 0, sizeof(*rn));
	rn->t_start = now_s();
	rn->opt = o;
	rn->tsc = ti;
	if (place_resolve(o, &rn->pl, err, sizeof(err))) {
		fprintf(stderr, "syslat: %s\n", err);
		return -1;
	}
	rn->cross_cpu = -1;
	if (!o->placement_set) {	/* for benchmarks that need two CPUs */
		struct opts cross = *o;
		struct placement_res pr;

		cross.placement = PLACE_CROSS;
		if (place_resolve(&cross, &pr, err, sizeof(err)) == 0 && pr.peer_cpu != pr.cpu)
			rn->cross_cpu = pr.peer_cpu;
	}
	if ((e = place_pin_self(rn->pl.cpu)) != 0) {
		fprintf(stderr, "syslat: cannot pin to CPU %d: %s\n", rn->pl.cpu, strerror(-e));
		return -1;
	}
	place_bind_memory(o);
	return measure_timer(rn);
}

struct loop {
	struct runner *rn;
	const struct bench *b;
	struct bench_run *r;
	struct sampler sp;
	struct result *res;
	struct round_intf *ri;	/* every measured round */
	size_t nri, ri_cap;
	double ovh;		/* subtracted per window: res->tw.subtracted */
	double t_start;
	int progress;		/* stderr is a TTY and not --quiet */
	int shown;
};

/* Once the whole run has taken a second: "[3/15] noop  round 4/11". */
static void progress(struct loop *lp, uint64_t round, uint64_t total)
{
	const struct runner *rn = lp->rn;

	if (!lp->progress || now_s() - rn->t_start < 1.0)
		return;
	fprintf(stderr, "\r  [%u/%u] %-16s round %llu/%llu ", rn->idx + 1,
		rn->count ? rn->count : 1, lp->b->name,
		(unsigned long long)round, (unsigned long long)total);
	lp->shown = 1;
}

/* Ticks of one window -> per-op value with the overheads subtracted. */
static double per_op(const struct loop *lp, uint64_t ticks, uint64_t n)
{
	double ovh = lp->b->no_timer_sub ? 0 : lp->ovh;

	return ((double)ticks - ovh) / ((double)n * lp->r->divisor) - lp->r->extra_overhead;
}

/* One round: per-call (iters windows of 1) or batch (one window of iters). */
static int one_round(struct loop *lp, uint64_t iters, int keep)
{
	uint64_t i, t;
	double deadline;
	int err;

	if (lp->rn->opt->mode == MODE_BATCH) {
		err = lp->b->sample(lp->r, iters, &t);
		if (!err && keep)
			err = sampler_add(&lp->sp, per_op(lp, t, iters));
		return err;
	}
	/* Auto-sized per-call rounds also end at twice --round-ms of wall time:
	 * on a loaded machine the calls are as long, the waits for the CPU not. */
	deadline = now_s() + 2.0 * (double)lp->rn->opt->round_ms / 1000;
	for (i = 0; i < iters; i++) {
		err = lp->b->sample(lp->r, 1, &t);
		if (err)
			return err;
		if (keep && (err = sampler_add(&lp->sp, per_op(lp, t, 1))) != 0)
			return err;
		if ((i & 255) == 255 && syslat_stop)
			return -EINTR;
		/* every 16: a busy-waiting pair whose peer lost its CPU takes ms a call */
		if ((i & 15) == 15 && !lp->rn->opt->iters_set && now_s() > deadline)
			break;
	}
	return 0;
}

/* Calls per round so that a round lasts about --round-ms, at most --iters. */
static uint64_t auto_iters(struct loop *lp)
{
	const struct opts *o = lp->rn->opt;
	uint64_t best = UINT64_MAX, t, n;
	double khz = lp->rn->tsc->khz > 0 ? lp->rn->tsc->khz : 1e6;
	int i;

	if (o->iters_set)
		return o->iters;
	for (i = 0; i < 3; i++)
		if (lp->b->sample(lp->r, 1, &t) == 0 && t < best)
			best = t;
	if (best == UINT64_MAX)
		return o->iters;	/* let the real rounds report the error */
	/* per-call mode adds ~100 ticks of runner work per call */
	n = (uint64_t)((double)o->round_ms * khz / (double)(best + 100));
	return n < 1 ? 1 : n > o->iters ? o->iters : n;
}

/* After a warm-up round whose length missed --round-ms (a loaded machine,
 * runner work the estimate missed, a disturbed first estimate), resize the
 * auto-sized rounds to it, at most --iters. */
static uint64_t resize(const struct loop *lp, uint64_t iters, double took_s)
{
	double want = (double)lp->rn->opt->round_ms / 1000, n;

	if (lp->rn->opt->iters_set || lp->rn->opt->mode == MODE_BATCH ||
	    (took_s < 1.5 * want && took_s > want / 3) || !(took_s > 0))
		return iters;
	n = (double)iters * want / took_s;
	if (n > (double)lp->rn->opt->iters)
		n = (double)lp->rn->opt->iters;
	return n >= 1 ? (uint64_t)n : 1;
}

/* With a peer on the same CPU (yield, same-CPU ping-pong, the ring) the
 * wake-up preemptions are the thing measured, not a disturbance. */
static int switches_measured(const struct loop *lp)
{
	return lp->b->own_switches || (lp->b->needs_peer && lp->r->peer_cpu == lp->r->cpu);
}

/* One kept round between two interference snapshots (read outside windows). */
static int kept_round(struct loop *lp, uint64_t iters)
{
	struct intf_snap a, b;
	double t0;
	int err;

	if (lp->nri == lp->ri_cap) {
		size_t cap = lp->ri_cap ? lp->ri_cap * 2 : 16;
		struct round_intf *n = realloc(lp->ri, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		lp->ri = n;
		lp->ri_cap = cap;
	}
	intf_snap(&a, lp->r->cpu);
	t0 = now_s();
	err = one_round(lp, iters, 1);
	intf_snap(&b, lp->r->cpu);
	if (err)
		return err;
	intf_round(&a, &b, (now_s() - t0) * 1000, switches_measured(lp), &lp->ri[lp->nri++]);
	return sampler_end_round(&lp->sp);
}

/* The policy of interf.h: count disturbed rounds, drop them unless --interference flag. */
static void apply_policy(struct loop *lp)
{
	struct result *res = lp->res;
	uint8_t *drop = calloc(lp->nri + 1, 1);
	size_t k, nd;

	for (k = 0; k < lp->nri; k++) {
		res->rounds_disturbed += lp->ri[k].disturbed;
		if (drop)
			drop[k] = lp->ri[k].disturbed;
	}
	if (drop && !lp->rn->opt->intf_flag && lp->nri == lp->sp.nrounds &&
	    (nd = sampler_drop_rounds(&lp->sp, drop)) != 0) {
		res->rounds_excluded = nd;
		for (k = 0; k < lp->nri; k++)
			lp->ri[k].excluded = drop[k];
	}
	free(drop);
}

static int run_rounds(struct loop *lp)
{
	const struct opts *o = lp->rn->opt;
	uint64_t iters = auto_iters(lp), total = o->warmup + o->rounds, k;
	double step = lp->sp.resolution;
	long nivcsw = 0;
	int err = 0;
	struct intf_snap s0, s1;

	for (k = 0; k < total && !err; k++) {
		double t0 = now_s();

		if (syslat_stop) {
			err = -EINTR;
			break;
		}
		progress(lp, k + 1, total);
		if (k == o->warmup) {
			intf_snap(&s0, lp->r->cpu);
			nivcsw = s0.nivcsw;
			/* one window per round: steps shrink by the final iters */
			if (o->mode == MODE_BATCH)
				lp->sp.resolution = step / (double)iters;
		}
		err = k >= o->warmup ? kept_round(lp, iters) : one_round(lp, iters, 0);
		if (k < o->warmup)
			iters = resize(lp, iters, now_s() - t0);
		lp->res->iters = iters;
	}
	intf_snap(&s1, lp->r->cpu);
	lp->res->preempted = switches_measured(lp) ? -1 :
			     k > o->warmup ? s1.nivcsw - nivcsw : 0;
	apply_policy(lp);
	if (err == -EINTR || (err && syslat_stop)) {
		lp->res->partial = 1;	/* keep what was measured */
		return -EINTR;
	}
	return err;
}

static void init_run(struct runner *rn, const struct bench *b, struct bench_run *r)
{
	struct kmod_info ki;

	memset(r, 0, sizeof(*r));
	r->opt = rn->opt;
	r->cpu = rn->pl.cpu;
	r->peer_cpu = b->needs_peer ? rn->pl.peer_cpu : -1;
	/* A busy-waiting pair on one CPU would livelock: unless the user chose
	 * the placement, such a benchmark gets the cross-CPU peer (recorded). */
	if (b->needs_two_cpus && r->peer_cpu == r->cpu && rn->cross_cpu >= 0)
		r->peer_cpu = rn->cross_cpu;
	r->use_process = rn->opt->process;
	r->divisor = 1;
	r->armed = kmod_read_info(NULL, &ki) == 0 ? ki.armed : -1;
}

static void fill_result(struct loop *lp, int err)
{
	struct result *res = lp->res;
	struct bench_run *r = lp->r;

	res->err = err == -EINTR ? 0 : err;
	res->mode = lp->rn->opt->mode;
	res->timer_ovh = lp->b->no_timer_sub ? 0 : lp->ovh;
	res->divisor = r->divisor;
	res->extra_overhead = r->extra_overhead;
	res->loop_overhead = r->loop_overhead;
	res->warmup = lp->rn->opt->warmup;
	res->cpu = r->cpu;
	res->peer_cpu = r->peer_cpu;
	res->process = r->use_process;
	res->armed = r->armed;
	res->busy_wait = r->busy_wait;
	snprintf(res->note, sizeof(res->note), "%s", r->note);
	snprintf(res->peer_where, sizeof(res->peer_where), "%s", r->peer_where);
	res->round_means = malloc((lp->sp.nrounds ? lp->sp.nrounds : 1) * sizeof(double));
	res->round_medians = malloc((lp->sp.nrounds ? lp->sp.nrounds : 1) * sizeof(double));
	if (res->round_means && res->round_medians) {
		memcpy(res->round_means, lp->sp.round_means, lp->sp.nrounds * sizeof(double));
		memcpy(res->round_medians, lp->sp.round_medians, lp->sp.nrounds * sizeof(double));
		res->nround_means = lp->sp.nrounds;
	}
	res->rintf = lp->ri;	/* handed over */
	res->nrintf = lp->nri;
	lp->ri = NULL;
	res->step = lp->sp.resolution;
	sampler_stats(&lp->sp, &res->st);
	res->elapsed_s = now_s() - lp->t_start;
}

int runner_run(struct runner *rn, const struct bench *b, struct result *res)
{
	struct bench_run r;
	struct loop lp = { .rn = rn, .b = b, .r = &r, .res = res };
	int err = 0;

	memset(res, 0, sizeof(*res));
	res->b = b;
	res->tw.st.median = res->tw.st.mean = res->tw.st.tmean = NAN;
	lp.t_start = now_s();
	lp.progress = !rn->opt->quiet && isatty(STDERR_FILENO);
	init_run(rn, b, &r);
	sampler_init(&lp.sp, rn->opt->max_samples);
	if (b->setup && (err = b->setup(&r)) == BENCH_SKIP) {
		/* cannot run here: the note says why; not a failure */
		if (!rn->opt->quiet)
			fprintf(stderr, "syslat: %s: skipped: %s\n", b->name, r.note);
		res->skipped = 1;
		err = 0;
	} else if (err) {
		fprintf(stderr, "syslat: %s: setup failed: %s\n", b->name, strerror(-err));
		snprintf(r.note, sizeof(r.note), "setup failed: %s", strerror(-err));
		res->skipped = 1;
	} else {
		runner_timer_window(rn->tsc, &res->tw);	/* just before its rounds */
		lp.ovh = res->tw.subtracted;
		if (r.busy_wait && b->needs_peer && r.peer_cpu == r.cpu) {
			fprintf(stderr, "syslat: %s busy-waits: it needs two CPUs "
				"(--placement cross); skipped\n", b->name);
			res->skipped = 1;
			err = -EINVAL;
		} else {
			/* per-call values move in steps of granularity / divisor */
			lp.sp.resolution = (double)rn->tsc->granularity / r.divisor;
			err = run_rounds(&lp);
		}
		if (b->teardown)
			b->teardown(&r);
	}
	if (err && err != -EINTR && !res->skipped)
		fprintf(stderr, "syslat: %s: %s\n", b->name, strerror(err < 0 ? -err : EIO));
	if (lp.shown)
		fputs("\r\033[K", stderr);
	fill_result(&lp, err);
	sampler_destroy(&lp.sp);
	free(lp.ri);
	return err;
}
