#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A/A benchmark (a figure, not a test): K independent pairs of default
# `syslat run`s with nothing changed between them, each pair compared with
# `syslat compare`; prints every pair's flagged rows and the fraction of
# all compared rows flagged. A tool whose CIs cover what they claim flags
# about 5 % of A/A rows (K = 5 with 15 benchmarks: about 3 of 75).
#   tests/bench/aa-compare.sh [K] [extra syslat run options...]
#   make aa-bench [AA_K=5] [AA_ARGS="--runs 8"]
set -u
cd "$(dirname "$0")/../.." || exit 1
SYSLAT=${SYSLAT:-user/syslat}
K=${1:-5}
shift $(( $# > 0 ? 1 : 0 ))
case $K in ''|*[!0-9]*|0) echo "aa-compare: K must be a positive integer" >&2; exit 2 ;; esac
[ -x "$SYSLAT" ] || { echo "aa-compare: build first (make user)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/syslat-aa.XXXXXX)
child=
trap 'rm -rf "$TMP"' EXIT
# ^C or kill: interrupt the running syslat too (it cleans up its runs), then leave
trap '[ -n "$child" ] && kill -INT "$child" 2>/dev/null && wait "$child"; exit 130' INT TERM

echo "# syslat A/A: $K pairs of 'syslat run $*' on $(uname -n), $(nproc) CPUs"
echo "# load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
flagged=0 rows=0 refused=0
for k in $(seq 1 "$K"); do
	for s in a b; do
		start=$(date +%s.%N)
		"$SYSLAT" run --quiet --output "$TMP/$k$s" "$@" >/dev/null 2>"$TMP/$k$s.err" &
		child=$!
		wait "$child"
		rc=$?
		child=
		[ $rc -eq 0 ] || { echo "aa-compare: syslat run failed ($rc): $(head -c 300 "$TMP/$k$s.err")" >&2; exit 1; }
		awk -v k="$k" -v s="$s" -v t0="$start" -v t1="$(date +%s.%N)" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
			'BEGIN { printf "# pair %d %s: %.1f s wall, load %s\n", k, s, t1 - t0, l }'
	done
	"$SYSLAT" compare "$TMP/${k}a"/*.json "$TMP/${k}b"/*.json >"$TMP/cmp$k.txt" || exit 1
	grep -E '\]\*' "$TMP/cmp$k.txt" | sed "s/^/#   pair $k flagged: /"
	read -r f r x < <(sed -n 's/^# flagged \([0-9]*\) of \([0-9]*\) compared rows; \([0-9]*\) not comparable$/\1 \2 \3/p' "$TMP/cmp$k.txt")
	flagged=$((flagged + f)) rows=$((rows + r)) refused=$((refused + x))
done
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v f=$flagged -v r=$rows -v x=$refused 'BEGIN {
	printf "A/A: %d of %d rows flagged (%.1f %%), %d not comparable; goal <= 5 %%\n", f, r, r ? 100 * f / r : 0, x }'
