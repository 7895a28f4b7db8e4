// SPDX-License-Identifier: GPL-2.0
/*
 * audio.c - ST 2110-30 streams: sequence, packet time, RTP steps, latency.
 *
 * Deliberately simple (no TS-DF): the RTP step between consecutive packets
 * is the packet time in samples, the arrival interval is its wall-clock
 * view, and latency is arrival minus the time the RTP timestamp names on
 * the epoch-aligned media clock (ST 2110-10: zero at 1970 TAI).
 */
#include "analyze.h"

void audio_pkt(struct audio *a, const struct rec *r)
{
	uint64_t ext = seq_unwrap(&a->unwrap, r->esn, r->seq);
	enum seq_result sr = seq_update(&a->seq, ext);

	if (sr == SEQ_DUP)
		return;
	if (a->have_prev && ext == a->prev_ext + 1) {
		int32_t step = (int32_t)(r->ts - a->prev_ts);

		mstat_add(&a->step_ticks, step);
		if (a->spp && step != (int32_t)a->spp)
			a->step_bad++;
		mstat_add(&a->interval_ns, (int64_t)(r->t_ns - a->prev_t));
	}
	if (a->rate_hz)
		mstat_add(&a->latency_ns, st2110_rtp_latency_ns(r->t_ns, r->ts, a->rate_hz));
	if (!a->have_prev || ext > a->prev_ext) {
		a->have_prev = true;
		a->prev_ext = ext;
		a->prev_ts = r->ts;
		a->prev_t = r->t_ns;
	}
}
