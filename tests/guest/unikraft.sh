# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The Unikraft system of vm-bench (sourced after lib.sh): Unikraft 0.5.0
# (Tethys) with app-elfloader, as the EuroSys'21 artifact built it for its
# Table 1, from pinned sources, cached under $SL_BUILD/unikraft/.
#
#   uk_sources               where the sources are (UK_SRC), or why not (UK_WHY); 1 if absent
#   uk_image                 -> the elfloader_kvm-x86_64 image, built when not cached
#   uk_label                 "unikraft-0.5.0~1ed1dc1" (the version the artifact's config names)
#   uk_boot [--icount] [--timeout S] IMAGE PROGRAM LOG ARGS...
#                            boot IMAGE with PROGRAM as its initrd; the console -> LOG
#
# Sources: a directory (vm-bench --src unikraft=DIR, or $SYSLAT_UNIKRAFT_SRC;
# default $SYSLAT_THIRD_PARTY, ../shared/third_party beside the tree) holding
# either the three snapshots NAME-COMMIT12.tar.xz (git archive tarballs: the
# commit in their pax header is checked with git get-tar-commit-id) or three
# git clones NAME/ (checked with git rev-parse HEAD), and the artifact's
# configuration eurosys21-tab01-config.app-elfloader (checked by sha256).
# Any change the build needs is a patch in patches/unikraft/NAME/ (none today).

UK_COMMITS=(
	"unikraft 1ed1dc1d1172865dc9316ed0d4455fb991b3ab19"
	"app-elfloader 665359089027bf7df9337915eaf8fc55eab37801"
	"lib-libelf 7692de06a1141ea03f8f456ae84bfee31ac7e3f6"
)
UK_CONFIG_NAME=eurosys21-tab01-config.app-elfloader
UK_CONFIG_SHA=9b0bc72e5aabadabefe631574036a303d73cc823177b2db2a16864b081d76a76
UK_SRC="" UK_WHY=""

uk_label() { echo "unikraft-0.5.0~${UK_COMMITS[0]:9:7}"; }

# uk_src_kind DIR NAME COMMIT: "tar FILE", "git DIR", or nothing (absent).
# A source of the wrong commit is an error (status 2, the reason on stderr).
uk_src_kind() {
	local dir=$1 name=$2 commit=$3 f got
	f="$dir/$name-${commit:0:12}.tar.xz"
	if [ -f "$f" ]; then
		got=$(xz -dc "$f" | git get-tar-commit-id 2>/dev/null)
		[ "$got" = "$commit" ] || { sl_log "unikraft: $f carries commit '${got:-none}', not $commit"; return 2; }
		echo "tar $f"
	elif [ -d "$dir/$name" ]; then
		got=$(git -C "$dir/$name" rev-parse HEAD 2>/dev/null)
		[ -n "$got" ] || { sl_log "unikraft: $dir/$name is not a git clone: its commit cannot be checked (use a clone or the snapshot tarballs)"; return 2; }
		[ "$got" = "$commit" ] || { sl_log "unikraft: $dir/$name is at $got, not the pinned $commit"; return 2; }
		echo "git $dir/$name"
	fi
}

