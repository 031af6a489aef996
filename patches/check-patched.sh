#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-patched: build (if needed) and boot the small patched kernels.
#
#   patches/check-patched.sh [VER...]     default: 6.1 6.12
#
# For each VER:
#   1. patches/build-kernel.sh --if-needed VER
#   2. boot 1, plain TCG: /noop-check func
#      (500 -> 0xC0FFEE; 501, 499 and 500|x32 bit -> -ENOSYS). One vCPU:
#      the small kernel has no ACPI and QEMU's MP table lists one CPU, so
#      -smp 2 would change nothing (the config is SMP=y all the same).
#   3. boot 2, -icount shift=0 -smp 1 (6.1 hangs with icount and -smp 2):
#      func again, then the minimum over 2000 calls each of the nr 500 and
#      nr 501 (ENOSYS) round trips in an LFENCE;RDTSC ... RDTSCP;LFENCE
#      window, which icount turns into guest instruction counts.
#   4. if the stock Debian kernel of that series is installed
#      (/boot/vmlinuz-VER.*), boot 3 with the same icount setup and the same
#      initramfs: 500 must be -ENOSYS there, and its nr 501 count shows how
#      close the small config's ENOSYS path is to Debian's (not a pass
#      criterion; skipped when no such kernel is installed).
# Every boot runs under timeout; on failure the guest's last lines are shown.
# Logs: build/patched/VER-func.log, VER-icount.log; summary:
# build/patched/results.txt. Exit status 0 only if everything passed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PDIR=$ROOT/patches
B=$ROOT/build/patched
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
VERS=("$@")
[ ${#VERS[@]} -gt 0 ] || VERS=(6.1 6.12)

say() { echo "check-patched: $*"; }
die() {
	echo "check-patched: $*" >&2
	exit 1
}

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (make deps)"
[ -x /bin/busybox ] || die "/bin/busybox missing (apt-get install busybox-static)"
if ldd /bin/busybox >/dev/null 2>&1; then
	die "/bin/busybox is dynamically linked: install busybox-static"
fi
mkdir -p "$B"

# 1. kernels
for v in "${VERS[@]}"; do
	"$PDIR/build-kernel.sh" --if-needed "$v" ||
		die "building the $v kernel failed (patches/build-kernel.sh $v)"
done

# 2. initramfs: busybox + /init + /noop-check, made with the kernel's
#    gen_init_cpio (device node without root, fixed owners).
gcc -O2 -Wall -Wextra -static -o "$B/noop-check" "$PDIR/noop-check.c" ||
	die "compiling noop-check.c failed"
gcc -O2 -o "$B/gen_init_cpio" "$ROOT/build/patched-${VERS[0]}/usr/gen_init_cpio.c" ||
	die "compiling gen_init_cpio failed"
cat >"$B/initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /bin 0755 0 0
dir /sbin 0755 0 0
dir /usr 0755 0 0
dir /usr/bin 0755 0 0
dir /usr/sbin 0755 0 0
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
file /bin/busybox /bin/busybox 0755 0 0
file /init $PDIR/guest-init.sh 0755 0 0
file /noop-check $B/noop-check 0755 0 0
EOF
"$B/gen_init_cpio" "$B/initramfs.list" | gzip -9 >"$B/initramfs.cpio.gz" ||
	die "building the initramfs failed"

# boot VER NAME APPEND QEMU-ARGS...: log in $B/VER-NAME.log, tags stripped
# of escape codes and CRs in $B/VER-NAME.tags
# KERNEL (default: the patched bzImage of VER) selects another kernel image.
boot() {
	local v=$1 name=$2 append=$3
	shift 3
	local log=$B/$v-$name.log
	local t0=$SECONDS rc
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 256 \
		-nographic -no-reboot "$@" \
		-kernel "${KERNEL:-$ROOT/build/patched-$v/arch/x86/boot/bzImage}" \
		-initrd "$B/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 $append" </dev/null >"$log" 2>&1
	rc=$?
	tr -d '\r' <"$log" | grep -o 'NOOPCHECK.*' >"$B/$v-$name.tags"
	BOOT_SECS=$((SECONDS - t0))
	if [ $rc -eq 124 ]; then
		say "$v $name boot: timed out after ${BOOT_TIMEOUT} s"
	fi
	return $rc
}

tail_guest() {
	echo "---- last lines of the guest ($1) ----"
	tr -d '\r' <"$1" | tail -25
	echo "----"
}

RES=$B/results.txt
: >"$RES"
fail=0
declare -A KREL FIG STOCK
for v in "${VERS[@]}"; do
	ok=1
	boot "$v" func "" -smp 1
	if grep -qx 'NOOPCHECK func PASS' "$B/$v-func.tags"; then
		KREL[$v]=$(sed -n 's/^NOOPCHECK kernel \([^ ]*\).*/\1/p' "$B/$v-func.tags" | head -1)
		say "$v (${KREL[$v]}) boot 1 (TCG, ${BOOT_SECS} s): syscall 500 -> 0xC0FFEE, 501/499/x32 -> -ENOSYS: PASS"
	else
		ok=0
		say "$v boot 1 (TCG): FAIL"
		grep '^NOOPCHECK func' "$B/$v-func.tags"
		tail_guest "$B/$v-func.log"
	fi

	boot "$v" icount "syslat.icount=1" -icount shift=0 -smp 1
	res=$(grep '^NOOPCHECK icount result' "$B/$v-icount.tags" | head -1)
	if grep -qx 'NOOPCHECK func PASS' "$B/$v-icount.tags" &&
		grep -qx 'NOOPCHECK icount PASS' "$B/$v-icount.tags" && [ -n "$res" ]; then
		FIG[$v]=${res#NOOPCHECK icount result }
		say "$v boot 2 (TCG -icount shift=0, -smp 1, ${BOOT_SECS} s): ${FIG[$v]}: PASS"
		grep -E '^NOOPCHECK icount (empty_window|nr500|nr501) ' "$B/$v-icount.tags" |
			sed 's/^NOOPCHECK icount /    /'
	else
		ok=0
		say "$v boot 2 (icount): FAIL"
		grep -E '^NOOPCHECK (func|icount)' "$B/$v-icount.tags"
		tail_guest "$B/$v-icount.log"
	fi

	stock=$(printf '%s\n' /boot/vmlinuz-"$v".*-amd64 | sort -V | tail -1)
	if [ -f "$stock" ]; then
		srel=${stock#/boot/vmlinuz-}
		KERNEL=$stock boot "$v" stock "syslat.stock=1" -icount shift=0 -smp 1
		sres=$(grep '^NOOPCHECK stock result' "$B/$v-stock.tags" | head -1)
		if grep -qx 'NOOPCHECK stock PASS' "$B/$v-stock.tags" && [ -n "$sres" ]; then
			STOCK[$v]="$srel ${sres#NOOPCHECK stock result }"
			say "$v boot 3 (stock $srel, icount, ${BOOT_SECS} s): 500 -> -ENOSYS, ${sres#NOOPCHECK stock result }"
		else
			say "$v boot 3 (stock $srel, icount): no figures (not a pass criterion)"
			grep -E '^NOOPCHECK' "$B/$v-stock.tags"
			tail_guest "$B/$v-stock.log"
		fi
	else
		say "$v: no stock Debian kernel /boot/vmlinuz-$v.*-amd64 installed: stock comparison skipped"
	fi
	[ $ok = 1 ] || fail=1
	echo "$v ${KREL[$v]:-?} $([ $ok = 1 ] && echo PASS || echo FAIL) ${FIG[$v]:-}" >>"$RES"
done

get() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" <<<"$2"; }
echo
echo "Patched kernel, instructions (icount, TCG): minimum per round trip, LFENCE;RDTSC ... RDTSCP;LFENCE window"
printf '%-6s %-16s %9s %9s %7s %9s %9s %8s\n' kernel release "nr500" "nr501" empty "net500" "net501" ratio
for v in "${VERS[@]}"; do
	f=${FIG[$v]:-}
	[ -n "$f" ] || {
		printf '%-6s %-16s %s\n' "$v" "${KREL[$v]:-?}" "(no figures)"
		continue
	}
	printf '%-6s %-16s %9s %9s %7s %9s %9s %8s\n' "$v" "${KREL[$v]:-?}" \
		"$(get nr500 "$f")" "$(get nr501 "$f")" "$(get empty "$f")" \
		"$(get net500 "$f")" "$(get net501 "$f")" "$(get ratio "$f")"
done
echo "(nr500 = in-tree noop, nr501 = ENOSYS; net = minus the empty window; ratio = net500/net501)"
for v in "${VERS[@]}"; do
	f=${STOCK[$v]:-}
	[ -n "$f" ] || continue
	echo "stock Debian ${f%% *} (no patch, same window): nr501 $(get nr501 "$f"), empty $(get empty "$f"), net501 $(get net501 "$f")"
	echo "stock ${f%% *} nr501 $(get nr501 "$f") empty $(get empty "$f") net501 $(get net501 "$f")" >>"$RES"
done
echo
if [ $fail = 0 ]; then
	say "PASS (${VERS[*]})"
else
	say "FAIL (see build/patched/*.log)"
fi
exit $fail
