// SPDX-License-Identifier: GPL-2.0
/*
 * Signal round trip between two processes: we kill(child, SIGUSR1), the
 * child, waiting in sigwaitinfo(), kill()s SIGUSR1 back, and we take it
 * in sigtimedwait(). SIGUSR1 is blocked on both sides, so the hand-off
 * is the signal queueing and the wake-up, without handlers. The child is
 * pinned per --placement (same CPU by default); if it dies, our wait
 * times out after two seconds instead of hanging.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "tsc.h"

static struct {
	pid_t child;
	sigset_t usr1, old;
	int masked;
} spp;

static int spp_child(void *arg)
{
	pid_t parent = *(pid_t *)arg;
	siginfo_t si;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		if (sigwaitinfo(&spp.usr1, &si) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (kill(parent, SIGUSR1))
			return 1;
	}
}

static void spp_teardown(struct bench_run *r)
{
	(void)r;
	if (spp.child > 0) {
		kill(spp.child, SIGKILL);
		while (waitpid(spp.child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	spp.child = 0;
	if (spp.masked)
		sigprocmask(SIG_SETMASK, &spp.old, NULL);
	spp.masked = 0;
}

static int spp_setup(struct bench_run *r)
{
	pid_t self = getpid();

	sigemptyset(&spp.usr1);
	sigaddset(&spp.usr1, SIGUSR1);
	/* blocked before the fork: the child inherits it, none is lost */
	if (sigprocmask(SIG_BLOCK, &spp.usr1, &spp.old))
		return -errno;
	spp.masked = 1;
	fflush(NULL);
	spp.child = place_fork(r->peer_cpu, spp_child, &self);
	if (spp.child < 0) {
		int e = errno;

		spp.child = 0;
		spp_teardown(r);
		return -e;
	}
	snprintf(r->peer_where, sizeof(r->peer_where), "cpu %d (process)", r->peer_cpu);
	snprintf(r->note, sizeof(r->note), "SIGUSR1 both ways, blocked + sigwaitinfo");
	return 0;
}

static int spp_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	static const struct timespec tmo = { 2, 0 };
	pid_t child = spp.child;
	uint64_t i, t0, t1;
	int rc = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n && !rc; i++) {
		if (kill(child, SIGUSR1)) {
			rc = -errno;
			break;
		}
		while (sigtimedwait(&spp.usr1, NULL, &tmo) < 0 && !rc)
			rc = errno == EINTR ? 0 : -errno;
	}
	t1 = tsc_end();
	*ticks = t1 - t0;
	if (rc == -EAGAIN)
		fprintf(stderr, "sig-pingpong: no reply in 2 s: the child is gone\n");
	return rc;
}

const struct bench bench_sig_pingpong = {
	.name = "sig-pingpong",
	.summary = "SIGUSR1 round trip between two processes (blocked, sigwaitinfo)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = spp_setup, .sample = spp_sample, .teardown = spp_teardown,
};
