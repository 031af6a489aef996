/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of the GDB remote serial protocol, enough to follow a
 * QEMU guest instruction by instruction from its gdbstub: hardware
 * breakpoints (Z1), continue, single step, register and memory reads.
 * Every call is bounded by the connection's timeout; an error or a
 * closed stub leaves a message in rsp->err and returns -1.
 */
#ifndef SYSLAT_PROF_RSP_H
#define SYSLAT_PROF_RSP_H

#include <stddef.h>
#include <stdint.h>

struct rsp {
	int fd;
	int timeout_ms;		/* per reply; continue waits use their own */
	size_t rlen, rpos;	/* receive buffer */
	char rbuf[65536];
	char err[256];
	uint64_t packets;	/* packets sent, for the rate report */
};

/* The registers the profiler needs, from QEMU's x86_64 'g' layout
 * (i386-64bit.xml then the system registers: rsp at byte 56, rip 128,
 * fs_base 164, cr3 204). */
struct rsp_regs {
	uint64_t rax, rcx, rdx, rsp, rip, cr3, fs_base;
};

int rsp_connect(struct rsp *r, const char *host, int port, int timeout_ms);
/* The same over a connected descriptor (a socketpair in the tests). */
int rsp_open_fd(struct rsp *r, int fd, int timeout_ms);
void rsp_close(struct rsp *r);
/* Send one packet and read its reply payload (NUL terminated). */
int rsp_request(struct rsp *r, const char *cmd, char *reply, size_t cap);
/* Why the target is stopped ("?"): QEMU stops the guest when a debugger
 * connects, so this is how a session starts. */
int rsp_halt_reason(struct rsp *r);
int rsp_hbreak(struct rsp *r, uint64_t addr, int insert);
/* Continue until a stop reply, waiting up to wait_ms. */
int rsp_continue(struct rsp *r, int wait_ms);
int rsp_step(struct rsp *r);
int rsp_regs(struct rsp *r, struct rsp_regs *out);
int rsp_mem(struct rsp *r, uint64_t addr, void *buf, size_t n);
/* Detach, leaving the guest running. */
int rsp_detach(struct rsp *r);

/* Pure helpers (unit tested). */
unsigned rsp_checksum(const char *s, size_t n);
/* Frame a payload as $...#cs into out; length or -1 if it does not fit. */
int rsp_frame(const char *payload, char *out, size_t cap);
/* Decode n bytes of hex into buf; -1 on a bad digit or short input. */
int rsp_unhex(const char *hex, void *buf, size_t n);
/* Little-endian register at byte offset off of a 'g' reply; -1 if short. */
int rsp_reg_at(const char *g, size_t off, size_t size, uint64_t *out);

#endif
