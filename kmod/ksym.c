// SPDX-License-Identifier: GPL-2.0
/*
 * Unexported kernel symbols, found without calling anything that IBT
 * could reject: kallsyms_lookup_name() is located by registering a
 * kprobe on it (register_kprobe() resolves the name for us), and is
 * only ever called after checking that it still starts with endbr64
 * whenever IBT is enforced (6.12 seals functions whose address is never
 * taken, kallsyms_lookup_name among them on Debian).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include "ksym.h"

#define KSYM_ENDBR64		0xfa1e0ff3U	/* f3 0f 1e fa */
#define KSYM_ENDBR_POISON	0x001f0f66U	/* 66 0f 1f 00: sealed endbr */

typedef unsigned long (*ksym_lookup_t)(const char *name);
static ksym_lookup_t ksym_lookup;

bool syslat_ksym_ibt_enabled(void)
{
#ifdef CONFIG_X86_KERNEL_IBT
	return cpu_feature_enabled(X86_FEATURE_IBT);
#else
	return false;
#endif
}

bool syslat_ksym_callable(unsigned long addr)
{
	u32 insn;

	if (!addr)
		return false;
	if (!syslat_ksym_ibt_enabled())
		return true;
	if (copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)))
		return false;
	return insn == KSYM_ENDBR64;
}

int syslat_ksym_extent(unsigned long addr, const char *name,
		       unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN + 32];
	char want[KSYM_NAME_LEN + 16];
	size_t n;
	char *end;

	snprintf(buf, sizeof(buf), "%pS", (void *)addr);
	n = snprintf(want, sizeof(want), "%s+0x0/0x", name);
	if (strncmp(buf, want, n))
		return -ENODEV;
	end = strchr(buf + n, ' ');
	if (end)
		*end = '\0';
	return kstrtoul(buf + n, 16, size);
}

/*
 * A kprobe reports kallsyms_lookup_name+4 on 6.12 with IBT configured:
 * it skips the endbr64 (or its sealed placeholder). Step back over it.
 */
static unsigned long ksym_func_start(unsigned long addr)
{
	u32 prev;

	if (!IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		return addr;
	if (copy_from_kernel_nofault(&prev, (void *)(addr - 4), sizeof(prev)))
		return addr;
	if (prev == KSYM_ENDBR64 || prev == KSYM_ENDBR_POISON)
		return addr - 4;
	return addr;
}

int syslat_ksym_init(char *why, size_t len)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr, size;
	int ret;

	ret = register_kprobe(&kp);
	if (ret < 0) {
		snprintf(why, len, "cannot find kallsyms_lookup_name: kprobe failed (%d)",
			 ret);
		return ret;
	}
	addr = ksym_func_start((unsigned long)kp.addr);
	unregister_kprobe(&kp);

	if (syslat_ksym_extent(addr, "kallsyms_lookup_name", &size)) {
		snprintf(why, len, "kprobe address %pS is not kallsyms_lookup_name",
			 (void *)addr);
		return -ENODEV;
	}
	if (!syslat_ksym_callable(addr)) {
		snprintf(why, len, "IBT on and kallsyms_lookup_name sealed (no endbr64)");
		return -EOPNOTSUPP;
	}
	ksym_lookup = (ksym_lookup_t)addr;
	return 0;
}

unsigned long syslat_ksym_lookup(const char *name)
{
	return ksym_lookup ? ksym_lookup(name) : 0;
}
