#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo chain, run as root on one kernel (inside the test VM by demo.sh):
#
#   [netns snd]  st2110-send (burst: whole frames as fast as possible)
#        │ veth, root qdisc st2110 with one paced class for the stream
#   [netns rcv]  tcpdump, nanosecond timestamps  ─▶  st2110-analyze
#
# Usage: chain.sh [--qdisc st2110|none] [--seconds S] [--out DIR]
# Prints the qdisc statistics and the analyzer's report; exits non-zero if a
# step fails or no complete frame arrives.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${O:-$TOP/build}
qdisc=st2110
seconds=3
out=$B/demo
while [ $# -gt 0 ]; do
	case $1 in
	--qdisc)	qdisc=${2?}; shift ;;
	--seconds)	seconds=${2?}; shift ;;
	--out)		out=${2?}; shift ;;
	*)		echo "chain.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"

SND=st2110-demo-snd-$$
RCV=st2110-demo-rcv-$$
GROUP=239.20.110.1
PORT=5004
VIDEO=640x360p50
# The class's format for st2110_ctl, the test suite's netlink helper, until
# the st2110 stream object and the tc plugin exist:
# W,H,SCAN,RATE_NUM,RATE_DEN,SAMPLING,DEPTH,PACKING (progressive, 4:2:2, 10 bit, GPM)
CLASS_VIDEO=640,360,0,50,1,2,10,0
CTL=$B/selftests/qdisc/st2110_ctl

step() { printf '\n==> %s\n' "$*"; }
cleanup() {
	[ -n "${dump_pid:-}" ] && kill "$dump_pid" 2>/dev/null && wait "$dump_pid" 2>/dev/null
	ip netns del "$SND" 2>/dev/null || true
	ip netns del "$RCV" 2>/dev/null || true
}
trap cleanup EXIT

step "network: two namespaces joined by a veth pair"
ip netns add "$SND"
ip netns add "$RCV"
ip link add vsnd netns "$SND" type veth peer name vrcv netns "$RCV"
ip -n "$SND" addr add 192.0.2.1/24 dev vsnd
ip -n "$RCV" addr add 192.0.2.2/24 dev vrcv
ip -n "$SND" link set vsnd up
ip -n "$RCV" link set vrcv up
ip -n "$SND" link set lo up
ip -n "$RCV" link set lo up
ip -n "$SND" route add 224.0.0.0/4 dev vsnd
# The receiver's stack checks UDP checksums that veth leaves to offload.
ip netns exec "$SND" ethtool -K vsnd tx off >/dev/null

if [ "$qdisc" = st2110 ]; then
	step "qdisc: sch_st2110 on vsnd, class 1:1 paces $GROUP:$PORT as $VIDEO Type N"
	ip netns exec "$SND" tc qdisc add dev vsnd root handle 1: st2110
	ip netns exec "$SND" "$CTL" class add vsnd 1:1 dst "$GROUP" port "$PORT" \
		video "$CLASS_VIDEO" type 0
	ip netns exec "$SND" "$CTL" class-show vsnd 1:1 | sed 's/^/    /'
	# Releases run in the NET_TX softirq; under load the kernel hands it
	# to ksoftirqd, which must then preempt the (SCHED_FIFO) sender.
	for i in $(pgrep -x 'ksoftirqd/[0-9]+'); do chrt -f -p 60 "$i"; done
fi

step "capture: tcpdump on the receiver, nanosecond timestamps"
ip netns exec "$RCV" tcpdump -q -n -i vrcv --time-stamp-precision nano \
	-w "$out/rx.pcap" "udp and dst port $PORT" 2>"$out/tcpdump.log" &
dump_pid=$!
# tcpdump says "listening on" once the capture is open.
for _ in $(seq 50); do
	grep -q listening "$out/tcpdump.log" 2>/dev/null && break
	sleep 0.1
done

step "send: st2110-send --video $VIDEO --mode burst for ${seconds}s to $GROUP:$PORT"
ip netns exec "$SND" "$B/st2110-send" --dst "$GROUP" --port "$PORT" \
	--video "$VIDEO" --mode burst --duration "$seconds" --dev vsnd --fifo \
	--lead 20 --sdp "$out/video.sdp" 2>&1 | sed 's/^/    /'
# The qdisc drains the last frame after the write, and tcpdump hands over a
# partial ring block only after its 1 s timeout.
sleep 2.5
kill "$dump_pid"; wait "$dump_pid" 2>/dev/null || true
dump_pid=

if [ "$qdisc" = st2110 ]; then
	step "qdisc statistics (tc -s qdisc show dev vsnd; class 1:1)"
	ip netns exec "$SND" tc -s qdisc show dev vsnd
	ip netns exec "$SND" "$CTL" class-show vsnd 1:1 | sed 's/^/    /'
fi

# pcap timestamps are CLOCK_REALTIME (UTC); RTP time is TAI.  Tell the
# analyzer the kernel's TAI offset (37 s on a PTP host, 0 when unset).
tai=$(python3 -c 'import time; print(round(time.clock_gettime(time.CLOCK_TAI) - time.time()))')
step "analysis: st2110-analyze --tai-offset $tai --sdp video.sdp rx.pcap"
"$B/st2110-analyze" --tai-offset "$tai" --sdp "$out/video.sdp" "$out/rx.pcap" | tee "$out/report.txt"
"$B/st2110-analyze" -j --tai-offset "$tai" --sdp "$out/video.sdp" "$out/rx.pcap" > "$out/report.json"
frames=$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(sum(s.get("video",{}).get("frames",{}).get("complete",0) for s in d["streams"]))' "$out/report.json")
echo "complete frames (or fields) received: $frames"
verdict=$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(str(s.get("video",{}).get("verdict",{}).get("best_type","?")) for s in d["streams"]))' "$out/report.json")
echo "strict verdict (best type met): $verdict"
[ "$frames" -gt 0 ]
