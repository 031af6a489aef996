#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Generate the man pages from the harness itself, so they cannot drift:
#   man/gen-man.sh SYSLAT OUTDIR
# syslat(1) lists the subcommands of `syslat --help`; every subcommand gets
# syslat-CMD(1) whose NAME, SYNOPSIS, OPTIONS and the first paragraph of
# DESCRIPTION come from `syslat CMD --help`. Hand-written sections
# (DESCRIPTION, EXAMPLES, SEE ALSO, ...) come from man/syslat-CMD.prose, roff
# with .SH headers. A subcommand without a prose file still gets a page
# (generated parts only, SEE ALSO syslat(1)) and a warning here;
# tests/doc-test.sh fails on it. syslat.4 (the module) is hand-written and
# copied as is; tests/doc-test.sh checks it against kmod/.
set -eu

BIN=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$("$BIN" --version | sed -n 's/^syslat //p')
[ -n "$VERSION" ] || { echo "gen-man: '$BIN --version' printed no version" >&2; exit 1; }
# The date of the last change, not of the build: reproducible pages.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
elif DATE=$(git -C "$HERE" log -1 --format=%cs 2>/dev/null) && [ -n "$DATE" ]; then
	:
else
	DATE=$(date -u -r "$HERE/gen-man.sh" +%Y-%m-%d)
fi
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Subcommands: the indented "  name  summary" lines of `syslat --help`.
"$BIN" --help >"$TMP/top"
awk '/^  [a-z][a-z0-9-]* +[^ ]/ { n = $1; sub(/^  [^ ]+ +/, ""); print n "\t" $0 }' \
	"$TMP/top" >"$TMP/cmds"
[ -s "$TMP/cmds" ] || { echo "gen-man: no subcommands in '$BIN --help'" >&2; exit 1; }

# gen PAGE SUMMARY HELPFILE PROSEFILE: one page on stdout.
gen() {
	awk -v page="$1" -v summary="$2" -v version="$VERSION" -v date="$DATE" \
	    -v prose="$4" -f "$HERE/gen-man.awk" "$3"
}

while IFS="$(printf '\t')" read -r cmd summary; do
	"$BIN" "$cmd" --help >"$TMP/help" 2>&1 || {
		echo "gen-man: '$BIN $cmd --help' failed" >&2; exit 1; }
	prose="$HERE/syslat-$cmd.prose"
	if [ ! -f "$prose" ]; then
		echo "gen-man: WARNING no $prose: syslat-$cmd.1 has the generated sections only" >&2
		prose=/dev/null
	fi
	gen "syslat-$cmd" "$summary" "$TMP/help" "$prose" >"$OUT/syslat-$cmd.1"
done <"$TMP/cmds"

# syslat(1): the top-level help, with a COMMANDS list made from it.
awk -F '\t' 'BEGIN { print "  -h, --help   the list of commands"; print "      --version  the version" }
	{ print "  @CMD " $1 "\t" $2 }' "$TMP/cmds" >"$TMP/top-opts"
{ echo "usage: syslat COMMAND [OPTIONS]"; echo; cat "$TMP/top-opts"; } >"$TMP/tophelp"
gen syslat "measure what operating-system primitives cost, cycle by cycle" \
	"$TMP/tophelp" "$HERE/syslat.prose" >"$OUT/syslat.1"

# syslat(4): PARAMETERS from the module's MODULE_PARM_DESC strings, FILES from
# the debugfs list in the ABI header's comment; the rest is syslat.4.in.
KMOD="$HERE/../kmod"
roff_esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^[.']/\\\\&&/"; }
sed -n 's/.*MODULE_PARM_DESC(\([a-z_0-9]*\), *"\(.*\)");.*/\1	\2/p' "$KMOD"/*.c |
	while IFS="$(printf '\t')" read -r name desc; do
		printf '.TP\n.B %s\n' "$(printf '%s' "$name" | roff_esc)"
		printf '%s\n' "$desc" | roff_esc
	done >"$TMP/params"
awk '/debugfs \(root only\)/ { on = 1; next }
	on && /^ \*   [a-z_]+ +[^ ]/ { sub(/^ \*   /, ""); n = $1; sub(/^[a-z_]+ +/, "")
		print ".TP"; print ".I " n; print; next }
	on && /^ \*     +[^ ]/ { sub(/^ \* +/, ""); print; next }
	on && /^ \* [A-Z]/ { exit }' "$KMOD/syslat_abi.h" |
	sed -e '/^\.[TI]/!s/\\/\\e/g' -e '/^\.[TI]/!s/-/\\-/g' >"$TMP/files"
[ -s "$TMP/params" ] || { echo "gen-man: no MODULE_PARM_DESC in $KMOD" >&2; exit 1; }
[ -s "$TMP/files" ] || { echo "gen-man: no debugfs list in $KMOD/syslat_abi.h" >&2; exit 1; }
awk -v version="$VERSION" -v date="$DATE" -v params="$TMP/params" -v files="$TMP/files" '
	function cat(f,    l) { while ((getline l < f) > 0) print l; close(f) }
	/^@PARAMETERS@$/ { cat(params); next }
	/^@FILES@$/ { cat(files); next }
	{ gsub(/@VERSION@/, version); gsub(/@DATE@/, date); print }' "$HERE/syslat.4.in" >"$OUT/syslat.4"
