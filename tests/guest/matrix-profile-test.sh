#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Test of matrix-profile.sh, small: the newest kernel, the pti knob, a
# matrix of one boot per configuration (default, mitigations=off, nopti:
# three guests, 2 rounds of 200 ENOSYS calls), then the ENOSYS profiles of
# the default and of nopti (two guests, 3 calls each). Checks that the
# profiles' total difference equals the matrix's measured PTI cost, that
# the functions PTI lengthens are named, that a matrix figure which does
# not match is reported (exit 1), and that bad input exits 2 before any boot.
set -u
. "$(dirname "$0")/lib.sh"

OUT="$SL_BUILD/matrix-profile-test"
VB="$SL_ROOT/tests/guest/vm-bench.sh" MP="$SL_ROOT/tests/guest/matrix-profile.sh"
PS="$SL_ROOT/tests/guest/profile.sh"
k=$(sl_kernels | tail -n 1)
[ -n "$k" ] || sl_die "no installed kernel (make deps)"
rm -rf "$OUT" "$OUT-bad" "$OUT-tampered"
mkdir -p "$SL_BUILD" || exit 1
NFAIL=0 NPASS=0
t0=$(date +%s)

for bad in "--cpu NoSuchCPU" "--append no_such_parameter=1" "--append nopti --kernel no-such-kernel"; do
	# shellcheck disable=SC2086  # the options are meant to split
	"$PS" $bad --out "$OUT-bad" enosys >/dev/null 2>&1
	st=$?
	sl_check "$([ $st = 2 ] && [ ! -e "$OUT-bad" ] && echo 1 || echo 0)" "profile.sh $bad: exit 2 before any boot"
done
for bad in "" "$OUT-bad" "--calls 0 $SL_BUILD"; do
	# shellcheck disable=SC2086
	"$MP" $bad >/dev/null 2>&1
	sl_check "$([ $? = 2 ] && echo 1 || echo 0)" "matrix-profile.sh '$bad': exit 2"
done

"$VB" --matrix mitigations --kernel "$k" --knobs pti --boots 1 --rounds 2 --iters 200 \
	--bench enosys --out "$OUT" --timeout 300 >"$OUT.vb.txt" 2>&1
sl_check "$([ $? = 0 ] && echo 1 || echo 0)" "vm-bench --matrix --knobs pti exits 0"
for bad in "--knobs nosuchknob" "--bench getppid"; do
	# shellcheck disable=SC2086
	"$MP" $bad "$OUT" >/dev/null 2>&1
	sl_check "$([ $? = 2 ] && [ ! -e "$OUT/profile" ] && echo 1 || echo 0)" "matrix-profile.sh $bad: exit 2 before any boot"
done

"$MP" --knobs pti --calls 3 "$OUT" >"$OUT.txt" 2>&1
st=$?
sed 's/^/    | /' "$OUT.txt"
sl_check "$([ $st = 0 ] && echo 1 || echo 0)" "matrix-profile.sh --knobs pti exits 0"
row=$(awk -F'\t' -v k="$k" '$1 == k && $2 == "enosys" && $3 == "pti"' "$OUT/matrix-profile.tsv" 2>/dev/null)
IFS=$'\t' read -r _ _ _ _ mc _ pc agree _ <<<"$row"
mj=$(jq -r --arg k "$k" '.kernels[] | select(.kernel == $k) | .rows[] |
	select(.config == "pti" and .benchmark == "enosys") | .cost_vs_default.diff' "$OUT/matrix.json" 2>/dev/null)
sl_check "$(awk -v a="${pc:-x}" -v b="${mj:-y}" 'BEGIN { exit !(a == b + 0 && b > 0) }' && echo 1 || echo 0)" \
	"profile's total difference ${pc:-none} equals the matrix's PTI cost on ENOSYS ${mj:-none} (> 0)"
sl_check "$([ "${mc:-}" = "${mj:-x}" ] && [ "${agree:-}" = equal ] && echo 1 || echo 0)" "matrix-profile.tsv: $mc vs $pc: ${agree:-none}"
d="$OUT/profile/pti-enosys-$k.diff"
# SWITCH_TO_KERNEL_CR3 is in entry_SYSCALL_64, SWITCH_TO_USER_CR3 on the
# SYSRET path: both must gain instructions with PTI on.
for f in entry_SYSCALL_64 syscall_return_via_sysret; do
	sl_check "$(sl_ok awk -v f=$f '$4 == f && NF == 4 && $3 + 0 > 0 { g = 1 } END { exit !g }' "$d")" \
		"PTI adds instructions to $f: $(awk -v f=$f '$4 == f && NF == 4 { print $3 }' "$d" 2>/dev/null)"
done
sl_check "$(sl_ok grep -q "^# enosys, Linux $k \[nopti\], -cpu Skylake-Client-v1," "$OUT/profile/pti/enosys-$k.txt")" \
	"the pti profile ran with nopti and the matrix's CPU"
sl_check "$(sl_ok jq -e '.self_check.match' "$OUT/profile/pti/enosys-$k.json")" "the pti profile passed its own self-check"

# A matrix figure off by one instruction must be reported; the profiles are reused (no boot).
cp -r "$OUT" "$OUT-tampered"
jq --arg k "$k" '(.kernels[] | select(.kernel == $k) | .rows[] | select(.config == "pti" and .benchmark == "enosys")
	| .cost_vs_default.diff) += 1' "$OUT/matrix.json" >"$OUT-tampered/matrix.json"
"$MP" --knobs pti --calls 3 "$OUT-tampered" >"$OUT-tampered.txt" 2>&1
st=$?
sl_check "$([ $st = 1 ] && grep -q 'DIFFER by -1.0' "$OUT-tampered.txt" && echo 1 || echo 0)" \
	"a matrix cost one off is reported: exit $st, $(grep -o 'DIFFER by [-+0-9.]*' "$OUT-tampered.txt")"
echo "matrix profile test ($k, $(($(date +%s) - t0)) s): $NPASS passed, $NFAIL failed"
[ $NFAIL -eq 0 ]
