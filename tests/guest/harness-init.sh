#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the harness guests (busybox sh): syslat itself against the
# module - the phase merge (issue 5) and the suite. The host
# (harness-tests.sh) checks what this prints: "ht: ..." lines and JSON
# blocks between SYSLAT-JSON-BEGIN/END markers.
# Kernel command line: ht.mode=smp|icount|anysys ht.backends=tracepoint,patch
# (icount: syslat selftest only; run-tests.sh's icount boot runs it too;
# anysys, under icount: the any-syscall stamps, trace_tgid/trace_ring, once)
. /lib/guest-setup.sh
dmesg -n 1

MODE=icount BACKENDS="tracepoint patch"
for arg in $(cat /proc/cmdline); do
	case $arg in
	ht.mode=*) MODE=${arg#*=} ;;
	ht.backends=*) BACKENDS=$(echo "${arg#*=}" | tr , ' ') ;;
	esac
done

block() { # block LABEL FILE
	echo "SYSLAT-JSON-BEGIN $1"
	cat "$2"
	echo "SYSLAT-JSON-END"
}

D=/sys/kernel/debug/syslat
# The any-syscall stamps (kmod/anysys.c) with the default backend: the
# load-time parameter, the tgid filter, bad writes, the phases.
anysys() {
	insmod /lib/syslat.ko trace_tgid=99999999 2>/dev/null
	echo "ht: anysys: insmod trace_tgid=99999999 $?"
	insmod /lib/syslat.ko trace_ring_size=100 2>/dev/null
	echo "ht: anysys: insmod trace_ring_size=100 $?"
	# pid 1 is this shell: its own system calls are stamped, its children's not
	if ! insmod /lib/syslat.ko trace_tgid=1; then
		echo "ht: anysys: no-load: $(dmesg | grep syslat | tail -n 1)"
		return
	fi
	echo "ht: anysys: loaded trace_tgid=$(cat $D/trace_tgid)"
	sh -c 'echo $$ >/tmp/child; ls / >/dev/null'
	echo x >/dev/null
	cat $D/trace_ring >/tmp/ring.txt
	echo 0 >$D/trace_tgid
	echo "ht: anysys: filter $(awk -v c="$(cat /tmp/child)" '
		/^# tgid:/ { t = $3 } /^#/ { next }
		{ n++; if ($3 != 1) o++; if ($3 == c) k++ }
		END { printf "rows %d other %d child %d header %s", n, o, k, t }' /tmp/ring.txt)"
	echo "ht: anysys: version $(head -n 1 /tmp/ring.txt)"
	gtest badwrite >/tmp/bw.txt 2>&1
	grep trace_tgid /tmp/bw.txt | sed 's/^/ht: anysys: /'
	mkdir -p /tmp/asr
	syslat bench getppid read-zero write-null pipe-rw --phases --trust-tsc --runs 1 \
		--rounds 2 --iters 2000 --quiet -o /tmp/asr >/tmp/as.txt 2>/tmp/as.err
	echo "ht: anysys: bench-exit $?"
	sed "s/^/ht: anysys: table: /" /tmp/as.txt
	sed "s/^/ht: anysys: stderr: /" /tmp/as.err
	block "anysys" /tmp/asr/syslat-*.json
	echo "ht: anysys: after-bench trace_tgid=$(cat $D/trace_tgid)"
	# rmmod while armed: the probes must go with the module
	echo 1 >$D/trace_tgid
	rmmod syslat
	echo "ht: anysys: rmmod-armed $?"
	echo x >/dev/null
	insmod /lib/syslat.ko && rmmod syslat
	echo "ht: anysys: reload $?"
}
if [ "$MODE" = anysys ]; then
	anysys
	BACKENDS=
fi

for b in $BACKENDS; do
	if ! insmod /lib/syslat.ko hook="$b" 2>/tmp/insmod.err; then
		echo "ht: $b: no-load: $(dmesg | grep syslat | tail -n 1)"
		continue
	fi
	echo "ht: $b: loaded"
	if [ "$MODE" = icount ]; then
		# Deterministic: every TSC delta is an instruction count.
		syslat selftest --calls 4000 --inject 20000 >/tmp/st.txt 2>&1
		echo "ht: $b: selftest-exit $?"
		sed "s/^/ht: $b: /" /tmp/st.txt
	else
		# A hammer on cpu 1 calls 500 all along: its records sit in the
		# same ring snapshot and must never pollute the merge on cpu 0.
		rm -f /tmp/stop
		gtest hammer 1 /tmp/stop >/tmp/hammer.txt 2>&1 &
		syslat bench noop --runs 1 --phases --trust-tsc --cpu 0 --rounds 3 --iters 3000 --quiet \
			--folded /tmp/folded.txt --format json >/tmp/ph.json 2>/tmp/ph.err
		echo "ht: $b: phases-exit $?"
		# The any-syscall stamps without icount, the hammer still calling:
		# the kernel's tgid filter keeps its calls out of trace_ring.
		syslat bench getppid --runs 1 --phases --trust-tsc --cpu 0 --rounds 2 --iters 2000 \
			--quiet --format json >/tmp/as.json 2>/tmp/as.err
		echo "ht: $b: anysys-exit $?"
		sed "s/^/ht: $b: anysys-stderr: /" /tmp/as.err
		block "anysys backend=$b" /tmp/as.json
		touch /tmp/stop
		wait
		sed "s/^/ht: $b: phases-stderr: /" /tmp/ph.err
		sed "s/^/ht: $b: folded: /" /tmp/folded.txt
		block "phases backend=$b" /tmp/ph.json
		syslat hist >/tmp/hist.txt 2>&1
		echo "ht: $b: hist-exit $?"
		sed "s/^/ht: $b: hist: /" /tmp/hist.txt
		syslat run --runs 1 --quiet --rounds 3 --format json >/tmp/run.json 2>/tmp/run.err
		echo "ht: $b: run-exit $?"
		block "run backend=$b" /tmp/run.json
	fi
	rmmod syslat
	echo "ht: $b: rmmod $?"
done
echo "ht: done"
poweroff -f
