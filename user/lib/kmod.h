/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader for the syslat module's debugfs files (kmod/syslat_abi.h):
 * info as a struct, the control files, and the binary ring. Small on
 * purpose: the phase merge (phases.c) builds on kmod_read_ring().
 */
#ifndef SYSLAT_KMOD_H
#define SYSLAT_KMOD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "syslat_abi.h"

struct kmod_info {
	int loaded;		/* debugfs directory present and info readable */
	int version;		/* "# version: N" */
	int abi_version;	/* SYSLAT_ABI_VERSION of the module */
	char backend[32];	/* "tracepoint", "patch", ... */
	char hook[64];		/* the hooked function */
	double tsc_khz;		/* 0 if absent */
	int armed;		/* -1 if absent */
	uint64_t inject_cycles;
	uint64_t ring_size;	/* records kept per CPU; 0 if absent */
	long nr;		/* the syscall number taken over (nr=); 0 if absent */
	int timing;		/* 1 timed, 0 plain noop; -1 if absent */
	uint32_t filter_tgid;	/* only this tgid is timed; 0: all */
	uint64_t inject_max;	/* limit of inject_cycles; 0 if absent */
	uint64_t hist_exact;	/* 0 or the bound below which every cycle has its bucket */
	char site[128];		/* where the hook sits, as the module describes it */
};

/* Parse info text ("# version: N" then "key\tvalue" lines): 0 or -EINVAL. */
int kmod_parse_info(const char *text, struct kmod_info *ki);
/* Read @dir/info (dir NULL: SYSLAT_DEBUGFS_DIR): 0, or -ENOENT when the
 * module is not loaded (ki->loaded = 0), or another -errno. */
int kmod_read_info(const char *dir, struct kmod_info *ki);

int kmod_set_armed(const char *dir, int on);		/* 0 or -errno */
int kmod_get_armed(const char *dir);			/* 0/1 or -errno */
int kmod_reset(const char *dir);
int kmod_set_inject(const char *dir, uint64_t cycles);

/* The number to call: info's nr, or SYSLAT_NR_NOOP from modules before ABI 2. */
static inline long kmod_nr(const struct kmod_info *ki)
{
	return ki && ki->nr > 0 ? ki->nr : SYSLAT_NR_NOOP;
}

/* The any-syscall stamps (trace_tgid, trace_ring): 0/-errno, the tgid or -errno,
 * the ring's text malloc'd (NULL with errno set). */
int kmod_set_trace_tgid(const char *dir, uint32_t tgid);
long kmod_get_trace_tgid(const char *dir);
char *kmod_read_trace_ring(const char *dir);

/* Every record of the ring file, malloc'd into *recs (caller frees):
 * count, or -errno. */
ssize_t kmod_read_ring(const char *dir, struct syslat_record **recs);

#endif
