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
# Environment: MEMCG_GUEST_BUILD (default build/guest-memcg), GUEST_* of
# scripts/guest.sh, KVER and FLAVOUR (the kernel booted, see scripts/lib.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
dir=${MEMCG_GUEST_BUILD:-$repo/build/guest-memcg}

# Modules must match the booted kernel, not the host's.
kver=$(guest_kver)
if ! make_for_guest tests; then
	not_ok "build smalloc.ko and tests/ for $kver"
	summary memcg
	exit 1
fi

rc=0
guest_boot "$dir" scripts/guest/memcg.sh smalloc.ko tests/smalloc_charge.ko || rc=$?
# The guest's own lines, the numbers of each case included, to read in the log.
tr -d '\r' <"$dir/guest-output.log" | grep -E '^(ok|not ok|#) ' || true
guest_result "$rc" "$dir" memcg
summary memcg
