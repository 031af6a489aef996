#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the syslat tune guest (busybox sh): --apply changes the
# settings, a second --apply keeps the first one's saved values, --hold
# holds the latency request, --restore puts every file back exactly and
# removes the state file, a second --restore has nothing to do. Prints
# "tt: ok|not ok - WHAT" lines and "tt: done" (tests/guest/tune-test.sh).
. /lib/guest-setup.sh
dmesg -n 1
ST=/run/syslat/tune.state
N=0
t() { # t WHAT CMD...: one check
	what=$1; shift
	N=$((N + 1))
	if "$@" >/dev/null 2>&1; then echo "tt: ok $N - $what"; else echo "tt: not ok $N - $what"; fi
}
FILES="/sys/kernel/mm/transparent_hugepage/enabled /proc/sys/kernel/randomize_va_space
/proc/sys/kernel/nmi_watchdog /proc/sys/kernel/sched_schedstats /sys/devices/system/cpu/smt/control
$(ls /proc/irq/*/smp_affinity_list /sys/devices/system/cpu/cpu*/cpuidle/state*/disable 2>/dev/null)"
snap() { for f in $FILES; do [ -r "$f" ] && echo "$f=$(cat "$f")"; done; }
word() { sed -n 's/.*\[\(.*\)\].*/\1/p;t;p' "$1"; }

# Untuned on purpose, so that --apply has something to change here.
echo always >/sys/kernel/mm/transparent_hugepage/enabled
echo 2 >/proc/sys/kernel/randomize_va_space
[ -w /proc/sys/kernel/sched_schedstats ] && echo 1 >/proc/sys/kernel/sched_schedstats
covered=""
for f in $FILES; do [ -r "$f" ] && covered="$covered ${f#/*/*/}"; done
echo "tt: files: $(echo "$covered" | wc -w):$(echo "$covered" | tr '\n' ' ' | cut -c1-400)"
echo "tt: smt/control: $(cat /sys/devices/system/cpu/smt/control 2>/dev/null || echo absent);" \
	"cpu_dma_latency: $(od -An -td4 /dev/cpu_dma_latency 2>/dev/null | tr -d ' ')"
snap >/tmp/orig

syslat tune --verbose >/tmp/check.txt 2>&1
rc=$?
t "syslat tune (check) exits 0" test $rc = 0
snap >/tmp/after-check
t "a check leaves every file as it was" cmp /tmp/orig /tmp/after-check
syslat tune --apply >/tmp/apply1.txt 2>&1
echo "tt: apply exit status $?"
sed 's/^/tt: | /' /tmp/apply1.txt | grep -E '^tt: \| (set|FAILED|not set)'
t "--apply writes the state file $ST" test -s $ST
t "the state file saved THP's previous value (always)" \
	grep -qx '/sys/kernel/mm/transparent_hugepage/enabled	always' $ST
t "THP is now never" test "$(word /sys/kernel/mm/transparent_hugepage/enabled)" = never
t "ASLR is now 0" test "$(cat /proc/sys/kernel/randomize_va_space)" = 0
if [ -w /proc/sys/kernel/sched_schedstats ]; then
	t "sched_schedstats is now 0" test "$(cat /proc/sys/kernel/sched_schedstats)" = 0
fi
changed=0 same=0
while IFS="	" read -r p v; do
	case $p in '#'*) continue ;; esac
	if [ "$(word "$p")" != "$v" ]; then changed=$((changed + 1)); else same=$((same + 1)); fi
done <$ST
echo "tt: state file: $changed saved value(s) now changed, $same unchanged (writes that failed)"
t "every value --apply reported as set differs from its saved one" \
	test "$changed" -ge "$(grep -c '^set ' /tmp/apply1.txt)"
t "at least 3 settings changed" test "$changed" -ge 3

cp $ST /tmp/state1
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
syslat tune --apply >/tmp/apply2.txt 2>&1
t "a second --apply keeps the first one's saved values" cmp $ST /tmp/state1
t "... and tunes again what drifted (THP never)" \
	test "$(word /sys/kernel/mm/transparent_hugepage/enabled)" = never

held=$(syslat tune --hold -- od -An -td4 /dev/cpu_dma_latency 2>/dev/null | tr -d ' ')
t "--hold holds 0 us while the command runs ($held)" test "$held" = 0
t "... and drops it afterwards" test "$(od -An -td4 /dev/cpu_dma_latency | tr -d ' ')" != 0

syslat tune --restore >/tmp/restore.txt 2>&1
rc=$?
grep -c '^restored ' /tmp/restore.txt | sed 's/^/tt: restored values: /'
t "--restore exits 0" test $rc = 0
snap >/tmp/restored
t "--restore puts every file back exactly" cmp /tmp/orig /tmp/restored
cmp /tmp/orig /tmp/restored >/dev/null || diff /tmp/orig /tmp/restored | sed 's/^/tt: | /'
t "--restore removes the state file" test ! -e $ST
syslat tune --restore >/tmp/restore2.txt 2>&1
rc=$?
t "a second --restore: exit 0, nothing to restore" sh -c "[ $rc = 0 ] && grep -q 'nothing to restore' /tmp/restore2.txt"
echo "tt: done"
poweroff -f
