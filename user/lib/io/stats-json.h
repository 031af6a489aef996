/* SPDX-License-Identifier: GPL-2.0 */
/* A result's statistics in JSON (schema 2), shared by the harness's
 * report and syslat-mini, so that both print the same block. */
#ifndef SYSLAT_STATS_JSON_H
#define SYSLAT_STATS_JSON_H

#include "json.h"
#include "stats.h"

/* "stats": [min, q1, median, mean, q3, max, stddev, n] and the same as
 * the named object "statistics", every figure times k (1: ticks). */
void stats_json_block(json_writer_t *w, const struct stats *s, double k);

#endif
