/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-flow RTP measurement: extended sequence tracking (loss, reorder,
 * duplicates) and RFC 3550 interarrival jitter, all integer. The rules are
 * documented with struct st2110_xdp_flow in include/uapi/linux/st2110_xdp.h.
 *
 * Everything here runs with flow->lock held, so no helper calls: the
 * caller reads the packet and the clock before taking the lock.
 */
#ifndef ST2110_FLOW_BPF_H
#define ST2110_FLOW_BPF_H

#include <stdbool.h>
#include <linux/st2110_xdp.h>

#define ST2110_NSEC_PER_SEC	1000000000ULL
#define ST2110_SEQ_MOD		0x10000ULL

/* What the caller read from the RTP header (and the ST 2110-20 one). */
struct st2110_rtp {
	__u32 ssrc;
	__u32 ts;
	__u16 seq;
	__u8 marker;
	__u8 has_esn;		/* an ST 2110-20 payload header could follow */
	__u16 esn;		/* its extended sequence number (high half) */
	__u8 field;		/* SRD F bit of its first SRD */
	__u8 pad;
};

/* How st2110_flow_rtp() placed a packet in the sequence. */
enum st2110_seq_kind {
	ST2110_SEQ_START,	/* first of a (re)started session */
	ST2110_SEQ_NEW,		/* ahead of the highest so far */
	ST2110_SEQ_LATE,	/* fills a hole */
	ST2110_SEQ_DUP,
	ST2110_SEQ_STALE,	/* out of the window: not placed */
};

static __always_inline __u64 st2110_seen_mask(__u64 ext)
{
	return 1ULL << (ext & 63);
}

static __always_inline __u32 st2110_seen_word(__u64 ext)
{
	return (ext / 64) % ST2110_XDP_SEQ_WINDOW_WORDS;
}

static __always_inline bool st2110_seen_test(struct st2110_xdp_flow *f, __u64 ext)
{
	return f->seen[st2110_seen_word(ext)] & st2110_seen_mask(ext);
}

static __always_inline void st2110_seen_set(struct st2110_xdp_flow *f, __u64 ext)
{
	f->seen[st2110_seen_word(ext)] |= st2110_seen_mask(ext);
}

static __always_inline void st2110_seen_clear(struct st2110_xdp_flow *f, __u64 ext)
{
	f->seen[st2110_seen_word(ext)] &= ~st2110_seen_mask(ext);
}

/*
 * (Re)start a tracking session at this packet. Its extended sequence is put
 * in the wrap cycle after the highest one so far, so ext_seq never goes
 * back across sessions; the first session starts in cycle 1 so that a late
 * packet can never underflow.
 */
static __always_inline void st2110_flow_start(struct st2110_xdp_flow *f,
					      const struct st2110_rtp *rtp,
					      __u64 now_ns)
{
	__u64 ext;
	int i;

	if (f->state & ST2110_XDP_FLOW_S_TRACKING)
		ext = (f->ext_seq_max & ~(ST2110_SEQ_MOD - 1)) + ST2110_SEQ_MOD + rtp->seq;
	else
		ext = ST2110_SEQ_MOD + rtp->seq;

#pragma unroll
	for (i = 0; i < ST2110_XDP_SEQ_WINDOW_WORDS; i++)
		f->seen[i] = 0;
	st2110_seen_set(f, ext);
	f->ext_seq_first = ext;
	f->ext_seq_max = ext;
	f->expected += 1;
	f->ssrc = rtp->ssrc;
	f->state = ST2110_XDP_FLOW_S_TRACKING;
	f->last_arrival_ns = now_ns;
	f->last_rtp_ts = rtp->ts;
}

/* Move the top of the window to ext: the numbers skipped are holes. */
static __always_inline void st2110_flow_advance(struct st2110_xdp_flow *f, __u64 ext)
{
	__u64 gap = ext - f->ext_seq_max - 1;
	__u64 pos = f->ext_seq_max + 1;
	__u32 i;

	if (gap >= ST2110_XDP_SEQ_WINDOW - 1) {
#pragma unroll
		for (i = 0; i < ST2110_XDP_SEQ_WINDOW_WORDS; i++)
			f->seen[i] = 0;
	} else {
		/* Clear the bits that still hold numbers one window older. */
		for (i = 0; i < ST2110_XDP_SEQ_WINDOW - 1; i++) {
			if (i >= gap)
				break;
			st2110_seen_clear(f, pos + i);
		}
	}
	st2110_seen_set(f, ext);
	f->expected += gap + 1;
	f->lost += gap;
	f->ext_seq_max = ext;
}

/*
 * Late by more than the window, or from before the session's first packet:
 * neither reorder nor duplicate can be told. Such a packet may also be the
 * first of a sender that jumped: arm a resync on the number after it.
 */
