#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# __GFP_ACCOUNT charged as kmalloc charges it: smalloc and, as the
# reference, kmalloc objects allocated by tests/smalloc_charge.ko in a memory
# cgroup (cgroup2) must grow its memory.current by what they hold, give it
# back when freed, and stop at its memory.max. Runs inside the guest of
# scripts/guest.sh (busybox ash, cwd = the directory holding the .ko files);
# scripts/memcg-test.sh boots it:
#
#   scripts/guest.sh scripts/guest/memcg.sh smalloc.ko tests/smalloc_charge.ko
#
# Only insmod of the test module runs in the cgroups under test (see
# in_cgroup); this script and its other commands stay in the root cgroup,
# so that neither their memory nor an OOM kill at memory.max gets in the
# way. Every case prints its numbers as "#" lines, the ratio of charged to
# requested bytes included, to compare smalloc with kmalloc in the log.
#
# Prints TAP-style lines, then "1..N", "GUEST-DONE" and
# "memcg: P passed, F failed".
set -u

# shellcheck source=scripts/guest/tap.sh
. /tap.sh
# tap.sh keeps n, passed, failed and desc: no function here sets them.

CG=/sys/fs/cgroup
KIB=1024
MIB=$((1024 * KIB))
# What memory.current may differ by from the bytes the objects hold: the
# module's sysfs files, empty pages an allocator keeps, rounding to pages.
SLACK=$((256 * KIB))
# The cgroup of the charge checks; each memory.max case gets a fresh one.
TEST=$CG/smalloc-memcg

loaded() { grep -q "^$1 " /proc/modules; }
# rmmod only what is there: a failed insmod is counted once, not twice.
unload() { ! loaded "$1" || rmmod "$1"; }

setup_cgroup2() {
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none "$CG" || return 1
	grep -qw memory "$CG/cgroup.controllers" || return 1
	echo +memory >"$CG/cgroup.subtree_control" || return 1
	mkdir "$TEST" && test -f "$TEST/memory.current"
}

# in_cgroup DIR COMMAND...: run COMMAND as the only task of cgroup DIR. The
# shell moves itself there and execs COMMAND, so what COMMAND charges goes to
# DIR and nothing else this script does.
in_cgroup() {
	# shellcheck disable=SC2016 # $$ and $@ are the inner shell's
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' in_cgroup "$@"
}

# settle DIR: empty the per-CPU charge caches of cgroup DIR. A charge takes
# up to 64 pages more than it needs into memory.current, keeping the rest in
# a cache of the CPU, and an uncharge goes to that cache first: memory.current
# may be up to 64 pages per CPU above what is in use. Setting memory.high below
# memory.current drains the caches first (memory_high_write() in
# mm/memcontrol.c), then reclaims what it can; no task is in DIR, so no one
# is throttled before memory.high is back at max. Other CPUs drain from a
# work item, hence the pause.
settle() {
	echo 0 >"$1/memory.high"
	echo max >"$1/memory.high"
	sleep 1
}

# current DIR: memory.current of cgroup DIR, settled.
current() {
	settle "$1"
	cat "$1/memory.current"
}

# event DIR NAME: the NAME counter of DIR's memory.events.
event() { sed -n "s/^$2 //p" "$1/memory.events"; }

# ratio A B: A/B with three decimals.
ratio() {
	r=$(($1 * 1000 / $2))
	printf '%d.%03d' $((r / 1000)) $((r % 1000))
}

# within A B SLACK: A and B differ by at most SLACK.
within() {
	d=$(($1 - $2))
	[ "$d" -lt 0 ] && d=$((-d))
	[ "$d" -le "$3" ]
}

# between N LOW HIGH: LOW <= N <= HIGH.
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# load DIR TAG ARGS...: mark the kernel log with TAG, insmod the test module
# with ARGS in cgroup DIR, and set LINE to the module's line after the mark.
load() {
	load_dir=$1 load_tag=$2
	shift 2
	echo "memcg-test: $load_tag" >/dev/kmsg
	check "$load_tag: insmod smalloc_charge.ko $*" \
		in_cgroup "$load_dir" insmod ./smalloc_charge.ko "$@"
	LINE=$(dmesg | sed -n "/memcg-test: $load_tag\$/,\$p" |
		sed -n 's/.*\(smalloc_charge: allocated .*\)/\1/p' | tail -n 1)
	echo "# $load_tag: ${LINE:-no line from smalloc_charge}"
}

# allocated: the N of the module's line, or -1.
allocated() {
	got=${LINE#smalloc_charge: allocated }
	got=${got%% *}
	case $got in
	'' | *[!0-9]*) echo -1 ;;
	*) echo "$got" ;;
	esac
}

