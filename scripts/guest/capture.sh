#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run inside the guest of scripts/guest.sh, booted with kmem:kmalloc and
# kmem:kfree enabled on the command line (scripts/capture-traces.sh): save
# the boot's trace, then run busybox workloads one by one, each with a
# cleared trace buffer, and send every trace gzipped and base64-encoded to
# the second serial port between "TRACE-BEGIN name" and "TRACE-END name".
set -u

# shellcheck source=scripts/guest/tap.sh
. /tap.sh

t=/sys/kernel/tracing

# dump NAME: the buffer so far, then empty it.
dump() {
	echo 0 >$t/tracing_on
	lines=$(grep -c -v '^#' $t/trace)
	{
		echo "TRACE-BEGIN $1"
		grep -v '^#' $t/trace | gzip -1 | base64
		echo "TRACE-END $1"
	} >/dev/ttyS1
	echo "# trace $1: $lines events"
	echo >$t/trace
	echo 1 >$t/tracing_on
	[ "$lines" -gt 1000 ]
}

check "kmalloc and kfree events on" grep -q 1 $t/events/kmem/kmalloc/enable
check "boot trace" dump boot

# Files: a tree in tmpfs, copied, listed, renamed and removed; /proc and
# /sys read as tools do (seq_file buffers, readlink).
files() {
	mkdir -p /tmp/f && mount -t tmpfs tmpfs /tmp/f || return 1
	for i in $(seq 1 150); do
		mkdir -p /tmp/f/d$i/sub
		for j in 1 2 3 4 5; do
			echo "file $i $j" >/tmp/f/d$i/sub/f$j
			dd if=/dev/zero of=/tmp/f/d$i/b$j bs=1k count=$((j * 3)) 2>/dev/null
		done
	done
	cp -a /tmp/f/d1 /tmp/f/copy
	ls -lR /tmp/f >/dev/null
	find /tmp/f -type f -exec cat {} + >/dev/null
	for i in $(seq 1 150); do mv /tmp/f/d$i /tmp/f/e$i; done
	rm -rf /tmp/f/e*
	for _ in 1 2 3 4 5; do
		for p in /proc/[0-9]*; do
			cat "$p/status" "$p/stat" "$p/maps" >/dev/null 2>&1
			readlink "$p/exe" "$p/cwd" >/dev/null 2>&1
		done
		cat /proc/meminfo /proc/slabinfo /proc/interrupts /proc/mounts >/dev/null
		find /sys/devices -name uevent | head -n 300 | xargs cat >/dev/null 2>&1
		ps >/dev/null
	done
	umount /tmp/f
}
check "files workload" files
check "files trace" dump files

# tar: the initramfs archived, compressed, unpacked and compared.
tarwl() {
	mkdir -p /tmp/t && mount -t tmpfs tmpfs /tmp/t || return 1
	# A tree of 600 files of 1..24 KiB to archive.
	for i in $(seq 1 30); do
		mkdir -p /tmp/t/src/d$i
		for j in $(seq 1 20); do
			dd if=/dev/urandom of=/tmp/t/src/d$i/f$j bs=1k \
				count=$(((i * j) % 24 + 1)) 2>/dev/null
		done
	done
	for _ in 1 2 3; do
		tar -cf /tmp/t/a.tar -C /tmp/t src /bin /etc 2>/dev/null
		gzip -c /tmp/t/a.tar >/tmp/t/a.tar.gz
		mkdir /tmp/t/x
		tar -xzf /tmp/t/a.tar.gz -C /tmp/t/x
		diff -r /tmp/t/src /tmp/t/x/src >/dev/null
		rm -rf /tmp/t/x /tmp/t/a.tar /tmp/t/a.tar.gz
	done
	umount /tmp/t
}
check "tar workload" tarwl
check "tar trace" dump tar

# Mounts and networking on lo: tmpfs, proc and bind mounts; an HTTP server
# and client, TCP and UDP through nc, ping.
netwl() {
	for i in 1 2 3 4 5 6 7 8; do
		mkdir -p /tmp/m$i && mount -t tmpfs -o size=1m tmpfs /tmp/m$i
		mkdir -p /tmp/m$i/p && mount -t proc proc /tmp/m$i/p
		mount --bind /tmp/m$i /tmp/m$i/p 2>/dev/null
		cat /proc/mounts >/dev/null
	done
	for i in 8 7 6 5 4 3 2 1; do
		umount /tmp/m$i/p 2>/dev/null
		umount /tmp/m$i/p 2>/dev/null
		umount /tmp/m$i
	done
	ip link set lo up || return 1
	ip addr add 127.0.0.2/8 dev lo 2>/dev/null
	mkdir -p /tmp/www
	dd if=/dev/zero of=/tmp/www/big bs=1k count=256 2>/dev/null
	echo hello >/tmp/www/index.html
	httpd -p 127.0.0.1:8080 -h /tmp/www
	for i in $(seq 1 150); do
		wget -q -O /dev/null http://127.0.0.1:8080/index.html
	done
	for i in 1 2 3 4 5; do
		wget -q -O /dev/null http://127.0.0.1:8080/big
	done
	for i in 1 2 3 4 5; do
		nc -l -p 9000 >/dev/null &
		sleep 1
		dd if=/dev/zero bs=1k count=512 2>/dev/null | nc -w 2 127.0.0.1 9000
		wait $!
	done
	ping -c 20 -i 0.05 127.0.0.1 >/dev/null
	ip addr show >/dev/null
	ip route show >/dev/null
	netstat -tan >/dev/null
	killall httpd 2>/dev/null
	wait
	return 0
}
check "mounts and network workload" netwl
check "net trace" dump net

tap_done capture
