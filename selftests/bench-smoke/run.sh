#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - "make bench" at tiny size: proves that every benchmark runs and
# produces its tables (one TAP 13 test; the figures are not judged, they
# mean nothing at this size).  About 2 minutes: two short boots of the QEMU
# test bed (TCG), the host benchmarks' --smoke modes.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${O:-$TOP/build}
. "$TOP/selftests/lib/tap.sh"
n=0
failed=0

echo "TAP version 13"
echo "1..1"

skip=
[ "$(id -u)" = 0 ] || skip="needs root"
[ -n "$skip" ] || command -v qemu-system-x86_64 >/dev/null || skip="no qemu-system-x86_64"
[ -n "$skip" ] || command -v tcpdump >/dev/null || skip="no tcpdump"
[ -n "$skip" ] || ls "$B"/kmod/*/sch_st2110.ko >/dev/null 2>&1 || skip="no module built (make kmod-all)"
for f in st2110-send st2110-analyze selftests/qdisc/st2110_ctl; do
	[ -n "$skip" ] || [ -x "$B/$f" ] || skip="$B/$f missing (make userspace selftests)"
done
if [ -n "$skip" ]; then
	result 4 bench_smoke "$skip"
	exit 0
fi

out=$(mktemp -d /tmp/st2110-bench-smoke.XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT

# check: every table the benchmarks promise, with figures in it
check()
{
	local t=$out/tables.txt row

	[ -s "$t" ] || { echo "no tables.txt"; return 1; }
	grep -q '^Pacing benchmark -- mode: TCG' "$t" || { echo "no pacing table"; return 1; }
	for row in st2110 none; do
		# pacer, then a packet count > 0 (video and audio tables)
		[ "$(grep -cE "^$row +[1-9][0-9]* " "$t")" -ge 2 ] ||
			{ echo "pacing: no video and audio rows for $row"; return 1; }
	done
	grep -q '^Scale benchmark' "$t" || { echo "no scale table"; return 1; }
	for row in 1 2; do
		grep -qE "^ +$row +[0-9]+ +[1-9][0-9]* " "$t" ||
			{ echo "scale: no row for $row streams"; return 1; }
	done
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert "pacing-tcg" in d and "scale-tcg" in d' \
		"$out/bench.json" || { echo "bench.json lacks pacing-tcg or scale-tcg"; return 1; }
	if command -v gnuplot >/dev/null; then
		[ -s "$out/pacing-tcg/hist-audio.png" ] ||
			{ echo "no release-error histogram (pacing-tcg/hist-audio.png)"; return 1; }
	fi
	return 0
}

start=$SECONDS
"$TOP/selftests/bench/run.sh" --smoke --out "$out" >"$out/run.log" 2>&1
rc=$?
sed 's/^/# /' "$out/run.log" | tail -60
msg=$(check)
ok=$?
echo "# bench smoke took $((SECONDS - start)) s"
[ -z "$msg" ] || echo "# $msg"
if [ $rc != 0 ]; then
	echo "# selftests/bench/run.sh --smoke exited $rc"
	result 1 bench_smoke
elif [ $ok != 0 ]; then
	result 1 bench_smoke
else
	result 0 bench_smoke
fi
[ $failed = 0 ]
