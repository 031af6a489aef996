# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# seL4 through sel4bench (issue 16): lay out the pinned sources as
# `repo sync` would, build the benchmark image once per commit set,
# patches and configuration (cached under $SL_BUILD/sel4/), boot it under
# QEMU and keep its JSON. Sourced by vm-bench.sh and sel4-test.sh, after
# lib.sh.
#
#   s4_sources              -> the source tree's directory (verified commits)
#   s4_patched SRC          -> a copy of it with patches/sel4bench/ applied
#   s4_build                -> the build directory with images/ (cached)
#   s4_boot BUILD LOG JSON  boot; serial console -> LOG, sel4bench's JSON -> JSON
#
# Sources: SEL4_SRC=DIR (or vm-bench's --src sel4=DIR) is an existing tree laid
# out like the manifest (repo sync, or git clones at the same paths); each
# project must be a git checkout at the pinned commit or a tree this script
# unpacked (its .syslat-commit stamp). Otherwise the snapshots in
# SEL4_THIRD_PARTY (default $SYSLAT_THIRD_PARTY, as unikraft.sh, or
# ../shared/third_party beside the tree) are
# unpacked into $SL_BUILD/sel4/src-MANIFEST12, each tarball's commit checked
# (git get-tar-commit-id) against the manifest's pinned revision. The
# manifest itself is pinned here, by commit: tag 13.0.0.
#
# Every function returns 0, or 1 when the sources are missing (the caller
# skips seL4, the reason in S4_WHY), or 2 on an error (wrong commit, failed
# build, no result: the reason in S4_WHY and on stderr, naming the log).
#
# vm-bench.sh's system interface (one pair per system, --system LIST):
#   sys_sel4_sources        0, 1 (absent: skipped, why in SYS_WHY) or 2 (wrong)
#   sys_sel4_run            build + BOOTS boots; logs into LOGS, FAILS counted

S4_MANIFEST_COMMIT=f62d3758981a0ce77887b5821458472de4f20984
S4_VERSION="seL4 13.0.0 (sel4bench manifest ${S4_MANIFEST_COMMIT:0:7})"
# What TCG needs (../shared/notes/other-systems.md): no PCID on QEMU's CPUs;
# the IRQ-user benchmark needs an IOPort capability that fails; no PMU
# (CPUID 0xA reports 0 counters): patches/sel4bench/ lets the scheduler and
# signal benchmarks run without event counters (their averaged runs then
# print zeros, which the import marks unmeasured). HARDWARE=ON adds the
# null-syscall benchmark (a kernel with the benchmark syscalls,
# KernelBenchmarks=generic; the IPC and sync figures are the same without).
S4_CONFIG=(-DPLATFORM=x86_64 -DRELEASE=TRUE -DKernelSupportPCID=OFF -DIRQUSER=OFF -DSCHED=ON -DSIGNAL=ON
	-DHARDWARE=ON)
S4_CONFIG_NAME=release
S4_CONFIG_TEXT="x86_64 pc99, RELEASE, fastpath, PCID off, KernelBenchmarks=generic; benchmarks ipc, scheduler, signal, hardware (null syscall), sync, page_mapping; IRQUSER off; patches/sel4bench (no PMU under TCG)"
S4_THIRD_PARTY=${SEL4_THIRD_PARTY:-${SYSLAT_THIRD_PARTY:-$SL_ROOT/../shared/third_party}}
S4_TMO=${SEL4_TIMEOUT:-300}
S4_WHY=

s4_fail() { S4_WHY=$2; sl_log "seL4: $2"; return "$1"; }

# Manifest projects as "NAME PATH REVISION" lines (opensbi: RISC-V only, left out).
s4_projects() {
	local xml=$1 n i name path rev
	n=$(xmllint --xpath 'count(/manifest/project)' "$xml") || return 1
	for i in $(seq 1 "$n"); do
		name=$(xmllint --xpath "string(/manifest/project[$i]/@name)" "$xml")
		path=$(xmllint --xpath "string(/manifest/project[$i]/@path)" "$xml")
		rev=$(xmllint --xpath "string(/manifest/project[$i]/@revision)" "$xml")
		[ "$name" = opensbi ] && continue
		printf '%s %s %s\n' "${name%.git}" "${path:-${name%.git}}" "$rev"
	done
}

