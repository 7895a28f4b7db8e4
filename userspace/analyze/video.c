// SPDX-License-Identifier: GPL-2.0
/*
 * video.c - ST 2110-20/-21 measurements of one video stream.
 *
 * Two families of numbers are kept side by side:
 *
 *  strict   the ST 2110-21:2017 models as written.  CINST drains on the
 *           epoch grid k = floor(t / TDRAIN): C = max(0, C - (k_i - k_i-1))
 *           + 1.  VRX is one continuous bucket (vrx.c) fed with TPR_j of
 *           the gapped PRS (Type N) and of the linear PRS (NL, W), packet j
 *           being counted by extended sequence number from the first packet
 *           of its frame/field, so loss does not shift the schedule.
 *  LIST     what EBU LIST reports, quirks included: CINST on a grid anchored
 *           on the first packet, one lower than strict; VRX reset at every
 *           frame/field start (first packet after a marker, arrival order)
 *           with N = floor(t / Tpicture), TRODEFAULT whatever the SDP says,
 *           drained = (t - TVD + TRS) / TRS truncated toward zero; gapped or
 *           linear chosen by the 50x rule on the spacing after markers.
 *
 * Frame N of a frame/field is the one whose read time of the first packet
 * seen is nearest to that packet's arrival (the sender's lead and lateness
 * are both far below half a frame); the RTP timestamp is measured against
 * N*TFRAME separately (RTP offset, latency) and does not choose N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

/*
 * The RTP timestamp steps the format allows between consecutive frames
 * (fields when interlaced): the timing core's timestamps are floored, so a
 * fractional period such as 1501.5 ticks alternates 1501 and 1502.  The
 * pattern repeats within rate.den pictures; 2002 covers every 1/1 and
 * 1000/1001 rate.
 */
static void rtp_step_range(struct video *v)
{
	const struct st2110_rate *r = &v->fmt.rate;
	bool il = v->fmt.scan == ST2110_SCAN_INTERLACED;
	uint32_t k, n = r->den * 2 < 2002 ? r->den * 2 : 2002, prev, ts, step;

	v->step_lo = UINT32_MAX;
	v->step_hi = 0;
	prev = st2110_rtp_video_ts(r, 0, 0);
	for (k = 1; k <= n; k++) {
		ts = il ? st2110_rtp_video_ts(r, k / 2, k & 1) : st2110_rtp_video_ts(r, k, 0);
		step = ts - prev;
		prev = ts;
		if (step < v->step_lo)
			v->step_lo = step;
		if (step > v->step_hi)
			v->step_hi = step;
	}
}

/* Packet read schedules of a format, or a reason in v->why_not. */
int video_setup(struct video *v, const struct config *cfg,
		const struct st2110_sdp_stream *m)
{
	const struct st2110_sdp_video *sv = m && m->media == ST2110_SDP_VIDEO ? &m->video : NULL;
	struct st2110_sched_cfg sc;
	const char *reason = NULL;
	int64_t troff_us = cfg->troff_us;
	int i;

	/* a TP the library assumed (none in the SDP) is not a declaration */
	v->declared_tp = sv && !sv->tp_assumed ? sv->type : -1;
	v->declared_cmax = sv && sv->cmax_pkts ? (int64_t)sv->cmax_pkts : -1;
	if (troff_us < 0 && sv && sv->has_troff)
		troff_us = sv->troff_us;
	v->ref_type = cfg->type >= 0 ? cfg->type :
		      v->declared_tp >= 0 ? v->declared_tp : ST2110_TYPE_N;
	samples_init(&v->err, cfg->max_samples);
	v->unwrap.use_esn = true;
	if (v->why_not[0])
		return -1;

	v->npackets = v->field_pkts * v->fields;
	memset(&sc, 0, sizeof(sc));
	sc.npackets = v->npackets;
	sc.height_px = v->fmt.height_px;
	sc.rate = v->fmt.rate;
	sc.scan = v->fmt.scan;
	sc.troffset_ns = ST2110_TROFFSET_DEFAULT;
	/* LIST always uses TRODEFAULT (it ignores SDP TROFF) */
	sc.type = ST2110_TYPE_N;
	if (st2110_sched_init(&v->list[ST2110_PRS_GAPPED].s, &sc, &reason))
		goto fail;
	sc.type = ST2110_TYPE_NL;
	if (st2110_sched_init(&v->list[ST2110_PRS_LINEAR].s, &sc, &reason))
		goto fail;
	/*
	 * TROFF is whole µs: when it is TRODEFAULT rounded, the sender uses
	 * the default, which is not a whole number of µs; keep it exact.
	 */
	if (troff_us >= 0 &&
	    (uint64_t)troff_us != st2110_sched_troff_us(&v->list[ST2110_PRS_GAPPED].s)) {
		sc.troffset_ns = (uint64_t)troff_us * 1000;
		v->troff_given = true;
	}
	for (i = 0; i < 2; i++) {
		sc.type = i == ST2110_PRS_GAPPED ? ST2110_TYPE_N : ST2110_TYPE_NL;
		if (st2110_sched_init(&v->prs[i].s, &sc, &reason))
			goto fail;
		/* late packets are corrected within two frames, see vrx.h */
		vrx_init(&v->prs[i].vrx, 2 * v->prs[i].s.tframe_whole_ns);
	}
	v->troffset_ns = st2110_tvd_ns(&v->prs[ST2110_PRS_GAPPED].s, 0);

	rtp_step_range(v);
	v->timing = true;
	return 0;
fail:
	snprintf(v->why_not, sizeof(v->why_not), "format rejected by the timing core: %s",
		 reason ? reason : "unknown error");
	return -1;
}

