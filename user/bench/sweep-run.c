// SPDX-License-Identifier: GPL-2.0
/*
 * Running the ipc-sweep cells (sweep.h). A cell is (mechanism, size,
 * pair count): each pair gets its own channel, a peer thread (ipc.c) and
 * a measuring thread, pinned as the placement says. Each measuring
 * thread calibrates its round length (doubling the round trips until one
 * round takes --round-ms; the calibration rounds are the warm-up), then
 * all pairs run --rounds rounds, each round started together at a
 * barrier, so N pairs overlap. A round gives one round-trip time (its
 * ticks / its round trips, in ns: the timer's own cost is two TSC reads
 * per round of >= --round-ms, below the TSC step) and one bandwidth.
 * The statistics are over rounds: median and its bootstrap 95 % CI.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "tsc.h"

/* Held closed until every measuring thread exists, so a failed
 * pthread_create() cannot leave the others waiting at the barrier. */
struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int open, cancel;
};

struct job {
	const struct sweep_cfg *cfg;
	struct sweep_ch *c;
	int cpu, peer_cpu;
	pthread_barrier_t *bar;
	struct gate *gate;
	double *rtt, *bw;	/* per round */
	uint64_t iters;
	int rc;
};

static int pin_self(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	return pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

/*
 * Doubling round trips until one round lasts round_ms, confirmed by a
 * second round of the same n lasting at least half of it: a round the
 * host stretched (a vCPU descheduled for 100 ms) would otherwise end the
 * doubling early and leave rounds far shorter than round_ms. 0 or -errno.
 */
static int calibrate(struct job *j)
{
	double want = (double)j->cfg->round_ms * j->cfg->tsc->khz;
	uint64_t n = 1, t = 0;
	int rc;

	for (;;) {
		rc = sweep_sample(j->c, n, &t);
		if (rc)
			break;
		if ((double)t >= want) {
			rc = sweep_sample(j->c, n, &t);	/* confirm */
			if (rc || (double)t >= want / 2)
				break;
		}
		if (n >= (1ULL << 30))
			break;
		n *= 2;
	}
	j->iters = n;
	return rc;
}

static void *measure(void *arg)
{
	struct job *j = arg;
	uint64_t k, t;
	double ns;

	pthread_mutex_lock(&j->gate->mu);
	while (!j->gate->open && !j->gate->cancel)
		pthread_cond_wait(&j->gate->cv, &j->gate->mu);
	pthread_mutex_unlock(&j->gate->mu);
	if (j->gate->cancel)
		return NULL;
	j->rc = pin_self(j->cpu) ? -EINVAL : 0;
	if (j->rc)
		fprintf(stderr, "ipc-sweep: cannot pin the measuring thread to CPU %d\n", j->cpu);
	else
		j->rc = calibrate(j);
	pthread_barrier_wait(j->bar);
	for (k = 0; k < j->cfg->rounds; k++) {
		/* A failed pair still meets every barrier, or the others hang. */
		pthread_barrier_wait(j->bar);
		if (j->rc)
			continue;
		j->rc = sweep_sample(j->c, j->iters, &t);
		ns = tsc_to_ns(j->cfg->tsc, (double)t) / (double)j->iters;
		j->rtt[k] = ns;
		/* a round trip moves size each way; a stream message once */
		j->bw[k] = (j->c->stream ? 1.0 : 2.0) * (double)j->c->size * 1e9 / ns;
	}
	return NULL;
}

/* The cell being run: what add_res() and the setup need. */
struct cell {
	const struct sweep_mech *m;
	size_t size;
	int npairs, stream;
};

static struct sweep_res *add_res(struct sweep_cfg *cfg, const struct cell *ce, int pair)
{
	struct sweep_res *r;

	if (cfg->nres == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 64;
		void *p = realloc(cfg->res, cap * sizeof(*r));

		if (!p)
			return NULL;
		cfg->res = p;
		cfg->cap = cap;
	}
	r = &cfg->res[cfg->nres++];
	memset(r, 0, sizeof(*r));
	r->m = ce->m;
	r->size = ce->size;
	r->npairs = ce->npairs;
	r->stream = ce->stream;
	r->pair = pair;
	r->scaling = NAN;
	return r;
}

static void place(const struct sweep_cfg *cfg, int i, int *cpu, int *peer)
{
	*cpu = cfg->pair_cpu[i];
	*peer = cfg->pair_peer[i];
}

/* Open the channels and start the peers: 0, 1 skipped (@why), -errno. */
static int cell_setup(const struct sweep_cfg *cfg, const struct cell *ce,
		      struct job *jobs, char *why, size_t whylen)
{
	int i, rc;

	for (i = 0; i < ce->npairs; i++) {
		struct sweep_ch *c = ipc_shared_alloc(sizeof(*c));

		if (!c)
			return -ENOMEM;
		jobs[i].c = c;
		c->fd[0] = c->fd[1] = c->fd[2] = c->fd[3] = -1;
		c->stream = ce->stream;
		c->priv = !cfg->process;
		rc = sweep_ch_open(c, ce->m, ce->size, why, whylen);
		if (rc)
			return rc;
		c->peer.poison = sweep_poison;
		c->peer.poison_arg = c;
		rc = ipc_peer_start(&c->peer, ce->m->name, jobs[i].peer_cpu, cfg->process,
				    sweep_peer, c);
		if (rc)
			return rc;
	}
	return 0;
}

static void cell_teardown(struct job *jobs, int npairs)
{
	int i;

	for (i = 0; i < npairs; i++) {
		struct sweep_ch *c = jobs[i].c;

		if (!c)
			continue;
		/*
		 * After a failure mid-round the peer may be blocked sending to
		 * us: a kick could block for ever, so none; the peer is then
		 * waited for (two seconds) and, if stuck, its state leaked.
		 */
		if (c->peer.running)
			ipc_peer_stop(&c->peer, c->m->name, jobs[i].rc ? NULL : sweep_kick, c);
		if (c->peer.running)
			continue;	/* a stuck thread still uses c: leak it */
		sweep_ch_close(c);
		ipc_shared_free(c, sizeof(*c));
	}
}

static void stats_of(const double *v, uint64_t n, struct stats *s)
{
	double tmp[1024];

	memcpy(tmp, v, n * sizeof(*v));
	stats_compute(tmp, n, s);
}

/* Rows of a finished cell: one per pair, and the aggregate when npairs > 1. */
static int cell_rows(struct sweep_cfg *cfg, const struct cell *ce, struct job *jobs,
		     double one_bw)
{
	uint64_t k, nr = cfg->rounds;
	int npairs = ce->npairs;
	double agg_bw[1024], agg_rtt[1024];
	struct sweep_res *r;
	int i;

	for (k = 0; k < nr; k++)
		agg_bw[k] = agg_rtt[k] = 0;
	for (i = 0; i < npairs; i++) {
		if (!(r = add_res(cfg, ce, i)))
			return -ENOMEM;
		topo_ids(jobs[i].cpu, &r->where);
		topo_ids(jobs[i].peer_cpu, &r->peer_where);
		r->iters = jobs[i].iters;
		stats_of(jobs[i].rtt, nr, &r->rtt);
		stats_of(jobs[i].bw, nr, &r->bw);
		for (k = 0; k < nr; k++) {
			agg_bw[k] += jobs[i].bw[k];
			agg_rtt[k] += jobs[i].rtt[k] / npairs;
		}
	}
	if (npairs == 1)
		return 0;
	if (!(r = add_res(cfg, ce, -1)))
		return -ENOMEM;
	r->where.cpu = r->peer_where.cpu = -1;
	stats_of(agg_rtt, nr, &r->rtt);
	stats_of(agg_bw, nr, &r->bw);
	r->scaling = r->bw.median / one_bw;
	return 0;
}

/* Start the measuring threads, open the gate, join them: nonzero if any failed. */
static int run_threads(struct job *jobs, int npairs, pthread_barrier_t *bar, struct gate *gate)
{
	pthread_t th[SWEEP_MAX_PAIRS];
	int i, started = 0, failed = 0;

	pthread_barrier_init(bar, NULL, (unsigned)npairs);
	for (i = 0; i < npairs; i++, started++)
		if (pthread_create(&th[i], NULL, measure, &jobs[i]))
			break;
	pthread_mutex_lock(&gate->mu);
	gate->open = started == npairs;
	gate->cancel = !gate->open;
	pthread_cond_broadcast(&gate->cv);
	pthread_mutex_unlock(&gate->mu);
	if (gate->cancel)
		fprintf(stderr, "ipc-sweep: cannot start a measuring thread\n");
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < npairs; i++)
		failed |= jobs[i].rc != 0 || gate->cancel;
	pthread_barrier_destroy(bar);
	return failed;
}

