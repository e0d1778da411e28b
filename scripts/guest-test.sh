#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build smalloc.ko, the sample and the test modules for the kernel the guest
# boots, run scripts/guest/e2e.sh in it and end with "guest: N passed, N
# failed". The harness verdict (clean kernel log, guest finished) counts as
# one more check, so a splat fails the count even when every e2e check
# passed.
#
# Environment: STRESS_SECONDS (default 5), GUEST_BUILD (default build/guest),
# GUEST_TIMEOUT, GUEST_LOG, ... (see scripts/guest.sh), KVER and FLAVOUR
# (the kernel booted, see scripts/lib.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# Modules must match the booted kernel, not the host's.
make_for_guest samples tests

# modinfo records the sample's dependency, so modprobe would load smalloc
# first and smalloc cannot go while the sample is loaded.
sample_depends() { [ "$(modinfo -F depends samples/smalloc_sample.ko)" = smalloc ]; }
check "modinfo: smalloc_sample depends on smalloc" sample_depends

dir=${GUEST_BUILD:-$repo/build/guest}
rc=0
guest_boot "$dir" -e STRESS_SECONDS="${STRESS_SECONDS:-5}" \
	-w '^smalloc_(free|size|pool_destroy): ' \
	scripts/guest/e2e.sh smalloc.ko samples/smalloc_sample.ko \
	tests/smalloc_stress.ko tests/smalloc_misuse.ko || rc=$?
guest_result "$rc" "$dir" e2e
summary guest
