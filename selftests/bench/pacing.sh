#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pacing.sh - the same ST 2110 stream through five pacers, side by side
# (a measurement, not a test: nothing here passes or fails).
#
#   pacing.sh [--smoke] [--modes "icount tcg"] [--kernel 6.1] [--out DIR]
#
# For each mode, ONE boot of the QEMU test bed runs every pacer in turn on a
# fresh veth pair between two network namespaces, for 640x360p50 video
# written in whole-frame bursts (or paced by the sender) and for 125-us
# ST 2110-30 audio (48 kHz, 2 ch, L24):
#
#   st2110  sch_st2110, one class with the stream's format (lead 4 TRS);
#           the sender writes each frame 20 TRS before TPR_0
#   fq      sch_fq maxrate = one packet per TRS (audio: per packet time),
#           quantum = one packet, so fq paces every packet; the sender
#           writes each frame 4 TRS before TPR_0
#   etf     sch_etf clockid CLOCK_TAI delta 4 TRS (no offload on veth: etf
#           releases each packet at txtime - delta, drops it once past
#           txtime), fed by st2110-send --mode txtime (txtime = TPR_j)
#   paced   no qdisc (noqueue), st2110-send --mode paced --lead 4 sleeps
#           to each packet's TPR_j - 4 TRS
#   none    no qdisc (noqueue, veth's default), bursts written 4 TRS early
#
# The receiver captures with nanosecond timestamps; everything is judged on
# the host afterwards (report.py): st2110-analyze for the strict CINST/VRX
# model, its own pass over the capture for per-frame verdicts, per-packet
# release error and its histograms.  Audio is sent as a playback source
# writes it: packet k at its sampling instant k * packet time.
#
# --smoke: 0.2 s of video and audio through sch_st2110 and no pacer, TCG
# only: proves the benchmark runs, measures nothing.
#
# In the guest (internal): pacing.sh --guest DIR SECS_VIDEO SECS_AUDIO PACERS
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
P=st2110b$$
. "$TOP/selftests/bench/lib.sh"

VGROUP=239.10.1.1
AGROUP=239.10.1.2
PORT=5004
VIDEO=640x360p50
CLASS_VIDEO=640,360,0,50,1,2,10,0	# W,H,SCAN,NUM,DEN,SAMPLING(4:2:2),DEPTH,PACKING(GPM)
AUDIO=48k:2:L24:125us
CLASS_AUDIO=48000,2,24,6		# RATE,CH,BITS,SAMPLES/PKT
TRS_NS=26666				# 640x360p50 gapped TRS (80000/3 ns)
PTIME_NS=125000
VLEN=862	# bytes at the qdisc: Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 + 808
ALEN=90		# Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 + 36 (6 samples x 2 ch x 3 B)
ETF_DELTA_NS=$((4 * TRS_NS))
PACERS="st2110 fq etf paced none"

# ---- guest side -------------------------------------------------------------

# setup_pacer PACER MEDIA TX: the qdisc; prints the sender's extra options
setup_pacer()
{
	local pacer=$1 media=$2 tx=$3 rate len
	if [ "$media" = video ]; then
		rate=$((VLEN * 37500)); len=$VLEN	# 1/TRS = 37500 packets/s
	else
		rate=$((ALEN * 1000000000 / PTIME_NS)); len=$ALEN
	fi

	case $pacer in
	st2110)
		load_st2110 || { echo "skip: insmod $KO failed"; return 1; }
		ip netns exec "$tx" "$CTL" qdisc add v0 handle 1: >&2 ||
			{ echo "skip: st2110 qdisc add failed"; return 1; }
		if [ "$media" = video ]; then
			ip netns exec "$tx" "$CTL" class add v0 1:1 dst $VGROUP port $PORT \
				video $CLASS_VIDEO >&2
		else
			ip netns exec "$tx" "$CTL" class add v0 1:1 dst $AGROUP port $PORT \
				audio $CLASS_AUDIO >&2
		fi || { echo "skip: st2110 class add failed"; return 1; }
		echo "--mode burst --lead 20"
		;;
	fq)
		modprobe sch_fq 2>/dev/null
		tc -n "$tx" qdisc add dev v0 root handle 1: fq maxrate "${rate}Bps" \
			quantum "$len" initial_quantum "$len" flow_limit 10000 \
			limit 20000 >&2 || { echo "skip: sch_fq not available"; return 1; }
		echo "--mode burst --lead 4"
		;;
	etf)
		modprobe sch_etf 2>/dev/null
		tc -n "$tx" qdisc add dev v0 root handle 1: etf clockid CLOCK_TAI \
			delta $ETF_DELTA_NS >&2 || { echo "skip: sch_etf not available"; return 1; }
		echo "--mode txtime --lead 0"
		;;
	paced)
		echo "--mode paced --lead 4"
		;;
	none)
		echo "--mode burst --lead 4"
		;;
	esac
}

