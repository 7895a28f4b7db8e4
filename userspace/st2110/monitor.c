// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - "st2110 monitor": live events, as ip monitor.
 *
 *   st2110 monitor [ streams | flows | all ] [ dev DEV ] [ count N ]
 *   st2110 monitor config show
 *   st2110 monitor config set [ rate N ] [ burst N ]
 *
 * streams: sch_st2110 multicasts its events on the "events" group of the
 * "st2110" generic netlink family (include/uapi/linux/st2110_genl.h), in the
 * network namespace of the qdisc's device (-n NETNS picks it).
 * flows: the XDP program writes struct st2110_xdp_event records to the
 * "events" ring buffer pinned with its maps (include/uapi/linux/st2110_xdp.h),
 * one per interface it is attached to in this namespace.
 * Both are polled together (epoll). One line an event, -j one JSON object a
 * line; the output is flushed after each, so a pipe sees events as they come.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <jansson.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <uapi/linux/st2110_genl.h>

#include "json.h"
#include "st2110.h"
#include "tcnl.h"
#include "xdp_cli.h"

static const char *const event_name[] = {
	[ST2110_EVENT_STREAM_LATE] = "late",
	[ST2110_EVENT_STREAM_DROP] = "drop",
	[ST2110_EVENT_FRAME_CMAX] = "frame_cmax",
	[ST2110_EVENT_FRAME_VRX] = "frame_vrx",
};

static const struct nla_policy ev_policy[ST2110_A_MAX + 1] = {
	[ST2110_A_RATE_PER_SEC]	= { .type = NLA_U32 },
	[ST2110_A_BURST]	= { .type = NLA_U32 },
	[ST2110_A_SUPPRESSED]	= { .type = NLA_U64 },
	[ST2110_A_EVENT_TYPE]	= { .type = NLA_U16 },
	[ST2110_A_IFINDEX]	= { .type = NLA_U32 },
	[ST2110_A_CLASSID]	= { .type = NLA_U32 },
	[ST2110_A_TIME_NS]	= { .type = NLA_U64 },
	[ST2110_A_VALUE]	= { .type = NLA_U64 },
	[ST2110_A_LIMIT]	= { .type = NLA_U64 },
	[ST2110_A_COUNT]	= { .type = NLA_U64 },
};

static const char *const flow_event_name[] = {
	[ST2110_XDP_EVENT_LOSS] = "loss",
	[ST2110_XDP_EVENT_OVER_CMAX] = "over_cmax",
	[ST2110_XDP_EVENT_OVER_VRX] = "over_vrx",
	[ST2110_XDP_EVENT_SWITCHED] = "switched",
	[ST2110_XDP_EVENT_MERGE_LOST] = "merge_lost",
};

#define MON_MAX_RINGS	64

struct mon;

/* One XDP instance whose ring is read. */
struct mon_ring {
	struct mon *m;
	struct st2110_xdp *x;
	char dev[IF_NAMESIZE];
	unsigned int ifindex;
};

struct mon {
	struct st2110_nl n;
	int family;
	int ifindex;		/* 0: every device */
	const char *dev;	/* its name, NULL: every device */
	uint64_t left;		/* events still to print; 0: no end */
	bool done;
	bool streams, flows;	/* sources chosen */
	bool discard;		/* reading what was queued before the start */
	struct ring_buffer *rb;
	struct mon_ring ring[MON_MAX_RINGS];
	unsigned int nr_rings;
};

/* One event printed: count it; true when count N is reached. */
static bool mon_printed(struct mon *m)
{
	fflush(stdout);
	if (m->left && !--m->left)
		m->done = true;
	return m->done;
}

