#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Guest side of `make demo`: load smalloc and the sample client and show
# what smalloc's debugfs files say while the client holds its objects and
# after it lets go. Lines between "=== BEGIN name" and "=== END name" are
# saved by scripts/demo.sh on the host.
set -u
D=/sys/kernel/debug/smalloc

show() {
	echo "=== BEGIN $1"
	cat "$2"
	echo "=== END $1"
}

insmod ./smalloc.ko || exit 1
insmod ./smalloc_sample.ko || exit 1
echo "--- smalloc_sample is loaded: it holds 4 objects in the default pool"
echo "--- (24, 100, 700 and 5000 bytes) and 2 in its own pool \"sample\"."
show stats-loaded "$D/stats"
show status-loaded "$D/status"
show sample-pool-status "$D/sample/status"

rmmod smalloc_sample || exit 1
echo "--- smalloc_sample is unloaded: its objects are freed."
show stats-unloaded "$D/stats"
show status-unloaded "$D/status"
rmmod smalloc || exit 1
echo GUEST-DONE
