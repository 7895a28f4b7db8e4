// SPDX-License-Identifier: GPL-2.0
/* Frame builder and BPF_PROG_TEST_RUN wrapper for the XDP selftests. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdp_test.h"

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(__u8 *p, __u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

__u16 ip_csum(const __u8 *p, size_t len)
{
	__u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Ethernet multicast MAC for the group, unicast-looking MAC otherwise. */
static void eth_dst(__u8 *mac, int af, const __u8 *dst)
{
	if (af == AF_INET && (dst[0] & 0xf0) == 0xe0) {
		mac[0] = 0x01, mac[1] = 0x00, mac[2] = 0x5e;
		mac[3] = dst[1] & 0x7f, mac[4] = dst[2], mac[5] = dst[3];
	} else if (af == AF_INET6 && dst[0] == 0xff) {
		mac[0] = 0x33, mac[1] = 0x33;
		memcpy(mac + 2, dst + 12, 4);
	} else {
		memcpy(mac, "\x02\x00\x00\x00\x00\x02", 6);
	}
}

static size_t put_l4(const struct pkt_spec *s, __u8 *p, size_t cap)
{
	size_t rtp_len = s->no_rtp ? 0 : 12;
	size_t len = sizeof(struct udphdr) + rtp_len + s->payload_len;
	__u8 *r = p + sizeof(struct udphdr);

	if (len > cap)
		return 0;
	memset(p, 0, len);
	put16(p, s->sport ? s->sport : 40000);
	put16(p + 2, s->dport ? s->dport : 5004);
	put16(p + 4, (__u16)(len + s->udp_len_adjust));
	if (!s->no_rtp) {
		__u8 v = s->rtp_version_set ? s->rtp_version : 2;

		r[0] = v << 6;
		r[1] = (s->marker ? 0x80 : 0) | 96;
		put16(r + 2, s->seq);
		put32(r + 4, s->ts);
		put32(r + 8, s->ssrc);
	}
	return len;
}

static size_t put_ipv4(const struct pkt_spec *s, __u8 *p, size_t cap,
		       const __u8 *src, const __u8 *dst)
{
	size_t hlen = 20 + s->ipv4_opt_len, l4;
	__u8 proto = s->l4_proto ? s->l4_proto : IPPROTO_UDP;

	if (hlen > 60 || hlen > cap)
		return 0;
	memset(p, 0, hlen);
	/* NOP options: any option bytes will do, the parser skips them. */
	memset(p + 20, 1, s->ipv4_opt_len);
	l4 = put_l4(s, p + hlen, cap - hlen);
	if (!l4)
		return 0;
	p[0] = 0x40 | (s->ipv4_ihl ? s->ipv4_ihl : hlen / 4);
	put16(p + 2, (__u16)(hlen + l4 + s->ip_len_adjust));
	put16(p + 4, s->ip_id ? s->ip_id : 0x2110);
	put16(p + 6, s->ipv4_frag);
	p[8] = s->ttl_set ? s->ttl : 16;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put16(p + 10, ip_csum(p, hlen));
	return hlen + l4;
}

static size_t put_ipv6(const struct pkt_spec *s, __u8 *p, size_t cap,
		       const __u8 *src, const __u8 *dst)
{
	__u8 proto = s->l4_proto ? s->l4_proto : IPPROTO_UDP;
	size_t off = 40, l4;
	__u8 *next = p + 6;
	unsigned int i;

	if (cap < 40 || s->ipv6_ext > PKT_MAX_EXT)
		return 0;
	memset(p, 0, 40);
	p[0] = 0x60;
	p[7] = s->ttl_set ? s->ttl : 16;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	/* Each extension header is 8 bytes (hdrlen 0) except this one: 16. */
	for (i = 0; i < s->ipv6_ext; i++) {
		size_t elen = i == 1 ? 16 : 8;

		if (off + elen > cap)
			return 0;
		*next = s->ipv6_ext_type[i];
		memset(p + off, 0, elen);
		p[off + 1] = elen / 8 - 1;
		if (s->ipv6_ext_type[i] == IPPROTO_ROUTING)
			p[off + 3] = s->ipv6_rh_segleft;
		if (s->ipv6_ext_type[i] == IPPROTO_AH)
			p[off + 1] = elen / 4 - 2;	/* AH counts 4-byte units */
		next = p + off;
		off += elen;
	}
	*next = proto;
	l4 = put_l4(s, p + off, cap - off);
	if (!l4)
		return 0;
	put16(p + 4, (__u16)(off - 40 + l4 + s->ip_len_adjust));
	return off + l4;
}

