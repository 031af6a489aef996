// SPDX-License-Identifier: GPL-2.0
/*
 * Frequency, SMT and idle checks. The wanted values follow what the
 * benchmark projects do: a fixed top frequency (the Unikraft seed's
 * tunecpumax: governor performance, scaling_min_freq = cpuinfo_max_freq),
 * no turbo (its frequency depends on temperature and the other cores), no
 * busy SMT sibling, and no deep C-state (cyclictest holds
 * /dev/cpu_dma_latency at 0 for the same reason: wake-up latency lands in
 * the first window after an idle period).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tune.h"

#define CPU_SYS "/sys/devices/system/cpu"

static void setting(struct tune_report *r, const char *name, const char *path, const char *want,
		    int matters, const char *advice)
{
	char cur[160];
	struct tune_item *it;

	if (tune_read(path, cur, sizeof(cur)))
		return;
	it = tune_add(r, name, strcmp(cur, want) ? TUNE_WARN : TUNE_OK);
	if (!it)
		return;
	snprintf(it->value, sizeof(it->value), "%s", cur);
	snprintf(it->want, sizeof(it->want), "%s", want);
	snprintf(it->path, sizeof(it->path), "%s", path);
	snprintf(it->advice, sizeof(it->advice), "%s", advice);
	it->matters = matters;
}

static void na(struct tune_report *r, const char *name, const char *why)
{
	struct tune_item *it = tune_add(r, name, TUNE_NA);

	if (it)
		snprintf(it->advice, sizeof(it->advice), "%s", why);
}

static void policy(struct tune_report *r, const char *pol)
{
	char path[300], name[64], max[32];

	snprintf(path, sizeof(path), "%s/cpufreq/%s/scaling_governor", CPU_SYS, pol);
	snprintf(name, sizeof(name), "governor %s", pol);
	setting(r, name, path, "performance", 1,
		"the governor moves the frequency under the benchmark: performance");
	snprintf(path, sizeof(path), "%s/cpufreq/%s/cpuinfo_max_freq", CPU_SYS, pol);
	if (tune_read(path, max, sizeof(max)))
		return;
	snprintf(path, sizeof(path), "%s/cpufreq/%s/scaling_min_freq", CPU_SYS, pol);
	snprintf(name, sizeof(name), "min_freq %s", pol);
	setting(r, name, path, max, 1,
		"pin the frequency at its maximum: scaling_min_freq = cpuinfo_max_freq (tunecpumax)");
}

void tune_check_cpufreq(struct tune_report *r)
{
	DIR *d = opendir(CPU_SYS "/cpufreq");
	struct dirent *de;
	size_t before = r->n;

	while (d && (de = readdir(d)) != NULL)
		if (!strncmp(de->d_name, "policy", 6))
			policy(r, de->d_name);
	if (d)
		closedir(d);
	if (r->n == before)
		na(r, "cpufreq", "no cpufreq policy (a VM, or a fixed frequency): nothing to set");
	before = r->n;
	setting(r, "turbo (intel_pstate)", CPU_SYS "/intel_pstate/no_turbo", "1", 1,
		"turbo frequency depends on temperature and the other cores: no_turbo = 1");
	setting(r, "boost", CPU_SYS "/cpufreq/boost", "0", 1,
		"boost frequency depends on temperature and the other cores: boost = 0");
	if (r->n == before)
		na(r, "turbo/boost", "neither intel_pstate/no_turbo nor cpufreq/boost exists");
}

void tune_check_smt(struct tune_report *r)
{
	char path[200], sib[64] = "", ctl[32];
	struct tune_item *it;

	if (tune_read(CPU_SYS "/smt/control", ctl, sizeof(ctl))) {
		na(r, "smt", "no smt/control file");
		return;
	}
	snprintf(path, sizeof(path), CPU_SYS "/cpu%d/topology/thread_siblings_list", r->cpu);
	tune_read(path, sib, sizeof(sib));
	if (!strcmp(ctl, "notsupported") || !strcmp(ctl, "notimplemented") ||
	    !strcmp(ctl, "forceoff")) {
		it = tune_add(r, "smt", strcmp(ctl, "forceoff") ? TUNE_NA : TUNE_OK);
		if (it) {
			snprintf(it->value, sizeof(it->value), "%s", ctl);
			snprintf(it->advice, sizeof(it->advice), "SMT %s: nothing to set", ctl);
		}
		return;
	}
	setting(r, "smt", CPU_SYS "/smt/control", "off", strchr(sib, ',') || strchr(sib, '-'),
		"an SMT sibling's work shares the measuring core: smt/control = off "
		"(takes the siblings offline)");
}

/* The current PM QoS CPU latency request: a 32-bit value read from the device. */
static void dma_latency(struct tune_report *r, int deep)
{
	int fd = open("/dev/cpu_dma_latency", O_RDONLY | O_CLOEXEC);
	struct tune_item *it;
	int32_t v = 0;

	if (fd < 0 || read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		if (fd >= 0)
			close(fd);
		na(r, "cpu_dma_latency", "/dev/cpu_dma_latency cannot be read (not root, or no PM QoS)");
		return;
	}
	close(fd);
	it = tune_add(r, "cpu_dma_latency", v == 0 ? TUNE_OK : TUNE_WARN);
	if (!it)
		return;
	snprintf(it->value, sizeof(it->value), "%d us", (int)v);
	it->matters = deep && v != 0;
	snprintf(it->advice, sizeof(it->advice), "%s",
		 "a request is held only while its file is open: syslat tune --hold -- CMD "
		 "runs CMD with 0 us held (cyclictest does the same)");
}

void tune_check_idle(struct tune_report *r)
{
	char path[256], name[64], lat[32], sname[32], adv[96];
	int s, deep = 0;

	for (s = 1; s < 16; s++) {	/* state0 is POLL or C0: no wake-up cost */
		snprintf(path, sizeof(path), CPU_SYS "/cpu%d/cpuidle/state%d/latency", r->cpu, s);
		if (tune_read(path, lat, sizeof(lat)))
			break;
		snprintf(path, sizeof(path), CPU_SYS "/cpu%d/cpuidle/state%d/name", r->cpu, s);
		if (tune_read(path, sname, sizeof(sname)))
			snprintf(sname, sizeof(sname), "state%d", s);
		snprintf(name, sizeof(name), "idle cpu%d %.16s", r->cpu, sname);
		snprintf(path, sizeof(path), CPU_SYS "/cpu%d/cpuidle/state%d/disable", r->cpu, s);
		snprintf(adv, sizeof(adv), "a %.12s us exit latency lands in the first window after "
			 "idle: disable = 1", lat);
		setting(r, name, path, "1", 1, adv);
		deep = 1;
	}
	if (!deep) {
		char drv[64] = "none";

		tune_read(CPU_SYS "/cpuidle/current_driver", drv, sizeof(drv));
		snprintf(path, sizeof(path), "no idle state beyond state0 on cpu%d (cpuidle driver %s)",
			 r->cpu, drv);
		na(r, "idle states", path);
	}
	dma_latency(r, deep);
}
