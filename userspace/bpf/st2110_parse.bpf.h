/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet parser shared by the XDP program and the tc mirror: finds IPv4/IPv6
 * multicast UDP and fills the lookup key. Works on [data, data_end) so it
 * serves both xdp_md and __sk_buff. Every read is bounds-checked against
 * data_end; anything that cannot be parsed completely is reported, never
 * guessed, and the caller passes it to the stack untouched.
 */
#ifndef ST2110_PARSE_BPF_H
#define ST2110_PARSE_BPF_H

#include <stdbool.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <linux/st2110_xdp.h>

#define ST2110_RTP_HDR_LEN	12
#define ST2110_IP_MF		0x2000
#define ST2110_IP_OFFSET	0x1fff
#define ST2110_PTP_EVENT_PORT	319
#define ST2110_PTP_GENERAL_PORT	320

enum st2110_parse_res {
	ST2110_P_MCAST_UDP,	/* key and payload filled */
	ST2110_P_OTHER,		/* not IP multicast UDP */
	ST2110_P_MALFORMED,	/* truncated or inconsistent */
	ST2110_P_FRAGMENT,	/* multicast UDP that is (maybe) a fragment */
	ST2110_P_UNSUPPORTED,	/* encapsulation we do not walk */
};

struct st2110_pinfo {
	struct st2110_xdp_key key;	/* source = the packet's source */
	void *udp_payload;		/* start of the UDP payload */
	__u32 udp_payload_len;		/* from the UDP length field */
	__u32 frame_len;
};

struct st2110_vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

struct st2110_ipv6_opt_hdr {
	__u8 nexthdr;
	__u8 hdrlen;		/* 8-octet units, not counting the first 8 */
	__u8 type;		/* routing header: routing type */
	__u8 segments_left;	/* routing header only */
};

/*
 * A 16-bit big-endian length the verifier knows is below 2^16: the 6.1
 * verifier forgets the bounds of a byte-swapped or or-ed value, and a
 * length later added to a packet pointer is then rejected as unbounded.
 * The empty asm keeps clang from proving the mask redundant and dropping it.
 */
static __always_inline __u32 st2110_be16_len(const void *p)
{
	__u32 v = bpf_ntohs(*(const __be16 *)p);

	asm volatile("" : "+r"(v));
	return v & 0xffff;
}

static __always_inline bool st2110_eth_is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) ||
	       proto == bpf_htons(ETH_P_8021AD);
}

/* The UDP header sits at l4; validate it against the IP payload length. */
static __always_inline enum st2110_parse_res
st2110_parse_udp(void *l4, void *data_end, __u32 ip_payload_len,
		 struct st2110_pinfo *pkt)
{
	struct udphdr *udp = l4;
	__u32 udp_len;

	if ((void *)(udp + 1) > data_end)
		return ST2110_P_MALFORMED;
	udp_len = st2110_be16_len(&udp->len);
	if (udp_len < sizeof(*udp) || udp_len > ip_payload_len)
		return ST2110_P_MALFORMED;
	/* A frame shorter than its headers claim: truncated on the way. */
	if ((void *)udp + udp_len > data_end)
		return ST2110_P_MALFORMED;
	pkt->key.dport = bpf_ntohs(udp->dest);
	pkt->udp_payload = udp + 1;
	pkt->udp_payload_len = udp_len - sizeof(*udp);
	return ST2110_P_MCAST_UDP;
}

static __always_inline enum st2110_parse_res
st2110_parse_ipv4(void *l3, void *data_end, struct st2110_pinfo *pkt)
{
	struct iphdr *iph = l3;
	__u32 hdr_len, tot_len;

	if ((void *)(iph + 1) > data_end)
		return ST2110_P_MALFORMED;
	if (iph->version != 4 || iph->ihl < 5)
		return ST2110_P_MALFORMED;
	/* 224.0.0.0/4 */
	if ((bpf_ntohl(iph->daddr) & 0xf0000000) != 0xe0000000)
		return ST2110_P_OTHER;
	if (iph->protocol != IPPROTO_UDP)
		return ST2110_P_OTHER;
	/* Only the first fragment has a UDP header; none has the datagram. */
	if (iph->frag_off & bpf_htons(ST2110_IP_MF | ST2110_IP_OFFSET))
		return ST2110_P_FRAGMENT;

	hdr_len = iph->ihl * 4;		/* 20..60: options are skipped */
	tot_len = st2110_be16_len(&iph->tot_len);
	if (tot_len < hdr_len + sizeof(struct udphdr))
		return ST2110_P_MALFORMED;

	pkt->key.family = ST2110_XDP_FAMILY_IPV4;
	pkt->key.group[0] = iph->daddr;
	pkt->key.source[0] = iph->saddr;
	return st2110_parse_udp(l3 + hdr_len, data_end, tot_len - hdr_len, pkt);
}

static __always_inline bool st2110_ipv6_ext_walkable(__u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_DSTOPTS ||
	       nexthdr == IPPROTO_ROUTING;
}

