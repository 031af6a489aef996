// SPDX-License-Identifier: GPL-2.0
/*
 * syslat: OS primitive costs measured with the TSC.
 * Subcommand dispatch only; adding a subcommand is one line in cmds[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "util.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd cmds[] = {
	{ "run", cmd_run, "run the default suite (table on stdout, JSON + CSV files)" },
	{ "bench", cmd_bench, "run the named benchmarks" },
	{ "list", cmd_list, "list the benchmarks" },
	{ "env", cmd_env, "print the captured environment" },
	{ "overhead", cmd_overhead, "print the measurement overhead figures" },
	{ "hist", cmd_hist, "show the module's kernel-side histograms" },
	{ "selftest", cmd_selftest, "check the module and the harness end to end" },
	{ "compare", cmd_compare, "compare result files" },
	{ "reduce", cmd_reduce, "pool guest console results into a Table-1 style table" },
	{ "c2c", cmd_c2c, "core-to-core latency matrix (cache-line ping-pong)" },
	{ "wakeup", cmd_wakeup, "timer wake-up latency histogram (cyclictest)" },
	{ "ipc-sweep", cmd_ipcsweep, "IPC message-size sweep: round trip and bandwidth, N pairs" },
	{ "profile", cmd_profile, "instruction profile of a kernel path (guest) or perf samples" },
	{ "tune", cmd_tune, "check (and --apply/--restore) what makes measurements unstable" },
	{ "matrix", cmd_matrix, "per-knob mitigation costs from vm-bench --matrix logs" },
};

int syslat_argc;
char **syslat_argv;

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: syslat COMMAND [OPTIONS]   (syslat COMMAND --help)\n\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nsyslat %s\n", SYSLAT_VERSION);
}

int main(int argc, char **argv)
{
	size_t i;

	/* Line-buffered before any fork(): no duplicated output in children. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A copy of the pointers: getopt_long permutes argv, the results
	 * file records the command line as typed. */
	syslat_argv = calloc((size_t)argc + 1, sizeof(*syslat_argv));
	if (syslat_argv) {
		memcpy(syslat_argv, argv, (size_t)argc * sizeof(*argv));
		syslat_argc = argc;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("syslat %s\n", SYSLAT_VERSION);
		return 0;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "syslat: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
