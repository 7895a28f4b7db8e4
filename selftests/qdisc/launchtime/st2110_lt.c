// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_lt.c - TEST-ONLY network device that takes LaunchTime (ETF offload)
 *
 * No NIC that QEMU 7.2 emulates has a Linux driver with LaunchTime, so the
 * qdisc's offload path could only be tested for its refusal.  This module
 * makes one Ethernet device, st2110lt0, with ST2110_LT_QUEUES TX queues
 * that honours the driver side of the contract the way a LaunchTime driver
 * (igc, stmmac) does:
 *   - ndo_setup_tc(TC_SETUP_QDISC_ETF) enables or disables LaunchTime on
 *     one TX queue (-EINVAL for a queue it does not have), every other
 *     request type is -EOPNOTSUPP;
 *   - ndo_start_xmit() records, per queue, what the NIC would be handed:
 *     skb->tstamp (the launch time, CLOCK_TAI), ktime_get_clocktai_ns() at
 *     xmit, whether LaunchTime was on, the length and the RTP timestamp of
 *     a UDP packet; then frees the packet (nothing is sent anywhere).
 * The records and counters are in debugfs, st2110_lt/{counters,records};
 * writing to records clears them.  UDP destination port 5000 + q goes to
 * queue q (1 <= q < ST2110_LT_QUEUES), everything else to queue 0, so that
 * a test can put a stream on a queue without filters.
 *
 * It proves the qdisc <-> driver contract (which queues get ETF enabled and
 * disabled, which launch time each packet carries, and when it is handed
 * over), not any NIC's precision.  Built by selftests/qdisc/Makefile for
 * each installed header tree and loaded by selftests/qdisc/run.sh; never
 * installed.
 */
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>
#include <net/pkt_sched.h>

#define ST2110_LT_QUEUES	4
#define ST2110_LT_RECORDS	16384		/* per queue; later packets are counted only */
#define ST2110_LT_PORT_BASE	5000

struct st2110_lt_rec {
	u64	launch_ns;	/* skb->tstamp */
	u64	xmit_ns;	/* CLOCK_TAI when the driver got it */
	u32	len;
	u32	rtp_ts;
	u8	launchtime;	/* LaunchTime on for the queue */
	u8	udp;		/* rtp_ts is valid */
};

/* Written under the queue's xmit lock (packets) or RTNL (ETF requests). */
struct st2110_lt_queue {
	struct st2110_lt_rec	*rec;
	u32			nrec;
	bool			launchtime;
	u32			enables;
	u32			disables;
	u64			pkts;
	u64			tstamp_pkts;
};

struct st2110_lt_priv {
	struct st2110_lt_queue	q[ST2110_LT_QUEUES];
};

static struct net_device *st2110_lt_dev;
static struct dentry *st2110_lt_dir;

/* The UDP destination port and RTP timestamp of @skb; false if not UDP. */
static bool st2110_lt_udp(struct sk_buff *skb, u16 *port, u32 *rtp_ts)
{
	int off = skb_network_offset(skb);
	u8 _b[16], *b;
	u8 proto;

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		struct iphdr _iph, *iph;

		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->ihl < 5)
			return false;
		proto = iph->protocol;
		off += iph->ihl * 4;
		break;
	}
	case htons(ETH_P_IPV6): {
		struct ipv6hdr _ip6h, *ip6h;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return false;
		proto = ip6h->nexthdr;
		off += sizeof(*ip6h);
		break;
	}
	default:
		return false;
	}
	if (proto != IPPROTO_UDP)
		return false;
	/* UDP header 8 bytes, then the RTP timestamp at bytes 4..7 of RTP */
	b = skb_header_pointer(skb, off, sizeof(_b), _b);
	if (!b)
		return false;
	*port = (u16)(b[2] << 8 | b[3]);
	*rtp_ts = (u32)b[12] << 24 | (u32)b[13] << 16 | (u32)b[14] << 8 | b[15];
	return true;
}

static u16 st2110_lt_select_queue(struct net_device *dev, struct sk_buff *skb,
				  struct net_device *sb_dev)
{
	u32 rtp_ts;
	u16 port;

	if (st2110_lt_udp(skb, &port, &rtp_ts) &&
	    port > ST2110_LT_PORT_BASE &&
	    port < ST2110_LT_PORT_BASE + dev->real_num_tx_queues)
		return port - ST2110_LT_PORT_BASE;
	return 0;
}

static netdev_tx_t st2110_lt_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct st2110_lt_priv *priv = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	struct st2110_lt_queue *q;
	struct st2110_lt_rec *r;
	u64 now = ktime_get_clocktai_ns();
	u16 port;

	if (qi >= ST2110_LT_QUEUES)
		qi = 0;
	q = &priv->q[qi];
	WRITE_ONCE(q->pkts, q->pkts + 1);
	if (skb->tstamp)
		WRITE_ONCE(q->tstamp_pkts, q->tstamp_pkts + 1);
	if (q->nrec < ST2110_LT_RECORDS) {
		r = &q->rec[q->nrec];
		r->launch_ns = ktime_to_ns(skb->tstamp);
		r->xmit_ns = now;
		r->len = skb->len;
		r->launchtime = READ_ONCE(q->launchtime);
		r->udp = st2110_lt_udp(skb, &port, &r->rtp_ts);
		WRITE_ONCE(q->nrec, q->nrec + 1);
	}
	dev_sw_netstats_tx_add(dev, 1, skb->len);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* What a LaunchTime driver does with the request sch_etf (and st2110) make. */
