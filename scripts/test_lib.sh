#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# scripts/lib.sh against fake trees: which kernel its helpers pick from
# made-up /usr/src, /boot and /lib/modules (rt and cloud flavours beside the
# generic one, releases that sort -V must order, headers without an image,
# KVER, FLAVOUR and KSERIES), and what its counting adds up. Installs nothing, needs
# no kernel. Ends with "lib: N passed, M failed".
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# The cases set the choices themselves: none from the caller's environment
# (make check exports KSERIES).
unset KVER FLAVOUR KSERIES KDIR
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
# What kver_running says: the fake trees' running kernel.
running=none
kver_running() { echo "$running"; }

# tree NAME ENTRY...: a fake root $fake/NAME, with for each ENTRY
# "h:REL" headers /usr/src/linux-headers-REL, "i:REL" the image
# /boot/vmlinuz-REL, "b:REL" a build directory /lib/modules/REL/build,
# "s:NAME" the tarball /usr/src/NAME; it becomes kver_root.
tree() {
	local e
	kver_root=$fake/$1
	shift
	mkdir -p "$kver_root/usr/src" "$kver_root/boot"
	for e in "$@"; do
		case $e in
		h:*) mkdir -p "$kver_root/usr/src/linux-headers-${e#h:}"
		     touch "$kver_root/usr/src/linux-headers-${e#h:}/Makefile" ;;
		i:*) touch "$kver_root/boot/vmlinuz-${e#i:}" ;;
		b:*) mkdir -p "$kver_root/lib/modules/${e#b:}/build"
		     touch "$kver_root/lib/modules/${e#b:}/build/Makefile" ;;
		s:*) touch "$kver_root/usr/src/${e#s:}" ;;
		esac
	done
}

