// SPDX-License-Identifier: GPL-2.0
/*
 * nlq.c - rtnetlink helpers of the st2110 qdisc tests (see nlq.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/gen_stats.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "nlq.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NLQ_MAX_DEPTH 4

int nlq_open(struct nlq *n)
{
	int one = 1;
	int err;

	memset(n, 0, sizeof(*n));
	n->sk = nl_socket_alloc();
	if (!n->sk)
		return -ENOMEM;
	err = nl_connect(n->sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(n->sk);
		n->sk = NULL;
		return -ENOTCONN;
	}
	/* The extack message is what the tests check, besides the errno. */
	if (setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one))) {
		nlq_close(n);
		return -errno;
	}
	return 0;
}

void nlq_close(struct nlq *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	n->sk = NULL;
}

int nlq_ifindex(struct nlq *n, const char *ifname)
{
	struct rtnl_link *link;
	int ifindex;

	if (rtnl_link_get_kernel(n->sk, 0, ifname, &link) < 0)
		return -ENODEV;
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex;
}

static void nlq_parse_extack(struct nlq *n, struct nlmsghdr *nlh,
			     struct nlmsgerr *e)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *attrs;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off >= nlh->nlmsg_len)
		return;
	attrs = (struct nlattr *)((char *)nlh + off);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, nlh->nlmsg_len - off,
		      NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(n->extack, sizeof(n->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int nlq_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlq *n = arg;

	(void)nla;
	n->err = -e->error;
	nlq_parse_extack(n, nlh, e);
	return NL_STOP;
}

static int nlq_ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_STOP;
}

/* Send @msg, wait for its ACK or error, fill n->err / n->extack. */
static int nlq_transact(struct nlq *n, struct nl_msg *msg,
			nl_recvmsg_msg_cb_t valid, void *valid_arg)
{
	struct nl_cb *cb;
	int err;

	n->err = 0;
	n->extack[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, nlq_err_cb, n);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nlq_ack_cb, n);
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, valid_arg);

	err = nl_send_auto(n->sk, msg);
	if (err >= 0) {
		err = nl_recvmsgs(n->sk, cb);
		if (err < 0 && !n->err)
			n->err = EIO;
	} else {
		n->err = EIO;
	}
	nl_cb_put(cb);
	return -n->err;
}

static int nlq_put_attrs(struct nl_msg *msg, const struct nlq_attr *a, int na)
{
	struct nlattr *stack[NLQ_MAX_DEPTH];
	int depth = 0;
	int i;

	for (i = 0; i < na; i++) {
		if (a[i].len == NLQ_NEST_START) {
			if (depth == NLQ_MAX_DEPTH)
				return -EINVAL;
			stack[depth] = nla_nest_start(msg, a[i].type);
			if (!stack[depth])
				return -EMSGSIZE;
			stack[depth]->nla_type |= NLA_F_NESTED;
			depth++;
		} else if (a[i].len == NLQ_NEST_END) {
			if (!depth)
				return -EINVAL;
			nla_nest_end_keep_empty(msg, stack[--depth]);
		} else if (nla_put(msg, a[i].type, a[i].len, &a[i].v) < 0) {
			return -EMSGSIZE;
		}
	}
	while (depth)
		nla_nest_end_keep_empty(msg, stack[--depth]);
	return 0;
}

static int nlq_tc_request(struct nlq *n, int cmd, int nlflags, int ifindex,
			  uint32_t parent, uint32_t handle, const char *kind,
			  const struct nlq_attr *a, int na, unsigned int flags)
{
	struct tcmsg tcm = {
		.tcm_family	= AF_UNSPEC,
		.tcm_ifindex	= ifindex,
		.tcm_handle	= handle,
		.tcm_parent	= parent,
	};
	struct nlattr *opts;
	struct nl_msg *msg;
	int err = -EMSGSIZE;

	msg = nlmsg_alloc_simple(cmd, nlflags);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &tcm, sizeof(tcm), NLMSG_ALIGNTO) < 0)
		goto out;
	if (kind && nla_put_string(msg, TCA_KIND, kind) < 0)
		goto out;
	if (!(flags & NLQ_NO_OPTIONS)) {
		opts = nla_nest_start(msg, TCA_OPTIONS);
		if (!opts)
			goto out;
		if (flags & NLQ_OPTIONS_NOT_NESTED)
			opts->nla_type &= ~NLA_F_NESTED;
		else
			opts->nla_type |= NLA_F_NESTED;
		err = nlq_put_attrs(msg, a, na);
		if (err)
			goto out;
		nla_nest_end_keep_empty(msg, opts);
	}
	err = nlq_transact(n, msg, NULL, NULL);
