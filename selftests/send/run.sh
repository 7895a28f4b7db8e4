#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/send/run.sh - tests of st2110-send, one TAP 13 stream.
#
# Everything runs in a private network namespace (unshare -n): traffic stays
# on its loopback and on a veth pair created inside it.  rx_check receives
# each stream and checks it (RTP, ESN, timestamps, markers, SRDs, packing,
# pixels); GStreamer's rtpvrawdepay is the independent real client.
#
# Environment: O (build directory, default <top>/build).
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$TOP/build}
S=$O/st2110-send
R=$O/selftests/send/rx_check
W=$O/selftests/send/work

NV=10		# lines per video scenario: 9 rx_check checks + the sender
NT=11		# the paced scenario adds the timing check
NA=7		# audio: 6 + the sender
NG=4		# GStreamer: gst-launch + 3 checks of its frames
VIDEO_CASES=13
AUDIO_CASES=4
SDP_CASES=6
REJECT_CASES=16
COUNT_CASES=2
GST_CASES=2
PLAN=$(((VIDEO_CASES - 1) * NV + NT + AUDIO_CASES * NA + SDP_CASES + REJECT_CASES + COUNT_CASES + \
	GST_CASES * NG))

n=0
tap() {	# tap ok|fail DESCRIPTION [DIAG]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
	fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
skip_all() { while [ $n -lt $PLAN ]; do skip "$1" "$2"; done; }

if [ -z "${ST2110_SEND_NS:-}" ]; then
	if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
		echo "TAP version 13"
		echo "1..$PLAN"
		skip_all "st2110-send" "needs root for a private network namespace"
		exit 0
	fi
	# A 1080p frame is a burst of 4320 datagrams into loopback's backlog,
	# which drops beyond net.core.netdev_max_backlog (default 1000, global,
	# not per namespace) when the softirq falls behind on a loaded host:
	# raised for the run, restored after.
	old_backlog=$(sysctl -n net.core.netdev_max_backlog 2>/dev/null || echo)
	if [ -n "$old_backlog" ] && [ "$old_backlog" -lt 32768 ]; then
		sysctl -qw net.core.netdev_max_backlog=32768
	fi
	# the TAP header is printed by the child
	ST2110_SEND_NS=1 unshare -n -- "$0" "$@"
	rc=$?
	[ -z "$old_backlog" ] || sysctl -qw net.core.netdev_max_backlog="$old_backlog"
	exit $rc
fi

echo "TAP version 13"
echo "1..$PLAN"
mkdir -p "$O/selftests"
if ! make -s -C "$TOP/selftests/send" O="$O" >/dev/null 2>"$O/selftests/send-build.log" ||
   [ ! -x "$S" ] || [ ! -x "$R" ]; then
	echo "Bail out! build of st2110-send or rx_check failed (see $O/selftests/send-build.log)"
	exit 1
fi
rm -rf "$W"
mkdir -p "$W"

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo
# IPv6 turns routes via lo into reject routes, so IPv6 multicast uses a veth
sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip link add st0 type veth peer name st1 && ip link set st0 up && ip link set st1 up
sleep 0.2

port=5100
next_port() { port=$((port + 1)); }

# Start rx_check in the background and wait until its socket is bound.
rx_start() {	# rx_start OUTFILE ARGS...
	local out=$1; shift
	rm -f "$W/ready"
	"$R" --ready "$W/ready" "$@" >"$out" 2>&1 &
	rx_pid=$!
	for _ in $(seq 200); do
		[ -e "$W/ready" ] && return 0
		kill -0 $rx_pid 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}

# Turn rx_check's PASS/FAIL/SKIP lines into exactly COUNT TAP lines.
emit_checks() {	# emit_checks NAME COUNT FILE
	local name=$1 count=$2 file=$3 k=0 kind rest
	while IFS= read -r line; do
		kind=${line%% *}
		rest=${line#* }
		case $kind in
		PASS) [ $k -lt "$count" ] && { tap ok "$name: $rest"; k=$((k + 1)); } ;;
		FAIL) [ $k -lt "$count" ] && { tap fail "$name: ${rest%%:*}" "$rest"; k=$((k + 1)); } ;;
		SKIP) [ $k -lt "$count" ] && { skip "$name: ${rest%%:*}" "${rest#*: }"; k=$((k + 1)); } ;;
		esac
	done <"$file"
	while [ $k -lt "$count" ]; do
		tap fail "$name: check $((k + 1)) not reported" "$(tail -5 "$file")"
		k=$((k + 1))
	done
}

