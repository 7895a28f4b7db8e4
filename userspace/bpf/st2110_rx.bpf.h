/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-flow ST 2110-21 receiver measurement (struct st2110_xdp_rx) and the
 * ST 2022-7 merge decision (struct st2110_xdp_merge). Both run with their
 * entry's spin lock held: no helper calls, bounded loops only; the
 * arithmetic is include/st2110/rx.h. The rules are documented with the
 * structs in include/uapi/linux/st2110_xdp.h.
 */
#ifndef ST2110_RX_BPF_H
#define ST2110_RX_BPF_H

#include <linux/st2110_xdp.h>
#include <st2110/rx.h>
#include "st2110_flow.bpf.h"

#define ST2110_S64_MAX	((__s64)(~0ULL >> 1))
#define ST2110_S64_MIN	(-ST2110_S64_MAX - 1)

static __always_inline void st2110_rx_reset(struct st2110_xdp_rx *rx, __u32 format)
{
	__builtin_memset(rx, 0, sizeof(*rx));
	rx->format = format;
	rx->vrx_min = ST2110_S64_MAX;
	rx->vrx_peak = ST2110_S64_MIN;
	rx->tpr_err_min_ns = ST2110_S64_MAX;
	rx->tpr_err_max_ns = ST2110_S64_MIN;
	rx->latency_min_ns = ST2110_S64_MAX;
	rx->latency_max_ns = ST2110_S64_MIN;
}

/* CINST counts every packet on the wire, duplicates and stale ones too. */
static __always_inline void st2110_rx_cinst_pkt(struct st2110_xdp_rx *rx,
						const struct st2110_rx_fmt *fmt, __u64 now_ns)
{
	struct st2110_base b = {
		.t_ns = rx->base_ns, .frame = rx->base_frame, .drain = rx->base_drain,
	};
	__u64 k = st2110_rx_drain_index(&fmt->s, &b, now_ns);

	rx->base_ns = b.t_ns;
	rx->base_frame = b.frame;
	rx->base_drain = b.drain;
	if (!(rx->state & ST2110_XDP_RX_S_CINST)) {
		rx->state |= ST2110_XDP_RX_S_CINST;
		rx->cinst = 1;
		rx->drain_k = k;
	} else {
		rx->cinst = st2110_rx_cinst(rx->cinst, rx->drain_k, k);
		if (k > rx->drain_k)
			rx->drain_k = k;
	}
	if (rx->cinst > rx->cinst_peak)
		rx->cinst_peak = rx->cinst;
	if (rx->cinst > fmt->cmax && (rx->state & ST2110_XDP_RX_S_FRAME) &&
	    !(rx->state & ST2110_XDP_RX_S_OVER_CMAX)) {
		rx->state |= ST2110_XDP_RX_S_OVER_CMAX;
		rx->frames_over_cmax += 1;
	}
}

/*
 * A packet with a sequence place (not a duplicate, not stale): frame
 * boundaries, then its place j in the read schedule, VRX and lateness.
 */
