#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make lint`: the kernel's own static checks on every C file and header of
# the project (tracked, plus new files git does not ignore), and shellcheck
# on its shell scripts:
#
#   checkpatch FILE     checkpatch.pl --no-tree --strict -f: 0 errors,
#                       0 warnings, 0 checks (see cp_flags for what is
#                       ignored, and why)
#   kernel-doc FILE     kernel-doc -none -v -Werror (6.1's -v is what later
#                       kernels call -Wreturn -Wshort-desc)
#   kernel-doc-exports  every EXPORT_SYMBOL*() has a kernel-doc comment
#   shell scripts       `shellcheck -x -S warning` on every shell script,
#                       following what it sources (scripts/lib.sh)
#   build-w1            smalloc.ko, the samples and tests/ build with W=1,
#                       no warning, against the headers `make` picks
#                       (scripts/lib.sh headers_kdir; KDIR= overrides)
#   sparse              C=2 over the same build: no sparse report in our files
#   sparse-kunit        C=2 over lib/smalloc/ in scripts/kunit.sh's UML tree,
#                       the only build that compiles smalloc_kunit.c: no
#                       sparse or gcc warning in our files (skipped until
#                       `make kunit` has configured that tree)
#
# checkpatch.pl and kernel-doc come from Debian's linux-source tarball, in
# the cache scripts/kunit.sh extracts it to; if that is not there yet, only
# the few files the checks need are extracted. The builds run on a copy of
# the sources under build/lint/, so the objects of `make` in the repository
# are left alone. Prints "lint: N passed, M failed" last.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
cache=${SMALLOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smalloc}
work=$repo/build/lint

# ---- tools from the kernel source ----------------------------------------
tarball=$(source_tarball)
name=$(basename "$tarball" .tar.xz)
ksrc=$cache/$name
tools=(scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
	scripts/kernel-doc)
# kunit.sh's marker means the whole tree is there; ours, just the tools.
# kunit.sh replaces a tree without its marker, so the two do not clash.
if [ ! -e "$ksrc/.smalloc-extracted" ] && [ ! -e "$ksrc/.smalloc-lint-tools" ]; then
	echo "lint: extracting checkpatch.pl and kernel-doc from $tarball"
	mkdir -p "$cache"
	tar -C "$cache" -xf "$tarball" "${tools[@]/#/$name/}"
	touch "$ksrc/.smalloc-lint-tools"
fi
checkpatch=$ksrc/scripts/checkpatch.pl
kerneldoc=$ksrc/scripts/kernel-doc

mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' |
	sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done)
