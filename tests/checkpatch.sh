#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict --no-tree -f on kmod/*.c kmod/*.h (STYLE.md).
# Uses checkpatch.pl from $CHECKPATCH, $PATH, or extracted once from
# /usr/src/linux-source-*.tar.xz into build/checkpatch/; skips (status 0)
# with a message when none is available.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR="$ROOT/build/checkpatch"

find_checkpatch() {
	local t top
	if [ -n "${CHECKPATCH:-}" ]; then echo "$CHECKPATCH"; return 0; fi
	command -v checkpatch.pl && return 0
	[ -x "$DIR/scripts/checkpatch.pl" ] && { echo "$DIR/scripts/checkpatch.pl"; return 0; }
	t=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$t" ] || return 1
	top=$(basename "$t" .tar.xz)
	echo "checkpatch: extracting it from $t (once)" >&2
	mkdir -p "$DIR"
	tar -xJf "$t" -C "$DIR" --strip-components=1 --wildcards \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" >&2 || return 1
	echo "$DIR/scripts/checkpatch.pl"
}

if ! CP=$(find_checkpatch); then
	echo "SKIP  checkpatch: no checkpatch.pl (install linux-source-6.12 or set CHECKPATCH=)"
	exit 0
fi
# Sources only: kbuild's generated *.mod.c may lie in kmod/ after an in-tree build.
files=$(ls "$ROOT"/kmod/*.c "$ROOT"/kmod/*.h 2>/dev/null | grep -v '\.mod\.c$')
[ -n "$files" ] || { echo "SKIP  checkpatch: no kmod/*.c or kmod/*.h"; exit 0; }
fail=0
for f in $files; do
	rel=${f#"$ROOT"/}
	if out=$(perl "$CP" --strict --no-tree --no-summary --quiet --terse \
			--show-types -f "$f" 2>&1) && [ -z "$out" ]; then
		echo "PASS  checkpatch $rel"
	else
		echo "FAIL  checkpatch $rel"
		printf '%s\n' "$out" | sed "s|$ROOT/||; s/^/    | /"
		fail=1
	fi
done
exit $fail