static __always_inline void st2110_rx_sched_pkt(struct st2110_xdp_rx *rx,
						const struct st2110_rx_fmt *fmt,
						const struct st2110_rtp *rtp,
						__u64 ext, __u64 now_ns)
{
	const struct st2110_sched *s = &fmt->s;
	__u64 jf, frame;
	__u32 j;
	__s64 v, err;

	if ((rx->state & ST2110_XDP_RX_S_AFTER_MARKER) && ext > rx->marker_ext) {
		/* first packet of a new field (frame) */
		rx->state &= ~(ST2110_XDP_RX_S_AFTER_MARKER | ST2110_XDP_RX_S_OVER_CMAX |
			       ST2110_XDP_RX_S_OVER_VRX);
		rx->state |= ST2110_XDP_RX_S_FRAME;
		rx->field_start_ext = rx->marker_ext + 1;
		rx->field = s->field_pkts != s->npackets && rtp->has_esn ? rtp->field : 0;
		rx->frames += 1;
		jf = ext - rx->field_start_ext;
		j = (__u32)jf + rx->field * s->field_pkts;
		rx->frame = st2110_rx_nearest_frame(s, now_ns, jf < s->field_pkts ? j : 0);
	}
	if (rtp->marker) {
		if (rx->marker_ext && ext > rx->marker_ext) {
			rx->npackets_measured = ext - rx->marker_ext;
			if (rx->npackets_measured != s->field_pkts)
				rx->npackets_mismatch += 1;
		}
		if (ext > rx->marker_ext) {
			rx->marker_ext = ext;
			rx->state |= ST2110_XDP_RX_S_AFTER_MARKER;
		}
	}
	if (!(rx->state & ST2110_XDP_RX_S_FRAME))
		return;
	if (ext < rx->field_start_ext || ext - rx->field_start_ext >= s->field_pkts) {
		rx->index_errors += 1;
		return;
	}
	jf = ext - rx->field_start_ext;
	j = (__u32)jf + rx->field * s->field_pkts;
	frame = rx->frame;
	if (!jf) {
		v = st2110_rx_latency_ns(now_ns, rtp->ts, ST2110_RTP_VIDEO_CLOCK_HZ);
		rx->latency_last_ns = v;
		if (v < rx->latency_min_ns)
			rx->latency_min_ns = v;
		if (v > rx->latency_max_ns)
			rx->latency_max_ns = v;
	}
	rx->pkts += 1;
	v = st2110_rx_vrx(s, frame, j, now_ns);
	rx->vrx = v;
	if (v > rx->vrx_peak)
		rx->vrx_peak = v;
	if (v < rx->vrx_min)
		rx->vrx_min = v;
	if (v > (__s64)fmt->vrx_full && !(rx->state & ST2110_XDP_RX_S_OVER_VRX)) {
		rx->state |= ST2110_XDP_RX_S_OVER_VRX;
		rx->frames_over_vrx += 1;
	}
	err = st2110_rx_tpr_err_ns(s, frame, j, now_ns);
	if (err > 0)
		rx->late_pkts += 1;
	if (err < rx->tpr_err_min_ns)
		rx->tpr_err_min_ns = err;
	if (err > rx->tpr_err_max_ns)
		rx->tpr_err_max_ns = err;
}

/* One RTP packet of a flow whose route has a format; flow->lock is held. */
static __always_inline void st2110_rx_pkt(struct st2110_xdp_rx *rx, __u32 format,
					  const struct st2110_rx_fmt *fmt,
					  const struct st2110_rtp *rtp,
					  enum st2110_seq_kind kind, __u64 ext, __u64 now_ns)
{
	if (rx->format != format)
		st2110_rx_reset(rx, format);
	st2110_rx_cinst_pkt(rx, fmt, now_ns);
	if (kind == ST2110_SEQ_DUP || kind == ST2110_SEQ_STALE)
		return;
	if (kind == ST2110_SEQ_START) {
		/* a (re)started sequence: old boundaries mean nothing now */
		rx->state &= ~(ST2110_XDP_RX_S_FRAME | ST2110_XDP_RX_S_AFTER_MARKER);
		rx->marker_ext = 0;
	}
	st2110_rx_sched_pkt(rx, fmt, rtp, ext, now_ns);
}

/* ---- ST 2022-7 merge ---- */

static __always_inline __u64 st2110_merge_mask(__u64 ext)
{
	return 1ULL << (ext & 63);
}

static __always_inline __u32 st2110_merge_word(__u64 ext)
{
	return (ext / 64) % ST2110_XDP_MERGE_WINDOW_WORDS;
}

static __always_inline bool st2110_merge_test(const struct st2110_xdp_merge *m,
					      __u32 leg, __u64 ext)
{
	return m->seen[leg & 1][st2110_merge_word(ext)] & st2110_merge_mask(ext);
}

