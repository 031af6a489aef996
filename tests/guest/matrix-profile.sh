#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Which functions each mitigation knob adds: for every configuration of a
# vm-bench --matrix run (DIR/matrix-plan.tsv, plus mitigations=off), the
# exact instruction profile (profile.sh, TCG + icount) of each benchmark
# under the default and under the knob's parameters, with the matrix's CPU;
# `syslat profile --diff` names the functions whose per-call instructions
# change, and the profile's total change is checked against the matrix's
# measured cost of the knob (cost = default - config, matrix.json).
#   matrix-profile.sh [--bench LIST] [--knobs LIST] [--calls K] [--top N] [--hook H] DIR
# Writes DIR/profile/CONFIG/BENCH-VER.* (the profiles), DIR/profile/CONFIG-BENCH-VER.diff
# and DIR/matrix-profile.tsv. Exit: 0 every total equals the matrix's cost,
# 1 a profile failed or a total differs, 2 bad usage.
set -u
. "$(dirname "$0")/lib.sh"

BENCH=enosys KNOBS='' CALLS=5 TOP=8 HOOK='' DIR=''
usage() { sed -n 10p "$0" | sed 's/^# *//' >&2; exit 2; }
bad() { printf 'matrix-profile.sh: %s\n' "$*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--bench) BENCH=${2:-}; shift ;;
	--knobs) KNOBS=${2:-}; shift ;;
	--calls) CALLS=${2:-}; shift ;;
	--top) TOP=${2:-}; shift ;;
	--hook) HOOK=${2:-}; shift ;;
	-h|--help) usage ;;
	-*) bad "unknown option $1" ;;
	*) [ -z "$DIR" ] || usage; DIR=$1 ;;
	esac
	shift
done
[ -n "$DIR" ] || usage
case $CALLS in ''|*[!0-9]*|0) bad "--calls wants a positive number, got '$CALLS'" ;; esac
case $TOP in ''|*[!0-9]*|0) bad "--top wants a positive number, got '$TOP'" ;; esac
case $HOOK in ''|patch|tracepoint) ;; *) bad "--hook: patch or tracepoint" ;; esac
[ -n "$BENCH" ] || bad "--bench needs a list"
PLAN="$DIR/matrix-plan.tsv" MJ="$DIR/matrix.json"
[ -s "$PLAN" ] && [ -s "$MJ" ] || bad "$DIR: no matrix-plan.tsv and matrix.json (not a finished vm-bench --matrix run)"
CPU=$(sed -n 's/^cpu=//p' "$DIR/vm-bench.conf" 2>/dev/null)
[ "$(sed -n 's/^accel=//p' "$DIR/vm-bench.conf")" = tcg ] ||
	bad "$DIR: the matrix ran under KVM (cycles); an instruction profile cannot explain its costs"
for b in ${BENCH//,/ }; do
	jq -e --arg b "$b" '[.kernels[].rows[] | select(.benchmark == $b)] | length > 0' "$MJ" >/dev/null ||
		bad "--bench $b: not measured in $MJ"
done
PS="$SL_ROOT/tests/guest/profile.sh" SYSLAT="$SL_ROOT/user/syslat"
for n in ${KNOBS//,/ }; do
	[ "$n" = nomitig ] || awk -F'\t' -v n="$n" '$2 == n { f = 1 } END { exit !f }' "$PLAN" ||
		bad "--knobs $n: not in $PLAN (nor nomitig)"
done

# The configurations per kernel: mitigations=off, then the plan's knobs.
configs() {
	local k
	for k in $(cut -f1 "$PLAN" | awk '!s[$0]++'); do
		printf '%s\tnomitig\tmitigations=off\n' "$k"
		awk -F'\t' -v k="$k" '$1 == k { print $1 "\t" $2 "\t" $3 }' "$PLAN"
	done | while IFS=$'\t' read -r k n p; do
		[ -z "$KNOBS" ] || case ",$KNOBS," in *",$n,"*) ;; *) continue ;; esac
		printf '%s\t%s\t%s\n' "$k" "$n" "$p"
	done
}

# prof K CONFIG PARAMS BENCH: the folded file, profiled once per run.
prof() {
	local f="$DIR/profile/$2/$4-$1${HOOK:+-$HOOK}.folded" log="$DIR/profile/$2/$4-$1.log"
	if [ ! -s "$f" ]; then
		mkdir -p "$DIR/profile/$2" || return 1
		sl_log "  profiling $4 on $1, $2 (${3:--}), -cpu $CPU, $CALLS calls"
		"$PS" --kernel "$1" --cpu "$CPU" ${3:+--append "$3"} --calls "$CALLS" ${HOOK:+--hook "$HOOK"} \
			--out "$DIR/profile/$2" "$4" >"$log" 2>&1 ||
			{ sl_tail "$log" 15 >&2; sl_log "  FAIL: profile of $4, $1, $2 (log: $log)"; return 1; }
	fi
	printf '%s\n' "$f"
}

