#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the main job.  On a machine that cannot load modules it boots
# the built-in test bed (a Debian kernel under QEMU) and runs the chain of
# selftests/demo/chain.sh there with sch_st2110 loaded: a real ST 2110-20
# stream from st2110-send in burst mode, paced by the qdisc on a veth,
# captured on the far side and judged by st2110-analyze.
#
# The VM runs under -icount shift=0,sleep=off (virtual time, 1 vCPU): normal
# TCG timing is emulation noise and cannot show microsecond pacing.
#
# Environment: ST2110_DEMO_KERNEL (default 6.1), ST2110_DEMO_SECONDS (1).
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${O:-$TOP/build}
cd "$TOP"
kernel=${ST2110_DEMO_KERNEL:-6.1}
seconds=${ST2110_DEMO_SECONDS:-1}

if [ -n "${DEV:-}" ]; then
	echo "demo: DEV=$DEV: running on a real interface comes with the pacing scheduler;" >&2
	echo "demo: today the demo runs only on the built-in VM test bed (unset DEV)" >&2
	exit 1
fi

kver=$(selftests/vm/kernels.sh release "$kernel")
ko=$B/kmod/$kver/sch_st2110.ko
[ -f "$ko" ] || { echo "demo: $ko missing: run make kmod-all" >&2; exit 1; }
mkdir -p "$B/demo"

echo "st2110 demo: kernel $kver under QEMU, -icount shift=0,sleep=off (virtual time, 1 vCPU)"
echo "  module  $ko"
echo "  stream  ST 2110-20 640x360p50 4:2:2 10-bit GPM, written in bursts, ${seconds}s"
echo "  (virtual time runs slower than wall time: expect about a minute)"
start=$(date +%s)
# A progress line while the VM boots and runs.
( while sleep 5; do printf '  ... %ds\n' $(( $(date +%s) - start )) >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT

rc=0
selftests/vm/run-vm.sh --kernel "$kernel" --icount --timeout 900 --rw "$B/demo" \
	--log "$B/demo/dmesg.txt" -- sh -c "
		insmod '$ko' &&
		echo 'sch_st2110 loaded:' \$(cat /sys/module/sch_st2110/initstate) &&
		selftests/demo/chain.sh --qdisc st2110 --seconds $seconds --out '$B/demo'
	" || rc=$?
kill $ticker 2>/dev/null || true

echo
if [ $rc -eq 0 ]; then
	echo "demo: OK in $(( $(date +%s) - start ))s; capture, SDP and reports in $B/demo/"
	echo "demo: timing figures above are virtual time (icount), not real hardware."
else
	echo "demo: FAILED (status $rc); guest kernel log in $B/demo/dmesg.txt" >&2
fi
exit $rc
