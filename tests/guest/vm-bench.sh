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
                     (repeatable; default: default= and nomitig=mitigations=off);
                     every parameter must be documented for the guest kernel
  --matrix mitigations
                     default, mitigations=off, and one configuration per knob
                     the default guest reports enabled (docs/mitigations.md);
                     prints the per-knob cost table (syslat matrix)
  --knobs LIST       with --matrix: only these knobs (e.g. pti,cpu_buffers)
  --cpu MODEL        guest CPU under TCG (qemu-system-x86_64 -cpu help; default
                     max, with --matrix Skylake-Client-v1: a CPU the kernel
                     believes vulnerable); KVM guests run the host CPU
  --hook H           module backend: auto (default), tracepoint or patch
  --accel A          auto (default), kvm, or tcg (always with -icount shift=0)
  --out DIR          results directory (default results/<date>-<host>)
  --timeout S        limit of one boot in seconds (default 600)
  --reduce DIR       no boots: the tables (and the matrix's verdicts) again
                     from the logs of an earlier run in DIR
  -h, --help         this text
EOF2
}

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mitig.sh"
. "$(dirname "$0")/sel4.sh"

BOOTS=3 ROUNDS=10 ITERS=2000 BENCH=timer,fcall,noop,enosys,getppid,getppid-libc,pipe,futex-switch
KERNELS=() CONFIGS=() HOOK=auto ACCEL=auto OUT= TMO=600 MATRIX='' KNOBS='' CPU='' REDUCE='' SUITE=
# The other systems beside Linux (issue 16), each a sys_NAME_sources /
# sys_NAME_run pair (sel4.sh). Minimal until --system LIST replaces it.
SYSTEMS=${VMBENCH_SYSTEMS:-linux,sel4} SYS_WHY='' SKIPPED=()
bad() { printf 'error: %s\n' "$*" >&2; exit 2; }
posint() { case $2 in ''|*[!0-9]*|0) bad "$1 needs a positive integer, got '$2'" ;; esac; }
while [ $# -gt 0 ]; do
	case $1 in
	--boots) posint "$1" "${2:-}"; BOOTS=$2; shift ;;
	--rounds) posint "$1" "${2:-}"; ROUNDS=$2; shift ;;
	--iters) posint "$1" "${2:-}"; ITERS=$2; shift ;;
	--bench) BENCH=${2:?--bench needs a list}; shift ;;
	--suite) case ${2:-} in table1|lebench|lmbench|all) SUITE=$2 ;; *) bad "--suite: table1, lebench, lmbench or all" ;; esac; shift ;;
	--kernel) KERNELS+=("${2:?--kernel needs a version}"); shift ;;
	--config) case ${2:-} in *=*) CONFIGS+=("$2") ;; *) bad "--config needs NAME=ARGS" ;; esac; shift ;;
	--matrix) [ "${2:-}" = mitigations ] || bad "--matrix: only 'mitigations'"; MATRIX=$2; shift ;;
	--knobs) KNOBS=${2:?--knobs needs a list}; shift ;;
	--cpu) CPU=${2:?--cpu needs a model}; shift ;;
	--hook) case ${2:-} in auto|tracepoint|patch) HOOK=$2 ;; *) bad "--hook: auto, tracepoint or patch" ;; esac; shift ;;
	--accel) case ${2:-} in auto|kvm|tcg) ACCEL=$2 ;; *) bad "--accel: auto, kvm or tcg" ;; esac; shift ;;
	--out) OUT=${2:?--out needs a directory}; shift ;;
	--timeout) posint "$1" "${2:-}"; TMO=$2; shift ;;
	--reduce) REDUCE=${2:?--reduce needs a directory}; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
SYSLAT="$SL_ROOT/user/syslat"
if [ -n "$REDUCE" ]; then
	[ -d "$REDUCE" ] || bad "--reduce $REDUCE: no such directory"
	OUT=$REDUCE
	[ -s "$OUT/matrix-plan.tsv" ] && MATRIX=mitigations
	ACCEL=$(sed -n 's/^accel=//p' "$OUT/vm-bench.conf" 2>/dev/null)
	CPU=$(sed -n 's/^cpu=//p' "$OUT/vm-bench.conf" 2>/dev/null)
	[ -n "$ACCEL" ] || bad "--reduce $REDUCE: no vm-bench.conf (not a vm-bench results directory)"
	BOOTS=$(sed -n 's/^boots=//p' "$OUT/vm-bench.conf") ROUNDS=$(sed -n 's/^rounds=//p' "$OUT/vm-bench.conf")
	ITERS=$(sed -n 's/^iters=//p' "$OUT/vm-bench.conf")
