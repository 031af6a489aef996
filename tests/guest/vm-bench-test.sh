#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Integration test of make vm-bench (issue 6) with tiny settings: one boot
# of each installed kernel in both configurations. Checks that the table
# has a row for every kernel x configuration x benchmark, that the
# mitigations=off guests really booted with it (captured cmdline, and
# spectre_v1/v2 no longer "Mitigation: ..."), and that syslat compare of
# the two configurations prints every benchmark.
set -u
. "$(dirname "$0")/lib.sh"

OUT="$SL_BUILD/vm-bench-test"
BENCH=timer,fcall,noop,enosys,getppid,pipe
rm -rf "$OUT"
mkdir -p "$SL_BUILD" || exit 1
NFAIL=0 NPASS=0

"$SL_ROOT/tests/guest/vm-bench.sh" --boots 1 --rounds 2 --iters 200 --bench "$BENCH" \
	--out "$OUT" --timeout 300 >"$OUT.txt" 2>&1
st=$?
sed 's/^/    | /' "$OUT.txt"
sl_check "$([ $st = 0 ] && echo 1 || echo 0)" "vm-bench exits 0"
for k in $(sl_kernels); do
	for c in default nomitig; do
		for b in ${BENCH//,/ }; do
			# 2 rounds measured: pooled, or excluded as disturbed and counted
			sl_check "$(sl_ok jq -e --arg p "$k $c" --arg b "$b" \
				'[.rows[] | select(.platform == $p and .name == $b and .n >= 1 and
				  .n + .rounds_excluded == 2)] | length == 1' \
				"$OUT/summary.json")" "table row: $k $c $b (2 rounds, pooled or excluded)"
		done
		grep -q "^$k $c " "$OUT/table.txt" || sl_check 0 "table.txt has $k $c"
	done
	d="$OUT/$k-default-boot1.json" n="$OUT/$k-nomitig-boot1.json"
	sl_check "$(sl_ok jq -e '.env.kernel_cmdline | test("mitigations=off")' "$n")" "$k nomitig: guest cmdline has mitigations=off"
	sl_check "$(sl_ok jq -e '(.env.kernel_cmdline | test("mitigations=off")) | not' "$d")" "$k default: no mitigations=off"
	sl_check "$(sl_ok jq -e '[.env.vulnerabilities.spectre_v1, .env.vulnerabilities.spectre_v2] | all(test("^Mitigation") | not)' "$n")" \
		"$k nomitig: spectre_v1/v2 unmitigated in the guest ($(jq -c '.env.vulnerabilities.spectre_v2' "$n" 2>/dev/null))"
	sl_check "$(sl_ok jq -e '.env.vulnerabilities.spectre_v1 | test("^Mitigation")' "$d")" "$k default: spectre_v1 mitigated"
	"$SL_ROOT/user/syslat" compare "$d" "$n" >"$OUT/compare-$k.txt" 2>&1
	st=$?
	for b in ${BENCH//,/ }; do
		grep -q "^$b " "$OUT/compare-$k.txt" || st=1
	done
	sl_check "$([ $st = 0 ] && echo 1 || echo 0)" "$k: syslat compare default vs nomitig prints every benchmark"
	sed 's/^/    | /' "$OUT/compare-$k.txt"
done
echo "vm-bench test: $NPASS passed, $NFAIL failed"
[ $NFAIL -eq 0 ]