/* Seconds of ns a time gap may span before 64-bit 1/den products wrap. */
static inline bool delta_ok(const struct st2110_sched *s, uint64_t d_ns)
{
	return d_ns <= s->delta_max_ns;
}

static void cinst_strict(struct video *v, uint64_t t)
{
	const struct st2110_sched *s = &v->prs[ST2110_PRS_GAPPED].s;
	uint64_t k, dk;

	if (!v->c_started)
		st2110_sched_base(s, t, &v->c_base);
	if (t >= v->c_base.t_ns && delta_ok(s, t - v->c_base.t_ns))
		k = v->c_base.drain + st2110_delta_drain_index(s, t - v->c_base.t_ns);
	else
		k = st2110_drain_index(s, t);
	if (!v->c_started) {
		v->c_started = true;
		v->c_cur = 1;
		v->c_k_prev = k;
	} else {
		/* a capture clock stepping back drains nothing */
		dk = k > v->c_k_prev ? k - v->c_k_prev : 0;
		v->c_cur = (v->c_cur > dk ? v->c_cur - dk : 0) + 1;
		if (k > v->c_k_prev)
			v->c_k_prev = k;
	}
	if (v->c_cur > v->c_peak)
		v->c_peak = v->c_cur;
}

static void cinst_list(struct video *v, uint64_t t)
{
	const struct st2110_sched *s = &v->prs[ST2110_PRS_GAPPED].s;
	uint64_t d, cleared;

	if (!v->lc_started) {
		v->lc_started = true;
		v->lc_t0 = t;
		v->lc_cleared_prev = 0;
		v->lc_cur = 0;
		v->lc_peak = 0;
		return;
	}
	d = t > v->lc_t0 ? t - v->lc_t0 : 0;
	cleared = delta_ok(s, d) ? st2110_delta_drain_index(s, d) :
		  st2110_drain_index(s, d);
	v->lc_cur = v->lc_cur + 1 - (int64_t)(cleared - v->lc_cleared_prev);
	if (v->lc_cur < 0)
		v->lc_cur = 0;
	v->lc_cleared_prev = cleared;
	if (v->lc_cur > v->lc_peak)
		v->lc_peak = v->lc_cur;
}

/* LIST: a frame (field) starts: N = floor(t / Tpicture), bucket reset. */
static void list_frame_start(struct video *v, struct vlist *l, uint64_t t)
{
	const struct st2110_sched *s = &l->s;
	uint64_t frame, half;
	__u64 rem;
	uint32_t field = 0;

	if (v->fields == 2) {
		half = st2110_field_index(s, t);
		frame = half / 2;
		field = half & 1;
	} else {
		frame = st2110_frame_index(s, t);
	}
	l->base_ns = st2110_frame_start(s, frame, &rem);
	l->tvd_d = (__int128)rem + s->troffset_d + (__int128)field * s->half_d;
	l->fast_ns = (1ULL << 61) / s->den;	/* |d| * den < 2^61 */
	l->vrx_prev = 0;
	l->drained_prev = 0;
}

static void list_vrx_pkt(struct vlist *l, uint64_t t)
{
	const struct st2110_sched *s = &l->s;
	int64_t d = (int64_t)(t - l->base_ns), drained;	/* two's complement: may be < 0 */
	__int128 x;

	/* (t - TVD + TRS) in 1/den units; 128 bits only when 64 could wrap */
	if (d > -(int64_t)l->fast_ns && d < (int64_t)l->fast_ns && l->tvd_d < ((__int128)1 << 61)) {
		drained = (d * (int64_t)s->den - (int64_t)l->tvd_d + (int64_t)s->trs_d) /
			  (int64_t)s->trs_d;	/* truncates toward 0, as LIST does */
	} else {
		x = (__int128)d * s->den - l->tvd_d + s->trs_d;
		drained = (int64_t)(x / (__int128)s->trs_d);
	}
	l->vrx_prev = l->vrx_prev + 1 - (drained - l->drained_prev);
	l->drained_prev = drained;
	mstat_add(&l->vrx, l->vrx_prev);
}

