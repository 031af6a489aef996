#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the profile guest (busybox sh), driven by tests/guest/profile.sh:
# loads the module when asked, dumps /proc/kallsyms (kernel + module
# symbols; nokaslr keeps them at the addresses the tracer sees) and runs
# one benchmark whose windows the host follows through the gdbstub.
# Config in /etc/syslat-test.conf: BENCH, HOOK ("" for none), ROUNDS, ITERS.
. /lib/guest-setup.sh
dmesg -n 1
. /etc/syslat-test.conf

if [ -n "$HOOK" ]; then
	if ! insmod /lib/syslat.ko hook="$HOOK" 2>/tmp/insmod.err; then
		echo "PROF-ERROR insmod hook=$HOOK: $(cat /tmp/insmod.err) $(dmesg | grep syslat | tail -n 1)"
		poweroff -f
	fi
fi
# Code symbols only (all the symbolizer uses): half the serial traffic.
echo "PROF-KALLSYMS-BEGIN"
grep ' [tTwW] ' /proc/kallsyms | gzip -c | base64
echo "PROF-KALLSYMS-END"
syslat bench "$BENCH" --cpu 0 --rounds "$ROUNDS" --iters "$ITERS" --warmup 1 \
	--format json --quiet >/tmp/r.json 2>/tmp/r.err
echo "PROF-BENCH-EXIT $?"
sed 's/^/PROF-BENCH-STDERR /' /tmp/r.err
echo "SYSLAT-JSON-BEGIN profile"
cat /tmp/r.json
echo "SYSLAT-JSON-END"
poweroff -f
