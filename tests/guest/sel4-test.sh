#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# seL4 through sel4bench (issue 16), as vm-bench runs it: sel4.sh's
# sys_sel4_sources / sys_sel4_run build the image from the pinned
# snapshots (cached under build/sel4/), boot it once under TCG with
# -icount shift=0, end it at END JSON OUTPUT, and syslat reduce / compare
# import the result. Under icount the run is deterministic: its imported
# rows must equal the recorded run in tests/golden/, seL4_Call one-way
# 190 instructions in every sample (as ../shared/notes measured). Also:
# wrong-commit and missing snapshots, a source tree without a manifest,
# a build that fails.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sel4.sh"

OUT="$SL_BUILD/sel4-test"
GOLD="$SL_ROOT/tests/golden/sel4bench-tcg-icount"
SYSLAT="$SL_ROOT/user/syslat"
NPASS=0 NFAIL=0 NSKIP=0
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
trap 'sl_kill_guest; rm -rf "$OUT/tp" "$OUT/b"' EXIT
[ -x "$SYSLAT" ] || sl_die "build the harness first (make user)"

# --- the pinned sources, or a skip that says why -----------------------------
sys_sel4_sources
rc=$?
if [ $rc = 1 ]; then
	echo "SKIP  seL4: $SYS_WHY"
	echo "sel4 test: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
sl_check "$([ $rc = 0 ] && echo 1 || echo 0)" "seL4 sources at the manifest's pinned commits (${S4_MANIFEST_COMMIT:0:12})"

# --- build (cached) and one boot, as vm-bench does ---------------------------
# shellcheck disable=SC2034  # vm-bench's variables, read by sys_sel4_run
BOOTS=1 ACCEL=tcg TMO=300 LOGS=() FAILS=0
t0=$(date +%s)
sys_sel4_run 2>"$OUT/run.err"
t1=$(date +%s)
sed 's/^/    | /' "$OUT/run.err"
log="$OUT/sel4-$S4_CONFIG_NAME-boot1.log"
sl_check "$([ $FAILS = 0 ] && [ ${#LOGS[@]} = 1 ] && echo 1 || echo 0)" "sys_sel4_run: one boot, its log in LOGS ($((t1 - t0)) s)"
secs=$(sed -n 's/^seL4: sel4bench done in \([0-9]*\) s$/\1/p' "$OUT/run.err")
sl_check "$([ -n "$secs" ] && [ "$secs" -lt "$TMO" ] && grep -q 'terminating on signal 15' "$log.qemu" && echo 1 || echo 0)" \
	"guest ended by the script at END JSON OUTPUT after ${secs:-?} s, not by the ${TMO} s limit"
sl_check "$(sl_ok grep -q '^syslat-sel4: system=seL4 13.0.0' "$log")" "log names the system and configuration"
sl_check "$(sl_ok jq -e 'length > 0' "${log%.log}.json")" "sel4bench's JSON extracted ($(wc -c <"${log%.log}.json" 2>/dev/null) bytes)"
t0=$(date +%s)
d2=$(s4_build 2>"$OUT/cache.err")
sl_check "$([ -s "$d2/images/kernel-x86_64-pc99" ] && grep -q 'cached build' "$OUT/cache.err" && echo 1 || echo 0)" \
	"second build is the cached image ($(($(date +%s) - t0)) s)"

# --- imported by syslat reduce: deterministic, and equal to the recorded run -
"$SYSLAT" reduce --out "$OUT" "$log" >"$OUT/table.txt" 2>"$OUT/reduce.err"
st=$?
sed 's/^/    | /' "$OUT/table.txt" "$OUT/reduce.err"
sl_check "$([ $st = 0 ] && echo 1 || echo 0)" "syslat reduce reads the seL4 log"
plat="$S4_VERSION $S4_CONFIG_NAME"
sl_check "$(sl_ok jq -e --arg p "$plat" '[.rows[] | select(.platform == $p and .name == "sel4-call" and
	.median == 190 and .q1 == 190 and .q3 == 190 and .n == 16 and .unit == "instructions (icount)")] | length == 1' \
	"$OUT/summary.json")" "seL4_Call one-way: 190 instructions in each of the 16 samples"
