/* SPDX-License-Identifier: GPL-2.0 */
/*
 * N descriptors for the select / poll / epoll sweeps (evfds.c): eventfds,
 * one descriptor each, either all readable ("ready": counter 1, never
 * read, so they stay readable) or none ("idle": counter 0). Every call
 * waits with a zero timeout, as lmbench lat_select, so "idle" measures
 * the scan of N descriptors that are not ready, never a sleep.
 */
#ifndef SYSLAT_EVFDS_H
#define SYSLAT_EVFDS_H

#define EVFDS_MAX 1000

struct bench_run;

struct evfds {
	int n, ready;
	int fd[EVFDS_MAX];
	int maxfd;
};

/*
 * Open @n eventfds (raising RLIMIT_NOFILE's soft limit if needed). With
 * @below_fd_setsize every fd must fit select()'s FD_SETSIZE. 0, -errno,
 * or BENCH_SKIP with the reason in r->note; on failure nothing stays open.
 */
int evfds_open(struct bench_run *r, struct evfds *e, int n, int ready, int below_fd_setsize);
void evfds_close(struct evfds *e);
/* "N eventfds, all readable" / "N eventfds, none ready", zero timeout */
void evfds_note(struct bench_run *r, const struct evfds *e, const char *call);

/* The name and summary of sweep point (N, ready) of @call, for the macros. */
#define EVFDS_NAME(call, N, st) call "-" #N "-" st
#define EVFDS_SUM(call, N, st) call " on " #N " eventfds, " st ", zero timeout"

#endif
