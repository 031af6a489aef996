#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the harness guests (busybox sh): syslat itself against the
# module - the phase merge (issue 5) and the suite. The host
# (harness-tests.sh) checks what this prints: "ht: ..." lines and JSON
# blocks between SYSLAT-JSON-BEGIN/END markers.
# Kernel command line: ht.mode=smp|icount ht.backends=tracepoint,patch
# (icount: syslat selftest only; run-tests.sh's icount boot runs it too)
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
