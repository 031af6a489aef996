/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared ping-pong machinery for the IPC and context-switch benchmarks.
 *
 * A benchmark keeps its whole state, including one struct ipc_peer per
 * peer, in memory from ipc_shared_alloc() (MAP_SHARED | MAP_ANONYMOUS), so
 * the same code works whether the peer is a thread or a forked process.
 *
 * Life cycle:
 *   setup:    ipc_shared_alloc(); create the channel; set p->poison;
 *             ipc_peer_start() (returns once the peer runs pinned, i.e.
 *             behind a barrier); ipc_peer_where() fills r->peer_where.
 *   sample:   the benchmark's own inline send/receive loop.
 *   teardown: ipc_peer_stop(): sets the peer's stop flag, calls the
 *             benchmark's kick() to wake it (one final message), waits for
 *             it with a timeout (a process that does not exit is killed).
 *
 * Peer bodies loop "receive; if stop, return 0; reply" and return 0 or
 * -errno. They never print from the hot loop.
 *
 * A peer that dies (process) or fails (thread) must not leave the
 * measuring thread blocked for ever on a channel without EOF (eventfd,
 * futex, mq). A signal alone cannot do it: it may arrive just before the
 * blocking call. So the benchmark supplies poison(): it puts a value the
 * measuring side recognises into the measuring side's receive channel
 * (a 'D' byte, a huge eventfd count, futex word 2), which persists until
 * read. A failing thread peer calls it itself; for a process peer a
 * SIGCHLD handler, installed before the fork, checks with waitid(WNOWAIT)
 * that it was our peer that died and calls it. poison() must be
 * async-signal-safe and must not block.
 */
#ifndef SYSLAT_IPC_H
#define SYSLAT_IPC_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

struct bench_run;

/* Message size of the byte-stream and message ping-pongs (pipe, unix, mq). */
#define IPC_MSG_SIZE 1
#define IPC_MSG_BYTE 'x'	/* what a message holds */
#define IPC_POISON_BYTE 'D'	/* what poison() sends instead: peer is gone */

struct ipc_peer {
	int (*fn)(void *arg);	/* peer body: 0 or -errno */
	void *arg;
	void (*poison)(void *arg);	/* set before ipc_peer_start(), may be NULL */
	void *poison_arg;
	int is_process;
	int cpu;		/* CPU it was asked to run on */
	pthread_t thread;
	pid_t pid;
	int running;		/* started and not yet joined/reaped */
	int watched;		/* in the SIGCHLD handler's list */
	/* Written by the peer (or the handler), read by the parent. */
	uint32_t ready;		/* futex word, 1 once the peer runs pinned */
	volatile int where;	/* sched_getcpu() at start of the body */
	volatile int where_end;	/* sched_getcpu() when the body returned */
	volatile int exited;	/* body returned */
	volatile int rc;	/* its return value */
	volatile int gone;	/* died or failed; poison() was called */
	/* Written by the parent, read by the peer. */
	volatile int stop;
};

/* Zeroed shared anonymous memory, or NULL with errno set. */
void *ipc_shared_alloc(size_t size);
void ipc_shared_free(void *p, size_t size);

/* Thread or process per r->use_process / r->opt->process. */
int ipc_use_process(const struct bench_run *r);

/*
 * Start fn(arg) on @cpu as a thread or a process and wait until it runs.
 * @p must live in ipc_shared_alloc() memory. 0 or -errno (message printed).
 */
int ipc_peer_start(struct ipc_peer *p, const char *who, int cpu, int process,
		   int (*fn)(void *), void *arg);

/*
 * Tell the peer to stop: set p->stop, call kick(karg) (may be NULL) so a
 * blocked peer sees it, then wait up to two seconds. 0, the peer's own
 * negative return value, or -ETIMEDOUT. A thread that did not return
 * leaves p->running set: its memory must then be leaked, not freed.
 */
int ipc_peer_stop(struct ipc_peer *p, const char *who,
		  void (*kick)(void *), void *karg);

/* Is the peer still there? (Does not reap: ipc_peer_stop() does.) */
int ipc_peer_alive(struct ipc_peer *p);

/* After poison was received or p->gone seen: message, -ECHILD or the peer's error. */
int ipc_peer_error(struct ipc_peer *p, const char *who);

/*
 * The tail of every ping-pong sample(), after its timed loop: @rc 1 means
 * poison (the peer is gone), < 0 an error of the @what step ("round
 * trip"); otherwise *ticks = t1 - t0 and 0.
 */
int ipc_sample_done(struct ipc_peer *p, const char *who, const char *what, int rc,
		    uint64_t t0, uint64_t t1, uint64_t *ticks);

