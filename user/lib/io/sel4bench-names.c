// SPDX-License-Identifier: GPL-2.0
/*
 * sel4bench rows -> syslat names, what one operation is and the Linux
 * counterpart (sel4bench.h; the table in docs/vm-bench.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "jparse.h"
#include "sel4bench.h"

/*
 * What one operation is, and its Linux counterpart. sel4bench's IPC
 * benchmarks time one direction only (the counter is read before the
 * call in one thread and after the receive in the other), so syslat's
 * round trips count twice: compare with half of them, or with the
 * one-way hand-offs (futex-switch).
 */
static const char OP_CALL[] = "seL4_Call from the client until the waiting server runs: one-way IPC "
	"and the switch to the server (the fastpath at 0 words)";
static const char OP_REPLYRECV[] = "seL4_ReplyRecv from the server until the blocked client runs: "
	"the reply half of an RPC (fastpath at 0 words)";
static const char OP_SEND[] = "seL4_Send to a waiting receiver of higher priority (slowpath)";
static const char OP_CV[] = "libsel4sync condition variable + binary semaphore (seL4 notifications): "
	"from one side's signal until the other side runs";
static const char OP_SIGNAL[] = "seL4_Signal on a notification a higher-priority thread waits on, "
	"until that thread runs: a one-way notification with the switch";
static const char OP_YIELD[] = "seL4_Yield with another thread of the same priority ready, until it "
	"runs: one switch";
static const char OP_NULL[] = "seL4_BenchmarkNullSyscall: kernel entry and exit, nothing done";
static const char LX_SAME[] = "futex-switch (one hand-off with a switch), or half of pipe / eventfd "
	"round trips with the peer on the same CPU";
static const char LX_XAS[] = "half of a pipe round trip between processes (--process, same CPU)";
static const char LX_CV[] = "half of syslat's condvar round trip (pthread mutex + condition variable)";
static const char LX_YIELD[] = "yield (sched_yield between two tasks on one CPU, per switch)";
static const char LX_YIELD_XAS[] = "yield --process";
static const char LX_NULL[] = "noop syscall (500) / ENOSYS syscall (501)";

