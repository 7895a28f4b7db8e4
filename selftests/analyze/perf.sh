#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Throughput of st2110-analyze: a benchmark (a measurement, not a test).
#
# Writes a synthetic 1080p59.94 capture (4320 RFC 4175 packets per frame,
# 1262-B Ethernet frames, paced 4 packets ahead of the gapped schedule, ns
# pcap) twice: cut to a 96-byte snap length, and whole.  Each file is read
# once to warm the page cache, then analyzed RUNS times on one core with
# --perf; the table gives the median packets/s on the wall clock and on the
# process's CPU time (user + system: the fair figure on a shared machine),
# with the mode ("host": no VM) and the load average around the runs.
#
#   FRAMES (default 200 = 864000 packets, 1.1 GB whole), RUNS (default 5),
#   HEIGHT (1080 or 2160), O (build directory), KEEP=1 keeps the captures.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$TOP/build}
FRAMES=${FRAMES:-200}
RUNS=${RUNS:-5}
HEIGHT=${HEIGHT:-1080}
DIR=$O/selftests/analyze
A=$O/st2110-analyze

make -s -C "$TOP/selftests/analyze" O="$O" >&2

median() {	# the middle of the numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

mpps() {	# packets/s -> "x.xx"
	awk -v p="$1" 'BEGIN { printf "%.2f", p / 1e6 }'
}

echo "# st2110-analyze throughput, ${HEIGHT}p59.94, $FRAMES frames, median of $RUNS runs," \
	"$(nproc) CPUs, $(uname -r)"
printf '%-5s %-16s %-8s %-10s %-10s %-10s %-10s\n' mode load_1_5_15 snaplen packets \
	file_MB wall_Mpps cpu_Mpps
for snap in 96 0; do
	cap=$DIR/perf-$HEIGHT-$snap.pcap
	"$DIR/analyze_test" --write-perf "$cap" "$FRAMES" "$snap" "$HEIGHT"
	cat "$cap" > /dev/null
	load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
	: > "$DIR/perf.log"
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$A" --perf -j "$cap" 2>> "$DIR/perf.log" > /dev/null
		i=$((i + 1))
	done
	# "N packets, wall W ms (P packets/s), cpu C ms (Q packets/s)"
	pkts=$(sed -n 's/.*: \([0-9]*\) packets, wall.*/\1/p' "$DIR/perf.log" | head -1)
	wall=$(sed -n 's/.*wall [0-9]* ms (\([0-9]*\) packets\/s).*/\1/p' "$DIR/perf.log" | median)
	cpu=$(sed -n 's/.*cpu [0-9]* ms (\([0-9]*\) packets\/s).*/\1/p' "$DIR/perf.log" | median)
	printf '%-5s %-16s %-8s %-10s %-10s %-10s %-10s\n' host "$load" \
		"$([ "$snap" = 0 ] && echo 1262 || echo "$snap")" "$pkts" \
		$(($(stat -c %s "$cap") / 1000000)) "$(mpps "$wall")" "$(mpps "$cpu")"
	[ "${KEEP:-0}" = 1 ] || rm -f "$cap"
done
