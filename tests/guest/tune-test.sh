#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest test of syslat tune --apply / --restore (they change the machine:
# never run on the host). One 2-CPU TCG boot of the newest installed kernel
# (two CPUs, so that IRQs have somewhere to go); its /init (tune-init.sh)
# makes THP, ASLR and schedstats untuned, applies, re-applies, holds the
# latency request and restores, printing one "tt: ok|not ok" line per
# check. What exists in a guest: THP, randomize_va_space, nmi_watchdog,
# sched_schedstats, IRQ affinity, smt/control (notsupported under TCG),
# /dev/cpu_dma_latency; no cpufreq, no turbo, usually no idle states.
set -u
. "$(dirname "$0")/lib.sh"

[ -x "$SL_ROOT/user/syslat-static" ] || sl_die "build the harness first (make user)"
k=$(sl_kernels | tail -n 1)
[ -n "$k" ] || sl_die "no installed kernel (make deps)"
mkdir -p "$SL_BUILD/guest" "$SL_BUILD/guest-logs"
trap 'sl_kill_guest; exit 130' INT TERM
trap 'sl_kill_guest' EXIT
rd="$SL_BUILD/guest/tune.cpio.gz" log="$SL_BUILD/guest-logs/tune-$k.log"
sl_build_initramfs "$rd" "" "$SL_ROOT/tests/guest/tune-init.sh" || sl_die "initramfs"
t0=$(date +%s)
SL_ACCEL=tcg sl_boot --smp 2 --timeout 300 "$k" "$rd" "$log"
rc=$?
sl_clean "$log" | grep -a 'tt: ' | sed 's/^.*tt: /  /'
nok=$(sl_clean "$log" | grep -ac 'tt: ok ')
nfail=$(sl_clean "$log" | grep -ac 'tt: not ok ')
if ! sl_clean "$log" | grep -aq 'tt: done'; then
	echo "FAIL  $k: the tune guest did not finish (qemu status $rc); last lines:"
	sl_tail "$log"
	nfail=$((nfail + 1))
fi
echo "tune guest test ($k, $(($(date +%s) - t0)) s): $nok passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$nok" -ge 10 ]
