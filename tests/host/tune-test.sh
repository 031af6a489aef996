#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test of syslat tune, read-only: every check reported, values as the
# files hold them, nothing changed by a check, --restore without a state
# file, --apply refused without root (nothing written), bad options exit 2,
# syslat run records the untuned settings. --apply/--restore themselves
# change the machine: tests/guest/tune-test.sh tests them in a guest.
# TAP output; exit 1 on any failure.   (SYSLAT=path to test another build)
set -u
cd "$(dirname "$0")/../.." || exit 1
SYSLAT=${SYSLAT:-user/syslat}
TMP=$(mktemp -d /tmp/syslat-tune.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# jq -e exits 0 on empty input (jq 1.6): no output must fail too.
jqe() { local out; out=$(jq -e "$@") && [ -n "$out" ]; }
[ -x "$SYSLAT" ] || { echo "Bail out! $SYSLAT not built (make -C user)"; exit 1; }
command -v jq >/dev/null || { echo "Bail out! jq is required"; exit 1; }

# What a check must not change: the files --apply would write.
snapshot() {
	cat /sys/kernel/mm/transparent_hugepage/enabled /proc/sys/kernel/randomize_va_space \
		/proc/sys/kernel/nmi_watchdog /sys/devices/system/cpu/smt/control \
		/proc/irq/*/smp_affinity_list /sys/devices/system/cpu/cpu*/cpuidle/state*/disable \
		/sys/devices/system/cpu/cpufreq/policy*/scaling_{governor,min_freq} 2>/dev/null
}
val() { awk -v s="$1" '$1 != "status" && index($0, s) == 10 { print substr($0, 39, 26) }' "$TMP/tune.txt" | sed 's/ *$//'; }

snapshot >"$TMP/before"
"$SYSLAT" tune >"$TMP/tune.txt" 2>"$TMP/tune.err"
check "syslat tune exits 0" test $? = 0
snapshot >"$TMP/after"
check "a check changes nothing (THP, ASLR, watchdog, SMT, IRQs, idle, cpufreq files)" cmp -s "$TMP/before" "$TMP/after"
for s in isolcpus nohz_full rcu_nocbs 'irq affinity' thp aslr hypervisor; do
	check "reports $s" grep -q "^[a-z/]* *$s " "$TMP/tune.txt"
done
check "reports cpufreq (governor per policy, or n/a)" grep -qE '^(ok|untuned|n/a) +(governor policy|cpufreq )' "$TMP/tune.txt"
check "reports turbo/boost" grep -qE '^(ok|untuned|n/a) +(turbo|boost)' "$TMP/tune.txt"
check "reports SMT" grep -qE '^(ok|untuned|n/a) +smt ' "$TMP/tune.txt"
check "reports idle states and cpu_dma_latency" grep -qE '^(ok|untuned|n/a) +(idle|cpu_dma_latency)' "$TMP/tune.txt"
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled)
check "thp value is the kernel's ($thp)" test "$(val thp)" = "$thp"
check "aslr value is randomize_va_space ($(cat /proc/sys/kernel/randomize_va_space))" \
	test "$(val aslr)" = "$(cat /proc/sys/kernel/randomize_va_space)"
vm=no; grep -q ' hypervisor' /proc/cpuinfo && vm=yes
check "hypervisor flag as /proc/cpuinfo ($vm)" test "$(val hypervisor)" = "$vm"
if [ -r /sys/devices/system/cpu/smt/control ]; then
	check "smt value is smt/control ($(cat /sys/devices/system/cpu/smt/control))" \
		test "$(val smt)" = "$(cat /sys/devices/system/cpu/smt/control)"
fi
check "every untuned line has advice" \
	awk '$1 == "untuned" && NF < 5 { exit 1 }' "$TMP/tune.txt"

st="$TMP/run/tune.state"
out=$("$SYSLAT" tune --restore --state "$st" 2>&1); rc=$?
check "--restore without a state file: exit 0, says nothing to restore" \
	eval '[ $rc = 0 ] && grep -q "nothing to restore" <<<"$out" && [ ! -e "$st" ]'