# s4_tar_commit FILE: the commit git archive recorded in a .tar.xz.
s4_tar_commit() { xz -dc "$1" | git get-tar-commit-id; }

# s4_snapshot NAME REV: the snapshot file of NAME at REV (case-insensitive
# names: the manifest says sel4_projects_libs, the file seL4_projects_libs).
s4_snapshot() {
	local f b
	for f in "$S4_THIRD_PARTY"/*-"${2:0:12}".tar.xz; do
		[ -e "$f" ] || continue
		b=${f##*/}
		[ "${b,,}" = "${1,,}-${2:0:12}.tar.xz" ] && { printf '%s\n' "$f"; return 0; }
	done
	return 1
}

# s4_unpack FILE REV DEST: unpack a snapshot after checking its commit.
s4_unpack() {
	local f=$1 rev=$2 dest=$3 got
	got=$(s4_tar_commit "$f") || return 1
	[ "$got" = "$rev" ] || { sl_log "seL4: ${f##*/} is commit $got, the manifest pins $rev"; return 1; }
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp" &&
		xz -dc "$f" | tar -x -C "$dest.tmp" --strip-components=1 &&
		printf '%s\n' "$rev" >"$dest.tmp/.syslat-commit" && rm -rf "$dest" && mv "$dest.tmp" "$dest"
}

# s4_verify DIR PATH REV: the project at DIR/PATH is at REV.
s4_verify() {
	local d=$1/$2 got
	if [ -e "$d/.git" ]; then
		got=$(git -C "$d" rev-parse HEAD 2>/dev/null)
	elif [ -f "$d/.syslat-commit" ]; then
		got=$(cat "$d/.syslat-commit")
	else
		sl_log "seL4: $d: not a git checkout nor an unpacked snapshot: cannot verify its commit"
		return 1
	fi
	[ "$got" = "$3" ] || { sl_log "seL4: $d is at ${got:-?}, the manifest pins $3"; return 1; }
}

# The manifest's top-level links.
s4_links() {
	ln -sfn tools/seL4/cmake-tool/init-build.sh "$1/init-build.sh" &&
		ln -sfn tools/seL4/cmake-tool/griddle "$1/griddle" &&
		ln -sfn projects/sel4bench/easy-settings.cmake "$1/easy-settings.cmake"
}

s4_sources() {
	local src=${SRC_sel4:-${SEL4_SRC:-}} xml mf name path rev f
	if [ -n "$src" ]; then
		xml=$src/.repo/manifests/default.xml
		[ -f "$xml" ] || { s4_fail 2 "SEL4_SRC $src: no .repo/manifests/default.xml (repo sync of sel4bench-manifest ${S4_MANIFEST_COMMIT:0:12})"; return; }
		s4_verify "$src" .repo/manifests "$S4_MANIFEST_COMMIT" ||
			{ s4_fail 2 "SEL4_SRC $src: the manifest is not the pinned one (tag 13.0.0)"; return; }
		while read -r name path rev; do
			s4_verify "$src" "$path" "$rev" || { s4_fail 2 "SEL4_SRC $src: $path at the wrong commit"; return; }
		done < <(s4_projects "$xml")
		printf '%s\n' "$src"
		return 0
	fi
	mf=$(s4_snapshot sel4bench-manifest "$S4_MANIFEST_COMMIT") ||
		{ s4_fail 1 "no source snapshot sel4bench-manifest-${S4_MANIFEST_COMMIT:0:12}.tar.xz in $S4_THIRD_PARTY and no SEL4_SRC"; return; }
	src=$SL_BUILD/sel4/src-${S4_MANIFEST_COMMIT:0:12}
	mkdir -p "$SL_BUILD/sel4" || return 2
	if ! s4_verify "$src" .repo/manifests "$S4_MANIFEST_COMMIT" 2>/dev/null; then
		s4_unpack "$mf" "$S4_MANIFEST_COMMIT" "$src/.repo/manifests" ||
			{ s4_fail 2 "${mf##*/}: not the pinned manifest"; return; }
	fi
	xml=$src/.repo/manifests/default.xml
	while read -r name path rev; do
		s4_verify "$src" "$path" "$rev" 2>/dev/null && continue
		f=$(s4_snapshot "$name" "$rev") ||
			{ s4_fail 1 "no source snapshot $name-${rev:0:12}.tar.xz in $S4_THIRD_PARTY"; return; }
		s4_unpack "$f" "$rev" "$src/$path" || { s4_fail 2 "${f##*/}: wrong commit"; return; }
	done < <(s4_projects "$xml")
	s4_links "$src" || return 2
	printf '%s\n' "$src"
}

