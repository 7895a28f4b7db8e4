#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [KO_PATH] - the st2110 qdisc suite, one TAP 13 stream.
#
# Runs as root inside a Debian kernel that loads modules (the QEMU test bed:
#   selftests/vm/run-vm.sh --kernel 6.1 -- selftests/qdisc/run.sh
# ).  KO_PATH defaults to build/kmod/$(uname -r)/sch_st2110.ko; the helpers
# come from build/selftests/qdisc/ (make -C selftests/qdisc), the sender and
# the analyzer from build/ (make userspace).  Every test
# works in network namespaces of its own; the C program's TAP output is
# nested under its test line with a "# " prefix, as the kselftest runner does.
#
# Environment:
#   ST2110_ICOUNT=1   the guest runs under -icount (virtual time, 1 vCPU):
#                     the pacing tests then also assert timing (ST 2110-21
#                     Type N, no late packet); otherwise only function.
#                     run-vm.sh --icount --env ST2110_ICOUNT=1 -- ...
#   ST2110_QDISC_TESTS="t1 t2"   run only these tests (default: all; commas work too)
#   ST2110_QDISC_EXCLUDE=t1,t2   leave these out
#   ST2110_PACE_SECS  seconds of video per pacing run (default 2)
#   ST2110_AUDIO_SECS seconds of audio per audio run (default 1)
#   ST2110_PACE_KEEP=DIR  keep each pacing run's capture and reports there
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. "$TOP/selftests/lib/tap.sh"
. "$TOP/selftests/lib/netns.sh"
KVER=$(uname -r)
KO=${1:-${O:-$TOP/build}/kmod/$KVER/sch_st2110.ko}
BIN=${O:-$TOP/build}/selftests/qdisc
CTL=$BIN/st2110_ctl
SEND=$BIN/udp_send
P=st2110q$$			# namespace prefix
TESTS=(load_and_plain_tc netlink_contract traffic_counted classes_and_filters
       limit_overflow change_del_rmmod_under_traffic two_netns autoload
       format_options offload_refused offload_launchtime sender_behind_and_rtp_jumps monitor_events
       paced_overflow_del_rmmod paced_video paced_video_lead_vrx unpaced_video_fails
       paced_with_best_effort paced_video_gso paced_audio_1ms paced_audio_125us
       paced_audio_ipv6 multi_stream paced_video_restamp
       interlaced_video_restamp paced_video_restamp_ipv6 audio_restamp_slow
       audio_restamp_fast)
[ -z "${ST2110_QDISC_TESTS:-}" ] || read -r -a TESTS <<<"${ST2110_QDISC_TESTS//,/ }"
# ST2110_QDISC_EXCLUDE: tests another run covers (make check runs the
# pacing tests on 6.1 under icount, so its 6.1 TCG run leaves them out)
if [ -n "${ST2110_QDISC_EXCLUDE:-}" ]; then
	kept=()
	for t in "${TESTS[@]}"; do
		case ",${ST2110_QDISC_EXCLUDE}," in *",$t,"*) ;; *) kept+=("$t") ;; esac
	done
	TESTS=("${kept[@]}")
fi
ICOUNT=${ST2110_ICOUNT:-0}
PACE_SECS=${ST2110_PACE_SECS:-2}
AUDIO_SECS=${ST2110_AUDIO_SECS:-1}
STSEND=${O:-$TOP/build}/st2110-send
ANALYZE=${O:-$TOP/build}/st2110-analyze

echo "TAP version 13"
echo "1..${#TESTS[@]}"

tap_need_kmod
for f in "$CTL" "$SEND" "$BIN/st2110_nl" "$BIN/st2110_fmt"; do
	[ -x "$f" ] || { echo "Bail out! $f missing: make -C selftests/qdisc"; exit 1; }
done
[ -f "$KO" ] || { echo "Bail out! $KO missing: make -C selftests/qdisc kmod"; exit 1; }

# ---- helpers ---------------------------------------------------------------

cleanup() { netns_del_prefix "$P"; }
trap cleanup EXIT

# fail MSG: print why and end the test (each test runs in a subshell)
fail() { echo "FAIL: $*"; exit 1; }

# The module can go only when the last qdisc is released; namespaces are
# torn down asynchronously.
wait_unused()
{
	local i

	for i in $(seq 1 30); do
		[ "$(cat /sys/module/sch_st2110/refcnt 2>/dev/null || echo 0)" = 0 ] &&
			return 0
		sleep 1
	done
	return 1
}

load_module()
{
	grep -q '^sch_st2110 ' /proc/modules || insmod "$KO"
}

# Under TCG each program started costs 50-150 ms (a python3 about a
# second): the helpers start as few as they can (ip -batch, st2110_ctl -n,
# text picked apart in bash).
#
# pair NAME [ipv6]: netns NAME-tx (v0, 10.77.0.1) <-> NAME-rx (v1, 10.77.0.2).
# IPv6 stays off unless asked for, so that no ND/MLD packet adds to counts.
pair()
{
	local tx=$P-$1-tx rx=$P-$1-rx v6=${2:-} a6tx='' a6rx=''

	ip -batch - <<-EOF || return 1
		netns add $tx
		netns add $rx
		link add v0 netns $tx type veth peer name v1 netns $rx
	EOF
	if [ -z "$v6" ]; then
		ip netns exec "$tx" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/v0/disable_ipv6'
		ip netns exec "$rx" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/v1/disable_ipv6'
	else
		a6tx="addr add 2001:db8::1/64 dev v0 nodad"
		a6rx="addr add 2001:db8::2/64 dev v1 nodad"
	fi
	# (v0 is up before the route through it)
	ip -n "$tx" -batch - <<-EOF || return 1
		$a6tx
		addr add 10.77.0.1/24 dev v0
		link set v0 up
		route add 224.0.0.0/4 dev v0
	EOF
	ip -n "$rx" -batch - <<-EOF
		$a6rx
		addr add 10.77.0.2/24 dev v1
		link set v1 up
	EOF
}

# ctl NS ARGS...: st2110_ctl in NS
ctl() { local ns=$1; shift; "$CTL" -n "$ns" "$@"; }

# field KEY: the values of the "KEY value" lines on stdin
field()
{
	local k v

	while read -r k v _; do
		[ "$k" = "$1" ] && echo "$v"
	done
}

# val NS KEY [HANDLE]: one "key value" of st2110_ctl show
val()
{
	# shellcheck disable=SC2086 # no HANDLE: no word
	ctl "$1" show v0 ${3:-} | field "$2"
}

# cval NS CLASSID KEY: one "key value" of st2110_ctl class-show
cval()
{
	ctl "$1" class-show v0 "$2" | field "$3"
}

# tc_sent NS: packets in "Sent N bytes M pkt" of the st2110 qdisc, per tc
tc_sent()
{
	tc -n "$1" -s qdisc show dev v0 |
		awk '/^qdisc st2110/ { q = 1; next } /^qdisc/ { q = 0 }
		     q && $1 == "Sent" { print $4; exit }'
}

# send NS ARGS...: udp_send in NS, prints nothing, fails if it did
send() { local ns=$1; shift; ip netns exec "$ns" "$SEND" "$@" >/dev/null; }

# rx_pkts NS: rx_packets of v1 in NS, from "ip -s -o link" (the same
# counter as its sysfs statistics/rx_packets): the second number after RX:
rx_pkts()
{
	local w rx=0 n=0

	# shellcheck disable=SC2046 # words wanted
	for w in $(ip -n "$1" -s -o link show dev v1); do
		if [ "$rx" = 0 ]; then
			[ "$w" != RX: ] || rx=1
		elif [[ $w =~ ^[0-9]+$ ]]; then
			n=$((n + 1))
			[ "$n" = 2 ] && { echo "$w"; return 0; }
		fi
	done
	return 1
}

# eq WHAT GOT WANT
eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }

# ---- tests -----------------------------------------------------------------

# The module loads, carries both autoload names' alias, and plain tc (no
# plugin, no options) can add, show and delete the qdisc.
load_and_plain_tc()
{
	local tx=$P-plain-tx alias

	load_module || fail "insmod $KO"
	alias=$(modinfo -F alias "$KO")
	eq "alias" "$alias" "net-sch-st2110" || return 1
	pair plain || fail "veth setup"
	tc -n "$tx" qdisc add dev v0 root st2110 || fail "tc qdisc add"
	tc -n "$tx" qdisc show dev v0 | grep -q '^qdisc st2110 8001: root' ||
		fail "tc qdisc show: $(tc -n "$tx" qdisc show dev v0)"
	eq "limit" "$(val "$tx" limit_pkts)" 10000 || return 1
	tc -n "$tx" qdisc del dev v0 root || fail "tc qdisc del"
	! tc -n "$tx" qdisc show dev v0 | grep -q st2110 || fail "still there"
}

netlink_contract()
{
	local tx=$P-nl-tx

	load_module || fail "insmod"
	pair nl || fail "veth setup"
	ip netns exec "$tx" "$BIN/st2110_nl" v0
}

# Best-effort traffic through the qdisc: every packet counted once, by tc,
# by the xstats, and seen by the receiver.
traffic_counted()
{
	local tx=$P-cnt-tx rx=$P-cnt-rx n=500 rx0

	load_module || fail "insmod"
	pair cnt || fail "veth setup"
	tc -n "$tx" qdisc add dev v0 root st2110 || fail "tc qdisc add"
	rx0=$(rx_pkts "$rx")
	send "$tx" -n $n -l 1000 239.1.2.3 5000 || fail "udp_send"
	eq "tc Sent pkt" "$(tc_sent "$tx")" $n || return 1
	eq "enqueued_pkts" "$(val "$tx" enqueued_pkts)" $n || return 1
	eq "be_pkts" "$(val "$tx" be_pkts)" $n || return 1
	eq "stream_pkts" "$(val "$tx" stream_pkts)" 0 || return 1
	eq "dropped" "$(val "$tx" dropped)" 0 || return 1
	eq "receiver rx_packets" $(($(rx_pkts "$rx") - rx0)) $n
}

# Streams: class matches (IPv4 and IPv6, with and without source) pick the
# packets, unmatched ones go best effort, a tc filter overrides the matches,
# "tc -s class show" reports per stream, and a class a filter points at
# cannot be deleted.
classes_and_filters()
{
	local tx=$P-cls-tx out

	load_module || fail "insmod"
	pair cls v6 || fail "veth setup"
	ctl "$tx" qdisc add v0 handle 1: || fail "qdisc add"
	ctl "$tx" class add v0 1:1 dst 239.1.2.3 port 5004 ||
		fail "class 1:1"
	ctl "$tx" class add v0 1:2 dst 239.1.2.3 port 5006 \
		src 10.77.0.1 limit 500 || fail "class 1:2"
	ctl "$tx" class add v0 1:3 dst ff0e::10 port 5004 ||
		fail "class 1:3"
	# Same destination as 1:2 but no source: the source-specific one wins.
	ctl "$tx" class add v0 1:4 dst 239.1.2.3 port 5006 ||
		fail "class 1:4"

	send "$tx" -n 100 239.1.2.3 5004 || fail "send 5004"
	send "$tx" -n 50 -s 10.77.0.1 239.1.2.3 5006 || fail "send 5006"
	send "$tx" -n 30 239.1.2.3 5008 || fail "send 5008"
	send "$tx" -n 20 -I v0 ff0e::10 5004 || fail "send v6"

	eq "1:1 sent" "$(cval "$tx" 1:1 sent_pkts)" 100 || return 1
	eq "1:1 matched" "$(cval "$tx" 1:1 matched_pkts)" 100 || return 1
	eq "1:2 sent" "$(cval "$tx" 1:2 sent_pkts)" 50 || return 1
	eq "1:4 sent" "$(cval "$tx" 1:4 sent_pkts)" 0 || return 1
	eq "1:3 sent" "$(cval "$tx" 1:3 sent_pkts)" 20 || return 1
	eq "stream_pkts" "$(val "$tx" stream_pkts)" 170 || return 1
	# best effort: the 30 plus whatever IPv6 ND/MLD the stack sent
	[ "$(val "$tx" be_pkts)" -ge 30 ] || fail "be_pkts $(val "$tx" be_pkts) < 30"

	out=$(tc -n "$tx" -s class show dev v0 2>/dev/null)
	echo "$out" | grep -A1 '^class st2110 1:1 root' | grep -q 'bytes 100 pkt' ||
		fail "tc -s class show for 1:1: $out"
	echo "$out" | grep -A1 '^class st2110 1:2 root' | grep -q 'bytes 50 pkt' ||
		fail "tc -s class show for 1:2: $out"

	if ! tc -n "$tx" filter add dev v0 parent 1: protocol ip prio 1 u32 \
		match ip dport 5004 0xffff flowid 1:2 2>/dev/null; then
		echo "SKIP: no u32 classifier (cls_u32) in this kernel"
		return 4
	fi
	send "$tx" -n 40 239.1.2.3 5004 || fail "send 5004 with filter"
	eq "1:2 filtered" "$(cval "$tx" 1:2 filtered_pkts)" 40 || return 1
	eq "1:2 sent" "$(cval "$tx" 1:2 sent_pkts)" 90 || return 1
	eq "1:1 sent (filter wins)" "$(cval "$tx" 1:1 sent_pkts)" 100 || return 1

	out=$(ctl "$tx" class del v0 1:2 2>&1) &&
		fail "class 1:2 deleted under its filter"
	echo "$out" | grep -q "Class is in use by a tc filter" ||
		fail "class del: $out"
	tc -n "$tx" filter del dev v0 parent 1: prio 1 || fail "filter del"
	ctl "$tx" class del v0 1:2 || fail "class del"
	eq "streams" "$(val "$tx" streams)" 3 || return 1
	tc -n "$tx" qdisc del dev v0 root || fail "qdisc del with classes"
}

