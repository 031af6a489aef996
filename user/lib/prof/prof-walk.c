// SPDX-License-Identifier: GPL-2.0
/* The stepping tracer (prof-walk.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prof-insn.h"
#include "prof-rsp.h"
#include "prof-walk.h"

#define NBYTES	16
#define CACHE	(1u << 16)

/* Instruction bytes by (address, address space): text does not change
 * while we trace, and reading it once saves a round trip per step. */
struct icache {
	uint64_t rip[CACHE], cr3[CACHE];
	unsigned char b[CACHE][NBYTES];
	unsigned char n[CACHE];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int is_kernel(uint64_t a)
{
	return a >> 63;	/* the upper half: 4- and 5-level paging alike */
}

static int fetch(struct rsp *r, struct icache *c, const struct rsp_regs *g,
		 const unsigned char **b, size_t *n)
{
	uint64_t space = is_kernel(g->rip) ? 0 : g->cr3;
	unsigned h = (unsigned)((g->rip * 0x9e3779b97f4a7c15ULL ^ space) >> 48) & (CACHE - 1);
	size_t want = NBYTES;

	if (c->n[h] && c->rip[h] == g->rip && c->cr3[h] == space)
		goto hit;
	/* Never read across a page the instruction may not reach into. */
	if ((g->rip & 4095) + want > 4096)
		want = 4096 - (g->rip & 4095);
	if (rsp_mem(r, g->rip, c->b[h], want))
		return -1;
	c->rip[h] = g->rip;
	c->cr3[h] = space;
	c->n[h] = (unsigned char)want;
hit:
	*b = c->b[h];
	*n = c->n[h];
	return 0;
}

static void put_line(FILE *out, const struct rsp_regs *g, const unsigned char *b, size_t n)
{
	size_t i;

	fprintf(out, "%" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " ", g->rip, g->rsp, g->cr3,
		g->fs_base);
	for (i = 0; i < n && i < 8; i++)
		fprintf(out, "%02x", b[i]);
	fputc('\n', out);
}

static uint64_t tsc_of(const struct rsp_regs *g)
{
	return (g->rdx & 0xffffffffULL) << 32 | (g->rax & 0xffffffffULL);
}

/* Step one window: from the opening rdtsc to the closing TSC read, which
 * is stepped too, so the guest's own reading of the window (the TSC delta
 * it would record, an instruction count under icount) goes on the E line. */
static int one_window(struct rsp *r, struct icache *c, const struct walk_opts *o,
		      FILE *out, struct walk_stats *st)
{
	struct rsp_regs g;
	const unsigned char *b;
	unsigned long steps;
	uint64_t t0 = 0;
	size_t n;

	fputs("W\n", out);
	for (steps = 0; steps < o->max_steps; steps++) {
		enum insn_class k;

		if (rsp_regs(r, &g) || fetch(r, c, &g, &b, &n))
			return -1;
		if (steps == 1)
			t0 = tsc_of(&g);	/* the opening rdtsc has run */
		k = insn_classify(b, n);
		if (steps > 0 && g.rip >= o->lo && g.rip < o->hi &&
		    (k == INSN_RDTSC || k == INSN_RDTSCP)) {
			uint64_t at = g.rip;

			if (rsp_step(r) || rsp_regs(r, &g))
				return -1;
			fprintf(out, "E %" PRIx64 " %" PRIu64 "\n", at, tsc_of(&g) - t0);
			st->steps += steps + 1;
			return 0;
		}
		put_line(out, &g, b, n);
		if (rsp_step(r))
			return -1;
	}
	snprintf(r->err, sizeof(r->err), "window not closed after %lu steps", o->max_steps);
	return -1;
}

/* Continue to the next genuine hit: the breakpoint is by virtual address,
 * so another program's code at the same address also stops there. */
static int next_hit(struct rsp *r, const struct walk_opts *o, struct walk_stats *st)
{
	struct rsp_regs g;
	unsigned char b[2];

	for (;;) {
		if (rsp_continue(r, o->wait_ms) || rsp_regs(r, &g))
			return -1;
		if (g.rip == o->open && !rsp_mem(r, g.rip, b, 2) && b[0] == 0x0f && b[1] == 0x31) {
			st->hits++;
			return 0;
		}
		st->skipped_other++;
	}
}

volatile sig_atomic_t prof_walk_stop;

/* One window into memory first: the trace only ever holds whole windows. */
static int buffered_window(struct rsp *r, struct icache *c, const struct walk_opts *o,
			   FILE *out, struct walk_stats *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc;

	if (!mem) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		return -1;
	}
	rc = one_window(r, c, o, mem, st);
	if (fclose(mem) && !rc) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		rc = -1;
	}
	if (!rc && fwrite(buf, 1, len, out) != len) {
		snprintf(r->err, sizeof(r->err), "trace write failed");
		rc = -1;
	}
	free(buf);
	return rc;
}

static int walk(struct rsp *r, struct icache *c, const struct walk_opts *o, FILE *out,
		struct walk_stats *st)
{
	double t0;

	if (rsp_hbreak(r, o->open, 1))
		return -1;
	fprintf(out, "# syslat-trace 2\n# open 0x%" PRIx64 " range 0x%" PRIx64 " 0x%" PRIx64 "\n",
		o->open, o->lo, o->hi);
	while (st->hits < o->skip && !prof_walk_stop)
		if (next_hit(r, o, st) && !prof_walk_stop)
			return -1;
	while (st->windows < o->windows) {
		if (next_hit(r, o, st) && !prof_walk_stop)
			return -1;
		t0 = now();
		if (!prof_walk_stop && buffered_window(r, c, o, out, st) && !prof_walk_stop)
			return -1;
		if (prof_walk_stop) {
			st->interrupted = 1;
			break;
		}
		st->step_seconds += now() - t0;
		st->windows++;
	}
	/* Interrupted: the guest goes with us; no need to let it run on. */
	if (!st->interrupted && (rsp_hbreak(r, o->open, 0) || rsp_detach(r)))
		return -1;
	return ferror(out) ? (snprintf(r->err, sizeof(r->err), "trace write failed"), -1) : 0;
}

int prof_walk(const struct walk_opts *o, FILE *out, struct walk_stats *st,
	      char *err, size_t errlen)
{
	struct rsp *r = calloc(1, sizeof(*r));
	struct icache *c = calloc(1, sizeof(*c));
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!r || !c) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (rsp_connect(r, o->host, o->port, 10000))
		goto fail;
	/* QEMU stopped the guest when we connected; it resumes at our first
	 * continue, with the breakpoint set. */
	if (rsp_halt_reason(r) || walk(r, c, o, out, st))
		goto fail;
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "%s", r->err);
out:
	if (r)
		rsp_close(r);
	free(r);
	free(c);
	return rc;
}
