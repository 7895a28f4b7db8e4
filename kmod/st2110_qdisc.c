// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_qdisc.c	SMPTE ST 2110-21 pacing queueing discipline (sch_st2110.ko)
 *
 * What it is for
 * --------------
 * A media sender application writes each video frame as one fast burst
 * (plain sendmsg, sendmmsg or UDP GSO).  ST 2110-21 wants the receiver to see
 * those packets spread over the frame period at the rate of a compliant
 * sender (Type N, NL or W), aligned to PTP time.  This qdisc sits on the
 * egress device and turns the bursts into such a schedule, so that unmodified
 * applications become compliant senders, while non-media traffic keeps
 * flowing in the gaps.
 *
 * Shape
 * -----
 * The qdisc is classful: each media stream is a class (tc class add ... /
 * st2110 stream add), so "tc -s class show" reports per-stream statistics.
 * A class carries its own match (UDP destination address and port, optionally
 * the source address), so no tc filter is needed; when filters are attached
 * to the qdisc they take precedence over the matches.  Packets that belong to
 * no stream go to the best-effort band.
 *
 * All times are CLOCK_TAI, like sch_etf: PTP time is TAI, and a LaunchTime
 * capable NIC (TC_SETUP_QDISC_ETF offload) compares skb->tstamp with TAI.
 *
 * enqueue():
 *   - classify: tc filters first, then the class matches (source-specific
 *     matches before the others), else best effort;
 *   - enforce the qdisc limit (all queues together) and the class limit,
 *     counting drops per band and per class;
 *   - a class with a stream format (video or audio) is paced: a frame
 *     tracker reads the RTP timestamp, sequence (with the ST 2110-20 ESN)
 *     and marker of each packet, which give frame N and index j, and the
 *     timing core in include/st2110/ (the only place the formulas live)
 *     gives the release time TPR_j(N) - lead * TRS on CLOCK_TAI.  Audio
 *     packet k leaves at (k + 1) packet times + TROFFSET.  Packets without
 *     RTP, or with j >= NPACKETS, leave at once (unscheduled); release
 *     times more than two frames ahead (audio: 20 ms) too (horizon): a
 *     sender whose RTP clock is not PTP locked must not stall its stream;
 *   - append the packet to the FIFO of its class or of the best-effort
 *     band.  A class without format (and best effort) is not paced.
 *
 * dequeue():
 *   - paced classes with packets sit in an rbtree keyed by the release time
 *     of their head (the delayed flows of sch_fq): the leftmost is the next
 *     due media packet.  Per class the queue is FIFO, as a stream arrives in
 *     order; a packet whose time is earlier than its predecessor's waits for
 *     it (no reordering within a stream);
 *   - unpaced packets (best effort, classes without format) leave in
 *     arrival order when no media packet is due and, if the link rate is
 *     known, when they serialise before the next one is due.  Starvation
 *     bound: one that has waited 1 ms leaves before any due media packet;
 *   - a video stream whose ST 2110-21 CINST bucket (run here, on the
 *     epoch drain grid) is at CMAX - 1 waits for the next drain, so that a
 *     catch-up after a stall never bursts above CMAX;
 *   - otherwise the due media head leaves; one whose release time was
 *     already past at enqueue is counted late, with its lateness at dequeue
 *     (max, EWMA 1/8), and every paced packet's release error (dequeue time
 *     minus release time) goes into a log2 histogram;
 *   - a video packet that leaves feeds the egress ST 2110-21 model: the
 *     strict CINST (the guard's bucket) and VRX (st2110_rx_vrx() against
 *     TPR_j of its frame) at its release time, judged per frame against
 *     CMAX and VRXFULL of the class's type (class xstats, events);
 *   - else one qdisc watchdog on CLOCK_TAI is armed for the earliest due
 *     packet (or the best-effort deadline) with the configured timer slack.
 *
 * With offload on, a paced packet carries its release time in skb->tstamp
 * (the NIC's LaunchTime); devices without ETF offload refuse the option, and
 * so does the root of a multi-queue device (LaunchTime is per TX queue: one
 * st2110 per queue, under mq).  UDP GSO super-packets of a paced class are
 * segmented at enqueue (as sch_tbf does) so that each packet is paced.  With
 * "rtp restamp" a frame (interlaced: a field) takes the next free slot, an
 * audio packet the next slot of its grid, and its packets get the slot's
 * RTP timestamp.
 *
 * Locking: packets and counters are under the qdisc root lock (enqueue,
 * dequeue, sch_tree_lock in ->change).  Configuration is written under the
 * tree lock and RTNL and read by the dumps without the qdisc lock, hence the
 * READ_ONCE()/WRITE_ONCE() pairs.  The link speed list is the only module
 * wide state: it maps a device to the qdiscs that follow its ethtool speed.
 */

#include <linux/ethtool.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <linux/udp.h>
#include <net/gen_stats.h>
#ifdef ST2110_HAVE_NET_GSO_H
#include <net/gso.h>	/* skb_gso_segment() since 6.5 */
#endif
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/pkt_cls.h>
#include <net/pkt_sched.h>
#include <net/sch_generic.h>

#include <uapi/linux/pkt_sched_st2110.h>
#include <st2110/st2110.h>
#include <st2110/rx.h>
#include "st2110_genl.h"

/* Classification result: the packet goes to the best-effort band. */
#define ST2110_BEST_EFFORT	NULL

/*
 * Packets of a paced class leave at time_ns (CLOCK_TAI; 0: at once).  The
 * others (best effort, unpaced classes) leave in seq order, and time_ns is
 * their enqueue time on the monotonic clock, for the starvation bound.
 */
struct st2110_skb_cb {
	u64	time_ns;
	u32	seq;	/* enqueue order: FIFO across the unpaced queues */
	u32	pkt;	/* video, time_ns set: index j in its frame */
	u8	flags;	/* ST2110_CB_* */
	u8	gen;	/* video: cl->eg_gen when queued (format of pkt) */
	u16	frame_lo; /* video: low 16 bits of its frame N */
} __packed __aligned(4);	/* QDISC_CB_PRIV_LEN is 20 */

#define ST2110_CB_LATE		BIT(0)	/* release time past at enqueue */

/*
 * Starvation bound: a best-effort (or unpaced class) packet that has waited
 * this long leaves before any due media packet.  1 ms is well below what
 * TCP or PTP notice, and costs a media packet at most one packet time of
 * lateness per millisecond.
 */
#define ST2110_BG_MAX_WAIT_NS	(1000 * NSEC_PER_USEC)

/*
 * Audio release times further ahead than this (or three packet times, if
 * longer) are released at once; with RTP restamp such a packet is dropped
 * instead (a sender running fast).
 */
#define ST2110_AUDIO_HORIZON_NS	(20 * NSEC_PER_MSEC)

/* A release "time" of st2110_*_release(): drop the packet. */
#define ST2110_TIME_DROP	U64_MAX

enum st2110_kind {
	ST2110_KIND_NONE,	/* no format: FIFO, not paced */
	ST2110_KIND_VIDEO,
	ST2110_KIND_AUDIO,
};

/* A class format as configured, and what the timing core derived from it. */
struct st2110_fmt {
	u8			kind;		/* enum st2110_kind */
	u8			type;		/* enum tc_st2110_sender_type */
	u8			rtp_policy;
	u64			troffset_cfg_ns; /* as given */
	u32			lead_cfg_pkts;	/* as given */
	struct st2110_video_fmt	video;		/* as given */
	u32			npackets_cfg;	/* as given */
	struct st2110_audio_fmt	audio;		/* as given */
	/* derived */
	struct st2110_sched	sched;		/* video */
	u64			troffset_ns;	/* audio */
	u32			lead_pkts;
	u32			cmax_pkts;	/* video: CMAX of the type */
	u32			vrx_full_pkts;	/* video: VRXFULL of the type */
	u32			cinst_max_pkts;	/* 0: no CINST guard */
	u64			horizon_ns;
};

/*
 * A stream match.  IPv4 addresses are kept v4-mapped so that one compare
 * serves both families.
 */
struct st2110_match {
	struct in6_addr	dst;
	struct in6_addr	src;
	__be16		dst_port;
	u8		family;		/* AF_INET or AF_INET6 */
	bool		has_src;
};

/* The addresses and port of one received packet, in st2110_match terms. */
struct st2110_pkt_key {
	struct in6_addr	dst;
	struct in6_addr	src;
	__be16		dst_port;
	u8		family;
	int		thoff;		/* UDP header offset */
};

/* One media stream. */
struct st2110_class {
	struct Qdisc_class_common common;	/* classid, q->clhash node */
	struct list_head	match_node;	/* q->streams, lookup order */
	struct list_head	active_node;	/* q->active: unpaced, queue not empty */
	struct rb_node		rb_node;	/* q->delayed: paced, queue not empty */
	u64			head_ns;	/* q->delayed key: head release time */
	struct qdisc_skb_head	queue;
	struct st2110_fmt	fmt;		/* written under tree lock + RTNL */

	/* frame tracker (video), under the root lock */
	bool			rs_valid;	/* restamp: rs_* follow a slot */
	u8			rs_field;	/* interlaced: field of rs_frame */
	u32			rs_src_ts;	/* the sender's timestamp of it */
	u64			rs_frame;	/* the slot it was given (audio: k) */
	bool			trk_valid;
	bool			trk_marker;	/* last packet ended a field/frame */
	u8			trk_seg;	/* field or PsF segment of trk_frame */
	u32			trk_field;	/* field from the RTP timestamp */
	u64			trk_frame;
	u32			trk_first_seq;	/* extended sequence of packet 0 */
	/*
	 * CINST guard: the sender-side network compatibility bucket, also
	 * the egress CINST of the class (after a release it is the strict
	 * model's CINST at that instant).  cinst_base: drain grid base.
	 */
	u32			cinst_pkts;
	u64			cinst_drain;	/* drain index it was last drained at */
	struct st2110_base	cinst_base;
	/* egress ST 2110-21 model (video), the frame being released */
	u8			eg_gen;		/* bumped by a format change */
	bool			eg_open;	/* eg_frame has had a packet */
	u64			eg_frame;
	u32			eg_fr_cinst;	/* its peak CINST */
	s64			eg_fr_vrx_max;	/* its peak and lowest VRX */
	s64			eg_fr_vrx_min;

	struct st2110_match	match;		/* written under tree lock + RTNL */
	u32			limit_pkts;	/* 0: only the qdisc limit applies */
	unsigned int		filter_cnt;	/* tc filters bound to us (RTNL) */

	struct gnet_stats_basic_sync bstats;
	struct gnet_stats_queue	qstats;
	u64			matched_pkts;
	u64			filtered_pkts;
	/* pacing counters, written under the root lock, dumped with READ_ONCE */
	u64			paced_pkts;
	u64			paced_bytes;
	u64			frames;
	u64			late_pkts;
	u64			late_max_ns;
	u64			late_ewma_ns;
	u64			horizon_pkts;
	u64			unscheduled_pkts;
	u64			cinst_waits;
	u64			err_hist[TC_ST2110_ERR_HIST_BUCKETS];
	/* egress ST 2110-21 figures (video), reset by a format change */
	u64			eg_frames;
	u64			eg_frames_over_cmax;
	u64			eg_frames_over_vrx;
	u64			eg_frames_vrx_under;
	u32			eg_cinst_peak;
	s64			eg_vrx_peak;	/* valid once eg_frames > 0 */
	s64			eg_vrx_min;
	/* event hold-off (st2110_genl.c), under the root lock */
	struct st2110_ev_state	ev[__ST2110_EVENT_MAX];
};

struct st2110_qdisc {
	/* Configuration; the total limit lives in sch->limit. */
	u32			timer_slack_ns;
	bool			offload;	/* LaunchTime enabled on ->queue */
	int			queue;		/* TX queue index, for offload */
	u64			link_rate_cfg_bps; /* 0: follow ethtool */
	u64			link_rate_bps;	/* in use; 0: speed unknown */

	/* Queues, under the root lock. */
	struct qdisc_skb_head	be_queue;
	struct list_head	active;		/* unpaced classes with packets */
	struct rb_root_cached	delayed;	/* paced classes with packets, by head_ns */
	struct list_head	streams;	/* all classes, match order */
	u32			next_seq;
	u64			wd_armed_ns;	/* watchdog deadline, 0: not armed */
	struct Qdisc_class_hash	clhash;
	u32			nr_streams;

	struct tcf_proto __rcu	*filter_list;
	struct tcf_block	*block;
	struct qdisc_watchdog	watchdog;	/* CLOCK_TAI; armed by the scheduler */

	struct Qdisc		*sch;
	struct list_head	speed_node;	/* st2110_speed_list */
	bool			on_speed_list;

	/* Counters for tc_st2110_xstats, under the root lock. */
	u64			stat_enqueued;
	u64			stat_dequeued;
	u64			stat_be_pkts;
	u64			stat_be_drops;
	u64			stat_stream_pkts;
	u64			stat_stream_drops;
	u64			stat_wakeups;
	u64			stat_gso_segs;
};

/* Options of one request, validated before anything is applied. */
struct st2110_qopt {
	u32		timer_slack_ns;
	u32		limit_pkts;
	u64		link_rate_cfg_bps;
	bool		offload;
	const struct nlattr *offload_attr;	/* for the extack of offload */
};

/*
 * Every st2110 qdisc, so that the netdevice notifier can update the link rate
 * of those that follow their device's speed (link rate 0), as sch_cbs does.
 */
static LIST_HEAD(st2110_speed_list);
static DEFINE_SPINLOCK(st2110_speed_lock);

/* Not const: the 6.1 nla_policy takes a non-const pointer. */
static struct netlink_range_validation st2110_slack_range = {
	.max = TC_ST2110_MAX_TIMER_SLACK_NS,
};

static struct netlink_range_validation st2110_limit_range = {
	.min = TC_ST2110_MIN_LIMIT_PKTS,
	.max = TC_ST2110_MAX_LIMIT_PKTS,
};

static struct netlink_range_validation st2110_rate_range = {
	.max = TC_ST2110_MAX_LINK_RATE_BPS,
};

static struct netlink_range_validation st2110_class_limit_range = {
	.max = TC_ST2110_CLASS_MAX_LIMIT_PKTS,
};

/* Attributes absent from a policy (UNSPEC, PAD) are rejected by strict parsing. */
static const struct nla_policy st2110_policy[TCA_ST2110_MAX + 1] = {
	[TCA_ST2110_CLOCKID]		= { .type = NLA_U32 },
	[TCA_ST2110_TIMER_SLACK_NS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &st2110_slack_range),
	[TCA_ST2110_LIMIT_PKTS]		= NLA_POLICY_FULL_RANGE(NLA_U32, &st2110_limit_range),
	[TCA_ST2110_LINK_RATE_BPS]	= NLA_POLICY_FULL_RANGE(NLA_U64, &st2110_rate_range),
	[TCA_ST2110_OFFLOAD]		= NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy st2110_match_policy[TCA_ST2110_MATCH_MAX + 1] = {
	[TCA_ST2110_MATCH_DST_IPV4]	= { .type = NLA_BE32 },
	[TCA_ST2110_MATCH_DST_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[TCA_ST2110_MATCH_DST_PORT]	= { .type = NLA_BE16 },
	[TCA_ST2110_MATCH_SRC_IPV4]	= { .type = NLA_BE32 },
	[TCA_ST2110_MATCH_SRC_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

/* Only types and lengths here: the timing core's validators judge the values. */
static const struct nla_policy st2110_video_policy[TCA_ST2110_VIDEO_MAX + 1] = {
	[TCA_ST2110_VIDEO_WIDTH_PX]	= { .type = NLA_U32 },
	[TCA_ST2110_VIDEO_HEIGHT_PX]	= { .type = NLA_U32 },
	[TCA_ST2110_VIDEO_SCAN]		= { .type = NLA_U8 },
	[TCA_ST2110_VIDEO_RATE_NUM]	= { .type = NLA_U32 },
	[TCA_ST2110_VIDEO_RATE_DEN]	= { .type = NLA_U32 },
	[TCA_ST2110_VIDEO_SAMPLING]	= { .type = NLA_U8 },
	[TCA_ST2110_VIDEO_DEPTH]	= { .type = NLA_U8 },
	[TCA_ST2110_VIDEO_PACKING]	= { .type = NLA_U8 },
	[TCA_ST2110_VIDEO_PAYLOAD_BYTES] = { .type = NLA_U16 },
	[TCA_ST2110_VIDEO_NPACKETS]	= { .type = NLA_U32 },
};

static const struct nla_policy st2110_audio_policy[TCA_ST2110_AUDIO_MAX + 1] = {
	[TCA_ST2110_AUDIO_RATE_HZ]	= { .type = NLA_U32 },
	[TCA_ST2110_AUDIO_CHANNELS]	= { .type = NLA_U16 },
	[TCA_ST2110_AUDIO_DEPTH_BITS]	= { .type = NLA_U8 },
	[TCA_ST2110_AUDIO_SAMPLES_PER_PKT] = { .type = NLA_U32 },
};

static const struct nla_policy st2110_class_policy[TCA_ST2110_CLASS_MAX + 1] = {
	[TCA_ST2110_CLASS_MATCH]	= NLA_POLICY_NESTED(st2110_match_policy),
	[TCA_ST2110_CLASS_LIMIT_PKTS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &st2110_class_limit_range),
	[TCA_ST2110_CLASS_VIDEO]	= NLA_POLICY_NESTED(st2110_video_policy),
	[TCA_ST2110_CLASS_AUDIO]	= NLA_POLICY_NESTED(st2110_audio_policy),
	[TCA_ST2110_CLASS_TYPE]		= NLA_POLICY_MAX(NLA_U8, __TC_ST2110_TYPE_MAX - 1),
	[TCA_ST2110_CLASS_TROFFSET_NS]	= { .type = NLA_U64 },
	[TCA_ST2110_CLASS_LEAD_PKTS]	= { .type = NLA_U32 },
	[TCA_ST2110_CLASS_RTP_POLICY]	= NLA_POLICY_MAX(NLA_U8, __TC_ST2110_RTP_MAX - 1),
	[TCA_ST2110_CLASS_UNPACED]	= { .type = NLA_FLAG },
};

static struct st2110_skb_cb *st2110_skb_cb(struct sk_buff *skb)
{
	qdisc_cb_private_validate(skb, sizeof(struct st2110_skb_cb));
	return (struct st2110_skb_cb *)qdisc_skb_cb(skb)->data;
}

/* ---- link speed ------------------------------------------------------- */

/* Link speed from ethtool in bit/s, 0 when the driver does not know it. */
static u64 st2110_ethtool_rate_bps(struct net_device *dev)
{
	struct ethtool_link_ksettings ecmd;

	ASSERT_RTNL();
	if (__ethtool_get_link_ksettings(dev, &ecmd) < 0)
		return 0;
	if (!ecmd.base.speed || ecmd.base.speed == (u32)SPEED_UNKNOWN)
		return 0;
	return (u64)ecmd.base.speed * 1000 * 1000;
}

static void st2110_speed_list_add(struct st2110_qdisc *q)
{
	spin_lock(&st2110_speed_lock);
	list_add(&q->speed_node, &st2110_speed_list);
	q->on_speed_list = true;
	spin_unlock(&st2110_speed_lock);
}

static void st2110_speed_list_del(struct st2110_qdisc *q)
{
	if (!q->on_speed_list)
		return;
	spin_lock(&st2110_speed_lock);
	list_del(&q->speed_node);
	q->on_speed_list = false;
	spin_unlock(&st2110_speed_lock);
}

/* Does any qdisc on @dev follow its link speed? */
static bool st2110_dev_followed(struct net_device *dev)
{
	struct st2110_qdisc *q;
	bool found = false;

	spin_lock(&st2110_speed_lock);
	list_for_each_entry(q, &st2110_speed_list, speed_node) {
		if (qdisc_dev(q->sch) == dev &&
		    !READ_ONCE(q->link_rate_cfg_bps)) {
			found = true;
			break;
		}
	}
	spin_unlock(&st2110_speed_lock);
	return found;
}

static int st2110_dev_notifier(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct st2110_qdisc *q;
	u64 rate_bps;

	if (event != NETDEV_UP && event != NETDEV_CHANGE)
		return NOTIFY_DONE;

	/* The ethtool query may sleep: it cannot run under the list lock. */
	if (!st2110_dev_followed(dev))
		return NOTIFY_DONE;
	rate_bps = st2110_ethtool_rate_bps(dev);

	spin_lock(&st2110_speed_lock);
	list_for_each_entry(q, &st2110_speed_list, speed_node) {
		if (qdisc_dev(q->sch) == dev &&
		    !READ_ONCE(q->link_rate_cfg_bps))
			WRITE_ONCE(q->link_rate_bps, rate_bps);
	}
	spin_unlock(&st2110_speed_lock);
	return NOTIFY_DONE;
}

static struct notifier_block st2110_dev_notifier_block = {
	.notifier_call = st2110_dev_notifier,
};

/* ---- offload ---------------------------------------------------------- */

/*
 * LaunchTime is requested exactly as sch_etf does it, so any driver that
 * supports etf offload (igc, stmmac, ...) serves this qdisc too.
 */
static int st2110_enable_offload(struct Qdisc *sch,
				 const struct nlattr *attr,
				 struct netlink_ext_ack *extack)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct net_device *dev = qdisc_dev(sch);
	const struct net_device_ops *ops = dev->netdev_ops;
	struct tc_etf_qopt_offload etf = { };
	int err;

	if (!ops->ndo_setup_tc) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Device does not support LaunchTime (ETF) offload");
		return -EOPNOTSUPP;
	}
	/* LaunchTime is per TX queue: a root qdisc would cover only queue 0 */
	if (sch->parent == TC_H_ROOT && dev->real_num_tx_queues > 1) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "LaunchTime offload on a multi-queue device needs st2110 as an mq child, one per TX queue");
		return -EOPNOTSUPP;
	}

	etf.queue = q->queue;
	etf.enable = 1;
	err = ops->ndo_setup_tc(dev, TC_SETUP_QDISC_ETF, &etf);
	if (err < 0) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Device failed to enable LaunchTime (ETF) offload");
		return err;
	}
	return 0;
}