/* Lower-case alphanumerics, runs of anything else one '-'. */
static void slug(char *o, size_t len, const char *s)
{
	size_t k = 0;
	int dash = 0;

	for (; *s && k + 2 < len; s++) {
		if (isalnum((unsigned char)*s)) {
			if (dash && k)
				o[k++] = '-';
			o[k++] = (char)tolower((unsigned char)*s);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	o[k] = '\0';
}

static void name_ipc(struct s4_row *r, const struct jv *row)
{
	const char *fn = jv_str(jv_get(row, "Function"));
	const struct jv *same = jv_get(row, "Same vspace?");
	double len = jv_num(jv_get(row, "IPC length"));
	char s[32], w[16] = "";

	fn = fn ? fn : "?";
	r->xas = same && same->type == JV_BOOL && !same->num;
	slug(s, sizeof(s), strncmp(fn, "seL4_", 5) ? fn : fn + 5);
	if (len > 0)	/* message words; none on the fastpath rows */
		snprintf(w, sizeof(w), "%.0f", len);
	snprintf(r->name, sizeof(r->name), "sel4-%s%s%s", s, w, r->xas ? "-xas" : "");
	snprintf(r->title, sizeof(r->title), "%s (%s AS%s%s%s)", fn, r->xas ? "other" : "same",
		 w[0] ? ", " : "", w, w[0] ? "w" : "");
	r->dir = "one_way";
	r->core = 1;
	r->linux_eq = r->xas ? LX_XAS : LX_SAME;
	if (!strcmp(fn, "seL4_Call"))
		r->op = OP_CALL;
	else if (!strcmp(fn, "seL4_ReplyRecv"))
		r->op = OP_REPLYRECV;
	else if (!strcmp(fn, "seL4_Send"))
		r->op = OP_SEND;
	else
		r->core = 0, r->op = "sel4bench IPC", r->linux_eq = NULL;
}

static int is_stat_key(const char *k)
{
	static const char *const st[] = { "Min", "Max", "Mean", "Stddev", "Variance", "Mode", "Median",
					  "1st quantile", "3rd quantile", "Samples", "Raw results" };
	size_t i;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		if (!strcmp(k, st[i]))
			return 1;
	return 0;
}

/* Short name stems of the other benchmarks sel4bench prints. */
static const struct { const char *bench, *stem; } stems[] = {
	{ "Wait time", "cv-wait" },
	{ "Broadcast time", "cv-broadcast" },
	{ "Producer to consumer (early processing)", "cv-p2c-early" },
	{ "Consumer to producer (early processing)", "cv-c2p-early" },
	{ "Mapping Benchmark", "map" },
	{ "Hardware null_syscall thread (early processing)", "null-syscall-early" },
	{ "Nop syscall overhead", "nop-syscall-overhead" },
	{ "Signal overhead", "signal-overhead" },
	{ "Read ccnt overhead", "ccnt-overhead" },
	{ "Signal to low prio thread", "signal-nosw" },
	{ "Signal to thread of higher prio", "sched-signal-prio" },
	{ "Signal to process of higher prio", "sched-signal-xas-prio" },
	{ "Signal to high prio thread (early processing)", "signal-early" },
	{ "Thread yield (early processing)", "yield-early" },
	{ "Process yield (early processing)", "yield-xas-early" },
	{ "Average to reschedule current thread", "avg-resched" },
	{ "Average seL4_Yield (no thread switch)", "avg-yield-nosw" },
	{ "Average signal to low prio thread", "avg-signal-lo" },
};

/* The rows with a Linux counterpart besides IPC and the condition variables. */
static const struct {
	const char *bench, *name, *title, *op, *lx;
} mapped[] = {
	{ "Hardware null_syscall thread", "sel4-null-syscall", "null syscall (seL4)", OP_NULL, LX_NULL },
	{ "Signal to high prio thread", "sel4-signal", "seL4_Signal (to higher prio)", OP_SIGNAL,
	  LX_SAME },
	{ "Thread yield", "sel4-yield", "seL4_Yield (same AS)", OP_YIELD, LX_YIELD },
	{ "Process yield", "sel4-yield-xas", "seL4_Yield (other AS)", OP_YIELD, LX_YIELD_XAS },
};

void s4_name_row(struct s4_row *r, const char *b, const struct jv *row)
{
	char s[40], t[32];
	size_t i;

	snprintf(r->bench, sizeof(r->bench), "%s", b);
	r->dir = "per_call";
	r->op = "sel4bench measurement (no Linux counterpart mapped)";
	if (!strcmp(b, "One way IPC microbenchmarks"))
		return name_ipc(r, row);
	if (!strcmp(b, "Producer to consumer") || !strcmp(b, "Consumer to producer")) {
		snprintf(r->name, sizeof(r->name), "sel4-cv-%s", b[0] == 'P' ? "p2c" : "c2p");
		snprintf(r->title, sizeof(r->title), "condvar %s", b[0] == 'P' ? "producer->consumer" :
			 "consumer->producer");
		r->op = OP_CV;
		r->linux_eq = LX_CV;
		r->dir = "one_way";
		r->core = 1;
		return;
	}
	for (i = 0; i < sizeof(mapped) / sizeof(mapped[0]); i++) {
		if (strcmp(b, mapped[i].bench))
			continue;
		snprintf(r->name, sizeof(r->name), "%s", mapped[i].name);
		snprintf(r->title, sizeof(r->title), "%s", mapped[i].title);
		r->op = mapped[i].op;
		r->linux_eq = mapped[i].lx;
		r->dir = mapped[i].op == OP_NULL ? "per_call" : "one_way";
		r->xas = mapped[i].lx == LX_YIELD_XAS;
		r->core = 1;
		return;
	}
	/* Anything else: a stem and the values of the row's other columns. */
	slug(s, sizeof(s), b);
	for (i = 0; i < sizeof(stems) / sizeof(stems[0]); i++)
		if (!strcmp(b, stems[i].bench))
			snprintf(s, sizeof(s), "%s", stems[i].stem);
	snprintf(r->name, sizeof(r->name), "sel4-%.38s", s);
	snprintf(r->title, sizeof(r->title), "%s", b);
	for (i = 0; row->type == JV_OBJ && i < row->n; i++) {
		const struct jv *v = &row->items[i];

		if (is_stat_key(row->keys[i]))
			continue;	/* a statistic, not a column naming the row */
		if (v->type == JV_NUM)
			snprintf(t, sizeof(t), "%.0f", v->num);
		else
			slug(t, sizeof(t), v->type == JV_STR ? v->str : "x");
		snprintf(r->name + strlen(r->name), sizeof(r->name) - strlen(r->name), "-%s", t);
		snprintf(r->title + strlen(r->title), sizeof(r->title) - strlen(r->title), ", %s", t);
	}
}
