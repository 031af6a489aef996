// SPDX-License-Identifier: GPL-2.0
/*
 * Signals (lmbench lat_sig install / catch, LEBench's signal delivery):
 *   sig-install  one op = sigaction(SIGUSR1) installing a handler
 *   sig-self     one op = kill(getpid(), SIGUSR1) + delivery of it to
 *                our handler on the way out of the syscall + sigreturn
 * The round trip to another process is bench-sig-pingpong.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "rawsys.h"
#include "tsc.h"

static volatile sig_atomic_t sig_caught;
static struct sigaction sig_old;
static int sig_saved;

static void on_usr1(int sig)
{
	(void)sig;
	sig_caught++;
}

static int sig_setup(struct bench_run *r)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, &sig_old))
		return -errno;
	sig_saved = 1;
	snprintf(r->note, sizeof(r->note), "SIGUSR1, handler that counts");
	return 0;
}

static void sig_teardown(struct bench_run *r)
{
	(void)r;
	if (sig_saved)
		sigaction(SIGUSR1, &sig_old, NULL);
	sig_saved = 0;
}

static int install_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	struct sigaction sa;
	uint64_t i, t0, t1;
	int bad = 0;

	(void)r;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad |= sigaction(SIGUSR1, &sa, NULL);
	t1 = tsc_end();
	*ticks = t1 - t0;
	return bad ? -errno : 0;
}

static int self_sample(struct bench_run *r, uint64_t n, uint64_t *ticks)
{
	long pid = getpid();
	sig_atomic_t before = sig_caught;
	uint64_t i, t0, t1;
	long bad = 0;

	(void)r;
	t0 = tsc_begin();
	for (i = 0; i < n; i++)
		bad |= raw_syscall2(SYS_kill, pid, SIGUSR1);
	t1 = tsc_end();
	*ticks = t1 - t0;
	if (bad)
		return (int)bad;
	return (uint64_t)(sig_caught - before) == n ? 0 : -EPROTO;
}

const struct bench bench_sig_install = {
	.name = "sig-install",
	.summary = "sigaction installing a SIGUSR1 handler (lmbench lat_sig install)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LMBENCH,
	.setup = sig_setup, .sample = install_sample, .teardown = sig_teardown,
};

const struct bench bench_sig_self = {
	.name = "sig-self",
	.summary = "kill(self, SIGUSR1) + handler + sigreturn (lmbench lat_sig catch)",
	.dir = BENCH_PER_CALL,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = sig_setup, .sample = self_sample, .teardown = sig_teardown,
};
