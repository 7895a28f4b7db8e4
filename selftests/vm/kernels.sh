#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh - fetch Debian kernels for the QEMU test bed, without installing
# them.
#
#   kernels.sh fetch NAME      download and unpack (idempotent)
#   kernels.sh path NAME       print the cache directory of NAME
#   kernels.sh release NAME    print the kernel release (uname -r) of NAME
#   kernels.sh extract-vmlinux BZIMAGE OUT
#
# NAME is 6.1, 6.12, 6.1-rt, 6.12-rt or a full release such as 6.1.0-56-amd64.
# The short names follow Debian's meta packages, so the ABI number moves with
# the archive and is never written down here.
#
# Cache layout, ${ST2110_CACHE:-/var/cache/st2110}/kernels/<kver>/:
#   vmlinux   uncompressed kernel (QEMU boots it directly: decompressing
#             the bzImage under TCG costs about 3.5 s per boot)
#   vmlinuz   the bzImage as shipped
#   config    the kernel's .config
#   modules   -> the kernel's /lib/modules/<kver> (unpacked or the host's)
#   root/     the unpacked package (absent when the host's install is reused)
#   stamp     written last: "<kver> <package version> <source>"

set -eu

. "$(dirname "$(readlink -f "$0")")/lib.sh"

usage()
{
	cat >&2 <<EOF
usage: $VM_PROG fetch|path|release NAME
       $VM_PROG extract-vmlinux BZIMAGE OUT
NAME: 6.1 | 6.12 | 6.1-rt | 6.12-rt | <kernel release, e.g. 6.1.0-56-amd64>
EOF
	exit 2
}

meta_package()
{
	case $1 in
	6.1)		echo linux-image-amd64 ;;
	6.12)		echo linux-image-6.12-amd64 ;;
	6.1-rt)		echo linux-image-rt-amd64 ;;
	6.12-rt)	echo linux-image-6.12-rt-amd64 ;;
	*)		return 1 ;;
	esac
}

is_release()
{
	[[ $1 =~ ^[0-9]+\.[0-9]+[.0-9]*[-+][A-Za-z0-9.+-]*amd64$ ]]
}

# The meta package depends on exactly one linux-image-<kver> package.
release_from_apt()
{
	local meta=$1

	apt-cache show --no-all-versions "$meta" 2>/dev/null |
		sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n 's/^ *linux-image-\([^ ]*amd64\)\( .*\)\{0,1\}$/\1/p' |
		head -n 1
}

# Asking apt costs about a second when its binary cache is disabled (as in
# Debian container images), and the scripts ask several times per run: the
# answer is remembered until the package lists change.
memo_fresh()
{
	local memo=$1 f

	[ -s "$memo" ] || return 1
	for f in /var/lib/apt/lists /var/cache/apt/pkgcache.bin; do
		[ ! -e "$f" ] || [ "$memo" -nt "$f" ] || return 1
	done
}

resolve_release()
{
	local name=$1 meta kver memo

	if is_release "$name"; then
		echo "$name"
		return
	fi
	meta=$(meta_package "$name") || die "unknown kernel name '$name' (6.1, 6.12, 6.1-rt, 6.12-rt or a full release)"
	memo=$VM_CACHE/kernels/$name.release
	if memo_fresh "$memo"; then
		cat "$memo"
		return
	fi
	kver=$(release_from_apt "$meta")
	if [ -n "$kver" ]; then
		{ mkdir -p "${memo%/*}" && echo "$kver" >"$memo"; } 2>/dev/null || true
		echo "$kver"
		return
	fi
	if [ -s "$memo" ]; then
		note "apt does not know $meta (no apt-get update?); using the last fetched $(cat "$memo")"
		cat "$memo"
		return
	fi
	die "apt does not know $meta: run apt-get update"
}

le32()
{
	od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}

u8()
{
	od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '
}

