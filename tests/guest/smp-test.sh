#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest test of the topology and N-pair measurements on more CPUs than the
# development machine has: one TCG boot per installed kernel with 4 vCPUs
# as 2 sockets x 2 cores (so sysfs offers two classes: llc within a socket,
# node across). Its /init (smp-init.sh) runs syslat c2c over the four CPUs,
# ipc-sweep --pairs 2 (one pair per CPU; cross with process peers; llc),
# syslat bench --placement llc, and what this topology cannot offer
# (--pairs 5, --pairs 3 cross, --placement package: exit 2). The host
# checks the JSON with jq: every ordered pair measured once and classed
# as sysfs says, the pairs on the CPUs asked for, aggregates the sum of
# their pairs, stream rows beside the ping-pong ones, units throughout.
# TCG figures are emulator path lengths, not hardware costs: only
# completeness and sanity (positive, finite, ordered) are checked.
#   tests/guest/smp-test.sh [KERNEL...]   (default: every installed kernel)
set -u
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || sl_die "jq is needed (make deps)"
[ -x "$SL_ROOT/user/syslat-static" ] || sl_die "build the harness first (make user)"
mkdir -p "$SL_BUILD/guest" "$SL_BUILD/guest-logs"
trap 'sl_kill_guest; exit 130' INT TERM
trap 'sl_kill_guest' EXIT

NFAIL=0 NPASS=0
json() { sl_clean "$1" | sed -n "/SYSLAT-JSON-BEGIN $2\$/,/SYSLAT-JSON-END/p" | sed '1d;$d'; }
rc_of() { sl_clean "$1" | sed -n "s/^.*sm: rc $2 \([0-9]*\).*/\1/p" | head -n 1; }
jcheck() {	# jcheck LOG NAME WHAT FILTER
	sl_check "$(json "$1" "$2" | jq -e "$4" >/dev/null 2>&1 && echo 1 || echo 0)" "$k: $3"
}
# The class sysfs gives 2 sockets x 2 cores: CPUs of one socket share the LLC.
C2C_CLASSES='[.pairs[] | ((.from / 2 | floor) == (.to / 2 | floor)) as $same |
	.class == (if $same then "llc" else "node" end)] | all'