out:
	nlmsg_free(msg);
	return err;
}

int nlq_qdisc(struct nlq *n, int cmd, int nlflags, int ifindex,
	      uint32_t parent, uint32_t handle, const char *kind,
	      const struct nlq_attr *a, int na, unsigned int flags)
{
	if (cmd == RTM_DELQDISC)
		flags |= NLQ_NO_OPTIONS;
	return nlq_tc_request(n, cmd, nlflags, ifindex, parent, handle, kind,
			      a, na, flags);
}

int nlq_class(struct nlq *n, int cmd, int nlflags, int ifindex,
	      uint32_t parent, uint32_t classid,
	      const struct nlq_attr *a, int na, unsigned int flags)
{
	if (cmd == RTM_DELTCLASS)
		flags |= NLQ_NO_OPTIONS;
	return nlq_tc_request(n, cmd, nlflags, ifindex, parent, classid,
			      cmd == RTM_NEWTCLASS ? "st2110" : NULL,
			      a, na, flags);
}

static void nlq_parse_stats(struct nlattr *stats2, struct nlq_stats *st,
			    void *app, size_t app_size, bool *has_app)
{
	struct nlattr *tb[TCA_STATS_MAX + 1];

	if (!stats2 || nla_parse_nested(tb, TCA_STATS_MAX, stats2, NULL) < 0)
		return;
	if (tb[TCA_STATS_BASIC] &&
	    nla_len(tb[TCA_STATS_BASIC]) >= (int)sizeof(struct gnet_stats_basic)) {
		struct gnet_stats_basic b;

		memcpy(&b, nla_data(tb[TCA_STATS_BASIC]), sizeof(b));
		st->bytes = b.bytes;
		st->packets = b.packets;
	}
	if (tb[TCA_STATS_PKT64] && nla_len(tb[TCA_STATS_PKT64]) == 8)
		st->packets = nla_get_u64(tb[TCA_STATS_PKT64]);
	if (tb[TCA_STATS_QUEUE] &&
	    nla_len(tb[TCA_STATS_QUEUE]) >= (int)sizeof(struct gnet_stats_queue)) {
		struct gnet_stats_queue q;

		memcpy(&q, nla_data(tb[TCA_STATS_QUEUE]), sizeof(q));
		st->drops = q.drops;
		st->qlen = q.qlen;
		st->backlog = q.backlog;
		st->overlimits = q.overlimits;
	}
	if (tb[TCA_STATS_APP]) {
		size_t len = nla_len(tb[TCA_STATS_APP]);

		/* Tolerate a struct that grew or shrank: copy the prefix. */
		memset(app, 0, app_size);
		memcpy(app, nla_data(tb[TCA_STATS_APP]),
		       len < app_size ? len : app_size);
		*has_app = true;
	}
}

struct nlq_qdisc_dump {
	int			ifindex;
	uint32_t		handle;
	struct nlq_qdisc_info	*out;
};

static void nlq_parse_qdisc_options(struct nlattr *opts,
				    struct nlq_qdisc_info *qi)
{
	struct nlattr *attr;
	int rem;

	qi->has_options = true;
	qi->options_nested = !!(opts->nla_type & NLA_F_NESTED);
	nla_for_each_nested(attr, opts, rem) {
		int type = nla_type(attr);
		int len = nla_len(attr);

		if (type == TCA_ST2110_CLOCKID && len == 4)
			qi->clockid = nla_get_u32(attr);
		else if (type == TCA_ST2110_TIMER_SLACK_NS && len == 4)
			qi->timer_slack_ns = nla_get_u32(attr);
		else if (type == TCA_ST2110_LIMIT_PKTS && len == 4)
			qi->limit_pkts = nla_get_u32(attr);
		else if (type == TCA_ST2110_LINK_RATE_BPS && len == 8)
			qi->link_rate_bps = nla_get_u64(attr);
		else if (type == TCA_ST2110_OFFLOAD && len == 1)
			qi->offload = nla_get_u8(attr);
		else if (type == TCA_ST2110_PAD)
			continue;
		else {
			qi->unexpected++;
			continue;
		}
		if (qi->has[type])
			qi->unexpected++;	/* twice */
		qi->has[type] = true;
	}
}

