#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the vm-bench guests (busybox sh): load the module, run the
# benchmark suite as the reference experiment ran its benchmark, print the
# result file between console markers, power off (no "Attempted to kill
# init" panic: poweroff -f before init could exit).
# Settings come from the kernel command line: vmb.boot=N vmb.config=NAME
# vmb.rounds=N vmb.iters=N vmb.bench=a,b,c vmb.suite=NAME vmb.hook=auto|tracepoint|patch
# vmb.mini=1: then syslat-mini, the program the other systems of vm-bench
# run too, prints its own block (label prog=syslat-mini).
. /lib/guest-setup.sh
# Keep kernel messages off the console while results are printed.
dmesg -n 1

BOOT=0 CONFIG=default ROUNDS=10 ITERS=100000 BENCH= HOOK=auto SUITE= MINI=0
for arg in $(cat /proc/cmdline); do
	case $arg in
	vmb.boot=*) BOOT=${arg#*=} ;;
	vmb.config=*) CONFIG=${arg#*=} ;;
	vmb.rounds=*) ROUNDS=${arg#*=} ;;
	vmb.iters=*) ITERS=${arg#*=} ;;
	vmb.bench=*) BENCH=$(echo "${arg#*=}" | tr , ' ') ;;
	vmb.hook=*) HOOK=${arg#*=} ;;
	vmb.suite=*) SUITE=${arg#*=} ;;
	vmb.mini=*) MINI=${arg#*=} ;;
	esac
done
KVER=$(uname -r)
if insmod /lib/syslat.ko hook="$HOOK"; then
	echo "vm-bench: module loaded: $(grep -E '^(backend|site)' /sys/kernel/debug/syslat/info | tr '\t\n' '= ')"
else
	echo "vm-bench: ERROR: insmod failed: $(dmesg | tail -n 3)"
fi
# Let the boot's deferred work (kworkers, RNG, async probes) settle first:
# under icount whatever else runs inside a window counts as instructions.
sleep 2
if [ -n "$SUITE" ]; then
	set -- run --suite "$SUITE"
elif [ -n "$BENCH" ]; then
	set -- bench $BENCH
else
	set -- run
fi
# Batch mode: one timestamp pair around ITERS calls per round, as the
# reference harness; per-round means are what the host pools.
syslat "$@" --runs 1 --mode batch --rounds "$ROUNDS" --iters "$ITERS" --warmup 1 \
	--quiet --format json --output /tmp/res >/tmp/stdout.json 2>/tmp/stderr.txt
rc=$?
sed 's/^/vm-bench: syslat: /' /tmp/stderr.txt
echo "SYSLAT-JSON-BEGIN kernel=$KVER config=$CONFIG boot=$BOOT"
cat /tmp/stdout.json
echo "SYSLAT-JSON-END"
echo "vm-bench: syslat exit status $rc"
# syslat-mini reads no debugfs (the other systems have none), so the module
# is set up for it here: armed, and with timing=0, so that nr 500 only
# returns 0xC0FFEE, as the elfloader's noop does (timing=1 would add the
# module's own in-kernel stamps and records). Both are restored afterwards.
if [ "$MINI" = 1 ]; then
	D=/sys/kernel/debug/syslat
	armed=$(cat $D/armed 2>/dev/null) timing=$(cat $D/timing 2>/dev/null)
	[ "$armed" = 0 ] && echo 1 >$D/armed
	[ "$timing" = 1 ] && echo 0 >$D/timing
	echo "vm-bench: syslat-mini: module armed=$(cat $D/armed 2>/dev/null) timing=$(cat $D/timing 2>/dev/null)"
	ic=
	grep -qw 'syslat.icount=1' /proc/cmdline && ic=--icount
	syslat-mini --rounds "$ROUNDS" --iters "$ITERS" --warmup 1 $ic \
		--label "kernel=$KVER,config=$CONFIG,boot=$BOOT" 2>/tmp/mini-err.txt
	echo "vm-bench: syslat-mini exit status $?"
	sed 's/^/vm-bench: syslat-mini: /' /tmp/mini-err.txt
	[ "$timing" = 1 ] && echo 1 >$D/timing
	[ "$armed" = 0 ] && echo 0 >$D/armed
fi
echo "vm-bench: done"
poweroff -f
