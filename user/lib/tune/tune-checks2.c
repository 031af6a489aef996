// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation, interrupt and kernel-wide checks. Isolation is boot-time only
 * (isolcpus, nohz_full, rcu_nocbs on the kernel command line): reported
 * with the parameters to add. Interrupts are moved off the measuring CPU
 * one IRQ at a time (per-CPU and managed IRQs refuse: said so).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune.h"
#include "util.h"

/* Is @cpu in the cpulist "0-3,8"? */
static int in_list(const char *list, int cpu)
{
	const char *p = list;

	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			return 0;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (cpu >= a && cpu <= b)
			return 1;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return 0;
}

/* Value of "name=" on the kernel command line into @buf; 0 if found. */
static int cmdline_param(const char *name, char *buf, size_t len)
{
	char *cl = read_text_file("/proc/cmdline", 1 << 16), *p, *save = NULL;
	size_t n = strlen(name);
	int rc = -1;

	for (p = cl ? strtok_r(cl, " \n", &save) : NULL; p; p = strtok_r(NULL, " \n", &save))
		if (!strncmp(p, name, n) && p[n] == '=') {
			snprintf(buf, len, "%s", p + n + 1);
			rc = 0;
		}
	free(cl);
	return rc;
}

static void isolated(struct tune_report *r, const char *what, const char *list, int matters)
{
	struct tune_item *it;
	/* isolcpus=domain,managed_irq,2-3: the CPUs are the last field */
	const char *cpus = strrchr(list, ',') && !isdigit((unsigned char)list[0]) ?
			   strrchr(list, ',') + 1 : list;
	int in = list[0] && in_list(cpus, r->cpu);

	it = tune_add(r, what, in ? TUNE_OK : TUNE_WARN);
	if (!it)
		return;
	snprintf(it->value, sizeof(it->value), "%s", list[0] ? list : "(none)");
	snprintf(it->advice, sizeof(it->advice),
		 "boot with %s=%d to keep %s off the measuring cpu%d%s", what, r->cpu,
		 !strcmp(what, "isolcpus") ? "other tasks" :
		 !strcmp(what, "nohz_full") ? "the tick" : "RCU callbacks", r->cpu,
		 r->cpu || strcmp(what, "nohz_full") ? "" :
		 " (the boot CPU keeps the tick: measure on another, --cpu)");
	it->matters = matters;
	it->boot = 1;
}

void tune_check_isolation(struct tune_report *r)
{
	char buf[160] = "";

	if (tune_read("/sys/devices/system/cpu/isolated", buf, sizeof(buf)))
		buf[0] = '\0';
	isolated(r, "isolcpus", buf, 1);
	if (tune_read("/sys/devices/system/cpu/nohz_full", buf, sizeof(buf)) || !strcmp(buf, "(null)"))
		buf[0] = '\0';
	isolated(r, "nohz_full", buf, 0);
	if (cmdline_param("rcu_nocbs", buf, sizeof(buf)))
		buf[0] = '\0';
	isolated(r, "rcu_nocbs", buf, 0);
}

/* @list without @cpu, as a cpulist of the online CPUs; "" when nothing is left. */
static void without(int cpu, const char *list, char *out, size_t len)
{
	char online[160] = "0";
	size_t off = 0;
	int c;

	tune_read("/sys/devices/system/cpu/online", online, sizeof(online));
	out[0] = '\0';
	for (c = 0; c < 4096 && off + 8 < len; c++)
		if (c != cpu && in_list(online, c) && in_list(list, c))
			off += (size_t)snprintf(out + off, len - off, "%s%d", off ? "," : "", c);
}

