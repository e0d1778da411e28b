#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# What the host scripts share; they source it (bash). It sets no shell
# options; its variables are the counts, passed and failed, and its own
# lib_repo and kver_root.
#
# Counting: one "ok - NAME" or "not ok - NAME" line per check, each check
# counted once, and a closing "NAME: N passed, M failed" line.
#
#   ok NAME, not_ok NAME     count a check whose result the caller knows
#   check NAME COMMAND...    COMMAND's exit status is the check's result
#   check_logged NAME LOG COMMAND...
#                            the same with COMMAND's output in LOG, whose
#                            last lines are shown when it fails
#   count P F                add P passed and F failed checks
#   add_counts NAME LOG      add a sub-suite's closing line, found in LOG
#   guest_boot DIR ARGS...   scripts/guest.sh -q -b DIR ARGS..., with its
#                            status; DIR/guest-output.log is this boot's
#                            output (empty if it did not start), never a
#                            previous boot's
#   guest_result RC DIR SUITE [LABEL]
#                            add the guest script's closing line and the
#                            harness verdict of that boot
#   summary [NAME]           the closing line; fails if a check failed
#   skip NAME, indent        "skip - NAME"; indent a report under its line
#   copy_changed DIR FILE... copy the FILEs whose bytes DIR lacks (kbuild
#                            then rebuilds exactly what changed)
#
# Kernels: which installed kernel to build for, and to boot in the guest.
# Debian's releases are ABI[-FEATURESET]-FLAVOUR: 6.1.0-56-amd64,
# 6.1.0-56-rt-amd64, 6.1.0-56-cloud-amd64, 6.12.38+deb13-amd64. A release
# is of FLAVOUR (default amd64, the generic one) when it ends in -FLAVOUR
# right after its ABI, so -rt-amd64 and -cloud-amd64 are not amd64 ones;
# FLAVOUR=rt-amd64 or FLAVOUR=cloud-amd64 picks those. KSERIES=6.1 or
# KSERIES=6.12 keeps only the releases of that series (6.1.0-56-amd64 is of
# 6.1, not of 6.12). Of the releases of FLAVOUR (and KSERIES) the newest
# (sort -V) is taken; KVER=RELEASE takes that release, whatever its flavour.
#
#   headers_kver    the release to build for: KVER, else the running
#                   kernel's if it is of FLAVOUR and has a build directory,
#                   else the newest of FLAVOUR in /usr/src/linux-headers-*
#   headers_kdir    its build directory, or KDIR if that is set (what
#                   `make` uses when KDIR is not given)
#   guest_kver      the release scripts/guest.sh boots: KVER, else the
#                   newest of FLAVOUR with both /usr/src/linux-headers-REL
#                   and /boot/vmlinuz-REL
#   make_for_guest ARGS...
#                   make ARGS... (samples, tests) against guest_kver's
#                   headers: modules the guest kernel can load
#   source_tarball  the newest /usr/src/linux-source-*.tar.xz
#   kver_meta       the suffix of the meta-packages for FLAVOUR and KSERIES
#                   (linux-headers-SUFFIX, linux-image-SUFFIX)
#
# They print the answer, or an error on stderr and fail. Run as a program,
# this file prints one of them (the Makefile's KDIR comes from here):
#
#   scripts/lib.sh kdir|kver|guest-kver|source-tarball|meta
#
# scripts/test_lib.sh tests the kernel choice against fake trees, and the
# counting.

lib_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passed=0
failed=0

lib_err() { echo "${0##*/}: $*" >&2; }
# lib_rel PATH: PATH relative to the repository, as reports name it.
lib_rel() { echo "${1#"$lib_repo"/}"; }

# ---- counting ---------------------------------------------------------------

ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
skip() { echo "skip - $1"; }
indent() { sed 's/^/    /'; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
	fi
}

check_logged() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		not_ok "$name (log: $(lib_rel "$log"))"
		tail -n 20 "$log" | indent
	fi
}

