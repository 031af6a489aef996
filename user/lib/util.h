/* SPDX-License-Identifier: GPL-2.0 */
/* Small file and string helpers shared by env, kmod, tsc and report. */
#ifndef SYSLAT_UTIL_H
#define SYSLAT_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#ifndef SYSLAT_VERSION		/* the Makefile passes ../VERSION */
#define SYSLAT_VERSION "0.1.0"
#endif

/* Whole file as a NUL-terminated string (at most @max bytes), or NULL. */
char *read_text_file(const char *path, size_t max);
/* First line of a file, trailing whitespace removed, into buf; 0 or -errno. */
int read_line_file(const char *path, char *buf, size_t len);
/* Strip trailing whitespace in place; returns s. */
char *str_rtrim(char *s);
/* UTC time as "2026-11-22T21:40:00Z". */
void iso_time(time_t t, char *buf, size_t len);

/*
 * Atomic result files: atomic_open() creates a temp file in the target's
 * directory; atomic_commit() flushes, fsyncs and renames it over @path,
 * or removes it when @ok is 0 or any write to the stream failed (-EIO).
 * 0 or -errno.
 */
struct atomic_file {
	FILE *f;
	char tmp[4096];
	char path[4096];
};
int atomic_open(struct atomic_file *af, const char *path);
int atomic_commit(struct atomic_file *af, int ok);
/* mkdir -p for one level (the parent must exist); 0 or -errno. */
int ensure_dir(const char *dir);

/*
 * gnuplot reading its script from the returned stream, its output going
 * to @out_path: fork + exec, no shell, so no file name is ever parsed as a
 * command. gnuplot_close() returns 0 when gnuplot succeeded.
 */
struct gnuplot {
	FILE *f;
	int pid;
};
int gnuplot_open(struct gnuplot *gp, const char *out_path);	/* 0 or -errno */
int gnuplot_close(struct gnuplot *gp);
/* @s as a gnuplot single-quoted string body: ' doubled, newlines dropped. */
void gnuplot_quote(char *buf, size_t len, const char *s);

#endif
