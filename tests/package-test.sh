#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make package-check: build the Debian packages (make deb), lintian them (no
# errors allowed), install both on this machine (root), check that DKMS built
# the module for every installed kernel, that syslat --version, the man pages
# and the completion work, then purge and check that nothing is left.
# The machine is left as found on every path: the EXIT trap purges what was
# installed, removes any DKMS leftovers and restores the DKMS signing key state.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/guest/lib.sh"
VER=$(cat "$ROOT/VERSION")
OUT="$ROOT/build/deb"
PKGS="syslat syslat-dkms"
T0=$(date +%s)
fail=0
pass() { echo "PASS  $*"; }
failm() { echo "FAIL  $*"; fail=1; }
step() { echo "# $* ($(($(date +%s) - T0)) s)"; }

[ "$(id -u)" -eq 0 ] || { echo "SKIP  package-test: installs packages, needs root"; exit 0; }
for t in dpkg-buildpackage dh dh_dkms dkms lintian man; do
	command -v "$t" >/dev/null || { echo "FAIL  package-test: $t missing (tests/deps.sh)"; exit 1; }
done
# Never purge someone's real installation.
for p in $PKGS; do
	if dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^[ih]i'; then
		echo "FAIL  package-test: $p is already installed here; purge it first (dpkg --purge $p)"
		exit 1
	fi
done
if [ -e "/var/lib/dkms/syslat/$VER" ] || [ -e "/usr/src/syslat-$VER" ]; then
	echo "FAIL  package-test: syslat/$VER already in DKMS or /usr/src (make dkms-uninstall?)"
	exit 1
fi

TMP=$(mktemp -d)
installed=0
mok_existed=0
[ -e /var/lib/dkms/mok.key ] && mok_existed=1
cleanup() {
	if [ "$installed" = 1 ]; then
		dpkg --purge $PKGS >"$TMP/cleanup.log" 2>&1 ||
			{ echo "# cleanup: dpkg --purge failed:"; sed 's/^/    | /' "$TMP/cleanup.log"; }
	fi
	if [ -e "/var/lib/dkms/syslat/$VER" ]; then
		dkms remove "syslat/$VER" --all >/dev/null 2>&1
		rm -rf "/var/lib/dkms/syslat/$VER"
	fi
	rmdir /var/lib/dkms/syslat 2>/dev/null
	[ $mok_existed = 1 ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	rm -rf "$TMP"
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. make deb
step "make deb"
if ! "$ROOT/debian/make-deb.sh" "$OUT" >"$TMP/deb.log" 2>&1; then
	failm "make deb"; sed 's/^/    | /' "$TMP/deb.log" | tail -n 40; exit 1
fi
DEB="$OUT/syslat_${VER}_amd64.deb"
DKMSDEB="$OUT/syslat-dkms_${VER}_all.deb"
for f in "$DEB" "$DKMSDEB"; do
	[ -f "$f" ] || { failm "make deb: no $f"; exit 1; }
done
pass "make deb: $(basename "$DEB"), $(basename "$DKMSDEB")"
git -C "$ROOT" status --porcelain --ignored=no 2>/dev/null | grep -q . &&
	echo "# note: the tree has uncommitted changes (make deb packs them too)"

# 2. lintian: no errors; warnings are listed
step "lintian"
lintian --pedantic "$DEB" "$DKMSDEB" 2>&1 | grep -v '^running with root' >"$TMP/lintian.txt"
ne=$(grep -c '^E:' "$TMP/lintian.txt")
nw=$(grep -c '^W:' "$TMP/lintian.txt")
ni=$(grep -c '^[IP]:' "$TMP/lintian.txt")
sed 's/^/    | /' "$TMP/lintian.txt"
if [ "$ne" -eq 0 ]; then
	pass "lintian --pedantic: 0 errors, $nw warnings, $ni info/pedantic"
else
	failm "lintian: $ne errors"
fi

# 3. install both
step "dpkg -i"
installed=1
if dpkg -i "$DKMSDEB" "$DEB" >"$TMP/install.log" 2>&1; then
	pass "dpkg -i syslat-dkms syslat"
else
	failm "dpkg -i"; sed 's/^/    | /' "$TMP/install.log" | tail -n 40; exit 1
fi

# 4. DKMS built and installed the module for every installed kernel
step "dkms"
kernels=$(sl_kernels)
[ -n "$kernels" ] || failm "no installed kernel with headers (sl_kernels)"
for kv in $kernels; do
	st=$(dkms status -m syslat -v "$VER" -k "$kv" 2>&1)
	ko=$(find "/lib/modules/$kv/updates" -name 'syslat.ko*' 2>/dev/null | head -n 1)
	vm=""
	[ -n "$ko" ] && vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
	case "$st" in
	*installed*)
		if [ -n "$ko" ] && [ "${vm%% *}" = "$kv" ]; then
			pass "dkms: syslat/$VER installed for $kv ($ko, vermagic $kv)"
		else
			failm "dkms says installed for $kv but no syslat.ko of that kernel (found '$ko', vermagic '$vm')"
		fi ;;
	*) failm "dkms status for $kv: '$st'"
	   sed 's/^/    | /' "$TMP/install.log" | tail -n 20 ;;
	esac
