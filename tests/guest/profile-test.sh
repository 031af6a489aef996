#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest test of `syslat profile` (make guest-test): on the newest installed
# kernel (--all: every one), the ENOSYS profile's instructions per window
# must equal the benchmark's own icount round trip (self-check), with all
# four files written; a closed stub and a guest killed mid-trace must end
# with a clear error and no trace file; --sample folds perf samples on this
# host; bad usage exits 2.
set -u
. "$(dirname "$0")/lib.sh"

ALL=0
case ${1:-} in --all) ALL=1 ;; '') ;; *) echo "usage: $0 [--all]" >&2; exit 2 ;; esac
SYSLAT="$SL_ROOT/user/syslat"
[ -x "$SYSLAT" ] && [ -x "$SL_ROOT/user/syslat-static" ] || sl_die "build the harness first (make user)"
OUT=$(mktemp -d "$SL_BUILD/profile-test.XXXXXX") || exit 1
trap 'sl_kill_guest; rm -rf "$OUT"' EXIT
trap 'exit 130' INT TERM
NPASS=0 NFAIL=0
t0=$(date +%s)

kernels=$(sl_kernels | tail -n 1)
[ $ALL = 1 ] && kernels=$(sl_kernels)
for kv in $kernels; do
	"$SL_ROOT/tests/guest/profile.sh" --kernel "$kv" --calls 3 --out "$OUT" enosys >"$OUT/log" 2>&1
	rc=$?
	sl_check $((rc == 0)) "$kv: enosys profile exits 0 (got $rc)"
	sl_check "$(grep -c '#   match: yes (exact)' "$OUT/log")" "$kv: self-check: $(grep -m1 'benchmark measured' "$OUT/log" | sed 's/^#   //')"
	n=0
	for ext in folded txt json svg; do [ -s "$OUT/enosys-$kv.$ext" ] && n=$((n + 1)); done
	sl_check $((n == 4)) "$kv: folded, txt, json and svg written ($n of 4)"
	win=$(sed -n 's/^#   traced window *\([0-9]*\) = .*/\1/p' "$OUT/log")
	tot=$(awk '{ s += $NF } END { print s + 0 }' "$OUT/enosys-$kv.folded")
	sl_check $((win > 0 && tot == 3 * win)) "$kv: folded total $tot = 3 windows x ${win:-?}"
	[ $rc = 0 ] || sed 's/^/    | /' "$OUT/log" | tail -n 15
done

"$SYSLAT" profile --diff "$OUT/enosys-$kv.folded" "$OUT/enosys-$kv.folded" >"$OUT/diff" 2>&1
sl_check "$(awk '/^ *[0-9]/ && $3 != "+0.0" { bad = 1 } END { print (!bad && NR > 2) ? 1 : 0 }' "$OUT/diff")" \
	"--diff of a profile with itself: every function +0"

# A stub that is not there: refused connection, nothing written.
"$SYSLAT" profile --trace 1 --open 0x401000 --range 0x401000:0x402000 \
	--prefix "$OUT/none.trace" >"$OUT/err" 2>&1
rc=$?
sl_check $((rc == 1)) "closed stub: exit 1 ($(head -c 90 "$OUT/err"))"
sl_check "$([ ! -e "$OUT/none.trace" ] && ! ls "$OUT"/.none.trace* >/dev/null 2>&1 && echo 1 || echo 0)" \
	"closed stub: no trace file"

# A guest that dies while the tracer waits on it.
printf '#!/bin/sh\necho up\nwhile :; do sleep 1; done\n' >"$OUT/init"
sl_build_initramfs "$OUT/rd.gz" "" "$OUT/init" || sl_die "initramfs"
port=$((20000 + RANDOM % 40000))
SL_QEMU_EXTRA="-gdb tcp:127.0.0.1:$port" sl_boot --bg --icount --timeout 120 \
	--append nokaslr "$(sl_kernels | tail -n 1)" "$OUT/rd.gz" "$OUT/console"
for _ in $(seq 100); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
"$SYSLAT" profile --trace "$port" --open 0x401000 --range 0x401000:0x402000 --skip 5 \
	--prefix "$OUT/dead.trace" >"$OUT/err" 2>&1 &
tracer=$!
sleep 3
sl_kill_guest
wait $tracer
rc=$?
sl_check $((rc == 1)) "guest killed mid-trace: exit 1 ($(head -c 100 "$OUT/err"))"
sl_check "$(grep -cE 'closed the connection|guest exited' "$OUT/err")" "guest killed mid-trace: says the guest is gone"
sl_check "$([ ! -e "$OUT/dead.trace" ] && ! ls "$OUT"/.dead.trace* >/dev/null 2>&1 && echo 1 || echo 0)" \
	"guest killed mid-trace: no trace file"

# Sampling on this host (no PMU here: cpu-clock).
if command -v perf >/dev/null; then
	"$SYSLAT" profile --sample --seconds 1 --out "$OUT" getppid >"$OUT/sample.log" 2>&1
	rc=$?
	sl_check $((rc == 0)) "--sample getppid: exit 0 ($(grep -m1 '^# sampling' "$OUT/sample.log" | cut -c1-70))"
	sl_check "$(grep -c ';do_syscall_64' "$OUT/getppid-sample.folded" 2>/dev/null | awk '{ print ($1 > 0) ? 1 : 0 }')" \
		"--sample: folded stacks with kernel frames"
else
	echo "SKIP  --sample: no perf (linux-perf)"
fi

"$SYSLAT" profile --calls 0 enosys >/dev/null 2>&1
sl_check $(($? == 2)) "--calls 0: exit 2"
"$SYSLAT" profile no-such-bench >/dev/null 2>&1
sl_check $(($? == 2)) "unknown benchmark: exit 2"
"$SYSLAT" profile --diff "$OUT/err" >/dev/null 2>&1
sl_check $(($? == 2)) "--diff with one file: exit 2"
"$SYSLAT" profile --diff "$OUT/err" "$OUT/err" >/dev/null 2>&1
sl_check $(($? == 1)) "--diff of files that are not folded stacks: exit 1"

echo "profile-test: $NPASS passed, $NFAIL failed, $(($(date +%s) - t0)) s"
[ $NFAIL = 0 ]
