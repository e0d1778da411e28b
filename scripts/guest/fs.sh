#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# A real file system on smalloc: the kernel's own ext4, rebuilt with
# smalloc_kmalloc.h so its kmalloc family goes to smalloc, under a workload
# on two CPUs. Runs inside the guest of scripts/guest.sh (busybox ash, cwd =
# the directory holding the .ko files: smalloc.ko, the rebuilt ext4.ko and
# Debian's jbd2, mbcache, crc16, crc32c_generic and brd, and
# tests/smalloc_switch.ko); scripts/fs-test.sh
# builds and boots it. mke2fs and e2fsck are the host's (guest.sh -x).
#
# Environment: FS_FILES (files per writer, default 300).
#
# Prints TAP-style lines, then "1..N", "GUEST-DONE" and
# "fs: P passed, F failed".
set -u

FILES=${FS_FILES:-300}
D=/sys/kernel/debug/smalloc
DEV=/dev/ram0
MNT=/mnt
# shellcheck source=scripts/guest/tap.sh
. /tap.sh

stat_of() { awk -v k="$1:" '$1 == k { print $2 }' "$D/stats"; }

# writer N: FILES files of 1..64 KiB of random data in MNT/wN, a few
# renamed, linked, truncated and removed on the way, then the checksums of
# what is left in /tmp/sums.N.
writer() {
	dir=$MNT/w$1
	mkdir -p "$dir/sub" || return 1
	i=0
	while [ "$i" -lt "$FILES" ]; do
		kib=$(( $(od -An -N2 -tu2 /dev/urandom) % 64 + 1 ))
		dd if=/dev/urandom of="$dir/f$i" bs=1024 count="$kib" 2>/dev/null || return 1
		case $((i % 10)) in
		3) mv "$dir/f$i" "$dir/sub/r$i" ;;
		5) ln -s "f$i" "$dir/l$i" && ln "$dir/f$i" "$dir/h$i" ;;
		7) dd if=/dev/urandom of="$dir/f$i" bs=1000 count=1 conv=notrunc 2>/dev/null ;;
		9) rm "$dir/f$((i - 1))" ;;
		esac
		i=$((i + 1))
	done
	(cd "$MNT" && find "w$1" -type f | sort | xargs md5sum) >"/tmp/sums.$1"
}

# Both writers at once, one per CPU; both must succeed.
write_both() {
	writer 1 &
	p1=$!
	writer 2 &
	p2=$!
	wait "$p1" && wait "$p2"
}

verify() { (cd "$MNT" && cat /tmp/sums.1 /tmp/sums.2 | md5sum -c -s); }
fsck_clean() { /sbin/e2fsck -fn "$DEV" >/tmp/fsck.log 2>&1; }
live_zero() { test "$(stat_of live_objects)" = 0; }
no_refusals() { test "$(stat_of refused_frees)" = 0; }

check "two CPUs online" test "$(grep -c ^processor /proc/cpuinfo)" -ge 2
check "insmod smalloc.ko" insmod ./smalloc.ko
check "tests/smalloc_switch.ko: every renamed kmalloc-family call works" \
	sh -c "insmod ./smalloc_switch.ko && rmmod smalloc_switch"
for m in crc16 mbcache jbd2 crc32c_generic; do
	check "insmod Debian's $m.ko" insmod "./$m.ko"
done
check "insmod brd.ko (a 96 MiB RAM disk)" insmod ./brd.ko rd_nr=1 rd_size=98304
check "insmod the rebuilt ext4.ko" insmod ./ext4.ko
check "ext4.ko uses smalloc" grep -q "^smalloc .* ext4," /proc/modules
check "mke2fs -t ext4" /sbin/mke2fs -q -t ext4 -F "$DEV"
unmounted=$(stat_of live_objects)
check "mount" sh -c "mkdir -p $MNT && mount -t ext4 $DEV $MNT"
check "the mount holds objects from smalloc" test "$(stat_of live_objects)" -gt "$unmounted"
check "two writers, $FILES files each" write_both
check "tar of the tree and back" sh -c "cd $MNT && tar cf /tmp/t.tar w1 && mkdir x && tar xf /tmp/t.tar -C x && rm /tmp/t.tar"
check "remount read-only and read-write" sh -c "mount -o remount,ro $MNT && mount -o remount,rw $MNT"
sync
echo 3 >/proc/sys/vm/drop_caches
check "checksums of everything read back" verify
echo "# smalloc while mounted: live_objects $(stat_of live_objects), allocs $(stat_of allocs), frees $(stat_of frees)"
check "umount" umount "$MNT"
check "e2fsck -fn: clean" fsck_clean
sed 's/^/# /' /tmp/fsck.log | tail -3
check "mount again" mount -t ext4 "$DEV" "$MNT"
check "checksums again after the remount" verify
check "remove half the tree" rm -rf "$MNT/w1"
check "umount again" umount "$MNT"
check "e2fsck -fn: clean again" fsck_clean
check "rmmod ext4" rmmod ext4
check "smalloc's live objects back to zero" live_zero
check "no free refused" no_refusals
echo "# smalloc after rmmod: live_objects $(stat_of live_objects), allocs $(stat_of allocs), frees $(stat_of frees)"
check "rmmod smalloc" rmmod smalloc

tap_done fs
