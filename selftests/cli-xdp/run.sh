#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - the "st2110 xdp|route|flow" CLI suite, one TAP 13 stream.
#
# Host suite (root; the host kernel runs XDP natively on veth). A sender,
# a router and four receivers, each in a network namespace of its own:
#
#   cxs:cxs0 ──veth── cxr:cxin  [st2110 xdp]  cxr:cxo1..4 ──veth── cx{a,b,c,d}:cx{a,b,c,d}0
#                                                                   [st2110 xdp, route pass]
#
# st2110-send sends real RTP (ST 2110-30 audio, ST 2110-20 video) to a
# multicast group; every delivery count is read back through the CLI's own
# -j output: the receivers run the same XDP program with a "pass" route, so
# their flow entries count what arrived. Every rejection checks the exit
# status, the message, and that the tables did not change.
#
# Environment: ST2110_CLI_XDP_SMOKE_BENCH=0 skips the benchmark smoke test;
# ST2110_NO_BUILD=1 uses the binaries in build/ as they are.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${O:-$TOP/build}
ST=$B/st2110
SEND=$B/st2110-send
. "$TOP/selftests/lib/tap.sh"
n=0
failed=0
G=239.211.1.1
G2=239.211.1.2
PORT=5004
RX="a b c d"
NTESTS=94

echo "TAP version 13"
echo "1..$NTESTS"

skip_all()
{
	local i

	for i in $(seq 1 $NTESTS); do
		echo "ok $i cli-xdp # SKIP $1"
	done
	exit 0
}

[ "$(id -u)" = 0 ] || skip_all "needs root"
# one run at a time: the namespace and interface names are fixed
exec 9>/tmp/st2110-cli-xdp.lock
flock 9
command -v jq >/dev/null || skip_all "jq missing (apt-get install jq)"
command -v setpriv >/dev/null || skip_all "setpriv missing (util-linux)"
[ "${ST2110_NO_BUILD:-0}" = 1 ] ||
	flock /tmp/st2110-build.lock make -s --no-print-directory -C userspace/st2110 >&2 &&
	flock /tmp/st2110-build.lock make -s --no-print-directory -C userspace/send >&2 ||
	{ echo "Bail out! build failed"; exit 1; }
mount | grep -q ' /sys/fs/bpf type bpf ' || mount -t bpf bpf /sys/fs/bpf

NSS="cxs cxr cxa cxb cxc cxd"
cleanup()
{
	local ns d

	for d in cxin cxo2 cxa0 cxb0 cxc0 cxd0; do
		[ -d /sys/fs/bpf/st2110/$d ] || continue
		for ns in $NSS; do
			"$ST" -n $ns xdp detach dev $d 2>/dev/null && break
		done
	done
	for ns in $NSS; do
		ip netns del $ns 2>/dev/null
	done
}
trap cleanup EXIT
cleanup

LOG=$(mktemp)
T=$(mktemp -d)
trap 'cleanup; rm -rf "$LOG" "$T"' EXIT

setup()
{
	local r i=1

	for ns in $NSS; do
		ip netns add $ns || return 1
		ip -n $ns link set lo up
	done
	ip link add cxs0 netns cxs type veth peer name cxin netns cxr || return 1
	ip -n cxs addr add 10.211.0.1/24 dev cxs0
	ip -n cxr addr add 10.211.0.2/24 dev cxin
	ip -n cxs link set cxs0 up
	ip -n cxr link set cxin up
	# the sender leaves the UDP checksum to an offload that veth does not do
	ip netns exec cxs ethtool -K cxs0 tx off >/dev/null
	for r in $RX; do
		ip link add cxo$i netns cxr type veth peer name cx${r}0 netns cx$r || return 1
		ip -n cxr link set cxo$i up
		ip -n cx$r link set cx${r}0 up
		i=$((i + 1))
	done
}

# st2110 in a namespace: ok/fails with captured stderr in $LOG
st() { "$ST" -n "$@" 2>"$LOG"; }

# packets counted on the receiver's pass route (0 if no flow yet)
rx_pkts() { "$ST" -n cx$1 -j flow show dev cx${1}0 | jq '[.[].packets] | add // 0'; }
rx_all() { local r; for r in $RX; do printf '%s ' "$(rx_pkts $r)"; done; }
ctr() { "$ST" -n cxr -j -s xdp show dev cxin | jq ".[0].stats.$1"; }
routes() { "$ST" -n cxr -j route show dev cxin 2>/dev/null; }

# send_audio N [GROUP [TTL]]: N ST 2110-30 packets, 1 ms apart
send_audio()
{
	ip netns exec cxs "$SEND" --dst "${2:-$G}" --port $PORT --dev cxs0 --ttl "${3:-8}" \
		--audio 48000:2:L24:1ms --frames "$1" >/dev/null 2>>"$LOG"
	settle
}