static void st2110_disable_offload(struct Qdisc *sch)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct net_device *dev = qdisc_dev(sch);
	struct tc_etf_qopt_offload etf = { };
	int err;

	if (!dev->netdev_ops->ndo_setup_tc)
		return;

	etf.queue = q->queue;
	etf.enable = 0;
	err = dev->netdev_ops->ndo_setup_tc(dev, TC_SETUP_QDISC_ETF, &etf);
	if (err < 0)
		netdev_warn(dev, "st2110: cannot disable LaunchTime on queue %d\n",
			    etf.queue);
}

/*
 * With LaunchTime on, the NIC sends a paced packet at skb->tstamp (CLOCK_TAI)
 * and the wire sees the schedule without the dequeue's jitter.  The qdisc
 * releases a video packet lead TRS before TPR_j, so TPR_j itself is the
 * launch time, and the NIC holds each packet for about the lead.
 */
static void st2110_set_launch_time(const struct st2110_class *cl,
				   struct sk_buff *skb)
{
	const struct st2110_sched *s = &cl->fmt.sched;
	u64 t = st2110_skb_cb(skb)->time_ns;

	if (!t)
		return;
	if (cl->fmt.kind == ST2110_KIND_VIDEO)
		t += mul_u64_u64_div_u64(cl->fmt.lead_pkts, s->trs_d, s->den);
#ifdef SKB_TSTAMP_TYPE_MASK
	/* 6.11 on: the delivery time names its clock */
	skb_set_delivery_time(skb, ns_to_ktime(t), SKB_CLOCK_TAI);
#else
	/* before: a delivery time that is not mono is the device's clock */
	skb_set_delivery_time(skb, ns_to_ktime(t), false);
#endif
}

/* ---- classification ---------------------------------------------------- */

