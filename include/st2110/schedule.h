/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * schedule.h - ST 2110-21 packet read schedule (PRS), drain grid and limits.
 *
 * Model (ST 2110-21:2017 §6):  frame N has its alignment point at N*TFRAME
 * since the SMPTE epoch; its first packet is read from the virtual receiver
 * buffer at TVD = N*TFRAME + TROFFSET and packet j at
 *
 *   TPR_j = TVD + j*TRS                               progressive
 *   TPR_j = TVD + TFRAME/2 + (j - NPACKETS/2)*TRS     2nd field/segment
 *
 * with TRS = TFRAME*RACTIVE/NPACKETS (gapped, Type N) or TFRAME/NPACKETS
 * (linear, Types NL and W).  The network model drains one packet every
 * TDRAIN = TFRAME/NPACKETS/1.1 on an epoch-aligned grid k*TDRAIN.
 *
 * st2110_sched_init() turns a stream description into a struct st2110_sched
 * holding TFRAME, TRS, TROFFSET and TDRAIN as exact integers over one common
 * denominator 'den' (value in ns = field / den); this is the only place in
 * the tree where TRS is computed.  From then on the per-packet path is
 * additions and compares (st2110_tpr_iter_next()), and the random-access
 * functions need a handful of 64-bit divisions and no 128-bit product.
 * Times are TAI ns since 1970 (the PTP/SMPTE epoch).  Every ns result is
 * floor() of the exact rational, for any t below 2^62 ns (year 2116).
 * Plain struct, no pointers: it can be copied into a BPF map value.
 */
#ifndef _ST2110_SCHEDULE_H
#define _ST2110_SCHEDULE_H

#include "rational.h"
#include "video.h"

enum st2110_sender_type {
	ST2110_TYPE_N,			/* TP=2110TPN, gapped */
	ST2110_TYPE_NL,			/* TP=2110TPNL, linear */
	ST2110_TYPE_W,			/* TP=2110TPW, linear */
	__ST2110_TYPE_MAX
};

enum st2110_prs {
	ST2110_PRS_GAPPED,
	ST2110_PRS_LINEAR,
};

#define ST2110_TROFFSET_DEFAULT	(~0ULL)	/* use TRODEFAULT */
/* Standard UDP Size Limit; the Extended-limit value is not defined (§7.1) */
#define ST2110_MAXIP		1500
#define ST2110_W_CMAX_MAX_PPS	900000	/* Type W CMAX applies below this */
#define ST2110_BASE_FRAMES	30	/* st2110_sched_base() period, see there */

/* RACTIVE and TRODEFAULT of a scan system, as fractions of TFRAME. */
struct st2110_raster {
	struct st2110_frac ractive;
	struct st2110_frac trodefault;
};

/*
 * ST 2110-21 §6.3 systems.  Progressive: RACTIVE 1080/1125 for every height
 * (720/750 and 2160/2250 are the same number), TRODEFAULT 43/1125 from 1080
 * lines up, 28/750 below.  Interlaced by height: 480 and 486 are the
 * 525-line system, 576 the 625-line one, 1080 the 1125-line one; PsF exists
 * for 1080 only.  Any other interlaced/PsF height is rejected rather than
 * guessed.
 */
static inline int st2110_raster(unsigned int scan, __u32 height_px,
				struct st2110_raster *r, const char **reason)
{
	__u32 ra_n = 1080, ra_d = 1125, tro_n = 22, tro_d = 1125;

	switch (scan) {
	case ST2110_SCAN_PROGRESSIVE:
		tro_n = height_px >= 1080 ? 43 : 28;
		tro_d = height_px >= 1080 ? 1125 : 750;
		break;
	case ST2110_SCAN_INTERLACED:
		if (height_px == 480 || height_px == 486) {
			ra_n = 487; ra_d = 525; tro_n = 20; tro_d = 525;
		} else if (height_px == 576) {
			ra_n = 576; ra_d = 625; tro_n = 26; tro_d = 625;
		} else if (height_px != 1080) {
			*reason = "interlaced height must be 480 or 486 (525-line), 576 (625-line) or 1080 (1125-line)";
			return -EINVAL;
		}
		break;
	case ST2110_SCAN_PSF:
		if (height_px != 1080) {
			*reason = "PsF is defined for 1080 lines only (1125-line system)";
			return -EINVAL;
		}
		break;
	default:
		*reason = "unknown scan mode";
		return -EINVAL;
	}
	st2110_frac_set(&r->ractive, ra_n, ra_d);
	st2110_frac_set(&r->trodefault, tro_n, tro_d);
	return 0;
}

