#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-boot.sh - measure the test bed's boot time: launch of QEMU to the
# command running, as run-vm.sh --verbose reports it.
#
#   bench-boot.sh [--runs N] [run-vm.sh options...]
#
# Under TCG the guest competes with everything else on the host for the
# CPUs, so each run waits (up to 60 s) until the host has been idle for a
# second; runs that had to start anyway are counted as "busy".
# Prints one line: runs, busy, median, min, max (seconds), the median guest
# uptime when stage 2 started (the guest's share of the boot), and the
# host's 1-minute load average before and after.

set -eu

. "$(dirname "$(readlink -f "$0")")/lib.sh"

runs=10
if [ "${1:-}" = --runs ]; then
	runs=${2?}
	shift 2
fi

# Percent of the last second the CPUs were idle.
idle_pct()
{
	local a b

	read -ra a </proc/stat
	sleep 1
	read -ra b </proc/stat
	local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
	for i in 1 2 3 4 5 6 7 8; do
		total=$(( total + b[i] - a[i] ))
	done
	echo $(( total > 0 ? idle * 100 / total : 100 ))
}

wait_idle()
{
	local tries=60

	while [ "$tries" -gt 0 ]; do
		[ "$(idle_pct)" -lt 90 ] || return 0
		tries=$((tries - 1))
	done
	return 1
}

median()
{
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

busy=0
load0=$(cut -d' ' -f1 /proc/loadavg)
boots=()
uptimes=()
for ((i = 0; i < runs; i++)); do
	wait_idle || busy=$((busy + 1))
	line=$("$VM_DIR/run-vm.sh" --verbose "$@" -- true 2>&1 | grep 'boot .* to command') ||
		die "run-vm.sh failed: $("$VM_DIR/run-vm.sh" "$@" -- true 2>&1 | tail -n 5)"
	boots+=("$(sed -E 's/.*boot ([0-9.]+) s to command.*/\1/' <<<"$line")")
	uptimes+=("$(sed -E 's/.*guest uptime then ([0-9.]+) s.*/\1/' <<<"$line")")
done
mapfile -t sorted < <(printf '%s\n' "${boots[@]}" | sort -n)
echo "runs=$runs busy=$busy median_s=$(printf '%s\n' "${boots[@]}" | median)" \
	"min_s=${sorted[0]} max_s=${sorted[-1]}" \
	"guest_uptime_at_stage2_median_s=$(printf '%s\n' "${uptimes[@]}" | median)" \
	"loadavg=$load0..$(cut -d' ' -f1 /proc/loadavg)"
