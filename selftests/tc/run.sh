#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [KO_PATH] - the tc plugin (q_st2110.so) and "st2110 stream" suite,
# one TAP 13 stream.
#
# Runs as root inside a Debian kernel that loads modules (the QEMU test bed):
#   selftests/vm/run-vm.sh --kernel 6.1 -- selftests/tc/run.sh
#   selftests/vm/run-vm.sh --kernel 6.12 -- selftests/tc/run.sh
# KO_PATH defaults to build/kmod/$(uname -r)/sch_st2110.ko.  Needs
# build/q_st2110.so (make -C userspace/tc), build/st2110 (make -C
# userspace/st2110), Debian's tc, python3, jq, setpriv and bash-completion.  Every test works in
# a network namespace of its own; tc finds the plugin through TC_LIB_DIR.
#
# Environment:
#   ST2110_TC_TESTS="t1 t2"   run only these tests (default: all)
#   ST2110=PATH               the st2110 binary (default build/st2110)
set -u
shopt -s extglob

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
KVER=$(uname -r)
B=${O:-$TOP/build}
KO=${1:-$B/kmod/$KVER/sch_st2110.ko}
ST=${ST2110:-$B/st2110}
SO=$B/q_st2110.so
SDPDIR=${ST2110_SDP_DIR:-$TOP/../shared/data/sdp}
[ -d "$SDPDIR" ] || SDPDIR=/work/shared/data/sdp
export TC_LIB_DIR=$B
P=st2110tc$$
TMP=$(mktemp -d)
TESTS=(plugin_exports qdisc_roundtrip qdisc_json qdisc_rejections
       class_roundtrip class_change class_rejections class_stats class_json
       stream_sdp_files stream_sdp_roundtrip stream_cli stream_interval stream_bad_args
       stream_runtime_errors non_root completion)
[ -z "${ST2110_TC_TESTS:-}" ] || read -r -a TESTS <<<"${ST2110_TC_TESTS//,/ }"

. "$TOP/selftests/lib/tap.sh"
. "$TOP/selftests/lib/netns.sh"
n=0
failed=0

echo "TAP version 13"
echo "1..${#TESTS[@]}"

tap_need_kmod
command -v tc >/dev/null || tap_skip_all "tc (iproute2) missing"
command -v python3 >/dev/null || tap_skip_all "python3 missing"
command -v jq >/dev/null || tap_skip_all "jq missing"
for f in "$SO" "$ST"; do
	[ -e "$f" ] || { echo "Bail out! $f missing: make -C userspace/tc; make -C userspace/st2110"; exit 1; }
done
[ -f "$KO" ] || { echo "Bail out! $KO missing: make kmod-all"; exit 1; }
grep -q '^sch_st2110 ' /proc/modules || insmod "$KO" || { echo "Bail out! insmod $KO failed"; exit 1; }

cleanup()
{
	netns_del_prefix "$P"
	rm -rf "$TMP"
}
trap cleanup EXIT

# fail MSG: print why and end the test (each test runs in a subshell)
fail() { echo "FAIL: $*"; exit 1; }

# ns NAME: a namespace with veth v0/v1 up; echoes its name
ns()
{
	local ns=$P-$1

	ip netns add "$ns" || return 1
	ip -n "$ns" -batch - <<-EOF || return 1
		link add v0 type veth peer name v1
		link set v0 up
		link set v1 up
	EOF
	echo "$ns"
}

# Under TCG each program started costs 50-150 ms (more for python3 and jq):
# the helpers start as few as they can, and match text in bash.
#
# t NS CMD...: tc in NS; st NS ARGS...: st2110 in NS (both enter it
# themselves, as ip netns exec would, without a program more)
t() { local ns=$1; shift; tc -n "$ns" "$@"; }
st() { local ns=$1; shift; "$ST" -n "$ns" "$@"; }

# norefcnt TEXT: TEXT without the "refcnt N" of qdisc lines, which changes
norefcnt() { printf '%s\n' "${1// refcnt *([0-9])/}"; }

# the qdisc / class lines of v0 (without refcnt); state: both, one tc run
qshow() { local out; out=$(t "$1" qdisc show dev v0); norefcnt "$out"; }
cshow() { t "$1" class show dev v0; }
state()
{
	local out

	out=$(t "$1" -b - <<<$'qdisc show dev v0\nclass show dev v0')
	norefcnt "$out"
}

# has FILE ERE: FILE's text matches the (unanchored) extended regex ERE
has()
{
	local text=

	IFS= read -r -d '' text <"$1"
	[[ $text =~ $2 ]]
}

# nlines TEXT GLOB: how many lines of TEXT match the bash pattern GLOB
nlines()
{
	local l c=0

	while IFS= read -r l; do
		# shellcheck disable=SC2053 # a pattern on purpose
		[[ $l == $2 ]] && c=$((c + 1))
	done <<<"$1"
	echo "$c"
}

# expect_rc WANT CMD...: run CMD, fail unless its exit status is WANT
expect_rc()
{
	local want=$1 rc

	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" = "$want" ] ||
		fail "$* -> exit $rc, want $want: $(cat "$TMP/err" "$TMP/out" | head -5)"
}

# pyjson FILE CODE: run python CODE with j = the parsed JSON of FILE
pyjson()
{
	python3 -c "import json,sys
j = json.load(open(sys.argv[1]))
$2" "$1"
}

# ---- tests -------------------------------------------------------------------

plugin_exports()
{
	local exp

	exp=$(nm -D --defined-only "$SO" | awk '$2 ~ /[TDBR]/ && $3 !~ /^_/ {print $3}')
	[ "$exp" = st2110_qdisc_util ] || fail "q_st2110.so exports: $exp"
	# a plugin tc cannot load falls back to "Unknown qdisc": make sure it loads
	TC_LIB_DIR=$B tc qdisc add dev lo root st2110 help 2>"$TMP/err"
	has "$TMP/err" 'Usage: \.\.\. st2110' || fail "plugin not loaded: $(cat "$TMP/err")"
	TC_LIB_DIR=/nonexistent tc qdisc add dev lo root st2110 limit 5 2>"$TMP/err"
	has "$TMP/err" 'Unknown qdisc' || fail "tc without the plugin: $(cat "$TMP/err")"
}

