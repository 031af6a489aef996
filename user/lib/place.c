// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <numa.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "opts.h"
#include "place.h"
#include "topo.h"
#include "env.h"
#include "util.h"

int place_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int place_current_cpu(void)
{
	return sched_getcpu();
}

struct thread_start {
	void *(*fn)(void *);
	void *arg;
	pthread_barrier_t barrier;
};

static void *thread_tramp(void *p)
{
	struct thread_start *ts = p;
	void *(*fn)(void *) = ts->fn;
	void *arg = ts->arg;

	/* After the barrier the starter frees ts: copy out first. */
	pthread_barrier_wait(&ts->barrier);
	return fn(arg);
}

int place_thread_start(pthread_t *t, int cpu, void *(*fn)(void *), void *arg)
{
	struct thread_start ts = { .fn = fn, .arg = arg };
	sigset_t block, old;
	pthread_attr_t attr;
	cpu_set_t set;
	int err;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&attr);
	/* Pinned from its first instruction: never runs on the wrong CPU. */
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	pthread_barrier_init(&ts.barrier, NULL, 2);
	/* SIGINT goes to the measuring thread, which stops the run cleanly. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	err = pthread_create(t, &attr, thread_tramp, &ts);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (!err)
		pthread_barrier_wait(&ts.barrier);
	pthread_barrier_destroy(&ts.barrier);
	return -err;
}

pid_t place_fork(int cpu, int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);	/* no duplicated buffered output (kselftest.h) */
	pid = fork();
	if (pid != 0)
		return pid;
	/* The parent handles ^C and then stops this child in teardown. */
	signal(SIGINT, SIG_IGN);
	if (place_pin_self(cpu))
		_exit(127);
	_exit(fn(arg) & 0xff);
}

int place_smt_sibling(int cpu)
{
	char path[256], buf[256], *p;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", cpu);
	if (read_line_file(path, buf, sizeof(buf)))
		return -1;
	/* "0,4" or "0-1": the first number other than cpu. */
	for (p = buf; *p;) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b; a++)
			if (a != cpu)
				return (int)a;
		p = *end ? end + 1 : end;
	}
	return -1;
}

/* Inherited mask, narrowed to the NUMA node when asked. */
static int allowed_set(const struct opts *o, cpu_set_t *set, char *err, size_t len)
{
	struct bitmask *bm;
	int c;

	if (sched_getaffinity(0, sizeof(*set), set)) {
		snprintf(err, len, "sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	if (o->numa_node < 0)
		return 0;
	if (numa_available() < 0) {
		snprintf(err, len, "--numa-node %d: NUMA is not available here", o->numa_node);
		return -1;
	}
	if (o->numa_node > numa_max_node()) {
		snprintf(err, len, "--numa-node %d: this machine has nodes 0-%d",
			 o->numa_node, numa_max_node());
		return -1;
	}
	bm = numa_allocate_cpumask();
	if (!bm || numa_node_to_cpus(o->numa_node, bm)) {
		snprintf(err, len, "--numa-node %d: cannot read its CPUs", o->numa_node);
		numa_free_cpumask(bm);
		return -1;
	}
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set) && !numa_bitmask_isbitset(bm, (unsigned int)c))
			CPU_CLR(c, set);
	numa_free_cpumask(bm);
	if (CPU_COUNT(set) == 0) {
		snprintf(err, len, "--numa-node %d: none of its CPUs is in the affinity mask",
			 o->numa_node);
		return -1;
	}
	return 0;
}

/* A CPU for "cross": another core if there is one, else any other CPU. */
static int pick_cross(const cpu_set_t *set, int cpu)
{
	int c, sib = place_smt_sibling(cpu), fallback = -1;

	for (c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, set) || c == cpu)
			continue;
		if (c != sib)
			return c;
		fallback = c;
	}
	return fallback;
}

/* The first allowed CPU whose closest relation to @cpu is exactly @want, or -1. */
static int pick_level(const cpu_set_t *set, int cpu, enum topo_class want)
{
	int c;

	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set) && c != cpu && topo_classify(cpu, c) == want)
			return c;
	return -1;
}