/* LIST's arrival-order view: frame starts, per-frame VRX, gap statistics. */
static void list_pkt(struct video *v, const struct rec *r)
{
	uint64_t t = r->t_ns, d;
	int i;

	if (v->l_have_prev) {
		d = t > v->l_prev_t ? t - v->l_prev_t : 0;
		if (v->l_after_marker) {
			v->gap_sum_ns += d;
			v->gap_n++;
		} else {
			v->reg_sum_ns += d;
			v->reg_n++;
		}
	}
	v->l_have_prev = true;
	v->l_prev_t = t;
	if (v->timing) {
		if (v->l_after_marker) {
			v->l_started = true;
			for (i = 0; i < 2; i++)
				list_frame_start(v, &v->list[i], t);
		}
		if (v->l_started)
			for (i = 0; i < 2; i++)
				list_vrx_pkt(&v->list[i], t);
	}
	v->l_after_marker = r->flags & REC_MARKER;
}

static void seg_close(struct video *v, const struct vseg *g)
{
	if (!g->valid || !g->counted)
		return;
	v->seg_total++;
	if (g->marker_seen && g->received == v->field_pkts)
		v->seg_complete++;
	else
		v->seg_incomplete++;
}

/* RTP timestamp against the epoch-aligned picture that contains t. */
static void picture_start(struct video *v, const struct rec *r)
{
	const struct st2110_sched *s = &v->prs[ST2110_PRS_GAPPED].s;
	uint64_t t = r->t_ns, h;
	uint32_t expect;

	if (v->fmt.scan == ST2110_SCAN_INTERLACED) {
		h = st2110_field_index(s, t);
		expect = st2110_rtp_video_ts(&s->rate, h / 2, (uint32_t)(h & 1));
	} else {
		expect = st2110_rtp_video_ts(&s->rate, st2110_frame_index(s, t), 0);
	}
	mstat_add(&v->rtp_off, (int32_t)(r->ts - expect));
	mstat_add(&v->latency_ns, st2110_rtp_latency_ns(t, r->ts, ST2110_RTP_VIDEO_CLOCK_HZ));
}

/* First packet of a frame/field: its time after the alignment point. */
static void first_packet(struct video *v, const struct vseg *g, uint64_t t)
{
	const struct st2110_sched *s = &v->prs[ST2110_PRS_GAPPED].s;
	uint64_t h, start;

	if (v->fmt.scan == ST2110_SCAN_INTERLACED) {
		h = st2110_field_index(s, t);
		start = st2110_field_start_ns(s, h);
	} else if (g->field) {
		return;		/* PsF: the frame starts with segment 1 */
	} else {
		start = st2110_frame_start_ns(s, st2110_frame_index(s, t));
	}
	mstat_add(&v->fpt_ns, (int64_t)(t - start));
}

/* The frame whose read time of packet j is nearest to t. */
static uint64_t nearest_frame(const struct video *v, uint64_t t, uint32_t j)
{
	const struct st2110_sched *s = &v->prs[v->ref_type == ST2110_TYPE_N ?
					       ST2110_PRS_GAPPED : ST2110_PRS_LINEAR].s;
	uint64_t off = st2110_tpr_ns(s, 0, j), x = t + s->tframe_whole_ns / 2;

	return x > off ? st2110_frame_index(s, x - off) : 0;
}

static struct vseg *segment_for(struct video *v, const struct rec *r, uint64_t ext)
{
	uint8_t field = v->fields == 2 && (r->flags & REC_F) ? 1 : 0;
	struct vseg *g = &v->cur;
	uint64_t start, jf;
	bool new_picture;

	if (g->valid && g->ts == r->ts && g->field == field)
		return g;
	if (v->prev.valid && v->prev.ts == r->ts && v->prev.field == field)
		return &v->prev;	/* a late packet of the previous one */

