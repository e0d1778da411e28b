#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run smalloc's KUnit suites with the kernel's own kunit.py, with KASAN,
# lockdep and kmemleak on (see .kunitconfig): under UML with the init policy
# off, then in an SMP x86_64 kernel under QEMU with two CPUs, booted twice:
# with init_on_alloc=1 and with init_on_free=1. SMALLOC_KUNIT_ARCHS picks
# (default "um x86_64"); scripts/matrix.sh also runs
#
#   arm64-4k, arm64-64k  arm64 in QEMU with two CPUs (aarch64-linux-gnu-),
#                        4 KiB or 64 KiB pages: KASAN, lockdep and kmemleak
#   i386                 32-bit x86 in QEMU (i686-linux-gnu-): lockdep and
#                        kmemleak; x86_32 has no KASAN
#
# SMALLOC_KSRC=TARBALL builds from that linux-source tarball instead of the
# newest /usr/src/linux-source-*.tar.xz (scripts/lib.sh source_tarball), in
# build directories of its own (build-ARCH-VERSION).
#
# Debian's linux-source tarball is extracted once into a cache outside the
# repository, smalloc's sources are copied into its lib/smalloc/, and the
# build directories are kept there too, so later runs rebuild only smalloc.
#
# Prints "kunit: N passed, N failed" last; exits non-zero on a failed test,
# a crash, or any KASAN/lockdep/kmemleak report or unexpected WARN.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"
cache=${SMALLOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smalloc}
tarball=${SMALLOC_KSRC:-$(source_tarball)}
name=$(basename "$tarball" .tar.xz)
src=$cache/$name
# The default tree's build directories keep their names (lint.sh reads
# build-uml); another tree's get its version.
tag=${SMALLOC_KSRC:+-${name#linux-source-}}
build=$cache/build-uml$tag
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
# which kbuild's VPATH would otherwise pick up. Only what changed, so an
# unchanged file is not rebuilt (lib.sh copy_changed).
mkdir -p "$src/lib/smalloc"
(cd "$repo" && copy_changed "$src/lib/smalloc" Kconfig Kbuild .kunitconfig VERSION \
	smalloc_*.[ch])
# For architectures without KASAN: kunit.py fails when an option of the
# kunitconfig is not in the final .config.
grep -v KASAN "$repo/.kunitconfig" >"$src/lib/smalloc/.kunitconfig-nokasan.new"
cmp -s "$src/lib/smalloc/.kunitconfig-nokasan.new" "$src/lib/smalloc/.kunitconfig-nokasan" ||
	mv "$src/lib/smalloc/.kunitconfig-nokasan.new" "$src/lib/smalloc/.kunitconfig-nokasan"
rm -f "$src/lib/smalloc/.kunitconfig-nokasan.new"

# The kernel log without the stretches a test case expects reports in: it
# prints "smalloc: expected reports begin" and "... end" around them.
unexpected_log() {
	awk '/smalloc: expected reports begin/ { skip = 1 }
	     !skip { print }
	     /smalloc: expected reports end/ { skip = 0 }' "$1"
}

# run_kunit NAME BUILD_DIR CPUS COMMAND KUNIT_ARGS...: one kunit.py run or
# exec; adds its test cases to passed/failed, and one failure for compiler
# warnings in smalloc's sources, for a log that does not show CPUS CPUs up,
# or for a KASAN, lockdep or kmemleak report or a WARN outside what the
# cases expect.
run_kunit() {
	local name=$1 dir=$2 cpus=$3 cmd=$4 json=$2/smalloc-kunit.json
	local out=$2/smalloc-kunit-$1.out status=0 warnings p f log=$2/test.log
	shift 4

	mkdir -p "$dir"
	rm -f "$json" "$log"
	(cd "$src" && python3 tools/testing/kunit/kunit.py "$cmd" \
		--build_dir="$dir" --kunitconfig="lib/smalloc/${kunitconfig:-.kunitconfig}" \
		--timeout=900 --json="$json" "$@" 'smalloc*') 2>&1 |
		tee "$out" || status=$?
	[ -f "$log" ] && cp "$log" "$dir/test-$name.log"

	read -r p f < <(python3 "$repo/scripts/kunit_count.py" "$json")
	warnings=$(grep -c 'lib/smalloc/.*warning:' "$out" || true)
	if [ "$warnings" -ne 0 ]; then
		echo "kunit($name): $warnings compiler warnings in smalloc's sources" >&2
		f=$((f + 1))
	fi
	if [ -f "$log" ] && unexpected_log "$log" | grep -nE 'BUG: |KASAN: |WARNING: |suspected memory leak|unreferenced object|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|sleeping function called|Kernel panic|Segmentation fault'; then
		echo "kunit($name): kernel reported problems, see $dir/test-$name.log" >&2
		f=$((f + 1))
	fi
	if [ -n "$cpus" ] && ! grep -q "smp: Brought up .* $cpus CPUs" "$log" 2>/dev/null; then
		echo "kunit($name): the log does not show $cpus CPUs brought up" >&2
		f=$((f + 1))
	fi
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	echo "kunit($name): $p passed, $f failed"
	count "$p" "$f"
}

# UML: uniprocessor, quick to build. x86_64 in QEMU with two CPUs (kunit.py's
# x86_64 config leaves SMP off): the arenas and cross-CPU frees under lockdep
# and KASAN for real, and might_sleep() checks, which UML cannot select.
x86=(--arch=x86_64 --qemu_args="-smp 2" --kconfig_add=CONFIG_SMP=y
	--kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y)
# arm64: kunit.py's QEMU cpu (cortex-a57) has 4 KiB and 64 KiB pages; two
# of them, for the cross-CPU cases on a weakly ordered architecture.
arm64=(--arch=arm64 --cross_compile=aarch64-linux-gnu- --qemu_args="-smp 2"
	--kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y)
for arch in ${SMALLOC_KUNIT_ARCHS:-um x86_64}; do
	kunitconfig=
	case $arch in
	um)	run_kunit um "$build" "" run --jobs="$(nproc)" ;;
	arm64-4k | arm64-64k)
		pages=${arch#arm64-}
		run_kunit "$arch" "$cache/build-$arch$tag" 2 run --jobs="$(nproc)" \
			"${arm64[@]}" --kconfig_add="CONFIG_ARM64_${pages^^}_PAGES=y" ;;
	i386)	kunitconfig=.kunitconfig-nokasan
		run_kunit i386 "$cache/build-i386$tag" "" run --jobs="$(nproc)" \
			--arch=i386 --cross_compile=i686-linux-gnu- \
			--kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y ;;
	x86_64)	run_kunit x86_64-smp2-init-on-alloc "$cache/build-x86_64$tag" 2 \
			run --jobs="$(nproc)" "${x86[@]}" \
			--kernel_args=init_on_alloc=1
		run_kunit x86_64-smp2-init-on-free "$cache/build-x86_64$tag" 2 \
			exec "${x86[@]}" \
			--kernel_args=init_on_alloc=0 --kernel_args=init_on_free=1 ;;
	*)	echo "kunit: unknown arch $arch" >&2; count 0 1 ;;
	esac
done
summary kunit
