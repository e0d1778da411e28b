#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# smalloc_alloc() carries __alloc_size(1), so FORTIFY_SOURCE knows how big
# its objects are: tests/fortify/smalloc_fortify.c copies into a 64-byte
# object, which must compile cleanly with a 64-byte copy and draw FORTIFY's
# compile-time "detected write beyond size of ..." with a 100-byte one. Uses the headers make picks (KDIR, see Makefile), which
# must have CONFIG_FORTIFY_SOURCE (Debian's have). Ends with
# "fortify: N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kdir=${KDIR:-$(make -s -C "$repo" print-kdir)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

result() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		echo "not ok - $2"
	fi
}

if ! grep -q '^CONFIG_FORTIFY_SOURCE=y' "$kdir/.config" 2>/dev/null; then
	echo "not ok - $kdir has no CONFIG_FORTIFY_SOURCE"
	echo "fortify: 0 passed, 1 failed"
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

build 64 && ! warned 64
result $? "a 64-byte copy into a 64-byte smalloc object builds cleanly"
build 100
warned 100
result $? "a 100-byte copy into it is caught at compile time: FORTIFY_SOURCE knows the size"
warned 100 || tail -n 5 "$work/100.log"

echo "fortify: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