# counts_line FILE [ERE]: the last line of FILE (CRs dropped) that says
# "N passed, M failed" right after ERE (anywhere without ERE).
counts_line() {
	tr -d '\r' 2>/dev/null <"$1" |
		grep -E "${2:-}[0-9]+ passed, [0-9]+ failed" | tail -n 1 || true
}

# count_line LINE: add the counts of a "N passed, M failed" line; fails,
# adding nothing, when LINE is none or has failures.
count_line() {
	[[ $1 =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]] || return
	count "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
	[ "${BASH_REMATCH[2]}" -eq 0 ]
}

# add_counts NAME LOG: add the last "N passed, M failed" line of the
# sub-suite NAME's LOG and show it, with its failures. A LOG without one is
# one failure: the sub-suite did not get to its end.
add_counts() {
	local name=$1 log=$2 line
	line=$(counts_line "$log")
	if [ -z "$line" ]; then
		not_ok "$name printed no counts (log: $(lib_rel "$log"))"
		tail -n 20 "$log" | indent
		return
	fi
	echo "$line"
	if ! count_line "$line"; then
		echo "    (log: $(lib_rel "$log"))"
		grep -E '^not ok|\[FAILED\]|FAIL:' "$log" | head -n 20 | indent
	fi
}

guest_boot() {
	local dir=$1 rc=0
	shift
	mkdir -p "$dir"
	rm -f "$dir/guest-output.log"
	"$lib_repo/scripts/guest.sh" -q -b "$dir" "$@" || rc=$?
	touch "$dir/guest-output.log"
	return "$rc"
}

# guest_result RC DIR SUITE [LABEL]: count a guest boot of guest_boot DIR
# that exited with RC: the guest script's "SUITE: N passed, M failed" line
# (none if it did not finish, which the verdict counts), then the harness
# verdict (clean kernel log, guest finished) as one more check. LABEL
# prefixes the lines.
guest_result() {
	local rc=$1 dir=$2 suite=$3 label=${4:+$4: } line
	line=$(counts_line "$dir/guest-output.log" "^$suite: ")
	echo "# ${label}guest counts: ${line:-none}"
	count_line "$line" || true
	if [ "$rc" = 0 ]; then
		ok "${label}guest harness verdict"
	else
		not_ok "${label}guest harness verdict (exit $rc, log: ${GUEST_LOG:-$dir/console.log})"
	fi
}

summary() {
	echo "${1:+$1: }$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# copy_changed DIR FILE...: copy each FILE into DIR unless DIR holds the
# same bytes already. A copy gets a new mtime and an unchanged file keeps
# its old one, so kbuild rebuilds what changed, and only that, whichever
# worktree or branch the copy comes from (cp -p kept the source's mtime,
# which can be older than an object built from other contents).
copy_changed() {
	local dir=$1 f
	shift
	for f in "$@"; do
		cmp -s "$f" "$dir/${f##*/}" || cp "$f" "$dir/" || return
	done
}

# ---- kernels ------------------------------------------------------------------

# Prefixed to /usr/src, /boot and /lib/modules: the self-test's fake trees.
kver_root=
kver_running() { uname -r; }

# kver_of_flavour RELEASE: RELEASE is of FLAVOUR: it ends in -FLAVOUR, and
# what comes before is the ABI, whose last dash-separated part starts with a
# digit (no featureset such as rt, no other flavour such as cloud); and with
# KSERIES, it starts with KSERIES and a dot.
kver_of_flavour() {
	local flavour=${FLAVOUR:-amd64} abi
	case $1 in
	"${KSERIES:+$KSERIES.}"*) ;;
	*) return 1 ;;
	esac
	case $1 in
	*-"$flavour") ;;
	*) return 1 ;;
	esac
	abi=${1%-"$flavour"}
	case ${abi##*-} in
	[0-9]*) return 0 ;;
	*) return 1 ;;
	esac
}