/* help: on stdout, exit 0; after a bad word: on stderr, exit 2 */
static int usage(bool help)
{
	fprintf(help ? stdout : stderr,
		"Usage: st2110 monitor [ streams | flows | all ] [ dev DEV ] [ count N ]\n"
		"       st2110 monitor config show\n"
		"       st2110 monitor config set [ rate EVENTS_PER_SEC ] [ burst EVENTS ]\n"
		"streams: events of sch_st2110 streams: late (a packet past its release\n"
		"time at enqueue; value: lateness ns) and drop (a packet over the class\n"
		"limit; value: class drops so far), frame_cmax and frame_vrx (a video\n"
		"frame whose CINST or VRX at release exceeded CMAX or VRXFULL; value: its\n"
		"peak); rate and burst limit them per namespace.\n"
		"flows: events of the st2110 XDP program on each interface it is attached\n"
		"to here: loss (RTP sequence gaps; count: packets lost), over_cmax and\n"
		"over_vrx (frames over CMAX / VRXFULL of the route's format), switched (a\n"
		"staged route change applied, clean or forced) and merge_lost (ST 2022-7\n"
		"packets lost on both legs).  all (the default): what is there.\n"
		"One per kind and stream or flow per 100 ms; count says how many\n"
		"occurrences it stands for.\n");
	return help ? EXIT_OK : EXIT_USAGE;
}

/* The family, or a message that says what to do. */
static int open_family(struct st2110_nl *n, int *family)
{
	if (st2110_nl_open_generic(n))
		return errorf(EXIT_RUNTIME, "cannot open a generic netlink socket");
	*family = genl_ctrl_resolve(n->sk, ST2110_GENL_NAME);
	if (*family < 0) {
		st2110_nl_close(n);
		return errorf(EXIT_RUNTIME, "generic netlink family \"%s\" not found: is sch_st2110 loaded?",
			      ST2110_GENL_NAME);
	}
	return 0;
}

/* Is sch_st2110's family there? (asks quietly) */
static bool family_present(void)
{
	struct st2110_nl n;
	bool ok;

	if (st2110_nl_open_generic(&n))
		return false;
	ok = genl_ctrl_resolve(n.sk, ST2110_GENL_NAME) >= 0;
	st2110_nl_close(&n);
	return ok;
}

static void class_str(char *buf, size_t len, uint32_t id)
{
	snprintf(buf, len, "%x:%x", id >> 16, id & 0xffff);
}

/* The fields every event starts with: its time (CLOCK_TAI) and device. */
static json_t *ev_json(uint64_t t, const char *dev, int ifindex)
{
	json_t *o = json_object();

	st2110_json_set(o, "time_ns", st2110_json_u64(t));
	st2110_json_set(o, "dev", json_string(dev));
	st2110_json_set(o, "ifindex", json_integer(ifindex));
	return o;
}

static void ev_text(uint64_t t, const char *dev)
{
	printf("[%" PRIu64 ".%09" PRIu64 "] dev %s ", t / 1000000000, t % 1000000000, dev);
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ST2110_A_MAX + 1];
	struct mon *m = arg;
	char cls[16], dev[IF_NAMESIZE] = "?";
	const char *what;
	uint64_t t, value, limit, count;
	uint32_t ifindex;
	uint16_t type;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ST2110_A_MAX,
			  (struct nla_policy *)ev_policy) < 0 ||
	    genlmsg_hdr(nlmsg_hdr(msg))->cmd != ST2110_CMD_EVENT ||
	    !tb[ST2110_A_EVENT_TYPE] || !tb[ST2110_A_IFINDEX] || !tb[ST2110_A_CLASSID])
		return NL_SKIP;
	type = nla_get_u16(tb[ST2110_A_EVENT_TYPE]);
	ifindex = nla_get_u32(tb[ST2110_A_IFINDEX]);
	if (m->ifindex && (int)ifindex != m->ifindex)
		return NL_SKIP;
	what = type < ARRAY_SIZE(event_name) && event_name[type] ? event_name[type] : NULL;
	t = tb[ST2110_A_TIME_NS] ? nla_get_u64(tb[ST2110_A_TIME_NS]) : 0;
	value = tb[ST2110_A_VALUE] ? nla_get_u64(tb[ST2110_A_VALUE]) : 0;
	limit = tb[ST2110_A_LIMIT] ? nla_get_u64(tb[ST2110_A_LIMIT]) : 0;
	count = tb[ST2110_A_COUNT] ? nla_get_u64(tb[ST2110_A_COUNT]) : 1;
	if_indextoname(ifindex, dev);
	class_str(cls, sizeof(cls), nla_get_u32(tb[ST2110_A_CLASSID]));

	if (json) {
		json_t *o = ev_json(t, dev, (int)ifindex);

		st2110_json_set(o, "class", json_string(cls));
		st2110_json_set(o, "event", what ? json_string(what) : json_integer(type));
		st2110_json_set(o, "value", st2110_json_u64(value));
		if (type != ST2110_EVENT_STREAM_LATE)
			st2110_json_set(o, "limit_pkts", st2110_json_u64(limit));
		st2110_json_set(o, "count", st2110_json_u64(count));
		st2110_json_print(stdout, o, false);	/* takes o */
	} else {
		ev_text(t, dev);
		printf("class %s ", cls);
		if (type == ST2110_EVENT_STREAM_LATE)
			printf("late %" PRIu64 "ns", value);
		else if (type == ST2110_EVENT_STREAM_DROP)
			printf("drop drops %" PRIu64 " limit %" PRIu64, value, limit);
		else if (type == ST2110_EVENT_FRAME_CMAX)
			printf("frame_cmax cinst %" PRIu64 " cmax %" PRIu64, value, limit);
		else if (type == ST2110_EVENT_FRAME_VRX)
			printf("frame_vrx vrx %" PRIu64 " vrxfull %" PRIu64, value, limit);
		else
			printf("event %u value %" PRIu64, type, value);
		printf(" count %" PRIu64 "\n", count);
	}
	mon_printed(m);
	return NL_OK;
}

