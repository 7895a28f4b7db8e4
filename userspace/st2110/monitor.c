// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - "st2110 monitor": live events of sch_st2110, as ip monitor.
 *
 *   st2110 monitor [ dev DEV ] [ count N ]
 *   st2110 monitor config show
 *   st2110 monitor config set [ rate N ] [ burst N ]
 *
 * The module multicasts its events on the "events" group of the "st2110"
 * generic netlink family (include/uapi/linux/st2110_genl.h), in the network
 * namespace of the qdisc's device (-n NETNS picks it).  One line an event,
 * -j one JSON object a line; the output is flushed after each, so a pipe
 * sees events as they come.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <uapi/linux/st2110_genl.h>

#include "json.h"
#include "st2110.h"
#include "tcnl.h"

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

struct mon {
	struct st2110_nl n;
	int family;
	int ifindex;		/* 0: every device */
	uint64_t left;		/* events still to print; 0: no end */
	bool done;
};

/* help: on stdout, exit 0; after a bad word: on stderr, exit 2 */
static int usage(bool help)
{
	fprintf(help ? stdout : stderr,
		"Usage: st2110 monitor [ dev DEV ] [ count N ]\n"
		"       st2110 monitor config show\n"
		"       st2110 monitor config set [ rate EVENTS_PER_SEC ] [ burst EVENTS ]\n"
		"Events of sch_st2110 streams: late (a packet past its release time at\n"
		"enqueue; value: lateness ns) and drop (a packet over the class limit;\n"
		"value: class drops so far), frame_cmax and frame_vrx (a video frame whose\n"
		"CINST or VRX at release exceeded CMAX or VRXFULL; value: its peak).\n"
		"One per kind and stream per 100 ms, count\n"
		"says how many it stands for; rate and burst limit them per namespace.\n");
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

static void class_str(char *buf, size_t len, uint32_t id)
{
	snprintf(buf, len, "%x:%x", id >> 16, id & 0xffff);
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
		json_t *o = json_object();

		st2110_json_set(o, "time_ns", st2110_json_u64(t));
		st2110_json_set(o, "dev", json_string(dev));
		st2110_json_set(o, "ifindex", json_integer(ifindex));
		st2110_json_set(o, "class", json_string(cls));
		st2110_json_set(o, "event", what ? json_string(what) : json_integer(type));
		st2110_json_set(o, "value", st2110_json_u64(value));
		if (type != ST2110_EVENT_STREAM_LATE)
			st2110_json_set(o, "limit_pkts", st2110_json_u64(limit));
		st2110_json_set(o, "count", st2110_json_u64(count));
		st2110_json_print(stdout, o, false);
		json_decref(o);
	} else {
		printf("[%" PRIu64 ".%09" PRIu64 "] dev %s class %s ", t / 1000000000,
		       t % 1000000000, dev, cls);
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
	fflush(stdout);
	if (m->left && !--m->left)
		m->done = true;
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int monitor_events(int argc, char **argv)
{
	struct mon m = { .ifindex = 0 };
	const char *dev = NULL;
	struct nl_cb *cb;
	uint64_t v;
	int grp, err, ret = EXIT_OK;
	char *end;

	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			dev = *argv;
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
	if (dev) {
		m.ifindex = (int)if_nametoindex(dev);
		if (!m.ifindex)
			return errorf(EXIT_RUNTIME, "cannot find device \"%s\"", dev);
	}
	ret = open_family(&m.n, &m.family);
	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(m.n.sk, ST2110_GENL_NAME, ST2110_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(m.n.sk, grp) < 0) {
		st2110_nl_close(&m.n);
		return errorf(EXIT_RUNTIME, "cannot join the \"%s\" group of \"%s\"",
			      ST2110_GENL_MCGRP_EVENTS, ST2110_GENL_NAME);
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		st2110_nl_close(&m.n);
		return errorf(EXIT_RUNTIME, "out of memory");
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &m);
	/* events are not answers: no sequence numbers to check */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	while (!m.done) {
		err = nl_recvmsgs(m.n.sk, cb);
		/* a full socket buffer lost events; say so and go on */
		if (err == -NLE_NOMEM) {
			fprintf(stderr, "Warning: events lost (socket buffer full)\n");
			continue;
		}
		if (err < 0) {
			ret = errorf(EXIT_RUNTIME, "reading events: %s", nl_geterror(err));
			break;
		}
	}
	nl_cb_put(cb);
	st2110_nl_close(&m.n);
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
		st2110_json_print(stdout, o, pretty);
		json_decref(o);
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
