#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC1091,SC2093
#
# /init of the test bed's initramfs (stage 1).  Runs as PID 1 under busybox.
#
# Under TCG every process costs: about 15 ms to fork a busybox applet, 50 to
# 150 ms to start a host program over 9p.  So the setup is done here, with
# the applets of the initramfs' busybox (called by bare name: this busybox
# runs its applets without exec'ing itself), and the mounts are batched in
# fstab files, one mount process each:
#   1. load the modules needed to reach the host (virtio, 9p, overlay);
#   2. mount the host's / read-only over 9p with a tmpfs overlay on top:
#      the guest sees the host's files at the same paths, and its writes
#      land in memory and vanish with it;
#   3. mount the writable control share (tag "ctl") that brings the run's
#      configuration in and takes the command's exit status and dmesg out;
#   4. mount the pseudo file systems, bind the kernel's modules directory at
#      /lib/modules/<kver> so that modprobe works, set the TAI offset;
#   5. switch_root into the overlay and exec stage 2 (guest.sh), which runs
#      the command.
# A failure prints one line on the serial console and resets the machine;
# run-vm.sh then reports that the guest never ran the command.

BB=/bin/busybox
PATH=/bin
export PATH

# Progress in the kernel log, for the timeline of a slow boot.
log()
{
	echo "<6>st2110-vm init: $*" >/dev/kmsg
}

fail()
{
	echo "st2110-vm init: $*" >/dev/console
	# reset, not power off: with -no-reboot QEMU exits either way, and a
	# reset needs no ACPI
	$BB reboot -f
}

# Applets by bare name need /proc/self/exe.
$BB mount -t proc proc /proc || fail "mount /proc"
mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
exec </dev/console >/dev/console 2>&1

while read -r mod; do
	insmod "/modules/$mod" || fail "insmod $mod"
done </modules/list
log "modules loaded"

# Host root.  cache=loose: the host's tree does not change under a run, and
# caching it is what makes program start-up bearable.  The control share is
# written by both sides: no cache.
opt9p=trans=virtio,version=9p2000.L,msize=512000
cat >/etc/fstab.1 <<EOF
root	/lower	9p	$opt9p,ro,cache=loose	0 0
rw	/rw	tmpfs	mode=755	0 0
ctl	/ctl	9p	$opt9p	0 0
EOF
mount -a -T /etc/fstab.1 || fail "mount host root (9p tag root), tmpfs or control share (9p tag ctl)"
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "mount overlay"
log "root mounted"

[ -r /ctl/config ] || fail "no /ctl/config"
. /ctl/config

R=/newroot
mount -t devtmpfs devtmpfs $R/dev || fail "mount $R/dev"
mkdir -p $R/dev/pts $R/dev/shm
# /tmp stays the overlay's view of the host's /tmp: writable, memory-backed
# (the upper layer is a tmpfs), and a working directory below the host's
# /tmp still exists in the guest.
cat >/etc/fstab.2 <<EOF
proc	$R/proc			proc	defaults		0 0
sysfs	$R/sys			sysfs	defaults		0 0
devpts	$R/dev/pts		devpts	gid=5,mode=620,ptmxmode=666	0 0
shm	$R/dev/shm		tmpfs	mode=1777		0 0
run	$R/run			tmpfs	mode=755		0 0
EOF
cat >/etc/fstab.3 <<EOF
bpf	$R/sys/fs/bpf		bpf	mode=700		0 0
debugfs	$R/sys/kernel/debug	debugfs	defaults		0 0
tracefs	$R/sys/kernel/tracing	tracefs	defaults		0 0
cgroup2	$R/sys/fs/cgroup	cgroup2	defaults		0 0
EOF
mount -a -T /etc/fstab.2 || fail "mount the pseudo file systems"
mount -a -T /etc/fstab.3 || fail "mount bpf, debugfs, tracefs or cgroup2"

# The host may have no (or other) modules for this kernel at
# /lib/modules/<kver>; show the unpacked package's there.
if [ "$VM_MODDIR" != "/lib/modules/$VM_KVER" ]; then
	mkdir -p "$R/lib/modules/$VM_KVER"
	mount --bind "$R$VM_MODDIR" "$R/lib/modules/$VM_KVER" ||
		fail "bind $VM_MODDIR"
fi

# Writable host directories asked for with run-vm.sh --rw, tags rw0, rw1...
i=0
for dir in $VM_RW; do
	mkdir -p "$R$dir"
	mount -t 9p -o "$opt9p" "rw$i" "$R$dir" || fail "mount --rw $dir"
	i=$((i + 1))
done

mkdir -p $R/run/vm/ctl
mount --move /ctl $R/run/vm/ctl || fail "move the control share"
cp /bin/busybox /guest.sh $R/run/vm/ || fail "copy stage 2"

/bin/vm-tai -s "$VM_TAI_OFFSET_S" || fail "set the TAI offset"
ip link set lo up
hostname st2110-vm

log "switching root"
$BB umount /proc
$BB umount -l /dev
exec $BB switch_root $R /run/vm/busybox sh /run/vm/guest.sh
fail "switch_root"
