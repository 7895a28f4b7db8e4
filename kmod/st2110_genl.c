// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_genl.c	the "st2110" generic netlink family: live events
 *
 * The qdisc notes what happens to a stream (a late packet, a drop, a
 * video frame over CMAX or VRXFULL at release) with
 * st2110_event(), under its own lock and in any context.  Nothing is
 * allocated there: the event waits in a small ring of the network
 * namespace, and a work item builds the netlink messages and multicasts
 * them to the "events" group of that namespace.
 *
 * Two limits keep a misbehaving stream from flooding listeners: one event
 * of a kind per class per ST2110_EVENT_HOLDOFF_NS (the next one carries in
 * ST2110_A_COUNT how many it stands for), and a token bucket per namespace
 * (rate and burst: ST2110_CMD_SET_CONFIG, CAP_NET_ADMIN).  Events the
 * bucket or a full ring turned away are counted (ST2110_A_SUPPRESSED).
 * Nobody listening costs one genl_has_listeners() test.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "st2110_genl.h"

#define ST2110_EV_RING	64	/* events waiting for the work item */
/* a bucket refill never looks further back than this */
#define ST2110_EV_MAX_IDLE_NS	(100ULL * NSEC_PER_SEC)

struct st2110_ev_rec {
	u64	time_ns;
	u64	value;
	u64	limit;
	u64	count;
	u32	ifindex;
	u32	classid;
	u16	type;
};

struct st2110_net {
	struct net		*net;
	struct work_struct	work;
	spinlock_t		lock;		/* everything below */
	u32			rate_per_sec;
	u32			burst;
	u64			tokens;		/* events x NSEC_PER_SEC */
	u64			refill_ns;	/* CLOCK_TAI of the last refill */
	u64			suppressed;
	unsigned int		head;		/* oldest waiting record */
	unsigned int		count;
	struct st2110_ev_rec	ring[ST2110_EV_RING];
};

static unsigned int st2110_net_id __read_mostly;
static struct genl_family st2110_genl_family;

enum { ST2110_MCGRP_EVENTS_IDX };

static const struct genl_multicast_group st2110_mcgrps[] = {
	[ST2110_MCGRP_EVENTS_IDX] = { .name = ST2110_GENL_MCGRP_EVENTS },
};

/* Events are only ever sent: a request carrying their attributes is wrong. */
static const struct nla_policy st2110_genl_policy[ST2110_A_MAX + 1] = {
	[ST2110_A_RATE_PER_SEC]	= NLA_POLICY_RANGE(NLA_U32, 1, ST2110_MAX_RATE_PER_SEC),
	[ST2110_A_BURST]	= NLA_POLICY_RANGE(NLA_U32, 1, ST2110_MAX_BURST),
	[ST2110_A_SUPPRESSED]	= { .type = NLA_REJECT },
	[ST2110_A_EVENT_TYPE]	= { .type = NLA_REJECT },
	[ST2110_A_IFINDEX]	= { .type = NLA_REJECT },
	[ST2110_A_CLASSID]	= { .type = NLA_REJECT },
	[ST2110_A_TIME_NS]	= { .type = NLA_REJECT },
	[ST2110_A_VALUE]	= { .type = NLA_REJECT },
	[ST2110_A_LIMIT]	= { .type = NLA_REJECT },
	[ST2110_A_COUNT]	= { .type = NLA_REJECT },
};

/* Under sn->lock: take one token if there is one. */
static bool st2110_ev_token(struct st2110_net *sn, u64 now_ns)
{
	u64 cap = (u64)sn->burst * NSEC_PER_SEC;
	u64 idle = now_ns > sn->refill_ns ? now_ns - sn->refill_ns : 0;

	if (idle > ST2110_EV_MAX_IDLE_NS)
		idle = ST2110_EV_MAX_IDLE_NS;
	sn->tokens = min(sn->tokens + idle * sn->rate_per_sec, cap);
	sn->refill_ns = now_ns;
	if (sn->tokens < NSEC_PER_SEC)
		return false;
	sn->tokens -= NSEC_PER_SEC;
	return true;
}

void st2110_event(struct Qdisc *sch, u32 classid, struct st2110_ev_state *st,
		  enum st2110_event_type type, u64 now_ns, u64 value, u64 limit)
{
	struct net_device *dev = qdisc_dev(sch);
	struct net *net = dev_net(dev);
	struct st2110_ev_rec *r;
	struct st2110_net *sn;
	bool queued = false;

	if (!genl_has_listeners(&st2110_genl_family, net, ST2110_MCGRP_EVENTS_IDX))
		return;
	st->held++;
	/* a step back of CLOCK_TAI ends the hold-off */
	if (st->last_ns && now_ns >= st->last_ns &&
	    now_ns - st->last_ns < ST2110_EVENT_HOLDOFF_NS)
		return;

	sn = net_generic(net, st2110_net_id);
	spin_lock(&sn->lock);
	if (sn->count < ST2110_EV_RING && st2110_ev_token(sn, now_ns)) {
		r = &sn->ring[(sn->head + sn->count++) % ST2110_EV_RING];
		r->type = type;
		r->ifindex = dev->ifindex;
		r->classid = classid;
		r->time_ns = now_ns;
		r->value = value;
		r->limit = limit;
		r->count = st->held;
		queued = true;
	} else {
		sn->suppressed++;
	}
	spin_unlock(&sn->lock);
	if (!queued)
		return;
	st->held = 0;
	st->last_ns = now_ns;
	schedule_work(&sn->work);
}