/* §7.1 sender limits for all three types (MAXIP = 1500). */
struct st2110_limits {
	__u32 cmax_n;
	__u32 cmax_nl;
	__u32 cmax_w;
	__u32 vrx_full_n;		/* also NL */
	__u32 vrx_full_w;
	__u32 cmax_w_defined;		/* RNOMINAL < 900000 pkt/s, see §7.1.3 */
};

/* MAX(min, INT(num / den)) */
static inline __u32 st2110_max_int(__u32 min, __u64 num, __u64 den)
{
	__u64 v = st2110_div64(num, den);

	return v > min ? (__u32)v : min;
}

/*
 * RNOMINAL = NPACKETS/TFRAME = npackets * num/den pkt/s, so every limit is
 * one integer division.  npackets, rate terms <= 2^20, RACTIVE terms
 * <= 1125: no product exceeds 2^51.
 */
static inline void st2110_limits(struct st2110_limits *lim, __u32 npackets,
				 const struct st2110_rate *rate,
				 const struct st2110_frac *ractive)
{
	__u64 pps_num = (__u64)npackets * rate->num;
	__u64 pps_den = rate->den;

	lim->cmax_n = st2110_max_int(4, pps_num * ractive->den,
				     43200 * pps_den * ractive->num);
	lim->cmax_nl = st2110_max_int(4, pps_num, 43200 * pps_den);
	lim->cmax_w = st2110_max_int(16, pps_num, 21600 * pps_den);
	lim->vrx_full_n = st2110_max_int(1500 * 8 / ST2110_MAXIP, pps_num, 27000 * pps_den);
	lim->vrx_full_w = st2110_max_int(1500 * 720 / ST2110_MAXIP, pps_num, 300 * pps_den);
	lim->cmax_w_defined = pps_num < ST2110_W_CMAX_MAX_PPS * pps_den;
}

/* RNOMINAL = NPACKETS / TFRAME in packets per second, floored (for reports). */
static inline __u64 st2110_rnominal_pps(__u32 npackets, const struct st2110_rate *rate)
{
	return st2110_div64((__u64)npackets * rate->num, rate->den);
}

struct st2110_sched_cfg {
	__u32 npackets;			/* NPACKETS per frame, both fields */
	__u32 height_px;		/* selects the system, see st2110_raster() */
	struct st2110_rate rate;	/* FRAME rate, also when interlaced */
	__u8 scan;			/* enum st2110_scan */
	__u8 type;			/* enum st2110_sender_type */
	__u8 pad[6];
	__u64 troffset_ns;		/* ST2110_TROFFSET_DEFAULT or < TFRAME */
};

struct st2110_sched {
	/* reduced periods, to index absolute times */
	struct st2110_frac tframe_ns;	/* TFRAME */
	struct st2110_frac tdrain_ns;	/* TDRAIN */
	/* one frame's quantities over the common denominator: ns = x / den */
	__u64 den;
	__u64 tframe_d;
	__u64 half_d;			/* TFRAME/2 */
	__u64 trs_d;
	__u64 troffset_d;
	__u64 tdrain_d;
	/* TFRAME and TRS as whole ns + rem/den, for the iterator */
	__u64 tframe_whole_ns;
	__u64 tframe_rem_d;
	__u64 trs_whole_ns;
	__u64 trs_rem_d;
	__u64 tfden_mul;		/* den / tframe_ns.den */
	__u64 delta_max_ns;		/* bound of the st2110_delta_*() helpers */
	struct st2110_frac ractive;
	struct st2110_frac trodefault;	/* fraction of TFRAME */
	struct st2110_rate rate;	/* frame rate, reduced */
	__u32 npackets;
	__u32 field_pkts;		/* NPACKETS/2 with two fields, else NPACKETS */
	__u32 base_frames;		/* st2110_sched_base() period */
	__u8 scan;
	__u8 type;
	__u8 prs;			/* enum st2110_prs */
	__u8 troffset_is_default;
	struct st2110_limits lim;
};

