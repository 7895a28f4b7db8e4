/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * audio.h - ST 2110-30 (AES67 PCM) packet size and epoch-aligned schedule.
 *
 * The packet time is held as samples per packet, so that 333 1/3 µs is
 * exactly 16 samples at 48 kHz.  Packet k carries samples k*spp ..
 * k*spp + spp - 1 counted from the epoch, so its RTP timestamp is k*spp mod
 * 2^32 and its nominal time is k * spp / rate seconds (floored to ns).
 */
#ifndef _ST2110_AUDIO_H
#define _ST2110_AUDIO_H

#include "rational.h"
#include "rtp.h"

#define ST2110_AUDIO_MAX_CHANNELS	64
/* Standard UDP Size Limit only (ST 2110-30): 1460 - UDP 8 - RTP 12 */
#define ST2110_AUDIO_MAX_PAYLOAD \
	(ST2110_UDP_STANDARD_LIMIT - ST2110_UDP_HDR_LEN - ST2110_RTP_HDR_LEN)

struct st2110_audio_fmt {
	__u32 rate_hz;			/* 48000, 96000 or 44100; also the RTP clock */
	__u32 samples_per_pkt;		/* packet time = samples_per_pkt / rate_hz */
	__u16 channels;			/* 1..64 */
	__u8 depth_bits;		/* 16 (L16) or 24 (L24) */
	__u8 pad;
};

/* Bytes of PCM per packet: channels * samples * bytes per sample. */
static inline __u32 st2110_audio_payload_bytes(const struct st2110_audio_fmt *a)
{
	return (__u32)a->channels * a->samples_per_pkt * (a->depth_bits / 8);
}

/*
 * The format without its packet time (rate, channels, depth), e.g. from an
 * SDP rtpmap before its ptime is known.  st2110_audio_validate() checks
 * these and then the packet size.
 */
static inline int st2110_audio_validate_fmt(const struct st2110_audio_fmt *a,
					    const char **reason)
{
	if (a->rate_hz != 48000 && a->rate_hz != 96000 && a->rate_hz != 44100) {
		*reason = "audio sample rate must be 48000, 96000 or 44100 Hz";
		return -EINVAL;
	}
	if (a->channels < 1 || a->channels > ST2110_AUDIO_MAX_CHANNELS) {
		*reason = "audio channels must be 1..64";
		return -EINVAL;
	}
	if (a->depth_bits != 16 && a->depth_bits != 24) {
		*reason = "audio depth must be L16 or L24";
		return -EINVAL;
	}
	return 0;
}

static inline int st2110_audio_validate(const struct st2110_audio_fmt *a,
					const char **reason)
{
	int err = st2110_audio_validate_fmt(a, reason);

	if (err)
		return err;
	if (!a->samples_per_pkt) {
		*reason = "audio packet time must be at least one sample";
		return -EINVAL;
	}
	/* checked before the product so it cannot wrap */
	if (a->samples_per_pkt > ST2110_AUDIO_MAX_PAYLOAD ||
	    st2110_audio_payload_bytes(a) > ST2110_AUDIO_MAX_PAYLOAD) {
		*reason = "audio payload exceeds 1440 bytes (1460-byte Standard UDP Size Limit)";
		return -EINVAL;
	}
	return 0;
}

/*
 * Samples per packet of a packet time in ns at a sample rate, rounded to
 * nearest: 1 ms -> 48, 125 µs -> 6, 333333 ns -> 16 at 48 kHz; 1 ms at
 * 44.1 kHz -> 44 (a 997.7 µs packet).
 */
static inline __u32 st2110_audio_spp(__u32 rate_hz, __u64 ptime_ns)
{
	return (__u32)st2110_muldiv_round(ptime_ns, rate_hz, ST2110_NSEC_PER_SEC);
}

/* The exact packet time in ns: spp * 1e9 / rate, reduced (125 µs = 125000/1). */
static inline void st2110_audio_ptime(const struct st2110_audio_fmt *a,
				      struct st2110_frac *ptime_ns)
{
	st2110_frac_set(ptime_ns, (__u64)a->samples_per_pkt * ST2110_NSEC_PER_SEC,
			a->rate_hz);
}

/* Index k of the packet whose samples were taken at TAI time t_ns. */
static inline __u64 st2110_audio_pkt_index(const struct st2110_audio_fmt *a, __u64 t_ns)
{
	/* floor(floor(x) / n) == floor(x / n) for integer n */
	return st2110_div64(st2110_rtp_ticks(t_ns, a->rate_hz), a->samples_per_pkt);
}

/* floor(k * spp / rate) in ns: when packet k's first sample was taken. */
static inline __u64 st2110_audio_pkt_time_ns(const struct st2110_audio_fmt *a, __u64 k)
{
	return st2110_rtp_ticks_to_ns(k * a->samples_per_pkt, a->rate_hz);
}

static inline __u32 st2110_audio_pkt_rtp_ts(const struct st2110_audio_fmt *a, __u64 k)
{
	return (__u32)(k * a->samples_per_pkt);
}

/*
 * The first packet k whose release time, the end of its packet time plus
 * troffset_ns (floor((k + 1) * ptime) + troffset), is not before t_ns: the
 * next free slot of the packet grid for a packet handed over at t_ns (RTP
 * restamp of a sender whose clock is not PTP locked).
 */
static inline __u64 st2110_audio_next_slot(const struct st2110_audio_fmt *a,
					   __u64 t_ns, __u64 troffset_ns)
{
	__u64 x, k;

	if (t_ns <= troffset_ns)
		return 0;
	x = t_ns - troffset_ns;
	/* floor(k * ptime) <= x < (k + 1) * ptime, so release(k) >= t_ns */
	k = st2110_audio_pkt_index(a, x);
	/* release(k - 1) = floor(k * ptime) + troffset = t_ns exactly */
	if (k && st2110_audio_pkt_time_ns(a, k) == x)
		k--;
	return k;
}

#endif /* _ST2110_AUDIO_H */