void tune_check_irqs(struct tune_report *r)
{
	DIR *d = opendir("/proc/irq");
	struct dirent *de;
	struct tune_item *it;
	char path[300], cur[160], want[160], online[160] = "0";
	unsigned int n = 0, on = 0;

	tune_read("/sys/devices/system/cpu/online", online, sizeof(online));
	while (d && (de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/irq/%s/smp_affinity_list", de->d_name);
		if (tune_read(path, cur, sizeof(cur)))
			continue;
		n++;
		if (!in_list(cur, r->cpu))
			continue;
		on++;
		without(r->cpu, cur, want, sizeof(want));
		if (!want[0])
			without(r->cpu, online, want, sizeof(want));
		if (!want[0] || !(it = tune_add(r, "", TUNE_WARN)))
			continue;
		snprintf(it->name, sizeof(it->name), "irq %.16s", de->d_name);
		snprintf(it->value, sizeof(it->value), "%s", cur);
		snprintf(it->want, sizeof(it->want), "%s", want);
		snprintf(it->path, sizeof(it->path), "%s", path);
		snprintf(it->advice, sizeof(it->advice), "off the measuring cpu%d", r->cpu);
		it->detail = 1;
	}
	if (d)
		closedir(d);
	it = tune_add(r, "irq affinity", !n ? TUNE_NA : on ? TUNE_WARN : TUNE_OK);
	if (!it)
		return;
	snprintf(it->value, sizeof(it->value), "%u of %u IRQs may run on cpu%d", on, n, r->cpu);
	snprintf(it->advice, sizeof(it->advice), "%s",
		 in_list(online, r->cpu) && strcmp(online, "0") ? "move them to the other CPUs "
		 "(--apply; irqbalance may move them back: stop it)" : "one CPU: nowhere to move them");
	it->matters = on > 0;
	it->group = 1;
}

static void hypervisor(struct tune_report *r)
{
	char *ci = read_text_file("/proc/cpuinfo", 1 << 20);
	struct tune_item *it;
	int vm = ci && strstr(ci, " hypervisor");

	free(ci);
	if (!(it = tune_add(r, "hypervisor", vm ? TUNE_INFO : TUNE_OK)))
		return;
	snprintf(it->value, sizeof(it->value), "%s", vm ? "yes" : "no");
	snprintf(it->advice, sizeof(it->advice), "%s", vm ?
		 "a VM: exits, steal time and the host's load are inside every window" :
		 "bare metal");
}

/* A sysctl-style file whose wanted value is fixed. */
static void knob(struct tune_report *r, const char *name, const char *path, const char *want,
		 int matters, const char *advice)
{
	char cur[160];
	struct tune_item *it;

	if (tune_read(path, cur, sizeof(cur)))
		return;
	/* THP-style "always [madvise] never": the bracketed word is the value */
	if (strchr(cur, '[')) {
		char *b = strchr(cur, '[') + 1, *e = strchr(b, ']');

		if (e)
			*e = '\0';
		memmove(cur, b, strlen(b) + 1);
	}
	if (!(it = tune_add(r, name, strcmp(cur, want) ? TUNE_WARN : TUNE_OK)))
		return;
	snprintf(it->value, sizeof(it->value), "%s", cur);
	snprintf(it->want, sizeof(it->want), "%s", want);
	snprintf(it->path, sizeof(it->path), "%s", path);
	snprintf(it->advice, sizeof(it->advice), "%s", advice);
	it->matters = matters;
}

void tune_check_kernel(struct tune_report *r)
{
	knob(r, "thp", "/sys/kernel/mm/transparent_hugepage/enabled", "never", 0,
	     "khugepaged collapses pages behind the benchmark's back: never");
	knob(r, "aslr", "/proc/sys/kernel/randomize_va_space", "0", 0,
	     "layouts (and cache/TLB aliasing) differ run to run: 0 while measuring");
	knob(r, "nmi_watchdog", "/proc/sys/kernel/nmi_watchdog", "0", 1,
	     "a periodic NMI on every CPU lands inside windows: 0");
	knob(r, "sched_schedstats", "/proc/sys/kernel/sched_schedstats", "0", 1,
	     "scheduler statistics add work to every context switch: 0");
	hypervisor(r);
}
