#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test suite and count the results.
#
# Host suites run directly on this machine (its own kernel: BPF, XDP, netns).
# VM suites run inside Debian kernels booted under QEMU (the module cannot be
# loaded on a kernel without module support), once per kernel.
#
# Each suite is selftests/<name>/run.sh and prints one TAP 13 stream.  Only
# top-level "ok"/"not ok" lines count; "ok ... # SKIP" counts as skipped, never
# as passed.  A suite that dies before its plan is complete, or exits non-zero
# without a failing test line, counts its missing tests as failed.
#
# Environment:
#   ST2110_SUITES   suites to run (default: all of them; "xdp" names both
#                   the host run and the VM runs of selftests/xdp)
#   ST2110_KERNELS  VM kernels (default: "6.1 6.12"; also 6.1-rt, 6.12-rt)
#   ST2110_VM_JOBS  VM boots at once (default 2)
#   ST2110_INSTALL_KERNELS  kernels for the install suite's guest part
#                   (default none: it took over 13 min on 6.1 under TCG)
#
# The last line is "N passed, N failed, N skipped"; the exit status is 0 only
# if nothing failed.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
RES=${O:-$TOP/build}/results
mkdir -p "$RES"

HOST_SUITES="timing send analyze cli xdp cli-xdp"
VM_SUITES="qdisc tc xdp"
# Per-suite guest timeout, seconds (TCG is slow; a loaded host slower still).
declare -A VM_TIMEOUT=([qdisc]=1200 [tc]=1800 [xdp]=1500)
KERNELS=${ST2110_KERNELS:-6.1 6.12}
WANT=${ST2110_SUITES:-$HOST_SUITES vm $VM_SUITES qdisc-icount demo bench-smoke install}

total_pass=0 total_fail=0 total_skip=0
summary=()

wanted() { case " $WANT " in *" $1 "*) return 0 ;; esac; return 1; }

# count_tap FILE STATUS LABEL
count_tap() {
	local f=$1 status=$2 label=$3 plan pass fail skip seen
	plan=$(grep -m1 -E '^1\.\.[0-9]+' "$f" | sed 's/^1\.\.//')
	pass=$(grep -E '^ok [0-9]+' "$f" | grep -vc '# *SKIP')
	skip=$(grep -E '^ok [0-9]+' "$f" | grep -c '# *SKIP')
	fail=$(grep -cE '^not ok [0-9]+' "$f")
	seen=$((pass + skip + fail))
	if [ -n "$plan" ] && [ "$seen" -lt "$plan" ]; then
		echo "# $label: only $seen of $plan planned tests reported" | tee -a "$f"
		fail=$((fail + plan - seen))
	fi
	if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "# $label: exited with status $status" | tee -a "$f"
		fail=1
	fi
	if [ "$seen" -eq 0 ] && [ "$fail" -eq 0 ]; then
		echo "# $label: reported no test" | tee -a "$f"
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
	summary+=("$(printf '%-22s %4d passed %4d failed %4d skipped  (%ds)' \
		"$label" "$pass" "$fail" "$skip" "$SECONDS_SUITE")")
}

run_suite() {
	local label=$1; shift
	local out="$RES/$label.tap" status start
	echo "# ---- $label: $*"
	start=$(date +%s)
	"$@" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	SECONDS_SUITE=$(( $(date +%s) - start ))
	count_tap "$out" "$status" "$label"
}

for s in $HOST_SUITES; do
	wanted "$s" || continue
	if [ ! -x "selftests/$s/run.sh" ]; then
		echo "# $s: selftests/$s/run.sh missing" >&2
		total_fail=$((total_fail + 1)); summary+=("$s: run.sh missing")
		continue
	fi
	run_suite "$s" "selftests/$s/run.sh"
done

