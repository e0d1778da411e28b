#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run smalloc_bench.ko inside the guest of scripts/guest.sh (busybox ash,
# cwd = the directory holding the .ko files and the replay files *.rp);
# scripts/bench.sh drives it. Prints TAP-style checks, the benchmark's table
# and JSON lines from the kernel log (timestamps cut, so the host reads them
# as they were printed), one "replay-density:" line per trace, then
# "GUEST-DONE" and "bench-guest: P passed, F failed".
#
# Environment: BENCH_ROUNDS (default 7), BENCH_SCALE (default 1),
# BENCH_WHICH (groups to run, default all), BENCH_LABEL (name of the run).
set -u

# shellcheck source=scripts/guest/tap.sh
. /tap.sh

traces=$(ls ./*.rp 2>/dev/null | tr '\n' ',')
params="rounds=${BENCH_ROUNDS:-7} scale=${BENCH_SCALE:-1}"
[ -n "${BENCH_WHICH:-}" ] && params="$params which=$BENCH_WHICH"
[ -n "${BENCH_LABEL:-}" ] && params="$params label=$BENCH_LABEL"
[ -n "$traces" ] && params="$params traces=${traces%,}"

check "insmod smalloc.ko" insmod ./smalloc.ko
start=$(date +%s)
# shellcheck disable=SC2086 # one word per module parameter
check "insmod smalloc_bench.ko $params" insmod ./smalloc_bench.ko $params
echo "# benchmark took $(($(date +%s) - start)) s"
dmesg | sed -n 's/^\[[^]]*\] //; /^smalloc_bench\(_json\)\{0,1\}: /p'
check "benchmark printed its end line" dmesg_has '^(\[[^]]*\] )?smalloc_bench_json: \{"type":"end"'

# kmalloc's plain caches (not -cg-, -rcl-, dma-) in /proc/slabinfo: bytes of
# their slabs' pages and of their active objects.
slabs() {
	awk '$1 ~ /^kmalloc-[0-9]+k?$/ { pages += $6 * $15; objs += $2 * $4 }
	     END { printf "%d %d\n", pages * 4096, objs }' /proc/slabinfo
}
shrink() {
	for f in /sys/kernel/slab/kmalloc-*/shrink; do echo 1 >"$f"; done
}

# Each trace held at its live peak by each allocator in turn; kmalloc's
# growth is read from /proc/slabinfo after empty slabs are shrunk away.
hold=/sys/kernel/debug/smalloc_bench/hold
density() {
	i=0
	for rp in ./*.rp; do
		[ -e "$rp" ] || return 0
		shrink
		# shellcheck disable=SC2046 # two numbers
		set -- $(slabs)
		echo "$i kmalloc" >$hold || return 1
		k=$(cat $hold)
		# shellcheck disable=SC2046 # two more
		set -- "$@" $(slabs)
		echo release >$hold
		echo "$i smalloc" >$hold || return 1
		s=$(cat $hold)
		echo release >$hold
		echo "replay-density: $k slab_pages=$(($3 - $1)) slab_objs=$(($4 - $2))"
		echo "replay-density: $s"
		i=$((i + 1))
	done
}
if echo "${BENCH_WHICH:-replay}" | grep -q replay && [ -n "$traces" ]; then
	check "held at each trace's live peak" density
fi
check "rmmod smalloc_bench" rmmod smalloc_bench
check "rmmod smalloc" rmmod smalloc
check "smalloc reported no leak" dmesg_lacks 'smalloc.*destroyed with'

tap_done bench-guest
