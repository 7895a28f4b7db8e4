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

/*
 * The timing core's helpers are "static inline"; clang may keep a large one
 * as a BPF subprogram, and a call is not allowed while a spin lock is held
 * (6.1). Force them inline here, as the kernel's compiler_types.h does.
 */
#define inline inline __attribute__((__always_inline__))
#include <st2110/rx.h>
#undef inline

#include "st2110_parse.bpf.h"
#include "st2110_flow.bpf.h"
#include "st2110_rx.bpf.h"

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

/* Egress sets: an array of DEVMAP_HASH, set -> {ifindex -> bpf_devmap_val}. */
#define ST2110_EGSETS_MAP(name)						\
struct {								\
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);			\
	__uint(max_entries, ST2110_XDP_MAX_EGRESS_SETS);		\
	__type(key, __u32);						\
	__array(values, struct {					\
		__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);			\
		__uint(max_entries, ST2110_XDP_MAX_PORTS);		\
		/* sizes, not types: clang would emit the value as a FWD */ \
		__uint(key_size, sizeof(__u32));			\
		__uint(value_size, sizeof(struct bpf_devmap_val));	\
	});								\
} name SEC(".maps")

ST2110_EGSETS_MAP(st2110_egsets);

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

/* Read schedules for the ST 2110-21 measurement (route.format). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ST2110_XDP_MAX_FORMATS);
	__type(key, __u32);
	__type(value, struct st2110_rx_fmt);
} st2110_formats SEC(".maps");

/* ST 2022-7 merges (route.merge). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ST2110_XDP_MAX_MERGES);
	__type(key, __u32);
	__type(value, struct st2110_xdp_merge);
} st2110_merges SEC(".maps");

/* Switch gates (route.stage_gate_*): 0 free, 1 closed, 2 open. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ST2110_XDP_MAX_GATES);
	__type(key, __u32);
	__type(value, __u32);
} st2110_gates SEC(".maps");

/*
 * A zeroed flow to create entries from: the flow (with its rx state) is too
 * large for the 512-byte BPF stack. Plain words, because the verifier does
 * not let a helper read a value holding a bpf_spin_lock. Never written.
 */
struct st2110_flow_words {
	__u64 w[sizeof(struct st2110_xdp_flow) / sizeof(__u64)];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st2110_flow_words);
} st2110_flow_zero SEC(".maps");

/* Live events (struct st2110_xdp_event), read by "st2110 monitor flows". */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, ST2110_XDP_EVENTS_BYTES);
} st2110_events SEC(".maps");

/* Loader bookkeeping for detach from another process; unused here. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st2110_xdp_attach_info);
} st2110_info SEC(".maps");

/* route flag SRC_MAC: the same egress sets, devmap entries with our egress program */
ST2110_EGSETS_MAP(st2110_egsets_mac);

/* ifindex -> the port's own MAC, for SRC_MAC copies */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ST2110_XDP_MAX_PORT_MACS);
	__type(key, __u32);
	__type(value, struct st2110_xdp_port_mac);
} st2110_port_macs SEC(".maps");

static __always_inline struct st2110_xdp_counters *st2110_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&st2110_counters, &zero);
}

/* Exact source first, then any source. */
static __always_inline struct st2110_xdp_route *
st2110_route_lookup(const struct st2110_xdp_key *pkt_key)
{
	struct st2110_xdp_key key = *pkt_key;
	struct st2110_xdp_route *r;

	r = bpf_map_lookup_elem(&st2110_routes, &key);
	if (!r) {
		__builtin_memset(key.source, 0, sizeof(key.source));
		r = bpf_map_lookup_elem(&st2110_routes, &key);
	}
	return r;
}

static __always_inline bool st2110_route_find(const struct st2110_xdp_key *pkt_key,
					      struct st2110_xdp_route *route)
{
	struct st2110_xdp_route *r = st2110_route_lookup(pkt_key);

	if (!r)
		return false;
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
	/* a constant: the verifier never sees the other branch's helper */
	if (st2110_ts_source == ST2110_XDP_TS_MONO_OFFSET) {
		struct st2110_xdp_config *cfg;
		__u32 zero = 0;

		cfg = bpf_map_lookup_elem(&st2110_config, &zero);
		return bpf_ktime_get_ns() + (cfg ? cfg->mono_to_tai_ns : 0);
	}
	return bpf_ktime_get_tai_ns();
}

