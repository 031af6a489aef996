#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The load/unload races the module test plan runs single-threaded, run
# for real in parallel (make guest-test):
#  1. each installed kernel, patch backend, multi-threaded TCG (QEMU's
#     MTTCG: the two vCPUs are two host threads): insmod/rmmod cycles
#     while two tasks hammer the noop on both CPUs;
#  2. the newest kernel (PREEMPT_DYNAMIC), booted with preempt=full:
#     the same, loads with inject_cycles=100000 (RACE_INJECT; a busy-wait
#     with interrupts off in every call), so that the timer interrupt is
#     pending when the window ends and a task is preempted inside the
#     trampoline right there (interrupts come back on in module text);
#     rmmod's synchronize_rcu_tasks() has to wait for it. Not the 1 ms
#     maximum: RCU Tasks counts a tick in user mode as a quiescent state,
#     and with 1 ms in the kernel per call almost no tick lands there.
# No warning, no wrong return value, the guest finishes. The tracepoint
# backend stays single-threaded (run-tests.sh): QEMU 7.2's MTTCG
# soft-locks guests toggling raw_syscalls:sys_enter even without the module.
set -u
DIR=$(dirname "$0")
. "$DIR/lib.sh"
CYCLES=${RACE_CYCLES:-100}
rc=0 t0=$(date +%s)
mapfile -t KERNELS < <(sl_kernels)
for kv in "${KERNELS[@]}"; do
	"$DIR/run-tests.sh" --kernel "$kv" --plan race --backends patch --mttcg \
		--cycles "$CYCLES" --no-icount || rc=1
done
# preempt=full on the newest kernel (6.12 today) only: keeps make check short
kv=${KERNELS[${#KERNELS[@]}-1]}
if grep -q '^CONFIG_PREEMPT_DYNAMIC=y' "/boot/config-$kv" 2>/dev/null; then
	"$DIR/run-tests.sh" --kernel "$kv" --plan race --backends patch \
		--cycles "$CYCLES" --race-inject "${RACE_INJECT:-100000}" --append preempt=full \
		--no-icount || rc=1
else
	echo "SKIP  $kv: no PREEMPT_DYNAMIC, no preempt=full boot"
fi
echo "race tests: $(($(date +%s) - t0)) s, status $rc"
exit $rc
