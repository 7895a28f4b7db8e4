// SPDX-License-Identifier: GPL-2.0
/*
 * L3 behaviour of forwarded copies through BPF_PROG_TEST_RUN: a redirect
 * route with ST2110_XDP_ROUTE_F_TTL_DEC must hand the devmap a frame whose
 * IPv4 TTL (IPv6 hop limit) is one lower, whose IPv4 header checksum is
 * valid (recomputed here over the whole header, options included), and in
 * which no other byte changed; a frame arriving with TTL 0 or 1 is dropped
 * and counted. Routes without the flag, and redirect+pass (the local copy),
 * leave the frame as it came. The source MAC is written later, by the
 * devmap egress program, which BPF_PROG_TEST_RUN cannot run: the live tests
 * check it on the receivers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/bpf.h>

#include "xdp_test.h"

#define V4(g)	.src = "10.0.0.9", .dst = g, .payload_len = 100
#define V6(g)	.src = "fd00::9", .dst = g, .payload_len = 100
#define F_L3	(ST2110_XDP_ROUTE_F_TTL_DEC | ST2110_XDP_ROUTE_F_SRC_MAC)

struct l3_case {
	const char *name;
	struct pkt_spec spec;
	__u32 action;		/* XDP action expected */
	bool dec;		/* TTL / hop limit one lower on the way out */
	bool expired;		/* ttl_expired + 1 */
};

static const struct l3_case cases[] = {
	{ "v4 TTL 64 -> 63, checksum valid", { V4("239.2.0.1"), .ttl_set = true, .ttl = 64 }, XDP_REDIRECT, true, false },
	{ "v4 TTL 2 -> 1 is still forwarded", { V4("239.2.0.1"), .ttl_set = true, .ttl = 2 }, XDP_REDIRECT, true, false },
	{ "v4 TTL 255 -> 254", { V4("239.2.0.1"), .ttl_set = true, .ttl = 255, .ip_id = 0xffff }, XDP_REDIRECT, true, false },
	{ "v4 TTL 1 is not forwarded", { V4("239.2.0.1"), .ttl_set = true, .ttl = 1 }, XDP_DROP, false, true },
	{ "v4 TTL 0 is not forwarded", { V4("239.2.0.1"), .ttl_set = true, .ttl = 0 }, XDP_DROP, false, true },
	{ "v4 with 40 bytes of options: TTL and checksum", { V4("239.2.0.1"), .ttl_set = true, .ttl = 64, .ipv4_opt_len = 40 }, XDP_REDIRECT, true, false },
	{ "v4 802.1Q tagged: TTL and checksum", { V4("239.2.0.1"), .ttl_set = true, .ttl = 64, .vlan_tags = 1 }, XDP_REDIRECT, true, false },
	{ "v4 802.1ad + 802.1Q + options: TTL and checksum", { V4("239.2.0.1"), .ttl_set = true, .ttl = 9, .vlan_tags = 2, .vlan_tpid = { 0x88a8, 0x8100 }, .ipv4_opt_len = 8 }, XDP_REDIRECT, true, false },
	{ "v4 802.1Q tagged TTL 1 is not forwarded", { V4("239.2.0.1"), .ttl_set = true, .ttl = 1, .vlan_tags = 1 }, XDP_DROP, false, true },
	{ "v6 hop limit 64 -> 63", { V6("ff3e::2:1"), .ttl_set = true, .ttl = 64 }, XDP_REDIRECT, true, false },
	{ "v6 hop limit 1 is not forwarded", { V6("ff3e::2:1"), .ttl_set = true, .ttl = 1 }, XDP_DROP, false, true },
	{ "v6 802.1Q tagged, hop-by-hop header: hop limit", { V6("ff3e::2:1"), .ttl_set = true, .ttl = 2, .vlan_tags = 1, .ipv6_ext = 1 }, XDP_REDIRECT, true, false },
	{ "v4 route without ttl dec: frame unchanged", { V4("239.2.0.2"), .ttl_set = true, .ttl = 1 }, XDP_REDIRECT, false, false },
	{ "v4 redirect+pass: the local copy keeps its TTL", { V4("239.2.0.3"), .ttl_set = true, .ttl = 64 }, XDP_PASS, false, false },
	{ "v6 redirect+pass: the local copy keeps its hop limit", { V6("ff3e::2:3"), .ttl_set = true, .ttl = 1 }, XDP_PASS, false, false },
};

#define NR_CASES	(sizeof(cases) / sizeof(cases[0]))
#define NR_EXTRA	3

static struct st2110_xdp *lx3;

unsigned int t_l3_count(void)
{
	return NR_CASES + NR_EXTRA;
}

static int add_route(const char *group, __u32 action, __u32 flags)
{
	struct st2110_xdp_route r = { .action = action, .egress_set = 1, .flags = flags };
	struct st2110_xdp_key k;
	int err = st2110_xdp_key_make(&k, group, 5004, NULL);

	return err ?: st2110_xdp_route_add(lx3, &k, &r);
}

/* Offset of the IP header: Ethernet + tags. */
static size_t l3_off(const struct pkt_spec *s)
{
	return 14 + 4 * s->vlan_tags;
}

static bool is_v4(const struct pkt_spec *s)
{
	return !strchr(s->dst, ':');
}

