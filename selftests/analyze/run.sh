#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the st2110-analyze tests: one TAP 13 stream on stdout.
# Environment: O (build directory, default <top>/build),
#              ST2110_SHARED_DATA (default /work/shared/data).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$TOP/build}
TEST=$O/selftests/analyze/analyze_test
if [ ! -x "$TEST" ] || [ ! -x "$O/st2110-analyze" ]; then
	make -s -C "$TOP/selftests/analyze" O="$O" >&2 || {
		echo "TAP version 13"; echo "1..1"
		echo "not ok 1 analyze: build failed"; exit 1; }
fi
export ST2110_PERF_SH="$TOP/selftests/analyze/perf.sh"	# for its smoke test
exec "$TEST" "$O/st2110-analyze" "$O/selftests/analyze"