/* Fill @key from the IP and UDP headers; false if it is not a UDP packet. */
static bool st2110_pkt_key(struct sk_buff *skb, struct st2110_pkt_key *key)
{
	int noff = skb_network_offset(skb);
	struct udphdr _uh, *uh;
	int thoff;

	switch (skb_protocol(skb, true)) {
	case htons(ETH_P_IP): {
		struct iphdr _iph, *iph;

		iph = skb_header_pointer(skb, noff, sizeof(_iph), &_iph);
		if (!iph || iph->ihl < 5 || iph->protocol != IPPROTO_UDP)
			return false;
		/* Only the first fragment carries the UDP header. */
		if (iph->frag_off & htons(IP_OFFSET))
			return false;
		ipv6_addr_set_v4mapped(iph->daddr, &key->dst);
		ipv6_addr_set_v4mapped(iph->saddr, &key->src);
		key->family = AF_INET;
		thoff = noff + iph->ihl * 4;
		break;
	}
	case htons(ETH_P_IPV6): {
		struct ipv6hdr _ip6h, *ip6h;
		__be16 frag_off;
		u8 nexthdr;

		ip6h = skb_header_pointer(skb, noff, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return false;
		nexthdr = ip6h->nexthdr;
		thoff = ipv6_skip_exthdr(skb, noff + sizeof(*ip6h), &nexthdr,
					 &frag_off);
		if (thoff < 0 || nexthdr != IPPROTO_UDP ||
		    (frag_off & htons(IP6_OFFSET)))
			return false;
		key->dst = ip6h->daddr;
		key->src = ip6h->saddr;
		key->family = AF_INET6;
		break;
	}
	default:
		return false;
	}

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return false;
	key->dst_port = uh->dest;
	key->thoff = thoff;
	return true;
}

static bool st2110_match_pkt(const struct st2110_match *m,
			     const struct st2110_pkt_key *key)
{
	return m->dst_port == key->dst_port && m->family == key->family &&
	       ipv6_addr_equal(&m->dst, &key->dst) &&
	       (!m->has_src || ipv6_addr_equal(&m->src, &key->src));
}

/* q->streams holds source-specific matches first: the first hit is the best. */
static struct st2110_class *st2110_match_lookup(struct st2110_qdisc *q,
						struct sk_buff *skb)
{
	struct st2110_pkt_key key;
	struct st2110_class *cl;

	if (list_empty(&q->streams) || !st2110_pkt_key(skb, &key))
		return ST2110_BEST_EFFORT;

	list_for_each_entry(cl, &q->streams, match_node) {
		if (st2110_match_pkt(&cl->match, &key))
			return cl;
	}
	return ST2110_BEST_EFFORT;
}

static struct st2110_class *st2110_find_class(struct Qdisc *sch, u32 classid)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct Qdisc_class_common *clc;

	clc = qdisc_class_find(&q->clhash, classid);
	return clc ? container_of(clc, struct st2110_class, common) : NULL;
}

/*
 * Pick the queue of @skb.  Returns 0 and sets *clp (a class, or best effort),
 * or returns the NET_XMIT_* code of a filter action that consumed the packet.
 * A filter verdict naming no class of ours (e.g. the qdisc itself) means best
 * effort: the filter decided, the class matches are not consulted.
 */
static int st2110_classify(struct sk_buff *skb, struct Qdisc *sch,
			   struct st2110_class **clp)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct st2110_class *cl;
	struct tcf_result res;
	struct tcf_proto *fl;
	int result;

	fl = rcu_dereference_bh(q->filter_list);
	if (fl) {
		result = tcf_classify(skb, NULL, fl, &res, false);
#ifdef CONFIG_NET_CLS_ACT
		switch (result) {
		case TC_ACT_QUEUED:
		case TC_ACT_STOLEN:
		case TC_ACT_TRAP:
			return NET_XMIT_SUCCESS | __NET_XMIT_STOLEN;
		case TC_ACT_SHOT:
			return NET_XMIT_SUCCESS | __NET_XMIT_BYPASS;
		}
#endif
		if (result >= 0) {
			cl = st2110_find_class(sch, res.classid);
			if (cl)
				cl->filtered_pkts++;
			*clp = cl;
			return 0;
		}
	}

	cl = st2110_match_lookup(q, skb);
	if (cl)
		cl->matched_pkts++;
	*clp = cl;
	return 0;
}

/* ---- queues ------------------------------------------------------------ */

static bool st2110_paced(const struct st2110_class *cl)
{
	return cl && cl->fmt.kind != ST2110_KIND_NONE;
}

/* Keyed by when the head may leave; equal keys go right: ties keep order. */
static void st2110_delayed_insert(struct st2110_qdisc *q, struct st2110_class *cl,
				  u64 head_ns)
{
	struct rb_node **p = &q->delayed.rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	cl->head_ns = head_ns;
	while (*p) {
		struct st2110_class *o;

		parent = *p;
		o = rb_entry(parent, struct st2110_class, rb_node);
		if (cl->head_ns < o->head_ns) {
			p = &parent->rb_left;
		} else {
			p = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&cl->rb_node, parent, p);
	rb_insert_color_cached(&cl->rb_node, &q->delayed, leftmost);
}

/* Put a class with packets where dequeue looks for it. */
static void st2110_link_queue(struct st2110_qdisc *q, struct st2110_class *cl)
{
	if (!cl->queue.qlen)
		return;
	if (st2110_paced(cl))
		st2110_delayed_insert(q, cl, st2110_skb_cb(cl->queue.head)->time_ns);
	else
		list_add_tail(&cl->active_node, &q->active);
}

static void st2110_unlink_queue(struct st2110_qdisc *q, struct st2110_class *cl)
{
	if (!RB_EMPTY_NODE(&cl->rb_node)) {
		rb_erase_cached(&cl->rb_node, &q->delayed);
		RB_CLEAR_NODE(&cl->rb_node);
	}
	list_del_init(&cl->active_node);
}

/* seq wraps: compare as a signed distance (far fewer than 2^31 queued). */
static bool st2110_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/*
 * The unpaced queue (best effort or a class without format) whose head was
 * enqueued first; NULL when they are all empty.
 */
static struct qdisc_skb_head *st2110_oldest_queue(struct st2110_qdisc *q,
						  struct st2110_class **clp)
{
	struct qdisc_skb_head *best = NULL;
	struct st2110_class *cl;
	u32 best_seq = 0;

	*clp = ST2110_BEST_EFFORT;
	if (q->be_queue.head) {
		best = &q->be_queue;
		best_seq = st2110_skb_cb(q->be_queue.head)->seq;
	}
	list_for_each_entry(cl, &q->active, active_node) {
		u32 seq = st2110_skb_cb(cl->queue.head)->seq;

		if (!best || st2110_seq_before(seq, best_seq)) {
			best = &cl->queue;
			best_seq = seq;
			*clp = cl;
		}
	}
	return best;
}

/* The paced class whose head is due first, or NULL. */
static struct st2110_class *st2110_first_delayed(struct st2110_qdisc *q)
{
	struct rb_node *node = rb_first_cached(&q->delayed);

	return node ? rb_entry(node, struct st2110_class, rb_node) : NULL;
}

/* Unlink the head of @queue (of class @cl) and fix every count but bstats. */
static struct sk_buff *st2110_take_head(struct Qdisc *sch,
					struct qdisc_skb_head *queue,
					struct st2110_class *cl)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct sk_buff *skb;

	if (cl)
		st2110_unlink_queue(q, cl);
	skb = __qdisc_dequeue_head(queue);
	if (cl) {
		cl->qstats.backlog -= qdisc_pkt_len(skb);
		st2110_link_queue(q, cl);
	}
	qdisc_qstats_backlog_dec(sch, skb);
	sch->q.qlen--;
	return skb;
}

static void st2110_count_drop(struct Qdisc *sch, struct st2110_class *cl)
{
	struct st2110_qdisc *q = qdisc_priv(sch);

	qdisc_qstats_drop(sch);
	if (cl) {
		cl->qstats.drops++;
		q->stat_stream_drops++;
		st2110_event(sch, cl->common.classid, &cl->ev[ST2110_EVENT_STREAM_DROP],
			     ST2110_EVENT_STREAM_DROP, ktime_get_clocktai_ns(),
			     cl->qstats.drops, cl->limit_pkts ? cl->limit_pkts : sch->limit);
	} else {
		q->stat_be_drops++;
	}
}

/*
 * Drop queued packets of @cl (or of every queue when @cl is NULL), oldest
 * first, until the class (or the qdisc) holds at most @limit packets.  Runs
 * under the tree lock, in ->change: the packets are freed after RTNL.
 */
static void st2110_trim(struct Qdisc *sch, struct st2110_class *cl, u32 limit)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	unsigned int dropped_pkts = 0, dropped_bytes = 0;
	struct qdisc_skb_head *queue;
	struct st2110_class *from;
	struct sk_buff *skb;

	for (;;) {
		if (cl) {
			if (cl->queue.qlen <= limit)
				break;
			queue = &cl->queue;
			from = cl;
		} else {
			if (sch->q.qlen <= limit)
				break;
			queue = st2110_oldest_queue(q, &from);
			if (!queue) {
				from = st2110_first_delayed(q);
				if (!from)
					break;	/* only a peeked packet is left */
				queue = &from->queue;
			}
		}
		skb = st2110_take_head(sch, queue, from);
		st2110_count_drop(sch, from);
		dropped_pkts++;
		dropped_bytes += qdisc_pkt_len(skb);
		rtnl_kfree_skbs(skb, skb);
	}
	qdisc_tree_reduce_backlog(sch, dropped_pkts, dropped_bytes);
}

/* ---- pacing ------------------------------------------------------------ */

/* The RTP fields the scheduler needs. */
struct st2110_rtp {
	u32	ts;
	u32	ext_seq;	/* with the ST 2110-20 ESN for video */
	bool	marker;
	bool	srd_field;	/* video: F bit of the first SRD (second field) */
	int	off;		/* of the RTP header, from skb->data */
	int	thoff;		/* of the UDP header */
	u8	family;
};

/* Read the RTP header (and the video ESN) of a UDP packet; false if none. */
static bool st2110_rtp_parse(struct sk_buff *skb, bool video,
			     struct st2110_rtp *rtp)
{
	u8 _h[ST2110_RTP_HDR_LEN], *h;
	struct st2110_pkt_key key;
	u8 _w[4], *w;
	int off;

	if (!st2110_pkt_key(skb, &key))
		return false;
	off = key.thoff + ST2110_UDP_HDR_LEN;
	rtp->off = off;
	rtp->thoff = key.thoff;
	rtp->family = key.family;
	h = skb_header_pointer(skb, off, sizeof(_h), _h);
	if (!h || h[ST2110_RTP_OFF_VPXCC] >> ST2110_RTP_VERSION_SHIFT !=
		  ST2110_RTP_VERSION)
		return false;
	rtp->marker = h[ST2110_RTP_OFF_MPT] & ST2110_RTP_MARKER;
	/* bytes, not __be32 loads: nothing aligns the UDP payload */
	rtp->ts = (u32)h[ST2110_RTP_OFF_TS] << 24 |
		  (u32)h[ST2110_RTP_OFF_TS + 1] << 16 |
		  (u32)h[ST2110_RTP_OFF_TS + 2] << 8 | h[ST2110_RTP_OFF_TS + 3];
	rtp->ext_seq = (u32)h[ST2110_RTP_OFF_SEQ] << 8 | h[ST2110_RTP_OFF_SEQ + 1];
	if (!video)
		return true;

	/* The ESN follows the CSRCs and the header extension, if any. */
	off += ST2110_RTP_HDR_LEN + 4 * (h[ST2110_RTP_OFF_VPXCC] & 0x0f);
	if (h[ST2110_RTP_OFF_VPXCC] & 0x10) {
		w = skb_header_pointer(skb, off, sizeof(_w), _w);
		if (!w)
			return false;
		off += 4 + 4 * ((u32)w[2] << 8 | w[3]);
	}
	w = skb_header_pointer(skb, off, ST2110_20_ESN_LEN, _w);
	if (!w)
		return false;
	rtp->ext_seq = st2110_seq_ext((u16)(w[0] << 8 | w[1]), (u16)rtp->ext_seq);
	/* the first SRD: be16 length, then be16 F|row */
	w = skb_header_pointer(skb, off + ST2110_20_ESN_LEN, 4, _w);
	rtp->srd_field = w && ((u32)w[2] << 8 | w[3]) & ST2110_20_SRD_F;
	return true;
}

/*
 * RTP restamp: the sender's clock is not PTP locked, so its timestamps name
 * no alignment point.  A new timestamp starts a frame (interlaced: a field;
 * so does a change of the F bit), which takes the next slot whose packet 0
 * (lead included) is still ahead, and never one before the slot of the
 * previous frame: the frame keeps its shape, the schedule its order.
 * Interlaced, the SRD F bit tells the fields apart: a second field follows
 * its first field in the same frame slot, unless that field's packet 0 is
 * already past (or there was no first field), when it takes the second
 * field of the next free slot.  PsF
 * segments share the frame's timestamp, so a frame is one slot as for
 * progressive video.  *field: the slot's field (0 unless interlaced).
 */
static u64 st2110_restamp_frame(struct st2110_class *cl,
				const struct st2110_rtp *rtp, u64 now, u32 *field)
{
	const struct st2110_sched *s = &cl->fmt.sched;
	u32 f = s->scan == ST2110_SCAN_INTERLACED && rtp->srd_field;
	u64 n;

	/* a sender may stamp both fields alike: the F bit starts a field too */
	if (cl->rs_valid && rtp->ts == cl->rs_src_ts && f == cl->rs_field) {
		*field = f;
		return cl->rs_frame;
	}
	if (f && cl->rs_valid && !cl->rs_field &&
	    st2110_tpr_lead_ns(s, cl->rs_frame, s->field_pkts,
			       cl->fmt.lead_pkts) >= now) {
		n = cl->rs_frame;
	} else {
		n = st2110_next_frame(s, now, cl->fmt.lead_pkts);
		if (cl->rs_valid && n <= cl->rs_frame)
			n = cl->rs_frame + 1;
	}
	cl->rs_valid = true;
	cl->rs_src_ts = rtp->ts;
	cl->rs_frame = n;
	cl->rs_field = f;
	*field = f;
	return n;
}

