#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the main job.  On a machine that cannot load modules it boots
# the built-in test bed (a Debian kernel under QEMU) and runs
# selftests/demo/chain.sh there with sch_st2110 loaded:
#
#   sender ──veth── router ──veth── receiver A
#                          └─veth── receiver B
#
# an ST 2110-20 video and an ST 2110-30 audio stream from st2110-send (video
# written in whole-frame bursts), paced by sch_st2110 on the sender's veth,
# replicated to both receivers by the XDP program on the router, captured at
# both receivers.  Back on the host, selftests/demo/report.py prints the
# qdisc's and XDP's statistics, judges both captures with st2110-analyze and
# decodes the video with GStreamer's rtpvrawdepay.  Exit status 0 only if
# everything passed.
#
# The VM runs under -icount shift=0,sleep=off (virtual time, 1 vCPU): normal
# TCG timing is emulation noise and cannot show microsecond pacing.
#
# DEV=<iface>: on a machine that can load modules, run on that interface
# instead (selftests/demo/dev.sh).
#
# Environment: ST2110_DEMO_KERNEL (default 6.1), ST2110_DEMO_SECONDS (1),
# ST2110_DEMO_VIDEO (640x360p25: what the emulated CPU sustains through
# every hop), O (build directory).  Everything is logged to build/demo/demo.log.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${O:-$TOP/build}
cd "$TOP"

if [ -n "${DEV:-}" ]; then
	exec "$TOP/selftests/demo/dev.sh" "$DEV"
fi

kernel=${ST2110_DEMO_KERNEL:-6.1}
seconds=${ST2110_DEMO_SECONDS:-1}
video=${ST2110_DEMO_VIDEO:-640x360p25}
out=$B/demo
log=$out/demo.log

die() { echo "demo: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, XDP, QEMU's 9p root share)"
kver=$(selftests/vm/kernels.sh release "$kernel") || die "no Debian kernel '$kernel' known to apt"
ko=$B/kmod/$kver/sch_st2110.ko
[ -f "$ko" ] || die "$ko missing: run make kmod-all"
for f in "$B/st2110" "$B/st2110-send" "$B/st2110-analyze" "$B/selftests/qdisc/st2110_ctl"; do
	[ -x "$f" ] || die "$f missing: run make all selftests"
done
mkdir -p "$out"
rm -f "$out"/*.pcap "$out"/*.txt "$out"/*.json "$out"/*.raw "$out"/*.log "$out"/*.sdp
: >"$log"

echo "st2110 demo: kernel $kver under QEMU, -icount shift=0,sleep=off (virtual time, 1 vCPU)"
echo "  streams  ST 2110-20 $video 4:2:2 10 bit (bursts) + ST 2110-30 48 kHz 2 ch L24 1 ms, ${seconds} s"
echo "  path     sender -[sch_st2110]-> router (XDP replication) -> receivers A and B"
echo "  log      $log"
start=$(date +%s)
tty=0
[ -t 1 ] && tty=1
status=$out/.status
echo "boot: QEMU, Debian $kver" >"$status"
# The progress line: elapsed time and the current step, redrawn every
# second on a terminal; elsewhere each step is printed once as it starts.
show() { printf '%s[%3ds] %s' "$([ $tty = 1 ] && printf '\r\033[K')" \
	$(( $(date +%s) - start )) "$(cat "$status")"; [ $tty = 1 ] || echo; }
show
ticker=
if [ $tty = 1 ]; then
	( while sleep 1; do show; done ) &
	ticker=$!
fi
stop_ticker() { [ -z "$ticker" ] || kill "$ticker" 2>/dev/null || true; ticker=; }
trap stop_ticker EXIT

rc=0
selftests/vm/run-vm.sh --kernel "$kernel" --icount --timeout 900 --rw "$out" \
	--env ST2110_DEMO_VM=1 \
	--log "$out/dmesg.txt" -- sh -c "
		insmod '$ko' &&
		echo 'sch_st2110 loaded:' \$(cat /sys/module/sch_st2110/initstate) &&
		selftests/demo/chain.sh --qdisc st2110 --seconds $seconds --video $video --out '$out'
	" 2>&1 | while IFS= read -r line; do
		printf '%s\n' "$line" >>"$log"
		case $line in
		'==> '*)
			[ $tty = 1 ] && echo
			line=${line#==> }
			printf '%s\n' "${line% (uptime *}" >"$status"
			show ;;
		esac
	done
rc=${PIPESTATUS[0]}
[ $tty = 1 ] && echo
stop_ticker
vm_s=$(( $(date +%s) - start ))

if [ "$rc" -ne 0 ]; then
	echo "demo: FAILED: the VM run ended with status $rc after ${vm_s}s" >&2
	case $rc in
	124) echo "demo: (timeout)" >&2 ;;
	125) echo "demo: (the guest kernel warned or oopsed: $out/dmesg.txt)" >&2 ;;
	123) echo "demo: (the test bed itself failed)" >&2 ;;
	esac
	echo "demo: last lines of $log:" >&2
	tail -n 15 "$log" | sed 's/^/    /' >&2
	exit 1
fi

printf '[%3ds] %s\n' "$vm_s" "judging: st2110-analyze and GStreamer on the host"
rc=0
python3 "$TOP/selftests/demo/report.py" "$out" 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
total=$(( $(date +%s) - start ))
echo
if [ "$rc" -eq 0 ]; then
	echo "demo: OK in ${total}s (VM ${vm_s}s); captures, SDP, reports and log in $out/"
	echo "demo: timing figures are virtual time (QEMU icount), not real hardware."
else
	echo "demo: FAILED (see above); captures, reports and log in $out/" >&2
fi
exit "$rc"
