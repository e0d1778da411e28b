#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Check and summarize the runs of scripts/bench.sh.

Usage: bench_report.py OUTDIR NAME SMOKE TRACEDIR [N CPU POLICY GROUPS RC]...

Reads OUTDIR/NAME-N.jsonl and OUTDIR/NAME-N.out of every run, checks that
each has every row its groups promise (TAP-style "ok"/"not ok" lines),
writes OUTDIR/NAME.json and prints the summary tables: smalloc/kmalloc per
row for every CPU model and init policy, the replays' per-round ratios, the
bytes held at each trace's live peak, and the 2-CPU scaling. Timings are
never judged; with SMOKE=1 the last line is "bench-smoke: P passed, F failed".
"""
import glob
import json
import os
import sys

SPEED = [f"{s}-{p}" for s in ("fixed-8", "fixed-64", "fixed-256", "fixed-1024", "fixed-3000",
                               "fixed-4096", "fixed-16384", "rand-1-512")
         for p in ("immediate", "live10k")]
NO_GENALLOC = {r for r in SPEED if r.startswith(("fixed-4096", "fixed-16384"))} | \
    {"2cpu-remote-free"}
GROUPS = {
    "speed": SPEED,
    "density": [f"rand-1-{m}-{p}" for m in (64, 512) for p in ("fill", "churn")],
    "scale": ["1-page", "1k-pages", "100k-pages"],
    "smp": ["1cpu", "2cpu", "2cpu-vs-1cpu", "2cpu-remote-free"],
}

# Peaks smaller than this are within /proc/slabinfo's noise.
SLAB_MIN_PEAK = 512 << 10
passed = failed = 0


def check(ok, desc):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {desc}")
    else:
        failed += 1
        print(f"not ok - {desc}")


def stats_ok(v):
    return isinstance(v, dict) and all(isinstance(v.get(k), (int, float))
                                       for k in ("min", "median", "max")) \
        and v["min"] <= v["median"] <= v["max"]


def load_run(outdir, name, n, traces):
    meta, end, rows, bad = None, None, [], 0
    path = os.path.join(outdir, f"{name}-{n}.jsonl")
    for line in open(path):
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
    density = {}
    for line in open(os.path.join(outdir, f"{name}-{n}.out")):
        if not line.startswith("replay-density: "):
            continue
        kv = dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)
        density.setdefault(kv.get("trace"), {})[kv.get("alloc")] = kv
    return meta, end, rows, bad, density


def fmt(x, d=3):
    return "-" if x is None else f"{x:.{d}f}"


def main():
    outdir, name, smoke, tracedir = sys.argv[1:5]
    smoke = smoke == "1"
    args = sys.argv[5:]
    traces = sorted(os.path.basename(t).split(".")[0]
                    for t in glob.glob(os.path.join(tracedir, "*.rp.gz")))
    runs = []
    for i in range(0, len(args), 5):
        n, cpu, policy, groups, rc = args[i:i + 5]
        tag = f"{cpu} {policy}"
        meta, end, rows, bad, density = load_run(outdir, name, n, traces)
        check(rc == "0", f"{tag}: guest harness verdict (exit {rc})")
        check(bad == 0, f"{tag}: every JSON line parses ({bad} bad)")
        check(meta is not None, f"{tag}: meta line present")
        check(end is not None and end.get("rows") == len(rows),
              f"{tag}: end line present and counts {len(rows)} rows")
        check(end is not None and end.get("incomplete_rows") == 0, f"{tag}: no incomplete rows")
        by_name = {(r.get("group"), r.get("name")): r for r in rows}
        wanted = [g for g in list(GROUPS) + ["replay"] if not groups or g in groups]
        for group in wanted:
            names = GROUPS.get(group) or [f"{t}{s}" for t in traces for s in ("", "-peak")]
            for rname in names:
                r = by_name.get((group, rname))
                ok = r is not None and r.get("rounds", 0) >= 1
                allocs = ("smalloc", "kmalloc") if group == "replay" or rname in NO_GENALLOC \
                    else ("smalloc", "kmalloc", "genalloc")
                ok = ok and all(stats_ok(r.get(a)) for a in allocs)
                ok = ok and isinstance(r.get("smalloc_vs_kmalloc"), (int, float))
                if group == "replay" and not rname.endswith("-peak"):
                    ok = ok and stats_ok(r.get("round_ratio"))
                check(ok, f"{tag}: row {group}/{rname} has median, min, max and ratios")
        if "replay" in wanted:
            for t in traces:
                d = density.get(t, {})
                check("slab_pages" in d.get("kmalloc", {}) and "held" in d.get("smalloc", {}),
                      f"{tag}: trace {t} held at its live peak by both allocators")
        runs.append({"cpu": cpu, "policy": policy, "groups": groups, "meta": meta,
                     "rows": rows, "end": end, "density": density})

    dst = os.path.join(outdir, f"{name}.json")
    with open(dst, "w") as f:
        json.dump({"runs": runs}, f, indent=1)
        f.write("\n")
    with open(dst) as f:
        check(len(json.load(f)["runs"]) == len(runs), f"wrote {dst}")

    def label(run):
        m = run["meta"] or {}
        return f"{run['cpu']}/ioa={m.get('init_on_alloc', '?')}"

    def row(run, group, rname):
        for r in run["rows"]:
            if r.get("group") == group and r.get("name") == rname:
                return r
        return None

    cols = "".join(f" {label(r):>22}" for r in runs)
    print()
    print("smalloc/kmalloc time (medians over rounds; lower is better for smalloc)")
    print(f"{'row':<28}{cols}")
    for rname in SPEED:
        line = ""
        for run in runs:
            r = row(run, "speed", rname)
            line += f" {fmt(r and r.get('smalloc_vs_kmalloc')):>22}"
        print(f"{'speed/' + rname:<28}{line}")
    for t in traces:
        line = ""
        for run in runs:
            r = row(run, "replay", t)
            rr = r and r.get("round_ratio")
            cell = f"{fmt(rr['median'])} [{fmt(rr['min'])}..{fmt(rr['max'])}]" if stats_ok(rr) else "-"
            line += f" {cell:>22}"
        print(f"{'replay/' + t:<28}{line}")
    line = ""
    for run in runs:
        r = row(run, "smp", "2cpu-vs-1cpu")
        cell = "-"
        if r and stats_ok(r.get("smalloc")) and stats_ok(r.get("kmalloc")):
            cell = f"{r['smalloc']['median']:.2f}x vs {r['kmalloc']['median']:.2f}x"
        line += f" {cell:>22}"
    print(f"{'smp/2cpu-vs-1cpu (s vs k)':<28}{line}")
    line = ""
    for run in runs:
        r = row(run, "smp", "2cpu-remote-free")
        line += f" {fmt(r and r.get('smalloc_vs_kmalloc')):>22}"
    print(f"{'smp/2cpu-remote-free':<28}{line}")
    print("(smp rows are pairs per second: there, above 1 favours smalloc)")

    print()
    print("held / requested at each trace's live peak")
    print(f"{'trace':<10} {'run':<18} {'peak KiB':>9} {'smalloc (-cache)':>16} {'kmalloc slabs':>14} "
          f"{'kmalloc objs':>13} {'kmalloc ksize':>14}")
    for run in runs:
        for t in traces:
            d = run["density"].get(t, {})
            k, s = d.get("kmalloc", {}), d.get("smalloc", {})
            try:
                req = int(k["requested"])
                large = int(k["large"])
                slabs = objs = sm = "n/a"
                if req >= SLAB_MIN_PEAK:
                    sm = f"{int(s['held']) / req:.3f}"
                    cached = int(s.get("cached", 0))
                    if cached >= 1 << 63:   # printed unsigned before
                        cached -= 1 << 64
                    sm += f" ({(int(s['held']) - cached) / req:.3f})"
                    slabs = f"{(int(k['slab_pages']) + large) / req:.3f}"
                    objs = f"{(int(k['slab_objs']) + large) / req:.3f}"
                print(f"{t:<10} {label(run):<18} {req // 1024:>9} {sm:>16} "
                      f"{slabs:>14} {objs:>13} {int(k['held']) / req:>14.3f}")
            except (KeyError, ValueError, ZeroDivisionError):
                print(f"{t:<10} {label(run):<18} -")
    print("(smalloc: growth of its pages, large and cached pages included, and page infos,"
          " in brackets without what its large-page cache grew (or shrank) by;"
          " kmalloc slabs: growth of the kmalloc-* caches' slab pages in /proc/slabinfo;"
          " objs: of their active objects x object size; both plus objects past 8 KiB,"
          " which have pages of their own; n/a below a 512 KiB peak, where a few slabs"
          " or pages more or less (the guest's own allocations, smalloc's reserve) decide"
          " the ratio)")
    if smoke:
        print(f"bench-smoke: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
