// SPDX-License-Identifier: GPL-2.0
/*
 * Steering and parsing through BPF_PROG_TEST_RUN: every crafted frame must
 * get the right XDP action, move exactly the counters it should (the global
 * classifying counter and, when routed, its flow's counters), and come out
 * byte for byte as it went in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/bpf.h>
#include <linux/in.h>

#include "xdp_test.h"

enum flow_expect {
	FLOW_NONE,	/* no flow entry may change */
	FLOW_RTP,	/* packets, bytes, rtp_packets +1 */
	FLOW_SHORT,	/* packets, bytes, rtp_short +1 */
	FLOW_BADVER,	/* packets, bytes, rtp_bad_version +1 */
};

struct parse_case {
	const char *name;
	struct pkt_spec spec;
	int trunc;		/* >0: keep this many bytes; <0: cut this many */
	unsigned int pad;	/* zero bytes appended (Ethernet padding) */
	bool unmatched_drop;	/* config before the run */
	__u32 action;
	size_t counter;		/* offsetof() the counter that must go +1 */
	enum flow_expect flow;
};

#define C(f)	offsetof(struct st2110_xdp_counters, f)
#define V4(g)	.src = "10.0.0.9", .dst = g, .payload_len = 100
#define V6(g)	.src = "fd00::9", .dst = g, .payload_len = 100

