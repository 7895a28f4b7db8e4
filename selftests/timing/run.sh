#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the timing-core suite; print one TAP 13 stream with one plan.
#
#   1        build (make all)
#   2..M+1   test_timing: every subtest, renumbered into this plan
#   then     test_timing again under ASan+UBSan; the -std=c99 -pedantic
#            program; the BPF object (no undefined symbol); the BPF fast path
#            loaded into the running kernel and compared with the host;
#            one kernel-module build per installed header tree (W=1, sparse)
#
# Environment: O = top-level build directory (default <repo>/build).
# Exit status 0 only if nothing failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
export O=${O:-$TOP/build}
OUT=$O/selftests/timing
LOGS=$OUT/logs
mkdir -p "$LOGS"

n=0
failed=0

. "$TOP/selftests/lib/tap.sh"

echo "TAP version 13"

if ! make -s -C "$HERE" all >"$LOGS/build.log" 2>&1; then
	echo "1..1"
	as_comment "$LOGS/build.log" | tail -40
	result 1 "timing: build (make -C selftests/timing)"
	exit 1
fi

mapfile -t kdirs < <(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | grep -v -- -common | sort -V)
subtests=$("$OUT/test_timing" --plan)
kchecks=${#kdirs[@]}
echo "1..$((1 + subtests + 4 + (kchecks ? kchecks : 1)))"
result 0 "timing: build (make -C selftests/timing)"

# The unit tests, renumbered; their own header and plan become comments.
"$OUT/test_timing" >"$LOGS/test_timing.tap" 2>&1
status=$?
awk -v off="$n" '
	/^ok [0-9]+/		{ $2 += off; sub(/^ok [0-9]+ /, "&timing: "); print; next }
	/^not ok [0-9]+/	{ $3 += off; sub(/^not ok [0-9]+ /, "&timing: "); print; next }
	/^#/			{ print; next }
				{ print "# " $0 }
' "$LOGS/test_timing.tap"
seen=$(grep -cE '^(not )?ok [0-9]+' "$LOGS/test_timing.tap")
failed=$((failed + $(grep -cE '^not ok [0-9]+' "$LOGS/test_timing.tap")))
n=$((n + seen))
while [ "$seen" -lt "$subtests" ]; do
	seen=$((seen + 1))
	result 1 "timing: subtest $seen never reported (test_timing exit status $status)"
done

if "$OUT/test_timing_san" >"$LOGS/test_timing_san.tap" 2>&1 &&
   ! grep -qE '^not ok' "$LOGS/test_timing_san.tap"; then
	result 0 "timing: all $subtests subtests again under -fsanitize=address,undefined"
else
	grep -vE '^ok ' "$LOGS/test_timing_san.tap" | as_comment /dev/stdin | tail -40
	result 1 "timing: all $subtests subtests again under -fsanitize=address,undefined"
fi

if "$OUT/test_c99" >"$LOGS/test_c99.log" 2>&1; then
	result 0 "timing: headers as strict C99 (-std=c99 -pedantic -Wconversion), §2.2 example"
else
	as_comment "$LOGS/test_c99.log"
	result 1 "timing: headers as strict C99 (-std=c99 -pedantic -Wconversion), §2.2 example"
fi

# Compiling already refused any libcall (clang cannot emit one for BPF);
# this also rules out an external symbol the loader would have to resolve.
und=$(llvm-readelf -s "$OUT/bpf_timing.o" 2>&1 | awk '$7 == "UND" && $5 != "LOCAL"')
if [ -z "$und" ] && [ -s "$OUT/bpf_timing.o" ]; then
	result 0 "timing: headers compile for BPF (clang -target bpf), no undefined symbol"
else
	echo "$und" | sed 's/^/# /'
	result 1 "timing: headers compile for BPF (clang -target bpf), no undefined symbol"
fi

"$OUT/bpf_run" "$OUT/bpf_timing.o" >"$LOGS/bpf_run.log" 2>&1
status=$?
as_comment "$LOGS/bpf_run.log" | sed 's/^# # /# /' | tail -40
result $status "timing: BPF fast path passes the kernel verifier and equals the host" \
	"$(grep -m1 SKIP "$LOGS/bpf_run.log" | sed 's/^# SKIP: //')"

if [ "$kchecks" -eq 0 ]; then
	result 4 "timing: kernel module build" "no /usr/src/linux-headers-*-amd64 installed"
fi
sparse=$(command -v sparse >/dev/null && echo C=1)
for kd in "${kdirs[@]}"; do
	name=${kd#/usr/src/linux-headers-}
	log=$LOGS/kcheck-$name.log
	if make -s -C "$HERE" kcheck KDIR="$kd" $sparse >"$log" 2>&1 &&
	   ! grep -q 'warning:' "$log"; then
		result 0 "timing: builds as a kernel module for $name (W=1${sparse:+, sparse})"
	else
		as_comment "$log" | tail -30
		result 1 "timing: builds as a kernel module for $name (W=1${sparse:+, sparse})"
	fi
done

[ "$failed" -eq 0 ]
