#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Convert an ftrace kmem:kmalloc/kmem:kfree text trace to a replay file.

Usage: trace2replay.py TRACE.txt[.gz] OUT.rp

The replay file, read by tests/smalloc_bench.c (replay group), is
little-endian: a 16-byte header (magic "SMRP", version 1, number of
operations, number of slots), then 8 bytes per operation: a word with the
slot in bits 0..29, bit 30 set for __GFP_ZERO, bit 31 set for a free; and
the size asked for (0 for a free). Slots are the lowest free ones, so the
replay's table is as large as the most objects live at once.

Kept: every kmalloc that succeeded with a size from 1 to 4 MiB, and every
kfree of a pointer the trace saw allocated. kfree of anything else
(allocated before the trace began, or by kmem_cache_alloc) is dropped; an
allocation returning a pointer still live in the trace (its free was not
traced: kfree_bulk, kmem_cache_free of a kmalloc'd object) frees the old
object first. GFP flags other than __GFP_ZERO are not kept: the benchmark
allocates with GFP_KERNEL in process context.
"""
import gzip
import re
import struct
import sys

MAX_SIZE = 4 << 20
EVENT = re.compile(r"\s(kmalloc|kfree): .*?\bptr=(\S+)(?: bytes_req=(\d+))?"
                   r"(?: bytes_alloc=\d+)?(?: gfp_flags=(\S+))?")


def main():
    src, dst = sys.argv[1], sys.argv[2]
    opener = gzip.open if src.endswith(".gz") else open
    live = {}          # pointer -> slot
    free_slots = []    # a heap would be exact; lowest-first is kept cheaply
    next_slot = 0
    ops = []
    dropped_frees = null_frees = implied_frees = skipped_allocs = 0
    import heapq
    with opener(src, "rt", errors="replace") as f:
        for line in f:
            m = EVENT.search(line)
            if not m:
                continue
            kind, ptr = m.group(1), m.group(2)
            if kind == "kfree":
                if int(ptr, 16) < 4096:     # NULL, ZERO_SIZE_PTR
                    null_frees += 1
                    continue
                slot = live.pop(ptr, None)
                if slot is None:
                    dropped_frees += 1
                    continue
                ops.append(struct.pack("<II", slot | 1 << 31, 0))
                heapq.heappush(free_slots, slot)
                continue
            size = int(m.group(3) or 0)
            if size < 1 or size > MAX_SIZE or int(ptr, 16) < 4096:
                skipped_allocs += 1
                continue
            if ptr in live:
                slot = live.pop(ptr)
                ops.append(struct.pack("<II", slot | 1 << 31, 0))
                heapq.heappush(free_slots, slot)
                implied_frees += 1
            if free_slots:
                slot = heapq.heappop(free_slots)
            else:
                slot = next_slot
                next_slot += 1
            live[ptr] = slot
            zero = "__GFP_ZERO" in (m.group(4) or "")
            ops.append(struct.pack("<II", slot | (1 << 30 if zero else 0), size))
    with open(dst, "wb") as out:
        out.write(struct.pack("<4sIII", b"SMRP", 1, len(ops), next_slot))
        out.writelines(ops)
    print(f"{dst}: {len(ops)} operations, {next_slot} slots, {len(live)} live at the end; "
          f"dropped {null_frees} frees of NULL and {dropped_frees} of untraced pointers, "
          f"{implied_frees} implied frees, "
          f"{skipped_allocs} allocations skipped (size 0, failed or > 4 MiB)")


if __name__ == "__main__":
    main()