/*
 * Bound on TFRAME in 1/den units.  The largest sum formed in those units is
 * below 2 * tframe_d + 2 * den (a frame start remainder, TROFFSET, TFRAME/2
 * and j * TRS, or two frames in st2110_tpr_count()), so it cannot wrap.
 */
#define ST2110_SCHED_MAX_D	(1ULL << 62)

/*
 * Build the schedule of one stream.  Returns 0, or a negative errno with
 * *reason set to a static string (for extack and tool messages); *s is
 * then unusable.  -EOVERFLOW means the exact rationals do not fit the
 * 64-bit bounds above: never for 1/1 and 1000/1001 rates from 23.98 to
 * 120 Hz with NPACKETS <= 2^20, possible for odd rates such as 2997/100
 * with a large prime NPACKETS.  Runs in user space or the kernel, not in
 * BPF (its Euclid loops are too much for the verifier): BPF programs get
 * the finished struct through a map.
 */
static inline int st2110_sched_init(struct st2110_sched *s,
				    const struct st2110_sched_cfg *cfg,
				    const char **reason)
{
	struct st2110_raster ras;
	struct st2110_frac tf, f, trs, tro, half, tdrain;
	__u32 fields = cfg->scan == ST2110_SCAN_PROGRESSIVE ? 1 : 2;
	__u64 den, maxden, g;
	int err;

	err = st2110_rate_tframe(&cfg->rate, &tf, reason);
	if (err)
		return err;
	err = st2110_raster(cfg->scan, cfg->height_px, &ras, reason);
	if (err)
		return err;
	if (cfg->type >= __ST2110_TYPE_MAX) {
		*reason = "unknown sender type (N, NL or W)";
		return -EINVAL;
	}
	if (!cfg->npackets) {
		*reason = "NPACKETS must not be 0";
		return -EINVAL;
	}
	if (cfg->npackets > ST2110_VIDEO_MAX_PKTS_PER_FRAME) {
		*reason = "too many packets per frame (more than 2^20)";
		return -ERANGE;
	}
	if (cfg->npackets % fields) {
		*reason = "interlaced and PsF NPACKETS must be even (two equal fields)";
		return -EINVAL;
	}
	if (cfg->troffset_ns != ST2110_TROFFSET_DEFAULT &&
	    (st2110_mul_overflows(cfg->troffset_ns, tf.den) ||
	     cfg->troffset_ns * tf.den >= tf.num)) {
		*reason = "TROFFSET must be less than TFRAME";
		return -ERANGE;
	}

	s->prs = cfg->type == ST2110_TYPE_N ? ST2110_PRS_GAPPED : ST2110_PRS_LINEAR;
	/* TRS = TFRAME * RACTIVE / NPACKETS (gapped), TFRAME / NPACKETS (linear) */
	st2110_frac_set(&f, 1, cfg->npackets);
	if (st2110_frac_mul(&trs, &tf, &f))
		goto overflow;
	if (s->prs == ST2110_PRS_GAPPED && st2110_frac_mul(&trs, &trs, &ras.ractive))
		goto overflow;
	/* TDRAIN = TFRAME / NPACKETS / beta, beta = 1.1 */
	st2110_frac_set(&f, 10, 11ULL * cfg->npackets);
	if (st2110_frac_mul(&tdrain, &tf, &f))
		goto overflow;
	st2110_frac_set(&f, 1, 2);
	if (st2110_frac_mul(&half, &tf, &f))
		goto overflow;
	if (cfg->troffset_ns == ST2110_TROFFSET_DEFAULT) {
		if (st2110_frac_mul(&tro, &tf, &ras.trodefault))
			goto overflow;
	} else {
		st2110_frac_set(&tro, cfg->troffset_ns, 1);
	}

	den = tf.den;
	if (st2110_lcm64(den, trs.den, &den) || st2110_lcm64(den, tdrain.den, &den) ||
	    st2110_lcm64(den, half.den, &den) || st2110_lcm64(den, tro.den, &den) ||
	    st2110_frac_scale(&tf, den, &s->tframe_d) || s->tframe_d > ST2110_SCHED_MAX_D ||
	    st2110_mul_overflows(tdrain.num, tdrain.den) ||
	    tdrain.num * tdrain.den >= (1ULL << 62))
		goto overflow;
	/* all of these are <= tframe_d, so they fit */
	st2110_frac_scale(&trs, den, &s->trs_d);
	st2110_frac_scale(&tdrain, den, &s->tdrain_d);
	st2110_frac_scale(&half, den, &s->half_d);
	st2110_frac_scale(&tro, den, &s->troffset_d);

	s->tframe_ns = tf;
	s->tdrain_ns = tdrain;
	s->den = den;
	s->tframe_whole_ns = st2110_div64(s->tframe_d, den);
	s->tframe_rem_d = s->tframe_d - s->tframe_whole_ns * den;
	s->trs_whole_ns = st2110_div64(s->trs_d, den);
	s->trs_rem_d = s->trs_d - s->trs_whole_ns * den;
	s->tfden_mul = st2110_div64(den, tf.den);
	maxden = tf.den > tdrain.den ? tf.den : tdrain.den;
	s->delta_max_ns = st2110_div64(ST2110_U64_MAX, maxden);
	s->ractive = ras.ractive;
	s->trodefault = ras.trodefault;
	g = st2110_gcd64(cfg->rate.num, cfg->rate.den);
	s->rate.num = (__u32)(cfg->rate.num / g);
	s->rate.den = (__u32)(cfg->rate.den / g);
	s->npackets = cfg->npackets;
	s->field_pkts = cfg->npackets / fields;
	/* tf.den <= 2^20, so this fits; 30 | base_frames, see st2110_sched_base() */
	s->base_frames = (__u32)(st2110_div64(ST2110_BASE_FRAMES,
					      st2110_gcd64(ST2110_BASE_FRAMES, tf.den)) * tf.den);
	s->scan = cfg->scan;
	s->type = cfg->type;
	s->troffset_is_default = cfg->troffset_ns == ST2110_TROFFSET_DEFAULT;
	st2110_limits(&s->lim, cfg->npackets, &s->rate, &s->ractive);
	return 0;

overflow:
	*reason = "schedule rationals too large for exact 64-bit arithmetic";
	return -EOVERFLOW;
}

