#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test guests (busybox sh): the module test plan of issues 3
# and 11 (calls, counts, ring, inject, bad parameters and writes, filter_tgid,
# timing, nr=, modprobe errno, CPU hotplug, backtrace through the trampoline,
# load/unload races, the icount benchmark and make kmod-bench's plan). Every check prints one
# TAP-like line (ok N - what / not ok N - what (details) / ... # SKIP why);
# the host runner turns them into pass/fail. The last line is the marker
# "syslat-guest: done"; without it the host counts the boot as failed.
#
# Settings: /etc/syslat-test.conf (shell variables), then the kernel
# command line (sltest.mode=full|icount|race|basic|kbench sltest.backends=tracepoint,patch
# sltest.cycles=50 sltest.inject=200000 sltest.race_inject=0: inject_cycles
# of the race test's loads; -1 = the module's inject_max, one millisecond).

# Mounts; results to the second serial port (the host's LOG) while the
# kernel console stays on ttyS0 (LOG.kmsg): kernel messages never split a line.
. /lib/guest-setup.sh

MODE=full
BACKENDS="tracepoint patch"
CYCLES=50
INJECT=200000
RACE_INJECT=0
KO=/lib/syslat.ko
D=/sys/kernel/debug/syslat
[ -f /etc/syslat-test.conf ] && . /etc/syslat-test.conf
for arg in $(cat /proc/cmdline); do
	case $arg in
	sltest.mode=*) MODE=${arg#*=} ;;
	sltest.backends=*) BACKENDS=$(echo "${arg#*=}" | tr , ' ') ;;
	sltest.cycles=*) CYCLES=${arg#*=} ;;
	sltest.inject=*) INJECT=${arg#*=} ;;
	sltest.race_inject=*) RACE_INJECT=${arg#*=} ;;
	esac
done
export SLT_TAPN=/tmp/tap.n SLT_CTX=
echo 0 >$SLT_TAPN
echo 0 >/proc/sys/kernel/kptr_restrict 2>/dev/null

# tap 1|0|-1 WHAT [DETAILS|WHY]
tap() {
	n=$(($(cat $SLT_TAPN) + 1))
	echo $n >$SLT_TAPN
	w=$2
	[ -n "$SLT_CTX" ] && w="[$SLT_CTX] $2"
	case $1 in
	1) echo "ok $n - $w" ;;
	0) echo "not ok $n - $w${3:+ ($3)}" ;;
	*) echo "ok $n - $w # SKIP $3" ;;
	esac
}

# New kernel messages since the last call (all are kept in /tmp/dmesg.all).
dmesg_new() {
	dmesg -c >/tmp/dmesg.new 2>/dev/null || dmesg >/tmp/dmesg.new
	cat /tmp/dmesg.new >>/tmp/dmesg.all
	cat /tmp/dmesg.new
}

BAD='Oops|WARNING:|BUG:|kernel BUG|lockup|Call Trace|stall|blocked for more than|general protection|Kernel panic|corruption'

# dmesg_clean WHAT: no oops/WARN/BUG/lockup among the new messages.
dmesg_clean() {
	dmesg_new >/tmp/dm.$$
	if grep -qE "$BAD" /tmp/dm.$$; then
		tap 0 "dmesg clean: $1" "$(grep -E "$BAD" /tmp/dm.$$ | head -n 1)"
		echo "# --- dmesg ---"
		grep -E -B2 -A20 "$BAD" /tmp/dm.$$ | head -n 60 | sed 's/^/# /'
	else
		tap 1 "dmesg clean: $1"
	fi
	rm -f /tmp/dm.$$
}

loaded() { [ -d /sys/module/syslat ]; }

# info_backend: the backend named in debugfs info ("" if none).
info_backend() {
	grep -iE '^#? *backend' $D/info 2>/dev/null | head -n 1 |
		sed -E 's/^#? *backend[[:space:]:=]*//' | awk '{print $1}'
}

