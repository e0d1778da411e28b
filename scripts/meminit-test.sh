#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# lib/test_meminit.c's kmalloc cases against smalloc (tests/smalloc_meminit.c)
# under both memory init policies: builds smalloc.ko and the test module for
# the kernel the guest boots, then boots it twice with scripts/guest.sh and
# scripts/guest/meminit.sh:
#
#   alloc  the kernel's built-in default, which in Debian is init_on_alloc
#          on (CONFIG_INIT_ON_ALLOC_DEFAULT_ON; passes init_on_alloc=1 for a
#          kernel built without it)
#   free   init_on_alloc=0 init_on_free=1
#
# Each boot counts its guest checks plus the harness verdict (clean kernel
# log, guest finished); ends with "meminit: N passed, N failed".
#
# Environment: MEMINIT_GUEST_BUILD (default build/guest-meminit; each boot
# gets DIR-alloc and DIR-free), GUEST_* of scripts/guest.sh, KVER and
# FLAVOUR (the kernel booted, see scripts/lib.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
gbuild=${MEMINIT_GUEST_BUILD:-$repo/build/guest-meminit}

# Modules must match the booted kernel, not the host's.
kver=$(guest_kver)
if ! make_for_guest tests; then
	not_ok "build smalloc.ko and tests/ for $kver"
	summary meminit
	exit 1
fi

# boot NAME CMDLINE POLICY: one guest boot with the init_on_* options
# CMDLINE, in which the module must see POLICY.
boot() {
	local name=$1 cmdline=$2 policy=$3 dir=$gbuild-$1 rc=0
	local args=(-e MEMINIT_CMDLINE="$cmdline" -e MEMINIT_POLICY="$policy")

	[ -z "$cmdline" ] || args+=(-a "$cmdline")
	guest_boot "$dir" "${args[@]}" scripts/guest/meminit.sh \
		smalloc.ko tests/smalloc_meminit.ko || rc=$?
	# The guest's own lines, module output included, to read in the log.
	tr -d '\r' <"$dir/guest-output.log" | grep -E '^(ok|not ok|#) ' |
		sed "s/^/$name: /" || true
	guest_result "$rc" "$dir" meminit "$name"
}

# The default boot expects what the guest kernel's config says.
config=/boot/config-$kver
default_on() { grep -qx "CONFIG_INIT_ON_$1_DEFAULT_ON=y" "$config" 2>/dev/null; }
free_default=0
default_on FREE && free_default=1
if default_on ALLOC; then
	boot alloc "" "init_on_alloc=1 init_on_free=$free_default"
else
	boot alloc "init_on_alloc=1" "init_on_alloc=1 init_on_free=$free_default"
fi
boot free "init_on_alloc=0 init_on_free=1" "init_on_alloc=0 init_on_free=1"

summary meminit