# A slow tbf above st2110 keeps packets in st2110: its limit drops the
# excess, counts every drop once, lowering the limit trims the queue, and
# deleting the qdisc with packets queued is clean.
limit_overflow()
{
	local tx=$P-lim-tx n=300 enq drops qlen qlen2 trimmed snap extra

	load_module || fail "insmod"
	pair lim || fail "veth setup"
	tc -n "$tx" qdisc add dev v0 root handle 1: tbf rate 1kbit burst 1600 \
		limit 100000 || { echo "SKIP: no tbf qdisc"; return 4; }
	ctl "$tx" qdisc add v0 parent 1:1 handle 10: limit 20 ||
		fail "st2110 under tbf"
	send "$tx" -n $n -l 200 239.1.2.3 5000 || fail "udp_send"

	enq=$(val "$tx" enqueued_pkts 10:)
	drops=$(val "$tx" dropped 10:)
	qlen=$(val "$tx" qlen 10:)
	echo "enqueued $enq dropped $drops qlen $qlen"
	eq "enqueued + dropped" $((enq + drops)) $n || return 1
	[ "$drops" -ge $((n - 40)) ] || fail "only $drops drops"
	eq "be_drops" "$(val "$tx" be_drops 10:)" "$drops" || return 1
	eq "limit_drops" "$(val "$tx" limit_drops 10:)" "$drops" || return 1
	[ "$qlen" -le 20 ] && [ "$qlen" -ge 10 ] || fail "qlen $qlen"

	ctl "$tx" qdisc change v0 parent 1:1 handle 10: limit 5 ||
		fail "change limit 5"
	# tbf keeps dequeuing meanwhile: check the books of one snapshot.
	# A packet tbf has peeked is dequeued by us but still in our qlen.
	snap=$(ctl "$tx" show v0 10:)
	get() { echo "$snap" | awk -v k="$1" '$1 == k { print $2 }'; }
	qlen2=$(get qlen)
	trimmed=$(($(get dropped) - drops))
	echo "after limit 5: qlen $qlen2, trimmed $trimmed, dequeued $(get dequeued_pkts)"
	[ "$qlen2" -le 5 ] || fail "qlen $qlen2 > 5 after the limit change"
	[ "$trimmed" -gt 0 ] || fail "nothing trimmed"
	extra=$(($(get dequeued_pkts) + qlen2 + trimmed - $(get enqueued_pkts)))
	[ "$extra" -ge 0 ] && [ "$extra" -le 1 ] ||
		fail "dequeued + qlen + trimmed - enqueued = $extra"
	eq "limit" "$(val "$tx" limit_pkts 10:)" 5 || return 1
	tc -n "$tx" qdisc del dev v0 root || fail "del with packets queued"
}

# Change, replace, delete and rmmod while a sender keeps the qdisc busy.
change_del_rmmod_under_traffic()
{
	local tx=$P-busy-tx pid i s1 s2 ref

	load_module || fail "insmod"
	pair busy || fail "veth setup"
	ctl "$tx" qdisc add v0 handle 1: || fail "qdisc add"
	ctl "$tx" class add v0 1:1 dst 239.1.2.3 port 5004 ||
		fail "class add"
	ip netns exec "$tx" "$SEND" -t 5 -i 500 239.1.2.3 5004 >/dev/null &
	pid=$!
	sleep 1
	s1=$(val "$tx" sent_pkts)
	for i in 1 2 3 4 5 6 7 8; do
		ctl "$tx" qdisc change v0 handle 1: limit $((i * 3)) slack $i ||
			{ kill $pid; fail "change $i"; }
	done
	ctl "$tx" qdisc replace v0 handle 1: limit 10000 ||
		{ kill $pid; fail "replace"; }
	s2=$(val "$tx" sent_pkts)
	[ "$s2" -gt "$s1" ] || { kill $pid; fail "no traffic: sent $s1 -> $s2"; }
	eq "class kept over changes" "$(cval "$tx" 1:1 port)" 5004 ||
		{ kill $pid; return 1; }

	if rmmod sch_st2110 2>/dev/null; then
		kill $pid
		fail "rmmod succeeded with the qdisc attached"
	fi
	tc -n "$tx" qdisc del dev v0 root || { kill $pid; fail "del under traffic"; }
	ref=$(cat /sys/module/sch_st2110/refcnt)
	rmmod sch_st2110 || { kill $pid; fail "rmmod after del (refcnt $ref)"; }
	wait $pid || fail "the sender failed"
	echo "sent $s1 -> $s2 while changing; deleted and unloaded under traffic"
	load_module || fail "insmod again"
}

# Two namespaces, one qdisc each, traffic in both at once: separate counts.
# Then the namespaces go away with traffic flowing and the qdiscs attached.
two_netns()
{
	local a=$P-nsa-tx b=$P-nsb-tx pa pb

	load_module || fail "insmod"
	pair nsa && pair nsb || fail "veth setup"
	tc -n "$a" qdisc add dev v0 root st2110 || fail "qdisc in a"
	tc -n "$b" qdisc add dev v0 root st2110 || fail "qdisc in b"
	send "$a" -n 200 239.1.2.3 5000 & pa=$!
	send "$b" -n 300 239.1.2.3 5000 & pb=$!
	wait $pa && wait $pb || fail "udp_send"
	eq "ns a sent" "$(tc_sent "$a")" 200 || return 1
	eq "ns b sent" "$(tc_sent "$b")" 300 || return 1

	# The senders see their device vanish: their errors are expected.
	ip netns exec "$a" "$SEND" -t 3 -i 500 239.1.2.3 5000 >/dev/null 2>&1 & pa=$!
	ip netns exec "$b" "$SEND" -t 3 -i 500 239.1.2.3 5000 >/dev/null 2>&1 & pb=$!
	sleep 1
	ip netns del "$a"; ip netns del "$b"
	ip netns del "$P-nsa-rx"; ip netns del "$P-nsb-rx"
	wait $pa; wait $pb
	wait_unused ||
		fail "module refcnt $(cat /sys/module/sch_st2110/refcnt) after the namespaces are gone"
}

# With the module installed, "tc qdisc add ... st2110" loads it by itself:
# the core asks for sch_st2110 before 6.9 and for net-sch-st2110 since.
# depmod over the whole Debian module tree takes minutes under TCG, so a
# scratch tree holding only this module is bound over /lib/modules/<kver>.
autoload()
{
	local tx=$P-auto-tx mods=/lib/modules/$KVER scratch name

	pair auto || fail "veth setup"
	scratch=$(mktemp -d) || fail "mktemp"
	mkdir -p "$scratch/extra" && cp "$KO" "$scratch/extra/" || fail "copy"
	cp "$mods"/modules.builtin* "$scratch/" 2>/dev/null
	: >"$scratch/modules.order"
	if ! mount --bind "$scratch" "$mods" 2>/dev/null; then
		echo "SKIP: cannot bind a module tree over $mods"
		return 4
	fi
	# shellcheck disable=SC2064 # expand now: the locals are gone at exit
	trap "umount '$mods'; rm -rf '$scratch'" EXIT
	depmod "$KVER" || fail "depmod"
	for name in sch_st2110 net-sch-st2110; do
		modprobe -n "$name" || fail "modprobe cannot resolve $name"
	done
	if grep -q '^sch_st2110 ' /proc/modules; then
		wait_unused && rmmod sch_st2110 || fail "rmmod"
	fi
	tc -n "$tx" qdisc add dev v0 root st2110 || fail "tc qdisc add did not autoload"
	grep -q '^sch_st2110 ' /proc/modules || fail "module not loaded"
	tc -n "$tx" qdisc del dev v0 root || fail "qdisc del"
}

# Stream formats: accepted and dumped back, bad ones refused with the
# timing core's reason (st2110_fmt computes the expected strings itself).
format_options()
{
	local tx=$P-fmt-tx

	load_module || fail "insmod"
	pair fmt || fail "veth setup"
	ip netns exec "$tx" "$BIN/st2110_fmt" v0
}

# pace_run NAME PACED [BE]: st2110-send bursts 640x360p50 through an
# st2110 qdisc whose class for the stream has the video format (PACED=1) or
# none; with BE=1 udp_send adds best-effort batches meanwhile.  tcpdump
# captures the stream on the receiver, st2110-analyze judges the capture.
# Leaves $PACE_DIR/{a.json,class.txt,send.json,qdisc.txt,be.txt}.
# PACE_FMT and PACE_VIDEO (st2110-send's --video and the class format)
# select another format; PACE_V6=1 sends to IPv6 multicast ff0e::2110:1.
PACE_FMT=640x360p50
PACE_VIDEO=640,360,0,50,1,2,10,0	# 640x360p50 YCbCr-4:2:2/10 GPM
pace_run()
{
	local name=$1 paced=$2 be=${3:-0} tx=$P-$1-tx rx=$P-$1-rx dump tai i bepid=
	local PACE_GROUP=239.10.0.1 v6=

	[ "${PACE_V6:-0}" = 0 ] || { PACE_GROUP=ff0e::2110:1; v6=v6; }

	for i in "$STSEND" "$ANALYZE"; do
		[ -x "$i" ] || { echo "SKIP: $i missing (make userspace)"; return 4; }
	done
	command -v tcpdump >/dev/null || { echo "SKIP: no tcpdump"; return 4; }
	load_module || fail "insmod"
	pair "$name" $v6 || fail "veth setup"
	# veth leaves the UDP checksum to an offload the receiver checks; UDP
	# GSO needs that offload (the segments' checksums stay partial then,
	# which the analyzer does not check)
	[ -n "${PACE_KEEP_CSUM:-}" ] ||
		ip netns exec "$tx" ethtool -K v0 tx off >/dev/null 2>&1
	PACE_DIR=$(mktemp -d) || fail "mktemp"
	# each test runs in a subshell of its own
	# shellcheck disable=SC2064
	trap "[ -z '${ST2110_PACE_KEEP:-}' ] || cp -r '$PACE_DIR' '${ST2110_PACE_KEEP:-}/$name'; rm -rf '$PACE_DIR'" EXIT
	ip netns exec "$tx" "$CTL" qdisc add v0 handle 1: || fail "qdisc add"
	PACE_RX0=$(rx_pkts "$rx")
	if [ "$paced" = 1 ]; then
		# shellcheck disable=SC2086 # PACE_CLASS_ARGS: words
		ip netns exec "$tx" "$CTL" class add v0 1:1 dst $PACE_GROUP \
			port 5004 video $PACE_VIDEO ${PACE_CLASS_ARGS:-} ||
			fail "class add (video)"
	else
		ip netns exec "$tx" "$CTL" class add v0 1:1 dst $PACE_GROUP \
			port 5004 || fail "class add (no format)"
	fi

	# PACE_MONITOR=1: st2110 monitor's events during the run, in mon.json
	if [ -n "${PACE_MONITOR:-}" ]; then
		ip netns exec "$tx" "${O:-$TOP/build}/st2110" -j monitor \
			>"$PACE_DIR/mon.json" 2>"$PACE_DIR/mon.err" &
		PACE_MON=$!
	fi
	# PACE_LISTEN=1 (IPv6): a socket joins the group on the receiver with a
	# socket filter that takes nothing, so the UDP stack verifies every
	# datagram's checksum (InCsumErrors) and then drops it (InErrors)
	# without a reader spending the guest's one vCPU
	if [ "${PACE_LISTEN:-0}" = 1 ]; then
		ip netns exec "$rx" python3 - "$PACE_GROUP" "$PACE_DIR" <<'PY' &
import ctypes, socket, struct, sys, time
grp, d = sys.argv[1], sys.argv[2]
def snmp():
    return {k: int(v) for k, v in (l.split() for l in open("/proc/net/snmp6")) if k.startswith("Udp6")}
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 5004))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
             socket.inet_pton(socket.AF_INET6, grp) + struct.pack("@I", socket.if_nametoindex("v1")))
prog = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0))	# BPF_RET|BPF_K 0
s.setsockopt(socket.SOL_SOCKET, 26, struct.pack("HxxxxxxL", 1, ctypes.addressof(prog)))	# SO_ATTACH_FILTER
before = snmp()
open(d + "/listen.ready", "w").close()
while not __import__("os").path.exists(d + "/listen.stop"):
    time.sleep(0.2)
after = snmp()
with open(d + "/listen.txt", "w") as f:
    for k in ("InDatagrams", "InErrors", "InCsumErrors"):
        f.write("%s %d\n" % (k, after["Udp6" + k] - before["Udp6" + k]))