/*
 * Write RTP timestamp @ts into the packet and fix the UDP checksum
 * incrementally.  A CHECKSUM_PARTIAL packet carries only the
 * pseudo-header sum there (the payload is summed later), so it is left
 * alone; IPv4 checksum 0 means none (IPv6 always has one).
 */
static int st2110_restamp(struct sk_buff *skb, const struct st2110_rtp *rtp,
			  u32 ts)
{
	__be32 from, to = htonl(ts);
	int ts_off = rtp->off + ST2110_RTP_OFF_TS;
	struct udphdr *uh;

	if (skb_ensure_writable(skb, ts_off + sizeof(to)))
		return -ENOMEM;
	memcpy(&from, skb->data + ts_off, sizeof(from));
	if (from == to)
		return 0;
	memcpy(skb->data + ts_off, &to, sizeof(to));
	uh = (struct udphdr *)(skb->data + rtp->thoff);
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return 0;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->csum = csum_add(csum_sub(skb->csum, (__force __wsum)from),
				     (__force __wsum)to);
	if (!uh->check && rtp->family == AF_INET)
		return 0;
	inet_proto_csum_replace4(&uh->check, skb, from, to, false);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	return 0;
}

/*
 * Release time of a video packet: the RTP timestamp names frame N (the
 * alignment point nearest to it: a PTP-locked sender stamps N*TFRAME), the
 * sequence number counted from the first packet of that frame gives j, and
 * the packet leaves at TPR_j(N) - lead * TRS.  A marker ends a field (a PsF
 * segment) or the frame.  0: no schedule for it, release at once.
 */
static u64 st2110_video_release(struct st2110_class *cl,
				const struct st2110_rtp *rtp, u64 now, u32 *ts,
				u32 *pkt_out)
{
	const struct st2110_sched *s = &cl->fmt.sched;
	u32 field, seg, pkt;
	u64 frame;

	if (cl->fmt.rtp_policy == TC_ST2110_RTP_RESTAMP) {
		frame = st2110_restamp_frame(cl, rtp, now, &field);
		*ts = st2110_rtp_video_ts(&s->rate, frame, field);
	} else {
		frame = st2110_rtp_video_frame(&s->rate,
					       s->scan == ST2110_SCAN_INTERLACED,
					       rtp->ts, now, &field);
	}
	if (!cl->trk_valid || frame != cl->trk_frame ||
	    field != cl->trk_field || cl->trk_marker) {
		/* PsF: both segments carry the frame's timestamp */
		seg = field;
		if (s->scan == ST2110_SCAN_PSF && cl->trk_valid &&
		    frame == cl->trk_frame && cl->trk_seg == 0)
			seg = 1;
		if (!cl->trk_valid || frame != cl->trk_frame)
			WRITE_ONCE(cl->frames, cl->frames + 1);
		cl->trk_valid = true;
		cl->trk_frame = frame;
		cl->trk_field = field;
		cl->trk_seg = seg;
		cl->trk_first_seq = rtp->ext_seq - seg * s->field_pkts;
	}
	cl->trk_marker = rtp->marker;

	pkt = rtp->ext_seq - cl->trk_first_seq;
	if (pkt >= s->npackets)
		return 0;
	*pkt_out = pkt;
	return st2110_tpr_lead_ns(s, frame, pkt, cl->fmt.lead_pkts);
}

/*
 * Audio packet k carries samples k*spp..k*spp + spp - 1 (its RTP timestamp
 * is k*spp): it is complete, and leaves, at (k + 1) * packet time, plus
 * TROFFSET.  A playback sender writes it at k * packet time, so the qdisc
 * holds it for one packet time and the stream leaves on the exact grid.
 *
 * RTP restamp: the sender's sample clock is not PTP locked, so the packet
 * takes a slot k of the grid instead, and its RTP timestamp becomes k*spp.
 * The first takes the next slot whose release is not past
 * (st2110_audio_next_slot()), each following one the slot after the
 * previous one.  A free-running clock drifts against PTP: a sender running
 * slow hands a packet over after its slot's release, and that packet takes
 * the next slot still ahead instead (a slot is skipped: the timestamps
 * jump by 2*spp, a gap a receiver conceals); a sender running fast gets
 * ahead of the grid and its queue grows, up to the 20 ms horizon: a packet
 * whose slot is further ahead is dropped (one packet time of samples lost),
 * so the latency the qdisc adds stays below 20 ms plus one packet time.  At
 * 100 ppm and 1 ms packets either happens once in 10 s.
 */
static u64 st2110_audio_release(struct st2110_class *cl,
				const struct st2110_rtp *rtp, u64 now, u32 *ts)
{
	const struct st2110_audio_fmt *a = &cl->fmt.audio;
	u64 ticks, k, t;

	if (cl->fmt.rtp_policy == TC_ST2110_RTP_RESTAMP) {
		k = st2110_audio_next_slot(a, now, cl->fmt.troffset_ns);
		if (cl->rs_valid && k <= cl->rs_frame)
			k = cl->rs_frame + 1;
		t = st2110_audio_pkt_time_ns(a, k + 1) + cl->fmt.troffset_ns;
		if (t > now + cl->fmt.horizon_ns)
			return ST2110_TIME_DROP;
		cl->rs_valid = true;
		cl->rs_frame = k;
		*ts = st2110_audio_pkt_rtp_ts(a, k);
	} else {
		ticks = st2110_rtp_unwrap(rtp->ts, st2110_rtp_ticks(now, a->rate_hz));
		k = div_u64(ticks, a->samples_per_pkt);
		t = st2110_audio_pkt_time_ns(a, k + 1) + cl->fmt.troffset_ns;
	}
	WRITE_ONCE(cl->frames, cl->frames + 1);
	return t;
}

/*
 * Stamp a packet of a paced class with its release time (cb->time_ns).
 * False: drop it (RTP restamp audio beyond the horizon).
 */
static bool st2110_pace(struct Qdisc *sch, struct st2110_class *cl, struct sk_buff *skb)
{
	struct st2110_skb_cb *cb = st2110_skb_cb(skb);
	bool video = cl->fmt.kind == ST2110_KIND_VIDEO;
	u64 now = ktime_get_clocktai_ns();
	struct st2110_rtp rtp;
	u32 pkt = 0, ts = 0;
	u64 t = 0;

	if (st2110_rtp_parse(skb, video, &rtp))
		t = video ? st2110_video_release(cl, &rtp, now, &ts, &pkt) :
			    st2110_audio_release(cl, &rtp, now, &ts);
	if (t == ST2110_TIME_DROP) {
		WRITE_ONCE(cl->horizon_pkts, cl->horizon_pkts + 1);
		return false;
	}
	/* a packet that cannot carry its slot's timestamp is not in that slot */
	if (t && cl->fmt.rtp_policy == TC_ST2110_RTP_RESTAMP &&
	    st2110_restamp(skb, &rtp, ts))
		t = 0;
	if (!t) {
		WRITE_ONCE(cl->unscheduled_pkts, cl->unscheduled_pkts + 1);
	} else if (t > now + cl->fmt.horizon_ns) {
		/* A wrong RTP clock would hold the stream for ever: let it go. */
		WRITE_ONCE(cl->horizon_pkts, cl->horizon_pkts + 1);
		t = 0;
	} else if (t < now) {
		cb->flags |= ST2110_CB_LATE;
		WRITE_ONCE(cl->late_pkts, cl->late_pkts + 1);
		st2110_event(sch, cl->common.classid, &cl->ev[ST2110_EVENT_STREAM_LATE],
			     ST2110_EVENT_STREAM_LATE, now, now - t, 0);
	}
	cb->time_ns = t;
	/* where the egress model puts it (st2110_egress_pkt()) */
	cb->pkt = pkt;
	cb->gen = cl->eg_gen;
	cb->frame_lo = (u16)cl->trk_frame;
	return true;
}

/*
 * CINST guard.  After a stall (a late timer, a busy CPU) every packet that
 * fell due meanwhile would leave back to back, and a burst above CMAX makes
 * the stream non-compliant even when no packet is late.  So the qdisc runs
 * the ST 2110-21 network compatibility bucket itself (drained once per
 * TDRAIN on the epoch grid) and holds a stream whose bucket holds
 * cinst_max_pkts (CMAX - 1, one packet of margin for the path to the
 * wire) until the next drain.  In steady state the bucket stays at 1-2.
 * False: wait until *retry_ns.
 */
static bool st2110_cinst_admit(struct st2110_class *cl, u64 now, u64 *retry_ns)
{
	const struct st2110_sched *s = &cl->fmt.sched;
	u64 k, d;

	if (!cl->fmt.cinst_max_pkts)
		return true;
	/* one multiply and divide; the base moves about once a day */
	k = st2110_rx_drain_index(s, &cl->cinst_base, now);
	if (k > cl->cinst_drain) {
		d = k - cl->cinst_drain;
		cl->cinst_pkts = d >= cl->cinst_pkts ? 0 : cl->cinst_pkts - (u32)d;
		cl->cinst_drain = k;
	}
	if (cl->cinst_pkts < cl->fmt.cinst_max_pkts)
		return true;
	*retry_ns = st2110_drain_start_ns(s, &cl->cinst_base, k + 1);
	return false;
}

/*
 * Egress ST 2110-21 model.  The strict network compatibility (CINST) and
 * virtual receive buffer (VRX) models, run on the release times of a video
 * class's packets as a receiver runs them on arrival times: the figures a
 * capture at the qdisc would give.  CINST is the guard's bucket (drained at
 * the same instant just before the release, so not run twice); VRX is
 * st2110_rx_vrx() against TPR_j of the packet's frame, as in the XDP
 * program.  Per frame: its peak CINST and VRX are judged against CMAX and
 * VRXFULL of the class's type when its last packet leaves (or the next
 * frame's first one does), counted and sent as events.  The guard keeps
 * CINST at most CMAX - 1, so frames over CMAX are not expected here; a VRX
 * of 0 or less just after a release means that packet left at or after its
 * read time (the read found the buffer empty): an underflow.
 */
static void st2110_egress_end(struct Qdisc *sch, struct st2110_class *cl, u64 now)
{
	u32 cmax = cl->fmt.cmax_pkts, vrx_full = cl->fmt.vrx_full_pkts;

	if (!cl->eg_open)
		return;
	cl->eg_open = false;
	if (cl->eg_fr_cinst > cmax) {
		WRITE_ONCE(cl->eg_frames_over_cmax, cl->eg_frames_over_cmax + 1);
		st2110_event(sch, cl->common.classid, &cl->ev[ST2110_EVENT_FRAME_CMAX],
			     ST2110_EVENT_FRAME_CMAX, now, cl->eg_fr_cinst, cmax);
	}
	if (cl->eg_fr_vrx_max > (s64)vrx_full) {
		WRITE_ONCE(cl->eg_frames_over_vrx, cl->eg_frames_over_vrx + 1);
		st2110_event(sch, cl->common.classid, &cl->ev[ST2110_EVENT_FRAME_VRX],
			     ST2110_EVENT_FRAME_VRX, now, cl->eg_fr_vrx_max, vrx_full);
	}
	if (cl->eg_fr_vrx_min <= 0)
		WRITE_ONCE(cl->eg_frames_vrx_under, cl->eg_frames_vrx_under + 1);
}

/* A packet of a video class left at @now; cl->cinst_pkts counts it. */
static void st2110_egress_pkt(struct Qdisc *sch, struct st2110_class *cl,
			      const struct st2110_skb_cb *cb, u64 now)
{
	const struct st2110_sched *s = &cl->fmt.sched;
	u32 cinst = cl->cinst_pkts;
	u64 frame;
	s64 v;

	if (cinst > cl->eg_cinst_peak)
		WRITE_ONCE(cl->eg_cinst_peak, cinst);
	/* unscheduled (no j) or queued under another format: CINST only */
	if (!cb->time_ns || cb->gen != cl->eg_gen) {
		if (cl->eg_open && cinst > cl->eg_fr_cinst)
			cl->eg_fr_cinst = cinst;
		return;
	}
	/* queued packets are within a few frames of the last one queued */
	frame = cl->trk_frame + (s16)(cb->frame_lo - (u16)cl->trk_frame);
	v = st2110_rx_vrx(s, frame, cb->pkt, now);
	if (!cl->eg_open || frame != cl->eg_frame) {
		st2110_egress_end(sch, cl, now);
		cl->eg_open = true;
		cl->eg_frame = frame;
		cl->eg_fr_cinst = cinst;
		cl->eg_fr_vrx_max = v;
		cl->eg_fr_vrx_min = v;
		if (!cl->eg_frames) {
			WRITE_ONCE(cl->eg_vrx_peak, v);
			WRITE_ONCE(cl->eg_vrx_min, v);
		}
		WRITE_ONCE(cl->eg_frames, cl->eg_frames + 1);
	}
	if (cinst > cl->eg_fr_cinst)
		cl->eg_fr_cinst = cinst;
	if (v > cl->eg_fr_vrx_max)
		cl->eg_fr_vrx_max = v;
	if (v < cl->eg_fr_vrx_min)
		cl->eg_fr_vrx_min = v;
	if (v > cl->eg_vrx_peak)
		WRITE_ONCE(cl->eg_vrx_peak, v);
	if (v < cl->eg_vrx_min)
		WRITE_ONCE(cl->eg_vrx_min, v);
	if (cb->pkt == s->npackets - 1)
		st2110_egress_end(sch, cl, now);
}

