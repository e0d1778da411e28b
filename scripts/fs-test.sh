#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A real kernel module on smalloc: ext4 from the kernel source the project
# extracts (Debian's linux-source-X.Y), rebuilt with the one line README.md
# gives (ccflags-y += -include smalloc_kmalloc.h), must call no
# kmalloc-family symbol (nm) and must run scripts/guest/fs.sh in a guest of
# the same X.Y release on two CPUs: two writers, checksums, remounts, fsck,
# and smalloc's live objects back to zero once ext4 is gone.
#
# Ends with "fs: N passed, N failed". Environment: FS_FILES (files per
# writer, default 300), FS_GUEST_BUILD (default build/guest-fs), GUEST_*.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
gbuild=${FS_GUEST_BUILD:-$repo/build/guest-fs}
src=$repo/build/fs-src

fail() { not_ok "$1"; summary fs; exit 1; }

tarball=$(source_tarball) || fail "linux-source tarball"
top=$(basename "$tarball" .tar.xz)		# linux-source-6.1
series=${top#linux-source-}			# 6.1
# The guest must run the release the source is of: its newest generic build.
KVER=$(kver_list boot | grep "^${series//./\\.}\." | tail -n 1) ||
	fail "an installed $series kernel with headers (apt-get install linux-image-amd64 linux-headers-amd64)"
export KVER
kdir=$(kver_kdir "$KVER")
echo "# ext4 of $top for $KVER"

make_for_guest tests >"$repo/build/fs-smalloc.log" 2>&1 || fail "build smalloc.ko and tests/ for $KVER"

# What nm shows undefined: no kmalloc family, smalloc's instead.
family='^(__kmalloc|kmalloc|kzalloc|kcalloc|kfree|krealloc|__ksize$|ksize$|kstrdup|kstrndup|kmemdup|kasprintf|kvasprintf|kvmalloc|kvzalloc|kvcalloc|kvfree|kvrealloc)'
no_family() {	# MODULE: what nm lists undefined of the kmalloc family
	nm -u "$1" | awk '{ print $2 }' | grep -E "$family" | tr '\n' ' ' || true
}
left=$(no_family tests/smalloc_switch.ko)
check "nm: every renamed call of tests/smalloc_switch.c goes to smalloc${left:+ (left: $left)}" test -z "$left"

# ext4 as the kernel has it, plus the one line that converts it.
rm -rf "$src"
mkdir -p "$src"
tar -C "$src" -xf "$tarball" --strip-components=3 "$top/fs/ext4"
echo "ccflags-y += -include $repo/smalloc_kmalloc.h" >>"$src/Makefile"
check_logged "build ext4.ko with smalloc_kmalloc.h" \
	"$src/build.log" make -C "$kdir" M="$src" CONFIG_EXT4_FS=m \
	KBUILD_EXTRA_SYMBOLS="$repo/Module.symvers" modules
[ -f "$src/ext4.ko" ] || fail "ext4.ko built"

left=$(no_family "$src/ext4.ko")
check "nm: ext4.ko calls no kmalloc-family symbol${left:+ (left: $left)}" test -z "$left"
check "nm: ext4.ko calls smalloc" sh -c "nm -u '$src/ext4.ko' | grep -q ' smalloc_kfree$'"

# Debian's modules ext4 and the test need, as the guest kernel has them.
mods=("$repo/smalloc.ko" "$src/ext4.ko" "$repo/tests/smalloc_switch.ko")
for m in crc16 mbcache jbd2 crc32c_generic brd; do
	f=$(find "/lib/modules/$KVER/kernel" -name "$m.ko*" | head -n 1)
	[ -n "$f" ] || fail "Debian's $m.ko for $KVER"
	case $f in
	*.xz) xz -dc "$f" >"$src/$m.ko" ;;
	*) cp "$f" "$src/$m.ko" ;;
	esac
	mods+=("$src/$m.ko")
done

rc=0
guest_boot "$gbuild" -m 768M -t 900 -e FS_FILES="${FS_FILES:-300}" \
	-x "$(command -v mke2fs)" -x "$(command -v e2fsck)" \
	scripts/guest/fs.sh "${mods[@]}" || rc=$?
tr -d '\r' <"$gbuild/guest-output.log" | grep -E '^(ok|not ok|#) ' || true
guest_result "$rc" "$gbuild" fs
summary fs