qdisc_roundtrip()
{
	local ns out

	ns=$(ns q) || fail "netns"
	expect_rc 0 t "$ns" qdisc add dev v0 root handle 1: st2110 limit 100 slack 5 linkrate 10gbit nooffload
	out=$(qshow "$ns")
	[ "$out" = "qdisc st2110 1: root clockid CLOCK_TAI limit 100 slack 5 linkrate 10gbit " ] ||
		fail "show: '$out'"
	expect_rc 0 t "$ns" qdisc change dev v0 root st2110 limit 200 linkrate 2500mbit
	out=$(qshow "$ns")
	[ "$out" = "qdisc st2110 1: root clockid CLOCK_TAI limit 200 slack 5 linkrate 2500mbit " ] ||
		fail "after change: '$out'"
	expect_rc 0 t "$ns" qdisc replace dev v0 root handle 1: st2110 slack 0 linkrate 0
	out=$(qshow "$ns")
	[ "$out" = "qdisc st2110 1: root clockid CLOCK_TAI limit 200 slack 0 linkrate 0 " ] ||
		fail "after replace: '$out'"
	expect_rc 0 t "$ns" qdisc del dev v0 root
	[[ $(qshow "$ns") == *st2110* ]] && fail "qdisc still there after del"
	# defaults when no option is given
	expect_rc 0 t "$ns" qdisc add dev v0 root st2110
	out=$(qshow "$ns")
	case $out in
	"qdisc st2110 8"*": root clockid CLOCK_TAI limit 10000 slack 0 linkrate 0 ") ;;
	*) fail "defaults: '$out'" ;;
	esac
}

qdisc_json()
{
	local ns

	ns=$(ns qj) || fail "netns"
	expect_rc 0 t "$ns" qdisc add dev v0 root handle 1: st2110 limit 77 slack 1000 linkrate 1gbit
	t "$ns" -j -s qdisc show dev v0 >"$TMP/q.json" || fail "tc -j"
	pyjson "$TMP/q.json" '
q = [x for x in j if x["kind"] == "st2110"][0]
o = q["options"]
assert o == {"clockid": "CLOCK_TAI", "limit_pkts": 77, "slack_ns": 1000,
             "link_rate_bps": 1000000000, "offload": False}, o
for k in ("streams", "enqueued_pkts", "dequeued_pkts", "limit_drops", "be_pkts",
          "watchdog_wakeups", "link_rate_bps"):
    assert k in q, k
assert q["streams"] == 0
' || fail "JSON: $(cat "$TMP/q.json")"
}

qdisc_rejections()
{
	local ns before a

	ns=$(ns qr) || fail "netns"
	before=$(state "$ns")
	# refused by the plugin: exit 1, no request sent
	for a in "limit 0" "limit 1048577" "limit x" "slack -1" "slack 1000000001" \
		 "linkrate 2tbit" "linkrate 1.5bit" "linkrate fast" "clockid CLOCK_FOO" \
		 "bogus" "limit" "offload 1"; do
		# shellcheck disable=SC2086
		expect_rc 1 t "$ns" qdisc add dev v0 root st2110 $a
		has "$TMP/err" 'st2110: |Usage' || fail "'$a': no message: $(cat "$TMP/err")"
		[ "$(state "$ns")" = "$before" ] || fail "'$a' changed something"
	done
	# refused by the kernel: exit 2 and its extack
	expect_rc 2 t "$ns" qdisc add dev v0 root st2110 clockid CLOCK_MONOTONIC
	grep -qi 'clock' "$TMP/err" || fail "no extack for the clock: $(cat "$TMP/err")"
	expect_rc 2 t "$ns" qdisc add dev v0 root st2110 offload
	has "$TMP/err" 'Error' || fail "no extack for offload on veth: $(cat "$TMP/err")"
	[ "$(state "$ns")" = "$before" ] || fail "kernel rejection left something: $(state "$ns")"
}

VIDEO_OPTS="dst 239.1.1.1 port 5004 src 10.0.0.1 limit 50 video 1920x1080p50 sampling YCbCr-4:2:2 depth 10 packing gpm type N troffset default lead 3 rtp follow"
AUDIO_OPTS="dst 239.1.1.2 port 5006 limit 0 audio 48000:8:L24:125us type N troffset default lead default rtp follow"
V6_OPTS="dst ff3e::1:2 port 5008 src 2001:db8::1 limit 9 video 1280x720p59.94 sampling YCbCr-4:4:4 depth 12 packing bpm payload 1260 npackets 2000 type NL troffset 500000 lead default rtp follow"
V6_SHOW="dst ff3e::1:2 port 5008 src 2001:db8::1 limit 9 video 1280x720p59.94 sampling YCbCr-4:4:4 depth 12 packing bpm payload 1260 npackets 2000 type NL troffset 500000 lead default rtp follow"
UNPACED_OPTS="dst 10.0.0.9 port 7000 limit 5"

class_setup()
{
	t "$1" qdisc add dev v0 root handle 1: st2110 || return 1
	# shellcheck disable=SC2086
	t "$1" class add dev v0 parent 1: classid 1:1 st2110 $VIDEO_OPTS &&
	t "$1" class add dev v0 parent 1: classid 1:2 st2110 $AUDIO_OPTS &&
	t "$1" class add dev v0 parent 1: classid 1:3 st2110 $V6_OPTS &&
	t "$1" class add dev v0 parent 1: classid 1:4 st2110 $UNPACED_OPTS
}

