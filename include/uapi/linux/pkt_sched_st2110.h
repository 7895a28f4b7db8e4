/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pkt_sched_st2110.h - rtnetlink contract of the "st2110" qdisc.
 *
 * Shared by kmod/sch_st2110.c, the st2110 tool, the tc plugin and the tests.
 * Attributes are only ever appended: never renumber, never reuse a number.
 *
 * Every option travels in TCA_OPTIONS, which must carry NLA_F_NESTED: the
 * kernel parses it strictly (unknown attributes, wrong lengths and missing
 * NLA_F_NESTED are rejected with an extack message, nothing is applied).
 * On "change", only the attributes present are changed; a dump always
 * carries every option with its current value.
 */
#ifndef _UAPI_LINUX_PKT_SCHED_ST2110_H
#define _UAPI_LINUX_PKT_SCHED_ST2110_H

#include <linux/types.h>

/*
 * Qdisc options (TCA_OPTIONS of RTM_{NEW,GET}QDISC).  OFFLOAD enables
 * LaunchTime for the qdisc's TX queue: on a multi-queue device st2110 is
 * then an mq child, one per queue (as the root it is refused).
 */
enum {
	TCA_ST2110_UNSPEC,
	TCA_ST2110_PAD,			/* alignment of u64 attributes only */
	TCA_ST2110_CLOCKID,		/* u32, clockid_t; only CLOCK_TAI (11) */
	TCA_ST2110_TIMER_SLACK_NS,	/* u32, watchdog slack in ns */
	TCA_ST2110_LIMIT_PKTS,		/* u32, packets queued in total */
	TCA_ST2110_LINK_RATE_BPS,	/* u64, bit/s; 0 = from ethtool */
	TCA_ST2110_OFFLOAD,		/* u8, 0 or 1: LaunchTime (ETF), per TX queue */
	__TCA_ST2110_MAX
};

#define TCA_ST2110_MAX (__TCA_ST2110_MAX - 1)

/* Defaults applied when an option is absent at creation time */
#define TC_ST2110_DEFAULT_TIMER_SLACK_NS	0
#define TC_ST2110_DEFAULT_LIMIT_PKTS		10000
#define TC_ST2110_DEFAULT_LINK_RATE_BPS		0

/* Accepted ranges (inclusive) */
#define TC_ST2110_MAX_TIMER_SLACK_NS		1000000000U	/* 1 s */
#define TC_ST2110_MIN_LIMIT_PKTS		1U
#define TC_ST2110_MAX_LIMIT_PKTS		(1U << 20)
#define TC_ST2110_MAX_LINK_RATE_BPS		1000000000000ULL /* 1 Tbit/s */

/*
 * Class (stream) options (TCA_OPTIONS of RTM_{NEW,GET}TCLASS).
 * A class is one media stream.  TCA_ST2110_CLASS_MATCH is mandatory when the
 * class is created; packets a tc filter sends to the class are queued there
 * whatever their addresses.
 */
enum {
	TCA_ST2110_CLASS_UNSPEC,
	TCA_ST2110_CLASS_PAD,
	TCA_ST2110_CLASS_MATCH,		/* nested, TCA_ST2110_MATCH_* */
	TCA_ST2110_CLASS_LIMIT_PKTS,	/* u32, 0 = only the qdisc limit */
	TCA_ST2110_CLASS_VIDEO,		/* nested, TCA_ST2110_VIDEO_*: pace as video */
	TCA_ST2110_CLASS_AUDIO,		/* nested, TCA_ST2110_AUDIO_*: pace as audio */
	TCA_ST2110_CLASS_TYPE,		/* u8, enum tc_st2110_sender_type */
	TCA_ST2110_CLASS_TROFFSET_NS,	/* u64, < TFRAME; TC_ST2110_TROFFSET_DEFAULT */
	TCA_ST2110_CLASS_LEAD_PKTS,	/* u32, TC_ST2110_LEAD_DEFAULT or <= NPACKETS */
	TCA_ST2110_CLASS_RTP_POLICY,	/* u8, enum tc_st2110_rtp_policy */
	TCA_ST2110_CLASS_UNPACED,	/* flag: remove the format, back to FIFO */
	__TCA_ST2110_CLASS_MAX
};

#define TCA_ST2110_CLASS_MAX (__TCA_ST2110_CLASS_MAX - 1)

#define TC_ST2110_CLASS_DEFAULT_LIMIT_PKTS	0
#define TC_ST2110_CLASS_MAX_LIMIT_PKTS		(1U << 20)

