// SPDX-License-Identifier: GPL-2.0
/* syslat tune: the report of checks and the small file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tune.h"
#include "util.h"

const char *tune_status_name(enum tune_status st)
{
	switch (st) {
	case TUNE_OK: return "ok";
	case TUNE_WARN: return "untuned";
	case TUNE_NA: return "n/a";
	default: return "info";
	}
}

struct tune_item *tune_add(struct tune_report *r, const char *name, enum tune_status st)
{
	struct tune_item *it;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct tune_item *ni = realloc(r->it, cap * sizeof(*ni));

		if (!ni)
			return NULL;
		r->it = ni;
		r->cap = cap;
	}
	it = &r->it[r->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->name, sizeof(it->name), "%s", name);
	it->st = st;
	return it;
}

void tune_free(struct tune_report *r)
{
	free(r->it);
	memset(r, 0, sizeof(*r));
}

int tune_read(const char *path, char *buf, size_t len)
{
	return read_line_file(path, buf, len);
}

int tune_write(const char *path, const char *val)
{
	size_t n = strlen(val);
	ssize_t w;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), err = 0;	/* as echo >FILE */

	if (fd < 0)
		return -errno;
	w = write(fd, val, n);
	if (w < 0)
		err = -errno;
	else if ((size_t)w != n)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static int first_cpu(void)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	return 0;
}

int tune_check(struct tune_report *r, int cpu)
{
	size_t before;

	r->cpu = cpu >= 0 ? cpu : first_cpu();
	before = r->n;
	tune_check_cpufreq(r);
	tune_check_smt(r);
	tune_check_idle(r);
	tune_check_isolation(r);
	tune_check_irqs(r);
	tune_check_kernel(r);
	return r->n > before ? 0 : -ENOMEM;
}