# cline NS CLASSID: the class's line of tc class show
cline()
{
	local l out

	out=$(cshow "$1")
	while IFS= read -r l; do
		[[ $l == "class st2110 $2 "* ]] && { printf '%s\n' "$l"; return 0; }
	done <<<"$out"
	return 1
}

class_roundtrip()
{
	local ns

	ns=$(ns c) || fail "netns"
	class_setup "$ns" || fail "class add: $(cshow "$ns")"
	[ "$(cline "$ns" 1:1)" = "class st2110 1:1 root $VIDEO_OPTS " ] || fail "1:1: $(cline "$ns" 1:1)"
	[ "$(cline "$ns" 1:2)" = "class st2110 1:2 root $AUDIO_OPTS " ] || fail "1:2: $(cline "$ns" 1:2)"
	[ "$(cline "$ns" 1:3)" = "class st2110 1:3 root $V6_SHOW " ] || fail "1:3: $(cline "$ns" 1:3)"
	[ "$(cline "$ns" 1:4)" = "class st2110 1:4 root $UNPACED_OPTS unpaced " ] ||
		fail "1:4: $(cline "$ns" 1:4)"
	expect_rc 0 t "$ns" class del dev v0 classid 1:2
	cline "$ns" 1:2 && fail "1:2 still there"
	[ "$(nlines "$(cshow "$ns")" 'class st2110*')" = 3 ] || fail "count after del"
}

class_change()
{
	local ns

	ns=$(ns cc) || fail "netns"
	class_setup "$ns" || fail "class add"
	expect_rc 0 t "$ns" class change dev v0 parent 1: classid 1:1 st2110 lead 2 limit 9 type W
	[ "$(cline "$ns" 1:1)" = "class st2110 1:1 root dst 239.1.1.1 port 5004 src 10.0.0.1 limit 9 video 1920x1080p50 sampling YCbCr-4:2:2 depth 10 packing gpm type W troffset default lead 2 rtp follow " ] ||
		fail "after change: $(cline "$ns" 1:1)"
	expect_rc 0 t "$ns" class change dev v0 parent 1: classid 1:1 st2110 video 1280x720p50 depth 8
	[[ $(cline "$ns" 1:1) == *'video 1280x720p50 sampling YCbCr-4:2:2 depth 8 packing gpm type W'* ]] ||
		fail "format change: $(cline "$ns" 1:1)"
	expect_rc 0 t "$ns" class change dev v0 parent 1: classid 1:1 st2110 unpaced
	[ "$(cline "$ns" 1:1)" = "class st2110 1:1 root dst 239.1.1.1 port 5004 src 10.0.0.1 limit 9 unpaced " ] ||
		fail "unpaced: $(cline "$ns" 1:1)"
	expect_rc 0 t "$ns" class change dev v0 parent 1: classid 1:4 st2110 audio 48000:2:L16:1ms
	[[ $(cline "$ns" 1:4) == *'audio 48000:2:L16:1ms type N troffset default lead default rtp follow'* ]] ||
		fail "format on an unpaced class: $(cline "$ns" 1:4)"
}

class_rejections()
{
	local ns before a

	ns=$(ns cr) || fail "netns"
	class_setup "$ns" || fail "class add"
	before=$(state "$ns")
	# the plugin refuses: exit 1
	while read -r a; do
		# shellcheck disable=SC2086
		expect_rc 1 t "$ns" class add dev v0 parent 1: classid 1:9 st2110 $a
		has "$TMP/err" 'st2110: |Usage' || fail "'$a': no message: $(cat "$TMP/err")"
		[ "$(state "$ns")" = "$before" ] || fail "'$a' changed something"
	done <<-EOF
		video 1080p50
		dst 239.1.1.9 video 1080p50
		dst 239.1.1.9 port 0 video 1080p50
		dst 239.1.1.9 port 65536
		dst 239.1.1.300 port 5000
		dst 239.1.1.9 port 5000 src 2001:db8::1
		dst 239.1.1.9 port 5000 video 1080p50 audio 48000:2:L24:1ms
		dst 239.1.1.9 port 5000 video 1080x50
		dst 239.1.1.9 port 5000 video 1081p50
		dst 239.1.1.9 port 5000 video 1080p50 sampling YCbCr-4:2:3
		dst 239.1.1.9 port 5000 video 1080p50 depth 9
		dst 239.1.1.9 port 5000 video 1080p50 packing xpm
		dst 239.1.1.9 port 5000 depth 10
		dst 239.1.1.9 port 5000 video 1080p50 type X
		dst 239.1.1.9 port 5000 video 1080p50 lead 100000
		dst 239.1.1.9 port 5000 audio 48000:2:L20:1ms
		dst 239.1.1.9 port 5000 audio 44100:2:L24:1ms
		dst 239.1.1.9 port 5000 audio 48000:0:L24:1ms
		dst 239.1.1.9 port 5000 audio 48000:2:L24
		dst 239.1.1.9 port 5000 type N
		dst 239.1.1.9 port 5000 frobnicate 1
		dst 239.1.1.9 port 5000 limit
	EOF
	# the kernel refuses: exit 2, with its extack
	# shellcheck disable=SC2086
	expect_rc 2 t "$ns" class add dev v0 parent 1: classid 1:9 st2110 $VIDEO_OPTS
	has "$TMP/err" 'Error' || fail "duplicate match: no extack: $(cat "$TMP/err")"
	expect_rc 2 t "$ns" class add dev v0 parent 1: classid 1:9 st2110 dst 239.1.1.9 port 5000 audio 48000:2:L24:1ms troffset 1000000
	has "$TMP/err" 'Error: Audio TROFFSET must be less than the packet time' ||
		fail "audio troffset: no extack: $(cat "$TMP/err")"
	[ "$(state "$ns")" = "$before" ] || fail "kernel rejection left something"
}

