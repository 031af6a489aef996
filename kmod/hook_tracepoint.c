// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint backend: a probe on raw_syscalls:sys_enter.
 *
 * syscall_trace_enter() (kernel/entry/common.c, 6.1 and 6.12) calls
 * trace_sys_enter() after ptrace and seccomp, then re-reads the syscall
 * number from regs->orig_ax: "Probes or BPF hooks in the tracepoint may
 * have changed the system call number". do_syscall_64()
 * (arch/x86/entry/common.c) dispatches nothing for nr == -1 and leaves
 * regs->ax alone. So for nr= the probe runs the noop (or, timing=0, just
 * sets regs->ax) and sets orig_ax = -1 to skip dispatch.
 *
 * While a probe is attached, every syscall of every task takes the slow
 * entry path (the tracepoint's regfunc sets SYSCALL_WORK_SYSCALL_TRACEPOINT
 * on all tasks), so the probe is attached only while armed.
 * syslat_noop() disables interrupts around the timed window itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/thread_info.h>
#include <linux/tracepoint.h>
#include "syslat.h"

static DEFINE_MUTEX(tp_lock);		/* serializes attach/detach */
static struct tracepoint *tp_sys_enter;	/* set by install */
static bool tp_attached;

static void tp_probe(void *data, struct pt_regs *regs, long id)
{
	u8 mode;

	/* 32 bits, as the entry code's int nr; x32 numbers carry bit 30 */
	if ((int)regs->orig_ax != syslat_nr)
		return;
	/* int $0x80 and friends: the number means nothing there */
	mode = READ_ONCE(syslat_mode);
	if (in_ia32_syscall() || mode == SYSLAT_MODE_OFF)
		return;
	if (mode == SYSLAT_MODE_TIMED)
		syslat_noop(regs);
	else
		regs->ax = SYSLAT_NOOP_RET;
	regs->orig_ax = -1;
}

static int tp_attach_locked(void)
{
	int ret;

	if (tp_attached)
		return 0;
	ret = tracepoint_probe_register(tp_sys_enter, tp_probe, NULL);
	if (!ret)
		tp_attached = true;
	return ret;
}

/* On return no CPU runs tp_probe() any more. */
static void tp_detach_locked(void)
{
	int ret;

	if (!tp_attached)
		return;
	ret = tracepoint_probe_unregister(tp_sys_enter, tp_probe, NULL);
	WARN_ON_ONCE(ret);
	tp_attached = false;
	tracepoint_synchronize_unregister();
}

struct tp_find {
	struct tracepoint *tp;
	unsigned int count;
};

static void tp_find_one(struct tracepoint *tp, void *priv)
{
	struct tp_find *f = priv;

	if (!strcmp(tp->name, "sys_enter")) {
		f->tp = tp;
		f->count++;
	}
}

static int tp_install(char *why, size_t len)
{
	struct tp_find f = {};
	int ret = 0;

	for_each_kernel_tracepoint(tp_find_one, &f);
	if (f.count != 1) {
		snprintf(why, len, "%u tracepoints named sys_enter, expected 1",
			 f.count);
		return -ENODEV;
	}

	mutex_lock(&tp_lock);
	tp_sys_enter = f.tp;
	if (READ_ONCE(syslat_armed)) {
		ret = tp_attach_locked();
		if (ret)
			snprintf(why, len, "tracepoint_probe_register(sys_enter) failed");
	}
	mutex_unlock(&tp_lock);
	return ret;
}

static void tp_remove(void)
{
	mutex_lock(&tp_lock);
	tp_detach_locked();
	mutex_unlock(&tp_lock);
}

static int tp_set_armed(bool on)
{
	int ret = 0;

	mutex_lock(&tp_lock);
	if (on)
		ret = tp_attach_locked();
	else
		tp_detach_locked();
	mutex_unlock(&tp_lock);
	return ret;
}

static void tp_describe(struct seq_file *m)
{
	mutex_lock(&tp_lock);
	seq_printf(m, "tracepoint raw_syscalls:sys_enter (%s)",
		   tp_attached ? "attached" : "detached");
	mutex_unlock(&tp_lock);
}

const struct syslat_backend syslat_tracepoint_backend = {
	.name = "tracepoint",
	.install = tp_install,
	.remove = tp_remove,
	.set_armed = tp_set_armed,
	.describe = tp_describe,
};