# veth NAPI and the receivers' XDP may run after sendmsg returns: wait
# until the counters stop moving (a loaded host can be slow)
settle()
{
	local prev= cur i

	for i in $(seq 30); do
		sleep 0.1
		cur=$(rx_all; ctr rx_packets)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
	done
}

# expect_fail STATUS TEXT DESC CMD...: exit STATUS, TEXT in stderr, tables unchanged
expect_fail()
{
	local want=$1 text=$2 desc=$3 before after rc
	shift 3

	before=$(routes; "$ST" -n cxr -j xdp show 2>/dev/null)
	"$@" >/dev/null 2>"$LOG"
	rc=$?
	after=$(routes; "$ST" -n cxr -j xdp show 2>/dev/null)
	if [ $rc -eq "$want" ] && grep -q -- "$text" "$LOG" && [ "$before" = "$after" ]; then
		result 0 "$desc"
	else
		echo "# rc $rc (want $want), stderr: $(cat "$LOG")"
		[ "$before" = "$after" ] || echo "# tables changed: $before -> $after"
		result 1 "$desc"
	fi
}

# check DESC EXPR: EXPR is a shell test
check()
{
	local desc=$1
	shift
	if "$@"; then
		result 0 "$desc"
	else
		echo "# failed: $*"
		result 1 "$desc"
	fi
}

if ! setup >"$LOG" 2>&1; then
	as_comment "$LOG"
	skip_all "cannot create veth/netns here"
fi

# ---- attach --------------------------------------------------------------
st cxr xdp attach dev cxin
check "xdp attach dev cxin" [ $? -eq 0 -a -e /sys/fs/bpf/st2110/cxin/routes ]
ok=0
for r in $RX; do
	st cx$r xdp attach dev cx${r}0 default pass || ok=1
	st cx$r route add group $G port $PORT dev cx${r}0 pass || ok=1
	st cx$r route add group $G2 port $PORT dev cx${r}0 pass || ok=1
done
check "receivers attached with a pass route" [ $ok -eq 0 ]
j=$("$ST" -n cxr -j xdp show dev cxin)
check "xdp show -j: dev, prog_id, mode, default, tc_mirror" \
	[ "$(jq -r '.[0] | "\(.dev) \(.prog_id > 0) \(.mode) \(.default) \(.tc_mirror) \(.routes)"' <<<"$j")" = "cxin true native pass true 0" ]
check "xdp show lists this namespace's instances only (cxin in cxr, cxa0 in cxa)" \
	[ "$("$ST" -n cxr xdp show | cut -d: -f1)" = cxin -a "$("$ST" -n cxa xdp show | cut -d: -f1)" = cxa0 ]
ip -n cxr link show cxin | grep -q xdp
check "ip link shows the program on cxin" [ $? -eq 0 ]

# ---- routes with traffic -------------------------------------------------
st cxr route add group $G port $PORT dev cxin to cxo1,cxo2 clock 48000
send_audio 100
check "to 2 ports: receivers a b c d got 100 100 0 0" [ "$(rx_all)" = "100 100 0 0 " ]
check "router counted 100 route_redirect" [ "$(ctr route_redirect)" = 100 ]
f=$("$ST" -n cxr -j flow show dev cxin group $G port $PORT)
check "flow show -j: 100 packets, 0 lost, source 10.211.0.1" \
	[ "$(jq -r '.[0] | "\(.packets) \(.rtp_packets) \(.lost) \(.duplicates) \(.source)"' <<<"$f")" = "100 100 0 0 10.211.0.1" ]
f=$("$ST" -n cxr -s -j flow show dev cxin)
check "flow -s -j adds stale, resyncs, jitter_q4_ns" \
	[ "$(jq -r '.[0] | has("stale") and has("resyncs") and has("jitter_q4_ns")' <<<"$f")" = true ]

st cxr route change group $G port $PORT dev cxin to cxo1,cxo2,cxo3,cxo4
send_audio 50
check "change to 4 ports: 150 150 50 50" [ "$(rx_all)" = "150 150 50 50 " ]
check "change keeps clock 48000" [ "$(routes | jq '.[0].clock_hz')" = 48000 ]

st cxr route change group $G port $PORT dev cxin to cxo3
send_audio 20
check "change to 1 port: 150 150 70 50" [ "$(rx_all)" = "150 150 70 50 " ]

p0=$(ctr route_pass)
st cxr route change group $G port $PORT dev cxin pass
send_audio 30
check "change to pass: local stack only (+30 route_pass)" \
	[ "$(rx_all)" = "150 150 70 50 " -a "$(ctr route_pass)" = $((p0 + 30)) ]

st cxr route change group $G port $PORT dev cxin to cxo4 pass
send_audio 10
check "to cxo4 pass: copy to d and tc mirror counted 10" \
	[ "$(rx_all)" = "150 150 70 60 " -a "$(ctr tc_mirrored)" = 10 ]

