// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod.h"
#include "tsc.h"
#include "util.h"

static const char *kdir(const char *dir)
{
	return dir ? dir : SYSLAT_DEBUGFS_DIR;
}

/* One "key\tvalue" line; unknown keys are ignored (forward compatible). */
static void info_kv(struct kmod_info *ki, const char *key, const char *val)
{
	if (strcmp(key, "backend") == 0)
		snprintf(ki->backend, sizeof(ki->backend), "%s", val);
	else if (strcmp(key, "tsc_khz") == 0)
		tsc_parse_khz(val, &ki->tsc_khz);
	else if (strcmp(key, "armed") == 0)
		ki->armed = atoi(val) != 0;
	else if (strcmp(key, "abi_version") == 0)
		ki->abi_version = atoi(val);
	else if (strcmp(key, "hook") == 0)
		snprintf(ki->hook, sizeof(ki->hook), "%s", val);
	else if (strcmp(key, "inject_cycles") == 0)
		ki->inject_cycles = strtoull(val, NULL, 10);
	else if (strcmp(key, "ring_size") == 0)
		ki->ring_size = strtoull(val, NULL, 10);
	else if (strcmp(key, "nr") == 0)
		ki->nr = strtol(val, NULL, 10);
	else if (strcmp(key, "timing") == 0)
		ki->timing = atoi(val) != 0;
	else if (strcmp(key, "filter_tgid") == 0)
		ki->filter_tgid = (uint32_t)strtoul(val, NULL, 10);
	else if (strcmp(key, "inject_max") == 0)
		ki->inject_max = strtoull(val, NULL, 10);
	else if (strcmp(key, "hist_exact") == 0)
		ki->hist_exact = strtoull(val, NULL, 10);
	else if (strcmp(key, "site") == 0)
		snprintf(ki->site, sizeof(ki->site), "%s", val);
}

int kmod_parse_info(const char *text, struct kmod_info *ki)
{
	char *copy = strdup(text), *line, *save = NULL;
	int have_version = 0;

	memset(ki, 0, sizeof(*ki));
	ki->armed = -1;
	ki->timing = -1;
	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab;

		str_rtrim(line);
		if (sscanf(line, "# version: %d", &ki->version) == 1)
			have_version = 1;
		if (line[0] == '#' || !(tab = strchr(line, '\t')))
			continue;
		*tab = '\0';
		info_kv(ki, line, tab + 1);
	}
	free(copy);
	return have_version ? 0 : -EINVAL;
}

int kmod_read_info(const char *dir, struct kmod_info *ki)
{
	char path[512];
	char *text;
	int err;

	memset(ki, 0, sizeof(*ki));
	ki->armed = -1;
	snprintf(path, sizeof(path), "%s/info", kdir(dir));
	text = read_text_file(path, 1 << 16);
	if (!text)
		return errno == ENOENT ? -ENOENT : -errno;
	err = kmod_parse_info(text, ki);
	free(text);
	ki->loaded = err == 0;
	return err;
}

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[512];
	ssize_t k;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", kdir(dir), name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	k = write(fd, val, strlen(val));
	if (k < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return close(fd) ? -errno : 0;
}

int kmod_set_armed(const char *dir, int on)
{
	return write_file(dir, "armed", on ? "1\n" : "0\n");
}

int kmod_get_armed(const char *dir)
{
	char path[512], buf[32];
	int err;

	snprintf(path, sizeof(path), "%s/armed", kdir(dir));
	err = read_line_file(path, buf, sizeof(buf));
	return err ? err : atoi(buf) != 0;
}

int kmod_reset(const char *dir)
{
	return write_file(dir, "reset", "1\n");
}

int kmod_set_inject(const char *dir, uint64_t cycles)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 "\n", cycles);
	return write_file(dir, "inject_cycles", buf);
}

int kmod_set_trace_tgid(const char *dir, uint32_t tgid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu32 "\n", tgid);
	return write_file(dir, "trace_tgid", buf);
}

long kmod_get_trace_tgid(const char *dir)
{
	char path[512], buf[32];
	int err;
	char *end;
	long v;

	snprintf(path, sizeof(path), "%s/trace_tgid", kdir(dir));
	err = read_line_file(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtol(buf, &end, 10);
	/* not a tgid: another module's file, never taken for "0, disarmed" */
	return errno || end == buf || (*end && *end != '\n') || v < 0 ? -EPROTO : v;
}

/* 256 MiB: far above any ring (1M records x 2 CPUs x ~70 bytes is 140 MiB). */
char *kmod_read_trace_ring(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/trace_ring", kdir(dir));
	return read_text_file(path, (size_t)256 << 20);
}

ssize_t kmod_read_ring(const char *dir, struct syslat_record **recs)
{
	char path[512];
	size_t cap = 1024, n = 0;
	struct syslat_record *r = malloc(cap * sizeof(*r));
	FILE *f;

	*recs = NULL;
	snprintf(path, sizeof(path), "%s/ring", kdir(dir));
	if (!r)
		return -ENOMEM;
	f = fopen(path, "re");
	if (!f) {
		free(r);
		return -errno;
	}
	for (;;) {
		if (n == cap) {
			struct syslat_record *nr = realloc(r, cap * 2 * sizeof(*r));

			if (!nr) {
				fclose(f);
				free(r);
				return -ENOMEM;
			}
			r = nr;
			cap *= 2;
		}
		/* Whole records only: a torn tail is dropped. */
		if (fread(&r[n], sizeof(*r), 1, f) != 1)
			break;
		n++;
	}
	fclose(f);
	*recs = r;
	return (ssize_t)n;
}
