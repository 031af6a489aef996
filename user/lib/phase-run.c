// SPDX-License-Identifier: GPL-2.0
/* Phase measurement of the noop syscall against the module's ring (phase-run.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "kmod.h"
#include "phase-run.h"
#include "rawsys.h"
#include "tsc.h"

/* One chunk of timed calls; the loop body is what the noop benchmark times, plus the CPU. */
static void timed_calls(struct phase_call *c, size_t n, uint32_t tag, uint32_t first, long nr)
{
	size_t i;

	for (i = 0; i < n; i++) {
		c[i].t0 = tsc_begin();
		c[i].ret = raw_syscall1(nr, (long)phase_cookie(tag, first + (uint32_t)i));
		c[i].t3 = tsc_end_cpu(&c[i].cpu_after);
	}
}

/*
 * n round trips of @nr timed alone, in blocks of at most @cap (the size of
 * the call buffer @c); cookies tag << 32 | PHASE_AUX + i, so that their
 * ring records are recognised as ours and never merged.
 */
static int sample_rt(struct phase_call *c, size_t cap, size_t n, long nr, long expect,
		     struct stats *out, uint32_t tag)
{
	struct sampler sp;
	size_t i, done = 0;
	int err;

	if ((err = sampler_init(&sp, n)) != 0)
		return err;
	for (done = 0; done < n && !syslat_stop; done += i) {
		size_t k = n - done < cap ? n - done : cap;

		timed_calls(c, k, tag, PHASE_AUX, nr);
		for (i = 0; i < k; i++) {
			if (c[i].ret != expect) {
				fprintf(stderr, "phases: nr %ld returned %#lx, expected %#lx\n",
					nr, (unsigned long)c[i].ret, (unsigned long)expect);
				sampler_destroy(&sp);
				return -EPROTO;
			}
			sampler_add(&sp, (double)(c[i].t3 - c[i].t0));
		}
		sampler_end_round(&sp);
	}
	sampler_stats(&sp, out);
	sampler_destroy(&sp);
	return 0;
}

static int merge_loop(const struct phase_cfg *cfg, struct phase_report *pr,
		      struct phase_call *c, size_t chunk)
{
	uint64_t done;

	for (done = 0; done < cfg->calls && !syslat_stop; done += chunk) {
		size_t k = cfg->calls - done < chunk ? cfg->calls - done : chunk;

		pr->calls = done + k;	/* the calls really made, if SIGINT ends the loop */
		struct syslat_record *recs = NULL;
		ssize_t nrec;
		int err;

		timed_calls(c, k, pr->tag, (uint32_t)done, pr->nr);
		nrec = kmod_read_ring(cfg->dir, &recs);
		if (nrec < 0) {
			fprintf(stderr, "phases: cannot read the ring: %s\n", strerror((int)-nrec));
			return (int)nrec;
		}
		err = phase_merge_chunk(&pr->m, pr->tag, (uint32_t)done, c, k, recs,
					(size_t)nrec, (uint32_t)cfg->cpu);
		free(recs);
		if (err)
			return err;
	}
	pr->partial = syslat_stop != 0;
	return 0;
}

int phase_merge_alloc(struct phase_merge *m, uint64_t n)
{
	int k;

	memset(m, 0, sizeof(*m));
	for (k = 0; k < PH_NR; k++)
		if (!(m->delta[k] = calloc(n ? n : 1, sizeof(uint64_t))))
			break;
	if (k == PH_NR)
		return 0;
	while (k-- > 0) {	/* a failed allocation leaves nothing to free */
		free(m->delta[k]);
		m->delta[k] = NULL;
	}
	return -ENOMEM;
}

void phase_merge_stats(struct phase_merge *m, struct stats st[PH_NR], uint64_t sums[PH_NR])
{
	int k;

	phase_sums(m, sums);
	for (k = 0; k < PH_NR; k++) {
		struct sampler sp;
		size_t i;

		sampler_init(&sp, m->matched + 1);
		for (i = 0; i < m->matched; i++) {
			sampler_add(&sp, (double)m->delta[k][i]);
			if ((i + 1) % 1024 == 0)
				sampler_end_round(&sp);
		}
		sampler_end_round(&sp);
		sampler_stats(&sp, &st[k]);
		sampler_destroy(&sp);
		free(m->delta[k]);
		m->delta[k] = NULL;
	}
}

/* ENOSYS reference: nr 501 with the hook detached when the backend allows it. */
static int enosys_ref(const struct phase_cfg *cfg, struct phase_report *pr,
		      struct phase_call *c, size_t chunk)
{
	int err, rearm = 0;

