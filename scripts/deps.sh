#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Install the Debian packages smalloc's build and tests need, or with
# arguments those packages (scripts/matrix.sh names each cell's). As root
# the missing ones are installed; otherwise the one apt-get line is
# printed.
set -euo pipefail

packages=("$@")
[ $# -gt 0 ] || packages=(
	gcc make bc flex bison libelf-dev libssl-dev python3 xz-utils kmod
	linux-headers-amd64	# out-of-tree build of smalloc.ko
	linux-source-6.1	# UML kernel for kunit.py
	linux-image-amd64	# the real kernel booted in the guest
	qemu-system-x86 busybox-static cpio
	e2fsprogs		# mke2fs, e2fsck in the guest: scripts/fs-test.sh
	perl sparse shellcheck	# make lint: checkpatch.pl, kernel-doc, C=2
	dkms			# dkms.conf, scripts/dkms-test.sh
	python3-pil		# scripts/status_png.py
)

missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed ||
		missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
