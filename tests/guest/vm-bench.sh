#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make vm-bench: the reference experiment (Unikraft EuroSys'21 tab_01) in
# one command. For each installed Debian kernel and each configuration,
# boot a guest whose /init loads the module and runs the suite, repeat
# for --boots, then pool the per-round figures into a Table-1 style table
# (syslat reduce). KVM where it really works (cycles and ns); otherwise
# TCG with -icount shift=0, where the figures are exact guest instruction
# counts (path lengths, not hardware cycles) and are labelled so.
set -u

usage() {
	cat <<'EOF2'
usage: tests/guest/vm-bench.sh [options]      (make vm-bench VMBENCH_ARGS="...")
  --boots N          boots per kernel and configuration (default 3; the reference: 25)
  --rounds N         rounds per boot (default 10, as the reference)
  --iters N          calls per round (default 2000; the reference: 25M on KVM)
  --bench LIST       comma-separated benchmarks (default: timer,fcall,noop,enosys,
                     getppid,getppid-libc,pipe,futex-switch; "suite": syslat run)
  --suite NAME       run a named suite instead (syslat run --suite NAME:
                     table1, lebench, lmbench or all); overrides --bench
  --kernel VER       only this installed kernel (repeatable; default: all)
  --config NAME=ARGS a configuration: NAME and extra kernel command line
                     (repeatable; default: default= and nomitig=mitigations=off)
  --hook H           module backend: auto (default), tracepoint or patch
  --accel A          auto (default), kvm, or tcg (always with -icount shift=0)
  --out DIR          results directory (default results/<date>-<host>)
  --timeout S        limit of one boot in seconds (default 600)
  -h, --help         this text
EOF2
}

. "$(dirname "$0")/lib.sh"

BOOTS=3 ROUNDS=10 ITERS=2000 BENCH=timer,fcall,noop,enosys,getppid,getppid-libc,pipe,futex-switch
KERNELS=() CONFIGS=() HOOK=auto ACCEL=auto OUT= TMO=600 SUITE=
posint() { case $2 in ''|*[!0-9]*|0) sl_die "$1 needs a positive integer, got '$2'" ;; esac; }
while [ $# -gt 0 ]; do
	case $1 in
	--boots) posint "$1" "${2:-}"; BOOTS=$2; shift ;;
	--rounds) posint "$1" "${2:-}"; ROUNDS=$2; shift ;;
	--iters) posint "$1" "${2:-}"; ITERS=$2; shift ;;
	--bench) BENCH=${2:?--bench needs a list}; shift ;;
	--suite) case ${2:-} in table1|lebench|lmbench|all) SUITE=$2 ;; *) sl_die "--suite: table1, lebench, lmbench or all" ;; esac; shift ;;
	--kernel) KERNELS+=("${2:?--kernel needs a version}"); shift ;;
	--config) case ${2:-} in *=*) CONFIGS+=("$2") ;; *) sl_die "--config needs NAME=ARGS" ;; esac; shift ;;
	--hook) case ${2:-} in auto|tracepoint|patch) HOOK=$2 ;; *) sl_die "--hook: auto, tracepoint or patch" ;; esac; shift ;;
	--accel) case ${2:-} in auto|kvm|tcg) ACCEL=$2 ;; *) sl_die "--accel: auto, kvm or tcg" ;; esac; shift ;;
	--out) OUT=${2:?--out needs a directory}; shift ;;
	--timeout) posint "$1" "${2:-}"; TMO=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=("default=" "nomitig=mitigations=off")