/* One record of an XDP ring; < 0 stops the read at count N. */
static int flow_event_cb(void *ctx, void *data, size_t len)
{
	const struct mon_ring *r = ctx;
	const struct st2110_xdp_event *e = data;
	char g[INET6_ADDRSTRLEN] = "?", src[INET6_ADDRSTRLEN] = "?";
	const char *what;
	struct mon *m = r->m;
	int af;

	if (m->discard || m->done || len < sizeof(*e))
		return 0;
	af = e->key.family == ST2110_XDP_FAMILY_IPV6 ? AF_INET6 : AF_INET;
	inet_ntop(af, e->key.group, g, sizeof(g));
	inet_ntop(af, e->key.source, src, sizeof(src));
	what = e->type < ARRAY_SIZE(flow_event_name) ? flow_event_name[e->type] : NULL;

	if (json) {
		json_t *o = ev_json(e->time_ns, r->dev, r->ifindex);

		st2110_json_set(o, "group", json_string(g));
		st2110_json_set(o, "port", json_integer(e->key.dport));
		st2110_json_set(o, "source", json_string(src));
		st2110_json_set(o, "event", what ? json_string(what) : json_integer(e->type));
		if (e->type == ST2110_XDP_EVENT_SWITCHED) {
			st2110_json_set(o, "forced", json_boolean(e->flags & ST2110_XDP_EVENT_F_FORCED));
			st2110_json_set(o, "old_action",
					json_string(xdp_cli_action_name(e->old_action)));
			st2110_json_set(o, "old_egress_set", json_integer(e->old_egress_set));
			st2110_json_set(o, "new_action",
					json_string(xdp_cli_action_name(e->new_action)));
			st2110_json_set(o, "new_egress_set", json_integer(e->new_egress_set));
		} else {
			st2110_json_set(o, "value", e->type == ST2110_XDP_EVENT_OVER_VRX ?
					json_integer((json_int_t)e->value) : st2110_json_u64(e->value));
		}
		if (e->type == ST2110_XDP_EVENT_OVER_CMAX || e->type == ST2110_XDP_EVENT_OVER_VRX) {
			st2110_json_set(o, "limit", st2110_json_u64(e->limit));
			st2110_json_set(o, "format", json_integer(e->id));
		}
		if (e->type == ST2110_XDP_EVENT_MERGE_LOST)
			st2110_json_set(o, "merge", json_integer(e->id));
		st2110_json_set(o, "count", st2110_json_u64(e->count));
		st2110_json_print(stdout, o, false);	/* takes o */
	} else {
		ev_text(e->time_ns, r->dev);
		printf("group %s port %u source %s ", g, e->key.dport, src);
		switch (e->type) {
		case ST2110_XDP_EVENT_LOSS:
			printf("loss lost %" PRIu64, (uint64_t)e->value);
			break;
		case ST2110_XDP_EVENT_OVER_CMAX:
			printf("over_cmax cinst %" PRIu64 " cmax %" PRIu64 " format %u",
			       (uint64_t)e->value, (uint64_t)e->limit, e->id);
			break;
		case ST2110_XDP_EVENT_OVER_VRX:
			printf("over_vrx vrx %" PRId64 " vrxfull %" PRIu64 " format %u",
			       (int64_t)e->value, (uint64_t)e->limit, e->id);
			break;
		case ST2110_XDP_EVENT_SWITCHED:
			printf("switched %s %s set %u -> %s set %u",
			       e->flags & ST2110_XDP_EVENT_F_FORCED ? "forced" : "clean",
			       xdp_cli_action_name(e->old_action), e->old_egress_set,
			       xdp_cli_action_name(e->new_action), e->new_egress_set);
			break;
		case ST2110_XDP_EVENT_MERGE_LOST:
			printf("merge_lost lost_both %" PRIu64 " merge %u", (uint64_t)e->value,
			       e->id);
			break;
		default:
			printf("event %u value %" PRIu64, e->type, (uint64_t)e->value);
		}
		printf(" count %" PRIu64 "\n", (uint64_t)e->count);
	}
	return mon_printed(m) ? -ECANCELED : 0;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Join the module's events group; prints the error. */
static int streams_open(struct mon *m)
{
	int grp, ret;

	ret = open_family(&m->n, &m->family);
	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(m->n.sk, ST2110_GENL_NAME, ST2110_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(m->n.sk, grp) < 0 ||
	    nl_socket_set_nonblocking(m->n.sk) < 0) {
		st2110_nl_close(&m->n);
		return errorf(EXIT_RUNTIME, "cannot join the \"%s\" group of \"%s\"",
			      ST2110_GENL_MCGRP_EVENTS, ST2110_GENL_NAME);
	}
	return EXIT_OK;
}

/* xdp_cli_foreach(): add this instance's ring (dev DEV: that one only). */
static int ring_add(const char *dev, void *arg)
{
	struct mon *m = arg;
	struct mon_ring *r;
	int fd;

	if ((m->dev && strcmp(dev, m->dev)) || m->nr_rings == MON_MAX_RINGS)
		return EXIT_OK;
	r = &m->ring[m->nr_rings];
	if (st2110_xdp_open(dev, xdp_cli_pin_root(false), &r->x))
		return xdp_cli_fail(dev);
	r->m = m;
	snprintf(r->dev, sizeof(r->dev), "%s", dev);
	r->ifindex = if_nametoindex(dev);
	fd = st2110_xdp_events_fd(r->x);
	if (!m->rb)
		m->rb = ring_buffer__new(fd, flow_event_cb, r, NULL);
	else if (ring_buffer__add(m->rb, fd, flow_event_cb, r))
		fd = -1;
	if (fd < 0 || !m->rb) {
		st2110_xdp_close(r->x);
		return errorf(EXIT_RUNTIME, "%s: cannot read the events ring: %s", dev,
			      strerror(errno));
	}
	m->nr_rings++;
	return EXIT_OK;
}

static void mon_close(struct mon *m)
{
	unsigned int i;

	ring_buffer__free(m->rb);
	for (i = 0; i < m->nr_rings; i++)
		st2110_xdp_close(m->ring[i].x);
	if (m->streams)
		st2110_nl_close(&m->n);
}

/*
 * The sources: "streams" needs sch_st2110, "flows" an XDP instance (of
 * DEV) in this namespace; "all", the default, takes what there is.
 */
static int mon_open(struct mon *m, bool want_streams, bool want_flows, bool all)
{
	bool mod = family_present();
	int ret;

	if (want_streams && (mod || !all)) {
		ret = streams_open(m);
		if (ret)
			return ret;
		m->streams = true;
	}
	if (want_flows && xdp_cli_pin_root(false)) {
		ret = xdp_cli_foreach(ring_add, m);
		if (ret) {
			mon_close(m);
			return ret;
		}
	}
	m->flows = m->nr_rings > 0;
	if (want_flows && !all && !m->flows) {
		mon_close(m);
		if (m->dev)
			return errorf(EXIT_RUNTIME, "no st2110 XDP program attached to %s", m->dev);
		return errorf(EXIT_RUNTIME, "no st2110 XDP program attached in this namespace");
	}
	if (!m->streams && !m->flows) {
		mon_close(m);
		return errorf(EXIT_RUNTIME, "nothing to monitor: sch_st2110 is not loaded and no st2110 XDP program is attached%s%s",
			      m->dev ? " to " : " in this namespace", m->dev ? m->dev : "");
	}
	return EXIT_OK;
}

static int monitor_events(int argc, char **argv)
{
	struct mon m = { .ifindex = 0 };
	bool want_streams = true, want_flows = true, all = true;
	struct epoll_event ev[2];
	struct nl_cb *cb = NULL;
	int i, n, err, ep = -1, ret = EXIT_OK;
	uint64_t v;
	char *end;

	if (argc > 0 && (!strcmp(*argv, "streams") || !strcmp(*argv, "flows") ||
			 !strcmp(*argv, "all"))) {
		want_streams = strcmp(*argv, "flows");
		want_flows = strcmp(*argv, "streams");
		all = !strcmp(*argv, "all");
		argc--;
		argv++;
	}
	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			m.dev = *argv;
		} else if (!strcmp(*argv, "count")) {
			NEXT_ARG();
			errno = 0;
			v = strtoull(*argv, &end, 10);
			if (errno || *end || !**argv || **argv == '-' || !v)
				return errorf(EXIT_USAGE, "count \"%s\": expected a positive integer",
					      *argv);
			m.left = v;
		} else {
			fprintf(stderr, "Error: unknown argument \"%s\"\n", *argv);
			return usage(false);
		}
		argc--;
		argv++;
	}
	if (m.dev) {
		m.ifindex = strlen(m.dev) < IF_NAMESIZE ? (int)if_nametoindex(m.dev) : 0;
		if (!m.ifindex)
			return errorf(EXIT_RUNTIME, "cannot find device \"%s\"", m.dev);
	}
	ret = mon_open(&m, want_streams, want_flows, all);
	if (ret)
		return ret;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		ret = errorf(EXIT_RUNTIME, "epoll: %s", strerror(errno));
		goto out;
	}
	if (m.streams) {
		cb = nl_cb_alloc(NL_CB_DEFAULT);
		if (!cb) {
			ret = errorf(EXIT_RUNTIME, "out of memory");
			goto out;
		}
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &m);
		/* events are not answers: no sequence numbers to check */
		nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
		ev[0] = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 0 };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, nl_socket_get_fd(m.n.sk), &ev[0])) {
			ret = errorf(EXIT_RUNTIME, "epoll: %s", strerror(errno));
			goto out;
		}
	}
	if (m.flows) {
		/* records queued before this monitor started are not news */
		m.discard = true;
		ring_buffer__consume(m.rb);
		m.discard = false;
		ev[0] = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 1 };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(m.rb), &ev[0])) {
			ret = errorf(EXIT_RUNTIME, "epoll: %s", strerror(errno));
			goto out;
		}
	}
	while (!m.done) {
		n = epoll_wait(ep, ev, ARRAY_SIZE(ev), -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = errorf(EXIT_RUNTIME, "epoll: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n && !m.done; i++) {
			if (ev[i].data.u32 == 1) {
				err = ring_buffer__consume(m.rb);
				if (err < 0 && err != -ECANCELED) {
					ret = errorf(EXIT_RUNTIME, "reading the events ring: %s",
						     strerror(-err));
					m.done = true;
				}
				continue;
			}
			err = nl_recvmsgs(m.n.sk, cb);
			/* a full socket buffer lost events; say so and go on */
			if (err == -NLE_NOMEM)
				fprintf(stderr, "Warning: events lost (socket buffer full)\n");
			else if (err < 0 && err != -NLE_AGAIN) {
				ret = errorf(EXIT_RUNTIME, "reading events: %s", nl_geterror(err));
				m.done = true;
			}
		}
	}
out:
	if (ep >= 0)
		close(ep);
	nl_cb_put(cb);
	mon_close(&m);
	return ret;
}