static __always_inline bool st2110_flow_stale(struct st2110_xdp_flow *f, __u64 back,
					      __u16 seq)
{
	if (back < ST2110_XDP_SEQ_WINDOW && f->ext_seq_max - back >= f->ext_seq_first)
		return false;
	f->stale += 1;
	f->state |= ST2110_XDP_FLOW_S_RESYNC_ARMED;
	f->resync_seq = (seq + 1) & 0xffff;
	return true;
}

/* A packet inside the window, at or below its top; true if a duplicate. */
static __always_inline bool st2110_flow_late(struct st2110_xdp_flow *f, __u64 back)
{
	__u64 ext = f->ext_seq_max - back;

	if (st2110_seen_test(f, ext)) {
		f->duplicates += 1;
		return true;
	}
	st2110_seen_set(f, ext);
	f->reordered += 1;
	f->lost -= 1;
	return false;
}

static __always_inline __u64 st2110_abs_diff(__u64 a, __u64 b)
{
	return a > b ? a - b : b - a;
}

/*
 * RFC 3550 A.8 in ns: D = (R_j - R_i) - (S_j - S_i) * 1e9 / clock. Both terms
 * are kept as magnitude and sign so that only unsigned division is needed.
 */
static __always_inline void st2110_flow_jitter(struct st2110_xdp_flow *f,
					       const struct st2110_rtp *rtp,
					       __u64 now_ns, __u32 clock_hz)
{
	__s32 ts_delta = (__s32)(rtp->ts - f->last_rtp_ts);
	__u64 rtp_ns, arr_ns, d_ns;
	bool rtp_neg = ts_delta < 0, arr_neg = now_ns < f->last_arrival_ns;

	rtp_ns = (rtp_neg ? -(__s64)ts_delta : (__s64)ts_delta) * ST2110_NSEC_PER_SEC / clock_hz;
	arr_ns = st2110_abs_diff(now_ns, f->last_arrival_ns);

	if (rtp_neg == arr_neg)
		d_ns = st2110_abs_diff(arr_ns, rtp_ns);
	else
		d_ns = arr_ns + rtp_ns;
	if (d_ns > ST2110_XDP_JITTER_CLAMP_NS)
		d_ns = ST2110_XDP_JITTER_CLAMP_NS;

	f->jitter_q4_ns += d_ns - ((f->jitter_q4_ns + 8) >> 4);
	f->rtp_clock_hz = clock_hz;
}

/*
 * One RTP version 2 packet of this flow; flow->lock is held. Returns how it
 * was placed, with its extended sequence in *ext (not for STALE).
 */
static __always_inline enum st2110_seq_kind
st2110_flow_rtp(struct st2110_xdp_flow *f, const struct st2110_rtp *rtp,
		__u64 now_ns, __u32 clock_hz, __u64 *ext)
{
	__u64 back;
	__u16 delta;

	f->rtp_packets += 1;
	f->rtp_markers += rtp->marker;

	if (!(f->state & ST2110_XDP_FLOW_S_TRACKING)) {
		st2110_flow_start(f, rtp, now_ns);
		*ext = f->ext_seq_max;
		return ST2110_SEQ_START;
	}
	if (rtp->ssrc != f->ssrc) {
		f->ssrc_changes += 1;
		st2110_flow_start(f, rtp, now_ns);
		*ext = f->ext_seq_max;
		return ST2110_SEQ_START;
	}
	if ((f->state & ST2110_XDP_FLOW_S_RESYNC_ARMED) &&
	    rtp->seq == f->resync_seq) {
		struct st2110_rtp prev = *rtp;

		/*
		 * With hindsight the stale packet that armed the resync was
		 * the first of the new sequence: move it into the session.
		 */
		prev.seq = rtp->seq - 1;
		f->stale -= 1;
		f->resyncs += 1;
		st2110_flow_start(f, &prev, now_ns);
		st2110_flow_advance(f, f->ext_seq_max + 1);
		*ext = f->ext_seq_max;
		return ST2110_SEQ_START;
	}
	delta = rtp->seq - (__u16)f->ext_seq_max;
	back = delta >= 0x8000 ? ST2110_SEQ_MOD - delta : 0;
	/* A stale packet says nothing about this session's timing either. */
	if (back && st2110_flow_stale(f, back, rtp->seq))
		return ST2110_SEQ_STALE;
	f->state &= ~ST2110_XDP_FLOW_S_RESYNC_ARMED;

	if (clock_hz)
		st2110_flow_jitter(f, rtp, now_ns, clock_hz);
	f->last_arrival_ns = now_ns;
	f->last_rtp_ts = rtp->ts;

	if (back || !delta) {
		*ext = f->ext_seq_max - back;
		return st2110_flow_late(f, back) ? ST2110_SEQ_DUP : ST2110_SEQ_LATE;
	}
	st2110_flow_advance(f, f->ext_seq_max + delta);
	*ext = f->ext_seq_max;
	return ST2110_SEQ_NEW;
}

#endif /* ST2110_FLOW_BPF_H */