PY
		for i in $(seq 100); do
			[ -e "$PACE_DIR/listen.ready" ] && break
			sleep 0.1
		done
		[ -e "$PACE_DIR/listen.ready" ] || fail "listener does not start"
	fi
	# -B: a 64 MB ring, so that the capture keeps up with a frame burst
	ip netns exec "$rx" tcpdump -q -n -i v1 --time-stamp-precision nano -B 65536 \
		-w "$PACE_DIR/rx.pcap" "udp and dst port 5004" 2>"$PACE_DIR/tcpdump.log" &
	dump=$!
	for i in $(seq 100); do
		grep -q listening "$PACE_DIR/tcpdump.log" 2>/dev/null && break
		sleep 0.1
	done
	# Writing a 720-packet burst takes the guest about 8 ms of CPU.
	# The watchdog's releases run in NET_TX softirq, which the kernel
	# hands to ksoftirqd under load: ksoftirqd must then preempt the
	# sender, as on any real-time pacing host (PREEMPT_RT or not).
	softirq_fifo
	# 32 datagrams of 200 bytes every 10 ms, in the stream's gaps
	if [ "$be" = 1 ]; then
		ip netns exec "$tx" "$SEND" -t "$PACE_SECS" -i 10000 -l 200 \
			239.1.2.3 6000 >"$PACE_DIR/be.txt" &
		bepid=$!
	fi
	# --lead 20: the burst is written 20 TRS before TPR_0, so the
	# qdisc (lead 4) holds every packet of it.
	ip netns exec "$tx" "$STSEND" --video "$PACE_FMT" --mode burst \
		--dst $PACE_GROUP --dev v0 --duration "$PACE_SECS" --lead 20 \
		${PACE_SEND_ARGS:+$PACE_SEND_ARGS} --fifo --sdp "$PACE_DIR/v.sdp" -j >"$PACE_DIR/send.json" \
		2>"$PACE_DIR/send.err" || { kill $dump; cat "$PACE_DIR/send.err"; fail "st2110-send"; }
	[ -z "$bepid" ] || wait $bepid || fail "udp_send (best effort)"
	# the qdisc drains the last frame for 20 ms after the write, and
	# tcpdump's TPACKET_V3 ring hands a partial block over only after
	# its 1 s timeout: a kill before that loses the tail
	sleep 2.5
	kill $dump; wait $dump 2>/dev/null
	[ -z "${PACE_MON:-}" ] || { kill "$PACE_MON"; wait "$PACE_MON" 2>/dev/null; }
	grep -E 'captured|dropped' "$PACE_DIR/tcpdump.log" | sed 's/^/tcpdump: /'
	if [ "${PACE_LISTEN:-0}" = 1 ]; then
		touch "$PACE_DIR/listen.stop"
		for i in $(seq 50); do
			[ -s "$PACE_DIR/listen.txt" ] && break
			sleep 0.1
		done
	fi
	ip netns exec "$tx" "$CTL" class-show v0 1:1 >"$PACE_DIR/class.txt" ||
		fail "class-show"
	ip netns exec "$tx" "$CTL" show v0 >"$PACE_DIR/qdisc.txt" || fail "show"
	PACE_RX=$(($(rx_pkts "$rx") - PACE_RX0))
	tai=$(python3 -c 'import time; print(round(time.clock_gettime(time.CLOCK_TAI) - time.time()))')
	"$ANALYZE" -j --tai-offset "$tai" --sdp "$PACE_DIR/v.sdp" \
		"$PACE_DIR/rx.pcap" >"$PACE_DIR/a.json" || fail "st2110-analyze"
	# The steady state: without the first and the last frame, when the
	# sender process starts and exits (see steady_pcap)
	steady_pcap "$PACE_DIR/rx.pcap" "$PACE_DIR/steady.pcap" || fail "steady_pcap"
	"$ANALYZE" -j --tai-offset "$tai" --sdp "$PACE_DIR/v.sdp" \
		"$PACE_DIR/steady.pcap" >"$PACE_DIR/s.json" || fail "st2110-analyze (steady)"
	# the stream is over: the test's pj calls may have their python now
	pj_start
	return 0
}

# steady_pcap IN OUT: copy a capture of one video stream without the
# packets of its first and its last frame (frames end at the RTP marker).
# Under icount the guest kernel itself stalls the CPU for 0.1-2 ms while
# the sender process starts (page faults of its mlocked buffers) and exits
# (freeing them): the 6.12 guest shows it, 6.1 mostly does not.  That is
# the test bed's interrupt latency, not the scheduler's, so the timing
# assertions judge the frames in between; the figures of the whole capture
# are printed as well.
steady_pcap()
{
	python3 - "$1" "$2" <<'PY'
import struct, sys
raw = open(sys.argv[1], "rb").read()
hdr, off, pkts = raw[:24], 24, []
while off + 16 <= len(raw):
    incl = struct.unpack("<I", raw[off + 8:off + 12])[0]
    pkts.append(raw[off:off + 16 + incl])
    off += 16 + incl
# Ethernet 14 + IPv4 20 (no options from the sender) or IPv6 40 + UDP 8:
# RTP byte 1
def mark(p):
    m = 16 + (63 if p[16 + 12:16 + 14] == b"\x86\xdd" else 43)
    return len(p) > m and p[m] & 0x80
marks = [i for i, p in enumerate(pkts) if mark(p)]
if len(marks) < 3:
    sys.exit("fewer than 3 frames captured")
open(sys.argv[2], "wb").write(hdr + b"".join(pkts[marks[0] + 1:marks[-2] + 1]))
PY
}

# pj EXPR [REPORT]: a Python expression over the analyzer's video object v,
# the whole report d (a.json: the whole capture, s.json: steady state) and
# the sender's statistics s; fails if the expression does.  A python3 start
# costs about a second under TCG, several under icount: after pj_start one
# python3 (the coprocess PJ) evaluates all the test's pj calls, each with
# the files read anew; before it, each pj runs a python3 of its own.
PJ_EVAL='
def pj(rep, send, expr):
    d = json.load(open(rep))
    s = json.load(open(send))
    v = d["streams"][0]["video"] if d["streams"] else {}
    return str(eval(expr))
'
pj()
{
	local out st

	if [ -z "${PJ_PID:-}" ]; then
		python3 -c "import json, sys$PJ_EVAL
print(pj(*sys.argv[1:]))" "$PACE_DIR/${2:-a.json}" "$PACE_DIR/send.json" "$1"
		return
	fi
	# request: the three arguments, NUL-terminated; answer: "0" or "1"
	# (the status), NUL, the result, NUL
	printf '%s\0%s\0%s\0' "$PACE_DIR/${2:-a.json}" "$PACE_DIR/send.json" "$1" >&"${PJ[1]}"
	IFS= read -r -d '' st <&"${PJ[0]}" && IFS= read -r -d '' out <&"${PJ[0]}" ||
		{ echo "pj: the python3 coprocess is gone" >&2; return 1; }
	[ "$st" = 0 ] || return 1
	printf '%s\n' "$out"
}

# pj_start: start the coprocess that answers pj (once per test; it ends
# when the test's shell does, or when its stdin closes)
pj_start()
{
	[ -z "${PJ_PID:-}" ] || return 0
	coproc PJ { python3 -c "import json, os, sys, traceback$PJ_EVAL
parent = os.getppid()
buf = b''
while True:
    while buf.count(b'\0') < 3:
        chunk = os.read(0, 65536)
        if not chunk or os.getppid() != parent:
            sys.exit(0)
        buf += chunk
    args = buf.split(b'\0', 3)
    buf = args[3]
    try:
        res, st = pj(*(a.decode() for a in args[:3])), b'0'
    except Exception:
        traceback.print_exc()
        res, st = '', b'1'
    os.write(1, st + b'\0' + res.encode() + b'\0')
"; }
}

# lsn KEY: Udp6 KEY counted while pace_run's PACE_LISTEN socket listened
lsn() { awk -v k="$1" '$1 == k { print $2 }' "$PACE_DIR/listen.txt"; }

# kv KEY: a "key value" line of the class dump taken after the run
kv() { field "$1" <"$PACE_DIR/class.txt"; }

pace_figures()
{
	local r

	for r in a.json s.json; do
		[ $r = a.json ] && echo "whole capture:" || echo "steady state (first and last frame left out):"
		pace_figure $r
	done
	echo "qdisc: paced $(kv paced_pkts) late $(kv late_pkts) (max $(kv late_max_ns) ns, ewma $(kv late_ewma_ns) ns) frames $(kv frames) horizon $(kv horizon_pkts) unscheduled $(kv unscheduled_pkts) cinst_waits $(kv cinst_waits)"
	echo "qdisc release error log2 histogram (bucket k: [2^(k-1), 2^k) ns): $(kv err_hist)"
}

# pace_egress FRAMES [REPORT]: the class's egress ST 2110-21 figures (the
# strict models run by the qdisc on its release times).  Always: FRAMES
# video frames measured, counters consistent, CINST below CMAX (4 here:
# the guard holds it at CMAX - 1, whatever the timing).  Under icount:
# within CMAX and VRXFULL (8) of Type N, no frame over, no underflow
# unless the receiver saw late packets too (startup stalls of the test
# bed, see steady_pcap), and the same figures as the analyzer on the
# receiver's whole capture (REPORT, default a.json) within 1 packet:
# the receiver sees each packet a
# few microseconds after its release (the veth path, well below one TRS of
# 27 us here), so its VRX may be one lower and its CINST one off where a
# drain instant falls in between.
pace_egress()
{
	local frames=$1 r=${2:-a.json} ac av0 av1 al

	echo "qdisc egress: frames $(kv eg_frames) cinst peak $(kv eg_cinst_peak) vrx $(kv eg_vrx_min)..$(kv eg_vrx_peak) frames over cmax $(kv eg_frames_over_cmax) vrxfull $(kv eg_frames_over_vrx) vrx underflow $(kv eg_frames_vrx_under)"
	eq "egress frames" "$(kv eg_frames)" "$frames" || return 1
	[ "$(kv eg_vrx_min)" -le "$(kv eg_vrx_peak)" ] || fail "egress VRX min above its peak"
	[ "$(kv eg_cinst_peak)" -ge 1 ] && [ "$(kv eg_cinst_peak)" -lt 4 ] ||
		fail "egress CINST peak $(kv eg_cinst_peak) not in 1..CMAX-1"
	eq "frames over CMAX" "$(kv eg_frames_over_cmax)" 0 || return 1
	[ "$(kv eg_frames_over_vrx)" -le "$frames" ] && [ "$(kv eg_frames_vrx_under)" -le "$frames" ] ||
		fail "more frames over than measured"
	[ "$ICOUNT" = 1 ] || return 0
	ac=$(pj 'v["strict"]["cinst_peak_pkts"]' "$r")
	av0=$(pj 'v["strict"]["gapped"]["vrx_min_pkts"]' "$r")
	av1=$(pj 'v["strict"]["gapped"]["vrx_max_pkts"]' "$r")
	al=$(pj 'v["strict"]["gapped"]["late_pkts"]' "$r")
	echo "receiver ($r): cinst peak $ac vrx $av0..$av1 late $al"
	eq "frames over VRXFULL" "$(kv eg_frames_over_vrx)" 0 || return 1
	[ "$(kv eg_vrx_peak)" -le 8 ] || fail "egress VRX peak $(kv eg_vrx_peak) over VRXFULL"
	# a packet that left after its read time arrived after it too; one
	# that left just before it may arrive after it (the path)
	if [ "$al" = 0 ]; then
		eq "frames with VRX underflow" "$(kv eg_frames_vrx_under)" 0 || return 1
		[ "$(kv eg_vrx_min)" -ge 1 ] || fail "egress VRX min $(kv eg_vrx_min) with no late packet at the receiver"
	fi
	[ "$(kv eg_frames_vrx_under)" = 0 ] || [ "$al" -gt 0 ] ||
		fail "egress underflow the receiver did not see"
	near "CINST peak egress/receiver" "$(kv eg_cinst_peak)" "$ac" || return 1
	near "VRX peak egress/receiver" "$(kv eg_vrx_peak)" "$av1" || return 1
	near "VRX min egress/receiver" "$(kv eg_vrx_min)" "$av0" || return 1
}

# near WHAT A B: |A - B| <= 1
near() { [ $(($2 - $3)) -le 1 ] && [ $(($3 - $2)) -le 1 ] || fail "$1: $2 and $3 differ by more than 1"; }

pace_figure()
{
	pj '"analyzer: %s packets, %d frames complete, verdict N %s; strict CINST peak %s, VRX gapped %s..%s, late %s; sched err p50 %s p99 %s max %s ns" % (d["streams"][0]["packets"], v["frames"]["complete"], v["verdict"]["n"]["result"], v["strict"]["cinst_peak_pkts"], v["strict"]["gapped"]["vrx_min_pkts"], v["strict"]["gapped"]["vrx_max_pkts"], v["strict"]["gapped"]["late_pkts"], v["sched_err_ns"]["p50"], v["sched_err_ns"]["p99"], v["sched_err_ns"]["max"])' "$1"
	pj '"analyzer N verdict: %s" % (v["verdict"]["n"].get("reason") or "pass")' "$1"
}

# 640x360p50 bursts, paced by the class format: every packet goes through
# the scheduler on time.  Always: all sent packets arrive, every one was
# paced (none unscheduled, none beyond the horizon), the analyzer finds
# whole 720-packet frames.  Under icount: Type N, no late packet.
paced_video()
{
	local sent

	pace_run pv 1 || return
	pace_figures
	sent=$(pj 's["packets"]')
	[ "$sent" -gt 0 ] || fail "nothing sent"
	eq "receiver rx_packets" "$PACE_RX" "$sent" || return 1
	eq "paced_pkts" "$(kv paced_pkts)" "$sent" || return 1
	eq "unscheduled_pkts" "$(kv unscheduled_pkts)" 0 || return 1
	eq "horizon_pkts" "$(kv horizon_pkts)" 0 || return 1
	eq "npackets" "$(kv npackets)" 720 || return 1
	eq "frames" "$(kv frames)" "$(pj 's["frames"]')" || return 1
	eq "marker spacing" "$(pj 'v["marker_spacing_pkts"]')" 720 || return 1
	pace_egress "$(pj 's["frames"]')" || return 1
	# under TCG tcpdump may lose packets: the capture is judged only
	# where timing is
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "captured" "$(pj 'd["streams"][0]["packets"]')" "$sent" || return 1
	eq "qdisc late_pkts" "$(kv late_pkts)" 0 || return 1
	eq "steady frames" "$(pj 'v["frames"]["complete"]' s.json)" $(($(pj 's["frames"]') - 2)) || return 1
	eq "analyzer late (gapped)" "$(pj 'v["strict"]["gapped"]["late_pkts"]' s.json)" 0 || return 1
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" pass || return 1
}

# A class whose lead (360 of 720 packets, the sender 400 TRS ahead) puts
# half a frame into the receiver's buffer: VRX about 360, far over
# VRXFULL_N (8).  Always: every frame measured at egress, counters
# consistent, and when a frame is counted over VRXFULL a frame_vrx event
# with its peak and VRXFULL 8 arrives.  Under icount: every frame over
# VRXFULL, CINST still within CMAX (the lead moves the stream, it does
# not bunch it), and the analyzer's verdict on the capture agrees: not
# Type N, for VRX over VRXFULL, with about the same peak.
paced_video_lead_vrx()
{
	local frames ev i

	PACE_SECS=1 PACE_MONITOR=1 PACE_CLASS_ARGS="lead 360" PACE_SEND_ARGS="--lead 400" \
		pace_run pl 1 || return
	pace_figures
	frames=$(pj 's["frames"]')
	echo "qdisc egress: frames $(kv eg_frames) cinst peak $(kv eg_cinst_peak) vrx $(kv eg_vrx_min)..$(kv eg_vrx_peak) frames over cmax $(kv eg_frames_over_cmax) vrxfull $(kv eg_frames_over_vrx)"
	eq "lead_pkts" "$(kv lead_pkts)" 360 || return 1
	eq "egress frames" "$(kv eg_frames)" "$frames" || return 1
	eq "frames over CMAX" "$(kv eg_frames_over_cmax)" 0 || return 1
	[ "$(kv eg_frames_over_vrx)" -le "$frames" ] || fail "more frames over than measured"
	[ ! -s "$PACE_DIR/mon.err" ] || { cat "$PACE_DIR/mon.err"; fail "monitor failed"; }
	ev=$(python3 - "$PACE_DIR/mon.json" "$(kv eg_frames_over_vrx)" "$(kv eg_vrx_peak)" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
over, peak = int(sys.argv[2]), int(sys.argv[3])
vx = [e for e in ev if e["event"] == "frame_vrx"]
print("%d frame_vrx events for %d frames (values %s..%s, limit %s)" % (
    len(vx), sum(e["count"] for e in vx), min([e["value"] for e in vx] or [0]),
    max([e["value"] for e in vx] or [0]), sorted(set(e["limit_pkts"] for e in vx))))
ok = (not over or vx) and all(e["class"] == "1:1" and e["limit_pkts"] == 8 and
                              8 < e["value"] <= peak for e in vx)
ok = ok and sum(e["count"] for e in vx) <= over
ok = ok and not [e for e in ev if e["event"] == "frame_cmax"]
t = [e["time_ns"] for e in vx]
ok = ok and all(b - a >= 100000000 for a, b in zip(t, t[1:]))
sys.exit(0 if ok else 1)
PY
	) || fail "frame_vrx events: $ev"
	echo "monitor: $ev"
	# a new format (here a new lead) starts the egress figures afresh
	ip netns exec "$P-pl-tx" "$CTL" class change v0 1:1 lead 4 || fail "class change lead 4"
	ip netns exec "$P-pl-tx" "$CTL" class-show v0 1:1 >"$PACE_DIR/class2.txt" || fail "class-show"
	for i in eg_frames eg_frames_over_vrx eg_cinst_peak eg_vrx_peak eg_vrx_min; do
		eq "$i after the change" "$(awk -v k=$i '$1 == k { print $2 }' "$PACE_DIR/class2.txt")" 0 || return 1
	done
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "frames over VRXFULL" "$(kv eg_frames_over_vrx)" "$frames" || return 1
	[ "$(kv eg_vrx_peak)" -gt 300 ] || fail "egress VRX peak $(kv eg_vrx_peak) with lead 360"
	[ "$(kv eg_cinst_peak)" -le 4 ] || fail "egress CINST peak $(kv eg_cinst_peak) over CMAX"
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]')" fail || return 1
	# not in a pipeline: a pipeline's subshell has no coprocess fds
	[[ $(pj 'v["verdict"]["n"]["reason"]') == *"VRX peak"* ]] || fail "analyzer: not failed for VRX"
	near "VRX peak egress/receiver" "$(kv eg_vrx_peak)" "$(pj 'v["strict"]["gapped"]["vrx_max_pkts"]')" || return 1
}

