// SPDX-License-Identifier: GPL-2.0
/* The statistics block of a result (stats-json.h). */
#include "stats-json.h"

void stats_json_block(json_writer_t *w, const struct stats *s, double k)
{
	jsonw_name(w, "stats");
	jsonw_start_array(w);
	jsonw_float(w, s->min * k);
	jsonw_float(w, s->q1 * k);
	jsonw_float(w, s->median * k);
	jsonw_float(w, s->mean * k);
	jsonw_float(w, s->q3 * k);
	jsonw_float(w, s->max * k);
	jsonw_float(w, s->stddev * k);
	jsonw_uint(w, s->n);
	jsonw_end_array(w);
	jsonw_name(w, "statistics");
	jsonw_start_object(w);
	jsonw_float_field(w, "min", s->min * k);
	jsonw_float_field(w, "q1", s->q1 * k);
	jsonw_float_field(w, "median", s->median * k);
	jsonw_float_field(w, "mean", s->mean * k);
	jsonw_float_field(w, "q3", s->q3 * k);
	jsonw_float_field(w, "max", s->max * k);
	jsonw_float_field(w, "stddev", s->stddev * k);
	jsonw_uint_field(w, "n", s->n);
	jsonw_end_object(w);
}