# run_one PACER MEDIA SECS OUTDIR: one stream through one pacer on the
# veth pair of the run (the root qdisc is replaced for each pacer)
TX=$P-p-tx
RX=$P-p-rx
run_one()
{
	local pacer=$1 media=$2 secs=$3 dir=$4/$1-$2
	local opts group c0 c1 t0 t1 rc=0 reason='' fmt

	mkdir -p "$dir"
	tc -n "$TX" qdisc del dev v0 root >/dev/null 2>&1
	if ! opts=$(setup_pacer "$pacer" "$media" "$TX"); then
		echo "${opts#skip: }" >"$dir/skip"
		note "$pacer/$media: ${opts#skip: }"
		return 0
	fi
	if [ "$media" = video ]; then
		group=$VGROUP; fmt=(--video "$VIDEO")
	else
		group=$AGROUP; fmt=(--audio "$AUDIO")
	fi
	capture_start "$RX" "$dir/rx.pcap" "udp and dst port $PORT" ||
		{ echo "tcpdump did not start" >"$dir/skip"; return 1; }
	t0=$(proc_ns "$CAP_PID")
	c0=$(cpu_busy_ns)
	# shellcheck disable=SC2086 # opts are words
	ip netns exec "$TX" "$STSEND" "${fmt[@]}" $opts --dst $group --port $PORT \
		--dev v0 --duration "$secs" --fifo --sdp "$dir/stream.sdp" -j \
		>"$dir/send.json" 2>"$dir/send.err" || { rc=$?; reason="st2110-send exit $rc"; }
	# sch_st2110 holds the last frame for up to a frame time, fq spreads it
	sleep 0.1
	c1=$(cpu_busy_ns)
	t1=$(proc_ns "$CAP_PID")
	capture_stop
	mv "$dir/rx.pcap.log" "$dir/tcpdump.log"
	tc -n "$TX" -s qdisc show dev v0 >"$dir/qdisc.txt" 2>&1
	[ "$pacer" != st2110 ] ||
		ip netns exec "$TX" "$CTL" class-show v0 1:1 >"$dir/class.txt" 2>&1
	cat >"$dir/meta.json" <<EOF
{"pacer":"$pacer","media":"$media","secs":$secs,"send_opts":"$opts","tai_offset_s":$TAI_S,
 "busy_ns":$((c1 - c0)),"tcpdump_ns":$((t1 - t0)),
 "etf_delta_ns":$ETF_DELTA_NS,"kernel":"$KVER","nproc":$NPROC,"error":"$reason"}
EOF
	note "$pacer/$media: done${reason:+ ($reason)}"
}

guest()
{
	local dir=$1 vsecs=$2 asecs=$3 pacers=$4 p

	[ "$(id -u)" = 0 ] || die "needs root"
	[ -e /proc/modules ] || die "needs a kernel that loads modules (the VM)"
	for p in "$CTL" "$STSEND"; do
		[ -x "$p" ] || die "$p missing (make userspace selftests)"
	done
	command -v tcpdump >/dev/null || die "no tcpdump"
	trap bench_cleanup EXIT
	mkdir -p "$dir"
	TAI_S=$(tai_offset_s)
	KVER=$(uname -r)
	NPROC=$(nproc)
	pair p || die "veth setup"
	softirq_fifo
	for p in $pacers; do
		run_one "$p" video "$vsecs" "$dir"
		run_one "$p" audio "$asecs" "$dir"
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

# ---- host side ----------------------------------------------------------------

smoke=0
modes="icount tcg"
pacers=$PACERS
kernel=6.1
out=
while [ $# -gt 0 ]; do
	case $1 in
	--smoke)	smoke=1; modes=tcg; pacers="st2110 none" ;;
	--modes)	modes=${2?}; shift ;;
	--kernel)	kernel=${2?}; shift ;;
	--out)		out=${2?}; shift ;;
	*)		echo "usage: pacing.sh [--smoke] [--modes \"icount tcg\"] [--kernel K] [--out DIR]" >&2; exit 2 ;;
	esac
	shift
done
out=${out:-$B/bench/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ $smoke = 1 ]; then vsecs=0.2; asecs=0.2; else vsecs=1; asecs=0.5; fi

status=0
for m in $modes; do
	d=$out/pacing-$m
	rm -rf "$d"; mkdir -p "$d"
	args=(--kernel "$kernel" --rw "$out" --timeout 1500)
	[ "$m" = icount ] && args+=(--icount)
	echo "# pacing, $m mode, kernel $kernel: booting the test bed (host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	load0=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s)
	"$TOP/selftests/vm/run-vm.sh" "${args[@]}" -- \
		"$TOP/selftests/bench/pacing.sh" --guest "$d" "$vsecs" "$asecs" "$pacers" ||
		{ echo "# pacing $m: the VM run failed ($?)" >&2; status=1; }
	printf '{"mode":"%s","kernel":"%s","wall_s":%d,"host_nproc":%d,"host_load_start":%s,"host_load_end":%s,"smoke":%d}\n' \
		"$m" "$kernel" $(($(date +%s) - start)) "$(nproc)" "$load0" \
		"$(cut -d' ' -f1 /proc/loadavg)" $smoke >"$d/run.json"
	python3 "$TOP/selftests/bench/report.py" pacing "$d" || status=1
done
exit $status