static __always_inline struct st2110_xdp_flow *
st2110_flow_get(const struct st2110_xdp_key *key, struct st2110_xdp_counters *cnt)
{
	struct st2110_flow_words *zero;
	struct st2110_xdp_flow *f;
	__u32 idx = 0;

	f = bpf_map_lookup_elem(&st2110_flows, key);
	if (f)
		return f;
	zero = bpf_map_lookup_elem(&st2110_flow_zero, &idx);
	if (!zero)
		return NULL;
	/* EEXIST from a CPU that raced us is fine: look up again. */
	bpf_map_update_elem(&st2110_flows, key, zero, BPF_NOEXIST);
	f = bpf_map_lookup_elem(&st2110_flows, key);
	if (!f)
		cnt->flow_table_full++;
	return f;
}

/*
 * Hold-off of one event kind, under the lock of the entry that holds @s (no
 * helper calls). st2110_ev_add() adds @n occurrences; st2110_ev_due()
 * returns how many the record to write now stands for (0: none to write,
 * held off or nothing pending) and starts the next hold-off.
 */
static __always_inline void st2110_ev_add(struct st2110_xdp_ev_state *s, __u64 n,
					  __u64 value)
{
	if (n) {
		s->pending += n;
		s->value = value;
	}
}

static __always_inline __u64 st2110_ev_due(struct st2110_xdp_ev_state *s, __u64 now_ns)
{
	__u64 n = s->pending;

	if (!n || (s->last_ns && now_ns - s->last_ns < ST2110_XDP_EVENT_HOLDOFF_NS))
		return 0;
	s->pending = 0;
	s->last_ns = now_ns;
	return n;
}

static __always_inline __u64 st2110_ev_hold(struct st2110_xdp_ev_state *s, __u64 n,
					    __u64 value, __u64 now_ns)
{
	st2110_ev_add(s, n, value);
	return st2110_ev_due(s, now_ns);
}

/*
 * Reserve an event record and fill what every kind has; the caller fills
 * the rest and submits. NULL when the ring is full (counted).
 */
static __always_inline struct st2110_xdp_event *
st2110_ev_new(__u32 type, const struct st2110_xdp_key *key, __u64 now_ns,
	      struct st2110_xdp_counters *cnt)
{
	struct st2110_xdp_event *e;

	e = bpf_ringbuf_reserve(&st2110_events, sizeof(*e), 0);
	if (!e) {
		cnt->events_dropped++;
		return NULL;
	}
	cnt->events++;
	/* ring memory is not zeroed: no stale bytes go to the reader */
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->time_ns = now_ns;
	e->key = *key;
	e->count = 1;
	return e;
}

/* A held-off kind's record: count occurrences of value against limit. */
static __always_inline void st2110_ev_count(__u32 type, const struct st2110_xdp_key *key,
					    __u64 now_ns, __u64 count, __u64 value,
					    __u64 limit, __u32 id,
					    struct st2110_xdp_counters *cnt)
{
	struct st2110_xdp_event *e;

	if (!count)
		return;
	e = st2110_ev_new(type, key, now_ns, cnt);
	if (!e)
		return;
	e->value = value;
	e->limit = limit;
	e->count = count;
	e->id = id;
	bpf_ringbuf_submit(e, 0);
}

/*
 * The flow record this packet writes, under the flow's lock: at most one
 * (one ring write per packet keeps the verifier's work down); a kind also
 * due waits for the next packet of the flow.
 */
struct st2110_ev_due {
	__u32 type;		/* 0: none */
	__u64 count, value;
};

static __always_inline void st2110_ev_take(struct st2110_xdp_flow *f, struct st2110_ev_due *due,
					   __u32 type, __u64 now_ns)
{
	struct st2110_xdp_ev_state *s = &f->ev[type - 1];

	if (due->type)
		return;
	due->count = st2110_ev_due(s, now_ns);
	if (due->count) {
		due->type = type;
		due->value = s->value;
	}
}

enum st2110_rtp_kind {
	ST2110_RTP_OK,
	ST2110_RTP_SHORT,
	ST2110_RTP_BAD_VERSION,
};

static __always_inline enum st2110_rtp_kind
st2110_rtp_read(const struct st2110_pinfo *pkt, void *data_end, struct st2110_rtp *rtp)
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
	/* ST 2110-20: ESN, then the first SRD (length, F|row, C|offset) */
	if (pkt->udp_payload_len >= ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN + ST2110_20_SRD_LEN &&
	    (void *)(h + ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN + ST2110_20_SRD_LEN) <= data_end) {
		rtp->has_esn = 1;
		rtp->esn = ((__u16)h[12] << 8) | h[13];
		rtp->field = h[16] >> 7;
	}
	return ST2110_RTP_OK;
}