class_stats()
{
	local ns

	ns=$(ns cs) || fail "netns"
	class_setup "$ns" || fail "class add"
	t "$ns" -s class show dev v0 classid 1:1 >"$TMP/s" || fail "tc -s class show"
	grep -q '^ matched 0 filtered 0 paced 0 paced_bytes 0 frames 0 drops 0$' "$TMP/s" ||
		fail "class xstats: $(cat "$TMP/s")"
	grep -q 'npackets 4320 lead 3$' "$TMP/s" || fail "npackets/lead in use: $(cat "$TMP/s")"
	grep -q '^ egress frames 0 cinst_peak 0 vrx 0\.\.0 over_cmax 0 over_vrxfull 0 vrx_underflow 0$' "$TMP/s" ||
		fail "egress figures: $(cat "$TMP/s")"
	t "$ns" -s qdisc show dev v0 >"$TMP/s" || fail "tc -s qdisc show"
	grep -q ' streams 4 ' "$TMP/s" || fail "qdisc xstats: $(cat "$TMP/s")"
	# the st2110 tool reads the same counters
	st "$ns" -s stream show dev v0 classid 1:1 >"$TMP/s" || fail "st2110 -s stream show"
	grep -q 'npackets 4320 lead 3$' "$TMP/s" || fail "st2110 -s: $(cat "$TMP/s")"
	grep -q '^    egress frames 0 cinst peak 0 vrx 0\.\.0 over cmax 0 vrxfull 0 vrx underflow 0$' "$TMP/s" ||
		fail "st2110 -s egress: $(cat "$TMP/s")"
	st "$ns" -j -s stream show dev v0 classid 1:1 >"$TMP/s.json" || fail "st2110 -j -s stream show"
	pyjson "$TMP/s.json" '
x = (j[0] if isinstance(j, list) else j["streams"][0])["xstats"]
for k in ("egress_frames", "egress_cinst_peak_pkts", "egress_vrx_min_pkts", "egress_vrx_peak_pkts",
          "egress_frames_over_cmax", "egress_frames_over_vrx", "egress_frames_vrx_under"):
    assert x[k] == 0, (k, x)
' || fail "st2110 -j -s egress: $(cat "$TMP/s.json")"
}

class_json()
{
	local ns

	ns=$(ns cj) || fail "netns"
	class_setup "$ns" || fail "class add"
	t "$ns" -j -s class show dev v0 >"$TMP/c.json" || fail "tc -j class show"
	if ! python3 -m json.tool "$TMP/c.json" >/dev/null 2>&1; then
		# iproute2 6.1's "tc class show" has no JSON output at all
		if tc -V | grep -q 'iproute2-6\.1\.'; then
			echo "iproute2 6.1 tc prints no JSON for classes" >"$TMP/skip"
			exit 4
		fi
		fail "not JSON: $(head -c 300 "$TMP/c.json")"
	fi
	pyjson "$TMP/c.json" '
c = [x for x in j if x.get("handle") == "1:1"][0]
o = c["options"]
assert o["dst"] == "239.1.1.1" and o["port"] == 5004 and o["video"]["width_px"] == 1920, o
'  || fail "JSON content: $(cat "$TMP/c.json")"
	t "$ns" -j -s class show dev v0 >"$TMP/c.json" || fail "tc -j -s class show"
	pyjson "$TMP/c.json" '
c = [x for x in j if x.get("handle") == "1:1"][0]
def find(o):	# the plugin prints into the object tc opened for it
    if isinstance(o, dict):
        if "egress_frames" in o:
            return o
        for v in o.values():
            r = find(v)
            if r is not None:
                return r
    return None
x = find(c)
assert x is not None, c
for k in ("egress_frames", "egress_cinst_peak_pkts", "egress_vrx_min_pkts", "egress_vrx_peak_pkts",
          "egress_frames_over_cmax", "egress_frames_over_vrx", "egress_frames_vrx_under"):
    assert x[k] == 0, (k, x)
' || fail "JSON xstats: $(head -c 600 "$TMP/c.json")"
}

# sdp_same A B: the streams of SDP files A and B carry the same comparable
# fields, as the parser reads them, and A has some; prints "same", or
# "differ" and both lists.  One st2110 run reads both files, one jq run
# compares them (jq rather than python: it starts in a fraction of the
# time under TCG).
sdp_same()
{
	printf 'sdp show "%s"\nsdp show "%s"\n' "$1" "$2" |
		"$ST" -j -batch - 2>/dev/null | jq -rs '
		def fields: [.streams[] |
			[.media, .dst, .port, (.source_filter.sources[0] // "-")] +
			(if .video then [.video.width, .video.height, .video.exactframerate,
					 .video.scan, .video.sampling, .video.depth, .video.pm,
					 .video.tp, .video.timing.troffset_ns,
					 .video.timing.npackets] else [] end) +
			(if .audio then [.audio.encoding, .audio.rate_hz, .audio.channels,
					 .audio.samples_per_pkt] else [] end) |
			map(tostring) | join(" ")] | sort;
		(.[0] // {streams: []} | fields) as $a |
		(.[1] // {streams: []} | fields) as $b |
		if length == 2 and ($a | length) > 0 and $a == $b then "same"
		else "differ", "A: \($a | join("; "))", "B: \($b | join("; "))" end'
}


# expected verdict of each shared SDP file: "ok N" (streams) or "bad LINE"
sdp_expect()
{
	case ${1##*/} in
	01_*) echo "ok 1" ;; 02_*) echo "ok 1" ;; 03_*) echo "ok 2" ;;
	04_*) echo "bad 5" ;;	# ST 2110-40 ANC: no ST 2110-21 schedule
	05_*) echo "ok 1" ;; 06_*) echo "ok 2" ;;
	07_*) echo "bad 12" ;;	# 16 ch L24 1 ms: over the 1460-byte UDP limit
	08_*) echo "ok 1" ;;
	09_*) echo "bad 11" ;;	# folded fmtp (Documentation/sdp.md)
	10_*) echo "ok 2" ;; 11_*) echo "ok 2" ;; 12_*) echo "ok 1" ;; 13_*) echo "ok 1" ;;
	*) echo "unknown" ;;
	esac
}

