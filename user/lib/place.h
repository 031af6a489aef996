/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Placement resolution: which CPU measures and which one runs the peer,
 * from --cpu/--peer-cpu/--placement/--numa-node, always inside the
 * affinity mask inherited from the parent (taskset, cgroups) and, with
 * --numa-node, inside that node (libnuma only after numa_available()).
 * The pinning helpers declared in bench.h live in place.c too.
 */
#ifndef SYSLAT_PLACE_H
#define SYSLAT_PLACE_H

#include <stddef.h>

struct env;
struct opts;

struct placement_res {
	int cpu;		/* measuring thread */
	int peer_cpu;		/* peer thread/process */
	const char *how;	/* "same", "cross", "smt", "llc", "package", "explicit" */
};

/* 0, or -1 with the reason in err (e.g. "CPU 7 is not in the affinity mask 0-1"). */
int place_resolve(const struct opts *o, struct placement_res *pr, char *err, size_t len);
/* SMT sibling of @cpu from sysfs topology, or -1 if none. */
int place_smt_sibling(int cpu);
/* env "placement": the CPUs, how they were chosen, and their topology ids. */
void place_record(struct env *e, const struct placement_res *pr);
/* Bind memory to o->numa_node (after a successful resolve); 0 or -1. */
int place_bind_memory(const struct opts *o);

#endif
