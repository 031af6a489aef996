#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Integration test of make vm-bench (issue 6) with tiny settings: one boot
# of each installed kernel in both configurations. Checks that the table
# has a row for every kernel x configuration x benchmark, that the
# mitigations=off guests really booted with it (captured cmdline, and
# spectre_v1/v2 no longer "Mitigation: ..."), and that syslat compare of
# the two configurations prints every benchmark.
# The other systems (issue 16): Unikraft boots once beside them (its image
# built once, cached under build/unikraft/); its syslat-mini rows are
# checked, and the Linux guests' syslat-mini rows against the harness's
# (the same loop, so the same count under icount). Then --system and --src
# refusals, which boot nothing.
set -u
. "$(dirname "$0")/lib.sh"

OUT="$SL_BUILD/vm-bench-test"
BENCH=timer,fcall,noop,enosys,getppid,pipe
rm -rf "$OUT"
mkdir -p "$SL_BUILD" || exit 1
NFAIL=0 NPASS=0

"$SL_ROOT/tests/guest/vm-bench.sh" --boots 1 --rounds 2 --iters 200 --bench "$BENCH" \
	--system linux,unikraft --out "$OUT" --timeout 300 >"$OUT.txt" 2>&1
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

# row PLATFORM NAME JQ-TEST: the summary row exists and passes the test.
row() {
	sl_ok jq -e --arg p "$1" --arg b "$2" "[.rows[] | select(.platform == \$p and .name == \$b) | $3] | length == 1 and all" \
		"$OUT/summary.json"
}
UK="unikraft-0.5.0~1ed1dc1 elfloader syslat-mini" UJ="$OUT/unikraft-elfloader-boot1.json"
for b in timer fcall noop enosys; do
	sl_check "$(row "$UK" "$b" '.n == 2 and .q1 == .q3')" "unikraft row $b: 2 rounds, the same figure in both (icount)"
done
sl_check "$(row "$UK" timer '.median == 8')" "unikraft: the empty window is 8 instructions, as on Linux"
sl_check "$(sl_ok jq -e '.env.sysname == "Unikraft" and ([.results[] | select(.name == "noop") | .note | test("returns 0xc0ffee")] | all)' "$UJ")" \
	"unikraft: uname says Unikraft, nr 500 answers 0xc0ffee (the elfloader's noop)"
sl_check "$(sl_ok jq -e '[.results[] | select(.name == "enosys") | .note | test("returns -78 ")] | all' "$UJ")" \
	"unikraft: nr 501 returns -78 (nolibc's BSD-numbered ENOSYS)"
sl_check "$(grep -q '^unikraft-0.5.0~1ed1dc1 elfloader syslat-mini .*| instructions (icount)$' "$OUT/table.txt" && echo 1 || echo 0)" \
	"table.txt: unikraft in the side-by-side table"
# The Linux comparisons use each boot's minimum over its rounds: syslat-mini
# reads no /proc (Unikraft has none), so unlike the harness it keeps a round
# an interrupt landed in, and an interrupt can only add instructions.
mn() { jq --arg b "$2" '[.results[] | select(.name == $b)][0].statistics.min' "$1"; }
med() { jq --arg p "$1" --arg b "$2" '[.rows[] | select(.platform == $p and .name == $b)][0].median' "$OUT/summary.json"; }
for k in $(sl_kernels); do
	mj="$OUT/$k-default-boot1-mini.json" hj="$OUT/$k-default-boot1.json"
	m=$(mn "$mj" enosys) h=$(mn "$hj" enosys)
	sl_check "$(awk -v m="$m" -v h="$h" 'BEGIN { d = m - h; print (m != "null" && h != "null" && d < 1 && d > -1) ? 1 : 0 }')" \
		"$k: syslat-mini's enosys ($m) = the harness's ($h), within 1 instruction (minimum of the rounds)"
	n=$(mn "$mj" noop) u=$(med "$UK" noop)
	# the module with timing=0: 0xC0FFEE a few instructions after the ENOSYS path's point
	sl_check "$(awk -v n="$n" -v m="$m" 'BEGIN { d = n - m; print (n != "null" && d > 0 && d < 20) ? 1 : 0 }')" \
		"$k: syslat-mini's noop ($n, timing=0) a few instructions longer than its enosys ($m)"
	sl_check "$(awk -v n="$n" -v u="$u" 'BEGIN { print (n + 0 > u + 0 && u + 0 > 0) ? 1 : 0 }')" \
		"$k: the noop syscall is longer on Linux ($n) than on Unikraft ($u)"
done

# Refusals: nothing boots.
VB="$SL_ROOT/tests/guest/vm-bench.sh" T="$OUT/refuse"
mkdir -p "$T/empty" "$T/wrong/repo"
"$VB" --system linux,plan9 >"$T/out" 2>&1
st=$?
sl_check "$([ $st = 2 ] && grep -q "unknown system 'plan9'" "$T/out" && echo 1 || echo 0)" "--system plan9: exit 2, named ($(head -n 1 "$T/out"))"
"$VB" --system unikraft --src unikraft="$T/empty" --out "$T/r1" >"$T/out" 2>&1
st=$?
sl_check "$([ $st != 0 ] && grep -q 'system unikraft skipped: .*neither unikraft-1ed1dc1d1172.tar.xz' "$T/out" && echo 1 || echo 0)" \
	"--system unikraft without sources: skipped with the reason, fails ($st)"
git -C "$T/wrong/repo" init -q && git -C "$T/wrong/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m x &&
	git -C "$T/wrong/repo" archive --prefix=unikraft/ HEAD | xz >"$T/wrong/unikraft-1ed1dc1d1172.tar.xz"
"$VB" --system unikraft --src unikraft="$T/wrong" --out "$T/r2" >"$T/out" 2>&1
st=$?
sl_check "$([ $st != 0 ] && grep -q 'carries commit .*, not 1ed1dc1d1172865dc9316ed0d4455fb991b3ab19' "$T/out" && echo 1 || echo 0)" \
	"--src with a snapshot of another commit: refused, named ($(grep -m 1 carries "$T/out"))"
echo "vm-bench test: $NPASS passed, $NFAIL failed"
[ $NFAIL -eq 0 ]