st cxr route change group $G port $PORT dev cxin drop
send_audio 10
check "change to drop: nothing delivered, 10 route_drop" \
	[ "$(rx_all)" = "150 150 70 60 " -a "$(ctr route_drop)" = 10 ]

# source-specific before any-source
st cxr route change group $G port $PORT dev cxin to cxo1
st cxr route add group $G port $PORT source 10.211.0.1 dev cxin to cxo2
send_audio 10
check "source route wins over any-source: b +10" [ "$(rx_all)" = "150 160 70 60 " ]
st cxr route add group $G port $PORT source 10.211.0.99 dev cxin drop
send_audio 10
check "another source's route does not match: b +10" [ "$(rx_all)" = "150 170 70 60 " ]
check "route show lists 3 routes, text as add syntax" \
	[ "$(st cxr route show dev cxin | grep -c "^group $G port $PORT .*dev cxin")" -eq 3 ]

st cxr route del group $G port $PORT source 10.211.0.1 dev cxin
st cxr route del group $G port $PORT source 10.211.0.99 dev cxin
st cxr route del group $G port $PORT dev cxin
check "route del: table empty" [ "$(routes)" = "[]" ]
u0=$(ctr unmatched_pass)
send_audio 10
check "no route: default pass (+10 unmatched_pass)" [ "$(ctr unmatched_pass)" = $((u0 + 10)) ]
st cxr xdp set dev cxin default drop
send_audio 10
check "xdp set default drop: +10 unmatched_drop" \
	[ "$(ctr unmatched_drop)" = 10 -a "$("$ST" -n cxr -j xdp show dev cxin | jq -r '.[0].default')" = drop ]
st cxr xdp set dev cxin default pass

# video: frames from markers
st cxr route add group $G2 port $PORT dev cxin to cxo1 measure off
st cxr route add group $G2 port $PORT dev cxin to cxo1 2>/dev/null
ip netns exec cxs "$SEND" --dst $G2 --port $PORT --dev cxs0 --video 640x360p50 --frames 2 \
	>/dev/null 2>>"$LOG"
settle
check "measure off: routed (a +1440) but no flow entry" \
	[ "$(rx_all)" = "1590 170 70 60 " -a \
	  "$("$ST" -n cxr -j flow show dev cxin group $G2 | jq length)" = 0 ]
st cxr route change group $G2 port $PORT dev cxin to cxo1 measure on clock 90000
ip netns exec cxs "$SEND" --dst $G2 --port $PORT --dev cxs0 --video 640x360p50 --frames 2 \
	>/dev/null 2>>"$LOG"
settle
f=$("$ST" -n cxr -j flow show dev cxin group $G2)
check "video: flow counts 1440 packets, 2 frames, 0 lost; a +1440" \
	[ "$(rx_all)" = "3030 170 70 60 " -a "$(jq -r '.[0] | "\(.rtp_packets) \(.frames) \(.lost)"' <<<"$f")" = "1440 2 0" ]
# flow show -i: deltas of the traffic sent between two samples, reset after a flush
"$ST" -n cxr -j flow show dev cxin group $G2 -i 1 >"$T/iv" 2>>"$LOG" &
ivpid=$!
ok=1
wait_line "$T/iv" '.[0].rtp_packets == 1440' || ok=0
ip netns exec cxs "$SEND" --dst $G2 --port $PORT --dev cxs0 --video 640x360p50 --frames 2 \
	>/dev/null 2>>"$LOG"
wait_line "$T/iv" '.[0].rtp_packets == 2880' || ok=0
st cxr flow flush dev cxin
ip netns exec cxs "$SEND" --dst $G2 --port $PORT --dev cxs0 --video 640x360p50 --frames 1 \
	>/dev/null 2>>"$LOG"
wait_line "$T/iv" '.[0].delta.reset == true' || ok=0
kill -TERM $ivpid
wait $ivpid || ok=0
[ $ok = 1 ] && python3 -c '
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
first = lines[0][0]
assert "delta" not in first and re.fullmatch(r"[-0-9T:.]+Z", first["time"]), first
n = {"rtp_packets": 0, "packets": 0, "frames": 0, "lost": 0}
for arr in lines[1:]:
    if not arr:
        continue            # flushed, nothing since
    f = arr[0]
    d = f["delta"]
    assert f["interval_ns"] > 0 and "jitter_ns" in f and "jitter_ns" not in d, f
    if d.get("reset"):
        assert 0 < d["rtp_packets"] == f["rtp_packets"] <= 720, f
        break
    for k in n:
        n[k] += d[k]
    assert d["rate_pps"] == d["packets"] * 10**9 // f["interval_ns"], f
    assert d["rate_bps"] == d["bytes"] * 8 * 10**9 // f["interval_ns"], f
    last = f
else:
    raise AssertionError("no reset")