/* The schedule of a validated video layout. */
static inline int st2110_sched_init_video(struct st2110_sched *s,
					  const struct st2110_video_layout *l,
					  unsigned int type, __u64 troffset_ns,
					  const char **reason)
{
	struct st2110_sched_cfg cfg = {
		.npackets = l->npackets,
		.height_px = l->fmt.height_px,
		.rate = l->fmt.rate,
		.scan = l->fmt.scan,
		.type = (__u8)type,
		.troffset_ns = troffset_ns,
	};

	return st2110_sched_init(s, &cfg, reason);
}

/* SDP TROFF: TROFFSET in whole µs, rounded half up (§6.2). */
static inline __u64 st2110_sched_troff_us(const struct st2110_sched *s)
{
	/* round(x/1000) == floor((floor(x) + 500)/1000) for real x >= 0 */
	return st2110_div64(st2110_div64(s->troffset_d, s->den) + 500, 1000);
}

/*
 * The TROFFSET an SDP TROFF (µs) stands for: TRODEFAULT exactly
 * (ST2110_TROFFSET_DEFAULT) when TROFF is TRODEFAULT rounded as
 * st2110_sched_troff_us() rounds it, else TROFF * 1000 ns.  The inverse of
 * st2110_sched_troff_us(), so that the sender, the qdisc and the analyzer
 * read TROFF one way.  *s may have been built with any TROFFSET: only
 * TFRAME and the raster are used.  The result is not checked against
 * TFRAME; st2110_sched_init() does that.
 */
static inline __u64 st2110_sched_troffset_ns(const struct st2110_sched *s, __u32 troff_us)
{
	struct st2110_frac tro;

	/* st2110_sched_init() formed this product already: it fits */
	if (!st2110_frac_mul(&tro, &s->tframe_ns, &s->trodefault) &&
	    st2110_div64(st2110_div64(tro.num, tro.den) + 500, 1000) == troff_us)
		return ST2110_TROFFSET_DEFAULT;
	return (__u64)troff_us * 1000;
}

