#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo DEV=<iface>: the demo on a real interface of this machine.
#
#   insmod sch_st2110 (built for the running kernel), sch_st2110 as DEV's root
#   qdisc with one paced class for the video and one for the audio,
#   st2110-send (bursts) to two multicast groups out of DEV with TTL 1,
#   tcpdump of what leaves DEV (nanosecond timestamps, taken when the qdisc
#   releases each packet), then st2110-analyze and GStreamer on that capture.
#
# DEV's root qdisc is replaced for the run and deleted afterwards (the kernel
# then puts its default back).  Needs root and a kernel that loads modules;
# refuses, changing nothing, when either is missing.
#
# Usage: dev.sh DEV   (environment: ST2110_DEMO_SECONDS, ST2110_DEMO_VIDEO,
# ST2110_DEMO_OUT (default build/demo), O)
set -eu -o pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${O:-$TOP/build}
dev=${1:-}
seconds=${ST2110_DEMO_SECONDS:-2}
video=${ST2110_DEMO_VIDEO:-1280x720p50}
out=${ST2110_DEMO_OUT:-$B/demo}
VGROUP=239.20.110.1
AGROUP=239.20.110.2
PORT=5004
AUDIO=48000:2:L24:1ms

die() { echo "demo: DEV=$dev: $*" >&2; exit 1; }
[ -n "$dev" ] || { echo "usage: dev.sh DEV" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (module, qdisc, capture)"
ip link show dev "$dev" >/dev/null 2>&1 || die "no such interface in this network namespace"
kver=$(uname -r)
if [ ! -e /proc/modules ]; then
	die "this kernel ($kver) cannot load modules (built without CONFIG_MODULES: no /proc/modules),
demo: so sch_st2110 cannot run on it. Unset DEV: 'make demo' then runs the same streams
demo: through sch_st2110 inside a Debian kernel booted under QEMU (the built-in test bed)."
fi
ko=$B/kmod/$kver/sch_st2110.ko
[ -f "$ko" ] || ko=$TOP/kmod/sch_st2110.ko
if ! grep -q '^sch_st2110 ' /proc/modules; then
	[ -f "$ko" ] || die "no sch_st2110.ko for $kver: make kmod KDIR=/lib/modules/$kver/build"
	modinfo -F vermagic "$ko" | grep -q "^$kver " ||
		die "$ko was built for $(modinfo -F vermagic "$ko" | cut -d' ' -f1), not $kver"
fi
case $video in
[0-9]*x[0-9]*p[0-9]*) ;;
*) die "ST2110_DEMO_VIDEO: WxHpRATE (progressive, integer rate)" ;;
esac
for f in "$B/st2110-send" "$B/st2110-analyze" "$B/st2110"; do
	[ -x "$f" ] || die "$f missing: run make"
done
"$B/st2110" stream help >/dev/null 2>&1 || die "this build has no 'st2110 stream' object"

mkdir -p "$out"
rm -f "$out"/*.pcap "$out"/*.txt "$out"/*.json "$out"/*.raw "$out"/*.sdp
log=$out/demo.log
echo "st2110 demo on $dev (kernel $kver; timing is this machine's own, not virtual time)" | tee "$log"
step() { printf '==> %s\n' "$*" | tee -a "$log"; }

pid=
ksoftirqd=
cleanup() {
	local i
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	tc qdisc del dev "$dev" root 2>/dev/null || true
	for i in $ksoftirqd; do chrt -o -p 0 "$i" 2>/dev/null || true; done
}
trap cleanup EXIT

step "module: $ko"
grep -q '^sch_st2110 ' /proc/modules || insmod "$ko"
step "qdisc: sch_st2110 root on $dev (replaces the current root qdisc for the run)"
tc qdisc del dev "$dev" root 2>/dev/null || true
"$B/st2110" -batch - <<EOF 2>&1 | tee -a "$log"
stream add dev $dev group $VGROUP port $PORT video $video type N
stream add dev $dev group $AGROUP port $PORT audio $AUDIO
EOF
# Releases run in the NET_TX softirq; under load the kernel hands it to
# ksoftirqd, which must then preempt the SCHED_FIFO senders (restored at exit).
ksoftirqd=$(pgrep -x 'ksoftirqd/[0-9]+' || true)
for i in $ksoftirqd; do chrt -f -p 60 "$i"; done
step "capture: tcpdump of what leaves $dev"
tcpdump -q -n -i "$dev" -Q out --time-stamp-precision nano -B 65536 -Z root \
	-w "$out/rx-a.pcap" "udp and dst port $PORT" 2>"$out/tcpdump-a.log" &
pid=$!
for _ in $(seq 50); do grep -q listening "$out/tcpdump-a.log" && break; sleep 0.1; done
step "send: ${seconds}s of $video (bursts) to $VGROUP and $AUDIO to $AGROUP, TTL 1, out of $dev"
"$B/st2110-send" --dst "$AGROUP" --port "$PORT" --audio "$AUDIO" --duration "$seconds" \
	--dev "$dev" --ttl 1 --fifo=55 --sdp "$out/audio.sdp" -j >"$out/send-audio.json" &
apid=$!
"$B/st2110-send" --dst "$VGROUP" --port "$PORT" --video "$video" --mode burst \
	--duration "$seconds" --dev "$dev" --ttl 1 --fifo --lead 20 --sdp "$out/video.sdp" \
	-j >"$out/send-video.json"
wait $apid
sleep 1.5
kill "$pid"; wait "$pid" 2>/dev/null || true
pid=
"$B/st2110" -s -j stream show dev "$dev" >"$out/qdisc-streams.json"
python3 -c 'import time; print(round(time.clock_gettime(time.CLOCK_TAI) - time.time()))' >"$out/tai.txt"
step "judging: st2110-analyze and GStreamer on the capture"
python3 "$TOP/selftests/demo/report.py" --local "$dev" "$out" 2>&1 | tee -a "$log"
