#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make vm-bench: the reference experiment (Unikraft EuroSys'21 tab_01) in
# one command. For each installed Debian kernel and each configuration,
# boot a guest whose /init loads the module and runs the suite, repeat
# for --boots, then pool the per-round figures into a Table-1 style table
# (syslat reduce). KVM where it really works (cycles and ns); otherwise
# TCG with -icount shift=0, where the figures are exact guest instruction
# counts (path lengths, not hardware cycles) and are labelled so.
# --system adds other systems beside Linux (one function set per system:
# sys_NAME_sources, sys_NAME_run): Unikraft runs the same static-pie
# program, syslat-mini, that the Linux guests also run; seL4 runs sel4bench
# (sel4.sh), whose results syslat reduce imports.
set -u

usage() {
	cat <<'EOF2'
usage: tests/guest/vm-bench.sh [options]      (make vm-bench VMBENCH_ARGS="...")
  --system LIST      comma-separated systems: linux, unikraft, sel4 (default:
                     linux and each other system whose sources are present;
                     with --matrix: linux); Linux and Unikraft run syslat-mini,
                     Linux also the full suite, seL4 sel4bench
  --src SYS=DIR      where system SYS's sources are (repeatable; unikraft: the
                     pinned snapshot tarballs or git clones; sel4: a repo sync
                     tree at the pinned commits; docs/vm-bench.md)
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
. "$(dirname "$0")/unikraft.sh"
. "$(dirname "$0")/sel4.sh"

BOOTS=3 ROUNDS=10 ITERS=2000 BENCH=timer,fcall,noop,enosys,getppid,getppid-libc,pipe,futex-switch
KERNELS=() CONFIGS=() HOOK=auto ACCEL=auto OUT= TMO=600 MATRIX='' KNOBS='' CPU='' REDUCE='' SUITE=
SYSTEMS='' SRCS=()
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
	--system) SYSTEMS=${2:-}; [ -n "$SYSTEMS" ] || bad "--system needs a list"; shift ;;
	--src) case ${2:-} in ?*=?*) SRCS+=("$2") ;; *) bad "--src needs SYSTEM=DIR" ;; esac; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
SYSLAT="$SL_ROOT/user/syslat" MINI="$SL_ROOT/user/syslat-mini"
LOGS=() FAILS=0 SKIPPED=()

# The systems. Each has sys_NAME_sources (0: it can run; 1: its sources are
# absent, the reason in SYS_WHY: skipped; 2: they are wrong, e.g. another
# commit: an error, the reason on stderr) and sys_NAME_run (its boots, their
# console logs appended to LOGS, failures counted in FAILS). The known
# systems are the ones with both functions.
SYS_WHY=
sys_linux_sources() { return 0; }
sys_linux_run() {
	local k ko rd cfg
	for k in "${KERNELS[@]}"; do
		sl_log "== linux $k: building the module"
		ko=$(sl_build_module "$k") || { FAILS=$((FAILS + 1)); continue; }
		rd="$SL_BUILD/guest/vmbench-$k.cpio.gz"
		sl_build_initramfs "$rd" "$ko" "$INIT" || sl_die "initramfs for $k failed"
		for cfg in "${CONFIGS[@]}"; do
			boots "$k" "$rd" "${cfg%%=*}" "${cfg#*=}"
		done
		[ -n "$MATRIX" ] && matrix "$k" "$rd"
	done
}

