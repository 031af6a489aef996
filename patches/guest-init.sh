#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# /init of the check-patched initramfs (busybox-static + /noop-check).
# Kernel command line: "syslat.icount=1" adds the icount measurement;
# "syslat.stock=1" (unpatched Debian kernel): 500 must be -ENOSYS, then
# the ENOSYS round trip is measured.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug || echo "NOOPCHECK warn: no debugfs"
echo "NOOPCHECK boot $(uname -r) nproc=$(nproc) cmdline: $(cat /proc/cmdline)"
case " $(cat /proc/cmdline) " in
*" syslat.stock=1 "*) /noop-check stock 2000 ;;
*" syslat.icount=1 "*) /noop-check func && /noop-check icount 2000 ;;
*) /noop-check func ;;
esac
echo "NOOPCHECK done"
reboot -f