# The same bursts through a class without format leave unpaced: the
# analyzer must fail them as Type N (under icount; in TCG only function).
unpaced_video_fails()
{
	local sent

	pace_run uv 0 || return
	pace_figures
	sent=$(pj 's["packets"]')
	eq "receiver rx_packets" "$PACE_RX" "$sent" || return 1
	eq "paced_pkts" "$(kv paced_pkts)" 0 || return 1
	eq "sent_pkts" "$(kv sent_pkts)" "$sent" || return 1
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" fail || return 1
	[ "$(pj 'v["strict"]["cinst_peak_pkts"]' s.json)" -gt 4 ] || fail "CINST peak within CMAX unpaced"
}

# Best effort shares the link with the paced stream: every best-effort
# datagram gets through, in the stream's gaps, and (under icount) the
# stream stays Type N with no late packet.
paced_with_best_effort()
{
	local sent be

	pace_run pb 1 1 || return
	pace_figures
	sent=$(pj 's["packets"]')
	be=$(awk '$1 == "sent" { print $2 }' "$PACE_DIR/be.txt")
	echo "best effort: $be datagrams sent, qdisc be_pkts $(awk '$1 == "be_pkts" { print $2 }' "$PACE_DIR/qdisc.txt")"
	[ "${be:-0}" -gt 0 ] || fail "no best-effort datagram sent"
	eq "qdisc be_pkts" "$(awk '$1 == "be_pkts" { print $2 }' "$PACE_DIR/qdisc.txt")" "$be" || return 1
	eq "be_drops" "$(awk '$1 == "be_drops" { print $2 }' "$PACE_DIR/qdisc.txt")" 0 || return 1
	eq "receiver rx_packets" "$PACE_RX" $((sent + be)) || return 1
	eq "paced_pkts" "$(kv paced_pkts)" "$sent" || return 1
	pace_egress "$(pj 's["frames"]')" || return 1
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "qdisc late_pkts" "$(kv late_pkts)" 0 || return 1
	eq "steady frames" "$(pj 'v["frames"]["complete"]' s.json)" $(($(pj 's["frames"]') - 2)) || return 1
	eq "analyzer late (gapped)" "$(pj 'v["strict"]["gapped"]["late_pkts"]' s.json)" 0 || return 1
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" pass || return 1
}

# ---- audio, several streams, GSO, IPv6 --------------------------------------

# cap_start DIR FILTER: tcpdump on the receiver's v1 into DIR/rx.pcap with
# nanosecond timestamps, once it listens; cap_stop ends it after the ring's
# partial block is handed over (TPACKET_V3 does that after 1 s).
cap_start()
{
	local i

	ip netns exec "$CAP_RX" tcpdump -q -n -i v1 --time-stamp-precision nano \
		-B 65536 -w "$1/rx.pcap" "$2" 2>"$1/tcpdump.log" &
	CAP_PID=$!
	for i in $(seq 100); do
		grep -q listening "$1/tcpdump.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

cap_stop()
{
	sleep 2.5
	kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null
	grep -E 'captured|dropped' "$1/tcpdump.log" | sed 's/^/tcpdump: /'
}

tai_offset()
{
	python3 -c 'import time; print(round(time.clock_gettime(time.CLOCK_TAI) - time.time()))'
}

# audio_err PCAP SPP TAI [DST]: release error of every captured 48 kHz
# audio packet (to DST, if given): arrival minus the end of its packet time
# (RTP timestamp + SPP samples), the time the qdisc releases it at.
# Prints "pkts N err_ns p50 P p99 P max M min M" (ns, CLOCK_TAI).
audio_err()
{
	python3 - "$@" <<'PY'
import ipaddress, struct, sys
raw = open(sys.argv[1], "rb").read()
spp, tai = int(sys.argv[2]), int(sys.argv[3])
want = ipaddress.ip_address(sys.argv[4]) if len(sys.argv) > 4 else None
off, errs = 24, []
while off + 16 <= len(raw):
    sec, nsec, incl = struct.unpack("<III", raw[off:off + 12])
    p = raw[off + 16:off + 16 + incl]
    off += 16 + incl
    et = struct.unpack("!H", p[12:14])[0]
    if et == 0x0800:
        l3, dst, udp = p[14:], ipaddress.ip_address(p[30:34]), 14 + (p[14] & 15) * 4
    elif et == 0x86dd:
        l3, dst, udp = p[14:], ipaddress.ip_address(p[38:54]), 54
    else:
        continue
    if want is not None and dst != want:
        continue
    ts = struct.unpack("!I", p[udp + 12:udp + 16])[0]
    t = (sec + tai) * 10**9 + nsec
    now = t * 48000 // 10**9
    d = (now - ts) % 2**32
    if d >= 2**31:
        d -= 2**32
    rel = (now - d + spp) * 10**9 // 48000
    errs.append(t - rel)
if not errs:
    sys.exit("no audio packet captured")
errs.sort()
q = lambda f: errs[min(len(errs) - 1, int(len(errs) * f))]
print("pkts %d err_ns p50 %d p99 %d max %d min %d" % (len(errs), q(0.5), q(0.99), errs[-1], errs[0]))
PY
}

# hist_p99 "B0,B1,...": upper bound in ns of the bucket holding the 99th
# percentile of a release-error log2 histogram (bucket k: < 2^k ns)
hist_p99()
{
	python3 -c '
import sys
h = [int(x) for x in sys.argv[1].split(",")]
n, acc = sum(h), 0
for k, c in enumerate(h):
    acc += c
    if n and acc * 100 >= n * 99:
        print(1 << k); break
else:
    print(0)' "$1"
}

# audio_run NAME PTIME SPP [v6]: st2110-send plays 48 kHz stereo L24 with
# packet time PTIME (1ms, 125us) through a class with the same format;
# tcpdump captures the stream on the receiver.  Function always: every
# packet arrives and was paced.  Under icount: release error p99 < 20 us,
# from the capture and from the qdisc's own histogram.
audio_run()
{
	local name=$1 ptime=$2 spp=$3 v6=${4:-} tx=$P-$1-tx rx=$P-$1-rx dir
	local group=239.10.0.9 sent rx0 e p99 hp99

	[ -x "$STSEND" ] || { echo "SKIP: $STSEND missing (make userspace)"; return 4; }
	command -v tcpdump >/dev/null || { echo "SKIP: no tcpdump"; return 4; }
	[ -z "$v6" ] || group=ff0e::2110
	load_module || fail "insmod"
	pair "$name" $v6 || fail "veth setup"
	ip netns exec "$tx" ethtool -K v0 tx off >/dev/null 2>&1
	dir=$(mktemp -d) || fail "mktemp"
	# shellcheck disable=SC2064 # expand now: the locals are gone at exit
	trap "[ -z '${ST2110_PACE_KEEP:-}' ] || cp -r '$dir' '${ST2110_PACE_KEEP:-}/$name'; rm -rf '$dir'" EXIT
	ip netns exec "$tx" "$CTL" qdisc add v0 handle 1: || fail "qdisc add"
	ip netns exec "$tx" "$CTL" class add v0 1:1 dst $group port 5004 \
		audio 48000,2,24,"$spp" || fail "class add (audio)"
	rx0=$(rx_pkts "$rx")
	CAP_RX=$rx
	cap_start "$dir" "udp and dst port 5004" || fail "tcpdump does not start"
	softirq_fifo
	ip netns exec "$tx" "$STSEND" --audio 48000:2:L24:"$ptime" --mode burst \
		--dst $group --dev v0 --duration "$AUDIO_SECS" --fifo -j \
		>"$dir/send.json" 2>"$dir/send.err" ||
		{ kill "$CAP_PID"; cat "$dir/send.err"; fail "st2110-send"; }
	cap_stop "$dir"
	ip netns exec "$tx" "$CTL" class-show v0 1:1 >"$dir/class.txt" || fail "class-show"
	sent=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["packets"])' "$dir/send.json")
	e=$(audio_err "$dir/rx.pcap" "$spp" "$(tai_offset)") || fail "audio_err"
	hp99=$(hist_p99 "$(awk '$1 == "err_hist" { print $2 }' "$dir/class.txt")")
	echo "audio $ptime (spp $spp)${v6:+ over IPv6}: sent $sent; capture: $e"
	echo "qdisc: paced $(awk '$1 == "paced_pkts" { print $2 }' "$dir/class.txt") late $(awk '$1 == "late_pkts" { print $2 }' "$dir/class.txt") (max $(awk '$1 == "late_max_ns" { print $2 }' "$dir/class.txt") ns), release error p99 < $hp99 ns (log2 histogram)"
	[ "$sent" -gt 0 ] || fail "nothing sent"
	# with IPv6 on, ND and MLD packets arrive too
	if [ -z "$v6" ]; then
		eq "receiver rx_packets" $(($(rx_pkts "$rx") - rx0)) "$sent" || return 1
	else
		[ $(($(rx_pkts "$rx") - rx0)) -ge "$sent" ] || fail "receiver got fewer than $sent"
	fi
	eq "paced_pkts" "$(awk '$1 == "paced_pkts" { print $2 }' "$dir/class.txt")" "$sent" || return 1
	eq "npackets" "$(awk '$1 == "npackets" { print $2 }' "$dir/class.txt")" 1 || return 1
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "captured" "$(echo "$e" | awk '{ print $2 }')" "$sent" || return 1
	p99=$(echo "$e" | awk '{ print $7 }')
	[ "$p99" -lt 20000 ] || fail "capture release error p99 $p99 ns >= 20 us"
	[ "$(echo "$e" | awk '{ print $11 }')" -ge 0 ] || fail "a packet left before its packet time ended"
	[ "$hp99" -le 16384 ] || fail "qdisc release error p99 bucket < $hp99 ns"
}

