/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How two CPUs are related, from sysfs topology (topo.c): SMT siblings,
 * sharing a last-level cache, same package, same NUMA node, or further.
 */
#ifndef SYSLAT_TOPO_H
#define SYSLAT_TOPO_H

enum topo_class { TOPO_SMT, TOPO_LLC, TOPO_PACKAGE, TOPO_NODE, TOPO_OTHER_NODE };

/* Is @cpu in the kernel cpulist string @list ("0-3,8,10-11")? */
int topo_list_has(const char *list, int cpu);
/* The closest relation of @a and @b. */
enum topo_class topo_classify(int a, int b);
/* "smt", "llc", "package", "node", "other-node" */
const char *topo_class_name(enum topo_class c);

struct topo_ids {
	int cpu, package, die, llc, node;	/* -1 when sysfs does not say */
};

/* @cpu's package, die, LLC (the highest cache level's id) and NUMA node. */
void topo_ids(int cpu, struct topo_ids *out);

struct json_writer;
/* "name": {cpu, package, die, llc, node} of @cpu, or null for cpu < 0;
 * @name NULL: the value alone, for an array (topo-json.c). */
void topo_ids_json(struct json_writer *w, const char *name, int cpu);

/* Read another tree than /sys/devices/system (NULL: back to it); for tests. */
void topo_set_root(const char *root);

#endif