/* Zero the egress figures: a new format is a new stream for them. */
static void st2110_egress_reset(struct st2110_class *cl)
{
	cl->eg_gen++;
	cl->eg_open = false;
	cl->cinst_pkts = 0;
	cl->cinst_drain = 0;
	memset(&cl->cinst_base, 0, sizeof(cl->cinst_base));
	WRITE_ONCE(cl->eg_frames, 0);
	WRITE_ONCE(cl->eg_frames_over_cmax, 0);
	WRITE_ONCE(cl->eg_frames_over_vrx, 0);
	WRITE_ONCE(cl->eg_frames_vrx_under, 0);
	WRITE_ONCE(cl->eg_cinst_peak, 0);
	WRITE_ONCE(cl->eg_vrx_peak, 0);
	WRITE_ONCE(cl->eg_vrx_min, 0);
}

/* Account a paced packet leaving at @now. */
static void st2110_paced_stats(struct st2110_class *cl, struct sk_buff *skb,
			       u64 now)
{
	struct st2110_skb_cb *cb = st2110_skb_cb(skb);
	u64 err_ns, ewma;
	unsigned int b;

	if (!cb->time_ns)
		return;
	err_ns = now > cb->time_ns ? now - cb->time_ns : 0;
	b = min_t(unsigned int, fls64(err_ns), TC_ST2110_ERR_HIST_BUCKETS - 1);
	WRITE_ONCE(cl->err_hist[b], cl->err_hist[b] + 1);
	WRITE_ONCE(cl->paced_pkts, cl->paced_pkts + 1);
	WRITE_ONCE(cl->paced_bytes, cl->paced_bytes + qdisc_pkt_len(skb));
	if (!(cb->flags & ST2110_CB_LATE))
		return;
	if (err_ns > cl->late_max_ns)
		WRITE_ONCE(cl->late_max_ns, err_ns);
	ewma = cl->late_ewma_ns;
	ewma = ewma - (ewma >> 3) + (err_ns >> 3);
	WRITE_ONCE(cl->late_ewma_ns, ewma);
}

/* Queue one packet, already classified to @cl, or drop it at a limit. */
static int st2110_enqueue_one(struct sk_buff *skb, struct Qdisc *sch,
			      struct st2110_class *cl,
			      struct sk_buff **to_free)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct st2110_skb_cb *cb;

	if (unlikely(sch->q.qlen >= sch->limit ||
		     (cl && cl->limit_pkts && cl->queue.qlen >= cl->limit_pkts))) {
		st2110_count_drop(sch, cl);
		__qdisc_drop(skb, to_free);
		return NET_XMIT_DROP;
	}

	cb = st2110_skb_cb(skb);
	cb->seq = q->next_seq++;
	cb->flags = 0;
	if (!st2110_paced(cl)) {
		cb->time_ns = ktime_get_ns();
	} else if (unlikely(!st2110_pace(sch, cl, skb))) {
		st2110_count_drop(sch, cl);
		__qdisc_drop(skb, to_free);
		return NET_XMIT_DROP;
	}

	if (cl) {
		st2110_unlink_queue(q, cl);
		__qdisc_enqueue_tail(skb, &cl->queue);
		cl->qstats.backlog += qdisc_pkt_len(skb);
		st2110_link_queue(q, cl);
	} else {
		__qdisc_enqueue_tail(skb, &q->be_queue);
	}
	qdisc_qstats_backlog_inc(sch, skb);
	sch->q.qlen++;
	q->stat_enqueued++;
	return NET_XMIT_SUCCESS;
}

/*
 * A UDP GSO super-packet carries a whole burst of RTP packets, each with
 * its own RTP header at a gso_size boundary: paced as one, the stream would
 * leave in bursts again.  So, as sch_tbf does, it is cut into its packets
 * here and each is paced on its own.  The parents counted one packet of the
 * super-packet's length; they are told about the difference.
 */
static int st2110_enqueue_segs(struct sk_buff *skb, struct Qdisc *sch,
			       struct st2110_class *cl,
			       struct sk_buff **to_free)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	unsigned int len = 0, prev_len = qdisc_pkt_len(skb);
	netdev_features_t features = netif_skb_features(skb);
	struct sk_buff *segs, *nskb;
	int nb = 0;

	segs = skb_gso_segment(skb, features & ~NETIF_F_GSO_MASK);
	if (IS_ERR_OR_NULL(segs)) {
		st2110_count_drop(sch, cl);
		__qdisc_drop(skb, to_free);
		return NET_XMIT_DROP;
	}

	skb_list_walk_safe(segs, segs, nskb) {
		unsigned int seg_len = segs->len;

		skb_mark_not_on_list(segs);
		qdisc_skb_cb(segs)->pkt_len = seg_len;
		if (st2110_enqueue_one(segs, sch, cl, to_free) != NET_XMIT_SUCCESS)
			continue;
		nb++;
		len += seg_len;
		q->stat_gso_segs++;
	}
	consume_skb(skb);
	if (!nb)
		return NET_XMIT_DROP;
	if (nb > 1 || len != prev_len)
		qdisc_tree_reduce_backlog(sch, 1 - nb, (int)prev_len - (int)len);
	return NET_XMIT_SUCCESS;
}

static int st2110_enqueue(struct sk_buff *skb, struct Qdisc *sch,
			  struct sk_buff **to_free)
{
	struct st2110_class *cl;
	int ret;

	ret = st2110_classify(skb, sch, &cl);
	if (unlikely(ret)) {
		if (ret & __NET_XMIT_BYPASS)
			qdisc_qstats_drop(sch);
		__qdisc_drop(skb, to_free);
		return ret;
	}

	if (skb_is_gso(skb) && st2110_paced(cl))
		return st2110_enqueue_segs(skb, sch, cl, to_free);
	return st2110_enqueue_one(skb, sch, cl, to_free);
}

/*
 * May an unpaced packet leave now, with the next media packet due at
 * @next_ns?  Yes if the link (when its rate is known) serialises it before
 * then, or if it has waited ST2110_BG_MAX_WAIT_NS: the starvation bound.
 * *wait_ns is how long it may still wait.
 */
static bool st2110_bg_fits(struct st2110_qdisc *q, struct sk_buff *skb,
			   u64 now, u64 next_ns, u64 *wait_ns)
{
	u64 rate_bps = READ_ONCE(q->link_rate_bps);
	u64 waited = ktime_get_ns() - st2110_skb_cb(skb)->time_ns;

	if (waited >= ST2110_BG_MAX_WAIT_NS)
		return true;
	*wait_ns = ST2110_BG_MAX_WAIT_NS - waited;
	if (next_ns == U64_MAX)
		return true;
	if (next_ns <= now)
		return false;
	if (!rate_bps)
		return true;
	return div64_u64((u64)qdisc_pkt_len(skb) * 8 * NSEC_PER_SEC, rate_bps) <=
	       next_ns - now;
}

static struct sk_buff *st2110_dequeue(struct Qdisc *sch)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct qdisc_skb_head *queue;
	struct st2110_class *cl, *pcl;
	u64 now, next_ns = U64_MAX, wait_ns = U64_MAX;
	struct sk_buff *skb;

	if (!sch->q.qlen)
		return NULL;
	now = ktime_get_clocktai_ns();
	if (q->wd_armed_ns && now >= q->wd_armed_ns) {
		q->stat_wakeups++;
		q->wd_armed_ns = 0;
	}

	/* The first due stream whose CINST bucket has room; each is re-keyed
	 * past now at most once, so this ends.
	 */
	for (;;) {
		u64 retry_ns;

		pcl = st2110_first_delayed(q);
		if (!pcl || pcl->head_ns > now ||
		    st2110_cinst_admit(pcl, now, &retry_ns))
			break;
		WRITE_ONCE(pcl->cinst_waits, pcl->cinst_waits + 1);
		rb_erase_cached(&pcl->rb_node, &q->delayed);
		st2110_delayed_insert(q, pcl, retry_ns);
	}
	if (pcl)
		next_ns = pcl->head_ns;

	/* Unpaced packets first only when they fit or waited too long. */
	queue = st2110_oldest_queue(q, &cl);
	if (queue && st2110_bg_fits(q, queue->head, now, next_ns, &wait_ns)) {
		skb = st2110_take_head(sch, queue, cl);
		if (cl) {
			bstats_update(&cl->bstats, skb);
			q->stat_stream_pkts++;
		} else {
			q->stat_be_pkts++;
		}
		goto out;
	}

	if (pcl && next_ns <= now) {
		skb = st2110_take_head(sch, &pcl->queue, pcl);
		pcl->cinst_pkts++;
		st2110_paced_stats(pcl, skb, now);
		if (pcl->fmt.kind == ST2110_KIND_VIDEO)
			st2110_egress_pkt(sch, pcl, st2110_skb_cb(skb), now);
		if (READ_ONCE(q->offload))
			st2110_set_launch_time(pcl, skb);
		bstats_update(&pcl->bstats, skb);
		q->stat_stream_pkts++;
		goto out;
	}

	if (wait_ns != U64_MAX && now + wait_ns < next_ns)
		next_ns = now + wait_ns;
	if (next_ns != U64_MAX) {
		qdisc_watchdog_schedule_range_ns(&q->watchdog, next_ns,
						 READ_ONCE(q->timer_slack_ns));
		q->wd_armed_ns = next_ns;
	}
	return NULL;

out:
	qdisc_bstats_update(sch, skb);
	q->stat_dequeued++;
	return skb;
}

/* ---- qdisc configuration ----------------------------------------------- */

static void st2110_qopt_from_sched(struct Qdisc *sch, struct st2110_qopt *o)
{
	struct st2110_qdisc *q = qdisc_priv(sch);

	o->timer_slack_ns = q->timer_slack_ns;
	o->limit_pkts = sch->limit;
	o->link_rate_cfg_bps = q->link_rate_cfg_bps;
	o->offload = q->offload;
	o->offload_attr = NULL;
}

/*
 * Overlay the options present in @opt on @o.  Range and type rules are in
 * st2110_policy; what a policy cannot say is checked here.
 */
static int st2110_parse_qopt(struct nlattr *opt, struct st2110_qopt *o,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_ST2110_MAX + 1];
	int err;

	err = nla_parse_nested(tb, TCA_ST2110_MAX, opt, st2110_policy, extack);
	if (err < 0)
		return err;

	/* Release times are PTP times: TAI, as for sch_etf. */
	if (tb[TCA_ST2110_CLOCKID] &&
	    nla_get_u32(tb[TCA_ST2110_CLOCKID]) != CLOCK_TAI) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_ST2110_CLOCKID],
				    "Invalid clockid: CLOCK_TAI must be used");
		return -EINVAL;
	}
	if (tb[TCA_ST2110_TIMER_SLACK_NS])
		o->timer_slack_ns = nla_get_u32(tb[TCA_ST2110_TIMER_SLACK_NS]);
	if (tb[TCA_ST2110_LIMIT_PKTS])
		o->limit_pkts = nla_get_u32(tb[TCA_ST2110_LIMIT_PKTS]);
	if (tb[TCA_ST2110_LINK_RATE_BPS])
		o->link_rate_cfg_bps = nla_get_u64(tb[TCA_ST2110_LINK_RATE_BPS]);
	if (tb[TCA_ST2110_OFFLOAD]) {
		o->offload = nla_get_u8(tb[TCA_ST2110_OFFLOAD]);
		o->offload_attr = tb[TCA_ST2110_OFFLOAD];
	}
	return 0;
}

/*
 * All or nothing: every option is validated, and the one step that can fail
 * (enabling offload) is done, before the first value is changed.
 */
