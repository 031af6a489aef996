#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Exact instruction profile of one benchmark's timed window in a QEMU guest
# (TCG, -icount shift=0, nokaslr, one vCPU), run by `syslat profile BENCH`:
#   profile.sh [--kernel VER] [--hook patch|tracepoint] [--calls K] [--cpu MODEL] [--append ARGS] [--out DIR] [--keep] BENCH
#   (--cpu: guest CPU, default max; --append: more kernel command line; --keep: also DIR/LABEL.work/)
# The guest's /init (profile-init.sh) dumps /proc/kallsyms and runs
# `syslat bench BENCH`; meanwhile `syslat profile --trace` follows K windows
# (plus one lead window that only teaches the stacks) through the gdbstub,
# then `syslat profile --analyze` writes DIR/BENCH-VER.{folded,txt,json,svg}
# and the self-check against the benchmark's own icount figure.
# Exit: 0 ok, 1 failed (nothing half-written under DIR), 2 bad usage.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mitig.sh"

KVER="" HOOK="" CALLS=10 OUT="$SL_BUILD/profile" BENCH="" KEEP=0 CPU="" APPEND=""
usage() { sed -n 5,6p "$0" | sed 's/^# *//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KVER=${2:-}; shift ;;
	--hook) HOOK=${2:-}; shift ;;
	--calls) CALLS=${2:-}; shift ;;
	--out) OUT=${2:-}; shift ;;
	--cpu) CPU=${2:-}; shift ;;
	--append) APPEND=${2:-}; shift ;;
	--keep) KEEP=1 ;;
	-h|--help) usage ;;
	-*) echo "profile.sh: unknown option $1" >&2; usage ;;
	*) [ -z "$BENCH" ] || usage; BENCH=$1 ;;
	esac
	shift
done
[ -n "$BENCH" ] || usage
case $CALLS in ''|*[!0-9]*) echo "profile.sh: --calls wants a number" >&2; exit 2 ;; esac
case $HOOK in ''|patch|tracepoint) ;; *) echo "profile.sh: --hook patch|tracepoint" >&2; exit 2 ;; esac
[ -n "$KVER" ] || KVER=$(sl_kernels | tail -n 1)
sl_kernels | grep -qxF -- "$KVER" || { echo "profile.sh: no installed kernel '$KVER' (have: $(sl_kernels | tr '\n' ' '))" >&2; exit 2; }
# The guest always runs under TCG + icount, where -cpu is honoured.
if [ -n "$CPU" ]; then
	mt_cpu_ok "$CPU" || { echo "profile.sh: --cpu '$CPU' is not a model of $SL_QEMU -cpu help" >&2; exit 2; }
	SL_CPU=$CPU
fi
if [ -n "$APPEND" ]; then
	doc=$(mt_params_doc "$KVER") || exit 2
	mt_check_args "$doc" "$APPEND" || { echo "profile.sh: --append '$APPEND': not for kernel $KVER" >&2; exit 2; }
fi

SYSLAT="$SL_ROOT/user/syslat" STATIC="$SL_ROOT/user/syslat-static"
[ -x "$STATIC" ] && [ -x "$SYSLAT" ] || make -s -C "$SL_ROOT/user" >&2 || exit 1
mkdir -p "$SL_BUILD/guest" "$OUT" || exit 1
WORK=$(mktemp -d "$SL_BUILD/profile.XXXXXX") || exit 1
cleanup() { sl_kill_guest; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# The window: the sample function's first TSC read opens it.
addr=$("$STATIC" profile --where "$BENCH") || exit 2
want=$(printf "%016x" "$addr")
read -r lo size < <(nm -S "$STATIC" | awk -v a="$want" '$1 == a && $3 ~ /^[tT]$/ { print "0x" $1, "0x" $2; exit }')
[ -n "${size:-}" ] || sl_die "no symbol at $addr in $STATIC"
hi=$(printf '0x%x' $((lo + size)))
open=$(objdump -d --no-show-raw-insn --start-address="$lo" --stop-address="$hi" "$STATIC" |
	awk '$2 == "rdtsc" { sub(":", "", $1); print "0x" $1; exit }')
[ -n "$open" ] || sl_die "no rdtsc in $BENCH's sample function ($lo..$hi)"
nm -n "$STATIC" >"$WORK/usyms"

ko=""
if [ -n "$HOOK" ]; then ko=$(sl_build_module "$KVER") || exit 1; fi
# One warm-up round of ITERS windows, then the traced windows early in the
# first measured round (so they are among the samples the benchmark
# reports); the tracer leaves at window SKIP + CALLS + 1, the run goes on.
ITERS=$((CALLS + 400)) SKIP=$((CALLS + 450))
printf 'BENCH=%s\nHOOK=%s\nROUNDS=3\nITERS=%s\n' "$BENCH" "$HOOK" "$ITERS" >"$WORK/conf"
sl_build_initramfs "$WORK/rd.gz" "$ko" "$SL_ROOT/tests/guest/profile-init.sh" "$WORK/conf" ||
	sl_die "initramfs build failed"

port=""
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 40000))
	ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { port=$p; break; }
