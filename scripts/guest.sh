#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Boot Debian's distribution kernel in qemu (TCG, no KVM needed) with a
# busybox initramfs, run one guest shell script in it and judge the result
# from the serial console.  The host kernel cannot load modules, so this is
# how smalloc.ko and its sample modules meet a real kernel.
#
# Usage: scripts/guest.sh [options] GUEST_SCRIPT [MODULE.ko | DIR]...
#
#   GUEST_SCRIPT   busybox ash script; runs as /test.sh with cwd /modules.
#                  It must print a line "GUEST-DONE" when it got to its end;
#                  lines starting with "not ok " count as failures.
#   MODULE.ko/DIR  kernel modules copied to /modules (a DIR adds its *.ko).
#
# Options (environment variable in brackets):
#   -l FILE   full console log                [GUEST_LOG, default BUILD/console.log]
#   -t SECS   timeout for the whole boot      [GUEST_TIMEOUT, default 300]
#   -w ERE    allowed WARN message (repeatable; matched against the line
#             printed right after "cut here")  [GUEST_ALLOW_WARN]
#   -e K=V    variable exported to the guest script (repeatable)
#   -f FILE   another file copied to /modules (repeatable), e.g. data
#   -a ARGS   extra kernel command line        [GUEST_APPEND]
#   -b DIR    build dir                        [GUEST_BUILD, default build/guest]
#   -k IMAGE  kernel image to boot instead of /boot/vmlinuz-VER, e.g. a
#             debug build with lockdep/KASAN      [GUEST_KERNEL]
#   -m MEM    guest memory, as for qemu -m       [GUEST_MEM, default 512M]
#   -c CPU    QEMU CPU model, as for qemu -cpu    [GUEST_CPU, default max;
#             under TCG, max makes memset's rep stosb slow, qemu64 not]
#   -x PROG   host program copied to the guest's /sbin with the shared
#             libraries it links (repeatable), e.g. /sbin/e2fsck
#   -q        do not echo the console while it runs
#   -V        only print the kernel version that would boot, and exit
#
# The kernel is /boot/vmlinuz-VER of the newest release of the generic
# flavour (amd64; FLAVOUR=rt-amd64 takes rt) that also has its headers in
# /usr/src/linux-headers-VER, which the modules must be built against;
# KVER=VER boots that release (scripts/lib.sh guest_kver).
#
# Exit status: 0 when the guest finished cleanly, 1 on any failure found in
# the logs, 2 on usage/setup errors.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"
LOG=${GUEST_LOG:-}
TIMEOUT=${GUEST_TIMEOUT:-300}
BUILD=${GUEST_BUILD:-$REPO/build/guest}
APPEND=${GUEST_APPEND:-}
KERNEL=${GUEST_KERNEL:-}
MEM=${GUEST_MEM:-512M}
CPU=${GUEST_CPU:-max}
QUIET=0
PRINT_KVER=0
ALLOW=()
[ -n "${GUEST_ALLOW_WARN:-}" ] && ALLOW+=("$GUEST_ALLOW_WARN")
ENVS=()
PROGS=()
FILES=()

usage() { sed -n '/^# Usage/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "guest.sh: $*" >&2; exit 2; }

while getopts "l:t:w:e:f:a:b:k:m:c:x:qVh" opt; do
	case $opt in
	l) LOG=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	w) ALLOW+=("$OPTARG") ;;
	e) ENVS+=("$OPTARG") ;;
	f) FILES+=("$OPTARG") ;;
	a) APPEND="$APPEND $OPTARG" ;;
	b) BUILD=$OPTARG ;;
	k) KERNEL=$OPTARG ;;
	m) MEM=$OPTARG ;;
	c) CPU=$OPTARG ;;
	x) PROGS+=("$OPTARG") ;;
	q) QUIET=1 ;;
	V) PRINT_KVER=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

if [ -z "$KERNEL" ]; then
	KVER=$(guest_kver) || exit 2
	KERNEL=/boot/vmlinuz-$KVER