static int st2110_ev_fill(struct sk_buff *skb, const struct st2110_ev_rec *r)
{
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &st2110_genl_family, 0, ST2110_CMD_EVENT);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, ST2110_A_EVENT_TYPE, r->type) ||
	    nla_put_u32(skb, ST2110_A_IFINDEX, r->ifindex) ||
	    nla_put_u32(skb, ST2110_A_CLASSID, r->classid) ||
	    nla_put_u64_64bit(skb, ST2110_A_TIME_NS, r->time_ns, ST2110_A_PAD) ||
	    nla_put_u64_64bit(skb, ST2110_A_VALUE, r->value, ST2110_A_PAD) ||
	    nla_put_u64_64bit(skb, ST2110_A_LIMIT, r->limit, ST2110_A_PAD) ||
	    nla_put_u64_64bit(skb, ST2110_A_COUNT, r->count, ST2110_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static void st2110_ev_work(struct work_struct *work)
{
	struct st2110_net *sn = container_of(work, struct st2110_net, work);
	struct st2110_ev_rec r;
	struct sk_buff *skb;

	for (;;) {
		spin_lock_bh(&sn->lock);
		if (!sn->count) {
			spin_unlock_bh(&sn->lock);
			return;
		}
		r = sn->ring[sn->head];
		sn->head = (sn->head + 1) % ST2110_EV_RING;
		sn->count--;
		spin_unlock_bh(&sn->lock);

		skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
		if (!skb)
			continue;
		if (st2110_ev_fill(skb, &r)) {
			kfree_skb(skb);
			continue;
		}
		genlmsg_multicast_netns(&st2110_genl_family, sn->net, skb, 0,
					ST2110_MCGRP_EVENTS_IDX, GFP_KERNEL);
	}
}

static int st2110_config_fill(struct sk_buff *skb, struct st2110_net *sn,
			      struct genl_info *info)
{
	u32 rate, burst;
	u64 suppressed;
	void *hdr;

	spin_lock_bh(&sn->lock);
	rate = sn->rate_per_sec;
	burst = sn->burst;
	suppressed = sn->suppressed;
	spin_unlock_bh(&sn->lock);

	hdr = genlmsg_put_reply(skb, info, &st2110_genl_family, 0, ST2110_CMD_GET_CONFIG);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ST2110_A_RATE_PER_SEC, rate) ||
	    nla_put_u32(skb, ST2110_A_BURST, burst) ||
	    nla_put_u64_64bit(skb, ST2110_A_SUPPRESSED, suppressed, ST2110_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int st2110_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct st2110_net *sn = net_generic(genl_info_net(info), st2110_net_id);
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = st2110_config_fill(msg, sn, info);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int st2110_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct st2110_net *sn = net_generic(genl_info_net(info), st2110_net_id);
	struct nlattr *rate = info->attrs[ST2110_A_RATE_PER_SEC];
	struct nlattr *burst = info->attrs[ST2110_A_BURST];

	if (!rate && !burst) {
		NL_SET_ERR_MSG(info->extack, "Nothing to set: give the rate, the burst or both");
		return -EINVAL;
	}
	spin_lock_bh(&sn->lock);
	if (rate)
		sn->rate_per_sec = nla_get_u32(rate);
	if (burst) {
		sn->burst = nla_get_u32(burst);
		sn->tokens = min_t(u64, sn->tokens, (u64)sn->burst * NSEC_PER_SEC);
	}
	spin_unlock_bh(&sn->lock);
	return 0;
}

static const struct genl_small_ops st2110_genl_ops[] = {
	{
		.cmd	= ST2110_CMD_GET_CONFIG,
		.doit	= st2110_get_config,
	},
	{
		.cmd	= ST2110_CMD_SET_CONFIG,
		.doit	= st2110_set_config,
		.flags	= GENL_ADMIN_PERM,
	},
};

static struct genl_family st2110_genl_family __ro_after_init = {
	.name		= ST2110_GENL_NAME,
	.version	= ST2110_GENL_VERSION,
	.maxattr	= ST2110_A_MAX,
	.policy		= st2110_genl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= st2110_genl_ops,
	.n_small_ops	= ARRAY_SIZE(st2110_genl_ops),
	/* strict validation and a zeroed reserved header for every command */
	.resv_start_op	= ST2110_CMD_GET_CONFIG,
	.mcgrps		= st2110_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(st2110_mcgrps),
};

static int __net_init st2110_net_init(struct net *net)
{
	struct st2110_net *sn = net_generic(net, st2110_net_id);

	sn->net = net;
	INIT_WORK(&sn->work, st2110_ev_work);
	spin_lock_init(&sn->lock);
	sn->rate_per_sec = ST2110_DEFAULT_RATE_PER_SEC;
	sn->burst = ST2110_DEFAULT_BURST;
	sn->tokens = (u64)sn->burst * NSEC_PER_SEC;
	return 0;
}

/* The namespace's devices, and so its qdiscs, are gone before this runs. */
static void __net_exit st2110_net_exit(struct net *net)
{
	struct st2110_net *sn = net_generic(net, st2110_net_id);

	cancel_work_sync(&sn->work);
}

static struct pernet_operations st2110_net_ops = {
	.init	= st2110_net_init,
	.exit	= st2110_net_exit,
	.id	= &st2110_net_id,
	.size	= sizeof(struct st2110_net),
};

int __init st2110_genl_init(void)
{
	int err;

	err = register_pernet_subsys(&st2110_net_ops);
	if (err)
		return err;
	err = genl_register_family(&st2110_genl_family);
	if (err)
		unregister_pernet_subsys(&st2110_net_ops);
	return err;
}

/* After unregister_qdisc(): no qdisc is left to post an event. */
void st2110_genl_exit(void)
{
	unregister_pernet_subsys(&st2110_net_ops);
	genl_unregister_family(&st2110_genl_family);
}