else
	if [ -n "$MATRIX" ]; then
		[ ${#CONFIGS[@]} -eq 0 ] || bad "--matrix makes its own configurations: no --config with it"
		CONFIGS=("default=")
	elif [ -n "$KNOBS" ]; then
		bad "--knobs needs --matrix mitigations"
	fi
	for kn in ${KNOBS//,/ }; do
		case " $MT_KNOB_NAMES " in *" $kn "*) ;; *) bad "--knobs: unknown knob '$kn' (known: $MT_KNOB_NAMES)" ;; esac
	done
	[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=("default=" "nomitig=mitigations=off")
	[ ${#KERNELS[@]} -gt 0 ] || mapfile -t KERNELS < <(sl_kernels)
	[ ${#KERNELS[@]} -gt 0 ] || sl_die "no installed kernel with /boot/vmlinuz-VER and /lib/modules/VER/build (make deps)"
	for k in "${KERNELS[@]}"; do
		[ -e "/boot/vmlinuz-$k" ] || bad "kernel $k is not installed"
	done
	[ -x "$SL_ROOT/user/syslat-static" ] && [ -x "$SYSLAT" ] || sl_die "build the harness first (make user)"
	[ "$ACCEL" = auto ] && ACCEL=$(sl_accel)
	if [ "$ACCEL" = kvm ]; then
		[ -z "$CPU" ] || [ "$CPU" = host ] || bad "--cpu $CPU: KVM guests run the host CPU (use --accel tcg)"
	else
		if [ -z "$CPU" ] && [ -n "$MATRIX" ]; then CPU=Skylake-Client-v1; elif [ -z "$CPU" ]; then CPU=max; fi
		mt_cpu_ok "$CPU" || bad "--cpu $CPU: not a model of $SL_QEMU -cpu help"
		export SL_CPU=$CPU
	fi
	# Every configuration's parameters documented for every kernel, before any boot.
	for k in "${KERNELS[@]}"; do
		doc=$(mt_params_doc "$k") || exit 1
		for cfg in "${CONFIGS[@]}"; do
			mt_check_args "$doc" "${cfg#*=}" || bad "--config ${cfg%%=*}: kernel $k"
		done
	done
	OUT=${OUT:-$SL_ROOT/results/$(date -u +%Y%m%dT%H%M%SZ)-$(hostname -s)}
	mkdir -p "$OUT" "$SL_BUILD/guest" || exit 1
	printf 'accel=%s\ncpu=%s\nboots=%s\nrounds=%s\niters=%s\n' "$ACCEL" "$CPU" "$BOOTS" "$ROUNDS" "$ITERS" \
		>"$OUT/vm-bench.conf"
fi
trap 'sl_kill_guest; echo "interrupted: partial results in $OUT" >&2; exit 130' INT TERM
trap 'sl_kill_guest' EXIT
[ "$BENCH" = suite ] && BENCH=
[ -n "$SUITE" ] && BENCH=

INIT="$SL_ROOT/tests/guest/vm-bench-init.sh"
LOGS=() FAILS=0
# boots K RD NAME ARGS: --boots guests of one configuration; their logs in LOGS.
boots() {
	local k=$1 rd=$2 name=$3 args=$4 b log append rc
	local -a opts
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
}

# matrix K RD: after the default boots, mitigations=off and one configuration
# per knob the default guest reports (mitig.sh), planned in matrix-plan.tsv.
matrix() {
	local k=$1 rd=$2 j0 doc name params vulns why line
	local -a knobs=()
	j0="$OUT/$k-default-boot1.json"
	if [ ! -s "$j0" ]; then
		sl_log "FAIL: $k: no default result to read the vulnerabilities from: no matrix"
		FAILS=$((FAILS + 1))
		return
	fi
	doc=$(mt_params_doc "$k") || { FAILS=$((FAILS + 1)); return; }
	sl_log "== kernel $k: knobs from the default guest's vulnerabilities and $doc"
	while IFS= read -r line; do
		name=${line%%$'\t'*}
		[ -z "$KNOBS" ] || case ",$KNOBS," in *",$name,"*) ;; *) continue ;; esac
		knobs+=("$line")
	done < <(mt_knobs "$doc" "$j0" 2>"$OUT/$k-knobs.txt")
	sed 's/^  //' "$OUT/$k-knobs.txt" >&2	# what was left out, and why
	for name in ${KNOBS//,/ }; do
		printf '%s\n' "${knobs[@]}" | grep -q "^$name"$'\t' && continue
		sl_log "FAIL: $k: knob $name asked for, but this guest has nothing it turns off"
		FAILS=$((FAILS + 1))
	done
	boots "$k" "$rd" nomitig mitigations=off
	for line in "${knobs[@]}"; do
		IFS=$'\t' read -r name params vulns why <<<"$line"
		printf '%s\t%s\t%s\t%s\n' "$k" "$name" "$params" "$vulns" >>"$OUT/matrix-plan.tsv"
		sl_log "== kernel $k: knob $name ($params; $vulns: $why)"
		boots "$k" "$rd" "$name" "$params"
	done
}

if [ -n "$REDUCE" ]; then
	# The logs of a finished run, in the order it booted them.
	if [ -n "$MATRIX" ]; then
		while IFS=$'\t' read -r k name _; do
			for c in default nomitig "$name"; do
				for log in "$OUT/$k-$c"-boot*.log; do
					[ -e "$log" ] && grep -q 'vm-bench: done' "$log" &&
						! printf '%s\n' "${LOGS[@]}" | grep -qxF "$log" && LOGS+=("$log")
				done
			done
		done <"$OUT/matrix-plan.tsv"
	else
		mapfile -t LOGS < <(grep -l 'vm-bench: done' "$OUT"/*-boot*.log | sort -V)
		mapfile -t -O ${#LOGS[@]} LOGS < <(grep -l 'END JSON OUTPUT' "$OUT"/sel4-*-boot*.log 2>/dev/null | sort -V)
	fi
else
	[ -z "$MATRIX" ] || : >"$OUT/matrix-plan.tsv"
	for k in "${KERNELS[@]}"; do
		sl_log "== kernel $k: building the module"
		ko=$(sl_build_module "$k") || { FAILS=$((FAILS + 1)); continue; }
		rd="$SL_BUILD/guest/vmbench-$k.cpio.gz"
		sl_build_initramfs "$rd" "$ko" "$INIT" || sl_die "initramfs for $k failed"
		for cfg in "${CONFIGS[@]}"; do
			boots "$k" "$rd" "${cfg%%=*}" "${cfg#*=}"
		done
		[ -n "$MATRIX" ] && matrix "$k" "$rd"
	done
	# seL4 (sel4.sh): sources absent -> skipped with the reason; wrong -> an error
	if [ -z "$MATRIX" ] && case ",$SYSTEMS," in *,sel4,*) true ;; *) false ;; esac; then
		sys_sel4_sources
		case $? in
		0) sys_sel4_run ;;
		1) sl_log "vm-bench: system sel4 skipped: $SYS_WHY"; SKIPPED+=("sel4 ($SYS_WHY)") ;;
		*) sl_log "FAIL: system sel4: $SYS_WHY"; FAILS=$((FAILS + 1)) ;;
		esac
	fi
fi
[ -z "$MATRIX" ] || mt_verdicts "$OUT" >&2
[ ${#LOGS[@]} -gt 0 ] || sl_die "no guest produced results"

{
	if [ "$ACCEL" = kvm ]; then
		echo "# syslat vm-bench: KVM guests, $BOOTS boot(s) x $ROUNDS rounds of $ITERS calls; cycles are guest TSC cycles"
	else
		echo "# syslat vm-bench: QEMU TCG guests (-cpu $CPU) with -icount shift=0 (no working KVM here)."
		echo "# Every figure is an exact count of guest INSTRUCTIONS (a path length), not hardware cycles or time."
	fi
	echo "# avg/median/q1/q3 over boots x rounds of per-round means (numpy quantiles), as the reference's Table 1"
	[ -s "$OUT/systems.txt" ] && sed 's/^/# system /' "$OUT/systems.txt"
	for s in "${SKIPPED[@]+"${SKIPPED[@]}"}"; do echo "# system skipped: $s"; done
	"$SYSLAT" reduce --out "$OUT" "${LOGS[@]}"
} | tee "$OUT/table.txt"
st=${PIPESTATUS[0]}
if [ -n "$MATRIX" ]; then
	echo
	{
		"$SYSLAT" matrix --verdicts "$OUT/matrix.tsv" --out "$OUT" "${LOGS[@]}"
		rc=$?
		for f in "$OUT"/*-knobs.txt; do
			[ -s "$f" ] || continue
			echo "# left out of the matrix, ${f##*/}:"
			sed 's/^ *matrix: /#   /' "$f"
		done
		exit $rc
	} | tee "$OUT/matrix.txt"
	[ "${PIPESTATUS[0]}" -eq 0 ] || st=1
fi
echo "results: $OUT"
[ "$st" -eq 0 ] && [ $FAILS -eq 0 ]