json_field() {	# json_field KEY FILE: a numeric field of a one-line JSON object
	sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$2" | head -1
}

# One stream, checked by rx_check: rx args, then "--", then sender args.
stream_case() {	# stream_case NAME LINES EXPECT_PKTS RXARGS... -- TXARGS...
	local name=$1 lines=$2 want=$3 rx=() rc pk
	shift 3
	while [ "$1" != -- ]; do rx+=("$1"); shift; done
	shift
	next_port
	if ! rx_start "$W/rx.out" --port $port --timeout-ms 8000 "${rx[@]}"; then
		emit_checks "$name" $((lines - 1)) "$W/rx.out"
		tap fail "$name: sender" "rx_check did not start: $(cat "$W/rx.out")"
		return
	fi
	"$S" --port $port "$@" -j >"$W/tx.json" 2>"$W/tx.err"
	rc=$?
	wait $rx_pid
	emit_checks "$name" $((lines - 1)) "$W/rx.out"
	pk=$(json_field packets "$W/tx.json")
	sk=$(json_field skipped_frames "$W/tx.json")
	rsk=$(sed -n 's/^# skipped_frames //p' "$W/rx.out")
	if [ $rc -eq 0 ] && [ "${pk:-x}" = "$want" ] && [ "${sk:-x}" = "${rsk:-y}" ]; then
		tap ok "$name: sender exit 0, JSON: $pk packets, $sk slots skipped (as received)"
	else
		tap fail "$name: sender exit $rc, JSON packets ${pk:-none} want $want, skipped ${sk:-none} vs received ${rsk:-none}" \
			"$(cat "$W/tx.err" "$W/tx.json")"
	fi
}

np_of() {	# np_of SENDER-FORMAT-ARGS...: NPACKETS from the sender's --count-only
	"$S" --count-only -j "$@" | sed -n 's/.*"npackets":\([0-9]*\).*/\1/p'
}

# ---------------------------------------------------------------- video
np=$(np_of --video 1080p59.94)
stream_case "1080p59.94 GPM burst IPv4 unicast" $NV $((4 * np)) \
	--size 1920x1080 --rate 60000/1001 --frames 4 --epoch --ssrc 0x2110 --pt 98 -- \
	--dst 127.0.0.1 --video 1080p59.94 --frames 4 --ssrc 0x2110 --pt 98 --seq 0xfffff000

np=$(np_of --video 1080p59.94 --pm bpm)
stream_case "1080p59.94 BPM burst GSO" $NV $((3 * np)) \
	--size 1920x1080 --rate 60000/1001 --bpm --frames 3 --epoch -- \
	--dst 127.0.0.1 --video 1080p59.94 --pm bpm --gso --frames 3

stream_case "1080p59.94 BPM burst GSO of 5 segments" $NV $((2 * np)) \
	--size 1920x1080 --rate 60000/1001 --bpm --frames 2 --epoch -- \
	--dst 127.0.0.1 --video 1080p59.94 --pm bpm --gso=5 --frames 2

np=$(np_of --video 1080i50)
stream_case "1080i50 GPM IPv4 multicast on lo" $NV $((2 * np)) \
	--group 239.10.0.1 --dev lo --size 1920x1080 --rate 25/1 --interlaced --frames 2 --epoch \
	--ttl 4 --dscp 34 --src-port 4999 -- \
	--dst 239.10.0.1 --dev lo --ttl 4 --dscp 34 --src-port 4999 --video 1080i50 --frames 2

np=$(np_of --video 256x144p50 --pm bpm)
stream_case "256x144p50 BPM with 3 SRDs per packet" $NV $((3 * np)) \
	--size 256x144 --rate 50/1 --bpm --min-srd 3 --frames 3 --epoch -- \
	--dst 127.0.0.1 --video 256x144p50 --pm bpm --frames 3

