// SPDX-License-Identifier: GPL-2.0
/*
 * GDB remote serial protocol client (prof-rsp.h). One request in flight
 * at a time; replies are read into a buffer with poll() bounding every
 * wait, so a guest that dies or a stub that closes never hangs us.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "prof-rsp.h"
#include "prof-walk.h"

#define G_RSP	56
#define G_RIP	128
#define G_FSBASE	164
#define G_CR3	204

static int stop_reply(struct rsp *r, const char *reply);

static int fail(struct rsp *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

unsigned rsp_checksum(const char *s, size_t n)
{
	unsigned c = 0;

	while (n--)
		c += (unsigned char)*s++;
	return c & 0xff;
}

int rsp_frame(const char *payload, char *out, size_t cap)
{
	size_t n = strlen(payload);
	int len;

	if (n + 5 > cap)
		return -1;
	len = snprintf(out, cap, "$%s#%02x", payload, rsp_checksum(payload, n));
	return len < 0 || (size_t)len >= cap ? -1 : len;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int rsp_unhex(const char *hex, void *buf, size_t n)
{
	unsigned char *b = buf;
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = hexval((unsigned char)hex[2 * i]);
		int lo = hi < 0 ? -1 : hexval((unsigned char)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int rsp_reg_at(const char *g, size_t off, size_t size, uint64_t *out)
{
	unsigned char b[8];
	uint64_t v = 0;
	size_t i;

	if (size > 8 || strlen(g) < 2 * (off + size) || rsp_unhex(g + 2 * off, b, size))
		return -1;
	for (i = size; i-- > 0;)
		v = v << 8 | b[i];
	*out = v;
	return 0;
}

/* One byte from the stub, waiting at most ms; -1 on timeout/EOF. */
static int getbyte(struct rsp *r, int ms)
{
	if (r->rpos == r->rlen) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN };
		ssize_t n;
		int pr;

		do
			pr = poll(&p, 1, ms);
		while (pr < 0 && errno == EINTR && !prof_walk_stop);
		if (pr < 0 && prof_walk_stop)
			return fail(r, "interrupted");
		if (pr == 0)
			return fail(r, "gdbstub: no reply within %d ms", ms);
		if (pr < 0)
			return fail(r, "gdbstub: poll: %s", strerror(errno));
		n = read(r->fd, r->rbuf, sizeof(r->rbuf));
		if (n == 0)
			return fail(r, "gdbstub closed the connection (guest gone?)");
		if (n < 0)
			return fail(r, "gdbstub: read: %s", strerror(errno));
		r->rlen = (size_t)n;
		r->rpos = 0;
	}
	return (unsigned char)r->rbuf[r->rpos++];
}

