#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make doc-check: the man pages, make install/uninstall, the completion and the
# README, all against the real tree and the built harness (user/syslat):
#  - every subcommand of `syslat --help` has a page and a prose file, and the
#    page's OPTIONS name exactly the options of `syslat CMD --help`;
#  - every page renders with man -l without groff warnings;
#  - syslat.4 documents every module_param and debugfs file of kmod/;
#  - make install / uninstall with PREFIX and DESTDIR into a staging dir;
#  - bash completion offers the subcommands, benchmarks and options;
#  - README.md < 15 KB, links every docs/*.md, and every relative link in
#    README.md and docs/*.md points at a file that exists.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${SYSLAT:-$ROOT/user/syslat}   # SYSLAT=...: check another build
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
fail=0
pass() { echo "PASS  $*"; }
failm() { echo "FAIL  $*"; fail=1; }

[ -x "$BIN" ] || { echo "FAIL  doc-test: no $BIN (make user)"; exit 1; }
cmds=$("$BIN" --help | awk '/^  [a-z][a-z0-9-]* +[^ ]/ { print $1 }')
[ -n "$cmds" ] || { echo "FAIL  doc-test: no subcommands in syslat --help"; exit 1; }

# --- man pages ---------------------------------------------------------------
if "$ROOT/man/gen-man.sh" "$BIN" "$TMP/man" 2>"$TMP/gen.err"; then
	pass "man/gen-man.sh: $(ls "$TMP/man" | wc -l) pages"
else
	failm "man/gen-man.sh"; sed 's/^/    | /' "$TMP/gen.err"
fi

# Option names of `syslat CMD --help`: every -x/--x of the usage lines and
# the option column of the indented option lines.
help_opts() {
	"$BIN" "$1" --help 2>&1 | awk '
		NR == 1 && /^usage:/ { u = 1 }
		u && (NR == 1 || /^ +syslat /) { gsub(/[][|]/, " "); n = split($0, w, / +/)
			for (i = 1; i <= n; i++) if (w[i] ~ /^--?[a-zA-Z][a-zA-Z0-9-]*$/) print w[i]
			next }
		{ u = 0 }
		/^ +(-[a-zA-Z0-9]([ ,=]|$)|--[a-zA-Z0-9])/ { sub(/^ +/, ""); sub(/  .*/, ""); n = split($0, w, /[ ,=:]+/)
			for (i = 1; i <= n; i++) if (w[i] ~ /^--?[a-zA-Z][a-zA-Z0-9-]*$/) print w[i] }' | sort -u
}
# Option names in the OPTIONS section of a page's roff: the .TP tags.
man_opts() {
	awk '/^\.SH/ { in_opt = ($2 == "OPTIONS") ; next }
		in_opt && /^\.TP/ { getline; gsub(/\\f[BIRP]/, ""); gsub(/\\-/, "-")
			n = split($0, w, /[ ,]+/)
			for (i = 1; i <= n; i++) if (w[i] ~ /^--?[a-zA-Z]/) print w[i] }' "$1" | sort -u
}

for c in $cmds; do
	page="$TMP/man/syslat-$c.1"
	if [ ! -f "$page" ]; then failm "no man page syslat-$c.1"; continue; fi
	[ -f "$ROOT/man/syslat-$c.prose" ] ||
		failm "syslat $c has no man/syslat-$c.prose: write its DESCRIPTION (and EXAMPLES, SEE ALSO)"
	help_opts "$c" >"$TMP/h"
	man_opts "$page" >"$TMP/m"
	if [ ! -s "$TMP/h" ] && [ ! -s "$TMP/m" ]; then
		pass "syslat-$c.1: no options, as --help"
	elif cmp -s "$TMP/h" "$TMP/m"; then
		pass "syslat-$c.1 OPTIONS = syslat $c --help ($(wc -l <"$TMP/h") option names)"
	else
		failm "syslat-$c.1 OPTIONS differ from syslat $c --help (< help, > man):"
		diff "$TMP/h" "$TMP/m" | grep '^[<>]' | sed 's/^/    | /'
	fi
done
for p in "$ROOT"/man/syslat-*.prose; do
	c=${p##*/syslat-}; c=${c%.prose}
	printf '%s\n' $cmds | grep -qx "$c" ||
		echo "# note: man/syslat-$c.prose has no subcommand in syslat --help (not merged yet?)"
done
for page in "$TMP"/man/*; do
	n=${page##*/}
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
	txt=$(LC_ALL=C MANWIDTH=80 man -l "$page" 2>/dev/null)
	if [ -z "$out" ] && printf '%s\n' "$txt" | grep -q '^NAME' &&
	   printf '%s\n' "$txt" | grep -q '^DESCRIPTION'; then
		pass "man -l $n: renders, no groff warnings ($(printf '%s\n' "$txt" | wc -l) lines)"
	else
		failm "man -l $n"; printf '%s\n' "$out" | head -n 5 | sed 's/^/    | /'
	fi
done