/* Frame index N = floor(t / TFRAME) of a TAI time. */
static inline __u64 st2110_frame_index(const struct st2110_sched *s, __u64 t_ns)
{
	return st2110_muldiv_floor(t_ns, s->tframe_ns.den, s->tframe_ns.num);
}

/*
 * Field (picture) index floor(2t / TFRAME): frame floor(h / 2), field
 * h & 1.  For interlaced video, whose second field starts at TFRAME/2;
 * the same preconditions as st2110_frame_index() (2 * TFRAME.num *
 * TFRAME.den < 2^63).
 */
static inline __u64 st2110_field_index(const struct st2110_sched *s, __u64 t_ns)
{
	return st2110_muldiv_floor(t_ns, 2 * s->tframe_ns.den, s->tframe_ns.num);
}

/* The start of field h (h = 2N + field), floor(h * TFRAME / 2) in ns. */
static inline __u64 st2110_field_start_ns(const struct st2110_sched *s, __u64 field)
{
	return st2110_muldiv_floor(field, s->tframe_ns.num, 2 * s->tframe_ns.den);
}

/* floor(N * TFRAME) in ns, and the fraction left over in 1/den units. */
static inline __u64 st2110_frame_start(const struct st2110_sched *s, __u64 frame,
				       __u64 *rem_d)
{
	__u64 q = st2110_div64(frame, s->tframe_ns.den);
	__u64 rn = (frame - q * s->tframe_ns.den) * s->tframe_ns.num;
	__u64 f = st2110_div64(rn, s->tframe_ns.den);

	*rem_d = (rn - f * s->tframe_ns.den) * s->tfden_mul;
	return q * s->tframe_ns.num + f;
}

/* The alignment point of frame N, floor(N * TFRAME) ns. */
static inline __u64 st2110_frame_start_ns(const struct st2110_sched *s, __u64 frame)
{
	__u64 rem;

	return st2110_frame_start(s, frame, &rem);
}

/* pos - neg (1/den units, each < 2^62) as whole ns (two's complement) + rem. */
static inline void st2110_sched_split(const struct st2110_sched *s, __u64 pos,
				      __u64 neg, __u64 *ns, __u64 *rem_d)
{
	__u64 q;

	if (pos >= neg) {
		q = st2110_div64(pos - neg, s->den);
		*ns = q;
		*rem_d = pos - neg - q * s->den;
	} else {
		q = st2110_div64(neg - pos + s->den - 1, s->den);
		*ns = 0 - q;
		*rem_d = q * s->den - (neg - pos);
	}
}

/*
 * floor(TPR_j(N) - lead * TRS) in ns: the read time of packet j of frame N,
 * moved lead_pkts packet slots earlier (a sender's constant lead, 0 for the
 * read time itself).  0 <= j < npackets, lead_pkts <= npackets.
 */
static inline __u64 st2110_tpr_lead_ns(const struct st2110_sched *s, __u64 frame,
				       __u32 pkt, __u32 lead_pkts)
{
	__u64 rem, pos, ns;
	__u64 base = st2110_frame_start(s, frame, &rem);

	pos = rem + s->troffset_d;
	if (pkt >= s->field_pkts) {
		pos += s->half_d;
		pkt -= s->field_pkts;
	}
	pos += (__u64)pkt * s->trs_d;
	st2110_sched_split(s, pos, (__u64)lead_pkts * s->trs_d, &ns, &rem);
	return base + ns;
}

/* floor(TPR_j(N)), the read time of packet j of frame N. */
static inline __u64 st2110_tpr_ns(const struct st2110_sched *s, __u64 frame, __u32 pkt)
{
	return st2110_tpr_lead_ns(s, frame, pkt, 0);
}

/* floor(TVD(N)) = floor(N * TFRAME + TROFFSET) = floor(TPR_0(N)). */
static inline __u64 st2110_tvd_ns(const struct st2110_sched *s, __u64 frame)
{
	return st2110_tpr_lead_ns(s, frame, 0, 0);
}

/*
 * The first frame whose packet 0, sent lead_pkts slots early, is not
 * before t_ns: where a sender starting at t_ns begins.  It is N, N+1 or
 * N+2 for N = floor(t/TFRAME), since TROFFSET and lead*TRS are < TFRAME.
 */
