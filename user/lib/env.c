// SPDX-License-Identifier: GPL-2.0
#include <cpuid.h>
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "env.h"
#include "kmod.h"
#include "tsc.h"
#include "util.h"

void env_init(struct env *e)
{
	memset(e, 0, sizeof(*e));
}

void env_destroy(struct env *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->kv[i].key);
		free(e->kv[i].val);
	}
	free(e->kv);
	memset(e, 0, sizeof(*e));
}

const char *env_get(const struct env *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->kv[i].key, key) == 0)
			return e->kv[i].val;
	return NULL;
}

void env_set(struct env *e, const char *key, const char *fmt, ...)
{
	char *val = NULL;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	if (vasprintf(&val, fmt, ap) < 0)
		val = NULL;
	va_end(ap);
	if (!val)
		return;
	str_rtrim(val);
	for (i = 0; i < e->n; i++) {
		if (strcmp(e->kv[i].key, key) == 0) {
			free(e->kv[i].val);
			e->kv[i].val = val;
			return;
		}
	}
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct env_kv *nk = realloc(e->kv, cap * sizeof(*nk));

		if (!nk) {
			free(val);
			return;
		}
		e->kv = nk;
		e->cap = cap;
	}
	e->kv[e->n].key = strdup(key);
	e->kv[e->n].val = val;
	if (e->kv[e->n].key)
		e->n++;
	else
		free(val);
}

/* Value of the first "name\t: value" line of /proc/cpuinfo. */
static void cpuinfo_field(struct env *e, const char *text, const char *name,
			  const char *key)
{
	const char *p = text;
	size_t n = strlen(name);

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && (p[n] == '\t' || p[n] == ' ' || p[n] == ':')) {
			const char *c = strchr(p, ':');

			if (c) {
				env_set(e, key, "%.*s", (int)strcspn(c + 2, "\n"), c + 2);
				return;
			}
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	env_set(e, key, "unknown");
}

static void file_kv(struct env *e, const char *key, const char *path, const char *absent)
{
	char buf[1024];

	if (read_line_file(path, buf, sizeof(buf)) == 0)
		env_set(e, key, "%s", buf);
	else if (absent)
		env_set(e, key, "%s", absent);
}

static void cpu_env(struct env *e)
{
	char *text = read_text_file("/proc/cpuinfo", 1 << 20);
	unsigned int a, b, c, d, sig[3] = { 0, 0, 0 };
	char vendor[13] = "";

	if (text) {
		cpuinfo_field(e, text, "model name", "cpu_model");
		cpuinfo_field(e, text, "microcode", "microcode");
		env_set(e, "hypervisor", "%d", strstr(text, " hypervisor") != NULL);
		free(text);
	}
	/* The hypervisor's signature, e.g. KVMKVMKVM: which VMM adds the costs. */
	__cpuid(1, a, b, c, d);
	if (c & (1u << 31)) {	/* CPUID.1:ECX.31: running under a hypervisor */
		__cpuid(0x40000000, a, sig[0], sig[1], sig[2]);
		memcpy(vendor, sig, 12);
		env_set(e, "hypervisor_vendor", "%s", vendor);
	}
	file_kv(e, "cpus_online", "/sys/devices/system/cpu/online", "unknown");
	file_kv(e, "smt_active", "/sys/devices/system/cpu/smt/active", "unknown");
	file_kv(e, "smt_control", "/sys/devices/system/cpu/smt/control", "unknown");
}

