#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo chain, run as root on one kernel (inside the test VM by demo.sh):
#
#   [snd]  st2110-send video (640x360p50, bursts) + st2110-send audio (1 ms)
#     │ vsnd: root qdisc sch_st2110, class 1:1 paces the video, 1:2 the audio
#     │ veth
#   [rtr]  rin: XDP program, routes replicate both groups to ra and rb
#     │ veth ra                          │ veth rb
#   [rxa]  vra: XDP (measure, pass)    [rxb]  vrb: XDP (measure, pass)
#          tcpdump -> rx-a.pcap               tcpdump -> rx-b.pcap
#
# Usage: chain.sh [--qdisc st2110|none] [--seconds S] [--video WxHpR] [--out DIR]
# Leaves in DIR: the captures, both SDP files, the senders' JSON statistics,
# the qdisc's class statistics (qdisc-*.txt, or qdisc-streams.json), the XDP flow tables
# (xdp-*.json), tai.txt (the guest's TAI offset, for the analysis). Exits
# non-zero if a step fails; judging the result is report.sh's job.
# Progress: one line "==> [k/N] what" per step on stdout.
set -eu -o pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${O:-$TOP/build}
qdisc=st2110
seconds=1
# The test VM under icount emulates a 1 GHz CPU that carries every hop of
# the chain (sender, qdisc, router, two receivers and their captures):
# 640x360p25 (18 kpps) is what it sustains with room for the bursts.
VIDEO=640x360p25
out=$B/demo
while [ $# -gt 0 ]; do
	case $1 in
	--qdisc)	qdisc=${2?}; shift ;;
	--seconds)	seconds=${2?}; shift ;;
	--video)	VIDEO=${2?}; shift ;;
	--out)		out=${2?}; shift ;;
	*)		echo "chain.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
case $qdisc in st2110|none) ;; *) echo "chain.sh: --qdisc st2110|none" >&2; exit 2 ;; esac
mkdir -p "$out"
rm -f "$out"/rx-?.pcap "$out"/qdisc-*.txt "$out"/xdp-*.txt "$out"/xdp-*.json "$out"/send-*.json "$out"/qdisc-*.json

