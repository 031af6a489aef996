// SPDX-License-Identifier: GPL-2.0
/* Package, die, last-level cache and NUMA node of a CPU, from sysfs (sweep.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

static int read_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* The id of the highest-level unified or data cache (index with the largest level). */
static int llc_id(int cpu)
{
	char p[128];
	int i, lvl, best = -1, id = -1;

	for (i = 0; i < 8; i++) {
		snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d/cache/index%d/level", cpu, i);
		lvl = read_int(p);
		if (lvl < 0)
			break;
		if (lvl > best) {
			best = lvl;
			snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d/cache/index%d/id",
				 cpu, i);
			id = read_int(p);
		}
	}
	return id;
}

static int node_of(int cpu)
{
	char p[96];
	struct dirent *e;
	DIR *d;
	int n = -1;

	snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d", cpu);
	d = opendir(p);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "node", 4) && e->d_name[4] >= '0' && e->d_name[4] <= '9')
			n = atoi(e->d_name + 4);
	closedir(d);
	return n;
}

void sweep_cpu_ids(int cpu, struct sweep_cpu *out)
{
	char p[128];

	out->cpu = cpu;
	snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
	out->package = read_int(p);
	snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d/topology/die_id", cpu);
	out->die = read_int(p);
	out->llc = llc_id(cpu);
	out->node = node_of(cpu);
}