assert n == {"rtp_packets": 1440, "packets": 1440, "frames": 2, "lost": 0}, n
assert last["rtp_packets"] == 2880, last
' "$T/iv" >>"$LOG" 2>&1 || ok=0
check "flow show -j -i 1: deltas add up to the 1440 packets, 2 frames sent; reset after flush" [ $ok = 1 ]
"$ST" -n cxr flow show dev cxin group $G2 -i 1 count 2 >"$T/ivt" 2>>"$LOG"
check "flow show -i 1 count 2: totals, then a time line and the deltas" \
	[ "$(sed -n 1p "$T/ivt" | grep -c "^group $G2 port $PORT source 10.211.0.1 dev cxin ssrc 0x")" = 1 -a \
	  "$(grep -cE '^time [0-9-]{10}T[0-9:.]{12}Z interval [0-9]+\.[0-9]{3}s$' "$T/ivt")" = 1 -a \
	  "$(grep -cE "^group $G2 port $PORT .*: 0 pkt/s 0 bit/s packets \+0 bytes \+0 .* frames \+0 jitter [0-9.]+us$" "$T/ivt")" = 1 ]
st cxr flow flush dev cxin
check "flow flush empties the flow table" [ "$("$ST" -n cxr -j flow show dev cxin)" = "[]" ]
st cxr route del group $G2 port $PORT dev cxin

# abbreviations and help
st cxr ro a group $G port $PORT dev cxin to cxo1 &&
	[ "$("$ST" -n cxr ro sh dev cxin | grep -c "$G")" = 1 ] && st cxr ro d group $G port $PORT dev cxin
check "abbreviations: ro a / ro sh / ro d" [ $? -eq 0 -a "$(routes)" = "[]" ]
ok=0
for o in xdp route flow; do
	"$ST" $o help | grep -q "^Usage: st2110 .*$o" || ok=1
done
check "help on xdp, route, flow (exit 0)" [ $ok -eq 0 ]

# ---- staged (at-frame) changes, ST 2110-21 format, ST 2022-7 merge --------
video2() {
	ip netns exec cxs "$SEND" --dst $G2 --port $PORT --dev cxs0 --video 640x360p50 --frames 2 \
		>/dev/null 2>>"$LOG"
	settle
}
g2route() { routes | jq -r ".[] | select(.group == \"$G2\") | $1"; }
st cxr route add group $G2 port $PORT dev cxin to cxo1
st cxr route change group $G2 port $PORT dev cxin to cxo2 at-frame timeout 50
check "at-frame without traffic: staged (note), route shows staged to cxo2" \
	[ $? -eq 0 -a "$(grep -c 'staged' "$LOG")" = 1 -a "$(g2route '.staged.to[0]')" = cxo2 ]
a0=$(rx_pkts a)
b0=$(rx_pkts b)
video2
check "at-frame with video: switched at the first frame end (a +720, b +720)" \
	[ $(($(rx_pkts a) - a0)) = 720 -a $(($(rx_pkts b) - b0)) = 720 ]
check "at-frame: switches_clean 1, nothing staged any more" \
	[ "$(g2route '"\(.switches_clean) \(.switches_forced) \(.staged == null) \(.to[0])"')" = "1 0 true cxo2" ]
st cxr route change group $G2 port $PORT dev cxin to cxo3 at-frame timeout 30
b0=$(rx_pkts b)
c0=$(rx_pkts c)
send_audio 100 $G2
db=$(($(rx_pkts b) - b0))
dc=$(($(rx_pkts c) - c0))
check "at-frame on audio (no markers): forced after 30 ms ($db to b, $dc to c)" \
	[ "$(g2route '"\(.switches_forced) \(.to[0])"')" = "1 cxo3" -a $((db + dc)) = 100 \
	  -a $db -gt 0 -a $dc -gt 0 ]
st cxr flow flush dev cxin
st cxr route change group $G2 port $PORT dev cxin to cxo1 clock 90000 format 640x360p50
video2
f=$("$ST" -n cxr -j flow show dev cxin group $G2)
# the first frame is not measured: its start is known only from a marker
check "format 640x360p50: route shows it, flow has rx results (frames >= 1, CINST, VRX)" \
	[ "$(g2route '"\(.format) \(.type)"')" = "640x360p50 N" -a \
	  "$(jq -r '.[0].rx | "\(.frames >= 1) \(.cinst_peak >= 1) \(has("vrx_peak"))"' <<<"$f")" = "true true true" ]
st cxr route del group $G2 port $PORT dev cxin
G3=239.211.1.3
G4=239.211.1.4
st cxd route add group $G3 port $PORT dev cxd0 pass
st cxd route add group $G4 port $PORT dev cxd0 pass
st cxr route add group $G3 port $PORT dev cxin to cxo4 merge 7 leg 0 &&
	st cxr route add group $G4 port $PORT dev cxin to cxo4 merge 7 leg 1