# The VM jobs, each one QEMU boot.  They run ST2110_VM_JOBS at a time
# (default 2: one per core; TCG is single-threaded per vCPU).  Nothing they
# assert depends on host timing: timing is asserted only under icount,
# where the guest's clock is its instruction count.  Each job's TAP stream
# is printed whole when it ends.
VM_JOBS=${ST2110_VM_JOBS:-2}
ICOUNT_TESTS=paced_video,paced_video_lead_vrx,unpaced_video_fails,paced_with_best_effort,paced_video_gso,paced_audio_125us,multi_stream,paced_video_restamp,interlaced_video_restamp,paced_video_restamp_ipv6,audio_restamp_slow,audio_restamp_fast,offload_launchtime
# suite_jobs SUITE: one job per kernel for a suite of VM_SUITES
suite_jobs() {
	local s=$1 k env
	wanted "$s" || return 0
	for k in $KERNELS; do
		env=
		# the icount run below covers these on 6.1, timing asserted
		if [ "$s" = qdisc ] && [ "$k" = 6.1 ] && wanted qdisc-icount; then
			env="--env ST2110_QDISC_EXCLUDE=$ICOUNT_TESTS"
		fi
		vm_jobs+=("$s@$k|selftests/vm/run-vm.sh --kernel $k --timeout ${VM_TIMEOUT[$s]} $env -- selftests/$s/run.sh")
	done
}
# Longest first, so that the two lanes end together.
vm_jobs=()
suite_jobs qdisc
suite_jobs tc
# The install suite boots VMs of its own.  Its guest part (install into the
# guest's /, modprobe, autoload, DKMS, uninstall) runs on
# ST2110_INSTALL_KERNELS (default none until it is made faster: every depmod
# re-reads the module tree over 9p, 13+ min under TCG); its host part and
# DKMS builds for every installed header tree always run.
wanted install && vm_jobs+=("install|env ST2110_KERNELS=${ST2110_INSTALL_KERNELS-} selftests/install/run.sh")
# Pacing timing is only meaningful in virtual time: the pacing tests once
# more under -icount shift=0,sleep=off (1 vCPU), where they assert Type N
# (1-ms audio is inside multi_stream).
if wanted qdisc-icount; then
	vm_jobs+=("qdisc-icount@6.1|selftests/vm/run-vm.sh --kernel 6.1 --icount --timeout 1800 --env ST2110_ICOUNT=1 --env ST2110_QDISC_TESTS=$ICOUNT_TESTS -- selftests/qdisc/run.sh")
fi
# The test bed's self-test, make demo and the benchmarks' smoke runs boot
# VMs of their own too.
for s in vm bench-smoke demo; do
	wanted "$s" && vm_jobs+=("$s|selftests/$s/run.sh")
done
suite_jobs xdp

# tcg_fault FILE: the guest died of a double fault whose exception frame
# holds a kernel EFLAGS with reserved bits (22..63) set.  No x86 CPU writes
# such a frame: it is QEMU 7.2's TCG failing to deliver an exception (seen
# on Debian 6.12.118, always at the same load in the slab fast path of a
# sender's sendmmsg, with 1 or 2 vCPUs), not something the guest did.
tcg_fault() {
	local fl

	fl=$(sed -n '/Oops: double fault/,/^----/{s/^.*RSP: 0018:[0-9a-f]* EFLAGS: \([0-9a-f]*\).*$/\1/p}' "$1" | head -n 1)
	[ -n "$fl" ] && [ $(( 0x$fl >> 22 )) -ne 0 ]
}

# run_bg LABEL CMD...: a job in the background, its result in $RES/LABEL.*.
# A job the emulator broke (tcg_fault) runs once more; the first try is
# kept in LABEL.try1.tap and the retry says so.
run_bg() {
	local label=$1; shift
	local start rc
	start=$(date +%s)
	"$@" >"$RES/$label.tap" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && tcg_fault "$RES/$label.tap"; then
		mv "$RES/$label.tap" "$RES/$label.try1.tap"
		echo "# test bed: the guest died of an emulator fault (double fault with an impossible EFLAGS; $label.try1.tap): run again" >"$RES/$label.tap"
		"$@" >>"$RES/$label.tap" 2>&1
		rc=$?
	fi
	echo "$rc $(( $(date +%s) - start ))" >"$RES/$label.status"
}

# collect LABEL: print a finished job's output and count it
collect() {
	local label=$1 status secs
	read -r status secs <"$RES/$label.status"
	echo "# ---- $label"
	cat "$RES/$label.tap"
	SECONDS_SUITE=$secs
	count_tap "$RES/$label.tap" "$status" "$label"
}

declare -A pid_of=()
for job in "${vm_jobs[@]}"; do
	label=${job%%|*}
	rm -f "$RES/$label.status"
	while [ "${#pid_of[@]}" -ge "$VM_JOBS" ]; do
		wait -n 2>/dev/null || true
		for l in "${!pid_of[@]}"; do
			if [ -f "$RES/$l.status" ]; then collect "$l"; unset "pid_of[$l]"; fi
		done
	done
	echo "# ---- $label: started (${job#*|})"
	# shellcheck disable=SC2086  # the command line is split on purpose
	run_bg "$label" ${job#*|} &
	pid_of[$label]=$!
done
wait
for l in "${!pid_of[@]}"; do collect "$l"; done

echo "#"
for line in "${summary[@]}"; do echo "# $line"; done
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
