#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Throughput of st2110-analyze (a measurement, not a test).
#
# Writes a synthetic 2160p59.94 capture (17280 packets per frame, paced
# 4 packets ahead of the gapped schedule, 96-byte snap length, ns pcap),
# reads it once to warm the page cache, then analyzes it RUNS times with
# --perf, which reports packets/s on the wall clock and on the process's
# CPU time (user + system, the fair figure on a shared machine).
#   FRAMES (default 300 = 5.18 M packets), RUNS (default 3), O (build dir)
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$TOP/build}
FRAMES=${FRAMES:-300}
RUNS=${RUNS:-3}
CAP=$O/selftests/analyze/perf-2160p.pcap
make -s -C "$TOP/selftests/analyze" O="$O"
"$O/selftests/analyze/analyze_test" --write-perf "$CAP" "$FRAMES"
cat "$CAP" > /dev/null
echo "# $(ls -l "$CAP" | awk '{print $5}') bytes, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ $i -lt "$RUNS" ]; do
	"$O/st2110-analyze" --perf -j "$CAP" > /dev/null
	i=$((i + 1))
done
rm -f "$CAP"
