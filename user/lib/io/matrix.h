/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mitigation matrix (syslat matrix): per kernel, configuration and
 * benchmark, the per-round means of every boot, kept per boot so that the
 * uncertainty of a difference covers boots and rounds (a two-level
 * bootstrap: boots with replacement, then rounds within each boot), and
 * each configuration's kernel command line and vulnerabilities files as
 * its guest reported them.
 */
#ifndef SYSLAT_MATRIX_H
#define SYSLAT_MATRIX_H

#include <stddef.h>
#include <stdint.h>

#define MX_RESAMPLES 2000
#define MX_SEED 0x6d697467ULL

struct mx_boot {
	unsigned int boot;
	double *v;		/* per-round means */
	size_t n;
};

struct mx_cell {
	char kernel[96], config[48], name[48], unit[40];
	struct mx_boot *b;
	size_t nb;
};

struct mx_conf {
	char kernel[96], config[48];
	char *cmdline;
	char **vkey, **vval;	/* vulnerabilities/<key> = <val>, from its first boot */
	size_t nv;
	unsigned int boots;
};

struct mx {
	struct mx_cell *c;
	size_t nc, capc;
	struct mx_conf *k;
	size_t nk, capk;
};

/* Read one guest console log (SYSLAT-JSON blocks); 0 or -errno, message printed. */
int mx_add_log(struct mx *m, const char *path);
void mx_free(struct mx *m);

const struct mx_cell *mx_cell_find(const struct mx *m, const char *kernel, const char *config,
				   const char *name);
const struct mx_conf *mx_conf_find(const struct mx *m, const char *kernel, const char *config);
const char *mx_vuln(const struct mx_conf *k, const char *key);	/* NULL if absent */

/* Median of all rounds of all boots; NaN when empty. */
double mx_median(const struct mx_cell *c);
/* Total rounds over boots. */
size_t mx_rounds(const struct mx_cell *c);

/*
 * median(a) - median(b) and its 95 % percentile bootstrap interval:
 * each resample draws boots with replacement (when there are two or more),
 * then rounds with replacement within each drawn boot.
 */
void mx_diff(const struct mx_cell *a, const struct mx_cell *b, double *d, double *lo, double *hi);

#endif