static int st2110_change(struct Qdisc *sch, struct nlattr *opt,
			 struct netlink_ext_ack *extack)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	bool disable_offload;
	struct st2110_qopt o;
	u64 rate_bps;
	int err;

	st2110_qopt_from_sched(sch, &o);
	if (opt) {
		err = st2110_parse_qopt(opt, &o, extack);
		if (err)
			return err;
	}

	if (o.offload && !q->offload) {
		err = st2110_enable_offload(sch, o.offload_attr, extack);
		if (err)
			return err;
	}
	disable_offload = !o.offload && q->offload;

	rate_bps = o.link_rate_cfg_bps ?:
		   st2110_ethtool_rate_bps(qdisc_dev(sch));

	sch_tree_lock(sch);
	WRITE_ONCE(q->timer_slack_ns, o.timer_slack_ns);
	WRITE_ONCE(sch->limit, o.limit_pkts);
	WRITE_ONCE(q->link_rate_cfg_bps, o.link_rate_cfg_bps);
	WRITE_ONCE(q->link_rate_bps, rate_bps);
	WRITE_ONCE(q->offload, o.offload);
	st2110_trim(sch, NULL, o.limit_pkts);
	sch_tree_unlock(sch);

	if (disable_offload)
		st2110_disable_offload(sch);
	return 0;
}

static int st2110_init(struct Qdisc *sch, struct nlattr *opt,
		       struct netlink_ext_ack *extack)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct net_device *dev = qdisc_dev(sch);
	int err;

	/* Everything ->reset and ->destroy look at is valid from here on. */
	q->sch = sch;
	INIT_LIST_HEAD(&q->active);
	q->delayed = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&q->streams);
	qdisc_watchdog_init_clockid(&q->watchdog, sch, CLOCK_TAI);

	err = qdisc_class_hash_init(&q->clhash);
	if (err)
		return err;
	err = tcf_block_get(&q->block, &q->filter_list, sch, extack);
	if (err)
		return err;

	q->queue = sch->dev_queue - netdev_get_tx_queue(dev, 0);
	q->timer_slack_ns = TC_ST2110_DEFAULT_TIMER_SLACK_NS;
	q->link_rate_cfg_bps = TC_ST2110_DEFAULT_LINK_RATE_BPS;
	sch->limit = TC_ST2110_DEFAULT_LIMIT_PKTS;

	err = st2110_change(sch, opt, extack);
	if (err)
		return err;

	st2110_speed_list_add(q);
	return 0;
}

static void st2110_purge_class(struct st2110_qdisc *q, struct st2110_class *cl)
{
	st2110_unlink_queue(q, cl);
	__qdisc_reset_queue(&cl->queue);
	cl->qstats.backlog = 0;
	cl->trk_valid = false;
	cl->rs_valid = false;
	cl->cinst_pkts = 0;
	cl->eg_open = false;	/* that frame's packets are gone */
}

static void st2110_reset(struct Qdisc *sch)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct st2110_class *cl;
	unsigned int i;

	if (q->watchdog.qdisc == sch)
		qdisc_watchdog_cancel(&q->watchdog);
	q->wd_armed_ns = 0;

	__qdisc_reset_queue(&q->be_queue);
	for (i = 0; i < q->clhash.hashsize; i++) {
		hlist_for_each_entry(cl, &q->clhash.hash[i], common.hnode)
			st2110_purge_class(q, cl);
	}
	/* The core zeroes sch->q.qlen and the backlog after us. */
}

/* Also called when ->init failed part way: every step checks its own state. */
static void st2110_destroy(struct Qdisc *sch)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct st2110_class *cl;
	struct hlist_node *next;
	unsigned int i;

	st2110_speed_list_del(q);
	if (q->watchdog.qdisc == sch)
		qdisc_watchdog_cancel(&q->watchdog);

	/* Filters unbind from the classes, so they go first. */
	tcf_block_put(q->block);

	for (i = 0; i < q->clhash.hashsize; i++) {
		hlist_for_each_entry_safe(cl, next, &q->clhash.hash[i],
					  common.hnode) {
			st2110_purge_class(q, cl);
			kfree(cl);
		}
	}
	qdisc_class_hash_destroy(&q->clhash);
	__qdisc_reset_queue(&q->be_queue);

	if (q->offload)
		st2110_disable_offload(sch);
}

static int st2110_dump(struct Qdisc *sch, struct sk_buff *skb)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct nlattr *opts;

	opts = nla_nest_start(skb, TCA_OPTIONS);
	if (!opts)
		return -EMSGSIZE;

	/* The clock is not stored: CLOCK_TAI is the only one accepted. */
	if (nla_put_u32(skb, TCA_ST2110_CLOCKID, CLOCK_TAI) ||
	    nla_put_u32(skb, TCA_ST2110_TIMER_SLACK_NS,
			READ_ONCE(q->timer_slack_ns)) ||
	    nla_put_u32(skb, TCA_ST2110_LIMIT_PKTS, READ_ONCE(sch->limit)) ||
	    nla_put_u64_64bit(skb, TCA_ST2110_LINK_RATE_BPS,
			      READ_ONCE(q->link_rate_cfg_bps),
			      TCA_ST2110_PAD) ||
	    nla_put_u8(skb, TCA_ST2110_OFFLOAD, READ_ONCE(q->offload)))
		goto nla_put_failure;

	return nla_nest_end(skb, opts);

nla_put_failure:
	nla_nest_cancel(skb, opts);
	return -EMSGSIZE;
}

static int st2110_dump_stats(struct Qdisc *sch, struct gnet_dump *d)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct tc_st2110_xstats st = { };

	sch_tree_lock(sch);
	st.link_rate_bps	= READ_ONCE(q->link_rate_bps);
	st.enqueued_pkts	= q->stat_enqueued;
	st.dequeued_pkts	= q->stat_dequeued;
	st.limit_drops		= q->stat_be_drops + q->stat_stream_drops;
	st.be_pkts		= q->stat_be_pkts;
	st.be_drops		= q->stat_be_drops;
	st.stream_pkts		= q->stat_stream_pkts;
	st.stream_drops		= q->stat_stream_drops;
	st.watchdog_wakeups	= q->stat_wakeups;
	st.be_backlog_pkts	= q->be_queue.qlen;
	st.streams		= q->nr_streams;
	st.gso_segs		= q->stat_gso_segs;
	sch_tree_unlock(sch);

	return gnet_stats_copy_app(d, &st, sizeof(st));
}

/* ---- classes (streams) ------------------------------------------------- */

static bool st2110_match_equal(const struct st2110_match *a,
			       const struct st2110_match *b)
{
	return a->family == b->family && a->dst_port == b->dst_port &&
	       ipv6_addr_equal(&a->dst, &b->dst) && a->has_src == b->has_src &&
	       (!a->has_src || ipv6_addr_equal(&a->src, &b->src));
}

static struct st2110_class *st2110_match_owner(struct st2110_qdisc *q,
					       const struct st2110_match *m,
					       const struct st2110_class *self)
{
	struct st2110_class *cl;

	list_for_each_entry(cl, &q->streams, match_node) {
		if (cl != self && st2110_match_equal(&cl->match, m))
			return cl;
	}
	return NULL;
}

static void st2110_streams_link(struct st2110_qdisc *q, struct st2110_class *cl)
{
	if (cl->match.has_src)
		list_add(&cl->match_node, &q->streams);
	else
		list_add_tail(&cl->match_node, &q->streams);
}

static void st2110_addr_from_nla(const struct nlattr *nla, struct in6_addr *a)
{
	if (nla_len(nla) == sizeof(__be32))
		ipv6_addr_set_v4mapped(nla_get_in_addr(nla), a);
	else
		*a = nla_get_in6_addr(nla);
}

/* A match is always given whole: it replaces the previous one. */
static int st2110_parse_match(struct nlattr *nest, struct st2110_match *m,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_ST2110_MATCH_MAX + 1];
	struct nlattr *dst, *src;
	int err;

	err = nla_parse_nested(tb, TCA_ST2110_MATCH_MAX, nest,
			       st2110_match_policy, extack);
	if (err < 0)
		return err;

	if (tb[TCA_ST2110_MATCH_DST_IPV4] && tb[TCA_ST2110_MATCH_DST_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_ST2110_MATCH_DST_IPV6],
				    "Give one destination address, IPv4 or IPv6");
		return -EINVAL;
	}
	if (tb[TCA_ST2110_MATCH_SRC_IPV4] && tb[TCA_ST2110_MATCH_SRC_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_ST2110_MATCH_SRC_IPV6],
				    "Give one source address, IPv4 or IPv6");
		return -EINVAL;
	}
	dst = tb[TCA_ST2110_MATCH_DST_IPV4] ?: tb[TCA_ST2110_MATCH_DST_IPV6];
	src = tb[TCA_ST2110_MATCH_SRC_IPV4] ?: tb[TCA_ST2110_MATCH_SRC_IPV6];
	if (!dst) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Stream match needs a destination address");
		return -EINVAL;
	}
	if (!tb[TCA_ST2110_MATCH_DST_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Stream match needs a UDP destination port");
		return -EINVAL;
	}
	if (!nla_get_be16(tb[TCA_ST2110_MATCH_DST_PORT])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_ST2110_MATCH_DST_PORT],
				    "UDP destination port 0 cannot match");
		return -EINVAL;
	}
	if (src && nla_len(src) != nla_len(dst)) {
		NL_SET_ERR_MSG_ATTR(extack, src,
				    "Source and destination address families differ");
		return -EINVAL;
	}

	memset(m, 0, sizeof(*m));
	m->family = tb[TCA_ST2110_MATCH_DST_IPV4] ? AF_INET : AF_INET6;
	st2110_addr_from_nla(dst, &m->dst);
	m->dst_port = nla_get_be16(tb[TCA_ST2110_MATCH_DST_PORT]);
	if (src) {
		st2110_addr_from_nla(src, &m->src);
		m->has_src = true;
	}
	return 0;
}

/* ---- class format ------------------------------------------------------ */

/*
 * The timing core's reasons are static strings, not literals, so they go
 * into the extack directly (NL_SET_ERR_MSG wants a literal; _FMT is 6.2+).
 */
static void st2110_set_reason(struct netlink_ext_ack *extack,
			      const struct nlattr *attr, const char *reason)
{
	if (!extack)
		return;
	extack->_msg = reason;
	extack->bad_attr = attr;
}

static void st2110_fmt_defaults(struct st2110_fmt *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = ST2110_KIND_NONE;
	f->type = TC_ST2110_TYPE_N;
	f->rtp_policy = TC_ST2110_RTP_FOLLOW;
	f->troffset_cfg_ns = TC_ST2110_TROFFSET_DEFAULT;
	f->lead_cfg_pkts = TC_ST2110_LEAD_DEFAULT;
}

static int st2110_parse_video(struct nlattr *nest, struct st2110_fmt *f,
			      struct netlink_ext_ack *extack)
{
	static const int required[] = {
		TCA_ST2110_VIDEO_WIDTH_PX, TCA_ST2110_VIDEO_HEIGHT_PX,
		TCA_ST2110_VIDEO_SCAN, TCA_ST2110_VIDEO_RATE_NUM,
		TCA_ST2110_VIDEO_RATE_DEN, TCA_ST2110_VIDEO_SAMPLING,
		TCA_ST2110_VIDEO_DEPTH, TCA_ST2110_VIDEO_PACKING,
	};
	struct nlattr *tb[TCA_ST2110_VIDEO_MAX + 1];
	struct st2110_video_fmt *v = &f->video;
	unsigned int i;
	int err;

	err = nla_parse_nested(tb, TCA_ST2110_VIDEO_MAX, nest,
			       st2110_video_policy, extack);
	if (err < 0)
		return err;
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		if (!tb[required[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "Video format needs width, height, scan, rate num/den, sampling, depth and packing");
			return -EINVAL;
		}
	}
	memset(v, 0, sizeof(*v));
	v->width_px = nla_get_u32(tb[TCA_ST2110_VIDEO_WIDTH_PX]);
	v->height_px = nla_get_u32(tb[TCA_ST2110_VIDEO_HEIGHT_PX]);
	v->scan = nla_get_u8(tb[TCA_ST2110_VIDEO_SCAN]);
	v->rate.num = nla_get_u32(tb[TCA_ST2110_VIDEO_RATE_NUM]);
	v->rate.den = nla_get_u32(tb[TCA_ST2110_VIDEO_RATE_DEN]);
	v->sampling = nla_get_u8(tb[TCA_ST2110_VIDEO_SAMPLING]);
	v->depth = nla_get_u8(tb[TCA_ST2110_VIDEO_DEPTH]);
	v->packing = nla_get_u8(tb[TCA_ST2110_VIDEO_PACKING]);
	if (tb[TCA_ST2110_VIDEO_PAYLOAD_BYTES])
		v->max_payload_bytes = nla_get_u16(tb[TCA_ST2110_VIDEO_PAYLOAD_BYTES]);
	f->npackets_cfg = tb[TCA_ST2110_VIDEO_NPACKETS] ?
			  nla_get_u32(tb[TCA_ST2110_VIDEO_NPACKETS]) : 0;
	f->kind = ST2110_KIND_VIDEO;
	return 0;
}