# 1-ms and 125-us ST 2110-30 audio leave at the end of their packet times.
paced_audio_1ms() { audio_run pa1 1ms 48; }
paced_audio_125us() { audio_run pa125 125us 6; }

# The same over IPv6 multicast: the class matches ff0e::2110.
paced_audio_ipv6() { audio_run pa6 1ms 48 v6; }

# Two 320x180p50 videos, one 1-ms audio stream and best-effort UDP on one
# qdisc.  Always: every packet arrives, every media packet was paced, the
# best effort went through.  Under icount: each video Type N (steady
# state), audio release error p99 < 20 us.  (Two 640x360p50 streams and
# their capture are more than the icount guest sustains: tcpdump drops.)
MULTI_VIDEO=320,180,0,50,1,2,10,0	# 320x180p50 YCbCr-4:2:2/10 GPM
multi_stream()
{
	local tx=$P-ms-tx rx=$P-ms-rx dir rx0 s1 s2 sa be tai i g e rc=0 bepid

	for i in "$STSEND" "$ANALYZE"; do
		[ -x "$i" ] || { echo "SKIP: $i missing (make userspace)"; return 4; }
	done
	command -v tcpdump >/dev/null || { echo "SKIP: no tcpdump"; return 4; }
	load_module || fail "insmod"
	pair ms || fail "veth setup"
	ip netns exec "$tx" ethtool -K v0 tx off >/dev/null 2>&1
	dir=$(mktemp -d) || fail "mktemp"
	# shellcheck disable=SC2064 # expand now: the locals are gone at exit
	trap "[ -z '${ST2110_PACE_KEEP:-}' ] || cp -r '$dir' '${ST2110_PACE_KEEP:-}/ms'; rm -rf '$dir'" EXIT
	ip netns exec "$tx" "$CTL" qdisc add v0 handle 1: || fail "qdisc add"
	ip netns exec "$tx" "$CTL" class add v0 1:1 dst 239.10.0.1 port 5004 \
		video $MULTI_VIDEO || fail "class 1:1"
	ip netns exec "$tx" "$CTL" class add v0 1:2 dst 239.10.0.2 port 5004 \
		video $MULTI_VIDEO || fail "class 1:2"
	ip netns exec "$tx" "$CTL" class add v0 1:3 dst 239.10.0.3 port 5004 \
		audio 48000,2,24,48 || fail "class 1:3"
	rx0=$(rx_pkts "$rx")
	CAP_RX=$rx
	cap_start "$dir" "udp and dst port 5004" || fail "tcpdump does not start"
	softirq_fifo
	ip netns exec "$tx" "$SEND" -t "$PACE_SECS" -i 10000 -l 200 \
		239.1.2.3 6000 >"$dir/be.txt" &
	bepid=$!
	# --lead 60 (half a frame, 6.7 ms): four senders start on one vCPU,
	# and with 20 TRS a first sender's start-up stall made packets late
	# at enqueue beyond the first frame
	for i in 1 2; do
		ip netns exec "$tx" "$STSEND" --video 320x180p50 --mode burst \
			--dst 239.10.0.$i --dev v0 --duration "$PACE_SECS" --lead 60 \
			--fifo --sdp "$dir/v$i.sdp" -j >"$dir/send$i.json" \
			2>"$dir/send$i.err" &
		eval "vpid$i=\$!"
	done
	# audio above the video senders (50), below ksoftirqd (60): one
	# vCPU, and a video burst takes longer than an audio packet time
	ip netns exec "$tx" "$STSEND" --audio 48000:2:L24:1ms --mode burst \
		--dst 239.10.0.3 --dev v0 --duration "$PACE_SECS" --fifo=55 -j \
		>"$dir/send3.json" 2>"$dir/send3.err" || rc=1
	# shellcheck disable=SC2154 # set by the eval above
	wait "$vpid1" || rc=1
	# shellcheck disable=SC2154
	wait "$vpid2" || rc=1
	wait $bepid || rc=1
	cap_stop "$dir"
	[ $rc = 0 ] || { cat "$dir"/send*.err; fail "a sender failed"; }
	for i in 1 2 3; do
		ip netns exec "$tx" "$CTL" class-show v0 1:$i >"$dir/class$i.txt" ||
			fail "class-show 1:$i"
	done
	ip netns exec "$tx" "$CTL" show v0 >"$dir/qdisc.txt" || fail "show"
	num_of() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["packets"])' "$1"; }
	s1=$(num_of "$dir/send1.json"); s2=$(num_of "$dir/send2.json"); sa=$(num_of "$dir/send3.json")
	be=$(awk '$1 == "sent" { print $2 }' "$dir/be.txt")
	ckv() { awk -v k="$2" '$1 == k { print $2 }' "$dir/class$1.txt"; }
	echo "sent: video $s1 + $s2, audio $sa, best effort $be; qdisc be_pkts $(awk '$1 == "be_pkts" { print $2 }' "$dir/qdisc.txt")"
	eq "receiver rx_packets" $(($(rx_pkts "$rx") - rx0)) $((s1 + s2 + sa + be)) || return 1
	eq "1:1 paced" "$(ckv 1 paced_pkts)" "$s1" || return 1
	eq "1:2 paced" "$(ckv 2 paced_pkts)" "$s2" || return 1
	eq "1:3 paced" "$(ckv 3 paced_pkts)" "$sa" || return 1
	eq "be_pkts" "$(awk '$1 == "be_pkts" { print $2 }' "$dir/qdisc.txt")" "$be" || return 1
	tai=$(tai_offset)
	e=$(audio_err "$dir/rx.pcap" 48 "$tai" 239.10.0.3) || fail "audio_err"
	echo "audio: $e; qdisc late $(ckv 3 late_pkts)"
	for i in 1 2; do
		g=239.10.0.$i
		tcpdump -r "$dir/rx.pcap" -w "$dir/v$i.pcap" "dst host $g" 2>/dev/null ||
			fail "split $g"
		steady_pcap "$dir/v$i.pcap" "$dir/s$i.pcap" || fail "steady_pcap $g"
		"$ANALYZE" -j --tai-offset "$tai" --sdp "$dir/v$i.sdp" "$dir/v$i.pcap" \
			>"$dir/a$i.json" || fail "st2110-analyze $g (whole)"
		"$ANALYZE" -j --tai-offset "$tai" --sdp "$dir/v$i.sdp" "$dir/s$i.pcap" \
			>"$dir/s$i.json" || fail "st2110-analyze $g"
		cp "$dir/send$i.json" "$dir/send.json"
		PACE_DIR=$dir pj '"video %s: steady state %d frames complete, verdict N %s; CINST peak %s, VRX %s..%s, late %s; sched err p99 %s ns" % (d["streams"][0]["dst"], v["frames"]["complete"], v["verdict"]["n"]["result"], v["strict"]["cinst_peak_pkts"], v["strict"]["gapped"]["vrx_min_pkts"], v["strict"]["gapped"]["vrx_max_pkts"], v["strict"]["gapped"]["late_pkts"], v["sched_err_ns"]["p99"])' "s$i.json"
		echo "qdisc 1:$i: late $(ckv $i late_pkts) cinst_waits $(ckv $i cinst_waits)"
		cp "$dir/class$i.txt" "$dir/class.txt"
		PACE_DIR=$dir pace_egress "$(PACE_DIR=$dir pj 's["frames"]' "s$i.json")" "a$i.json" || return 1
	done
	# ST 2110-21 does not apply to audio: no egress figure
	for i in eg_frames eg_cinst_peak eg_vrx_peak eg_vrx_min eg_frames_over_vrx eg_frames_vrx_under; do
		eq "audio $i" "$(ckv 3 $i)" 0 || return 1
	done
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	[ "$(echo "$e" | awk '{ print $7 }')" -lt 20000 ] || fail "audio release error p99 >= 20 us"
	# the steady state: both senders start (and fault their buffers) at once
	for i in 1 2; do
		eq "video $i analyzer late" "$(PACE_DIR=$dir pj 'v["strict"]["gapped"]["late_pkts"]' "s$i.json")" 0 || return 1
		eq "video $i Type N" "$(PACE_DIR=$dir pj 'v["verdict"]["n"]["result"]' "s$i.json")" pass || return 1
	done
}

# UDP GSO super-packets (st2110-send --gso=8) of a paced stream are cut
# into their packets in the qdisc, each paced on its own: as many segments
# and paced packets as the sender wrote, whole frames, nothing unscheduled;
# under icount Type N with no late packet.  Segmentation runs in the
# sender's context with bottom halves off, about 10 us a segment under
# icount: 64-segment super-packets (ST2110_GSO_SEGS=64) hold the releases
# longer than the lead and are reported only (see Documentation/design.md).
paced_video_gso()
{
	local sent

	local segs=${ST2110_GSO_SEGS:-8}

	PACE_SEND_ARGS=--gso=$segs PACE_KEEP_CSUM=1 pace_run pg 1 || return
	pace_figures
	sent=$(pj 's["packets"]')
	echo "qdisc gso_segs $(awk '$1 == "gso_segs" { print $2 }' "$PACE_DIR/qdisc.txt")"
	[ "$sent" -gt 0 ] || fail "nothing sent"
	eq "receiver rx_packets" "$PACE_RX" "$sent" || return 1
	eq "gso_segs" "$(awk '$1 == "gso_segs" { print $2 }' "$PACE_DIR/qdisc.txt")" "$sent" || return 1
	eq "paced_pkts" "$(kv paced_pkts)" "$sent" || return 1
	eq "unscheduled_pkts" "$(kv unscheduled_pkts)" 0 || return 1
	eq "frames" "$(kv frames)" "$(pj 's["frames"]')" || return 1
	eq "marker spacing" "$(pj 'v["marker_spacing_pkts"]')" 720 || return 1
	if [ "$segs" -le 8 ]; then
		pace_egress "$(pj 's["frames"]')" || return 1
	else
		ICOUNT=0 pace_egress "$(pj 's["frames"]')" || return 1
	fi
	[ "$ICOUNT" = 1 ] && [ "$segs" -le 8 ] ||
		{ echo "(timing not asserted: $segs segments, icount $ICOUNT)"; return 0; }
	eq "captured" "$(pj 'd["streams"][0]["packets"]')" "$sent" || return 1
	eq "qdisc late_pkts" "$(kv late_pkts)" 0 || return 1
	eq "analyzer late (gapped)" "$(pj 'v["strict"]["gapped"]["late_pkts"]' s.json)" 0 || return 1
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" pass || return 1
}

