/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sel4bench result files (seL4's benchmark suite), read into syslat's
 * result model for `syslat reduce` and `syslat compare`.
 *
 * sel4bench prints one JSON array, a list of benchmarks
 *     [{"Benchmark": "One way IPC microbenchmarks",
 *       "Results": [{"Function": "seL4_Call", ..., "Min": 190, "Max": 190,
 *                    "Mean": 190.0, "Stddev": 0.0, "Median": 190.0,
 *                    "1st quantile": ..., "3rd quantile": ..., "Samples": 16,
 *                    "Raw results": [190, ...]}, ...]}, ...]
 * between the lines "JSON OUTPUT" and "END JSON OUTPUT" of its serial
 * console (the end marker directly follows the last ']'). Either form is
 * read: the bare JSON, or a console log that contains it. Every figure is
 * sel4bench's counter delta with its own measuring overhead subtracted:
 * TSC cycles on x86 (cpuid; rdtsc; cpuid), exact instructions under QEMU
 * TCG with -icount shift=0.
 *
 * A log may name what produced it in lines "syslat-sel4: KEY=VALUE" before
 * the JSON (tests/guest/sel4.sh writes them): system= (the version),
 * config= (a short configuration name), unit= ("instructions (icount)"
 * or "cycles"). Without unit= the unit is S4_UNIT_UNKNOWN: sel4bench's
 * figure is TSC cycles on hardware but instructions under icount, and its
 * JSON does not say which.
 *
 * Each row gets a syslat name (sel4-call, sel4-replyrecv-xas, sel4-cv-p2c,
 * ...), what one operation is, and the Linux benchmark it corresponds to.
 * "core" rows are those with a Linux counterpart: the ones reduce tables.
 * sel4bench's "early processing" rows keep only a running sum: their Min,
 * Max, Median, quantiles and raw results print as 0 and are read as
 * absent (NaN); rows whose every figure is 0 (the PMU-averaged runs on a
 * CPU without counters, QEMU TCG) are marked unmeasured.
 */
#ifndef SYSLAT_SEL4BENCH_H
#define SYSLAT_SEL4BENCH_H

#include <stddef.h>

#define S4_UNIT_UNKNOWN "ticks (unit not recorded)"

struct s4_row {
	char name[48];		/* syslat name, unique in the file */
	char title[64];
	char bench[80];		/* sel4bench's "Benchmark" */
	const char *op;		/* what one operation is */
	const char *linux_eq;	/* the Linux counterpart, or NULL */
	const char *dir;	/* "one_way" or "per_call" */
	int core, xas;		/* has a Linux counterpart; across address spaces */
	int early;		/* "(early processing)": only Mean and Stddev are data */
	int unmeasured;		/* every figure 0: an averaged run without PMU counters */
	double min, max, mean, stddev, median, q1, q3;
	size_t samples;
	double *raw;		/* "Raw results", or NULL */
	size_t nraw;
};

struct s4_file {
	char system[96];	/* "seL4 13.0.0 (sel4bench manifest f62d375)" */
	char config[96];
	char unit[40];
	struct s4_row *rows;
	size_t n;
};

/* 1 when @text is sel4bench output (its JSON, or a log with its markers). */
int s4_detect(const char *text, size_t len);
/* Parse @text into @f: 0, or -1 with the reason in @err (nothing to free). */
int s4_parse(const char *text, size_t len, struct s4_file *f, char *err, size_t errlen);
void s4_free(struct s4_file *f);
/* "SYSTEM CONFIG": reduce's platform column. */
void s4_platform(const struct s4_file *f, char *buf, size_t len);
/*
 * @f as a syslat result file (schema 2: tsc.unit, results[] with name,
 * title, direction, stats[8], one run), malloc'd text, or NULL: what
 * `syslat compare` reads in place of the sel4bench file.
 */
char *s4_to_syslat_json(const struct s4_file *f);

/* sel4bench-names.c: name, title, meaning of one row of benchmark @bench. */
struct jv;
void s4_name_row(struct s4_row *r, const char *bench, const struct jv *row);

#endif
