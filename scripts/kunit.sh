#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run smalloc's KUnit suites under UML with the kernel's own kunit.py, with
# KASAN, lockdep and kmemleak on (see .kunitconfig).
#
# Debian's linux-source tarball is extracted once into a cache outside the
# repository, smalloc's sources are copied into its lib/smalloc/, and the
# UML build directory is kept there too, so later runs rebuild only smalloc.
#
# Prints "kunit: N passed, N failed" last; exits non-zero on a failed test,
# a crash, or any KASAN/lockdep/kmemleak report or unexpected WARN.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${SMALLOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smalloc}
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "kunit: no /usr/src/linux-source-*.tar.xz; run: apt-get install linux-source-6.1" >&2
	exit 1
fi
name=$(basename "$tarball" .tar.xz)
src=$cache/$name
build=$cache/build-uml
mkdir -p "$cache"

# A marker written last tells a whole extraction from an interrupted one.
if [ ! -e "$src/.smalloc-extracted" ]; then
	echo "kunit: extracting $tarball into $cache"
	rm -rf "$src"
	tar -C "$cache" -xf "$tarball"
	echo 'obj-$(CONFIG_SMALLOC) += smalloc/' >> "$src/lib/Makefile"
	echo 'source "lib/smalloc/Kconfig"' >> "$src/lib/Kconfig"
	touch "$src/.smalloc-extracted"
fi

# Copy, not symlink: an out-of-tree build leaves objects in the repository,
# which kbuild's VPATH would otherwise pick up. cp -p keeps mtimes so an
# unchanged file is not rebuilt.
mkdir -p "$src/lib/smalloc"
(cd "$repo" && cp -p Kconfig Kbuild .kunitconfig VERSION smalloc_*.[ch] \
	"$src/lib/smalloc/")

json=$build/smalloc-kunit.json
out=$build/smalloc-kunit.out
mkdir -p "$build"
rm -f "$json"
status=0
(cd "$src" && python3 tools/testing/kunit/kunit.py run \
	--build_dir="$build" --kunitconfig=lib/smalloc/.kunitconfig \
	--jobs="$(nproc)" --timeout=900 --json="$json" 'smalloc*') 2>&1 |
	tee "$out" || status=$?

# The UML build compiles smalloc too: its warnings count as failures.
warnings=$(grep -c 'lib/smalloc/.*warning:' "$out" || true)

# kunit.py keeps the whole console in test.log: look for reports there.
log=$build/test.log
splats=0
if [ -f "$log" ]; then
	if grep -nE 'BUG: |KASAN|suspected memory leak|unreferenced object|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|Kernel panic|Segmentation fault' "$log"; then
		splats=1
	fi
	# Misuse tests expect smalloc's own "refused" warnings; nothing else.
	if grep -n 'WARNING: ' "$log" | grep -v 'sm_report'; then
		splats=1
	fi
fi

read -r passed failed < <(python3 "$repo/scripts/kunit_count.py" "$json")
if [ "$warnings" -ne 0 ]; then
	echo "kunit: $warnings compiler warnings in smalloc's sources" >&2
	failed=$((failed + 1))
fi
if [ "$splats" -ne 0 ]; then
	echo "kunit: kernel reported problems, see $log" >&2
	failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1
fi
echo "kunit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