static int sendall(struct rsp *r, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(r->fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail(r, "gdbstub: send: %s", w < 0 ? strerror(errno) : "closed");
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read one $packet#cs, unescaped and run-length expanded, into out. */
static int getpacket(struct rsp *r, char *out, size_t cap, int ms)
{
	size_t n = 0;
	unsigned sum = 0;
	int c, hi, lo;

	do {
		c = getbyte(r, ms);
		if (c < 0)
			return -1;
	} while (c != '$');
	while ((c = getbyte(r, ms)) != '#') {
		if (c < 0)
			return -1;
		sum += (unsigned)c;
		if (c == '}') {
			c = getbyte(r, ms);
			if (c < 0)
				return -1;
			sum += (unsigned)c;
			c ^= 0x20;
		} else if (c == '*' && n > 0) {
			int k = getbyte(r, ms);

			if (k < 0)
				return -1;
			sum += (unsigned)k;
			for (k -= 29; k > 0 && n + 1 < cap; k--, n++)
				out[n] = out[n - 1];
			continue;
		}
		if (n + 1 >= cap)
			return fail(r, "gdbstub: reply longer than %zu bytes", cap);
		out[n++] = (char)c;
	}
	out[n] = '\0';
	hi = getbyte(r, ms);
	lo = hi < 0 ? -1 : getbyte(r, ms);
	if (lo < 0)
		return -1;
	if (hexval(hi) < 0 || hexval(lo) < 0 ||
	    (unsigned)(hexval(hi) << 4 | hexval(lo)) != (sum & 0xff))
		return fail(r, "gdbstub: bad checksum on a reply");
	if (sendall(r, "+", 1))
		return -1;
	return 0;
}

static int sendpacket(struct rsp *r, const char *cmd)
{
	char buf[512];
	int len = rsp_frame(cmd, buf, sizeof(buf)), c;

	if (len < 0)
		return fail(r, "gdbstub: request too long");
	r->packets++;
	if (sendall(r, buf, (size_t)len))
		return -1;
	c = getbyte(r, r->timeout_ms);
	if (c < 0)
		return -1;
	return c == '+' ? 0 : fail(r, "gdbstub: request not acknowledged ('%c')", c);
}

static int wait_reply(struct rsp *r, char *reply, size_t cap, int ms)
{
	/* Console output packets (O...) may come before a stop reply. */
	do {
		if (getpacket(r, reply, cap, ms))
			return -1;
	} while (reply[0] == 'O' && reply[1] && strcmp(reply, "OK"));
	return 0;
}

int rsp_request(struct rsp *r, const char *cmd, char *reply, size_t cap)
{
	if (sendpacket(r, cmd) || wait_reply(r, reply, cap, r->timeout_ms))
		return -1;
	if (reply[0] == 'E' && strlen(reply) == 3)
		return fail(r, "gdbstub: '%.20s' failed: %s", cmd, reply);
	return 0;
}

int rsp_open_fd(struct rsp *r, int fd, int timeout_ms)
{
	char reply[256];

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->timeout_ms = timeout_ms;
	/* QEMU stops the guest when a debugger connects and says so with an
	 * unsolicited stop packet (T02): take it before the first request. */
	if (getpacket(r, reply, sizeof(reply), timeout_ms))
		return -1;
	return stop_reply(r, reply);
}

int rsp_connect(struct rsp *r, const char *host, int port, int timeout_ms)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return fail(r, "bad gdbstub address '%s'", host);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(r, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fail(r, "connect to gdbstub %s:%d: %s", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return rsp_open_fd(r, fd, timeout_ms);
}

void rsp_close(struct rsp *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

static int stop_reply(struct rsp *r, const char *reply)
{
	if (reply[0] == 'T' || reply[0] == 'S')
		return 0;
	if (reply[0] == 'W' || reply[0] == 'X')
		return fail(r, "the guest exited (stop reply '%.8s')", reply);
	return fail(r, "gdbstub: unexpected stop reply '%.20s'", reply);
}

int rsp_hbreak(struct rsp *r, uint64_t addr, int insert)
{
	char cmd[64], reply[64];

	snprintf(cmd, sizeof(cmd), "%c1,%llx,1", insert ? 'Z' : 'z', (unsigned long long)addr);
	if (rsp_request(r, cmd, reply, sizeof(reply)))
		return -1;
	return strcmp(reply, "OK") ? fail(r, "gdbstub refused %s: '%s'", cmd, reply) : 0;
}

int rsp_continue(struct rsp *r, int wait_ms)
{
	char reply[512];

	if (sendpacket(r, "c") || wait_reply(r, reply, sizeof(reply), wait_ms))
		return -1;
	return stop_reply(r, reply);
}

int rsp_step(struct rsp *r)
{
	char reply[512];

	if (sendpacket(r, "s") || wait_reply(r, reply, sizeof(reply), r->timeout_ms))
		return -1;
	return stop_reply(r, reply);
}

int rsp_regs(struct rsp *r, struct rsp_regs *o)
{
	static char g[16384];

	if (rsp_request(r, "g", g, sizeof(g)))
		return -1;
	if (rsp_reg_at(g, 0, 8, &o->rax) || rsp_reg_at(g, 16, 8, &o->rcx) ||
	    rsp_reg_at(g, 24, 8, &o->rdx) ||
	    rsp_reg_at(g, G_RSP, 8, &o->rsp) || rsp_reg_at(g, G_RIP, 8, &o->rip) ||
	    rsp_reg_at(g, G_CR3, 8, &o->cr3) || rsp_reg_at(g, G_FSBASE, 8, &o->fs_base))
		return fail(r, "gdbstub: 'g' reply of %zu hex digits is not QEMU's x86_64 layout",
			    strlen(g));
	return 0;
}

int rsp_mem(struct rsp *r, uint64_t addr, void *buf, size_t n)
{
	char cmd[64], reply[1024];

	if (n > 256)
		return fail(r, "rsp_mem: %zu bytes at once is too many", n);
	snprintf(cmd, sizeof(cmd), "m%llx,%zx", (unsigned long long)addr, n);
	if (rsp_request(r, cmd, reply, sizeof(reply)))
		return -1;
	if (strlen(reply) != 2 * n || rsp_unhex(reply, buf, n))
		return fail(r, "gdbstub: cannot read %zu bytes at 0x%llx ('%.8s')", n,
			    (unsigned long long)addr, reply);
	return 0;
}

int rsp_detach(struct rsp *r)
{
	char reply[64];

	return rsp_request(r, "D", reply, sizeof(reply));
}

int rsp_halt_reason(struct rsp *r)
{
	char reply[512];

	if (rsp_request(r, "?", reply, sizeof(reply)))
		return -1;
	return stop_reply(r, reply);
}
