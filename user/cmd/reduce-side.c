// SPDX-License-Identifier: GPL-2.0
/*
 * syslat reduce --side-by-side: the pooled cells once more as tables a row
 * per platform. reduce_print_side: the blocks that name their program
 * (syslat-mini on Linux and Unikraft), every operation they ran. And
 * reduce_print_systems: the operations Linux, Unikraft and seL4 share
 * (function call, null syscall, ENOSYS, IPC one way and round trip), each
 * column saying where its figure comes from on each system, because the
 * systems do not run the same program for all of them (seL4 runs
 * sel4bench, Unikraft runs a single task).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reduce.h"

/* Index of s in v[0..n-1], appending it when absent and there is room. */
static size_t name_index(const char **v, size_t *n, size_t max, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(v[i], s))
			return i;
	if (*n < max)
		v[(*n)++] = s;
	return i;
}

/* The platforms whose blocks name their prog, one row each, one column per
 * operation (the median; "-" where a system has no such operation). Runs
 * after print_table(), which computed the statistics. */
#define SIDE_MAX 16
void reduce_print_side(FILE *f, const struct reduce *r)
{
	const char *col[SIDE_MAX], *row[SIDE_MAX], *unit[SIDE_MAX] = { 0 };
	double v[SIDE_MAX][SIDE_MAX];
	size_t nc = 0, nr = 0, i, j, a, b, other = 0;

	for (i = 0; i < SIDE_MAX; i++)
		for (j = 0; j < SIDE_MAX; j++)
			v[i][j] = NAN;
	for (i = 0; i < r->n; i++) {
		if (!r->c[i].side)
			continue;
		a = name_index(row, &nr, SIDE_MAX, r->c[i].platform);
		b = name_index(col, &nc, SIDE_MAX, r->c[i].name);
		if (a == SIDE_MAX || b == SIDE_MAX)
			continue;	/* more than the table holds: the first table has it all */
		if (!unit[a])
			unit[a] = r->c[i].unit;
		if (strcmp(unit[a], r->c[i].unit))
			other++;	/* never under the row's unit */
		else
			v[a][b] = r->c[i].st.median;
	}
	if (!nr)
		return;
	fprintf(f, "\n# The same program on every system, side by side: median per operation\n");
	fprintf(f, "%-44s", "Platform");
	for (j = 0; j < nc; j++)
		fprintf(f, " | %10s", col[j]);
	fprintf(f, " | unit\n");
	for (i = 0; i < nr; i++) {
		fprintf(f, "%-44s", row[i]);
		for (j = 0; j < nc; j++)
			if (isnan(v[i][j]))
				fprintf(f, " | %10s", "-");
			else
				fprintf(f, " | %10.2f", v[i][j]);
		fprintf(f, " | %s\n", unit[i] ? unit[i] : "-");
	}
	if (other)
		fprintf(f, "# %zu figure(s) in another unit than their row's (logs of runs with another "
			"accelerator pooled) left out\n", other);
}

static const char MINI[] = " syslat-mini";

/* A column: the cell names that give it, tried in order; a name with
 * mini set is taken only from a syslat-mini platform, else only from a
 * platform without it. The seL4 round trip is the sum of two cells. */
struct src {
	const char *name;
	int mini;
};

struct col {
	const char *head;
	struct src s[3];
	const char *sum[2];	/* when no source matched: the sum of these two */
};

static const struct col COLS[] = {
	{ "fcall", { { "fcall", 1 }, { "fcall", 0 } }, { NULL, NULL } },
	{ "null syscall", { { "noop", 1 }, { "sel4-null-syscall", 0 } }, { NULL, NULL } },
	{ "ENOSYS", { { "enosys", 1 }, { "enosys", 0 } }, { NULL, NULL } },
	{ "IPC one-way", { { "futex-switch", 0 }, { "sel4-call", 0 } }, { NULL, NULL } },
	{ "IPC round trip", { { "pipe", 0 } }, { "sel4-call", "sel4-replyrecv" } },
};

#define NCOLS (sizeof(COLS) / sizeof(COLS[0]))
#define SYS_MAX 16

struct sysrow {
	char sys[160];
	const char *unit;
	double v[NCOLS];
	int derived[NCOLS];
	int other_unit[NCOLS];	/* a figure in another unit than the row's: not shown */
};

/* The system a platform belongs to: the platform without " syslat-mini". */
static size_t sys_len(const char *plat, int *mini)
{
	size_t n = strlen(plat), m = sizeof(MINI) - 1;

	*mini = n > m && !strcmp(plat + n - m, MINI);
	return *mini ? n - m : n;
}

