# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers of the benchmarks that run inside the QEMU test bed (sourced).
# The caller sets TOP and P (a namespace prefix of its own).
# shellcheck disable=SC2034 # the paths are for the callers

B=${O:-$TOP/build}
CTL=$B/selftests/qdisc/st2110_ctl
STSEND=$B/st2110-send
ANALYZE=$B/st2110-analyze
KO=$B/kmod/$(uname -r)/sch_st2110.ko

note() { echo "# $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

. "$TOP/selftests/lib/netns.sh"

bench_cleanup() { netns_del_prefix "$P"; }

# pair NAME: netns NAME-tx (v0, 10.78.0.1) <-> NAME-rx (v1, 10.78.0.2),
# IPv4 only (no ND/MLD in the capture), multicast routed out of v0, and
# the UDP checksum computed by the stack (veth would leave it to an
# offload the receiver checks).
pair()
{
	local tx=$P-$1-tx rx=$P-$1-rx

	ip netns add "$tx" && ip netns add "$rx" || return 1
	ip -n "$tx" link add v0 type veth peer name v1 netns "$rx" || return 1
	ip netns exec "$tx" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/v0/disable_ipv6'
	ip netns exec "$rx" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/v1/disable_ipv6'
	ip -n "$tx" addr add 10.78.0.1/24 dev v0
	ip -n "$rx" addr add 10.78.0.2/24 dev v1
	ip -n "$tx" link set v0 up && ip -n "$rx" link set v1 up || return 1
	ip -n "$tx" route add 224.0.0.0/4 dev v0
	ip netns exec "$tx" ethtool -K v0 tx off >/dev/null 2>&1
	return 0
}

# capture_start NS FILE FILTER: tcpdump with nanosecond timestamps, the
# headers only (128 bytes: the analyzer reads no payload), a 64 MB ring
CAP_PID=
capture_start()
{
	local i

	ip netns exec "$1" tcpdump -q -n -i v1 --time-stamp-precision nano \
		-s 128 -B 65536 -w "$2" "$3" 2>"$2.log" &
	CAP_PID=$!
	for i in $(seq 100); do
		grep -q listening "$2.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# capture_stop FILE: tcpdump's TPACKET_V3 ring hands over a partial block
# only after its 1 s timeout, hence the wait before the kill.
capture_stop()
{
	sleep 1.5
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
}

# Every program started in the guest costs 0.1-1 s of wall time under
# TCG (over 9p, on a shared host): the counters are read with builtins.

# cpu_busy_ns: nanoseconds the CPUs have spent outside idle, since boot.
# With one CPU (icount) exact: the tick-sched idle time of /proc/timer_list
# (ns), read while this CPU runs, so no idle period is open.  With more
# CPUs another one may be inside an idle period that file does not show
# yet: CPUs x uptime minus the idle and iowait of /proc/stat instead, which
# the kernel also accrues exactly (nohz) but prints in 10 ms units.
# (/proc/stat's user/system columns are tick samples: under icount a
# periodic load can hide between the ticks.)
BENCH_NCPU=$(getconf _NPROCESSORS_ONLN)
BENCH_HZ=$(getconf CLK_TCK)
cpu_busy_ns()
{
	local k v now='' idle=0 ncpu=0 up io id rest

	if [ "$BENCH_NCPU" = 1 ]; then
		while read -r k _ v _; do
			case $k in
			now)		now=$v ;;
			.idle_sleeptime) idle=$((idle + v)); ncpu=$((ncpu + 1)) ;;
			esac
		done </proc/timer_list
		if [ -n "$now" ] && [ "$ncpu" = 1 ]; then
			# "now at N nsecs": k=now c=at v=N
			echo $((now - idle))
			return
		fi
	fi
	read -r up rest </proc/uptime
	read -r _ _ _ _ id io rest </proc/stat
	up=${up/./}
	echo $((up * 10000000 * BENCH_NCPU - (id + io) * 1000000000 / BENCH_HZ))
}

# proc_ns PID: CPU time of one process in ns (scheduler runtime, exact)
proc_ns()
{
	local rt rest

	read -r rt rest <"/proc/$1/schedstat" 2>/dev/null || { echo 0; return; }
	echo "$rt"
}

# the kernel's TAI offset in seconds (the test bed sets 37)
tai_offset_s()
{
	"$B/vm/vm-tai" 2>&1 | sed -n 's/^tai_offset_s=\([-0-9]*\).*/\1/p'
}

load_st2110()
{
	grep -q '^sch_st2110 ' /proc/modules || insmod "$KO"
}