/* smt, llc, package: never another level than the one asked for. */
static int pick_topo(const struct opts *o, const cpu_set_t *set, struct placement_res *pr,
		     char *err, size_t len)
{
	static const char *const what[] = {
		[PLACE_SMT] = "is its SMT sibling",
		[PLACE_LLC] = "shares its last-level cache but not its core",
		[PLACE_PACKAGE] = "shares its package but not its last-level cache",
	};
	enum topo_class want = o->placement == PLACE_SMT ? TOPO_SMT :
			       o->placement == PLACE_LLC ? TOPO_LLC : TOPO_PACKAGE;
	char mask[256];

	pr->how = topo_class_name(want);
	/* The sibling list itself first: an offline or masked sibling is named. */
	pr->peer_cpu = want == TOPO_SMT ? place_smt_sibling(pr->cpu) : pick_level(set, pr->cpu, want);
	if (pr->peer_cpu >= 0)
		return 0;
	env_affinity_list(mask, sizeof(mask));
	if (want == TOPO_SMT)
		snprintf(err, len, "--placement smt: CPU %d has no SMT sibling", pr->cpu);
	else
		snprintf(err, len, "--placement %s: no allowed CPU (%s%s) %s with CPU %d",
			 pr->how, mask, o->numa_node >= 0 ? ", NUMA node" : "", what[o->placement],
			 pr->cpu);
	return -1;
}

static int pick_peer(const struct opts *o, const cpu_set_t *set,
		     struct placement_res *pr, char *err, size_t len)
{
	char mask[256];

	env_affinity_list(mask, sizeof(mask));
	if (o->peer_cpu >= 0) {
		pr->peer_cpu = o->peer_cpu;
		pr->how = "explicit";
	} else if (o->placement == PLACE_SAME) {
		pr->peer_cpu = pr->cpu;
		pr->how = "same";
	} else if (o->placement == PLACE_CROSS) {
		pr->peer_cpu = pick_cross(set, pr->cpu);
		pr->how = "cross";
		if (pr->peer_cpu < 0) {
			snprintf(err, len, "--placement cross: only CPU %d is allowed (mask %s)",
				 pr->cpu, mask);
			return -1;
		}
	} else if (pick_topo(o, set, pr, err, len)) {
		return -1;
	}
	if (!CPU_ISSET(pr->peer_cpu, set)) {
		snprintf(err, len, "peer CPU %d is not in the allowed CPUs (%s%s)",
			 pr->peer_cpu, mask, o->numa_node >= 0 ? ", NUMA node" : "");
		return -1;
	}
	return 0;
}

int place_resolve(const struct opts *o, struct placement_res *pr, char *err, size_t len)
{
	cpu_set_t set;
	char mask[256];
	int c;

	if (allowed_set(o, &set, err, len))
		return -1;
	pr->cpu = -1;
	if (o->cpu >= 0) {
		if (!CPU_ISSET(o->cpu, &set)) {
			env_affinity_list(mask, sizeof(mask));
			snprintf(err, len, "--cpu %d is not in the affinity mask %s%s",
				 o->cpu, mask, o->numa_node >= 0 ? " (within the NUMA node)" : "");
			return -1;
		}
		pr->cpu = o->cpu;
	}
	for (c = 0; pr->cpu < 0 && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			pr->cpu = c;
	return pick_peer(o, &set, pr, err, len);
}

void place_record(struct env *e, const struct placement_res *pr)
{
	struct topo_ids a, b;

	topo_ids(pr->cpu, &a);
	topo_ids(pr->peer_cpu, &b);
	env_set(e, "placement", "cpu %d, peer cpu %d (%s); package/die/llc/node %d/%d/%d/%d and "
		"%d/%d/%d/%d", pr->cpu, pr->peer_cpu, pr->how, a.package, a.die, a.llc, a.node,
		b.package, b.die, b.llc, b.node);
}

int place_bind_memory(const struct opts *o)
{
	if (o->numa_node < 0 || numa_available() < 0)
		return 0;
	numa_set_preferred(o->numa_node);
	return 0;
}