sys_unikraft_sources() {
	[ -n "${SRC_unikraft:-}" ] && export SYSLAT_UNIKRAFT_SRC=$SRC_unikraft
	uk_sources
	local rc=$?
	SYS_WHY=$UK_WHY
	return $rc
}
# Unikraft 0.5 + app-elfloader (unikraft.sh): syslat-mini is the initrd, its
# arguments the command line; the log is the one serial console.
sys_unikraft_run() {
	local img b log st label args
	[ -x "$MINI" ] || { sl_log "FAIL: unikraft: no $MINI (make user, with musl-tools)"; FAILS=$((FAILS + 1)); return; }
	img=$(uk_image) || { sl_log "FAIL: unikraft: no image (build log $SL_BUILD/unikraft/$(uk_key).log)"; FAILS=$((FAILS + 1)); return; }
	label=$(uk_label)
	printf 'unikraft: %s = unikraft %.12s + app-elfloader %.12s + lib-libelf %.12s; configuration %s (olddefconfig)\n' \
		"$label" "${UK_COMMITS[0]#* }" "${UK_COMMITS[1]#* }" "${UK_COMMITS[2]#* }" \
		"$UK_CONFIG_NAME" >>"$OUT/systems.txt"
	sl_log "== unikraft $label: $BOOTS boot(s) of $img"
	for b in $(seq 1 "$BOOTS"); do
		log="$OUT/unikraft-elfloader-boot$b.log"
		args="syslat-mini --rounds $ROUNDS --iters $ITERS --warmup 1"
		args="$args --label kernel=$label,config=elfloader,boot=$b"
		if [ "$ACCEL" = kvm ]; then
			uk_boot --accel kvm --timeout "$TMO" "$img" "$MINI" "$log" $args
		else
			uk_boot --icount --timeout "$TMO" "$img" "$MINI" "$log" $args --icount
		fi
		st=$?
		if ! grep -q 'SYSLAT-JSON-END' "$log"; then
			sl_log "FAIL: unikraft boot $b (qemu status $st): no result in $log; last lines:"
			sl_tail "$log" >&2
			FAILS=$((FAILS + 1))
			continue
		fi
		sl_clean "$log" | sed -n '/SYSLAT-JSON-BEGIN/,/SYSLAT-JSON-END/p' | sed '1d;$d' \
			>"$OUT/unikraft-elfloader-boot$b.json"
		LOGS+=("$log")
	done
}

KNOWN=$(declare -F | sed -n 's/^declare -f sys_\(.*\)_run$/\1/p' | tr '\n' ' ')
KNOWN=${KNOWN% }
for s in "${SRCS[@]}"; do
	case " $KNOWN " in *" ${s%%=*} "*) ;; *) bad "--src ${s%%=*}: unknown system (known: $KNOWN)" ;; esac
	[ -d "${s#*=}" ] || bad "--src $s: no such directory"
	declare "SRC_${s%%=*}=${s#*=}"
done
# sys_pick NAME ASKED: NAME into RUN when its sources are there; absent
# ones are skipped with the reason (an explicitly asked one fails the run
# at the end, after the others' results).
RUN=()
sys_pick() {
	local rc
	SYS_WHY=
	"sys_$1_sources"
	rc=$?
	case $rc in
	0) RUN+=("$1") ;;
	1) sl_log "vm-bench: system $1 skipped: $SYS_WHY"; SKIPPED+=("$1 ($SYS_WHY)")
	   [ "$2" = 1 ] && FAILS=$((FAILS + 1)) ;;
	*) sl_log "FAIL: system $1: its sources are not the pinned ones (above)"; FAILS=$((FAILS + 1)) ;;
	esac
}
if [ -z "$REDUCE" ]; then
	if [ -n "$SYSTEMS" ]; then
		for s in ${SYSTEMS//,/ }; do
			case " $KNOWN " in *" $s "*) ;; *) bad "--system: unknown system '$s' (known: $KNOWN)" ;; esac
			[ -z "$MATRIX" ] || [ "$s" = linux ] || bad "--matrix measures Linux only: no --system $s with it"
		done
		for s in ${SYSTEMS//,/ }; do
			case " ${RUN[*]} " in *" $s "*) ;; *) sys_pick "$s" 1 ;; esac
		done
	else
		RUN=(linux)
		if [ -z "$MATRIX" ]; then
			for s in $KNOWN; do [ "$s" = linux ] || sys_pick "$s" 0; done
		fi
	fi
