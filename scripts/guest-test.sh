#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build smalloc.ko, the sample and the test modules for the kernel the guest
# boots, run scripts/guest/e2e.sh in it and end with "guest: N passed, N
# failed". The harness verdict (clean kernel log, guest finished) counts as
# one more check, so a splat fails the count even when every e2e check
# passed.
#
# Environment: STRESS_SECONDS (default 5), GUEST_TIMEOUT, GUEST_LOG, ...
# (see scripts/guest.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

# Modules must match the booted kernel, not the host's.
kver=$(scripts/guest.sh -V)
make samples tests KDIR="/usr/src/linux-headers-$kver"

# modinfo records the sample's dependency, so modprobe would load smalloc
# first and smalloc cannot go while the sample is loaded.
deps_ok=0
if [ "$(modinfo -F depends samples/smalloc_sample.ko)" = smalloc ]; then
	deps_ok=1
	echo "ok - modinfo: smalloc_sample depends on smalloc"
else
	echo "not ok - modinfo: smalloc_sample depends on smalloc"
fi

rc=0
scripts/guest.sh -q -e STRESS_SECONDS="${STRESS_SECONDS:-5}" \
	-w '^smalloc_(free|size|pool_destroy): ' \
	scripts/guest/e2e.sh smalloc.ko samples/smalloc_sample.ko \
	tests/smalloc_stress.ko tests/smalloc_misuse.ko || rc=$?

out=${GUEST_BUILD:-$repo/build/guest}/guest-output.log
summary=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$out" 2>/dev/null | tail -n 1 || true)
passed=$(sed -nE 's/^e2e: ([0-9]+) passed.*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")
passed=${passed:-0}
failed=${failed:-0}
if [ "$deps_ok" = 1 ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
if [ "$rc" = 0 ]; then
	passed=$((passed + 1))
	echo "ok - guest harness verdict"
else
	failed=$((failed + 1))
	echo "not ok - guest harness verdict (exit $rc)"
fi
echo "guest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
