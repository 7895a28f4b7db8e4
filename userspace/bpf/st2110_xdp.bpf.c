// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_xdp - multicast RTP steering and per-flow measurement at XDP.
 *
 * For every frame: parse (st2110_parse.bpf.h); anything that is not complete
 * IPv4/IPv6 multicast UDP is passed untouched. Multicast UDP is looked up in
 * st2110_routes by (group, port, source), then (group, port, any source).
 * A matching flow is measured (st2110_flow.bpf.h) in one entry of
 * st2110_flows shared by all CPUs under a bpf_spin_lock, then the route's
 * action runs:
 *   pass            XDP_PASS
 *   drop            XDP_DROP
 *   redirect        devmap broadcast to the route's egress set, an inner
 *                   DEVMAP_HASH of st2110_egsets, ingress port excluded
 *   redirect+pass   XDP_PASS; the tc program below sends the copies
 * Multicast UDP without a route follows st2110_config.unmatched_action.
 *
 * Steering is by L3/L4 only: a routed packet that is not valid RTP is still
 * steered by its route and only counted as such by the measurement.
 *
 * The maps are laid out in include/uapi/linux/st2110_xdp.h and written by
 * userspace/bpf/xdp_loader.c.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <linux/st2110_xdp.h>

#include "st2110_parse.bpf.h"
#include "st2110_flow.bpf.h"

/* Set by the loader before load: enum st2110_xdp_ts_source. */
const volatile __u32 st2110_ts_source = ST2110_XDP_TS_KTIME_TAI;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ST2110_XDP_MAX_ROUTES);
	__type(key, struct st2110_xdp_key);
	__type(value, struct st2110_xdp_route);
} st2110_routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ST2110_XDP_MAX_FLOWS);
	__type(key, struct st2110_xdp_key);
	__type(value, struct st2110_xdp_flow);
} st2110_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, ST2110_XDP_MAX_EGRESS_SETS);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
		__uint(max_entries, ST2110_XDP_MAX_PORTS);
		/* sizes, not types: clang would emit the value as a FWD */
		__uint(key_size, sizeof(__u32));
		__uint(value_size, sizeof(struct bpf_devmap_val));
	});
} st2110_egsets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ST2110_XDP_MAX_EGRESS_SETS);
	__type(key, __u32);
	__type(value, struct st2110_xdp_egress_ports);
} st2110_egports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st2110_xdp_config);
} st2110_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st2110_xdp_counters);
} st2110_counters SEC(".maps");

/* Loader bookkeeping for detach from another process; unused here. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st2110_xdp_attach_info);
} st2110_info SEC(".maps");

static __always_inline struct st2110_xdp_counters *st2110_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&st2110_counters, &zero);
}

/* Exact source first, then any source; key->source is left as found. */
static __always_inline bool st2110_route_find(const struct st2110_xdp_key *pkt_key,
					      struct st2110_xdp_route *route)
{
	struct st2110_xdp_key key = *pkt_key;
	struct st2110_xdp_route *r;

	r = bpf_map_lookup_elem(&st2110_routes, &key);
	if (!r) {
		__builtin_memset(key.source, 0, sizeof(key.source));
		r = bpf_map_lookup_elem(&st2110_routes, &key);
		if (!r)
			return false;
	}
	/* One copy, so a concurrent update cannot mix two routes. */
	*route = *r;
	return true;
}

static __always_inline __u64 st2110_arrival_ns(struct xdp_md *ctx)
{
	if (st2110_ts_source == ST2110_XDP_TS_META) {
		void *meta = (void *)(long)ctx->data_meta;
		void *data = (void *)(long)ctx->data;

		if (meta + sizeof(__u64) <= data)
			return *(__u64 *)meta;
	}
	return bpf_ktime_get_tai_ns();
}

static __always_inline struct st2110_xdp_flow *
st2110_flow_get(const struct st2110_xdp_key *key, struct st2110_xdp_counters *cnt)
{
	struct st2110_xdp_flow zero = {};
	struct st2110_xdp_flow *f;

	f = bpf_map_lookup_elem(&st2110_flows, key);
	if (f)
		return f;
	/* EEXIST from a CPU that raced us is fine: look up again. */
	bpf_map_update_elem(&st2110_flows, key, &zero, BPF_NOEXIST);
	f = bpf_map_lookup_elem(&st2110_flows, key);
	if (!f)
		cnt->flow_table_full++;
	return f;
}

enum st2110_rtp_kind {
	ST2110_RTP_OK,
	ST2110_RTP_SHORT,
	ST2110_RTP_BAD_VERSION,
};

static __always_inline enum st2110_rtp_kind
st2110_rtp_read(const struct st2110_pkt *pkt, void *data_end, struct st2110_rtp *rtp)
{
	__u8 *h = pkt->udp_payload;

	if (pkt->udp_payload_len < ST2110_RTP_HDR_LEN ||
	    (void *)(h + ST2110_RTP_HDR_LEN) > data_end)
		return ST2110_RTP_SHORT;
	if ((h[0] >> 6) != 2)
		return ST2110_RTP_BAD_VERSION;
	rtp->marker = h[1] >> 7;
	rtp->seq = ((__u16)h[2] << 8) | h[3];
	rtp->ts = ((__u32)h[4] << 24) | ((__u32)h[5] << 16) | ((__u32)h[6] << 8) | h[7];
	rtp->ssrc = ((__u32)h[8] << 24) | ((__u32)h[9] << 16) | ((__u32)h[10] << 8) | h[11];
	return ST2110_RTP_OK;
}