static int st2110_parse_audio(struct nlattr *nest, struct st2110_fmt *f,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_ST2110_AUDIO_MAX + 1];
	struct st2110_audio_fmt *a = &f->audio;
	int err;

	err = nla_parse_nested(tb, TCA_ST2110_AUDIO_MAX, nest,
			       st2110_audio_policy, extack);
	if (err < 0)
		return err;
	if (!tb[TCA_ST2110_AUDIO_RATE_HZ] || !tb[TCA_ST2110_AUDIO_CHANNELS] ||
	    !tb[TCA_ST2110_AUDIO_DEPTH_BITS] ||
	    !tb[TCA_ST2110_AUDIO_SAMPLES_PER_PKT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Audio format needs rate, channels, depth and samples per packet");
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	a->rate_hz = nla_get_u32(tb[TCA_ST2110_AUDIO_RATE_HZ]);
	a->channels = nla_get_u16(tb[TCA_ST2110_AUDIO_CHANNELS]);
	a->depth_bits = nla_get_u8(tb[TCA_ST2110_AUDIO_DEPTH_BITS]);
	a->samples_per_pkt = nla_get_u32(tb[TCA_ST2110_AUDIO_SAMPLES_PER_PKT]);
	f->kind = ST2110_KIND_AUDIO;
	return 0;
}

/* Validate a video format with the timing core and build its schedule. */
static int st2110_derive_video(struct st2110_fmt *f, const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	struct st2110_video_layout *l;
	struct st2110_sched_cfg cfg;
	const char *why = NULL;
	int err;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	err = st2110_video_layout_init(l, &f->video, &why);
	if (err)
		goto out;
	if (!f->npackets_cfg) {
		err = st2110_sched_init_video(&f->sched, l, f->type,
					      f->troffset_cfg_ns, &why);
	} else {
		/* a sender packing differently from the core's GPM/BPM */
		memset(&cfg, 0, sizeof(cfg));
		cfg.npackets = f->npackets_cfg;
		cfg.height_px = f->video.height_px;
		cfg.rate = f->video.rate;
		cfg.scan = f->video.scan;
		cfg.type = f->type;
		cfg.troffset_ns = f->troffset_cfg_ns;
		err = st2110_sched_init(&f->sched, &cfg, &why);
	}
	if (err)
		goto out;

	if (f->lead_cfg_pkts == TC_ST2110_LEAD_DEFAULT) {
		f->lead_pkts = min3((u32)TC_ST2110_LEAD_DEFAULT_PKTS,
				    f->sched.lim.vrx_full_n / 2, f->sched.npackets);
	} else if (f->lead_cfg_pkts > f->sched.npackets) {
		why = "lead must not exceed NPACKETS";
		err = -ERANGE;
		goto out;
	} else {
		f->lead_pkts = f->lead_cfg_pkts;
	}
	/* two frames: a PTP-locked sender never writes further ahead */
	f->horizon_ns = 2 * f->sched.tframe_whole_ns + 2;
	switch (f->type) {
	case TC_ST2110_TYPE_N:
		f->cmax_pkts = f->sched.lim.cmax_n;
		break;
	case TC_ST2110_TYPE_NL:
		f->cmax_pkts = f->sched.lim.cmax_nl;
		break;
	default:
		f->cmax_pkts = f->sched.lim.cmax_w;
		break;
	}
	f->cinst_max_pkts = f->cmax_pkts - 1;
	f->vrx_full_pkts = f->type == TC_ST2110_TYPE_W ? f->sched.lim.vrx_full_w :
			   f->sched.lim.vrx_full_n;
out:
	if (err)
		st2110_set_reason(extack, attr, why);
	kfree(l);
	return err;
}

static int st2110_derive_audio(struct st2110_fmt *f, const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	struct st2110_frac ptime;
	const char *why = NULL;
	int err;

	err = st2110_audio_validate(&f->audio, &why);
	if (err) {
		st2110_set_reason(extack, attr, why);
		return err;
	}
	st2110_audio_ptime(&f->audio, &ptime);
	f->troffset_ns = 0;
	if (f->troffset_cfg_ns != TC_ST2110_TROFFSET_DEFAULT) {
		if (f->troffset_cfg_ns >= div64_u64(ptime.num, ptime.den)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "Audio TROFFSET must be less than the packet time");
			return -ERANGE;
		}
		f->troffset_ns = f->troffset_cfg_ns;
	}
	f->lead_pkts = 0;
	f->cinst_max_pkts = 0;		/* CMAX is a video (ST 2110-21) limit */
	f->cmax_pkts = 0;
	f->vrx_full_pkts = 0;
	/*
	 * A packet is due at most a packet time plus TROFFSET (< one packet
	 * time) after it is written: keep two packet times inside the horizon
	 * even for the longest packets (720 samples at 44.1 kHz, 16.3 ms).
	 */
	f->horizon_ns = max_t(u64, ST2110_AUDIO_HORIZON_NS,
			      3 * div64_u64(ptime.num, ptime.den));
	return 0;
}

/*
 * Overlay the format attributes of @tb on @f (the class's current format,
 * or the defaults) and derive the schedule.  Nothing is applied on error.
 */
static int st2110_parse_fmt(struct nlattr **tb, struct nlattr *opt,
			    struct st2110_fmt *f, struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = opt;
	int err;

	BUILD_BUG_ON((int)TC_ST2110_TYPE_N != (int)ST2110_TYPE_N ||
		     (int)TC_ST2110_TYPE_NL != (int)ST2110_TYPE_NL ||
		     (int)TC_ST2110_TYPE_W != (int)ST2110_TYPE_W);
	BUILD_BUG_ON(TC_ST2110_TROFFSET_DEFAULT != ST2110_TROFFSET_DEFAULT);

	if (!!tb[TCA_ST2110_CLASS_VIDEO] + !!tb[TCA_ST2110_CLASS_AUDIO] +
	    !!tb[TCA_ST2110_CLASS_UNPACED] > 1) {
		NL_SET_ERR_MSG_ATTR(extack, opt,
				    "Give one of video format, audio format or unpaced");
		return -EINVAL;
	}
	if (tb[TCA_ST2110_CLASS_RTP_POLICY])
		f->rtp_policy = nla_get_u8(tb[TCA_ST2110_CLASS_RTP_POLICY]);
	if (tb[TCA_ST2110_CLASS_TYPE]) {
		f->type = nla_get_u8(tb[TCA_ST2110_CLASS_TYPE]);
		attr = tb[TCA_ST2110_CLASS_TYPE];
	}
	if (tb[TCA_ST2110_CLASS_TROFFSET_NS]) {
		f->troffset_cfg_ns = nla_get_u64(tb[TCA_ST2110_CLASS_TROFFSET_NS]);
		attr = tb[TCA_ST2110_CLASS_TROFFSET_NS];
	}
	if (tb[TCA_ST2110_CLASS_LEAD_PKTS]) {
		f->lead_cfg_pkts = nla_get_u32(tb[TCA_ST2110_CLASS_LEAD_PKTS]);
		attr = tb[TCA_ST2110_CLASS_LEAD_PKTS];
	}
	if (tb[TCA_ST2110_CLASS_UNPACED])
		f->kind = ST2110_KIND_NONE;
	if (tb[TCA_ST2110_CLASS_VIDEO]) {
		attr = tb[TCA_ST2110_CLASS_VIDEO];
		err = st2110_parse_video(tb[TCA_ST2110_CLASS_VIDEO], f, extack);
		if (err)
			return err;
	}
	if (tb[TCA_ST2110_CLASS_AUDIO]) {
		attr = tb[TCA_ST2110_CLASS_AUDIO];
		err = st2110_parse_audio(tb[TCA_ST2110_CLASS_AUDIO], f, extack);
		if (err)
			return err;
	}

	switch (f->kind) {
	case ST2110_KIND_VIDEO:
		return st2110_derive_video(f, attr, extack);
	case ST2110_KIND_AUDIO:
		return st2110_derive_audio(f, attr, extack);
	}
	return 0;
}

static int st2110_dump_fmt(struct sk_buff *skb, const struct st2110_fmt *f)
{
	struct nlattr *nest;

	/* an unpaced class dumps as before formats existed */
	if (f->kind == ST2110_KIND_NONE)
		return 0;
	if (nla_put_u8(skb, TCA_ST2110_CLASS_TYPE, f->type) ||
	    nla_put_u64_64bit(skb, TCA_ST2110_CLASS_TROFFSET_NS,
			      f->troffset_cfg_ns, TCA_ST2110_CLASS_PAD) ||
	    nla_put_u32(skb, TCA_ST2110_CLASS_LEAD_PKTS, f->lead_cfg_pkts) ||
	    nla_put_u8(skb, TCA_ST2110_CLASS_RTP_POLICY, f->rtp_policy))
		return -EMSGSIZE;

	if (f->kind == ST2110_KIND_VIDEO) {
		const struct st2110_video_fmt *v = &f->video;

		nest = nla_nest_start(skb, TCA_ST2110_CLASS_VIDEO);
		if (!nest ||
		    nla_put_u32(skb, TCA_ST2110_VIDEO_WIDTH_PX, v->width_px) ||
		    nla_put_u32(skb, TCA_ST2110_VIDEO_HEIGHT_PX, v->height_px) ||
		    nla_put_u8(skb, TCA_ST2110_VIDEO_SCAN, v->scan) ||
		    nla_put_u32(skb, TCA_ST2110_VIDEO_RATE_NUM, v->rate.num) ||
		    nla_put_u32(skb, TCA_ST2110_VIDEO_RATE_DEN, v->rate.den) ||
		    nla_put_u8(skb, TCA_ST2110_VIDEO_SAMPLING, v->sampling) ||
		    nla_put_u8(skb, TCA_ST2110_VIDEO_DEPTH, v->depth) ||
		    nla_put_u8(skb, TCA_ST2110_VIDEO_PACKING, v->packing) ||
		    nla_put_u16(skb, TCA_ST2110_VIDEO_PAYLOAD_BYTES,
				v->max_payload_bytes) ||
		    nla_put_u32(skb, TCA_ST2110_VIDEO_NPACKETS, f->npackets_cfg))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	} else if (f->kind == ST2110_KIND_AUDIO) {
		const struct st2110_audio_fmt *a = &f->audio;

		nest = nla_nest_start(skb, TCA_ST2110_CLASS_AUDIO);
		if (!nest ||
		    nla_put_u32(skb, TCA_ST2110_AUDIO_RATE_HZ, a->rate_hz) ||
		    nla_put_u16(skb, TCA_ST2110_AUDIO_CHANNELS, a->channels) ||
		    nla_put_u8(skb, TCA_ST2110_AUDIO_DEPTH_BITS, a->depth_bits) ||
		    nla_put_u32(skb, TCA_ST2110_AUDIO_SAMPLES_PER_PKT,
				a->samples_per_pkt))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int st2110_class_change(struct Qdisc *sch, u32 classid, u32 parentid,
			       struct nlattr **tca, unsigned long *arg,
			       struct netlink_ext_ack *extack)
{
	struct st2110_class *cl = (struct st2110_class *)*arg;
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct nlattr *opt = tca[TCA_OPTIONS];
	struct nlattr *tb[TCA_ST2110_CLASS_MAX + 1];
	struct st2110_match match;
	struct st2110_fmt *fmt;
	bool fmt_changed;
	u32 limit_pkts;
	int err;

	if (tca[TCA_RATE]) {
		NL_SET_ERR_MSG(extack, "st2110 classes have no rate estimator");
		return -EOPNOTSUPP;
	}
	if (!cl) {
		if (parentid != TC_H_ROOT && parentid != sch->handle) {
			NL_SET_ERR_MSG(extack, "st2110 classes attach to the qdisc itself");
			return -EINVAL;
		}
		if (!TC_H_MIN(classid) || TC_H_MAJ(classid) != sch->handle) {
			NL_SET_ERR_MSG(extack, "Class id must be <qdisc major>:<non-zero minor>");
			return -EINVAL;
		}
	}
	if (!opt) {
		if (cl)
			return 0;	/* nothing to change */
		NL_SET_ERR_MSG(extack, "Stream match is required to create a class");
		return -EINVAL;
	}

	err = nla_parse_nested(tb, TCA_ST2110_CLASS_MAX, opt,
			       st2110_class_policy, extack);
	if (err < 0)
		return err;

	if (tb[TCA_ST2110_CLASS_MATCH]) {
		err = st2110_parse_match(tb[TCA_ST2110_CLASS_MATCH], &match,
					 extack);
		if (err)
			return err;
		if (st2110_match_owner(q, &match, cl)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_ST2110_CLASS_MATCH],
					    "Another class of this qdisc has the same match");
			return -EEXIST;
		}
	} else if (cl) {
		match = cl->match;
	} else {
		NL_SET_ERR_MSG_ATTR(extack, opt,
				    "Stream match is required to create a class");
		return -EINVAL;
	}

	limit_pkts = cl ? cl->limit_pkts : TC_ST2110_CLASS_DEFAULT_LIMIT_PKTS;
	if (tb[TCA_ST2110_CLASS_LIMIT_PKTS])
		limit_pkts = nla_get_u32(tb[TCA_ST2110_CLASS_LIMIT_PKTS]);

	/* too big for the stack with the schedule in it */
	fmt = kmalloc(sizeof(*fmt), GFP_KERNEL);
	if (!fmt)
		return -ENOMEM;
	if (cl)
		*fmt = cl->fmt;
	else
		st2110_fmt_defaults(fmt);
	err = st2110_parse_fmt(tb, opt, fmt, extack);
	if (err)
		goto out;
	fmt_changed = tb[TCA_ST2110_CLASS_VIDEO] || tb[TCA_ST2110_CLASS_AUDIO] ||
		      tb[TCA_ST2110_CLASS_UNPACED] || tb[TCA_ST2110_CLASS_TYPE] ||
		      tb[TCA_ST2110_CLASS_TROFFSET_NS] ||
		      tb[TCA_ST2110_CLASS_LEAD_PKTS] ||
		      tb[TCA_ST2110_CLASS_RTP_POLICY];

	if (!cl) {
		cl = kzalloc(sizeof(*cl), GFP_KERNEL);
		if (!cl) {
			err = -ENOMEM;
			goto out;
		}
		cl->common.classid = classid;
		cl->match = match;
		cl->limit_pkts = limit_pkts;
		INIT_LIST_HEAD(&cl->active_node);
		RB_CLEAR_NODE(&cl->rb_node);
		cl->fmt = *fmt;
		gnet_stats_basic_sync_init(&cl->bstats);

		sch_tree_lock(sch);
		qdisc_class_hash_insert(&q->clhash, &cl->common);
		st2110_streams_link(q, cl);
		q->nr_streams++;
		sch_tree_unlock(sch);

		qdisc_class_hash_grow(sch, &q->clhash);
		*arg = (unsigned long)cl;
		goto out;
	}

	sch_tree_lock(sch);
	list_del(&cl->match_node);
	cl->match = match;
	st2110_streams_link(q, cl);
	WRITE_ONCE(cl->limit_pkts, limit_pkts);
	if (limit_pkts)
		st2110_trim(sch, cl, limit_pkts);
	if (fmt_changed) {
		/* queued packets keep their times; the next frame starts afresh */
		st2110_unlink_queue(q, cl);
		cl->fmt = *fmt;
		cl->trk_valid = false;
		cl->rs_valid = false;
		st2110_egress_reset(cl);
		st2110_link_queue(q, cl);
	}
	sch_tree_unlock(sch);
out:
	kfree(fmt);
	return err;
}

