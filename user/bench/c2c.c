// SPDX-License-Identifier: GPL-2.0
/* Cache-line ping-pong between two pinned threads, for every ordered pair (c2c.h). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "c2c.h"
#include "tsc.h"

struct c2c_line {
	volatile uint32_t flag;	/* 1: our ping is out; 0: the peer answered */
} __attribute__((aligned(64)));

struct c2c_job {
	struct c2c_line *line;
	uint64_t total;		/* round trips the peer answers, warm-up included */
};

static void *pong(void *arg)
{
	struct c2c_job *j = arg;
	uint64_t k;

	for (k = 0; k < j->total; k++) {
		while (__atomic_load_n(&j->line->flag, __ATOMIC_ACQUIRE) != 1)
			;
		__atomic_store_n(&j->line->flag, 0, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* One round: @n round trips inside one window. */
static uint64_t ping_round(struct c2c_line *line, uint64_t n)
{
	uint64_t i, t0, t1;

	t0 = tsc_begin();
	for (i = 0; i < n; i++) {
		__atomic_store_n(&line->flag, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&line->flag, __ATOMIC_ACQUIRE) != 0)
			;
	}
	t1 = tsc_end();
	return t1 - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int one_pair(struct c2c_cfg *cfg, int a, int b, double *v)
{
	static struct c2c_line line;
	struct c2c_job job = { &line, (cfg->rounds + 1) * cfg->iters };
	pthread_t t;
	uint64_t r;
	int err;

	if ((err = place_pin_self(cfg->cpu[a])) != 0) {
		fprintf(stderr, "syslat c2c: cannot pin to CPU %d: %s\n", cfg->cpu[a], strerror(-err));
		return err;
	}
	line.flag = 0;
	err = place_thread_start(&t, cfg->cpu[b], pong, &job);
	if (err) {
		fprintf(stderr, "syslat c2c: peer on CPU %d: %s\n", cfg->cpu[b], strerror(-err));
		return err;
	}
	ping_round(&line, cfg->iters);	/* warm-up, discarded */
	for (r = 0; r < cfg->rounds; r++)
		v[r] = ((double)ping_round(&line, cfg->iters) - cfg->timer_ovh) /
		       (double)cfg->iters / 2;
	pthread_join(t, NULL);
	qsort(v, cfg->rounds, sizeof(*v), cmp_double);
	cfg->m[a][b].min_one_way = v[0];
	cfg->m[a][b].one_way = cfg->rounds % 2 ? v[cfg->rounds / 2] :
			       (v[cfg->rounds / 2 - 1] + v[cfg->rounds / 2]) / 2;
	cfg->m[a][b].cls = topo_classify(cfg->cpu[a], cfg->cpu[b]);
	return 0;
}

/* The empty window, as the runner measures it: median of 1000. */
static double timer_overhead(void)
{
	double v[1000];
	int i;

	for (i = 0; i < 1000; i++) {
		uint64_t t0 = tsc_begin();

		v[i] = (double)(tsc_end() - t0);
	}
	qsort(v, 1000, sizeof(v[0]), cmp_double);
	return v[500];
}

int c2c_measure(struct c2c_cfg *cfg)
{
	double *v = calloc(cfg->rounds, sizeof(*v));
	int a, b, err = 0;

	if (!v)
		return -ENOMEM;
	if ((err = place_pin_self(cfg->cpu[0])) == 0)
		cfg->timer_ovh = timer_overhead();
	for (a = 0; a < cfg->ncpu && !err; a++) {
		cfg->m[a][a].one_way = cfg->m[a][a].min_one_way = NAN;
		cfg->m[a][a].cls = TOPO_SMT;
		for (b = 0; b < cfg->ncpu && !err; b++)
			if (a != b)
				err = one_pair(cfg, a, b, v);
	}
	free(v);
	return err;
}
