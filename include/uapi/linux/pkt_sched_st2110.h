/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pkt_sched_st2110.h - rtnetlink contract of the "st2110" qdisc.
 *
 * Shared by kmod/sch_st2110.c, the st2110 tool, the tc plugin and the tests.
 * Attributes are only ever appended: never renumber, never reuse a number.
 *
 * Every option travels in TCA_OPTIONS, which must carry NLA_F_NESTED: the
 * kernel parses it strictly (unknown attributes, wrong lengths and missing
 * NLA_F_NESTED are rejected with an extack message, nothing is applied).
 * On "change", only the attributes present are changed; a dump always
 * carries every option with its current value.
 */
#ifndef _UAPI_LINUX_PKT_SCHED_ST2110_H
#define _UAPI_LINUX_PKT_SCHED_ST2110_H

#include <linux/types.h>

/* Qdisc options (TCA_OPTIONS of RTM_{NEW,GET}QDISC) */
enum {
	TCA_ST2110_UNSPEC,
	TCA_ST2110_PAD,			/* alignment of u64 attributes only */
	TCA_ST2110_CLOCKID,		/* u32, clockid_t; only CLOCK_TAI (11) */
	TCA_ST2110_TIMER_SLACK_NS,	/* u32, watchdog slack in ns */
	TCA_ST2110_LIMIT_PKTS,		/* u32, packets queued in total */
	TCA_ST2110_LINK_RATE_BPS,	/* u64, bit/s; 0 = from ethtool */
	TCA_ST2110_OFFLOAD,		/* u8, 0 or 1: LaunchTime (ETF) */
	__TCA_ST2110_MAX
};

#define TCA_ST2110_MAX (__TCA_ST2110_MAX - 1)

/* Defaults applied when an option is absent at creation time */
#define TC_ST2110_DEFAULT_TIMER_SLACK_NS	0
#define TC_ST2110_DEFAULT_LIMIT_PKTS		10000
#define TC_ST2110_DEFAULT_LINK_RATE_BPS		0

/* Accepted ranges (inclusive) */
#define TC_ST2110_MAX_TIMER_SLACK_NS		1000000000U	/* 1 s */
#define TC_ST2110_MIN_LIMIT_PKTS		1U
#define TC_ST2110_MAX_LIMIT_PKTS		(1U << 20)
#define TC_ST2110_MAX_LINK_RATE_BPS		1000000000000ULL /* 1 Tbit/s */

/*
 * Class (stream) options (TCA_OPTIONS of RTM_{NEW,GET}TCLASS).
 * A class is one media stream.  TCA_ST2110_CLASS_MATCH is mandatory when the
 * class is created; packets a tc filter sends to the class are queued there
 * whatever their addresses.
 */
enum {
	TCA_ST2110_CLASS_UNSPEC,
	TCA_ST2110_CLASS_PAD,
	TCA_ST2110_CLASS_MATCH,		/* nested, TCA_ST2110_MATCH_* */
	TCA_ST2110_CLASS_LIMIT_PKTS,	/* u32, 0 = only the qdisc limit */
	__TCA_ST2110_CLASS_MAX
};

#define TCA_ST2110_CLASS_MAX (__TCA_ST2110_CLASS_MAX - 1)

#define TC_ST2110_CLASS_DEFAULT_LIMIT_PKTS	0
#define TC_ST2110_CLASS_MAX_LIMIT_PKTS		(1U << 20)

/*
 * Packet match of a stream: UDP destination address and port, optionally
 * the source address too.  Exactly one destination address (IPv4 or IPv6)
 * and the port are required; a source address must be of the same family.
 * Addresses and port are in network byte order.  Two classes of one qdisc
 * may not have the same match; a match with a source address is preferred
 * over one without.
 */
enum {
	TCA_ST2110_MATCH_UNSPEC,
	TCA_ST2110_MATCH_DST_IPV4,	/* __be32 */
	TCA_ST2110_MATCH_DST_IPV6,	/* struct in6_addr (16 bytes) */
	TCA_ST2110_MATCH_DST_PORT,	/* __be16, not 0 */
	TCA_ST2110_MATCH_SRC_IPV4,	/* __be32 */
	TCA_ST2110_MATCH_SRC_IPV6,	/* struct in6_addr (16 bytes) */
	__TCA_ST2110_MATCH_MAX
};

#define TCA_ST2110_MATCH_MAX (__TCA_ST2110_MATCH_MAX - 1)

/*
 * Qdisc statistics (TCA_STATS_APP, "tc -s qdisc show").  Only appended to:
 * readers copy min(payload, sizeof) so that old tools and new modules (or the
 * reverse) still agree on the common prefix.
 */
struct tc_st2110_xstats {
	__u64	link_rate_bps;		/* rate in use; 0 = unknown link speed */
	__u64	enqueued_pkts;		/* accepted into a queue */
	__u64	dequeued_pkts;		/* handed to the device */
	__u64	limit_drops;		/* dropped: qdisc or class limit reached */
	__u64	be_pkts;		/* best-effort packets dequeued */
	__u64	be_drops;		/* best-effort packets dropped */
	__u64	stream_pkts;		/* stream (class) packets dequeued */
	__u64	stream_drops;		/* stream (class) packets dropped */
	__u64	watchdog_wakeups;	/* dequeues after an armed deadline */
	__u32	be_backlog_pkts;	/* best-effort packets queued now */
	__u32	streams;		/* classes configured */
};

/* Class statistics (TCA_STATS_APP of "tc -s class show"); appended only */
struct tc_st2110_class_xstats {
	__u64	matched_pkts;		/* classified by the class match */
	__u64	filtered_pkts;		/* classified by a tc filter */
};

#endif /* _UAPI_LINUX_PKT_SCHED_ST2110_H */
