// SPDX-License-Identifier: GPL-2.0
/*
 * syslat: system call 500 as a timed noop returning SYSLAT_NOOP_RET.
 *
 * Module parameters, backend choice, armed state, init and exit.
 * init: per-CPU state -> hook -> the any-syscall stamps (anysys.c) ->
 * debugfs (last: it cannot fail, and a file opened during a failing init
 * would outlive the freed module); exit is its mirror.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/unistd.h>
#include "anysys.h"
#include "record.h"

/* Which hook: patch is nearly free, tracepoint works on any kernel. */
static char *hook = "auto";
module_param(hook, charp, 0444);
MODULE_PARM_DESC(hook, "Hook backend: auto (patch, else tracepoint), patch or tracepoint");

/* Upstream keeps adding syscalls: 500 will not stay free forever. */
int syslat_nr __read_mostly = SYSLAT_NR_NOOP;
module_param_named(nr, syslat_nr, int, 0444);
MODULE_PARM_DESC(nr, "System call number to take over: NR_syscalls..1073741823, unassigned (default 500)");

/* How many recent calls per CPU user space can match to its timestamps. */
static unsigned int ring_size = 4096;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "Ring records per CPU: 0 (no ring) or a power of two 64..1048576 (default 4096)");

/* Lets a test check that the timing recovers a known cost from load on. */
module_param_named(inject_cycles, syslat_inject_cycles, ullong, 0444);
MODULE_PARM_DESC(inject_cycles, "TSC cycles busy-waited inside the timed window: 0..one millisecond of cycles (tsc_khz) (default 0)");

/* Other callers of the number neither pollute the statistics nor spin. */
module_param_named(filter_tgid, syslat_filter_tgid, uint, 0444);
MODULE_PARM_DESC(filter_tgid, "Time only calls from this tgid; others just get 0xC0FFEE (default 0: all)");

/* timing=0 is the cleanest noop a stock kernel can have (patch backend). */
static int timing = 1;
module_param(timing, int, 0444);
MODULE_PARM_DESC(timing, "1: time each call (default); 0: only return 0xC0FFEE");

/* The tracepoint backend slows every syscall, so it starts disarmed. */
static int armed = -1;
module_param(armed, int, 0444);
MODULE_PARM_DESC(armed, "Initial armed state: 0, 1, or -1 for the backend's default (patch armed, tracepoint disarmed)");

u8 syslat_mode __read_mostly;
bool syslat_armed;
static bool syslat_timing;
const char *syslat_hook_name;

/* Serializes the backend choice, install/remove and armed changes. */
static DEFINE_MUTEX(syslat_lock);
static const struct syslat_backend *syslat_backend;	/* NULL: none installed */

const struct syslat_backend *syslat_current_backend(void)
{
	return READ_ONCE(syslat_backend);
}

/* The byte the fast paths read; syslat_lock held or not yet visible. */
static void syslat_update_mode(void)
{
	u8 mode = SYSLAT_MODE_OFF;

	if (syslat_armed)
		mode = syslat_timing ? SYSLAT_MODE_TIMED : SYSLAT_MODE_NOOP;
	WRITE_ONCE(syslat_mode, mode);
}

bool syslat_get_timing(void)
{
	return READ_ONCE(syslat_timing);
}

int syslat_set_timing(bool on)
{
	mutex_lock(&syslat_lock);
	WRITE_ONCE(syslat_timing, on);
	syslat_update_mode();
	mutex_unlock(&syslat_lock);
	return 0;
}

int syslat_set_armed(bool on)
{
	const struct syslat_backend *b;
	int ret = 0;

	mutex_lock(&syslat_lock);
	b = syslat_backend;
	if (!b) {
		ret = -ENODEV;
	} else if (on == syslat_armed) {
		ret = 0;
	} else if (on) {
		ret = b->set_armed(true);
		if (!ret) {
			WRITE_ONCE(syslat_armed, true);
			syslat_update_mode();
		}
	} else {
		WRITE_ONCE(syslat_armed, false);
		syslat_update_mode();
		ret = b->set_armed(false);
	}
	mutex_unlock(&syslat_lock);
	return ret;
}

static int syslat_check_params(void)
{
	if (!hook || (strcmp(hook, "auto") && strcmp(hook, "patch") &&
		      strcmp(hook, "tracepoint"))) {
		pr_err("invalid hook=%s: use auto, patch or tracepoint\n",
		       hook ? hook : "(null)");
		return -EINVAL;
	}
	if (ring_size && (ring_size < SYSLAT_RING_MIN ||
			  ring_size > SYSLAT_RING_MAX || !is_power_of_2(ring_size))) {
		pr_err("invalid ring_size=%u: need 0 or a power of two in %u..%u\n",
		       ring_size, SYSLAT_RING_MIN, SYSLAT_RING_MAX);
		return -EINVAL;
	}
	if ((u64)ring_size * 32 * num_possible_cpus() >	/* 32: a ring slot */
	    SYSLAT_RING_TOTAL_MAX) {
		pr_err("invalid ring_size=%u: %u possible CPUs would need more than %lu MiB of rings\n",
		       ring_size, num_possible_cpus(), SYSLAT_RING_TOTAL_MAX >> 20);
		return -EINVAL;
	}
	if (syslat_inject_cycles > syslat_inject_max()) {
		pr_err("invalid inject_cycles=%llu: need 0..%llu (one millisecond)\n",
		       syslat_inject_cycles, syslat_inject_max());
		return -EINVAL;
	}
	if (armed < -1 || armed > 1) {
		pr_err("invalid armed=%d: need -1, 0 or 1\n", armed);
		return -EINVAL;
	}
	if (timing < 0 || timing > 1) {
		pr_err("invalid timing=%d: need 0 or 1\n", timing);
		return -EINVAL;
	}
	return 0;
}