out=$(SYSLAT_TUNE_STATE="$st" "$SYSLAT" tune --restore 2>&1)
check "\$SYSLAT_TUNE_STATE names the state file" grep -qF "$st" <<<"$out"
printf 'garbage\n' >"$TMP/bad.state"
"$SYSLAT" tune --restore --state "$TMP/bad.state" >/dev/null 2>"$TMP/bad.err"; rc=$?
check "--restore of a corrupt state file: exit 1, says why, file kept" \
	eval '[ $rc = 1 ] && grep -q "not a state line" "$TMP/bad.err" && [ -e "$TMP/bad.state" ]'

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$TMP"
	asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
elif [ "$(id -u)" != 0 ]; then
	asuser=()
fi
if [ -n "${asuser+x}" ]; then
	snapshot >"$TMP/before"
	"${asuser[@]}" "$SYSLAT" tune --apply --state "$st" >/dev/null 2>"$TMP/apply.err"; rc=$?
	snapshot >"$TMP/after"
	check "--apply without root: exit 1, says root is needed" \
		eval '[ $rc = 1 ] && grep -q "needs root" "$TMP/apply.err"'
	check "--apply without root: no state file, nothing changed" \
		eval '[ ! -e "$st" ] && cmp -s "$TMP/before" "$TMP/after"'
	"${asuser[@]}" "$SYSLAT" tune --hold -- true 2>"$TMP/hold.err"; rc=$?
	check "--hold without root: exit 1, says why, command not run" \
		eval '[ $rc = 1 ] && grep -q "not run" "$TMP/hold.err"'
else
	skip "--apply without root" "root without setpriv"
fi

for bad in "--bogus" "--cpu 99999" "--cpu x" "--apply --restore" "--hold" "stray" "--restore --hold -- true"; do
	# shellcheck disable=SC2086  # the options are meant to split
	"$SYSLAT" tune $bad >/dev/null 2>&1
	check "bad input '$bad' exits 2" test $? = 2
done
last=$(($(nproc --all) + 0))
"$SYSLAT" tune --cpu "$last" >/dev/null 2>&1
check "--cpu $last (no such CPU) exits 2" test $? = 2

if [ "$(id -u)" = 0 ] && [ -w /dev/cpu_dma_latency ]; then
	held=$("$SYSLAT" tune --hold -- od -An -td4 /dev/cpu_dma_latency 2>/dev/null | tr -d ' ')
	"$SYSLAT" tune --hold -- sh -c 'exit 7' 2>/dev/null; rc=$?
	check "--hold: 0 us held while CMD runs ($held), CMD's status returned ($rc)" \
		eval '[ "$held" = 0 ] && [ $rc = 7 ]'
	check "--hold: the request is dropped after CMD ($(od -An -td4 /dev/cpu_dma_latency | tr -d ' ') us)" \
		test "$(od -An -td4 /dev/cpu_dma_latency | tr -d ' ')" != 0
else
	skip "--hold" "needs root and /dev/cpu_dma_latency"
fi

"$SYSLAT" bench getppid --iters 500 --rounds 2 --warmup 1 --format json >"$TMP/run.json" 2>"$TMP/run.err"
nun=$(awk '$1 == "untuned"' "$TMP/tune.txt" | grep -vc '^untuned  *irq [0-9]')
check "syslat run records tune/checked and tune/untuned ($nun untuned)" \
	jqe --arg n "$nun" '(.env.tune.checked | startswith("cpu")) and .env.tune.untuned == ($n | tonumber)' "$TMP/run.json"
nm=$(grep -c '^syslat: untuned: ' "$TMP/run.err")
check "syslat run prints one line per untuned setting that matters ($nm), none with --quiet" \
	eval '[ "$nm" -le "$nun" ] && ! "$SYSLAT" bench getppid --iters 200 --rounds 2 --quiet 2>&1 >/dev/null | grep -q untuned'
echo "1..$n"
[ $failed -eq 0 ]