unload() {
	rmmod syslat 2>/tmp/rmmod.err
	r=$?
	if [ $r -ne 0 ] || loaded; then
		tap 0 "rmmod syslat" "status $r: $(cat /tmp/rmmod.err)"
		return 1
	fi
	tap 1 "rmmod syslat"
}

patch_bytes() { gtest kbytes do_syscall_64 2>/dev/null | sed 's/^[^:]*://'; }

# Test 1 (first half): no module.
no_module() {
	SLT_CTX=no-module
	gtest call 500 enosys
	gtest call 501 enosys
	gtest call 499 enosys
	gtest call 511 enosys
	gtest getppid
	patch_bytes >/tmp/text.orig
	[ -s /tmp/text.orig ] || echo "# /proc/kcore: do_syscall_64 not readable, byte check skipped"
}

# Test 4 (parameters): bad module parameters refuse the load.
bad_params() {
	SLT_CTX=params
	dmesg_new >/dev/null
	for p in hook=bogus ring_size=100 ring_size=32 \
		timing=2 armed=2 inject_cycles=99999999999 nr=-5 nr=1073741824 nr=100; do
		if insmod $KO $p 2>/tmp/insmod.err; then
			tap 0 "insmod $p refused" "it loaded"
			rmmod syslat
		else
			tap 1 "insmod $p refused"
		fi
		why=$(dmesg_new | grep -i syslat | tail -n 1)
		if [ -n "$why" ]; then
			tap 1 "insmod $p: dmesg says why" "$why"
			echo "#   $why"
		else
			tap 0 "insmod $p: dmesg says why" "no syslat line"
		fi
		loaded && { tap 0 "insmod $p leaves no module" "still loaded"; rmmod syslat; }
		gtest call 500 enosys "after insmod $p"
	done
}

# modprobe through libkmod (a staged tree, modprobe -d): the exit status
# and message must tell the truth. A number the kernel has gives -EBUSY,
# which modprobe reports as a failure (-EEXIST would be "already loaded").
modprobe_test() {
	SLT_CTX=modprobe
	mp=/opt/kmod/modprobe
	if [ ! -x $mp ]; then
		tap -1 "modprobe errno" "no kmod in the initramfs"
		return
	fi
	root=/tmp/mproot
	mkdir -p $root/lib/modules/$(uname -r)/extra
	cp $KO $root/lib/modules/$(uname -r)/extra/syslat.ko
	/opt/kmod/depmod -b $root 2>/tmp/depmod.err ||
		{ tap 0 "depmod -b of the staged tree" "$(cat /tmp/depmod.err)"; return; }
	$mp -d $root syslat nr=100 2>/tmp/mp.err
	r=$?
	msg=$(head -n 1 /tmp/mp.err)
	[ $r -ne 0 ] && ! loaded && tap 1 "modprobe syslat nr=100 fails (status $r)" ||
		tap 0 "modprobe syslat nr=100 fails" "status $r, loaded: $(loaded && echo yes || echo no)"
	echo "#   $msg"
	case $msg in
	*"Device or resource busy"*) tap 1 "modprobe says 'Device or resource busy' (-EBUSY)" ;;
	*) tap 0 "modprobe says 'Device or resource busy' (-EBUSY)" "$msg" ;;
	esac
	loaded && rmmod syslat
	$mp -d $root syslat 2>/tmp/mp.err
	r=$?
	[ $r -eq 0 ] && loaded && tap 1 "modprobe syslat loads (status 0)" ||
		tap 0 "modprobe syslat loads" "status $r: $(cat /tmp/mp.err)"
	ver=$(cat /sys/module/syslat/version 2>/dev/null)
	[ -n "$ver" ] && tap 1 "/sys/module/syslat/version is $ver (MODULE_VERSION)" ||
		tap 0 "/sys/module/syslat/version (MODULE_VERSION)" "missing"
	loaded && rmmod syslat
	dmesg_clean "after modprobe"
	SLT_CTX=
}

