// SPDX-License-Identifier: GPL-2.0
/*
 * sch_st2110.c	SMPTE ST 2110-21 pacing queueing discipline
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
 * enqueue() (this layer):
 *   - classify: tc filters first, then the class matches (source-specific
 *     matches before the others), else best effort;
 *   - enforce the qdisc limit (all queues together) and the class limit,
 *     counting drops per band and per class;
 *   - stamp the packet with an enqueue sequence number and append it to the
 *     FIFO of its class or of the best-effort band.
 *
 * dequeue() (this layer): the packet with the lowest sequence number over
 * all queues, i.e. plain FIFO order: nothing is paced yet.
 *
 * What the per-stream scheduler (next layer) adds, using the ST 2110-21
 * timing core in include/st2110/ (the only place the formulas live):
 *   - at enqueue, a frame tracker per stream (RTP timestamp and marker) gives
 *     each packet its index in the frame and a release time on CLOCK_TAI;
 *   - streams with a packet due are kept in a time-ordered tree (the delayed
 *     flows idea of sch_fq), and one qdisc watchdog, armed with the configured
 *     timer slack, wakes dequeue for the earliest due packet;
 *   - dequeue releases due stream packets first and fills the gaps with
 *     best-effort packets when the link rate says one fits before the next
 *     due media packet; best effort is never starved forever;
 *   - with offload on, skb->tstamp carries the release time to the NIC.
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
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <linux/udp.h>
#include <net/gen_stats.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/pkt_cls.h>
#include <net/pkt_sched.h>
#include <net/sch_generic.h>

#include <uapi/linux/pkt_sched_st2110.h>

/* Classification result: the packet goes to the best-effort band. */
#define ST2110_BEST_EFFORT	NULL

struct st2110_skb_cb {
	u64	seq;	/* enqueue order: FIFO across the class queues */
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
};

/* One media stream. */
struct st2110_class {
	struct Qdisc_class_common common;	/* classid, q->clhash node */
	struct list_head	match_node;	/* q->streams, lookup order */
	struct list_head	active_node;	/* q->active while queue is not empty */
	struct qdisc_skb_head	queue;
	struct st2110_match	match;		/* written under tree lock + RTNL */
	u32			limit_pkts;	/* 0: only the qdisc limit applies */
	unsigned int		filter_cnt;	/* tc filters bound to us (RTNL) */

	struct gnet_stats_basic_sync bstats;
	struct gnet_stats_queue	qstats;
	u64			matched_pkts;
	u64			filtered_pkts;
};

struct st2110_sched {
	/* Configuration; the total limit lives in sch->limit. */
	u32			timer_slack_ns;
	bool			offload;	/* LaunchTime enabled on ->queue */
	int			queue;		/* TX queue index, for offload */
	u64			link_rate_cfg_bps; /* 0: follow ethtool */
	u64			link_rate_bps;	/* in use; 0: speed unknown */