/*
 * The number must be one the entry code sends down the out-of-range
 * path: at least NR_syscalls (else it exists: -EBUSY, not -EEXIST,
 * which modprobe would take for "already loaded"), below the x32 bit.
 */
static int syslat_check_nr(void)
{
	if (syslat_nr >= 0 && syslat_nr < NR_syscalls) {
		pr_err("nr=%d: this kernel already has syscall %d (NR_syscalls = %d): refusing to load\n",
		       syslat_nr, syslat_nr, NR_syscalls);
		return -EBUSY;
	}
	if (syslat_nr < 0 || syslat_nr >= SYSLAT_NR_LIMIT) {
		pr_err("invalid nr=%d: need %d..%d\n", syslat_nr, NR_syscalls,
		       SYSLAT_NR_LIMIT - 1);
		return -EINVAL;
	}
	return 0;
}

/* Set the initial armed state for @b, then let @b install its hook. */
static int syslat_try_backend(const struct syslat_backend *b,
			      char *why, size_t len)
{
	bool on = armed >= 0 ? armed : b != &syslat_tracepoint_backend;

	WRITE_ONCE(syslat_armed, on);
	syslat_update_mode();
	why[0] = '\0';
	return b->install(why, len);
}

/* Choose and install the backend; one pr_err line when none installs. */
static int syslat_install(void)
{
	const struct syslat_backend *b = NULL;
	char why[128], patch_why[128] = "";
	int ret = -EINVAL;

	mutex_lock(&syslat_lock);
	if (strcmp(hook, "tracepoint")) {
		b = &syslat_patch_backend;
		ret = syslat_try_backend(b, why, sizeof(why));
		if (ret && !strcmp(hook, "patch")) {
			pr_err("hook=patch: cannot install: %s (%d)\n", why, ret);
			goto out_unlock;
		}
		if (ret)
			strscpy(patch_why, why, sizeof(patch_why));
	}
	if (ret) {
		b = &syslat_tracepoint_backend;
		ret = syslat_try_backend(b, why, sizeof(why));
		if (ret) {
			if (patch_why[0])
				pr_err("hook=auto: no backend installs: patch: %s; tracepoint: %s (%d)\n",
				       patch_why, why, ret);
			else
				pr_err("hook=tracepoint: cannot install: %s (%d)\n",
				       why, ret);
			goto out_unlock;
		}
	}
	WRITE_ONCE(syslat_backend, b);
	if (patch_why[0])
		pr_info("hook=auto: patch backend unavailable (%s), using tracepoint\n",
			patch_why);
	pr_info("hook=%s: using the %s backend, %s, timing=%d; syscall %d ready\n",
		hook, b->name, syslat_armed ? "armed" : "disarmed",
		syslat_timing, syslat_nr);
out_unlock:
	if (ret) {
		WRITE_ONCE(syslat_armed, false);
		syslat_update_mode();
	}
	mutex_unlock(&syslat_lock);
	return ret;
}

/* Remove the hook; on return no task can run module code through it. */
static void syslat_remove(void)
{
	mutex_lock(&syslat_lock);
	WRITE_ONCE(syslat_armed, false);
	syslat_update_mode();
	syslat_backend->remove();
	WRITE_ONCE(syslat_backend, NULL);
	mutex_unlock(&syslat_lock);
}

static int __init syslat_init(void)
{
	int ret;

	if (cpu_feature_enabled(X86_FEATURE_XENPV)) {
		pr_err("Xen PV guest: the timed window's bare cli/sti would not work here\n");
		return -EOPNOTSUPP;
	}
	if (!boot_cpu_has(X86_FEATURE_RDTSCP)) {
		pr_err("this CPU has no RDTSCP: the timed window needs it\n");
		return -EOPNOTSUPP;
	}
	ret = syslat_check_nr();
	if (ret)
		return ret;
	ret = syslat_check_params();
	if (ret)
		return ret;
	syslat_hook_name = hook;
	syslat_timing = timing;

	ret = syslat_record_alloc(ring_size);
	if (ret) {
		pr_err("cannot allocate per-CPU state (ring_size=%u)\n",
		       ring_size);
		return ret;
	}

	ret = syslat_install();
	if (ret)
		goto out_free_record;
	ret = syslat_anysys_init();
	if (ret)
		goto out_remove_hook;
	syslat_debugfs_init();
	return 0;

out_remove_hook:
	syslat_remove();
out_free_record:
	syslat_record_free();
	return ret;
}

static void __exit syslat_exit(void)
{
	syslat_debugfs_exit();
	syslat_anysys_exit();
	syslat_remove();
	syslat_record_free();
	pr_info("unloaded; syscall %d returns -ENOSYS again\n", syslat_nr);
}

module_init(syslat_init);
module_exit(syslat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("an unassigned syscall (500) as a timed noop for system call latency measurements");
MODULE_VERSION(SYSLAT_VERSION);