np=$(np_of --video 720p50 --pm bpm)
stream_case "720p50 BPM IPv6 unicast GSO" $NV $((2 * np)) \
	--v6 --size 1280x720 --rate 50/1 --bpm --frames 2 --epoch -- \
	--dst ::1 --video 720p50 --pm bpm --gso --frames 2

np=$(np_of --video 576i50 --depth 8)
stream_case "576i50 8-bit IPv6 multicast via --dev" $NV $((2 * np)) \
	--v6 --group ff02::2110 --dev st1 --size 720x576 --rate 25/1 --interlaced --depth 8 \
	--frames 2 --epoch -- \
	--dst ff02::2110 --dev st0 --video 576i50 --depth 8 --frames 2

np=$(np_of --video 1080p25 --sampling YCbCr-4:2:0 --pm bpm)
stream_case "1080p25 4:2:0 10-bit BPM" $NV $((2 * np)) \
	--size 1920x1080 --rate 25/1 --sampling 420 --bpm --frames 2 --epoch -- \
	--dst 127.0.0.1 --video 1080p25 --sampling YCbCr-4:2:0 --pm bpm --frames 2

np=$(np_of --video 720p50 --sampling RGB)
stream_case "720p50 RGB 10-bit GPM" $NV $((2 * np)) \
	--size 1280x720 --rate 50/1 --sampling rgb --frames 2 --epoch -- \
	--dst 127.0.0.1 --video 720p50 --sampling RGB --frames 2

np=$(np_of --video 720p59.94)
stream_case "720p59.94 free-running RTP" $NV $((3 * np)) \
	--size 1280x720 --rate 60000/1001 --frames 3 -- \
	--dst 127.0.0.1 --video 720p59.94 --rtp free --frames 3

np=$(np_of --video 320x180p25)
# SCHED_FIFO: a paced sender descheduled on a loaded host (load 15 on 2
# CPUs seen) catches up in bursts, which is what this check would catch
stream_case "320x180p25 paced lead 2 (timing smoke)" $NT $((10 * np)) \
	--size 320x180 --rate 25/1 --frames 10 --epoch --timing --lead 2 -- \
	--dst 127.0.0.1 --video 320x180p25 --mode paced --lead 2 --frames 10 --fifo

np=$(np_of --video 1080p59.94)
stream_case "1080p59.94 paced, spinning" $NV $((2 * np)) \
	--size 1920x1080 --rate 60000/1001 --frames 2 --epoch -- \
	--dst 127.0.0.1 --video 1080p59.94 --mode paced --spin-us 20 --frames 2

np=$(np_of --video 640x360p50)
stream_case "640x360p50 txtime (SO_TXTIME)" $NV $((3 * np)) \
	--size 640x360 --rate 50/1 --frames 3 --epoch -- \
	--dst 127.0.0.1 --video 640x360p50 --mode txtime --lead 4 --frames 3

# ---------------------------------------------------------------- audio
stream_case "audio 48k 8ch L24 1ms IPv4 unicast" $NA 200 \
	--audio 48000:8:24:48 --pt 97 --frames 200 --epoch -- \
	--dst 127.0.0.1 --audio 48000:8:L24:1ms --frames 200

stream_case "audio 48k 64ch L24 125us IPv4 multicast" $NA 400 \
	--group 239.10.0.2 --dev lo --audio 48000:64:24:6 --pt 97 --frames 400 --epoch -- \
	--dst 239.10.0.2 --dev lo --audio 48000:64:L24:125us --frames 400

stream_case "audio 48k 2ch L16 1ms IPv6" $NA 100 \
	--v6 --audio 48000:2:16:48 --pt 100 --ssrc 7 --frames 100 --epoch --ttl 9 --dscp 46 -- \
	--dst ::1 --audio 48k:2:L16:1ms --pt 100 --ssrc 7 --ttl 9 --dscp 46 --frames 100

stream_case "audio 96k 4ch L24 1ms txtime" $NA 100 \
	--audio 96000:4:24:96 --pt 97 --tone 440 --frames 100 --epoch --early-us 3000 -- \
	--dst 127.0.0.1 --audio-rate 96000 --channels 4 --pcm L24 --ptime 1ms --tone 440 \
	--mode txtime --frames 100

