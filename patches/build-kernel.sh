#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the small patched guest kernel (syscall 500 = noop in-tree).
#
#   patches/build-kernel.sh [--if-needed] VER    VER = 6.1 or 6.12
#   make patched-kernel KVER=6.1|6.12  (the same, without --if-needed)
#
# Unpacks Debian's linux-source-VER tarball into build/patched-VER/,
# applies patches/VER/*.patch, configures with
#   make allnoconfig KCONFIG_ALLCONFIG=patches/guest.config + patches/VER/guest.config
# checks that every "=y" of those fragments survived, and builds bzImage.
# Output: build/patched-VER/arch/x86/boot/bzImage (path printed last).
#
# Incremental: the tree is unpacked again only when the patches change,
# reconfigured only when the fragments change; make does the rest.
# --if-needed: do nothing when bzImage exists and patches and fragments
# are unchanged since it was built (what check-patched.sh uses).
# Environment: JOBS (default 2), NICE (default 19).
set -euo pipefail

IF_NEEDED=0
if [ "${1:-}" = "--if-needed" ]; then
	IF_NEEDED=1
	shift
fi
VER=${1:-}
case "$VER" in
6.1 | 6.12) ;;
*)
	echo "usage: $0 [--if-needed] 6.1|6.12" >&2
	exit 2
	;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PDIR=$ROOT/patches
SRC=/usr/src/linux-source-$VER.tar.xz
OUT=$ROOT/build/patched-$VER
LOG=$ROOT/build/patched-$VER.log
JOBS=${JOBS:-2}
NICE=${NICE:-19}

log() { echo "build-kernel[$VER]: $*"; }

if [ ! -f "$SRC" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		log "$SRC missing: installing linux-source-$VER"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "linux-source-$VER" >&2
	fi
	if [ ! -f "$SRC" ]; then
		echo "build-kernel[$VER]: $SRC missing: apt-get install linux-source-$VER (as root)" >&2
		exit 1
	fi
fi

shopt -s nullglob
PATCHES=("$PDIR/$VER"/*.patch)
if [ ${#PATCHES[@]} -eq 0 ]; then
	echo "build-kernel[$VER]: no patches in $PDIR/$VER" >&2
	exit 1
fi

FRAGS=("$PDIR/guest.config" "$PDIR/$VER/guest.config")
mkdir -p "$ROOT/build"

# 1. source + patches (stamp = tarball identity + patch contents)
want_src=$( (stat -c '%n %s %Y' "$SRC"; cat "${PATCHES[@]}") | sha256sum | cut -d' ' -f1)
have_src=$(cat "$OUT/.syslat-src" 2>/dev/null || true)
want_cfg=$(cat "${FRAGS[@]}" | sha256sum | cut -d' ' -f1)
have_cfg=$(cat "$OUT/.syslat-cfg" 2>/dev/null || true)
IMG=$OUT/arch/x86/boot/bzImage
if [ "$IF_NEEDED" = 1 ] && [ "$want_src" = "$have_src" ] &&
	[ "$want_cfg" = "$have_cfg" ] && [ "$IMG" -nt "$OUT/.syslat-cfg" ]; then
	log "up to date: ${IMG#"$ROOT"/}"
	echo "$IMG"
	exit 0
fi
if [ "$want_src" != "$have_src" ]; then
	log "unpacking $SRC into $OUT"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	t0=$(date +%s)
	nice -n "$NICE" tar -xJf "$SRC" -C "$OUT" --strip-components=1
	log "unpacked in $(($(date +%s) - t0)) s"
	for p in "${PATCHES[@]}"; do
		log "applying $(basename "$p")"
		patch -d "$OUT" -p1 --forward --quiet <"$p"
	done
	echo "$want_src" >"$OUT/.syslat-src"
fi

# 2. config (stamp = fragment contents)
if [ "$want_cfg" != "$have_cfg" ] || [ ! -f "$OUT/.config" ]; then
	log "configuring (allnoconfig + ${FRAGS[*]#"$ROOT"/})"
	cat "${FRAGS[@]}" >"$OUT/syslat-guest.config"
	make -C "$OUT" -s KCONFIG_ALLCONFIG=syslat-guest.config allnoconfig >"$LOG" 2>&1 || {
		tail -20 "$LOG" >&2
		exit 1
	}
	missing=""
	while read -r sym; do
		grep -qx "$sym=y" "$OUT/.config" || missing="$missing $sym"
	done < <(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/\1/p' "${FRAGS[@]}")
	if [ -n "$missing" ]; then
		echo "build-kernel[$VER]: not enabled in .config (renamed or unmet dependency?):$missing" >&2
		exit 1
	fi
	for sym in CONFIG_FTRACE CONFIG_FTRACE_SYSCALLS CONFIG_KPROBES; do
		if grep -qx "$sym=y" "$OUT/.config"; then
			echo "build-kernel[$VER]: $sym must be off" >&2
			exit 1
		fi
	done
	echo "$want_cfg" >"$OUT/.syslat-cfg"
fi

# 3. build
log "make -j$JOBS bzImage (nice $NICE), log: ${LOG#"$ROOT"/}"
t0=$(date +%s)
if ! nice -n "$NICE" make -C "$OUT" -j"$JOBS" bzImage >>"$LOG" 2>&1; then
	tail -40 "$LOG" >&2
	echo "build-kernel[$VER]: build failed, see $LOG" >&2
	exit 1
fi
secs=$(($(date +%s) - t0))
log "built in ${secs} s ($((secs / 60)) min $((secs % 60)) s): $(stat -c %s "$IMG") bytes"
grep -q '__NR_noop 500' "$OUT/arch/x86/include/generated/uapi/asm/unistd_64.h" || {
	echo "build-kernel[$VER]: __NR_noop missing from the generated unistd_64.h" >&2
	exit 1
}
echo "$IMG"