stream_sdp_files()
{
	local ns f exp want before after out nf=0

	ns=$(ns sf) || fail "netns"
	for f in "$SDPDIR"/*.sdp; do
		nf=$((nf + 1))
		exp=$(sdp_expect "$f")
		case $exp in
		ok*)
			want=${exp#ok }
			expect_rc 0 st "$ns" stream add dev v0 sdp "$f"
			[ "$(nlines "$(cshow "$ns")" 'class st2110*')" = "$want" ] ||
				fail "$f: want $want classes: $(cshow "$ns")"
			# every class carries what the file says (as the parser reads it)
			st "$ns" stream show dev v0 sdp >"$TMP/rt.sdp" || fail "$f: show sdp"
			out=$(sdp_same "$f" "$TMP/rt.sdp")
			[ "$out" = same ] || fail "$f: parameters differ: $out"
			# a DUP pair is two streams, and the tool says so
			if [ "$want" = 2 ] && has "$f" 'a=group:DUP'; then
				has "$TMP/err" 'a=group:DUP: each ST 2022-7 leg is a stream of its own' ||
					fail "$f: DUP not reported: $(cat "$TMP/err")"
			fi
			expect_rc 0 st "$ns" stream del dev v0 sdp "$f"
			;;
		bad*)
			before=$(state "$ns")
			want=${exp#bad }
			expect_rc 1 st "$ns" stream add dev v0 sdp "$f"
			has "$TMP/err" "${f##*/}:$want: " ||
				fail "$f: error does not name line $want: $(cat "$TMP/err")"
			;;
		*) fail "$f: no expectation for this file" ;;
		esac
		# one tc run: the qdisc lines, then the class lines
		after=$(state "$ns")
		[ "$(nlines "$after" 'qdisc *st2110*')" -le 1 ] || fail "$f: extra qdiscs: $after"
		[ "$(nlines "$after" '?*')" = "$(nlines "$after" 'qdisc *')" ] ||
			fail "$f: classes left: $after"
		# a failed add must not leave the root qdisc it created
		[ "${exp%% *}" = bad ] && [ "$after" != "$before" ] &&
			fail "$f: rejected but the device changed: $after"
	done
	[ "$nf" -ge 13 ] || fail "only $nf SDP files in $SDPDIR"
	echo "# $nf SDP files: each loaded with its parameters or rejected at its line"
}

# batch_fail FILE: the line of batch FILE that st2110 reported failing
batch_fail()
{
	local n

	n=$(sed -n 's/^Command failed [^:]*:\([0-9]*\)$/\1/p' "$TMP/err")
	[ -z "$n" ] || sed -n "${n}p" "$1"
}

stream_sdp_roundtrip()
{
	local ns f c l cls=() files=() i=-1

	ns=$(ns sr) || fail "netns"
	# (each loop is one st2110 -batch run: a program start per command
	# is what costs under TCG)
	for f in "$SDPDIR"/0[1235]*.sdp "$SDPDIR"/1[0-3]*.sdp; do
		echo "stream add dev v0 sdp \"$f\""
	done >"$TMP/b.add"
	expect_rc 0 st "$ns" -batch "$TMP/b.add"
	# 11 streams: more than one SDP holds, so one per class
	while read -r _ _ c _; do
		cls+=("$c")
	done <<<"$(cshow "$ns")"
	for c in "${cls[@]}"; do
		echo "stream show dev v0 classid $c sdp"
	done >"$TMP/b.show"
	st "$ns" -batch "$TMP/b.show" >"$TMP/all.sdp" 2>"$TMP/err" ||
		fail "show sdp: $(batch_fail "$TMP/b.show"): $(cat "$TMP/err")"
	# one SDP per class, each starting at its v=0 line (lines end in CRLF)
	while IFS= read -r l; do
		if [ "$l" = $'v=0\r' ]; then
			i=$((i + 1))
			files+=("$TMP/rt-${cls[$i]:-extra}.sdp")
			: >"${files[$i]}"
		fi
		[ "$i" -ge 0 ] || fail "show sdp: no v=0 first: $l"
		printf '%s\n' "$l" >>"${files[$i]}"
	done <"$TMP/all.sdp"
	[ "${#files[@]}" = "${#cls[@]}" ] ||
		fail "${#files[@]} SDPs for ${#cls[@]} classes: $(cat "$TMP/all.sdp")"
	"$ST" sdp check "${files[@]}" >"$TMP/out" 2>&1 || fail "sdp check: $(cat "$TMP/out")"
	has "$TMP/out" warning && fail "written SDP draws warnings: $(cat "$TMP/out")"
	# and each loads back as the same stream
	for i in "${!cls[@]}"; do
		echo "stream del dev v0 classid ${cls[$i]}"
		echo "stream add dev v0 sdp ${files[$i]} classid ${cls[$i]}"
	done >"$TMP/b.readd"
	st "$ns" -batch "$TMP/b.readd" >/dev/null 2>"$TMP/err" ||
		fail "del, re-add from its own SDP: $(batch_fail "$TMP/b.readd"): $(cat "$TMP/err")"
	st "$ns" -batch "$TMP/b.show" >"$TMP/all2.sdp" 2>"$TMP/err" ||
		fail "show sdp after the round trip: $(cat "$TMP/err")"
	cmp -s "$TMP/all.sdp" "$TMP/all2.sdp" ||
		fail "SDP changed over a round trip: $(diff "$TMP/all.sdp" "$TMP/all2.sdp")"
	expect_rc 1 st "$ns" stream show dev v0 sdp
	has "$TMP/err" 'more than 8 streams' || fail "no message for >8 streams: $(cat "$TMP/err")"
}