# nr=: another unassigned number, for both backends.
nr_test() {
	b=$1
	SLT_CTX="$b nr=600"
	if ! insmod $KO hook=$b nr=600 armed=1 2>/tmp/insmod.err; then
		tap 0 "insmod hook=$b nr=600" "$(dmesg_new | grep -i syslat | tail -n 1)"
		return
	fi
	n=$(awk -F'\t' '$1 == "nr" { print $2 }' $D/info)
	[ "$n" = 600 ] && tap 1 "info reports nr 600" || tap 0 "info reports nr 600" "nr '$n'"
	gtest call 600 coffee
	gtest call 500 enosys
	gtest call 601 enosys
	gtest count 0 200
	if grep -q '^log2:' $D/hist && grep -q '^log-linear' $D/hist; then
		tap 1 "hist shows the log2 and the log-linear view"
	else
		tap 0 "hist shows the log2 and the log-linear view" "$(head -n 3 $D/hist)"
	fi
	# real outputs for docs/module.md, in the kept console log
	for f in info stats hist_raw hist; do
		echo "# ---- cat $D/$f"
		head -n 16 $D/$f | sed 's/^/#   /'
	done
	unload
	gtest call 600 enosys "after rmmod"
	dmesg_clean "after nr=600"
	SLT_CTX=
}

# bt_where FILE: where the sampled task was and whether its trace is whole,
# from cpu 1's part of one sysrq-l output: "WHERE RIP WHOLE" with WHERE
# module (the task's last kernel-mode RIP: line is in [syslat]: the NMI hit
# it there, or hit an interrupt taken there, e.g. the timer interrupt
# delivered at syslat_tramp_push+0xd right after the STI/RET of
# syslat_noop_irqoff), kernel (elsewhere in the kernel), user (no
# kernel-mode RIP: the NMI hit user space), another-task (cpu 1 ran, e.g.,
# ksoftirqd) or none (no trace for cpu 1);
# WHOLE is yes when both do_syscall_64 and entry_SYSCALL_64 are reliable
# frames ("? sym" lines are stack words the unwinder did not walk through).
bt_where() {
	awk '
	/ Comm: / && !/ Comm: gtest / { other = 1 }
	/RIP: 0010:/ { rip = $0; sub(/.*RIP: 0010:/, "", rip); sub(/ .*/, "", rip);
		mod = ($0 ~ /\[syslat\]/) }
	/RIP: 0033:/ { user = 1 }
	/\] *\? / { next }
	/\] +do_syscall_64\+/ { d = 1 }
	/\] +entry_SYSCALL_64/ { e = 1 }
	END {
		w = rip == "" ? (user ? "user" : "none") : (mod ? "module" : "kernel")
		if (other)
			w = "another-task"
		print w, (rip == "" ? "-" : rip), (d && e ? "yes" : "no")
	}' "$1"
}