# ---------------------------------------------------------------- SDP
sdp_case() {	# sdp_case NAME "expected lines" SENDER-ARGS...
	local name=$1 want=$2 missing="" line
	shift 2
	if ! "$S" --count-only --sdp "$W/t.sdp" "$@" >/dev/null 2>"$W/sdp.err"; then
		tap fail "SDP $name" "sender failed: $(cat "$W/sdp.err")"
		return
	fi
	tr -d '\r' <"$W/t.sdp" >"$W/t.txt"
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		case $line in
		'!'*) grep -qF -- "${line#!}" "$W/t.txt" && missing+="unexpected: ${line#!}"$'\n' ;;
		*) grep -qxF -- "$line" "$W/t.txt" || grep -qF -- "$line" "$W/t.txt" ||
			missing+="missing: $line"$'\n' ;;
		esac
	done <<<"$want"
	# RFC 4566 order of the session part, CRLF line ends
	if ! head -4 "$W/t.txt" | cut -c1-2 | tr -d '\n' | grep -qx 'v=o=s=t='; then
		missing+="session lines not v= o= s= t= first"$'\n'
	fi
	if [ "$(grep -c $'\r$' "$W/t.sdp")" -ne "$(wc -l <"$W/t.sdp")" ]; then
		missing+="not every line ends in CRLF"$'\n'
	fi
	# the project's own reader must take what the sender describes
	if [ -x "$O/st2110" ] && ! "$O/st2110" sdp check "$W/t.sdp" >"$W/sdpcheck.out" 2>&1; then
		missing+="st2110 sdp check rejects it: $(cat "$W/sdpcheck.out")"$'\n'
	fi
	if [ -z "$missing" ]; then
		tap ok "SDP $name"
	else
		tap fail "SDP $name" "$missing$(cat "$W/t.txt")"
	fi
}

sdp_case "1080p59.94 multicast" "v=0
t=0 0
m=video 5004 RTP/AVP 96
c=IN IP4 239.1.1.1/16
a=rtpmap:96 raw/90000
a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=60000/1001; depth=10; TCS=SDR; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN
a=mediaclk:direct=0
a=ts-refclk:ptp=traceable
!TROFF
!interlace" --dst 239.1.1.1 --ttl 16 --video 1080p59.94

sdp_case "1080i50 BPM type W TROFF" "m=video 6000 RTP/AVP 110
exactframerate=25;
PM=2110BPM;
TP=2110TPW;
TROFF=700
interlace;
colorimetry=BT2020;
c=IN IP4 10.0.0.1" --dst 10.0.0.1 --port 6000 --pt 110 --video 1080i50 --pm bpm --type W \
	--troffset-us 700 --colorimetry BT2020

sdp_case "audio L24 8ch 1ms" "m=audio 5004 RTP/AVP 97
a=rtpmap:97 L24/48000/8
a=fmtp:97 channel-order=SMPTE2110.(U08)
a=ptime:1
a=mediaclk:direct=0
a=ts-refclk:ptp=traceable" --dst 239.1.1.2 --audio 48000:8:L24:1ms

sdp_case "audio L16 stereo 125us" "a=rtpmap:97 L16/48000/2
a=fmtp:97 channel-order=SMPTE2110.(ST)
a=ptime:0.125
a=ssrc:7 cname:st2110-send" --dst 239.1.1.3 --audio 48000:2:L16:125us --ssrc 7

sdp_case "IPv6 unicast with localmac refclk" "c=IN IP6 ::1
o=- 
IN IP6
a=ts-refclk:localmac=00-00-00-00-00-00" --dst ::1 --dev lo --refclk localmac --video 720p50

sdp_case "PTP grandmaster refclk and 8-bit 4:4:4" "a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:0
sampling=YCbCr-4:4:4;
depth=8;
exactframerate=30000/1001;" --dst 239.1.1.4 --video 1280x720p29.97 --sampling 444 --depth 8 \
	--refclk ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:0