/* r->peer_where = "cpu N (thread|process)" from what the peer recorded. */
void ipc_peer_where(struct bench_run *r, const struct ipc_peer *p);

/* Context switches (voluntary + involuntary) of the calling thread so far, or -errno. */
long ipc_thread_switches(void);
/* The same for a process, from /proc/PID/status (its main thread), or -errno. */
long ipc_proc_switches(pid_t pid);

/* futex(2) wrappers: shared (not PRIVATE) unless @priv. Raw return. */
long ipc_futex_wait(uint32_t *w, uint32_t val, int priv,
		    const struct timespec *timeout);
long ipc_futex_wake(uint32_t *w, int nr, int priv);

/*
 * futex ping-pong shared by bench-futex.c (peer on @peer_cpu) and
 * bench-futex-switch.c (peer on the measuring CPU). One sample iteration
 * is two hand-offs: ours to the peer and the peer's back.
 */
int futex_pp_setup(struct bench_run *r, const char *who, int peer_cpu);
int futex_pp_sample(struct bench_run *r, uint64_t n, uint64_t *ticks);
void futex_pp_teardown(struct bench_run *r);

/*
 * The steps every ping-pong setup and teardown share (ipc-pp.c), so each
 * benchmark writes only what differs: its channel, poison, kick.
 *
 * ipc_pp_alloc(): ipc_shared_alloc() of @size into r->priv, or NULL with
 * errno set and a message printed.
 * ipc_pp_start(): set the poison, ipc_peer_start() the peer body @fn on
 * r->peer_cpu, record where it runs, r->divisor = 1. 0 or -errno; on
 * failure the caller tears down.
 * ipc_pp_stop(): ipc_peer_stop() and record where the peer ran. 0, or
 * -EBUSY while a stuck thread still uses the state: leak it, do not free.
 */
void *ipc_pp_alloc(struct bench_run *r, size_t size, const char *who);
int ipc_pp_start(struct bench_run *r, struct ipc_peer *p, const char *who,
		 int (*fn)(void *), void (*poison)(void *), void *arg);
int ipc_pp_stop(struct bench_run *r, struct ipc_peer *p, const char *who,
		void (*kick)(void *), void *karg);

/*
 * Byte-stream ping-pong over file descriptors (pipe, unix): IPC_MSG_SIZE
 * bytes written by us, read and written back by the peer. The benchmarks
 * differ only in how the descriptors are made, which struct
 * ipc_stream_desc says; setup, the timed loop, the peer body, poison and
 * teardown are one code (ipc-pp.c). The loop reads its descriptors from
 * struct fields, so nothing is called through a pointer inside the
 * timed window.
 */
struct ipc_stream;

struct ipc_stream_desc {
	const char *name;	/* "pipe": message prefix and peer label */
	const char *call;	/* "pipe()": named when open() fails */
	const char *over;	/* "two pipes": completes the note */
	/* Fill fd[] and the four roles: 0, or -1 with errno set. */
	int (*open)(struct ipc_stream *s);
};

struct ipc_stream {
	struct ipc_peer peer;
	const struct ipc_stream_desc *d;
	int fd[4];		/* each descriptor once, for close; -1 unused */
	int tx, rx;		/* ours: to the peer, from the peer */
	int peer_rx, peer_tx;	/* the peer's; poison writes on peer_tx */
	/* Own cache lines, so a thread peer's writes do not bounce ours. */
	char buf[IPC_MSG_SIZE] __attribute__((aligned(64)));
	char pbuf[IPC_MSG_SIZE] __attribute__((aligned(64)));
};

/* struct bench callbacks; setup is wrapped per benchmark to pass @d. */
int ipc_stream_setup(struct bench_run *r, const struct ipc_stream_desc *d);
int ipc_stream_sample(struct bench_run *r, uint64_t n, uint64_t *ticks);
void ipc_stream_teardown(struct bench_run *r);

/*
 * Blocking write/read of exactly @len bytes for the hot loops. EINTR is
 * retried: the run's SIGINT handler only sets a flag, and a dead peer is
 * reported through poison, not through EINTR. 0 or -errno; -EPIPE on EOF.
 * Two loops rather than one with a direction flag: they differ in EOF
 * (read only) and const-ness, and this is the code inside the timed window.
 */
static inline int ipc_write(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len) {
		ssize_t k = write(fd, b, len);

		if (__builtin_expect(k < 0, 0)) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += k;
		len -= (size_t)k;
	}
	return 0;
}

static inline int ipc_read(int fd, void *buf, size_t len)
{
	char *b = buf;

	while (len) {
		ssize_t k = read(fd, b, len);

		if (__builtin_expect(k <= 0, 0)) {
			if (k == 0)
				return -EPIPE;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += k;
		len -= (size_t)k;
	}
	return 0;
}

#endif
