/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * rtp.h - ST 2110-10 RTP clock, timestamps, sequence numbers, header layout.
 *
 * The RTP clock of every ST 2110 stream is the media clock with zero offset
 * at the SMPTE epoch (1970-01-01 TAI), so a timestamp is a pure function of
 * PTP (TAI) time: ticks = floor(t_ns * clock_hz / 1e9), sent modulo 2^32.
 * Video frame N carries floor(N * TFRAME * 90 kHz) mod 2^32: ST 2110-10
 * §7.5 says "truncating", hence 1501/1502 alternating at 59.94 Hz.  (EBU
 * LIST and MTL round instead, which differs by one tick on odd frames at
 * 1000/1001 rates; receivers must accept both.)
 */
#ifndef _ST2110_RTP_H
#define _ST2110_RTP_H

#include "rational.h"

/* RFC 3550 fixed header, byte offsets and fields */
#define ST2110_RTP_HDR_LEN		12
#define ST2110_RTP_VERSION		2
#define ST2110_RTP_OFF_VPXCC		0	/* V:2 P:1 X:1 CC:4 */
#define ST2110_RTP_OFF_MPT		1	/* M:1 PT:7 */
#define ST2110_RTP_OFF_SEQ		2	/* be16 */
#define ST2110_RTP_OFF_TS		4	/* be32 */
#define ST2110_RTP_OFF_SSRC		8	/* be32 */
#define ST2110_RTP_VERSION_SHIFT	6
#define ST2110_RTP_MARKER		0x80	/* in byte ST2110_RTP_OFF_MPT */
#define ST2110_RTP_PT_MASK		0x7f
#define ST2110_RTP_PT_DYNAMIC_MIN	96
#define ST2110_RTP_PT_DYNAMIC_MAX	127

/* ST 2110-20 (RFC 4175) payload header after the RTP header */
#define ST2110_20_ESN_LEN		2	/* be16: high half of the 32-bit sequence */
#define ST2110_20_SRD_LEN		6	/* be16 length, be16 F|row, be16 C|offset */
#define ST2110_20_MAX_SRD		3
#define ST2110_20_SRD_F			0x8000	/* in the row word: second field */
#define ST2110_20_SRD_C			0x8000	/* in the offset word: another SRD follows */
#define ST2110_20_SRD_ROW_MASK		0x7fff
#define ST2110_20_SRD_OFFSET_MASK	0x7fff

/* ST 2110-10 §6.3/6.4 size limits; both include the 8-byte UDP header */
#define ST2110_UDP_HDR_LEN		8
#define ST2110_UDP_STANDARD_LIMIT	1460
#define ST2110_UDP_EXTENDED_LIMIT	8960

#define ST2110_RTP_VIDEO_CLOCK_HZ	90000U

/* RTP clock ticks since the epoch at TAI time t_ns (floor). */
static inline __u64 st2110_rtp_ticks(__u64 t_ns, __u32 clock_hz)
{
	return st2110_muldiv_floor(t_ns, clock_hz, ST2110_NSEC_PER_SEC);
}

/* The 32-bit RTP timestamp of a media sample taken at TAI time t_ns. */
static inline __u32 st2110_rtp_ts(__u64 t_ns, __u32 clock_hz)
{
	return (__u32)st2110_rtp_ticks(t_ns, clock_hz);
}

/* TAI time of a tick count: floor and ceil of ticks * 1e9 / clock_hz ns. */
static inline __u64 st2110_rtp_ticks_to_ns(__u64 ticks, __u32 clock_hz)
{
	return st2110_muldiv_floor(ticks, ST2110_NSEC_PER_SEC, clock_hz);
}

static inline __u64 st2110_rtp_ticks_to_ns_ceil(__u64 ticks, __u32 clock_hz)
{
	return st2110_muldiv_ceil(ticks, ST2110_NSEC_PER_SEC, clock_hz);
}

/*
 * The full tick count whose low 32 bits are ts and which is nearest to
 * ref_ticks (e.g. st2110_rtp_ticks() of the arrival time): unambiguous
 * while |error| < 2^31 ticks, 6.6 hours at 90 kHz.  ref_ticks >= 2^31.
 */
