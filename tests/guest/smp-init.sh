#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the 4-vCPU guest (tests/guest/smp-test.sh; busybox sh): the
# c2c matrix over the four CPUs, ipc-sweep with --pairs 2 (same, cross
# with process peers, llc), the shared --placement llc/package of
# syslat bench, and the values this topology cannot offer. Each JSON
# output between "SYSLAT-JSON-BEGIN NAME" and "SYSLAT-JSON-END", each
# exit status as "sm: rc NAME N"; the host checks them.
. /lib/guest-setup.sh
dmesg -n 1
# TCP over 127.0.0.1 and ::1 needs the loopback interface up.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
for c in 0 1 2 3; do
	d=/sys/devices/system/cpu/cpu$c
	echo "sm: cpu$c package $(cat $d/topology/physical_package_id)" \
		"llc-cpus $(cat $d/cache/index3/shared_cpu_list 2>/dev/null)"
done
# json NAME CMD...: the output as a block, and the exit status.
json() {
	name=$1; shift
	"$@" >/tmp/out.json 2>/tmp/err.txt
	rc=$?
	echo "SYSLAT-JSON-BEGIN $name"
	cat /tmp/out.json
	echo "SYSLAT-JSON-END"
	echo "sm: rc $name $rc"
	[ "$rc" = 0 ] || sed "s/^/sm: stderr $name: /" /tmp/err.txt | head -n 5
}
# status NAME CMD...: only the exit status (values the machine refuses).
status() {
	name=$1; shift
	"$@" >/tmp/out.txt 2>/tmp/err.txt
	echo "sm: rc $name $? out $(wc -c </tmp/out.txt) err $(head -n 1 /tmp/err.txt)"
}
SW="--rounds 3 --round-ms 5 --format json"
json c2c syslat c2c --iters 200 --rounds 3 --format json
json pairs syslat ipc-sweep --pairs 2 --mech pipe,shm-futex,tcp4 --size 1,4k,64k $SW
json cross-proc syslat ipc-sweep --pairs 2 --placement cross --process --mech pipe,unix \
	--size 4k,64k $SW
json llc syslat ipc-sweep --pairs 2 --placement llc --mech pipe --size 1 --traffic pingpong $SW
json bench-llc syslat bench pipe --placement llc --iters 2000 --rounds 2 --runs 1 --quiet --format json
status pairs5 syslat ipc-sweep --pairs 5 --mech pipe --size 1
status cross3 syslat ipc-sweep --pairs 3 --placement cross --mech pipe --size 1
status sweep-package syslat ipc-sweep --placement package --mech pipe --size 1
status bench-package syslat bench pipe --placement package --iters 100 --runs 1
echo "sm: done"
poweroff -f
