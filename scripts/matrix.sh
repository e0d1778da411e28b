#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make check-matrix`: smalloc on the kernels Debian 12 ships, and on the
# page and word sizes Linux runs on. Each cell installs what it needs from
# Debian's archive (scripts/deps.sh PACKAGES; Debian's meta-packages, so no
# ABI number is written here), runs, and logs to build/matrix/CELL.log.
#
# Usage: scripts/matrix.sh [-l] [CELL...]   (no CELL: all of them; -l lists)
#
#   build-6.1 build-6.1-rt build-6.12 build-6.12-rt
#       smalloc.ko, samples/ and tests/ with W=1 against those headers
#       (KSERIES= and FLAVOUR= of scripts/lib.sh), on a copy of the
#       sources: the build passes and prints no warning
#   guest-6.1 guest-6.1-rt guest-6.12 guest-6.12-rt
#       scripts/guest-test.sh (scripts/guest/e2e.sh: load, sample, stress
#       on two CPUs, misuse, debugfs, debug=1 and verify, unload) in that
#       Debian kernel under QEMU, on a copy of the sources
#   kunit-um kunit-x86_64 kunit-arm64-4k kunit-arm64-64k kunit-i386
#       scripts/kunit.sh with SMALLOC_KUNIT_ARCHS=ARCH, from linux-source-6.1
#   kunit-um-6.12
#       the same under UML from linux-source-6.12: smalloc and its KUnit
#       suites built in that tree and run. The tarball is fetched with
#       apt-get download into the cache, not installed: installed, it
#       would become the newest /usr/src/linux-source-* and move make kunit
#       and lint to 6.12
#
# Prints one table row per cell at the end (cell, kernel, flavour, arch,
# page size, result, counts, seconds), then "N passed, N failed" over all
# the cells' checks.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
cache=${SMALLOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smalloc}
logs=$repo/build/matrix

# cell: series flavour arch pages
declare -A cells=(
	[build-6.1]="6.1 amd64 x86_64 4K"
	[build-6.1-rt]="6.1 rt-amd64 x86_64 4K"
	[build-6.12]="6.12 amd64 x86_64 4K"
	[build-6.12-rt]="6.12 rt-amd64 x86_64 4K"
	[guest-6.1]="6.1 amd64 x86_64 4K"
	[guest-6.1-rt]="6.1 rt-amd64 x86_64 4K"
	[guest-6.12]="6.12 amd64 x86_64 4K"
	[guest-6.12-rt]="6.12 rt-amd64 x86_64 4K"
	[kunit-um]="6.1 kunit um 4K"
	[kunit-x86_64]="6.1 kunit x86_64 4K"
	[kunit-arm64-4k]="6.1 kunit arm64 4K"
	[kunit-arm64-64k]="6.1 kunit arm64 64K"
	[kunit-i386]="6.1 kunit i386 4K"
	[kunit-um-6.12]="6.12 kunit um 4K"
)
# Cheap first, so a quick failure shows early.
order=(build-6.1 build-6.1-rt build-6.12 build-6.12-rt
	guest-6.1 guest-6.1-rt guest-6.12 guest-6.12-rt
	kunit-um kunit-x86_64 kunit-um-6.12 kunit-i386 kunit-arm64-4k kunit-arm64-64k)

if [ "${1:-}" = -l ]; then
	printf '%s\n' "${order[@]}"
	exit 0
fi
for c in "$@"; do
	[ -n "${cells[$c]:-}" ] || { echo "matrix.sh: no cell $c (-l lists them)" >&2; exit 2; }
done
[ $# -gt 0 ] || set -- "${order[@]}"
mkdir -p "$logs"

# copy_sources DIR: the tracked and new files of the repository into DIR,
# so a cell's objects stay out of the repository and out of other cells.
copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
		xargs -0 cp -p --parents -t "$1"
}

# The tarball of linux-source-6.12, from Debian's archive into the cache.
ksrc_612() {
	local dir=$cache/debs deb tarball
	tarball=$(find "$dir/linux-source-6.12" -name 'linux-source-6.12.tar.xz' 2>/dev/null | head -n 1)
	if [ -z "$tarball" ]; then
		mkdir -p "$dir"
		rm -f "$dir"/linux-source-6.12_*.deb
		(cd "$dir" && apt-get download -q linux-source-6.12) >&2 || return
		deb=$(find "$dir" -maxdepth 1 -name 'linux-source-6.12_*.deb' | head -n 1)
		rm -rf "$dir/linux-source-6.12"
		dpkg-deb -x "$deb" "$dir/linux-source-6.12" || return
		rm -f "$deb"
		tarball=$(find "$dir/linux-source-6.12" -name 'linux-source-6.12.tar.xz' | head -n 1)
	fi
	[ -n "$tarball" ] && echo "$tarball"
}

