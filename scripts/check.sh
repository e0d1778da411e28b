#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make check`: everything the project tests, in order, each step's log kept
# under build/check/. Ends with "N passed, N failed": each KUnit case, lint
# check, guest check and so on counts once. The W=1 builds of smalloc.ko
# and the samples are lint checks.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 1
logs=$repo/build/check
mkdir -p "$logs"
passed=0
failed=0

scripts/deps.sh || exit 1

# Run "$@" as one check named $1 (the command follows), logging to a file.
check() {
	local name=$1 log=$logs/$1.log
	shift
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "not ok - $name (log: build/check/$name.log)"
		tail -n 20 "$log" | sed 's/^/    /'
	fi
}

# Take "N passed, M failed" from the last such line of a sub-suite's log.
add_counts() {
	local name=$1 log=$logs/$1.log line
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		echo "not ok - $name printed no counts (log: build/check/$name.log)"
		tail -n 20 "$log" | sed 's/^/    /'
		return
	fi
	local p f
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | cut -d' ' -f1)
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | cut -d' ' -f1)
	passed=$((passed + p))
	failed=$((failed + f))
	echo "$line"
	if [ "$f" -ne 0 ]; then
		echo "    (log: build/check/$name.log)"
		grep -E '^not ok|\[FAILED\]|FAIL:' "$log" | head -n 20 | sed 's/^/    /'
	fi
}

check readme-client scripts/readme-client-test.sh

scripts/fortify-test.sh >"$logs/fortify.log" 2>&1
add_counts fortify

scripts/kunit.sh >"$logs/kunit.log" 2>&1
add_counts kunit

# After kunit: lint's sparse pass reuses the configured UML tree.
scripts/lint.sh >"$logs/lint.log" 2>&1
add_counts lint

scripts/guest-test.sh >"$logs/guest.log" 2>&1
add_counts guest

scripts/meminit-test.sh >"$logs/meminit.log" 2>&1
add_counts meminit

scripts/memcg-test.sh >"$logs/memcg.log" 2>&1
add_counts memcg

scripts/bench.sh --smoke >"$logs/bench-smoke.log" 2>&1
add_counts bench-smoke

scripts/test_status_png.py >"$logs/status-png.log" 2>&1
add_counts status-png

# DKMS writes to /usr/src and /var/lib/dkms: only root can try it.
if [ "$(id -u)" -eq 0 ]; then
	scripts/dkms-test.sh >"$logs/dkms.log" 2>&1
	add_counts dkms
else
	echo "skip - dkms (needs root)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
