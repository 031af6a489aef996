// SPDX-License-Identifier: GPL-2.0
/*
 * Peer start/stop for the ping-pong benchmarks (see ipc.h).
 *
 * The peer signals "running, pinned" through a futex word in shared
 * memory rather than a pthread barrier, because the same handshake must
 * work for a forked process, and because a wait with a timeout lets the
 * parent notice a peer that died before it ran instead of hanging.
 * (place_thread_start() has its own barrier too; this one also covers
 * the time the body needs to record where it runs.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ipc.h"
#include "opts.h"

#define READY_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 2000

void *ipc_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void ipc_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

int ipc_use_process(const struct bench_run *r)
{
	return r->use_process || (r->opt && r->opt->process);
}

long ipc_futex_wait(uint32_t *w, uint32_t val, int priv,
		    const struct timespec *timeout)
{
	return syscall(SYS_futex, w, priv ? FUTEX_WAIT_PRIVATE : FUTEX_WAIT,
		       val, timeout, NULL, 0);
}

long ipc_futex_wake(uint32_t *w, int nr, int priv)
{
	return syscall(SYS_futex, w, priv ? FUTEX_WAKE_PRIVATE : FUTEX_WAKE,
		       nr, NULL, NULL, 0);
}

long ipc_thread_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return -errno;
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

long ipc_proc_switches(pid_t pid)
{
	char path[64], line[128];
	long v, sum = 0;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1) {
			sum += v;
			found++;
		}
	}
	fclose(f);
	return found == 2 ? sum : -ENOENT;
}

/*
 * Process peers with a poison() callback, watched by the SIGCHLD handler.
 * Changed only with SIGCHLD blocked, so the handler never sees a half
 * updated list.
 */
#define WATCH_MAX 64	/* ipc-sweep --process --pairs 64: every peer watched */
static struct ipc_peer *volatile watch[WATCH_MAX];
static struct sigaction old_chld;
static int nwatch;