static int st2110_class_delete(struct Qdisc *sch, unsigned long arg,
			       struct netlink_ext_ack *extack)
{
	struct st2110_class *cl = (struct st2110_class *)arg;
	struct st2110_qdisc *q = qdisc_priv(sch);

	/* A bound filter would be unbound from freed memory afterwards. */
	if (cl->filter_cnt) {
		NL_SET_ERR_MSG(extack, "Class is in use by a tc filter");
		return -EBUSY;
	}

	sch_tree_lock(sch);
	st2110_trim(sch, cl, 0);
	list_del(&cl->match_node);
	qdisc_class_hash_remove(&q->clhash, &cl->common);
	q->nr_streams--;
	sch_tree_unlock(sch);

	kfree(cl);
	return 0;
}

/* Streams have no child qdisc: their queue is scheduled by this qdisc. */
static struct Qdisc *st2110_class_leaf(struct Qdisc *sch, unsigned long arg)
{
	return NULL;
}

static unsigned long st2110_class_find(struct Qdisc *sch, u32 classid)
{
	return (unsigned long)st2110_find_class(sch, classid);
}

static void st2110_class_walk(struct Qdisc *sch, struct qdisc_walker *arg)
{
	struct st2110_qdisc *q = qdisc_priv(sch);
	struct st2110_class *cl;
	unsigned int i;

	if (arg->stop)
		return;

	for (i = 0; i < q->clhash.hashsize; i++) {
		hlist_for_each_entry(cl, &q->clhash.hash[i], common.hnode) {
			if (!tc_qdisc_stats_dump(sch, (unsigned long)cl, arg))
				return;
		}
	}
}

static struct tcf_block *st2110_tcf_block(struct Qdisc *sch, unsigned long arg,
					  struct netlink_ext_ack *extack)
{
	struct st2110_qdisc *q = qdisc_priv(sch);

	if (arg) {
		NL_SET_ERR_MSG(extack, "Filters attach to the st2110 qdisc, not to a class");
		return NULL;
	}
	return q->block;
}

static unsigned long st2110_bind_tcf(struct Qdisc *sch, unsigned long parent,
				     u32 classid)
{
	struct st2110_class *cl = st2110_find_class(sch, classid);

	if (cl)
		cl->filter_cnt++;
	return (unsigned long)cl;
}

static void st2110_unbind_tcf(struct Qdisc *sch, unsigned long arg)
{
	struct st2110_class *cl = (struct st2110_class *)arg;

	cl->filter_cnt--;
}

static int st2110_put_addr(struct sk_buff *skb, int v4_type, int v6_type,
			   u8 family, const struct in6_addr *a)
{
	if (family == AF_INET)
		return nla_put_in_addr(skb, v4_type, a->s6_addr32[3]);
	return nla_put_in6_addr(skb, v6_type, a);
}

/* Class fields change under RTNL, which the dump holds too. */
static int st2110_class_dump(struct Qdisc *sch, unsigned long arg,
			     struct sk_buff *skb, struct tcmsg *tcm)
{
	struct st2110_class *cl = (struct st2110_class *)arg;
	const struct st2110_match *m = &cl->match;
	struct nlattr *opts, *nest;

	tcm->tcm_parent = TC_H_ROOT;
	tcm->tcm_handle = cl->common.classid;
	tcm->tcm_info = 0;

	opts = nla_nest_start(skb, TCA_OPTIONS);
	if (!opts)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, TCA_ST2110_CLASS_MATCH);
	if (!nest)
		goto nla_put_failure;
	if (st2110_put_addr(skb, TCA_ST2110_MATCH_DST_IPV4,
			    TCA_ST2110_MATCH_DST_IPV6, m->family, &m->dst) ||
	    nla_put_be16(skb, TCA_ST2110_MATCH_DST_PORT, m->dst_port) ||
	    (m->has_src &&
	     st2110_put_addr(skb, TCA_ST2110_MATCH_SRC_IPV4,
			     TCA_ST2110_MATCH_SRC_IPV6, m->family, &m->src)))
		goto nla_put_failure;
	nla_nest_end(skb, nest);
	if (nla_put_u32(skb, TCA_ST2110_CLASS_LIMIT_PKTS,
			READ_ONCE(cl->limit_pkts)) ||
	    st2110_dump_fmt(skb, &cl->fmt))
		goto nla_put_failure;
	return nla_nest_end(skb, opts);

nla_put_failure:
	nla_nest_cancel(skb, opts);
	return -EMSGSIZE;
}

/* Called with the root lock held by the core (gnet_stats_start_copy). */
static int st2110_class_dump_stats(struct Qdisc *sch, unsigned long arg,
				   struct gnet_dump *d)
{
	struct st2110_class *cl = (struct st2110_class *)arg;
	struct tc_st2110_class_xstats xstats = {
		.matched_pkts	= cl->matched_pkts,
		.filtered_pkts	= cl->filtered_pkts,
	};
	unsigned int i;

	/* pairs with the WRITE_ONCE()s of the pacing path */
	xstats.paced_pkts	= READ_ONCE(cl->paced_pkts);
	xstats.paced_bytes	= READ_ONCE(cl->paced_bytes);
	xstats.frames		= READ_ONCE(cl->frames);
	xstats.late_pkts	= READ_ONCE(cl->late_pkts);
	xstats.late_max_ns	= READ_ONCE(cl->late_max_ns);
	xstats.late_ewma_ns	= READ_ONCE(cl->late_ewma_ns);
	xstats.horizon_pkts	= READ_ONCE(cl->horizon_pkts);
	xstats.unscheduled_pkts	= READ_ONCE(cl->unscheduled_pkts);
	xstats.cinst_waits	= READ_ONCE(cl->cinst_waits);
	xstats.drops		= READ_ONCE(cl->qstats.drops);
	xstats.egress_frames	= READ_ONCE(cl->eg_frames);
	xstats.egress_frames_over_cmax = READ_ONCE(cl->eg_frames_over_cmax);
	xstats.egress_frames_over_vrx = READ_ONCE(cl->eg_frames_over_vrx);
	xstats.egress_frames_vrx_under = READ_ONCE(cl->eg_frames_vrx_under);
	xstats.egress_cinst_peak_pkts	= READ_ONCE(cl->eg_cinst_peak);
	xstats.egress_vrx_peak_pkts	= READ_ONCE(cl->eg_vrx_peak);
	xstats.egress_vrx_min_pkts	= READ_ONCE(cl->eg_vrx_min);
	for (i = 0; i < TC_ST2110_ERR_HIST_BUCKETS; i++)
		xstats.err_hist[i] = READ_ONCE(cl->err_hist[i]);
	switch (cl->fmt.kind) {
	case ST2110_KIND_VIDEO:
		xstats.npackets = cl->fmt.sched.npackets;
		break;
	case ST2110_KIND_AUDIO:
		xstats.npackets = 1;
		break;
	}
	xstats.lead_pkts = cl->fmt.lead_pkts;

	if (gnet_stats_copy_basic(d, NULL, &cl->bstats, true) < 0 ||
	    gnet_stats_copy_queue(d, NULL, &cl->qstats, cl->queue.qlen) < 0)
		return -1;
	return gnet_stats_copy_app(d, &xstats, sizeof(xstats));
}

static const struct Qdisc_class_ops st2110_class_ops = {
	.leaf		= st2110_class_leaf,
	.find		= st2110_class_find,
	.change		= st2110_class_change,
	.delete		= st2110_class_delete,
	.walk		= st2110_class_walk,
	.tcf_block	= st2110_tcf_block,
	.bind_tcf	= st2110_bind_tcf,
	.unbind_tcf	= st2110_unbind_tcf,
	.dump		= st2110_class_dump,
	.dump_stats	= st2110_class_dump_stats,
};

static struct Qdisc_ops st2110_qdisc_ops __read_mostly = {
	.cl_ops		= &st2110_class_ops,
	.id		= "st2110",
	.priv_size	= sizeof(struct st2110_qdisc),
	.enqueue	= st2110_enqueue,
	.dequeue	= st2110_dequeue,
	.peek		= qdisc_peek_dequeued,
	.init		= st2110_init,
	.reset		= st2110_reset,
	.destroy	= st2110_destroy,
	.change		= st2110_change,
	.dump		= st2110_dump,
	.dump_stats	= st2110_dump_stats,
	.owner		= THIS_MODULE,
};

static int __init st2110_module_init(void)
{
	int err;

	err = register_netdevice_notifier(&st2110_dev_notifier_block);
	if (err)
		return err;

	err = st2110_genl_init();
	if (err)
		goto out_notifier;
	err = register_qdisc(&st2110_qdisc_ops);
	if (err)
		goto out_genl;
	return 0;

out_genl:
	st2110_genl_exit();
out_notifier:
	unregister_netdevice_notifier(&st2110_dev_notifier_block);
	return err;
}

static void __exit st2110_module_exit(void)
{
	unregister_qdisc(&st2110_qdisc_ops);
	st2110_genl_exit();
	unregister_netdevice_notifier(&st2110_dev_notifier_block);
}

module_init(st2110_module_init);
module_exit(st2110_module_exit);

/* The core asks for "sch_st2110" (the file name) before 6.9, this since. */
#ifdef MODULE_ALIAS_NET_SCH
MODULE_ALIAS_NET_SCH("st2110");
#else
MODULE_ALIAS("net-sch-st2110");
#endif
MODULE_DESCRIPTION("SMPTE ST 2110-21 pacing qdisc");
MODULE_LICENSE("GPL");