# RTP restamp: a free-running sender (random RTP origin, st2110-send --rtp
# free) through a class with "rtp 1": every frame gets its slot's
# timestamp, a multiple of TFRAME at 90 kHz, with the UDP checksum fixed
# (checked in the capture); under icount the stream is Type N, which it
# cannot be with timestamps that name no alignment point.
#
# rtp_check PCAP TAI [TICKS [FIELDS]]: of every captured IPv4 or IPv6 RTP
# packet, is its timestamp (unwrapped near its arrival) on the grid of
# TICKS (default 1800, TFRAME at 50 Hz)?  With FIELDS=2 (interlaced; TICKS
# the field period) a packet whose first SRD has F set must be on a second
# field (odd multiple), the others on a first field, and the fields must
# alternate from one timestamp to the next, "steps" counting the
# timestamp changes that are exactly one field.  The UDP checksums of the
# first 500 whole packets are verified (IPv4 or IPv6 pseudo-header).
# Prints "pkts N aligned N csum_checked N csum_ok N fields_ok N changes N
# steps N".
rtp_check()
{
	python3 - "$1" "$2" "${3:-1800}" "${4:-1}" <<'PY'
import struct, sys
raw = open(sys.argv[1], "rb").read()
tai, ticks, fields = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
off, n, aligned, ok, checked, fok, changes, steps = 24, 0, 0, 0, 0, 0, 0, 0
last = None
def csum(b):
    if len(b) & 1:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s
while off + 16 <= len(raw):
    sec, nsec, incl, orig = struct.unpack("<IIII", raw[off:off + 16])
    p = raw[off + 16:off + 16 + incl]
    off += 16 + incl
    if p[12:14] == b"\x86\xdd":
        u = 54
        pseudo_addr = p[22:54]
    else:
        u = 14 + (p[14] & 15) * 4
        pseudo_addr = p[26:34]
    ts = struct.unpack("!I", p[u + 12:u + 16])[0]
    n += 1
    # the timestamp, unwrapped near the arrival time, names a frame start
    now = ((sec + tai) * 10**9 + nsec) * 90000 // 10**9
    d = (now - ts) % 2**32
    if d >= 2**31:
        d -= 2**32
    full = now - d
    aligned += full % ticks == 0
    if fields == 2:
        # RTP 12 + ESN 2 + SRD length 2, then F|row
        fbit = p[u + 8 + 16] >> 7
        fok += (full // ticks) % 2 == fbit
        if last is not None and full != last[0]:
            changes += 1
            steps += full - last[0] == ticks
            if fbit == last[1]:
                fok -= 1	# two first (or second) fields in a row
        last = (full, fbit)
    if checked < 500 and incl == orig:
        ulen = struct.unpack("!H", p[u + 4:u + 6])[0]
        if u == 54:
            pseudo = pseudo_addr + struct.pack("!IxxxB", ulen, 17)
        else:
            pseudo = pseudo_addr + struct.pack("!BBH", 0, 17, ulen)
        checked += 1
        ok += csum(pseudo + p[u:u + ulen]) == 0xffff
print("pkts %d aligned %d csum_checked %d csum_ok %d fields_ok %d changes %d steps %d" %
      (n, aligned, checked, ok, fok, changes, steps))
PY
}

# restamp_paced SENT: every packet of a restamp class was paced.  Restamp
# slots only move forward (never one before the previous frame's), so in
# TCG a stalled guest can push a frame's slot beyond the two-frame horizon,
# which releases it at once (horizon_pkts): there paced + horizon must be
# SENT; under icount paced alone, and no horizon release.
restamp_paced()
{
	local paced horizon

	paced=$(kv paced_pkts)
	horizon=$(kv horizon_pkts)
	if [ "$ICOUNT" = 1 ]; then
		eq "paced_pkts" "$paced" "$1" && eq "horizon_pkts" "$horizon" 0
	else
		eq "paced_pkts + horizon_pkts (TCG)" $((paced + horizon)) "$1"
	fi
}

paced_video_restamp()
{
	local sent r

	PACE_SEND_ARGS="--rtp free" PACE_CLASS_ARGS="rtp 1" pace_run pr 1 || return
	pace_figures
	sent=$(pj 's["packets"]')
	r=$(rtp_check "$PACE_DIR/rx.pcap" "$(tai_offset)") || fail "rtp_check"
	echo "capture: $r"
	eq "rtp_policy" "$(kv rtp_policy)" 1 || return 1
	eq "receiver rx_packets" "$PACE_RX" "$sent" || return 1
	restamp_paced "$sent" || return 1
	eq "unscheduled_pkts" "$(kv unscheduled_pkts)" 0 || return 1
	eq "aligned timestamps" "$(echo "$r" | awk '{ print $4 }')" "$(echo "$r" | awk '{ print $2 }')" || return 1
	[ "$(echo "$r" | awk '{ print $6 }')" -gt 0 ] || fail "no checksum checked"
	eq "good UDP checksums" "$(echo "$r" | awk '{ print $8 }')" "$(echo "$r" | awk '{ print $6 }')" || return 1
	pace_egress "$(pj 's["frames"]')" || return 1
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "qdisc late_pkts" "$(kv late_pkts)" 0 || return 1
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" pass || return 1
}

# The same over IPv6 multicast (ff0e::2110:1): the UDP checksum, which
# IPv6 always has, must be right at the receiver after the rewrite, in the
# capture and in the receiver's Udp6 InCsumErrors (a socket listens there).
paced_video_restamp_ipv6()
{
	local sent r PACE_SECS=${ST2110_PACE_SECS:-1}	# 1 s: keep CI short

	PACE_V6=1 PACE_LISTEN=1 PACE_SEND_ARGS="--rtp free" PACE_CLASS_ARGS="rtp 1" \
		pace_run pr6 1 || return
	pace_figures
	sent=$(pj 's["packets"]')
	r=$(rtp_check "$PACE_DIR/rx.pcap" "$(tai_offset)") || fail "rtp_check"
	echo "capture: $r; receiver socket: $(cat "$PACE_DIR/listen.txt")"
	eq "rtp_policy" "$(kv rtp_policy)" 1 || return 1
	[ "$PACE_RX" -ge "$sent" ] || fail "receiver got $PACE_RX < $sent"
	restamp_paced "$sent" || return 1
	eq "unscheduled_pkts" "$(kv unscheduled_pkts)" 0 || return 1
	eq "aligned timestamps" "$(echo "$r" | awk '{ print $4 }')" "$(echo "$r" | awk '{ print $2 }')" || return 1
	[ "$(echo "$r" | awk '{ print $6 }')" -gt 0 ] || fail "no checksum checked"
	eq "good UDP checksums" "$(echo "$r" | awk '{ print $8 }')" "$(echo "$r" | awk '{ print $6 }')" || return 1
	eq "receiver Udp6 InCsumErrors" "$(lsn InCsumErrors)" 0 || return 1
	eq "datagrams checked at the socket" "$(lsn InErrors)" "$sent" || return 1
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "qdisc late_pkts" "$(kv late_pkts)" 0 || return 1
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" pass || return 1
}

# Interlaced restamp: 720x576i50 (25 frames/s, 576 packets a field) from a
# free-running sender.  Each field carries its own timestamp: the first
# field of a frame takes the next free frame slot, the second follows in
# the same frame, so every packet is on its field's time (a multiple of
# 1800 ticks; second fields, SRD F set, on the odd ones) and the fields
# alternate.  Under icount every timestamp change is one field (no slot
# skipped) and the stream is Type N.
interlaced_video_restamp()
{
	local sent r PACE_SECS=${ST2110_PACE_SECS:-1}	# 1 s: keep CI short

	PACE_FMT=720x576i50 PACE_VIDEO=720,576,1,25,1,2,10,0 \
		PACE_SEND_ARGS="--rtp free" PACE_CLASS_ARGS="rtp 1" pace_run pri 1 || return
	pace_figures
	sent=$(pj 's["packets"]')
	r=$(rtp_check "$PACE_DIR/rx.pcap" "$(tai_offset)" 1800 2) || fail "rtp_check"
	echo "capture: $r"
	eq "rtp_policy" "$(kv rtp_policy)" 1 || return 1
	eq "npackets" "$(kv npackets)" 1152 || return 1
	eq "receiver rx_packets" "$PACE_RX" "$sent" || return 1
	restamp_paced "$sent" || return 1
	eq "unscheduled_pkts" "$(kv unscheduled_pkts)" 0 || return 1
	eq "marker spacing" "$(pj 'v["marker_spacing_pkts"]')" 576 || return 1
	eq "aligned timestamps" "$(echo "$r" | awk '{ print $4 }')" "$(echo "$r" | awk '{ print $2 }')" || return 1
	eq "fields on their slots, alternating" "$(echo "$r" | awk '{ print $10 }')" "$(echo "$r" | awk '{ print $2 }')" || return 1
	[ "$(echo "$r" | awk '{ print $6 }')" -gt 0 ] || fail "no checksum checked"
	eq "good UDP checksums" "$(echo "$r" | awk '{ print $8 }')" "$(echo "$r" | awk '{ print $6 }')" || return 1
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	# in TCG a second field handed over after its slot takes the next
	# frame's (counted as a frame of its own); under icount none is late
	eq "frames" "$(kv frames)" "$(pj 's["frames"]')" || return 1
	eq "captured" "$(pj 'd["streams"][0]["packets"]')" "$sent" || return 1
	eq "one field per timestamp change" "$(echo "$r" | awk '{ print $14 }')" "$(echo "$r" | awk '{ print $12 }')" || return 1
	eq "qdisc late_pkts" "$(kv late_pkts)" 0 || return 1
	eq "analyzer late (gapped)" "$(pj 'v["strict"]["gapped"]["late_pkts"]' s.json)" 0 || return 1
	eq "Type N verdict" "$(pj 'v["verdict"]["n"]["result"]' s.json)" pass || return 1
}

# audio_grid PCAP: the restamped 48 kHz, 48-sample timestamps of a capture:
# "pkts N on_grid N back N next N skips N" (on the 48-sample grid, steps
# back, steps of exactly one packet, steps of more: skipped slots)
audio_grid()
{
	python3 - "$1" <<'PY'
import struct, sys
raw = open(sys.argv[1], "rb").read()
off, n, grid, back, nxt, skips, last = 24, 0, 0, 0, 0, 0, None
while off + 16 <= len(raw):
    incl = struct.unpack("<I", raw[off + 8:off + 12])[0]
    p = raw[off + 16:off + 16 + incl]
    off += 16 + incl
    u = 14 + (p[14] & 15) * 4
    ts = struct.unpack("!I", p[u + 12:u + 16])[0]
    n += 1
    grid += ts % 48 == 0	# 2^32 is a multiple of 16, not of 48: fine for hours
    if last is not None:
        d = (ts - last) % 2**32
        if d >= 2**31:
            back += 1
        elif d == 48:
            nxt += 1
        else:
            skips += 1
    last = ts
print("pkts %d on_grid %d back %d next %d skips %d" % (n, grid, back, nxt, skips))
PY
}

# audio_restamp_run NAME PPM SECS: rtp_send.py plays 48 kHz 1-ms packets
# from a sample clock PPM off PTP, random RTP origin, through a class with
# the format and "rtp restamp"; tcpdump captures on the receiver.  Leaves
# AR_DIR/{class.txt,send.txt,rx.pcap} and AR_SENT, AR_RX, AR_GRID, AR_ERR.
audio_restamp_run()
{
	local name=$1 ppm=$2 secs=$3 tx=$P-$1-tx rx=$P-$1-rx rx0

	command -v tcpdump >/dev/null || { echo "SKIP: no tcpdump"; return 4; }
	load_module || fail "insmod"
	pair "$name" || fail "veth setup"
	ip netns exec "$tx" ethtool -K v0 tx off >/dev/null 2>&1
	AR_DIR=$(mktemp -d) || fail "mktemp"
	# shellcheck disable=SC2064 # expand now
	trap "[ -z '${ST2110_PACE_KEEP:-}' ] || cp -r '$AR_DIR' '${ST2110_PACE_KEEP:-}/$name'; rm -rf '$AR_DIR'" EXIT
	ip netns exec "$tx" "$CTL" qdisc add v0 handle 1: || fail "qdisc add"
	ip netns exec "$tx" "$CTL" class add v0 1:1 dst 239.10.0.7 port 5004 \
		audio 48000,2,24,48 rtp 1 || fail "class add (audio restamp)"
	rx0=$(rx_pkts "$rx")
	CAP_RX=$rx
	cap_start "$AR_DIR" "udp and dst port 5004" || fail "tcpdump does not start"
	softirq_fifo
	ip netns exec "$tx" chrt -f 50 python3 "$TOP/selftests/qdisc/rtp_send.py" \
		239.10.0.7 5004 audio-clock "$ppm" "$secs" >"$AR_DIR/send.txt" ||
		{ kill "$CAP_PID"; fail "rtp_send.py"; }
	cap_stop "$AR_DIR"
	ip netns exec "$tx" "$CTL" class-show v0 1:1 >"$AR_DIR/class.txt" || fail "class-show"
	AR_SENT=$(awk '$1 == "sent" { print $2 }' "$AR_DIR/send.txt")
	AR_RX=$(($(rx_pkts "$rx") - rx0))
	AR_GRID=$(audio_grid "$AR_DIR/rx.pcap") || fail "audio_grid"
	AR_ERR=$(audio_err "$AR_DIR/rx.pcap" 48 "$(tai_offset)") || fail "audio_err"
	echo "sender ${ppm} ppm: sent $AR_SENT, received $AR_RX; timestamps: $AR_GRID"
	echo "release error (arrival - end of the slot's packet time): $AR_ERR"
	echo "qdisc: paced $(ackv paced_pkts) drops $(ackv dropped) horizon $(ackv horizon_pkts) late $(ackv late_pkts) (max $(ackv late_max_ns) ns) unscheduled $(ackv unscheduled_pkts)"
	[ "$AR_SENT" -gt 0 ] || fail "nothing sent"
	eq "rtp_policy" "$(ackv rtp_policy)" 1 || return 1
	eq "timestamps on the 48-sample grid" "$(ag 4)" "$(ag 2)" || return 1
	eq "unscheduled_pkts" "$(ackv unscheduled_pkts)" 0 || return 1
	# a restamp drop is a horizon packet, and nothing else drops
	eq "drops = horizon_pkts" "$(ackv dropped)" "$(ackv horizon_pkts)" || return 1
	eq "received = sent - drops" "$AR_RX" $((AR_SENT - $(ackv dropped))) || return 1
	eq "paced = received" "$(ackv paced_pkts)" "$AR_RX" || return 1
	# with 2 vCPUs (TCG) veth's per-CPU backlogs may swap two packets on
	# the way to the receiver; the qdisc's order is asserted on 1 vCPU
	[ "$ICOUNT" = 1 ] || return 0
	eq "timestamps never step back" "$(ag 6)" 0 || return 1
}
ackv() { awk -v k="$1" '$1 == k { print $2 }' "$AR_DIR/class.txt"; }
# ar_timing: (icount) every packet captured, each at its slot: p99 < 20 us
# after the end of its packet time, none before it, none late
ar_timing()
{
	eq "captured" "$(echo "$AR_ERR" | awk '{ print $2 }')" "$AR_RX" || return 1
	[ "$(echo "$AR_ERR" | awk '{ print $7 }')" -lt 20000 ] || fail "release error p99 >= 20 us"
	[ "$(echo "$AR_ERR" | awk '{ print $11 }')" -ge 0 ] || fail "a packet left before its slot"
	eq "qdisc late_pkts" "$(ackv late_pkts)" 0 || return 1
}
ag() { echo "$AR_GRID" | awk -v f="$1" '{ print $f }'; }

# A sender whose clock runs 2 % slow: it hands packets over later and
# later against the grid, so now and then a packet's next slot is already
# past and it takes the one after (a slot skipped; nothing is ever late or
# held beyond one packet time).  Under icount: skips happen (about one in
# 50 packets), no drop, every packet leaves at its slot (p99 < 20 us).
audio_restamp_slow()
{
	audio_restamp_run ars -20000 1 || return
	# in TCG the sender itself stalls and catches up in bursts: fast
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "horizon_pkts (slow sender)" "$(ackv horizon_pkts)" 0 || return 1
	[ "$(ag 10)" -gt 0 ] || fail "a slow sender skipped no slot"
	ar_timing
}

# A sender whose clock runs 5 % fast: every packet takes the next slot, so
# its queue grows by 50 us a packet until the horizon (20 ms); past it a
# packet is dropped, so the queue (and the latency the qdisc adds) stays
# bounded.  Under icount: no slot skipped, drops happen, packets at
# their slots (p99 < 20 us).
audio_restamp_fast()
{
	audio_restamp_run arf 50000 1.5 || return
	[ "$ICOUNT" = 1 ] || { echo "(timing not asserted: not under icount)"; return 0; }
	eq "skipped slots (fast sender)" "$(ag 10)" 0 || return 1
	[ "$(ackv dropped)" -gt 0 ] || fail "the queue of a fast sender was not bounded"
	ar_timing
}

# ---- offload and faults -----------------------------------------------------

# veth has no LaunchTime: offload is refused with the extack, on add and on
# change, and nothing is left behind (no qdisc, offload still 0).
offload_refused()
{
	local tx=$P-off-tx out

	load_module || fail "insmod"
	pair off || fail "veth setup"
	out=$(ctl "$tx" qdisc add v0 handle 1: offload 1 2>&1) &&
		fail "offload accepted on veth"
	echo "add: $out"
	echo "$out" | grep -q "Device does not support LaunchTime (ETF) offload" ||
		fail "add: no extack: $out"
	! tc -n "$tx" qdisc show dev v0 | grep -q st2110 || fail "qdisc left behind"
	ctl "$tx" qdisc add v0 handle 1: limit 77 || fail "qdisc add"
	out=$(ctl "$tx" qdisc change v0 handle 1: offload 1 limit 99 2>&1) &&
		fail "offload change accepted on veth"
	echo "$out" | grep -q "Device does not support LaunchTime (ETF) offload" ||
		fail "change: no extack: $out"
	eq "offload after refusal" "$(val "$tx" offload)" 0 || return 1
	eq "limit after refusal" "$(val "$tx" limit_pkts)" 77 || return 1
	ctl "$tx" qdisc change v0 handle 1: offload 0 || fail "offload 0"
}

# LaunchTime offload through the TEST-ONLY device of launchtime/st2110_lt.c
# (4 TX queues, the ETF offload contract of a LaunchTime driver, records
# what it is handed in debugfs).  It proves the qdisc <-> driver contract,
# not a NIC's precision.  Always: st2110 as root of the 4-queue device is
# refused with the extack and nothing is enabled; as mq children on
# queues 1 and 2 with offload, ETF is enabled for exactly those two; a
# paced 640x360p50 video (queue 1) and 1-ms audio (queue 2) reach the
# driver with a launch time on every packet: video on the TRS grid within
# each frame and monotonic, audio exactly at the end of its packet time;
# offload 0 on queue 2 disables it there (tstamps 0 from then on), and the
# qdisc's deletion disables queue 1.  Under icount: every video packet is
# handed over before its launch time, at its release time (launch - lead *
# TRS) within 20 us (p99).
LT_DEV=st2110lt0
LT_DBG=/sys/kernel/debug/st2110_lt
lt_counter() { awk -v q="$1" -v k="$2" '$2 == q { for (i = 3; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$LT_DBG/counters"; }
lt_check()
{
	python3 - "$@" <<'PY'
import json, sys
recs, vjson, icount = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
v = json.load(open(vjson))
trs, lead = int(v["trs_ns"]), 4
q = {0: [], 1: [], 2: [], 3: []}
for l in open(recs):
    f = [int(x) for x in l.split()]
    q[f[0]].append(f[1:])
def fail(m):
    print("FAIL: " + m); sys.exit(1)
# launch xmit launchtime len udp rtp_ts
vid, aud = q[1], q[2]
print("driver records: queue 0 %d, 1 %d, 2 %d, 3 %d" % tuple(len(q[i]) for i in range(4)))
if any(r[0] for i in (0, 3) for r in q[i]):
    fail("a packet on a queue without LaunchTime has a launch time")
if not vid or not aud:
    fail("no video or audio packet reached the driver")
if any(not r[0] or not r[2] for r in vid + aud):
    fail("a paced packet without launch time, or LaunchTime off")
for name, rs in (("video", vid), ("audio", aud)):
    if any(b[0] < a[0] for a, b in zip(rs, rs[1:])):
        fail(name + " launch times not monotonic")
bad = [b[0] - a[0] for a, b in zip(vid, vid[1:]) if a[5] == b[5] and not trs <= b[0] - a[0] <= trs + 1]
if bad:
    fail("%d video steps within a frame off the TRS grid (TRS %d ns), e.g. %d" % (len(bad), trs, bad[0]))
abad = 0
for r in aud:
    now = r[0] * 48000 // 10**9
    d = (now - r[5]) % 2**32
    if d >= 2**31:
        d -= 2**32
    abad += r[0] != (now - d + 48) * 10**9 // 48000
if abad:
    fail("%d audio launch times are not the end of their packet time" % abad)
ahead = sorted(r[0] - r[1] for r in vid)
rel_err = sorted(r[1] - (r[0] - lead * trs) for r in vid)
p99 = lambda x: x[min(len(x) - 1, len(x) * 99 // 100)]
print("video: %d packets; launch - xmit min %d p50 %d max %d ns (lead %d x TRS %d = %d ns); xmit - release p50 %d p99 %d ns" %
      (len(vid), ahead[0], ahead[len(ahead) // 2], ahead[-1], lead, trs, lead * trs, rel_err[len(rel_err) // 2], p99(rel_err)))
print("audio: %d packets at the end of their packet times" % len(aud))
if icount:
    if ahead[0] <= 0:
        fail("a video packet was handed over at or after its launch time")
    if p99(rel_err) >= 20000:
        fail("video handed over p99 %d ns after its release time" % p99(rel_err))
print("ok %d %d" % (len(vid), len(aud)))
PY
}

offload_launchtime()
{
	local ko=$BIN/launchtime/$KVER/st2110_lt.ko tx=$P-lt-tx dir out i q sv sa

	[ -f "$ko" ] || { echo "SKIP: $ko missing (make -C selftests/qdisc)"; return 4; }
	[ -x "$STSEND" ] || { echo "SKIP: $STSEND missing (make userspace)"; return 4; }
	load_module || fail "insmod"
	grep -q '^st2110_lt ' /proc/modules || insmod "$ko" || fail "insmod st2110_lt"
	dir=$(mktemp -d) || fail "mktemp"
	# the device returns to the initial namespace with the test's
	# shellcheck disable=SC2064 # expand now
	trap "ip netns del $tx 2>/dev/null; for i in \$(seq 50); do ip link show $LT_DEV >/dev/null 2>&1 && break; sleep 0.1; done; rmmod st2110_lt; rm -rf '$dir'" EXIT
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug || fail "debugfs"
	ip netns add "$tx" || fail "netns"
	ip link set "$LT_DEV" netns "$tx" || fail "move $LT_DEV"
	ip -n "$tx" link set "$LT_DEV" up || fail "link up"
	ip -n "$tx" addr add 10.78.0.1/24 dev "$LT_DEV"
	ip -n "$tx" route add 224.0.0.0/4 dev "$LT_DEV"

	out=$(ip netns exec "$tx" "$CTL" qdisc add "$LT_DEV" handle 1: offload 1 2>&1) &&
		fail "offload accepted on the root of a 4-queue device"
	echo "root: $out"
	echo "$out" | grep -q "needs st2110 as an mq child, one per TX queue" || fail "root: no extack: $out"
	for q in 0 1 2 3; do
		eq "queue $q enables after the refusal" "$(lt_counter $q enables)" 0 || return 1
	done

	tc -n "$tx" qdisc add dev "$LT_DEV" root handle 1: mq || fail "mq"
	ip netns exec "$tx" "$CTL" qdisc add "$LT_DEV" parent 1:2 handle 10: offload 1 || fail "st2110 on queue 1"
	ip netns exec "$tx" "$CTL" qdisc add "$LT_DEV" parent 1:3 handle 20: offload 1 || fail "st2110 on queue 2"
	cat "$LT_DBG/counters"
	for q in 0 3; do
		eq "queue $q enables" "$(lt_counter $q enables)" 0 || return 1
	done
	for q in 1 2; do
		eq "queue $q enables" "$(lt_counter $q enables)" 1 || return 1
		eq "queue $q launchtime" "$(lt_counter $q launchtime)" 1 || return 1
	done
	eq "offload (queue 1 qdisc)" "$(ip netns exec "$tx" "$CTL" show "$LT_DEV" 10: | awk '$1 == "offload" { print $2 }')" 1 || return 1
	ip netns exec "$tx" "$CTL" class add "$LT_DEV" 10:1 dst 239.10.0.1 port 5001 \
		video $PACE_VIDEO || fail "video class"
	ip netns exec "$tx" "$CTL" class add "$LT_DEV" 20:1 dst 239.10.0.2 port 5002 \
		audio 48000,2,24,48 || fail "audio class"
	echo 1 >"$LT_DBG/records"
	softirq_fifo
	ip netns exec "$tx" "$STSEND" --video 640x360p50 --mode burst --dst 239.10.0.1 \
		--port 5001 --dev "$LT_DEV" --duration 1 --lead 20 --fifo -j \
		>"$dir/v.json" 2>"$dir/v.err" &
	sv=$!
	ip netns exec "$tx" "$STSEND" --audio 48000:2:L24:1ms --mode burst --dst 239.10.0.2 \
		--port 5002 --dev "$LT_DEV" --duration 1 --fifo=55 -j \
		>"$dir/a.json" 2>"$dir/a.err" || { cat "$dir/a.err"; fail "audio sender"; }
	wait $sv || { cat "$dir/v.err"; fail "video sender"; }
	sleep 0.5
	cat "$dir"/*.err
	cat "$LT_DBG/records" >"$dir/rec.txt"
	cat "$LT_DBG/counters"
	# the format's TRS, from the sender's --count-only report
	"$STSEND" --video 640x360p50 --dst 239.10.0.1 --count-only -j >"$dir/vc.json" ||
		fail "st2110-send --count-only"
	lt_check "$dir/rec.txt" "$dir/vc.json" "$ICOUNT" || return 1
	eq "video packets at the driver" "$(lt_counter 1 pkts)" \
		"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["packets"])' "$dir/v.json")" || return 1
	eq "audio packets at the driver" "$(lt_counter 2 pkts)" \
		"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["packets"])' "$dir/a.json")" || return 1

	# offload off on queue 2: disabled there, packets without launch time
	ip netns exec "$tx" "$CTL" qdisc change "$LT_DEV" parent 1:3 handle 20: offload 0 ||
		fail "offload 0"
	eq "queue 2 disables" "$(lt_counter 2 disables)" 1 || return 1
	eq "queue 2 launchtime" "$(lt_counter 2 launchtime)" 0 || return 1
	eq "queue 1 disables" "$(lt_counter 1 disables)" 0 || return 1
	echo 1 >"$LT_DBG/records"
	ip netns exec "$tx" "$STSEND" --audio 48000:2:L24:1ms --mode burst --dst 239.10.0.2 \
		--port 5002 --dev "$LT_DEV" --duration 0.2 -j >/dev/null || fail "audio sender"
	sleep 0.2
	[ "$(lt_counter 2 pkts)" -gt 0 ] || fail "no audio at the driver"
	eq "queue 2 tstamp_pkts with offload 0" "$(lt_counter 2 tstamp_pkts)" 0 || return 1
	# deleting the qdiscs disables what is left
	tc -n "$tx" qdisc del dev "$LT_DEV" root || fail "qdisc del"
	cat "$LT_DBG/counters"
	for q in 0 1 2 3; do
		eq "queue $q enables = disables" "$(lt_counter $q disables)" "$(lt_counter $q enables)" || return 1
		eq "queue $q launchtime after del" "$(lt_counter $q launchtime)" 0 || return 1
	done
}

# rtp NS ARGS...: rtp_send.py in NS
rtp() { local ns=$1; shift; ip netns exec "$ns" python3 "$TOP/selftests/qdisc/rtp_send.py" "$@"; }

# backlog_zero NS: the qdisc drains within 2 s (nothing stalls)
backlog_zero()
{
	local i

	for i in $(seq 20); do
		[ "$(tc -n "$1" -s qdisc show dev v0 | awk '/backlog/ { print $3; exit }')" = 0p ] &&
			return 0
		sleep 0.1
	done
	tc -n "$1" -s qdisc show dev v0
	return 1
}

# A sender that falls behind, jumps forward and jumps back in RTP time,
# audio and video: the late and horizon counters move, every packet still
# leaves (at once when its time is past or too far ahead), nothing stalls.
sender_behind_and_rtp_jumps()
{
	local tx=$P-jmp-tx rx=$P-jmp-rx rx0 n=0 k late

	load_module || fail "insmod"
	pair jmp || fail "veth setup"
	ctl "$tx" qdisc add v0 handle 1: || fail "qdisc add"
	ctl "$tx" class add v0 1:1 dst 239.10.0.1 port 5004 \
		video $PACE_VIDEO || fail "class 1:1"
	ctl "$tx" class add v0 1:2 dst 239.10.0.3 port 5004 \
		audio 48000,2,24,48 || fail "class 1:2"
	rx0=$(rx_pkts "$rx")
	# audio: 5 ms behind (the first ones late), 1 s ahead (beyond the
	# horizon: at once), 1 s behind (late by a second), then on time
	rtp "$tx" 239.10.0.3 5004 audio -5000000 20 >/dev/null || fail "audio behind"
	late=$(cval "$tx" 1:2 late_pkts)
	[ "$late" -ge 1 ] || fail "audio 5 ms behind: late_pkts $late"
	rtp "$tx" 239.10.0.3 5004 audio 1000000000 20 >/dev/null || fail "audio forward"
	eq "audio horizon_pkts" "$(cval "$tx" 1:2 horizon_pkts)" 20 || return 1
	rtp "$tx" 239.10.0.3 5004 audio -1000000000 20 >/dev/null || fail "audio back"
	eq "audio late_pkts" "$(cval "$tx" 1:2 late_pkts)" $((late + 20)) || return 1
	[ "$(cval "$tx" 1:2 late_max_ns)" -ge 900000000 ] ||
		fail "audio late_max_ns $(cval "$tx" 1:2 late_max_ns) < 0.9 s"
	rtp "$tx" 239.10.0.3 5004 audio 0 20 >/dev/null || fail "audio on time"
	n=$((n + 80))
	# video frames of 100 packets: 3 frames behind, 100 ahead, 1000
	# behind, then 1 ahead (held until its schedule)
	rtp "$tx" 239.10.0.1 5004 video -3 100 >/dev/null || fail "video behind"
	eq "video late_pkts" "$(cval "$tx" 1:1 late_pkts)" 100 || return 1
	rtp "$tx" 239.10.0.1 5004 video 100 100 >/dev/null || fail "video forward"
	eq "video horizon_pkts" "$(cval "$tx" 1:1 horizon_pkts)" 100 || return 1
	rtp "$tx" 239.10.0.1 5004 video -1000 100 >/dev/null || fail "video back"
	eq "video late_pkts" "$(cval "$tx" 1:1 late_pkts)" 200 || return 1
	rtp "$tx" 239.10.0.1 5004 video 1 100 >/dev/null || fail "video on time"
	n=$((n + 400))
	backlog_zero "$tx" || fail "the queue does not drain"
	k=$(($(rx_pkts "$rx") - rx0))
	eq "receiver rx_packets" "$k" "$n" || return 1
	echo "audio: late $(cval "$tx" 1:2 late_pkts) (max $(cval "$tx" 1:2 late_max_ns) ns) horizon $(cval "$tx" 1:2 horizon_pkts); video: late $(cval "$tx" 1:1 late_pkts) horizon $(cval "$tx" 1:1 horizon_pkts) frames $(cval "$tx" 1:1 frames)"
}

# "st2110 monitor": the module's generic netlink events.  Late audio and
# video drops at a class limit arrive as JSON lines with the device, the
# class, the value and the count they stand for; one per kind and class per
# 100 ms; nothing reaches a monitor in another namespace; the per-namespace
# config rejects bad values (nothing changes) and non-root writers, and its
# rate limit counts what it suppresses; rmmod with a monitor listening.
monitor_events()
{
	local tx=$P-mon-tx rx=$P-mon-rx st=${O:-$TOP/build}/st2110 mon other out late drops i dir
	local nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"

	load_module || fail "insmod"
	dir=$(mktemp -d) || fail "mktemp"
	pair mon || fail "veth setup"
	ip netns exec "$tx" "$CTL" qdisc add v0 handle 1: || fail "qdisc add"
	ip netns exec "$tx" "$CTL" class add v0 1:1 dst 239.10.0.1 port 5004 \
		video 640,360,0,2,1,2,10,0 limit 5 || fail "class 1:1"
	ip netns exec "$tx" "$CTL" class add v0 1:2 dst 239.10.0.3 port 5004 \
		audio 48000,2,24,48 || fail "class 1:2"

	# config: defaults, bad values, no permission, a good change
	out=$(ip netns exec "$tx" "$st" monitor config show) || fail "config show"
	[ "$out" = "rate 100 burst 100 suppressed 0" ] || fail "config show: $out"
	out=$(ip netns exec "$tx" "$st" monitor config set rate 0 2>&1) &&
		fail "rate 0 accepted"
	echo "rate 0: $out"
	echo "$out" | grep -q "out of range" || fail "rate 0: no extack: $out"
	out=$(ip netns exec "$tx" "$st" monitor config set burst 10001 2>&1) &&
		fail "burst 10001 accepted"
	echo "$out" | grep -q "out of range" || fail "burst 10001: $out"
	out=$(ip netns exec "$tx" "$st" monitor config set 2>&1) && fail "empty set accepted"
	echo "$out" | grep -q "Nothing to set" || fail "empty set: $out"
	out=$(ip netns exec "$tx" $nobody "$st" monitor config set rate 5 2>&1) &&
		fail "unprivileged set accepted"
	echo "$out" | grep -q "Operation not permitted" || fail "unprivileged set: $out"
	out=$(ip netns exec "$tx" $nobody "$st" monitor config show) || fail "unprivileged show"
	[ "$out" = "rate 100 burst 100 suppressed 0" ] || fail "rejections changed the config: $out"
	out=$(ip netns exec "$tx" "$st" -j monitor config show)
	[ "$out" = '{"rate_per_sec":100,"burst":100,"suppressed":0}' ] || fail "config -j: $out"

	# events: a monitor here, one in the receiver's namespace
	ip netns exec "$tx" "$st" -j monitor >"$dir/mon.json" 2>"$dir/mon.err" &
	mon=$!
	ip netns exec "$rx" "$st" -j monitor >"$dir/other.json" 2>&1 &
	other=$!
	sleep 1
	# audio 1 s behind: late; three rounds 150 ms apart (hold-off 100 ms)
	for i in 1 2 3; do
		rtp "$tx" 239.10.0.3 5004 audio -1000000000 20 >/dev/null || fail "audio behind"
		sleep 0.15
	done
	# a 640x360p2 frame written 700 TRS (467 ms) early: 5 queued, the
	# rest dropped at the class limit, however slowly the sender writes
	ip netns exec "$tx" "$STSEND" --video 640x360p2 --mode burst --dst 239.10.0.1 \
		--dev v0 --frames 1 --lead 700 >/dev/null 2>&1 || fail "st2110-send"
	sleep 1
	kill "$mon" "$other"
	wait "$mon" "$other" 2>/dev/null
	late=$(cval "$tx" 1:2 late_pkts)
	drops=$(cval "$tx" 1:1 class_drops)
	echo "class counters: audio late $late, video drops $drops"
	cat "$dir/mon.json"
	[ ! -s "$dir/mon.err" ] || { cat "$dir/mon.err"; fail "monitor failed"; }
	[ -s "$dir/other.json" ] && fail "the receiver's namespace saw: $(cat "$dir/other.json")"
	python3 - "$dir/mon.json" "$late" "$drops" <<'PY' || fail "events"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
late, drops = int(sys.argv[2]), int(sys.argv[3])
# (the video frame's packets may be late too: only the audio's are counted)
lt = [e for e in ev if e["event"] == "late" and e["class"] == "1:2"]
dr = [e for e in ev if e["event"] == "drop"]
ok = True
def need(c, what):
    global ok
    if not c:
        print("FAIL:", what)
        ok = False
need(len(lt) >= 3, "3 late rounds 150 ms apart give >= 3 late events, got %d" % len(lt))
need(all(e["dev"] == "v0" and e["ifindex"] > 0 and e["value"] >= 900000000 for e in lt),
     "late events name v0 and a lateness >= 0.9 s")
need(0 < sum(e["count"] for e in lt) <= late, "late counts add up to at most late_pkts %d" % late)
need(dr and all(e["class"] == "1:1" and e["limit_pkts"] == 5 for e in dr),
     "drop events name class 1:1 and its limit 5")
need(dr and 0 < sum(e["count"] for e in dr) <= drops and max(e["value"] for e in dr) <= drops,
     "drop counts and values at most class_drops %d" % drops)
for kind in (lt, dr):
    t = [e["time_ns"] for e in kind]
    need(all(b - a >= 100000000 for a, b in zip(t, t[1:])), "one event per kind per 100 ms")
sys.exit(0 if ok else 1)
PY

	# the namespace's rate limit: burst 1, one event per second; three
	# classes late within a millisecond: one event, two suppressed
	for i in 3 4; do
		ip netns exec "$tx" "$CTL" class add v0 1:$i dst 239.10.0.$((i + 1)) port 5004 \
			audio 48000,2,24,48 || fail "class 1:$i"
	done
	ip netns exec "$tx" "$st" monitor config set rate 1 burst 1 || fail "config set"
	out=$(ip netns exec "$tx" "$st" monitor config show)
	case $out in "rate 1 burst 1 suppressed "*) ;; *) fail "config after set: $out" ;; esac
	ip netns exec "$tx" "$st" -j monitor >"$dir/mon2.json" 2>&1 &
	mon=$!
	sleep 1
	rtp "$tx" 239.10.0.3,239.10.0.4,239.10.0.5 5004 audio -1000000000 1 >/dev/null ||
		fail "audio behind"
	sleep 0.5
	kill "$mon"
	wait "$mon" 2>/dev/null
	out=$(ip netns exec "$tx" "$st" monitor config show)
	echo "3 classes late at once, rate 1 burst 1: $(wc -l <"$dir/mon2.json") event(s), $out"
	[ "$(wc -l <"$dir/mon2.json")" = 1 ] || fail "not one event: $(cat "$dir/mon2.json")"
	[ "${out##* }" = 2 ] || fail "not 2 suppressed: $out"

	# rmmod with a monitor listening
	ip netns exec "$tx" "$st" monitor >/dev/null 2>&1 &
	mon=$!
	sleep 0.5
	ip netns del "$tx"
	ip netns del "$rx"
	wait_unused && rmmod sch_st2110 || { kill "$mon"; fail "rmmod with a monitor listening"; }
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	rm -rf "$dir"
	load_module || fail "insmod again"
}

# skbuff_head_cache objects in use
skb_objs() { awk '$1 == "skbuff_head_cache" { print $2 }' /proc/slabinfo; }

# A paced class holding a flood of future frames: its limit drops (counted),
# the backlog stays bounded, change and replace work with packets queued,
# del and rmmod with packets queued leave no skb behind.
paced_overflow_del_rmmod()
{
	local tx=$P-pov-tx pid b0 b1 drops backlog err i atdel

	load_module || fail "insmod"
	pair pov || fail "veth setup"
	b0=$(skb_objs)
	ctl "$tx" qdisc add v0 handle 1: limit 2000 || fail "qdisc add"
	ctl "$tx" class add v0 1:1 dst 239.10.0.1 port 5004 \
		video 640,360,0,2,1,2,10,0 limit 300 || fail "class add"
	[ -x "$STSEND" ] || { echo "SKIP: $STSEND missing (make userspace)"; return 4; }
	err=$(mktemp) || fail "mktemp"
	# 640x360p2: each 720-packet frame written 700 TRS (467 ms) ahead of
	# its first read time; the class holds its limit's worth, the rest of
	# every burst is dropped.  The queue drains at one packet per TRS
	# (667 us), far slower than even a starved sender under TCG writes, and
	# is never empty: the next burst comes before the last packet is due.
	ip netns exec "$tx" "$STSEND" --video 640x360p2 --mode burst \
		--dst 239.10.0.1 --dev v0 --duration 60 --lead 700 >/dev/null 2>"$err" &
	pid=$!
	# poll: the first burst is up to one frame (0.5 s) away; the sender
	# runs until it is killed after del, however slow the commands are
	for i in $(seq 60); do
		sleep 0.1
		[ "$(cval "$tx" 1:1 class_drops)" -gt 0 ] 2>/dev/null && break
	done
	backlog=$(cval "$tx" 1:1 qlen)
	drops=$(cval "$tx" 1:1 class_drops)
	echo "class 1:1 after $i polls: qlen ${backlog:-?} drops $drops; skbuff_head_cache $b0 at start, $(skb_objs) now"
	[ "${drops:-0}" -gt 0 ] || { kill $pid; sed 's/^/st2110-send: /' "$err"; fail "no class drop"; }
	[ -z "$backlog" ] || [ "$backlog" -le 300 ] || { kill $pid; fail "qlen $backlog > limit 300"; }
	ctl "$tx" qdisc change v0 handle 1: limit 100 ||
		{ kill $pid; fail "change with packets queued"; }
	ctl "$tx" qdisc replace v0 handle 1: limit 5000 ||
		{ kill $pid; fail "replace with packets queued"; }
	eq "class kept" "$(cval "$tx" 1:1 port)" 5004 || { kill $pid; return 1; }
	atdel=$(tc -n "$tx" -s qdisc show dev v0 | grep -m1 backlog)
	echo "at del: $atdel"
	[ "$(echo "$atdel" | awk '{ sub("p", "", $3); print $3 }')" -gt 0 ] 2>/dev/null ||
		{ kill $pid; fail "nothing queued at del: $atdel"; }
	tc -n "$tx" qdisc del dev v0 root || { kill $pid; fail "del with packets queued"; }
	# it writes until stopped: the queue is never empty while it runs
	kill $pid
	wait $pid
	rm -f "$err"
	wait_unused && rmmod sch_st2110 || fail "rmmod after del"
	sleep 1
	b1=$(skb_objs)
	echo "skbuff_head_cache after rmmod: $b1 (start $b0)"
	# the class held up to 300 skbs: a leak of them would show
	[ "$b1" -lt $((b0 + 200)) ] || fail "skbuff_head_cache $b0 -> $b1: skbs leaked"
	load_module || fail "insmod again"
}

# ---- run -------------------------------------------------------------------

n=0
failed=0
for t in "${TESTS[@]}"; do
	start=$SECONDS
	f0=$(forks)
	out=$( ("$t") 2>&1 )
	rc=$?
	cleanup
	out="$out${out:+$'\n'}$t took $((SECONDS - start)) s, $(($(forks) - f0)) processes"
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
	why=
	[ $rc != 4 ] || why=$(printf '%s\n' "$out" | sed -n 's/^SKIP: //p' | tail -1)
	result $rc "$t" "$why"
done

# The VM fails the run on a kernel warning too; this also covers other beds.
if dmesg 2>/dev/null | grep -E -q 'WARNING:|BUG:|Oops'; then
	echo "# kernel log:"
	dmesg | grep -E -A5 'WARNING:|BUG:|Oops' | sed 's/^/# /'
	failed=$((failed + 1))
fi
grep -q '^sch_st2110 ' /proc/modules && wait_unused && rmmod sch_st2110
[ $failed = 0 ]
