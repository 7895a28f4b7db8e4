/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_timing.h - one computation over the timing core, compiled both into
 * the BPF object (bpf_timing.c) and into the host loader (bpf_run.c), so
 * the two results can be compared bit for bit.
 *
 * The BPF side also proves the calling rules: everything here is reached
 * from an XDP program, so it must pass the verifier (bounded loops, no
 * 128-bit helpers, no calls into libc).
 */
#ifndef BPF_TIMING_H
#define BPF_TIMING_H

#include <st2110/st2110.h>

#define BT_NPKT	8

/* Fast path: what an XDP program gets from user space and computes. */
struct bt_in {
	struct st2110_sched s;		/* from st2110_sched_init() on the host */
	struct st2110_video_layout l;	/* from st2110_video_layout_init() */
	struct st2110_audio_fmt audio;	/* validated */
	__u32 pkt;
	__u64 t_ns;
	__u32 lead_pkts;
	__u32 rtp_ts;
	__u32 seq_ref;
	__u16 seq;
	__u16 pad;
};

struct bt_out {
	struct st2110_base base;
	struct st2110_pkt p;
	__u64 frame;
	__u64 frame_start_ns;
	__u64 tvd_ns;
	__u64 tpr_ns;
	__u64 tpr_lead_ns;
	__u64 iter_ns[BT_NPKT];
	__u64 drain;
	__u64 delta_frame;
	__u64 delta_drain;
	__u64 count;
	__u64 next_frame;
	__u64 troff_us;
	__u64 rtp_ticks;
	__u64 rtp_frame;
	__u64 rtp_unwrap;
	__u64 rtp_video_ts;
	__u64 rtp_field;
	__u64 seq_unwrap;
	__u64 audio_index;
	__u64 audio_time_ns;
	__u64 audio_ts;
};

struct bt_io {
	struct bt_in in;
	struct bt_out out;
};

static inline void timing_compute(const struct bt_in *in, struct bt_out *o)
{
	const struct st2110_sched *s = &in->s;
	__u32 j = in->pkt % s->npackets;
	__u32 lead = in->lead_pkts % (s->npackets + 1);
	struct st2110_tpr_iter it;
	__u32 i, field = 0;

	st2110_video_pkt(&in->l, in->pkt % in->l.npackets, &o->p);
	o->audio_index = st2110_audio_pkt_index(&in->audio, in->t_ns);
	o->audio_time_ns = st2110_audio_pkt_time_ns(&in->audio, o->audio_index);
	o->audio_ts = st2110_audio_pkt_rtp_ts(&in->audio, o->audio_index);
	o->rtp_ticks = st2110_rtp_ticks(in->t_ns, ST2110_RTP_VIDEO_CLOCK_HZ);
	o->rtp_unwrap = st2110_rtp_unwrap(in->rtp_ts, o->rtp_ticks);
	o->seq_unwrap = st2110_seq_unwrap16(in->seq_ref, in->seq) +
			st2110_seq_unwrap32(1ULL << 40, in->seq_ref);
	o->frame = st2110_frame_index(s, in->t_ns);
	o->frame_start_ns = st2110_frame_start_ns(s, o->frame);
	o->tvd_ns = st2110_tvd_ns(s, o->frame);
	o->tpr_ns = st2110_tpr_ns(s, o->frame, j);
	o->tpr_lead_ns = st2110_tpr_lead_ns(s, o->frame + 1, j, lead);
	st2110_tpr_iter_start(&it, s, o->frame, j, lead);
	for (i = 0; i < BT_NPKT; i++)
		o->iter_ns[i] = st2110_tpr_iter_next(&it, s);
	o->drain = st2110_drain_index(s, in->t_ns);
	st2110_sched_base(s, in->t_ns, &o->base);
	o->delta_frame = st2110_delta_frame_index(s, in->t_ns - o->base.t_ns);
	o->delta_drain = st2110_delta_drain_index(s, in->t_ns - o->base.t_ns);
	o->count = st2110_tpr_count(s, o->frame, in->t_ns);
	o->next_frame = st2110_next_frame(s, in->t_ns, lead);
	o->troff_us = st2110_sched_troff_us(s);
	o->rtp_video_ts = st2110_rtp_video_ts(&s->rate, o->frame, 1);
	o->rtp_frame = st2110_rtp_video_frame(&s->rate, s->scan == ST2110_SCAN_INTERLACED,
					      in->rtp_ts, in->t_ns, &field);
	o->rtp_field = field;
}

/*
 * Set-up path: compiled for BPF to prove it needs no libcall, but not
 * loaded: its bounded Euclid loops, inlined a dozen times, exceed the
 * verifier's budget, and set-up belongs in user space or the kernel.
 */
struct bt_init {
	struct st2110_sched_cfg cfg;
	struct st2110_video_fmt fmt;
	struct st2110_audio_fmt audio;
	__u32 pad;
	struct st2110_sched s;
	struct st2110_video_layout l;
	__s64 err[3];
};

static inline void timing_init(struct bt_init *b)
{
	const char *why;

	b->err[0] = st2110_sched_init(&b->s, &b->cfg, &why);
	b->err[1] = st2110_video_layout_init(&b->l, &b->fmt, &why);
	b->err[2] = st2110_audio_validate(&b->audio, &why);
}

#endif /* BPF_TIMING_H */
