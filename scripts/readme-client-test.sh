#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build the first client module shown in README.md, exactly as README.md
# says, so that the example stays true: it must compile against
# smalloc_core.h, link against smalloc's Module.symvers and depend on smalloc.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"
dir=$repo/build/readme-client
kdir=$(headers_kdir)

rm -rf "$dir"
mkdir -p "$dir"
# The first ```c block of the README is the client.
awk '/^```c$/ { on = 1; next } /^```$/ && on { exit } on' "$repo/README.md" >"$dir/hello.c"
printf 'obj-m += hello.o\nccflags-y += -I$(SMALLOC)\n' >"$dir/Kbuild"

make -s -C "$repo" modules KDIR="$kdir"
make -C "$kdir" M="$dir" SMALLOC="$repo" \
	KBUILD_EXTRA_SYMBOLS="$repo/Module.symvers" modules
modinfo -F depends "$dir/hello.ko" | grep -qx smalloc
echo "README client builds and depends on smalloc"
