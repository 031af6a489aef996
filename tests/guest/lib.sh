# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared functions of the QEMU guest test rig (sourced by run-tests.sh and
# vm-bench.sh). Everything the rig builds goes under $SL_BUILD (build/).
#
#   sl_kernels                    installed kernels: VER with /boot/vmlinuz-VER
#                                 and /lib/modules/VER/build, one per line
#   sl_build_module VER           -> $SL_BUILD/kmod-VER/kmod/syslat.ko
#   sl_build_gtest                -> $SL_BUILD/guest/gtest (static)
#   sl_build_initramfs OUT KO INIT [CONF]
#                                 busybox + module + gtest + harness (and
#                                 syslat-mini) + /init
#   sl_accel                      "kvm" when a KVM boot really works, else "tcg"
#   sl_boot [opts] VER INITRD LOG boot, bounded by timeout; console -> LOG
#   sl_tail LOG [N]               the guest's last N (40) console lines
#
# Console lines can carry terminal escape codes in front: callers match tags
# anywhere in a line (sl_clean strips escapes and CRs first).

SL_ROOT=${SL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SL_BUILD=${SL_BUILD:-$SL_ROOT/build}
SL_QEMU=${SL_QEMU:-qemu-system-x86_64}
SL_BUSYBOX=${SL_BUSYBOX:-/bin/busybox}
SL_MEM=${SL_MEM:-512}
# Guest CPU model under TCG (vm-bench --cpu: a model the kernel believes
# vulnerable, so that its mitigations engage); KVM guests get the host's.
SL_CPU=${SL_CPU:-max}

sl_log() { printf '%s\n' "$*" >&2; }
sl_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installed kernels that can both boot and build modules, oldest first.
sl_kernels() {
	local f ver
	for f in /boot/vmlinuz-*; do
		[ -e "$f" ] || continue
		ver=${f#/boot/vmlinuz-}
		[ -d "/lib/modules/$ver/build" ] && printf '%s\n' "$ver"
	done | sort -V
}

# Build the module for kernel VER in its own copy of the tree so that
# builds for different kernels never clobber each other's objects.
sl_build_module() {
	local ver=$1 kdir="/lib/modules/$1/build" dir="$SL_BUILD/kmod-$1"
	local log="$SL_BUILD/kmod-$1.log"
	[ -d "$kdir" ] || { sl_log "no build tree $kdir"; return 1; }
	mkdir -p "$dir"
	rsync -a --delete \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='modules.order' \
		--exclude='Module.symvers' --exclude='.*.d' \
		"$SL_ROOT/Kbuild" "$SL_ROOT/VERSION" "$SL_ROOT/kmod" "$dir/" || return 1
	if ! make -C "$kdir" M="$dir" modules >"$log" 2>&1; then
		sl_log "module build for $ver failed ($log):"
		tail -n 30 "$log" >&2
		return 1
	fi
	grep -E 'warning:|error:' "$log" >&2 || true
	[ -f "$dir/kmod/syslat.ko" ] || { sl_log "no $dir/kmod/syslat.ko"; return 1; }
	printf '%s\n' "$dir/kmod/syslat.ko"
}

sl_build_gtest() {
	local out="$SL_BUILD/guest/gtest" src="$SL_ROOT/tests/guest/gtest.c"
	mkdir -p "$SL_BUILD/guest"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ] ||
	   [ "$SL_ROOT/kmod/syslat_abi.h" -nt "$out" ]; then
		gcc -static -O2 -Wall -Wextra -o "$out" "$src" || return 1
	fi
	printf '%s\n' "$out"
}

# sl_build_initramfs OUT KO INIT [CONF]: KO may be "" (no module, e.g. probe).
sl_build_initramfs() {
	local out=$1 ko=$2 init=$3 conf=${4:-} st a
	st=$(mktemp -d "$SL_BUILD/initramfs.XXXXXX") || return 1
	mkdir -p "$st"/{bin,sbin,dev,proc,sys,tmp,run,etc,lib,root,usr/bin,usr/sbin}
	cp "$SL_BUSYBOX" "$st/bin/busybox"
	for a in $("$SL_BUSYBOX" --list); do
		[ -e "$st/bin/$a" ] || ln -s busybox "$st/bin/$a"
	done
	# The kernel opens /dev/console for init before anything is mounted.
	mknod -m 600 "$st/dev/console" c 5 1 2>/dev/null || true
	mknod -m 666 "$st/dev/null" c 1 3 2>/dev/null || true
	install -m 755 "$init" "$st/init"
	install -m 644 "$SL_ROOT/tests/guest/guest-setup.sh" "$st/lib/guest-setup.sh"
	[ -n "$ko" ] && install -m 644 "$ko" "$st/lib/syslat.ko"
	[ -x "$SL_BUILD/guest/gtest" ] && install -m 755 "$SL_BUILD/guest/gtest" "$st/bin/gtest"
	[ -x "$SL_ROOT/user/syslat-static" ] &&
		install -m 755 "$SL_ROOT/user/syslat-static" "$st/bin/syslat"
	[ -x "$SL_ROOT/user/syslat-mini" ] &&
		install -m 755 "$SL_ROOT/user/syslat-mini" "$st/bin/syslat-mini"
	[ -x "$SL_ROOT/user/syslat-exec-helper" ] &&
		install -m 755 "$SL_ROOT/user/syslat-exec-helper" "$st/bin/syslat-exec-helper"
	[ -n "$conf" ] && install -m 644 "$conf" "$st/etc/syslat-test.conf"
	# The real modprobe (libkmod), for the errno test: /opt/kmod/modprobe.
	if [ -x /usr/bin/kmod ]; then
		install -D -m 755 /usr/bin/kmod "$st/usr/bin/kmod"
		for a in $(ldd /usr/bin/kmod | grep -o '/[^ ]*'); do
			install -D -m 755 "$a" "$st$a"
		done
		mkdir -p "$st/opt/kmod"
		ln -s /usr/bin/kmod "$st/opt/kmod/modprobe"
		ln -s /usr/bin/kmod "$st/opt/kmod/depmod"
	fi
	(cd "$st" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$out.tmp" && mv "$out.tmp" "$out"
	local rc=$?
	rm -rf "$st"
	return $rc
}

# Does a KVM guest really boot here? /dev/kvm can exist and still fail
# (guest-facts.md: MSR and emulation failures). One tiny boot, cached.
sl_accel() {
	local cache="$SL_BUILD/guest/accel" key ver init rd log
	if [ -n "${SL_ACCEL:-}" ]; then printf '%s\n' "$SL_ACCEL"; return; fi
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then echo tcg; return; fi
	key="$(uname -r) $($SL_QEMU --version | head -n 1) $(sl_kernels | tail -n 1)"
	if [ -f "$cache" ] && [ "$(sed -n 1p "$cache")" = "$key" ]; then
		sed -n 2p "$cache"; return
	fi
	mkdir -p "$SL_BUILD/guest"
	ver=$(sl_kernels | tail -n 1)
	init="$SL_BUILD/guest/probe-init"
	rd="$SL_BUILD/guest/probe.cpio.gz"
	log="$SL_BUILD/guest/probe.log"
	printf '#!/bin/sh\necho kvm-probe-ok\npoweroff -f\n' >"$init"
	sl_build_initramfs "$rd" "" "$init" >/dev/null || { echo tcg; return; }
	local result=tcg
	SL_ACCEL=kvm sl_boot --bg --timeout 30 "$ver" "$rd" "$log"
	# A failing KVM guest hangs rather than exits: stop at the first sign.
	for _ in $(seq 60); do
		sleep 0.5
		cat "$log" "$log.kmsg" 2>/dev/null | grep -q 'kvm-probe-ok' &&
			{ result=kvm; break; }
		grep -qE 'KVM internal error|failed to set MSR|emulation failure' \
			"$log.kmsg" 2>/dev/null && break
		kill -0 "$SL_QEMU_PID" 2>/dev/null || break
	done
	sl_kill_guest
	printf '%s\n%s\n' "$key" "$result" >"$cache"
	sl_log "accel probe: /dev/kvm $( [ $result = kvm ] && echo works || echo fails), using $result"
	echo "$result"
}

# sl_boot [--icount] [--smp N] [--append STR] [--timeout S] [--bg] VER INITRD LOG
# Two serial ports: the guest's test output (its /init writes to ttyS1)
# goes to LOG, the kernel console (ttyS0, every level) to LOG.kmsg, so
# kernel messages never break a result line. Returns qemu's status (124:
# timed out; 125: stopped after a fatal kernel message: a soft lockup,
# panic, RCU stall or hung task, SL_FATAL_GRACE (30) s after the first,
# so that its traces are in LOG.kmsg); never waits longer than S+10 s.
# SL_TCG_OPTS: extra -accel tcg options (e.g. thread=single).
# SL_QEMU_EXTRA: extra qemu arguments, split on blanks (e.g. -gdb tcp:127.0.0.1:PORT).
# --bg: return at once; the guest's pid (of timeout(1)) is in SL_QEMU_PID.
# The pid is kept in SL_QEMU_PID in any case so that a trap can call
# sl_kill_guest (timeout(1) runs in its own process group: ^C misses it).
SL_QEMU_PID=
SL_FATAL='soft lockup|hard LOCKUP|Kernel panic|detected stalls|self-detected stall|blocked for more than'
sl_boot() {
	local icount=0 smp=1 append="" tmo=300 bg=0 accel cmdline
	while [ $# -gt 0 ]; do
		case $1 in
		--icount) icount=1 ;;
		--smp) smp=$2; shift ;;
		--append) append="$append $2"; shift ;;
		--timeout) tmo=$2; shift ;;
		--bg) bg=1 ;;
		--) shift; break ;;
		-*) sl_log "sl_boot: unknown option $1"; return 2 ;;
		*) break ;;
		esac
		shift
	done
	local ver=$1 rd=$2 log=$3
	local -a acc
	if [ $icount = 1 ]; then
		smp=1
		append="$append syslat.icount=1"
		acc=(-accel tcg -cpu "$SL_CPU" -icount shift=0)
	else
		accel=${SL_ACCEL:-$(sl_accel)}
		if [ "$accel" = kvm ]; then
			acc=(-accel kvm -cpu "host,-arch-capabilities")
		else
			acc=(-accel "tcg${SL_TCG_OPTS:+,$SL_TCG_OPTS}" -cpu "$SL_CPU")
		fi
	fi
	# no_timer_check: a TCG guest starved by a loaded host can fail the
	# IO-APIC timer check at boot and panic before /init.
	cmdline="console=ttyS0 panic=-1 ignore_loglevel no_timer_check$append"
	: >"$log"
	timeout -k 10 "$tmo" "$SL_QEMU" "${acc[@]}" -smp "$smp" -m "$SL_MEM" \
		-nodefaults -no-user-config -display none -monitor none \
		-serial stdio -serial "file:$log" -no-reboot \
		${SL_QEMU_EXTRA:-} \
		-kernel "/boot/vmlinuz-$ver" -initrd "$rd" -append "$cmdline" \
		</dev/null >"$log.kmsg" 2>&1 &
	SL_QEMU_PID=$!
	[ $bg = 1 ] && return 0
	local rc=0 fatal_at=0 now
	while kill -0 "$SL_QEMU_PID" 2>/dev/null; do
		sleep 0.5
		[ "$fatal_at" = 0 ] && grep -qE "$SL_FATAL" "$log.kmsg" 2>/dev/null &&
			fatal_at=$(date +%s)
		now=$(date +%s)
		if [ "$fatal_at" != 0 ] && [ $((now - fatal_at)) -ge "${SL_FATAL_GRACE:-30}" ]; then
			sl_kill_guest
			return 125
		fi
	done
	wait "$SL_QEMU_PID" || rc=$?
	SL_QEMU_PID=
	return $rc
}

