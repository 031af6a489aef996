// SPDX-License-Identifier: GPL-2.0
/* Interference counters of the measuring CPU (interf.h). */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "interf.h"
#include "util.h"

/* Is "NAME:" one of the blank-separated words of @skip? */
static int skipped(const char *skip, const char *name)
{
	size_t n = strlen(name);
	const char *p = skip;

	while (p && (p = strstr(p, name)) != NULL) {
		if ((p == skip || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/*
 * Column @cpu of a /proc/interrupts-style table: the header names the
 * CPUs ("CPU0 CPU1 ..."); each row is "NAME: n0 n1 ... description".
 * Rows whose name is in @skip (":"-terminated, e.g. "LOC:") are left out.
 */
static uint64_t column_sum(const char *text, int cpu, const char *skip)
{
	const char *p = strchr(text, '\n');
	uint64_t sum = 0;

	while (p && *++p) {
		const char *e = strchr(p, '\n'), *q = p;
		char name[32];
		int k, n = 0;

		while (*q == ' ')
			q++;
		while (q[n] && q[n] != ':' && q[n] != '\n' && n < (int)sizeof(name) - 2)
			n++;
		if (q[n] == ':') {
			memcpy(name, q, (size_t)n + 1);
			name[n + 1] = '\0';
			q += n + 1;
			for (k = 0; k <= cpu; k++) {
				char *end;
				unsigned long long v = strtoull(q, &end, 10);

				if (end == q || (e && end > e))
					break;
				if (k == cpu && !skipped(skip, name))
					sum += v;
				q = end;
			}
		}
		p = e;
	}
	return sum;
}

uint64_t intf_sum_interrupts(const char *text, int cpu)
{
	return text ? column_sum(text, cpu, "LOC:") : 0;
}

uint64_t intf_sum_softirqs(const char *text, int cpu)
{
	return text ? column_sum(text, cpu, NULL) : 0;
}

static long nivcsw(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : ru.ru_nivcsw;
}

uint64_t intf_parse_schedstat(const char *text)
{
	unsigned long long exec_ns, delay;

	return text && sscanf(text, "%llu %llu", &exec_ns, &delay) == 2 ? delay : 0;
}

void intf_snap(struct intf_snap *s, int cpu)
{
	char *st = read_text_file("/proc/thread-self/schedstat", 256);

	char *a = read_text_file("/proc/interrupts", 1 << 20);
	char *b = read_text_file("/proc/softirqs", 1 << 16);

	s->ok = a && b;
	s->irq = intf_sum_interrupts(a, cpu);
	s->softirq = intf_sum_softirqs(b, cpu);
	free(a);
	free(b);
	s->nivcsw = nivcsw();
	s->run_delay_ns = intf_parse_schedstat(st);
	free(st);
	s->cpu = sched_getcpu();
}

int intf_disturbed(const struct round_intf *r, double ms)
{
	return (double)r->run_delay_us > INTF_DELAY_FRAC * ms * 1000 || r->migrations > 0 ||
	       (double)(r->irq + r->softirq) > INTF_BASE + INTF_PER_MS * ms;
}

static uint32_t d32(uint64_t a, uint64_t b)
{
	return b > a ? (uint32_t)(b - a > UINT32_MAX ? UINT32_MAX : b - a) : 0;
}

void intf_round(const struct intf_snap *a, const struct intf_snap *b, double ms,
		int own_switches, struct round_intf *out)
{
	memset(out, 0, sizeof(*out));
	if (a->ok && b->ok) {
		out->irq = d32(a->irq, b->irq);
		out->softirq = d32(a->softirq, b->softirq);
	}
	out->nivcsw = own_switches ? 0 : d32((uint64_t)a->nivcsw, (uint64_t)b->nivcsw);
	out->run_delay_us = own_switches ? 0 : d32(a->run_delay_ns / 1000, b->run_delay_ns / 1000);
	out->round_us = ms * 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(ms * 1000);
	out->migrations = a->cpu != b->cpu;
	out->disturbed = (uint8_t)intf_disturbed(out, ms);
}