stream_cli()
{
	local ns out

	ns=$(ns cli) || fail "netns"
	# no qdisc yet: add creates the root st2110 qdisc and picks 1:1, 1:2
	expect_rc 0 st "$ns" stream add dev v0 group 239.2.2.1 port 5000 video 1280x720p50 type NL lead 2
	grep -q '^stream 1:1 dev v0$' "$TMP/out" || fail "add: $(cat "$TMP/out")"
	[[ $'\n'$(qshow "$ns") == *$'\nqdisc st2110 1: root'* ]] || fail "no root qdisc: $(qshow "$ns")"
	expect_rc 0 st "$ns" stream add dev v0 group 239.2.2.2 port 5000 src 10.1.1.1 audio 48000:2:L24:1ms
	grep -q '^stream 1:2 dev v0$' "$TMP/out" || fail "second add: $(cat "$TMP/out")"
	expect_rc 0 st "$ns" stream add dev v0 group ff3e::9 port 5002 video 576i50 classid 1:20 limit 30
	out=$(st "$ns" stream show dev v0)
	[ "$out" = "stream 1:1 dev v0 group 239.2.2.1 port 5000 video 1280x720p50 sampling YCbCr-4:2:2 depth 10 packing gpm type NL troffset default lead 2 rtp follow limit 0
stream 1:2 dev v0 group 239.2.2.2 port 5000 src 10.1.1.1 audio 48000:2:L24:1ms type N troffset default lead default rtp follow limit 0
stream 1:20 dev v0 group ff3e::9 port 5002 video 720x576i50 sampling YCbCr-4:2:2 depth 10 packing gpm type N troffset default lead default rtp follow limit 30" ] ||
		fail "show: $out"
	# tc sees the same classes
	[[ $(cline "$ns" 1:1) == *'dst 239.2.2.1 port 5000 limit 0 video 1280x720p50'* ]] ||
		fail "tc: $(cshow "$ns")"
	# the next free minor after 1:1, 1:2 is 1:3
	expect_rc 0 st "$ns" stream add dev v0 group 239.2.2.3 port 5000 audio 96000:4:L24:125us
	grep -q '^stream 1:3 dev v0$' "$TMP/out" || fail "free minor: $(cat "$TMP/out")"
	# change by classid and by group/port
	expect_rc 0 st "$ns" stream change dev v0 classid 1:1 type W troffset 1000000 limit 8
	st "$ns" stream show dev v0 classid 1:1 | grep -q 'type W troffset 1000000 lead 2 rtp follow limit 8$' ||
		fail "change: $(st "$ns" stream show dev v0 classid 1:1)"
	expect_rc 0 st "$ns" stream change dev v0 group 239.2.2.2 port 5000 src 10.1.1.1 unpaced
	st "$ns" stream show dev v0 classid 1:2 | grep -q 'src 10.1.1.1 unpaced limit 0$' ||
		fail "unpaced: $(st "$ns" stream show dev v0 classid 1:2)"
	# JSON, stats, periodic output
	st "$ns" -j -s stream show dev v0 >"$TMP/j" || fail "-j -s"
	pyjson "$TMP/j" '
assert len(j) == 4, j
s = [x for x in j if x["classid"] == "1:1"][0]
assert s["video"]["width_px"] == 1280 and s["type"] == "W" and s["troffset_ns"] == 1000000, s
assert s["xstats"]["lead_pkts"] == 2 and len(s["xstats"]["release_err_hist"]) == 32, s
assert [x for x in j if x["classid"] == "1:2"][0]["unpaced"] is True
' || fail "JSON: $(cat "$TMP/j")"
	st "$ns" -s stream show dev v0 classid 1:3 -i 1 count 2 >"$TMP/i" || fail "-i"
	[ "$(grep -c '^stream 1:3' "$TMP/i")" = 2 ] || fail "-i 1 count 2: $(cat "$TMP/i")"
	# show without dev finds the device; abbreviations work
	st "$ns" str sh | grep -q '^stream 1:20 dev v0 group ff3e::9' || fail "st2110 str sh"
	# del by classid, by group/port
	expect_rc 0 st "$ns" stream del dev v0 classid 1:20
	expect_rc 0 st "$ns" stream del dev v0 group 239.2.2.3 port 5000
	[ "$(st "$ns" stream show dev v0 | wc -l)" = 2 ] || fail "after del: $(st "$ns" stream show)"
	# batch mode
	printf 'stream del dev v0 classid 1:1\nstream del dev v0 classid 1:2\n' >"$TMP/batch"
	expect_rc 0 st "$ns" -batch "$TMP/batch"
	[ -z "$(cshow "$ns")" ] || fail "batch del: $(cshow "$ns")"
}

stream_interval()
{
	local ns pid rc

	ns=$(ns iv) || fail "netns"
	ip -n "$ns" addr add 10.9.0.1/24 dev v0 || fail "addr"
	expect_rc 0 st "$ns" stream add dev v0 group 239.9.9.9 port 5009 unpaced classid 1:1
	ip netns exec "$ns" "$ST" -s -j stream show dev v0 -i 1 >"$TMP/iv" 2>"$TMP/iv.err" &
	pid=$!
	wait_line "$TMP/iv" '.[0].stats.packets == 0' || fail "no first sample: $(cat "$TMP/iv" "$TMP/iv.err")"
	# 50 datagrams after the first sample: the deltas after it add up to 50
	ip netns exec "$ns" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.9.0.1"))
for i in range(50):
    s.sendto(bytes(100), ("239.9.9.9", 5009))
' || fail "send"
	wait_line "$TMP/iv" '.[0].stats.packets == 50' || fail "50 packets never counted: $(tail -3 "$TMP/iv")"
	# the class re-created: its counters go back to 0, a "reset", not a huge delta
	st "$ns" stream del dev v0 classid 1:1 >/dev/null || fail "del"
	st "$ns" stream add dev v0 group 239.9.9.9 port 5009 unpaced classid 1:1 >/dev/null || fail "re-add"
	wait_line "$TMP/iv" '.[0].delta.reset == true and .[0].stats.packets == 0' ||
		fail "no reset after re-creating the class: $(tail -3 "$TMP/iv")"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || fail "SIGTERM: exit $rc: $(cat "$TMP/iv.err")"
	python3 -c '
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 3, lines
first = json.loads(lines[0])[0]
assert "delta" not in first and "interval_ns" not in first, first
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["time"]), first
total = {"packets": 0, "bytes": 0}
xsum = 0
for l in lines[1:]:
    arr = json.loads(l)
    if not arr:
        continue        # the class was away for this sample
    s = arr[0]
    d = s["delta"]
    assert s["interval_ns"] > 0 and re.fullmatch(r"[-0-9T:.]+Z", s["time"]), s
    if d.get("reset"):
        assert d["stats"]["packets"] == s["stats"]["packets"], s
        break
    for k in total:
        total[k] += d["stats"][k]
    xsum += d["xstats"]["matched_pkts"]
    # the rates are the deltas over the time that passed
    assert d["rate_pps"] == d["stats"]["packets"] * 10**9 // s["interval_ns"], s
    assert d["rate_bps"] == d["stats"]["bytes"] * 8 * 10**9 // s["interval_ns"], s
    last = s
assert total["packets"] == 50 == last["stats"]["packets"], (total, last)
assert total["bytes"] == last["stats"]["bytes"] >= 50 * 100, (total, last)
assert xsum == last["xstats"]["matched_pkts"], (xsum, last)
' "$TMP/iv" || fail "samples: $(cat "$TMP/iv")"
	# text: the first sample is the totals of show -s, the next one the deltas
	st "$ns" -s stream show dev v0 classid 1:1 -i 1 count 2 >"$TMP/ivt" || fail "text -i"
	st "$ns" -s stream show dev v0 classid 1:1 >"$TMP/once" || fail "-s"
	head -n "$(wc -l <"$TMP/once")" "$TMP/ivt" | sed 's/ backlog.*//' >"$TMP/a"
	sed 's/ backlog.*//' "$TMP/once" | cmp -s - "$TMP/a" || fail "first sample is not show -s: $(cat "$TMP/ivt")"
	grep -Eq '^time [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z interval [0-9]+\.[0-9]{3}s$' "$TMP/ivt" ||
		fail "no time line: $(cat "$TMP/ivt")"
	grep -Eq '^stream 1:1 dev v0: 0 pkt/s 0 bit/s bytes \+0 packets \+0 dropped \+0 overlimits \+0 backlog 0b 0p$' "$TMP/ivt" ||
		fail "no delta line: $(cat "$TMP/ivt")"
	grep -Eq '^    egress_frames \+0 over_cmax \+0 vrxfull \+0 vrx_underflow \+0$' "$TMP/ivt" ||
		fail "no egress deltas: $(cat "$TMP/ivt")"
}