static __always_inline void st2110_measure(struct xdp_md *ctx, const struct st2110_pkt *pkt,
					   const struct st2110_xdp_route *route,
					   struct st2110_xdp_counters *cnt)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct st2110_rtp rtp = {};
	enum st2110_rtp_kind kind;
	struct st2110_xdp_flow *f;
	__u64 now_ns;

	kind = st2110_rtp_read(pkt, data_end, &rtp);
	now_ns = st2110_arrival_ns(ctx);
	f = st2110_flow_get(&pkt->key, cnt);
	if (!f)
		return;

	bpf_spin_lock(&f->lock);
	if (!f->packets)
		f->first_ns = now_ns;
	f->packets += 1;
	f->bytes += pkt->frame_len;
	f->last_ns = now_ns;
	if (kind == ST2110_RTP_SHORT)
		f->rtp_short += 1;
	else if (kind == ST2110_RTP_BAD_VERSION)
		f->rtp_bad_version += 1;
	else
		st2110_flow_rtp(f, &rtp, now_ns, route->rtp_clock_hz);
	bpf_spin_unlock(&f->lock);
}

static __always_inline int st2110_unmatched(const struct st2110_pkt *pkt,
					    struct st2110_xdp_counters *cnt)
{
	struct st2110_xdp_config *cfg;
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&st2110_config, &zero);
	if (!cfg || cfg->unmatched_action != ST2110_XDP_ACT_DROP) {
		cnt->unmatched_pass++;
		return XDP_PASS;
	}
	if (st2110_pkt_is_exempt(pkt)) {
		cnt->unmatched_exempt++;
		return XDP_PASS;
	}
	cnt->unmatched_drop++;
	return XDP_DROP;
}

static __always_inline int st2110_redirect(const struct st2110_xdp_route *route,
					   struct st2110_xdp_counters *cnt)
{
	__u32 set = route->egress_set;
	void *devmap;

	devmap = bpf_map_lookup_elem(&st2110_egsets, &set);
	if (!devmap) {
		cnt->redirect_no_set++;
		return XDP_DROP;
	}
	cnt->route_redirect++;
	return bpf_redirect_map(devmap, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

SEC("xdp")
int st2110_xdp(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct st2110_xdp_counters *cnt;
	struct st2110_xdp_route route;
	struct st2110_pkt pkt;

	cnt = st2110_counters_get();
	if (!cnt)
		return XDP_PASS;
	cnt->rx_packets++;

	switch (st2110_parse(data, data_end, &pkt)) {
	case ST2110_P_MCAST_UDP:
		break;
	case ST2110_P_MALFORMED:
		cnt->malformed++;
		return XDP_PASS;
	case ST2110_P_FRAGMENT:
		cnt->fragments++;
		return XDP_PASS;
	case ST2110_P_UNSUPPORTED:
		cnt->unsupported++;
		return XDP_PASS;
	default:
		cnt->not_mcast_udp++;
		return XDP_PASS;
	}

	if (!st2110_route_find(&pkt.key, &route))
		return st2110_unmatched(&pkt, cnt);

	if (!(route.flags & ST2110_XDP_ROUTE_F_NO_MEASURE))
		st2110_measure(ctx, &pkt, &route, cnt);

	switch (route.action) {
	case ST2110_XDP_ACT_DROP:
		cnt->route_drop++;
		return XDP_DROP;
	case ST2110_XDP_ACT_REDIRECT:
		return st2110_redirect(&route, cnt);
	case ST2110_XDP_ACT_REDIRECT_PASS:
		cnt->route_redirect_pass++;
		return XDP_PASS;
	default:
		cnt->route_pass++;
		return XDP_PASS;
	}
}

/*
 * Redirect-and-pass, second half. XDP cannot clone a frame, so the XDP
 * program passed it; here on clsact ingress the same route is found again
 * and one copy per port of its egress set is sent with bpf_clone_redirect().
 * The original continues to the stack on its own ingress interface, which is
 * what a local receiver's group membership expects. Cost: the copies take
 * the skb path, not XDP's. At tc ingress the stack has usually moved the
 * outer VLAN tag out of the data; the parser copes with either.
 */
SEC("tc")
int st2110_tc_mirror(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct st2110_xdp_egress_ports *ports;
	struct st2110_xdp_counters *cnt;
	struct st2110_xdp_route route;
	struct st2110_pkt pkt;
	__u32 set, ifindex, i;

	if (st2110_parse(data, data_end, &pkt) != ST2110_P_MCAST_UDP)
		return TC_ACT_OK;
	if (!st2110_route_find(&pkt.key, &route) ||
	    route.action != ST2110_XDP_ACT_REDIRECT_PASS)
		return TC_ACT_OK;

	cnt = st2110_counters_get();
	set = route.egress_set;
	ports = bpf_map_lookup_elem(&st2110_egports, &set);
	if (!cnt || !ports)
		return TC_ACT_OK;

	for (i = 0; i < ST2110_XDP_MAX_PORTS; i++) {
		if (i >= ports->count)
			break;
		ifindex = ports->ifindex[i];
		if (ifindex == skb->ingress_ifindex)
			continue;
		if (bpf_clone_redirect(skb, ifindex, 0))
			cnt->tc_mirror_errors++;
		else
			cnt->tc_mirrored++;
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