static __always_inline enum st2110_parse_res
st2110_parse_ipv6(void *l3, void *data_end, struct st2110_pinfo *pkt)
{
	struct ipv6hdr *ip6h = l3;
	struct st2110_ipv6_opt_hdr *opt;
	__u32 payload_len, ext_len;
	void *pos;
	__u8 nexthdr;
	int i;

	if ((void *)(ip6h + 1) > data_end)
		return ST2110_P_MALFORMED;
	if (ip6h->version != 6)
		return ST2110_P_MALFORMED;
	if (ip6h->daddr.in6_u.u6_addr8[0] != 0xff)
		return ST2110_P_OTHER;

	/* Zero means a jumbogram: never a 2110 flow, let the stack judge. */
	payload_len = st2110_be16_len(&ip6h->payload_len);
	nexthdr = ip6h->nexthdr;
	pos = ip6h + 1;

#pragma unroll
	for (i = 0; i < ST2110_XDP_IPV6_MAX_EXT_HDRS; i++) {
		if (!st2110_ipv6_ext_walkable(nexthdr))
			break;
		opt = pos;
		if ((void *)(opt + 1) > data_end)
			return ST2110_P_MALFORMED;
		/* A routing header with segments left: not the final group. */
		if (nexthdr == IPPROTO_ROUTING && opt->segments_left)
			return ST2110_P_UNSUPPORTED;
		ext_len = ((__u32)opt->hdrlen + 1) * 8;
		if (ext_len > payload_len)
			return ST2110_P_MALFORMED;
		payload_len -= ext_len;
		nexthdr = opt->nexthdr;
		pos += ext_len;
	}

	if (nexthdr == IPPROTO_FRAGMENT)
		return ST2110_P_FRAGMENT;
	if (nexthdr != IPPROTO_UDP) {
		if (st2110_ipv6_ext_walkable(nexthdr) ||
		    nexthdr == IPPROTO_AH || nexthdr == IPPROTO_ESP)
			return ST2110_P_UNSUPPORTED;
		return ST2110_P_OTHER;
	}

	pkt->key.family = ST2110_XDP_FAMILY_IPV6;
	__builtin_memcpy(pkt->key.group, &ip6h->daddr, 16);
	__builtin_memcpy(pkt->key.source, &ip6h->saddr, 16);
	return st2110_parse_udp(pos, data_end, payload_len, pkt);
}

/*
 * Ethernet and up to ST2110_XDP_MAX_VLAN_TAGS tags: the L3 header and its
 * ethertype, or NULL with *res saying why. Also used to find the IP header
 * again where a forwarded copy is rewritten (the offset is not kept in
 * st2110_pinfo: a per-path constant there would stop the verifier from
 * merging the parser's paths, which tripled the instructions it walks).
 */
static __always_inline void *st2110_l2_skip(void *data, void *data_end, __be16 *proto,
					    enum st2110_parse_res *res)
{
	struct ethhdr *eth = data;
	struct st2110_vlan_hdr *vlan;
	void *pos;
	int i;

	*res = ST2110_P_MALFORMED;
	if ((void *)(eth + 1) > data_end)
		return NULL;
	*proto = eth->h_proto;
	pos = eth + 1;

#pragma unroll
	for (i = 0; i < ST2110_XDP_MAX_VLAN_TAGS; i++) {
		if (!st2110_eth_is_vlan(*proto))
			break;
		vlan = pos;
		if ((void *)(vlan + 1) > data_end)
			return NULL;
		*proto = vlan->encap_proto;
		pos = vlan + 1;
	}
	if (st2110_eth_is_vlan(*proto)) {
		*res = ST2110_P_UNSUPPORTED;
		return NULL;
	}
	return pos;
}

static __always_inline enum st2110_parse_res
st2110_parse(void *data, void *data_end, struct st2110_pinfo *pkt)
{
	enum st2110_parse_res res;
	void *pos;
	__be16 proto;

	__builtin_memset(pkt, 0, sizeof(*pkt));
	pkt->frame_len = data_end - data;

	pos = st2110_l2_skip(data, data_end, &proto, &res);
	if (!pos)
		return res;
	if (proto == bpf_htons(ETH_P_IP))
		return st2110_parse_ipv4(pos, data_end, pkt);
	if (proto == bpf_htons(ETH_P_IPV6))
		return st2110_parse_ipv6(pos, data_end, pkt);
	return ST2110_P_OTHER;
}

/*
 * Groups the flood guard never drops: link-local scope (never routed, carries
 * IGMP/MLD companions, mDNS, LLMNR) and PTP over UDP, which the host's clock
 * depends on.
 */
static __always_inline bool st2110_pkt_is_exempt(const struct st2110_pinfo *pkt)
{
	__u32 g0 = bpf_ntohl(pkt->key.group[0]);

	if (pkt->key.dport == ST2110_PTP_EVENT_PORT ||
	    pkt->key.dport == ST2110_PTP_GENERAL_PORT)
		return true;
	if (pkt->key.family == ST2110_XDP_FAMILY_IPV4)
		return (g0 & 0xffffff00) == 0xe0000000;	/* 224.0.0.0/24 */
	/* ff0X: with scope (low nibble of byte 1) interface- or link-local */
	return ((g0 >> 16) & 0xf) <= 2;
}

#endif /* ST2110_PARSE_BPF_H */