# Sets UK_SRC when every source is present and at its commit. Absent
# sources: status 1, UK_WHY says which (the system is skipped); a wrong
# commit or configuration: status 2 (an error).
uk_sources() {
	local dir=${SYSLAT_UNIKRAFT_SRC:-${SYSLAT_THIRD_PARTY:-$SL_ROOT/../shared/third_party}} e k rc name commit
	UK_SRC="" UK_WHY=""
	[ -d "$dir" ] || { UK_WHY="no source directory $dir"; return 1; }
	for e in "${UK_COMMITS[@]}"; do
		name=${e% *} commit=${e#* }
		k=$(uk_src_kind "$dir" "$name" "$commit"); rc=$?
		[ $rc = 0 ] || return 2
		[ -n "$k" ] || { UK_WHY="$dir has neither $name-${commit:0:12}.tar.xz nor a clone $name/"; return 1; }
	done
	[ -f "$dir/$UK_CONFIG_NAME" ] || { UK_WHY="no $dir/$UK_CONFIG_NAME"; return 1; }
	k=$(sha256sum <"$dir/$UK_CONFIG_NAME"); k=${k%% *}
	[ "$k" = "$UK_CONFIG_SHA" ] || { sl_log "unikraft: $dir/$UK_CONFIG_NAME: sha256 $k, not the artifact's $UK_CONFIG_SHA"; return 2; }
	UK_SRC=$dir
}

# The cache key: the pinned commits, the configuration, the patches, and
# the recipe's revision (UK_RECIPE: raised when uk_image builds differently,
# so that images built the old way are not taken from the cache).
UK_RECIPE=2
uk_key() {
	{
		printf '%s\n' "${UK_COMMITS[@]}" "$UK_CONFIG_SHA" "recipe $UK_RECIPE"
		cat "$SL_ROOT"/patches/unikraft/*/*.patch 2>/dev/null
	} | sha256sum | cut -c1-12
}

# uk_unpack DIR NAME DEST: the tree of one source into DEST.
uk_unpack() {
	local k
	k=$(uk_src_kind "$1" "$2" "$3") || return 1
	mkdir -p "$4" || return 1
	case $k in
	tar*) xz -dc "${k#tar }" | tar -x -C "$4" --strip-components=1 ;;
	git*) git -C "${k#git }" archive HEAD | tar -x -C "$4" ;;
	esac
}

# uk_make_tree WORK: unpacked and patched trees, the configuration adjusted.
uk_make_tree() {
	local w=$1 e name dest p
	for e in "${UK_COMMITS[@]}"; do
		name=${e% *}
		dest="$w/$name"
		[ "$name" = lib-libelf ] && dest="$w/libs/libelf"	# the library's own name, as L= wants
		uk_unpack "$UK_SRC" "$name" "${e#* }" "$dest" || return 1
		for p in "$SL_ROOT/patches/unikraft/$name"/*.patch; do
			[ -e "$p" ] || continue
			patch -d "$dest" -p1 --forward --batch <"$p" || { sl_log "unikraft: $p does not apply"; return 1; }
		done
	done
	# The artifact's paths name its machine: point them here, then
	# olddefconfig (new symbols get their defaults, nothing is asked).
	sed -e "s#^CONFIG_UK_BASE=.*#CONFIG_UK_BASE=\"$w/unikraft\"#" \
	    -e "s#^CONFIG_UK_APP=.*#CONFIG_UK_APP=\"$w/app-elfloader\"#" \
	    "$UK_SRC/$UK_CONFIG_NAME" >"$w/app-elfloader/.config"
}

# The image, built once per key: $SL_BUILD/unikraft/KEY/elfloader_kvm-x86_64.
# UK_ROOT and UK_LIBS go in the environment: on make's command line
# UK_LIBS would override Unikraft's own variable of that name. WITH_ZYDIS=n
# WITH_LWIP=n keep the libraries the configuration leaves off off the
# library path, so nothing is downloaded. Debian's python3 first on PATH
# (support/scripts/sect-strip.py), as sel4.sh: what tests/deps.sh installs
# is what the build runs. GIT_CEILING_DIRECTORIES: Unikraft's version string
# appends `git rev-parse --short HEAD` (support/scripts/gitsha1), which, from
# an unpacked tree under build/, found syslat's own repository and stamped
# syslat's commit into the image as Unikraft's ("0.5.0~de865e1").
uk_image() {
	local key dir w log img
	[ -n "$UK_SRC" ] || uk_sources || { sl_log "unikraft: ${UK_WHY:-bad sources}"; return 1; }
	key=$(uk_key)
	dir="$SL_BUILD/unikraft/$key" img="$SL_BUILD/unikraft/$key/elfloader_kvm-x86_64"
	log="$SL_BUILD/unikraft/$key.log"
	[ -s "$img" ] && { printf '%s\n' "$img"; return 0; }
	w="$SL_BUILD/unikraft/$key.src"
	rm -rf "$w" "$dir"
	mkdir -p "$w" || return 1
	sl_log "unikraft: building the elfloader image ($log)"
	if ! { uk_make_tree "$w" &&
	       (cd "$w/app-elfloader" && export PATH=/usr/bin:/bin:$PATH GIT_CEILING_DIRECTORIES="$w" \
			UK_ROOT="$w/unikraft" UK_LIBS="$w/libs" &&
		make WITH_ZYDIS=n WITH_LWIP=n olddefconfig &&
		make WITH_ZYDIS=n WITH_LWIP=n -j"$(nproc)"); } >"$log" 2>&1; then
		sl_log "unikraft: build failed ($log):"
		tail -n 20 "$log" >&2
		rm -rf "$w"
		return 1
	fi
	if ! { mkdir -p "$dir" &&
	       cp "$w/app-elfloader/build/elfloader_kvm-x86_64" "$w/app-elfloader/.config" "$dir/"; }; then
		sl_log "unikraft: cannot keep the image in $dir"
		rm -rf "$w" "$dir"
		return 1
	fi
	rm -rf "$w"
	printf '%s\n' "$img"
}

# uk_boot [--icount] [--accel A] [--timeout S] IMAGE PROGRAM LOG ARGS...: the
# program's stdout and Unikraft's messages share the one serial console
# (LOG); the VM powers off when the program's main returns. -cpu max under
# TCG: the artifact's qemu64,-vmx,-svm,+invtsc has no RDTSCP under TCG.
uk_boot() {
	local icount=0 tmo=120 accel=tcg
	local -a acc
	while [ $# -gt 0 ]; do
		case $1 in
		--icount) icount=1 ;;
		--accel) accel=$2; shift ;;
		--timeout) tmo=$2; shift ;;
		*) break ;;
		esac
		shift
	done
	local img=$1 prog=$2 log=$3
	shift 3
	if [ "$accel" = kvm ]; then
		acc=(-accel kvm -cpu host)
	elif [ $icount = 1 ]; then
		acc=(-accel tcg -cpu max -icount shift=0)
	else
		acc=(-accel tcg -cpu max)
	fi
	timeout -k 10 "$tmo" "$SL_QEMU" "${acc[@]}" -m 64 \
		-nodefaults -no-user-config -display none -monitor none \
		-serial stdio -no-reboot \
		-kernel "$img" -initrd "$prog" -append "$*" \
		</dev/null >"$log" 2>&1 &
	SL_QEMU_PID=$!
	local rc=0
	wait "$SL_QEMU_PID" || rc=$?
	SL_QEMU_PID=
	return $rc
}
