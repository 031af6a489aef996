/* SPDX-License-Identifier: GPL-2.0 */
/* Subcommands: each is int cmd_X(int argc, char **argv) with argv[0] = "X";
 * the return value is the exit status. Add one to main.c's table. */
#ifndef SYSLAT_CMDS_H
#define SYSLAT_CMDS_H

int cmd_run(int argc, char **argv);		/* cmd-run.c */
int cmd_bench(int argc, char **argv);		/* cmd-run.c */
int cmd_list(int argc, char **argv);		/* cmd-run.c */
int cmd_env(int argc, char **argv);		/* cmd-env.c */
int cmd_overhead(int argc, char **argv);	/* cmd-overhead.c */
int cmd_hist(int argc, char **argv);		/* cmd-hist.c */
int cmd_selftest(int argc, char **argv);	/* cmd-selftest.c */
int cmd_compare(int argc, char **argv);		/* cmd-compare.c */
int cmd_reduce(int argc, char **argv);		/* cmd-reduce.c */
int cmd_c2c(int argc, char **argv);		/* cmd-c2c.c */
int cmd_wakeup(int argc, char **argv);		/* cmd-wakeup.c */
int cmd_profile(int argc, char **argv);		/* cmd-profile.c */
int cmd_matrix(int argc, char **argv);		/* cmd-matrix.c */
int cmd_tune(int argc, char **argv);		/* cmd-tune.c */
int cmd_ipcsweep(int argc, char **argv);	/* cmd-ipcsweep.c */

/* The whole command line, for the result files' envelope (main.c). */
extern int syslat_argc;
extern char **syslat_argv;

#endif
