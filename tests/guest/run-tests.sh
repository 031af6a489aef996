#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host runner of the QEMU guest tests (make guest-test): for each installed
# Debian kernel, build the module, gtest and an initramfs, boot it under
# TCG with 2 CPUs for the module test plan (issue 3, tests 1-5), then once
# more with -icount shift=0 and 1 CPU for the icount benchmark (test 7).
set -u

usage() {
	cat <<'EOF'
usage: tests/guest/run-tests.sh [options]
  --kernel VER       only this installed kernel (default: every kernel with
                     /boot/vmlinuz-VER and /lib/modules/VER/build)
  --backends LIST    comma-separated (default: tracepoint,patch)
  --cycles N         insmod/rmmod cycles of the race test (default: 50)
  --no-icount        skip the icount benchmark boot
  --timeout S        limit of one full-plan boot in seconds (default: 420)
  --plan P           full (default), basic (no race test) or race (only it)
  --mttcg            run the vCPUs in parallel host threads (QEMU's MTTCG)
                     instead of one thread (tcg,thread=single): more real
                     parallelism, but QEMU 7.2 MTTCG can livelock a guest
                     whose kernel text is live-patched while other vCPUs run
                     it (seen on 6.1 toggling raw_syscalls:sys_enter without
                     any module: soft lockup at a jump-label site)
  --race-inject N    inject_cycles of the race test's loads (-1: the
                     module's inject_max, 1 ms; default 0)
  --append STR       extra kernel command line (e.g. preempt=full)
  --keep             keep the console logs in build/guest-logs/ (they are
                     also kept when something fails)
  -h, --help         this text
examples:
  tests/guest/run-tests.sh
  tests/guest/run-tests.sh --kernel 6.12.117+deb12-amd64 --cycles 5 --keep
EOF
}

. "$(dirname "$0")/lib.sh"

ONLY='' BACKENDS=tracepoint,patch CYCLES=50 ICOUNT=1 TMO=420 KEEP=0 PLAN=full TCG_OPTS=thread=single
RACE_INJECT=0 APPEND= TAG=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) ONLY=$2; shift ;;
	--backends) BACKENDS=$2; shift ;;
	--cycles) CYCLES=$2; shift ;;
	--no-icount) ICOUNT=0 ;;
	--timeout) TMO=$2; shift ;;
	--plan) PLAN=$2; shift ;;
	--mttcg) TCG_OPTS= TAG=$TAG-mttcg ;;
	--race-inject) RACE_INJECT=$2; shift ;;
	--append) APPEND="$APPEND $2"; TAG=$TAG-$(echo "$2" | tr -c 'a-z0-9\n' -); shift ;;
	--keep) KEEP=1 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
[ $# -eq 0 ] || { usage >&2; exit 2; }

LOGS="$SL_BUILD/guest-logs"
mkdir -p "$LOGS" "$SL_BUILD/guest"
trap 'sl_kill_guest; echo "interrupted" >&2; exit 130' INT TERM
trap 'sl_kill_guest' EXIT

NPASS=0 NFAIL=0 NSKIP=0
FAILED=()
result() { # result PASS|FAIL|SKIP KVER WHAT
	printf '%-4s  %-22s %s\n' "$1" "$2" "$3"
	case $1 in
	PASS) NPASS=$((NPASS + 1)) ;;
	SKIP) NSKIP=$((NSKIP + 1)) ;;
	*) NFAIL=$((NFAIL + 1)); FAILED+=("$2 $3") ;;
	esac
}