SND=st2110-snd-$$
RTR=st2110-rtr-$$
RXA=st2110-rxa-$$
RXB=st2110-rxb-$$
VGROUP=239.20.110.1
AGROUP=239.20.110.2
PORT=5004
AUDIO=48000:2:L24:1ms
# The classes' formats for st2110_ctl, the qdisc suite's netlink helper, for a
# build without the st2110 stream object:
# video W,H,SCAN,RATE_NUM,RATE_DEN,SAMPLING,DEPTH,PACKING (progressive, 4:2:2, 10 bit, GPM)
# audio RATE,CHANNELS,BITS,SAMPLES_PER_PACKET (48 kHz, 2 ch, L24, 1 ms)
case $VIDEO in
[0-9]*x[0-9]*p[0-9]*) ;;
*) echo "chain.sh: --video WxHpRATE (progressive, integer rate)" >&2; exit 2 ;;
esac
w=${VIDEO%%x*}; h=${VIDEO#*x}; h=${h%p*}
CLASS_VIDEO=$w,$h,0,${VIDEO##*p},1,2,10,0
CLASS_AUDIO=48000,2,24,48
CTL=$B/selftests/qdisc/st2110_ctl
ST2110=$B/st2110
# The user-facing `st2110 xdp|route|flow` when this build has them, else
# the demo's own thin wrapper of the same loader library.
"$ST2110" xdp help >/dev/null 2>&1 && "$ST2110" route help >/dev/null 2>&1 ||
	{ echo "chain.sh: $ST2110 has no xdp/route objects (make all)" >&2; exit 1; }
cli_stream=0
"$ST2110" stream help >/dev/null 2>&1 && cli_stream=1
NSTEPS=7
[ "$qdisc" = st2110 ] || NSTEPS=6
k=0

# Each step says the guest's uptime as it starts (virtual time under icount).
step() {
	k=$((k + 1))
	printf '==> [%d/%d] %s (uptime %ss)\n' "$k" "$NSTEPS" "$*" "$(cut -d' ' -f1 /proc/uptime)"
}
pids=
cleanup() {
	local p
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	# In the test VM (ST2110_DEMO_VM=1) the guest is thrown away: detaching
	# there costs emulated time and changes nothing.
	for p in vra vrb rin; do
		[ -z "${ST2110_DEMO_VM:-}" ] || break
		"$ST2110" -n "${nsof[$p]}" xdp detach dev "$p" 2>/dev/null || true
	done
	for p in "$SND" "$RTR" "$RXA" "$RXB"; do ip netns del "$p" 2>/dev/null || true; done
	[ -z "${cap:-}" ] || rm -rf "$cap"
}
declare -A nsof=([rin]=$RTR [vra]=$RXA [vrb]=$RXB)
trap cleanup EXIT

for f in "$B/st2110-send" "$ST2110"; do
	[ -x "$f" ] || { echo "chain.sh: $f missing (make demo builds it)" >&2; exit 1; }
done
if [ "$qdisc" = st2110 ] && [ $cli_stream = 0 ] && [ ! -x "$CTL" ]; then
	echo "chain.sh: $CTL missing (make selftests)" >&2; exit 1
fi
mount | grep -q ' /sys/fs/bpf type bpf ' || mount -t bpf bpf /sys/fs/bpf

step "network: sender, router, receivers A and B in namespaces, joined by veth"
# Batches: in the test VM every program started over 9p costs 0.1-0.5 s.
ip -batch - <<EOF
netns add $SND
netns add $RTR
netns add $RXA
netns add $RXB
link add vsnd netns $SND type veth peer name rin netns $RTR
link add ra netns $RTR type veth peer name vra netns $RXA
link add rb netns $RTR type veth peer name vrb netns $RXB
EOF
ip -n "$SND" -batch - <<EOF
link set lo up
addr add 192.0.2.1/24 dev vsnd
link set vsnd up
route add 224.0.0.0/4 dev vsnd
EOF
ip -n "$RTR" -batch - <<EOF
link set lo up
link set rin up
link set ra up
link set rb up
EOF
ip -n "$RXA" -batch - <<EOF
link set lo up
addr add 192.0.2.11/24 dev vra
link set vra up
EOF
ip -n "$RXB" -batch - <<EOF
link set lo up
addr add 192.0.2.12/24 dev vrb
link set vrb up
EOF
# The receivers' stacks check UDP checksums that veth leaves to offload.
ip netns exec "$SND" ethtool -K vsnd tx off >/dev/null

step "xdp: st2110 XDP on rin (router) replicating $VGROUP and $AGROUP to ra, rb; on vra, vrb measuring"
# A frame redirected into a veth is only delivered when the peer runs an XDP
# program: the receivers' programs measure each flow and pass it on.
vfmt=$VIDEO
echo "    with: st2110 xdp attach / st2110 route add"
# The video routes carry the format: XDP then also measures the
# ST 2110-21 receiver model (CINST, VRX) per flow.
"$ST2110" -n "$RTR" -batch - <<EOF
xdp attach dev rin
route add group $VGROUP port $PORT dev rin to ra,rb clock 90000 format $vfmt
route add group $AGROUP port $PORT dev rin to ra,rb clock 48000
EOF
for r in a b; do
	ns=$RXA; [ $r = b ] && ns=$RXB
	"$ST2110" -n "$ns" -batch - <<EOF
xdp attach dev vr$r
route add group $VGROUP port $PORT dev vr$r pass clock 90000 format $vfmt
route add group $AGROUP port $PORT dev vr$r pass clock 48000
EOF
done

if [ "$qdisc" = st2110 ]; then
	step "qdisc: sch_st2110 root on vsnd; one paced class for the video, one for the audio"
	if [ $cli_stream = 1 ]; then
		echo "    with: st2110 stream add"
		"$ST2110" -n "$SND" -batch - <<EOF | sed 's/^/    /'
stream add dev vsnd group $VGROUP port $PORT video $VIDEO type N
stream add dev vsnd group $AGROUP port $PORT audio $AUDIO
EOF
	else
		echo "    with: selftests/qdisc/st2110_ctl (st2110 stream not in this build)"
		ip netns exec "$SND" tc qdisc add dev vsnd root handle 1: st2110
		ip netns exec "$SND" "$CTL" class add vsnd 1:1 dst "$VGROUP" port "$PORT" \
			video "$CLASS_VIDEO" type 0
		ip netns exec "$SND" "$CTL" class add vsnd 1:2 dst "$AGROUP" port "$PORT" \
			audio "$CLASS_AUDIO"
	fi
	# Releases run in the NET_TX softirq; under load the kernel hands it
	# to ksoftirqd, which must then preempt the (SCHED_FIFO) senders.  The
	# audio sender (55) preempts the video sender (50): a 1 ms packet must
	# not wait behind the write of a whole video frame.
	for i in $(pgrep -x 'ksoftirqd/[0-9]+'); do chrt -f -p 60 "$i"; done
fi

step "capture: tcpdump on vra and vrb, nanosecond timestamps"
# Captures go to memory first: in the test VM $out is a 9p share, and
# writing through QEMU while the streams run would steal the guest's CPU.
cap=$(mktemp -d /dev/shm/st2110-demo.XXXXXX)
for r in a b; do
	ns=$RXA; [ $r = b ] && ns=$RXB
	ip netns exec "$ns" tcpdump -q -n -i "vr$r" --time-stamp-precision nano -B 16384 -Z root \
		-w "$cap/rx-$r.pcap" "udp and dst port $PORT" 2>"$out/tcpdump-$r.log" &
	pids="$pids $!"
done
# tcpdump says "listening on" once the capture is open.
for _ in $(seq 100); do
	grep -q listening "$out/tcpdump-a.log" 2>/dev/null &&
		grep -q listening "$out/tcpdump-b.log" 2>/dev/null && break
	sleep 0.1
done

step "send: ${seconds}s of ST 2110-20 $VIDEO (bursts) to $VGROUP and ST 2110-30 $AUDIO to $AGROUP"
ip netns exec "$SND" "$B/st2110-send" --dst "$VGROUP" --port "$PORT" \
	--video "$VIDEO" --mode burst --duration "$seconds" --dev vsnd --fifo \
	--lead 20 --sdp "$out/video.sdp" -j >"$out/send-video.json" 2>"$out/send-video.log" &
vpid=$!
ip netns exec "$SND" "$B/st2110-send" --dst "$AGROUP" --port "$PORT" \
	--audio "$AUDIO" --mode burst --duration "$seconds" --dev vsnd --fifo=55 \
	--sdp "$out/audio.sdp" -j >"$out/send-audio.json" 2>"$out/send-audio.log" &
apid=$!
rc=0
wait $vpid || rc=$?
wait $apid || rc=$((rc ? rc : $?))
[ $rc -eq 0 ] || { echo "chain.sh: st2110-send failed:" >&2; cat "$out"/send-*.log >&2; exit 1; }
# The qdisc drains the last frame after the write, and tcpdump hands over a
# partial ring block only after its 1 s timeout.
sleep 2.5
for p in $pids; do kill "$p"; wait "$p" 2>/dev/null || true; done
pids=
cp "$cap"/rx-?.pcap "$out/"

step "statistics: qdisc classes on vsnd, XDP flows on rin, vra, vrb"
if [ "$qdisc" = st2110 ] && [ $cli_stream = 1 ]; then
	"$ST2110" -n "$SND" -s -j stream show dev vsnd >"$out/qdisc-streams.json"
elif [ "$qdisc" = st2110 ]; then
	ip netns exec "$SND" "$CTL" class-show vsnd 1:1 >"$out/qdisc-video.txt"
	ip netns exec "$SND" "$CTL" class-show vsnd 1:2 >"$out/qdisc-audio.txt"
fi
for p in rin vra vrb; do
	"$ST2110" -n "${nsof[$p]}" -s -j flow show dev "$p" >"$out/xdp-$p.json"
done

# pcap timestamps are CLOCK_REALTIME (UTC), RTP time is TAI: the analysis
# needs this kernel's TAI offset (37 s on a PTP host and in the test VM).
step "done: captures and statistics in $out"
if [ -x "$B/vm/vm-tai" ]; then
	"$B/vm/vm-tai" | sed -n 's/^tai_offset_s=\([0-9-]*\).*/\1/p' >"$out/tai.txt"
else
	python3 -c 'import time; print(round(time.clock_gettime(time.CLOCK_TAI) - time.time()))' >"$out/tai.txt"
fi
