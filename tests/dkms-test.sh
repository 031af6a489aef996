#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Test 6 of issue 3: `dkms build` of syslat for every installed kernel.
# Registers a temporary copy of the module sources under a unique version
# (dkms add / build / remove --all) and removes everything it added.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/guest/lib.sh"

command -v dkms >/dev/null || { echo "SKIP  dkms-test: dkms not installed (make deps)"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP  dkms-test: dkms add needs root"; exit 0; }

VER="$(cat "$ROOT/VERSION")-test$$"
SRC=/usr/src/syslat-$VER
TMP=$(mktemp -d)
added=0
# dkms creates a module-signing key on its first build; keep the host as found.
mok_existed=0
[ -e /var/lib/dkms/mok.key ] && mok_existed=1
cleanup() {
	[ "$added" = 1 ] && dkms remove "syslat/$VER" --all >/dev/null 2>&1
	rm -rf "$SRC" "/var/lib/dkms/syslat/$VER" "$TMP"
	rmdir /var/lib/dkms/syslat 2>/dev/null
	[ $mok_existed = 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Only what dkms needs: no build outputs, no user space, no tests.
mkdir -p "$TMP/syslat-$VER"
rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='modules.order' --exclude='Module.symvers' \
	"$ROOT/dkms.conf" "$ROOT/Kbuild" "$ROOT/kmod" "$TMP/syslat-$VER/"
echo "$VER" >"$TMP/syslat-$VER/VERSION"

fail=0
if ! dkms add "$TMP/syslat-$VER" >"$TMP/add.log" 2>&1; then
	echo "FAIL  dkms add syslat/$VER"
	sed 's/^/    | /' "$TMP/add.log"
	exit 1
fi
added=1
echo "PASS  dkms add syslat/$VER"
for kv in $(sl_kernels); do
	t0=$(date +%s)
	if dkms build "syslat/$VER" -k "$kv" >"$TMP/build.log" 2>&1 &&
	   ls /var/lib/dkms/syslat/"$VER"/"$kv"/*/module/syslat.ko* >/dev/null 2>&1; then
		echo "PASS  dkms build syslat/$VER for $kv ($(($(date +%s) - t0)) s)"
	else
		echo "FAIL  dkms build syslat/$VER for $kv"
		sed 's/^/    | /' "$TMP/build.log" | tail -n 30
		log=$(ls /var/lib/dkms/syslat/"$VER"/build/make.log 2>/dev/null)
		[ -n "$log" ] && tail -n 30 "$log" | sed 's/^/    | /'
		fail=1
	fi
done
if dkms remove "syslat/$VER" --all >"$TMP/rm.log" 2>&1; then
	added=0
	echo "PASS  dkms remove syslat/$VER --all"
else
	echo "FAIL  dkms remove syslat/$VER --all"
	sed 's/^/    | /' "$TMP/rm.log"
	fail=1
fi
exit $fail
