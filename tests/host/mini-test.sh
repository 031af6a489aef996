#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host test of syslat-mini (user/mini/, the program vm-bench runs on Linux
# and Unikraft): it is a static-pie with no interpreter, runs here (no module: nr
# 500 takes the ENOSYS path and says so, 501 returns -38), prints a result
# with the rounds asked for, its --label block is pooled by syslat reduce,
# and bad arguments exit 2. The guests (vm-bench-test.sh) check the rest.
# TAP output; exit 1 on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
MINI=${MINI:-user/syslat-mini} SYSLAT=${SYSLAT:-user/syslat}
TMP=$(mktemp -d /tmp/syslat-mini.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
# jq -e exits 0 on empty input (jq 1.6): no output must fail too.
jqe() { local out; out=$(jq -e "$@") && [ -n "$out" ]; }
[ -x "$MINI" ] || { echo "Bail out! $MINI not built (make -C user, with musl-tools)"; exit 1; }

check "static-pie: a DYN ELF without an interpreter" \
	sh -c "readelf -lh '$MINI' | grep -q 'Type: *DYN' && ! readelf -l '$MINI' | grep -q INTERP"
"$MINI" --rounds 3 --iters 100 >"$TMP/r.json" 2>"$TMP/err"
st=$?
check "runs: exit 0 ($st), a JSON result" \
	sh -c "[ $st = 0 ] && jq -e '.tool == \"syslat-mini\" and (.results | length == 4)' '$TMP/r.json' | grep -qx true"
check "each benchmark: 3 rounds, no error" \
	jqe '[.results[] | .rounds == 3 and (.round_means | length == 3) and .error == 0] | all' "$TMP/r.json"
if grep -qw 'syslat.icount=1' /proc/cmdline || [ -d /sys/kernel/debug/syslat ]; then
	ok "noop note # SKIP the module or icount is here"
else
	check "noop without the module: the ENOSYS path, said so" \
		jqe '.results[] | select(.name == "noop") | .note | test("ENOSYS path: nr 500 returns -38")' "$TMP/r.json"
fi
check "enosys: nr 501 returns -38 on Linux" \
	jqe '.results[] | select(.name == "enosys") | .note | test("returns -38 ")' "$TMP/r.json"
check "unit: cycles without --icount, instructions with it" \
	sh -c "jq -e '.tsc.unit == \"cycles\"' '$TMP/r.json' | grep -qx true &&
	       '$MINI' --icount --rounds 1 --iters 10 --bench timer | jq -e '.tsc.unit == \"instructions (icount)\"' | grep -qx true"
"$MINI" --rounds 2 --iters 50 --bench noop,enosys --label kernel=k,config=c,boot=1 >"$TMP/log"
check "--label: the markers, prog=syslat-mini" grep -q '^SYSLAT-JSON-BEGIN kernel=k config=c boot=1 prog=syslat-mini$' "$TMP/log"
check "syslat reduce pools it as 'k c syslat-mini'" \
	sh -c "'$SYSLAT' reduce --side-by-side '$TMP/log' | grep -q '^k c syslat-mini .*| noop syscall (500)'"
for a in "--rounds 0" "--iters x" "--iters 12junk" "--warmup 1001" "--bench timer,nope" "--label nolabel" "--what" "--rounds"; do
	# shellcheck disable=SC2086  # the words are the arguments
	"$MINI" $a >"$TMP/out" 2>&1
	st=$?
	check "bad arguments '$a': exit 2 with a message ($(head -n 1 "$TMP/out"))" \
		sh -c "[ $st = 2 ] && grep -q '^syslat-mini: ' '$TMP/out'"
done
echo "1..$n"
[ $failed -eq 0 ]
