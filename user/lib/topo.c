// SPDX-License-Identifier: GPL-2.0
/* CPU relations from /sys/devices/system/cpu/cpuN/{topology,cache} (topo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"
#include "util.h"

/* /sys/devices/system; the unit tests point it at a made-up tree. */
static const char *sys_root = "/sys/devices/system";

void topo_set_root(const char *root)
{
	sys_root = root ? root : "/sys/devices/system";
}

int topo_list_has(const char *list, int cpu)
{
	const char *p = list;

	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p)
			return 0;
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p)
				return 0;
		}
		if (cpu >= a && cpu <= b)
			return 1;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return 0;
}

static int cpu_file_has(int cpu, const char *rel, int other)
{
	char path[256], buf[1024];

	snprintf(path, sizeof(path), "%s/cpu/cpu%d/%s", sys_root, cpu, rel);
	return read_line_file(path, buf, sizeof(buf)) == 0 && topo_list_has(buf, other);
}

static long cpu_number(int cpu, const char *rel)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "%s/cpu/cpu%d/%s", sys_root, cpu, rel);
	return read_line_file(path, buf, sizeof(buf)) ? -1 : strtol(buf, NULL, 10);
}

/* The cache index of the highest level (the LLC), or -1. */
static int llc_index(int cpu)
{
	int i, best = -1;
	long lvl, best_lvl = 0;
	char rel[64];

	for (i = 0; i < 8; i++) {
		snprintf(rel, sizeof(rel), "cache/index%d/level", i);
		lvl = cpu_number(cpu, rel);
		if (lvl > best_lvl) {
			best_lvl = lvl;
			best = i;
		}
	}
	return best;
}

/* NUMA node of @cpu from the cpuN/nodeM link's sibling list, or 0. */
static int cpu_node(int cpu)
{
	char path[256], buf[1024];
	int n;

	for (n = 0; n < 1024; n++) {
		snprintf(path, sizeof(path), "%s/node/node%d/cpulist", sys_root, n);
		if (read_line_file(path, buf, sizeof(buf)))
			return n == 0 ? 0 : -1;
		if (topo_list_has(buf, cpu))
			return n;
	}
	return -1;
}

enum topo_class topo_classify(int a, int b)
{
	int idx = llc_index(a);
	char rel[64];

	if (cpu_file_has(a, "topology/thread_siblings_list", b))
		return TOPO_SMT;
	snprintf(rel, sizeof(rel), "cache/index%d/shared_cpu_list", idx);
	if (idx >= 0 && cpu_file_has(a, rel, b))
		return TOPO_LLC;
	if (cpu_number(a, "topology/physical_package_id") ==
	    cpu_number(b, "topology/physical_package_id"))
		return TOPO_PACKAGE;
	return cpu_node(a) == cpu_node(b) ? TOPO_NODE : TOPO_OTHER_NODE;
}

const char *topo_class_name(enum topo_class c)
{
	static const char *const names[] = { "smt", "llc", "package", "node", "other-node" };

	return names[c];
}

/* Package, die, last-level cache and NUMA node ids, recorded with every result. */
void topo_ids(int cpu, struct topo_ids *out)
{
	int idx = llc_index(cpu);
	char rel[64];

	out->cpu = cpu;
	out->package = (int)cpu_number(cpu, "topology/physical_package_id");
	out->die = (int)cpu_number(cpu, "topology/die_id");
	snprintf(rel, sizeof(rel), "cache/index%d/id", idx);
	out->llc = idx >= 0 ? (int)cpu_number(cpu, rel) : -1;
	out->node = cpu_node(cpu);
}
