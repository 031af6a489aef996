// SPDX-License-Identifier: GPL-2.0
/* --phases of syslat run / bench (run-phases.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "run-phases.h"
#include "util.h"

uint64_t run_phase_calls(const struct opts *o)
{
	if (!o->iters_set)
		return 20000;
	if (o->iters > PHASE_MAX_CALLS / o->rounds) {
		fprintf(stderr, "syslat: --phases: --iters x --rounds must stay within %u calls "
			"(their timestamps are kept in memory)\n", PHASE_MAX_CALLS);
		return 0;
	}
	return o->iters * o->rounds;
}

static int listed(const struct bench **list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i]->name, name))
			return 1;
	return 0;
}

size_t run_phases_slots(const struct bench **list, size_t n)
{
	const struct anysys_op *op[ANYSYS_MAX_OPS];
	size_t i, ops = 0;

	for (i = 0; i < n; i++)
		ops += (size_t)anysys_ops_of(list[i]->name, op);
	return (ops + 1) * PH_NR;
}

int run_phases_check(const struct opts *o, const struct bench **list, size_t n, int suite)
{
	if (!o->phases)
		return 0;
	if (!run_phase_calls(o))
		return 2;
	if (!suite && !listed(list, n, "noop") && run_phases_slots(list, n) == PH_NR) {
		fprintf(stderr, "syslat bench: --phases: none of these benchmarks has phases "
			"(those that have: %s)\n", anysys_names());
		return 2;
	}
	return 0;
}

/* Append PH_NR results, each one "run" (estimates without a CI). */
static int append(struct run_report *rr)
{
	int k;

	for (k = 0; k < PH_NR; k++) {
		struct result one = rr->res[rr->nres + k];

		if (result_merge(&one, 1, &rr->res[rr->nres + k]))
			return 1;
	}
	rr->nres += PH_NR;
	return 0;
}

/* The noop's phases: with --phases and noop listed (or run), or in the suite with the module. */
static int add_noop(struct run_report *rr, struct run_phases *ph, const struct runner *rn,
		    const struct kmod_info *ki, int wanted)
{
	const struct opts *o = rr->opt;
	struct phase_cfg cfg = { .cpu = rn->pl.cpu, .warmup = 1000, .quiet = o->quiet };

	if (!ki->loaded) {
		if (wanted)
			fprintf(stderr, "syslat: --phases needs the syslat module (insmod kmod/syslat.ko)\n");
		return wanted;
	}
	cfg.calls = run_phase_calls(o);
	if (phase_measure(&cfg, &ph->noop))
		return 1;
	phase_results(&ph->noop, rn->pl.cpu, &rr->res[rr->nres]);
	if (append(rr))
		return 1;
	rr->phases = &ph->noop;
	return 0;
}

/* The stamped system calls of the listed benchmarks, one op after the other. */
static int add_sys(struct run_report *rr, struct run_phases *ph, const struct runner *rn,
		   const struct kmod_info *ki, const struct bench **list, size_t n)
{
	struct anysys_cfg cfg = { .cpu = rn->pl.cpu, .warmup = 1000,
				  .calls = run_phase_calls(rr->opt) };
	const struct anysys_op *op[ANYSYS_MAX_OPS];
	size_t i;
	int j, nops, failed = 0;

	ph->sys = calloc(run_phases_slots(list, n) / PH_NR, sizeof(*ph->sys));
	if (!ph->sys)
		return 1;
	for (i = 0; i < n && !syslat_stop; i++) {
		nops = anysys_ops_of(list[i]->name, op);
		if (nops && !ki->loaded) {
			fprintf(stderr, "syslat: --phases of %s needs the syslat module\n",
				list[i]->name);
			failed = 1;
			continue;
		}
		for (j = 0; j < nops && !syslat_stop; j++) {
			struct anysys_report *ar = &ph->sys[ph->nsys];

			if (anysys_measure(&cfg, op[j], ar)) {
				failed = 1;
				continue;
			}
			anysys_results(ar, rn->pl.cpu, tsc_unit(rr->tsc), &rr->res[rr->nres]);
			if (append(rr))
				return 1;
			ph->nsys++;
		}
	}
	rr->sysph = ph->sys;
	rr->nsysph = ph->nsys;
	return failed;
}

/* --folded FILE: "linux-<release>;<bench>_syscall;<phase> <cycles>", atomically. */
static int write_folded(const char *path, const struct run_report *rr)
{
	struct atomic_file af;
	struct utsname u;
	char sys[128], b[64];
	size_t i;
	int err;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	snprintf(sys, sizeof(sys), "linux-%s", u.release);
	err = atomic_open(&af, path);
	if (!err) {
		int werr = 0;

		if (rr->phases)
			werr = phase_write_folded(af.f, sys, "noop_syscall", rr->phases->sums);
		for (i = 0; !werr && i < rr->nsysph; i++) {
			snprintf(b, sizeof(b), "%s_syscall", rr->sysph[i].label);
			werr = phase_write_folded(af.f, sys, b, rr->sysph[i].sums);
		}
		err = atomic_commit(&af, werr == 0) ? -EIO : werr;
	}
	if (err)
		fprintf(stderr, "syslat: --folded %s: %s\n", path, strerror(-err));
	return err ? 1 : 0;
}

int run_phases_add(struct run_report *rr, struct run_phases *ph, const struct runner *rn,
		   const struct kmod_info *ki, const struct bench **list, size_t n, int suite)
{
	const struct opts *o = rr->opt;
	int want_noop = o->phases && (suite || listed(list, n, "noop")), failed = 0;

	memset(ph, 0, sizeof(*ph));
	if (!want_noop && !(suite && ki->loaded) && !(o->phases && !suite))
		return 0;
	if (syslat_stop)
		return 0;
	if (!phase_tsc_ok(rr->tsc, o->trust_tsc, "syslat: phases"))
		return o->phases;
	if ((want_noop || (suite && ki->loaded)) && add_noop(rr, ph, rn, ki, want_noop))
		failed = 1;
	if (o->phases && !suite && add_sys(rr, ph, rn, ki, list, n))
		failed = 1;
	if (o->folded && write_folded(o->folded, rr))
		failed = 1;
	return failed;
}

void run_phases_free(struct run_phases *ph)
{
	free(ph->sys);
	ph->sys = NULL;
	ph->nsys = 0;
}
