#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest tests of the harness with the module (make guest-test runs this
# after run-tests.sh, whose icount boot already runs `syslat selftest`):
# per installed kernel, one 2-CPU TCG boot for the phase merge next to a
# hammer task on the other CPU, --folded, `syslat hist` and `syslat run`.
set -u

usage() {
	cat <<'EOF2'
usage: tests/guest/harness-tests.sh [--kernel VER] [--backends LIST] [--keep] [-h]
EOF2
}

. "$(dirname "$0")/lib.sh"

ONLY= BACKENDS=tracepoint,patch KEEP=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) ONLY=${2:?}; shift ;;
	--backends) BACKENDS=${2:?}; shift ;;
	--keep) KEEP=1 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
command -v jq >/dev/null || sl_die "jq is needed (make deps)"
[ -x "$SL_ROOT/user/syslat-static" ] || sl_die "build the harness first (make user)"
LOGS="$SL_BUILD/guest-logs"
mkdir -p "$LOGS" "$SL_BUILD/guest"
trap 'sl_kill_guest; exit 130' INT TERM
trap 'sl_kill_guest' EXIT

NFAIL=0 NPASS=0
check() { # check 0|1 KVER WHAT
	if [ "$1" = 1 ]; then
		printf 'PASS  %-22s %s\n' "$2" "$3"; NPASS=$((NPASS + 1))
	else
		printf 'FAIL  %-22s %s\n' "$2" "$3"; NFAIL=$((NFAIL + 1))
	fi
}

# json LOG LABEL: the JSON block labelled LABEL.
json() { sl_clean "$1" | sed -n "/SYSLAT-JSON-BEGIN $2\$/,/SYSLAT-JSON-END/p" | sed '1d;$d'; }

smp_checks() { # KVER LOG BACKEND
	local k=$1 log=$2 b=$3 L ph run
	L=$(sl_clean "$log" | grep "ht: $b: ")
	grep -q "ht: $b: no-load" <<<"$L" && return
	ph=$(json "$log" "phases backend=$b")
	check "$(grep -q "ht: $b: phases-exit 0" <<<"$L" && echo 1 || echo 0)" "$k" "$b: bench noop --phases runs"
	check "$(jq -e '.phases.calls > 0 and .phases.matched >= 0.99 * .phases.calls' <<<"$ph" >/dev/null 2>&1 && echo 1 || echo 0)" \
		"$k" "$b: >= 99 % of calls matched and ordered ($(jq -c '.phases | {calls, matched, missing, unordered, other_cpu, foreign}' <<<"$ph" 2>/dev/null))"
	check "$(jq -e '.phases.other_cpu == 0 and .phases.duplicate == 0 and .phases.foreign > 0' <<<"$ph" >/dev/null 2>&1 && echo 1 || echo 0)" \
		"$k" "$b: the hammer's records on cpu 1 were seen and never merged"
	check "$([ "$(grep -cE "ht: $b: folded: linux-[^; ]+;noop_syscall;(entry|in_kernel|exit) [0-9]+$" <<<"$L")" = 3 ] && echo 1 || echo 0)" \
		"$k" "$b: --folded writes three FlameGraph frames"
	check "$(grep -q "ht: $b: hist: all CPUs: [1-9]" <<<"$L" && grep -q "ht: $b: hist-exit 0" <<<"$L" && echo 1 || echo 0)" \
		"$k" "$b: syslat hist prints the module's histograms"
	run=$(json "$log" "run backend=$b")
	check "$(jq -e '[.results[] | select(.name == "noop")][0] | (.armed == true and (.note | test("module")))' <<<"$run" >/dev/null 2>&1 && echo 1 || echo 0)" \
		"$k" "$b: syslat run in the guest: noop through the module, armed"
}

rc_all=0
for k in $(sl_kernels); do
	[ -n "$ONLY" ] && [ "$k" != "$ONLY" ] && continue
	ko=$(sl_build_module "$k") || { check 0 "$k" "module builds"; continue; }
	rd="$SL_BUILD/guest/harness-$k.cpio.gz"
	sl_build_initramfs "$rd" "$ko" "$SL_ROOT/tests/guest/harness-init.sh" || sl_die "initramfs"
	for mode in smp; do
		log="$LOGS/harness-$k-$mode.log"
		# thread=single: multi-threaded TCG runs stale translations of
		# kernel text patched while another vCPU executes it (the
		# tracepoint's static key flips on every arm/disarm).
		SL_ACCEL=tcg SL_TCG_OPTS=thread=single sl_boot --smp 2 --timeout 400 \
			--append "ht.mode=smp ht.backends=$BACKENDS" "$k" "$rd" "$log"
		if ! sl_clean "$log" | grep -q "ht: done"; then
			check 0 "$k" "$mode boot reached 'ht: done' (log $log)"
			sl_tail "$log"
			continue
		fi
		for b in ${BACKENDS//,/ }; do
			${mode}_checks "$k" "$log" "$b"
		done
	done
done
echo "harness guest tests: $NPASS passed, $NFAIL failed"
[ $KEEP = 1 ] || [ $NFAIL -gt 0 ] || rm -f "$LOGS"/harness-*.log
[ $NFAIL -eq 0 ]
