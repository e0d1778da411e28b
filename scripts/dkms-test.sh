#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build smalloc with DKMS the way a user would, on this host, for the kernel
# `make` builds for (scripts/lib.sh headers_kver: the running kernel, else
# the newest installed linux-headers-*-amd64 of the generic flavour; KVER=
# and FLAVOUR= pick another): copy the sources git knows into
# /usr/src/smalloc-<VERSION>, dkms add and dkms build, then check the
# smalloc.ko DKMS built (vermagic, version) and remove it all again. Nothing
# is installed into /lib/modules. Needs root and the dkms package.
#
# Prints "dkms: N passed, M failed" last.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

die() { echo "dkms-test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (dkms writes /usr/src and /var/lib/dkms)"
command -v dkms >/dev/null || die "no dkms; run scripts/deps.sh"
[ -f VERSION ] || die "no VERSION file"
ver=$(cat VERSION)
kver=$(headers_kver) || die "no kernel headers to build for; run scripts/deps.sh"
src=/usr/src/smalloc-$ver
log=$repo/build/dkms
mkdir -p "$log"

# A marker in the copy tells our leftovers from a user's real install,
# which the test must not remove.
marker=$src/.smalloc-dkms-test
if { [ -e "$src" ] || [ -e "/var/lib/dkms/smalloc/$ver" ]; } && [ ! -e "$marker" ]; then
	die "smalloc $ver is already installed with DKMS or in $src; make dkms-uninstall first"
fi
# Leave no registration or source copy behind, whatever happened.
cleanup() {
	dkms remove -m smalloc -v "$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup
mkdir -p "$src"
touch "$marker"

# Only what git tracks (and new files it does not ignore): a working tree's
# objects and build/ must not reach the DKMS build.
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 cp -p --parents -t "$src"

# dkms.conf reads VERSION itself: the name it reports must match.
conf_ver() {
	local v
	v=$(cd / && bash -c '. "$1"; echo "$PACKAGE_NAME-$PACKAGE_VERSION"' _ "$src/dkms.conf")
	[ "$v" = "smalloc-$ver" ] || { echo "dkms.conf says $v" >&2; return 1; }
}
check "dkms.conf names smalloc-$ver" conf_ver
# dkms is chatty: its output goes to build/dkms/, shown when a step fails.
quiet() {
	local name=$1
	shift
	"$@" >"$log/$name.log" 2>&1 || { indent <"$log/$name.log" >&2; return 1; }
}
dkms_build() {
	quiet build dkms build -m smalloc -v "$ver" -k "$kver" ||
		{ indent <"/var/lib/dkms/smalloc/$ver/build/make.log" >&2; return 1; }
}
check "dkms add" quiet add dkms add -m smalloc -v "$ver"
check "dkms build -k $kver" dkms_build

ko=/var/lib/dkms/smalloc/$ver/$kver/x86_64/module/smalloc.ko
# Newer dkms compresses the module as the kernel's own modules are.
for k in "$ko" "$ko".xz "$ko".zst "$ko".gz; do
	[ -e "$k" ] && ko=$k && break
done
check "smalloc.ko built" test -f "$ko"

# The kernel's own modules carry the vermagic smalloc.ko must have.
vermagic_matches() {
	local want got ref
	got=$(modinfo -F vermagic "$ko")
	ref=$(find "/lib/modules/$kver/kernel" -name '*.ko*' -print -quit 2>/dev/null || true)
	if [ -n "$ref" ]; then
		want=$(modinfo -F vermagic "$ref")
	else
		want="$kver "
	fi
	[ "${got#"$want"}" != "$got" ] || [ "$got" = "$want" ] ||
		{ echo "vermagic '$got', want '$want'" >&2; return 1; }
}
check "vermagic is $kver's" vermagic_matches

version_matches() {
	local got
	got=$(modinfo -F version "$ko")
	[ "$got" = "$ver" ] || { echo "modinfo version '$got', want '$ver'" >&2; return 1; }
}
check "modinfo version is $ver" version_matches

status_built() { dkms status -m smalloc -v "$ver" -k "$kver" | grep -q ': built'; }
check "dkms status says built" status_built
check "dkms remove --all" quiet remove dkms remove -m smalloc -v "$ver" --all
check "nothing left in /var/lib/dkms" test ! -e /var/lib/dkms/smalloc/"$ver"

summary dkms
