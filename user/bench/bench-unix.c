// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX stream ping-pong (lmbench lat_unix): one socketpair, the
 * measuring thread writes IPC_MSG_SIZE bytes on sv[0], the peer reads them
 * on sv[1] and writes them back. Unlike a pipe, each end is bidirectional,
 * so one pair is enough. read()/write() as lat_unix does, not send/recv:
 * the ping-pong itself is the byte-stream one shared with bench-pipe.c
 * (ipc-pp.c).
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include "bench.h"
#include "ipc.h"

/* fd[0] (sv[0]) is ours both ways, fd[1] (sv[1]) the peer's. */
static int unix_open(struct ipc_stream *s)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s->fd))
		return -1;
	s->tx = s->rx = s->fd[0];
	s->peer_rx = s->peer_tx = s->fd[1];
	return 0;
}

static const struct ipc_stream_desc unix_desc = {
	.name = "unix",
	.call = "socketpair",
	.over = "an AF_UNIX stream socketpair",
	.open = unix_open,
};

static int unix_setup(struct bench_run *r)
{
	return ipc_stream_setup(r, &unix_desc);
}

const struct bench bench_unix = {
	.name = "unix",
	.summary = "AF_UNIX stream socketpair ping-pong between two tasks (1-byte message)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = unix_setup,
	.sample = ipc_stream_sample,
	.teardown = ipc_stream_teardown,
};