[ ${#KERNELS[@]} -gt 0 ] || mapfile -t KERNELS < <(sl_kernels)
[ ${#KERNELS[@]} -gt 0 ] || sl_die "no installed kernel with /boot/vmlinuz-VER and /lib/modules/VER/build (make deps)"
for k in "${KERNELS[@]}"; do
	[ -e "/boot/vmlinuz-$k" ] || sl_die "kernel $k is not installed"
done
SYSLAT="$SL_ROOT/user/syslat"
[ -x "$SL_ROOT/user/syslat-static" ] && [ -x "$SYSLAT" ] || sl_die "build the harness first (make user)"
[ "$ACCEL" = auto ] && ACCEL=$(sl_accel)
OUT=${OUT:-$SL_ROOT/results/$(date -u +%Y%m%dT%H%M%SZ)-$(hostname -s)}
mkdir -p "$OUT" "$SL_BUILD/guest" || exit 1
trap 'sl_kill_guest; echo "interrupted: partial results in $OUT" >&2; exit 130' INT TERM
trap 'sl_kill_guest' EXIT
[ "$BENCH" = suite ] && BENCH=
[ -n "$SUITE" ] && BENCH=

INIT="$SL_ROOT/tests/guest/vm-bench-init.sh"
LOGS=() FAILS=0
for k in "${KERNELS[@]}"; do
	sl_log "== kernel $k: building the module"
	ko=$(sl_build_module "$k") || { FAILS=$((FAILS + 1)); continue; }
	rd="$SL_BUILD/guest/vmbench-$k.cpio.gz"
	sl_build_initramfs "$rd" "$ko" "$INIT" || sl_die "initramfs for $k failed"
	for cfg in "${CONFIGS[@]}"; do
		name=${cfg%%=*} args=${cfg#*=}
		for b in $(seq 1 "$BOOTS"); do
			log="$OUT/$k-$name-boot$b.log"
			append="vmb.boot=$b vmb.config=$name vmb.rounds=$ROUNDS vmb.iters=$ITERS vmb.hook=$HOOK"
			[ -n "$BENCH" ] && append="$append vmb.bench=$BENCH"
			[ -n "$SUITE" ] && append="$append vmb.suite=$SUITE"
			[ -n "$args" ] && append="$append $args"
			opts=(--timeout "$TMO" --append "$append")
			if [ "$ACCEL" = kvm ]; then
				SL_ACCEL=kvm sl_boot --smp 2 "${opts[@]}" "$k" "$rd" "$log"
			else
				sl_boot --icount "${opts[@]}" "$k" "$rd" "$log"
			fi
			rc=$?
			if ! grep -q 'vm-bench: done' "$log"; then
				sl_log "FAIL: $k $name boot $b (qemu status $rc): no 'vm-bench: done'; last lines:"
				sl_tail "$log" >&2
				FAILS=$((FAILS + 1))
				continue
			fi
			grep -a 'vm-bench: \(ERROR\|module\|syslat\)' "$log" | sl_clean | sed "s/^/  [$k $name #$b] /" >&2
			sl_clean "$log" | sed -n '/SYSLAT-JSON-BEGIN/,/SYSLAT-JSON-END/p' | sed '1d;$d' \
				>"$OUT/$k-$name-boot$b.json"
			LOGS+=("$log")
		done
	done
done
[ ${#LOGS[@]} -gt 0 ] || sl_die "no guest produced results"

{
	if [ "$ACCEL" = kvm ]; then
		echo "# syslat vm-bench: KVM guests, $BOOTS boot(s) x $ROUNDS rounds of $ITERS calls; cycles are guest TSC cycles"
	else
		echo "# syslat vm-bench: QEMU TCG guests with -icount shift=0 (no working KVM here)."
		echo "# Every figure is an exact count of guest INSTRUCTIONS (a path length), not hardware cycles or time."
	fi
	echo "# avg/median/q1/q3 over boots x rounds of per-round means (numpy quantiles), as the reference's Table 1"
	"$SYSLAT" reduce --out "$OUT" "${LOGS[@]}"
} | tee "$OUT/table.txt"
st=${PIPESTATUS[0]}
echo "results: $OUT"
[ "$st" -eq 0 ] && [ $FAILS -eq 0 ]