# A task spinning in the timed window (1 ms inject_cycles per call) is
# backtraced by sysrq-l (NMI) BT_N times. Requirement: every trace taken
# while the task is inside the module (the trampoline, syslat_noop_irqoff,
# or an interrupt taken there) goes through do_syscall_64 to
# entry_SYSCALL_64. The task is not always in the window when the NMI
# lands: the timer interrupt that became pending during the irq-off spin is
# taken at syslat_tramp_push+0xd (after the STI's shadow): a whole trace,
# through the trampoline but without syslat_noop (the earlier test wanted
# syslat_noop and failed on it); others hit the syscall exit path or
# another task (of 140 samples, 2026-12-02: 9 in that interrupt, 3 on the
# exit path, 2 in another task, the rest in the spin). Samples outside
# the module are no failure and are not judged, but they are listed, and
# at least one must land in it, so a run where none did cannot pass
# silently. Known gap, judged like the rest: an NMI at the trampoline's
# instructions outside the pushed frame (the tests before the push, the
# jumps back; none in those 140 samples, 8 of 65 with timing=0) gets a
# trace that ends there (patch_tramp.S). The markers let the host ignore
# these expected traces in the console log.
BT_N=5
backtrace_test() {
	SLT_CTX=backtrace
	what="sysrq-l backtrace of a task in the window reaches entry_SYSCALL_64"
	if ! insmod $KO hook=patch armed=1 2>/tmp/insmod.err; then
		tap -1 "backtrace through the trampoline" "hook=patch refused"
		return
	fi
	awk -F'\t' '$1 == "inject_max" { print $2 }' $D/info >$D/inject_cycles
	dmesg_new >/dev/null
	gtest spin 1 $((BT_N + 4)) &
	sp=$!
	sleep 2
	echo "syslat-test: expected backtrace begin" >/dev/kmsg
	i=0 nin=0 bad=
	while [ $i -lt $BT_N ]; do
		i=$((i + 1))
		echo l >/proc/sysrq-trigger
		sleep 0.5
		# the CPU 1 part: from its "NMI backtrace for cpu 1" to the next one
		dmesg_new | awk '/NMI backtrace for cpu/ { on = /cpu 1( |$)/ } on' >/tmp/bt.$i
		set -- $(bt_where /tmp/bt.$i)
		echo "#   [bt $i/$BT_N] task in $1 at $2; do_syscall_64 and entry_SYSCALL_64 reached: $3"
		[ "$1" = module ] || continue
		nin=$((nin + 1))
		[ "$3" = yes ] || bad="$bad $i"
	done
	echo "syslat-test: expected backtrace end" >/dev/kmsg
	wait $sp
	echo 0 >$D/inject_cycles
	if [ -n "$bad" ]; then
		tap 0 "$what" "truncated inside the module: sample(s)$bad of $BT_N"
		for i in $bad; do
			grep -v '\] *? ' /tmp/bt.$i | sed 's/^/# /' | head -n 40
		done
	elif [ $nin -eq 0 ]; then
		tap 0 "$what" "no sample of $BT_N landed inside the module"
		sed 's/^/# /' /tmp/bt.1 | head -n 40
	else
		echo "#   [bt] $nin of $BT_N samples inside the module, all reach entry_SYSCALL_64"
		tap 1 "$what"
	fi
	rm -f /tmp/bt.*
	unload
	SLT_CTX=
}

# A CPU that comes online after the load gets its ring (hotplug callback).
hotplug_test() {
	SLT_CTX=hotplug
	c=/sys/devices/system/cpu/cpu1/online
	if [ ! -w $c ] || ! echo 0 >$c 2>/dev/null; then
		tap -1 "ring for a CPU onlined after the load" "cpu1 cannot go offline"
		return
	fi
	if insmod $KO armed=1 2>/tmp/insmod.err; then
		echo 1 >$c
		gtest count 1 100
		unload
	else
		echo 1 >$c
		tap 0 "insmod with cpu1 offline" "$(dmesg_new | grep -i syslat | tail -n 1)"
	fi
	dmesg_clean "after the hotplug test"
	SLT_CTX=
}

# The static harness (user/syslat-static) end to end, when it was packed.
# Run in the icount boot only: its checks compare medians of user- and
# kernel-side phases, which plain TCG timing (host clock, no constant_tsc)
# shifts from run to run; under icount they are exact instruction counts.
harness_selftest() {
	SLT_CTX=$1
	if [ ! -x /bin/syslat ]; then
		tap -1 "harness selftest" "user/syslat-static not built"
		return
	fi
	syslat selftest --trust-tsc --calls 2000 --inject 20000 >/tmp/selftest.out 2>&1
	r=$?
	sed 's/^/#   selftest: /' /tmp/selftest.out | tail -n 40
	[ $r = 0 ] && tap 1 "harness: syslat selftest" ||
		tap 0 "harness: syslat selftest" "status $r"
	echo 0 >$D/inject_cycles
	echo 1 >$D/armed
	SLT_CTX=
}

