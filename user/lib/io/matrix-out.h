/* SPDX-License-Identifier: GPL-2.0 */
/* syslat matrix's options, vm-bench's verdicts and the matrix.json writer. */
#ifndef SYSLAT_MATRIX_OUT_H
#define SYSLAT_MATRIX_OUT_H

#include <stddef.h>

#include "matrix.h"

#define MX_MAX_VERDICTS 256

/* vm-bench's matrix.tsv: did each knob change what the guest reports. */
struct mx_verdicts {
	char *kernel[MX_MAX_VERDICTS], *config[MX_MAX_VERDICTS], *verdict[MX_MAX_VERDICTS];
	size_t n;
};

struct mx_opts {
	const char *def, *off;		/* names of the default and mitigations=off configurations */
	const struct mx_verdicts *vd;
};

/* Nonzero when an earlier configuration than m->k[k] has its kernel. */
int mx_kernel_seen(const struct mx *m, size_t k);
/* The command line of @k beyond @def's, vm-bench's own vmb.* left out ("-" if none). */
void mx_params(const struct mx_conf *k, const struct mx_conf *def, char *buf, size_t len);
/* vm-bench's verdict of KERNEL CONFIG, or NULL. */
const char *mx_verdict(const struct mx_verdicts *vd, const char *kernel, const char *config);
/* DIR/matrix.json, atomically; 0 or -errno. */
int mx_write_json(const char *dir, const struct mx *m, const struct mx_opts *o);

#endif