static __always_inline void st2110_measure(const struct st2110_pinfo *pkt,
					   const struct st2110_xdp_route *route,
					   enum st2110_rtp_kind kind, const struct st2110_rtp *rtp,
					   __u64 now_ns, struct st2110_xdp_counters *cnt)
{
	const struct st2110_rx_fmt *fmt = NULL;
	struct st2110_ev_due due;
	enum st2110_seq_kind seq;
	struct st2110_xdp_flow *f;
	__u32 format = route->format;
	__u64 ext = 0, max, cmax, vrx, gap = 0, over_c = 0, over_v = 0, limit = 0;

	f = st2110_flow_get(&pkt->key, cnt);
	if (!f)
		return;
	if (format && format < ST2110_XDP_MAX_FORMATS) {
		fmt = bpf_map_lookup_elem(&st2110_formats, &format);
		if (fmt && !fmt->valid)
			fmt = NULL;
	}

	bpf_spin_lock(&f->lock);
	if (!f->packets)
		f->first_ns = now_ns;
	f->packets += 1;
	f->bytes += pkt->frame_len;
	f->last_ns = now_ns;
	if (kind == ST2110_RTP_SHORT) {
		f->rtp_short += 1;
	} else if (kind == ST2110_RTP_BAD_VERSION) {
		f->rtp_bad_version += 1;
	} else {
		max = f->ext_seq_max;
		seq = st2110_flow_rtp(f, rtp, now_ns, route->rtp_clock_hz, &ext);
		if (seq == ST2110_SEQ_NEW)
			gap = ext - max - 1;
		/* a rewritten format restarts the measurement */
		if (fmt) {
			cmax = f->rx.frames_over_cmax;
			vrx = f->rx.frames_over_vrx;
			st2110_rx_pkt(&f->rx, format | fmt->gen << 8, fmt, rtp, seq, ext, now_ns);
			/* a restart zeroes them: nothing crossed then */
			if (f->rx.frames_over_cmax > cmax)
				over_c = f->rx.frames_over_cmax - cmax;
			if (f->rx.frames_over_vrx > vrx)
				over_v = f->rx.frames_over_vrx - vrx;
		}
	}
	st2110_ev_add(&f->ev[ST2110_XDP_EVENT_LOSS - 1], gap, f->lost);
	st2110_ev_add(&f->ev[ST2110_XDP_EVENT_OVER_CMAX - 1], over_c, f->rx.cinst);
	st2110_ev_add(&f->ev[ST2110_XDP_EVENT_OVER_VRX - 1], over_v, (__u64)f->rx.vrx);
	/* also on packets without news: they carry what was held off */
	due.type = 0;
	st2110_ev_take(f, &due, ST2110_XDP_EVENT_LOSS, now_ns);
	st2110_ev_take(f, &due, ST2110_XDP_EVENT_OVER_CMAX, now_ns);
	st2110_ev_take(f, &due, ST2110_XDP_EVENT_OVER_VRX, now_ns);
	bpf_spin_unlock(&f->lock);

	/* helpers only after the unlock */
	if (!due.type)
		return;
	if (!fmt)
		limit = 0;
	else if (due.type == ST2110_XDP_EVENT_OVER_CMAX)
		limit = fmt->cmax;
	else if (due.type == ST2110_XDP_EVENT_OVER_VRX)
		limit = fmt->vrx_full;
	st2110_ev_count(due.type, &pkt->key, now_ns, due.count, due.value, limit,
			due.type == ST2110_XDP_EVENT_LOSS ? 0 : format, cnt);
}

static __always_inline void st2110_gate_set(__u32 id, __u32 val)
{
	__u32 *gate;

	if (!id || id >= ST2110_XDP_MAX_GATES)
		return;
	gate = bpf_map_lookup_elem(&st2110_gates, &id);
	if (gate)
		*gate = val;
}

static __always_inline bool st2110_gate_open(__u32 id)
{
	__u32 *gate;

	if (!id)
		return true;
	if (id >= ST2110_XDP_MAX_GATES)
		return false;
	gate = bpf_map_lookup_elem(&st2110_gates, &id);
	return gate && *gate == 2;
}

