// SPDX-License-Identifier: GPL-2.0
/*
 * The round loop of syslat-mini: the harness's batch mode (runner.c) cut
 * down to what a guest without a kernel interface needs. Per benchmark:
 * setup, the empty window timed just before its rounds (timerwin.c, the
 * figure subtracted once per window), --warmup discarded rounds, then
 * --rounds windows of --iters operations, each reduced to a per-operation
 * figure ((ticks - window) / (iters * divisor)), as runner.c's per_op().
 * No interference accounting (no /proc on Unikraft): a round an interrupt
 * landed in is kept, its handler's instructions included (a Linux guest's
 * timer tick; Unikraft's figures show none), so readers of these rounds
 * compare medians or minima, not means (docs/vm-bench.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mini.h"
#include "runner.h"

extern const struct bench bench_timer, bench_fcall;

static const struct bench *const mini_table[] = {
	&bench_timer, &bench_fcall, &mini_bench_noop, &mini_bench_enosys,
};

const struct bench *mini_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(mini_table) / sizeof(mini_table[0]); i++)
		if (!strcmp(mini_table[i]->name, name))
			return mini_table[i];
	return NULL;
}

static double per_op(const struct mini_result *m, uint64_t ticks, uint64_t n)
{
	double ovh = m->b->no_timer_sub ? 0 : m->tw.subtracted;

	return ((double)ticks - ovh) / ((double)n * m->r.divisor);
}

static int rounds(const struct mini_opts *o, struct mini_result *m)
{
	double *copy;
	uint64_t k, t;
	int err = 0;

	m->round_means = calloc(o->rounds, sizeof(double));
	copy = calloc(o->rounds, sizeof(double));
	if (!m->round_means || !copy) {
		free(copy);
		return -ENOMEM;
	}
	for (k = 0; k < o->warmup + o->rounds && !err; k++) {
		err = m->b->sample(&m->r, o->iters, &t);
		if (!err && k >= o->warmup)
			m->round_means[m->nrounds++] = per_op(m, t, o->iters);
	}
	memcpy(copy, m->round_means, m->nrounds * sizeof(double));
	stats_compute(copy, m->nrounds, &m->st);	/* sorts its input */
	free(copy);
	return err;
}

static void run_one(const struct mini_opts *o, const struct tsc_info *ti, struct mini_result *m)
{
	int err = 0;

	m->r.divisor = 1;
	m->r.cpu = -1;
	m->r.peer_cpu = -1;
	m->r.armed = -1;
	if (m->b->setup && (err = m->b->setup(&m->r)) != 0) {
		m->skipped = 1;
		m->err = err < 0 ? err : -EINVAL;
		snprintf(m->r.note, sizeof(m->r.note), "setup failed: %s", strerror(-m->err));
		return;
	}
	runner_timer_window(ti, &m->tw);
	m->err = rounds(o, m);
	if (m->err)
		fprintf(stderr, "syslat-mini: %s: %s\n", m->b->name, strerror(-m->err));
	if (m->b->teardown)
		m->b->teardown(&m->r);
}

void mini_run(const struct mini_opts *o, const struct tsc_info *ti, struct mini_result *res)
{
	unsigned int i;

	for (i = 0; i < o->nbench; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].b = mini_find(o->bench[i]);
		run_one(o, ti, &res[i]);
	}
}
