/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syslat tune: what makes measurements unstable, checked (tune-checks.c),
 * set at run time and put back (tune-state.c). Each check is one item: its
 * current value, the value a measuring machine wants, the file that sets
 * it at run time (none for boot parameters and facts), and advice.
 *
 * --apply saves every value it changes to a state file before writing
 * anything (TUNE_STATE_DEFAULT, or $SYSLAT_TUNE_STATE, or --state), never
 * overwriting a value saved by an earlier --apply, so --restore puts the
 * machine back as it was before the first --apply, also after a crash.
 */
#ifndef SYSLAT_TUNE_H
#define SYSLAT_TUNE_H

#include <stddef.h>

#define TUNE_STATE_DEFAULT "/run/syslat/tune.state"
#define TUNE_STATE_HEADER "# syslat tune state 1: path<TAB>value to restore"

enum tune_status {
	TUNE_OK,	/* as a measuring machine wants it */
	TUNE_WARN,	/* untuned */
	TUNE_NA,	/* this machine does not offer it */
	TUNE_INFO,	/* a fact to record (e.g. running in a VM) */
};

struct tune_item {
	char name[96];		/* "governor policy0" */
	char value[256];	/* current, as read */
	char want[256];		/* what --apply writes; "" if not settable at run time */
	char path[320];		/* the file --apply writes; "" if none */
	char advice[320];
	enum tune_status st;
	int matters;		/* moves syscall-scale figures: syslat run says so */
	int detail;		/* one of many (an IRQ): printed with --verbose only */
	int group;		/* a summary of detail items: set through them */
	int boot;		/* a boot parameter: not settable at run time */
};

struct tune_report {
	struct tune_item *it;
	size_t n, cap;
	int cpu;		/* the measuring CPU checked */
};

/* All checks for measuring CPU @cpu (-1: the first CPU of our affinity). 0 or -ENOMEM. */
int tune_check(struct tune_report *r, int cpu);
void tune_free(struct tune_report *r);
struct tune_item *tune_add(struct tune_report *r, const char *name, enum tune_status st);
const char *tune_status_name(enum tune_status st);

/* Read a sysfs/procfs file's first line, trimmed; 0 or -errno. */
int tune_read(const char *path, char *buf, size_t len);
/* Write @val to @path (one write, as echo does); 0 or -errno. */
int tune_write(const char *path, const char *val);

/* The state file to use: @opt, else $SYSLAT_TUNE_STATE, else the default. */
const char *tune_state_path(const char *opt);
/* Set every settable untuned item; 0 when all were set, 1 when some could
 * not be (said which and why), -1 when nothing was changed (said why). */
int tune_apply(struct tune_report *r, const char *state);
/* Put back what the state file holds; 0, 1 (some failed, kept in the
 * file), or 2 when there was nothing to restore. */
int tune_restore(const char *state);

/*
 * For syslat run (tune-env.c): checks @cpu, records every untuned setting
 * in the environment as tune/<name>, and prints one line per untuned
 * setting that matters (unless @quiet).
 */
struct env;
void tune_run_note(struct env *e, int cpu, int quiet);

/* Each check group (tune-checks.c, tune-checks2.c). */
void tune_check_cpufreq(struct tune_report *r);
void tune_check_smt(struct tune_report *r);
void tune_check_idle(struct tune_report *r);
void tune_check_isolation(struct tune_report *r);
void tune_check_irqs(struct tune_report *r);
void tune_check_kernel(struct tune_report *r);

#endif