s4_patches() { ls "$SL_ROOT"/patches/sel4bench/*.patch 2>/dev/null; }

# Cache keys: the tree is every pinned revision and the patches; the build
# that tree and the configuration.
s4_tree_key() {
	{
		s4_projects "$1/.repo/manifests/default.xml"
		s4_patches | xargs -r cat
	} | sha256sum | cut -c1-16
}
s4_key() { printf '%s\n' "$(s4_tree_key "$1")" "${S4_CONFIG[@]}" | sha256sum | cut -c1-16; }

# s4_patched SRC: a copy of SRC with patches/sel4bench/ applied (the
# sources themselves, a snapshot or the user's tree, are never changed).
s4_patched() {
	local src=$1 tree p
	tree=$SL_BUILD/sel4/tree-$(s4_tree_key "$src")
	if [ -f "$tree/.syslat-patched" ]; then
		printf '%s\n' "$tree"
		return 0
	fi
	if ! { rm -rf "$tree" && mkdir -p "$tree" &&
	       rsync -a --exclude=.git --exclude=.sel4_cache "$src/" "$tree/"; }; then
		s4_fail 2 "cannot copy $src to $tree"
		return
	fi
	[ -e "$tree/init-build.sh" ] || s4_links "$tree" || return 2
	for p in $(s4_patches); do
		patch -p1 -d "$tree" --forward --batch -s <"$p" >"$tree.patch.log" 2>&1 ||
			{ s4_fail 2 "${p#"$SL_ROOT"/} does not apply to $src ($tree.patch.log)"; return; }
	done
	: >"$tree/.syslat-patched"
	printf '%s\n' "$tree"
}

s4_build() {
	local src tree dir key log
	src=$(s4_sources) || return
	key=$(s4_key "$src")
	dir=$SL_BUILD/sel4/build-$key
	log=$SL_BUILD/sel4/build-$key.log
	if [ -s "$dir/images/kernel-x86_64-pc99" ] && [ -s "$dir/images/sel4benchapp-image-x86_64-pc99" ]; then
		sl_log "seL4: cached build $dir"
		printf '%s\n' "$dir"
		return 0
	fi
	tree=$(s4_patched "$src") || return
	rm -rf "$dir" && mkdir -p "$dir" || return 2
	sl_log "seL4: building sel4bench in $dir (log $log)"
	# The build calls plain python3 and needs Debian's modules: Debian's first.
	if ! (cd "$dir" && export PATH=/usr/bin:/bin:$PATH &&
	      "$tree"/init-build.sh "${S4_CONFIG[@]}" && ninja) >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		s4_fail 2 "sel4bench build failed (log $log)"
		return
	fi
	printf '%s\n' "$dir"
}

# s4_boot BUILD LOG JSON: boot the image, end the guest as soon as sel4bench
# prints END JSON OUTPUT (it never powers off), keep the JSON between the
# markers. S4_TMO seconds is only the failure limit. LOG starts with the
# "syslat-sel4: KEY=VALUE" lines syslat reduce reads (version, config, unit).
s4_boot() {
	local dir=$1 log=$2 json=$3 t0 pid rc=0
	local -a acc
	local unit='instructions (icount)'
	if [ "${SL_ACCEL:-tcg}" = kvm ]; then
		acc=(-accel kvm -cpu host)	# libsel4bench wants an Intel host
		unit=cycles
	else
		# shellcheck disable=SC2054  # the comma is qemu's, inside one argument
		acc=(-accel tcg -cpu max,vendor=GenuineIntel -icount shift=0)
	fi
	printf 'syslat-sel4: system=%s\nsyslat-sel4: config=%s\nsyslat-sel4: unit=%s\nsyslat-sel4: build=%s\n' \
		"$S4_VERSION" "$S4_CONFIG_NAME" "$unit" "$S4_CONFIG_TEXT" >"$log" || return 2
	rm -f "$json"
	timeout -k 5 "$S4_TMO" "$SL_QEMU" "${acc[@]}" -m 512M -nodefaults -no-user-config \
		-display none -monitor none -chardev "file,id=s4,path=$log,append=on" -serial chardev:s4 -no-reboot \
		-kernel "$dir/images/kernel-x86_64-pc99" -initrd "$dir/images/sel4benchapp-image-x86_64-pc99" \
		</dev/null >"$log.qemu" 2>&1 &
	pid=$!
	SL_QEMU_PID=$pid
	t0=$(date +%s)
	while kill -0 "$pid" 2>/dev/null; do
		grep -q 'END JSON OUTPUT' "$log" 2>/dev/null && break
		sleep 0.2
	done
	if grep -q 'END JSON OUTPUT' "$log"; then
		sl_kill_guest
	else
		wait "$pid" || rc=$?
		# shellcheck disable=SC2034  # lib.sh's, read by sl_kill_guest
		SL_QEMU_PID=
		s4_fail 2 "sel4bench printed no END JSON OUTPUT (qemu status $rc after $(($(date +%s) - t0)) s; log $log)"
		return
	fi
	# json_dumpf ends without a newline: the end marker follows the last ']'.
	sl_clean "$log" | awk '/END JSON OUTPUT/ { sub(/END JSON OUTPUT.*/, ""); if (on) print; exit }
		on { print } /^JSON OUTPUT$/ { on = 1 }' >"$json"
	[ -s "$json" ] || { s4_fail 2 "no JSON between sel4bench's markers (log $log)"; return; }
	# Checked here, so that one garbled boot fails alone instead of syslat
	# reduce refusing every system's logs at the end.
	jq -e 'type == "array" and length > 0' "$json" >/dev/null 2>&1 ||
		{ s4_fail 2 "sel4bench's output between its markers is not a JSON list (log $log)"; return; }
	sl_log "seL4: sel4bench done in $(($(date +%s) - t0)) s"
}