# syslat(4) (PARAMETERS and FILES generated from kmod/) against the code.
params=$(grep -ohE 'module_param(_named)?\([a-z_0-9]+' "$ROOT"/kmod/*.c | sed 's/.*(//' | sort -u)
files=$(grep -ohE 'debugfs_create_file\("[a-z_0-9]+"' "$ROOT"/kmod/*.c | sed 's/.*("//; s/"//' | sort -u)
[ -n "$params" ] && [ -n "$files" ] || failm "no module_param/debugfs_create_file found in kmod/"
m4="$TMP/man/syslat.4"
missing=""
for p in $params; do grep -qx "\.B $p" "$m4" || missing="$missing $p"; done
[ -z "$missing" ] && pass "syslat.4 documents every module parameter: $(echo $params)" ||
	failm "syslat.4 lacks module parameters (a module_param without MODULE_PARM_DESC on one line?):$missing"
missing=""
for f in $files; do grep -qx "\.I $f" "$m4" || missing="$missing $f"; done
[ -z "$missing" ] && pass "syslat.4 documents every debugfs file: $(echo $files)" ||
	failm "syslat.4 lacks debugfs files (the list in kmod/syslat_abi.h's comment):$missing"
extra=""
for p in $(sed -n '/^\.SH PARAMETERS/,/^\.SH/s/^\.B \([a-z_0-9]*\)$/\1/p' "$m4"); do
	printf '%s\n' $params | grep -qx "$p" || extra="$extra $p"
done
[ -z "$extra" ] || failm "MODULE_PARM_DESC names parameters the module does not have:$extra"
extra=""
for f in $(sed -n '/^\.SH FILES/,/^\.SH/s/^\.I \([a-z_0-9]*\)$/\1/p' "$m4"); do
	printf '%s\n' $files | grep -qx "$f" || extra="$extra $f"
done
[ -z "$extra" ] || failm "kmod/syslat_abi.h lists debugfs files the module does not create:$extra"

# --- make install / uninstall ------------------------------------------------
D="$TMP/stage"
if make -C "$ROOT" -s install DESTDIR="$D" PREFIX=/opt/sl >"$TMP/inst.log" 2>&1; then
	want="/opt/sl/bin/syslat /opt/sl/libexec/syslat/syslat-static /opt/sl/libexec/syslat/gtest /opt/sl/libexec/syslat/syslat-exec-helper
/opt/sl/share/man/man1/syslat.1 /opt/sl/share/man/man4/syslat.4
/opt/sl/share/bash-completion/completions/syslat"
	for c in $cmds; do want="$want /opt/sl/share/man/man1/syslat-$c.1"; done
	missing=""
	for f in $want; do [ -f "$D$f" ] || missing="$missing $f"; done
	v=$("$D/opt/sl/bin/syslat" --version 2>&1)
	[ -z "$missing" ] && [ "$v" = "syslat $(cat "$ROOT/VERSION")" ] &&
		pass "make install DESTDIR=... PREFIX=/opt/sl: $(find "$D" -type f | wc -l) files, $v" ||
		failm "make install: missing$missing; --version '$v'"
	make -C "$ROOT" -s uninstall DESTDIR="$D" PREFIX=/opt/sl >>"$TMP/inst.log" 2>&1
	left=$(find "$D" -type f)
	[ -z "$left" ] && pass "make uninstall: no file left" || failm "make uninstall left: $left"
else
	failm "make install"; tail -n 20 "$TMP/inst.log" | sed 's/^/    | /'
fi

# --- bash completion ---------------------------------------------------------
comp() {
	bash -c '. "$1/completion/syslat"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_syslat; printf "%s\n" "${COMPREPLY[@]}"' sh "$ROOT" "$BIN" "$@" | sort
}
[ "$(comp '' | tr '\n' ' ')" = "$(printf '%s\n' $cmds --help --version | sort | tr '\n' ' ')" ] &&
	pass "completion: syslat <TAB> -> the subcommands of --help" ||
	failm "completion: syslat <TAB> -> $(comp '' | tr '\n' ' ')"
benches=$("$BIN" list | awk 'NR > 1 && /^[a-z]/ { print $1 }' | sort)
[ -n "$benches" ] && [ "$(comp bench '')" = "$benches" ] &&
	pass "completion: syslat bench <TAB> -> the $(echo "$benches" | wc -l) benchmarks of syslat list" ||
	failm "completion: syslat bench <TAB> -> $(comp bench '' | tr '\n' ' ')"
got=$(comp run --pla)
[ "$got" = "--placement" ] && [ "$(comp run --placement c)" = "cross" ] &&
	pass "completion: syslat run --pla<TAB> -> --placement, --placement c<TAB> -> cross" ||
	failm "completion: run --pla<TAB> -> '$got'"
got=$(comp bench --format '' | tr '\n' ' ')
[ "$got" = "csv json table " ] && [ "$(comp run -m b)" = "batch" ] && [ -z "$(comp run --iters '')" ] &&
	pass "completion: option values from --help: --format <TAB> -> $got, -m b<TAB> -> batch, --iters <TAB> -> nothing" ||
	failm "completion: --format <TAB> -> '$got', -m b<TAB> -> '$(comp run -m b)'"

# --- README and docs/ --------------------------------------------------------
R="$ROOT/README.md"
size=$(wc -c <"$R")
[ "$size" -lt 15360 ] && pass "README.md: $size bytes (< 15 KB)" || failm "README.md: $size bytes (>= 15 KB)"
missing=""
for f in "$ROOT"/docs/*.md; do
	[ -e "$f" ] || continue
	n=docs/${f##*/}
	grep -qF "]($n" "$R" || missing="$missing $n"
done
[ -z "$missing" ] && pass "README.md links every docs/*.md" || failm "README.md does not link:$missing"
# Relative link targets, resolved from the file that holds the link.
for f in "$R" "$ROOT"/docs/*.md; do
	[ -e "$f" ] || continue
	dir=$(dirname "$f")
	bad=""
	for t in $(grep -oE '\]\([^) ]+\)' "$f" | sed 's/^](//; s/)$//'); do
		case $t in http://* | https://* | mailto:* | \#*) continue ;; esac
		t=${t%%#*}
		[ -e "$dir/$t" ] || bad="$bad $t"
	done
	[ -z "$bad" ] && pass "${f#"$ROOT"/}: every relative link exists" ||
		failm "${f#"$ROOT"/}: broken links:$bad"
done

exit $fail