	if (!strcmp(pr->backend, "tracepoint") && kmod_set_armed(cfg->dir, 0) == 0) {
		pr->enosys_disarmed = 1;
		rearm = 1;
	}
	err = sample_rt(c, chunk, cfg->calls < 20000 ? cfg->calls : 20000, pr->nr + 1,
			-ENOSYS, &pr->enosys_rt, pr->tag);
	if (rearm && kmod_set_armed(cfg->dir, 1))
		return -EIO;
	return err;
}

static int measure_armed(const struct phase_cfg *cfg, struct phase_report *pr, size_t chunk)
{
	struct phase_call *c = calloc(chunk, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	timed_calls(c, chunk < cfg->warmup ? chunk : cfg->warmup, pr->tag, PHASE_AUX, pr->nr);
	err = kmod_reset(cfg->dir);
	if (!err)
		err = sample_rt(c, chunk, chunk, pr->nr, (long)SYSLAT_NOOP_RET,
				&pr->direct_rt, pr->tag);
	if (!err)
		err = merge_loop(cfg, pr, c, chunk);
	if (!err && !syslat_stop)
		err = enosys_ref(cfg, pr, c, chunk);
	free(c);
	return err;
}

int phase_measure(const struct phase_cfg *cfg, struct phase_report *pr)
{
	struct kmod_info ki;
	size_t chunk;
	int err;

	memset(pr, 0, sizeof(*pr));
	if (kmod_read_info(cfg->dir, &ki) != 0) {
		fprintf(stderr, "phases: the syslat module is not loaded (no %s/info)\n",
			cfg->dir ? cfg->dir : SYSLAT_DEBUGFS_DIR);
		return -ENOENT;
	}
	if (ki.ring_size < 2) {
		fprintf(stderr, "phases: module info has no usable ring_size\n");
		return -EPROTO;
	}
	if (ki.timing == 0 || (ki.filter_tgid && ki.filter_tgid != (uint32_t)getpid())) {
		fprintf(stderr, "phases: the module does not time our calls (timing=%d, filter_tgid=%u)\n",
			ki.timing, ki.filter_tgid);
		return -EPROTO;
	}
	/* Half the ring per chunk: room for other tasks' calls on our CPU. */
	chunk = ki.ring_size / 2;
	snprintf(pr->backend, sizeof(pr->backend), "%s", ki.backend);
	pr->tag = (uint32_t)getpid() ^ (uint32_t)time(NULL) << 16;
	pr->calls = cfg->calls;
	if ((err = phase_merge_alloc(&pr->m, cfg->calls)) != 0)
		return err;
	pr->nr = kmod_nr(&ki);
	/* ABI 2 records carry the caller's tgid: other processes' are foreign */
	pr->m.tgid = ki.abi_version >= 2 ? (uint32_t)getpid() : 0;
	if (ki.armed == 0) {
		if ((err = kmod_set_armed(cfg->dir, 1)) != 0)
			fprintf(stderr, "phases: cannot arm the module: %s\n", strerror(-err));
		else
			pr->we_armed = 1;
	}
	if (!err)	/* on failure too, phase_merge_stats() frees the delta arrays */
		err = measure_armed(cfg, pr, chunk);
	if (pr->we_armed && kmod_set_armed(cfg->dir, 0) && !err)
		err = -EIO;
	phase_merge_stats(&pr->m, pr->st, pr->sums);
	return err;
}

/* The TSC may be compared across the user/kernel boundary only when it is invariant. */
int phase_tsc_ok(const struct tsc_info *ti, int trust, const char *who)
{
	if ((ti->constant_tsc && ti->nonstop_tsc) || ti->icount || trust)
		return 1;
	fprintf(stderr, "%s: the TSC is not invariant (constant_tsc %d, nonstop_tsc %d): "
		"refusing to merge kernel and user timestamps (--trust-tsc overrides)\n",
		who, ti->constant_tsc, ti->nonstop_tsc);
	return 0;
}

static const char *const phase_what[PH_NR] = {
	[PH_ENTRY] = "syscall insn, entry code, mitigations, hook up to the first kernel TSC",
	[PH_KERNEL] = "module window: first to last kernel TSC (ring record, injected cost)",
	[PH_EXIT] = "module accounting after its exit stamp, hook return path, exit work, sysret, to the user TSC",
	[PH_ROUND_TRIP] = "user TSC to user TSC, the sum of the three",
};

void phase_report_print(FILE *f, const struct phase_report *pr, double timer_ovh,
			const struct tsc_info *ti)
{
	const char *unit = tsc_unit(ti);
	int k;

	fprintf(f, "# noop syscall (500) phases: module %s backend; per call, %s; medians with "
		"bootstrap 95 %% CI; nothing subtracted\n", pr->backend, unit);
	for (k = 0; k < PH_NR; k++) {
		const struct stats *s = &pr->st[k];
		double ns = tsc_to_ns(ti, s->median);

		fprintf(f, "%-11s p50 %9.0f", phase_name(k), s->median);
		if (!isnan(ns))
			fprintf(f, " %8.1f ns", ns);
		fprintf(f, "  [CI %.0f-%.0f]  p99 %.0f  %s\n", s->ci_lo, s->ci_hi, s->p99, phase_what[k]);
	}
	phase_table_note(f, pr, unit);
	fprintf(f, "# timer window %.0f: its lfence;rdtsc tail is in entry, rdtscp;lfence in exit\n",
		timer_ovh);
}

/* The phases as rows of a run, so table, CSV, JSON and compare show them like any benchmark. */
static const struct bench phase_bench[PH_NR] = {
	[PH_ENTRY] = { .name = "noop-entry", .title = "noop phase: entry", .dir = BENCH_ONE_WAY,
		       .summary = "user TSC before syscall to the handler's first kernel TSC" },
	[PH_KERNEL] = { .name = "noop-kernel", .title = "noop phase: in-kernel", .dir = BENCH_PER_CALL,
			.summary = "the handler's first to last kernel TSC" },
	[PH_EXIT] = { .name = "noop-exit", .title = "noop phase: exit", .dir = BENCH_ONE_WAY,
		      .summary = "the handler's last kernel TSC to the user TSC after sysret" },
	[PH_ROUND_TRIP] = { .name = "noop-phased", .title = "noop phase: round trip", .dir = BENCH_ROUND_TRIP,
			    .summary = "t3 - t0 of the merged calls (timer window not subtracted)" },
};

void phase_results(const struct phase_report *pr, int cpu, struct result *out)
{
	int k;

	for (k = 0; k < PH_NR; k++) {
		struct result *r = &out[k];

		memset(r, 0, sizeof(*r));
		r->b = &phase_bench[k];
		r->mode = MODE_PER_CALL;
		r->st = pr->st[k];
		r->divisor = 1;
		r->iters = pr->calls;
		r->cpu = cpu;
		r->peer_cpu = -1;
		r->armed = 1;
		r->partial = pr->partial;
		snprintf(r->note, sizeof(r->note), "%s; module %s backend; raw, timer window "
			 "not subtracted (its halves fall in entry and exit)", phase_what[k], pr->backend);
	}
}

void phase_merge_json(json_writer_t *w, const struct phase_merge *m)
{
	jsonw_uint_field(w, "matched", m->matched);
	jsonw_uint_field(w, "missing", m->missing);
	jsonw_uint_field(w, "other_cpu", m->other_cpu);
	jsonw_uint_field(w, "migrated", m->migrated);
	jsonw_uint_field(w, "unordered", m->unordered);
	jsonw_uint_field(w, "bad_return", m->bad_ret);
	jsonw_uint_field(w, "duplicate", m->duplicate);
	jsonw_uint_field(w, "foreign", m->foreign);
}

void phase_json(json_writer_t *w, const struct phase_report *pr)
{
	jsonw_name(w, "phases");
	jsonw_start_object(w);
	jsonw_string_field(w, "backend", pr->backend);
	jsonw_uint_field(w, "calls", pr->calls);
	phase_merge_json(w, &pr->m);
	jsonw_float_field(w, "direct_round_trip_median", pr->direct_rt.median);
	jsonw_float_field(w, "enosys_round_trip_median", pr->enosys_rt.median);
	jsonw_bool_field(w, "enosys_hook_detached", pr->enosys_disarmed);
	jsonw_float_field(w, "hook_cost_median", pr->st[PH_ROUND_TRIP].median - pr->enosys_rt.median);
	jsonw_end_object(w);
}

void phase_table_note(FILE *f, const struct phase_report *pr, const char *unit)
{
	const struct phase_merge *m = &pr->m;

	fprintf(f, "# phases: %zu of %llu calls merged (missing %zu, other cpu %zu, migrated %zu, "
		"unordered %zu, bad return %zu, duplicate %zu; %zu records of other tasks ignored)\n",
		m->matched, (unsigned long long)pr->calls, m->missing, m->other_cpu, m->migrated,
		m->unordered, m->bad_ret, m->duplicate, m->foreign);
	fprintf(f, "# hook + noop cost over ENOSYS: %.0f %s (phased round trip p50 %.0f - nr 501 "
		"p50 %.0f%s); round trip timed alone p50 %.0f\n",
		pr->st[PH_ROUND_TRIP].median - pr->enosys_rt.median, unit, pr->st[PH_ROUND_TRIP].median,
		pr->enosys_rt.median, pr->enosys_disarmed ? ", hook detached" : ", through the hook",
		pr->direct_rt.median);
}