static int st2110_lt_setup_tc(struct net_device *dev, enum tc_setup_type type,
			      void *type_data)
{
	struct st2110_lt_priv *priv = netdev_priv(dev);
	struct tc_etf_qopt_offload *etf = type_data;
	struct st2110_lt_queue *q;

	if (type != TC_SETUP_QDISC_ETF)
		return -EOPNOTSUPP;
	if (etf->queue < 0 || etf->queue >= dev->real_num_tx_queues)
		return -EINVAL;
	q = &priv->q[etf->queue];
	WRITE_ONCE(q->launchtime, !!etf->enable);
	if (etf->enable)
		WRITE_ONCE(q->enables, q->enables + 1);
	else
		WRITE_ONCE(q->disables, q->disables + 1);
	return 0;
}

static const struct net_device_ops st2110_lt_ops = {
	.ndo_start_xmit		= st2110_lt_xmit,
	.ndo_select_queue	= st2110_lt_select_queue,
	.ndo_setup_tc		= st2110_lt_setup_tc,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
};

static int st2110_lt_counters_show(struct seq_file *m, void *v)
{
	struct st2110_lt_priv *priv = netdev_priv(st2110_lt_dev);
	int i;

	for (i = 0; i < ST2110_LT_QUEUES; i++) {
		struct st2110_lt_queue *q = &priv->q[i];

		seq_printf(m, "queue %d launchtime %d enables %u disables %u pkts %llu tstamp_pkts %llu records %u\n",
			   i, READ_ONCE(q->launchtime), READ_ONCE(q->enables),
			   READ_ONCE(q->disables), READ_ONCE(q->pkts),
			   READ_ONCE(q->tstamp_pkts), READ_ONCE(q->nrec));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st2110_lt_counters);

/* One line a packet: queue launch_ns xmit_ns launchtime len udp rtp_ts */
static int st2110_lt_records_show(struct seq_file *m, void *v)
{
	struct st2110_lt_priv *priv = netdev_priv(st2110_lt_dev);
	u32 i, n;
	int qi;

	for (qi = 0; qi < ST2110_LT_QUEUES; qi++) {
		struct st2110_lt_queue *q = &priv->q[qi];

		n = READ_ONCE(q->nrec);
		for (i = 0; i < n; i++) {
			struct st2110_lt_rec *r = &q->rec[i];

			seq_printf(m, "%d %llu %llu %u %u %u %u\n", qi,
				   r->launch_ns, r->xmit_ns, r->launchtime,
				   r->len, r->udp, r->rtp_ts);
		}
	}
	return 0;
}

static int st2110_lt_records_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, st2110_lt_records_show, NULL,
				ST2110_LT_QUEUES * ST2110_LT_RECORDS * 80);
}

/* Any write clears the records and the packet counters. */
static ssize_t st2110_lt_records_write(struct file *file, const char __user *buf,
				       size_t len, loff_t *ppos)
{
	struct st2110_lt_priv *priv = netdev_priv(st2110_lt_dev);
	int i;

	netif_tx_lock_bh(st2110_lt_dev);
	for (i = 0; i < ST2110_LT_QUEUES; i++) {
		WRITE_ONCE(priv->q[i].nrec, 0);
		WRITE_ONCE(priv->q[i].pkts, 0);
		WRITE_ONCE(priv->q[i].tstamp_pkts, 0);
	}
	netif_tx_unlock_bh(st2110_lt_dev);
	return len;
}

static const struct file_operations st2110_lt_records_fops = {
	.owner		= THIS_MODULE,
	.open		= st2110_lt_records_open,
	.read		= seq_read,
	.write		= st2110_lt_records_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static void st2110_lt_free_recs(struct st2110_lt_priv *priv)
{
	int i;

	for (i = 0; i < ST2110_LT_QUEUES; i++)
		vfree(priv->q[i].rec);
}

static int __init st2110_lt_init(void)
{
	struct st2110_lt_priv *priv;
	struct net_device *dev;
	int i, err = -ENOMEM;

	dev = alloc_etherdev_mq(sizeof(*priv), ST2110_LT_QUEUES);
	if (!dev)
		return -ENOMEM;
	priv = netdev_priv(dev);
	for (i = 0; i < ST2110_LT_QUEUES; i++) {
		priv->q[i].rec = vcalloc(ST2110_LT_RECORDS, sizeof(*priv->q[i].rec));
		if (!priv->q[i].rec)
			goto free;
	}
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		goto free;
	strscpy(dev->name, "st2110lt%d", sizeof(dev->name));
	dev->netdev_ops = &st2110_lt_ops;
	eth_hw_addr_random(dev);
	err = register_netdev(dev);
	if (err)
		goto free_stats;
	st2110_lt_dev = dev;
	st2110_lt_dir = debugfs_create_dir("st2110_lt", NULL);
	debugfs_create_file("counters", 0444, st2110_lt_dir, NULL,
			    &st2110_lt_counters_fops);
	debugfs_create_file("records", 0644, st2110_lt_dir, NULL,
			    &st2110_lt_records_fops);
	return 0;

free_stats:
	free_percpu(dev->tstats);
free:
	st2110_lt_free_recs(priv);
	free_netdev(dev);
	return err;
}

static void __exit st2110_lt_exit(void)
{
	struct st2110_lt_priv *priv = netdev_priv(st2110_lt_dev);

	debugfs_remove_recursive(st2110_lt_dir);
	unregister_netdev(st2110_lt_dev);
	free_percpu(st2110_lt_dev->tstats);
	st2110_lt_free_recs(priv);
	free_netdev(st2110_lt_dev);
}

module_init(st2110_lt_init);
module_exit(st2110_lt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TEST-ONLY: a multi-queue netdevice with the LaunchTime (ETF offload) driver contract");
