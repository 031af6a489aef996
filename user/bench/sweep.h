/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syslat ipc-sweep: ping-pong of @size-byte messages over one mechanism,
 * swept over sizes, with N independent pairs at once.
 *
 * One channel (struct sweep_ch) joins a measuring thread and a peer
 * thread (ipc.c starts and stops the peer, poisons on its failure). A
 * round trip is: we send @size bytes, the peer receives all of them and
 * sends @size bytes back, we receive them. The figures are the round-trip
 * time and the ping-pong bandwidth 2 * size / round trip (bytes moved
 * per second, both directions counted).
 *
 * A stream (lmbench bw_pipe, bw_unix, bw_tcp) is the other traffic: we
 * send N messages of @size bytes without waiting, the peer reads them
 * all and answers with one byte; the streaming bandwidth is N * size /
 * that time (one direction). Only mechanisms with flow control stream
 * (a blocked sender, not a dropped message): not UDP, not the single
 * shared buffer.
 *
 * sweep-chan.c makes and closes the channels (and says why a size is
 * skipped), sweep-pp.c holds the timed loop and the peer body,
 * sweep-run.c the threads, rounds and statistics, sweep-out.c the output.
 */
#ifndef SYSLAT_SWEEP_H
#define SYSLAT_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "ipc.h"
#include "stats.h"
#include "topo.h"

struct tsc_info;

enum sweep_kind { SW_STREAM, SW_DGRAM, SW_MQ, SW_SHM };

struct sweep_mech {
	const char *name;	/* "pipe", "tcp4" ... */
	const char *what;	/* for notes and --help */
	enum sweep_kind kind;
	int id;			/* which open() (sweep-chan.c) */
};

extern const struct sweep_mech sweep_mechs[];
extern const int sweep_nmechs;
const struct sweep_mech *sweep_mech_find(const char *name);

struct sweep_ch {
	struct ipc_peer peer;
	const struct sweep_mech *m;
	size_t size;
	int fd[4];		/* each once, for close; -1 unused */
	int tx, rx;		/* ours */
	int peer_rx, peer_tx;	/* the peer's */
	uint32_t word;		/* SW_SHM hand-off: 1 to peer, 2 to us, 3 poison */
	char *shm;		/* SW_SHM shared message buffer */
	char *buf, *pbuf;	/* ours and the peer's private buffers */
	int stream;		/* 1: N messages one way, then a 1-byte ack */
	int priv;		/* futex: private (thread peer) or shared (process) */
	uint64_t chunks;	/* stream: messages in this round, set before the first */
	struct timespec deadline;	/* stream over mq: give up sending after it */
};

/*
 * Make the channel for @size bytes: 0; 1 with @why filled when the
 * mechanism cannot carry that size here (skipped, not an error); -errno
 * with a message printed. sweep_ch_close() is safe on any state.
 */
int sweep_ch_open(struct sweep_ch *c, const struct sweep_mech *m, size_t size,
		  char *why, size_t whylen);
void sweep_ch_close(struct sweep_ch *c);

/* Peer body, poison and kick for ipc_peer_start/stop (sweep-pp.c). */
int sweep_peer(void *arg);
void sweep_poison(void *arg);
void sweep_kick(void *arg);
/* @n round trips: 0 and *ticks, or -errno / poison handled (message printed). */
int sweep_sample(struct sweep_ch *c, uint64_t n, uint64_t *ticks);

#define SWEEP_MAX_SIZES 64
/*
 * A stream over mq whose sends are not all queued this long after the
 * sample's start: the reader is gone. One deadline per sample, not per
 * message (no clock read in the timed loop); a calibrated sample lasts
 * about --round-ms (at most 1 s), far below it.
 */
#define SWEEP_STREAM_STALL_S 10
#define SWEEP_PINGPONG 1
#define SWEEP_STREAM 2
#define SWEEP_MAX_PAIRS 64


/* One (mechanism, size, pair count) cell; pair -1 is the aggregate. */
struct sweep_res {
	const struct sweep_mech *m;
	size_t size;
	int npairs, pair;
	int stream;			/* 0 ping-pong, 1 stream */
	int skipped;
	char why[160];
	struct topo_ids where, peer_where;	/* pair rows */
	uint64_t iters;			/* round trips (stream: messages) per round */
	struct stats rtt;		/* ns per round trip (stream: per message), over rounds */
	struct stats bw;		/* bytes/s, over rounds (aggregate: sum of pairs) */
	double scaling;			/* aggregate bw / 1-pair bw; NaN if not run */
};

struct sweep_cfg {
	const struct sweep_mech *mech[16];
	int nmech;
	size_t size[SWEEP_MAX_SIZES];
	int nsize;
	int pairs;
	int process;			/* peers are processes, not threads */
	int traffic;			/* SWEEP_PINGPONG | SWEEP_STREAM */
	const char *placement;		/* same, cross, smt, llc, package */
	int cpus[SWEEP_MAX_PAIRS * 2];	/* allowed CPUs, in order */
	int ncpu;
	int pair_cpu[SWEEP_MAX_PAIRS], pair_peer[SWEEP_MAX_PAIRS];	/* per pair */
	uint64_t rounds;
	uint64_t round_ms;
	const struct tsc_info *tsc;
	volatile int *stop;		/* set by a signal: end after the cell running */
	int interrupted;		/* stopped early; the rows so far are kept */
	/* Results: for each mechanism, size: 1 pair row, then (pairs > 1)
	 * the pair rows and the aggregate row. */
	struct sweep_res *res;
	size_t nres, cap;
};

/* Run everything; results appended to cfg->res. 0, or 1 on a failure. */
/* Fill pair_cpu/pair_peer from cpus[] and placement: 0, or 2 (message printed). */
int sweep_place(struct sweep_cfg *cfg);
int sweep_run(struct sweep_cfg *cfg);
void sweep_free(struct sweep_cfg *cfg);

void sweep_print_table(FILE *f, const struct sweep_cfg *cfg);
void sweep_print_csv(FILE *f, const struct sweep_cfg *cfg);
void sweep_print_json(FILE *f, const struct sweep_cfg *cfg, int argc, char **argv);
int sweep_svg(const struct sweep_cfg *cfg, const char *path);	/* 0 or -errno */

#endif
