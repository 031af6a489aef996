#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make deb`: build the syslat and syslat-dkms packages from a copy of the
# tree (tracked and untracked-but-not-ignored files, so build outputs never
# leak in and the tree stays clean), into OUT (default build/deb):
#   debian/make-deb.sh [OUT]
# The package version is the VERSION file; when debian/changelog's top entry
# says otherwise, the copy gets an automatic entry for VERSION.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-build/deb}
case $OUT in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
VERSION=$(cat "$ROOT/VERSION")
case $VERSION in
[0-9]*) ;;
*) echo "make-deb: VERSION '$VERSION' is not a Debian version" >&2; exit 1 ;;
esac

missing=
for p in debhelper dh-dkms dpkg-dev libnuma-dev; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "make-deb: missing build dependencies:$missing (tests/deps.sh installs them)" >&2
	exit 1
fi

SRC="$OUT/src/syslat-$VERSION"
rm -rf "$OUT"
mkdir -p "$SRC"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Files deleted in the work tree are still in the index: skip them.
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -xf - -C "$SRC"
else
	(cd "$ROOT" && tar --exclude=./build --exclude=./results --exclude='*.o' \
		--exclude='*.ko' --exclude=./user/.obj --exclude=./user/syslat \
		--exclude=./user/syslat-static --exclude='*.a' -cf - .) | tar -xf - -C "$SRC"
fi

cl=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -SVersion)
if [ "$cl" != "$VERSION" ]; then
	echo "make-deb: debian/changelog says $cl, VERSION says $VERSION: automatic entry"
	{
		printf 'syslat (%s) unstable; urgency=medium\n\n' "$VERSION"
		printf '  * Version %s (automatic entry from the VERSION file).\n\n' "$VERSION"
		printf ' -- syslat developers <syslat@example.org>  %s\n\n' "$(date -R)"
		cat "$SRC/debian/changelog"
	} >"$SRC/debian/changelog.new"
	mv "$SRC/debian/changelog.new" "$SRC/debian/changelog"
fi

echo "make-deb: dpkg-buildpackage in $SRC (log: $OUT/build.log)"
if ! (cd "$SRC" && dpkg-buildpackage -b -us -uc) >"$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	echo "make-deb: dpkg-buildpackage failed (full log: $OUT/build.log)" >&2
	exit 1
fi
mv "$OUT"/src/*.deb "$OUT"/src/*.buildinfo "$OUT"/src/*.changes "$OUT"/
rm -rf "$OUT/src"
ls -l "$OUT"/*.deb
