#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Test of vm-bench --matrix mitigations, small: the newest kernel, two
# knobs (pti and cpu_buffers), one boot per configuration (default,
# mitigations=off and the two knobs: four guests), 2 rounds of 200 calls.
# Checks each guest's command line and vulnerabilities, the verdicts, the
# matrix table and JSON (PTI's cost on the ENOSYS path is positive), and
# that bad input is refused before any guest boots.
set -u
. "$(dirname "$0")/lib.sh"

OUT="$SL_BUILD/matrix-test"
VB="$SL_ROOT/tests/guest/vm-bench.sh"
BENCH=noop,enosys
k=$(sl_kernels | tail -n 1)
[ -n "$k" ] || sl_die "no installed kernel (make deps)"
rm -rf "$OUT" "$OUT-bad"
mkdir -p "$SL_BUILD" || exit 1
NFAIL=0 NPASS=0
t0=$(date +%s)

for bad in "--cpu NoSuchCPU" "--knobs pti" "--matrix mitigations --knobs nosuchknob" \
	"--config x=no_such_parameter=1" "--matrix other"; do
	# shellcheck disable=SC2086  # the options are meant to split
	"$VB" $bad --kernel "$k" --out "$OUT-bad" >/dev/null 2>&1
	st=$?
	sl_check "$([ $st = 2 ] && [ ! -e "$OUT-bad" ] && echo 1 || echo 0)" "bad input '$bad': exit 2 before any boot"
done

"$VB" --matrix mitigations --kernel "$k" --knobs pti,cpu_buffers --boots 1 --rounds 2 --iters 200 \
	--bench "$BENCH" --out "$OUT" --timeout 300 >"$OUT.txt" 2>&1
st=$?
sed 's/^/    | /' "$OUT.txt"
sl_check "$([ $st = 0 ] && echo 1 || echo 0)" "vm-bench --matrix exits 0"
j() { printf '%s' "$OUT/$k-$1-boot1.json"; }
vu() { jq -r --arg v "$2" '.env.vulnerabilities[$v]' "$(j "$1")" 2>/dev/null; }
cl() { jq -r '.env.kernel_cmdline' "$(j "$1")" 2>/dev/null; }
has() { case " $1 " in *" $2 "*) echo 1 ;; *) echo 0 ;; esac; }
sl_check "$(sl_ok grep -q 'Skylake-Client-v1' "$OUT/table.txt")" "the matrix's default CPU under TCG is Skylake-Client-v1"
sl_check "$([ "$(has "$(cl default)" mitigations=off)$(has "$(cl default)" nopti)" = 00 ] && echo 1 || echo 0)" \
	"default guest: no mitigation parameter on its command line"
sl_check "$(has "$(cl nomitig)" mitigations=off)" "nomitig guest: mitigations=off on its command line"
sl_check "$(has "$(cl pti)" nopti)" "pti guest: nopti on its command line"
c=$(cl cpu_buffers)
sl_check "$([ "$(has "$c" mds=off)$(has "$c" mmio_stale_data=off)$(has "$c" tsx_async_abort=off)" = 111 ] && echo 1 || echo 0)" \
	"cpu_buffers guest: mds=off mmio_stale_data=off tsx_async_abort=off on its command line"
sl_check "$([ "$(vu default meltdown)" = "Mitigation: PTI" ] && echo 1 || echo 0)" "default: meltdown: $(vu default meltdown)"
sl_check "$(vu default mds | grep -qi 'clear cpu buffers' && echo 1 || echo 0)" "default: mds: $(vu default mds)"
sl_check "$(vu pti meltdown | grep -q '^Vulnerable' && echo 1 || echo 0)" "pti: meltdown: $(vu pti meltdown)"
sl_check "$([ "$(vu pti mds)" = "$(vu default mds)" ] && echo 1 || echo 0)" "pti: mds as the default's"
sl_check "$(vu cpu_buffers mds | grep -q '^Vulnerable' && ! vu cpu_buffers mds | grep -qi 'clear' && echo 1 || echo 0)" \
	"cpu_buffers: mds: $(vu cpu_buffers mds)"
sl_check "$([ "$(vu cpu_buffers meltdown)" = "Mitigation: PTI" ] && echo 1 || echo 0)" "cpu_buffers: meltdown still mitigated"
sl_check "$(vu nomitig spectre_v2 | grep -q '^Vulnerable' && echo 1 || echo 0)" "nomitig: spectre_v2: $(vu nomitig spectre_v2)"
for n in pti cpu_buffers; do
	sl_check "$(sl_ok awk -F'\t' -v k="$k" -v n=$n '$1 == k && $2 == n && $5 ~ /^effective: / { f = 1 } END { exit !f }' "$OUT/matrix.tsv")" "verdict of $n: $(awk -F'\t' -v n=$n '$2 == n { print $5 }' "$OUT/matrix.tsv")"
done
m="$OUT/matrix.json"
for c in default nomitig pti cpu_buffers; do
	for b in ${BENCH//,/ }; do
		# 2 rounds measured, less any the guest excluded as disturbed (and counted)
		want=$(jq --arg b "$b" '[.results[] | select(.name == $b) | 2 - (.interference.rounds_excluded // 0)][0] // 2' \
			"$OUT/$k-$c-boot1.json" 2>/dev/null || echo 2)
		sl_check "$(sl_ok jq -e --arg c "$c" --arg b "$b" --argjson w "$want" '[.kernels[0].rows[] | select(.config == $c and .benchmark == $b and .rounds == $w and $w >= 1)] | length == 1' "$m")" \
			"matrix.json row: $c $b ($want of 2 rounds kept)"
	done
	sl_check "$(sl_ok jq -e --arg c "$c" '.kernels[0].configs[] | select(.config == $c) | .vulnerabilities.meltdown' "$m")" \
		"matrix.json records $c's vulnerabilities"
done
sl_check "$(sl_ok jq -e '.kernels[0].rows[] | select(.config == "pti" and .benchmark == "enosys") | .cost_vs_default | .diff > 0 and .ci95_lo > 0' "$m")" \
	"PTI costs instructions on the ENOSYS path: $(jq -c '.kernels[0].rows[] | select(.config == "pti" and .benchmark == "enosys") | .cost_vs_default' "$m" 2>/dev/null)"
sl_check "$(sl_ok jq -e '.kernels[0].rows[] | select(.config == "default" and .benchmark == "enosys") | .vs_off.diff > 0' "$m")" \
	"the default's mitigations cost instructions vs mitigations=off on ENOSYS"
sl_check "$(sl_ok grep -qE '^enosys +pti +[0-9.]+ +2 +\+[0-9.]+ \[' "$OUT/matrix.txt")" "matrix.txt has the pti row with its CI"
cp "$OUT/matrix.txt" "$OUT-matrix.txt"
"$VB" --reduce "$OUT" >"$OUT-reduce.txt" 2>&1
sl_check "$(sl_ok diff "$OUT-matrix.txt" <(sed -n '/^# kernel /,$p' "$OUT-reduce.txt" | grep -v '^results: '))" \
	"--reduce re-prints the same matrix from the logs"
echo "matrix test ($k, $(($(date +%s) - t0)) s): $NPASS passed, $NFAIL failed"
[ $NFAIL -eq 0 ]
