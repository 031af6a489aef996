// SPDX-License-Identifier: GPL-2.0
/*
 * The "patch" hook backend: live-patches the out-of-range branch of
 * do_syscall_64(). On 6.1 and 6.12 a number >= NR_syscalls never reaches
 * a function; do_syscall_64() stores -ENOSYS inline:
 *
 *	cmp  $-1, %r32			# nr == -1: skip the store
 *	je   exit
 *	movq $-ENOSYS, 0x50(%rbx)	# regs->ax = -ENOSYS   <- the site
 *	jmp  exit
 * exit:
 *	mov  %rbx, %rdi
 *	call syscall_exit_to_user_mode
 *
 * The 8-byte store becomes "jmp syslat_tramp; nop3". The trampoline
 * (patch_tramp.S) handles nr= and otherwise does the original store,
 * then jumps straight to the exit block. Everything above is checked by
 * decoding the live text at load; anything else refuses the backend.
 * Patching uses the kernel's own text_poke_bp() under text_mutex.
 *
 * Each text_poke_bp() is followed by a text_poke() of the whole 8-byte
 * site (identical bytes, plus the nop tail on install). On hardware that
 * changes nothing a CPU can observe. Under QEMU 7.2's multi-threaded TCG
 * a vCPU can go on running a stale translation of the temporary int3
 * after text_poke_bp() has returned (seen in guests: "Oops: int3" at the
 * site on 6.12, an endless "vanished int3" retry in 6.1's kprobe handler).
 * The rewrite drops such translations, and a die notifier resumes at the
 * site when an int3 that is no longer in memory is hit there meanwhile.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kdebug.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>
#include "syslat.h"
#include "hook_patch.h"
#include "ksym.h"

#define SITE_LEN	8	/* movq $imm32, disp8(%rbx) */
#define JMP32_LEN	5	/* jmp rel32: what text_poke_bp() can take */
#define EXIT_LEN	8	/* mov %rbx,%rdi; call rel32 */
#define FUNC_MAX	4096	/* refuse a do_syscall_64 larger than this */

/* movq $-ENOSYS, 0x50(%rbx): REX.W C7 /0, modrm 01.000.011, disp8, imm32 */
static const u8 site_insn[SITE_LEN] = {
	0x48, 0xc7, 0x43, PATCH_PT_AX, 0xda, 0xff, 0xff, 0xff,	/* -38 */
};

static const u8 exit_mov[3] = { 0x48, 0x89, 0xdf };	/* mov %rbx,%rdi */
static const u8 nop3[3] = { 0x0f, 0x1f, 0x00 };	/* nopl (%rax) */

typedef void *(*text_poke_t)(void *addr, const void *opcode, size_t len);
typedef void (*text_poke_bp_t)(void *addr, const void *opcode, size_t len,
			       const void *emulate);

static struct {
	u8 *func;			/* do_syscall_64 */
	unsigned long size;
	u8 *site;			/* the -ENOSYS store */
	u8 *exit;			/* the common exit block */
	unsigned long exit_fn;		/* syscall_exit_to_user_mode */
	u8 orig[SITE_LEN];		/* site bytes before patching */
	u8 exit_bytes[EXIT_LEN];
	u8 jmp[JMP32_LEN];		/* jmp syslat_tramp, as at the site */
	text_poke_t poke;
	text_poke_bp_t poke_bp;
	struct mutex *text_mutex;	/* the kernel's: serializes all text patching */
	bool patched;
} pp;

static atomic_t patch_stale_int3;

/* An int3 at the site that memory no longer holds: run what is there. */
static notrace int patch_int3_notify(struct notifier_block *nb,
				     unsigned long val, void *data)
{
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;

	if (val != DIE_INT3 || !pp.site || user_mode(regs) ||
	    regs->ip != (unsigned long)pp.site + 1 ||
	    READ_ONCE(*pp.site) == 0xcc)
		return NOTIFY_DONE;
	regs->ip = (unsigned long)pp.site;
	atomic_inc(&patch_stale_int3);
	return NOTIFY_STOP;
}

