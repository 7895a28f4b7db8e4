# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# TAP 13 helpers for the suites' run.sh scripts (sourced, not run).
# The caller sets n=0 and failed=0.

# result STATUS DESCRIPTION [SKIP-REASON]: STATUS 0 ok, 4 skip, else not ok
result() {
	n=$((n + 1))
	case $1 in
	0) echo "ok $n $2" ;;
	4) echo "ok $n $2 # SKIP $3" ;;
	*) echo "not ok $n $2"; failed=$((failed + 1)) ;;
	esac
}

# as_comment FILE: print FILE as TAP diagnostics
as_comment() {
	sed 's/^/# /' "$1"
}

# tap_skip_all REASON: report every test named in the caller's TESTS array
# as skipped, then exit 0 (the suite cannot run here at all)
tap_skip_all()
{
	local i

	for i in "${!TESTS[@]}"; do
		echo "ok $((i + 1)) ${TESTS[$i]} # SKIP $1"
	done
	exit 0
}

# tap_need_kmod: tap_skip_all unless root on a kernel that loads modules
# (the suites that insmod sch_st2110 run in the QEMU test bed)
tap_need_kmod()
{
	[ "$(id -u)" = 0 ] || tap_skip_all "needs root"
	[ -e /proc/modules ] ||
		tap_skip_all "kernel $(uname -r) cannot load modules (run it in the VM: selftests/vm/run-vm.sh)"
}

# forks: the processes forked since boot (/proc/stat), read without forking
# one; a suite prints what each test cost in wall time and processes, since
# under TCG every program started counts
forks()
{
	local key val

	while read -r key val _; do
		[ "$key" = processes ] && { echo "$val"; return; }
	done </proc/stat
}

# wait_line FILE JQ-FILTER: wait (up to 60 s) until the last line of FILE, a
# JSON value a line as "show -j -i" writes them, makes the jq filter true
wait_line() {
	local i

	for i in $(seq 600); do
		tail -n 1 "$1" 2>/dev/null | jq -e "$2" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