static __always_inline __u64 st2110_popcount64(__u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

/*
 * Judge the numbers lo..hi (hi - lo < WINDOW) as they leave the window and
 * clear their bits, a 64-bit word at a time: the verifier walks at most
 * WINDOW_WORDS + 1 iterations instead of one per number.
 */
static __always_inline void st2110_merge_judge(struct st2110_xdp_merge *m, __u64 lo, __u64 hi)
{
	__u64 p = lo, cnt, mask, s0, s1;
	__u32 i, w, bit;

	for (i = 0; i <= ST2110_XDP_MERGE_WINDOW_WORDS; i++) {
		if (p > hi)
			break;
		bit = p & 63;
		cnt = 64 - bit;
		if (cnt > hi - p + 1)
			cnt = hi - p + 1;
		mask = (cnt == 64 ? ~0ULL : (1ULL << cnt) - 1) << bit;
		w = st2110_merge_word(p);
		s0 = m->seen[0][w] & mask;
		s1 = m->seen[1][w] & mask;
		m->both += st2110_popcount64(s0 & s1);
		m->recovered[0] += st2110_popcount64(s0 & ~s1);
		m->recovered[1] += st2110_popcount64(s1 & ~s0);
		m->lost_both += st2110_popcount64(mask & ~(s0 | s1));
		m->seen[0][w] &= ~mask;
		m->seen[1][w] &= ~mask;
		p += cnt;
	}
}

/*
 * One packet of leg @leg with sequence @seq32 (16-bit RTP sequence, or the
 * 32-bit ST 2110-20 one with ST2110_XDP_MERGE_F_ESN); m->lock is held.
 * Returns true when this is the first copy (forward it).
 */
static __always_inline bool st2110_merge_pkt(struct st2110_xdp_merge *m, __u32 leg,
					     __u32 seq32)
{
	bool esn = m->flags & ST2110_XDP_MERGE_F_ESN;
	__u64 ext, gap, n, lo, back;
	__u32 d;

	leg &= 1;
	m->packets[leg] += 1;
	if (!(m->state & ST2110_XDP_MERGE_S_STARTED)) {
		/* start above the window so that ext - WINDOW never wraps */
		ext = (esn ? 0x100000000ULL : 0x10000ULL) + seq32;
		m->state |= ST2110_XDP_MERGE_S_STARTED;
		m->ext_first = ext;
		m->ext_max = ext;
		m->seen[leg][st2110_merge_word(ext)] |= st2110_merge_mask(ext);
		m->forwarded += 1;
		return true;
	}
	if (esn) {
		d = seq32 - (__u32)m->ext_max;
		ext = d < 0x80000000U ? m->ext_max + d : m->ext_max - (0x100000000ULL - d);
	} else {
		d = (__u16)(seq32 - (__u32)m->ext_max);
		ext = d < 0x8000U ? m->ext_max + d : m->ext_max - (0x10000ULL - d);
	}
	if (ext > m->ext_max) {
		gap = ext - m->ext_max;
		n = gap < ST2110_XDP_MERGE_WINDOW ? gap : ST2110_XDP_MERGE_WINDOW;
		/*
		 * The numbers that leave the window: (max - W, max - W + n];
		 * those before the first number were never part of the merge.
		 */
		lo = m->ext_max - ST2110_XDP_MERGE_WINDOW + 1;
		if (lo < m->ext_first)
			lo = m->ext_first;
		if (lo <= m->ext_max - ST2110_XDP_MERGE_WINDOW + n)
			st2110_merge_judge(m, lo, m->ext_max - ST2110_XDP_MERGE_WINDOW + n);
		/* numbers that were never inside the window at all */
		if (gap > ST2110_XDP_MERGE_WINDOW)
			m->lost_both += gap - ST2110_XDP_MERGE_WINDOW;
		m->ext_max = ext;
		m->seen[leg][st2110_merge_word(ext)] |= st2110_merge_mask(ext);
		m->forwarded += 1;
		return true;
	}
	back = m->ext_max - ext;
	if (back >= ST2110_XDP_MERGE_WINDOW || ext < m->ext_first) {
		m->stale += 1;
		return false;
	}
	if (st2110_merge_test(m, 0, ext) || st2110_merge_test(m, 1, ext)) {
		m->seen[leg][st2110_merge_word(ext)] |= st2110_merge_mask(ext);
		m->duplicates += 1;
		return false;
	}
	m->seen[leg][st2110_merge_word(ext)] |= st2110_merge_mask(ext);
	m->forwarded += 1;
	return true;
}

#endif /* ST2110_RX_BPF_H */