/* One cell: 0 done or skipped (a row says why), 1 failed. *bw_out: pair 0's median. */
static int run_cell(struct sweep_cfg *cfg, const struct cell *ce, double one_bw,
		    double *bw_out)
{
	struct job jobs[SWEEP_MAX_PAIRS];
	double rtt[SWEEP_MAX_PAIRS][64], bw[SWEEP_MAX_PAIRS][64];
	pthread_barrier_t bar;
	struct gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	char why[160] = "";
	int i, rc, failed = 0, npairs = ce->npairs;

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < npairs; i++) {
		jobs[i].cfg = cfg;
		jobs[i].bar = &bar;
		jobs[i].gate = &gate;
		jobs[i].rtt = rtt[i];
		jobs[i].bw = bw[i];
		place(cfg, i, &jobs[i].cpu, &jobs[i].peer_cpu);
	}
	rc = cell_setup(cfg, ce, jobs, why, sizeof(why));
	if (rc == 0)
		failed = run_threads(jobs, npairs, &bar, &gate);
	cell_teardown(jobs, npairs);
	if (rc < 0 || failed) {
		fprintf(stderr, "ipc-sweep: %s %s at %zu bytes, %d pair(s): failed\n", ce->m->name,
			ce->stream ? "stream" : "ping-pong", ce->size, npairs);
		return 1;
	}
	if (rc == 1) {
		struct sweep_res *r = add_res(cfg, ce, npairs > 1 ? -1 : 0);

		if (!r)
			return 1;
		r->skipped = 1;
		snprintf(r->why, sizeof(r->why), "%s", why);
		return 0;
	}
	*bw_out = 0;
	if (cell_rows(cfg, ce, jobs, one_bw))
		return 1;
	*bw_out = cfg->res[cfg->nres - (npairs > 1 ? npairs + 1 : 1)].bw.median;
	return 0;
}