	/* Queues, under the root lock. */
	struct qdisc_skb_head	be_queue;
	struct list_head	active;		/* classes with packets queued */
	struct list_head	streams;	/* all classes, match order */
	u64			next_seq;
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

static const struct nla_policy st2110_class_policy[TCA_ST2110_CLASS_MAX + 1] = {
	[TCA_ST2110_CLASS_MATCH]	= NLA_POLICY_NESTED(st2110_match_policy),
	[TCA_ST2110_CLASS_LIMIT_PKTS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &st2110_class_limit_range),
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

static void st2110_speed_list_add(struct st2110_sched *q)
{
	spin_lock(&st2110_speed_lock);
	list_add(&q->speed_node, &st2110_speed_list);
	q->on_speed_list = true;
	spin_unlock(&st2110_speed_lock);
}

static void st2110_speed_list_del(struct st2110_sched *q)
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
	struct st2110_sched *q;
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
	struct st2110_sched *q;
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
	struct st2110_sched *q = qdisc_priv(sch);
	struct net_device *dev = qdisc_dev(sch);
	const struct net_device_ops *ops = dev->netdev_ops;
	struct tc_etf_qopt_offload etf = { };
	int err;

	if (!ops->ndo_setup_tc) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Device does not support LaunchTime (ETF) offload");
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
	struct st2110_sched *q = qdisc_priv(sch);
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
static struct st2110_class *st2110_match_lookup(struct st2110_sched *q,
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
	struct st2110_sched *q = qdisc_priv(sch);
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
	struct st2110_sched *q = qdisc_priv(sch);
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

/* The queue whose head packet was enqueued first; NULL when all are empty. */
static struct qdisc_skb_head *st2110_oldest_queue(struct st2110_sched *q,
						  struct st2110_class **clp)
{
	struct qdisc_skb_head *best = NULL;
	struct st2110_class *cl;
	u64 best_seq = U64_MAX;

	*clp = ST2110_BEST_EFFORT;
	if (q->be_queue.head) {
		best = &q->be_queue;
		best_seq = st2110_skb_cb(q->be_queue.head)->seq;
	}
	list_for_each_entry(cl, &q->active, active_node) {
		u64 seq = st2110_skb_cb(cl->queue.head)->seq;

		if (seq < best_seq) {
			best = &cl->queue;
			best_seq = seq;
			*clp = cl;
		}
	}
	return best;
}

/* Unlink the head of @queue (of class @cl) and fix every count but bstats. */
static struct sk_buff *st2110_take_head(struct Qdisc *sch,
					struct qdisc_skb_head *queue,
					struct st2110_class *cl)
{
	struct sk_buff *skb = __qdisc_dequeue_head(queue);

	if (cl) {
		cl->qstats.backlog -= qdisc_pkt_len(skb);
		if (!cl->queue.qlen)
			list_del_init(&cl->active_node);
	}
	qdisc_qstats_backlog_dec(sch, skb);
	sch->q.qlen--;
	return skb;
}

static void st2110_count_drop(struct Qdisc *sch, struct st2110_class *cl)
{
	struct st2110_sched *q = qdisc_priv(sch);

	qdisc_qstats_drop(sch);
	if (cl) {
		cl->qstats.drops++;
		q->stat_stream_drops++;
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
	struct st2110_sched *q = qdisc_priv(sch);
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
			if (!queue)
				break;	/* only a peeked packet is left */
		}
		skb = st2110_take_head(sch, queue, from);
		st2110_count_drop(sch, from);
		dropped_pkts++;
		dropped_bytes += qdisc_pkt_len(skb);
		rtnl_kfree_skbs(skb, skb);
	}
	qdisc_tree_reduce_backlog(sch, dropped_pkts, dropped_bytes);
}

static int st2110_enqueue(struct sk_buff *skb, struct Qdisc *sch,
			  struct sk_buff **to_free)
{
	struct st2110_sched *q = qdisc_priv(sch);
	struct st2110_class *cl;
	int ret;

	ret = st2110_classify(skb, sch, &cl);
	if (unlikely(ret)) {
		if (ret & __NET_XMIT_BYPASS)
			qdisc_qstats_drop(sch);
		__qdisc_drop(skb, to_free);
		return ret;
	}

	if (unlikely(sch->q.qlen >= sch->limit ||
		     (cl && cl->limit_pkts && cl->queue.qlen >= cl->limit_pkts))) {
		st2110_count_drop(sch, cl);
		__qdisc_drop(skb, to_free);
		return NET_XMIT_DROP;
	}

	st2110_skb_cb(skb)->seq = q->next_seq++;
	if (cl) {
		if (!cl->queue.qlen)
			list_add_tail(&cl->active_node, &q->active);
		__qdisc_enqueue_tail(skb, &cl->queue);
		cl->qstats.backlog += qdisc_pkt_len(skb);
	} else {
		__qdisc_enqueue_tail(skb, &q->be_queue);
	}
	qdisc_qstats_backlog_inc(sch, skb);
	sch->q.qlen++;
	q->stat_enqueued++;
	return NET_XMIT_SUCCESS;
}

static struct sk_buff *st2110_dequeue(struct Qdisc *sch)
{
	struct st2110_sched *q = qdisc_priv(sch);
	struct qdisc_skb_head *queue;
	struct st2110_class *cl;
	struct sk_buff *skb;

	queue = st2110_oldest_queue(q, &cl);
	if (!queue)
		return NULL;

	skb = st2110_take_head(sch, queue, cl);
	if (cl) {
		bstats_update(&cl->bstats, skb);
		q->stat_stream_pkts++;
	} else {
		q->stat_be_pkts++;
	}
	qdisc_bstats_update(sch, skb);
	q->stat_dequeued++;
	return skb;
}

/* ---- qdisc configuration ----------------------------------------------- */

static void st2110_qopt_from_sched(struct Qdisc *sch, struct st2110_qopt *o)
{
	struct st2110_sched *q = qdisc_priv(sch);

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
	struct st2110_sched *q = qdisc_priv(sch);
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
	struct st2110_sched *q = qdisc_priv(sch);
	struct net_device *dev = qdisc_dev(sch);
	int err;

	/* Everything ->reset and ->destroy look at is valid from here on. */
	q->sch = sch;
	INIT_LIST_HEAD(&q->active);
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

static void st2110_purge_class(struct st2110_class *cl)
{
	__qdisc_reset_queue(&cl->queue);
	cl->qstats.backlog = 0;
	list_del_init(&cl->active_node);
}

static void st2110_reset(struct Qdisc *sch)
{
	struct st2110_sched *q = qdisc_priv(sch);
	struct st2110_class *cl;
	unsigned int i;

	if (q->watchdog.qdisc == sch)
		qdisc_watchdog_cancel(&q->watchdog);

	__qdisc_reset_queue(&q->be_queue);
	for (i = 0; i < q->clhash.hashsize; i++) {
		hlist_for_each_entry(cl, &q->clhash.hash[i], common.hnode)
			st2110_purge_class(cl);
	}
	/* The core zeroes sch->q.qlen and the backlog after us. */
}

/* Also called when ->init failed part way: every step checks its own state. */
static void st2110_destroy(struct Qdisc *sch)
{
	struct st2110_sched *q = qdisc_priv(sch);
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
			st2110_purge_class(cl);
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
	struct st2110_sched *q = qdisc_priv(sch);
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
	struct st2110_sched *q = qdisc_priv(sch);
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
	/* st.watchdog_wakeups stays 0 until the scheduler arms the watchdog. */
	st.be_backlog_pkts	= q->be_queue.qlen;
	st.streams		= q->nr_streams;
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

static struct st2110_class *st2110_match_owner(struct st2110_sched *q,
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

static void st2110_streams_link(struct st2110_sched *q, struct st2110_class *cl)
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

static int st2110_class_change(struct Qdisc *sch, u32 classid, u32 parentid,
			       struct nlattr **tca, unsigned long *arg,
			       struct netlink_ext_ack *extack)
{
	struct st2110_class *cl = (struct st2110_class *)*arg;
	struct st2110_sched *q = qdisc_priv(sch);
	struct nlattr *opt = tca[TCA_OPTIONS];
	struct nlattr *tb[TCA_ST2110_CLASS_MAX + 1];
	struct st2110_match match;
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

	if (!cl) {
		cl = kzalloc(sizeof(*cl), GFP_KERNEL);
		if (!cl)
			return -ENOMEM;
		cl->common.classid = classid;
		cl->match = match;
		cl->limit_pkts = limit_pkts;
		INIT_LIST_HEAD(&cl->active_node);
		gnet_stats_basic_sync_init(&cl->bstats);

		sch_tree_lock(sch);
		qdisc_class_hash_insert(&q->clhash, &cl->common);
		st2110_streams_link(q, cl);
		q->nr_streams++;
		sch_tree_unlock(sch);

		qdisc_class_hash_grow(sch, &q->clhash);
		*arg = (unsigned long)cl;
		return 0;
	}

	sch_tree_lock(sch);
	list_del(&cl->match_node);
	cl->match = match;
	st2110_streams_link(q, cl);
	WRITE_ONCE(cl->limit_pkts, limit_pkts);
	if (limit_pkts)
		st2110_trim(sch, cl, limit_pkts);
	sch_tree_unlock(sch);
	return 0;
}

static int st2110_class_delete(struct Qdisc *sch, unsigned long arg,
			       struct netlink_ext_ack *extack)
{
	struct st2110_class *cl = (struct st2110_class *)arg;
	struct st2110_sched *q = qdisc_priv(sch);

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
	struct st2110_sched *q = qdisc_priv(sch);
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
	struct st2110_sched *q = qdisc_priv(sch);

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
			READ_ONCE(cl->limit_pkts)))
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
	.priv_size	= sizeof(struct st2110_sched),
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

	err = register_qdisc(&st2110_qdisc_ops);
	if (err)
		unregister_netdevice_notifier(&st2110_dev_notifier_block);
	return err;
}

static void __exit st2110_module_exit(void)
{
	unregister_qdisc(&st2110_qdisc_ops);
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
