#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make check`: everything the project tests, in order, each step's log kept
# under build/check/. Ends with "N passed, N failed", where KUnit cases and
# guest checks count one each and every other step counts once.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
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
	passed=$((passed + $(grep -oE '[0-9]+ passed' <<<"$line" | cut -d' ' -f1)))
	failed=$((failed + $(grep -oE '[0-9]+ failed' <<<"$line" | cut -d' ' -f1)))
	echo "$name: $line"
}

# kbuild prints "warning:" for every compiler warning, W=1 included.
build_clean() {
	make clean >/dev/null && make modules 2>&1 | tee /dev/stderr | { ! grep -i 'warning:'; }
}

check module-build-w1 build_clean
check samples-build make samples
check readme-client scripts/readme-client-test.sh

scripts/kunit.sh >"$logs/kunit.log" 2>&1
add_counts kunit

if [ -x scripts/guest-test.sh ]; then
	scripts/guest-test.sh >"$logs/guest.log" 2>&1
	add_counts guest
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
