// SPDX-License-Identifier: GPL-2.0
/*
 * syslat tune [--cpu N] [--apply | --restore | --hold -- CMD...]: check
 * what makes measurements unstable and say what to do (docs/tune.md);
 * --apply sets what can be set at run time (root), saving the previous
 * values; --restore puts them back; --hold runs CMD while holding a 0 us
 * CPU latency request (/dev/cpu_dma_latency, as cyclictest does).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "opts.h"
#include "tune.h"

static void print_report(const struct tune_report *r, int verbose)
{
	size_t i;

	printf("# syslat tune: measuring cpu%d; 'untuned' settings move the figures\n", r->cpu);
	printf("%-8s %-28s %-26s %-12s %s\n", "status", "setting", "value", "wants", "advice");
	for (i = 0; i < r->n; i++) {
		const struct tune_item *it = &r->it[i];

		if (it->detail && !verbose)
			continue;
		printf("%-8s %-28s %-26s %-12s %s%s\n", tune_status_name(it->st), it->name,
		       it->value[0] ? it->value : "-", it->want[0] ? it->want : "-", it->advice,
		       it->st == TUNE_WARN && it->boot ? " (boot parameter)" : "");
	}
}

/* Run argv with /dev/cpu_dma_latency held at 0; CMD's exit status. */
static int hold(char **argv)
{
	int32_t zero = 0;
	int fd = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC), st;
	pid_t pid;

	if (fd < 0 || write(fd, &zero, sizeof(zero)) != (ssize_t)sizeof(zero)) {
		fprintf(stderr, "syslat tune --hold: /dev/cpu_dma_latency: %s (root is needed); "
			"%s not run\n", strerror(errno), argv[0]);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	fprintf(stderr, "syslat tune: holding a 0 us CPU latency request while %s runs\n", argv[0]);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "syslat tune --hold: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		fprintf(stderr, "syslat tune --hold: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);	/* drops the request */
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* --cpu N: a CPU this machine has; -1 (said why) otherwise. */
static int parse_cpu(const char *arg)
{
	char p[64];
	uint64_t v;

	if (parse_u64(arg, 0, 4095, &v)) {
		fprintf(stderr, "syslat tune: --cpu needs a CPU number (0-4095), got '%s'\n", arg);
		return -1;
	}
	snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d", (int)v);
	if (access("/sys/devices/system/cpu/cpu0", F_OK) == 0 && access(p, F_OK)) {
		fprintf(stderr, "syslat tune: --cpu %d: no such CPU\n", (int)v);
		return -1;
	}
	return (int)v;
}

static int usage(int err)
{
	fprintf(err ? stderr : stdout,
		"usage: syslat tune [--cpu N] [--verbose] [--state FILE] [--apply | --restore]\n"
		"       syslat tune --hold -- CMD [ARGS...]\n"
		"  Checks frequency policy, turbo, SMT, idle states and CPU latency requests,\n"
		"  isolation of the measuring CPU (default: the first of the affinity mask),\n"
		"  IRQ affinity, THP, ASLR, watchdog and the hypervisor, and says what to do.\n"
		"  --apply    (root) set what can be set at run time; the previous values go\n"
		"             to the state file (default %s, or $SYSLAT_TUNE_STATE)\n"
		"  --restore  put the saved values back (also after a crash); removes the file\n"
		"  --hold     run CMD with /dev/cpu_dma_latency held at 0 us\n"
		"  --verbose  also one line per IRQ\n", TUNE_STATE_DEFAULT);
	return err ? 2 : 0;
}

int cmd_tune(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "cpu", required_argument, NULL, 'c' },
		{ "apply", no_argument, NULL, 'a' },
		{ "restore", no_argument, NULL, 'r' },
		{ "state", required_argument, NULL, 's' },
		{ "hold", no_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tune_report r = { 0 };
	const char *state = NULL;
	int c, cpu = -1, mode = 0, verbose = 0, rc;

	while ((c = getopt_long(argc, argv, "+hv", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			if ((cpu = parse_cpu(optarg)) < 0)
				return 2;
			break;
		case 'a': case 'r': case 'H':
			if (mode && mode != c) {
				fprintf(stderr, "syslat tune: --apply, --restore and --hold exclude each other\n");
				return 2;
			}
			mode = c;
			break;
		case 's': state = optarg; break;
		case 'v': verbose = 1; break;
		default: return usage(c != 'h');
		}
	}
	if ((mode == 'H') != (optind < argc)) {
		fprintf(stderr, "syslat tune: %s\n", mode == 'H' ? "--hold needs a command (-- CMD ...)" :
			"unexpected argument (a command goes after --hold --)");
		return 2;
	}
	if (mode == 'H')
		return hold(argv + optind);
	if (mode == 'r') {
		rc = tune_restore(tune_state_path(state));
		return rc == 0 || rc == 2 ? 0 : 1;	/* 2: nothing to restore */
	}
	if (tune_check(&r, cpu)) {
		fprintf(stderr, "syslat tune: out of memory\n");
		return 1;
	}
	print_report(&r, verbose);
	rc = mode == 'a' ? tune_apply(&r, tune_state_path(state)) : 0;
	tune_free(&r);
	return rc ? 1 : 0;
}
