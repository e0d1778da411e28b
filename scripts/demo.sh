#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make demo`: build smalloc and its sample client, boot Debian's kernel in
# QEMU, load both and show /sys/kernel/debug/smalloc/{stats,status} while
# the client holds objects and after it unloads. The files are also saved
# under build/demo/, with a picture of the status map where it can be drawn.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
out=$repo/build/demo

scripts/deps.sh
make_for_guest -s samples
guest_boot "$out/guest" scripts/guest/demo.sh smalloc.ko samples/smalloc_sample.ko

# Split the guest's output (a serial line: CRLF) into one file per block.
tr -d '\r' <"$out/guest/guest-output.log" | awk -v dir="$out" '
	/^=== BEGIN / { name = $3; next }
	/^=== END /   { name = ""; next }
	name != ""    { print > (dir "/" name ".txt") }
'

for part in stats-loaded status-loaded stats-unloaded status-unloaded; do
	[ -f "$out/$part.txt" ] || { echo "demo: the guest did not show $part" >&2; exit 1; }
done

# Status lines are one character per unit: fold them for an 80-column view.
show_status() {
	awk '/^#/ { print; next }
	     { printf "page %s: %s free units, longest free run %s\n", $1, $2, $3
	       for (i = 1; i <= length($4); i += 64) print "    " substr($4, i, 64) }' "$1"
}

echo "== While smalloc_sample holds its objects =="
echo "-- /sys/kernel/debug/smalloc/stats"
cat "$out/stats-loaded.txt"
echo "-- /sys/kernel/debug/smalloc/status (. free, 1 2 3 used; 8 bytes a unit)"
show_status "$out/status-loaded.txt"
echo
echo "== After rmmod smalloc_sample =="
echo "-- /sys/kernel/debug/smalloc/stats"
cat "$out/stats-unloaded.txt"
echo "-- /sys/kernel/debug/smalloc/status"
show_status "$out/status-unloaded.txt"

if [ -x scripts/status_png.py ]; then
	scripts/status_png.py "$out/status-loaded.txt" --stats "$out/stats-loaded.txt" \
		-o "$out/status-loaded.png"
	echo
	echo "status map picture: build/demo/status-loaded.png"
fi
echo "saved: build/demo/*.txt"
