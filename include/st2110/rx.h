/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * rx.h - ST 2110-21 receiver-side measurement helpers, small enough for BPF.
 *
 * The XDP program measures CINST and VRX per flow with one packet at a
 * time, under a spin lock (no helper calls, no unbounded loops, 64-bit
 * integers only).  Everything slow - Euclid, the common denominator, the
 * limits - is done once by st2110_sched_init() in user space; the finished
 * struct st2110_sched reaches BPF through a map (struct st2110_rx_fmt).
 * What is left per packet are the helpers below: a few 64-bit divisions.
 *
 * 64-bit bounds (ST 2110-21 guidance, shared reference §8.2): the drain
 * index floor(t / TDRAIN) is taken from a base B (st2110_sched_base(): a
 * frame index multiple of 30, a whole ns and a drain instant) as
 * base.drain + floor((t - B) * TDRAIN.den / TDRAIN.num), valid while
 * t - B <= delta_max_ns (a day and more for every standard format); the
 * base moves when t leaves that range.  The read-schedule helpers
 * (st2110_tpr_ns(), st2110_tpr_count()) work on absolute TAI ns below 2^62
 * by themselves.
 */
#ifndef _ST2110_RX_H
#define _ST2110_RX_H

#include "rational.h"
#include "rtp.h"
#include "video.h"
#include "schedule.h"

/*
 * A format as the data path gets it (value of the XDP program's formats
 * map): the schedule, plus what it was built from so tools can show it.
 */
struct st2110_rx_fmt {
	struct st2110_sched s;
	struct st2110_video_fmt video;
	__u64 troffset_ns;		/* as given: ST2110_TROFFSET_DEFAULT or ns */
	__u32 valid;			/* 1 once written */
	__u32 gen;			/* bumped by every rewrite, restarts flows */
	__u32 pad;
	__u32 type;			/* enum st2110_sender_type */
	__u32 cmax;			/* CMAX of that type */
	__u32 vrx_full;			/* VRXFULL of that type */
};

/* Fill the limits of a format from its schedule (user space, at set time). */
static inline void st2110_rx_fmt_limits(struct st2110_rx_fmt *f)
{
	const struct st2110_limits *l = &f->s.lim;

	f->cmax = f->type == ST2110_TYPE_N ? l->cmax_n :
		  f->type == ST2110_TYPE_NL ? l->cmax_nl : l->cmax_w;
	f->vrx_full = f->type == ST2110_TYPE_W ? l->vrx_full_w : l->vrx_full_n;
}

/*
 * floor(t / TDRAIN) on the epoch grid, from the base *b, which is moved to
 * the latest base at or before t when t is outside [b->t_ns, b->t_ns +
 * delta_max_ns].  A zeroed base is the epoch itself (valid for small t).
 */
static inline __u64 st2110_rx_drain_index(const struct st2110_sched *s,
					  struct st2110_base *b, __u64 t_ns)
{
	if (t_ns < b->t_ns || t_ns - b->t_ns > s->delta_max_ns)
		st2110_sched_base(s, t_ns, b);
	return b->drain + st2110_delta_drain_index(s, t_ns - b->t_ns);
}

/*
 * Strict CINST after one more packet: drain first (k - k_prev packets, the
 * bucket never below 0), then add the packet.  A clock that steps back
 * drains nothing.
 */
static inline __u64 st2110_rx_cinst(__u64 cinst, __u64 k_prev, __u64 k)
{
	__u64 dk = k > k_prev ? k - k_prev : 0;

	return (cinst > dk ? cinst - dk : 0) + 1;
}

/*
 * The frame N whose TPR_j is nearest to the arrival t: a sender's lead and
 * a packet's lateness are both far below half a frame.
 */
static inline __u64 st2110_rx_nearest_frame(const struct st2110_sched *s,
					    __u64 t_ns, __u32 j)
{
	__u64 off = st2110_tpr_ns(s, 0, j), x = t_ns + s->tframe_whole_ns / 2;

	return x > off ? st2110_frame_index(s, x - off) : 0;
}

/*
 * Strict VRX just after packet j of frame N arrived at t: one continuous
 * bucket in which every packet of frame N-1 and packets 0..j of frame N
 * have arrived and none of frame N+1, minus every read (TPR <= t) of those
 * three frames.  Earlier frames are read out by then (TPR of a frame ends
 * before the next frame's first read); a packet not yet arrived whose read
 * time has passed makes the figure lower, which is what the strict model
 * says (the analyzer corrects its samples the same way once it arrives).
 */
static inline __s64 st2110_rx_vrx(const struct st2110_sched *s, __u64 frame,
				  __u32 j, __u64 t_ns)
{
	__s64 occ = (__s64)j + 1 - (__s64)st2110_tpr_count(s, frame, t_ns);

	if (frame)
		occ += (__s64)s->npackets - (__s64)st2110_tpr_count(s, frame - 1, t_ns);
	occ -= (__s64)st2110_tpr_count(s, frame + 1, t_ns);
	return occ;
}

/* t - floor(TPR_j(N)): > 0 means the packet came after its read time. */
static inline __s64 st2110_rx_tpr_err_ns(const struct st2110_sched *s, __u64 frame,
					 __u32 j, __u64 t_ns)
{
	return (__s64)(t_ns - st2110_tpr_ns(s, frame, j));
}

/*
 * Arrival t minus the time encoded by an RTP timestamp ts (the full tick
 * count nearest to t with these low 32 bits).  Also for t near 1970 (a
 * clock that is not TAI), where st2110_rtp_unwrap() does not apply.
 */
static inline __s64 st2110_rx_latency_ns(__u64 t_ns, __u32 ts, __u32 clock_hz)
{
	__u64 ref = st2110_rtp_ticks(t_ns, clock_hz), ticks;
	__u32 d = ts - (__u32)ref;

	if (ref >= 0x80000000ULL)
		ticks = st2110_rtp_unwrap(ts, ref);
	else if (d < 0x80000000U)
		ticks = ref + d;
	else
		ticks = ref >= 0x100000000ULL - d ? ref - (0x100000000ULL - d) : 0;
	return (__s64)(t_ns - st2110_rtp_ticks_to_ns_ceil(ticks, clock_hz));
}

#endif /* _ST2110_RX_H */
