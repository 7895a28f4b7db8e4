/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * st2110_xdp.h - map layouts shared by the ST 2110 XDP program
 * (userspace/bpf/st2110_xdp.bpf.c), its loader library and the st2110 tools.
 *
 * Every map of one attached program is pinned under
 * ST2110_XDP_PIN_ROOT/<ifname>/<ST2110_XDP_PIN_*>, so a tool that did not
 * load the program can find it again.
 *
 * Layout rules: fixed-size structs of __u32/__u64 only, explicitly padded,
 * no implicit holes (a hole in a hash key would make equal keys hash apart).
 * Addresses are stored in network byte order, as inet_pton() writes them and
 * as they sit in the packet; ports and everything else in host byte order.
 *
 * Data path, per frame:
 *   parse Ethernet, up to ST2110_XDP_MAX_VLAN_TAGS 802.1Q/802.1ad tags,
 *   IPv4 (options allowed) or IPv6 (a few extension headers, see below), UDP
 *   -> not multicast UDP: XDP_PASS, untouched
 *   -> route lookup: (group, port, source) first, then (group, port, any)
 *   -> measure the flow (packets, bytes, RTP sequence, jitter)
 *   -> route action: pass, drop, redirect to an egress set, or both
 *   -> no route: config.unmatched_action (pass or drop)
 */
#ifndef _UAPI_LINUX_ST2110_XDP_H
#define _UAPI_LINUX_ST2110_XDP_H

#include <linux/types.h>
#include <linux/bpf.h>		/* struct bpf_spin_lock */

#define ST2110_XDP_PIN_ROOT	"/sys/fs/bpf/st2110"
#define ST2110_XDP_PIN_ROUTES	"routes"
#define ST2110_XDP_PIN_FLOWS	"flows"
#define ST2110_XDP_PIN_EGSETS	"egress_sets"
#define ST2110_XDP_PIN_EGPORTS	"egress_ports"
#define ST2110_XDP_PIN_CONFIG	"config"
#define ST2110_XDP_PIN_COUNTERS	"counters"
#define ST2110_XDP_PIN_INFO	"info"

#define ST2110_XDP_MAX_ROUTES		4096
#define ST2110_XDP_MAX_FLOWS		4096
#define ST2110_XDP_MAX_EGRESS_SETS	256
#define ST2110_XDP_MAX_PORTS		32	/* interfaces per egress set */
#define ST2110_XDP_MAX_VLAN_TAGS	2
/*
 * IPv6 extension headers walked before UDP: Hop-by-Hop, Destination Options
 * and Routing with Segments Left == 0, at most this many in a row. A
 * Fragment header, any other extension header, or a longer chain is passed
 * untouched and counted in st2110_xdp_counters.fragments / .unsupported.
 */
#define ST2110_XDP_IPV6_MAX_EXT_HDRS	3

enum st2110_xdp_family {
	ST2110_XDP_FAMILY_IPV4 = 4,
	ST2110_XDP_FAMILY_IPV6 = 6,
};

/*
 * Key of the routes map and of the flows map.
 * routes: source all zero means "any source"; a route with a source is
 *	   looked up first.
 * flows:  source is always the packet's own source address, so flows that
 *	   share an any-source route are measured apart.
 */
struct st2110_xdp_key {
	__u32 group[4];		/* destination; IPv4 in group[0], rest zero */
	__u32 source[4];	/* same encoding; zero = any (routes only) */
	__u32 dport;		/* UDP destination port, host order */
	__u32 family;		/* enum st2110_xdp_family */
};

enum st2110_xdp_action {
	ST2110_XDP_ACT_PASS = 0,	/* to the local stack (zeroed = pass) */
	ST2110_XDP_ACT_DROP = 1,
	ST2110_XDP_ACT_REDIRECT = 2,	/* copies to the egress set only */
	/*
	 * Copies to the egress set AND the original to the local stack. XDP
	 * cannot clone a frame, so the XDP program returns XDP_PASS and a tc
	 * ingress program (same object, same maps) sends one copy per port
	 * with bpf_clone_redirect(): those copies take the skb path.
	 */
	ST2110_XDP_ACT_REDIRECT_PASS = 3,
	ST2110_XDP_ACT_MAX = ST2110_XDP_ACT_REDIRECT_PASS,
};

