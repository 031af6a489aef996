#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what the tests and vm-bench need (Debian 12, as root).
# Idempotent: a fast no-op when every package is already installed.
# musl-tools: syslat-mini's libc; m4 flex bison (kconfig), git (checks the
# snapshots' commits), xz-utils, patch: the Unikraft build of vm-bench.
set -eu

PKGS="qemu-system-x86 busybox-static cpio rsync
linux-image-amd64 linux-headers-amd64
linux-image-6.12-amd64 linux-headers-6.12-amd64
dkms libnuma-dev check gcc make pkg-config jq gnuplot-nox linux-perf
linux-source-6.1 linux-source-6.12 iproute2
liburing-dev stress-ng rt-tests
debhelper dh-dkms dpkg-dev lintian man-db
musl-tools m4 flex bison git xz-utils patch"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all present"
	exit 0
fi

echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is wanted
apt-get install -y -q --no-install-recommends $missing