if [ ${#files[@]} -eq 0 ]; then
	echo "lint: no C files found" >&2
	exit 1
fi

# ---- checkpatch -----------------------------------------------------------
# LINUX_VERSION_CODE: an out-of-tree module that DKMS builds for every
# installed kernel may need it; checkpatch assumes in-tree code.
cp_flags=(--no-tree --strict --terse --show-types --ignore LINUX_VERSION_CODE)
for f in "${files[@]}"; do
	flags=("${cp_flags[@]}")
	# Trace event headers are laid out like include/trace/events/*.h,
	# which checkpatch --strict cannot parse.
	if grep -qE '^(TRACE_EVENT|DECLARE_EVENT_CLASS|DEFINE_EVENT)\(' "$f"; then
		flags+=(--ignore 'OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT')
	fi
	# kfree_rcu()'s form, a macro taking a member's name (rhf), cannot
	# parenthesise it.
	if grep -qE -- '->rhf\b' "$f"; then
		flags+=(--ignore 'MACRO_ARG_PRECEDENCE,MACRO_ARG_REUSE')
	fi
	status=0
	out=$(perl "$checkpatch" "${flags[@]}" -f "$f" 2>&1) || status=$?
	# --terse prints one line per finding and nothing for a clean file;
	# under --strict a CHECK alone also makes the exit status non-zero.
	if [ "$status" -eq 0 ] && ! grep -qE ': (ERROR|WARNING|CHECK):' <<<"$out"; then
		ok "checkpatch $f"
	else
		not_ok "checkpatch $f"
		indent <<<"$out"
	fi
done

# ---- kernel-doc -------------------------------------------------------------
for f in "${files[@]}"; do
	# -v prints "info:" lines for every comment it scans; keep the rest.
	if out=$(perl "$kerneldoc" -none -v -Werror "$f" 2>&1) &&
	   ! grep -v ': info: ' <<<"$out" | grep -q .; then
		ok "kernel-doc $f"
	else
		not_ok "kernel-doc $f"
		grep -v ': info: ' <<<"$out" | indent
	fi
done

# Exported functions are the API: each needs its kernel-doc comment.
mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep '\.c$')
missing=()
for f in "${cfiles[@]}"; do
	exported=$(sed -nE 's/^EXPORT_SYMBOL(_GPL)?\(([A-Za-z0-9_]+)\);.*/\2/p' "$f")
	[ -n "$exported" ] || continue
	documented=$(perl "$kerneldoc" -rst -export "$f" 2>/dev/null |
		sed -nE 's/^\.\. c:function:: .*[ *]([A-Za-z0-9_]+) \(.*/\1/p')
	for sym in $exported; do
		grep -qx "$sym" <<<"$documented" || missing+=("$f: $sym")
	done
done
if [ ${#missing[@]} -eq 0 ]; then
	ok "kernel-doc-exports"
else
	not_ok "kernel-doc-exports (exported without a kernel-doc comment)"
	printf '%s\n' "${missing[@]}" | indent
fi

# ---- shell scripts ------------------------------------------------------------
# Warnings and errors only: shellcheck's info and style notes are opinions.
mapfile -t shfiles < <(git ls-files --cached --others --exclude-standard '*.sh' .ci/run |
	sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done)
if ! command -v shellcheck >/dev/null; then
	not_ok "shellcheck (not installed: scripts/deps.sh)"
elif out=$(shellcheck -x -S warning -f gcc "${shfiles[@]}" 2>&1); then
	ok "shellcheck"
else
	not_ok "shellcheck"
	indent <<<"$out"
fi

# ---- W=1 build and sparse, on a copy of the sources ---------------------------
kdir=$(headers_kdir) || kdir=
copy=$work/src
rm -rf "$copy"
mkdir -p "$copy"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 cp -p --parents -t "$copy"

kbuild() { make -C "$kdir" W=1 "$@"; }
build() {
	local dir

	kbuild M="$copy" CONFIG_SMALLOC=m "$@" modules || return
	for dir in samples tests; do
		[ -f "$copy/$dir/Kbuild" ] || continue
		kbuild M="$copy/$dir" KBUILD_EXTRA_SYMBOLS="$copy/Module.symvers" "$@" modules ||
			return
	done
}
# Reports name files by their path in the copy: give the repository's.
unmap() { sed "s|$copy/||g"; }

if [ -z "$kdir" ] || ! command -v sparse >/dev/null; then
	not_ok "build-w1 (needs linux-headers-amd64 and sparse: scripts/deps.sh)"
	not_ok "sparse (needs linux-headers-amd64 and sparse: scripts/deps.sh)"
else
	log=$work/build-w1.log
	if build >"$log" 2>&1 && ! grep -qi 'warning:' "$log"; then
		ok "build-w1"
		# Everything is built now, so the second pass only runs sparse
		# and every report in it is sparse's.
		log=$work/sparse.log
		status=0
		build C=2 >"$log" 2>&1 || status=$?
		if [ "$status" -eq 0 ] && ! grep -E "^$copy/[^:]+:[0-9]+:[0-9]+: (warning|error):" "$log" | grep -q .; then
			ok "sparse"
		else
			not_ok "sparse (log: build/lint/sparse.log)"
			grep -E "^$copy/" "$log" | unmap | indent
		fi
	else
		not_ok "build-w1 (log: build/lint/build-w1.log)"
		grep -iE 'warning:|error' "$log" | unmap | indent
		not_ok "sparse (not run: the build failed)"
	fi
fi

# ---- sparse on the KUnit build ------------------------------------------
uml=$cache/build-uml
if [ -e "$ksrc/.smalloc-extracted" ] && [ -f "$uml/.config" ]; then
	# The copy kunit.sh makes (top-level sources only), so its next run
	# has nothing new to build.
	mapfile -t top < <(printf '%s\n' "${files[@]}" | grep -v /)
	mkdir -p "$ksrc/lib/smalloc"
	copy_changed "$ksrc/lib/smalloc" Kconfig Kbuild .kunitconfig "${top[@]}"
	[ ! -f VERSION ] || copy_changed "$ksrc/lib/smalloc" VERSION
	log=$work/sparse-kunit.log
	status=0
	make -C "$ksrc" ARCH=um O="$uml" C=2 lib/smalloc/ >"$log" 2>&1 || status=$?
	if [ "$status" -eq 0 ] &&
	   ! grep -E "^$ksrc/lib/smalloc/[^:]+:[0-9]+:[0-9]+: (warning|error):" "$log" | grep -q .; then
		ok "sparse-kunit"
	else
		not_ok "sparse-kunit (log: build/lint/sparse-kunit.log)"
		# gcc's "In function" and "note:" lines only repeat the place.
		grep -E "^$ksrc/lib/smalloc/|rror" "$log" | grep -vE ': note: |: In function ' |
			sed "s|$ksrc/lib/smalloc/||" | indent
	fi
else
	skip "sparse-kunit (no UML tree yet: run make kunit first)"
fi

summary lint
