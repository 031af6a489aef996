// SPDX-License-Identifier: GPL-2.0
/* Replicated runs as child processes (runs.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "runner.h"
#include "runs.h"
#include "stats.h"
#include "util.h"

void runs_shuffle(const struct bench **list, size_t n, uint64_t seed, unsigned int k)
{
	uint64_t st = seed + k;
	size_t i;

	for (i = n; i > 1; i--) {	/* Fisher-Yates */
		size_t j = (size_t)(stats_rand(&st) % i);
		const struct bench *t = list[i - 1];

		list[i - 1] = list[j];
		list[j] = t;
	}
}

/* argv of run @k: the user's command line + the hidden per-run options. */
static char **child_argv(const struct opts *o, unsigned int k, const char *out, char *kbuf,
			 char *sbuf, int quiet)
{
	int i, n = syslat_argc;
	char **v = calloc((size_t)n + 9, sizeof(*v));

	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		v[i] = syslat_argv[i];
	snprintf(kbuf, 16, "%u", k);
	snprintf(sbuf, 32, "%llu", (unsigned long long)o->seed);
	v[n++] = "--run-index";
	v[n++] = kbuf;
	v[n++] = "--run-out";
	v[n++] = (char *)out;
	v[n++] = "--seed";
	v[n++] = sbuf;
	if (quiet)
		v[n++] = "--quiet";
	return v;
}

static pid_t start(char **argv, const cpu_set_t *aff)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		if (aff)
			sched_setaffinity(0, sizeof(*aff), aff);
		execv("/proc/self/exe", argv);
		fprintf(stderr, "syslat: cannot re-execute /proc/self/exe: %s\n", strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Wait for the run; a SIGINT to us interrupts it too (it keeps what it has). */
static int wait_run(pid_t pid)
{
	int st = 0, sent = 0;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
		if (syslat_stop && !sent) {
			kill(pid, SIGINT);
			sent = 1;
		}
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Results of one run's file into per[0..n-1]; 0, or -1 (nothing usable). */
static int collect(const char *path, const struct bench *const *list, size_t n,
		   struct result *per, int *partial)
{
	char err[200], *text = read_text_file(path, 256 << 20);
	struct jv *root = text ? jv_parse(text, strlen(text), err, sizeof(err)) : NULL;
	const struct jv *res = root ? jv_get(root, "results") : NULL;
	size_t i, k;

	free(text);
	if (!res || res->type != JV_ARR) {
		jv_free(root);
		return -1;
	}
	for (i = 0; i < n; i++) {
		memset(&per[i], 0, sizeof(per[i]));
		per[i].b = list[i];
		per[i].skipped = 1;
		stats_compute(NULL, 0, &per[i].st);
		for (k = 0; k < res->n; k++) {
			const char *nm = jv_str(jv_get(&res->items[k], "name"));

			if (nm && !strcmp(nm, list[i]->name)) {
				result_from_json(&res->items[k], list[i], &per[i]);
				break;
			}
		}
	}
	if (jv_get(root, "partial") && jv_get(root, "partial")->num)
		*partial = 1;
	jv_free(root);
	return 0;
}

/* The runs' dir and whatever a killed run left in it (a temp file). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

static void progress(const struct opts *o, unsigned int k, double t0)
{
	struct timespec ts;

	if (o->quiet || !isatty(STDERR_FILENO))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "syslat: run %u/%llu (%.0f s)\n", k + 1, (unsigned long long)o->runs,
		(double)ts.tv_sec + ts.tv_nsec * 1e-9 - t0);
}

unsigned int runs_spawn(const struct opts *o, const struct bench *const *list, size_t n,
			const cpu_set_t *aff, struct result *per, int *partial, int *failed)
{
	char dir[] = "/tmp/syslat-runs.XXXXXX", path[64], kbuf[16], sbuf[32];
	unsigned int k, done = 0;
	struct timespec ts;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (i = 0; i < n * o->runs; i++) {
		per[i].b = list[i % n];
		per[i].skipped = 1;
	}
	if (!mkdtemp(dir)) {
		fprintf(stderr, "syslat: cannot create a temp dir for the runs: %s\n", strerror(errno));
		*failed = 1;
		return 0;
	}
	for (k = 0; k < o->runs && !syslat_stop; k++) {
		char **argv;
		pid_t pid;
		int rc;

		snprintf(path, sizeof(path), "%s/run-%u.json", dir, k);
		argv = child_argv(o, k, path, kbuf, sbuf, o->quiet || k > 0);
		progress(o, k, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
		pid = argv ? start(argv, aff) : -1;
		free(argv);
		rc = pid > 0 ? wait_run(pid) : -1;
		/* completed runs are packed at the front of per[] */
		if (collect(path, list, n, per + (size_t)done * n, partial) == 0) {
			done++;
		} else {
			for (i = 0; i < n; i++)
				result_free(&per[(size_t)done * n + i]);
			fprintf(stderr, "syslat: run %u produced no result (exit status %d)\n", k, rc);
		}
		if (rc != 0 && rc != 130)
			*failed = 1;
		unlink(path);
		if (rc == 130)
			*partial = 1;
	}
	remove_dir(dir);
	if (syslat_stop)
		*partial = 1;
	return done;
}

/* One run in this process, in the order of run @k: per[i] for list[i]. */
int runs_here(struct runner *rn, const struct opts *o, const struct bench **list,
		    size_t n, int suite, struct result *per)
{
	const struct bench **order = malloc((n + 1) * sizeof(*order));
	size_t i, j;
	int failed = 0;

	if (!order)
		return 1;
	memcpy(order, list, n * sizeof(*order));
	runs_shuffle(order, n, o->seed, o->run_index > 0 ? (unsigned int)o->run_index : 0);
	rn->count = (unsigned int)n;
	for (j = 0; j < n; j++) {
		for (i = 0; i < n && list[i] != order[j]; i++)
			;
		rn->idx = (unsigned int)j;
		if (syslat_stop) {
			per[i].b = list[i];
			per[i].skipped = 1;
			stats_compute(NULL, 0, &per[i].st);	/* NaN (null), not zeros */
			continue;
		}
		if (runner_run(rn, list[i], &per[i]) && !syslat_stop &&
		    !(suite && per[i].skipped))
			failed = 1;
	}
	free(order);
	return failed;
}

/* The runs of each benchmark merged into rr->res[0..n-1]. */
int runs_merge(struct run_report *rr, struct result *per, size_t n, unsigned int runs)
{
	struct result *tmp = calloc(runs + 1, sizeof(*tmp));
	size_t i;
	unsigned int k;

	if (!tmp)
		return -1;
	for (i = 0; i < n; i++, rr->nres++) {
		for (k = 0; k < runs; k++)
			tmp[k] = per[(size_t)k * n + i];
		if (result_merge(tmp, runs, &rr->res[i]))
			break;
	}
	free(tmp);
	return i == n ? 0 : -1;
}

/* A run of a replicated parent: its JSON into --run-out, nothing on stdout. */
int runs_emit(const struct run_report *rr)
{
	struct atomic_file af;
	int err = atomic_open(&af, rr->opt->run_out);

	if (err)
		return err;
	report_json(af.f, rr);
	return atomic_commit(&af, 1);
}
