#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# __GFP_ACCOUNT charged to the memory cgroup as kmalloc charges it, for
# small and large objects (tests/smalloc_charge.c): builds smalloc.ko and the
# test module for the kernel the guest boots, then boots it once with
# scripts/guest.sh and scripts/guest/memcg.sh, which mounts cgroup2 and
# checks memory.current, memory.max, memory.peak and memory.events against
# smalloc and, as the reference, kmalloc.
#
# Counts the guest checks plus the harness verdict (clean kernel log, guest
# finished); ends with "memcg: N passed, N failed".
#
# Environment: MEMCG_GUEST_BUILD (default build/guest-memcg) and GUEST_* of
# scripts/guest.sh.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
dir=${MEMCG_GUEST_BUILD:-$repo/build/guest-memcg}
passed=0
failed=0

# Modules must match the booted kernel, not the host's.
kver=$(scripts/guest.sh -V)
if ! make tests KDIR="/usr/src/linux-headers-$kver"; then
	echo "not ok - build smalloc.ko and tests/ for $kver"
	echo "memcg: 0 passed, 1 failed"
	exit 1
fi

out=$dir/guest-output.log
rc=0
# Never count a previous run's output if the guest does not start.
mkdir -p "$dir"
rm -f "$out"
scripts/guest.sh -q -b "$dir" scripts/guest/memcg.sh \
	smalloc.ko tests/smalloc_charge.ko || rc=$?
touch "$out"

# The guest's own lines, the numbers of each case included, to read in the log.
tr -d '\r' <"$out" | grep -E '^(ok|not ok|#) ' || true
summary=$(tr -d '\r' <"$out" | grep -E '^memcg: [0-9]+ passed, [0-9]+ failed' | tail -n 1 || true)
p=$(sed -nE 's/^memcg: ([0-9]+) passed.*/\1/p' <<<"$summary")
f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")
echo "# guest counts: ${summary:-none}"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ "$rc" = 0 ]; then
	passed=$((passed + 1))
	echo "ok - guest harness verdict"
else
	failed=$((failed + 1))
	echo "not ok - guest harness verdict (exit $rc, log: $dir/console.log)"
fi

echo "memcg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
