#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build smalloc.ko and tests/smalloc_bench.ko for the guest kernel, run the
# benchmark in the QEMU guest (scripts/guest.sh, 2 CPUs), print its table and
# write its JSON.  A tool, not a test: numbers are reported, never judged.
#
# Usage: scripts/bench.sh [--smoke] [--rounds N] [--scale N] [--which LIST]
#                         [--mem MEM] [--timeout SECS]
#
#   (default)  full run: rounds=7 scale=1, guest -m 2G (the 100k-page scale
#              row holds about 1.1 GB), several minutes under TCG;
#              writes build/bench/bench.json and build/bench/bench.txt
#   --smoke    tiny run (rounds=3 scale=100, seconds in the guest) that checks
#              the benchmark runs and prints well-formed JSON with every row;
#              writes build/bench/bench-smoke.{json,txt} and ends with
#              "bench-smoke: N passed, M failed" (timings are not checked)
#   --which    comma-separated groups: speed,density,scale,smp
#
# Environment: BENCH_GUEST_BUILD (default build/bench-guest), GUEST_* of
# scripts/guest.sh, KVER and FLAVOUR (the kernel booted, see scripts/lib.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

smoke=0
rounds=
scale=
which=
mem=
timeout=
usage() { sed -n '/^# Usage/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--rounds) rounds=$2; shift ;;
	--scale) scale=$2; shift ;;
	--which) which=$2; shift ;;
	--mem) mem=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) usage ;;
	esac
	shift
done
if [ "$smoke" = 1 ]; then
	rounds=${rounds:-3} scale=${scale:-100} mem=${mem:-512M} timeout=${timeout:-300}
	name=bench-smoke
else
	rounds=${rounds:-7} scale=${scale:-1} mem=${mem:-2G} timeout=${timeout:-900}
	name=bench
fi
outdir=$repo/build/bench
gbuild=${BENCH_GUEST_BUILD:-$repo/build/bench-guest}
mkdir -p "$outdir"

# Modules must match the booted kernel, not the host's.
make_for_guest tests >"$outdir/$name-build.log" 2>&1 || {
	tail -n 20 "$outdir/$name-build.log" >&2
	echo "bench.sh: build failed (log: build/bench/$name-build.log)" >&2
	[ "$smoke" = 1 ] && echo "bench-smoke: 0 passed, 1 failed"
	exit 1
}

# Never read a previous run's output if the guest does not even start.
out=$gbuild/guest-output.log
rc=0
guest_boot "$gbuild" -m "$mem" -t "$timeout" \
	-e BENCH_ROUNDS="$rounds" -e BENCH_SCALE="$scale" -e BENCH_WHICH="$which" \
	scripts/guest/bench.sh smalloc.ko tests/smalloc_bench.ko || rc=$?
tr -d '\r' <"$out" | sed -n 's/^smalloc_bench: //p' >"$outdir/$name.txt"
tr -d '\r' <"$out" | sed -n 's/^smalloc_bench_json: //p' >"$outdir/$name.jsonl"
[ "$smoke" = 1 ] || cat "$outdir/$name.txt"

# Join the JSON lines into one document and check its shape.
python3 - "$outdir/$name.jsonl" "$outdir/$name.json" "$rc" "$smoke" "$which" <<'PY'
import json
import sys

src, dst, rc, smoke, which = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5]
GROUPS = {
    "speed": [f"{s}-{p}" for s in ("fixed-8", "fixed-64", "fixed-256", "fixed-1024",
                                     "fixed-3000", "rand-1-512")
              for p in ("immediate", "live10k")],
    "density": [f"rand-1-{m}-{p}" for m in (64, 512) for p in ("fill", "churn")],
    "scale": ["1-page", "1k-pages", "100k-pages"],
    "smp": ["1cpu", "2cpu", "2cpu-vs-1cpu"],
}
ALLOCS = ("smalloc", "kmalloc", "genalloc")
passed = failed = 0


def check(ok, desc):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {desc}")
    else:
        failed += 1
        print(f"not ok - {desc}")


check(rc == 0, f"guest harness verdict (exit {rc})")
meta, end, rows, bad = None, None, [], 0
for line in open(src):
    try:
        obj = json.loads(line)
    except ValueError:
        bad += 1
        continue
    kind = obj.get("type")
    if kind == "meta":
        meta = obj
    elif kind == "end":
        end = obj
    elif kind == "row":
        rows.append(obj)
    else:
        bad += 1
check(bad == 0, f"every JSON line parses ({bad} bad)")
check(meta is not None, "meta line present")
check(end is not None and end.get("rows") == len(rows),
      f"end line present and counts {len(rows)} rows")
check(end is not None and end.get("incomplete_rows") == 0, "no incomplete rows")

by_name = {(r.get("group"), r.get("name")): r for r in rows}
wanted = [g for g in GROUPS if not which or g in which]
for group in wanted:
    for name in GROUPS[group]:
        r = by_name.get((group, name))
        ok = r is not None and r.get("rounds", 0) >= 1
        for a in ALLOCS:
            v = r and r.get(a)
            ok = ok and isinstance(v, dict) and all(
                isinstance(v.get(k), (int, float)) for k in ("min", "median", "max")
            ) and v["min"] <= v["median"] <= v["max"]
        for k in ("smalloc_vs_kmalloc", "smalloc_vs_genalloc"):
            ok = ok and isinstance(r.get(k), (int, float))
        check(ok, f"row {group}/{name} has median, min, max for all allocators and ratios")

doc = {"meta": meta, "rows": rows, "end": end}
with open(dst, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
with open(dst) as f:
    check(json.load(f)["rows"] == rows, f"wrote {dst}")
if smoke:
    print(f"bench-smoke: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
