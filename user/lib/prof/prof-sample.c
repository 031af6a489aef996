// SPDX-License-Identifier: GPL-2.0
/* perf-sampled profiles (prof-sample.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prof-report.h"
#include "prof-sample.h"
#include "util.h"

#define MAX_FRAMES 128

struct perf_sample {
	char comm[64];
	char *frame[MAX_FRAMES];	/* leaf first, as perf prints them */
	int n;
};

static void sample_clear(struct perf_sample *s)
{
	while (s->n)
		free(s->frame[--s->n]);
	s->comm[0] = '\0';
}

static int sample_flush(struct perf_sample *s, const char *comm, struct fold *f)
{
	char stack[8192];
	size_t pos;
	int i, rc = 0;

	if (s->comm[0] && (!comm || !strcmp(comm, s->comm))) {
		pos = (size_t)snprintf(stack, sizeof(stack), "%s", s->comm);
		for (i = s->n - 1; i >= 0 && pos < sizeof(stack); i--)
			pos += (size_t)snprintf(stack + pos, sizeof(stack) - pos, ";%s", s->frame[i]);
		rc = pos < sizeof(stack) ? fold_add(f, stack, 1) : 0;
	}
	sample_clear(s);
	return rc;
}

/* "\t ffffffff81e00080 entry_SYSCALL_64+0x0 ([kernel.kallsyms])" */
static char *frame_name(const char *line)
{
	char addr[32], sym[512], dso[512], out[1100], *plus;

	dso[0] = '\0';
	if (sscanf(line, " %31s %511s (%511[^)])", addr, sym, dso) < 2)
		return NULL;
	plus = strstr(sym, "+0x");
	if (plus)
		*plus = '\0';
	if (!strcmp(sym, "[unknown]"))
		snprintf(sym, sizeof(sym), "[unknown 0x%s]", addr);
	if (!strcmp(dso, "[kernel.kallsyms]") || !strncmp(dso, "[kernel", 7))
		snprintf(out, sizeof(out), "%s", sym);
	else
		snprintf(out, sizeof(out), "[user] %s", sym);
	return strdup(out);
}

int prof_fold_perf(FILE *in, const char *comm, struct fold *f, char *err, size_t errlen)
{
	struct perf_sample s = { .n = 0 };
	char line[2048];
	unsigned long lineno = 0;
	int rc = 0;

	while (!rc && fgets(line, sizeof(line), in)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0]) {
			rc = sample_flush(&s, comm, f);
		} else if (line[0] == ' ' || line[0] == '\t') {
			char *name = s.comm[0] ? frame_name(line) : NULL;

			if (!name) {
				snprintf(err, errlen, "perf script line %lu: not a stack frame", lineno);
				rc = -1;
			} else if (s.n == MAX_FRAMES) {
				free(name);
			} else {
				s.frame[s.n++] = name;
			}
		} else {
			rc = sample_flush(&s, comm, f);
			if (sscanf(line, "%63s", s.comm) != 1)
				rc = -1;
		}
	}
	if (!rc)
		rc = sample_flush(&s, comm, f);
	sample_clear(&s);
	return rc;
}

static int run(char *const argv[], const char *out_path)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (out_path && !freopen(out_path, "w", stdout))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void sample_json(json_writer_t *w, const void *ctx)
{
	const char *const *ev = ctx;

	jsonw_string_field(w, "method", "sampling (perf record -g)");
	jsonw_string_field(w, "event", ev[0]);
	jsonw_string_field(w, "note", "statistical samples of the whole benchmark run, "
			   "not an exact count of one path");
}

static int fold_file(const char *path, struct fold *f)
{
	char err[256];
	FILE *in = fopen(path, "r");
	int rc;

	if (!in)
		return -errno;
	rc = prof_fold_perf(in, "syslat", f, err, sizeof(err));
	fclose(in);
	if (rc)
		fprintf(stderr, "syslat profile: %s\n", err);
	return rc;
}

static int record(const char *bench, unsigned seconds, const char *ev, const char *dir,
		  struct fold *f)
{
	char self[PATH_MAX], data[PATH_MAX + 16], script[PATH_MAX + 16], rounds[16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int rc;

	if (n < 0)
		return -errno;
	self[n] = '\0';
	snprintf(data, sizeof(data), "%s/perf.data", dir);
	snprintf(script, sizeof(script), "%s/script.txt", dir);
	snprintf(rounds, sizeof(rounds), "%u", seconds * 10);	/* 100 ms rounds */
	{
		char *rec[] = { "perf", "record", "-q", "-g", "-e", (char *)ev, "-o", data, "--",
				self, "bench", (char *)bench, "--rounds", rounds, "--quiet", NULL };
		char *scr[] = { "perf", "script", "-i", data, NULL };

		rc = run(rec, NULL);
		if (rc) {
			fprintf(stderr, "syslat profile: perf record failed (%d)\n", rc);
			return -1;
		}
		rc = run(scr, script);
		if (rc) {
			fprintf(stderr, "syslat profile: perf script failed (%d)\n", rc);
			return -1;
		}
	}
	rc = fold_file(script, f);
	unlink(data);
	unlink(script);
	return rc;
}

int prof_sample(const char *bench, unsigned seconds, const char *outdir, int argc, char **argv)
{
	const char *ev = access("/sys/bus/event_source/devices/cpu/events/cycles", F_OK) ?
			 "cpu-clock" : "cycles";
	char dir[PATH_MAX], prefix[PATH_MAX], title[256], unit[128];
	struct prof_meta m = { .title = title, .unit = unit, .per = 1, .argc = argc, .argv = argv };
	struct fold f;
	int rc;

	if (ensure_dir(outdir))
		return fprintf(stderr, "syslat profile: %s: %s\n", outdir, strerror(errno)), 1;
	snprintf(dir, sizeof(dir), "%s/.perf.XXXXXX", outdir);
	if (!mkdtemp(dir))
		return fprintf(stderr, "syslat profile: %s: %s\n", dir, strerror(errno)), 1;
	snprintf(prefix, sizeof(prefix), "%s/%s-sample", outdir, bench);
	snprintf(title, sizeof(title), "%s on this host: perf %s samples (statistical)", bench, ev);
	snprintf(unit, sizeof(unit), "samples (%s)", ev);
	fold_init(&f);
	rc = record(bench, seconds, ev, dir, &f);
	rmdir(dir);
	if (!rc && !f.total) {
		fprintf(stderr, "syslat profile: perf recorded no samples of syslat\n");
		rc = -1;
	}
	if (!rc) {
		printf("# sampling: perf record -g -e %s around 'syslat bench %s' "
		       "(%s); counts are samples, not instructions\n", ev, bench,
		       strcmp(ev, "cpu-clock") ? "hardware PMU event" : "no PMU: software timer");
		rc = prof_write_all(&f, &m, prefix, sample_json, &ev);
	}
	fold_destroy(&f);
	return rc ? 1 : 0;
}