struct config {
	uint32_t rate, burst;
	uint64_t suppressed;
	bool have;
};

static int config_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ST2110_A_MAX + 1];
	struct config *c = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ST2110_A_MAX,
			  (struct nla_policy *)ev_policy) < 0 ||
	    !tb[ST2110_A_RATE_PER_SEC] || !tb[ST2110_A_BURST])
		return NL_SKIP;
	c->rate = nla_get_u32(tb[ST2110_A_RATE_PER_SEC]);
	c->burst = nla_get_u32(tb[ST2110_A_BURST]);
	c->suppressed = tb[ST2110_A_SUPPRESSED] ? nla_get_u64(tb[ST2110_A_SUPPRESSED]) : 0;
	c->have = true;
	return NL_OK;
}

static int u32_word(const char *key, const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || !*s || *s == '-' || v > UINT32_MAX)
		return errorf(EXIT_USAGE, "%s \"%s\": expected an integer", key, s);
	*out = (uint32_t)v;
	return 0;
}

static int config_request(struct st2110_nl *n, int family, int cmd, const uint32_t *rate,
			  const uint32_t *burst, struct config *c)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -ENOMEM;

	if (!msg)
		return err;
	if (genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK, (uint8_t)cmd,
			ST2110_GENL_VERSION) &&
	    (!rate || !nla_put_u32(msg, ST2110_A_RATE_PER_SEC, *rate)) &&
	    (!burst || !nla_put_u32(msg, ST2110_A_BURST, *burst)))
		err = st2110_nl_transact(n, msg, c ? config_cb : NULL, c);
	nlmsg_free(msg);
	return err;
}

