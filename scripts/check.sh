#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make check`: everything the project tests, in order, each step's log kept
# under build/check/. Ends with "N passed, N failed": each KUnit case, lint
# check, guest check and so on counts once. The W=1 builds of smalloc.ko
# and the samples are lint checks, and matrix cells for 6.1, 6.1-rt, 6.12
# and 6.12-rt.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
logs=$repo/build/check
mkdir -p "$logs"

scripts/deps.sh || exit 1

# The gate is the oldest supported series, whatever else is installed: the
# matrix cells below put 6.12 headers beside 6.1's, and make check-matrix
# 6.12 kernels, which would otherwise become the newest. KSERIES=6.12 make
# check runs it all against 6.12 instead (the cells set their own).
export KSERIES=${KSERIES:-6.1}

# suite NAME COMMAND...: run the sub-suite COMMAND, logging to
# build/check/NAME.log, and add the counts its last line gives.
suite() {
	local name=$1
	shift
	"$@" >"$logs/$name.log" 2>&1
	add_counts "$name" "$logs/$name.log"
}

# The W=1 cells of the support matrix (scripts/matrix.sh), first: they
# install the 6.1-rt, 6.12 and 6.12-rt headers, so that every later step of
# the first run sees what later runs see. The guest and KUnit cells are
# make check-matrix.
suite matrix-builds scripts/matrix.sh build-6.1 build-6.1-rt build-6.12 build-6.12-rt
check_logged readme-client "$logs/readme-client.log" scripts/readme-client-test.sh
suite lib scripts/test_lib.sh
suite fortify scripts/fortify-test.sh
suite kunit scripts/kunit.sh
# After kunit: lint's sparse pass reuses the configured UML tree.
suite lint scripts/lint.sh
suite guest scripts/guest-test.sh
suite meminit scripts/meminit-test.sh
suite memcg scripts/memcg-test.sh
suite fs scripts/fs-test.sh
suite bench-smoke scripts/bench.sh --smoke
suite status-png scripts/test_status_png.py

# DKMS writes to /usr/src and /var/lib/dkms: only root can try it.
if [ "$(id -u)" -eq 0 ]; then
	suite dkms scripts/dkms-test.sh
else
	skip "dkms (needs root)"
fi

summary
