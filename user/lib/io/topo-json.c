// SPDX-License-Identifier: GPL-2.0
/* A CPU's topology ids as a JSON object (topo.h), shared by every output. */
#include "json.h"
#include "topo.h"

void topo_ids_json(struct json_writer *w, const char *name, int cpu)
{
	struct topo_ids t;

	if (name)	/* NULL: an array element */
		jsonw_name(w, name);
	if (cpu < 0) {
		jsonw_null(w);
		return;
	}
	topo_ids(cpu, &t);
	jsonw_start_object(w);
	jsonw_int_field(w, "cpu", t.cpu);
	jsonw_int_field(w, "package", t.package);
	jsonw_int_field(w, "die", t.die);
	jsonw_int_field(w, "llc", t.llc);
	jsonw_int_field(w, "node", t.node);
	jsonw_end_object(w);
}
