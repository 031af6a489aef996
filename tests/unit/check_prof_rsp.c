// SPDX-License-Identifier: GPL-2.0
/* The GDB remote protocol client against a scripted fake stub on a
 * socketpair: QEMU's unsolicited stop packet at connect, acks, "OK" that
 * is not console output, run-length encoding, a bad checksum, a stub that
 * goes away. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prof-rsp.h"

static void put(int fd, const char *payload, int ack)
{
	char buf[4096];
	int n = rsp_frame(payload, buf + ack, sizeof(buf) - 1);

	if (ack)
		buf[0] = '+';
	if (write(fd, buf, (size_t)(n + ack)) < 0)
		_exit(3);
}

/* Read one request packet "$...#cs" (skipping acks); 0 at EOF. */
static int get(int fd, char *out, size_t cap)
{
	size_t n = 0;
	int tail = -1;
	char c;

	while (read(fd, &c, 1) == 1) {
		if (!n && c != '$')
			continue;
		if (n + 1 < cap)
			out[n++] = c;
		if (tail < 0 && c == '#')
			tail = 0;
		else if (tail >= 0 && ++tail == 2)
			break;
	}
	out[n] = '\0';
	return (int)n;
}

/* Registers: rax=0x11, rcx=0x22, rdx=0x33, rsp at byte 56, rip at 128,
 * fs_base at 164, cr3 at 204; the rest zero, sent run-length encoded. */
static void regs_reply(char *out)
{
	static const struct { int off; const char *le; } r[] = {
		{ 0, "11" }, { 16, "22" }, { 24, "33" }, { 56, "08f0ffffff7f0000" },
		{ 128, "8000e081ffffffff" }, { 164, "00a0f7f7ff7f0000" }, { 204, "00e0450400000000" },
	};
	char hex[2 * 240 + 1];
	size_t i;

	memset(hex, '0', sizeof(hex) - 1);
	hex[sizeof(hex) - 1] = '\0';
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		memcpy(hex + 2 * r[i].off, r[i].le, strlen(r[i].le));
	strcpy(out, hex);
}

static void stub(int fd)
{
	char req[512], regs[600];

	put(fd, "T02thread:01;", 0);			/* on connect, unasked */
	if (!get(fd, req, sizeof(req)) || !strstr(req, "$?#"))
		_exit(4);
	put(fd, "T05thread:01;", 1);
	if (!get(fd, req, sizeof(req)) || !strstr(req, "Z1,ffffffff81e00080,1"))
		_exit(5);
	put(fd, "OK", 1);
	if (!get(fd, req, sizeof(req)) || !strstr(req, "$g#"))
		_exit(6);
	regs_reply(regs);
	put(fd, regs, 1);
	if (!get(fd, req, sizeof(req)) || !strstr(req, "$mffffffff81e00080,2#"))
		_exit(7);
	if (write(fd, "+$0f*!#00", 9) < 0)	/* "0f" then 4 more 'f': bad checksum */
		_exit(8);
	if (!get(fd, req, sizeof(req)))
		_exit(9);
	put(fd, "0*\"", 1);				/* "000000", run-length encoded */
	if (!get(fd, req, sizeof(req)))
		_exit(10);
	_exit(0);					/* and goes away before replying */
}

START_TEST(fake_stub)
{
	struct rsp r;
	struct rsp_regs g;
	unsigned char b[3];
	int sv[2], st;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		stub(sv[1]);
	}
	close(sv[1]);
	ck_assert_msg(rsp_open_fd(&r, sv[0], 2000) == 0, "%s", r.err);
	ck_assert_msg(rsp_halt_reason(&r) == 0, "%s", r.err);
	ck_assert_msg(rsp_hbreak(&r, 0xffffffff81e00080ULL, 1) == 0, "%s", r.err);
	ck_assert_msg(rsp_regs(&r, &g) == 0, "%s", r.err);
	ck_assert_uint_eq(g.rax, 0x11);
	ck_assert_uint_eq(g.rcx, 0x22);
	ck_assert_uint_eq(g.rdx, 0x33);
	ck_assert_uint_eq(g.rsp, 0x7ffffffff008ULL);
	ck_assert_uint_eq(g.rip, 0xffffffff81e00080ULL);
	ck_assert_uint_eq(g.fs_base, 0x7ffff7f7a000ULL);
	ck_assert_uint_eq(g.cr3, 0x445e000ULL);
	ck_assert_int_eq(rsp_mem(&r, 0xffffffff81e00080ULL, b, 2), -1);
	ck_assert_ptr_nonnull(strstr(r.err, "checksum"));
	memset(b, 0xff, sizeof(b));
	ck_assert_msg(rsp_mem(&r, 0xffffffff81e00080ULL, b, 3) == 0, "%s", r.err);
	ck_assert_uint_eq(b[0] | b[1] | b[2], 0);
	ck_assert_int_eq(rsp_step(&r), -1);
	ck_assert_msg(strstr(r.err, "closed the connection") != NULL, "%s", r.err);
	rsp_close(&r);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(silent_stub)
{
	struct rsp r;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(rsp_open_fd(&r, sv[0], 100), -1);	/* never says T02 */
	ck_assert_ptr_nonnull(strstr(r.err, "no reply within 100 ms"));
	rsp_close(&r);
	close(sv[1]);
}
END_TEST

Suite *prof_rsp_suite(void)
{
	Suite *s = suite_create("prof_rsp");
	TCase *tc = tcase_create("core");

	signal(SIGPIPE, SIG_IGN);
	tcase_add_test(tc, fake_stub);
	tcase_add_test(tc, silent_stub);
	suite_add_tcase(s, tc);
	return s;
}
