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
#define ST2110_XDP_PIN_FORMATS	"formats"
#define ST2110_XDP_PIN_MERGES	"merges"
#define ST2110_XDP_PIN_GATES	"gates"
#define ST2110_XDP_PIN_EGSETS_MAC	"egress_sets_mac"
#define ST2110_XDP_PIN_PORT_MACS	"port_macs"
#define ST2110_XDP_PIN_DEVMAP_PROG	"devmap_prog"	/* a program, not a map */
#define ST2110_XDP_PIN_EVENTS	"events"

#define ST2110_XDP_MAX_ROUTES		4096
#define ST2110_XDP_MAX_FLOWS		4096
#define ST2110_XDP_MAX_EGRESS_SETS	256
#define ST2110_XDP_MAX_PORTS		32	/* interfaces per egress set */
#define ST2110_XDP_MAX_VLAN_TAGS	2
/* ids 1..N-1 of formats, 2022-7 merges and switch gates; 0 means none */
#define ST2110_XDP_MAX_FORMATS		256
#define ST2110_XDP_MAX_MERGES		256
#define ST2110_XDP_MAX_GATES		256
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
/*
 * L3 behaviour of the copies a route forwards (redirect and the copies of
 * redirect+pass; never the packet passed to the local stack):
 * TTL_DEC: IPv4 TTL - 1 with the header checksum updated incrementally
 *	    (RFC 1624), IPv6 hop limit - 1. A packet that arrives with TTL
 *	    (hop limit) 0 or 1 is not forwarded: counted in ttl_expired
 *	    (redirect: dropped; redirect+pass: still passed, no copies).
 * SRC_MAC: each copy leaves with the source MAC of its output port: a
 *	    devmap egress program (XDP) or the tc mirror writes it from the
 *	    port_macs map. The destination MAC (the group's) is kept.
 */
#define ST2110_XDP_ROUTE_F_TTL_DEC	(1U << 1)
#define ST2110_XDP_ROUTE_F_SRC_MAC	(1U << 2)
#define ST2110_XDP_ROUTE_F_ALL		(ST2110_XDP_ROUTE_F_NO_MEASURE | \
					 ST2110_XDP_ROUTE_F_TTL_DEC | \
					 ST2110_XDP_ROUTE_F_SRC_MAC)

#define ST2110_XDP_MAX_RTP_CLOCK_HZ	10000000U

/* st2110_xdp_route.stage_state */
enum st2110_xdp_stage {
	ST2110_XDP_STAGE_NONE = 0,	/* no change pending */
	/*
	 * A change waits for the next frame boundary of the flow: it is
	 * applied to the first packet after a packet with the RTP marker bit
	 * (if stage_gate_wait names a gate, only after that gate opened).
	 */
	ST2110_XDP_STAGE_ARMED = 1,
	ST2110_XDP_STAGE_MARKER = 2,	/* marker seen: the next packet switches */
};

/*
 * Value of the routes map.
 *
 * Staged ("at-frame") change, written by the library, executed by the
 * data path: while stage_state is not NONE the route still acts as
 * action/egress_set; the first packet of the next frame (see
 * ST2110_XDP_STAGE_ARMED) takes stage_action/stage_egress_set instead, the
 * route keeps them from then on, and switches_clean counts one. If no
 * boundary comes within stage_timeout_ns of the first packet seen while
 * staged (arrival clock), the change is applied to that packet anyway and
 * switches_forced counts one. A route applying a change with
 * stage_gate_open != 0 opens that gate; a route with stage_gate_wait != 0
 * does not arm before that gate is open (its timeout runs all the same).
 * So a source switch on one output - old route to drop, new route to the
 * output - never lets the output see a frame mixing both sources: the new
 * source starts at its own frame start after the old one ended its frame.
 *
 * format: ST 2110-21 receiver measurement of the route's flows against
 * that entry of the formats map (1..ST2110_XDP_MAX_FORMATS-1, 0 = none).
 * merge: this route is leg merge_leg (0 or 1) of that ST 2022-7 merge
 * (1..ST2110_XDP_MAX_MERGES-1, 0 = none): only the first copy of every
 * packet (by RTP sequence) takes the route's action, the other is dropped.
 */