static int nlq_qdisc_cb(struct nl_msg *msg, void *arg)
{
	struct nlq_qdisc_dump *d = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct tcmsg *tcm = nlmsg_data(nlh);
	struct nlattr *tb[TCA_MAX + 1];
	struct nlq_qdisc_info *qi = d->out;

	if (nlh->nlmsg_type != RTM_NEWQDISC || tcm->tcm_ifindex != d->ifindex)
		return NL_OK;
	if (d->handle ? tcm->tcm_handle != d->handle :
			tcm->tcm_parent != TC_H_ROOT)
		return NL_OK;
	if (nlmsg_parse(nlh, sizeof(*tcm), tb, TCA_MAX, NULL) < 0)
		return NL_OK;

	memset(qi, 0, sizeof(*qi));
	qi->found = true;
	qi->handle = tcm->tcm_handle;
	qi->parent = tcm->tcm_parent;
	if (tb[TCA_KIND])
		snprintf(qi->kind, sizeof(qi->kind), "%s",
			 nla_get_string(tb[TCA_KIND]));
	if (tb[TCA_OPTIONS] && !strcmp(qi->kind, "st2110"))
		nlq_parse_qdisc_options(tb[TCA_OPTIONS], qi);
	nlq_parse_stats(tb[TCA_STATS2], &qi->stats, &qi->xstats,
			sizeof(qi->xstats), &qi->has_xstats);
	return NL_OK;
}

