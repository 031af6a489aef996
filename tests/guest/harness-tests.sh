#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest tests of the harness with the module (make guest-test runs this
# after run-tests.sh, whose icount boot already runs `syslat selftest`):
# per installed kernel, one 2-CPU TCG boot for the phase merge next to a
# hammer task on the other CPU, --folded, `syslat hist` and `syslat run`;
# one icount boot for the any-syscall phases (trace_tgid, docs/phases.md).
set -u

usage() {
	cat <<'EOF2'
usage: tests/guest/harness-tests.sh [--kernel VER] [--backends LIST] [--modes LIST] [--keep] [-h]
  --modes LIST   boots per kernel, comma-separated: smp (the noop's merge), anysys
                 (icount: phases of getppid, read, write, pipe-rw); default smp,anysys
EOF2
}

. "$(dirname "$0")/lib.sh"

ONLY= BACKENDS=tracepoint,patch KEEP=0 MODES=smp,anysys
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) ONLY=${2:?}; shift ;;
	--backends) BACKENDS=${2:?}; shift ;;
	--modes) MODES=${2:?}; shift ;;
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
	# plain TCG: the TSC follows emulation speed, so the stamping's cost is
	# only printed here (the icount boot checks it)
	ph=$(json "$log" "anysys backend=$b")
	[ -n "$ph" ] || ph='{}'
	check "$(grep -q "ht: $b: anysys-exit 0" <<<"$L" && jq -e '.syscall_phases[0] | .calls > 0 and
		.matched >= 0.99 * .calls and .foreign == 0 and .other_cpu == 0' \
		<<<"$ph" >/dev/null 2>&1 && echo 1 || echo 0)" "$k" \
		"$b: bench getppid --phases without icount, hammer on cpu 1: merged, none of its calls recorded ($(jq -c '.syscall_phases[0] | {calls, matched, foreign, other_cpu, stamping_cost_median}' <<<"$ph" 2>/dev/null))"
	run=$(json "$log" "run backend=$b")
	check "$(jq -e '[.results[] | select(.name == "noop")][0] | (.armed == true and (.note | test("module")))' <<<"$run" >/dev/null 2>&1 && echo 1 || echo 0)" \
		"$k" "$b: syslat run in the guest: noop through the module, armed"
}

# The any-syscall phases, under icount (instructions, exact).
anysys_checks() { # KVER LOG
	local k=$1 log=$2 L js t
	L=$(sl_clean "$log" | grep "ht: anysys: ")
	check "$(grep -q 'insmod trace_tgid=99999999 [1-9]' <<<"$L" && grep -q 'insmod trace_ring_size=100 [1-9]' <<<"$L" && echo 1 || echo 0)" \
		"$k" "anysys: insmod refuses trace_tgid=99999999 and trace_ring_size=100"
	check "$(grep -q 'loaded trace_tgid=1$' <<<"$L" && echo 1 || echo 0)" "$k" "anysys: insmod trace_tgid=1 arms the stamps at load"
	check "$(grep -qE 'filter rows [1-9][0-9]* other 0 child 0 header 1$' <<<"$L" && echo 1 || echo 0)" \
		"$k" "anysys: only tgid 1's calls are in trace_ring, not its child's ($(grep -o 'filter .*' <<<"$L"))"
	check "$(grep -q 'version # version: 1$' <<<"$L" && echo 1 || echo 0)" "$k" "anysys: trace_ring starts with '# version: 1'"
	t=$(grep -c 'ok [0-9]* - badwrite: trace_tgid' <<<"$L")
	check "$([ "$t" -ge 8 ] && ! grep -q 'not ok.*trace_tgid' <<<"$L" && echo 1 || echo 0)" \
		"$k" "anysys: bad writes to trace_tgid give -EINVAL and change nothing ($t checks)"
	check "$(grep -q 'bench-exit 0' <<<"$L" && echo 1 || echo 0)" "$k" "anysys: bench getppid read-zero write-null pipe-rw --phases runs"
	js=$(json "$log" anysys)
	for s in getppid read-zero write-null "pipe-rw write" "pipe-rw read"; do
		t=$(jq -c --arg s "$s" '.syscall_phases[] | select(.syscall == $s) |
			{calls, matched, entry_median, kernel_median, exit_median, round_trip_median, stamped_round_trip_median,
			 unstamped_round_trip_median, stamping_cost_median}' <<<"$js" 2>/dev/null)
		# jq -e succeeds on empty input: no object is a failure of its own
		[ -n "$t" ] || t='{"missing": true}'
		check "$(jq -e '.matched >= 0.99 * .calls and .calls > 0' <<<"$t" >/dev/null 2>&1 && echo 1 || echo 0)" \
			"$k" "anysys: $s: >= 99 % of calls merged"
		check "$(jq -e '.stamped_round_trip_median > 0 and .round_trip_median == .stamped_round_trip_median and
			.entry_median + .kernel_median + .exit_median == .stamped_round_trip_median' <<<"$t" >/dev/null 2>&1 && echo 1 || echo 0)" \
			"$k" "anysys: $s: entry + in-kernel + exit == phased round trip == round trip timed alone, exactly ($t)"
		check "$(jq -e '.stamping_cost_median > 0' <<<"$t" >/dev/null 2>&1 &&
			grep -qE "table: # $s: stamping adds \+[0-9]+ instructions" <<<"$L" && echo 1 || echo 0)" \
			"$k" "anysys: $s: the stamping's cost is printed and positive"
	done
	check "$(grep -q 'after-bench trace_tgid=0$' <<<"$L" && echo 1 || echo 0)" "$k" "anysys: the harness disarms trace_tgid again"
	check "$(grep -q 'rmmod-armed 0' <<<"$L" && grep -q 'reload 0' <<<"$L" &&
		! grep -qE "$SL_FATAL|Oops|BUG:|WARNING:|Call Trace" "$log.kmsg" && echo 1 || echo 0)" \
		"$k" "anysys: rmmod while armed, reload; kernel console clean"
}

rc_all=0
sl_build_gtest >/dev/null || sl_die "gtest does not build"
for k in $(sl_kernels); do
	[ -n "$ONLY" ] && [ "$k" != "$ONLY" ] && continue
	ko=$(sl_build_module "$k") || { check 0 "$k" "module builds"; continue; }
	rd="$SL_BUILD/guest/harness-$k.cpio.gz"
	sl_build_initramfs "$rd" "$ko" "$SL_ROOT/tests/guest/harness-init.sh" || sl_die "initramfs"
	for mode in ${MODES//,/ }; do
		log="$LOGS/harness-$k-$mode.log"
		if [ "$mode" = anysys ]; then
			sl_boot --icount --timeout 400 --append "ht.mode=anysys" "$k" "$rd" "$log"
			if sl_clean "$log" | grep -q "ht: done"; then
				anysys_checks "$k" "$log"
			else
				check 0 "$k" "anysys boot reached 'ht: done' (log $log)"
				sl_tail "$log"
			fi
			continue
		fi
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
