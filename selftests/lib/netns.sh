# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Network namespace and softirq helpers of the suites and benchmarks that
# build veth pairs in namespaces of their own (sourced, not run).

# netns_del_prefix PREFIX: delete every network namespace named PREFIX-*
# (those of this run: PREFIX carries the script's PID)
netns_del_prefix()
{
	local ns

	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case $ns in "$1"-*) ip netns del "$ns" 2>/dev/null ;; esac
	done
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
