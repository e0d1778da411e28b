#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# End-to-end test of smalloc.ko on a real kernel.  Runs inside the guest of
# scripts/guest.sh (busybox ash, cwd = the directory holding the .ko files):
#
#   scripts/guest.sh -w '^smalloc_(free|size|pool_destroy): ' scripts/guest/e2e.sh \
#	smalloc.ko samples/smalloc_sample.ko tests/smalloc_stress.ko \
#	tests/smalloc_misuse.ko
#
# Prints TAP-style "ok N - ..." / "not ok N - ...", then "1..N",
# "GUEST-DONE" and "e2e: P passed, F failed".  No "set -e": every check runs
# and reports even after an earlier one failed.
#
# Environment: STRESS_SECONDS (default 5) for smalloc_stress.ko.
set -u

D=/sys/kernel/debug/smalloc
STRESS_SECONDS=${STRESS_SECONDS:-5}
# shellcheck source=scripts/guest/tap.sh
. /tap.sh

# sval KEY: value of "KEY: value" in the stats file (empty if missing).
sval() {
	awk -v k="$1" '$1 == k ":" { print $2 }' "$D/stats" 2>/dev/null
}

is_zero() { [ "$(sval "$1")" = 0 ]; }
is_positive() { v=$(sval "$1"); [ -n "$v" ] && [ "$v" -gt 0 ]; }
has_key() { [ -n "$(sval "$1")" ]; }

# mode_is FILE MODE...: octal permission bits are one of MODE...
mode_is() {
	f=$1
	shift
	m=$(stat -c %a "$f" 2>/dev/null) || return 1
	for want in "$@"; do
		[ "$m" = "$want" ] && return 0
	done
	echo "# $f has mode $m" >&2
	return 1
}
owned_by_root() { [ "$(stat -c %u:%g "$1")" = 0:0 ]; }

# A page line with at least one used unit (1, 2 or 3 in the unit map).
status_has_used_page() { awk '!/^#/ && $4 ~ /[123]/ { f = 1 } END { exit !f }' "$D/status"; }

# Neither file may show a kernel address (%px instead of %p, or hex ids).
no_raw_addresses() { ! cat "$D/status" "$D/stats" | grep -Eiq 'ffff[0-9a-f]{12}'; }

# smalloc is listed as used by MODULE in /proc/modules.
smalloc_used_by() { awk -v m="$1" '$1 == "smalloc" && $4 ~ m { f = 1 } END { exit !f }' /proc/modules; }

loaded() { grep -q "^$1 " /proc/modules; }
not_loaded() { ! loaded "$1"; }
# rmmod only what is there: a failed insmod is counted once, not twice.
unload() { ! loaded "$1" || rmmod "$1"; }
fails() { ! "$@" 2>/dev/null; }