/* Skip per-flow measurement for this route (steering only). */
#define ST2110_XDP_ROUTE_F_NO_MEASURE	(1U << 0)
#define ST2110_XDP_ROUTE_F_ALL		ST2110_XDP_ROUTE_F_NO_MEASURE

#define ST2110_XDP_MAX_RTP_CLOCK_HZ	10000000U

/* Value of the routes map. */
struct st2110_xdp_route {
	__u32 action;		/* enum st2110_xdp_action */
	__u32 egress_set;	/* egress_sets index, REDIRECT* only, else 0 */
	__u32 rtp_clock_hz;	/* RTP timestamp clock; 0 = no jitter */
	__u32 flags;		/* ST2110_XDP_ROUTE_F_* */
};

/* Value of the single-entry config array. */
struct st2110_xdp_config {
	/*
	 * PASS or DROP for multicast UDP that matches no route: DROP is the
	 * flood guard for a host on a switch that floods. It never applies to
	 * link-local groups (224.0.0.0/24, ff0X:: with scope <= 2) nor to the
	 * PTP ports 319/320, so the host keeps its control traffic and clock.
	 */
	__u32 unmatched_action;
	__u32 flags;		/* reserved, zero */
};

/*
 * Value of the egress_ports array (index = egress set). Mirror of the
 * DEVMAP_HASH inner map of the same index, kept by the loader library,
 * because the tc program cannot walk a devmap.
 */
struct st2110_xdp_egress_ports {
	__u32 count;
	__u32 ifindex[ST2110_XDP_MAX_PORTS];
	__u32 pad;
};

/*
 * Per-CPU counters (a PERCPU_ARRAY of one entry; sum the CPUs). Every frame
 * the XDP program sees is counted once in rx_packets and once more in
 * exactly one of the classifying counters below it.
 */
struct st2110_xdp_counters {
	__u64 rx_packets;
	__u64 not_mcast_udp;	/* passed untouched: not IP multicast UDP */
	__u64 malformed;	/* passed: truncated or inconsistent header */
	__u64 fragments;	/* passed: IPv4 fragment / IPv6 Fragment hdr */
	__u64 unsupported;	/* passed: 3+ VLAN tags, other IPv6 ext hdrs */
	__u64 unmatched_pass;	/* no route, config says pass */
	__u64 unmatched_drop;	/* no route, config says drop */
	__u64 unmatched_exempt;	/* no route, drop configured, link-local/PTP */
	__u64 route_pass;
	__u64 route_drop;
	__u64 route_redirect;
	__u64 route_redirect_pass;
	__u64 redirect_no_set;	/* dropped: route names an absent egress set */
	/* not classifying: */
	__u64 flow_table_full;	/* routed but not measured: flows map full */
	__u64 tc_mirrored;	/* copies sent by the tc program */
	__u64 tc_mirror_errors;	/* bpf_clone_redirect() failures */
};

/* Ring of received extended sequence numbers, for duplicate detection. */
#define ST2110_XDP_SEQ_WINDOW		256
#define ST2110_XDP_SEQ_WINDOW_WORDS	(ST2110_XDP_SEQ_WINDOW / 64)

/* |D| of one jitter step is clamped here: a sender that stalled. */
#define ST2110_XDP_JITTER_CLAMP_NS	(1ULL << 32)

/* st2110_xdp_flow.state */
#define ST2110_XDP_FLOW_S_TRACKING	(1U << 0)
#define ST2110_XDP_FLOW_S_RESYNC_ARMED	(1U << 1)