fi
has_linux() { case " ${RUN[*]} " in *" linux "*) return 0 ;; esac; return 1; }

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
	if has_linux; then
		[ ${#KERNELS[@]} -gt 0 ] || mapfile -t KERNELS < <(sl_kernels)
		[ ${#KERNELS[@]} -gt 0 ] || sl_die "no installed kernel with /boot/vmlinuz-VER and /lib/modules/VER/build (make deps)"
		for k in "${KERNELS[@]}"; do
			[ -e "/boot/vmlinuz-$k" ] || bad "kernel $k is not installed"
		done
		[ -x "$SL_ROOT/user/syslat-static" ] || sl_die "build the harness first (make user)"
	else
		KERNELS=()
	fi
	[ -x "$SYSLAT" ] || sl_die "build the harness first (make user)"
	[ "$ACCEL" = auto ] && ACCEL=$(sl_accel)
	if [ "$ACCEL" = kvm ]; then
		[ -z "$CPU" ] || [ "$CPU" = host ] || bad "--cpu $CPU: KVM guests run the host CPU (use --accel tcg)"
	else
		if [ -z "$CPU" ] && [ -n "$MATRIX" ]; then CPU=Skylake-Client-v1; elif [ -z "$CPU" ]; then CPU=max; fi
		mt_cpu_ok "$CPU" || bad "--cpu $CPU: not a model of $SL_QEMU -cpu help"
		export SL_CPU=$CPU
	fi
	# Every configuration's parameters documented for every kernel, before any boot.
	for k in "${KERNELS[@]+"${KERNELS[@]}"}"; do
		doc=$(mt_params_doc "$k") || exit 1
		for cfg in "${CONFIGS[@]}"; do
			mt_check_args "$doc" "${cfg#*=}" || bad "--config ${cfg%%=*}: kernel $k"
		done
	done
	OUT=${OUT:-$SL_ROOT/results/$(date -u +%Y%m%dT%H%M%SZ)-$(hostname -s)}
	mkdir -p "$OUT" "$SL_BUILD/guest" || exit 1
	printf 'accel=%s\ncpu=%s\nboots=%s\nrounds=%s\niters=%s\nsystems=%s\n' "$ACCEL" "$CPU" "$BOOTS" \
		"$ROUNDS" "$ITERS" "${RUN[*]+"${RUN[*]}"}" >"$OUT/vm-bench.conf"
	: >"$OUT/systems.txt"
	: >"$OUT/logs.txt"
fi
trap 'sl_kill_guest; echo "interrupted: partial results in $OUT" >&2; exit 130' INT TERM
trap 'sl_kill_guest' EXIT
[ "$BENCH" = suite ] && BENCH=
[ -n "$SUITE" ] && BENCH=

INIT="$SL_ROOT/tests/guest/vm-bench-init.sh"
# boots K RD NAME ARGS: --boots guests of one configuration; their logs in LOGS.
boots() {
	local k=$1 rd=$2 name=$3 args=$4 b log append rc
	local -a opts
	for b in $(seq 1 "$BOOTS"); do
		log="$OUT/$k-$name-boot$b.log"
		append="vmb.boot=$b vmb.config=$name vmb.rounds=$ROUNDS vmb.iters=$ITERS vmb.hook=$HOOK"
		# syslat-mini beside the suite (not in the matrix, whose table
		# pools every block of a log)
		[ -z "$MATRIX" ] && [ -x "$MINI" ] && append="$append vmb.mini=1"
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
		block "$log" 'prog=' >"$OUT/$k-$name-boot$b.json"
		grep -q 'SYSLAT-JSON-BEGIN.*prog=syslat-mini' "$log" &&
			block "$log" 'prog=syslat-mini' >"$OUT/$k-$name-boot$b-mini.json"
		LOGS+=("$log")
	done
}

# block LOG TAG: the JSON of LOG's block whose label has TAG ("prog=":
# the one without, the harness's).
block() {
	sl_clean "$1" | awk -v tag="$2" '
		/SYSLAT-JSON-END/ { on = 0 }
		on { print }
		/SYSLAT-JSON-BEGIN/ { has = index($0, tag) > 0; on = tag == "prog=" ? !has : has }'
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
	elif [ -s "$OUT/logs.txt" ]; then
		mapfile -t LOGS < <(sed "s#^#$OUT/#" "$OUT/logs.txt")
	else
		mapfile -t LOGS < <(grep -l 'vm-bench: done' "$OUT"/*-boot*.log | sort -V)
		mapfile -t -O ${#LOGS[@]} LOGS < <(grep -l 'END JSON OUTPUT' "$OUT"/sel4-*-boot*.log 2>/dev/null | sort -V)
	fi
else
	[ -z "$MATRIX" ] || : >"$OUT/matrix-plan.tsv"
	if has_linux; then
		printf 'linux: %s (Debian), configurations: %s; module hook=%s; syslat-mini with timing=0\n' \
			"${KERNELS[*]}" "${CONFIGS[*]}" "$HOOK" >>"$OUT/systems.txt"
	fi
	for s in "${RUN[@]}"; do
		"sys_${s}_run"
	done
	# the boot order, for --reduce
	[ ${#LOGS[@]} -eq 0 ] || printf '%s\n' "${LOGS[@]##*/}" >"$OUT/logs.txt"
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
	case " ${LOGS[*]##*/}" in *" sel4-"*)
		echo "# seL4 rows: sel4bench's own samples (each one operation, its overhead subtracted), pooled over boots: not round means" ;;
	esac
	[ -s "$OUT/systems.txt" ] && sed 's/^/# system /' "$OUT/systems.txt"
	for s in "${SKIPPED[@]+"${SKIPPED[@]}"}"; do echo "# system skipped: $s"; done
	"$SYSLAT" reduce --side-by-side --out "$OUT" "${LOGS[@]}"
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