sl_kill_guest() {
	[ -n "$SL_QEMU_PID" ] || return 0
	kill "$SL_QEMU_PID" 2>/dev/null
	wait "$SL_QEMU_PID" 2>/dev/null
	SL_QEMU_PID=
}

# Strip CRs and terminal escape sequences from console output.
sl_clean() {
	sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' "$@"
}

sl_tail() {
	sl_clean "$1" | tail -n "${2:-40}" | sed 's/^/    | /'
}

# The first fatal kernel message and what follows it (stack trace).
sl_fatal_excerpt() {
	sl_clean "$1" | grep -E -m 1 -A "${2:-60}" "$SL_FATAL|Oops|BUG:|WARNING:|Call Trace" |
		sed 's/^/    | /'
}

# For the guest test scripts: sl_check 0|1 WHAT prints one PASS/FAIL line
# and counts it in NPASS/NFAIL (the script starts them at 0); sl_ok CMD...
# prints 1 when CMD succeeds.
sl_check() {
	if [ "$1" = 1 ]; then printf 'PASS  %s\n' "$2"; NPASS=$((NPASS + 1))
	else printf 'FAIL  %s\n' "$2"; NFAIL=$((NFAIL + 1)); fi
}
sl_ok() { "$@" >/dev/null 2>&1 && echo 1 || echo 0; }