# stress DESCRIPTION ARGS...: insmod smalloc_stress.ko ARGS as one check,
# then set STRESS to the result line it printed ("ops=N mismatches=M
# failures=F atomic_ops=A ..."). Its init fails when it found a problem, so
# the line comes from the kernel log, after a mark that keeps an earlier
# run's line out. busybox insmod retries a failed finit_module() with
# init_module(), so a failing run prints twice: the last line counts.
stress_runs=0
stress() {
	stress_desc=$1
	shift
	stress_runs=$((stress_runs + 1))
	echo "e2e: stress run $stress_runs" >/dev/kmsg
	check "$stress_desc" insmod ./smalloc_stress.ko "$@"
	STRESS=$(dmesg | sed -n "/e2e: stress run $stress_runs\$/,\$p" |
		sed -n 's/.*smalloc_stress: \(ops=.*\)/\1/p' | tail -n 1)
	echo "# stress: ${STRESS:-no result line}"
}
# stress_count NAME: the number after NAME= in STRESS (empty if missing).
stress_count() { echo "$STRESS" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# ---- load and debugfs interface -----------------------------------------
check "insmod smalloc.ko" insmod ./smalloc.ko
check "status file exists" test -f "$D/status"
check "stats file exists" test -f "$D/stats"
check "status file mode is 0400" mode_is "$D/status" 400
check "stats file mode is 0400 or 0444" mode_is "$D/stats" 400 444
check "status file owned by root" owned_by_root "$D/status"
check "stats file owned by root" owned_by_root "$D/stats"
for k in pages reserve_pages large_allocs live_objects live_bytes \
	bytes_requested bytes_handed_out metadata_bytes allocs frees failures \
	refused_frees quarantined_pages debug_reports; do
	check "stats has key $k" has_key "$k"
done
check "no live objects after load" is_zero live_objects
check "no live bytes after load" is_zero live_bytes

# ---- a client module holds objects --------------------------------------
# Trace its calls: smalloc:smalloc_alloc / smalloc:smalloc_free via tracefs.
T=/sys/kernel/tracing
trace_count() { grep -c "$1" "$T/trace"; }
check "trace events smalloc:* exist" test -d "$T/events/smalloc/smalloc_alloc"
echo 1 >"$T/events/smalloc/enable" 2>/dev/null
: >"$T/trace" 2>/dev/null
check "insmod smalloc_sample.ko" insmod ./smalloc_sample.ko
# Call sites in the sample's init and exit code print as raw addresses once
# that code is gone, so count events, not symbols.
grep -o 'smalloc_[a-z]*: .*' "$T/trace" | sed 's/^/# trace: /'
check "6 smalloc_alloc events from the sample" \
	test "$(trace_count 'smalloc_alloc: call_site=')" = 6
for req in 24 100 700 5000; do
	check "smalloc_alloc event with bytes_req=$req" \
		test "$(trace_count "bytes_req=$req bytes_alloc=.* pool=default")" = 1
done
check "large object: bytes_alloc is two pages" \
	test "$(trace_count 'bytes_req=5000 bytes_alloc=8192 ')" = 1
check "2 smalloc_alloc events for pool sample, zeroed" \
	test "$(trace_count 'gfp_flags=GFP_KERNEL|__GFP_ZERO pool=sample')" = 2
check "pool sample has its own debugfs stats" \
	test "$(awk '$1 == "live_objects:" { print $2 }' "$D/sample/stats")" = 2
check "pool sample has its own status map" \
	test "$(grep -vc '^#' "$D/sample/status")" -ge 1
check "live_objects > 0 with the sample loaded" is_positive live_objects
check "live_bytes > 0 with the sample loaded" is_positive live_bytes
check "status shows a page with used units" status_has_used_page
sed 's/^/# stats: /' "$D/stats"
check "no kernel addresses in debugfs files (objects live)" no_raw_addresses
check "/proc/modules: smalloc used by smalloc_sample" smalloc_used_by smalloc_sample
check "rmmod smalloc refused while the sample is loaded" fails rmmod smalloc
check "smalloc still loaded" loaded smalloc
check "rmmod smalloc_sample" rmmod smalloc_sample
check "6 smalloc_free events from the sample" \
	test "$(trace_count 'smalloc_free: call_site=.* pool=\(default\|sample\)')" = 6
check "pool sample's debugfs directory removed" test ! -e "$D/sample"
echo 0 >"$T/events/smalloc/enable" 2>/dev/null
check "live_objects back to 0" is_zero live_objects
check "live_bytes back to 0" is_zero live_bytes
check "sample objects were intact" dmesg_lacks 'smalloc_sample: .*corrupted'
check "no kernel addresses in debugfs files (idle)" no_raw_addresses

# ---- misuse is refused with a WARN ---------------------------------------
refused0=$(sval refused_frees)
echo 1 >"$T/events/smalloc/smalloc_refuse/enable" 2>/dev/null
: >"$T/trace" 2>/dev/null
check "insmod smalloc_misuse.ko (allocator works after misuse)" insmod ./smalloc_misuse.ko
echo 0 >"$T/events/smalloc/smalloc_refuse/enable" 2>/dev/null
attempted=$(dmesg | sed -n 's/.*smalloc_misuse: attempted=\([0-9]*\) ok.*/\1/p' | tail -1)
refused1=$(sval refused_frees)
echo "# refused_frees $refused0 -> $refused1, misuse module attempted ${attempted:-?}"
check "refused_frees grew by the number of bad frees" \
	test -n "$attempted" -a "$((refused1 - refused0))" = "${attempted:-x}"
check "one smalloc_refuse event per refused free" \
	test "$(trace_count 'smalloc_refuse: .* fn=smalloc_free ')" = "${attempted:-x}"
check "smalloc_refuse names the double free" \
	test "$(trace_count 'fn=smalloc_free kind=4 why="pointer to free memory')" -ge 1
check "WARN: double free" dmesg_has 'smalloc_free: pointer to free memory'
check "WARN: interior pointer" dmesg_has 'smalloc_free: pointer into the middle'
check "WARN: kmalloc'd pointer" dmesg_has "smalloc_free: not smalloc's memory"
check "WARN: stack pointer (vmapped stack)" dmesg_has 'smalloc_free: not a linear-map pointer'
check "WARN: smalloc_size of a kmalloc'd pointer" dmesg_has "smalloc_size: not smalloc's memory"
check "no live objects after misuse" is_zero live_objects
check "rmmod smalloc_misuse" rmmod smalloc_misuse

# ---- stress, with user space reading the status file meanwhile -----------
rm -f /tmp/stop-readers
for r in 1 2; do
	(
		reads=0 errors=0
		while [ ! -e /tmp/stop-readers ]; do
			if cat "$D/status" "$D/stats" >/dev/null; then
				reads=$((reads + 1))
			else
				errors=$((errors + 1))
			fi
		done
		echo "$reads $errors" >"/tmp/reader-$r"
	) &
done
stress "insmod smalloc_stress.ko seconds=$STRESS_SECONDS" seconds="$STRESS_SECONDS"
touch /tmp/stop-readers
wait
for r in 1 2; do
	read -r reads errors <"/tmp/reader-$r"
	echo "# reader $r: $reads reads, $errors errors"
	check "reader $r read status/stats several times during stress" test "$reads" -ge 3
	check "reader $r had no read errors" test "$errors" = 0
done
check "stress did operations" test "$(stress_count ops)" -gt 0
check "stress allocated from softirq (timer) too" test "$(stress_count atomic_ops)" -gt 0
check "stress saw 0 pattern mismatches" test "$(stress_count mismatches)" = 0
check "stress saw 0 allocation failures" test "$(stress_count failures)" = 0
check "stress result in kernel log" dmesg_has 'smalloc_stress: ops=[1-9][0-9]* mismatches=0 failures=0'
check "no live objects after stress" is_zero live_objects
check "no live bytes after stress" is_zero live_bytes
check "rmmod smalloc_stress" unload smalloc_stress
check "verify: every page sound after stress" grep -q ' 0 problems$' "$D/verify"

# ---- unload ---------------------------------------------------------------
check "rmmod smalloc" rmmod smalloc
check "smalloc unloaded" not_loaded smalloc
check "debugfs directory removed" test ! -e "$D"
check "smalloc reported no leak" dmesg_lacks 'smalloc.*destroyed with'

# ---- debug mode: redzones, poison and caller tracking under stress ---------
check "insmod smalloc.ko debug=1" insmod ./smalloc.ko debug=1
check "debug mode announced" dmesg_has 'smalloc: pool default: debug mode'
stress "insmod smalloc_stress.ko in debug mode" seconds=2
check "debug stress saw 0 pattern mismatches" test "$(stress_count mismatches)" = 0
check "debug stress saw 0 allocation failures" test "$(stress_count failures)" = 0
check "rmmod smalloc_stress (debug mode)" unload smalloc_stress
sed 's/^/# verify: /' "$D/verify"
check "verify: redzones and poison intact after stress" grep -q ' 0 problems$' "$D/verify"
check "debug mode reported nothing" is_zero debug_reports
check "rmmod smalloc (debug mode)" rmmod smalloc

# ---- unloading with objects still live reports them and does not crash ----
check "insmod smalloc.ko again" insmod ./smalloc.ko
check "insmod smalloc_misuse.ko leak=1" insmod ./smalloc_misuse.ko leak=1
check "3 live objects left behind" test "$(sval live_objects)" = 3
check "a forgotten pool with its own debugfs directory" test -f "$D/misuse-leak/stats"
check "rmmod smalloc_misuse" rmmod smalloc_misuse
check "rmmod smalloc with leaks and a forgotten pool" rmmod smalloc
check "the leak is reported with its count" \
	dmesg_has 'smalloc_pool_destroy: pool default destroyed with 3 live objects'
check "the forgotten pool is reported" \
	dmesg_has 'smalloc: pool misuse-leak was never destroyed'
check "and its leaked object too" \
	dmesg_has 'smalloc_pool_destroy: pool misuse-leak destroyed with 1 live objects'

tap_done e2e
