/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the ST 2110 XDP selftests: packet builder, test-run wrapper. */
#ifndef ST2110_XDP_TEST_H
#define ST2110_XDP_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "xdp_loader.h"

#define PKT_MAX		2048
#define PKT_MAX_VLAN	3
#define PKT_MAX_EXT	4

/* What to put in a test frame. Zero fields take the defaults noted. */
struct pkt_spec {
	const char *src;		/* text; family taken from dst */
	const char *dst;
	__u16 sport;			/* 0: 40000 */
	__u16 dport;			/* 0: 5004 */
	__u16 eth_type;			/* 0: from the address family */
	unsigned int vlan_tags;		/* 0..PKT_MAX_VLAN */
	__u16 vlan_tpid[PKT_MAX_VLAN];	/* 0: 0x8100 */
	unsigned int ipv4_opt_len;	/* bytes of IPv4 options, multiple of 4 */
	unsigned int ipv4_ihl;		/* 0: from the options; else forced */
	__u16 ipv4_frag;		/* raw frag_off field, host order */
	__u8 l4_proto;			/* 0: UDP */
	unsigned int ipv6_ext;		/* extension headers before UDP */
	__u8 ipv6_ext_type[PKT_MAX_EXT];/* 0 (hop-by-hop), 43, 44, 60, 51 */
	__u8 ipv6_rh_segleft;		/* segments left in routing headers */
	bool no_rtp;			/* payload_len bytes of zero, no RTP */
	__u8 rtp_version;		/* 0: 2 */
	bool rtp_version_set;		/* use rtp_version as given (0 allowed) */
	bool marker;
	__u16 seq;
	__u32 ts;
	__u32 ssrc;
	unsigned int payload_len;	/* after the RTP header (or UDP) */
	int udp_len_adjust;		/* added to the UDP length field */
	int ip_len_adjust;		/* added to the IP total/payload length */
	bool ttl_set;			/* use ttl (TTL / hop limit); else 16 */
	__u8 ttl;
	__u16 ip_id;			/* IPv4 identification; 0: 0x2110 */
};

/* Build the frame into buf; returns its length or 0 on a bad spec. */
size_t pkt_build(const struct pkt_spec *spec, __u8 *buf, size_t cap);

struct xdp_run {
	__u32 action;
	__u8 out[PKT_MAX];
	__u32 out_len;
};

/*
 * One BPF_PROG_TEST_RUN. meta_ts non-NULL puts that CLOCK_TAI value in the
 * XDP metadata (for a program loaded with ST2110_XDP_TS_META).
 */
int xdp_test_run(int prog_fd, const void *frame, size_t len, const __u64 *meta_ts,
		 struct xdp_run *res);
/* RFC 1071 sum over len bytes (even), folded: 0 over a valid IPv4 header. */
__u16 ip_csum(const __u8 *p, size_t len);

/* Counters delta helpers. */
void counters_sub(struct st2110_xdp_counters *d, const struct st2110_xdp_counters *a,
		  const struct st2110_xdp_counters *b);
/* Names the first field where a and b differ; NULL if equal. */
const char *counters_diff(const struct st2110_xdp_counters *a,
			  const struct st2110_xdp_counters *b,
			  unsigned long long *got, unsigned long long *want);

/* Events read from a program's ring buffer (libbpf ring_buffer). */
#define EV_LOG_MAX	4096
struct ev_log {
	unsigned int n, bad_len, overflow;
	struct st2110_xdp_event e[EV_LOG_MAX];
};

/* Every record now in x's ring, into l (the ring is empty after). */
int ev_drain(const struct st2110_xdp *x, struct ev_log *l);

/* The records of one type (and flow, key non-NULL) in l. */
struct ev_stats {
	unsigned int records;
	__u64 count;		/* their counts added up */
	__u64 min_gap_ns;	/* least time between two of them; ~0 if < 2 */
	struct st2110_xdp_event last;
};
void ev_sum(const struct ev_log *l, __u32 type, const struct st2110_xdp_key *key,
	    struct ev_stats *s);

/*
 * TAP results. kselftest.h keeps its counters in static variables, so only
 * main.c includes it and every test file reports through these.
 */
#define TAP_FMT __attribute__((format(printf, 1, 2)))
void tap_pass(const char *fmt, ...) TAP_FMT;
void tap_fail(const char *fmt, ...) TAP_FMT;
void tap_skip(const char *fmt, ...) TAP_FMT;
void tap_msg(const char *fmt, ...) TAP_FMT;
void tap_result(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Test groups: each knows its test count before running. */
unsigned int t_parse_count(void);
void t_parse_run(void);
unsigned int t_flow_count(void);
void t_flow_run(void);
unsigned int t_stage_count(void);
void t_stage_run(void);
unsigned int t_rx_count(void);
void t_rx_run(void);
unsigned int t_l3_count(void);
void t_l3_run(void);
unsigned int t_event_count(void);
void t_event_run(void);
unsigned int t_live_count(void);
void t_live_run(void);

/* Why a group must skip (NULL: it can run). */
extern const char *xdp_test_skip_reason;
extern const char *xdp_test_live_skip_reason;

#endif /* ST2110_XDP_TEST_H */
