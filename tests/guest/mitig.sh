# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The mitigation matrix of vm-bench (sourced after lib.sh): which kernel
# parameter turns off which mitigation, taken from the guest's own
# /sys/devices/system/cpu/vulnerabilities/* and the kernel's documented
# parameters (Documentation/admin-guide/kernel-parameters.txt of the
# linux-source tarball of the same major.minor), never guessed.
#
#   mt_cpu_ok MODEL            MODEL (before any ",+flag") is in qemu -cpu help
#   mt_params_doc VER          -> path of VER's kernel-parameters.txt (cached)
#   mt_documented DOC PARAM    PARAM ("name", "name=value") is documented,
#                              and so is its value
#   mt_check_args DOC ARGS     every token of ARGS documented (else says which)
#   mt_knobs DOC JSON          one "name<TAB>params<TAB>vulns<TAB>why" line per
#                              knob the default guest (result JSON) reports
#   mt_verdict JSON0 JSON VULNS KMSG PARAMS
#                              "effective: ..." / "no effect: ..." / "rejected: ..."
#   mt_verdicts OUT            OUT/matrix.tsv from OUT/matrix-plan.tsv

# Every knob name mt_knobs can offer (vm-bench --knobs checks against it).
MT_KNOB_NAMES="pti spectre_v1 spectre_v2 spectre_v2_user spectre_bhi spec_store_bypass l1tf
mds tsx_async_abort mmio_stale_data reg_file_data_sampling retbleed spec_rstack_overflow
gather_data_sampling srbds indirect_target_selection tsa vmscape cpu_buffers"
MT_KNOB_NAMES=${MT_KNOB_NAMES//$'\n'/ }

mt_cpu_ok() {
	local model=${1%%,*}
	"$SL_QEMU" -cpu help 2>/dev/null | awk '$1 == "x86" { print $2 }' | grep -qxF -- "$model"
}

mt_params_doc() {
	local mm tb out
	mm=$(printf '%s\n' "$1" | sed -nE 's/^([0-9]+\.[0-9]+).*/\1/p')
	tb=
	for tb in /usr/src/linux-source-"$mm".tar.*; do [ -e "$tb" ] && break; tb=; done
	if [ -z "$mm" ] || [ -z "$tb" ]; then
		sl_log "no /usr/src/linux-source-$mm.tar.* for kernel $1 (make deps installs linux-source-$mm)"
		return 1
	fi
	out="$SL_BUILD/kernel-parameters-$mm.txt"
	if [ ! -s "$out" ] || [ "$tb" -nt "$out" ]; then
		mkdir -p "$SL_BUILD"
		tar -xf "$tb" --wildcards -O '*/Documentation/admin-guide/kernel-parameters.txt' \
			>"$out.tmp" 2>/dev/null
		[ -s "$out.tmp" ] || { rm -f "$out.tmp"; sl_log "no kernel-parameters.txt in $tb"; return 1; }
		mv "$out.tmp" "$out"
	fi
	printf '%s\n' "$out"
}

# The entry of parameter NAME: its first line to the next entry's.
mt_entry() {
	awk -v n="$2" '
		p && /^\t[^\t ]/ { exit }
		!p && /^\t[^\t ]/ { t = substr($0, 2); sub(/[\t ].*/, "", t)
			if (t == n || t == n "=") p = 1 }
		p' "$1"
}

mt_documented() {
	local doc=$1 name=${2%%=*} val='' e
	case $2 in *=*) val=${2#*=} ;; esac
	e=$(mt_entry "$doc" "$name")
	[ -n "$e" ] || return 1
	if [ -n "$val" ]; then
		printf '%s\n' "$e" | head -n 1 | grep -q "^.$name=" || return 1
		# A keyword value must be one the entry names; numbers, lists and
		# device names are not enumerated there.
		case $val in *[!a-z_-]*) return 0 ;; esac
		printf '%s\n' "$e" | grep -qw -- "$val"
	else
		printf '%s\n' "$e" | head -n 1 | grep -qP "^\t\Q$name\E(\s|$)"
	fi
}

mt_check_args() {
	local doc=$1 t bad=
	for t in $2; do
		case $t in
		*.*=* | *.*) ;;	# a module's parameter: not in this file
		*) mt_documented "$doc" "$t" || bad="$bad $t" ;;
		esac
	done
	[ -z "$bad" ] || { sl_log "not documented for this kernel ($doc):$bad"; return 1; }
}

# The knob of one vulnerability file, or nothing. Its parameter(s) first.
mt_knob_of() {
	case $1 in
	meltdown) echo "pti nopti" ;;
	spectre_v1) echo "spectre_v1 nospectre_v1" ;;
	spectre_v2) echo "spectre_v2 nospectre_v2" ;;
	spec_store_bypass) echo "spec_store_bypass spec_store_bypass_disable=off" ;;
	itlb_multihit) ;;	# kvm.nx_huge_pages: KVM's, nothing on the syscall path
	*) echo "$1 $1=off" ;;
	esac
}

# Nothing enabled: nothing to turn off (booting it would measure noise).
mt_enabled() {
	case $1 in
	'Not affected'* | Vulnerable | 'Vulnerable; '* | Unknown* | '') return 1 ;;
	esac
}

