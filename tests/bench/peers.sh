#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make peers-bench: syslat next to the peers Debian packages (perf bench,
# cyclictest, stress-ng), in one session, everything pinned to the same CPU, and the
# syslat / peer ratio of each pair. Not a test: it prints figures.
#
# syslat runs in batch mode here (one window around many calls, the mean
# per op), because that is what the peers report (total time / loops).
# Rows marked "like" time the same operation the same way and should
# agree within ~10 %: syslat and the peer run alternately, three times
# each, and each side is represented by its least disturbed run (the
# minimum; load on a shared machine only ever adds), with the medians
# and all runs printed beside it. The others are shown once, for context,
# with the reason they differ.
# The header states the date and the load average, the footer the load
# again and the like-for-like ratios, so a pasted run says when and under
# what load it was taken.
#   tests/bench/peers.sh [--cpu N] [--quick] [--only LIST]
#   --only LIST: comma-separated groups, of syscall pipe messaging futex
#   memset wakeup fork (default all); e.g. --only pipe,wakeup
set -u
cd "$(dirname "$0")/../.." || exit 1
SYSLAT=${SYSLAT:-user/syslat}
CPU=0 QUICK=0 ONLY=
GROUPS_ALL=",syscall,pipe,messaging,futex,memset,wakeup,fork,"
while [ $# -gt 0 ]; do
	case $1 in
	--cpu) case ${2:-} in ''|*[!0-9]*) echo "peers: --cpu needs a CPU number" >&2; exit 2 ;; esac
		CPU=$2; shift ;;
	--quick) QUICK=1 ;;
	--only) [ -n "${2:-}" ] || { echo "peers: --only needs a list" >&2; exit 2; }
		for g in ${2//,/ }; do
			[[ $GROUPS_ALL == *",$g,"* ]] ||
				{ echo "peers: --only: unknown group '$g' (${GROUPS_ALL//,/ })" >&2; exit 2; }
		done
		ONLY=$2; shift ;;
	-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "peers: unknown option '$1' (--cpu N, --quick, --only LIST)" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$SYSLAT" ] || { echo "peers: build syslat first (make user)" >&2; exit 1; }
command -v jq >/dev/null || { echo "peers: jq is required (make deps)" >&2; exit 1; }
taskset -c "$CPU" true 2>/dev/null || { echo "peers: cannot pin to CPU $CPU" >&2; exit 2; }
PERF=$(command -v perf || true)
STRESS=$(command -v stress-ng || true)
CYCLIC=$(command -v cyclictest || true)
TMP=$(mktemp -d /tmp/syslat-peers.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
SCALE=1; [ "$QUICK" = 1 ] && SCALE=10

# syslat NAME [options]: median per op in ns (batch mode, pinned to $CPU).
syslat_ns() {
	local b=$1; shift
	"$SYSLAT" bench "$b" --cpu "$CPU" --mode batch --rounds 7 --warmup 1 --quiet \
		--format json "$@" >"$TMP/s.json" 2>"$TMP/s.err" &&
		jq -r '.results[0].ns.stats[2]' "$TMP/s.json"
}
# perf's "N usecs/op" -> ns
perf_usecs_op() { awk '/usecs\/op/ { printf "%.1f\n", $1 * 1000; exit }'; }
# stress-ng --metrics-brief: bogo ops/s (real time) -> ns per bogo op
stress_ns() {
	local name=$1; shift
	timeout 120 taskset -c "$CPU" "$STRESS" "$@" --metrics-brief 2>&1 |
		awk -v n="$name" '$4 == n && $(NF-1) + 0 > 0 { printf "%.1f\n", 1e9 / $(NF-1); exit }'
}

want() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
RATIOS=()
min3() { printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g | head -1; }
median3() { printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# like "op" "peer label" "note" -- syslat-args -- peer command...: alternate 3x
like() {
	local op=$1 label=$2 note=$3 sa=() pc=() ss=() ps=()
	shift 4		# and the first --
	while [ "$1" != -- ]; do sa+=("$1"); shift; done
	shift
	pc=("$@")
	for _ in 1 2 3; do
		ss+=("$(syslat_ns "${sa[@]}")")
		ps+=("$("${pc[@]}")")
	done
	like_ratio "$op" "$(min3 "${ss[@]}")" "$(min3 "${ps[@]}")"
	row "$op" "$(min3 "${ss[@]}")" "$label" "$(min3 "${ps[@]}")" like \
		"$note; min of 3 alternating runs, medians $(printf '%.0f' "$(median3 "${ss[@]}")") / $(printf '%.0f' "$(median3 "${ps[@]}")")"
}
perf_syscall() { taskset -c "$CPU" "$PERF" bench syscall basic -l "$1" 2>&1 | perf_usecs_op; }
perf_pipe() { taskset -c "$CPU" "$PERF" bench sched pipe -l "$1" 2>&1 | perf_usecs_op; }

like_ratio() {	# op syslat_ns peer_ns: kept for the closing line
	[[ "$2" =~ ^[0-9.]+$ && "$3" =~ ^[0-9.]+$ ]] &&
		RATIOS+=("$1 $(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')")
}
printf '# %s, %d CPUs, load average %s (1/5/15 min) at the start\n' \
	"$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(loadavg)"
printf '# %s vs peers, all pinned to CPU %s, %s; ns per op (syslat: median of 7 batch rounds)\n' \
	"$("$SYSLAT" --version 2>/dev/null | head -1)" "$CPU" "$(uname -r)"
printf '%-26s %12s  %-34s %12s  %7s  %s\n' "operation" "syslat ns" "peer" "peer ns" "ratio" "comparison"
row() {	# op syslat_ns peer peer_ns kind note
	local r="-" a=$2 b=$4
	[[ "$a" =~ ^[0-9.]+$ ]] && a=$(printf '%.1f' "$a")
	[[ "$b" =~ ^[0-9.]+$ ]] && b=$(printf '%.1f' "$b")
	[[ "$2" =~ ^[0-9.]+$ && "$4" =~ ^[0-9.]+$ ]] && r=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
	printf '%-26s %12s  %-34s %12s  %7s  %s: %s\n' "$1" "$a" "$3" "$b" "$r" "$5" "$6"
}

if [ -n "$PERF" ] && want syscall; then
	n=$((10000000 / SCALE))
	like "getppid (glibc)" "perf bench syscall basic" \
		"both loop on glibc getppid(); perf adds its loop, syslat subtracts the timer once per round" \
		-- getppid-libc --iters 1M -- perf_syscall "$n"
	p=$(perf_syscall "$n")
	s2=$(syslat_ns getppid --iters 1M)
	row "getppid (raw syscall)" "$s2" "perf bench syscall basic" "$p" context \
		"syslat's inlined syscall instruction, no call/ret: lower than any wrapper"
fi
if [ -n "$PERF" ] && want pipe; then
	n=$((1000000 / SCALE))
	like "pipe round trip, 2 procs" "perf bench sched pipe" \
		"two processes, two pipes, one CPU; one op = write+read each side" \
		-- pipe --process --iters 20000 -- perf_pipe "$n"
	p=$(perf_pipe "$n")
	s=$(syslat_ns pipe --iters 20000)
	row "pipe round trip, 2 threads" "$s" "perf bench sched pipe" "$p" context \
		"syslat's default thread peer (no mm switch): another task pair than perf's two processes"
fi
if [ -n "$PERF" ] && want messaging; then
	loops=$((100 / SCALE))
	t=$(taskset -c "$CPU" "$PERF" bench sched messaging -g 1 -l "$loops" 2>&1 |
		awk '/Total time/ { print $3; exit }')
	p=$(awk -v t="$t" -v l="$loops" 'BEGIN { if (t > 0) printf "%.1f", t * 1e9 / (20 * 20 * l) }')
	s=$(syslat_ns unix --process --iters 20000)
	s=$(awk -v s="$s" 'BEGIN { printf "%.1f", s / 2 }')
	row "unix msg, one way" "$s" "perf sched messaging (per msg)" "$p" context \
		"messaging is throughput: 20 senders x 20 receivers queue 100-byte messages, no wait per message; syslat is half a 1-byte round trip"
fi
if [ -n "$PERF" ] && want futex; then
	p=$(taskset -c "$CPU" "$PERF" bench futex hash -t 1 -r $((10 / SCALE > 0 ? 10 / SCALE : 1)) 2>&1 |
		awk '/Averaged/ { printf "%.1f", 1e9 / $2; exit }')
	s=$(syslat_ns futex --iters 20000)
	row "futex" "$s" "perf bench futex hash (per op)" "$p" context \
		"hash times FUTEX_WAIT returning EAGAIN at once (no sleep); syslat's futex is a wait/wake round trip between two tasks"
fi
if [ -n "$PERF" ] && want memset; then
	p=$(taskset -c "$CPU" "$PERF" bench mem memset -s 4KB -l $((100000 / SCALE)) 2>&1 |
		awk '/bytes\/sec|GB\/sec|MB\/sec/ { v = $1; u = $2; exit } END { if (u ~ /^GB/) v *= 1e9; else if (u ~ /^MB/) v *= 1e6; if (v > 0) printf "%.1f", 4096 * 1e9 / v }')
	s=$(syslat_ns pagefault-anon --iters 1024)
	row "4 KiB: memset vs fault" "$s" "perf bench mem memset 4KB" "$p" context \
		"memset of a present page (bandwidth) vs a fault that zeroes a new page: the fault's extra is entry, allocation and mapping"
fi
[ -n "$PERF" ] || echo "# perf not found (linux-perf): perf bench rows skipped"

if [ -n "$CYCLIC" ] && want wakeup; then
	k=$((5000 / SCALE))
	ss=() ps=() sm=() pm=()
	# Median (us) of a 1-us histogram "bucket count" on stdin; $2 overflows count above it.
	hist_median() { awk -v of="${1:-0}" '{ b[NR] = $1; c[NR] = $2; t += $2 }
		END { t += of; for (i = 1; i <= NR; i++) { s += c[i]; if (s * 2 >= t) { print b[i] * 1000; exit } } }'; }
	for _ in 1 2 3; do	# alternating, as like() does; wake-up latency in ns
		"$SYSLAT" wakeup --cpu "$CPU" --interval 1000 --loops "$k" --cpu-dma-latency 0 \
			--format json >"$TMP/w.json" 2>/dev/null
		ss+=("$(jq -r '.avg_ns' "$TMP/w.json")")
		sm+=("$(jq -r '.hist_us[] | "\(.[0]) \(.[1])"' "$TMP/w.json" |
			hist_median "$(jq -r '.overflows' "$TMP/w.json")")")
		"$CYCLIC" -q -t 1 -a "$CPU" -p 95 -i 1000 -l "$k" -h 10000 >"$TMP/c.txt" 2>/dev/null
		ps+=("$(awk '/Avg Latencies:/ { print $NF * 1000; exit }' "$TMP/c.txt")")
		pm+=("$(awk '/^[0-9]+ [0-9]+$/' "$TMP/c.txt" |
			hist_median "$(awk '/Histogram Overflows:/ { print $NF + 0; exit }' "$TMP/c.txt")")")
	done
	note="absolute clock_nanosleep every 1 ms, SCHED_FIFO 95, cpu_dma_latency 0 (cyclictest default), one CPU; min of 3 alternating runs"
	like_ratio "timer wake-up, avg" "$(min3 "${ss[@]}")" "$(min3 "${ps[@]}")"
	row "timer wake-up, avg" "$(min3 "${ss[@]}")" "cyclictest -t1 -p95 -i1000" "$(min3 "${ps[@]}")" like \
		"$note of the averages (cyclictest's are whole us), medians $(printf '%.0f' "$(median3 "${ss[@]}")") / $(printf '%.0f' "$(median3 "${ps[@]}")")"
	like_ratio "timer wake-up, median" "$(min3 "${sm[@]}")" "$(min3 "${pm[@]}")"
	row "timer wake-up, median" "$(min3 "${sm[@]}")" "cyclictest -t1 -p95 -i1000 -h" "$(min3 "${pm[@]}")" like \
		"the same runs: medians of the 1-us histograms of both (the average is the tail's)"
elif [ -z "$CYCLIC" ]; then
	echo "# cyclictest not found (rt-tests): wake-up row skipped"
fi

if [ -n "$STRESS" ] && want fork; then
	k=$((2000 / SCALE))
	p=$(stress_ns fork --fork 1 --fork-ops "$k")
	s=$(syslat_ns fork --iters 200)
	row "fork+exit+wait" "$s" "stress-ng --fork (bogo op)" "$p" context \
		"stress-ng op = fork + _exit + setpgid + kill(SIGKILL) + waitpid of its own, much larger process, rate over the stressor's wall time: not like-for-like"
	s=$(syslat_ns fork-big --iters 20)
	row "fork+exit+wait, 64 MiB" "$s" "stress-ng --fork (bogo op)" "$p" context "syslat fork-big: 64 MiB touched heap"
	p=$(stress_ns vfork --vfork 1 --vfork-ops "$k")
	s=$(syslat_ns vfork --iters 500)
	row "vfork+exit+wait" "$s" "stress-ng --vfork (bogo op)" "$p" context \
		"stress-ng op = vfork + _exit + setpgid + kill + waitpid from its larger process, rate over the stressor's wall time"
	p=$(stress_ns pthread --pthread 1 --pthread-ops "$k")
	s=$(syslat_ns thread-create --iters 500)
	row "thread create+join" "$s" "stress-ng --pthread (bogo op)" "$p" context \
		"stress-ng's pthread bogo op is its own unit (its threads do work of their own before they exit): not like-for-like"
elif [ -z "$STRESS" ]; then
	echo "# stress-ng not found: stress-ng rows skipped"
fi
printf '# load average %s at the end; like-for-like ratios (syslat / peer):' "$(loadavg)"
[ ${#RATIOS[@]} -gt 0 ] || printf ' none measured'
for r in "${RATIOS[@]}"; do printf ' %s x%s;' "${r% *}" "${r##* }"; done
echo