# The --diff rows whose count changed: A, B, B-A, function (TAB-separated).
rows() {
	awk '!/^#/ && $3 ~ /^[-+][0-9]/ && $3 != "+0.0" && $3 != "-0.0" {
		f = $4; for (i = 5; i <= NF; i++) f = f " " $i; print $1 "\t" $2 "\t" $3 "\t" f }' "$1"
}

level() { sed -n "s/^# in all: .*$2 \([0-9.]*\),.*/\1/p" "$1" | head -n 1; }
measured() { jq -r '.self_check | "\(.measured_median) + timer \(.measured_timer_overhead)"' "${1%.folded}.json" 2>/dev/null; }

# ^C: stop after the profile being made (profile.sh keeps nothing half-written).
trap 'echo "matrix-profile.sh: interrupted" >&2; exit 130' INT TERM
FAILS=0
t0=$(date +%s)
printf 'kernel\tbenchmark\tconfig\tparams\tmatrix_cost\tmatrix_ci95\tprofile_cost\tagree\ttop_functions\n' \
	>"$DIR/matrix-profile.tsv"
echo "# which functions each knob adds: exact instruction profiles (TCG -icount shift=0, -cpu $CPU),"
echo "# default minus the knob's configuration, per call; instructions, not time"
while IFS=$'\t' read -r k n p; do
	for b in ${BENCH//,/ }; do
		f0=$(prof "$k" default "" "$b") && f1=$(prof "$k" "$n" "$p" "$b") ||
			{ FAILS=$((FAILS + 1)); continue; }
		d="$DIR/profile/$n-$b-$k.diff"
		"$SYSLAT" profile --diff "$f1" "$f0" >"$d" || { FAILS=$((FAILS + 1)); continue; }
		pc=$(sed -n 's/^# in all: .*B-A \([-+0-9.]*\).*/\1/p' "$d")
		read -r mc lo hi < <(jq -r --arg k "$k" --arg c "$n" --arg b "$b" '.kernels[] | select(.kernel == $k) |
			.rows[] | select(.config == $c and .benchmark == $b) | .cost_vs_default |
			"\(.diff) \(.ci95_lo) \(.ci95_hi)"' "$MJ")
		agree=$(awk -v a="$pc" -v b="${mc:-x}" 'BEGIN { if (b == "x" || a == "") print "no figure";
			else { d = a - b; print (d < 0.05 && d > -0.05) ? "equal" : sprintf("DIFFER by %+.1f", d) } }')
		[ "$agree" = equal ] || FAILS=$((FAILS + 1))
		printf '\n== %s, %s: %s (%s)\n' "$k" "$b" "$n" "$p"
		printf '   cost (default - %s), instructions per call: matrix %+.1f [%+.1f, %+.1f], profile %+.1f: %s\n' \
			"$n" "${mc:-0}" "${lo:-0}" "${hi:-0}" "${pc:-0}" "$agree"
		# The levels differ from the matrix's guests (nokaslr, no module,
		# the window counts the timer's own instructions): only the change is compared.
		printf '   per call: profile %s %s, default %s (the benchmark in these guests: %s; %s)\n' \
			"$n" "$(level "$d" A)" "$(level "$d" B)" "$(measured "$f1")" "$(measured "$f0")"
		printf "   %11s %9s %9s  %s\n" "$n" default added function
		rows "$d" | head -n "$TOP" | awk -F'\t' '{ printf "   %11s %9s %9s  %s\n", $1, $2, $3, $4 }'
		[ -n "$(rows "$d")" ] || echo "   (no function's instructions per call changed)"
		top=$(rows "$d" | awk -F'\t' '{ printf "%s%s %s", s, $4, $3; s = "; " }' | cut -c1-400)
		printf '%s\t%s\t%s\t%s\t%s\t[%s, %s]\t%s\t%s\t%s\n' "$k" "$b" "$n" "$p" "${mc:-}" "${lo:-}" "${hi:-}" \
			"${pc:-}" "$agree" "$top" >>"$DIR/matrix-profile.tsv"
	done
done < <(configs)
echo
echo "# $DIR/matrix-profile.tsv; diffs and profiles in $DIR/profile/; $(($(date +%s) - t0)) s wall"
[ $FAILS -eq 0 ] || { echo "# $FAILS configuration(s) failed or disagree with the matrix" >&2; exit 1; }
