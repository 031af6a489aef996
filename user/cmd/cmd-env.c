// SPDX-License-Identifier: GPL-2.0
/* syslat env: the environment as every result file records it. */
#include <stdio.h>

#include "cmds.h"
#include "bench.h"
#include "env.h"
#include "kmod.h"
#include "opts.h"
#include "tsc.h"

int cmd_env(int argc, char **argv)
{
	struct kmod_info ki;
	struct tsc_info ti;
	struct opts o;
	struct env e;
	int first;

	opts_defaults(&o);
	first = opts_parse(&o, argc, argv, "env");
	if (first == OPTS_HELP)
		return 0;
	if (first < 0)
		return 2;
	kmod_read_info(NULL, &ki);
	/* the calibration runs pinned (a migration would mix two TSCs) */
	if (place_pin_self(place_current_cpu()))
		fprintf(stderr, "syslat env: cannot pin: the calibration may migrate\n");
	tsc_init_with(&ti, ki.tsc_khz);
	env_init(&e);
	env_capture(&e, &ti, &ki);
	if (o.format == FMT_JSON) {
		json_writer_t *w = jsonw_new(stdout);

		if (!w)
			return 1;
		jsonw_pretty(w, 1);
		env_json(w, &e);
		jsonw_destroy(&w);
	} else {
		env_print(stdout, &e);
	}
	env_destroy(&e);
	return 0;
}
