#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's per-call functions contain no multi-cycle divide: objdump
# the module built for each installed kernel and fail if div/idiv appears
# in any function a call of the noop runs through. Also prints, for the
# patch backend's common timed path (syslat_noop_irqoff, straight line),
# how many instructions lie between the two TSC stamps and after the exit
# stamp (the accounting the "exit" phase contains); docs/module.md.
set -u
. "$(dirname "$0")/guest/lib.sh"

FUNCS="syslat_tramp syslat_tramp_ret_fast syslat_tramp_push syslat_tramp_ret_noop syslat_tramp_ret_enosys syslat_noop_irqoff syslat_noop syslat_account_slow tp_probe anysys_probe_enter anysys_probe_exit"
fail=0

# div_lines FILE: the divide instructions in an objdump listing.
div_lines() { grep -E $'\t(i?div[bwlq]?)[ \t]' "$1"; }

# The matcher itself must catch what it is for.
printf '  10:\tdiv    %%rcx\n  13:\tidivl  (%%rax)\n  15:\tmov    %%rdiv,%%rax\n' >"$SL_BUILD/objdump-selftest.txt" 2>/dev/null ||
	{ mkdir -p "$SL_BUILD"; printf '  10:\tdiv    %%rcx\n  13:\tidivl  (%%rax)\n' >"$SL_BUILD/objdump-selftest.txt"; }
if [ "$(div_lines "$SL_BUILD/objdump-selftest.txt" | wc -l)" != 2 ]; then
	echo "FAIL  kmod-objdump: the div matcher does not match div/idiv"
	exit 1
fi

for kv in $(sl_kernels); do
	ko=$(sl_build_module "$kv") || { echo "FAIL  module builds for $kv"; fail=1; continue; }
	dis="$SL_BUILD/objdump-$kv.txt"
	objdump -d --no-show-raw-insn "$ko" >"$dis" || { echo "FAIL  objdump $ko"; fail=1; continue; }
	for f in $FUNCS; do
		body="$SL_BUILD/objdump-$kv-$f.txt"
		awk -v f="<$f>:" '$2 == f { on = 1; next } on && /^$/ { exit } on' "$dis" >"$body"
		if [ ! -s "$body" ]; then
			echo "FAIL  $kv: $f not found in $ko"
			fail=1
		elif div_lines "$body" >/dev/null; then
			echo "FAIL  $kv: $f contains a divide:"
			div_lines "$body" | sed 's/^/    | /'
			fail=1
		else
			echo "PASS  $kv: no div/idiv in $f ($(grep -c $'^ *[0-9a-f]*:\t' "$body") instructions)"
		fi
	done
	# Straight-line timed path: from the entry stamp through sti, then ret.
	awk -F'\t' '
		/\trdtsc/ { st++ }
		st >= 1 && $2 !~ /^nop/ { if (st == 1) win++; else if (!done) post++ }
		st >= 2 && $2 ~ /^sti/ { done = 1 }
		END { printf "      %s: syslat_noop_irqoff straight path: %d instructions from the entry rdtsc(p) up to the exit one, %d from the exit rdtsc(p) through sti, + ret (alignment nops not counted)\n", kv, win, post }
	' kv="$kv" "$SL_BUILD/objdump-$kv-syslat_noop_irqoff.txt"
done
exit $fail