one_kernel() {
	local k=$1 rd="$SL_BUILD/guest/smp.cpio.gz" log="$SL_BUILD/guest-logs/smp-$1.log" st t0 n
	t0=$(date +%s)
	SL_ACCEL=tcg sl_boot --smp 4,sockets=2,cores=2,threads=1 --timeout 240 "$k" "$rd" "$log"
	st=$?
	sl_check "$(sl_clean "$log" | grep -q 'sm: done' && echo 1 || echo 0)" \
		"$k: the 4-vCPU guest ran everything (qemu status $st, $(($(date +%s) - t0)) s)"
	sl_clean "$log" | grep -a 'sm: cpu\|sm: stderr' | sed 's/^.*sm: /  /'
	for n in c2c pairs cross-proc llc bench-llc; do
		sl_check "$([ "$(rc_of "$log" $n)" = 0 ] && echo 1 || echo 0)" "$k: $n exits 0"
	done
	jcheck "$log" c2c "c2c: all 12 ordered pairs of the 4 CPUs, each once, one way > 0" \
		'[.pairs[] | select(.one_way > 0 and .min_one_way > 0 and .min_one_way <= .one_way
		  and .one_way_ns > 0) | "\(.from)>\(.to)"] | unique | length == 12 and
		 (. | map(split(">") | .[0] != .[1]) | all)'
	jcheck "$log" c2c "c2c: each pair classed from sysfs (llc in a socket, node across), package ids 0 0 1 1 recorded" \
		"($C2C_CLASSES) and (.cpus | map(.package) == [0, 0, 1, 1])"
	jcheck "$log" pairs "ipc-sweep --pairs 2: per size and traffic a 1-pair row, 2 pair rows on CPUs 0 and 1, an aggregate" \
		'[.results[] | select(.skipped | not)] | group_by([.mechanism, .traffic, .size_bytes]) |
		 length == 15 and all(.[]; length == 4 and (map(.pair) == [0, 0, 1, "aggregate"]) and
		 .[1].cpu.cpu == 0 and .[1].peer_cpu.cpu == 0 and .[2].cpu.cpu == 1 and
		 .[2].peer_cpu.cpu == 1)'
	# The aggregate is the per-round sum over the pairs: its median lies
	# between the sums of their minima and maxima (medians do not add).
	jcheck "$log" pairs "ipc-sweep --pairs 2: aggregate bandwidth within the sums of the pairs' min and max, bytes/s, scaling > 0" \
		'[.results[] | select(.skipped | not)] | group_by([.mechanism, .traffic, .size_bytes]) |
		 all(.[]; .[3].bandwidth.unit == "bytes/s" and .[3].scaling_vs_1_pair > 0 and
		 (.[1].bandwidth.min + .[2].bandwidth.min) as $lo |
		 (.[1].bandwidth.max + .[2].bandwidth.max) as $hi |
		 .[3].bandwidth.median >= $lo * 0.999999 and .[3].bandwidth.median <= $hi * 1.000001)'
	jcheck "$log" pairs "ipc-sweep --pairs 2: stream rows for pipe and tcp4, shm-futex's skipped with the reason" \
		'([.results[] | select(.traffic == "stream" and (.mechanism == "pipe" or .mechanism == "tcp4"))
		   | .per_message.unit == "ns" and .bandwidth_is == "stream"] | length == 24 and all) and
		 ([.results[] | select(.traffic == "stream" and .mechanism == "shm-futex") |
		   .skipped | test("no stream")] | length == 6 and all)'
	jcheck "$log" cross-proc "ipc-sweep --pairs 2 --placement cross --process: pairs 0>1 and 2>3, peers processes" \
		'.peers == "processes" and .placement == "cross" and
		 ([.results[] | select(.pairs == 2 and .pair != "aggregate") | "\(.cpu.cpu)>\(.peer_cpu.cpu)"]
		  | unique == ["0>1", "2>3"]) and
		 ([.results[] | select(.pair == "aggregate")] | length == 8)'
	jcheck "$log" cross-proc "cross-socket ids recorded: pair 2>3 on package 1, pair 0>1 on package 0" \
		'[.results[] | select(.pairs == 2 and .pair == 1)] | all(.cpu.package == 1 and .peer_cpu.package == 1)'
	jcheck "$log" llc "ipc-sweep --pairs 2 --placement llc: 0>1 and 2>3, same LLC cpus" \
		'[.results[] | select(.pairs == 2 and .pair != "aggregate") | "\(.cpu.cpu)>\(.peer_cpu.cpu)"] == ["0>1", "2>3"]'
	jcheck "$log" bench-llc "syslat bench pipe --placement llc: peer CPU 1, relation llc, ids of both CPUs" \
		'.options.placement == "llc" and (.results[0] | .cpu == 0 and .peer_cpu == 1 and
		 .relation == "llc" and .cpu_ids.package == 0 and .peer_cpu_ids.package == 0)'
	for n in pairs5 cross3 sweep-package bench-package; do
		sl_check "$(sl_clean "$log" | grep -qE "sm: rc $n 2 out 0 err .+" && echo 1 || echo 0)" \
			"$k: $n (more than the 4 CPUs offer): exit 2 with a message, nothing on stdout"
	done
}

sl_build_initramfs "$SL_BUILD/guest/smp.cpio.gz" "" "$SL_ROOT/tests/guest/smp-init.sh" ||
	sl_die "initramfs"
t00=$(date +%s)
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || mapfile -t kernels < <(sl_kernels)
[ ${#kernels[@]} -gt 0 ] || sl_die "no installed kernel"
for k in "${kernels[@]}"; do
	one_kernel "$k"
done
echo "smp guest test (${#kernels[@]} kernel(s), $(($(date +%s) - t00)) s): $NPASS passed, $NFAIL failed"
[ "$NFAIL" -eq 0 ] && [ "$NPASS" -ge $((19 * ${#kernels[@]})) ]