struct st2110_xdp_route {
	__u32 action;		/* enum st2110_xdp_action */
	__u32 egress_set;	/* egress_sets index, REDIRECT* only, else 0 */
	__u32 rtp_clock_hz;	/* RTP timestamp clock; 0 = no jitter */
	__u32 flags;		/* ST2110_XDP_ROUTE_F_* */
	__u32 format;		/* formats id, 0 = no ST 2110-21 measurement */
	__u32 merge;		/* merges id, 0 = not an ST 2022-7 leg */
	__u32 merge_leg;	/* 0 or 1 */
	__u32 stage_action;	/* the staged change: enum st2110_xdp_action */
	__u32 stage_egress_set;
	__u32 stage_gate_wait;	/* gates id to wait for, 0 = none */
	__u32 stage_gate_open;	/* gates id opened when applied, 0 = none */
	__u32 pad;
	/* 64 bits: BPF compare-and-swap needs it without ALU32 (-mcpu=v3) */
	__u64 stage_state;	/* enum st2110_xdp_stage */
	__u64 stage_timeout_ns;	/* forced after this; 0 = never */
	__u64 stage_since_ns;	/* data path: first packet seen while staged */
	__u64 switches_clean;	/* data path: staged changes applied at a boundary */
	__u64 switches_forced;	/* data path: applied by the timeout */
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
	__u64 mono_to_tai_ns;	/* ST2110_XDP_TS_MONO_OFFSET: TAI - MONOTONIC */
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
	__u64 switches_clean;	/* staged route changes applied at a frame boundary */
	__u64 switches_forced;	/* staged route changes applied by their timeout */
	__u64 merge_dropped;	/* ST 2022-7: second copies and stale packets dropped */
	/* TTL_DEC routes: arrived with TTL/hop limit <= 1, not forwarded */
	__u64 ttl_expired;
	/* SRC_MAC copies sent with the source MAC untouched: port not in port_macs */
	__u64 src_mac_missing;
	__u64 events;		/* records written to the events ring */
	__u64 events_dropped;	/* events lost: the ring was full */
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
 * ST 2110-21 receiver measurement of one flow (route with a format), the
 * strict model of ST 2110-21:2017, measured where XDP sees the packet (so it
 * includes the network's jitter, as any receiver-side checker does).
 * Arithmetic: include/st2110/rx.h; all integer ns, 64-bit.
 *
 *  - Frame (field) boundaries from the RTP marker bit: the packet after a
 *    marker starts a frame (field; the SRD F bit of the ST 2110-20 payload
 *    header says which field). Packets before the first marker only count
 *    in CINST. Packet index j = extended sequence - that of the frame's
 *    first packet (+ NPACKETS/2 in field 2), so loss does not shift it.
 *  - Frame N: the one whose TPR_j is nearest to the arrival.
 *  - CINST (network compatibility model): drained on the epoch grid
 *    k = floor(t / TDRAIN): C = max(0, C - (k - k_prev)) + 1, every packet.
 *    LIST's figure is one lower.
 *  - VRX (virtual receiver buffer): one continuous bucket, sampled after
 *    each arrival: packets of frames N-1, N (up to j) and none of N+1
 *    counted as arrived, minus the reads with TPR <= t of those frames.
 *    Equal to st2110-analyze's strict VRX when no packet is lost or
 *    reordered (a lost packet counts as arrived here).
 *  - lateness: t - floor(TPR_j); late_pkts counts t > TPR_j.
 *  - frames_over_*: frames (fields) in which CINST exceeded CMAX or VRX
 *    exceeded VRXFULL of Type N (NL for a linear format).
 *  - latency: arrival of the first packet of each frame (field) minus the
 *    time its RTP timestamp encodes (90 kHz, unwrapped to the nearest).
 *  - npackets_measured: packets per field (frame) between the last two
 *    markers by sequence number, as NPACKETS is learned; npackets_mismatch
 *    counts boundaries where it differs from the format's.
 * Arrival clock: CLOCK_TAI (bpf_ktime_get_tai_ns()); latency and frame N
 * are only meaningful when CLOCK_TAI is PTP time (ptp4l + phc2sys).
 */
#define ST2110_XDP_RX_S_FRAME		(1U << 0)	/* a frame boundary was seen */
#define ST2110_XDP_RX_S_OVER_CMAX	(1U << 1)	/* this frame already counted */
#define ST2110_XDP_RX_S_OVER_VRX	(1U << 2)
#define ST2110_XDP_RX_S_AFTER_MARKER	(1U << 3)	/* the last packet had M = 1 */
#define ST2110_XDP_RX_S_CINST		(1U << 4)	/* CINST started */

struct st2110_xdp_rx {
	__u32 format;		/* formats id | generation << 8; change = reset */
	__u32 state;		/* ST2110_XDP_RX_S_* */
	__u64 frames;		/* frame (field) starts measured */
	__u64 pkts;		/* packets placed in the schedule */
	__u64 index_errors;	/* j outside 0..NPACKETS-1: not placed */
	__u64 cinst;		/* current */
	__u64 cinst_peak;
	__s64 vrx;		/* latest sample */
	__s64 vrx_peak;
	__s64 vrx_min;
	__u64 frames_over_cmax;
	__u64 frames_over_vrx;
	__u64 late_pkts;
	__s64 tpr_err_min_ns;	/* min and max of t - floor(TPR_j) */
	__s64 tpr_err_max_ns;
	__s64 latency_min_ns;
	__s64 latency_max_ns;
	__s64 latency_last_ns;
	__u64 npackets_measured;
	__u64 npackets_mismatch;
	/* state */
	__u64 drain_k;		/* drain index of the previous packet */
	__u64 base_ns;		/* st2110_base of the drain grid */
	__u64 base_frame;
	__u64 base_drain;
	__u64 frame;		/* N of the current frame */
	__u64 field_start_ext;	/* extended sequence of its first packet */
	__u64 marker_ext;	/* extended sequence of the last marker */
	__u32 field;		/* current field, 0 or 1 */
	__u32 pad;
};

/*
 * Hold-off state of one event kind (flow or merge): an event of a kind is
 * written at most once per ST2110_XDP_EVENT_HOLDOFF_NS; what happens in
 * between is added to pending and carried by the next one.
 */
struct st2110_xdp_ev_state {
	__u64 last_ns;		/* arrival time of the last event written, 0 = none */
	__u64 pending;		/* occurrences held off since */
	__u64 value;		/* the latest occurrence's value */
};

/* flow event kinds with a hold-off state: ev[type - 1] */
#define ST2110_XDP_EV_FLOW_KINDS	3

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
	struct st2110_xdp_rx rx;	/* ST 2110-21, route with a format only */
	/* data path: event hold-off per kind, see struct st2110_xdp_event */
	struct st2110_xdp_ev_state ev[ST2110_XDP_EV_FLOW_KINDS];
};

/*
 * Value of the merges map (ids 1..ST2110_XDP_MAX_MERGES-1): one ST 2022-7
 * merge of two legs, i.e. two routes (different groups and/or sources)
 * naming it with merge_leg 0 and 1, shared by all CPUs under the lock.
 * Both legs reach the same attached interface, or two interfaces whose
 * instances share one merges map (the second attached with the library's
 * share_merges option).
 *
 * Packets are matched by RTP sequence number extended to 64 bits against
 * the highest seen (a packet less than 2^15 ahead is new), or by the
 * ST 2110-20 extended sequence (ESN << 16 | seq) with ST2110_XDP_MERGE_F_ESN.
 * The first copy of a number is forwarded (the route's action), any later
 * copy is dropped. A number is judged when it leaves the window of
 * ST2110_XDP_MERGE_WINDOW numbers below the highest: received on both legs,
 * on leg 0 only (recovered[0]: lost on leg 1), on leg 1 only (recovered[1])
 * or on neither (lost_both). st2110_xdp_merge_get() also judges the numbers
 * still in the window, so a finished stream reads exact totals.
 * A packet older than the window is dropped and counted in stale.
 */
#define ST2110_XDP_MERGE_WINDOW		512
#define ST2110_XDP_MERGE_WINDOW_WORDS	(ST2110_XDP_MERGE_WINDOW / 64)
#define ST2110_XDP_MERGE_F_ESN		(1U << 0)
#define ST2110_XDP_MERGE_F_ALL		ST2110_XDP_MERGE_F_ESN
#define ST2110_XDP_MERGE_F_VALID	(1U << 31)	/* library: the merge exists */
#define ST2110_XDP_MERGE_S_STARTED	(1U << 0)

struct st2110_xdp_merge {
	struct bpf_spin_lock lock;
	__u32 flags;		/* ST2110_XDP_MERGE_F_*, set by the library */
	__u32 state;		/* ST2110_XDP_MERGE_S_* */
	__u32 pad;
	__u64 packets[2];	/* packets received per leg */
	__u64 forwarded;	/* first copies */
	__u64 duplicates;	/* second copies dropped */
	__u64 stale;		/* older than the window: dropped */
	__u64 both;		/* judged numbers received on both legs */
	__u64 recovered[2];	/* judged numbers received on leg i only */
	__u64 lost_both;	/* judged numbers received on neither */
	__u64 ext_first;	/* first number of the merge */
	__u64 ext_max;		/* highest number so far */
	__u64 seen[2][ST2110_XDP_MERGE_WINDOW_WORDS];	/* per leg, bit ext % WINDOW */
	struct st2110_xdp_ev_state ev;	/* data path: lost-on-both-legs events */
};

/*
 * Where the program takes the arrival time (a load-time constant).
 * KTIME_TAI: bpf_ktime_get_tai_ns() (Linux >= 6.1). The library switches to
 * MONO_OFFSET by itself where the kernel lacks that helper.
 * META is for BPF_PROG_TEST_RUN only: the test puts a __u64 CLOCK_TAI ns
 * value in the 8 bytes of XDP metadata in front of the frame.
 * MONO_OFFSET: bpf_ktime_get_ns() + config.mono_to_tai_ns, the offset
 * CLOCK_TAI - CLOCK_MONOTONIC taken by the library at load/attach and by
 * st2110_xdp_clock_sync(): wrong by whatever CLOCK_TAI is stepped after that
 * (a PTP daemon's step), so sync again after a step.
 */
enum st2110_xdp_ts_source {
	ST2110_XDP_TS_KTIME_TAI = 0,
	ST2110_XDP_TS_META = 1,
	ST2110_XDP_TS_MONO_OFFSET = 2,
	ST2110_XDP_TS_MAX = ST2110_XDP_TS_MONO_OFFSET,
};

/* tc filter of the redirect-and-pass mirror, on clsact ingress */
#define ST2110_XDP_TC_HANDLE		0x2110
#define ST2110_XDP_TC_PRIORITY		0x2110

/* st2110_xdp_attach_info.flags */
#define ST2110_XDP_INFO_F_DISPATCHER	 (1U << 0) /* behind libxdp's dispatcher */
#define ST2110_XDP_INFO_F_TC_MIRROR	 (1U << 1) /* tc filter attached */
#define ST2110_XDP_INFO_F_CLSACT_CREATED (1U << 2) /* we created clsact */
#define ST2110_XDP_INFO_F_GENERIC	 (1U << 3) /* generic (skb) mode, not native */
#define ST2110_XDP_INFO_F_SHARED_MERGES	 (1U << 4) /* merges map of another instance */

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

/*
 * Source MACs of output ports for ST2110_XDP_ROUTE_F_SRC_MAC: the port_macs
 * HASH map, ifindex -> this, written by the library when an egress set is
 * written (the address the port had then: write the set again after
 * changing a port's address). egress_sets_mac is an ARRAY_OF_MAPS like
 * egress_sets, same indexes and ports, whose devmap entries run the devmap
 * egress program that writes the address; SRC_MAC routes redirect into it.
 */
#define ST2110_XDP_MAX_PORT_MACS	1024

struct st2110_xdp_port_mac {
	__u8 addr[6];
	__u8 pad[2];
};

/*
 * Live events: one BPF_MAP_TYPE_RINGBUF per attached program (pin "events",
 * ST2110_XDP_EVENTS_BYTES) of struct st2110_xdp_event records, read with
 * libbpf's ring_buffer__new() ("st2110 monitor flows"). One reader per ring:
 * two readers would split the records between them. A record that does not
 * fit (no reader, or one too slow) is dropped and counted in
 * st2110_xdp_counters.events_dropped; every record written counts in
 * .events.
 *
 * Rate limit, in the data path, per flow (per merge for MERGE_LOST) and per
 * kind: at most one record per ST2110_XDP_EVENT_HOLDOFF_NS of arrival time
 * (the kernel's ST2110_EVENT_HOLDOFF_NS, include/uapi/linux/st2110_genl.h).
 * Occurrences in between are held off and added to the count of the next
 * record, which the first packet of the flow after the hold-off writes even
 * if nothing new happened: while the flow goes on, the counts of its records
 * add up to every occurrence. A packet writes at most one flow record (LOSS
 * first, then OVER_CMAX, OVER_VRX): another kind due then goes with the
 * flow's next packet. SWITCHED is one record per applied change (changes
 * are made by the control plane), never held off.
 *
 *  type	   value			limit	count
 *  LOSS	   flow's lost so far		0	packets lost in sequence gaps
 *  SWITCHED	   0				0	1; old/new action and set,
 *						   ST2110_XDP_EVENT_F_FORCED
 *  OVER_CMAX	   CINST that crossed CMAX	CMAX	frames (fields) over CMAX
 *  OVER_VRX	   VRX that crossed VRXFULL	VRXFULL	frames (fields) over VRXFULL
 *  MERGE_LOST	   merge's lost_both so far	0	numbers lost on both legs
 *
 * time_ns is the arrival clock of the packet that wrote the record
 * (CLOCK_TAI, see enum st2110_xdp_ts_source); key is the flow (the packet's
 * group, port and source); id is the format (OVER_*) or merge (MERGE_LOST).
 * LOSS counts forward gaps as they open; a late packet that fills a hole
 * afterwards lowers the flow's lost, not the counts already written.
 */
#define ST2110_XDP_EVENTS_BYTES		(256 * 1024)
#define ST2110_XDP_EVENT_HOLDOFF_NS	100000000ULL	/* 100 ms */

enum st2110_xdp_event_type {
	ST2110_XDP_EVENT_UNSPEC = 0,
	ST2110_XDP_EVENT_LOSS = 1,
	ST2110_XDP_EVENT_OVER_CMAX = 2,
	ST2110_XDP_EVENT_OVER_VRX = 3,
	ST2110_XDP_EVENT_SWITCHED = 4,
	ST2110_XDP_EVENT_MERGE_LOST = 5,
	ST2110_XDP_EVENT_MAX = ST2110_XDP_EVENT_MERGE_LOST,
};

/* st2110_xdp_event.flags */
#define ST2110_XDP_EVENT_F_FORCED	(1U << 0)	/* SWITCHED by its timeout */

struct st2110_xdp_event {
	__u32 type;		/* enum st2110_xdp_event_type */
	__u32 flags;		/* ST2110_XDP_EVENT_F_* */
	__u64 time_ns;
	struct st2110_xdp_key key;
	__u64 value;
	__u64 limit;
	__u64 count;
	__u32 old_action;	/* SWITCHED: enum st2110_xdp_action */
	__u32 old_egress_set;
	__u32 new_action;
	__u32 new_egress_set;
	__u32 id;		/* formats id (OVER_*), merges id (MERGE_LOST) */
	__u32 pad;
};

#endif /* _UAPI_LINUX_ST2110_XDP_H */
