// SPDX-License-Identifier: GPL-2.0
/*
 * The channels of syslat ipc-sweep (sweep.h): how each mechanism is made
 * for a given message size, and why a size it cannot carry is skipped.
 * Loopback sockets bind 127.0.0.1 or ::1 only, on ephemeral ports; a TCP
 * listener is closed as soon as its one connection is accepted, so no
 * listening socket outlives setup. POSIX queues are unlinked as soon as
 * both ends are open, so nothing stays in /dev/mqueue on any exit path.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sweep.h"

enum { O_PIPE, O_UNIX, O_UNIXDG, O_MQ, O_SHM, O_TCP4, O_TCP6, O_UDP4, O_UDP6 };

const struct sweep_mech sweep_mechs[] = {
	{ "pipe", "two pipes", SW_STREAM, O_PIPE },
	{ "unix", "AF_UNIX SOCK_STREAM socketpair", SW_STREAM, O_UNIX },
	{ "unix-dgram", "AF_UNIX SOCK_DGRAM socketpair", SW_DGRAM, O_UNIXDG },
	{ "mq", "two POSIX message queues", SW_MQ, O_MQ },
	{ "shm-futex", "shared buffer, futex hand-off, memcpy in and out", SW_SHM, O_SHM },
	{ "tcp4", "TCP over 127.0.0.1, TCP_NODELAY", SW_STREAM, O_TCP4 },
	{ "tcp6", "TCP over ::1, TCP_NODELAY", SW_STREAM, O_TCP6 },
	{ "udp4", "UDP over 127.0.0.1", SW_DGRAM, O_UDP4 },
	{ "udp6", "UDP over ::1", SW_DGRAM, O_UDP6 },
};
const int sweep_nmechs = sizeof(sweep_mechs) / sizeof(sweep_mechs[0]);

const struct sweep_mech *sweep_mech_find(const char *name)
{
	int i;

	for (i = 0; i < sweep_nmechs; i++)
		if (!strcmp(sweep_mechs[i].name, name))
			return &sweep_mechs[i];
	return NULL;
}

static int loopback(int v6, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
		return AF_INET6;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*len = sizeof(*a);
	return AF_INET;
}

/* A socket bound to the loopback address, port 0 (ephemeral), its name in *ss. */
static int bound(int v6, int type, struct sockaddr_storage *ss, socklen_t *len)
{
	int fam = loopback(v6, ss, len);
	int s = socket(fam, type | SOCK_CLOEXEC, 0), e;

	if (s < 0)
		return -1;
	if (bind(s, (struct sockaddr *)ss, *len) || getsockname(s, (struct sockaddr *)ss, len)) {
		e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static int open_tcp(struct sweep_ch *c, int v6)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, l = bound(v6, SOCK_STREAM, &ss, &len), e = 0;

	if (l < 0)
		return -1;
	if (listen(l, 1))
		goto fail;
	c->fd[0] = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd[0] < 0 || connect(c->fd[0], (struct sockaddr *)&ss, len))
		goto fail;
	c->fd[1] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (c->fd[1] < 0)
		goto fail;
	close(l);	/* no listener outlives setup */
	setsockopt(c->fd[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c->fd[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->tx = c->rx = c->fd[0];
	c->peer_rx = c->peer_tx = c->fd[1];
	return 0;
fail:
	e = errno;
	close(l);
	errno = e;
	return -1;
}

/* Two UDP sockets on loopback connected to each other. */
static int open_udp(struct sweep_ch *c, int v6)
{
	struct sockaddr_storage a, b;
	socklen_t la, lb;
	struct timeval tv = { .tv_sec = 2 };

	c->fd[0] = bound(v6, SOCK_DGRAM, &a, &la);
	if (c->fd[0] < 0)
		return -1;
	c->fd[1] = bound(v6, SOCK_DGRAM, &b, &lb);
	if (c->fd[1] < 0 || connect(c->fd[0], (struct sockaddr *)&b, lb) ||
	    connect(c->fd[1], (struct sockaddr *)&a, la))
		return -1;
	/* A lost datagram must end the run, not hang it. */
	setsockopt(c->fd[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c->tx = c->rx = c->fd[0];
	c->peer_rx = c->peer_tx = c->fd[1];
	return 0;
}

/*
 * Will one datagram of @size fit? Sent once on the empty channel and
 * read back: EMSGSIZE (or ENOBUFS) means it cannot, and is a skip.
 */
static int dgram_fits(struct sweep_ch *c, char *why, size_t whylen)
{
	ssize_t k = send(c->tx, c->buf, c->size, MSG_DONTWAIT);
	int sb = 0;
	socklen_t sl = sizeof(sb);

	if (k == (ssize_t)c->size)
		return recv(c->peer_rx, c->pbuf, c->size, 0) == k ? 0 : -1;
	if (k >= 0 || (errno != EMSGSIZE && errno != ENOBUFS && errno != EAGAIN))
		return -1;
	getsockopt(c->tx, SOL_SOCKET, SO_SNDBUF, &sb, &sl);
	snprintf(why, whylen, "%s: one %zu-byte datagram does not fit (%s; SO_SNDBUF %d)",
		 c->m->name, c->size, strerror(errno), sb);
	return 1;
}

static int open_mq(struct sweep_ch *c, char *why, size_t whylen)
{
	/* A stream needs a queue to fill (8 fits the default msg_max of 10). */
	struct mq_attr at = { .mq_maxmsg = c->stream ? 8 : 1, .mq_msgsize = (long)c->size };
	char name[2][64];
	int i, e;

	for (i = 0; i < 2; i++) {
		snprintf(name[i], sizeof(name[i]), "/syslat-sweep-%d-%p-%d", (int)getpid(),
			 (void *)c, i);
		c->fd[i] = mq_open(name[i], O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &at);
		e = errno;
		if (c->fd[i] >= 0)
			mq_unlink(name[i]);
		if (c->fd[i] < 0) {
			struct rlimit rl = { 0 };
			FILE *f = fopen("/proc/sys/fs/mqueue/msgsize_max", "r");
			long mx = -1;

			if (f && fscanf(f, "%ld", &mx) != 1)
				mx = -1;
			if (f)
				fclose(f);
			getrlimit(RLIMIT_MSGQUEUE, &rl);
			if (e != EINVAL && e != EMFILE && e != ENOMEM)
				return errno = e, -1;
			snprintf(why, whylen, "mq: mq_open with msgsize %zu: %s (fs.mqueue.msgsize_max "
				 "%ld, RLIMIT_MSGQUEUE %llu bytes for all queues)", c->size,
				 strerror(e), mx, (unsigned long long)rl.rlim_cur);
			return 1;
		}
	}
	c->tx = c->fd[0];
	c->peer_rx = c->fd[0];
	c->peer_tx = c->fd[1];
	c->rx = c->fd[1];
	return 0;
}

static int open_fds(struct sweep_ch *c)
{
	int p[2][2];

	switch (c->m->id) {
	case O_PIPE:
		if (pipe2(p[0], O_CLOEXEC))
			return -1;
		c->fd[0] = p[0][0];
		c->fd[1] = p[0][1];
		if (pipe2(p[1], O_CLOEXEC))
			return -1;
		c->fd[2] = p[1][0];
		c->fd[3] = p[1][1];
		c->tx = c->fd[1];
		c->peer_rx = c->fd[0];
		c->peer_tx = c->fd[3];
		c->rx = c->fd[2];
		return 0;
	case O_UNIX:
	case O_UNIXDG:
		if (socketpair(AF_UNIX, (c->m->id == O_UNIX ? SOCK_STREAM : SOCK_DGRAM) |
			       SOCK_CLOEXEC, 0, p[0]))
			return -1;
		c->fd[0] = c->tx = c->rx = p[0][0];
		c->fd[1] = c->peer_rx = c->peer_tx = p[0][1];
		return 0;
	case O_TCP4:
	case O_TCP6:
		return open_tcp(c, c->m->id == O_TCP6);
	default:
		return open_udp(c, c->m->id == O_UDP6);
	}
}

int sweep_ch_open(struct sweep_ch *c, const struct sweep_mech *m, size_t size,
		  char *why, size_t whylen)
{
	size_t lim = m->id == O_UDP4 ? 65507 : m->id == O_UDP6 ? 65527 : 0;
	int rc;

	c->m = m;
	c->size = size;
	c->fd[0] = c->fd[1] = c->fd[2] = c->fd[3] = -1;
	if (c->stream && (m->kind == SW_SHM || lim)) {
		snprintf(why, whylen, "%s: no stream: %s", m->name, lim ?
			 "UDP has no flow control, a stream would measure drops" :
			 "one shared buffer handed back and forth is a ping-pong");
		return 1;
	}
	if (lim && size > lim) {
		snprintf(why, whylen, "%s: %zu bytes is above the largest UDP payload (%zu)",
			 m->name, size, lim);
		return 1;
	}
	c->buf = malloc(size);
	c->pbuf = malloc(size);
	if (m->kind == SW_SHM)	/* shared with a process peer too */
		c->shm = ipc_shared_alloc(size);
	if (!c->buf || !c->pbuf || (m->kind == SW_SHM && !c->shm))
		return fprintf(stderr, "ipc-sweep: %s: out of memory\n", m->name), -ENOMEM;
	memset(c->buf, IPC_MSG_BYTE, size);
	if (m->kind == SW_SHM)
		return 0;
	rc = m->kind == SW_MQ ? open_mq(c, why, whylen) : open_fds(c) ? -1 : 0;
	if (rc == 0 && m->kind == SW_DGRAM)
		rc = dgram_fits(c, why, whylen);
	if (rc < 0) {
		rc = -errno;
		fprintf(stderr, "ipc-sweep: %s: making the channel for %zu bytes: %s\n",
			m->name, size, strerror(-rc));
	}
	return rc;
}

void sweep_ch_close(struct sweep_ch *c)
{
	int i;

	for (i = 0; i < 4; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);	/* mqd_t is a descriptor on Linux */
	c->fd[0] = c->fd[1] = c->fd[2] = c->fd[3] = -1;
	free(c->buf);
	free(c->pbuf);
	if (c->shm)
		ipc_shared_free(c->shm, c->size);
	c->buf = c->pbuf = c->shm = NULL;
}
