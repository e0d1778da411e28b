#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Capture real kmalloc/kfree traces in the guest of scripts/guest.sh and
# convert them to the replay files tests/traces/*.rp.gz that the benchmark
# replays (scripts/bench.sh, replay group). The guest boots Debian's kernel
# with kmem:kmalloc and kmem:kfree on from the start (trace_event= on the
# command line) and runs scripts/guest/capture.sh: the boot, then busybox
# workloads with files, tar, mounts and networking on lo, one trace each.
#
# Usage: scripts/capture-traces.sh [OUTDIR]   (default tests/traces)
#
# Environment: GUEST_* of scripts/guest.sh, KVER and FLAVOUR.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

outdir=${1:-tests/traces}
gbuild=$repo/build/capture
mkdir -p "$outdir" "$gbuild"

# no_hash_pointers: the same pointer prints the same in kmalloc and kfree
# either way, but hashing costs time; rcu_min_cached_objs=0 keeps kfree_rcu()
# frees single, so they show as kfree events.
guest_boot "$gbuild" -m 1G -t 900 \
	-a "trace_event=kmem:kmalloc,kmem:kfree trace_buf_size=32M no_hash_pointers rcutree.rcu_min_cached_objs=0" \
	scripts/guest/capture.sh
out=$gbuild/guest-output.log
for name in $(tr -d '\r' <"$out" | sed -n 's/^TRACE-BEGIN //p'); do
	tr -d '\r' <"$out" | sed -n "/^TRACE-BEGIN $name\$/,/^TRACE-END $name\$/p" |
		grep -E '^[A-Za-z0-9+/=]+$' | base64 -d >"$gbuild/$name.txt.gz"
	scripts/trace2replay.py "$gbuild/$name.txt.gz" "$gbuild/$name.rp"
	gzip -9 -n -c "$gbuild/$name.rp" >"$outdir/$name.rp.gz"
done
ls -l "$outdir"