size_t pkt_build(const struct pkt_spec *s, __u8 *buf, size_t cap)
{
	__u8 src[16] = {}, dst[16] = {};
	size_t off = 12, l3;
	unsigned int i;
	int af;

	if (inet_pton(AF_INET, s->dst, dst) == 1)
		af = AF_INET;
	else if (inet_pton(AF_INET6, s->dst, dst) == 1)
		af = AF_INET6;
	else
		return 0;
	if (inet_pton(af, s->src, src) != 1 || s->vlan_tags > PKT_MAX_VLAN || cap < 64)
		return 0;

	eth_dst(buf, af, dst);
	memcpy(buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
	for (i = 0; i < s->vlan_tags; i++) {
		put16(buf + off, s->vlan_tpid[i] ? s->vlan_tpid[i] : ETH_P_8021Q);
		put16(buf + off + 2, 100 + i);
		off += 4;
	}
	put16(buf + off, s->eth_type ? s->eth_type : af == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	off += 2;
	if (af == AF_INET)
		l3 = put_ipv4(s, buf + off, cap - off, src, dst);
	else
		l3 = put_ipv6(s, buf + off, cap - off, src, dst);
	return l3 ? off + l3 : 0;
}

int xdp_test_run(int prog_fd, const void *frame, size_t len, const __u64 *meta_ts,
		 struct xdp_run *res)
{
	__u8 in[PKT_MAX + 8];
	struct xdp_md ctx = {};
	size_t meta = meta_ts ? sizeof(*meta_ts) : 0;
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err;

	if (len > PKT_MAX)
		return -E2BIG;
	if (meta)
		memcpy(in, meta_ts, meta);
	memcpy(in + meta, frame, len);
	opts.data_in = in;
	opts.data_size_in = meta + len;
	opts.data_out = res->out;
	opts.data_size_out = sizeof(res->out);
	if (meta) {
		ctx.data = meta;
		ctx.data_end = meta + len;
		opts.ctx_in = &ctx;
		opts.ctx_size_in = sizeof(ctx);
	}
	opts.repeat = 1;
	err = bpf_prog_test_run_opts(prog_fd, &opts);
	if (err)
		return -errno;
	res->action = opts.retval;
	res->out_len = opts.data_size_out;
	return 0;
}

void counters_sub(struct st2110_xdp_counters *d, const struct st2110_xdp_counters *a,
		  const struct st2110_xdp_counters *b)
{
	const __u64 *pa = (const __u64 *)a, *pb = (const __u64 *)b;
	__u64 *pd = (__u64 *)d;
	size_t i;

	for (i = 0; i < sizeof(*d) / sizeof(__u64); i++)
		pd[i] = pa[i] - pb[i];
}

static const char *const counter_names[] = {
	"rx_packets", "not_mcast_udp", "malformed", "fragments", "unsupported",
	"unmatched_pass", "unmatched_drop", "unmatched_exempt", "route_pass",
	"route_drop", "route_redirect", "route_redirect_pass", "redirect_no_set",
	"flow_table_full", "tc_mirrored", "tc_mirror_errors", "switches_clean",
	"switches_forced", "merge_dropped", "ttl_expired", "src_mac_missing",
	"events", "events_dropped",
};

_Static_assert(sizeof(counter_names) / sizeof(counter_names[0]) ==
	       sizeof(struct st2110_xdp_counters) / sizeof(__u64), "counter names");

const char *counters_diff(const struct st2110_xdp_counters *a,
			  const struct st2110_xdp_counters *b,
			  unsigned long long *got, unsigned long long *want)
{
	const __u64 *pa = (const __u64 *)a, *pb = (const __u64 *)b;
	size_t i;

	for (i = 0; i < sizeof(*a) / sizeof(__u64); i++) {
		if (pa[i] != pb[i]) {
			*got = pa[i];
			*want = pb[i];
			return counter_names[i];
		}
	}
	return NULL;
}

static int ev_collect(void *ctx, void *data, size_t len)
{
	struct ev_log *l = ctx;

	if (len != sizeof(struct st2110_xdp_event))
		l->bad_len++;
	else if (l->n < EV_LOG_MAX)
		memcpy(&l->e[l->n++], data, sizeof(struct st2110_xdp_event));
	else
		l->overflow++;
	return 0;
}

int ev_drain(const struct st2110_xdp *x, struct ev_log *l)
{
	struct ring_buffer *rb;
	int fd = st2110_xdp_events_fd(x), n;

	memset(l, 0, sizeof(*l));
	if (fd < 0)
		return fd;
	rb = ring_buffer__new(fd, ev_collect, l, NULL);
	if (!rb)
		return -errno;
	n = ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return n < 0 ? n : 0;
}

void ev_sum(const struct ev_log *l, __u32 type, const struct st2110_xdp_key *key,
	    struct ev_stats *s)
{
	unsigned int i;
	__u64 prev = 0;

	memset(s, 0, sizeof(*s));
	s->min_gap_ns = ~0ULL;
	for (i = 0; i < l->n; i++) {
		const struct st2110_xdp_event *e = &l->e[i];

		if (e->type != type || (key && memcmp(&e->key, key, sizeof(*key))))
			continue;
		if (s->records && e->time_ns - prev < s->min_gap_ns)
			s->min_gap_ns = e->time_ns - prev;
		prev = e->time_ns;
		s->records++;
		s->count += e->count;
		s->last = *e;
	}
}