/* Has our process peer ended? waitid(WNOWAIT) leaves it to be reaped. */
static int proc_ended(const struct ipc_peer *p)
{
	siginfo_t si;

	si.si_pid = 0;
	return waitid(P_PID, (id_t)p->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == p->pid;
}

static void on_sigchld(int sig)
{
	int i, e = errno;

	(void)sig;
	for (i = 0; i < WATCH_MAX; i++) {
		struct ipc_peer *p = watch[i];

		if (p && !p->gone && proc_ended(p)) {
			p->gone = 1;
			p->poison(p->poison_arg);
		}
	}
	errno = e;
}

static void block_chld(int how, sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(how, &set, old);
}

/* Before the fork, so a death at any time afterwards is seen. */
static void watch_add(struct ipc_peer *p)
{
	struct sigaction sa;
	sigset_t old;
	int i;

	if (!p->poison)
		return;
	block_chld(SIG_BLOCK, &old);
	for (i = 0; i < WATCH_MAX && watch[i]; i++)
		;
	if (i < WATCH_MAX) {
		if (nwatch++ == 0) {
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_sigchld;
			sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
			sigemptyset(&sa.sa_mask);
			sigaction(SIGCHLD, &sa, &old_chld);
		}
		watch[i] = p;
		p->watched = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void watch_del(struct ipc_peer *p)
{
	sigset_t old;
	int i;

	if (!p->watched)
		return;
	block_chld(SIG_BLOCK, &old);
	for (i = 0; i < WATCH_MAX; i++)
		if (watch[i] == p)
			watch[i] = NULL;
	p->watched = 0;
	if (--nwatch == 0)
		sigaction(SIGCHLD, &old_chld, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Common to thread and process: record the CPU, open the barrier, run. */
static int peer_body(struct ipc_peer *p)
{
	int rc;

	p->where = sched_getcpu();
	__atomic_store_n(&p->ready, 1, __ATOMIC_SEQ_CST);
	ipc_futex_wake(&p->ready, 1, 0);
	rc = p->fn(p->arg);
	p->where_end = sched_getcpu();
	p->rc = rc;
	__atomic_store_n(&p->exited, 1, __ATOMIC_SEQ_CST);
	/* A thread failing on its own: unblock the measuring side (ipc.h). */
	if (rc && !p->is_process && !p->stop && p->poison) {
		p->gone = 1;
		p->poison(p->poison_arg);
	}
	return rc;
}

static void *peer_thread(void *arg)
{
	return (void *)(intptr_t)peer_body(arg);
}

static pid_t parent_pid;

static int peer_process(void *arg)
{
	/*
	 * Ctrl-C reaches the whole process group: the child ignores it and
	 * lets the parent's teardown stop it, so a round trip is never cut
	 * in half. If the parent dies instead, the child must not linger.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);	/* the parent's handler is not ours */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent_pid)
		return -ESRCH;
	return peer_body(arg);
}

int ipc_peer_alive(struct ipc_peer *p)
{
	if (!p->running || p->exited || p->gone)
		return 0;
	if (p->is_process && proc_ended(p)) {
		p->gone = 1;
		return 0;
	}
	return 1;
}

int ipc_peer_error(struct ipc_peer *p, const char *who)
{
	if (p->is_process && !p->exited) {
		fprintf(stderr, "%s: peer process %d died\n", who, (int)p->pid);
		return -ECHILD;
	}
	fprintf(stderr, "%s: peer failed: %s\n", who, strerror(p->rc ? -p->rc : EIO));
	return p->rc ? p->rc : -EIO;
}

int ipc_sample_done(struct ipc_peer *p, const char *who, const char *what, int rc,
		    uint64_t t0, uint64_t t1, uint64_t *ticks)
{
	if (rc == 1)
		return ipc_peer_error(p, who);
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", who, what, strerror(-rc));
		return rc;
	}
	*ticks = t1 - t0;
	return 0;
}

static int wait_ready(struct ipc_peer *p, const char *who)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int i;

	for (i = 0; i < READY_TIMEOUT_MS / 100; i++) {
		if (__atomic_load_n(&p->ready, __ATOMIC_ACQUIRE))
			return 0;
		if (ipc_futex_wait(&p->ready, 0, 0, &ts) < 0 &&
		    errno != EAGAIN && errno != ETIMEDOUT && errno != EINTR) {
			int e = errno;

			fprintf(stderr, "%s: futex wait for peer: %s\n", who, strerror(e));
			return -e;
		}
		if (!__atomic_load_n(&p->ready, __ATOMIC_ACQUIRE) && !ipc_peer_alive(p)) {
			fprintf(stderr, "%s: peer exited before it ran\n", who);
			return p->rc ? p->rc : -ECHILD;
		}
	}
	fprintf(stderr, "%s: peer did not start within %d ms\n", who, READY_TIMEOUT_MS);
	return -ETIMEDOUT;
}

int ipc_peer_start(struct ipc_peer *p, const char *who, int cpu, int process,
		   int (*fn)(void *), void *arg)
{
	int rc;

	if (cpu < 0) {
		fprintf(stderr, "%s: no CPU for the peer (placement not resolved)\n", who);
		return -EINVAL;
	}
	p->fn = fn;
	p->arg = arg;
	p->cpu = cpu;
	p->is_process = process;
	p->where = p->where_end = -1;
	p->ready = 0;
	p->exited = p->gone = p->stop = p->rc = 0;
	if (process) {
		parent_pid = getpid();
		watch_add(p);
		p->pid = place_fork(cpu, peer_process, p);	/* flushes stdio first */
		if (p->pid < 0) {
			rc = p->pid == -1 ? -errno : (int)p->pid;
			fprintf(stderr, "%s: fork of peer on cpu %d: %s\n", who, cpu, strerror(-rc));
			watch_del(p);
			return rc;
		}
	} else {
		rc = place_thread_start(&p->thread, cpu, peer_thread, p);
		if (rc) {
			fprintf(stderr, "%s: peer thread on cpu %d: %s\n", who, cpu, strerror(-rc));
			return rc;
		}
	}
	p->running = 1;
	rc = wait_ready(p, who);
	if (rc)
		ipc_peer_stop(p, who, NULL, NULL);
	return rc;
}

static int stop_process(struct ipc_peer *p, const char *who)
{
	struct timespec ms = { 0, 1000 * 1000 };
	int i, st;
	pid_t k;

	for (i = 0; i < STOP_TIMEOUT_MS; i++) {
		k = waitpid(p->pid, &st, WNOHANG);
		if (k == p->pid)
			goto reaped;
		if (k < 0 && errno != EINTR) {
			fprintf(stderr, "%s: waitpid %d: %s\n", who, (int)p->pid, strerror(errno));
			p->running = 0;
			return -errno;
		}
		nanosleep(&ms, NULL);
	}
	fprintf(stderr, "%s: peer process %d did not stop, killing it\n", who, (int)p->pid);
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
		;
	p->running = 0;
	return -ETIMEDOUT;
reaped:
	p->running = 0;
	if (!p->exited)
		return -ECHILD;	/* died without returning from its body */
	return p->rc;
}

static int stop_thread(struct ipc_peer *p, const char *who)
{
	struct timespec dl;
	int e;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += STOP_TIMEOUT_MS / 1000;
	e = pthread_timedjoin_np(p->thread, NULL, &dl);
	if (e) {
		fprintf(stderr, "%s: peer thread did not stop: %s\n", who, strerror(e));
		return -e;	/* still running: caller must not free its memory */
	}
	p->running = 0;
	return p->rc;
}

int ipc_peer_stop(struct ipc_peer *p, const char *who,
		  void (*kick)(void *), void *karg)
{
	int rc, gone;

	/* A normal exit from here on is no death: stop watching first. */
	watch_del(p);
	if (!p->running)
		return p->rc;
	gone = p->gone;
	__atomic_store_n(&p->stop, 1, __ATOMIC_SEQ_CST);
	if (kick && !gone && !p->exited)
		kick(karg);
	rc = p->is_process ? stop_process(p, who) : stop_thread(p, who);
	/* A death was reported when it was found; do not repeat it. */
	if (rc && rc != -ETIMEDOUT && !gone)
		fprintf(stderr, "%s: peer failed: %s\n", who, strerror(-rc));
	return rc;
}

void ipc_peer_where(struct bench_run *r, const struct ipc_peer *p)
{
	const char *kind = p->is_process ? "process" : "thread";

	if (!p->fn || p->where < 0)
		return;		/* never started or never ran */
	if (p->where_end >= 0 && p->where_end != p->where)
		snprintf(r->peer_where, sizeof(r->peer_where), "cpu %d->%d (%s, migrated)",
			 p->where, p->where_end, kind);
	else if (p->where != p->cpu)
		snprintf(r->peer_where, sizeof(r->peer_where), "cpu %d (%s, asked for %d)",
			 p->where, kind, p->cpu);
	else
		snprintf(r->peer_where, sizeof(r->peer_where), "cpu %d (%s)", p->where, kind);
}