/*
 * Value of the flows map: one entry per (group, port, source) seen on a
 * route, shared by all CPUs and updated under lock, because one flow can
 * arrive on several RX queues (per-CPU sequence state is wrong then).
 * Read it with BPF_F_LOCK for a consistent snapshot.
 *
 * Sequence tracking, for RTP version 2 packets of the current SSRC:
 *  - ext_seq is the 16-bit RTP sequence extended with a wrap counter that
 *    starts at 1; its low 32 bits are what an ST 2110-20 extended sequence
 *    number would be if the sender's high half started at 1.
 *  - A packet whose 16-bit distance from the highest so far is below 2^15
 *    is ahead of it (a forward gap counts as loss); otherwise it is late.
 *  - expected: ext_seq_max - ext_seq_first + 1, summed over (re)syncs.
 *  - lost: sequence numbers in that range never received. A late packet
 *    that fills a hole decrements it, so lost is exact for reordering up
 *    to ST2110_XDP_SEQ_WINDOW - 1 packets; invariant:
 *	expected == rtp_packets - duplicates - stale + lost  (per session)
 *  - reordered: late packets received for the first time.
 *  - duplicates: packets whose sequence number was already received.
 *  - stale: late by ST2110_XDP_SEQ_WINDOW or more, or from before the first
 *    packet: neither reorder nor duplicate can be told.
 *  - resyncs: two consecutive stale packets in sequence (RFC 3550 A.1): the
 *    sender jumped; tracking restarts at the second one.
 *  - ssrc_changes: a new SSRC restarts tracking (and jitter).
 *
 * Interarrival jitter (RFC 3550 6.4.1 / A.8), kept in ns instead of RTP
 * ticks so that it means the same for every clock rate:
 *	D = (R_j - R_i) - (S_j - S_i) * 10^9 / rtp_clock_hz	[ns]
 *	jitter_q4_ns += |D| - ((jitter_q4_ns + 8) >> 4)
 * jitter_q4_ns is 16 times the jitter in ns; the tick value of the RFC is
 * jitter_q4_ns * rtp_clock_hz / (16 * 10^9). Updated for every RTP packet of
 * the tracked SSRC (duplicates and reordered ones included, as RFC 3550 does)
 * except the first after a (re)start and stale ones; |D| is clamped to
 * ST2110_XDP_JITTER_CLAMP_NS. Arrival time R: CLOCK_TAI at XDP time.
 */
struct st2110_xdp_flow {
	struct bpf_spin_lock lock;
	__u32 ssrc;
	__u64 packets;		/* every frame of the flow */
	__u64 bytes;		/* L2 bytes, as seen by XDP */
	__u64 rtp_packets;	/* RTP v2 of the tracked SSRC */
	__u64 rtp_bad_version;	/* UDP payload with RTP version != 2 */
	__u64 rtp_short;	/* UDP payload shorter than an RTP header */
	__u64 rtp_markers;	/* marker bits seen (frames, for video) */
	__u64 expected;
	__u64 lost;
	__u64 reordered;
	__u64 duplicates;
	__u64 stale;
	__u64 resyncs;
	__u64 ssrc_changes;
	__u64 ext_seq_first;	/* first extended seq of the current session */
	__u64 ext_seq_max;	/* highest extended seq so far */
	__u64 first_ns;		/* CLOCK_TAI of the first frame */
	__u64 last_ns;		/* CLOCK_TAI of the latest frame */
	__u64 jitter_q4_ns;
	__u64 last_arrival_ns;	/* jitter state: R_i */
	__u32 last_rtp_ts;	/* jitter state: S_i */
	__u32 rtp_clock_hz;	/* clock rate used for the latest step */
	__u32 state;		/* ST2110_XDP_FLOW_S_* */
	__u32 resync_seq;	/* sequence that would confirm a resync */
	__u64 seen[ST2110_XDP_SEQ_WINDOW_WORDS]; /* bit (ext % WINDOW) */
};

/*
 * Where the program takes the arrival time (a load-time constant).
 * META is for BPF_PROG_TEST_RUN only: the test puts a __u64 CLOCK_TAI ns
 * value in the 8 bytes of XDP metadata in front of the frame.
 */
enum st2110_xdp_ts_source {
	ST2110_XDP_TS_KTIME_TAI = 0,
	ST2110_XDP_TS_META = 1,
};

/* tc filter of the redirect-and-pass mirror, on clsact ingress */
#define ST2110_XDP_TC_HANDLE		0x2110
#define ST2110_XDP_TC_PRIORITY		0x2110

/* st2110_xdp_attach_info.flags */
#define ST2110_XDP_INFO_F_DISPATCHER	 (1U << 0) /* behind libxdp's dispatcher */
#define ST2110_XDP_INFO_F_TC_MIRROR	 (1U << 1) /* tc filter attached */
#define ST2110_XDP_INFO_F_CLSACT_CREATED (1U << 2) /* we created clsact */

/*
 * Value of the single-entry info array: written by the loader at attach
 * time, never touched by the data path; lets another process detach.
 */
struct st2110_xdp_attach_info {
	__u32 ifindex;		/* in the netns of the process that attached */
	__u32 xdp_prog_id;
	__u32 tc_prog_id;
	__u32 flags;		/* ST2110_XDP_INFO_F_* */
};

#endif /* _UAPI_LINUX_ST2110_XDP_H */