stream_bad_args()
{
	local ns before a

	ns=$(ns ba) || fail "netns"
	st "$ns" stream add dev v0 group 239.3.3.1 port 5000 video 1080p50 >/dev/null || fail "setup"
	before=$(state "$ns")
	while read -r a; do
		# shellcheck disable=SC2086
		expect_rc 2 st "$ns" stream $a
		has "$TMP/err" 'Error|unknown|not complete' || fail "'$a': no message: $(cat "$TMP/err")"
		[ "$(state "$ns")" = "$before" ] || fail "'$a' changed something"
	done <<-EOF
		frobnicate
		add
		add dev
		add group 239.3.3.2 port 5000 video 1080p50
		add dev v0 video 1080p50
		add dev v0 group 239.3.3.2 video 1080p50
		add dev v0 group 239.3.3.2 port 5000 video 1080p51.5x
		add dev v0 group 239.3.3.2 port 5000 video 1080p50 audio 48000:2:L24:1ms
		add dev v0 group 239.3.3.2 port 5000 video 1080p50 type Q
		add dev v0 group 239.3.3.2 port 5000 video 1080p50 classid 1
		add dev v0 group 239.3.3.2 port 5000 video 1080p50 classid 1:0
		add dev v0 group 239.3.3.2 port 5000 video 1080p50 bogus 3
		add dev v0 group 239.3.3.2 port 5000 sampling RGB
		add dev v0 sdp $SDPDIR/05_pilist_1080p50_TPN.sdp group 239.1.1.1
		add dev v0 sdp $SDPDIR/05_pilist_1080p50_TPN.sdp media 0
		add dev v0 sdp $SDPDIR/05_pilist_1080p50_TPN.sdp media 2
		add dev v0 sdp $SDPDIR/06_pilist_1080p50_TPN_DUP_2022-7.sdp classid 1:7
		change dev v0 classid 1:1
		change dev v0 lead 2
		change dev v0 classid 1:1 troffset soon
		del dev v0
		del dev v0 classid 1:1 group 239.3.3.1 port 5000
		del dev v0 classid 1:1 video 1080p50
		show frob
		show sdp
		show dev v0 -i 0
		show dev v0 count 2
	EOF
}

