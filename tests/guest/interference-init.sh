#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the interference guest (busybox sh, one CPU, icount): the same
# noop loop twice - first while a background task does syscalls and pipe
# work on the same CPU, then alone after a settle. The host
# (interference-test.sh) checks that the first run's rounds are reported
# as disturbed and the quiet run's are not.
. /lib/guest-setup.sh
dmesg -n 1

block() { # block LABEL FILE
	echo "SYSLAT-JSON-BEGIN $1"
	cat "$2"
	echo "SYSLAT-JSON-END"
}
ARGS="--cpu 0 --rounds 3 --warmup 1 --iters 100000 --quiet --format json"

# Background kernel work on the measuring CPU: a syscall loop feeding a
# pipe; it stops itself when /tmp/stop appears (no stray pipeline member).
(while [ ! -e /tmp/stop ]; do cat /proc/self/stat; done | while read -r _; do :; done) &
sleep 1
syslat bench noop --runs 1 $ARGS >/tmp/busy.json 2>/tmp/busy.err
echo "it: busy-exit $?"
: >/tmp/stop
wait
echo "it: background stopped: $(ps | grep -c '[c]at /proc/self/stat') left"
block busy /tmp/busy.json

sleep 3
# two runs: also exercises the re-executed runs in a static binary
syslat bench noop --runs 2 $ARGS >/tmp/quiet.json 2>/tmp/quiet.err
echo "it: quiet-exit $?"
block quiet /tmp/quiet.json
sed 's/^/it: stderr: /' /tmp/busy.err /tmp/quiet.err
echo "it: done"
poweroff -f