	seg_close(v, &v->prev);
	v->prev = v->cur;
	if (v->prev.valid && v->prev.marker_seen)
		start = v->prev.marker_ext + 1;
	else if (v->prev.valid)
		start = v->prev.start_ext + v->field_pkts;
	else if (v->field_pkts) {
		/* first one: count back from the first marker seen while learning */
		uint64_t back;

		start = v->first_ext + v->first_marker_delta + 1;
		if (start > ext) {
			back = (start - ext + v->field_pkts - 1) / v->field_pkts * v->field_pkts;
			start = back <= start ? start - back : ext;
		}
	} else {
		start = ext;
	}
	memset(g, 0, sizeof(*g));
	g->valid = true;
	g->ts = r->ts;
	g->field = field;
	g->start_ext = start;
	g->counted = v->prev.valid || ext == start;

	new_picture = !v->have_ts || v->last_ts != r->ts;
	if (v->have_ts && new_picture) {
		int32_t step = (int32_t)(r->ts - v->last_ts);

		mstat_add(&v->rtp_step, step);
		if (step < (int64_t)v->step_lo || step > (int64_t)v->step_hi)
			v->rtp_step_bad++;
	}
	v->have_ts = true;
	v->last_ts = r->ts;
	if (!v->timing)
		return g;
	if (new_picture)
		picture_start(v, r);
	jf = ext >= start ? ext - start : 0;
	if (jf >= v->field_pkts)
		jf = 0;
	g->frame = nearest_frame(v, r->t_ns, field * v->field_pkts + (uint32_t)jf);
	return g;
}

static void schedule_pkt(struct video *v, struct vprs *p, uint64_t frame, uint32_t j,
			 uint64_t t, bool ref)
{
	uint64_t tpr, tpr_ceil;
	int64_t err;

	if (!p->it_valid || p->it.frame != frame || p->it.pkt != j) {
		st2110_tpr_iter_start(&p->it, &p->s, frame, j, 0);
		p->it_valid = true;
	}
	/*
	 * Lateness is t > floor(TPR_j); the read has happened once
	 * ceil(TPR_j) <= t: a packet stamped at floor(TPR_j) of a fractional
	 * TPR_j is early, not late.
	 */
	tpr_ceil = st2110_tpr_iter_ceil_ns(&p->it);
	tpr = st2110_tpr_iter_next(&p->it, &p->s);
	err = (int64_t)(t - tpr);
	mstat_add(&p->err_ns, err);
	if (err > 0)
		p->late_pkts++;
	vrx_add(&p->vrx, t, tpr_ceil);
	if (ref)
		samples_add(&v->err, err);
}

void video_pkt(struct video *v, const struct rec *r)
{
	uint64_t ext = seq_unwrap(&v->unwrap, r->esn, r->seq), jf;
	enum seq_result sr = seq_update(&v->seq, ext);
	struct vseg *g;
	int ref = v->ref_type == ST2110_TYPE_N ? ST2110_PRS_GAPPED : ST2110_PRS_LINEAR;

	if (!v->seq_started) {
		v->seq_started = true;
		v->first_ext = ext;
	}
	/* duplicates occupy the link: CINST and LIST see every packet */
	if (v->timing) {
		cinst_strict(v, r->t_ns);
		cinst_list(v, r->t_ns);
	}
	list_pkt(v, r);
	if (sr == SEQ_DUP)
		return;

	g = segment_for(v, r, ext);
	g->received++;
	if (r->flags & REC_MARKER) {
		g->marker_seen = true;
		g->marker_ext = ext;
	}
	if (!v->timing)
		return;
	if (ext < g->start_ext || ext - g->start_ext >= v->field_pkts) {
		v->index_errors++;
		return;
	}
	jf = ext - g->start_ext;
	if (!jf)
		first_packet(v, g, r->t_ns);
	jf += (uint64_t)g->field * v->field_pkts;
	schedule_pkt(v, &v->prs[ST2110_PRS_GAPPED], g->frame, (uint32_t)jf, r->t_ns,
		     ref == ST2110_PRS_GAPPED);
	schedule_pkt(v, &v->prs[ST2110_PRS_LINEAR], g->frame, (uint32_t)jf, r->t_ns,
		     ref == ST2110_PRS_LINEAR);
}

void video_finish(struct video *v)
{
	seg_close(v, &v->prev);
	/* the last one counts only if its end was captured */
	if (v->cur.marker_seen)
		seg_close(v, &v->cur);
	v->prev.valid = v->cur.valid = false;
	if (v->timing) {
		vrx_flush(&v->prs[0].vrx);
		vrx_flush(&v->prs[1].vrx);
	}
	v->err_p50_ns = samples_pct(&v->err, 50);
	v->err_p99_ns = samples_pct(&v->err, 99);
}

void video_free(struct video *v)
{
	vrx_free(&v->prs[0].vrx);
	vrx_free(&v->prs[1].vrx);
	samples_free(&v->err);
}
