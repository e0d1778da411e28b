#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# lib/test_meminit.c's kmalloc cases against smalloc, under the memory init
# policy this boot has.  Runs inside the guest of scripts/guest.sh (busybox
# ash, cwd = the directory holding the .ko files); scripts/meminit-test.sh
# boots it once per policy:
#
#   scripts/guest.sh -a "init_on_alloc=0 init_on_free=1" \
#	-e MEMINIT_CMDLINE="init_on_alloc=0 init_on_free=1" \
#	-e MEMINIT_POLICY="init_on_alloc=0 init_on_free=1" \
#	scripts/guest/meminit.sh smalloc.ko tests/smalloc_meminit.ko
#
# Environment:
#   MEMINIT_CMDLINE  the init_on_* options the host passed; empty means none,
#                    so the kernel's built-in default must be in force
#   MEMINIT_POLICY   "init_on_alloc=A init_on_free=F", the policy the module
#                    must see
#
# Prints TAP-style lines, then "1..N", "GUEST-DONE" and
# "meminit: P passed, F failed".
set -u

MEMINIT_CMDLINE=${MEMINIT_CMDLINE:-}
MEMINIT_POLICY=${MEMINIT_POLICY:-}
# shellcheck source=scripts/guest/tap.sh
. /tap.sh

loaded() { grep -q "^$1 " /proc/modules; }
# rmmod only what is there: a failed insmod is counted once, not twice.
unload() { ! loaded "$1" || rmmod "$1"; }

# The command line carries exactly the init_on_* options the host passed.
cmdline_policy() {
	got=$(tr ' ' '\n' </proc/cmdline | grep '^init_on_' | tr '\n' ' ')
	echo "# /proc/cmdline init_on_* options: '${got% }'"
	[ "${got% }" = "$MEMINIT_CMDLINE" ]
}

# "mem auto-init: stack:..., heap alloc:on, heap free:off" from boot: the
# kernel's own account of the policy, to cross-check the module's.
heap_word() { [ "$1" = 1 ] && echo on || echo off; }
kernel_policy() {
	a=${MEMINIT_POLICY#init_on_alloc=}
	a=${a%% *}
	f=${MEMINIT_POLICY##*init_on_free=}
	dmesg_has "mem auto-init: .*heap alloc:$(heap_word "$a"), heap free:$(heap_word "$f")"
}

check "expected policy given by the host" test -n "$MEMINIT_POLICY"
check "/proc/cmdline: init_on_* options are '$MEMINIT_CMDLINE'" cmdline_policy
dmesg | sed -n 's/.*\(mem auto-init: .*\)/# kernel: \1/p'
check "kernel reports $MEMINIT_POLICY" kernel_policy

check "insmod smalloc.ko" insmod ./smalloc.ko
check "insmod smalloc_meminit.ko (every case passed)" insmod ./smalloc_meminit.ko
# busybox insmod retries a failed finit_module() with init_module(), so a
# failing module runs twice: show the last run's lines only.
dmesg | sed -n 's/.*\(smalloc_meminit: .*\)/# \1/p' | tac | sed '/ policy: /q' | tac
check "smalloc_meminit saw the policy $MEMINIT_POLICY" \
	dmesg_has "smalloc_meminit: policy: $MEMINIT_POLICY\$"
check "smalloc_meminit summary: all tests passed" \
	dmesg_has 'smalloc_meminit: all [1-9][0-9]* tests passed'
check "rmmod smalloc_meminit" unload smalloc_meminit
check "rmmod smalloc" unload smalloc
# Every case frees what it allocated, so no pool may report live objects.
check "smalloc reported no leak" dmesg_lacks 'smalloc.*destroyed with'

tap_done meminit