# charged ALLOC SIZE COUNT: COUNT accounted objects of SIZE bytes grow
# memory.current by at least SIZE * COUNT and at most half as much again
# plus SLACK, and freeing them gives it back.
charged() {
	alloc=$1 size=$2 count=$3
	want=$((size * count))
	tag="$alloc size=$size count=$count"
	before=$(current "$TEST")
	load "$TEST" "$tag" alloc="$alloc" size="$size" count="$count"
	check "$tag: allocated all $count objects" test "$(allocated)" = "$count"
	after=$(current "$TEST")
	grew=$((after - before))
	echo "# $tag: memory.current $before -> $after, grew by $grew for $want bytes requested: x$(ratio "$grew" "$want")"
	check "$tag: memory.current grew by at least $want" test "$grew" -ge "$want"
	max=$((want * 3 / 2 + SLACK))
	check "$tag: memory.current grew by at most $max" test "$grew" -le "$max"
	check "$tag: rmmod smalloc_charge" unload smalloc_charge
	end=$(current "$TEST")
	echo "# $tag: memory.current after rmmod: $end"
	check "$tag: memory.current back to $before within $SLACK (at $end)" \
		within "$end" "$before" "$SLACK"
}

# uncharged ALLOC SIZE COUNT: with GFP_KERNEL the same objects charge
# nothing, so memory.current grows by less than half of SIZE * COUNT. Shows
# that the checks of charged() can fail.
uncharged() {
	alloc=$1 size=$2 count=$3
	want=$((size * count))
	tag="$alloc size=$size count=$count flags_account=0"
	before=$(current "$TEST")
	load "$TEST" "$tag" alloc="$alloc" size="$size" count="$count" flags_account=0
	check "$tag: allocated all $count objects" test "$(allocated)" = "$count"
	after=$(current "$TEST")
	grew=$((after - before))
	echo "# $tag: memory.current $before -> $after, grew by $grew for $want bytes requested: x$(ratio "$grew" "$want")"
	check "$tag: memory.current grew by less than $((want / 2))" \
		test "$grew" -lt $((want / 2))
	check "$tag: rmmod smalloc_charge" unload smalloc_charge
}

# limited ALLOC SIZE: in a fresh cgroup whose memory.max is 1 MiB above its
# memory.current, objects for 4 MiB stop short: the allocation fails at the
# limit, memory.peak never passed it, memory.events counted "max" events and
# no OOM kill. The module adds __GFP_RETRY_MAYFAIL (retry_mayfail=1): with
# GFP_KERNEL_ACCOUNT alone the charge would call the memcg OOM killer
# (tests/smalloc_charge.c says more).
limited() {
	alloc=$1 size=$2
	count=$((4 * MIB / size))
	tag="$alloc size=$size count=$count memory.max"
	dir=$CG/smalloc-max-$alloc-$size
	if ! mkdir "$dir"; then
		check "$tag: mkdir $dir" false
		return
	fi
	before=$(current "$dir")
	limit=$((before + MIB))
	echo "$limit" >"$dir/memory.max"
	check "$tag: memory.max set to $limit" test "$(cat "$dir/memory.max")" = "$limit"
	load "$dir" "$tag" alloc="$alloc" size="$size" count="$count" retry_mayfail=1
	# Lift the limit before anything else can be charged there.
	echo max >"$dir/memory.max"
	got=$(allocated)
	peak=$(cat "$dir/memory.peak")
	events=$(tr '\n' ' ' <"$dir/memory.events")
	echo "# $tag: limit $limit, peak $peak, $((got * size)) bytes allocated; memory.events: $events"
	check "$tag: allocation stopped short of $count objects (at $got)" \
		between "$got" 0 $((count - 1))
	check "$tag: allocated at least $((MIB / 2)) bytes before the limit" \
		test $((got * size)) -ge $((MIB / 2))
	check "$tag: memory.peak $peak within memory.max $limit" test "$peak" -le "$limit"
	check "$tag: memory.events counts max events" test "$(event "$dir" max)" -gt 0
	check "$tag: memory.events counts no OOM kill" test "$(event "$dir" oom_kill)" = 0
	check "$tag: rmmod smalloc_charge" unload smalloc_charge
	end=$(current "$dir")
	check "$tag: memory.current back to $before within $SLACK (at $end)" \
		within "$end" "$before" "$SLACK"
	check "$tag: rmdir the cgroup" rmdir "$dir"
}

check "cgroup2 mounted on $CG with the memory controller, $TEST made" setup_cgroup2
# In the root cgroup: smalloc's own memory is charged to no test cgroup.
check "insmod smalloc.ko" insmod ./smalloc.ko

if [ -f "$TEST/memory.current" ]; then
	for alloc in smalloc kmalloc; do
		charged "$alloc" 64 20000
		charged "$alloc" 8192 200
	done
	for alloc in smalloc kmalloc; do
		uncharged "$alloc" 64 20000
		uncharged "$alloc" 8192 200
	done
	for alloc in smalloc kmalloc; do
		limited "$alloc" 64
		limited "$alloc" 8192
	done
	check "rmdir $TEST" rmdir "$TEST"
fi

check "rmmod smalloc" unload smalloc
# Every case frees what it allocated, so no pool may report live objects.
check "smalloc reported no leak" dmesg_lacks 'smalloc.*destroyed with'

tap_done memcg