# ---------------------------------------------------------------- rejections
reject_case() {	# reject_case NAME RC "message fragment" SENDER-ARGS...
	local name=$1 want_rc=$2 frag=$3 rc why=""
	shift 3
	next_port
	if ! rx_start "$W/none.out" --port $port --expect-none --timeout-ms 400; then
		tap fail "rejects $name" "rx_check did not start"
		return
	fi
	local cmd=() a
	# --port right after the binary, so a trailing option stays last
	for a in "$@"; do
		cmd+=("$a")
		[ "$a" = "$S" ] && cmd+=(--port "$port")
	done
	"${cmd[@]}" >"$W/rej.out" 2>"$W/rej.err"
	rc=$?
	wait $rx_pid
	[ $rc -eq "$want_rc" ] || why+="exit $rc, want $want_rc"$'\n'
	[ "$(wc -l <"$W/rej.err")" -eq 1 ] || why+="stderr is not one line"$'\n'
	grep -qF -- "$frag" "$W/rej.err" || why+="stderr lacks '$frag'"$'\n'
	grep -q '^PASS' "$W/none.out" || why+="$(cat "$W/none.out")"$'\n'
	if [ -z "$why" ]; then
		tap ok "rejects $name: exit $rc, '$(cat "$W/rej.err")', nothing sent"
	else
		tap fail "rejects $name" "$why$(cat "$W/rej.err")"
	fi
}

reject_case "width 0" 1 "--video 0x1080p50: width must not be 0" \
	"$S" --dst 127.0.0.1 --video 0x1080p50
reject_case "frame rate 0" 1 "--video 1080p0: frame rate" \
	"$S" --dst 127.0.0.1 --video 1080p0
reject_case "frame rate 0/0" 1 "--video 1080p0/0: frame rate" \
	"$S" --dst 127.0.0.1 --video 1080p0/0
reject_case "width splitting a pgroup" 1 "width must be a multiple of the pgroup width (2 pixels" \
	"$S" --dst 127.0.0.1 --video 1921x1080p50
reject_case "payload above the UDP size limit" 1 "--payload 1500: payload exceeds" \
	"$S" --dst 127.0.0.1 --payload 1500
reject_case "BPM payload not a multiple of 180" 1 "--payload 1000: BPM payload" \
	"$S" --dst 127.0.0.1 --pm bpm --payload 1000
reject_case "unknown option" 2 "unknown option '--bogus'" \
	"$S" --dst 127.0.0.1 --bogus
reject_case "bad address" 1 "--dst 300.1.1.1: not a numeric" \
	"$S" --dst 300.1.1.1
reject_case "missing value" 2 "option '--frames' needs a value" \
	"$S" --dst 127.0.0.1 --frames
reject_case "65 audio channels" 1 "audio channels must be 1..64" \
	"$S" --dst 127.0.0.1 --audio 48000:65:L24:125us
reject_case "--refclk with a bad grandmaster" 1 "is not an EUI-64" \
	"$S" --dst 127.0.0.1 --refclk ptp=IEEE1588-2008:08-00-zz
reject_case "--channel-order the SDP reader rejects" 1 "unknown channel group 'XX'" \
	"$S" --dst 127.0.0.1 --audio 48000:2:L24:1ms --channel-order 'SMPTE2110.(XX)' \
	--sdp "$W/rej.sdp"
reject_case "--gso with --mode paced" 2 "--gso needs --mode burst" \
	"$S" --dst 127.0.0.1 --mode paced --gso
reject_case "--gso=1" 1 "--gso=1: segments must be 2..64" \
	"$S" --dst 127.0.0.1 --gso=1
reject_case "--gso=65" 1 "--gso=65: segments must be 2..64" \
	"$S" --dst 127.0.0.1 --gso=65
if command -v setpriv >/dev/null; then
	reject_case "txtime without CAP_NET_ADMIN" 1 "needs CAP_NET_ADMIN" \
		setpriv --bounding-set -net_admin --inh-caps -net_admin \
		"$S" --dst 127.0.0.1 --mode txtime --frames 1
else
	skip "rejects txtime without CAP_NET_ADMIN" "setpriv (util-linux) missing"
fi

