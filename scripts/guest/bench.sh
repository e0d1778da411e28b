#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run smalloc_bench.ko inside the guest of scripts/guest.sh (busybox ash,
# cwd = the directory holding the .ko files); scripts/bench.sh drives it.
# Prints TAP-style checks, the benchmark's table and JSON lines from the
# kernel log (timestamps cut, so the host reads them as they were printed),
# then "GUEST-DONE" and "bench-guest: P passed, F failed".
#
# Environment: BENCH_ROUNDS (default 7), BENCH_SCALE (default 1),
# BENCH_WHICH (groups to run, default all).
set -u

# shellcheck source=scripts/guest/tap.sh
. /tap.sh

params="rounds=${BENCH_ROUNDS:-7} scale=${BENCH_SCALE:-1}"
[ -n "${BENCH_WHICH:-}" ] && params="$params which=$BENCH_WHICH"

check "insmod smalloc.ko" insmod ./smalloc.ko
start=$(date +%s)
# shellcheck disable=SC2086 # one word per module parameter
check "insmod smalloc_bench.ko $params" insmod ./smalloc_bench.ko $params
echo "# benchmark took $(($(date +%s) - start)) s"
dmesg | sed -n 's/^\[[^]]*\] //; /^smalloc_bench\(_json\)\{0,1\}: /p'
check "benchmark printed its end line" dmesg_has '^(\[[^]]*\] )?smalloc_bench_json: \{"type":"end"'
check "rmmod smalloc_bench" rmmod smalloc_bench
check "rmmod smalloc" rmmod smalloc
check "smalloc reported no leak" dmesg_lacks 'smalloc.*destroyed with'

tap_done bench-guest