static void policy_env(struct env *e)
{
	const char *cf = "/sys/devices/system/cpu/cpu0/cpufreq";
	char path[256];

	snprintf(path, sizeof(path), "%s/scaling_governor", cf);
	file_kv(e, "cpufreq_governor", path, "none (no cpufreq)");
	snprintf(path, sizeof(path), "%s/scaling_driver", cf);
	file_kv(e, "cpufreq_driver", path, "none");
	file_kv(e, "boost", "/sys/devices/system/cpu/cpufreq/boost", "n/a");
	file_kv(e, "intel_no_turbo", "/sys/devices/system/cpu/intel_pstate/no_turbo", "n/a");
	file_kv(e, "cpuidle_driver", "/sys/devices/system/cpu/cpuidle/current_driver", "none");
	file_kv(e, "cpuidle_governor", "/sys/devices/system/cpu/cpuidle/current_governor_ro",
		"none");
	file_kv(e, "clocksource",
		"/sys/devices/system/clocksource/clocksource0/current_clocksource", "unknown");
	file_kv(e, "isolcpus", "/sys/devices/system/cpu/isolated", "");
	file_kv(e, "nohz_full", "/sys/devices/system/cpu/nohz_full", "");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void vuln_env(struct env *e)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	char *names[128], path[512];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d = opendir(dir);

	if (!d) {
		env_set(e, "vulnerabilities/unavailable", "1");
		return;
	}
	while ((de = readdir(d)) != NULL && n < 128)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);	/* stable order across runs */
	for (i = 0; i < n; i++) {
		char key[300];

		if (!names[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(key, sizeof(key), "vulnerabilities/%s", names[i]);
		file_kv(e, key, path, "unreadable");
		free(names[i]);
	}
}

void env_affinity_list(char *buf, size_t len)
{
	cpu_set_t set;
	size_t off = 0;
	int c, start = -1;

	buf[0] = '\0';
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (c = 0; c <= CPU_SETSIZE; c++) {
		int in = c < CPU_SETSIZE && CPU_ISSET(c, &set);

		if (in && start < 0)
			start = c;
		if (!in && start >= 0 && off < len) {
			off += (size_t)snprintf(buf + off, len - off, "%s%d", off ? "," : "", start);
			if (c - 1 > start && off < len)
				off += (size_t)snprintf(buf + off, len - off, "-%d", c - 1);
			start = -1;
		}
	}
}

void env_capture(struct env *e, const struct tsc_info *ti, const struct kmod_info *ki)
{
	struct utsname u;
	char buf[1024];

	env_set(e, "tool_version", "syslat %s", SYSLAT_VERSION);
	if (uname(&u) == 0) {
		env_set(e, "kernel_release", "%s", u.release);
		env_set(e, "kernel_version", "%s", u.version);
		env_set(e, "machine", "%s", u.machine);
		env_set(e, "hostname", "%s", u.nodename);
	}
	file_kv(e, "kernel_cmdline", "/proc/cmdline", "unknown");
	cpu_env(e);
	env_set(e, "tsc_khz", "%.3f", ti->khz);
	env_set(e, "tsc_source", "%s", tsc_src_name(ti->src));
	env_set(e, "tsc_rdtscp", "%d", ti->have_rdtscp);
	env_set(e, "constant_tsc", "%d", ti->constant_tsc);
	env_set(e, "nonstop_tsc", "%d", ti->nonstop_tsc);
	env_set(e, "tsc_granularity", "%llu", (unsigned long long)ti->granularity);
	env_set(e, "tsc_step", "%llu", (unsigned long long)ti->granularity);
	if (ti->calibrated_khz > 0)
		env_set(e, "tsc_calibrated_khz", "%.3f", ti->calibrated_khz);
	env_set(e, "icount", "%d", ti->icount);
	/* Other runnable tasks share the CPUs: the first thing to look at
	 * when figures differ between runs. */
	file_kv(e, "loadavg", "/proc/loadavg", "unknown");
	policy_env(e);
	vuln_env(e);
	env_set(e, "module_loaded", "%d", ki->loaded);
	env_set(e, "module_backend", "%s", ki->loaded ? ki->backend : "none");
	if (ki->loaded) {
		env_set(e, "module_armed", "%d", ki->armed);
		env_set(e, "module_hook", "%s", ki->hook);
		env_set(e, "module_abi_version", "%d", ki->abi_version);
	}
	env_affinity_list(buf, sizeof(buf));
	env_set(e, "affinity", "%s", buf);
}

void env_print(FILE *f, const struct env *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(f, "%-32s %s\n", e->kv[i].key, e->kv[i].val);
}

/* Flags captured as 0/1: JSON booleans. */
static const char *const bool_keys[] = {
	"hypervisor", "tsc_rdtscp", "constant_tsc", "nonstop_tsc", "icount",
	"module_loaded", "module_armed", "smt_active", NULL,
};

int env_value_kind(const char *key, const char *val)
{
	const char *base = strrchr(key, '/');
	char *end;
	size_t i;

	base = base ? base + 1 : key;
	for (i = 0; bool_keys[i]; i++)
		if (!strcmp(base, bool_keys[i]) && (!strcmp(val, "0") || !strcmp(val, "1")))
			return ENV_BOOL;
	/* a number only when the whole value is one (not "6.1.0-18", "0-1", "") */
	if (!val[0] || !(val[0] == '-' || (val[0] >= '0' && val[0] <= '9')))
		return ENV_STRING;
	errno = 0;
	strtod(val, &end);
	return !*end && !errno && !strpbrk(val, "xXeEnN") ? ENV_NUMBER : ENV_STRING;
}

static void typed_field(json_writer_t *w, const char *name, const char *key, const char *val)
{
	switch (env_value_kind(key, val)) {
	case ENV_BOOL: jsonw_bool_field(w, name, val[0] == '1'); break;
	case ENV_NUMBER: jsonw_float_field(w, name, strtod(val, NULL)); break;
	default: jsonw_string_field(w, name, val); break;
	}
}

void env_json(json_writer_t *w, const struct env *e)
{
	char group[128] = "";
	size_t i;

	jsonw_start_object(w);
	for (i = 0; i < e->n; i++) {
		const char *key = e->kv[i].key, *slash = strchr(key, '/');
		size_t glen = slash ? (size_t)(slash - key) : 0;

		if (group[0] && (!slash || strncmp(group, key, glen) || group[glen])) {
			jsonw_end_object(w);
			group[0] = '\0';
		}
		if (slash && !group[0] && glen < sizeof(group)) {
			memcpy(group, key, glen);
			group[glen] = '\0';
			jsonw_name(w, group);
			jsonw_start_object(w);
		}
		typed_field(w, slash ? slash + 1 : key, key, e->kv[i].val);
	}
	if (group[0])
		jsonw_end_object(w);
	jsonw_end_object(w);
}