/*
 * Stream format.  A class without one is not paced: its packets leave in
 * arrival order as soon as the device takes them.  A class with one releases
 * each packet at its ST 2110-21 read time TPR_j (video) or at the end of its
 * packet time (audio), minus the lead, on CLOCK_TAI; the frame and the index
 * of a packet come from its RTP timestamp and sequence number, so the sender
 * must stamp PTP (epoch) locked RTP timestamps, or the class must restamp
 * them (TC_ST2110_RTP_RESTAMP, below).  VIDEO and AUDIO replace the
 * whole format; TYPE, TROFFSET_NS, LEAD_PKTS and RTP_POLICY are kept when
 * absent from a change.  Values are printed back exactly as given; a class
 * without format dumps none of these attributes.
 */
enum tc_st2110_sender_type {
	TC_ST2110_TYPE_N,		/* narrow, gapped PRS (2110TPN) */
	TC_ST2110_TYPE_NL,		/* narrow linear (2110TPNL) */
	TC_ST2110_TYPE_W,		/* wide (2110TPW) */
	__TC_ST2110_TYPE_MAX
};

/*
 * RESTAMP, for a sender whose clock is not PTP locked: a frame (interlaced:
 * a field, told apart by the SRD F bit; a second field follows its first
 * in the same frame) takes the next free frame slot, an audio packet the
 * next slot of the packet grid, and the RTP timestamp is rewritten to the
 * slot's (UDP checksum fixed).  Audio from a sender running slow skips a
 * slot now and then; one running fast is dropped past the 20 ms horizon.
 */
enum tc_st2110_rtp_policy {
	TC_ST2110_RTP_FOLLOW,		/* schedule from the sender's RTP timestamps */
	TC_ST2110_RTP_RESTAMP,		/* next free slot, RTP ts rewritten */
	__TC_ST2110_RTP_MAX
};

/* TROFFSET: TRODEFAULT of the format (audio: 0) */
#define TC_ST2110_TROFFSET_DEFAULT	(~0ULL)
/*
 * Lead default: min(4, VRXFULL_N / 2, NPACKETS) packet slots (TRS) early,
 * as RDK does.  Peak VRX is about lead + burst - 1 and VRXFULL_N is at
 * least 8, so bursts of up to 5 packets (late wakeups) still fit, while a
 * wakeup up to 4 TRS late still meets TPR_j.  Audio has no lead.
 */
#define TC_ST2110_LEAD_DEFAULT		(~0U)
#define TC_ST2110_LEAD_DEFAULT_PKTS	4

/* ST 2110-20 video; every attribute but PAYLOAD_BYTES and NPACKETS is required */
enum {
	TCA_ST2110_VIDEO_UNSPEC,
	TCA_ST2110_VIDEO_WIDTH_PX,	/* u32 */
	TCA_ST2110_VIDEO_HEIGHT_PX,	/* u32, both fields */
	TCA_ST2110_VIDEO_SCAN,		/* u8: 0 progressive, 1 interlaced, 2 PsF */
	TCA_ST2110_VIDEO_RATE_NUM,	/* u32, FRAME rate num/den */
	TCA_ST2110_VIDEO_RATE_DEN,	/* u32 */
	TCA_ST2110_VIDEO_SAMPLING,	/* u8, include/st2110/video.h enum st2110_sampling */
	TCA_ST2110_VIDEO_DEPTH,		/* u8: 8, 10, 12, 16 or 0x90 (16f) */
	TCA_ST2110_VIDEO_PACKING,	/* u8: 0 GPM, 1 BPM */
	TCA_ST2110_VIDEO_PAYLOAD_BYTES,	/* u16, 0 = default of the packing */
	TCA_ST2110_VIDEO_NPACKETS,	/* u32, 0 = from the format; else the sender's */
	__TCA_ST2110_VIDEO_MAX
};

#define TCA_ST2110_VIDEO_MAX (__TCA_ST2110_VIDEO_MAX - 1)

/* ST 2110-30 audio; all required */
enum {
	TCA_ST2110_AUDIO_UNSPEC,
	TCA_ST2110_AUDIO_RATE_HZ,	/* u32: 48000, 96000, 44100 */
	TCA_ST2110_AUDIO_CHANNELS,	/* u16 */
	TCA_ST2110_AUDIO_DEPTH_BITS,	/* u8: 16 or 24 */
	TCA_ST2110_AUDIO_SAMPLES_PER_PKT, /* u32 */
	__TCA_ST2110_AUDIO_MAX
};

#define TCA_ST2110_AUDIO_MAX (__TCA_ST2110_AUDIO_MAX - 1)