# The bzImage setup header (Documentation/x86/boot.rst) says where the
# compressed kernel lies: payload_offset/payload_length (boot protocol 2.08+)
# counted from the start of the protected-mode code, which follows
# setup_sects + 1 sectors of real-mode setup.  All compressors except gzip
# get the uncompressed size appended as 4 little-endian bytes (size_append
# in scripts/Makefile.lib); it is stripped and checked against the output.
extract_vmlinux()
{
	local bz=$1 out=$2 hdr ver sects start len magic size want tmp
	local -a dec

	[ -r "$bz" ] || die "cannot read $bz"
	hdr=$(od -An -c -j $((0x202)) -N4 "$bz" | tr -d ' ')
	[ "$hdr" = HdrS ] || die "$bz: not a bzImage (no HdrS signature)"
	ver=$(od -An -tu2 -j $((0x206)) -N2 "$bz" | tr -d ' ')
	[ "$ver" -ge $((0x208)) ] || die "$bz: boot protocol $ver < 2.08, no payload fields"
	sects=$(u8 "$bz" $((0x1f1)))
	[ "$sects" -ne 0 ] || sects=4
	start=$(( (sects + 1) * 512 + $(le32 "$bz" $((0x248))) ))
	len=$(le32 "$bz" $((0x24c)))
	magic=$(od -An -tx1 -j "$start" -N6 "$bz" | tr -d ' \n')

	case $magic in
	fd377a585a00*)	dec=(xz -dc) ;;
	28b52ffd*)	dec=(zstd -dcq --memory=2048MB) ;;
	1f8b*)		dec=(gzip -dc) ;;
	425a68*)	dec=(bzip2 -dc) ;;
	5d0000*)	dec=(xz --format=lzma -dc) ;;
	02214c18*)	dec=(lz4 -dcq) ;;
	894c5a4f*)	dec=(lzop -dc) ;;
	*)		die "$bz: unknown payload compression (magic $magic)" ;;
	esac
	need "${dec[0]}" "${dec[0]}"

	want=
	if [ "${dec[0]}" != gzip ]; then
		want=$(le32 "$bz" $((start + len - 4)))
		len=$((len - 4))
	fi
	tmp=$out.tmp.$$
	dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" count="$len" \
		bs=1M status=none | "${dec[@]}" >"$tmp" ||
		{ rm -f "$tmp"; die "$bz: decompressing the payload with ${dec[0]} failed"; }
	size=$(stat -c %s "$tmp")
	if [ -n "$want" ] && [ "$size" -ne "$want" ]; then
		rm -f "$tmp"
		die "$bz: payload gave $size bytes, header promised $want"
	fi
	if [ "$(od -An -c -N4 "$tmp" | tr -d ' ')" != '177ELF' ]; then
		rm -f "$tmp"
		die "$bz: payload is not an ELF kernel"
	fi
	mv -f "$tmp" "$out"
}

# A kernel installed on the host by apt already has everything, including
# modules.dep: reuse it rather than download 70-100 MB again.
host_has()
{
	local kver=$1

	[ -f "/boot/vmlinuz-$kver" ] && [ -f "/lib/modules/$kver/modules.dep" ] &&
		[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "linux-image-$kver" 2>/dev/null)" = "ii " ]
}

entry_ok()
{
	local dir=$1

	[ -f "$dir/stamp" ] && [ -f "$dir/vmlinux" ] && [ -f "$dir/modules/modules.dep" ]
}

fetch()
{
	local kver=$1 dir=$VM_CACHE/kernels/$1 tmp pkgver src deb

	entry_ok "$dir" && return 0
	need apt-get apt
	need dpkg-deb dpkg
	need depmod kmod
	cache_lock "$VM_CACHE/kernels/.$kver.lock"
	if entry_ok "$dir"; then
		cache_unlock
		return 0
	fi
	mkdir -p "$dir"
	rm -f "$dir/stamp"

	if host_has "$kver"; then
		src=host
		pkgver=$(dpkg-query -W -f='${Version}' "linux-image-$kver")
		rm -rf "$dir/root"
		ln -sfn "/lib/modules/$kver" "$dir/modules"
		cp -f "/boot/vmlinuz-$kver" "$dir/vmlinuz"
		cp -f "/boot/config-$kver" "$dir/config"
	else
		src=apt
		tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
		# shellcheck disable=SC2064 # expand now: tmp is local
		trap "rm -rf '$tmp'" EXIT
		note "downloading linux-image-$kver"
		# As root, apt's _apt sandbox user cannot write into the cache.
		(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
			"linux-image-$kver" >&2) ||
			die "apt-get download linux-image-$kver failed (apt-get update? is the name right?)"
		deb=$(ls "$tmp"/*.deb)
		pkgver=$(dpkg-deb -f "$deb" Version)
		dpkg-deb -x "$deb" "$tmp/root"
		rm -f "$deb"
		# The package's postinst would run depmod; we never install it.
		depmod -b "$tmp/root" "$kver"
		rm -rf "$dir/root"
		mv "$tmp/root" "$dir/root"
		rm -rf "$tmp"
		trap - EXIT
		ln -sfn "root/lib/modules/$kver" "$dir/modules"
		cp -f "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinuz"
		cp -f "$dir/root/boot/config-$kver" "$dir/config"
	fi
	note "extracting vmlinux of $kver"
	extract_vmlinux "$dir/vmlinuz" "$dir/vmlinux"
	echo "$kver $pkgver $src" >"$dir/stamp"
	cache_unlock
	note "kernel $kver ($pkgver, from $src) ready in $dir"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
fetch)
	[ $# -eq 1 ] || usage
	kver=$(resolve_release "$1")
	fetch "$kver"
	;;
path)
	[ $# -eq 1 ] || usage
	kver=$(resolve_release "$1")
	echo "$VM_CACHE/kernels/$kver"
	;;
release)
	[ $# -eq 1 ] || usage
	resolve_release "$1"
	;;
extract-vmlinux)
	[ $# -eq 2 ] || usage
	extract_vmlinux "$1" "$2"
	;;
-h|--help|help)
	usage
	;;
*)
	usage
	;;
esac