# Tests 1-4 for one backend. Sets LOADED_OK to the backends that loaded.
backend_tests() {
	b=$1
	SLT_CTX=$b
	dmesg_new >/dev/null
	if ! insmod $KO hook=$b 2>/tmp/insmod.err; then
		why=$(dmesg_new | grep -i syslat | tail -n 1)
		if [ "$b" = patch ]; then
			tap -1 "insmod hook=patch" "refused: ${why:-$(cat /tmp/insmod.err)}"
		else
			tap 0 "insmod hook=$b" "${why:-$(cat /tmp/insmod.err)}"
		fi
		gtest call 500 enosys "after refused load"
		return
	fi
	tap 1 "insmod hook=$b"
	LOADED_OK="$LOADED_OK $b"
	ib=$(info_backend)
	[ "$ib" = "$b" ] && tap 1 "info names backend $b" ||
		tap 0 "info names backend $b" "info says '$ib'"
	if [ "$b" = patch ] && [ -s /tmp/text.orig ]; then
		patch_bytes >/tmp/text.patched
		cmp -s /tmp/text.orig /tmp/text.patched &&
			tap 0 "do_syscall_64 text is patched while loaded" "bytes unchanged" ||
			tap 1 "do_syscall_64 text is patched while loaded"
	fi
	echo 0 >$D/armed
	gtest call 500 enosys "disarmed"
	echo 1 >$D/armed
	[ "$(cat $D/armed)" = 1 ] && tap 1 "armed reads 1 after writing 1" ||
		tap 0 "armed reads 1 after writing 1" "reads '$(cat $D/armed)'"
	gtest call 500 coffee "armed"
	gtest call 501 enosys
	gtest call 499 enosys
	gtest call 511 enosys
	gtest getppid
	gtest count 0 1000
	gtest count 1 1000
	gtest inject "$INJECT" 1000
	gtest badwrite
	gtest filter
	gtest timing
	echo 1 >$D/armed
	gtest call 500 coffee "still armed after bad writes"
	unload || return
	gtest call 500 enosys "after rmmod"
	gtest call 501 enosys "after rmmod"
	if [ "$b" = patch ]; then
		msg=$(dmesg | grep 'restored original bytes at do_syscall_64+0x' | tail -n 1)
		[ -n "$msg" ] && tap 1 "rmmod logs the restore" ||
			tap 0 "rmmod logs the restore" "no 'restored original bytes' line"
		if [ -s /tmp/text.orig ]; then
			patch_bytes >/tmp/text.after
			cmp -s /tmp/text.orig /tmp/text.after &&
				tap 1 "do_syscall_64 text identical to before load" ||
				tap 0 "do_syscall_64 text identical to before load" "bytes differ"
		fi
	fi
	dmesg_clean "after $b tests"
}

# auto picks patch when it loads, else tracepoint.
auto_test() {
	SLT_CTX=auto
	want=tracepoint
	case " $LOADED_OK " in *" patch "*) want="patch" ;; esac
	if ! insmod $KO hook=auto 2>/tmp/insmod.err; then
		tap 0 "insmod hook=auto" "$(dmesg_new | grep -i syslat | tail -n 1)"
		return
	fi
	ib=$(info_backend)
	[ "$ib" = "$want" ] && tap 1 "auto picks $want" || tap 0 "auto picks $want" "info says '$ib'"
	echo 1 >$D/armed
	gtest call 500 coffee
	unload
	gtest call 500 enosys "after rmmod"
	dmesg_clean "after auto"
}