d0=$(rx_pkts d)
for g in $G3 $G4; do
	ip netns exec cxs "$SEND" --dst $g --port $PORT --dev cxs0 --audio 48000:2:L24:1ms \
		--frames 50 --ssrc 4660 --seq 1000 >/dev/null 2>>"$LOG"
done
settle
m=$("$ST" -n cxr -s -j route show dev cxin group $G3)
check "2022-7 merge 7: both legs sent 50, d got 50 (+$(($(rx_pkts d) - d0))), 50 duplicates dropped" \
	[ $(($(rx_pkts d) - d0)) = 50 -a \
	  "$(jq -r '.[0].merge_stats | "\(.forwarded) \(.duplicates) \(.packets_leg0) \(.packets_leg1)"' <<<"$m")" = "50 50 50 50" ]
st cxr route del group $G3 port $PORT dev cxin
st cxr route del group $G4 port $PORT dev cxin
check "merge legs deleted: table empty" [ "$(routes)" = "[]" ]
# 2022-7 legs on two interfaces: a second instance shares cxin's merges
# (the traffic test with loss on each leg is in selftests/xdp's live tests)
st cxr xdp attach dev cxo2 share-merges cxin
check "xdp attach dev cxo2 share-merges cxin: xdp show says shared_merges" \
	[ $? -eq 0 -a "$("$ST" -n cxr -j xdp show dev cxo2 | jq -r '.[0].shared_merges')" = true -a \
	  "$("$ST" -n cxr -j xdp show dev cxin | jq -r '.[0].shared_merges')" = false ]
st cxr route add group $G3 port $PORT dev cxin to cxo4 merge 8 leg 0 &&
	st cxr route add group $G4 port $PORT dev cxo2 to cxo4 merge 8 leg 1
ip netns exec cxs "$SEND" --dst $G3 --port $PORT --dev cxs0 --audio 48000:2:L24:1ms \
	--frames 20 --ssrc 4661 --seq 500 >/dev/null 2>>"$LOG"
settle
m=$("$ST" -n cxr -s -j route show dev cxo2 group $G4)
check "shared merge 8: cxin's leg 0 counted in the merge seen from cxo2 (20 forwarded)" \
	[ "$(jq -r '.[0].merge_stats | "\(.packets_leg0) \(.forwarded)"' <<<"$m")" = "20 20" ]
st cxr route del group $G3 port $PORT dev cxin
m=$("$ST" -n cxr -s -j route show dev cxo2 group $G4)
check "route del on cxin keeps merge 8, which cxo2's route still names" \
	[ "$(jq -r '.[0].merge_stats.packets_leg0' <<<"$m")" = 20 ]
st cxr route del group $G4 port $PORT dev cxo2
st cxr xdp detach dev cxo2
expect_fail 1 "no st2110 XDP program attached to cxo3" "reject share-merges with an interface without the program" \
	"$ST" -n cxr xdp attach dev cxo2 share-merges cxo3
# clean source switch: the output a carries whole frames of G5, then whole frames of G6
G5=239.211.1.5
G6=239.211.1.6
st cxa route add group $G5 port $PORT dev cxa0 pass
st cxa route add group $G6 port $PORT dev cxa0 pass
st cxr route add group $G5 port $PORT dev cxin to cxo1
st cxr route add group $G6 port $PORT dev cxin drop
for g in $G5 $G6; do
	ip netns exec cxs "$SEND" --dst $g --port $PORT --dev cxs0 --video 640x360p50 \
		--frames 50 >/dev/null 2>>"$LOG" &
done
sleep 0.3
st cxr route switch dev cxin out cxo1 from group $G5 port $PORT to group $G6 port $PORT
sw=$?
wait
settle
# by sequence range, not packet count: two bursting senders can overflow a
# veth ring, and a packet lost that way is not a mixed frame
p5=$("$ST" -n cxa -j flow show dev cxa0 group $G5 | jq '.[0].expected // 0')
p6=$("$ST" -n cxa -j flow show dev cxa0 group $G6 | jq '.[0].expected // 0')
check "route switch: a got whole frames only, $p5 of G5 then $p6 of G6 (720 per frame)" \
	[ $sw -eq 0 -a "$p5" -gt 0 -a "$p6" -gt 0 -a $((p5 % 720)) -eq 0 -a $((p6 % 720)) -eq 0 ]
