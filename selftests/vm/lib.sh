# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Shared helpers of the QEMU test bed scripts; sourced, never run.
#
# Paths:
#   ST2110_CACHE  cache of downloaded kernels and built initramfs images
#                 (default /var/cache/st2110, shared by all work trees)
#   ST2110_BUILD  build output directory of this work tree (default <top>/build)

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_TOP=$(cd "$VM_DIR/../.." && pwd)
VM_CACHE=${ST2110_CACHE:-/var/cache/st2110}
VM_BUILD=${ST2110_BUILD:-$VM_TOP/build}/vm
VM_PROG=${0##*/}

die()
{
	echo "$VM_PROG: $*" >&2
	exit 1
}

note()
{
	echo "$VM_PROG: $*" >&2
}

need()
{
	local tool=$1 pkg=$2

	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool not found: run make deps (Debian package $pkg)"
}

# Serialise writers of one cache entry across concurrent runs (several
# engineers and CI jobs share the cache); readers only look at entries
# whose stamp file exists, and a stamp is written last.
cache_lock()
{
	local lock=$1

	{ mkdir -p "$(dirname "$lock")" 2>/dev/null && [ -w "$(dirname "$lock")" ]; } ||
		die "cannot write to $(dirname "$lock"): run as root or set ST2110_CACHE"
	exec 9>"$lock"
	flock 9
}

cache_unlock()
{
	exec 9>&-
}