# Test 5: load/unload cycles while two tasks hammer 500 on cpu 0 and 1.
race_test() {
	b=$1
	SLT_CTX=$b
	rm -f /tmp/stop
	dmesg_new >/dev/null
	gtest hammer 0 /tmp/stop >/tmp/h0 2>&1 &
	p0=$!
	gtest hammer 1 /tmp/stop >/tmp/h1 2>&1 &
	p1=$!
	i=0
	err=
	t0=$(date +%s)
	inj=
	if [ "$RACE_INJECT" = -1 ] && insmod $KO hook=$b armed=0; then
		inj="inject_cycles=$(awk -F'\t' '$1 == "inject_max" { print $2 }' $D/info)"
		rmmod syslat
	fi
	[ "$RACE_INJECT" -gt 0 ] 2>/dev/null && inj="inject_cycles=$RACE_INJECT"
	while [ $i -lt "$CYCLES" ]; do
		insmod $KO hook=$b armed=1 $inj 2>/tmp/insmod.err ||
			{ err="insmod $((i + 1)): $(cat /tmp/insmod.err)"; break; }
		rmmod syslat 2>/tmp/rmmod.err ||
			{ err="rmmod $((i + 1)): $(cat /tmp/rmmod.err)"; break; }
		i=$((i + 1))
	done
	touch /tmp/stop
	wait $p0
	wait $p1
	loaded && rmmod syslat
	[ -n "$inj" ] && echo "#   race: loads with $inj (busy-wait in the window, interrupts off)"
	[ -z "$err" ] && tap 1 "$CYCLES insmod/rmmod cycles under hammering ($(($(date +%s) - t0)) s)" ||
		tap 0 "$CYCLES insmod/rmmod cycles under hammering" "$err"
	cat /tmp/h0 /tmp/h1
	gtest call 500 enosys "after the cycles"
	dmesg_clean "after $CYCLES cycles of $b"
}

full_plan() {
	no_module
	bad_params
	LOADED_OK=
	for b in $BACKENDS; do backend_tests "$b"; done
	for b in $LOADED_OK; do nr_test "$b"; done
	auto_test
	modprobe_test
	hotplug_test
	case " $LOADED_OK " in *" patch "*) backtrace_test ;; esac
	[ "$CYCLES" -gt 0 ] || return
	for b in $LOADED_OK; do race_test "$b"; done
}

icount_plan() {
	gtest icount none
	for b in $BACKENDS; do
		if insmod $KO hook=$b armed=1 2>/dev/null; then
			echo 1 >$D/armed
			gtest icount "$b"
			harness_selftest "$b"
			rmmod syslat
		else
			echo "bench: kernel=$(uname -r) backend=$b refused: $(dmesg | grep -i syslat | tail -n 1)"
		fi
	done
}

# make kmod-bench: the noop's round trip per backend and module setting
# (icount boot). One "bench:" line per configuration.
kbench_plan() {
	gtest icount none
	for b in $BACKENDS; do
		for cfg in "timing=0" "timing=1" "timing=1 ring_size=0"; do
			tag="$b $(echo "$cfg" | tr ' ' ,)"
			# shellcheck disable=SC2086
			if insmod $KO hook=$b armed=1 $cfg 2>/dev/null; then
				gtest icount "$b" "$(echo "$cfg" | tr ' ' ,)"
				rmmod syslat
			else
				echo "bench: kernel=$(uname -r) backend=$b config=$(echo "$cfg" | tr ' ' ,) refused: $(dmesg | grep -i syslat | tail -n 1)"
			fi
		done
	done
}

echo "syslat-guest: start mode=$MODE kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) backends=$BACKENDS"
dmesg_new >/tmp/dmesg.boot
if [ ! -f $KO ]; then
	tap 0 "module present in the initramfs" "$KO missing"
elif [ "$MODE" = icount ]; then
	icount_plan
elif [ "$MODE" = kbench ]; then
	kbench_plan
elif [ "$MODE" = race ]; then
	for b in $BACKENDS; do race_test "$b"; done
elif [ "$MODE" = basic ]; then
	CYCLES=0
	full_plan
else
	full_plan
fi
echo "syslat-guest: done tests=$(cat $SLT_TAPN)"
sync
poweroff -f