r=$(routes | jq -r "[.[] | select(.group == \"$G5\" or .group == \"$G6\")] | sort_by(.group) |
	map(\"\(.action):\(.switches_clean)\") | join(\" \")")
check "route switch: from route drops, to route redirects, both switched clean" \
	[ "$r" = "drop:1 redirect:1" ] || routes | jq -c ".[] | select(.group == \"$G6\")" | as_comment /dev/stdin
st cxr route del group $G5 port $PORT dev cxin
st cxr route del group $G6 port $PORT dev cxin
# L3 behaviour of the copies: ttl dec, src-mac port (TTL and MACs on the
# wire are asserted by selftests/xdp's live tests; here the CLI's side)
st cxr route add group $G port $PORT dev cxin to cxo1,cxo2 ttl dec src-mac port
check "route add ... ttl dec src-mac port: shown in text (add syntax) and -j" \
	[ "$(st cxr route show dev cxin | grep -c "to cxo1,cxo2 ttl dec src-mac port")" = 1 -a \
	  "$(routes | jq -r '.[0] | "\(.ttl) \(.src_mac)"')" = "dec port" ]
a0=$(rx_pkts a)
b0=$(rx_pkts b)
send_audio 10 $G 8
e0=$(ctr ttl_expired)
send_audio 10 $G 1
check "ttl dec: TTL 8 forwarded (a +$(($(rx_pkts a) - a0)), b +$(($(rx_pkts b) - b0))), TTL 1 not (ttl_expired $e0 -> $(ctr ttl_expired))" \
	[ $(($(rx_pkts a) - a0)) = 10 -a $(($(rx_pkts b) - b0)) = 10 -a "$e0" = 0 -a "$(ctr ttl_expired)" = 10 ]
st cxr route change group $G port $PORT dev cxin ttl keep
check "route change ttl keep: ttl keep, src-mac port kept" \
	[ "$(routes | jq -r '.[0] | "\(.ttl) \(.src_mac)"')" = "keep port" ]
st cxr route del group $G port $PORT dev cxin
# ---- monitor flows: the XDP program's events ----------------------------
# mon_start NS FILE ARGS...: "st2110 -n NS -j monitor ARGS" in the background
# into FILE; returns once it waits for events (it drops what was queued
# before, so traffic must come after): wchan do_epoll_wait
mon_start()
{
	local ns=$1 out=$2 i
	shift 2
	"$ST" -n "$ns" -j monitor "$@" >"$out" 2>>"$LOG" &
	MON=$!
	for i in $(seq 100); do
		[ "$(cat /proc/$MON/wchan 2>/dev/null)" = do_epoll_wait ] && return 0
		sleep 0.1
	done
	return 1
}
# send_seq GROUP SEQ N: N audio packets 1 ms apart from sequence SEQ, one SSRC
send_seq()
{
	ip netns exec cxs "$SEND" --dst "$1" --port $PORT --dev cxs0 --ttl 8 \
		--audio 48000:2:L24:1ms --frames "$3" --ssrc 4662 --seq "$2" >/dev/null 2>>"$LOG"
}
G7=239.211.1.7
G8=239.211.1.8
MR=$(mktemp) MA=$(mktemp) MB=$(mktemp)
st cxr route add group $G7 port $PORT dev cxin to cxo1
st cxa route add group $G7 port $PORT dev cxa0 pass
ok=0
mon_start cxr "$MR" flows dev cxin || ok=1
MONR=$MON
mon_start cxa "$MA" || ok=1
MONA=$MON
mon_start cxb "$MB" flows || ok=1
MONB=$MON
# 12 numbers lost in 3 gaps (5, 5, 2); the last run goes on 200 ms after
# its gap, so whatever the hold-off kept is written by its later packets
send_seq $G7 2000 20
send_seq $G7 2025 20
send_seq $G7 2050 20
send_seq $G7 2072 200
settle
# a staged change on video: one clean "switched" record
st cxr route add group $G8 port $PORT dev cxin to cxo1
st cxr route change group $G8 port $PORT dev cxin to cxo2 at-frame timeout 50
ip netns exec cxs "$SEND" --dst $G8 --port $PORT --dev cxs0 --video 640x360p50 --frames 2 \
	>/dev/null 2>>"$LOG"
settle
kill $MONR $MONA $MONB 2>/dev/null
wait $MONR $MONA $MONB 2>/dev/null
lost=$("$ST" -n cxr -j flow show dev cxin group $G7 | jq '.[0].lost')
loss() { jq -s -r "[.[] | select(.event == \"loss\" and .group == \"$G7\")] |
	\"\(map(.count) | add) \(length) \(.[0].dev) \(.[0].port) \(.[0].source) \(.[-1].value)\"" "$1"; }
gaps() { jq -s "[.[] | select(.event == \"loss\" and .group == \"$G7\") | .time_ns] |
	[range(1; length) as \$i | .[\$i] - .[\$i - 1]] | min // 100000000" "$1"; }
r=$(loss "$MR")
[ "${r%% *}" = 12 ] || as_comment "$MR"
check "monitor flows dev cxin: loss counts add up to the 12 lost (flow lost $lost; counts records dev port source value: $r)" \
	[ $ok -eq 0 -a "$lost" = 12 -a "$(cut -d' ' -f1,3-6 <<<"$r")" = "12 cxin $PORT 10.211.0.1 12" ]
check "monitor flows: loss records at least 100 ms apart (least $(gaps "$MR") ns)" \
	[ "$(gaps "$MR")" -ge 100000000 ]
r=$(jq -s -r "[.[] | select(.event == \"switched\" and .group == \"$G8\")] |
	map(\"\(.forced) \(.old_action) \(.new_action) \(.old_egress_set != .new_egress_set) \(.count)\") | join(\",\")" "$MR")
check "monitor flows: the at-frame change is one clean switched record ($r)" \
	[ "$r" = "false redirect redirect true 1" ]
check "monitor (all) in cxa: its own cxa0 saw the same 12 lost ($(loss "$MA"))" \
	[ "$(loss "$MA" | cut -d' ' -f1,3)" = "12 cxa0" ]
check "monitor flows in cxb: nothing (cxin's ring is another namespace's)" [ ! -s "$MB" ] ||
	as_comment "$MB"
expect_fail 1 "no st2110 XDP program attached to cxo1" "monitor flows dev without the program" \
	"$ST" -n cxr monitor flows dev cxo1
expect_fail 1 "cannot find device" "monitor flows dev that does not exist" \
	"$ST" -n cxr monitor flows dev cxa0
expect_fail 2 "unknown argument \"streams\"" "monitor flows streams: one source only" \
	"$ST" -n cxr monitor flows streams
# the flow's last number was 2271: a gap of 8, written at once
mon_start cxr "$MR" flows dev cxin count 1
send_seq $G7 2280 5
wait $MON
rc=$?
r=$(cat "$MR")
check "monitor flows count 1: one loss record of 8, then exit 0 ($r)" \
	[ $rc -eq 0 -a "$(jq -r '"\(.event) \(.count)"' <<<"$r")" = "loss 8" ]
rm -f "$MR" "$MA" "$MB"
st cxr route del group $G7 port $PORT dev cxin
st cxr route del group $G8 port $PORT dev cxin
st cxa route del group $G7 port $PORT dev cxa0

st cxr route add group ff3e::2110:1 port $PORT source 2001:db8::1 dev cxin to cxo1,cxo2
check "IPv6 route: shown with group, source and ports" \
	[ "$(routes | jq -r '.[0] | "\(.group) \(.source) \(.to | join(","))"')" = "ff3e::2110:1 2001:db8::1 cxo1,cxo2" ]
st cxr route del group ff3e::2110:1 port $PORT source 2001:db8::1 dev cxin

# ---- rejections: message, exit status, nothing changed -------------------
st cxr route add group $G port $PORT dev cxin to cxo1
expect_fail 2 "not an IP address" "reject bad group 239.1.1" \
	"$ST" -n cxr route add group 239.1.1 port $PORT dev cxin drop
expect_fail 2 "not a multicast" "reject non-multicast group 10.1.1.1" \
	"$ST" -n cxr route add group 10.1.1.1 port $PORT dev cxin drop
expect_fail 2 "not an IPv6 address" "reject IPv4 source for an IPv6 group" \
	"$ST" -n cxr route add group ff3e::1 port $PORT source 10.0.0.1 dev cxin drop
expect_fail 2 "unicast" "reject multicast source" \
	"$ST" -n cxr route add group $G2 port $PORT source 239.1.1.9 dev cxin drop
expect_fail 2 "not a UDP port" "reject port 70000" \
	"$ST" -n cxr route add group $G2 port 70000 dev cxin drop
expect_fail 1 'Cannot find device "nosuch"' "reject unknown dev" \
	"$ST" -n cxr route add group $G2 port $PORT dev nosuch drop
expect_fail 1 'Cannot find device "nosuch"' "reject unknown egress dev" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin to cxo1,nosuch
expect_fail 2 "listed twice" "reject egress dev listed twice" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin to cxo1,cxo1
expect_fail 2 "needs \"group G port P dev IN\"" "reject missing port" \
	"$ST" -n cxr route add group $G2 dev cxin drop
expect_fail 2 "needs an action" "reject missing action" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin
expect_fail 2 "not complete" "reject keyword without value" \
	"$ST" -n cxr route add group $G2 port $PORT dev
expect_fail 1 "exists" "reject duplicate route (exit 1)" \
	"$ST" -n cxr route add group $G port $PORT dev cxin to cxo2
expect_fail 1 "no route" "reject change of a missing route" \
	"$ST" -n cxr route change group $G2 port $PORT dev cxin drop
expect_fail 2 "unknown argument \"bogus\"" "reject unknown keyword" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin drop bogus
expect_fail 2 "one action only" "reject two actions" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin drop to cxo1
expect_fail 1 "no st2110 XDP program attached to cxo1" "reject route on a dev without the program" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxo1 drop
expect_fail 1 "already has pins" "reject a second attach" \
	"$ST" -n cxr xdp attach dev cxin
expect_fail 2 "mode must be \"native\" or \"generic\"" "reject xdp attach mode bogus" \
	"$ST" -n cxr xdp attach dev cxo1 mode bogus
expect_fail 2 "share-merges names another interface" "reject share-merges with itself" \
	"$ST" -n cxr xdp attach dev cxo2 share-merges cxo2
expect_fail 2 "ttl must be dec or keep" "reject ttl bogus" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin to cxo1 ttl 5
expect_fail 2 "src-mac must be port or keep" "reject src-mac bogus" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin to cxo1 src-mac 02:00:00:00:00:01
expect_fail 2 "needs \"to DEV" "reject ttl dec on a drop route" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin drop ttl dec
st cxr xdp attach dev cxo1 mode generic
g=$?
j=$("$ST" -n cxr -j xdp show dev cxo1)
l=$(ip -n cxr link show cxo1 | grep -c xdpgeneric)
check "xdp attach mode generic: xdp show says generic, ip link says xdpgeneric" \
	[ $g -eq 0 -a "$(jq -r '.[0].mode' <<<"$j")" = generic -a "$l" = 1 -a \
	  "$("$ST" -n cxr xdp show dev cxo1 | grep -c ' mode generic ')" = 1 ]
st cxr xdp detach dev cxo1
g=$?
l=$(ip -n cxr link show cxo1 | grep -c xdp)
check "xdp detach of the generic attach leaves no program nor pins" \
	[ $g -eq 0 -a ! -e /sys/fs/bpf/st2110/cxo1 -a "$l" = 0 ]
expect_fail 2 "attach needs" "reject xdp attach without dev" \
	"$ST" -n cxr xdp attach
expect_fail 2 "is unknown" "reject unknown command" \
	"$ST" -n cxr route frob
expect_fail 2 "use it with change" "reject at-frame on add" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin drop at-frame
expect_fail 2 "timeout goes with at-frame" "reject timeout without at-frame" \
	"$ST" -n cxr route change group $G port $PORT dev cxin drop timeout 5
expect_fail 2 "format \"1080x\"" "reject bad format" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin drop format 1080x
expect_fail 2 "leg goes with merge" "reject leg without merge" \
	"$ST" -n cxr route add group $G2 port $PORT dev cxin drop leg 1
expect_fail 2 "switch needs" "reject route switch without out" \
	"$ST" -n cxr route switch dev cxin from group $G port $PORT to group $G2 port $PORT
expect_fail 1 "both routes must exist" "reject route switch to a missing route" \
	"$ST" -n cxr route switch dev cxin out cxo2 from group $G port $PORT to group $G2 port $PORT
expect_fail 1 "run as root" "reject route add without CAP_NET_ADMIN (setpriv nobody)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$ST" route add group $G2 port $PORT dev cxin drop
expect_fail 1 "run as root" "reject xdp detach without CAP_NET_ADMIN (setpriv nobody)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$ST" xdp detach dev cxin
expect_fail 1 "reading the XDP tables needs CAP_BPF" "reject flow show without CAP_BPF (setpriv nobody)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$ST" flow show
a0=$(rx_pkts a)
send_audio 10
check "the route survived the rejections: a +10" [ $(($(rx_pkts a) - a0)) = 10 ]

# ---- detach --------------------------------------------------------------
ok=0
st cxr xdp detach dev cxin || ok=1
for r in $RX; do
	st cx$r xdp detach dev cx${r}0 || ok=1
done
check "xdp detach of all five" [ $ok -eq 0 ]
left=$(ls /sys/fs/bpf/st2110 2>/dev/null | grep -c '^cx')
ip -n cxr link show cxin | grep -q 'xdp'
x=$?
tc -n cxr filter show dev cxin ingress 2>/dev/null | grep -q .
t=$?
check "detach leaves nothing: no pins, no XDP, no tc filter" [ "$left" = 0 -a $x -ne 0 -a $t -ne 0 ]
expect_fail 1 "no st2110 XDP program attached to cxin" "reject detach when not attached" \
	"$ST" -n cxr xdp detach dev cxin

# ---- the benchmark at tiny size -----------------------------------------
if [ "${ST2110_CLI_XDP_SMOKE_BENCH:-1}" = 0 ]; then
	result 4 "bench xdp.sh --smoke" "ST2110_CLI_XDP_SMOKE_BENCH=0"
elif [ ! -x "$TOP/selftests/bench/xdp.sh" ]; then
	result 4 "bench xdp.sh --smoke" "selftests/bench/xdp.sh missing"
else
	cleanup
	timeout 120 "$TOP/selftests/bench/xdp.sh" --smoke >"$LOG" 2>&1
	rc=$?
	as_comment "$LOG"
	if [ $rc -eq 4 ]; then
		result 4 "bench xdp.sh --smoke" "$(grep -m1 'not run:' "$LOG" | sed 's/^xdp.sh: not run: //')"
	else
		check "bench xdp.sh --smoke" [ $rc -eq 0 ]
	fi
fi

echo "# $((n - failed)) passed, $failed failed"
[ "$n" -eq "$NTESTS" ] || echo "# planned $NTESTS, ran $n"
[ $failed -eq 0 ]