# kver_meta: the suffix of Debian 12's meta-packages that pull in the
# newest linux-image/linux-headers of FLAVOUR and KSERIES: amd64 and
# rt-amd64 are 6.1's; 6.12's are 6.12-amd64 and 6.12-rt-amd64.
kver_meta() {
	case ${KSERIES:-6.1} in
	6.1) echo "${FLAVOUR:-amd64}" ;;
	*) echo "$KSERIES-${FLAVOUR:-amd64}" ;;
	esac
}

# kver_kdir RELEASE: its build directory, Debian's headers first.
kver_kdir() {
	local d
	for d in "$kver_root/usr/src/linux-headers-$1" "$kver_root/lib/modules/$1/build"; do
		[ -f "$d/Makefile" ] && { echo "$d"; return 0; }
	done
	return 1
}

# kver_list [boot]: the releases of FLAVOUR with headers in /usr/src (with
# "boot", and an image in /boot), oldest first.
kver_list() {
	local d v
	for d in "$kver_root"/usr/src/linux-headers-*; do
		v=${d##*/linux-headers-}
		[ -f "$d/Makefile" ] && kver_of_flavour "$v" || continue
		[ "${1:-}" != boot ] || [ -f "$kver_root/boot/vmlinuz-$v" ] || continue
		echo "$v"
	done | sort -V
}

headers_kver() {
	local v
	if [ -n "${KVER:-}" ]; then
		kver_kdir "$KVER" >/dev/null ||
			{ lib_err "KVER=$KVER: no /usr/src/linux-headers-$KVER (apt-get install linux-headers-$KVER)"; return 1; }
		echo "$KVER"
		return
	fi
	v=$(kver_running)
	if kver_of_flavour "$v" && [ -f "$kver_root/lib/modules/$v/build/Makefile" ]; then
		echo "$v"
		return
	fi
	v=$(kver_list | tail -n 1)
	[ -n "$v" ] ||
		{ lib_err "no /usr/src/linux-headers-${KSERIES:+$KSERIES.}*-${FLAVOUR:-amd64}; run: apt-get install linux-headers-$(kver_meta)"; return 1; }
	echo "$v"
}

headers_kdir() {
	local v
	if [ -n "${KDIR:-}" ]; then
		echo "$KDIR"
		return
	fi
	v=$(headers_kver) || return
	kver_kdir "$v"
}

guest_kver() {
	local v want="/usr/src/linux-headers-VER and /boot/vmlinuz-VER"
	if [ -n "${KVER:-}" ]; then
		[ -f "$kver_root/usr/src/linux-headers-$KVER/Makefile" ] &&
			[ -f "$kver_root/boot/vmlinuz-$KVER" ] ||
			{ lib_err "KVER=$KVER: need ${want//VER/$KVER} (apt-get install linux-image-$KVER linux-headers-$KVER)"; return 1; }
		echo "$KVER"
		return
	fi
	v=$(kver_list boot | tail -n 1)
	[ -n "$v" ] ||
		{ lib_err "need $want of a ${KSERIES:+$KSERIES }${FLAVOUR:-amd64} kernel (apt-get install linux-image-$(kver_meta) linux-headers-$(kver_meta))"; return 1; }
	echo "$v"
}

make_for_guest() {
	local v
	v=$(guest_kver) || return
	make -C "$lib_repo" --no-print-directory "$@" KDIR="$kver_root/usr/src/linux-headers-$v"
}

source_tarball() {
	local t
	t=$(find "$kver_root/usr/src" -maxdepth 1 -name 'linux-source-*.tar.xz' 2>/dev/null |
		sort -V | tail -n 1)
	[ -n "$t" ] ||
		{ lib_err "no /usr/src/linux-source-*.tar.xz; run: apt-get install linux-source-6.1"; return 1; }
	echo "$t"
}

# ---- run as a program -----------------------------------------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case ${1:-} in
	kdir) headers_kdir ;;
	kver) headers_kver ;;
	guest-kver) guest_kver ;;
	source-tarball) source_tarball ;;
	meta) kver_meta ;;
	*) echo "usage: $0 kdir|kver|guest-kver|source-tarball|meta" >&2; exit 2 ;;
	esac
fi
