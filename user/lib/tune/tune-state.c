// SPDX-License-Identifier: GPL-2.0
/*
 * syslat tune --apply / --restore. The state file holds "path<TAB>value"
 * lines: what each file held before the first --apply changed it. It is
 * written (atomically) before any setting is, and only ever extended, so
 * a second --apply or a crash between the two never loses an original
 * value; --restore writes them back in reverse order and removes the file
 * once every one is back (a failed one stays in it for the next try).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tune.h"
#include "util.h"

#define TUNE_MAX_SAVED 1024

struct saved {
	char *path[TUNE_MAX_SAVED], *val[TUNE_MAX_SAVED];
	size_t n;
};

const char *tune_state_path(const char *opt)
{
	const char *e = getenv("SYSLAT_TUNE_STATE");

	return opt ? opt : e && *e ? e : TUNE_STATE_DEFAULT;
}

static void saved_free(struct saved *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->path[i]);
		free(s->val[i]);
	}
	s->n = 0;
}

static int saved_add(struct saved *s, const char *path, const char *val)
{
	if (s->n == TUNE_MAX_SAVED)
		return -E2BIG;
	s->path[s->n] = strdup(path);
	s->val[s->n] = strdup(val);
	if (!s->path[s->n] || !s->val[s->n]) {
		free(s->path[s->n]);
		free(s->val[s->n]);
		return -ENOMEM;
	}
	s->n++;
	return 0;
}

static int saved_has(const struct saved *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->path[i], path))
			return 1;
	return 0;
}

/* 0, -ENOENT when there is no state file, or -errno / -EINVAL (printed). */
static int load(const char *file, struct saved *s)
{
	char *text = read_text_file(file, 1 << 20), *line, *save = NULL, *tab;
	int rc = 0;

	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (!(tab = strchr(line, '\t')) || line[0] != '/') {
			fprintf(stderr, "syslat tune: %s: not a state line: '%s'\n", file, line);
			rc = -EINVAL;
			break;
		}
		*tab = '\0';
		rc = saved_add(s, line, tab + 1);
	}
	free(text);
	return rc;
}

static int store(const char *file, const struct saved *s)
{
	char dir[4096], *slash;
	struct atomic_file af;
	size_t i;
	int err;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
	}
	if ((err = atomic_open(&af, file)) != 0)
		return err;
	fprintf(af.f, "%s\n", TUNE_STATE_HEADER);
	for (i = 0; i < s->n; i++)
		fprintf(af.f, "%s\t%s\n", s->path[i], s->val[i]);
	return atomic_commit(&af, 1);
}

static int need_root(const char *what)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "syslat tune %s: needs root (it writes /sys and /proc files); nothing "
		"changed\n", what);
	return -1;
}

/* Save the originals of everything about to change, before changing any. */
static int save_originals(const struct tune_report *r, const char *file, struct saved *s)
{
	size_t i;
	int err = load(file, s);

	if (err && err != -ENOENT) {
		fprintf(stderr, "syslat tune --apply: cannot read %s: %s; nothing changed\n", file,
			strerror(-err));
		return -1;
	}
	for (err = 0, i = 0; i < r->n && !err; i++) {
		const struct tune_item *it = &r->it[i];

		if (it->st == TUNE_WARN && it->path[0] && it->want[0] && !saved_has(s, it->path))
			err = saved_add(s, it->path, it->value);
	}
	if (!err)
		err = store(file, s);
	if (err) {
		fprintf(stderr, "syslat tune --apply: cannot save %s: %s; nothing changed\n", file,
			strerror(-err));
		return -1;
	}
	return 0;
}

int tune_apply(struct tune_report *r, const char *file)
{
	struct saved s = { 0 };
	int failed = 0, err;
	size_t i;

	if (need_root("--apply") || save_originals(r, file, &s)) {
		saved_free(&s);
		return -1;
	}
	saved_free(&s);
	for (i = 0; i < r->n; i++) {
		struct tune_item *it = &r->it[i];

		if (it->st == TUNE_NA && !it->detail)
			printf("not set  %-28s %s\n", it->name, it->advice);
		if (it->st != TUNE_WARN || it->group)
			continue;
		if (!it->path[0] || !it->want[0]) {
			printf("not set  %-28s not settable at run time: %s\n", it->name, it->advice);
			continue;
		}
		if ((err = tune_write(it->path, it->want)) != 0) {
			/* per-CPU and managed IRQs cannot move: the kernel's choice, not a failure */
			printf("%s %-28s %s: %s%s\n", it->detail ? "not set " : "FAILED  ", it->name,
			       it->path, strerror(-err), it->detail ? " (the kernel keeps it here)" : "");
			failed |= !it->detail;
			continue;
		}
		printf("set      %-28s %s -> %s\n", it->name, it->value, it->want);
	}
	printf("previous values saved in %s (syslat tune --restore puts them back)\n", file);
	return failed;
}

/* Does @path hold @val already (THP-style files: the bracketed word)? */
static int holds(const char *path, const char *val)
{
	char cur[256], *b, *e;

	if (tune_read(path, cur, sizeof(cur)))
		return 0;
	b = strchr(cur, '[');
	if (b && (e = strchr(b, ']'))) {
		*e = '\0';
		return !strcmp(b + 1, val);
	}
	return !strcmp(cur, val);
}

int tune_restore(const char *file)
{
	struct saved s = { 0 }, left = { 0 };
	int err = load(file, &s), rc = 0;
	size_t i;

	if (err == -ENOENT) {
		printf("syslat tune --restore: nothing to restore (no %s)\n", file);
		return 2;
	}
	if (err || need_root("--restore")) {
		if (err)
			fprintf(stderr, "syslat tune --restore: %s: %s\n", file, strerror(-err));
		saved_free(&s);
		return -1;
	}
	for (i = s.n; i-- > 0;) {	/* reverse: e.g. SMT siblings back before their IRQs */
		/* A write --apply could not make left the value as it was. */
		if ((err = tune_write(s.path[i], s.val[i])) == 0 || holds(s.path[i], s.val[i])) {
			printf("restored %s = %s\n", s.path[i], s.val[i]);
			continue;
		}
		printf("FAILED   %s = %s: %s (kept in %s)\n", s.path[i], s.val[i], strerror(-err), file);
		if (saved_add(&left, s.path[i], s.val[i]))
			rc = -1;
		rc = rc ? rc : 1;
	}
	if (!left.n && unlink(file) && errno != ENOENT) {
		fprintf(stderr, "syslat tune --restore: cannot remove %s: %s\n", file, strerror(errno));
		rc = 1;
	} else if (left.n && store(file, &left)) {
		fprintf(stderr, "syslat tune --restore: cannot rewrite %s\n", file);
		rc = -1;
	}
	saved_free(&s);
	saved_free(&left);
	return rc;
}