NOKPROBE_SYMBOL(patch_int3_notify);

static struct notifier_block patch_int3_nb = {
	.notifier_call = patch_int3_notify,
};

static s32 get_rel32(const u8 *p)
{
	s32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Encode "jmp @to" to be placed at @at; false if out of rel32 range. */
static bool encode_jmp(u8 *insn, const u8 *at, const u8 *to)
{
	long disp = (long)to - ((long)at + JMP32_LEN);

	if (disp != (s32)disp)
		return false;
	insn[0] = 0xe9;
	memcpy(insn + 1, &(s32){ disp }, sizeof(s32));
	return true;
}

static int patch_resolve(char *why, size_t len)
{
	int ret = syslat_ksym_init(why, len);

	if (ret)
		return ret;
	pp.func = (u8 *)syslat_ksym_lookup("do_syscall_64");
	pp.exit_fn = syslat_ksym_lookup("syscall_exit_to_user_mode");
	pp.poke = (text_poke_t)syslat_ksym_lookup("text_poke");
	pp.poke_bp = (text_poke_bp_t)syslat_ksym_lookup("text_poke_bp");
	pp.text_mutex = (struct mutex *)syslat_ksym_lookup("text_mutex");
	if (!pp.func || !pp.exit_fn || !pp.poke || !pp.poke_bp ||
	    !pp.text_mutex) {
		snprintf(why, len, "kallsyms: missing do_syscall_64 or text_poke* symbols");
		return -ENODEV;
	}
	if (!syslat_ksym_callable((unsigned long)pp.poke) ||
	    !syslat_ksym_callable((unsigned long)pp.poke_bp)) {
		snprintf(why, len, "IBT on and text_poke%s sealed (no endbr64)",
			 syslat_ksym_callable((unsigned long)pp.poke) ? "_bp" : "");
		return -EOPNOTSUPP;
	}
	if (syslat_ksym_extent((unsigned long)pp.func, "do_syscall_64",
			       &pp.size) || pp.size < SITE_LEN ||
	    pp.size > FUNC_MAX) {
		snprintf(why, len, "cannot tell the size of do_syscall_64 (%pS)",
			 pp.func);
		return -ENODEV;
	}
	return 0;
}

/* The one "movq $-ENOSYS, 0x50(%reg)" in @buf, which must use %rbx. */
static long find_site(const u8 *buf, unsigned long size, char *why, size_t len)
{
	int n = 0, other = 0;
	long i, at = -1;

	for (i = 0; i + SITE_LEN <= size; i++) {
		if (buf[i] != 0x48 || buf[i + 1] != 0xc7 ||
		    (buf[i + 2] & 0xf8) != 0x40 ||
		    memcmp(buf + i + 3, site_insn + 3, SITE_LEN - 3))
			continue;
		if (buf[i + 2] == site_insn[2]) {
			n++;
			at = i;
		} else {
			other++;
		}
	}
	if (n == 1 && !other)
		return at;
	snprintf(why, len, "do_syscall_64: %d movq $-38,0x50(%%rbx), %d with other base, want 1",
		 n, other);
	return -ENODEV;
}

/*
 * Target of the "cmp $-1,%r32; je" that ends at @off, as an offset in
 * @buf, or -1. Both the rel8 and the rel32 form are tried; exactly one
 * must decode.
 */
static long decode_je(const u8 *buf, long off)
{
	long to = -1, je;
	int forms = 0;

	for (je = off - 6; je <= off - 2; je += 4) {
		bool rel32 = je == off - 6;

		if (je < 3)
			continue;
		if (rel32 ? buf[je] != 0x0f || buf[je + 1] != 0x84 :
			    buf[je] != 0x74)
			continue;
		/* cmp $-1, %r32: [REX.B] 83 /7 ib, modrm 11.111.rrr */
		if (buf[je - 3] != 0x83 || (buf[je - 2] & 0xf8) != 0xf8 ||
		    buf[je - 1] != 0xff)
			continue;
		to = off + (rel32 ? get_rel32(buf + off - 4) : (s8)buf[off - 1]);
		forms++;
	}
	return forms == 1 ? to : -1;
}

/* Target of the jmp right after the store at @off, or -1. */
static long decode_jmp(const u8 *buf, unsigned long size, long off)
{
	long at = off + SITE_LEN;

	if (at + 2 <= size && buf[at] == 0xeb)
		return at + 2 + (s8)buf[at + 1];
	if (at + JMP32_LEN <= size && buf[at] == 0xe9)
		return at + JMP32_LEN + get_rel32(buf + at + 1);
	return -1;
}

/*
 * Is @to the exit block "mov %rbx,%rdi; call syscall_exit_to_user_mode"?
 * Then every caller-saved register and the flags are dead there.
 */
static bool exit_block_ok(const u8 *buf, unsigned long size, long to)
{
	unsigned long callee;

	if (to < 0 || to + EXIT_LEN > size ||
	    memcmp(buf + to, exit_mov, sizeof(exit_mov)) || buf[to + 3] != 0xe8)
		return false;
	callee = (unsigned long)pp.func + to + EXIT_LEN +
		 get_rel32(buf + to + 4);
	if (callee == pp.exit_fn)
		return true;
	/* call depth tracking sends calls to a thunk in the padding before */
	return IS_ENABLED(CONFIG_CALL_THUNKS) &&
	       callee >= pp.exit_fn - 16 && callee < pp.exit_fn;
}

static int patch_decode(const u8 *buf, char *why, size_t len)
{
	long off, to_je, to_jmp;

	off = find_site(buf, pp.size, why, len);
	if (off < 0)
		return off;
	to_je = decode_je(buf, off);
	to_jmp = decode_jmp(buf, pp.size, off);
	if (to_je < 0 || to_jmp < 0 || to_je != to_jmp) {
		snprintf(why, len, "do_syscall_64+%#lx: no cmp $-1;je X before or jmp X after",
			 off);
		return -ENODEV;
	}
	if (!exit_block_ok(buf, pp.size, to_jmp)) {
		snprintf(why, len,
			 "do_syscall_64+%#lx: exit is not mov %%rbx,%%rdi; call syscall_exit*",
			 to_jmp);
		return -ENODEV;
	}
	pp.site = pp.func + off;
	pp.exit = pp.func + to_jmp;
	memcpy(pp.orig, buf + off, SITE_LEN);
	memcpy(pp.exit_bytes, buf + to_jmp, EXIT_LEN);
	if (!encode_jmp(pp.jmp, pp.site, syslat_tramp)) {
		snprintf(why, len, "syslat_tramp is out of jmp rel32 range");
		return -ERANGE;
	}
	return 0;
}

/* Write @len bytes @insn at @at and read them back. text_mutex held. */
static int poke_check(u8 *at, const u8 *insn, size_t n, char *why, size_t len)
{
	u8 now[JMP32_LEN];

	pp.poke(at, insn, n);
	memcpy(now, at, n);
	if (memcmp(now, insn, n)) {
		snprintf(why, len, "trampoline reads back %*ph", (int)n, now);
		return -EIO;
	}
	return 0;
}

/* Point the trampoline's jmp at @at to the exit block. text_mutex held. */
static int fill_tramp_jmp(u8 *at, char *why, size_t len)
{
	u8 insn[JMP32_LEN];

	if (at[0] != 0xe9 || !encode_jmp(insn, at, pp.exit)) {
		snprintf(why, len, "cannot point the trampoline back to do_syscall_64");
		return -ERANGE;
	}
	return poke_check(at, insn, JMP32_LEN, why, len);
}

/*
 * The trampoline's two immediates: the syscall number in its
 * "cmpl $imm32, 0x78(%rbx)" and the return address its timed path
 * pushes, site + 8 (kernel text lies in the top 2 GiB, so a
 * sign-extended imm32 holds it). text_mutex held.
 */
static int fill_tramp_imms(char *why, size_t len)
{
	static const u8 cmpl[3] = { 0x81, 0x7b, PATCH_PT_ORIG_AX };
	long ret_addr = (long)(pp.site + SITE_LEN);
	s32 nr = syslat_nr, ra = (s32)ret_addr;
	int ret;

	if (memcmp(syslat_tramp_nr, cmpl, sizeof(cmpl)) ||
	    syslat_tramp_push[0] != 0x68 || (long)ra != ret_addr) {
		snprintf(why, len, "trampoline: unexpected cmpl/pushq encoding");
		return -ENODEV;
	}
	ret = poke_check(syslat_tramp_nr + sizeof(cmpl), (u8 *)&nr, sizeof(nr),
			 why, len);
	if (!ret)
		ret = poke_check(syslat_tramp_push + 1, (u8 *)&ra, sizeof(ra),
				 why, len);
	return ret;
}

/* text_mutex held: re-check, finish the trampoline, patch the site. */
static int patch_apply(char *why, size_t len)
{
	u8 site[SITE_LEN], exit[EXIT_LEN];
	int ret;

	if (copy_from_kernel_nofault(site, pp.site, SITE_LEN) ||
	    copy_from_kernel_nofault(exit, pp.exit, EXIT_LEN) ||
	    memcmp(site, pp.orig, SITE_LEN) ||
	    memcmp(exit, pp.exit_bytes, EXIT_LEN)) {
		snprintf(why, len, "do_syscall_64 changed between check and patch");
		return -EBUSY;
	}
	ret = fill_tramp_imms(why, len);
	if (!ret)
		ret = fill_tramp_jmp(syslat_tramp_ret_fast, why, len);
	if (!ret)
		ret = fill_tramp_jmp(syslat_tramp_ret_noop, why, len);
	if (!ret)
		ret = fill_tramp_jmp(syslat_tramp_ret_enosys, why, len);
	if (ret)
		return ret;
	/* From here on nothing can fail. */
	add_taint(TAINT_LIVEPATCH, LOCKDEP_STILL_OK);
	pp.poke_bp(pp.site, pp.jmp, JMP32_LEN, NULL);
	/*
	 * The tail is unreachable now: no CPU can be inside the old 8-byte
	 * movq. Fill it, rewriting the jmp unchanged (see the top comment).
	 */
	memcpy(site, pp.jmp, JMP32_LEN);
	memcpy(site + JMP32_LEN, nop3, sizeof(nop3));
	pp.poke(pp.site, site, SITE_LEN);
	pp.patched = true;
	return 0;
}

static int patch_install(char *why, size_t len)
{
	u8 *buf;
	int ret;

	BUILD_BUG_ON(offsetof(struct pt_regs, ax) != PATCH_PT_AX);
	BUILD_BUG_ON(offsetof(struct pt_regs, orig_ax) != PATCH_PT_ORIG_AX);
	BUILD_BUG_ON(PATCH_NR_NOOP != SYSLAT_NR_NOOP);
	BUILD_BUG_ON(PATCH_NOOP_RET != SYSLAT_NOOP_RET);
	BUILD_BUG_ON(PATCH_MODE_NOOP != SYSLAT_MODE_NOOP);
	/* the trampoline: below NOOP is OFF, above it TIMED */
	BUILD_BUG_ON(SYSLAT_MODE_OFF != 0);
	BUILD_BUG_ON(SYSLAT_MODE_TIMED != 2);
	BUILD_BUG_ON(JMP32_LEN + sizeof(nop3) != SITE_LEN);

	if (syslat_nr < NR_syscalls) {
		snprintf(why, len, "NR_syscalls is %d: the kernel has a syscall %d",
			 NR_syscalls, syslat_nr);
		return -EBUSY;
	}
	ret = patch_resolve(why, len);
	if (ret)
		return ret;
	buf = kmalloc(pp.size, GFP_KERNEL);
	if (!buf) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	ret = copy_from_kernel_nofault(buf, pp.func, pp.size);
	if (ret)
		snprintf(why, len, "cannot read do_syscall_64");
	else
		ret = patch_decode(buf, why, len);
	kfree(buf);
	if (ret)
		goto out_forget_site;

	ret = register_die_notifier(&patch_int3_nb);
	if (ret) {
		snprintf(why, len, "register_die_notifier failed (%d)", ret);
		goto out_forget_site;
	}
	mutex_lock(pp.text_mutex);
	ret = patch_apply(why, len);
	mutex_unlock(pp.text_mutex);
	if (ret)
		goto out_unregister_notifier;
	pr_info("patched do_syscall_64+%#lx (%*ph) -> jmp syslat_tramp\n",
		(long)(pp.site - pp.func), SITE_LEN, pp.orig);
	return 0;

out_unregister_notifier:
	unregister_die_notifier(&patch_int3_nb);
out_forget_site:
	pp.site = NULL;
	return ret;
}

static void patch_remove(void)
{
	u8 now[SITE_LEN];
	long off;

	if (!pp.patched)
		return;
	off = pp.site - pp.func;
	mutex_lock(pp.text_mutex);
	memcpy(now, pp.site, SITE_LEN);
	if (memcmp(now, pp.jmp, JMP32_LEN) ||
	    memcmp(now + JMP32_LEN, nop3, sizeof(nop3))) {
		/*
		 * Someone else rewrote the site: its bytes are not ours to
		 * put back (a restore could tear their instruction).
		 */
		mutex_unlock(pp.text_mutex);
		WARN_ONCE(1, "syslat: do_syscall_64+%#lx was changed behind us (%*ph, ours %*ph %*ph): leaving it alone\n",
			  off, SITE_LEN, now, JMP32_LEN, pp.jmp,
			  (int)sizeof(nop3), nop3);
		goto out_wait;
	}
	/* the tail is unreachable behind the jmp: put it back first */
	pp.poke(pp.site + JMP32_LEN, pp.orig + JMP32_LEN, SITE_LEN - JMP32_LEN);
	/* CPUs that hit the int3 meanwhile still go through the trampoline */
	pp.poke_bp(pp.site, pp.orig, JMP32_LEN, pp.jmp);
	pp.poke(pp.site, pp.orig, SITE_LEN);	/* unchanged: see the top */
	mutex_unlock(pp.text_mutex);

out_wait:
	pp.patched = false;
	/* no task may still be in the trampoline or syslat_noop_irqoff() */
	synchronize_rcu_tasks();
	unregister_die_notifier(&patch_int3_nb);
	if (atomic_read(&patch_stale_int3))
		pr_info("resumed %d stale int3 hits at the site (emulator artefact)\n",
			atomic_read(&patch_stale_int3));

	memcpy(now, pp.site, SITE_LEN);
	if (memcmp(now, pp.orig, SITE_LEN))
		pr_err("do_syscall_64+%#lx reads %*ph, not the original %*ph\n",
		       off, SITE_LEN, now, SITE_LEN, pp.orig);
	else
		pr_info("restored original bytes at do_syscall_64+%#lx (%*ph)\n",
			off, SITE_LEN, now);
}

static int patch_set_armed(bool on)
{
	/* The trampoline reads syslat_armed on every call: nothing to do. */
	return 0;
}

static void patch_describe(struct seq_file *m)
{
	u8 now[SITE_LEN];

	if (!pp.site) {
		seq_puts(m, "none");
		return;
	}
	if (copy_from_kernel_nofault(now, pp.site, SITE_LEN))
		memset(now, 0, SITE_LEN);
	seq_printf(m, "do_syscall_64+%#lx (%*ph) -> jmp syslat_tramp, now %*ph",
		   (long)(pp.site - pp.func), SITE_LEN, pp.orig, SITE_LEN, now);
}

const struct syslat_backend syslat_patch_backend = {
	.name = "patch",
	.install = patch_install,
	.remove = patch_remove,
	.set_armed = patch_set_armed,
	.describe = patch_describe,
};