static const struct parse_case cases[] = {
	/* each action, both families */
	{ "v4 RTP, route pass", { V4("239.1.1.1") }, 0, 0, false, XDP_PASS, C(route_pass), FLOW_RTP },
	{ "v4 RTP, route drop", { V4("239.1.1.2") }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v4 RTP, route redirect", { V4("239.1.1.3") }, 0, 0, false, XDP_REDIRECT, C(route_redirect), FLOW_RTP },
	{ "v4 RTP, route redirect+pass", { V4("239.1.1.4") }, 0, 0, false, XDP_PASS, C(route_redirect_pass), FLOW_RTP },
	{ "v6 RTP, route pass", { V6("ff3e::1") }, 0, 0, false, XDP_PASS, C(route_pass), FLOW_RTP },
	{ "v6 RTP, route drop", { V6("ff3e::2") }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v6 RTP, route redirect", { V6("ff3e::3") }, 0, 0, false, XDP_REDIRECT, C(route_redirect), FLOW_RTP },
	{ "v6 RTP, route redirect+pass", { V6("ff3e::4") }, 0, 0, false, XDP_PASS, C(route_redirect_pass), FLOW_RTP },
	/* source-specific before any-source */
	{ "v4 exact source beats any-source", { .src = "10.0.0.1", .dst = "239.1.1.5" }, 0, 0, false, XDP_PASS, C(route_pass), FLOW_RTP },
	{ "v4 other source takes any-source", { .src = "10.0.0.2", .dst = "239.1.1.5" }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v6 exact source beats any-source", { .src = "fd00::1", .dst = "ff3e::5" }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v6 other source takes any-source", { .src = "fd00::2", .dst = "ff3e::5" }, 0, 0, false, XDP_PASS, C(route_pass), FLOW_RTP },
	/* unmatched multicast and the flood guard */
	{ "v4 routed group, other port: unmatched", { V4("239.1.1.2"), .dport = 5006 }, 0, 0, false, XDP_PASS, C(unmatched_pass), FLOW_NONE },
	{ "v4 unmatched, default pass", { V4("239.9.9.9") }, 0, 0, false, XDP_PASS, C(unmatched_pass), FLOW_NONE },
	{ "v4 unmatched, default drop", { V4("239.9.9.9") }, 0, 0, true, XDP_DROP, C(unmatched_drop), FLOW_NONE },
	{ "v4 link-local group exempt from drop", { V4("224.0.0.251"), .dport = 5353 }, 0, 0, true, XDP_PASS, C(unmatched_exempt), FLOW_NONE },
	{ "v4 PTP event port exempt from drop", { V4("224.0.1.129"), .dport = 319 }, 0, 0, true, XDP_PASS, C(unmatched_exempt), FLOW_NONE },
	{ "v4 PTP general port exempt from drop", { V4("224.0.1.129"), .dport = 320 }, 0, 0, true, XDP_PASS, C(unmatched_exempt), FLOW_NONE },
	{ "v6 link-local group exempt from drop", { V6("ff02::fb"), .dport = 5353 }, 0, 0, true, XDP_PASS, C(unmatched_exempt), FLOW_NONE },
	{ "v6 unmatched, default drop", { V6("ff3e::99") }, 0, 0, true, XDP_DROP, C(unmatched_drop), FLOW_NONE },
	{ "v6 unmatched, default pass", { V6("ff3e::99") }, 0, 0, false, XDP_PASS, C(unmatched_pass), FLOW_NONE },
	/* not multicast UDP: untouched even with default drop */
	{ "v4 unicast UDP", { V4("10.0.0.2") }, 0, 0, true, XDP_PASS, C(not_mcast_udp), FLOW_NONE },
	{ "v6 unicast UDP", { V6("fd00::2") }, 0, 0, true, XDP_PASS, C(not_mcast_udp), FLOW_NONE },
	{ "v4 TCP to a routed group", { V4("239.1.1.2"), .l4_proto = IPPROTO_TCP }, 0, 0, true, XDP_PASS, C(not_mcast_udp), FLOW_NONE },
	{ "v6 ICMPv6 to a routed group", { V6("ff3e::2"), .l4_proto = 58 /* ICMPv6 */ }, 0, 0, true, XDP_PASS, C(not_mcast_udp), FLOW_NONE },
	{ "ARP ethertype", { V4("239.1.1.2"), .eth_type = 0x0806 }, 0, 0, true, XDP_PASS, C(not_mcast_udp), FLOW_NONE },
	/* IPv4 options, fragments, Ethernet padding */
	{ "v4 with 4 bytes of options", { V4("239.1.1.2"), .ipv4_opt_len = 4 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v4 with 40 bytes of options (ihl 15)", { V4("239.1.1.2"), .ipv4_opt_len = 40 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v4 with Ethernet padding after the datagram", { .src = "10.0.0.9", .dst = "239.1.1.2" }, 0, 8, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v4 first fragment (MF) passes", { V4("239.1.1.2"), .ipv4_frag = 0x2000 }, 0, 0, false, XDP_PASS, C(fragments), FLOW_NONE },
	{ "v4 later fragment (offset) passes", { V4("239.1.1.2"), .ipv4_frag = 0x0010 }, 0, 0, false, XDP_PASS, C(fragments), FLOW_NONE },
	{ "v4 DF is not a fragment", { V4("239.1.1.2"), .ipv4_frag = 0x4000 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	/* VLAN */
	{ "v4 802.1Q tagged", { V4("239.1.1.2"), .vlan_tags = 1 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v4 802.1ad + 802.1Q tagged", { V4("239.1.1.2"), .vlan_tags = 2, .vlan_tpid = { 0x88a8, 0x8100 } }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v6 802.1Q tagged", { V6("ff3e::2"), .vlan_tags = 1 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "three VLAN tags pass", { V4("239.1.1.2"), .vlan_tags = 3 }, 0, 0, false, XDP_PASS, C(unsupported), FLOW_NONE },
	/* IPv6 extension headers */
	{ "v6 hop-by-hop then UDP", { V6("ff3e::2"), .ipv6_ext = 1, .ipv6_ext_type = { 0 } }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v6 hop-by-hop, dest opts, routing (SL 0)", { V6("ff3e::2"), .ipv6_ext = 3, .ipv6_ext_type = { 0, 60, 43 } }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	{ "v6 routing header with segments left passes", { V6("ff3e::2"), .ipv6_ext = 1, .ipv6_ext_type = { 43 }, .ipv6_rh_segleft = 1 }, 0, 0, false, XDP_PASS, C(unsupported), FLOW_NONE },
	{ "v6 fragment header passes", { V6("ff3e::2"), .ipv6_ext = 1, .ipv6_ext_type = { 44 } }, 0, 0, false, XDP_PASS, C(fragments), FLOW_NONE },
	{ "v6 four extension headers pass", { V6("ff3e::2"), .ipv6_ext = 4, .ipv6_ext_type = { 0, 60, 60, 60 } }, 0, 0, false, XDP_PASS, C(unsupported), FLOW_NONE },
	{ "v6 AH passes", { V6("ff3e::2"), .ipv6_ext = 1, .ipv6_ext_type = { 51 } }, 0, 0, false, XDP_PASS, C(unsupported), FLOW_NONE },
	/* routed but not RTP: steered by the route, counted as such */
	{ "non-RTP UDP (4 bytes) to a drop route", { V4("239.1.1.2"), .no_rtp = true, .payload_len = 4 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_SHORT },
	{ "non-RTP UDP (4 bytes) to a pass route", { V4("239.1.1.1"), .no_rtp = true, .payload_len = 4 }, 0, 0, false, XDP_PASS, C(route_pass), FLOW_SHORT },
	{ "UDP with RTP version 0 to a drop route", { V4("239.1.1.2"), .rtp_version_set = true, .rtp_version = 0 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_BADVER },
	{ "v6 UDP with RTP version 1 to a drop route", { V6("ff3e::2"), .rtp_version_set = true, .rtp_version = 1 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_BADVER },
	{ "RTP header cut: UDP payload of 11 bytes", { V4("239.1.1.2"), .no_rtp = true, .payload_len = 11 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_SHORT },
	{ "v6 RTP header cut: UDP payload of 8 bytes", { V6("ff3e::2"), .no_rtp = true, .payload_len = 8 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_SHORT },
	{ "UDP payload of exactly an RTP header", { V4("239.1.1.2"), .payload_len = 0 }, 0, 0, false, XDP_DROP, C(route_drop), FLOW_RTP },
	/* truncated and inconsistent headers: passed, never steered */
	{ "Ethernet header only (IPv4 type)", { V4("239.1.1.2") }, 14, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "frame cut inside an 802.1Q tag", { V4("239.1.1.2"), .vlan_tags = 1 }, 16, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "frame cut inside the second tag", { V4("239.1.1.2"), .vlan_tags = 2 }, 20, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv4 header cut at 19 bytes", { V4("239.1.1.2") }, 14 + 19, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv4 options cut", { V4("239.1.1.2"), .ipv4_opt_len = 8 }, 14 + 24, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv4 ihl below 5", { V4("239.1.1.2"), .ipv4_ihl = 4 }, 0, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv4 total length below header + UDP", { V4("239.1.1.2"), .ip_len_adjust = -116 }, 0, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "UDP header cut", { V4("239.1.1.2") }, 14 + 20 + 4, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "UDP length beyond the frame (cut payload)", { V4("239.1.1.2") }, -50, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "UDP cut inside the RTP header", { V4("239.1.1.2") }, 14 + 20 + 8 + 6, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "UDP length below 8", { V4("239.1.1.2"), .udp_len_adjust = -116 }, 0, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "UDP length beyond the IP payload", { V4("239.1.1.2"), .udp_len_adjust = 4 }, 0, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv6 header cut at 39 bytes", { V6("ff3e::2") }, 14 + 39, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv6 hop-by-hop header cut", { V6("ff3e::2"), .ipv6_ext = 1 }, 14 + 40 + 3, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv6 UDP header cut", { V6("ff3e::2") }, 14 + 40 + 6, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv6 payload length short of its ext header", { V6("ff3e::2"), .ipv6_ext = 1, .ip_len_adjust = -124 }, 0, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
	{ "IPv6 jumbogram (payload length 0)", { V6("ff3e::2"), .ip_len_adjust = -120 }, 0, 0, true, XDP_PASS, C(malformed), FLOW_NONE },
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))
#define NR_API_TESTS 12

static struct st2110_xdp *px;
static int lo_ifindex;

struct route_def {
	const char *group;
	const char *source;
	__u32 action;
};

static const struct route_def routes[] = {
	{ "239.1.1.1", NULL, ST2110_XDP_ACT_PASS },
	{ "239.1.1.2", NULL, ST2110_XDP_ACT_DROP },
	{ "239.1.1.3", NULL, ST2110_XDP_ACT_REDIRECT },
	{ "239.1.1.4", NULL, ST2110_XDP_ACT_REDIRECT_PASS },
	{ "239.1.1.5", NULL, ST2110_XDP_ACT_DROP },
	{ "239.1.1.5", "10.0.0.1", ST2110_XDP_ACT_PASS },
	{ "ff3e::1", NULL, ST2110_XDP_ACT_PASS },
	{ "ff3e::2", NULL, ST2110_XDP_ACT_DROP },
	{ "ff3e::3", NULL, ST2110_XDP_ACT_REDIRECT },
	{ "ff3e::4", NULL, ST2110_XDP_ACT_REDIRECT_PASS },
	{ "ff3e::5", NULL, ST2110_XDP_ACT_PASS },
	{ "ff3e::5", "fd00::1", ST2110_XDP_ACT_DROP },
};

unsigned int t_parse_count(void)
{
	return NR_CASES + NR_API_TESTS;
}

static int setup_routes(void)
{
	__u32 port = lo_ifindex;
	size_t i;
	int err;

	err = st2110_xdp_egress_set_ports(px, 1, &port, 1);
	if (err) {
		tap_msg("egress set: %s\n", st2110_xdp_errmsg());
		return err;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		struct st2110_xdp_route r = { .action = routes[i].action,
					      .rtp_clock_hz = 90000 };
		struct st2110_xdp_key k;

		if (r.action == ST2110_XDP_ACT_REDIRECT ||
		    r.action == ST2110_XDP_ACT_REDIRECT_PASS)
			r.egress_set = 1;
		err = st2110_xdp_key_make(&k, routes[i].group, 5004, routes[i].source);
		if (!err)
			err = st2110_xdp_route_add(px, &k, &r);
		if (err) {
			tap_msg("route %s: %s\n", routes[i].group, st2110_xdp_errmsg());
			return err;
		}
	}
	return 0;
}

/* Flow counters of the case's key, zero if absent or not multicast. */
static void flow_of(const struct pkt_spec *s, struct st2110_xdp_flow *f)
{
	struct st2110_xdp_key k;

	memset(f, 0, sizeof(*f));
	if (st2110_xdp_key_make(&k, s->dst, s->dport ? s->dport : 5004, s->src))
		return;
	st2110_xdp_flow_get(px, &k, f);
}

static bool check_flow(const struct parse_case *c, const struct st2110_xdp_flow *a,
		       const struct st2110_xdp_flow *b, size_t len)
{
	__u64 want_pkts = c->flow == FLOW_NONE ? 0 : 1;
	__u64 d_rtp = b->rtp_packets - a->rtp_packets;
	__u64 d_short = b->rtp_short - a->rtp_short;
	__u64 d_badver = b->rtp_bad_version - a->rtp_bad_version;

	if (b->packets - a->packets != want_pkts ||
	    b->bytes - a->bytes != want_pkts * len ||
	    d_rtp != (c->flow == FLOW_RTP) ||
	    d_short != (c->flow == FLOW_SHORT) ||
	    d_badver != (c->flow == FLOW_BADVER)) {
		tap_msg("%s: flow delta packets %llu bytes %llu rtp %llu short %llu badver %llu\n",
			       c->name, (unsigned long long)(b->packets - a->packets),
			       (unsigned long long)(b->bytes - a->bytes),
			       (unsigned long long)d_rtp, (unsigned long long)d_short,
			       (unsigned long long)d_badver);
		return false;
	}
	return true;
}

static void run_case(const struct parse_case *c)
{
	struct st2110_xdp_counters before, after, delta, want = {};
	struct st2110_xdp_flow fa, fb;
	unsigned long long got, exp;
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	const char *field;
	size_t len;
	int err;

	len = pkt_build(&c->spec, frame, sizeof(frame));
	if (!len) {
		tap_fail("%s: bad test frame\n", c->name);
		return;
	}
	if (c->trunc > 0 && (size_t)c->trunc < len)
		len = c->trunc;
	else if (c->trunc < 0)
		len -= -c->trunc;
	memset(frame + len, 0, c->pad);
	len += c->pad;

	if (st2110_xdp_set_unmatched(px, c->unmatched_drop ? ST2110_XDP_ACT_DROP :
							     ST2110_XDP_ACT_PASS) ||
	    st2110_xdp_counters(px, &before)) {
		tap_fail("%s: %s\n", c->name, st2110_xdp_errmsg());
		return;
	}
	flow_of(&c->spec, &fa);
	err = xdp_test_run(st2110_xdp_prog_fd(px), frame, len, NULL, &res);
	if (err) {
		tap_fail("%s: test run: %s\n", c->name, strerror(-err));
		return;
	}
	st2110_xdp_counters(px, &after);
	flow_of(&c->spec, &fb);
	counters_sub(&delta, &after, &before);
	want.rx_packets = 1;
	*(__u64 *)((char *)&want + c->counter) += 1;

	if (res.action != c->action) {
		tap_fail("%s: action %u, want %u\n", c->name, res.action, c->action);
		return;
	}
	field = counters_diff(&delta, &want, &got, &exp);
	if (field) {
		tap_fail("%s: counter %s moved by %llu, want %llu\n",
				      c->name, field, got, exp);
		return;
	}
	if (!check_flow(c, &fa, &fb, len)) {
		tap_fail("%s: flow counters\n", c->name);
		return;
	}
	if (res.out_len != len || memcmp(res.out, frame, len)) {
		tap_fail("%s: frame modified\n", c->name);
		return;
	}
	tap_pass("%s\n", c->name);
}

static unsigned int route_count(void)
{
	struct st2110_xdp_key k, *prev = NULL;
	unsigned int n = 0;

	while (!st2110_xdp_route_next(px, prev, &k)) {
		n++;
		prev = &k;
	}
	return n;
}

static void run_api_tests(void)
{
	struct st2110_xdp_route r = { .action = ST2110_XDP_ACT_DROP }, got;
	unsigned int n0 = route_count(), count;
	struct st2110_xdp_config cfg;
	struct st2110_xdp_key k;
	__u32 ports[4];
	int err;

	err = st2110_xdp_key_make(&k, "10.1.1.1", 5004, NULL);
	tap_result(err == -EINVAL, "api: a unicast group is refused (%d)\n", err);

	st2110_xdp_key_make(&k, "239.3.3.3", 5004, NULL);
	r.action = ST2110_XDP_ACT_REDIRECT;
	r.egress_set = 77;
	err = st2110_xdp_route_add(px, &k, &r);
	tap_result(err == -ENOENT && route_count() == n0,
			 "api: redirect to a missing egress set is refused (%d: %s)\n",
			 err, st2110_xdp_errmsg());

	r.action = 9;
	r.egress_set = 0;
	err = st2110_xdp_route_add(px, &k, &r);
	tap_result(err == -EINVAL && route_count() == n0,
			 "api: an unknown action is refused (%d)\n", err);

	st2110_xdp_key_make(&k, "239.1.1.1", 5004, NULL);
	r.action = ST2110_XDP_ACT_DROP;
	err = st2110_xdp_route_add(px, &k, &r);
	st2110_xdp_route_get(px, &k, &got);
	tap_result(err == -EEXIST && got.action == ST2110_XDP_ACT_PASS,
			 "api: adding an existing route fails and keeps it (%d)\n", err);

	st2110_xdp_key_make(&k, "239.3.3.4", 5004, NULL);
	err = st2110_xdp_route_change(px, &k, &r);
	tap_result(err == -ENOENT && route_count() == n0,
			 "api: changing a missing route fails, creates nothing (%d)\n", err);

	err = st2110_xdp_egress_set_del(px, 1);
	count = 0;
	st2110_xdp_egress_set_get(px, 1, ports, 4, &count);
	tap_result(err == -EBUSY && count == 1 && ports[0] == (__u32)lo_ifindex,
			 "api: deleting an egress set in use fails (%d)\n", err);

	ports[0] = 999999;
	err = st2110_xdp_egress_set_ports(px, 1, ports, 1);
	count = 0;
	st2110_xdp_egress_set_get(px, 1, ports, 4, &count);
	tap_result(err < 0 && count == 1 && ports[0] == (__u32)lo_ifindex,
			 "api: an absent ifindex is refused, set unchanged (%d)\n", err);

	ports[0] = lo_ifindex;
	ports[1] = lo_ifindex;
	err = st2110_xdp_egress_set_ports(px, 2, ports, 2);
	tap_result(err == -EINVAL && st2110_xdp_egress_set_get(px, 2, ports, 4, &count) == -ENOENT,
			 "api: a port listed twice is refused, no set made (%d)\n", err);

	st2110_xdp_set_unmatched(px, ST2110_XDP_ACT_DROP);
	err = st2110_xdp_set_unmatched(px, ST2110_XDP_ACT_REDIRECT);
	st2110_xdp_get_config(px, &cfg);
	tap_result(err == -EINVAL && cfg.unmatched_action == ST2110_XDP_ACT_DROP,
			 "api: unmatched action other than pass/drop refused (%d)\n", err);
	st2110_xdp_set_unmatched(px, ST2110_XDP_ACT_PASS);

	{
		__u32 one = lo_ifindex;

		err = st2110_xdp_egress_set_ports(px, 9, &one, 1);
		err = err ?: st2110_xdp_egress_set_del(px, 9);
		tap_result(!err && st2110_xdp_egress_set_get(px, 9, ports, 4, &count) == -ENOENT,
			   "api: an unused egress set can be deleted (%d)\n", err);
	}

	/* Runs last: the parse cases above left flows behind. */
	{
		struct st2110_xdp_key fk;
		int before = st2110_xdp_flow_next(px, NULL, &fk);

		err = st2110_xdp_flow_del(px, NULL);
		tap_result(!before && !err && st2110_xdp_flow_next(px, NULL, &fk) == -ENOENT,
			   "api: deleting all flows empties the table (%d)\n", err);
	}

	/* A route change is seen by the very next packet. */
	{
		struct pkt_spec s = { V4("239.1.1.1") };
		struct xdp_run a, b;
		__u8 frame[PKT_MAX];
		size_t len = pkt_build(&s, frame, sizeof(frame));

		st2110_xdp_key_make(&k, "239.1.1.1", 5004, NULL);
		xdp_test_run(st2110_xdp_prog_fd(px), frame, len, NULL, &a);
		r.action = ST2110_XDP_ACT_DROP;
		st2110_xdp_route_change(px, &k, &r);
		xdp_test_run(st2110_xdp_prog_fd(px), frame, len, NULL, &b);
		r.action = ST2110_XDP_ACT_PASS;
		err = st2110_xdp_route_change(px, &k, &r);
		tap_result(a.action == XDP_PASS && b.action == XDP_DROP && !err,
				 "api: route change applies to the next packet (%u -> %u)\n",
				 a.action, b.action);
	}
}

void t_parse_run(void)
{
	struct st2110_xdp_opts opts = {};
	unsigned int i;
	int err;

	if (xdp_test_skip_reason) {
		for (i = 0; i < t_parse_count(); i++)
			tap_skip("parse %u: %s\n", i, xdp_test_skip_reason);
		return;
	}
	lo_ifindex = if_nametoindex("lo");
	err = st2110_xdp_load(&opts, &px);
	if (!err)
		err = setup_routes();
	if (err) {
		tap_msg("load: %s\n", st2110_xdp_errmsg());
		for (i = 0; i < t_parse_count(); i++)
			tap_fail("parse %u: setup failed\n", i);
		st2110_xdp_close(px);
		return;
	}
	for (i = 0; i < NR_CASES; i++)
		run_case(&cases[i]);
	run_api_tests();
	st2110_xdp_close(px);
	px = NULL;
}