/*
 * A staged route change (see struct st2110_xdp_route): arm on a marker,
 * apply on the packet after it, or on the timeout. The compare-and-swap
 * makes exactly one CPU apply it; @route is this packet's copy and takes
 * the new action at once.
 */
static __always_inline void st2110_stage(struct st2110_xdp_route *r,
					 struct st2110_xdp_route *route,
					 const struct st2110_xdp_key *key, bool marker,
					 __u64 now_ns, struct st2110_xdp_counters *cnt)
{
	__u64 st = route->stage_state;
	__u64 since = r->stage_since_ns;
	struct st2110_xdp_event *e;
	bool forced;

	if (!since) {
		r->stage_since_ns = now_ns;
		since = now_ns;
	}
	forced = route->stage_timeout_ns && now_ns - since >= route->stage_timeout_ns;
	if (st == ST2110_XDP_STAGE_MARKER || forced) {
		if (__sync_val_compare_and_swap(&r->stage_state, st, ST2110_XDP_STAGE_NONE) != st)
			return;
		e = st2110_ev_new(ST2110_XDP_EVENT_SWITCHED, key, now_ns, cnt);
		if (e) {
			e->flags = st == ST2110_XDP_STAGE_MARKER ? 0 : ST2110_XDP_EVENT_F_FORCED;
			e->old_action = route->action;
			e->old_egress_set = route->egress_set;
			e->new_action = route->stage_action;
			e->new_egress_set = route->stage_egress_set;
			bpf_ringbuf_submit(e, 0);
		}
		r->action = route->stage_action;
		r->egress_set = route->stage_egress_set;
		route->action = route->stage_action;
		route->egress_set = route->stage_egress_set;
		if (st == ST2110_XDP_STAGE_MARKER) {
			__sync_fetch_and_add(&r->switches_clean, 1);
			cnt->switches_clean++;
		} else {
			__sync_fetch_and_add(&r->switches_forced, 1);
			cnt->switches_forced++;
		}
		st2110_gate_set(route->stage_gate_open, 2);
		return;
	}
	if (marker && st == ST2110_XDP_STAGE_ARMED && st2110_gate_open(route->stage_gate_wait))
		__sync_val_compare_and_swap(&r->stage_state, ST2110_XDP_STAGE_ARMED,
					    ST2110_XDP_STAGE_MARKER);
}

/* ST 2022-7: true if this copy is to be dropped. */
static __always_inline bool st2110_merge_drop(const struct st2110_xdp_route *route,
					      const struct st2110_rtp *rtp,
					      const struct st2110_xdp_key *key, __u64 now_ns,
					      struct st2110_xdp_counters *cnt)
{
	struct st2110_xdp_merge *m;
	__u32 id = route->merge, seq32;
	__u64 lost, due, value;
	bool first;

	if (id >= ST2110_XDP_MAX_MERGES)
		return false;
	m = bpf_map_lookup_elem(&st2110_merges, &id);
	if (!m)
		return false;
	seq32 = (m->flags & ST2110_XDP_MERGE_F_ESN) && rtp->has_esn ?
		st2110_seq_ext(rtp->esn, rtp->seq) : rtp->seq;
	bpf_spin_lock(&m->lock);
	lost = m->lost_both;
	first = st2110_merge_pkt(m, route->merge_leg, seq32);
	due = st2110_ev_hold(&m->ev, m->lost_both - lost, m->lost_both, now_ns);
	value = m->ev.value;
	bpf_spin_unlock(&m->lock);
	st2110_ev_count(ST2110_XDP_EVENT_MERGE_LOST, key, now_ns, due, value, 0, id, cnt);
	return !first;
}