# parse_log KVER LOG RC: TAP lines -> results; the done marker must be there.
parse_log() {
	local kv=$1 log=$2 rc=$3 line what
	while IFS= read -r line; do
		if [[ $line =~ not\ ok\ [0-9]+\ -\ (.*)$ ]]; then
			result FAIL "$kv" "${BASH_REMATCH[1]}"
		elif [[ $line =~ ok\ [0-9]+\ -\ (.*)\ \#\ SKIP\ (.*)$ ]]; then
			result SKIP "$kv" "${BASH_REMATCH[1]} (skip: ${BASH_REMATCH[2]})"
		elif [[ $line =~ ok\ [0-9]+\ -\ (.*)$ ]]; then
			result PASS "$kv" "${BASH_REMATCH[1]}"
		elif [[ $line =~ (#\ (\[[a-z-]+\]\ )?(inject|hammer).*|#\ \ \ \[.*|#\ \ \ selftest:\ selftest:\ (FAIL|PASS\ \().*)$ ]]; then
			printf '      %-22s %s\n' "" "${BASH_REMATCH[1]}"
		fi
	done < <(sl_clean "$log")
	# the backtrace test's one expected trace sits between two markers
	awk '/syslat-test: expected backtrace begin/ { skip = 1 }
	     !skip { print }
	     /syslat-test: expected backtrace end/ { skip = 0 }' "$log.kmsg" >"$log.kmsg.checked"
	if grep -qE "$SL_FATAL|Oops|BUG:|WARNING:|Call Trace" "$log.kmsg.checked"; then
		result FAIL "$kv" "kernel console clean ($(basename "$log.kmsg")):"
		sl_fatal_excerpt "$log.kmsg.checked" 60
	fi
	if ! sl_clean "$log" | grep -q 'syslat-guest: done'; then
		what="guest reached 'syslat-guest: done'"
		case $rc in
		124|137) what="$what (timed out)" ;;
		125) what="$what (stopped ${SL_FATAL_GRACE:-30} s after a fatal kernel message)" ;;
		0) ;;
		*) what="$what (qemu status $rc)" ;;
		esac
		result FAIL "$kv" "$what; guest output, then kernel console:"
		sl_tail "$log" 15
		echo "    | ---- kernel console ($log.kmsg)"
		sl_tail "$log.kmsg" 40
	fi
}

BENCH="$LOGS/bench.txt"
: >"$BENCH"
T_START=$(date +%s)
mapfile -t KERNELS < <(if [ -n "$ONLY" ]; then echo "$ONLY"; else sl_kernels; fi)
[ ${#KERNELS[@]} -gt 0 ] || sl_die "no installed kernel with /lib/modules/VER/build"
sl_build_gtest >/dev/null || sl_die "gtest does not build"
ACCEL=$(sl_accel)
echo "guest tests: kernels ${KERNELS[*]}; accel $ACCEL${TCG_OPTS:+ ($TCG_OPTS)}; backends $BACKENDS; $CYCLES race cycles"
[ -x "$SL_ROOT/user/syslat-static" ] ||
	echo "note: user/syslat-static not built; the guests will not carry the harness"

for kv in "${KERNELS[@]}"; do
	short=${kv%-amd64}
	[ -f "/boot/vmlinuz-$kv" ] || { result FAIL "$short" "no /boot/vmlinuz-$kv"; continue; }
	t0=$(date +%s)
	if ! ko=$(sl_build_module "$kv"); then
		result FAIL "$short" "module builds for $kv"
		continue
	fi
	result PASS "$short" "module builds ($(($(date +%s) - t0)) s)"
	rd="$SL_BUILD/guest/initrd-$kv.cpio.gz"
	sl_build_initramfs "$rd" "$ko" "$SL_ROOT/tests/guest/init-tests.sh" ||
		{ result FAIL "$short" "initramfs builds"; continue; }

	log="$LOGS/$kv-$PLAN$TAG.log"
	for try in 1 2; do
		t0=$(date +%s)
		rc=0
		SL_TCG_OPTS=$TCG_OPTS sl_boot --smp 2 --timeout "$TMO" \
			--append "sltest.mode=$PLAN sltest.backends=$BACKENDS sltest.cycles=$CYCLES sltest.race_inject=$RACE_INJECT$APPEND" \
			"$kv" "$rd" "$log" || rc=$?
		echo "---- $kv: $PLAN plan boot took $(($(date +%s) - t0)) s (qemu status $rc)"
		# Under MTTCG the guest kernel's own boot-time text patching
		# (int3 + text_poke) can oops in QEMU 7.2 before /init runs,
		# the module not yet loaded (seen on 6.12 in CI, at sched_clock_cpu):
		# not this test's subject. Said, kept, and booted once more;
		# a crash after "syslat-guest: start" is always judged.
		[ -z "$TCG_OPTS" ] && [ $try = 1 ] && ! sl_clean "$log" | grep -q 'syslat-guest: start' &&
			grep -qE 'Oops|Kernel panic' "$log.kmsg" 2>/dev/null || break
		cp "$log.kmsg" "$log.boot-crash.kmsg"
		echo "NOTE  $short: the guest kernel crashed in its own boot, before /init ($(grep -m1 -E 'Oops|RIP:' "$log.kmsg" |
			sed 's/^\[[^]]*\] //'); kept as $(basename "$log").boot-crash.kmsg); booting once more"
	done
	parse_log "$short" "$log" "$rc"

	[ $ICOUNT = 1 ] || continue
	log="$LOGS/$kv-icount.log"
	t0=$(date +%s)
	rc=0
	sl_boot --icount --timeout 180 \
		--append "sltest.mode=icount sltest.backends=$BACKENDS" \
		"$kv" "$rd" "$log" || rc=$?
	echo "---- $kv: icount boot took $(($(date +%s) - t0)) s (qemu status $rc)"
	parse_log "$short" "$log" "$rc"
	sl_clean "$log" | grep -o 'bench: .*' | tee -a "$BENCH" | sed 's/^/      /'
done

# The icount table: nr 500 with each backend vs the ENOSYS round trip.
if [ -s "$BENCH" ]; then
	echo
	echo "icount benchmark (test 7): round trip of syscall 500, in guest instructions"
	echo "(instructions (icount, TCG): -icount shift=0, 1 CPU; minimum of 2000 calls;"
	echo " each figure includes the lfence;rdtsc..rdtscp;lfence window, 'empty')"
	awk '
	function val(k,   i) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
	/^bench: .*backend=none/ { base[val("kernel")] = val("nr500"); gb[val("kernel")] = val("getppid") }
	/^bench: .*nr500=/ { n++; k[n] = val("kernel"); b[n] = val("backend"); v[n] = val("nr500"); g[n] = val("getppid"); e[n] = val("empty") }
	/^bench: .*refused/ { n++; k[n] = val("kernel"); b[n] = val("backend"); v[n] = "refused" }
	END {
		fmt = "%-22s | %-10s | %18s | %28s | %6s | %6s | %18s | %5s\n"
		printf fmt, "kernel", "backend", "nr500 with module", "nr500 without module (ENOSYS)", "added", "ratio", "getppid with/without", "empty"
		for (i = 1; i <= n; i++) {
			if (b[i] == "none") continue
			kk = k[i]; bs = base[kk]
			if (v[i] == "refused" || bs == "") { printf fmt, kk, b[i], v[i], bs, "-", "-", "-", "-"; continue }
			printf fmt, kk, b[i], v[i], bs, sprintf("%+d", v[i] - bs), sprintf("x%.2f", v[i] / bs), g[i] "/" gb[kk], e[i]
		}
	}' "$BENCH"
fi

echo
echo "guest tests: $NPASS passed, $NFAIL failed, $NSKIP skipped in $(($(date +%s) - T_START)) s"
if [ $NFAIL -gt 0 ]; then
	printf 'FAILED: %s\n' "${FAILED[@]}"
	echo "console logs kept in $LOGS/"
	exit 1
fi
# only this run's logs: an earlier run's failure stays for inspection
[ $KEEP = 1 ] && echo "console logs in $LOGS/" || for kv in "${KERNELS[@]}"; do
	rm -f "$LOGS/$kv-$PLAN$TAG".log*
	[ $ICOUNT = 0 ] || rm -f "$LOGS/$kv-icount".log*
done
exit 0
