/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capw.h - capture writer for the st2110-analyze tests.
 *
 * Writes pcap (ns or µs magic) or pcapng (if_tsresol 9) by hand, so the
 * tests need nothing but libc, and builds UDP frames on the link types
 * the analyzer reads: Ethernet (optionally 802.1Q or QinQ tagged), Linux
 * cooked v1/v2 and raw IP, over IPv4 or IPv6.
 */
#ifndef ANALYZE_TEST_CAPW_H
#define ANALYZE_TEST_CAPW_H

#include <stdint.h>
#include <stdio.h>

enum capw_link { CAPW_ETH, CAPW_SLL, CAPW_SLL2, CAPW_RAW };

struct capw_opts {
	int link;		/* enum capw_link */
	int vlan_tags;		/* Ethernet: 0, 1 (802.1Q 100) or 2 (802.1ad 200 + 802.1Q 100) */
	int ipv6;
	int usec;		/* pcap with the µs magic (timestamps truncated) */
	int pcapng;
	int swapped;		/* written in the other byte order */
	uint32_t snaplen;	/* bytes kept per frame, 0 = all */
};

struct capw {
	FILE *f;
	struct capw_opts o;
	uint64_t records;
};

struct flow {
	uint8_t src4[4], dst4[4];
	uint8_t src6[16], dst6[16];
	uint16_t sport, dport;
};

int capw_open(struct capw *w, const char *path, const struct capw_opts *o);
/* One UDP datagram carrying payload[0..len) at t_ns. */
void capw_udp(struct capw *w, uint64_t t_ns, const struct flow *fl,
	      const uint8_t *payload, uint32_t len);
/* An arbitrary link-layer frame (garbage tests). */
void capw_frame(struct capw *w, uint64_t t_ns, const uint8_t *frame, uint32_t len,
		uint32_t wire_len);
int capw_close(struct capw *w);

/* The timestamp the file really holds for t_ns (µs files truncate). */
uint64_t capw_stored_ns(const struct capw_opts *o, uint64_t t_ns);

#endif /* ANALYZE_TEST_CAPW_H */