static inline __u64 st2110_next_frame(const struct st2110_sched *s, __u64 t_ns,
				      __u32 lead_pkts)
{
	__u64 frame = st2110_frame_index(s, t_ns);
	int i;

	for (i = 0; i < 2; i++, frame++)
		if (st2110_tpr_lead_ns(s, frame, 0, lead_pkts) >= t_ns)
			break;
	return frame;
}

/* Packets of one field (or frame) starting at start_d read by at_d. */
static inline __u32 st2110_field_count(const struct st2110_sched *s, __u64 at_d,
				       __u64 start_d)
{
	__u64 n;

	if (at_d < start_d)
		return 0;
	n = st2110_div64(at_d - start_d, s->trs_d) + 1;
	return n < s->field_pkts ? (__u32)n : s->field_pkts;
}

/*
 * Number of packets of frame N read by time t_ns (TPR_j <= t_ns): the
 * drain side of the VRX bucket.
 */
static inline __u32 st2110_tpr_count(const struct st2110_sched *s, __u64 frame,
				     __u64 t_ns)
{
	__u64 rem, at_d, base = st2110_frame_start(s, frame, &rem);
	__u32 count;

	if (t_ns < base)
		return 0;
	/* past two frames every packet of N has been read; keeps at_d < 2^62 */
	if (t_ns - base > 2 * s->tframe_whole_ns + 2)
		return s->npackets;
	/* t_ns and base are whole ns, so TPR_j <= t_ns is exact in 1/den units */
	at_d = (t_ns - base) * s->den;
	count = st2110_field_count(s, at_d, rem + s->troffset_d);
	if (s->field_pkts != s->npackets)
		count += st2110_field_count(s, at_d, rem + s->troffset_d + s->half_d);
	return count;
}

/*
 * Incremental read schedule for senders and the qdisc: returns the times
 * of consecutive packets (across fields and frames) with additions only;
 * the remainder is carried so no error accumulates.
 */
struct st2110_tpr_iter {
	__u64 frame;			/* frame of the packet next() returns */
	__u32 pkt;			/* its index in the frame */
	__u32 lead_pkts;
	__u64 ns;			/* its time = ns + rem_d / den */
	__u64 rem_d;
	__u64 frame_ns;			/* frame * TFRAME = frame_ns + frame_rem_d / den */
	__u64 frame_rem_d;
	__u64 off_ns[2];		/* per field: TROFFSET [+ TFRAME/2] - lead * TRS */
	__u64 off_rem_d[2];
};

static inline void st2110_sched_add(const struct st2110_sched *s, __u64 *ns,
				    __u64 *rem_d, __u64 add_ns, __u64 add_rem_d)
{
	*ns += add_ns;
	*rem_d += add_rem_d;
	if (*rem_d >= s->den) {
		*rem_d -= s->den;
		*ns += 1;
	}
}

/* Position the iterator on packet j of frame N (0 <= j < npackets). */
static inline void st2110_tpr_iter_start(struct st2110_tpr_iter *it,
					 const struct st2110_sched *s,
					 __u64 frame, __u32 pkt, __u32 lead_pkts)
{
	__u64 lead_d = (__u64)lead_pkts * s->trs_d;
	__u32 field = pkt >= s->field_pkts;
	__u64 q, p = (__u64)(pkt - field * s->field_pkts) * s->trs_d;

	it->frame = frame;
	it->pkt = pkt;
	it->lead_pkts = lead_pkts;
	it->frame_ns = st2110_frame_start(s, frame, &it->frame_rem_d);
	st2110_sched_split(s, s->troffset_d, lead_d, &it->off_ns[0], &it->off_rem_d[0]);
	st2110_sched_split(s, s->troffset_d + s->half_d, lead_d,
			   &it->off_ns[1], &it->off_rem_d[1]);
	it->ns = it->frame_ns;
	it->rem_d = it->frame_rem_d;
	st2110_sched_add(s, &it->ns, &it->rem_d, it->off_ns[field], it->off_rem_d[field]);
	q = st2110_div64(p, s->den);
	st2110_sched_add(s, &it->ns, &it->rem_d, q, p - q * s->den);
}

