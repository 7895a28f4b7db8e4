#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of make demo (TAP 13): runs selftests/demo/demo.sh for a short
# stream (ST2110_DEMO_SECONDS, default 0.4) and checks its exit status and
# the lines a user reads; checks that the verdict fails on a damaged capture;
# checks DEV= refusals.  Root; the VM part needs the test bed and the module
# (make kmod-all), else it is skipped.
#
# Environment: O (build directory), ST2110_DEMO_KERNEL, ST2110_DEMO_SECONDS.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${O:-$TOP/build}
. "$TOP/selftests/lib/tap.sh"
n=0
failed=0
PLAN=13
W=$(mktemp -d /tmp/st2110-demo-test.XXXXXX)
trap 'rm -rf "$W"' EXIT

echo "TAP version 13"
echo "1..$PLAN"

# grep_ok DESCRIPTION PATTERN [COUNT]: one test on the demo's output, which
# must have COUNT (default 1) lines matching PATTERN
grep_ok() {
	local got

	got=$(grep -Ec -- "$2" "$W/demo.out")
	if [ "$got" = "${3:-1}" ]; then
		result 0 "$1"
	else
		result 1 "$1"
		echo "# $got lines matching, want ${3:-1}: $2"
	fi
}

# ---- DEV= refusals (host) ---------------------------------------------
if [ "$(id -u)" != 0 ]; then
	result 4 "DEV=<iface> refused on a kernel without module support" "needs root"
	result 4 "DEV=<missing iface> refused" "needs root"
else
	if [ -e /proc/modules ]; then
		result 4 "DEV=<iface> refused on a kernel without module support" \
			"this kernel loads modules: the refusal cannot be shown here"
	else
		dev=$(ip -o link show | awk -F': ' '$2 != "lo" {print $2; exit}')
		dev=${dev%%@*}
		before=$(ls -l --time-style=+%s.%N "$B/demo" 2>/dev/null | md5sum)
		DEV=${dev:-lo} "$TOP/selftests/demo/demo.sh" >"$W/dev.out" 2>&1
		rc=$?
		after=$(ls -l --time-style=+%s.%N "$B/demo" 2>/dev/null | md5sum)
		if [ $rc = 1 ] && grep -q "cannot load modules" "$W/dev.out" && [ "$before" = "$after" ]; then
			result 0 "DEV=${dev:-lo} refused on a kernel without module support, nothing changed"
		else
			result 1 "DEV=${dev:-lo} refused on a kernel without module support, nothing changed"
			echo "# exit $rc, build/demo changed: $([ "$before" = "$after" ] && echo no || echo yes)"
			as_comment "$W/dev.out"
		fi
	fi
	DEV=st2110-nosuch "$TOP/selftests/demo/demo.sh" >"$W/dev2.out" 2>&1
	rc=$?
	if [ $rc = 1 ] && grep -q "no such interface" "$W/dev2.out"; then
		result 0 "DEV=<missing iface> refused"
	else
		result 1 "DEV=<missing iface> refused"
		as_comment "$W/dev2.out"
	fi
fi

# ---- the demo in the VM ------------------------------------------------
skip=
kver=$("$TOP/selftests/vm/kernels.sh" release "${ST2110_DEMO_KERNEL:-6.1}" 2>/dev/null) ||
	skip="no Debian kernel known to apt"
[ -n "$skip" ] || [ "$(id -u)" = 0 ] || skip="needs root"
[ -n "$skip" ] || command -v qemu-system-x86_64 >/dev/null || skip="qemu-system-x86 missing"
[ -n "$skip" ] || [ -f "$B/kmod/$kver/sch_st2110.ko" ] || skip="$B/kmod/$kver/sch_st2110.ko missing (make kmod-all)"
if [ -n "$skip" ]; then
	while [ $n -lt $PLAN ]; do result 4 "make demo" "$skip"; done
	exit 0
fi

start=$(date +%s)
ST2110_DEMO_SECONDS=${ST2110_DEMO_SECONDS:-0.4} "$TOP/selftests/demo/demo.sh" >"$W/demo.out" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
if [ $rc = 0 ]; then
	result 0 "demo.sh exits 0 (${secs}s wall, host load $(cut -d' ' -f1 /proc/loadavg))"
else
	result 1 "demo.sh exits 0 (exit $rc after ${secs}s)"
	tail -n 40 "$W/demo.out" | sed 's/^/# /'
fi
grep_ok "progress: every step of the chain is shown" '^\[ *[0-9]+s\] \[7/7\] done'
grep_ok "qdisc: video class paced, none late" \
	'^  video +1:[0-9]+ +[1-9][0-9]* +[1-9][0-9]* +0 +0 ' 
grep_ok "qdisc: audio class paced, none late" '^  audio +1:[0-9]+ +[1-9][0-9]* +[1-9][0-9]* +0 +0 '
grep_ok "XDP: video and audio flows at the router and both receivers, none lost" \
	'^  (router rin \(in\)|receiver [AB] vr[ab]|) +(video|audio) 239\.20\.110\.[12] +[1-9][0-9]* +0 ' 6
grep_ok "analyzer: Type N at receivers A and B" '^  [AB] video .*Type N \(declared N: met\)' 2
grep_ok "analyzer: audio paced at receivers A and B" '^  [AB] audio .*: paced' 2
grep_ok "GStreamer decoded frames at receivers A and B" '^  [AB]: [1-9][0-9]* frames decoded' 2
grep_ok "verdict line" '^all checks passed'
if [ -s "$B/demo/demo.log" ] && grep -q '^==> \[1/7\]' "$B/demo/demo.log"; then
	result 0 "full log kept in build/demo/demo.log"
else
	result 1 "full log kept in build/demo/demo.log"
fi

# ---- the verdict can fail ------------------------------------------------
# Receiver B's capture loses its last 30 video packets: its video must then fail
# (frames incomplete, GStreamer short of a frame) and the report say so.
if [ $rc = 0 ]; then
	cp "$B/demo"/*.sdp "$B/demo"/*.json "$B/demo"/*.txt "$B/demo"/rx-a.pcap "$W/" 2>/dev/null
	rm -f "$W"/rx-?-report.json
	python3 - "$B/demo/rx-b.pcap" "$W/rx-b.pcap" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, recs = 24, []
while off + 16 <= len(d):
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    recs.append(d[off:off + 16 + n])
    off += 16 + n
video = [i for i, r in enumerate(recs) if r[16 + 30:16 + 34] == bytes([239, 20, 110, 1])]
drop = set(video[-30:])
open(sys.argv[2], "wb").write(d[:24] + b"".join(r for i, r in enumerate(recs) if i not in drop))
EOF
	python3 "$TOP/selftests/demo/report.py" "$W" >"$W/bad.out" 2>&1
	brc=$?
	if [ $brc = 1 ] && grep -q "receiver B video: .* complete frames" "$W/bad.out" &&
	   ! grep -q "receiver A video" "$W/bad.out"; then
		result 0 "a capture missing 30 video packets fails the demo, naming receiver B"
	else
		result 1 "a capture missing 30 video packets fails the demo, naming receiver B"
		echo "# report.py exit $brc"
		as_comment "$W/bad.out"
	fi
else
	result 4 "a capture missing 30 video packets fails the demo" "the demo itself failed"
fi

[ $n = $PLAN ] || { echo "# internal: $n results, plan $PLAN"; exit 1; }
[ $failed = 0 ]