static __always_inline int st2110_unmatched(const struct st2110_pinfo *pkt,
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

/*
 * ROUTE_F_TTL_DEC on the frame in place: false if the TTL (hop limit) is 0
 * or 1, so the copy must not be forwarded. IPv4: the header checksum is
 * updated for the one changed 16-bit word (TTL, protocol), RFC 1624 eqn. 3:
 * HC' = ~(~HC + ~m + m'); with m' = m - 0x0100, ~m + m' = 0xfeff.
 */
static __always_inline bool st2110_ttl_dec(struct xdp_md *ctx, const struct st2110_pinfo *pkt)
{
	/*
	 * Fresh packet pointers from ctx: keeping the parser's alive until
	 * here would carry each parse path's checked range to the end and
	 * stop the verifier from pruning (69k -> 187k instructions walked).
	 */
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	enum st2110_parse_res res;
	__be16 proto;
	void *l3 = st2110_l2_skip(data, data_end, &proto, &res);

	if (!l3)
		return false;
	if (pkt->key.family == ST2110_XDP_FAMILY_IPV4) {
		struct iphdr *iph = l3;
		__u32 sum;

		if ((void *)(iph + 1) > data_end || iph->ttl <= 1)
			return false;
		sum = (~bpf_ntohs(iph->check) & 0xffff) + 0xfeff;
		sum = (sum & 0xffff) + (sum >> 16);
		iph->check = bpf_htons(~sum & 0xffff);
		iph->ttl--;
		return true;
	} else {
		struct ipv6hdr *ip6h = l3;

		if ((void *)(ip6h + 1) > data_end || ip6h->hop_limit <= 1)
			return false;
		ip6h->hop_limit--;
		return true;
	}
}

static __always_inline int st2110_redirect(const struct st2110_xdp_route *route,
					   struct st2110_xdp_counters *cnt)
{
	__u32 set = route->egress_set;
	void *devmap;

	if (route->flags & ST2110_XDP_ROUTE_F_SRC_MAC)
		devmap = bpf_map_lookup_elem(&st2110_egsets_mac, &set);
	else
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
	struct st2110_xdp_route route, *r;
	struct st2110_xdp_counters *cnt;
	struct st2110_rtp rtp = {};
	enum st2110_rtp_kind kind;
	struct st2110_pinfo pkt;
	__u64 now_ns = 0;

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

	r = st2110_route_lookup(&pkt.key);
	if (!r)
		return st2110_unmatched(&pkt, cnt);
	/* One copy, so a concurrent update cannot mix two routes. */
	route = *r;

	kind = st2110_rtp_read(&pkt, data_end, &rtp);
	if (!(route.flags & ST2110_XDP_ROUTE_F_NO_MEASURE) ||
	    route.stage_state != ST2110_XDP_STAGE_NONE || route.merge)
		now_ns = st2110_arrival_ns(ctx);
	if (!(route.flags & ST2110_XDP_ROUTE_F_NO_MEASURE))
		st2110_measure(&pkt, &route, kind, &rtp, now_ns, cnt);
	if (route.stage_state != ST2110_XDP_STAGE_NONE)
		st2110_stage(r, &route, &pkt.key, kind == ST2110_RTP_OK && rtp.marker, now_ns, cnt);
	if (route.merge && kind == ST2110_RTP_OK &&
	    st2110_merge_drop(&route, &rtp, &pkt.key, now_ns, cnt)) {
		cnt->merge_dropped++;
		return XDP_DROP;
	}

	switch (route.action) {
	case ST2110_XDP_ACT_DROP:
		cnt->route_drop++;
		return XDP_DROP;
	case ST2110_XDP_ACT_REDIRECT:
		if ((route.flags & ST2110_XDP_ROUTE_F_TTL_DEC) &&
		    !st2110_ttl_dec(ctx, &pkt)) {
			cnt->route_redirect++;
			cnt->ttl_expired++;
			return XDP_DROP;
		}
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
 *
 * L3 flags: a clone is the skb as it is at the call, so TTL (and the
 * checksum) are rewritten before the copies, the source MAC before each
 * copy, and both are put back before the original goes on to the stack.
 */
#define ST2110_IP4_TTL_OFF	8	/* the 16-bit word TTL, protocol */
#define ST2110_IP4_CSUM_OFF	10
#define ST2110_IP6_HLIM_OFF	7
#define ST2110_ETH_SRC_OFF	6

/*
 * dir -1: TTL (hop limit) - 1 and the checksum; dir +1: undo it. 1: done,
 * 0: expired (nothing changed), <0: error. The IP header is found again
 * from fresh pointers each time, so that no per-path offset lives across
 * the copy loop (it multiplied the verifier's walk by the parse paths).
 */
static __always_inline int st2110_tc_ttl(struct __sk_buff *skb, int dir)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	enum st2110_parse_res res;
	__be16 proto;
	void *l3 = st2110_l2_skip(data, data_end, &proto, &res);
	__u32 off;
	__u16 w, nw;
	__u8 h;

	if (!l3)
		return -1;
	off = l3 - data;
	if (proto == bpf_htons(ETH_P_IP)) {
		if (bpf_skb_load_bytes(skb, off + ST2110_IP4_TTL_OFF, &w, 2))
			return -1;
		if (dir < 0 && (bpf_ntohs(w) >> 8) <= 1)
			return 0;
		nw = bpf_htons(bpf_ntohs(w) + (dir < 0 ? -0x0100 : 0x0100));
		if (bpf_l3_csum_replace(skb, off + ST2110_IP4_CSUM_OFF, w, nw, 2) ||
		    bpf_skb_store_bytes(skb, off + ST2110_IP4_TTL_OFF, &nw, 2, 0))
			return -1;
		return 1;
	}
	if (bpf_skb_load_bytes(skb, off + ST2110_IP6_HLIM_OFF, &h, 1))
		return -1;
	if (dir < 0 && h <= 1)
		return 0;
	h = dir < 0 ? h - 1 : h + 1;
	if (bpf_skb_store_bytes(skb, off + ST2110_IP6_HLIM_OFF, &h, 1, 0))
		return -1;
	return 1;
}

/* One copy per port of the set but the ingress; rewrite_mac: a constant. */
static __always_inline void st2110_tc_copies(struct __sk_buff *skb,
					     const struct st2110_xdp_egress_ports *ports,
					     struct st2110_xdp_counters *cnt, const __u8 *src,
					     bool rewrite_mac)
{
	struct st2110_xdp_port_mac *mac;
	__u32 ifindex, i;

	for (i = 0; i < ST2110_XDP_MAX_PORTS; i++) {
		if (i >= ports->count)
			break;
		ifindex = ports->ifindex[i];
		if (ifindex == skb->ingress_ifindex)
			continue;
		if (rewrite_mac) {
			mac = bpf_map_lookup_elem(&st2110_port_macs, &ifindex);
			if (!mac)
				cnt->src_mac_missing++;
			bpf_skb_store_bytes(skb, ST2110_ETH_SRC_OFF, mac ? mac->addr : src, 6, 0);
		}
		if (bpf_clone_redirect(skb, ifindex, 0))
			cnt->tc_mirror_errors++;
		else
			cnt->tc_mirrored++;
	}
}

SEC("tc")
int st2110_tc_mirror(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct st2110_xdp_egress_ports *ports;
	struct st2110_xdp_counters *cnt;
	struct st2110_xdp_route route;
	struct st2110_pinfo pkt;
	__u32 set;
	__u8 src[6];
	bool ttl = false, rewrite_mac;

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

	if (route.flags & ST2110_XDP_ROUTE_F_TTL_DEC) {
		int r = st2110_tc_ttl(skb, -1);

		if (r == 0) {
			cnt->ttl_expired++;
			return TC_ACT_OK;
		}
		if (r < 0) {
			cnt->tc_mirror_errors++;
			return TC_ACT_OK;
		}
		ttl = true;
	}
	rewrite_mac = route.flags & ST2110_XDP_ROUTE_F_SRC_MAC;
	if (rewrite_mac && bpf_skb_load_bytes(skb, ST2110_ETH_SRC_OFF, src, 6))
		rewrite_mac = false;

	/* specialised twice, so the verifier never carries the flag around the loop */
	if (rewrite_mac)
		st2110_tc_copies(skb, ports, cnt, src, true);
	else
		st2110_tc_copies(skb, ports, cnt, src, false);
	/* the original goes on to the local stack as it came */
	if (rewrite_mac)
		bpf_skb_store_bytes(skb, ST2110_ETH_SRC_OFF, src, 6, 0);
	if (ttl)
		st2110_tc_ttl(skb, 1);
	return TC_ACT_OK;
}

/*
 * Devmap egress program (bpf_devmap_val.bpf_prog of every entry of
 * egress_sets_mac): runs on each copy of an SRC_MAC route as it leaves for
 * its port and writes that port's own MAC as the source. The destination
 * (the group's MAC) is kept.
 */
SEC("xdp/devmap")
int st2110_devmap_mac(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct st2110_xdp_port_mac *mac;
	struct st2110_xdp_counters *cnt;
	struct ethhdr *eth = data;
	__u32 ifindex = ctx->egress_ifindex;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	mac = bpf_map_lookup_elem(&st2110_port_macs, &ifindex);
	if (!mac) {
		cnt = st2110_counters_get();
		if (cnt)
			cnt->src_mac_missing++;
		return XDP_PASS;
	}
	__builtin_memcpy(eth->h_source, mac->addr, ETH_ALEN);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
