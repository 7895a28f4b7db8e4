#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ST 2110 XDP selftests: prints ONE TAP 13 stream for the whole suite.
# Usage: selftests/xdp/run.sh [live|nolive]   (root; builds if needed)
# Mounts bpffs at /sys/fs/bpf if it is not mounted (libxdp and the pins
# need it) and leaves it mounted: it is system state others may use.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin="$top/build/selftests/xdp/xdp_selftest"

# Up to date is cheap; build output must not mix with the TAP stream.
make -s --no-print-directory -C "$here" all >&2
if [ "$(id -u)" = 0 ] && ! mount | grep -q ' /sys/fs/bpf type bpf '; then
	mount -t bpf bpf /sys/fs/bpf
fi
exec "$bin" "$@"
