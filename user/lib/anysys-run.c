// SPDX-License-Identifier: GPL-2.0
/* Phases of ordinary system calls with the module's trace ring (anysys-run.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "anysys-run.h"
#include "anysys.h"
#include "kmod.h"
#include "phase-run.h"
#include "rawsys.h"

enum op_fd { FD_NONE, FD_ZERO, FD_NULL, FD_PIPE_R, FD_PIPE_W };
enum op_expect { EXP_CONST, EXP_PPID, EXP_PID };

/*
 * One stamped system call of a benchmark, issued as the benchmark's loop
 * issues it (raw `syscall` inlined; no arguments for getppid, three for
 * read/write). pipe-rw's op is write + read: each is stamped on its own,
 * with the other made untimed next to it (side) to keep the pipe's state.
 */
struct anysys_op {
	const char *bench, *label;
	long nr;
	int nargs;		/* 0 or 3 (fd, buf, 1) */
	enum op_fd fd;
	long side_nr;		/* -1: none */
	int side_before;
	enum op_expect exp;
	long expect;		/* EXP_CONST */
};

#define ENOSYS_NR 501	/* bench-enosys.c's number */
static const struct anysys_op ops[] = {
	{ "getppid", "getppid", SYS_getppid, 0, FD_NONE, -1, 0, EXP_PPID, 0 },
	{ "getpid", "getpid", SYS_getpid, 0, FD_NONE, -1, 0, EXP_PID, 0 },
	{ "enosys", "enosys", ENOSYS_NR, 0, FD_NONE, -1, 0, EXP_CONST, -ENOSYS },
	{ "read-zero", "read-zero", SYS_read, 3, FD_ZERO, -1, 0, EXP_CONST, 1 },
	{ "read-null", "read-null", SYS_read, 3, FD_NULL, -1, 0, EXP_CONST, 0 },
	{ "write-null", "write-null", SYS_write, 3, FD_NULL, -1, 0, EXP_CONST, 1 },
	{ "write-zero", "write-zero", SYS_write, 3, FD_ZERO, -1, 0, EXP_CONST, 1 },
	{ "pipe-rw", "pipe-rw write", SYS_write, 3, FD_PIPE_W, SYS_read, 0, EXP_CONST, 1 },
	{ "pipe-rw", "pipe-rw read", SYS_read, 3, FD_PIPE_R, SYS_write, 1, EXP_CONST, 1 },
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

int anysys_ops_of(const char *name, const struct anysys_op *out[ANYSYS_MAX_OPS])
{
	size_t i;
	int n = 0;

	for (i = 0; i < NOPS && n < ANYSYS_MAX_OPS; i++)
		if (!strcmp(ops[i].bench, name))
			out[n++] = &ops[i];
	return n;
}

const char *anysys_names(void)
{
	return "noop, getppid, getpid, enosys, read-zero, read-null, write-null, write-zero, pipe-rw";
}

/* The op at run time: its arguments and the pipe or device it uses. */
struct op_rt {
	long nr, fd, buf, expect, side_nr, side_fd;
	int nargs, side_before, fds[2];
	char data[64] __attribute__((aligned(64)));
};

static int op_open(const struct anysys_op *op, struct op_rt *rt)
{
	const char *dev = op->fd == FD_ZERO ? "/dev/zero" : "/dev/null";

	memset(rt, 0, sizeof(*rt));
	rt->fds[0] = rt->fds[1] = -1;
	rt->nr = op->nr;
	rt->nargs = op->nargs;
	rt->side_nr = op->side_nr;
	rt->side_before = op->side_before;
	rt->buf = (long)rt->data;
	rt->expect = op->exp == EXP_PPID ? getppid() : op->exp == EXP_PID ? getpid() : op->expect;
	if (op->fd == FD_ZERO || op->fd == FD_NULL)
		rt->fds[0] = open(dev, O_RDWR | O_CLOEXEC);
	else if (op->fd != FD_NONE && pipe2(rt->fds, O_CLOEXEC))
		rt->fds[0] = rt->fds[1] = -1;
	if (op->fd != FD_NONE && rt->fds[0] < 0) {
		fprintf(stderr, "phases: %s: cannot open its %s: %s\n", op->label,
			op->fd == FD_ZERO || op->fd == FD_NULL ? dev : "pipe", strerror(errno));
		return -errno;
	}
	rt->fd = op->fd == FD_PIPE_W ? rt->fds[1] : rt->fds[0];
	rt->side_fd = op->fd == FD_PIPE_W ? rt->fds[0] : rt->fds[1];
	return 0;
}

static void op_close(struct op_rt *rt)
{
	int i;

	for (i = 0; i < 2; i++)
		if (rt->fds[i] >= 0)
			close(rt->fds[i]);
}

/* n timed calls; the side call, if any, outside the windows. */
static void timed_loop(const struct op_rt *o, struct phase_call *c, size_t n)
{
	size_t i;

	if (o->side_nr >= 0) {
		for (i = 0; i < n; i++) {
			if (o->side_before)
				raw_syscall3(o->side_nr, o->side_fd, o->buf, 1);
			c[i].t0 = tsc_begin();
			c[i].ret = raw_syscall3(o->nr, o->fd, o->buf, 1);
			c[i].t3 = tsc_end_cpu(&c[i].cpu_after);
			if (!o->side_before)
				raw_syscall3(o->side_nr, o->side_fd, o->buf, 1);
		}
	} else if (!o->nargs) {
		for (i = 0; i < n; i++) {
			c[i].t0 = tsc_begin();
			c[i].ret = raw_syscall0(o->nr);
			c[i].t3 = tsc_end_cpu(&c[i].cpu_after);
		}
	} else {
		for (i = 0; i < n; i++) {
			c[i].t0 = tsc_begin();
			c[i].ret = raw_syscall3(o->nr, o->fd, o->buf, 1);
			c[i].t3 = tsc_end_cpu(&c[i].cpu_after);
		}
	}
}

/* n round trips timed alone (blocks of @cap), no ring read between. */
static int sample_alone(const struct op_rt *o, struct phase_call *c, size_t cap, uint64_t n,
			struct stats *out, const char *label)
{
	struct sampler sp;
	uint64_t done;
	size_t i, k;
	int err = sampler_init(&sp, n);

	for (done = 0; !err && done < n && !syslat_stop; done += k) {
		k = n - done < cap ? (size_t)(n - done) : cap;
		timed_loop(o, c, k);
		for (i = 0; i < k && !err; i++) {
			if (c[i].ret != o->expect) {
				fprintf(stderr, "phases: %s returned %ld, expected %ld\n", label,
					(long)c[i].ret, o->expect);
				err = -EPROTO;
			}
			sampler_add(&sp, (double)(c[i].t3 - c[i].t0));
			if ((i + 1) % 1024 == 0)
				sampler_end_round(&sp);
		}
		sampler_end_round(&sp);
	}
	sampler_stats(&sp, out);
	sampler_destroy(&sp);
	return err;
}

static int read_ring(const struct anysys_cfg *cfg, struct anysys_ring *ring)
{
	char *text = kmod_read_trace_ring(cfg->dir);
	int err, line = 0;

	if (!text) {
		err = -errno;
		fprintf(stderr, "phases: cannot read trace_ring: %s\n", strerror(errno));
		return err;
	}
	err = anysys_parse_ring(text, ring, &line);
	free(text);
	if (err)
		fprintf(stderr, "phases: trace_ring line %d: not the version-%d format\n", line,
			ANYSYS_TRACE_VERSION);
	return err;
}

/* The merged calls, chunk by chunk, each followed by one ring read. */
static int merge_loop(const struct anysys_cfg *cfg, struct anysys_report *ar,
		      const struct op_rt *o, struct phase_call *c, size_t chunk)
{
	struct anysys_key key = { .tid = (uint32_t)gettid(), .nr = (int32_t)o->nr,
				  .expect = o->expect, .cpu = (uint32_t)cfg->cpu };
	uint64_t done;
	size_t k;
	int err = 0;

	for (done = 0; !err && done < cfg->calls && !syslat_stop; done += k) {
		struct anysys_ring ring;

		k = cfg->calls - done < chunk ? (size_t)(cfg->calls - done) : chunk;
		ar->calls = done + k;
		timed_loop(o, c, k);
		if ((err = read_ring(cfg, &ring)) != 0)
			break;
		err = anysys_merge(&ar->m, &key, c, k, &ring);
		ar->unmatched = ring.unmatched;
		ar->evicted = ring.evicted;
		anysys_ring_free(&ring);
	}
	ar->partial = syslat_stop != 0;
	return err;
}

/* Armed: warm-up, the stamped round trip alone, then the merge. */
static int measure_stamped(const struct anysys_cfg *cfg, struct anysys_report *ar,
			   const struct op_rt *o, struct phase_call *c, size_t cap, uint64_t alone)
{
	struct anysys_ring ring;
	size_t chunk;
	int err;

	timed_loop(o, c, cfg->warmup < cap ? cfg->warmup : cap);
	err = sample_alone(o, c, cap, alone, &ar->stamped_rt, ar->label);
	if (!err)
		err = read_ring(cfg, &ring);
	if (err)
		return err;
	anysys_ring_free(&ring);
	if (ring.tgid != (uint32_t)getpid() || ring.ring_size < 64) {
		fprintf(stderr, "phases: trace_ring is for tgid %u (ring_size %llu), not ours\n",
			ring.tgid, (unsigned long long)ring.ring_size);
		return -EBUSY;
	}
	/* A quarter of the ring per chunk: room for the side calls and the ring reads. */
	chunk = (size_t)ring.ring_size / 4;
	return merge_loop(cfg, ar, o, c, chunk < cap ? chunk : cap);
}


/*
 * The slow path alone: probes attached for tgid ANYSYS_NO_TGID (the
 * kernel's PID_MAX_LIMIT, above every pid), so they return at once.
 */
#define ANYSYS_NO_TGID 4194304u
static int attached_alone(const struct anysys_cfg *cfg, struct anysys_report *ar,
			  const struct op_rt *o, struct phase_call *c, size_t cap, uint64_t n)
{
	int err = kmod_set_trace_tgid(cfg->dir, ANYSYS_NO_TGID);

	if (err) {
		fprintf(stderr, "phases: cannot attach the probes: %s\n", strerror(-err));
		return err;
	}
	timed_loop(o, c, cfg->warmup < cap ? cfg->warmup : cap);
	err = sample_alone(o, c, cap, n, &ar->attached_rt, ar->label);
	if (kmod_set_trace_tgid(cfg->dir, 0) && !err)
		err = -EIO;
	return err;
}

int anysys_measure(const struct anysys_cfg *cfg, const struct anysys_op *op,
		   struct anysys_report *ar)
{
	uint64_t alone = cfg->calls < 20000 ? cfg->calls : 20000;
	size_t cap = 4096;
	struct phase_call *c;
	struct op_rt o;
	long armed;
	int err;

	memset(ar, 0, sizeof(*ar));
	ar->op = op;
	ar->bench = op->bench;
	ar->nr = op->nr;
	snprintf(ar->label, sizeof(ar->label), "%s", op->label);
	anysys_name_results(ar);
	armed = kmod_get_trace_tgid(cfg->dir);
	if (armed < 0) {
		fprintf(stderr, "phases: %s: no trace_tgid in the module's debugfs (%s): "
			"load a syslat module of this version\n", op->label, strerror((int)-armed));
		return (int)armed;
	}
	/* A harness killed while armed leaves the probes on for a tgid that is gone. */
	if (armed && (kill((pid_t)armed, 0) == 0 || errno != ESRCH)) {
		fprintf(stderr, "phases: trace_tgid is armed for tgid %ld, which exists: not "
			"touching it\n", armed);
		return -EBUSY;
	}
	if (armed)
		fprintf(stderr, "phases: trace_tgid was left armed for tgid %ld, which is gone: "
			"taking it over\n", armed);
	if ((err = op_open(op, &o)) != 0)
		return err;
	c = calloc(cap, sizeof(*c));
	err = c ? phase_merge_alloc(&ar->m, cfg->calls) : -ENOMEM;
	if (err) {	/* the delta arrays are freed by phase_merge_stats() only */
		free(c);
		op_close(&o);
		return err;
	}
	ar->m.tgid = (uint32_t)getpid();
	timed_loop(&o, c, cfg->warmup < cap ? cfg->warmup : cap);
	err = sample_alone(&o, c, cap, alone, &ar->plain_rt, ar->label);
	if (!err)
		err = attached_alone(cfg, ar, &o, c, cap, alone);
	if (!err && (err = kmod_set_trace_tgid(cfg->dir, (uint32_t)getpid())) != 0)
		fprintf(stderr, "phases: cannot arm trace_tgid: %s\n", strerror(-err));
	else if (!err) {
		err = measure_stamped(cfg, ar, &o, c, cap, alone);
		if (kmod_set_trace_tgid(cfg->dir, 0) && !err) {
			fprintf(stderr, "phases: cannot disarm trace_tgid again\n");
			err = -EIO;
		}
	}
	free(c);
	op_close(&o);
	phase_merge_stats(&ar->m, ar->st, ar->sums);
	return err;
}