static int config_fail(const struct st2110_nl *n, const char *what)
{
	if (n->extack[0])
		return errorf(EXIT_RUNTIME, "%s: %s (%s)", what, n->extack, strerror(n->err));
	return errorf(EXIT_RUNTIME, "%s: %s", what, strerror(n->err ? n->err : EIO));
}

static int monitor_config(int argc, char **argv)
{
	uint32_t rate, burst;
	bool has_rate = false, has_burst = false, set;
	struct config c = { .have = false };
	struct st2110_nl n;
	int family, ret;

	if (argc < 1)
		return incomplete_command();
	if (!matches(*argv, "show")) {
		set = false;
	} else if (!matches(*argv, "set")) {
		set = true;
	} else if (!matches(*argv, "help")) {
		return usage(true);
	} else {
		return unknown_command("monitor config", *argv);
	}
	argc--;
	argv++;
	while (argc > 0 && set) {
		if (!strcmp(*argv, "rate")) {
			NEXT_ARG();
			if (u32_word("rate", *argv, &rate))
				return EXIT_USAGE;
			has_rate = true;
		} else if (!strcmp(*argv, "burst")) {
			NEXT_ARG();
			if (u32_word("burst", *argv, &burst))
				return EXIT_USAGE;
			has_burst = true;
		} else {
			break;
		}
		argc--;
		argv++;
	}
	if (argc > 0) {
		fprintf(stderr, "Error: unknown argument \"%s\"\n", *argv);
		return usage(false);
	}
	ret = open_family(&n, &family);
	if (ret)
		return ret;
	if (set) {
		/* nothing given goes to the kernel too: its extack says what is missing */
		if (config_request(&n, family, ST2110_CMD_SET_CONFIG, has_rate ? &rate : NULL,
				   has_burst ? &burst : NULL, NULL))
			ret = config_fail(&n, "monitor config set");
	} else if (config_request(&n, family, ST2110_CMD_GET_CONFIG, NULL, NULL, &c) || !c.have) {
		ret = config_fail(&n, "monitor config show");
	} else if (json) {
		json_t *o = json_object();

		st2110_json_set(o, "rate_per_sec", json_integer(c.rate));
		st2110_json_set(o, "burst", json_integer(c.burst));
		st2110_json_set(o, "suppressed", st2110_json_u64(c.suppressed));
		st2110_json_print(stdout, o, pretty);	/* takes o */
	} else {
		printf("rate %u burst %u suppressed %" PRIu64 "\n", c.rate, c.burst, c.suppressed);
	}
	st2110_nl_close(&n);
	return ret;
}

int do_monitor(int argc, char **argv)
{
	if (argc > 0 && !matches(*argv, "help"))
		return usage(true);
	if (argc > 0 && !matches(*argv, "config"))
		return monitor_config(argc - 1, argv + 1);
	return monitor_events(argc, argv);
}