# --- vm-bench.sh's system interface -----------------------------------------

sys_sel4_sources() {
	local rc
	[ -n "${SRC_sel4:-}" ] && export SEL4_SRC=$SRC_sel4	# vm-bench --src sel4=DIR
	s4_sources >/dev/null
	rc=$?
	# shellcheck disable=SC2034  # vm-bench.sh's
	SYS_WHY=$S4_WHY
	return $rc
}

# Build (cached), then BOOTS boots; each boot's console log and JSON are
# OUT/sel4-CONFIG-bootN.{log,json}; the logs join LOGS for syslat reduce.
sys_sel4_run() {
	local dir b log st
	S4_TMO=${TMO:-$S4_TMO}
	if ! dir=$(s4_build); then
		sl_log "FAIL: seL4: no sel4bench image (build log under $SL_BUILD/sel4/, above)"
		FAILS=$((FAILS + 1))
		return
	fi
	printf 'sel4: %s, configuration %s: %s; cmake %s; QEMU -cpu max,vendor=GenuineIntel (TCG) or host (KVM); image %s\n' \
		"$S4_VERSION" "$S4_CONFIG_NAME" "$S4_CONFIG_TEXT" "${S4_CONFIG[*]}" "${dir#"$SL_ROOT"/}" >>"$OUT/systems.txt"
	sl_log "== seL4: $BOOTS boot(s) of $dir/images"
	for b in $(seq 1 "$BOOTS"); do
		log="$OUT/sel4-$S4_CONFIG_NAME-boot$b.log"
		SL_ACCEL=${ACCEL:-tcg} s4_boot "$dir" "$log" "${log%.log}.json"
		st=$?
		if [ $st -ne 0 ]; then
			sl_log "FAIL: seL4 boot $b: $S4_WHY; last lines:"
			sl_tail "$log" >&2
			FAILS=$((FAILS + 1))
			continue
		fi
		LOGS+=("$log")
	done
}