else
	KVER=custom
fi
[ -r "$KERNEL" ] || die "cannot read $KERNEL"
[ "$PRINT_KVER" = 1 ] && { echo "$KVER"; exit 0; }

[ $# -ge 1 ] || usage
SCRIPT=$1
shift
[ -f "$SCRIPT" ] || die "no guest script $SCRIPT"
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
LOG=${LOG:-$BUILD/console.log}
OUT=$BUILD/guest-output.log	# the guest script's own output (2nd serial port)

BUSYBOX=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
# A dynamically linked busybox would need its libraries in the initramfs.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
	die "$BUSYBOX is dynamically linked; install busybox-static"
fi

# ---- initramfs --------------------------------------------------------
ROOT=$BUILD/initramfs
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,modules,etc}
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	# A "busybox -> busybox" link would be a symlink loop (init gets -ELOOP).
	[ "$applet" = busybox ] && continue
	ln -sf busybox "$ROOT/bin/$applet"
done
for prog in ${PROGS[@]+"${PROGS[@]}"}; do
	[ -x "$prog" ] || die "no program $prog"
	cp "$prog" "$ROOT/sbin/"
	# Each library at the path the loader looks for, the loader included.
	for lib in $(ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		cp -L --parents "$lib" "$ROOT"
	done
done
# The kernel opens /dev/console for init before devtmpfs is mounted.
mknod -m 600 "$ROOT/dev/console" c 5 1 2>/dev/null || true

for m in "$@"; do
	if [ -d "$m" ]; then
		ls "$m"/*.ko >/dev/null 2>&1 || die "no .ko files in $m"
		cp "$m"/*.ko "$ROOT/modules/"
	elif [ -f "$m" ]; then
		cp "$m" "$ROOT/modules/"
	else
		die "no module or directory $m"
	fi
done
# A module built against other headers would only fail at insmod time.
for ko in "$ROOT"/modules/*.ko; do
	[ -e "$ko" ] || continue
	[ "$KVER" = custom ] && break
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
	[ "${vermagic%% *}" = "$KVER" ] ||
		die "$(basename "$ko") is built for '${vermagic%% *}', guest runs $KVER (make KDIR=/usr/src/linux-headers-$KVER)"
done
for f in ${FILES[@]+"${FILES[@]}"}; do
	[ -f "$f" ] || die "no file $f"
	cp "$f" "$ROOT/modules/"
done
cp "$SCRIPT" "$ROOT/test.sh"
cp "$REPO/scripts/guest/tap.sh" "$ROOT/tap.sh"	# checks the scripts source
: >"$ROOT/etc/guest.env"
for kv in ${ENVS[@]+"${ENVS[@]}"}; do
	case $kv in
	[A-Za-z_]*=*) printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}" >>"$ROOT/etc/guest.env" ;;
	*) die "bad -e $kv (want NAME=VALUE)" ;;
	esac
done

cat >"$ROOT/init" <<'EOF'
#!/bin/sh
# Guest init: mount the pseudo file systems, run /test.sh, power off.
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0</dev/console 1>/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
export PATH=/bin:/sbin HOME=/tmp
. /etc/guest.env
echo "GUEST-START $(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
cd /modules
# The script's output also goes to ttyS1 so the host gets it free of
# interleaved kernel messages.  ash has no PIPESTATUS: save the status.
{ sh /test.sh; echo $? >/tmp/rc; } 2>&1 | tee /dev/ttyS1
rc=$(cat /tmp/rc 2>/dev/null)
echo "GUEST-EXIT rc=${rc:-unknown}" | tee /dev/ttyS1
sync
poweroff -f
EOF
chmod +x "$ROOT/init" "$ROOT/test.sh"

INITRD=$BUILD/initramfs.cpio.gz
(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$INITRD"

# ---- boot -------------------------------------------------------------
# panic=-1 + -no-reboot: any panic (oops=panic makes every oops one) ends
# qemu at once instead of waiting for the timeout.
CMDLINE="console=ttyS0 panic=-1 oops=panic loglevel=7 printk.devkmsg=on $APPEND"
echo "guest.sh: booting $KERNEL ($KVER) on -cpu $CPU, timeout ${TIMEOUT}s, log $LOG" >&2
: >"$LOG"
: >"$OUT"
rc=0
qemu() {
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
		-accel tcg -cpu "$CPU" -smp 2 -m "$MEM" \
		-nographic -no-reboot -monitor none \
		-serial "file:$LOG" -serial "file:$OUT" \
		-kernel "$KERNEL" -initrd "$INITRD" -append "$CMDLINE" </dev/null
}
if [ "$QUIET" = 1 ]; then
	qemu || rc=$?
else
	# Follow the log live; qemu writes it, tail only shows it.
	tail -n +1 -F "$LOG" 2>/dev/null &
	tailpid=$!
	qemu || rc=$?
	sleep 0.5
	kill "$tailpid" 2>/dev/null || true
	wait "$tailpid" 2>/dev/null || true
fi
[ "$rc" = 124 ] && echo "guest.sh: TIMEOUT after ${TIMEOUT}s" >&2
[ "$rc" != 0 ] && [ "$rc" != 124 ] && echo "guest.sh: qemu exited with $rc" >&2

# ---- verdict ----------------------------------------------------------
allow_re=$(IFS='|'; echo "${ALLOW[*]+${ALLOW[*]}}")
fail=0
problems=$(tr -d '\r' <"$LOG" | awk -v allow="$allow_re" '
	# Drop the printk timestamp so patterns can be anchored.
	{ sub(/^\[ *[0-9]+\.[0-9]+\] /, "") }
	/------------\[ cut here \]------------/ { inwarn = 1; want_msg = 1; ok = 0; next }
	inwarn && want_msg {
		want_msg = 0
		if ($0 !~ /^WARNING:/) {
			if (allow != "" && $0 ~ allow) { ok = 1; allowed++ }
			next
		}
	}
	/^WARNING:/ && !(inwarn && ok) { print "unexpected WARN: " $0; next }
	/Call Trace:/ && !(inwarn && ok) { print "call trace: " $0; next }
	/---\[ end trace/ { inwarn = 0; ok = 0 }
	/Oops|BUG:|KASAN|UBSAN|general protection|Kernel panic|kernel BUG at/ ||
	/possible circular locking|inconsistent lock state|possible recursive locking/ ||
	/sleeping function called from invalid context|soft lockup|hard LOCKUP/ ||
	/rcu_sched self-detected stall|rcu: INFO: .*stall|blocked for more than/ {
		print "kernel problem: " $0
	}
	END { printf "expected WARNs seen: %d\n", allowed > "/dev/stderr" }
')
if [ -n "$problems" ]; then
	echo "$problems" | head -20 | sed 's/^/guest.sh: FAIL: /' >&2
	fail=1
fi

out=$(tr -d '\r' <"$OUT")
if ! grep -qx 'GUEST-DONE' <<<"$out"; then
	echo "guest.sh: FAIL: guest script did not print GUEST-DONE (did not finish)" >&2
	fail=1
fi
exit_line=$(grep -o 'GUEST-EXIT rc=.*' <<<"$out" | tail -1 || true)
if [ "$exit_line" != "GUEST-EXIT rc=0" ]; then
	echo "guest.sh: FAIL: guest script status: ${exit_line:-missing}" >&2
	fail=1
fi
if grep -q '^not ok ' <<<"$out"; then
	grep '^not ok ' <<<"$out" | sed 's/^/guest.sh: FAIL: /' >&2
	fail=1
fi
# Repeat the script's summary on the host (CI reads the closing line).
grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -1 || true

if [ "$fail" = 0 ]; then
	echo "guest.sh: PASS (log: $LOG)" >&2
else
	echo "guest.sh: FAILED (log: $LOG, script output: $OUT)" >&2
fi
exit "$fail"