static int nlq_dump(struct nlq *n, int cmd, int ifindex,
		    nl_recvmsg_msg_cb_t cb, void *arg)
{
	struct tcmsg tcm = {
		.tcm_family	= AF_UNSPEC,
		.tcm_ifindex	= ifindex,
	};
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(cmd, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &tcm, sizeof(tcm), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = nlq_transact(n, msg, cb, arg);
	nlmsg_free(msg);
	return err;
}

int nlq_get_qdisc(struct nlq *n, int ifindex, uint32_t handle,
		  struct nlq_qdisc_info *out)
{
	struct nlq_qdisc_dump d = {
		.ifindex = ifindex, .handle = handle, .out = out,
	};

	memset(out, 0, sizeof(*out));
	return nlq_dump(n, RTM_GETQDISC, ifindex, nlq_qdisc_cb, &d);
}

struct nlq_class_dump {
	int			ifindex;
	uint32_t		classid;
	struct nlq_class_info	*out;
	int			count;
};

static void nlq_parse_match(struct nlattr *nest, struct nlq_class_info *ci)
{
	struct nlattr *attr;
	int rem;

	ci->has_match = true;
	nla_for_each_nested(attr, nest, rem) {
		int len = nla_len(attr);

		switch (nla_type(attr)) {
		case TCA_ST2110_MATCH_DST_IPV4:
		case TCA_ST2110_MATCH_DST_IPV6:
			ci->family = len == 4 ? AF_INET : AF_INET6;
			memcpy(ci->dst, nla_data(attr), len <= 16 ? len : 16);
			break;
		case TCA_ST2110_MATCH_SRC_IPV4:
		case TCA_ST2110_MATCH_SRC_IPV6:
			ci->has_src = true;
			memcpy(ci->src, nla_data(attr), len <= 16 ? len : 16);
			break;
		case TCA_ST2110_MATCH_DST_PORT:
			ci->has_port = len == 2;
			ci->port = ntohs(nla_get_u16(attr));
			break;
		default:
			ci->unexpected++;
		}
	}
}

/* A nest of fixed-size integers: values[type], widened to 32 bits. */
static void nlq_parse_ints(struct nlattr *nest, int max, uint32_t *values,
			   bool *has, int *unexpected)
{
	struct nlattr *attr;
	int rem;

	nla_for_each_nested(attr, nest, rem) {
		int t = nla_type(attr), len = nla_len(attr);

		if (t < 1 || t > max) {
			(*unexpected)++;
			continue;
		}
		has[t] = true;
		if (len == 1)
			values[t] = nla_get_u8(attr);
		else if (len == 2)
			values[t] = nla_get_u16(attr);
		else if (len == 4)
			values[t] = nla_get_u32(attr);
		else
			(*unexpected)++;
	}
}

/* One format attribute of a class dump; false if it is not one. */
static bool nlq_parse_fmt(struct nlattr *attr, struct nlq_class_info *ci)
{
	int t = nla_type(attr), len = nla_len(attr);

	switch (t) {
	case TCA_ST2110_CLASS_VIDEO:
		nlq_parse_ints(attr, TCA_ST2110_VIDEO_MAX, ci->video, ci->vhas,
			       &ci->unexpected);
		break;
	case TCA_ST2110_CLASS_AUDIO:
		nlq_parse_ints(attr, TCA_ST2110_AUDIO_MAX, ci->audio, ci->ahas,
			       &ci->unexpected);
		break;
	case TCA_ST2110_CLASS_TYPE:
		if (len != 1)
			return false;
		ci->type = nla_get_u8(attr);
		break;
	case TCA_ST2110_CLASS_RTP_POLICY:
		if (len != 1)
			return false;
		ci->rtp_policy = nla_get_u8(attr);
		break;
	case TCA_ST2110_CLASS_TROFFSET_NS:
		if (len != 8)
			return false;
		ci->troffset_ns = nla_get_u64(attr);
		break;
	case TCA_ST2110_CLASS_LEAD_PKTS:
		if (len != 4)
			return false;
		ci->lead_pkts = nla_get_u32(attr);
		break;
	case TCA_ST2110_CLASS_PAD:
		return true;
	default:
		return false;
	}
	ci->has[t] = true;
	return true;
}

static int nlq_class_cb(struct nl_msg *msg, void *arg)
{
	struct nlq_class_dump *d = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct tcmsg *tcm = nlmsg_data(nlh);
	struct nlattr *tb[TCA_MAX + 1];
	struct nlq_class_info *ci = d->out;
	struct nlattr *attr;
	int rem;

	if (nlh->nlmsg_type != RTM_NEWTCLASS || tcm->tcm_ifindex != d->ifindex)
		return NL_OK;
	if (nlmsg_parse(nlh, sizeof(*tcm), tb, TCA_MAX, NULL) < 0)
		return NL_OK;
	if (!tb[TCA_KIND] || strcmp(nla_get_string(tb[TCA_KIND]), "st2110"))
		return NL_OK;
	d->count++;
	if (tcm->tcm_handle != d->classid)
		return NL_OK;

	memset(ci, 0, sizeof(*ci));
	ci->found = true;
	ci->classid = tcm->tcm_handle;
	ci->parent = tcm->tcm_parent;
	if (tb[TCA_OPTIONS]) {
		nla_for_each_nested(attr, tb[TCA_OPTIONS], rem) {
			if (nla_type(attr) == TCA_ST2110_CLASS_MATCH) {
				nlq_parse_match(attr, ci);
			} else if (nla_type(attr) == TCA_ST2110_CLASS_LIMIT_PKTS &&
				   nla_len(attr) == 4) {
				ci->has_limit = true;
				ci->limit_pkts = nla_get_u32(attr);
			} else if (!nlq_parse_fmt(attr, ci)) {
				ci->unexpected++;
			}
		}
	}
	nlq_parse_stats(tb[TCA_STATS2], &ci->stats, &ci->xstats,
			sizeof(ci->xstats), &ci->has_xstats);
	return NL_OK;
}

int nlq_get_class(struct nlq *n, int ifindex, uint32_t classid,
		  struct nlq_class_info *out, int *count)
{
	struct nlq_class_dump d = {
		.ifindex = ifindex, .classid = classid, .out = out,
	};
	int err;

	memset(out, 0, sizeof(*out));
	err = nlq_dump(n, RTM_GETTCLASS, ifindex, nlq_class_cb, &d);
	if (count)
		*count = d.count;
	return err;
}
