// SPDX-License-Identifier: GPL-2.0
/*
 * Where ipc-sweep's pairs run (sweep.h). same: both ends of pair i on
 * the i-th allowed CPU (one pair per CPU); cross: pair i on the allowed
 * CPUs 2i and 2i+1; smt, llc, package: the two ends on CPUs whose closest
 * relation (topo.c) is exactly that - SMT siblings; sharing the
 * last-level cache but not a core; sharing a package but not an LLC -
 * each CPU used once. What the machine cannot offer is an error, never
 * another placement.
 */
#include <stdio.h>
#include <string.h>

#include "sweep.h"
#include "topo.h"

static int level_of(const char *p, enum topo_class *c)
{
	if (!strcmp(p, "smt"))
		*c = TOPO_SMT;
	else if (!strcmp(p, "llc"))
		*c = TOPO_LLC;
	else if (!strcmp(p, "package"))
		*c = TOPO_PACKAGE;
	else
		return -1;
	return 0;
}

/* Greedy: for each free CPU in order, the first free CPU at @want. */
static int match(struct sweep_cfg *cfg, enum topo_class want)
{
	int used[SWEEP_MAX_PAIRS * 2] = { 0 };
	int i, a, b, np = 0;

	for (a = 0; a < cfg->ncpu && np < cfg->pairs; a++) {
		if (used[a])
			continue;
		for (b = a + 1; b < cfg->ncpu; b++) {
			if (used[b] || topo_classify(cfg->cpus[a], cfg->cpus[b]) != want)
				continue;
			used[a] = used[b] = 1;
			cfg->pair_cpu[np] = cfg->cpus[a];
			cfg->pair_peer[np++] = cfg->cpus[b];
			break;
		}
	}
	for (i = np; i < cfg->pairs; i++)
		cfg->pair_cpu[i] = cfg->pair_peer[i] = -1;
	return np;
}

int sweep_place(struct sweep_cfg *cfg)
{
	enum topo_class want;
	int i, need, got;

	if (!strcmp(cfg->placement, "same") || !strcmp(cfg->placement, "cross")) {
		int same = cfg->placement[0] == 's';

		need = same ? cfg->pairs : 2 * cfg->pairs;
		if (need > cfg->ncpu) {
			fprintf(stderr, "syslat ipc-sweep: --pairs %d with placement %s needs %d CPUs, "
				"%d allowed\n", cfg->pairs, cfg->placement, need, cfg->ncpu);
			return 2;
		}
		for (i = 0; i < cfg->pairs; i++) {
			cfg->pair_cpu[i] = same ? cfg->cpus[i] : cfg->cpus[2 * i];
			cfg->pair_peer[i] = same ? cfg->cpus[i] : cfg->cpus[2 * i + 1];
		}
		return 0;
	}
	if (level_of(cfg->placement, &want))
		return fprintf(stderr, "syslat ipc-sweep: --placement '%s': same|cross|smt|llc|"
			       "package\n", cfg->placement), 2;
	got = match(cfg, want);
	if (got < cfg->pairs) {
		fprintf(stderr, "syslat ipc-sweep: --placement %s: %d pair(s) of allowed CPUs whose "
			"closest relation is '%s', %d asked for\n", cfg->placement, got,
			topo_class_name(want), cfg->pairs);
		return 2;
	}
	return 0;
}
