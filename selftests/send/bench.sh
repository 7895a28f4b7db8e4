#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/send/bench.sh - how many packets per second st2110-send sustains
# on one core (a report, not a test: nothing here passes or fails).
#
# Burst mode, 1080p59.94 4:2:2 10-bit GPM (4320 packets/frame, 258 941
# packets/s nominal), the sender pinned to one CPU with SCHED_FIFO, into
# two sinks inside a private network namespace:
#   lo    a UDP socket on loopback that never reads (drops when full)
#   veth  a veth pair whose peer drops everything in native XDP
# Both sinks do their receive work in softirq on the sending CPU, so the
# CPU time per packet includes it.  The "1080p240" rows ask for 4x the
# rate (1.04 M packets/s) to find the ceiling; the sender skips frame
# slots it cannot make.
#
# Usage: bench.sh [SECONDS]   (default 5; environment O = build directory)
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$TOP/build}
S=$O/st2110-send
SECS=${1:-5}
CPU=${BENCH_CPU:-1}

if [ -z "${ST2110_BENCH_NS:-}" ]; then
	ST2110_BENCH_NS=1 exec unshare -n -- "$0" "$@"
fi
[ -x "$S" ] || { echo "build st2110-send first (make -C userspace/send)" >&2; exit 1; }

ip link set lo up
ip link add st0 type veth peer name st1
ip addr add 10.99.0.1/24 dev st0
ip link set st0 up
ip link set st1 up
mac=$(ip -br link show st1 | awk '{print $3}')
ip neigh add 10.99.0.2 lladdr "$mac" dev st0 nud permanent

python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5004))
time.sleep(3600)' &
sink_lo=$!
# the veth sink: an XDP program on the peer that drops everything
xdp_ok=0
mkdir -p "$O/selftests/send"
printf '%s\n' '#include <linux/bpf.h>' \
	'__attribute__((section("xdp"), used)) int drop(struct xdp_md *c) { return XDP_DROP; }' \
	'char _license[] __attribute__((section("license"), used)) = "GPL";' \
	>"$O/selftests/send/xdp_drop.c"
if clang -O2 -target bpf -I/usr/include/$(gcc -dumpmachine) -c "$O/selftests/send/xdp_drop.c" \
	-o "$O/selftests/send/xdp_drop.o" 2>/dev/null &&
   ip link set dev st1 xdpdrv obj "$O/selftests/send/xdp_drop.o" sec xdp 2>/dev/null; then
	xdp_ok=1
fi
sleep 0.5

row() {	# row LABEL SENDER-ARGS...
	local label=$1 j
	shift
	j=$("$S" --mode burst --duration "$SECS" --cpu "$CPU" --fifo -j "$@" 2>/dev/null)
	printf '%-34s %s\n' "$label" "$(echo "$j" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("%8d pkt/s  %5d frames  skipped %4d  late %4d (max %6.0f us)  CPU %5.1f%%  %8d pkt/CPU-s  %6d calls" % (
    d["pps"], d["frames"], d["skipped_frames"], d["late_frames"], d["max_late_ns"] / 1e3,
    100.0 * d["cpu_ns"] / max(d["elapsed_ns"], 1), d["pps_per_cpu"], d["sendmmsg_calls"]))')"
}

echo "# st2110-send burst mode, ${SECS}s per row, CPU $CPU, SCHED_FIFO; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
row "lo 1080p59.94 sendmmsg" --dst 127.0.0.1 --video 1080p59.94
row "lo 1080p59.94 GSO" --dst 127.0.0.1 --video 1080p59.94 --gso
row "lo 1080p240 sendmmsg (ceiling)" --dst 127.0.0.1 --video 1080p240
row "lo 1080p240 GSO (ceiling)" --dst 127.0.0.1 --video 1080p240 --gso
if [ $xdp_ok = 1 ]; then
	row "veth+XDP drop 1080p59.94 sendmmsg" --dst 10.99.0.2 --video 1080p59.94
	row "veth+XDP drop 1080p59.94 GSO" --dst 10.99.0.2 --video 1080p59.94 --gso
	row "veth+XDP drop 1080p240 sendmmsg" --dst 10.99.0.2 --video 1080p240
	row "veth+XDP drop 1080p240 GSO" --dst 10.99.0.2 --video 1080p240 --gso
else
	echo "# veth rows skipped: could not build or attach the XDP drop program (clang, iproute2)"
fi
kill $sink_lo 2>/dev/null
wait 2>/dev/null
exit 0