/* The frame after the run against the one sent: "" if as expected. */
static const char *check_frame(const struct l3_case *c, const __u8 *in, size_t len,
			       const struct xdp_run *res)
{
	static char why[96];
	size_t off = l3_off(&c->spec), ttl_at, i;
	bool v4 = is_v4(&c->spec);
	__u8 want_ttl;

	if (res->out_len != len)
		return "length changed";
	ttl_at = off + (v4 ? 8 : 7);
	want_ttl = c->dec ? in[ttl_at] - 1 : in[ttl_at];
	if (res->out[ttl_at] != want_ttl) {
		snprintf(why, sizeof(why), "TTL %u, want %u", res->out[ttl_at], want_ttl);
		return why;
	}
	if (v4) {
		size_t hlen = (res->out[off] & 0xf) * 4;
		__u16 sum = ip_csum(res->out + off, hlen);

		if (sum) {
			snprintf(why, sizeof(why), "IPv4 header checksum wrong (sum 0x%04x)", sum);
			return why;
		}
	}
	for (i = 0; i < len; i++) {
		if (i == ttl_at || (v4 && (i == off + 10 || i == off + 11)))
			continue;
		if (res->out[i] != in[i]) {
			snprintf(why, sizeof(why), "byte %zu changed", i);
			return why;
		}
	}
	return "";
}

static void run_case(const struct l3_case *c)
{
	struct st2110_xdp_counters a, b;
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	const char *why;
	size_t len;
	int err;

	len = pkt_build(&c->spec, frame, sizeof(frame));
	if (!len) {
		tap_fail("l3: %s: bad test frame\n", c->name);
		return;
	}
	st2110_xdp_counters(lx3, &a);
	err = xdp_test_run(st2110_xdp_prog_fd(lx3), frame, len, NULL, &res);
	st2110_xdp_counters(lx3, &b);
	if (err) {
		tap_fail("l3: %s: test run: %s\n", c->name, strerror(-err));
		return;
	}
	if (res.action != c->action) {
		tap_fail("l3: %s: action %u, want %u\n", c->name, res.action, c->action);
		return;
	}
	if (b.ttl_expired - a.ttl_expired != c->expired) {
		tap_fail("l3: %s: ttl_expired +%llu\n", c->name,
			 (unsigned long long)(b.ttl_expired - a.ttl_expired));
		return;
	}
	why = check_frame(c, frame, len, &res);
	tap_result(!*why, "l3: %s%s%s\n", c->name, *why ? ": " : "", why);
}

/* Every TTL from 2 to 255 and several header words: the checksum holds. */
static void sweep(void)
{
	struct pkt_spec s = { V4("239.2.0.1"), .ttl_set = true };
	unsigned int ttl, bad = 0, runs = 0;
	static const __u16 ids[] = { 1, 0x2110, 0x7fff, 0xfeff, 0xffff };
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	size_t len, i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (ttl = 2; ttl <= 255; ttl++) {
			s.ttl = ttl;
			s.ip_id = ids[i];
			len = pkt_build(&s, frame, sizeof(frame));
			runs++;
			if (xdp_test_run(st2110_xdp_prog_fd(lx3), frame, len, NULL, &res) ||
			    res.action != XDP_REDIRECT || res.out[14 + 8] != ttl - 1 ||
			    ip_csum(res.out + 14, 20))
				bad++;
		}
	}
	tap_result(!bad, "l3: TTL 2..255 x %zu header variants: every checksum valid (%u of %u wrong)\n",
		   sizeof(ids) / sizeof(ids[0]), bad, runs);
}

static void api_tests(void)
{
	struct st2110_xdp_route r = { .action = ST2110_XDP_ACT_REDIRECT, .egress_set = 1 }, got;
	struct st2110_xdp_key k;
	int err;

	st2110_xdp_key_make(&k, "239.2.0.9", 5004, NULL);
	r.flags = 1U << 7;
	err = st2110_xdp_route_add(lx3, &k, &r);
	tap_result(err == -EINVAL && st2110_xdp_route_get(lx3, &k, &got) == -ENOENT,
		   "l3: api: an unknown route flag is refused, nothing added (%d)\n", err);

	st2110_xdp_key_make(&k, "239.2.0.2", 5004, NULL);
	r.flags = F_L3;
	err = st2110_xdp_route_change(lx3, &k, &r);
	err = err ?: st2110_xdp_route_get(lx3, &k, &got);
	tap_result(!err && got.flags == F_L3,
		   "l3: api: route change sets ttl dec and src-mac (flags 0x%x)\n", got.flags);
	r.flags = 0;
	st2110_xdp_route_change(lx3, &k, &r);
}

void t_l3_run(void)
{
	struct st2110_xdp_opts opts = {};
	__u32 lo;
	unsigned int i;
	int err;

	if (xdp_test_skip_reason) {
		for (i = 0; i < t_l3_count(); i++)
			tap_skip("l3 %u: %s\n", i, xdp_test_skip_reason);
		return;
	}
	lo = if_nametoindex("lo");
	err = st2110_xdp_load(&opts, &lx3);
	err = err ?: st2110_xdp_egress_set_ports(lx3, 1, &lo, 1);
	err = err ?: add_route("239.2.0.1", ST2110_XDP_ACT_REDIRECT, F_L3);
	err = err ?: add_route("ff3e::2:1", ST2110_XDP_ACT_REDIRECT, F_L3);
	err = err ?: add_route("239.2.0.2", ST2110_XDP_ACT_REDIRECT, 0);
	err = err ?: add_route("239.2.0.3", ST2110_XDP_ACT_REDIRECT_PASS, F_L3);
	err = err ?: add_route("ff3e::2:3", ST2110_XDP_ACT_REDIRECT_PASS, F_L3);
	if (err) {
		tap_msg("l3 setup: %s\n", st2110_xdp_errmsg());
		for (i = 0; i < t_l3_count(); i++)
			tap_fail("l3 %u: setup failed\n", i);
		st2110_xdp_close(lx3);
		return;
	}
	for (i = 0; i < NR_CASES; i++)
		run_case(&cases[i]);
	sweep();
	api_tests();
	st2110_xdp_close(lx3);
	lx3 = NULL;
}