# ---------------------------------------------------------------- count-only
next_port
if rx_start "$W/none.out" --port $port --expect-none --timeout-ms 400; then
	"$S" --dst 127.0.0.1 --port $port --count-only --frames 3 >"$W/co.out" 2>&1
	rc=$?
	wait $rx_pid
	if [ $rc -eq 0 ] && grep -q 'NPACKETS 4320' "$W/co.out" &&
	   grep -q 'would send 3 frames = 12960 packets' "$W/co.out" &&
	   grep -q '^PASS' "$W/none.out"; then
		tap ok "--count-only prints the plan (NPACKETS 4320, 12960 packets) and sends nothing"
	else
		tap fail "--count-only" "$(cat "$W/co.out" "$W/none.out")"
	fi
else
	tap fail "--count-only" "rx_check did not start"
fi
"$S" --count-only -j --video 1080p59.94 >"$W/co.json"
np=$(json_field npackets "$W/co.json")
trs=$(json_field trs_ns "$W/co.json")
tro=$(json_field troffset_ns "$W/co.json")
if [ "$np/$trs/$tro" = "4320/3707/637674" ]; then
	tap ok "--count-only -j: 1080p59.94 NPACKETS 4320, TRS 3707 ns, TROFFSET 637674 ns"
else
	tap fail "--count-only -j: 1080p59.94 values" "got $np/$trs/$tro: $(cat "$W/co.json")"
fi

# ---------------------------------------------------------------- GStreamer
gst_case() {	# gst_case DEPTH WxH RATE(N/D) VIDEO
	local depth=$1 size=$2 rate=$3 video=$4 w h np frames=8 rc
	local name="GStreamer rtpvrawdepay $video 4:2:2 $depth-bit"
	w=${size%x*}
	h=${size#*x}
	if ! command -v gst-launch-1.0 >/dev/null || ! gst-inspect-1.0 rtpvrawdepay >/dev/null 2>&1; then
		for _ in $(seq $NG); do skip "$name" "gst-launch-1.0 or rtpvrawdepay missing"; done
		return
	fi
	np=$(np_of --video "$video" --depth "$depth")
	next_port
	rm -f "$W/gst.raw"
	# exact caps rtpvrawdepay needs: sampling, depth, width, height as strings
	# 4 MB is the host's rmem_max: keep the rate low enough not to need more.
	# A receiver descheduled for a frame time on a loaded 2-CPU host loses
	# packets (seen at load 15): it runs SCHED_FIFO, as a real one would.
	local rt=()
	command -v chrt >/dev/null && chrt -f 1 true 2>/dev/null && rt=(chrt -f 1)
	"${rt[@]}" timeout 30 gst-launch-1.0 -q udpsrc port=$port buffer-size=4194304 \
		num-buffers=$((frames * np)) \
		caps="application/x-rtp,media=(string)video,clock-rate=(int)90000,encoding-name=(string)RAW,sampling=(string)YCbCr-4:2:2,depth=(string)$depth,width=(string)$w,height=(string)$h,colorimetry=(string)BT709,payload=(int)96" \
		! rtpvrawdepay ! filesink location="$W/gst.raw" >"$W/gst.log" 2>&1 &
	local gpid=$!
	for _ in $(seq 200); do
		ss -Huln 2>/dev/null | grep -q ":$port " && break
		sleep 0.05
	done
	sleep 0.2
	"$S" --dst 127.0.0.1 --port $port --video "$video" --depth "$depth" --mode paced \
		--frames $frames -j >"$W/tx.json" 2>"$W/tx.err"
	wait $gpid
	rc=$?
	if [ $rc -eq 0 ]; then
		tap ok "$name: gst-launch received $((frames * np)) packets and reached EOS"
	else
		tap fail "$name: gst-launch exit $rc" "$(cat "$W/gst.log" "$W/tx.err")"
	fi
	"$R" --raw "$W/gst.raw" --size "$size" --rate "$rate" --depth "$depth" \
		--frames $frames >"$W/gst.out" 2>&1
	emit_checks "$name" 3 "$W/gst.out"
}
gst_case 10 640x360 25/1 640x360p25
gst_case 8 1280x720 25/1 720p25

if [ $n -ne $PLAN ]; then
	echo "# internal: $n tests reported, plan $PLAN"
	exit 1
fi
exit 0