# run_cell CELL: the cell's checks, in a subshell of its own counts, ending
# with "CELL: N passed, M failed".
run_cell() {
	local cell=$1 series flavour arch pages kver dir
	read -r series flavour arch pages <<<"${cells[$cell]}"
	dir=$logs/$cell
	passed=0
	failed=0
	export KSERIES=$series
	case $cell in
	build-*)
		export FLAVOUR=$flavour
		check "deps: linux-headers-$(kver_meta)" \
			scripts/deps.sh make gcc dwarves "linux-headers-$(kver_meta)" ||
			{ summary "$cell"; return; }
		kver=$(headers_kver) || { not_ok "headers of $series $flavour"; summary "$cell"; return; }
		echo "# kernel: $kver"
		copy_sources "$dir/src"
		if make -C "$dir/src" --no-print-directory KDIR="$(kver_kdir "$kver")" \
			modules samples tests >"$dir/build.log" 2>&1; then
			ok "W=1 build of smalloc.ko, samples/, tests/ for $kver"
		else
			not_ok "W=1 build for $kver (log: $(lib_rel "$dir/build.log"))"
		fi
		if grep -q 'warning:' "$dir/build.log"; then
			not_ok "no warnings for $kver"
			grep 'warning:' "$dir/build.log" | sed "s|$dir/src/||" | head -n 20 | indent
		else
			ok "no warnings for $kver"
		fi
		;;
	guest-*)
		export FLAVOUR=$flavour
		check "deps: the base packages" scripts/deps.sh ||
			{ summary "$cell"; return; }
		check "deps: linux-image-$(kver_meta) and headers" \
			scripts/deps.sh dwarves "linux-headers-$(kver_meta)" "linux-image-$(kver_meta)" ||
			{ summary "$cell"; return; }
		kver=$(guest_kver) || { not_ok "kernel $series $flavour"; summary "$cell"; return; }
		echo "# kernel: $kver"
		copy_sources "$dir/src"
		GUEST_BUILD=$dir/guest "$dir/src/scripts/guest-test.sh" >"$dir/guest.log" 2>&1
		add_counts "guest $kver" "$dir/guest.log"
		;;
	kunit-*)
		local deps=() ksrc=
		case $arch in
		arm64) deps=(gcc-aarch64-linux-gnu qemu-system-arm) ;;
		i386) deps=(gcc-i686-linux-gnu) ;;
		esac
		check "deps: the base packages" scripts/deps.sh || { summary "$cell"; return; }
		if [ ${#deps[@]} -gt 0 ]; then
			check "deps: ${deps[*]}" scripts/deps.sh "${deps[@]}" || { summary "$cell"; return; }
		fi
		if [ "$series" = 6.12 ]; then
			ksrc=$(ksrc_612) || { not_ok "linux-source-6.12 from the archive"; summary "$cell"; return; }
		fi
		case $arch in
		arm64) arch=arm64-${pages,,} ;;
		esac
		SMALLOC_KSRC=$ksrc SMALLOC_KUNIT_ARCHS=$arch scripts/kunit.sh >"$dir/kunit.log" 2>&1
		grep -E '^kunit\(' "$dir/kunit.log" | tail -n 5
		add_counts "kunit $arch" "$dir/kunit.log"
		;;
	esac
	summary "$cell"
}

rows=()
for cell in "$@"; do
	read -r series flavour arch pages <<<"${cells[$cell]}"
	mkdir -p "$logs/$cell"
	log=$logs/$cell.log
	echo "# $cell"
	start=$SECONDS
	(run_cell "$cell") >"$log" 2>&1
	secs=$((SECONDS - start))
	line=$(counts_line "$log" "^$cell: ")
	grep -vE "^$cell: [0-9]+ passed" "$log" | grep -E '^(ok|not ok|skip) |^# kernel|[0-9]+ passed, [0-9]+ failed' | indent
	kernel=$(sed -n 's/^# kernel: //p' "$log" | tail -n 1)
	case $cell in
	kunit-*) kernel="linux-source-$series"; flavour=kunit ;;
	esac
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]] && [ "${BASH_REMATCH[2]}" -eq 0 ] &&
		[ "${BASH_REMATCH[1]}" -gt 0 ]; then
		result=pass
	else
		result=FAIL
	fi
	add_counts "$cell" "$log"
	rows+=("$cell|${kernel:-$series}|$flavour|$arch|$pages|$result|${line#"$cell: "}|$secs")
done

echo
{
	echo "cell|kernel|flavour|arch|pages|result|counts|seconds"
	printf '%s\n' "${rows[@]}"
} | awk -F '|' '
	{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
	END { for (r = 1; r <= NR; r++) { line = ""
		for (i = 1; i <= NF; i++) line = line sprintf("%-*s  ", w[i], cell[r, i])
		sub(/ +$/, "", line); print line } }'
summary
