#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make ctx-wss-bench: lmbench lat_ctx -s, the ctx-ring context switch swept over
# the working set each process sums per hop (syslat bench ctx-ring --ring-wss),
# printed as a table and, with --svg, plotted against size. Not a test: it
# prints figures. Each size is one `syslat bench` (its --runs runs, CI over
# runs); the figure is ns per switch (one hop of the token), ring overhead
# and the sum of a warm working set subtracted as lat_ctx does, so what is
# left is the switch plus the cache refill N working sets cause. The
# subtracted overhead is printed beside it: where it is more than 10 times
# the figure (or the figure is negative) the row says so - the switch is
# then lost in the noise of the working-set sum, as in lat_ctx at large -s.
#   tests/bench/ctx-wss.sh [--procs N] [--sizes "0 4Ki 16Ki ..."] [--runs N] [--svg FILE]
set -u
cd "$(dirname "$0")/../.." || exit 1
SYSLAT=${SYSLAT:-user/syslat}
PROCS=2 RUNS=3 SVG="" SIZES="0 4Ki 16Ki 64Ki 256Ki 1Mi"
num() { case ${2:-} in ''|*[!0-9]*) echo "ctx-wss: $1 needs a number" >&2; exit 2 ;; esac; }
while [ $# -gt 0 ]; do
	case $1 in
	--procs) num "$1" "${2:-}"; PROCS=$2; shift ;;
	--runs) num "$1" "${2:-}"; RUNS=$2; shift ;;
	--sizes) [ -n "${2:-}" ] || { echo "ctx-wss: --sizes needs a list" >&2; exit 2; }; SIZES=$2; shift ;;
	--svg) [ -n "${2:-}" ] || { echo "ctx-wss: --svg needs a file" >&2; exit 2; }; SVG=$2; shift ;;
	-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
	*) echo "ctx-wss: unknown option '$1' (--procs N, --sizes LIST, --runs N, --svg FILE)" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$SYSLAT" ] || { echo "ctx-wss: build syslat first (make user)" >&2; exit 1; }
command -v jq >/dev/null || { echo "ctx-wss: jq is required" >&2; exit 1; }
TMP=$(mktemp -d /tmp/syslat-ctxwss.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

echo "# ctx-ring of $PROCS processes on one CPU: ns per context switch (one hop), median"
echo "# [95 % CI over $RUNS runs], by working set per process (lmbench lat_ctx -s)"
printf '%12s %10s %21s %14s\n' "wss_bytes" "ns/switch" "[95% CI]" "subtracted ns"
for s in $SIZES; do
	# syslat refuses a bad size with exit 2 and says why: pass that on.
	"$SYSLAT" bench ctx-ring --ring-procs "$PROCS" --ring-wss "$s" --runs "$RUNS" -q -f json \
		>"$TMP/r.json" || exit $?
	jq -r '[.options.ring_wss, .results[0].ns.estimates.median.value,
		.results[0].ns.estimates.median.ci95[0], .results[0].ns.estimates.median.ci95[1],
		.results[0].extra_overhead * 1e6 / .tsc.khz] | @tsv' "$TMP/r.json" >>"$TMP/data"
	tail -1 "$TMP/data" | awk '{ printf "%12d %10.0f [%9.0f, %9.0f] %14.0f%s\n", $1, $2, $3, $4, $5,
		($2 <= 0 || $5 > 10 * $2) ? "  overhead-dominated" : "" }'
done
if [ -n "$SVG" ]; then
	awk '$1 > 0 && $2 > 0 && $5 <= 10 * $2' "$TMP/data" >"$TMP/plot"
	gnuplot <<-EOG >"$SVG" || { echo "ctx-wss: gnuplot failed" >&2; exit 1; }
	set terminal svg size 640,420 dynamic enhanced font 'sans,11'
	set logscale x; set grid; set key off
	set xlabel 'working set per process (bytes)'; set ylabel 'ns per context switch'
	set title 'syslat ctx-ring, $PROCS processes, one CPU (lat_ctx -s)'
	plot '$TMP/plot' using 1:2:3:4 with yerrorlines
	EOG
	echo "# plot: $SVG (sizes > 0, overhead-dominated rows left out; log x)"
fi
