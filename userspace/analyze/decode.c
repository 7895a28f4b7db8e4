// SPDX-License-Identifier: GPL-2.0
/* decode.c - link layer to RTP (see decode.h). */
#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <string.h>

#include "decode.h"

#define ETH_P_IPV4	0x0800
#define ETH_P_IPV6	0x86dd
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8
#define ETH_P_QINQ_OLD	0x9100
#define MAX_VLAN_TAGS	4

#define IPPROTO_UDP_	17

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool decode_linktype_ok(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	}
	return false;
}

const char *decode_linktype_name(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:	return "ethernet";
	case DLT_LINUX_SLL:	return "linux-sll";
	case DLT_LINUX_SLL2:	return "linux-sll2";
	case DLT_RAW:		return "raw-ip";
	case DLT_IPV4:		return "raw-ipv4";
	case DLT_IPV6:		return "raw-ipv6";
	case DLT_NULL:		return "bsd-null";
	case DLT_LOOP:		return "bsd-loop";
	}
	return "unsupported";
}

/* UDP datagram [p, p + len), len from the IP header, cap bytes captured. */
static enum decode_result decode_udp(const uint8_t *p, uint32_t len, uint32_t cap,
				     struct rtp_pkt *r)
{
	uint32_t udp_len, off, cc, pad = 0;
	const uint8_t *rtp;

	if (cap < 8)
		return len < 8 ? DEC_MALFORMED : DEC_TRUNCATED;
	udp_len = rd16(p + 4);
	if (udp_len < 8 || udp_len > len)
		return DEC_MALFORMED;
	r->sport = rd16(p);
	r->dport = rd16(p + 2);
	len = udp_len - 8;
	cap = cap - 8 < len ? cap - 8 : len;
	rtp = p + 8;
	if (len < 12)
		return DEC_UDP_NOT_RTP;
	if (cap < 12)
		return DEC_TRUNCATED;
	if ((rtp[0] >> 6) != 2)
		return DEC_UDP_NOT_RTP;
	/* RTCP shares version 2: SR..APP are payload types 200..204 with the M bit */
	if (rtp[1] >= 200 && rtp[1] <= 204)
		return DEC_RTCP;
	cc = rtp[0] & 0x0f;
	off = 12 + 4 * cc;
	if (rtp[0] & 0x10) {		/* header extension */
		if (off + 4 > len)
			return DEC_MALFORMED;
		if (off + 4 > cap)
			return DEC_TRUNCATED;
		off += 4 + 4 * (uint32_t)rd16(rtp + off + 2);
	}
	if (off > len)
		return DEC_MALFORMED;
	if ((rtp[0] & 0x20) && cap == len) {	/* padding: count in the last byte */
		pad = rtp[len - 1];
		if (!pad || off + pad > len)
			return DEC_MALFORMED;
	}
	r->marker = rtp[1] >> 7;
	r->pt = rtp[1] & 0x7f;
	r->seq = rd16(rtp + 2);
	r->ts = rd32(rtp + 4);
	r->ssrc = rd32(rtp + 8);
	r->payload = rtp + off;
	r->payload_len = len - off - pad;
	r->payload_caplen = cap > off ? cap - off : 0;
	if (r->payload_caplen > r->payload_len)
		r->payload_caplen = r->payload_len;
	return DEC_RTP;
}

static enum decode_result decode_ipv4(const uint8_t *p, uint32_t cap, struct rtp_pkt *r)
{
	uint32_t ihl, tot;

	if (cap < 20)
		return DEC_TRUNCATED;
	if ((p[0] >> 4) != 4)
		return DEC_MALFORMED;
	ihl = (p[0] & 0x0f) * 4u;
	tot = rd16(p + 2);
	if (ihl < 20 || tot < ihl)
		return DEC_MALFORMED;
	if (cap < ihl)
		return DEC_TRUNCATED;
	/* receivers need not reassemble (ST 2110-10): count and skip */
	if (rd16(p + 6) & 0x3fff)
		return DEC_FRAGMENT;
	if (p[9] != IPPROTO_UDP_)
		return DEC_NOT_UDP;
	r->src.family = r->dst.family = 4;
	memset(r->src.a, 0, sizeof(r->src.a));
	memset(r->dst.a, 0, sizeof(r->dst.a));
	memcpy(r->src.a, p + 12, 4);
	memcpy(r->dst.a, p + 16, 4);
	cap = cap < tot ? cap : tot;	/* drop Ethernet padding */
	return decode_udp(p + ihl, tot - ihl, cap - ihl, r);
}

static enum decode_result decode_ipv6(const uint8_t *p, uint32_t cap, struct rtp_pkt *r)
{
	uint32_t len, off = 40, hlen;
	uint8_t nh;
	int i;