done
[ -n "$port" ] || sl_die "no free loopback port"
log="$WORK/console.log"
t0=$(date +%s.%N)
SL_QEMU_EXTRA="-gdb tcp:127.0.0.1:$port" \
	sl_boot --bg --icount --timeout 900 --append "nokaslr${APPEND:+ $APPEND}" "$KVER" "$WORK/rd.gz" "$log"
for _ in $(seq 200); do
	ss -Htln "sport = :$port" 2>/dev/null | grep -q . && break
	kill -0 "$SL_QEMU_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$SL_QEMU_PID" 2>/dev/null || { sl_tail "$log.kmsg" >&2; sl_die "guest did not start"; }

label="$BENCH-$KVER${HOOK:+-$HOOK}"
# The guest's /proc/kallsyms, dumped before the benchmark starts.
kallsyms() {
	sl_clean "$log" | sed -n '/PROF-KALLSYMS-BEGIN/,/PROF-KALLSYMS-END/p' | sed '1d;$d' |
		base64 -d 2>/dev/null | gunzip -c >"$WORK/kallsyms" 2>/dev/null
	[ -s "$WORK/kallsyms" ]
}

# ^C while tracing: the tracer keeps the whole windows it has, and they
# are profiled (without the benchmark's figure, which never comes).
trap 'INTR=1' INT
INTR=0
"$SYSLAT" profile --trace "$port" --open "$open" --range "$lo:$hi" --skip "$SKIP" \
	--calls "$CALLS" --prefix "$WORK/trace"
trc=$?
trap 'exit 130' INT
if [ $trc = 130 ] || { [ $INTR = 1 ] && [ -s "$WORK/trace" ]; }; then
	sl_kill_guest
	kallsyms && "$SYSLAT" profile --analyze "$WORK/trace" --kallsyms "$WORK/kallsyms" \
		--usersyms "$WORK/usyms" --prefix "$OUT/$label" \
		--title "$BENCH, Linux $KVER, interrupted, instructions under TCG -icount shift=0" ||
		echo "profile.sh: interrupted: nothing profiled" >&2
	exit 130
fi
if [ $INTR = 1 ]; then
	echo "profile.sh: interrupted before a whole window was traced: nothing written" >&2
	exit 130
fi
if [ $trc != 0 ]; then
	sl_tail "$log" 10 >&2
	sl_die "tracing $BENCH on $KVER failed; nothing written"
fi
wait "$SL_QEMU_PID" 2>/dev/null
SL_QEMU_PID=
t1=$(date +%s.%N)
grep -q 'PROF-ERROR' "$log" && sl_die "$(grep -m1 PROF-ERROR "$log")"
kallsyms || sl_die "no kallsyms from the guest (console: $log)"
sl_clean "$log" | sed -n '/SYSLAT-JSON-BEGIN/,/SYSLAT-JSON-END/p' | sed '1d;$d' >"$WORK/measured.json"
grep -q 'PROF-BENCH-EXIT 0' "$log" || { sl_tail "$log" 10 >&2; sl_die "the benchmark failed in the guest"; }

title="$BENCH${HOOK:+ (module, $HOOK backend)}, Linux $KVER${APPEND:+ [$APPEND]}, -cpu $SL_CPU, $CALLS windows, instructions under TCG -icount shift=0 (not hardware time)"
"$SYSLAT" profile --analyze "$WORK/trace" --kallsyms "$WORK/kallsyms" --usersyms "$WORK/usyms" \
	--measured "$WORK/measured.json" --prefix "$OUT/$label" --title "$title"
rc=$?
if [ $KEEP = 1 ] && [ $rc -le 1 ]; then
	rm -rf "$OUT/$label.work" && mkdir -p "$OUT/$label.work" &&
		cp "$WORK"/{trace,kallsyms,usyms,measured.json,console.log} "$OUT/$label.work/"
fi
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "# guest wall time %.1f s (boot, kallsyms dump, tracing, benchmark)\n", b - a }'
exit $rc