# picks NAME WANT COMMAND...: COMMAND prints WANT (stderr dropped).
picks() {
	local name=$1 want=$2 got
	shift 2
	got=$("$@" 2>/dev/null)
	if [ "$got" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name"
		echo "    got '$got', want '$want'"
	fi
}

# refuses NAME COMMAND...: COMMAND fails, prints nothing on stdout and says
# why on stderr.
refuses() {
	local name=$1 out err status=0
	shift
	out=$("$@" 2>"$fake/err") || status=$?
	err=$(cat "$fake/err")
	if [ "$status" -ne 0 ] && [ -z "$out" ] && [ -n "$err" ]; then
		ok "$name"
	else
		not_ok "$name"
		echo "    status $status, stdout '$out', stderr '$err'"
	fi
}

# Run in a subshell so that KVER, FLAVOUR or KDIR set for one case stay there.
with() { (export "${1?}"; shift; "$@"); }

# ---- flavours -------------------------------------------------------------
tree flavours h:6.1.0-56-amd64 h:6.1.0-56-rt-amd64 h:6.1.0-56-cloud-amd64 \
	h:6.1.0-56-common h:6.1.0-56-common-rt \
	i:6.1.0-56-amd64 i:6.1.0-56-rt-amd64 i:6.1.0-56-cloud-amd64
# sort -V alone puts rt-amd64 last: the bug this guards against.
picks "generic headers, not -rt or -cloud beside them" 6.1.0-56-amd64 headers_kver
picks "kdir is the generic headers' directory" \
	"$kver_root/usr/src/linux-headers-6.1.0-56-amd64" headers_kdir
picks "guest boots the generic kernel" 6.1.0-56-amd64 guest_kver
picks "FLAVOUR=rt-amd64 picks rt" 6.1.0-56-rt-amd64 with FLAVOUR=rt-amd64 headers_kver
picks "FLAVOUR=cloud-amd64 picks cloud for the guest" 6.1.0-56-cloud-amd64 \
	with FLAVOUR=cloud-amd64 guest_kver
picks "KVER picks that release, whatever its flavour" 6.1.0-56-rt-amd64 \
	with KVER=6.1.0-56-rt-amd64 guest_kver
picks "KDIR wins over all" /somewhere with KDIR=/somewhere headers_kdir
refuses "FLAVOUR with no headers fails" with FLAVOUR=arm64 headers_kver
refuses "KVER without headers fails" with KVER=6.1.0-57-amd64 headers_kver

# ---- versions ---------------------------------------------------------------
tree versions h:6.1.0-9-amd64 h:6.1.0-56-amd64 h:6.1.0-56-rt-amd64 \
	h:6.12.38+deb13-amd64 h:6.12.38+deb13-rt-amd64 h:6.13.1+bpo-rt-amd64 \
	i:6.1.0-9-amd64 i:6.1.0-56-amd64 i:6.1.0-56-rt-amd64
picks "newest generic headers: 6.12 after 6.1, +deb13 naming" 6.12.38+deb13-amd64 headers_kver
picks "newest rt with FLAVOUR=rt-amd64, +bpo naming" 6.13.1+bpo-rt-amd64 \
	with FLAVOUR=rt-amd64 headers_kver
picks "guest: newest generic with an image too; -56 after -9" 6.1.0-56-amd64 guest_kver
refuses "guest KVER without an image fails" with KVER=6.12.38+deb13-amd64 guest_kver
picks "KSERIES=6.1: newest generic 6.1" 6.1.0-56-amd64 with KSERIES=6.1 headers_kver
picks "KSERIES=6.12: 6.12, not 6.1 or 6.13" 6.12.38+deb13-rt-amd64 \
	with KSERIES=6.12 with FLAVOUR=rt-amd64 headers_kver
picks "KSERIES=6.1 guest: 6.1 rt" 6.1.0-56-rt-amd64 \
	with KSERIES=6.1 with FLAVOUR=rt-amd64 guest_kver
refuses "KSERIES=6.12 guest without an image fails" with KSERIES=6.12 guest_kver
refuses "KSERIES=6.2 has no headers" with KSERIES=6.2 headers_kver
picks "meta-packages: 6.1 generic" amd64 kver_meta
picks "meta-packages: 6.12 rt" 6.12-rt-amd64 with KSERIES=6.12 with FLAVOUR=rt-amd64 kver_meta
rm "$kver_root/usr/src/linux-headers-6.1.0-56-amd64/Makefile"
picks "headers without a Makefile (half removed) do not count" 6.1.0-9-amd64 guest_kver

# ---- the running kernel -------------------------------------------------------
tree running h:6.1.0-56-amd64 h:6.1.0-55-amd64 b:6.1.0-55-amd64 \
	i:6.1.0-56-amd64 i:6.1.0-55-amd64 b:6.1.0-54-rt-amd64 b:6.5.0-custom
running=6.1.0-55-amd64
picks "the running generic kernel's headers first" 6.1.0-55-amd64 headers_kver
picks "... from /usr/src when there" "$kver_root/usr/src/linux-headers-6.1.0-55-amd64" headers_kdir
picks "the guest boots the newest, not the running one" 6.1.0-56-amd64 guest_kver
running=6.1.0-54-rt-amd64
picks "a running rt kernel is not of the default flavour" 6.1.0-56-amd64 headers_kver
picks "... but of FLAVOUR=rt-amd64, with its build directory" \
	"$kver_root/lib/modules/6.1.0-54-rt-amd64/build" with FLAVOUR=rt-amd64 headers_kdir
running=6.5.0-custom
picks "KVER=6.5.0-custom: a build directory is enough" \
	"$kver_root/lib/modules/6.5.0-custom/build" with KVER=6.5.0-custom headers_kdir

# ---- nothing installed ----------------------------------------------------------
tree empty
running=none
refuses "no headers: headers_kver fails" headers_kver
refuses "no headers: headers_kdir fails" headers_kdir
refuses "no kernel: guest_kver fails" guest_kver
refuses "no kernel: make_for_guest fails before make" make_for_guest samples
refuses "no tarball: source_tarball fails" source_tarball

# ---- source tarball -------------------------------------------------------------
tree sources s:linux-source-6.1.tar.xz s:linux-source-6.12.tar.xz s:linux-source-6.9.tar.xz \
	s:linux-source-6.13.tar.bz2
picks "newest source tarball" "$kver_root/usr/src/linux-source-6.12.tar.xz" source_tarball

# ---- counting -------------------------------------------------------------------
# counted WANT COMMAND...: COMMAND, in a subshell with fresh counts, ends
# with "WANT" as its summary.
counted() {
	(passed=0 failed=0; "$@" >/dev/null; summary)
}
logs=$fake/logs
mkdir -p "$logs"
printf 'x: 1 passed, 0 failed\nsuite: 4 passed, 1 failed\n' >"$logs/one"
printf 'no counts here\n' >"$logs/none"
printf '# e2e: 1 passed, 1 failed\r\ne2e: 7 passed, 0 failed\r\nGUEST-EXIT rc=0\r\n' \
	>"$logs/guest-output.log"
picks "check counts a command's status" "1 passed, 1 failed" \
	counted eval 'check a true; check b false'
picks "add_counts adds the last counts line" "4 passed, 1 failed" \
	counted add_counts suite "$logs/one"
picks "add_counts: no counts line is one failure" "0 passed, 1 failed" \
	counted add_counts none "$logs/none"
picks "guest_result: the suite's line plus the verdict" "8 passed, 0 failed" \
	counted guest_result 0 "$logs" e2e
picks "guest_result: a failed verdict counts once" "7 passed, 1 failed" \
	counted guest_result 1 "$logs" e2e
picks "guest_result: another suite's line is not counted" "0 passed, 1 failed" \
	counted guest_result 1 "$logs" memcg

summary lib
