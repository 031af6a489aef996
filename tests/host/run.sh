#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host integration test (no module needed): every benchmark briefly,
# plausibility of the figures, JSON/CSV well-formed, bad options refused,
# SIGINT leaves a partial result file. TAP output; exit 1 on any failure.
#   tests/host/run.sh            (SYSLAT=path/to/syslat to test another build)
set -u
cd "$(dirname "$0")/../.." || exit 1
SYSLAT=${SYSLAT:-user/syslat}
TMP=$(mktemp -d /tmp/syslat-host.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0
BRIEF=(--iters 2000 --rounds 3 --warmup 1 --runs 1 --quiet)

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# jq -e exits 0 on empty input (jq 1.6): no output must fail too (in the
# bash -c strings below: | grep -qx true).
jqe() { local out; out=$(jq -e "$@") && [ -n "$out" ]; }

if [ ! -x "$SYSLAT" ]; then
	echo "1..0 # SKIP $SYSLAT not built (make -C user)"
	exit 1
fi
command -v jq >/dev/null || { echo "Bail out! jq is required"; exit 1; }
ncpus=$(nproc)

# --- every benchmark, briefly, as JSON --------------------------------------
names=$("$SYSLAT" list --suite table1 | awk 'NR > 1 { print $1 }')
check "syslat list shows benchmarks" test -n "$names"
declare -A median
for b in $names; do
	extra=()
	if [ "$b" = shm ]; then	# busy-waits: needs two CPUs
		if [ "$ncpus" -lt 2 ]; then skip "bench $b" "needs two CPUs"; continue; fi
		extra=(--placement cross)
	fi
	out="$TMP/$b.json"
	if ! "$SYSLAT" bench "$b" "${BRIEF[@]}" "${extra[@]}" --format json >"$out" 2>"$TMP/$b.err"; then
		not_ok "bench $b runs (exit status; $(head -c 200 "$TMP/$b.err"))"
		continue
	fi
	if ! jq -e . "$out" >/dev/null 2>&1; then
		not_ok "bench $b: JSON parses with jq"
		continue
	fi
	m=$(jq -r '.results[0].stats[2]' "$out")
	median[$b]=$m
	check "bench $b: median $m > 0, n = 3 x iters minus excluded rounds, not partial" \
		jqe '.results[0] | .stats[2] > 0 and .stats[0] <= .stats[2] and
			.stats[2] <= .stats[5] and
			.stats[7] == (3 - .interference.rounds_excluded) * .iters and
			(.partial | not) and (.stats | length) == 8 and
			.statistics.median == .stats[2] and .statistics.n == .stats[7]' "$out"
done

# --- plausibility: function call < null syscall < IPC round trip -------------
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
if [ -n "${median[fcall]:-}" ] && [ -n "${median[noop]:-}" ]; then
	check "fcall (${median[fcall]}) < noop syscall (${median[noop]})" lt "${median[fcall]}" "${median[noop]}"
fi
if [ -n "${median[getppid]:-}" ] && [ -n "${median[pipe]:-}" ]; then
	check "getppid (${median[getppid]}) < pipe round trip (${median[pipe]})" \
		lt "${median[getppid]}" "${median[pipe]}"
fi
if [ -n "${median[noop]:-}" ] && [ -n "${median[futex]:-}" ]; then
	check "noop (${median[noop]}) < futex round trip (${median[futex]})" \
		lt "${median[noop]}" "${median[futex]}"
fi
if [ -n "${median[getppid]:-}" ] && [ -n "${median[getppid-libc]:-}" ]; then
	check "raw getppid (${median[getppid]}) <= 1.5 x libc getppid (${median[getppid-libc]})" \
		awk -v a="${median[getppid]}" -v b="${median[getppid-libc]}" 'BEGIN { exit !(a <= 1.5 * b) }'
fi

# --- JSON envelope ------------------------------------------------------------
j="$TMP/noop.json"
check "JSON envelope: schema_version, argv, times, tsc, env, options" \
	jqe '(.schema_version | type) == "number" and .schema_version == (.schema_version | floor)
		and (.argv | type) == "array" and .argv[1] == "bench" and (.start_time | test("Z$"))
		and .tsc.khz > 0 and (.tsc.source | length) > 0 and (.env.kernel_release | length) > 0
		and (.env.vulnerabilities | type) == "object" and .options.rounds == 3
		and .partial == false and (.timer_overhead.stats[2] > 0) and .schema_version == 2
		and .tsc.step > 0 and (.results[0].timer_window.subtracted > 0)' "$j"
check "noop result says how it ran (armed recorded, note when no module)" \
	jqe '.results[0] | has("armed") and (if .armed == null then (.note | test("ENOSYS")) else true end)' "$j"

# --- CSV -----------------------------------------------------------------------
c="$TMP/out.csv"
"$SYSLAT" bench noop fcall "${BRIEF[@]}" --format csv >"$c" 2>/dev/null
check "CSV header names mode, direction, placement, process" \
	test "$(head -1 "$c")" = "benchmark,mode,direction,placement,process,statistic,value,unit"
check "CSV rows have 8 fields" awk -F, 'NF != 8 { bad = 1 } END { exit bad }' "$c"
check "CSV has the median in cycles and ns for both" \
	test "$(grep -cE '^(noop|fcall),percall,[a-z_]+,none,thread,median,[0-9.]+,(cycles|ns)$' "$c")" -eq 4

# --- result files, written atomically ------------------------------------------
d="$TMP/files"
"$SYSLAT" bench getppid "${BRIEF[@]}" --output "$d" >/dev/null 2>&1
count() { find "$1" -maxdepth 1 -name "$2" | wc -l; }
check "--output writes one .json and one .csv, no temp files" \
	test "$(count "$d" '*.json')" -eq 1 -a "$(count "$d" '*.csv')" -eq 1 \
	-a "$(count "$d" '*tmp*')" -eq 0

# --- batch mode ----------------------------------------------------------------
check "batch mode: noop per-round mean > 0" \
	bash -c "'$SYSLAT' bench noop --mode batch --iters 100k --rounds 3 --quiet --format json |
		jq -e '.results[0].stats[2] > 0 and .results[0].mode == \"batch\"' | grep -qx true"

# --- replication: --runs as processes, CIs over runs, temp dir removed ----------
r="$TMP/runs.json"
before=$(ls -d /tmp/syslat-runs.* 2>/dev/null | wc -l)
"$SYSLAT" bench noop getppid --runs 3 --rounds 2 --iters 2000 --seed 42 --quiet --format json >"$r" 2>/dev/null
check "--runs 3: three runs completed, each result has three runs and a CI over runs" \
	jqe '.replication.runs_completed == 3 and .replication.seed == 42 and
		all(.results[]; (.runs | length) == 3 and .estimates.ci_level == "runs" and
			.estimates.median.ci95[0] <= .estimates.median.value and
			.estimates.median.value <= .estimates.median.ci95[1])' "$r"
check "--runs: no temp dir left behind" test "$(ls -d /tmp/syslat-runs.* 2>/dev/null | wc -l)" -le "$before"
check "--runs 1: CI over rounds, said so" \
	jqe '.results[0].estimates.ci_level == "rounds"' "$TMP/noop.json"
check "every result accounts for interference per round" \
	jqe '.results[0].interference | (.irq | length) == 6 and .rounds_measured == 6 and
		(.policy == "exclude")' "$r"

# --- compare refuses what cannot be compared, with the reason -------------------
"$SYSLAT" bench getppid --runs 2 --rounds 2 --iters 2000 --quiet --format json >"$TMP/pc.json" 2>/dev/null
"$SYSLAT" bench getppid --runs 2 --rounds 2 --iters 2000 --mode batch --quiet --format json >"$TMP/bt.json" 2>/dev/null
"$SYSLAT" compare "$TMP/pc.json" "$TMP/bt.json" >"$TMP/cmp1.txt" 2>&1
check "compare: batch vs percall not comparable, with the reason" \
	grep -q '^getppid .*not comparable.*mode percall vs batch' "$TMP/cmp1.txt"
"$SYSLAT" bench pipe --runs 2 --rounds 2 --iters 500 --quiet --format json >"$TMP/th.json" 2>/dev/null
"$SYSLAT" bench pipe --runs 2 --rounds 2 --iters 500 --process --quiet --format json >"$TMP/pr.json" 2>/dev/null
"$SYSLAT" compare "$TMP/th.json" "$TMP/pr.json" >"$TMP/cmp2.txt" 2>&1
check "compare: thread vs process not comparable, with the reason" \
	grep -q '^pipe .*not comparable.*peer thread vs process' "$TMP/cmp2.txt"
"$SYSLAT" compare "$TMP/pc.json" "$TMP/pc.json" >"$TMP/cmp3.txt" 2>&1
check "compare: a file against itself flags nothing" grep -q '^# flagged 0 of 1 compared rows' "$TMP/cmp3.txt"

# --- bad command lines exit non-zero -------------------------------------------
bad() {
	"$SYSLAT" "$@" >/dev/null 2>"$TMP/bad.err"
	local rc=$?
	[ $rc -ne 0 ] && [ -s "$TMP/bad.err" ]
}
bad2() {
	"$SYSLAT" "$@" >/dev/null 2>"$TMP/bad.err"
	[ $? -eq 2 ] && [ -s "$TMP/bad.err" ]
}
check "--runs 0 refused (exit 2)" bad2 bench noop --runs 0
check "--runs abc refused (exit 2)" bad2 bench noop --runs abc
check "--runs -1 refused (exit 2)" bad2 run --runs -1
check "--runs 1001 refused (exit 2)" bad2 bench noop --runs 1001
check "--seed x refused (exit 2)" bad2 bench noop --seed x
check "--interference maybe refused (exit 2)" bad2 bench noop --interference maybe
check "--iters -5 refused" bad bench noop --iters -5
check "--iters abc refused" bad bench noop --iters abc
check "--iters overflow refused" bad bench noop --iters 99999999999999999999999
check "--iters 12x refused" bad bench noop --iters 12x
check "--placement diagonal refused" bad bench pipe --placement diagonal
check "--format xml refused" bad run --format xml
check "--cpu outside the affinity mask refused" bad bench noop --cpu 1023
check "--peer-cpu outside the mask refused" bad bench pipe --peer-cpu "$ncpus"
if [ ! -e /sys/devices/system/cpu/cpu0/topology/thread_siblings_list ] ||
   [ "$(cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list)" = 0 ]; then
	check "--placement smt without a sibling refused" bad bench pipe --placement smt --cpu 0
fi
check "unknown benchmark refused" bad bench nosuchbench
check "unknown command refused" bad frobnicate
check "unknown option refused" bad bench noop --frob
check "run takes no benchmark names" bad run noop
check "--help exits 0 and prints usage" bash -c "'$SYSLAT' bench --help | grep -q '^usage: syslat bench'"

# --- env, overhead -------------------------------------------------------------
check "syslat env --format json parses" bash -c "'$SYSLAT' env --format json | jq -e '.tsc_khz | . != null and . != false' | grep -qx true"
check "syslat overhead prints the timing window" bash -c "'$SYSLAT' overhead | grep -q 'timing window'"
check "syslat overhead prints the TSC step (a gcd, >= 1)" bash -c "'$SYSLAT' overhead | grep -qE '^tsc step [1-9][0-9]* ticks'"

# --- SIGINT: stops cleanly, partial result file ---------------------------------
p="$TMP/partial"
timeout --preserve-status -s INT 3 "$SYSLAT" run --quiet --output "$p" >"$TMP/int.out" 2>&1
rc=$?
check "SIGINT during run exits 130 (got $rc)" test $rc -eq 130
pj=$(find "$p" -maxdepth 1 -name '*.json' 2>/dev/null | head -1)
check "SIGINT leaves a JSON result marked partial" \
	bash -c "[ -n '$pj' ] && jq -e '.partial == true and (.results | length) > 0' '$pj' | grep -qx true"
check "SIGINT leaves the CSV too, and no temp files" \
	test "$(count "$p" '*.csv')" -eq 1 -a "$(count "$p" '*tmp*')" -eq 0
check "SIGINT keeps the runs gathered so far, no temp dir left" \
	bash -c "jq -e '.replication.runs_completed >= 1 and .replication.runs_completed < .replication.runs' '$pj' | grep -qx true &&
		[ \$(ls -d /tmp/syslat-runs.* 2>/dev/null | wc -l) -le $before ]"

# --- syslat hist on a saved hist_raw (a real TCG guest's, docs/): views, SVG --
HR=docs/hist_raw-tcg-6.12-patch.txt
check "syslat hist --from $HR: the log2 and log-linear views" \
	bash -c "'$SYSLAT' hist --from '$HR' | grep -q 'log-linear (the module' "
check "syslat hist --svg draws an SVG with gnuplot" \
	bash -c "'$SYSLAT' hist --from '$HR' --svg '$TMP/h.svg' >/dev/null 2>&1 && grep -q '<svg' '$TMP/h.svg'"

echo "1..$n"
[ $failed -eq 0 ] || { echo "# $failed of $n failed"; exit 1; }
