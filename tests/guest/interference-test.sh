#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest test of the interference accounting (interf.h): one icount boot of
# the newest installed kernel; a noop run with a task doing syscalls and
# pipe work on the same CPU must report disturbed rounds (preemptions of
# the measuring thread, interrupts, softirqs), and the same run alone
# after a settle must report none.
set -u
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || sl_die "jq is needed (make deps)"
[ -x "$SL_ROOT/user/syslat-static" ] || sl_die "build the harness first (make user)"
mkdir -p "$SL_BUILD/guest" "$SL_BUILD/guest-logs"
trap 'sl_kill_guest; exit 130' INT TERM
trap 'sl_kill_guest' EXIT

NFAIL=0 NPASS=0
json() { sl_clean "$1" | sed -n "/SYSLAT-JSON-BEGIN $2\$/,/SYSLAT-JSON-END/p" | sed '1d;$d'; }

k=$(sl_kernels | tail -n 1)
[ -n "$k" ] || sl_die "no installed kernel with headers"
rd="$SL_BUILD/guest/interference.cpio.gz"
log="$SL_BUILD/guest-logs/interference-$k.log"
sl_build_initramfs "$rd" "" "$SL_ROOT/tests/guest/interference-init.sh" || sl_die "initramfs"
sl_boot --icount --timeout 400 "$k" "$rd" "$log"
st=$?
sl_check "$(sl_clean "$log" | grep -q 'it: done' && echo 1 || echo 0)" \
	"$k: guest ran both runs (qemu status $st)"
busy=$(json "$log" busy)
quiet=$(json "$log" quiet)
summary() { jq -c '.results[0] | {rounds: .interference.rounds_measured,
	disturbed: .interference.rounds_disturbed, excluded: .interference.rounds_excluded,
	nivcsw: .interference.nivcsw, run_delay_us: .interference.run_delay_us, irq: .interference.irq, softirq: .interference.softirq,
	median: .estimates.median.value}' 2>/dev/null; }
sl_check "$(jq -e '.results[0].interference | .rounds_measured == 3 and .rounds_disturbed >= 1 and
	((.run_delay_us + .irq + .softirq) | add) > 0' <<<"$busy" >/dev/null 2>&1 && echo 1 || echo 0)" \
	"$k: background work on the CPU shows as disturbed rounds $(summary <<<"$busy")"
sl_check "$(jq -e '.replication.runs_completed == 2 and (.results[0].interference |
	.rounds_measured == 6 and .rounds_disturbed == 0)' <<<"$quiet" >/dev/null 2>&1 && echo 1 || echo 0)" \
	"$k: the quiet run (2 re-executed runs) reports none $(summary <<<"$quiet")"
[ $NFAIL -eq 0 ] || sl_tail "$log"
echo "interference test: $NPASS passed, $NFAIL failed"
[ $NFAIL -eq 0 ]