/* One size of one mechanism and traffic: 1 pair, then --pairs N. */
static int run_size(struct sweep_cfg *cfg, struct cell *ce)
{
	double one = NAN, dummy;

	ce->npairs = 1;
	if (run_cell(cfg, ce, NAN, &one))
		return 1;
	ce->npairs = cfg->pairs;
	return cfg->pairs > 1 && run_cell(cfg, ce, one, &dummy);
}

/* Per mechanism: the ping-pong over every size, then the stream. */
int sweep_run(struct sweep_cfg *cfg)
{
	struct cell ce;
	int i, s, st;

	for (i = 0; i < cfg->nmech; i++) {
		for (st = 0; st < 2; st++) {
			if (!(cfg->traffic & (st ? SWEEP_STREAM : SWEEP_PINGPONG)))
				continue;
			for (s = 0; s < cfg->nsize; s++) {
				if (cfg->stop && *cfg->stop) {
					cfg->interrupted = 1;
					return 0;
				}
				ce = (struct cell){ cfg->mech[i], cfg->size[s], 1, st };
				if (run_size(cfg, &ce))
					return 1;
			}
		}
	}
	return 0;
}

void sweep_free(struct sweep_cfg *cfg)
{
	free(cfg->res);
	cfg->res = NULL;
	cfg->nres = cfg->cap = 0;
}
