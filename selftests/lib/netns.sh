# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Network namespace and softirq helpers of the suites and benchmarks that
# build veth pairs in namespaces of their own (sourced, not run).

# netns_del_prefix PREFIX: delete every network namespace named PREFIX-*
# (those of this run: PREFIX carries the script's PID), in one ip run:
# the names are those ip netns list would read from /run/netns
netns_del_prefix()
{
	local ns cmds=

	for ns in /run/netns/"$1"-*; do
		[ -e "$ns" ] && cmds+="netns del ${ns##*/}"$'\n'
	done
	[ -z "$cmds" ] || ip -force -batch - <<<"$cmds" >/dev/null 2>&1
}

# softirq_fifo: the qdisc watchdogs release packets in the NET_TX softirq,
# which the kernel hands to ksoftirqd under load: it must preempt the
# SCHED_FIFO 50 senders, as on any pacing host.
softirq_fifo()
{
	local i

	for i in $(pgrep -x 'ksoftirqd/[0-9]+'); do
		chrt -f -p 60 "$i" >/dev/null 2>&1
	done
}