# every row reduce tables against the recorded run's own statistics
mkdir -p "$OUT/gold" && "$SYSLAT" reduce --out "$OUT/gold" "$GOLD.log" >/dev/null 2>&1
rows() { jq -c '[.rows[] | [.name, .median, .q1, .q3, .avg, .n]]' "$1"; }
sl_check "$([ -n "$(rows "$OUT/summary.json")" ] && [ "$(rows "$OUT/summary.json")" = "$(rows "$OUT/gold/summary.json")" ] && echo 1 || echo 0)" \
	"all $(jq '.rows | length' "$OUT/summary.json") imported rows equal the recorded run's (icount is deterministic)"
"$SYSLAT" compare "$GOLD.log" "$log" >"$OUT/compare.txt" 2>&1
st=$?
sed 's/^/    | /' "$OUT/compare.txt" | head -12
sl_check "$([ $st = 0 ] && grep -q '^sel4-call .* +0\.0% ' "$OUT/compare.txt" && echo 1 || echo 0)" \
	"syslat compare: recorded run vs this one, seL4_Call +0.0%"

# --- bad sources: wrong commit, missing snapshot, tree without manifest ------
mkdir -p "$OUT/tp" "$OUT/b" && ln -s "$S4_THIRD_PARTY"/*.tar.xz "$OUT/tp/" && rm "$OUT/tp"/nanopb-*.tar.xz
(SL_BUILD="$OUT/b" S4_THIRD_PARTY="$OUT/tp"; SEL4_SRC=; sys_sel4_sources >/dev/null 2>&1; echo "$? $SYS_WHY") >"$OUT/missing.txt"
sl_check "$(sl_ok grep -q '^1 no source snapshot nanopb-1466e6f95383' "$OUT/missing.txt")" "missing snapshot: skipped with the reason ($(cat "$OUT/missing.txt"))"
g="$OUT/fake" && mkdir -p "$g" && git -C "$g" init -q && echo x >"$g/f" && git -C "$g" add f &&
	git -C "$g" -c user.name=t -c user.email=t@t commit -qm x && git -C "$g" archive --prefix=nanopb/ HEAD | xz >"$OUT/tp/nanopb-1466e6f95383.tar.xz"
(SL_BUILD="$OUT/b" S4_THIRD_PARTY="$OUT/tp"; SEL4_SRC=; sys_sel4_sources >/dev/null 2>"$OUT/wrong.err"; echo "$? $SYS_WHY") >"$OUT/wrong.txt"
sl_check "$(sl_ok grep -q '^2 nanopb-1466e6f95383.tar.xz: wrong commit' "$OUT/wrong.txt")" \
	"snapshot at another commit: an error ($(cat "$OUT/wrong.txt"); $(grep -o 'is commit [0-9a-f]\{8\}' "$OUT/wrong.err"))"
# shellcheck disable=SC2034  # read by s4_sources
(SEL4_SRC="$SL_BUILD/sel4/src-${S4_MANIFEST_COMMIT:0:12}"; sys_sel4_sources >/dev/null 2>&1; echo "$?") >"$OUT/src.txt"
sl_check "$(sl_ok grep -qx 0 "$OUT/src.txt")" "SEL4_SRC: a tree at the pinned commits is taken"
# shellcheck disable=SC2034  # read by s4_sources
(SEL4_SRC="$OUT/tp"; sys_sel4_sources >/dev/null 2>&1; echo "$? $SYS_WHY") >"$OUT/nomf.txt"
sl_check "$(sl_ok grep -q '^2 SEL4_SRC .*: no .repo/manifests/default.xml' "$OUT/nomf.txt")" "SEL4_SRC without a manifest: an error"
rm -rf "$g"
# a build that fails (a platform sel4bench does not know): FAIL naming seL4 and the build log
# shellcheck disable=SC2034  # read by s4_build
(S4_CONFIG=(-DPLATFORM=no-such-platform); FAILS=0 LOGS=(); sys_sel4_run 2>"$OUT/bf.err"; echo "$FAILS ${#LOGS[@]}") >"$OUT/bf.txt"
bl=$(sed -n 's/^seL4: sel4bench build failed (log \(.*\))$/\1/p' "$OUT/bf.err")
sl_check "$([ "$(cat "$OUT/bf.txt")" = "1 0" ] && [ -s "$bl" ] && grep -q '^FAIL: seL4' "$OUT/bf.err" && echo 1 || echo 0)" \
	"failed build: counted, no result, the message names seL4 and ${bl#"$SL_ROOT"/}"
[ -n "$bl" ] && rm -rf "${bl%.log}" "$bl"

echo "sel4 test: $NPASS passed, $NFAIL failed, $NSKIP skipped"
[ $NFAIL -eq 0 ]
