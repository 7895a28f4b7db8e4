#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scale.sh - how many concurrent streams one sch_st2110 keeps Type N, and
# how its cost per packet grows with them (a measurement, not a test).
#
#   scale.sh [--smoke] [--mode icount|tcg] [--kernel 6.1] [--out DIR]
#            [--streams "1 4 16 64"] [--secs 1]
#
# One boot of the QEMU test bed (icount by default: virtual time, where
# pacing can be judged) runs 1, 4, 16 and 64 streams in turn.  Each stream
# is 160x90p25 4:2:2 10 bit video (90 packets per frame, 2250 packets/s),
# written in bursts (LEAD TRS early) by its own st2110-send process to its own multicast
# group, and paced by its own class of one sch_st2110 on a veth.  The
# receiver captures everything; report.py judges each stream's frames
# (Type N: strict CINST, VRX, no packet after its TPR_j) on the host.
# The senders start one after another from one shell (the binary already
# in the guest's page cache), so the first frames of each stream overlap
# with fewer streams; every frame is judged anyway, and the table shows
# how far apart the streams' first packets were.
#
# --smoke: 1 and 2 streams for 0.3 s, TCG: proves the benchmark runs.
#
# In the guest (internal): scale.sh --guest DIR SECS "N1 N2 ..."
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
P=st2110s$$
. "$TOP/selftests/bench/lib.sh"

VIDEO=160x90p25
CLASS_VIDEO=160,90,0,25,1,2,10,0	# W,H,SCAN,NUM,DEN,SAMPLING(4:2:2),DEPTH,PACKING(GPM)
PORT=5004
# The senders write each frame LEAD TRS (426.7 us each) before TPR_0: 60
# (25.6 ms) leaves them time to write all their bursts, which wake at the
# same instants, before the first packet is due; sch_st2110 holds packets
# up to two frames ahead.  With a short lead the scale found is the
# senders' (their late writes show as q-late), not the qdisc's.
LEAD=${ST2110_SCALE_LEAD:-60}

# run_n N SECS DIR
run_n()
{
	local n=$1 secs=$2 dir=$3/n$1 c0 c1 t0 t1

	mkdir -p "$dir"
	tc -n "$TX" qdisc del dev v0 root >/dev/null 2>&1
	# one shell in the sender's namespace for all the classes (one ip
	# netns exec instead of N: each costs 0.1-1 s of wall time)
	ip netns exec "$TX" bash -c '
		"$0" qdisc add v0 handle 1: || exit 1
		for i in $(seq 1 '"$n"'); do
			"$0" class add v0 1:$i dst 239.10.2.$i port '"$PORT"' \
				video '"$CLASS_VIDEO"' || exit 1
		done' "$CTL" || return 1
	capture_start "$RX" "$dir/rx.pcap" "udp and dst port $PORT" || return 1
	t0=$(proc_ns "$CAP_PID")
	c0=$(cpu_busy_ns)
	# one shell in the sender's namespace starts them all (one ip netns
	# exec instead of N)
	ip netns exec "$TX" bash -c '
		for i in $(seq 0 $(('"$n"' - 1))); do
			"$0" --video '"$VIDEO"' --mode burst --lead '"$LEAD"' \
				--dst 239.10.2.$((i + 1)) --port '"$PORT"' --dev v0 \
				--duration '"$secs"' --fifo -j >"$1/send$i.json" 2>"$1/send$i.err" &
		done
		wait' "$STSEND" "$dir"
	sleep 0.1
	c1=$(cpu_busy_ns)
	t1=$(proc_ns "$CAP_PID")
	capture_stop
	mv "$dir/rx.pcap.log" "$dir/tcpdump.log"
	ip netns exec "$TX" bash -c '
		"$0" show v0 >"$1/qdisc.txt" 2>&1
		for i in $(seq 1 '"$n"'); do
			"$0" class-show v0 1:$i >"$1/class$i.txt" 2>&1
		done' "$CTL" "$dir"
	cat >"$dir/meta.json" <<EOF
{"streams":$n,"video":"$VIDEO","secs":$secs,"lead_trs":$LEAD,"tai_offset_s":$TAI_S,
 "busy_ns":$((c1 - c0)),"tcpdump_ns":$((t1 - t0)),
 "kernel":"$KVER","nproc":$NPROC}
EOF
	note "scale: $n streams done"
}

guest()
{
	local dir=$1 secs=$2 ns=$3 n

	[ "$(id -u)" = 0 ] || die "needs root"
	[ -e /proc/modules ] || die "needs a kernel that loads modules (the VM)"
	for n in "$CTL" "$STSEND"; do
		[ -x "$n" ] || die "$n missing (make userspace selftests)"
	done
	command -v tcpdump >/dev/null || die "no tcpdump"
	trap bench_cleanup EXIT
	mkdir -p "$dir"
	TAI_S=$(tai_offset_s)
	KVER=$(uname -r)
	NPROC=$(nproc)
	TX=$P-s-tx
	RX=$P-s-rx
	load_st2110 || die "insmod $KO"
	pair s || die "veth setup"
	# Once read over 9p the sender's pages stay in the guest's cache, so
	# that starting 64 of them costs little guest time and they overlap.
	"$STSEND" --count-only --video $VIDEO --dst 239.10.2.1 >/dev/null
	softirq_fifo
	for n in $ns; do
		run_n "$n" "$secs" "$dir" || note "scale: $n streams failed"
	done
	bench_cleanup
	grep -q '^sch_st2110 ' /proc/modules && rmmod sch_st2110 2>/dev/null
	return 0
}

if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

smoke=0
mode=icount
kernel=6.1
out=
ns=
secs=
while [ $# -gt 0 ]; do
	case $1 in
	--smoke)	smoke=1; mode=tcg ;;
	--streams)	ns=${2?}; shift ;;
	--secs)		secs=${2?}; shift ;;
	--mode)		mode=${2?}; shift ;;
	--kernel)	kernel=${2?}; shift ;;
	--out)		out=${2?}; shift ;;
	*)		echo "usage: scale.sh [--smoke] [--mode icount|tcg] [--kernel K] [--out DIR] [--streams \"1 4 16 64\"] [--secs S]" >&2; exit 2 ;;
	esac
	shift
done
out=${out:-$B/bench/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
d=$out/scale-$mode
# another list or duration than the default: a directory of its own
[ -z "$ns$secs" ] || d=$d-n${ns// /-}-${secs:-1}s
if [ $smoke = 1 ]; then
	secs=${secs:-0.3}; ns=${ns:-1 2}
else
	secs=${secs:-1}; ns=${ns:-1 4 16 64}
fi
rm -rf "$d"; mkdir -p "$d"
args=(--kernel "$kernel" --rw "$out" --timeout 1500)
[ "$mode" = icount ] && args+=(--icount)
echo "# scale, $mode mode, kernel $kernel: booting the test bed (host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
load0=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s)
status=0
"$TOP/selftests/vm/run-vm.sh" "${args[@]}" -- \
	"$TOP/selftests/bench/scale.sh" --guest "$d" "$secs" "$ns" ||
	{ echo "# scale $mode: the VM run failed ($?)" >&2; status=1; }
printf '{"mode":"%s","kernel":"%s","wall_s":%d,"host_nproc":%d,"host_load_start":%s,"host_load_end":%s,"smoke":%d}\n' \
	"$mode" "$kernel" $(($(date +%s) - start)) "$(nproc)" "$load0" \
	"$(cut -d' ' -f1 /proc/loadavg)" $smoke >"$d/run.json"
python3 "$TOP/selftests/bench/report.py" scale "$d" || status=1
exit $status