/*
 * ceil(TPR_j - lead * TRS) of the packet st2110_tpr_iter_next() returns
 * next: for an integer time t, "TPR_j <= t" (the packet has been read) is
 * ceil(TPR_j) <= t, while "t > TPR_j" (it came late) is t > floor(TPR_j).
 */
static inline __u64 st2110_tpr_iter_ceil_ns(const struct st2110_tpr_iter *it)
{
	return it->ns + (it->rem_d != 0);
}

/* floor(TPR_j - lead * TRS) of the current packet, then step to the next. */
static inline __u64 st2110_tpr_iter_next(struct st2110_tpr_iter *it,
					 const struct st2110_sched *s)
{
	__u64 t_ns = it->ns;
	__u32 field;

	it->pkt++;
	if (it->pkt == s->npackets) {
		it->pkt = 0;
		it->frame++;
		st2110_sched_add(s, &it->frame_ns, &it->frame_rem_d,
				 s->tframe_whole_ns, s->tframe_rem_d);
	}
	if (it->pkt == 0 || it->pkt == s->field_pkts) {
		field = it->pkt != 0;
		it->ns = it->frame_ns;
		it->rem_d = it->frame_rem_d;
		st2110_sched_add(s, &it->ns, &it->rem_d, it->off_ns[field],
				 it->off_rem_d[field]);
	} else {
		st2110_sched_add(s, &it->ns, &it->rem_d, s->trs_whole_ns, s->trs_rem_d);
	}
	return t_ns;
}

/* Drain grid index k = floor(t / TDRAIN): drains at k*TDRAIN since the epoch. */
static inline __u64 st2110_drain_index(const struct st2110_sched *s, __u64 t_ns)
{
	return st2110_muldiv_floor(t_ns, s->tdrain_ns.den, s->tdrain_ns.num);
}

/*
 * A base B for small-number arithmetic (e.g. in BPF): an alignment point at
 * a frame index multiple of base_frames (30 for every 1/1 and 1000/1001
 * rate), where B is a whole number of ns (3 frames are, at 1001 rates) and
 * a drain instant (10*TFRAME = 11*NPACKETS*TDRAIN).  For d = t - B:
 *   st2110_frame_index(t) = base.frame + st2110_delta_frame_index(d)
 *   st2110_drain_index(t) = base.drain + st2110_delta_drain_index(d)
 *   st2110_tpr_ns(N, j)   = base.t_ns  + st2110_tpr_ns(N - base.frame, j)
 * as long as d <= delta_max_ns (days for standard formats).
 */
struct st2110_base {
	__u64 t_ns;			/* B */
	__u64 frame;			/* B / TFRAME */
	__u64 drain;			/* B / TDRAIN */
};

/* The latest base at or before t_ns. */
static inline void st2110_sched_base(const struct st2110_sched *s, __u64 t_ns,
				     struct st2110_base *b)
{
	__u64 n = st2110_frame_index(s, t_ns);

	n -= st2110_mod64(n, s->base_frames);
	b->frame = n;
	b->t_ns = st2110_frame_start_ns(s, n);
	b->drain = st2110_div64(n, 10) * 11 * s->npackets;
}

/* floor(d / TFRAME) for 0 <= d <= delta_max_ns: one multiply, one divide. */
static inline __u64 st2110_delta_frame_index(const struct st2110_sched *s, __u64 d_ns)
{
	return st2110_div64(d_ns * s->tframe_ns.den, s->tframe_ns.num);
}

/* floor(d / TDRAIN) for 0 <= d <= delta_max_ns. */
static inline __u64 st2110_delta_drain_index(const struct st2110_sched *s, __u64 d_ns)
{
	return st2110_div64(d_ns * s->tdrain_ns.den, s->tdrain_ns.num);
}

/*
 * Start of drain interval k (an absolute index, k >= b->drain), in ns:
 * ceil(k * TDRAIN), taken from base @b.  The inverse of
 * st2110_delta_drain_index(); k - b->drain stays below a base period
 * (30 frames), so the product fits in 64 bits.
 */
static inline __u64 st2110_drain_start_ns(const struct st2110_sched *s,
					  const struct st2110_base *b, __u64 k)
{
	return b->t_ns + st2110_muldiv_ceil(k - b->drain, s->tdrain_ns.num,
					    s->tdrain_ns.den);
}

#endif /* _ST2110_SCHEDULE_H */
