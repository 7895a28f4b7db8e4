#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh - build the test bed's initramfs for one kernel and print
# its path.
#
#   mkinitramfs.sh NAME        (NAME as for kernels.sh; fetched if needed)
#
# Contents: static busybox, vm-tai, /init (init.sh), guest.sh and the
# modules needed to mount the host's root (virtio, 9p, overlay and their
# dependencies, in the order modprobe would load them, decompressed so
# busybox insmod can load them).  Nothing else: the guest runs everything
# else from the host's root over 9p.
#
# Cached as ${ST2110_CACHE:-/var/cache/st2110}/initramfs/<kver>-<hash>.cpio,
# the hash covering every input, so an edit of init.sh or a new busybox
# gives a new image and a rerun costs nothing; the newest four images of a
# kernel are kept.  Uncompressed on purpose:
# the kernel unpacks it faster than it could decompress it under TCG.

set -eu

. "$(dirname "$(readlink -f "$0")")/lib.sh"

# What the guest needs before it can reach the host's root.
BOOT_MODULES="virtio_pci virtio_console 9pnet_virtio 9p overlay"

[ $# -eq 1 ] || { echo "usage: $VM_PROG NAME" >&2; exit 2; }
name=$1

need busybox busybox-static
need cpio cpio
need modprobe kmod
need sha256sum coreutils
bb=$(command -v busybox)
# A dynamic busybox would look for a libc in the initramfs.
file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$bb" 2>&1 | grep -q 'not a dynamic executable' ||
	die "$bb is not static: apt-get install busybox-static"

kver=$("$VM_DIR/kernels.sh" release "$name")
"$VM_DIR/kernels.sh" fetch "$kver"
kdir=$("$VM_DIR/kernels.sh" path "$kver")
moddir=$(readlink -f "$kdir/modules")
modbase=${moddir%/lib/modules/"$kver"}

make -s -C "$VM_DIR" O="${VM_BUILD%/vm}" >&2 || die "building the helpers in $VM_DIR failed"
tai=$VM_BUILD/vm-tai

# show_depends MODULE: the files modprobe would insmod, dependencies first
show_depends()
{
	local out kind path _

	out=$(modprobe --show-depends -S "$kver" -d "${modbase:-/}" "$1" 2>&1) ||
		die "modprobe cannot resolve $1 for $kver: $out"
	while read -r kind path _; do
		[ "$kind" != insmod ] || echo "$path"
	done <<<"$out"
}

# Module files in load order, each once.  (Loading independent ones in
# parallel was measured slower: module loading synchronises all vCPUs, which
# TCG does badly.)
modules=()
declare -A seen=()
for mod in $BOOT_MODULES; do
	while read -r path; do
		[ -z "${seen[$path]+set}" ] || continue
		seen[$path]=1
		modules+=("$path")
	done < <(show_depends "$mod")
done

hash=$({
	sha256sum "$0" "$VM_DIR/init.sh" "$VM_DIR/guest.sh" "$bb" "$tai" | cut -d' ' -f1
	echo "$kver"
	for m in "${modules[@]}"; do
		stat -L -c '%n %s %Y' "$m"
	done
} | sha256sum | cut -c1-16)
out=$VM_CACHE/initramfs/$kver-$hash.cpio

if [ ! -f "$out" ]; then
	cache_lock "$VM_CACHE/initramfs/.$kver.lock"
	if [ ! -f "$out" ]; then
		stage=$(mktemp -d "${TMPDIR:-/tmp}/st2110-initramfs.XXXXXX")
		# shellcheck disable=SC2064 # expand now: stage is local
		trap "rm -rf '$stage'" EXIT
		mkdir -p "$stage"/{bin,dev,etc,proc,sys,modules,lower,rw,newroot,ctl}
		cp "$bb" "$stage/bin/busybox"
		ln -s busybox "$stage/bin/sh"
		objcopy --strip-all "$tai" "$stage/bin/vm-tai" 2>/dev/null ||
			cp "$tai" "$stage/bin/vm-tai"
		cp "$VM_DIR/init.sh" "$stage/init"
		cp "$VM_DIR/guest.sh" "$stage/guest.sh"
		chmod 755 "$stage/init"
		# The kernel opens /dev/console for /init's stdio before /init
		# can mount devtmpfs.
		mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
		: >"$stage/modules/list"
		for m in "${modules[@]}"; do
			base=${m##*/}
			case $m in
			*.ko.xz)	base=${base%.xz};  xz -dc "$m" >"$stage/modules/$base" ;;
			*.ko.zst)	base=${base%.zst}; zstd -dcq "$m" >"$stage/modules/$base" ;;
			*.ko.gz)	base=${base%.gz};  gzip -dc "$m" >"$stage/modules/$base" ;;
			*.ko)		cp "$m" "$stage/modules/$base" ;;
			*)		die "unexpected module file $m" ;;
			esac
			echo "$base" >>"$stage/modules/list"
		done
		(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
			cpio -o -H newc -R 0:0 --quiet) >"$out.tmp.$$"
		mv -f "$out.tmp.$$" "$out"
		rm -rf "$stage"
		trap - EXIT
		# Images of other script versions: other work trees sharing the
		# cache may still use a few, keep the newest four.
		# shellcheck disable=SC2012 # our own file names
		ls -t "$VM_CACHE/initramfs/$kver"-*.cpio | tail -n +5 |
			while read -r old; do rm -f "$old"; done
	fi
	cache_unlock
fi
echo "$out"