done

# Here dh-dkms's postinst already built every kernel (the running kernel is
# not installed: its "chroot" path). Where the running kernel is installed it
# builds only that one and the newest: syslat-dkms's own loop does the rest.
# Exercise that loop: drop the oldest kernel's module, run the loop alone.
oldest=$(printf '%s\n' $kernels | head -n 1)
pi=/var/lib/dpkg/info/syslat-dkms.postinst
awk '/^if \[ "\$1" = configure \]; then$/ { p = 1 } p { print } p && /^fi$/ { exit }' "$pi" >"$TMP/loop.sh"
if [ -n "$oldest" ] && grep -q 'dkms install' "$TMP/loop.sh" &&
   dkms remove "syslat/$VER" -k "$oldest" >/dev/null 2>&1 &&
   sh "$TMP/loop.sh" configure >"$TMP/loop.log" 2>&1 &&
   dkms status -m syslat -v "$VER" -k "$oldest" | grep -q installed; then
	pass "postinst's every-kernel loop rebuilt the module for $oldest: $(grep -c building "$TMP/loop.log") build(s)"
else
	failm "postinst's every-kernel loop did not rebuild $oldest"; sed 's/^/    | /' "$TMP/loop.log" 2>/dev/null | tail -n 10
fi

# 5. the harness, its helpers, man pages and completion
step "syslat"
v=$(syslat --version 2>&1)
[ "$v" = "syslat $VER" ] && [ "$(command -v syslat)" = /usr/bin/syslat ] &&
	pass "syslat --version: $v (/usr/bin/syslat)" || failm "syslat --version: '$v'"
v=$(/usr/libexec/syslat/syslat-static --version 2>&1)
[ "$v" = "syslat $VER" ] && pass "syslat-static --version: $v" || failm "syslat-static: '$v'"
[ -x /usr/libexec/syslat/gtest ] && pass "gtest helper installed" || failm "no /usr/libexec/syslat/gtest"
for page in syslat syslat-run "4 syslat"; do
	# shellcheck disable=SC2086  # "4 syslat" is a section and a name
	if MANPAGER=cat MANWIDTH=80 man $page >"$TMP/man.txt" 2>&1 &&
	   grep -q '^NAME' "$TMP/man.txt" && grep -q '^SYNOPSIS' "$TMP/man.txt"; then
		pass "man $page: $(wc -l <"$TMP/man.txt") lines"
	else
		failm "man $page"; head -n 5 "$TMP/man.txt" | sed 's/^/    | /'
	fi
done
comp=$(bash -c '. /usr/share/bash-completion/completions/syslat
	COMP_WORDS=(syslat bench ge); COMP_CWORD=2; _syslat; echo "${COMPREPLY[*]}"' 2>&1)
case " $comp " in
*" getppid "*) pass "bash completion: syslat bench ge<TAB> -> $comp" ;;
*) failm "bash completion: syslat bench ge<TAB> -> '$comp'" ;;
esac

# 6. purge: nothing may be left
step "dpkg --purge"
for f in "$DEB" "$DKMSDEB"; do dpkg -c "$f"; done |
	awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' >"$TMP/files"
if dpkg --purge $PKGS >"$TMP/purge.log" 2>&1; then
	installed=0
	pass "dpkg --purge syslat syslat-dkms"
else
	failm "dpkg --purge"; sed 's/^/    | /' "$TMP/purge.log" | tail -n 20
fi
for p in $PKGS; do
	dpkg -L "$p" >/dev/null 2>&1 && failm "dpkg -L $p still lists files" || pass "dpkg -L $p: not installed"
done
st=$(dkms status -m syslat 2>&1)
[ -z "$st" ] && pass "dkms status -m syslat: empty" || failm "dkms status after purge: $st"
left=$(while read -r f; do [ -e "$f" ] && echo "$f"; done <"$TMP/files")
[ "$(wc -l <"$TMP/files")" -ge 20 ] || failm "only $(wc -l <"$TMP/files") files in the packages' listings"
[ -z "$left" ] && pass "none of the $(wc -l <"$TMP/files") packaged files is left" ||
	failm "left after purge: $left"
left=$(find /lib/modules -name 'syslat.ko*' 2>/dev/null; ls -d /var/lib/dkms/syslat /usr/src/syslat-* \
	/usr/libexec/syslat 2>/dev/null; grep -l 'syslat\.ko' /lib/modules/*/modules.dep 2>/dev/null)
[ -z "$left" ] && pass "no syslat.ko, DKMS tree, /usr/src or modules.dep entry left" ||
	failm "left after purge: $left"

step "done"
echo "# package-test: wall time $(($(date +%s) - T0)) s"
exit $fail