/*
 * Packet match of a stream: UDP destination address and port, optionally
 * the source address too.  Exactly one destination address (IPv4 or IPv6)
 * and the port are required; a source address must be of the same family.
 * Addresses and port are in network byte order.  Two classes of one qdisc
 * may not have the same match; a match with a source address is preferred
 * over one without.
 */
enum {
	TCA_ST2110_MATCH_UNSPEC,
	TCA_ST2110_MATCH_DST_IPV4,	/* __be32 */
	TCA_ST2110_MATCH_DST_IPV6,	/* struct in6_addr (16 bytes) */
	TCA_ST2110_MATCH_DST_PORT,	/* __be16, not 0 */
	TCA_ST2110_MATCH_SRC_IPV4,	/* __be32 */
	TCA_ST2110_MATCH_SRC_IPV6,	/* struct in6_addr (16 bytes) */
	__TCA_ST2110_MATCH_MAX
};

#define TCA_ST2110_MATCH_MAX (__TCA_ST2110_MATCH_MAX - 1)

/*
 * Qdisc statistics (TCA_STATS_APP, "tc -s qdisc show").  Only appended to:
 * readers copy min(payload, sizeof) so that old tools and new modules (or the
 * reverse) still agree on the common prefix.
 */
struct tc_st2110_xstats {
	__u64	link_rate_bps;		/* rate in use; 0 = unknown link speed */
	__u64	enqueued_pkts;		/* accepted into a queue */
	__u64	dequeued_pkts;		/* handed to the device */
	__u64	limit_drops;		/* dropped: qdisc or class limit reached */
	__u64	be_pkts;		/* best-effort packets dequeued */
	__u64	be_drops;		/* best-effort packets dropped */
	__u64	stream_pkts;		/* stream (class) packets dequeued */
	__u64	stream_drops;		/* stream (class) packets dropped */
	__u64	watchdog_wakeups;	/* dequeues after an armed deadline */
	__u32	be_backlog_pkts;	/* best-effort packets queued now */
	__u32	streams;		/* classes configured */
	__u64	gso_segs;		/* packets cut from UDP GSO super-packets */
};

/* Class statistics (TCA_STATS_APP of "tc -s class show"); appended only */
#define TC_ST2110_ERR_HIST_BUCKETS	32

struct tc_st2110_class_xstats {
	__u64	matched_pkts;		/* classified by the class match */
	__u64	filtered_pkts;		/* classified by a tc filter */
	/* pacing; all 0 for a class without format */
	__u64	paced_pkts;		/* released at their scheduled time */
	__u64	paced_bytes;
	__u64	frames;			/* video frames (audio: packets) started */
	__u64	late_pkts;		/* release time already past at enqueue */
	__u64	late_max_ns;		/* worst lateness of those, at dequeue */
	__u64	late_ewma_ns;		/* their lateness, EWMA weight 1/8 */
	__u64	horizon_pkts;		/* beyond 2 frames ahead: released at once */
	__u64	unscheduled_pkts;	/* no RTP or index >= NPACKETS: at once */
	__u64	drops;			/* limit drops of this class */
	/*
	 * Release error (dequeue time - release time) of paced packets: bucket
	 * 0 counts errors of 0 ns, bucket k errors in [2^(k-1), 2^k) ns, the
	 * last one everything above.
	 */
	__u64	err_hist[TC_ST2110_ERR_HIST_BUCKETS];
	__u32	npackets;		/* NPACKETS in use (audio: 1), 0 unpaced */
	__u32	lead_pkts;		/* lead in use */
	__u64	cinst_waits;		/* video held so that CINST stays < CMAX */
	/*
	 * Egress ST 2110-21 model (video; audio and unpaced: all 0): the
	 * strict CINST and VRX models run on the release times, as a receiver
	 * runs them on arrival times, against CMAX and VRXFULL of the class's
	 * type.  Reset when the format changes.  A frame is judged when its
	 * last packet (or the next frame's first) leaves.
	 */
	__u64	egress_frames;		/* frames measured (had a scheduled packet) */
	__u64	egress_frames_over_cmax; /* frames whose CINST exceeded CMAX */
	__u64	egress_frames_over_vrx;	/* frames whose VRX exceeded VRXFULL */
	__u64	egress_frames_vrx_under; /* frames with VRX <= 0 after a release */
	__u32	egress_cinst_peak_pkts;	/* peak CINST */
	__u32	egress_pad;
	__s64	egress_vrx_peak_pkts;	/* peak VRX (0 until a frame) */
	__s64	egress_vrx_min_pkts;	/* lowest VRX; <= 0: an underflow */
};

#endif /* _UAPI_LINUX_PKT_SCHED_ST2110_H */
