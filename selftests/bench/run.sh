#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - every benchmark of the project ("make bench"), tables printed and
# kept under build/bench/<UTC date-time>/ (txt, json, png).
#
#   selftests/bench/run.sh [--smoke] [--out DIR] [--only "pacing scale ..."]
#
#   pacing   selftests/bench/pacing.sh: sch_st2110 vs fq vs etf vs sender
#            pacing vs none, video and audio, icount and TCG (QEMU, 2 boots)
#   scale    selftests/bench/scale.sh: 1/4/16/64 streams on one sch_st2110,
#            icount (QEMU, 1 boot)
#   xdp      selftests/bench/xdp.sh: XDP replication vs kernel multicast
#            routing vs XDP_PASS on the host kernel
#   analyze  selftests/analyze/perf.sh: st2110-analyze packets/s
#   send     selftests/send/bench.sh: st2110-send packets/s
#
# A benchmark whose script is missing is reported as such; one that fails
# does not stop the others; the exit status is non-zero if any failed.
# Benchmarks are not tests: nothing here judges the figures.  --smoke runs
# each at a tiny size (about 2 minutes in all) only to prove that they run
# (selftests/bench-smoke/run.sh checks that).  Takes about 15 minutes in
# full on a 2-core host; needs root (namespaces, the VM, XDP).
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${O:-$TOP/build}
smoke=0
out=
only="pacing scale xdp analyze send"
while [ $# -gt 0 ]; do
	case $1 in
	--smoke)	smoke=1 ;;
	--out)		out=${2?}; shift ;;
	--only)		only=${2?}; shift ;;
	-h|--help)	sed -n '3,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*)		echo "run.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
	esac
	shift
done
stamp=$(date -u +%Y%m%d-%H%M%S)
[ $smoke = 0 ] || stamp=smoke-$stamp
out=${out:-$B/bench/$stamp}
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
sm=()
[ $smoke = 1 ] && sm=(--smoke)

failed=0
summary=()

# bench NAME CMD...: run one benchmark, its output to the terminal and to
# $out/NAME.log
bench()
{
	local name=$1 start rc
	shift

	echo
	echo "######## $name: $*"
	start=$(date +%s)
	nice "$@" 2>&1 | tee "$out/$name.log"
	rc=${PIPESTATUS[0]}
	local what="FAILED (exit $rc)"
	[ "$rc" != 0 ] || what="done"
	# 4: the part cannot run on this host (it said why): not measured
	[ "$rc" != 4 ] || what="not run (see $name.log)"
	summary+=("$(printf '%-8s %s (%d s)' "$name" "$what" $(($(date +%s) - start)))")
	[ "$rc" = 0 ] || [ "$rc" = 4 ] || failed=$((failed + 1))
	return "$rc"
}

missing()
{
	echo
	echo "######## $1: $2 missing, not run"
	summary+=("$(printf '%-8s missing (%s)' "$1" "$2")")
}

{
	echo "# make bench$([ $smoke = 1 ] && echo ' --smoke'), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# host: $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# commit: $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null) $(git -C "$TOP" status --porcelain 2>/dev/null | grep -q . && echo '(work tree modified)')"
} | tee "$out/host.txt"

for b in $only; do
	case $b in
	pacing)
		bench pacing selftests/bench/pacing.sh "${sm[@]}" --out "$out" ;;
	scale)
		bench scale selftests/bench/scale.sh "${sm[@]}" --out "$out" ;;
	xdp)
		if [ -x selftests/bench/xdp.sh ]; then
			bench xdp selftests/bench/xdp.sh "${sm[@]}"
			# xdp.sh keeps its own results in build/bench[/smoke]/
			for f in "$B"/bench/$([ $smoke = 1 ] && echo smoke/)xdp.{txt,json}; do
				[ -f "$f" ] && cp "$f" "$out/"
			done
		else
			missing xdp selftests/bench/xdp.sh
		fi ;;
	analyze)
		if [ -x selftests/analyze/perf.sh ]; then
			# perf.sh runs make itself: under the tree's build lock
			if [ $smoke = 1 ]; then
				bench analyze flock /tmp/st2110-build.lock env FRAMES=5 RUNS=1 \
					selftests/analyze/perf.sh
			else
				bench analyze flock /tmp/st2110-build.lock selftests/analyze/perf.sh
			fi
		else
			missing analyze selftests/analyze/perf.sh
		fi ;;
	send)
		if [ -x selftests/send/bench.sh ]; then
			secs=5
			[ $smoke = 0 ] || secs=1
			bench send selftests/send/bench.sh "$secs"
		else
			missing send selftests/send/bench.sh
		fi ;;
	*)
		echo "run.sh: unknown benchmark $b" >&2
		failed=$((failed + 1)) ;;
	esac
done

# One text file with every table, the PNGs beside it.
{
	cat "$out/host.txt"
	for f in "$out"/pacing-icount/table.txt "$out"/pacing-tcg/table.txt \
		 "$out"/scale-*/table.txt; do
		[ -f "$f" ] && { echo; cat "$f"; }
	done
	for b in xdp analyze send; do
		[ -f "$out/$b.log" ] && { echo; echo "== $b"; cat "$out/$b.log"; }
	done
} >"$out/tables.txt"
python3 - "$out" <<'EOF' >"$out/bench.json"
import glob, json, os, sys
out = sys.argv[1]
res = {}
for f in sorted(glob.glob(os.path.join(out, "*", "results.json"))):
    res[os.path.basename(os.path.dirname(f))] = json.load(open(f))
for f in sorted(glob.glob(os.path.join(out, "*.json"))):
    if not f.endswith("bench.json"):
        try:
            res[os.path.basename(f)[:-5]] = json.load(open(f))
        except ValueError:
            pass
print(json.dumps(res, indent=1))
EOF

echo
echo "######## summary ($out)"
for l in "${summary[@]}"; do echo "# $l"; done
for f in "$out"/*/*.png; do
	[ -e "$f" ] && echo "# plot: ${f#"$out"/}"
done
[ "$failed" = 0 ]
