#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make patch-check (part of make check): cheap check that each patch in
# patches/VER/ applies to Debian's linux-source-VER package, and that it
# passes the tree's scripts/checkpatch.pl.
#
# Only the files the patches touch (plus checkpatch and its data files) are
# extracted from /usr/src/linux-source-VER.tar.xz into a temporary
# directory; then "git apply --check" and "patch -p1 --dry-run" on it.
# A missing source package is installed with apt-get when running as root,
# otherwise the check fails and says what to install.
# No kernel build: that is make check-patched.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PDIR=$ROOT/patches
TMP=$(mktemp -d /tmp/syslat-patch-check.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

say() { echo "patch-check: $*"; }

# The files a patch reads (old side), without a/ and /dev/null.
touched() {
	sed -n 's|^--- a/\(.*\)$|\1|p' "$@" | sort -u
}

check_ver() {
	local v=$1 src=/usr/src/linux-source-$1.tar.xz
	local dir=$TMP/$v
	local patches=("$PDIR/$v"/*.patch)

	if [ ! -e "${patches[0]}" ]; then
		say "$v: no patches in patches/$v"
		return 1
	fi
	if [ ! -f "$src" ]; then
		if [ "$(id -u)" -eq 0 ]; then
			say "$v: $src missing, installing linux-source-$v"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends "linux-source-$v" >"$TMP/apt-$v.log" 2>&1 ||
				tail -5 "$TMP/apt-$v.log"
		fi
		if [ ! -f "$src" ]; then
			say "$v: FAIL: $src missing: apt-get install linux-source-$v (as root)"
			return 1
		fi
	fi

	mkdir -p "$dir"
	local members=() f
	while read -r f; do
		members+=("linux-source-$v/$f")
	done < <(touched "${patches[@]}")
	members+=("linux-source-$v/scripts/checkpatch.pl"
		"linux-source-$v/scripts/spelling.txt"
		"linux-source-$v/scripts/const_structs.checkpatch"
		"linux-source-$v/Makefile")
	if ! tar -xJf "$src" -C "$dir" --strip-components=1 --occurrence=1 \
		"${members[@]}" 2>"$TMP/tar-$v.err"; then
		say "$v: FAIL: extracting from $src:"
		cat "$TMP/tar-$v.err"
		return 1
	fi
	local rel
	rel=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' "$dir/Makefile" | paste -sd.)

	local ok=1 p
	for p in "${patches[@]}"; do
		local name=${p#"$ROOT"/}
		if ! (cd "$dir" && git apply --check "$p") >"$TMP/out" 2>&1; then
			say "$v: FAIL: git apply --check $name"
			cat "$TMP/out"
			ok=0
		fi
		if ! patch -d "$dir" -p1 --dry-run --force <"$p" >"$TMP/out" 2>&1 ||
			grep -qiE 'fuzz|offset|hunk.*(failed|ignored)' "$TMP/out"; then
			say "$v: FAIL: patch -p1 --dry-run $name (must apply without fuzz or offset)"
			cat "$TMP/out"
			ok=0
		fi
		if ! perl "$dir/scripts/checkpatch.pl" --no-tree --strict --quiet "$p" >"$TMP/out" 2>&1; then
			say "$v: FAIL: checkpatch $name"
			cat "$TMP/out"
			ok=0
		fi
		# apply for real, so that the next patch of the series sees it
		patch -d "$dir" -p1 --quiet --force <"$p" >/dev/null 2>&1 || true
	done
	if [ $ok = 1 ]; then
		say "$v: ${#patches[@]} patch(es) apply cleanly to linux-source-$v ($rel), checkpatch clean: ok"
		return 0
	fi
	return 1
}

shopt -s nullglob
vers=()
for d in "$PDIR"/*/; do
	d=${d%/}
	case ${d##*/} in [0-9]*) ;; *) continue ;; esac	# kernel versions (not sel4bench/)
	ls "$d"/*.patch >/dev/null 2>&1 && vers+=("${d##*/}")
done
[ ${#vers[@]} -gt 0 ] || {
	say "no patches/VER/*.patch found"
	exit 1
}

fail=0
pids=()
for v in "${vers[@]}"; do
	check_ver "$v" >"$TMP/res-$v" 2>&1 &
	pids+=($!)
done
for i in "${!vers[@]}"; do
	wait "${pids[$i]}" || fail=1
	cat "$TMP/res-${vers[$i]}"
done
if [ $fail = 0 ]; then
	say "PASS"
else
	say "FAIL"
fi
exit $fail
