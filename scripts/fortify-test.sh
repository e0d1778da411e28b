#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# smalloc_alloc() carries __alloc_size(1), so FORTIFY_SOURCE knows how big
# its objects are: tests/fortify/smalloc_fortify.c copies into a 64-byte
# object, which must compile cleanly with a 64-byte copy and draw FORTIFY's
# compile-time "detected write beyond size of ..." with a 100-byte one. Uses
# the headers make picks (scripts/lib.sh headers_kdir; KDIR= overrides),
# which must have CONFIG_FORTIFY_SOURCE (Debian's have). Ends with
# "fortify: N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"
kdir=$(headers_kdir)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! grep -q '^CONFIG_FORTIFY_SOURCE=y' "$kdir/.config" 2>/dev/null; then
	not_ok "$kdir has no CONFIG_FORTIFY_SOURCE"
	summary fortify
	exit 1
fi
mkdir -p "$work/tests"
cp -r "$repo/tests/fortify" "$work/tests/"
cp "$repo/smalloc_core.h" "$work/"

# build COPY: exit status of compiling the module, its log in $work/COPY.log.
build() {
	make -C "$kdir" M="$work/tests/fortify" FORTIFY_COPY="$1" smalloc_fortify.o \
		>"$work/$1.log" 2>&1
}

warned() { grep -q 'detected write beyond size of' "$work/$1.log"; }

builds_cleanly() { build 64 && ! warned 64; }
check "a 64-byte copy into a 64-byte smalloc object builds cleanly" builds_cleanly
build 100
check "a 100-byte copy into it is caught at compile time: FORTIFY_SOURCE knows the size" \
	warned 100
warned 100 || tail -n 5 "$work/100.log"

summary fortify
