#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, from Debian's package registry, exactly what the build, the tests
# and the demo need and is not installed yet.  Idempotent: a second run on a
# ready machine does no network access and takes well under a second.
#
# Kernel ABI numbers (6.1.0-NN) are never written here: the meta packages
# linux-headers-amd64 (6.1 LTS) and linux-headers-6.12-amd64 resolve them.
# The test kernels themselves are not installed: selftests/vm/kernels.sh
# downloads and unpacks them into a cache when the VM tests need them.
#
# Usage: deps.sh [--print]   (--print lists the packages and exits)
set -eu

PKGS=(
	# build
	build-essential pkg-config make gcc clang llvm libelf-dev
	# kernel headers for the module (6.1 LTS and 6.12 LTS); 6.12 needs pahole
	linux-headers-amd64 linux-headers-6.12-amd64 dwarves
	# kselftest.h and checkpatch.pl come from Debian's kernel source
	linux-source-6.1
	# userspace libraries
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	libbpf-dev libxdp-dev libpcap-dev libjansson-dev
	# tools driven by the tests and the demo
	iproute2 ethtool tcpdump bpftool xdp-tools linuxptp smcroute kmod
	util-linux jq python3 bash-completion man-db
	# make dkms and its test
	dkms
	# the QEMU test bed
	qemu-system-x86 busybox-static cpio xz-utils zstd
	# third-party RFC 4175 receiver used as a real client
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
	# benchmark plots
	gnuplot-nox
	# lint
	sparse cppcheck perl
)

if [ "${1:-}" = "--print" ]; then
	printf '%s\n' "${PKGS[@]}"
	exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (apt-get install)" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
# A fresh machine has no package lists; an old list may name versions the
# registry no longer serves.  Update once, then install.
apt-get -q -o DPkg::Lock::Timeout=600 update >/dev/null
apt-get install "${apt_opts[@]}" "${missing[@]}"
