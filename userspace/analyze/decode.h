/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decode.h - link layer to RTP, bounds-checked at every step.
 *
 * A frame is Ethernet (with any number of 802.1Q/802.1ad tags up to 4),
 * Linux cooked v1/v2, BSD loopback or raw IP; then IPv4 or IPv6 (extension
 * headers skipped), UDP, RTP version 2.  Anything else lands in one of the
 * counters of struct decode_stats and the packet is skipped.
 */
#ifndef ANALYZE_DECODE_H
#define ANALYZE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

struct addr {
	uint8_t family;		/* 4 or 6, 0 = none */
	uint8_t a[16];		/* IPv4 in the first 4 bytes */
};

enum decode_result {
	DEC_RTP,		/* struct rtp_pkt filled */
	DEC_RTCP,
	DEC_UDP_NOT_RTP,	/* udp fields filled */
	DEC_NOT_IP,
	DEC_NOT_UDP,
	DEC_FRAGMENT,
	DEC_MALFORMED,
	DEC_TRUNCATED,
};

struct rtp_pkt {
	struct addr dst;
	struct addr src;
	uint16_t dport;
	uint16_t sport;
	uint16_t vlan;		/* outer VLAN id + 1, 0 = untagged */
	uint8_t marker;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	/* RTP payload: len is from the UDP header, data only what was captured */
	const uint8_t *payload;
	uint32_t payload_len;
	uint32_t payload_caplen;
};

struct decode_stats {
	uint64_t not_ip;
	uint64_t not_udp;
	uint64_t fragments;
	uint64_t malformed;
	uint64_t truncated;
	uint64_t udp_not_rtp;
	uint64_t rtcp;
	uint64_t rtp;
};

/* DLT_* value accepted by decode_packet(), or false. */
bool decode_linktype_ok(int dlt);
const char *decode_linktype_name(int dlt);

enum decode_result decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
				 struct rtp_pkt *p);
void decode_count(struct decode_stats *st, enum decode_result r);

/* "239.1.1.1" or "ff0e::1" */
void addr_str(const struct addr *a, char *buf, unsigned int len);

#endif /* ANALYZE_DECODE_H */