mt_knobs() {
	local doc=$1 json=$2 v s k p all
	all=$(jq -r '.env.vulnerabilities // {} | to_entries[] | "\(.key)\t\(.value)"' "$json") || return 1
	while IFS=$'\t' read -r v s; do
		[ -n "$v" ] || continue
		if ! mt_enabled "$s"; then
			sl_log "  matrix: $v: nothing to turn off ($s)"; continue
		fi
		read -r k p <<<"$(mt_knob_of "$v")"
		if [ -z "$k" ]; then
			sl_log "  matrix: $v: no kernel knob on the guest's path ($s)"; continue
		fi
		if ! mt_documented "$doc" "$p"; then
			sl_log "  matrix: $v: $p is not documented for this kernel: left out"; continue
		fi
		printf '%s\t%s\t%s\t%s\n' "$k" "$p" "$v" "$s"
		mt_sub_knobs "$doc" "$v" "$s"
	done <<<"$all"
	mt_group "$doc" "$all"
}

# spectre_v2's line also reports the user-space part and BHI.
mt_sub_knobs() {
	[ "$2" = spectre_v2 ] || return 0
	if printf '%s' "$3" | grep -qE '(STIBP|IBPB): (forced|conditional|always-on)' &&
	   mt_documented "$1" spectre_v2_user=off; then
		printf 'spectre_v2_user\tspectre_v2_user=off\tspectre_v2\t%s\n' "$3"
	fi
	if printf '%s' "$3" | grep -qE 'BHI: (Retpoline|BHI_DIS_S|SW loop|Syscall hardening)' &&
	   mt_documented "$1" spectre_bhi=off; then
		printf 'spectre_bhi\tspectre_bhi=off\tspectre_v2\t%s\n' "$3"
	fi
}

# MDS, TAA, MMIO stale data and RFDS share one mitigation (VERW clears the
# CPU buffers); kernel-parameters.txt says each must be turned off for any
# one to be: one more configuration with all of them.
mt_group() {
	local doc=$1 v s p='' vs='' n=0
	while IFS=$'\t' read -r v s; do
		case $v in mds | tsx_async_abort | mmio_stale_data | reg_file_data_sampling) ;; *) continue ;; esac
		mt_documented "$doc" "$v=off" || continue
		p="$p $v=off"
		mt_enabled "$s" && { vs="$vs,$v"; n=$((n + 1)); }
	done <<<"$2"
	[ $n -gt 0 ] && printf 'cpu_buffers\t%s\t%s\t%s\n' "${p# }" "${vs#,}" "VERW buffer clearing"
}

# Did the knob change what the guest reports? JSON0: the default's result;
# PARAMS: the knob's parameters, looked for in the kernel's complaints. The
# vulnerabilities files decide: 6.1 parses nopti with cmdline_find_option()
# and still calls it an "Unknown kernel command line parameter".
mt_verdict() {
	local j0=$1 j=$2 vulns=$3 kmsg=$4 params=$5 v a b t changed='' bad=''
	while IFS= read -r t; do
		case $t in
		*'Unknown kernel command line parameters'*)
			for v in $params; do
				case $t in *"\"$v"* | *" $v"*) bad="$bad ${t#*] }" ;; esac
			done ;;
		*) bad="$bad ${t#*] }" ;;
		esac
	done < <(sl_clean "$kmsg" 2>/dev/null |
		grep -aE 'Unknown kernel command line parameters|[Uu]nknown option|Malformed (early )?option')
	for v in ${vulns//,/ }; do
		a=$(jq -r --arg v "$v" '.env.vulnerabilities[$v] // "?"' "$j0")
		b=$(jq -r --arg v "$v" '.env.vulnerabilities[$v] // "?"' "$j")
		[ "$a" != "$b" ] && changed="$changed; $v: $b"
	done
	bad=$(printf '%s' "$bad" | cut -c1-160)
	if [ -n "$changed" ]; then
		echo "effective: ${changed#; }${bad:+ (the kernel also printed:$bad)}"
	elif [ -n "$bad" ]; then
		echo "rejected:$bad"
	else
		echo "no effect: $vulns unchanged ($(jq -r --arg v "${vulns%%,*}" '.env.vulnerabilities[$v]' "$j"))"
	fi
}

# mt_verdicts OUT: OUT/matrix.tsv from OUT/matrix-plan.tsv and the boots' results.
mt_verdicts() {
	local out=$1 k name params vulns verdict j
	printf 'kernel\tconfig\tparams\tvulnerabilities\tverdict\n' >"$out/matrix.tsv"
	while IFS=$'\t' read -r k name params vulns; do
		j="$out/$k-$name-boot1.json"
		if [ -s "$j" ] && [ -s "$out/$k-default-boot1.json" ]; then
			verdict=$(mt_verdict "$out/$k-default-boot1.json" "$j" "$vulns" \
				"$out/$k-$name-boot1.log.kmsg" "$params")
		else
			verdict="failed: no result"
		fi
		printf '  %s %s (%s): %s\n' "$k" "$name" "$params" "$verdict"
		printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$name" "$params" "$vulns" "$verdict" >>"$out/matrix.tsv"
	done <"$out/matrix-plan.tsv"
}
