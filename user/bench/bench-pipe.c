// SPDX-License-Identifier: GPL-2.0
/*
 * Pipe ping-pong (lmbench lat_pipe, perf bench sched pipe): the measuring
 * thread writes IPC_MSG_SIZE bytes into one pipe, the peer reads them and
 * writes them back through a second pipe. Two pipes, because with one the
 * writer could read its own message back. The ping-pong itself is the
 * byte-stream one shared with bench-unix.c (ipc-pp.c).
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "bench.h"
#include "ipc.h"

/* fd[0], fd[1]: the pipe to the peer; fd[2], fd[3]: the one back to us. */
static int pipe_open(struct ipc_stream *s)
{
	if (pipe(s->fd) || pipe(s->fd + 2))
		return -1;
	s->peer_rx = s->fd[0];
	s->tx = s->fd[1];
	s->rx = s->fd[2];
	s->peer_tx = s->fd[3];
	return 0;
}

static const struct ipc_stream_desc pipe_desc = {
	.name = "pipe",
	.call = "pipe()",
	.over = "two pipes",
	.open = pipe_open,
};

static int pipe_setup(struct bench_run *r)
{
	return ipc_stream_setup(r, &pipe_desc);
}

const struct bench bench_pipe = {
	.name = "pipe",
	.summary = "pipe ping-pong between two tasks (1-byte message)",
	.dir = BENCH_ROUND_TRIP,
	.needs_peer = 1,
	.in_suite = 1,
	.suites = SUITE_LEBENCH | SUITE_LMBENCH,
	.setup = pipe_setup,
	.sample = ipc_stream_sample,
	.teardown = ipc_stream_teardown,
};
