// SPDX-License-Identifier: GPL-2.0
/* Runs every suite listed in the generated suites.h (see Makefile). */
#include <check.h>
#include <stdlib.h>

#define SUITE(fn) Suite *fn(void);
#include "suites.h"
#undef SUITE

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

#define SUITE(fn) srunner_add_suite(sr, fn());
#include "suites.h"
#undef SUITE
	/* CK_ENV: CK_RUN_SUITE / CK_RUN_CASE / CK_VERBOSITY select and tune. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
