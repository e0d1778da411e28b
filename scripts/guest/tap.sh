# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Sourced by the guest test scripts (busybox ash); scripts/guest.sh puts it
# in every initramfs as /tap.sh. TAP-style checks that all run, even after
# one fails, and the closing lines the host reads.

n=0
passed=0
failed=0

# check DESCRIPTION COMMAND...: one TAP line from the command's status.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		passed=$((passed + 1))
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc"
	fi
}

dmesg_has() { dmesg | grep -Eq "$1"; }
dmesg_lacks() { ! dmesg_has "$1"; }

# tap_done NAME: the plan, the end marker and "NAME: P passed, F failed";
# the status says whether every check passed.
tap_done() {
	echo "1..$n"
	echo "GUEST-DONE"
	echo "$1: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}