stream_runtime_errors()
{
	local ns before

	ns=$(ns re) || fail "netns"
	# a device that does not exist
	expect_rc 1 st "$ns" stream add dev nosuch0 group 239.4.4.1 port 5000 video 1080p50
	has "$TMP/err" 'cannot find device' || fail "no device: $(cat "$TMP/err")"
	# kernel refusal on a fresh device: the root qdisc the add made goes too
	before=$(state "$ns")
	expect_rc 1 st "$ns" stream add dev v0 group 239.4.4.1 port 5000 audio 48000:2:L24:1ms troffset 1000000
	has "$TMP/err" 'Error: adding the stream class: .*Audio TROFFSET must be less than the packet time' ||
		fail "audio troffset: $(cat "$TMP/err")"
	[ "$(state "$ns")" = "$before" ] || fail "failed add left: $(state "$ns")"
	# the same stream twice
	st "$ns" stream add dev v0 group 239.4.4.1 port 5000 video 1080p50 >/dev/null || fail "add"
	before=$(state "$ns")
	expect_rc 1 st "$ns" stream add dev v0 group 239.4.4.1 port 5000 audio 48000:2:L24:1ms
	has "$TMP/err" 'already stream 1:1' || fail "duplicate: $(cat "$TMP/err")"
	expect_rc 1 st "$ns" stream change dev v0 classid 1:9 lead 1
	expect_rc 1 st "$ns" stream del dev v0 group 239.4.4.9 port 5000
	has "$TMP/err" 'no such stream' || fail "del missing: $(cat "$TMP/err")"
	expect_rc 1 st "$ns" stream add dev v0 group 239.4.4.2 port 5000 video 1080p50 classid 2:1
	[ "$(state "$ns")" = "$before" ] || fail "runtime errors changed something"
	# a root qdisc somebody configured is not replaced
	t "$ns" qdisc add dev v1 root handle 5: pfifo limit 10 || fail "pfifo"
	expect_rc 1 st "$ns" stream add dev v1 group 239.4.4.1 port 5000 video 1080p50
	has "$TMP/err" 'not st2110' || fail "foreign root: $(cat "$TMP/err")"
	t "$ns" qdisc show dev v1 | grep -q '^qdisc pfifo 5: root' || fail "pfifo replaced"
}

non_root()
{
	local ns before nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"

	command -v setpriv >/dev/null || { echo "setpriv missing" >"$TMP/skip"; exit 4; }
	ns=$(ns nr) || fail "netns"
	st "$ns" stream add dev v0 group 239.5.5.1 port 5000 video 1080p50 >/dev/null || fail "setup"
	before=$(state "$ns")
	# shellcheck disable=SC2086
	ip netns exec "$ns" $nobody "$ST" stream add dev v0 group 239.5.5.2 port 5000 video 1080p50 \
		>"$TMP/out" 2>"$TMP/err"
	[ $? = 1 ] || fail "unprivileged add: exit status $?"
	has "$TMP/err" 'Operation not permitted' || fail "unprivileged add: $(cat "$TMP/err")"
	# shellcheck disable=SC2086
	ip netns exec "$ns" $nobody "$ST" stream del dev v0 classid 1:1 >/dev/null 2>"$TMP/err" &&
		fail "unprivileged del succeeded"
	# shellcheck disable=SC2086
	ip netns exec "$ns" $nobody env TC_LIB_DIR="$B" tc class change dev v0 parent 1: \
		classid 1:1 st2110 limit 3 2>"$TMP/err" && fail "unprivileged tc succeeded"
	[ "$(state "$ns")" = "$before" ] || fail "unprivileged calls changed something"
	# reading needs no privilege
	# shellcheck disable=SC2086
	ip netns exec "$ns" $nobody "$ST" stream show dev v0 | grep -q '^stream 1:1 ' ||
		fail "unprivileged show"
}

completion()
{
	local ns bc=/usr/share/bash-completion/bash_completion
	local cs=$TOP/userspace/st2110/completion/st2110

	[ -r "$bc" ] || { echo "bash-completion not installed" >"$TMP/skip"; exit 4; }
	ns=$(ns comp) || fail "netns"
	st "$ns" stream add dev v0 group 239.6.6.1 port 5000 video 1080p50 classid 1:5 >/dev/null ||
		fail "setup"
	cat >"$TMP/comp.sh" <<-EOF
		source $bc
		source $cs
		PATH=$(dirname "$ST"):\$PATH
		comp() {
			COMP_WORDS=("\$@"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1))
			COMP_LINE="\$*"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=()
			_st2110; echo "\${COMPREPLY[*]}"
		}
		comp st2110 ""
		comp st2110 stream ""
		comp st2110 stream add dev v
		comp st2110 stream del dev v0 classid ""
		comp st2110 -s stream show ""
		comp st2110 stream add dev v0 type ""
		comp st2110 stream add dev v0 sdp $SDPDIR/05
		comp st2110 -s flow show ""
		comp st2110 flow show -i ""
	EOF
	ip netns exec "$ns" bash "$TMP/comp.sh" >"$TMP/c" 2>&1 || fail "completion script: $(cat "$TMP/c")"
	printf '%s\n' "sdp stream ptp xdp route flow monitor help" "add change del show help" "v0 v1" "1:5" \
		"dev classid sdp -i count" "N NL W" "$SDPDIR/05_pilist_1080p50_TPN.sdp" \
		"dev group port -i count" "" >"$TMP/want"
	diff "$TMP/want" "$TMP/c" >"$TMP/d" || fail "completion differs: $(cat "$TMP/d")"
}

for tn in "${TESTS[@]}"; do
	start=$SECONDS
	f0=$(forks)
	(
		"$tn"
	) >"$TMP/log" 2>&1
	rc=$?
	netns_del_prefix "$P"
	cost="$tn took $((SECONDS - start)) s, $(($(forks) - f0)) processes"
	result "$rc" "$tn" "$(cat "$TMP/skip" 2>/dev/null)"
	rm -f "$TMP/skip"
	[ "$rc" = 0 ] || as_comment "$TMP/log"
	[ "$rc" = 0 ] && grep '^#' "$TMP/log"
	echo "# $cost"
done

[ "$failed" = 0 ]