static inline __u64 st2110_rtp_unwrap(__u32 ts, __u64 ref_ticks)
{
	__u32 d = ts - (__u32)ref_ticks;

	return d < 0x80000000U ? ref_ticks + d : ref_ticks - (0x100000000ULL - d);
}

/*
 * Like st2110_rtp_unwrap() for any ref_ticks, also below 2^31 (a capture
 * clock near 1970, free-running rather than TAI): the nearest tick count
 * that is not negative.  When the backward candidate would be below 0 the
 * forward one is the only count with these low bits.
 */
static inline __u64 st2110_rtp_unwrap_near(__u32 ts, __u64 ref_ticks)
{
	__u32 d = ts - (__u32)ref_ticks;

	if (d < 0x80000000U || ref_ticks < 0x100000000ULL - d)
		return ref_ticks + d;
	return ref_ticks - (0x100000000ULL - d);
}

/*
 * Arrival time t_ns minus the instant an RTP timestamp ts stands for (the
 * tick count nearest to t with those low bits, st2110_rtp_unwrap_near()),
 * floored: t - ceil(ticks * 1e9 / clock_hz).  Positive when the packet
 * left after its media time; for video, the latency of a frame's first
 * packet.
 */
static inline __s64 st2110_rtp_latency_ns(__u64 t_ns, __u32 ts, __u32 clock_hz)
{
	__u64 ticks = st2110_rtp_unwrap_near(ts, st2110_rtp_ticks(t_ns, clock_hz));

	return (__s64)(t_ns - st2110_rtp_ticks_to_ns_ceil(ticks, clock_hz));
}

/*
 * RTP timestamp of video frame N: floor((2N + field) * TFRAME/2 * 90 kHz),
 * rate = FRAME rate.  field = 1 only for the second field of an interlaced
 * frame (half a frame later); 0 for progressive and for both PsF segments.
 */
static inline __u32 st2110_rtp_video_ts(const struct st2110_rate *rate,
					__u64 frame, __u32 field)
{
	return (__u32)st2110_muldiv_floor(2 * frame + field,
					  (__u64)ST2110_RTP_VIDEO_CLOCK_HZ * rate->den,
					  2ULL * rate->num);
}

/*
 * Inverse: the frame (and field, if interlaced) whose timestamp is the
 * nearest to ts, with the 2^32 ambiguity resolved by an approximate TAI
 * time t_ns (within a few hours).  Exact for the timestamps that
 * st2110_rtp_video_ts() produces, truncated or rounded.
 */
static inline __u64 st2110_rtp_video_frame(const struct st2110_rate *rate,
					   int interlaced, __u32 ts,
					   __u64 t_ns, __u32 *field)
{
	__u64 ticks = st2110_rtp_unwrap(ts, st2110_rtp_ticks(t_ns, ST2110_RTP_VIDEO_CLOCK_HZ));
	/* pictures (fields when interlaced) per tick = num * k / (90000 * den) */
	__u64 k = interlaced ? 2 : 1;
	__u64 pic = st2110_muldiv_round(ticks, k * rate->num,
					(__u64)ST2110_RTP_VIDEO_CLOCK_HZ * rate->den);

	*field = interlaced ? (__u32)(pic & 1) : 0;
	return interlaced ? pic >> 1 : pic;
}

/* ST 2110-20 32-bit extended sequence number: ESN << 16 | RTP sequence. */
static inline __u32 st2110_seq_ext(__u16 esn, __u16 seq)
{
	return (__u32)esn << 16 | seq;
}

/* The 32-bit sequence nearest to ref whose low 16 bits are seq. */
static inline __u32 st2110_seq_unwrap16(__u32 ref, __u16 seq)
{
	__u16 d = (__u16)(seq - (__u16)ref);

	return d < 0x8000U ? ref + d : ref - (0x10000U - d);
}

/* The 64-bit sequence nearest to ref whose low 32 bits are ext. */
static inline __u64 st2110_seq_unwrap32(__u64 ref, __u32 ext)
{
	__u32 d = ext - (__u32)ref;

	return d < 0x80000000U ? ref + d : ref - (0x100000000ULL - d);
}

#endif /* _ST2110_RTP_H */
