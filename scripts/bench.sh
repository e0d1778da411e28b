#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build smalloc.ko and tests/smalloc_bench.ko for the guest kernel, run the
# benchmark in the QEMU guest (scripts/guest.sh, 2 CPUs) once per QEMU CPU
# model and init policy, print the tables and write the JSON. A tool, not a
# test: numbers are reported, never judged.
#
# Usage: scripts/bench.sh [--smoke] [--rounds N] [--scale N] [--which LIST]
#                         [--cpus LIST] [--policies LIST] [--mem MEM]
#                         [--timeout SECS]
#
#   (default)  full run: rounds=7 scale=1, guest -m 2G (the 100k-page scale
#              row holds about 1.1 GB), on CPU models qemu64 and max, each
#              booted with init_on_alloc=1 (Debian's default) and with
#              init_on_alloc=0: speed, replay and smp rows in all four runs,
#              density and scale (which the CPU and policy do not change)
#              in the first only. Tens of minutes under TCG. Writes
#              build/bench/bench.json and build/bench/bench.txt
#   --smoke    tiny run (rounds=3 scale=100, qemu64 with Debian's default
#              policy only) that checks the benchmark runs and prints
#              well-formed JSON with every row; writes
#              build/bench/bench-smoke.{json,txt} and ends with
#              "bench-smoke: N passed, M failed" (timings are not checked)
#   --which    comma-separated groups: speed,replay,density,scale,smp
#   --cpus     comma-separated QEMU CPU models (default qemu64,max)
#   --policies comma-separated init policies, as kernel command lines with
#              "+" for spaces (default init_on_alloc=1,init_on_alloc=0)
#
# The replay group replays tests/traces/*.rp.gz (scripts/capture-traces.sh).
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
cpus=
policies=
usage() { sed -n '/^# Usage/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--rounds) rounds=$2; shift ;;
	--scale) scale=$2; shift ;;
	--which) which=$2; shift ;;
	--cpus) cpus=$2; shift ;;
	--policies) policies=$2; shift ;;
	--mem) mem=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) usage ;;
	esac
	shift
done
if [ "$smoke" = 1 ]; then
	rounds=${rounds:-3} scale=${scale:-100} mem=${mem:-512M} timeout=${timeout:-300}
	cpus=${cpus:-qemu64} policies=${policies:-init_on_alloc=1}
	name=bench-smoke
else
	rounds=${rounds:-7} scale=${scale:-1} mem=${mem:-2G} timeout=${timeout:-1800}
	cpus=${cpus:-qemu64,max} policies=${policies:-init_on_alloc=1,init_on_alloc=0}
	name=bench
fi
outdir=$repo/build/bench
gbuild=${BENCH_GUEST_BUILD:-$repo/build/bench-guest}
mkdir -p "$outdir/traces"

# Modules must match the booted kernel, not the host's.
make_for_guest tests >"$outdir/$name-build.log" 2>&1 || {
	tail -n 20 "$outdir/$name-build.log" >&2
	echo "bench.sh: build failed (log: build/bench/$name-build.log)" >&2
	[ "$smoke" = 1 ] && echo "bench-smoke: 0 passed, 1 failed"
	exit 1
}
files=()
for t in tests/traces/*.rp.gz; do
	[ -e "$t" ] || continue
	f=$outdir/traces/$(basename "$t" .gz)
	gzip -dc "$t" >"$f"
	files+=(-f "$f")
done

# One guest boot per CPU model and policy; NAME-N.{txt,jsonl,out} each.
runs=()
n=0
IFS=, read -ra cpu_list <<<"$cpus"
IFS=, read -ra policy_list <<<"$policies"
for cpu in "${cpu_list[@]}"; do
	for policy in "${policy_list[@]}"; do
		append=${policy//+/ }
		groups=$which
		# Density and scale do not depend on the CPU model or policy.
		[ -z "$groups" ] && [ "$n" -gt 0 ] && groups=speed,replay,smp
		rc=0
		guest_boot "$gbuild" -m "$mem" -t "$timeout" -c "$cpu" -a "$append" \
			-e BENCH_ROUNDS="$rounds" -e BENCH_SCALE="$scale" \
			-e BENCH_WHICH="$groups" -e BENCH_LABEL="$cpu" \
			${files[@]+"${files[@]}"} \
			scripts/guest/bench.sh smalloc.ko tests/smalloc_bench.ko || rc=$?
		out=$gbuild/guest-output.log
		tr -d '\r' <"$out" >"$outdir/$name-$n.out"
		sed -n 's/^smalloc_bench: //p' "$outdir/$name-$n.out" >"$outdir/$name-$n.txt"
		sed -n 's/^smalloc_bench_json: //p' "$outdir/$name-$n.out" >"$outdir/$name-$n.jsonl"
		runs+=("$n" "$cpu" "$append" "$groups" "$rc")
		[ "$smoke" = 1 ] || cat "$outdir/$name-$n.txt"
		n=$((n + 1))
	done
done

# Check every run's JSON lines, join them into one document, print the
# summary tables.
python3 scripts/bench_report.py "$outdir" "$name" "$smoke" tests/traces "${runs[@]}" |
	tee "$outdir/$name-summary.txt"
