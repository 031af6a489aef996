# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Sourced by the guests' /init scripts (busybox sh) as /lib/guest-setup.sh:
# mounts, and output to the second serial port (the host's LOG) while the
# kernel console stays on ttyS0 (LOG.kmsg), so kernel messages never split
# a result line.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t devtmpfs dev /dev 2>/dev/null
if [ -c /dev/ttyS1 ] && (: >/dev/ttyS1) 2>/dev/null; then
	exec </dev/null >/dev/ttyS1 2>&1
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
else
	exec </dev/console >/dev/console 2>&1
fi
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