	if (cap < 40)
		return DEC_TRUNCATED;
	if ((p[0] >> 4) != 6)
		return DEC_MALFORMED;
	len = 40 + rd16(p + 4);		/* jumbograms (payload length 0) are not media */
	nh = p[6];
	r->src.family = r->dst.family = 6;
	memcpy(r->src.a, p + 8, 16);
	memcpy(r->dst.a, p + 24, 16);
	for (i = 0; i < 8 && nh != IPPROTO_UDP_; i++) {
		if (off + 8 > len)
			return DEC_MALFORMED;
		if (off + 8 > cap)
			return DEC_TRUNCATED;
		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			hlen = (p[off + 1] + 1u) * 8;
			break;
		case 44:	/* fragment */
			if (rd16(p + off + 2) & 0xfff9)
				return DEC_FRAGMENT;
			hlen = 8;	/* atomic fragment: the datagram is whole */
			break;
		case 51:	/* AH */
			hlen = (p[off + 1] + 2u) * 4;
			break;
		default:
			return DEC_NOT_UDP;
		}
		nh = p[off];
		off += hlen;
	}
	if (nh != IPPROTO_UDP_)
		return DEC_NOT_UDP;
	if (off > len)
		return DEC_MALFORMED;
	if (off > cap)
		return DEC_TRUNCATED;
	cap = cap < len ? cap : len;
	return decode_udp(p + off, len - off, cap - off, r);
}

static enum decode_result decode_ethertype(uint16_t type, const uint8_t *p, uint32_t cap,
					   struct rtp_pkt *r)
{
	int tags = 0;

	while (type == ETH_P_8021Q || type == ETH_P_8021AD || type == ETH_P_QINQ_OLD) {
		if (++tags > MAX_VLAN_TAGS)
			return DEC_MALFORMED;
		if (cap < 4)
			return DEC_TRUNCATED;
		if (!r->vlan)
			r->vlan = (uint16_t)((rd16(p) & 0x0fff) + 1);
		type = rd16(p + 2);
		p += 4;
		cap -= 4;
	}
	if (type == ETH_P_IPV4)
		return decode_ipv4(p, cap, r);
	if (type == ETH_P_IPV6)
		return decode_ipv6(p, cap, r);
	return DEC_NOT_IP;
}

static enum decode_result decode_raw_ip(const uint8_t *p, uint32_t cap, struct rtp_pkt *r)
{
	if (cap < 1)
		return DEC_TRUNCATED;
	if ((p[0] >> 4) == 4)
		return decode_ipv4(p, cap, r);
	if ((p[0] >> 4) == 6)
		return decode_ipv6(p, cap, r);
	return DEC_NOT_IP;
}

enum decode_result decode_packet(int dlt, const uint8_t *d, uint32_t cap, struct rtp_pkt *r)
{
	uint32_t af;

	r->vlan = 0;
	switch (dlt) {
	case DLT_EN10MB:
		if (cap < 14)
			return DEC_TRUNCATED;
		return decode_ethertype(rd16(d + 12), d + 14, cap - 14, r);
	case DLT_LINUX_SLL:	/* 16 bytes: type, arphrd, addr len, addr[8], protocol */
		if (cap < 16)
			return DEC_TRUNCATED;
		return decode_ethertype(rd16(d + 14), d + 16, cap - 16, r);
	case DLT_LINUX_SLL2:	/* 20 bytes: protocol first */
		if (cap < 20)
			return DEC_TRUNCATED;
		return decode_ethertype(rd16(d), d + 20, cap - 20, r);
	case DLT_RAW:
		return decode_raw_ip(d, cap, r);
	case DLT_IPV4:
		return decode_ipv4(d, cap, r);
	case DLT_IPV6:
		return decode_ipv6(d, cap, r);
	case DLT_NULL:		/* 4-byte address family, host byte order of the writer */
	case DLT_LOOP:		/* same, network byte order */
		if (cap < 4)
			return DEC_TRUNCATED;
		af = dlt == DLT_LOOP ? rd32(d) : (uint32_t)(d[0] | d[1] << 8 | d[2] << 16 | (uint32_t)d[3] << 24);
		if (dlt == DLT_NULL && af > 0xffff)
			af = rd32(d);		/* written on a big-endian host */
		if (af == 2)
			return decode_ipv4(d + 4, cap - 4, r);
		if (af == 10 || af == 24 || af == 28 || af == 30)
			return decode_ipv6(d + 4, cap - 4, r);
		return DEC_NOT_IP;
	}
	return DEC_NOT_IP;
}

void decode_count(struct decode_stats *st, enum decode_result r)
{
	switch (r) {
	case DEC_RTP:		st->rtp++; break;
	case DEC_RTCP:		st->rtcp++; break;
	case DEC_UDP_NOT_RTP:	st->udp_not_rtp++; break;
	case DEC_NOT_IP:	st->not_ip++; break;
	case DEC_NOT_UDP:	st->not_udp++; break;
	case DEC_FRAGMENT:	st->fragments++; break;
	case DEC_MALFORMED:	st->malformed++; break;
	case DEC_TRUNCATED:	st->truncated++; break;
	}
}

void addr_str(const struct addr *a, char *buf, unsigned int len)
{
	if (a->family == 4)
		inet_ntop(AF_INET, a->a, buf, len);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->a, buf, len);
	else if (len)
		buf[0] = '\0';
}