static const struct cell *find(const struct reduce *r, const char *sys, const char *name, int mini)
{
	size_t i, n;
	int m;

	for (i = 0; i < r->n; i++) {
		n = sys_len(r->c[i].platform, &m);
		if (m == mini && n == strlen(sys) && !strncmp(r->c[i].platform, sys, n) &&
		    !strcmp(r->c[i].name, name) && r->c[i].st.n)
			return &r->c[i];
	}
	return NULL;
}

/* The row's unit is its first figure's; a figure in another (cells pooled
 * from runs of another accelerator) is never printed under it. */
static int row_unit(struct sysrow *row, size_t j, const struct cell *c)
{
	if (!row->unit)
		row->unit = c->unit;
	row->other_unit[j] = strcmp(row->unit, c->unit) != 0;
	return !row->other_unit[j];
}

static void fill(const struct reduce *r, struct sysrow *row)
{
	const struct cell *c, *d;
	size_t j, k;

	for (j = 0; j < NCOLS; j++) {
		row->v[j] = NAN;
		for (k = 0, c = NULL; k < 3 && COLS[j].s[k].name && !c; k++)
			c = find(r, row->sys, COLS[j].s[k].name, COLS[j].s[k].mini);
		if (!c && COLS[j].sum[0]) {
			c = find(r, row->sys, COLS[j].sum[0], 0);
			d = find(r, row->sys, COLS[j].sum[1], 0);
			if (c && d && !strcmp(c->unit, d->unit) && row_unit(row, j, c)) {
				row->v[j] = c->st.median + d->st.median;
				row->derived[j] = 1;
			}
		} else if (c && row_unit(row, j, c)) {
			row->v[j] = c->st.median;
		}
	}
}

static size_t collect(const struct reduce *r, struct sysrow *rows)
{
	size_t i, k, nr = 0, n;
	int m;

	for (i = 0; i < r->n && nr < SYS_MAX; i++) {
		n = sys_len(r->c[i].platform, &m);
		for (k = 0; k < nr; k++)
			if (strlen(rows[k].sys) == n && !strncmp(rows[k].sys, r->c[i].platform, n))
				break;
		if (k < nr)
			continue;
		memset(&rows[nr], 0, sizeof(rows[nr]));
		snprintf(rows[nr].sys, sizeof(rows[nr].sys), "%.*s", (int)n, r->c[i].platform);
		fill(r, &rows[nr]);
		if (rows[nr].unit)
			nr++;
	}
	return nr;
}

static const char NOTES[] =
	"# fcall, null syscall, ENOSYS: syslat-mini, the same static-pie ELF on Linux and Unikraft, in the\n"
	"#   harness's window (its loop's syscall and return check included); the null syscall is nr 500,\n"
	"#   on Linux answered by the module with timing=0; seL4's is seL4_BenchmarkNullSyscall (sel4bench,\n"
	"#   its own loop, its overhead subtracted)\n"
	"# IPC one-way: Linux futex-switch (one futex hand-off between two threads on one CPU, with the\n"
	"#   switch); seL4 seL4_Call to a waiting server in the same address space, 0 words (fastpath)\n"
	"# IPC round trip: Linux pipe (1-byte ping-pong between two threads on one CPU); seL4 * = the\n"
	"#   seL4_Call and seL4_ReplyRecv medians added (sel4bench times each direction on its own)\n"
	"# -: the system has no such operation here (Unikraft runs one task; sel4bench has no\n"
	"#   function call or ENOSYS benchmark)\n";

void reduce_print_systems(FILE *f, const struct reduce *r)
{
	struct sysrow rows[SYS_MAX];
	size_t nr = collect(r, rows), i, j;
	char buf[32];

	if (nr < 2)
		return;
	fprintf(f, "\n# Every system side by side: the operations they share (median per operation)\n");
	fprintf(f, "%-48s", "System");
	for (j = 0; j < NCOLS; j++)
		fprintf(f, " | %14s", COLS[j].head);
	fprintf(f, " | unit\n");
	for (i = 0; i < nr; i++) {
		fprintf(f, "%-48s", rows[i].sys);
		for (j = 0; j < NCOLS; j++) {
			if (rows[i].other_unit[j])
				snprintf(buf, sizeof(buf), "other unit");
			else if (isnan(rows[i].v[j]))
				snprintf(buf, sizeof(buf), "-");
			else
				snprintf(buf, sizeof(buf), "%.2f%s", rows[i].v[j], rows[i].derived[j] ? "*" : "");
			fprintf(f, " | %14s", buf);
		}
		fprintf(f, " | %s\n", rows[i].unit);
	}
	fputs(NOTES, f);
	for (i = 0; i < nr; i++)
		for (j = 0; j < NCOLS; j++)
			if (rows[i].other_unit[j]) {
				fprintf(f, "# other unit: %s's %s is in another unit than its row "
					"(logs of runs with another accelerator pooled): left out\n",
					rows[i].sys, COLS[j].head);
			}
}
