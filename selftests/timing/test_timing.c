// SPDX-License-Identifier: GPL-2.0
/*
 * test_timing.c - host unit tests of the ST 2110 timing core (include/st2110).
 *
 * Expected values come from shared/data/st2110_21_vectors.json (compiled
 * into a table at build time), from the worked examples of the timing
 * brief, and from an independent slow computation: exact rationals on
 * unsigned __int128, which the core itself may not use.  Every test checks
 * integers for equality; a failure prints the measured and the expected
 * value.
 *
 * usage: test_timing [--plan]   (--plan: print the number of tests and exit)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kselftest.h>
#include <st2110/st2110.h>

#include "st2110_21_vectors.h"

typedef unsigned __int128 u128;
typedef unsigned long long ull;

#define NVEC	((unsigned int)(sizeof(vectors) / sizeof(vectors[0])))
#define T_NOW	1700000000123456789ULL		/* the brief's §2.2 instant */
#define T_2100	4100000000000000000ULL		/* ~ year 2100 in TAI ns */

static unsigned int fails;

#define CHECK(cond, fmt, ...) do {						\
	if (!(cond) && fails++ < 8)						\
		ksft_print_msg("%s:%d: " fmt "\n", __func__, __LINE__, ##__VA_ARGS__); \
} while (0)

#define CHECK_EQ(got, want) do {						\
	u128 g_ = (u128)(got), w_ = (u128)(want);				\
	CHECK(g_ == w_, "%s = %llu, want %llu", #got, (ull)g_, (ull)w_);	\
} while (0)

#define CHECK_STR(got, want) do {						\
	const char *g_ = (got), *w_ = (want);					\
	CHECK(g_ && !strcmp(g_, w_), "%s = \"%s\", want \"%s\"", #got,		\
	      g_ ? g_ : "(null)", w_);						\
} while (0)

/* ---- independent reference: exact rationals on 128 bits ---- */

struct q {
	u128 n, d;
};

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 r = a % b;

		a = b;
		b = r;
	}
	return a;
}

static struct q q_make(u128 n, u128 d)
{
	u128 g = gcd128(n, d);

	return (struct q){ n / g, d / g };
}

static struct q q_of(struct vec_frac f)
{
	return q_make(f.num, f.den);
}

static u128 lcm128(u128 a, u128 b)
{
	return a / gcd128(a, b) * b;
}

static int q_eq(struct q a, u128 n, u128 d)
{
	struct q b = q_make(n, d);

	return a.n == b.n && a.d == b.d;
}

/* xorshift64*: deterministic, so a failure is reproducible */
static ull rng_state = 0x9e3779b97f4a7c15ULL;

static ull rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static ull rnd_below(ull n)
{
	return rnd() % n;
}

/*
 * The ST 2110-21 read schedule of one stream, as integers over a common
 * denominator L, built from rationals given by the test (not by the core).
 */
struct ref {
	u128 L, tf, tro, trs, half;
	unsigned int npk, field_pkts;
	int split;		/* gapped interlaced: field 2 restarts at TFRAME/2 */
};

static void ref_init(struct ref *r, struct q tf, struct q tro, struct q trs,
		     unsigned int npk, int split)
{
	struct q half = q_make(tf.n, tf.d * 2);

	r->L = lcm128(lcm128(tf.d, tro.d), lcm128(trs.d, half.d));
	r->tf = tf.n * (r->L / tf.d);
	r->tro = tro.n * (r->L / tro.d);
	r->trs = trs.n * (r->L / trs.d);
	r->half = half.n * (r->L / half.d);
	r->npk = npk;
	r->split = split;
	r->field_pkts = split ? npk / 2 : npk;
}

/* (TPR_j(N) - lead*TRS) * L, the standard's formulas read literally */
static u128 ref_tpr_l(const struct ref *r, ull frame, unsigned int j, unsigned int lead)
{
	u128 x = (u128)frame * r->tf + r->tro;

	if (j >= r->field_pkts)
		x += r->half + (u128)(j - r->field_pkts) * r->trs;
	else
		x += (u128)j * r->trs;
	return x - (u128)lead * r->trs;
}

static u128 ref_tpr(const struct ref *r, ull frame, unsigned int j, unsigned int lead)
{
	return ref_tpr_l(r, frame, j, lead) / r->L;
}

/* ---- the core under test, on a vector row ---- */

static int sched_of(struct st2110_sched *s, const struct vec *v, unsigned int type,
		    ull troffset_ns)
{
	struct st2110_sched_cfg cfg = {
		.npackets = v->npackets,
		.height_px = v->height,
		.rate = { v->rate.num, v->rate.den },
		.scan = (__u8)v->scan,
		.type = (__u8)type,
		.troffset_ns = troffset_ns,
	};
	const char *why = "";
	int err = st2110_sched_init(s, &cfg, &why);

	CHECK(!err, "st2110_sched_init(%s) = %d: %s", v->name, err, why);
	return err;
}

static struct st2110_video_fmt fmt_of(const struct vec *v)
{
	struct st2110_video_fmt f = {
		.width_px = v->width,
		.height_px = v->height,
		.rate = { v->rate.num, v->rate.den },
		.max_payload_bytes = (__u16)v->payload,
		.scan = (__u8)v->scan,
		.sampling = ST2110_SAMPLING_YCBCR_422,	/* the table is 4:2:2/10 */
		.depth = ST2110_DEPTH_10,
		.packing = (__u8)v->packing,
	};
	return f;
}

/* Every exact_ns rational of the row, compared reduced. */
static void t_vec_rationals(const void *arg)
{
	const struct vec *v = arg;
	struct st2110_sched n, nl;

	if (sched_of(&n, v, ST2110_TYPE_N, ST2110_TROFFSET_DEFAULT) ||
	    sched_of(&nl, v, ST2110_TYPE_NL, ST2110_TROFFSET_DEFAULT))
		return;
	CHECK(q_eq(q_of(v->tframe), n.tframe_d, n.den), "TFRAME %llu/%llu",
	      (ull)n.tframe_d, (ull)n.den);
	CHECK(q_eq(q_of(v->tframe), n.tframe_ns.num, n.tframe_ns.den), "tframe_ns");
	CHECK(q_eq(q_of(v->trs_gapped), n.trs_d, n.den), "TRS gapped %llu/%llu, want %llu/%llu",
	      (ull)n.trs_d, (ull)n.den, v->trs_gapped.num, v->trs_gapped.den);
	CHECK(q_eq(q_of(v->trs_linear), nl.trs_d, nl.den), "TRS linear %llu/%llu, want %llu/%llu",
	      (ull)nl.trs_d, (ull)nl.den, v->trs_linear.num, v->trs_linear.den);
	CHECK(q_eq(q_of(v->tro_default), n.troffset_d, n.den), "TRODEFAULT %llu/%llu",
	      (ull)n.troffset_d, (ull)n.den);
	CHECK(q_eq(q_of(v->tro_default), nl.troffset_d, nl.den), "TRODEFAULT linear");
	CHECK(q_eq(q_of(v->tdrain), n.tdrain_d, n.den), "TDRAIN %llu/%llu",
	      (ull)n.tdrain_d, (ull)n.den);
	CHECK(q_eq(q_of(v->tdrain), n.tdrain_ns.num, n.tdrain_ns.den), "tdrain_ns");
	CHECK(q_eq(q_of(v->ractive), n.ractive.num, n.ractive.den), "RACTIVE");
	CHECK(q_eq(q_of(v->tframe), 2 * n.half_d, n.den), "TFRAME/2");
	CHECK_EQ(n.troffset_is_default, 1);
	CHECK_EQ(n.prs, ST2110_PRS_GAPPED);
	CHECK_EQ(nl.prs, ST2110_PRS_LINEAR);
	/* the whole-ns split the iterator adds */
	CHECK_EQ(n.trs_whole_ns * n.den + n.trs_rem_d, n.trs_d);
	CHECK_EQ(n.tframe_whole_ns * n.den + n.tframe_rem_d, n.tframe_d);
	CHECK(n.trs_rem_d < n.den && n.tframe_rem_d < n.den, "remainders");
}

/* The integer columns. */
static void t_vec_limits(const void *arg)
{
	const struct vec *v = arg;
	struct st2110_sched s;
	struct q tro_ticks;
	ull ts0;

	if (sched_of(&s, v, ST2110_TYPE_W, ST2110_TROFFSET_DEFAULT))
		return;
	CHECK_EQ(s.lim.cmax_n, v->cmax_n);
	CHECK_EQ(s.lim.cmax_nl, v->cmax_nl);
	CHECK_EQ(s.lim.cmax_w, v->cmax_w);
	CHECK_EQ(s.lim.vrx_full_n, v->vrx_full_n);
	CHECK_EQ(s.lim.vrx_full_w, v->vrx_full_w);
	CHECK_EQ(s.lim.cmax_w_defined, v->cmax_w_defined);
	CHECK_EQ(st2110_sched_troff_us(&s), v->troff_us);
	/* LIST's RTP-offset limit: ceil(TRODEFAULT * 90 kHz) + 1 ticks */
	tro_ticks = q_make((u128)s.troffset_d * 90000, (u128)s.den * 1000000000ULL);
	CHECK_EQ((tro_ticks.n + tro_ticks.d - 1) / tro_ticks.d + 1, v->list_rtp_offset_max_ticks);
	/* RTP ticks per frame: exact over den frames of the reduced ratio */
	ts0 = st2110_rtp_video_ts(&s.rate, 101898101905ULL, 0);
	CHECK_EQ((__u32)(st2110_rtp_video_ts(&s.rate, 101898101905ULL + v->rtp_ticks_per_frame.den, 0) - ts0),
		 v->rtp_ticks_per_frame.num);
}

/* NPACKETS derived from width, height, scan, packing and payload. */
static void t_vec_npackets(const void *arg)
{
	const struct vec *v = arg;
	struct st2110_video_fmt f = fmt_of(v);
	struct st2110_video_layout l;
	struct st2110_sched s;
	const char *why = "";
	int err = st2110_video_layout_init(&l, &f, &why);

	CHECK(!err, "layout: %d %s", err, why);
	if (err)
		return;
	CHECK_EQ(l.npackets, v->npackets);
	CHECK_EQ(l.field_pkts * l.fields, v->npackets);
	err = st2110_sched_init_video(&s, &l, ST2110_TYPE_N, ST2110_TROFFSET_DEFAULT, &why);
	CHECK(!err, "sched from layout: %d %s", err, why);
	if (!err)
		CHECK(q_eq(q_of(v->trs_gapped), s.trs_d, s.den), "TRS from the layout");
}

/*
 * Iterator == closed form == 128-bit reference for every packet of three
 * frames around T_NOW, for the gapped and the linear schedule, with and
 * without a lead.
 */
static void t_vec_schedule(const void *arg)
{
	const struct vec *v = arg;
	static const unsigned int types[] = { ST2110_TYPE_N, ST2110_TYPE_W };
	static const unsigned int leads[] = { 0, 4 };
	unsigned int ti, li, j, k;

	for (ti = 0; ti < 2; ti++) {
		struct st2110_sched s;
		struct ref r;
		int gapped = types[ti] == ST2110_TYPE_N;

		if (sched_of(&s, v, types[ti], ST2110_TROFFSET_DEFAULT))
			return;
		/* linear: TPR_j = TVD + j*TRS for all j, no field restart */
		ref_init(&r, q_of(v->tframe), q_of(v->tro_default),
			 q_of(gapped ? v->trs_gapped : v->trs_linear), v->npackets,
			 gapped && v->scan != ST2110_SCAN_PROGRESSIVE);
		for (li = 0; li < 2; li++) {
			ull n0 = st2110_frame_index(&s, T_NOW);
			struct st2110_tpr_iter it;

			st2110_tpr_iter_start(&it, &s, n0, 0, leads[li]);
			for (k = 0; k < 3; k++) {
				for (j = 0; j < v->npackets; j++) {
					ull want = (ull)ref_tpr(&r, n0 + k, j, leads[li]);
					ull fr = it.frame, pk = it.pkt;
					ull got = st2110_tpr_iter_next(&it, &s);

					CHECK(fr == n0 + k && pk == j, "iter position %llu/%llu", fr, pk);
					CHECK(got == want, "%s iter N+%u j=%u lead=%u: %llu, want %llu",
					      gapped ? "gapped" : "linear", k, j, leads[li], got, want);
					got = st2110_tpr_lead_ns(&s, n0 + k, j, leads[li]);
					CHECK(got == want, "closed form N+%u j=%u lead=%u: %llu, want %llu",
					      k, j, leads[li], got, want);
				}
			}
		}
		/* an iterator started mid-frame joins the same grid */
		for (k = 0; k < 50; k++) {
			struct st2110_tpr_iter it;
			ull n = st2110_frame_index(&s, rnd_below(T_2100));
			unsigned int pkt = (unsigned int)rnd_below(v->npackets);
			unsigned int i;

			st2110_tpr_iter_start(&it, &s, n, pkt, 3);
			for (i = 0; i < 5; i++) {
				unsigned int jj = (pkt + i) % v->npackets;
				ull nn = n + (pkt + i) / v->npackets;

				CHECK_EQ(st2110_tpr_iter_next(&it, &s), ref_tpr(&r, nn, jj, 3));
			}
		}
		CHECK_EQ(st2110_tvd_ns(&s, 12345), ref_tpr(&r, 12345, 0, 0));
	}
}

/* Frame index, alignment point, drain grid and base/delta, against 128-bit. */
static void t_vec_grid(const void *arg)
{
	const struct vec *v = arg;
	struct q tf = q_of(v->tframe), td = q_of(v->tdrain);
	struct st2110_sched s;
	unsigned int i;

	if (sched_of(&s, v, ST2110_TYPE_N, ST2110_TROFFSET_DEFAULT))
		return;
	for (i = 0; i < 2000; i++) {
		ull t = i < 4 ? (ull[]){ 0, 1, T_2100, (1ULL << 62) - 1 }[i] : rnd_below(T_2100);
		ull n = (ull)((u128)t * tf.d / tf.n);
		ull k = (ull)((u128)t * td.d / td.n);
		struct st2110_base b;

		CHECK_EQ(st2110_frame_index(&s, t), n);
		CHECK_EQ(st2110_frame_start_ns(&s, n), (u128)n * tf.n / tf.d);
		CHECK_EQ(st2110_drain_index(&s, t), k);
		st2110_sched_base(&s, t, &b);
		CHECK(b.frame % 30 == 0 && b.frame <= n && n - b.frame < 30,
		      "base frame %llu for N %llu", (ull)b.frame, n);
		CHECK(b.t_ns <= t && (u128)b.t_ns * tf.d == (u128)b.frame * tf.n,
		      "base time %llu is not exactly frame %llu", (ull)b.t_ns, (ull)b.frame);
		CHECK((u128)b.drain * td.n == (u128)b.t_ns * td.d, "base is not a drain instant");
		CHECK_EQ(b.frame + st2110_delta_frame_index(&s, t - b.t_ns), n);
		CHECK_EQ(b.drain + st2110_delta_drain_index(&s, t - b.t_ns), k);
		/* the inverse: drain interval k starts at ceil(k * TDRAIN) */
		CHECK_EQ(st2110_drain_start_ns(&s, &b, k), ((u128)k * td.n + td.d - 1) / td.d);
		CHECK_EQ(st2110_drain_start_ns(&s, &b, k + 1),
			 ((u128)(k + 1) * td.n + td.d - 1) / td.d);
		CHECK_EQ(b.t_ns + st2110_tpr_ns(&s, n - b.frame, 7), st2110_tpr_ns(&s, n, 7));
	}
	/* the delta helpers hold up to their documented bound */
	CHECK(s.delta_max_ns >= 3600ULL * ST2110_NSEC_PER_SEC, "delta_max_ns %llu < 1 h",
	      (ull)s.delta_max_ns);
	CHECK_EQ(st2110_delta_drain_index(&s, s.delta_max_ns),
		 (u128)s.delta_max_ns * td.d / td.n);
	CHECK_EQ(st2110_delta_frame_index(&s, s.delta_max_ns),
		 (u128)s.delta_max_ns * tf.d / tf.n);
}

/* ---- §2.2 and §2.1 worked examples ---- */

static void t_epoch_example(const void *arg)
{
	static const struct {
		struct st2110_rate rate;
		__u8 scan;
		ull n, align_ns, tvd_ns;
		__u32 rtp, rtp_next;
	} ex[] = {
		{ { 60000, 1001 }, ST2110_SCAN_PROGRESSIVE, 101898101905ULL,
		  1700000000115083333ULL, 1700000000115721007ULL, 380024949, 380026451 },
		{ { 50, 1 }, ST2110_SCAN_PROGRESSIVE, 85000000006ULL,
		  1700000000120000000ULL, 1700000000120764444ULL, 380025392, 380027192 },
		{ { 30000, 1001 }, ST2110_SCAN_INTERLACED, 50949050952ULL,
		  1700000000098400000ULL, 1700000000099052503ULL, 380023448, 380024949 },
	};
	unsigned int i = *(const unsigned int *)arg;
	struct st2110_sched_cfg cfg = {
		.npackets = 4320, .height_px = 1080, .rate = ex[i].rate,
		.scan = ex[i].scan, .type = ST2110_TYPE_N,
		.troffset_ns = ST2110_TROFFSET_DEFAULT,
	};
	struct st2110_sched s;
	const char *why = "";
	__u32 field;

	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_frame_index(&s, T_NOW), ex[i].n);
	CHECK_EQ(st2110_frame_start_ns(&s, ex[i].n), ex[i].align_ns);
	CHECK_EQ(st2110_tvd_ns(&s, ex[i].n), ex[i].tvd_ns);
	CHECK_EQ(st2110_rtp_video_ts(&s.rate, ex[i].n, 0), ex[i].rtp);
	if (ex[i].scan == ST2110_SCAN_PROGRESSIVE) {
		CHECK_EQ(st2110_rtp_video_ts(&s.rate, ex[i].n + 1, 0), ex[i].rtp_next);
		CHECK_EQ(st2110_rtp_video_frame(&s.rate, 0, ex[i].rtp_next, T_NOW, &field),
			 ex[i].n + 1);
		return;
	}
	/* 1080i59.94 field 2: aligned .115083333 s, RTP 380024949, TPR(NP/2) .115735837 s */
	CHECK_EQ(st2110_rtp_video_ts(&s.rate, ex[i].n, 1), ex[i].rtp_next);
	CHECK_EQ(st2110_frame_start_ns(&s, ex[i].n) + s.half_d / s.den, 1700000000115083333ULL);
	CHECK_EQ(st2110_tpr_ns(&s, ex[i].n, 2160), 1700000000115735837ULL);
	CHECK_EQ(st2110_rtp_video_frame(&s.rate, 1, ex[i].rtp_next, T_NOW, &field), ex[i].n);
	CHECK_EQ(field, 1);
}

/* LIST test_video.cpp: 625i50, 384 packets per field. */
static void t_list_625i(const void *arg)
{
	struct st2110_sched_cfg cfg = {
		.npackets = 768, .height_px = 576, .rate = { 25, 1 },
		.scan = ST2110_SCAN_INTERLACED, .type = ST2110_TYPE_N,
		.troffset_ns = ST2110_TROFFSET_DEFAULT,
	};
	struct st2110_sched s;
	const char *why = "";

	(void)arg;
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(s.troffset_d % s.den, 0);
	CHECK_EQ(s.troffset_d / s.den, 1664000);
	CHECK_EQ(s.trs_d % s.den, 0);
	CHECK_EQ(s.trs_d / s.den, 48000);
	CHECK_EQ(st2110_tpr_ns(&s, 1000, 384) - st2110_tpr_ns(&s, 1000, 383),
		 20000000 + 1664000 - (1664000 + 383 * 48000));
}

/* LIST test_rtp_ts.cpp: 90 kHz, TFRAME 1/50, t = 1563924787.420727121 s. */
static void t_list_rtp(const void *arg)
{
	const ull t = 1563924787420727121ULL;
	const __u32 rtp = 2857610649U;
	struct st2110_rate rate = { 50, 1 };
	struct st2110_sched_cfg cfg = {
		.npackets = 4320, .height_px = 1080, .rate = rate,
		.type = ST2110_TYPE_N, .troffset_ns = ST2110_TROFFSET_DEFAULT,
	};
	struct st2110_sched s;
	const char *why = "";
	ull n, ticks;
	__u32 field;

	(void)arg;
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	n = st2110_frame_index(&s, t);
	CHECK_EQ(n, 78196239371ULL);
	CHECK_EQ((__u32)(rtp - st2110_rtp_video_ts(&rate, n, 0)), 65);
	CHECK_EQ(st2110_rtp_video_frame(&rate, 0, rtp, t, &field), n);
	ticks = st2110_rtp_unwrap(rtp, st2110_rtp_ticks(t, 90000));
	CHECK_EQ(ticks, 140753230867865ULL);
	/* delta packet time vs RTP time is exactly 4898.78 ns: floor 4898 */
	CHECK_EQ(t - st2110_rtp_ticks_to_ns_ceil(ticks, 90000), 4898);
	CHECK_EQ(t - st2110_rtp_ticks_to_ns(ticks, 90000), 4899);
}

/* 59.94: increments alternate 1501/1502, 3003 per 2 frames, over 200000 frames. */
static void t_rtp_alternation(const void *arg)
{
	static const struct st2110_rate r5994 = { 60000, 1001 }, r2997 = { 30000, 1001 };
	/* starts: the §2.2 instant, and just before an RTP wrap */
	ull starts[2] = { 101898101905ULL, 0 };
	unsigned int si, i;

	(void)arg;
	/* frame whose timestamp is 2^32 - ~150000 ticks (floor(N*1501.5) < 2^32*k) */
	starts[1] = (ull)(((u128)7 << 32) * 2 / 3003) - 100;
	for (si = 0; si < 2; si++) {
		ull n0 = starts[si];
		__u32 prev = st2110_rtp_video_ts(&r5994, n0, 0);
		unsigned int wraps = 0;

		for (i = 1; i <= 200000; i++) {
			ull n = n0 + i;
			__u32 ts = st2110_rtp_video_ts(&r5994, n, 0);
			__u32 want = (__u32)((u128)n * 90000 * 1001 / 60000);
			__u32 step = ts - prev;

			CHECK(ts == want, "N %llu: ts %u, want %u", n, ts, want);
			/* floor((N+1)*1501.5) - floor(N*1501.5): 1502 when N is odd */
			CHECK(step == (n % 2 ? 1501 : 1502), "N %llu: step %u", n, step);
			if (i % 2 == 0)
				CHECK_EQ((__u32)(ts - st2110_rtp_video_ts(&r5994, n - 2, 0)), 3003);
			wraps += ts < prev;
			prev = ts;
			/* interlaced 29.97 frames: field 2 is field 1 + 1501 or 1502 */
			ts = st2110_rtp_video_ts(&r2997, n, 1) - st2110_rtp_video_ts(&r2997, n, 0);
			CHECK(ts == 1501 || ts == 1502, "field step %u", ts);
			CHECK_EQ(st2110_rtp_video_ts(&r2997, n, 0), st2110_rtp_video_ts(&r5994, 2 * n, 0));
			CHECK_EQ(st2110_rtp_video_ts(&r2997, n, 1), st2110_rtp_video_ts(&r5994, 2 * n + 1, 0));
		}
		CHECK(si == 0 || wraps == 1, "expected one 2^32 wrap, saw %u", wraps);
	}
}

/* Inverse RTP: frame (and field) from a timestamp and a rough time. */
static void t_rtp_inverse(const void *arg)
{
	static const struct st2110_rate rates[] = {
		{ 60000, 1001 }, { 50, 1 }, { 30000, 1001 }, { 25, 1 }, { 24000, 1001 }, { 120, 1 },
	};
	unsigned int i, k;

	(void)arg;
	for (i = 0; i < 6; i++) {
		for (k = 0; k < 3000; k++) {
			const struct st2110_rate *r = &rates[i];
			ull t = (1ULL << 45) + rnd_below(T_2100);
			ull n = (ull)((u128)t * r->num / ((u128)1000000000 * r->den));
			__u32 field = (__u32)(k & 1), got_field = 9;
			int il = i >= 2 && i <= 3;
			__u32 ts = st2110_rtp_video_ts(r, n, il ? field : 0);
			/* the time a receiver sees: up to an hour off */
			ull approx = t + rnd_below(7200ULL * ST2110_NSEC_PER_SEC) -
				     3600ULL * ST2110_NSEC_PER_SEC;

			CHECK_EQ(st2110_rtp_video_frame(r, il, ts, approx, &got_field), n);
			CHECK_EQ(got_field, il ? field : 0);
			/* a sender that rounds instead of truncating is off by one tick */
			CHECK_EQ(st2110_rtp_video_frame(r, il, ts + 1, approx, &got_field), n);
		}
	}
}

/* Generic RTP clocks against 128-bit, up to year 2100. */
static void t_rtp_clock(const void *arg)
{
	static const __u32 hz[] = { 90000, 48000, 96000, 44100 };
	unsigned int i, k;

	(void)arg;
	for (i = 0; i < 4; i++) {
		for (k = 0; k < 20000; k++) {
			ull t = k == 0 ? T_2100 : rnd_below(T_2100);
			ull ticks = (ull)((u128)t * hz[i] / 1000000000);

			CHECK_EQ(st2110_rtp_ticks(t, hz[i]), ticks);
			CHECK_EQ(st2110_rtp_ts(t, hz[i]), (__u32)ticks);
			CHECK_EQ(st2110_rtp_ticks_to_ns(ticks, hz[i]), (u128)ticks * 1000000000 / hz[i]);
			CHECK_EQ(st2110_rtp_ticks_to_ns_ceil(ticks, hz[i]),
				 ((u128)ticks * 1000000000 + hz[i] - 1) / hz[i]);
			CHECK(st2110_rtp_ticks_to_ns(ticks, hz[i]) <= t, "tick time after t");
			CHECK_EQ(st2110_rtp_unwrap((__u32)ticks, ticks + rnd_below(1U << 31) - (1U << 30)),
				 ticks);
		}
	}
}

static void t_seq(const void *arg)
{
	(void)arg;
	CHECK_EQ(st2110_seq_ext(0x1234, 0xabcd), 0x1234abcdU);
	CHECK_EQ(st2110_seq_unwrap16(0x0001fff0, 0x0005), 0x00020005U);
	CHECK_EQ(st2110_seq_unwrap16(0x00020005, 0xfff0), 0x0001fff0U);
	CHECK_EQ(st2110_seq_unwrap16(0x00020005, 0x0005), 0x00020005U);
	CHECK_EQ(st2110_seq_unwrap16(0x00020000, 0x7fff), 0x00027fffU);
	CHECK_EQ(st2110_seq_unwrap16(0x00020000, 0x8000), 0x00018000U);	/* tie: behind */
	CHECK_EQ(st2110_seq_unwrap16(0x00020000, 0x8001), 0x00018001U);
	CHECK_EQ(st2110_seq_unwrap32(1ULL << 40, 0x80000000U), (1ULL << 40) - 0x80000000ULL);
	CHECK_EQ(st2110_seq_unwrap32(0x5fffffff0ULL, 0x00000010), 0x600000010ULL);
	CHECK_EQ(st2110_seq_unwrap32(0x600000010ULL, 0xfffffff0), 0x5fffffff0ULL);
	CHECK_EQ(st2110_rtp_unwrap(10, 0x1fffffff0ULL), 0x20000000aULL);
	CHECK_EQ(st2110_rtp_unwrap(0xfffffff0U, 0x20000000aULL), 0x1fffffff0ULL);
}

/* ---- exact arithmetic primitives ---- */

static void t_rational(const void *arg)
{
	unsigned int i;
	struct st2110_frac f, g, h;

	(void)arg;
	CHECK_EQ(st2110_gcd64(0, 0), 0);
	CHECK_EQ(st2110_gcd64(0, 7), 7);
	/* F(93), F(92): the longest Euclid run on 64 bits */
	CHECK_EQ(st2110_gcd64(12200160415121876738ULL, 7540113804746346429ULL), 1);
	CHECK_EQ(st2110_gcd64(3 * 2880067194370816120ULL, 3 * 1779979416004714189ULL), 3);
	CHECK_EQ(st2110_gcd64(1ULL << 63, 3ULL << 40), 1ULL << 40);
	CHECK(st2110_mul_overflows(1ULL << 32, 1ULL << 32), "2^32 * 2^32");
	CHECK(!st2110_mul_overflows((1ULL << 32) - 1, (1ULL << 32) + 1), "(2^32-1)(2^32+1)");
	CHECK(st2110_mul_overflows(3, 0x5555555555555556ULL), "3 * (2^64+2)/3");
	CHECK(!st2110_mul_overflows(3, 0x5555555555555555ULL), "3 * (2^64-1)/3");
	CHECK(!st2110_mul_overflows(0, ~0ULL) && !st2110_mul_overflows(~0ULL, 1), "0 and 1");
	for (i = 0; i < 100000; i++) {
		ull a = rnd() >> rnd_below(64), b = rnd() >> rnd_below(64);
		ull c = (rnd() >> rnd_below(64)) | 1;
		u128 p = (u128)a * b;

		CHECK_EQ(st2110_mul_overflows(a, b), p >> 64 != 0);
		CHECK_EQ(st2110_gcd64(a, b), gcd128(a, b));
		/* keep to the documented precondition: (c-1)*b and the result fit */
		if ((u128)(c - 1) * b >> 64 || (p / c) >> 64)
			continue;
		CHECK_EQ(st2110_muldiv_floor(a, b, c), p / c);
		CHECK_EQ(st2110_muldiv_ceil(a, b, c), (p + c - 1) / c);
		/* half up: the remainder is at least half of c */
		CHECK_EQ(st2110_muldiv_round(a, b, c), p / c + (2 * (p % c) >= c));
	}
	CHECK(!st2110_frac_set(&f, 50050000, 3) && f.num == 50050000 && f.den == 3, "50050000/3");
	CHECK(!st2110_frac_set(&g, 24, 25), "24/25");
	CHECK(!st2110_frac_mul(&h, &f, &g) && h.num == 16016000 && h.den == 1, "16016000");
	CHECK(st2110_frac_set(&f, 1, 0) == -EINVAL, "x/0");
	CHECK(!st2110_frac_set(&f, 0, 9) && f.num == 0 && f.den == 1, "0/9");
	f.num = 1ULL << 40; f.den = 1;
	g.num = 1ULL << 40; g.den = 3;
	CHECK(st2110_frac_mul(&h, &f, &g) == -EOVERFLOW, "2^80 overflows");
}

/* Arbitrary streams at arbitrary times up to 2100, against 128-bit. */
static void t_overflow_2100(const void *arg)
{
	static const struct {
		struct st2110_rate rate;
		__u32 npk, height;
		__u8 scan, type;
	} st[] = {
		{ { 60000, 1001 }, 16458, 2160, ST2110_SCAN_PROGRESSIVE, ST2110_TYPE_N },
		{ { 50, 1 }, 16458, 2160, ST2110_SCAN_PROGRESSIVE, ST2110_TYPE_W },
		{ { 30000, 1001 }, 4116, 1080, ST2110_SCAN_INTERLACED, ST2110_TYPE_N },
		{ { 30000, 1001 }, 3784, 1080, ST2110_SCAN_PSF, ST2110_TYPE_N },
		{ { 2997, 100 }, 7920, 720, ST2110_SCAN_PROGRESSIVE, ST2110_TYPE_N }, /* decimal rate */
		{ { 30000, 1001 }, 524287 * 2, 1080, ST2110_SCAN_INTERLACED, ST2110_TYPE_N }, /* 2 x prime */
		{ { 24000, 1001 }, 1048573, 4320, ST2110_SCAN_PROGRESSIVE, ST2110_TYPE_N },
		{ { 120000, 1001 }, 999999, 2160, ST2110_SCAN_PROGRESSIVE, ST2110_TYPE_NL },
		{ { 1, 1 }, 1, 480, ST2110_SCAN_PROGRESSIVE, ST2110_TYPE_N },
		{ { 1000, 1 }, 1048576, 486, ST2110_SCAN_INTERLACED, ST2110_TYPE_N },
	};
	unsigned int i, k;

	(void)arg;
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		struct st2110_sched_cfg cfg = {
			.npackets = st[i].npk, .height_px = st[i].height, .rate = st[i].rate,
			.scan = st[i].scan, .type = st[i].type,
			.troffset_ns = ST2110_TROFFSET_DEFAULT,
		};
		struct st2110_raster ras = { { 0, 1 }, { 0, 1 } };
		struct st2110_sched s;
		struct q tf, trs, tro, td;
		struct ref r;
		const char *why = "";
		int err = st2110_sched_init(&s, &cfg, &why);

		CHECK(!err, "stream %u: %s", i, why);
		if (err)
			continue;
		CHECK(!st2110_raster(st[i].scan, st[i].height, &ras, &why), "raster %u", i);
		/* the reference derives everything from the formulas itself */
		tf = q_make((u128)1000000000 * st[i].rate.den, st[i].rate.num);
		trs = st[i].type == ST2110_TYPE_N ?
			q_make(tf.n * ras.ractive.num, tf.d * ras.ractive.den * st[i].npk) :
			q_make(tf.n, tf.d * st[i].npk);
		tro = q_make(tf.n * ras.trodefault.num, tf.d * ras.trodefault.den);
		td = q_make(tf.n * 10, tf.d * 11 * st[i].npk);
		CHECK(q_eq(trs, s.trs_d, s.den), "stream %u TRS", i);
		CHECK(q_eq(td, s.tdrain_d, s.den), "stream %u TDRAIN", i);
		ref_init(&r, tf, tro, trs, st[i].npk,
			 st[i].type == ST2110_TYPE_N && st[i].scan != ST2110_SCAN_PROGRESSIVE);
		for (k = 0; k < 20000; k++) {
			ull t = k == 0 ? T_2100 : rnd_below(T_2100);
			ull n = (ull)((u128)t * tf.d / tf.n);
			__u32 j = (__u32)rnd_below(st[i].npk);
			__u32 lead = (__u32)rnd_below(st[i].npk + 1);

			CHECK_EQ(st2110_frame_index(&s, t), n);
			CHECK_EQ(st2110_frame_start_ns(&s, n), (u128)n * tf.n / tf.d);
			CHECK_EQ(st2110_tpr_ns(&s, n, j), ref_tpr(&r, n, j, 0));
			CHECK_EQ(st2110_tpr_lead_ns(&s, n + 1, j, lead), ref_tpr(&r, n + 1, j, lead));
			CHECK_EQ(st2110_drain_index(&s, t), (u128)t * td.d / td.n);
		}
	}
}

/*
 * The documented range: every 1/1 and 1000/1001 rate from 23.98 to 120 Hz,
 * every scan and type, NPACKETS up to 2^20 (primes included) is accepted,
 * and the schedule stays exact at the end of that range.
 */
static void t_standard_range(const void *arg)
{
	static const struct st2110_rate rates[] = {
		{ 24000, 1001 }, { 24, 1 }, { 25, 1 }, { 30000, 1001 }, { 30, 1 }, { 50, 1 },
		{ 60000, 1001 }, { 60, 1 }, { 100, 1 }, { 120000, 1001 }, { 120, 1 },
	};
	static const struct { __u8 scan; __u32 height; } sys[] = {
		{ ST2110_SCAN_PROGRESSIVE, 720 }, { ST2110_SCAN_PROGRESSIVE, 2160 },
		{ ST2110_SCAN_INTERLACED, 486 }, { ST2110_SCAN_INTERLACED, 576 },
		{ ST2110_SCAN_INTERLACED, 1080 }, { ST2110_SCAN_PSF, 1080 },
	};
	static const __u32 npk[] = { 2, 4320, 999982, 1048574, 1048576, 1048573, 1 };
	unsigned int r, y, n, ty;

	(void)arg;
	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
		for (y = 0; y < sizeof(sys) / sizeof(sys[0]); y++)
			for (n = 0; n < sizeof(npk) / sizeof(npk[0]); n++)
				for (ty = 0; ty < __ST2110_TYPE_MAX; ty++) {
					struct st2110_sched_cfg cfg = {
						.npackets = npk[n], .height_px = sys[y].height,
						.rate = rates[r], .scan = sys[y].scan, .type = (__u8)ty,
						.troffset_ns = ST2110_TROFFSET_DEFAULT,
					};
					struct st2110_sched s;
					const char *why = "";
					int err;

					if (npk[n] % 2 && sys[y].scan != ST2110_SCAN_PROGRESSIVE)
						continue;
					err = st2110_sched_init(&s, &cfg, &why);
					CHECK(!err, "%u/%u scan %u %u lines %u pkts type %u: %s",
					      rates[r].num, rates[r].den, sys[y].scan, sys[y].height,
					      npk[n], ty, why);
					if (err)
						continue;
					/* the last read of a frame is before the next frame's TVD */
					CHECK(st2110_tpr_ns(&s, T_2100 / s.tframe_whole_ns, npk[n] - 1) <
					      st2110_tvd_ns(&s, T_2100 / s.tframe_whole_ns + 1), "order");
				}
}

/* st2110_tpr_count and st2110_next_frame against brute force. */
static void t_count_next(const void *arg)
{
	static const __u8 scans[] = { ST2110_SCAN_PROGRESSIVE, ST2110_SCAN_INTERLACED };
	unsigned int si, ty, k;

	(void)arg;
	for (si = 0; si < 2; si++) {
		for (ty = 0; ty < 2; ty++) {
			struct st2110_sched_cfg cfg = {
				.npackets = 270, .height_px = 1080, .rate = { 30000, 1001 },
				.scan = scans[si], .type = (__u8)(ty ? ST2110_TYPE_W : ST2110_TYPE_N),
				.troffset_ns = ST2110_TROFFSET_DEFAULT,
			};
			struct q tf = q_make(1001000000000ULL, 30000);
			struct st2110_sched s;
			const char *why = "";
			struct ref r;

			CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
			ref_init(&r, tf, q_make(tf.n * (si ? 22 : 43), tf.d * 1125),
				 ty ? q_make(tf.n, tf.d * 270) : q_make(tf.n * 24, tf.d * 25 * 270),
				 270, !ty && si);
			for (k = 0; k < 3000; k++) {
				ull n = 50949050952ULL + rnd_below(3);
				ull t = st2110_frame_start_ns(&s, n) - 1000 +
					rnd_below(2 * s.tframe_whole_ns + 3000);
				__u32 lead = (__u32)rnd_below(271), want = 0, j;
				ull nf;

				/* snap some times onto a read instant: TPR_j <= t must count */
				if (k % 3 == 0)
					t = st2110_tpr_ns(&s, n, (__u32)rnd_below(270)) + rnd_below(2);
				/* the exact instant: a packet at floor(TPR_j) is not read yet */
				for (j = 0; j < 270; j++)
					want += ref_tpr_l(&r, n, j, 0) <= (u128)t * r.L;
				CHECK_EQ(st2110_tpr_count(&s, n, t), want);
				nf = st2110_next_frame(&s, t, lead);
				CHECK(st2110_tpr_lead_ns(&s, nf, 0, lead) >= t &&
				      st2110_tpr_lead_ns(&s, nf - 1, 0, lead) < t,
				      "next_frame(%llu, lead %u) = %llu", t, lead, nf);
			}
			CHECK_EQ(st2110_tpr_count(&s, 1000, st2110_frame_start_ns(&s, 1000) - 1), 0);
			CHECK_EQ(st2110_tpr_count(&s, 1000, st2110_frame_start_ns(&s, 1003)), 270);
		}
	}
}

/*
 * §7.1 limits exactly on their integer boundaries (1080p50, RACTIVE 24/25):
 * NPACKETS/(43200 * RACTIVE * TFRAME) = 100 at 82944 packets, and so on.
 * The table rows never sit on a boundary, so a wrong constant would pass
 * them unnoticed.
 */
static void t_limits_boundaries(const void *arg)
{
	static const struct {
		__u32 npk;
		__u32 cmax_n, cmax_nl, cmax_w, vrx_n, vrx_w, w_defined;
	} c[] = {
		{ 82944, 100, 96, 192, 153, 13824, 0 },
		{ 82943, 99, 95, 191, 153, 13823, 0 },
		{ 86400, 104, 100, 200, 160, 14400, 0 },
		{ 86399, 104, 99, 199, 159, 14399, 0 },
		{ 43200, 52, 50, 100, 80, 7200, 0 },
		{ 43199, 52, 49, 99, 79, 7199, 0 },
		{ 54000, 65, 62, 125, 100, 9000, 0 },
		{ 53999, 65, 62, 124, 99, 8999, 0 },
		{ 18000, 21, 20, 41, 33, 3000, 0 },	/* 900000 pkt/s: W undefined */
		{ 17999, 21, 20, 41, 33, 2999, 1 },
		{ 4320, 5, 5, 16, 8, 720, 1 },		/* the minimums */
		{ 1, 4, 4, 16, 8, 720, 1 },
	};
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct st2110_sched_cfg cfg = {
			.npackets = c[i].npk, .height_px = 1080, .rate = { 50, 1 },
			.type = ST2110_TYPE_N, .troffset_ns = ST2110_TROFFSET_DEFAULT,
		};
		struct st2110_sched s;
		const char *why = "";

		CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
		CHECK(s.lim.cmax_n == c[i].cmax_n, "%u pkts: CMAX N %u", c[i].npk, s.lim.cmax_n);
		CHECK(s.lim.cmax_nl == c[i].cmax_nl, "%u pkts: CMAX NL %u", c[i].npk, s.lim.cmax_nl);
		CHECK(s.lim.cmax_w == c[i].cmax_w, "%u pkts: CMAX W %u", c[i].npk, s.lim.cmax_w);
		CHECK(s.lim.vrx_full_n == c[i].vrx_n, "%u pkts: VRX N %u", c[i].npk, s.lim.vrx_full_n);
		CHECK(s.lim.vrx_full_w == c[i].vrx_w, "%u pkts: VRX W %u", c[i].npk, s.lim.vrx_full_w);
		CHECK(s.lim.cmax_w_defined == c[i].w_defined, "%u pkts: W defined", c[i].npk);
	}
}

/* A custom TROFFSET and the SDP TROFF rounding. */
static void t_troffset(const void *arg)
{
	struct st2110_sched_cfg cfg = {
		.npackets = 4320, .height_px = 1080, .rate = { 60000, 1001 },
		.type = ST2110_TYPE_N, .troffset_ns = 500,
	};
	struct st2110_sched s;
	const char *why = "";

	(void)arg;
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_sched_troff_us(&s), 1);		/* 0.5 µs rounds up */
	CHECK_EQ(s.troffset_is_default, 0);
	CHECK_EQ(st2110_tvd_ns(&s, 3), 50050000 + 500);
	cfg.troffset_ns = 0;
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_tvd_ns(&s, 1), 16683333);
	CHECK_EQ(st2110_sched_troff_us(&s), 0);
	cfg.troffset_ns = 16683333;			/* < TFRAME = 16683333.3 */
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_sched_troff_us(&s), 16683);
	cfg.troffset_ns = 16683334;
	CHECK_EQ(st2110_sched_init(&s, &cfg, &why), -ERANGE);
	CHECK_STR(why, "TROFFSET must be less than TFRAME");
}

/* ---- ST 2110-20 layouts ---- */

static int layout(struct st2110_video_layout *l, __u32 w, __u32 h, __u8 scan,
		  __u8 sampling, __u8 depth, __u8 packing, __u16 payload)
{
	struct st2110_video_fmt f = {
		.width_px = w, .height_px = h, .rate = { 60000, 1001 },
		.max_payload_bytes = payload, .scan = scan, .sampling = sampling,
		.depth = depth, .packing = packing,
	};
	const char *why = "";
	int err = st2110_video_layout_init(l, &f, &why);

	CHECK(!err, "%ux%u sampling %u depth %u: %s", w, h, sampling, depth, why);
	return err;
}

static void t_layout_examples(const void *arg)
{
	struct st2110_video_layout l;
	struct st2110_pkt p = { 0 };

	(void)arg;
	/* 720p 4:2:2/10, 1200 B max: 3 packets of 1070/1070/1060 B per row */
	if (!layout(&l, 1280, 720, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_GPM, 0)) {
		CHECK_EQ(l.row_pkts, 3);
		CHECK_EQ(l.npackets, 2160);
		st2110_video_pkt(&l, 0, &p);
		CHECK_EQ(p.data_bytes, 1070);
		CHECK_EQ(p.srd[0].offset_px, 0);
		st2110_video_pkt(&l, 1, &p);
		CHECK_EQ(p.data_bytes, 1070);
		CHECK_EQ(p.srd[0].offset_px, 428);
		st2110_video_pkt(&l, 2, &p);
		CHECK_EQ(p.data_bytes, 1060);
		CHECK_EQ(p.srd[0].offset_px, 856);
		CHECK_EQ(p.srd[0].row, 0);
		st2110_video_pkt(&l, 2159, &p);
		CHECK_EQ(p.srd[0].row, 719);
		CHECK_EQ(p.marker, 1);
		st2110_video_pkt(&l, 2158, &p);
		CHECK_EQ(p.marker, 0);
	}
	/* 1080p: 4 x 1200 B */
	if (!layout(&l, 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_GPM, 0)) {
		CHECK_EQ(l.row_pkts, 4);
		CHECK_EQ(l.payload_bytes, 1200);
		st2110_video_pkt(&l, 3, &p);
		CHECK_EQ(p.data_bytes, 1200);
		CHECK_EQ(p.srd[0].offset_px, 1440);
	}
	/* 1080p BPM: 4115 packets of 1260 B, the last 5184000 - 4114*1260 = 360 B */
	if (!layout(&l, 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_BPM, 0)) {
		CHECK_EQ(l.npackets, 4115);
		CHECK_EQ(l.max_srd, 2);
		st2110_video_pkt(&l, 3, &p);	/* bytes 3780..5039 cross row 0/1 */
		CHECK_EQ(p.nsrd, 2);
		CHECK_EQ(p.srd[0].length_bytes, 1020);
		CHECK_EQ(p.srd[0].offset_px, 1512);
		CHECK_EQ(p.srd[1].row, 1);
		CHECK_EQ(p.srd[1].length_bytes, 240);
		st2110_video_pkt(&l, 4114, &p);
		CHECK_EQ(p.data_bytes, 360);
		CHECK_EQ(p.marker, 1);
	}
	/* 1080i BPM: 2058 per field, marker ends each field, F bit on field 2 */
	if (!layout(&l, 1920, 1080, ST2110_SCAN_INTERLACED, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_BPM, 0)) {
		CHECK_EQ(l.field_pkts, 2058);
		st2110_video_pkt(&l, 2057, &p);
		CHECK(p.marker == 1 && p.field == 0, "end of field 1");
		st2110_video_pkt(&l, 2058, &p);
		CHECK(p.marker == 0 && p.field == 1 && p.srd[0].row == 0, "start of field 2");
		CHECK_EQ(st2110_video_srd_frame_offset(&l, 1, &p.srd[0]), 4800);
	}
	/* 4:2:0/10 1080p: pgroup 15 B / 8 px over 2 rows; SRD rows are even */
	if (!layout(&l, 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_420,
		    ST2110_DEPTH_10, ST2110_PACKING_GPM, 0)) {
		CHECK_EQ(l.row_bytes, 7200);
		CHECK_EQ(l.rows_per_field, 540);
		st2110_video_pkt(&l, 7, &p);
		CHECK_EQ(p.srd[0].row, 2);
	}
	/* a narrow BPM raster needs 3 SRDs in some packets */
	if (!layout(&l, 256, 64, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_BPM, 0))
		CHECK_EQ(l.max_srd, 3);
	CHECK_STR(st2110_sampling_name(ST2110_SAMPLING_ICTCP_420), "ICtCp-4:2:0");
	CHECK_STR(st2110_depth_name(ST2110_DEPTH_16F), "16f");
}

/*
 * For many formats, the packets of a frame tile every field exactly once in
 * order, respect the SRD and UDP limits, and map onto the frame buffer.
 */
static void t_layout_tiling(const void *arg)
{
	static const struct {
		__u32 w, h;
		__u8 scan, sampling, depth, packing;
		__u16 payload;
	} f[] = {
		{ 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_GPM, 0 },
		{ 1280, 720, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_BPM, 0 },
		{ 1920, 1080, ST2110_SCAN_INTERLACED, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_BPM, 0 },
		{ 1920, 1080, ST2110_SCAN_PSF, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_8, ST2110_PACKING_GPM, 1432 },
		{ 720, 486, ST2110_SCAN_INTERLACED, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_GPM, 0 },
		{ 3840, 2160, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_RGB, ST2110_DEPTH_12, ST2110_PACKING_BPM, 0 },
		{ 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_444, ST2110_DEPTH_10, ST2110_PACKING_GPM, 1375 },
		{ 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_420, ST2110_DEPTH_8, ST2110_PACKING_BPM, 0 },
		{ 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_XYZ, ST2110_DEPTH_16F, ST2110_PACKING_GPM, 0 },
		{ 1024, 768, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_KEY, ST2110_DEPTH_10, ST2110_PACKING_BPM, 0 },
		{ 256, 64, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_BPM, 0 },
		{ 2, 1, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_16, ST2110_PACKING_GPM, 0 },
	};
	unsigned int i, j, s;

	(void)arg;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct st2110_video_layout l;
		ull pos = 0, frame_bytes = 0, srds = 0, wire_bytes = 0;
		__u32 field = 0;

		if (layout(&l, f[i].w, f[i].h, f[i].scan, f[i].sampling, f[i].depth,
			   f[i].packing, f[i].payload))
			continue;
		for (j = 0; j < l.npackets; j++) {
			struct st2110_pkt p = { 0 };
			unsigned int hdr;

			CHECK_EQ(st2110_video_pkt(&l, j, &p), 0);
			if (p.field != field) {
				CHECK(pos == l.field_bytes, "fmt %u field %u has %llu of %llu B",
				      i, field, pos, (ull)l.field_bytes);
				field = p.field;
				pos = 0;
			}
			CHECK(p.nsrd >= 1 && p.nsrd <= l.max_srd, "fmt %u pkt %u: %u SRDs", i, j, p.nsrd);
			srds += p.nsrd;
			wire_bytes += 40 + ST2110_20_ESN_LEN + ST2110_20_SRD_LEN * p.nsrd + p.data_bytes;
			hdr = ST2110_UDP_HDR_LEN + ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN +
			      ST2110_20_SRD_LEN * p.nsrd;
			CHECK(hdr + p.data_bytes <= ST2110_UDP_STANDARD_LIMIT, "fmt %u pkt %u too big", i, j);
			CHECK(p.data_bytes <= l.payload_bytes, "fmt %u pkt %u", i, j);
			CHECK(p.marker == (__u32)(j % l.field_pkts == l.field_pkts - 1), "fmt %u marker %u", i, j);
			for (s = 0; s < p.nsrd; s++) {
				const struct st2110_srd *d = &p.srd[s];
				ull at = (ull)d->row / l.pg.rows * l.row_bytes +
					 (ull)d->offset_px / l.pg.cols * l.pg.bytes;

				CHECK(at == pos, "fmt %u pkt %u srd %u at %llu, want %llu", i, j, s, at, pos);
				CHECK(d->length_bytes && d->length_bytes % l.pg.bytes == 0,
				      "fmt %u pkt %u srd %u length %u", i, j, s, d->length_bytes);
				CHECK((__u32)d->offset_px * l.pg.bytes / l.pg.cols + d->length_bytes <= l.row_bytes,
				      "fmt %u pkt %u srd %u crosses its row", i, j, s);
				CHECK(d->row <= ST2110_20_SRD_ROW_MASK && d->offset_px <= ST2110_20_SRD_OFFSET_MASK,
				      "15-bit fields");
				CHECK(st2110_video_srd_frame_offset(&l, p.field, d) + d->length_bytes <=
				      (ull)l.row_bytes * l.rows_per_field * l.fields, "frame offset");
				pos += d->length_bytes;
				frame_bytes += d->length_bytes;
			}
		}
		CHECK(pos == l.field_bytes, "fmt %u last field has %llu of %llu B", i, pos,
		      (ull)l.field_bytes);
		CHECK_EQ(frame_bytes, l.field_bytes * l.fields);
		/* the closed forms against the packets themselves */
		CHECK_EQ(st2110_video_frame_srds(&l), srds);
		CHECK_EQ(st2110_video_frame_bytes(&l, 40), wire_bytes);
		CHECK_EQ(st2110_video_pkt(&l, l.npackets, &(struct st2110_pkt){ 0 }), -EINVAL);
	}
}

/* ---- every rejection path, with its reason ---- */

struct reject {
	const char *what;
	int err;
	const char *reason;
};

static void t_video_reject(const void *arg)
{
	static const struct {
		struct st2110_video_fmt f;
		struct reject r;
	} c[] = {
#define F422(w, h, sc) .width_px = w, .height_px = h, .rate = { 50, 1 }, .scan = sc, \
	.sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10
		{ { F422(0, 1080, 0) }, { "width 0", -EINVAL, "width must not be 0" } },
		{ { F422(1920, 0, 0) }, { "height 0", -EINVAL, "height must not be 0" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 0, 0 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10 },
		  { "rate 0/0", -EINVAL, "frame rate must be a non-zero num/den (e.g. 60000/1001)" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 0 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10 },
		  { "rate 50/0", -EINVAL, "frame rate must be a non-zero num/den (e.g. 60000/1001)" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 1, 2 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10 },
		  { "rate 0.5", -ERANGE, "frame rate must be between 1 and 1000 frames per second" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 1001, 1 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10 },
		  { "rate 1001", -ERANGE, "frame rate must be between 1 and 1000 frames per second" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 3000007, 100003 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10 },
		  { "rate terms", -ERANGE, "frame rate num/den must be at most 2^20 each in lowest terms" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 1000003, 999983 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10 },
		  { "rate fraction", -EOVERFLOW, "frame rate fraction too large for exact 64-bit arithmetic" } },
		{ { F422(1920, 1080, 3) }, { "scan 3", -EINVAL, "unknown scan mode" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 1 }, .depth = ST2110_DEPTH_10 },
		  { "sampling unset", -EINVAL, "unknown sampling" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 1 }, .sampling = 13,
		    .depth = ST2110_DEPTH_10 }, { "sampling 13", -EINVAL, "unknown sampling" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 1 },
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = 9 },
		  { "depth 9", -EINVAL, "unknown depth (8, 10, 12, 16 or 16f)" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 1 },
		    .sampling = ST2110_SAMPLING_YCBCR_420, .depth = ST2110_DEPTH_16 },
		  { "4:2:0/16", -EINVAL, "sampling and depth combination has no ST 2110-20 pgroup" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 1 },
		    .sampling = ST2110_SAMPLING_XYZ, .depth = ST2110_DEPTH_10 },
		  { "XYZ/10", -EINVAL, "sampling and depth combination has no ST 2110-20 pgroup" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 25, 1 }, .scan = ST2110_SCAN_INTERLACED,
		    .sampling = ST2110_SAMPLING_YCBCR_420, .depth = ST2110_DEPTH_8 },
		  { "interlaced 4:2:0", -EINVAL, "4:2:0 sampling is defined for progressive scan only" } },
		{ { F422(1919, 1080, 0) }, { "odd 4:2:2 width", -EINVAL,
		    "width must be a multiple of the pgroup width (2 pixels for this sampling and depth)" } },
		{ { .width_px = 1918, .height_px = 1080, .rate = { 50, 1 },
		    .sampling = ST2110_SAMPLING_RGB, .depth = ST2110_DEPTH_10 },
		  { "4:4:4/10 width 1918", -EINVAL,
		    "width must be a multiple of the pgroup width (4 pixels for this sampling and depth)" } },
		{ { .width_px = 1920, .height_px = 1081, .rate = { 50, 1 },
		    .sampling = ST2110_SAMPLING_YCBCR_420, .depth = ST2110_DEPTH_8 },
		  { "4:2:0 odd height", -EINVAL, "4:2:0 height must be even (a pgroup spans 2 lines)" } },
		{ { F422(1920, 1081, ST2110_SCAN_INTERLACED) },
		  { "interlaced odd height", -EINVAL, "interlaced and PsF height must be even (two equal fields)" } },
		{ { F422(32770, 16, 0) },
		  { "width 32770", -EINVAL, "width exceeds the 15-bit SRD offset (32768 pixels)" } },
		{ { F422(16, 65538, ST2110_SCAN_INTERLACED) },
		  { "rows 32769", -EINVAL, "rows per field exceed the 15-bit SRD row number" } },
		{ { F422(1920, 1080, 0), .packing = 2 }, { "packing 2", -EINVAL, "unknown packing mode" } },
		{ { F422(1920, 1080, 0), .max_payload_bytes = 4 },
		  { "payload < pgroup", -EINVAL, "payload is smaller than one pgroup" } },
		{ { F422(1920, 1080, 0), .max_payload_bytes = 1433 }, { "GPM payload 1433", -EINVAL,
		    "payload exceeds the 1460-byte Standard UDP Size Limit (at most 1432 bytes with one SRD)" } },
		{ { F422(1920, 1080, 0), .max_payload_bytes = 8000 }, { "jumbo payload", -EINVAL,
		    "payload exceeds the 1460-byte Standard UDP Size Limit (at most 1432 bytes with one SRD)" } },
		{ { F422(1920, 1080, 0), .packing = ST2110_PACKING_BPM, .max_payload_bytes = 1200 },
		  { "BPM 1200", -EINVAL, "BPM payload must be a multiple of 180 bytes" } },
		{ { .width_px = 1920, .height_px = 1080, .rate = { 50, 1 }, .packing = ST2110_PACKING_BPM,
		    .sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_16 },
		  { "BPM 4:2:2/16 splits a pgroup", -EINVAL,
		    "BPM payload must be a whole number of pgroups (a pgroup is never split across packets)" } },
		{ { F422(128, 1080, 0), .packing = ST2110_PACKING_BPM },
		  { "BPM 128 px", -EINVAL, "BPM packets would need more than 3 SRDs (rows shorter than half a packet)" } },
		{ { F422(1920, 1080, 0), .packing = ST2110_PACKING_BPM, .max_payload_bytes = 1440 },
		  { "BPM 1440", -EINVAL, "payload exceeds the 1460-byte Standard UDP Size Limit with its SRD headers" } },
		{ { .width_px = 32768, .height_px = 32768, .rate = { 50, 1 },
		    .sampling = ST2110_SAMPLING_RGB, .depth = ST2110_DEPTH_16 },
		  { "too many packets", -ERANGE, "too many packets per frame (more than 2^20)" } },
#undef F422
	};
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct st2110_video_layout l;
		const char *why = ST2110_NULL;
		int err = st2110_video_layout_init(&l, &c[i].f, &why);

		CHECK(err == c[i].r.err, "%s: %d, want %d (%s)", c[i].r.what, err, c[i].r.err,
		      why ? why : "");
		CHECK(why && !strcmp(why, c[i].r.reason), "%s: \"%s\"", c[i].r.what,
		      why ? why : "(null)");
	}
}

static void t_sched_reject(const void *arg)
{
	static const struct {
		struct st2110_sched_cfg cfg;
		struct reject r;
	} c[] = {
#define CFG(np, h, sc, ty) .npackets = np, .height_px = h, .rate = { 30000, 1001 }, \
	.scan = sc, .type = ty, .troffset_ns = ST2110_TROFFSET_DEFAULT
		{ { CFG(0, 1080, 0, 0) }, { "NPACKETS 0", -EINVAL, "NPACKETS must not be 0" } },
		{ { CFG((1 << 20) + 2, 1080, 0, 0) },
		  { "NPACKETS 2^20+2", -ERANGE, "too many packets per frame (more than 2^20)" } },
		{ { CFG(4321, 1080, ST2110_SCAN_INTERLACED, 0) },
		  { "odd interlaced NPACKETS", -EINVAL, "interlaced and PsF NPACKETS must be even (two equal fields)" } },
		{ { CFG(4320, 720, ST2110_SCAN_INTERLACED, 0) }, { "720i", -EINVAL,
		    "interlaced height must be 480 or 486 (525-line), 576 (625-line) or 1080 (1125-line)" } },
		{ { CFG(4320, 2160, ST2110_SCAN_PSF, 0) },
		  { "2160 PsF", -EINVAL, "PsF is defined for 1080 lines only (1125-line system)" } },
		{ { CFG(4320, 1080, 7, 0) }, { "scan 7", -EINVAL, "unknown scan mode" } },
		{ { CFG(4320, 1080, 0, 3) }, { "type 3", -EINVAL, "unknown sender type (N, NL or W)" } },
		{ { .npackets = 4320, .height_px = 1080, .rate = { 0, 0 } },
		  { "rate 0/0", -EINVAL, "frame rate must be a non-zero num/den (e.g. 60000/1001)" } },
		{ { .npackets = 4320, .height_px = 1080, .rate = { 30000, 1001 }, .troffset_ns = 33366667 },
		  { "TROFFSET = TFRAME", -ERANGE, "TROFFSET must be less than TFRAME" } },
		{ { .npackets = 4320, .height_px = 1080, .rate = { 30000, 1001 }, .troffset_ns = ~0ULL - 1 },
		  { "TROFFSET huge", -ERANGE, "TROFFSET must be less than TFRAME" } },
		/* terms are legal, but TFRAME * RACTIVE / NPACKETS over den passes 2^60 */
		{ { .npackets = 1048573, .height_px = 1080, .rate = { 65537, 65536 } },
		  { "huge denominators", -EOVERFLOW, "schedule rationals too large for exact 64-bit arithmetic" } },
		/* TDRAIN = 1e12 / (2997 * 11 * 7919) ns: num * den passes 2^62 */
		{ { .npackets = 7919, .height_px = 720, .rate = { 2997, 100 } },
		  { "drain grid", -EOVERFLOW, "schedule rationals too large for exact 64-bit arithmetic" } },
#undef CFG
	};
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct st2110_sched s;
		const char *why = ST2110_NULL;
		int err = st2110_sched_init(&s, &c[i].cfg, &why);

		CHECK(err == c[i].r.err, "%s: %d, want %d (%s)", c[i].r.what, err, c[i].r.err,
		      why ? why : "");
		CHECK(why && !strcmp(why, c[i].r.reason), "%s: \"%s\"", c[i].r.what,
		      why ? why : "(null)");
	}
}

/* ---- ST 2110-30 ---- */

static void t_audio(const void *arg)
{
	struct st2110_audio_fmt a = { .rate_hz = 48000, .channels = 8, .depth_bits = 24 };
	struct st2110_frac pt;
	const char *why = "";
	unsigned int i;

	(void)arg;
	CHECK_EQ(st2110_audio_spp(48000, 1000000), 48);
	CHECK_EQ(st2110_audio_spp(48000, 125000), 6);
	CHECK_EQ(st2110_audio_spp(48000, 250000), 12);
	CHECK_EQ(st2110_audio_spp(48000, 333333), 16);
	CHECK_EQ(st2110_audio_spp(48000, 4000000), 192);
	CHECK_EQ(st2110_audio_spp(96000, 125000), 12);
	CHECK_EQ(st2110_audio_spp(44100, 1000000), 44);

	a.samples_per_pkt = 48;				/* 8 ch L24 1 ms */
	CHECK_EQ(st2110_audio_validate(&a, &why), 0);
	CHECK_EQ(st2110_audio_payload_bytes(&a), 1152);
	st2110_audio_ptime(&a, &pt);
	CHECK(pt.num == 1000000 && pt.den == 1, "1 ms = %llu/%llu", (ull)pt.num, (ull)pt.den);
	a.channels = 64;				/* 64 ch L24 125 µs */
	a.samples_per_pkt = 6;
	CHECK_EQ(st2110_audio_validate(&a, &why), 0);
	CHECK_EQ(st2110_audio_payload_bytes(&a), 1152);
	st2110_audio_ptime(&a, &pt);
	CHECK(pt.num == 125000 && pt.den == 1, "125 µs");
	a.channels = 2;
	a.samples_per_pkt = 16;				/* 333 1/3 µs exactly */
	st2110_audio_ptime(&a, &pt);
	CHECK(pt.num == 1000000 && pt.den == 3, "333.33 µs = %llu/%llu", (ull)pt.num, (ull)pt.den);
	CHECK_EQ(st2110_audio_pkt_time_ns(&a, 3), 1000000);
	CHECK_EQ(st2110_audio_pkt_time_ns(&a, 1), 333333);
	CHECK_EQ(st2110_audio_pkt_time_ns(&a, 2), 666666);
	CHECK_EQ(st2110_audio_pkt_index(&a, 666666), 1);
	CHECK_EQ(st2110_audio_pkt_index(&a, 666667), 2);
	CHECK_EQ(st2110_audio_pkt_rtp_ts(&a, 3), 48);
	/* epoch-aligned schedule up to 2100, all rates, against 128-bit */
	for (i = 0; i < 30000; i++) {
		static const __u32 rates[] = { 48000, 96000, 44100 };
		static const __u32 spps[] = { 48, 6, 12, 16, 192, 44, 1 };
		struct st2110_audio_fmt b = {
			.rate_hz = rates[i % 3], .samples_per_pkt = spps[i % 7],
			.channels = 1, .depth_bits = 16,
		};
		ull t = i ? rnd_below(T_2100) : T_2100;
		ull k = (ull)((u128)t * b.rate_hz / ((u128)1000000000 * b.samples_per_pkt));
		ull troff;
		u128 rel, prev;

		CHECK_EQ(st2110_audio_pkt_index(&b, t), k);
		CHECK_EQ(st2110_audio_pkt_time_ns(&b, k),
			 (u128)k * b.samples_per_pkt * 1000000000 / b.rate_hz);
		/* exactly: k * ptime <= t < (k + 1) * ptime */
		CHECK(st2110_audio_pkt_time_ns(&b, k) <= t &&
		      (u128)(k + 1) * b.samples_per_pkt * 1000000000 > (u128)t * b.rate_hz,
		      "packet %llu does not cover t %llu", k, t);
		CHECK_EQ(st2110_audio_pkt_rtp_ts(&b, k), (__u32)(k * b.samples_per_pkt));
		/* restamp: the next slot, the first whose release is not before t */
		troff = i % 5 ? rnd_below(2000000) : 0;
		k = st2110_audio_next_slot(&b, t, troff);
		/* release(k) = floor((k + 1) * spp * 1e9 / rate) + troff, 128-bit */
		rel = (u128)(k + 1) * b.samples_per_pkt * 1000000000 / b.rate_hz + troff;
		prev = (u128)k * b.samples_per_pkt * 1000000000 / b.rate_hz + troff;
		CHECK(rel >= t && (!k || prev < t),
		      "next slot %llu for t %llu troff %llu is not the first", k, t, troff);
	}
	/* restamp: the next slot is the first whose release is not before t */
	CHECK_EQ(st2110_audio_next_slot(&a, 0, 0), 0);
	CHECK_EQ(st2110_audio_next_slot(&a, 333333, 0), 0);	/* release(0) = 333333 */
	CHECK_EQ(st2110_audio_next_slot(&a, 333334, 0), 1);
	CHECK_EQ(st2110_audio_next_slot(&a, 1000000, 0), 2);	/* release(2) = 1 ms */
	CHECK_EQ(st2110_audio_next_slot(&a, 1000001, 0), 3);
	CHECK_EQ(st2110_audio_next_slot(&a, 1000001, 1), 2);
	CHECK_EQ(st2110_audio_next_slot(&a, 5, 10), 0);
}

static void t_audio_reject(const void *arg)
{
	static const struct {
		struct st2110_audio_fmt a;
		struct reject r;
	} c[] = {
		{ { 48000, 48, 0, 24, 0 }, { "0 channels", -EINVAL, "audio channels must be 1..64" } },
		{ { 48000, 6, 65, 24, 0 }, { "65 channels", -EINVAL, "audio channels must be 1..64" } },
		{ { 32000, 48, 2, 24, 0 },
		  { "32 kHz", -EINVAL, "audio sample rate must be 48000, 96000 or 44100 Hz" } },
		{ { 48000, 48, 2, 20, 0 }, { "20 bit", -EINVAL, "audio depth must be L16 or L24" } },
		{ { 48000, 0, 2, 24, 0 },
		  { "0 samples", -EINVAL, "audio packet time must be at least one sample" } },
		{ { 48000, 48, 64, 24, 0 }, { "64 ch L24 1 ms", -EINVAL,
		    "audio payload exceeds 1440 bytes (1460-byte Standard UDP Size Limit)" } },
		{ { 48000, 0x40000000, 64, 24, 0 }, { "wrapping product", -EINVAL,
		    "audio payload exceeds 1440 bytes (1460-byte Standard UDP Size Limit)" } },
	};
	struct st2110_audio_fmt ok = { 96000, 12, 40, 24, 0 };	/* 1440 B exactly */
	const char *why = "";
	unsigned int i;

	(void)arg;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		why = ST2110_NULL;
		CHECK(st2110_audio_validate(&c[i].a, &why) == c[i].r.err, "%s", c[i].r.what);
		CHECK(why && !strcmp(why, c[i].r.reason), "%s: \"%s\"", c[i].r.what,
		      why ? why : "(null)");
	}
	CHECK_EQ(st2110_audio_validate(&ok, &why), 0);
	CHECK_EQ(st2110_audio_payload_bytes(&ok), 1440);
}

/*
 * Bytes per frame with every header.  By hand: 1080p GPM is 4320 packets
 * of 1200 B with one SRD; 1080p BPM cuts 5184000 B into 4115 packets, and
 * of the 1079 row boundaries (rows of 4800 B) the multiples of 21 rows
 * (21 * 4800 = 80 * 1260) are packet boundaries: 1079 - 51 = 1028 extra
 * SRDs; 1080i BPM: 2058 packets and 539 - 25 = 514 per field.
 */
static void t_frame_bytes(const void *arg)
{
	struct st2110_video_layout l;

	(void)arg;
	if (!layout(&l, 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_GPM, 0)) {
		CHECK_EQ(st2110_video_frame_srds(&l), 4320);
		CHECK_EQ(st2110_video_frame_bytes(&l, 12), 4320ULL * (12 + 2 + 6) + 5184000);
		CHECK_EQ(st2110_video_frame_bytes(&l, 0), 4320ULL * 8 + 5184000);
	}
	if (!layout(&l, 1920, 1080, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_BPM, 0)) {
		CHECK_EQ(st2110_video_frame_srds(&l), 4115 + 1028);
		CHECK_EQ(st2110_video_frame_bytes(&l, 12), 4115ULL * 14 + 5143ULL * 6 + 5184000);
	}
	if (!layout(&l, 1920, 1080, ST2110_SCAN_INTERLACED, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_BPM, 0)) {
		CHECK_EQ(st2110_video_frame_srds(&l), 2 * (2058 + 514));
		CHECK_EQ(st2110_video_frame_bytes(&l, 12), 4116ULL * 14 + 5144ULL * 6 + 5184000);
	}
	/* 720p GPM over IPv4 (20 + 8 + 12 B): 2160 x 48 B of headers + 720 x 3200 B */
	if (!layout(&l, 1280, 720, ST2110_SCAN_PROGRESSIVE, ST2110_SAMPLING_YCBCR_422,
		    ST2110_DEPTH_10, ST2110_PACKING_GPM, 0))
		CHECK_EQ(st2110_video_frame_bytes(&l, 40), 2160ULL * 48 + 2304000);
}

/* RNOMINAL, TROFF -> TROFFSET, field index and start, ceil(TPR_j). */
static void t_sched_helpers(const void *arg)
{
	struct st2110_sched_cfg cfg = {
		.npackets = 4320, .height_px = 1080, .rate = { 60000, 1001 },
		.type = ST2110_TYPE_N, .troffset_ns = ST2110_TROFFSET_DEFAULT,
	};
	struct st2110_rate r25 = { 25, 1 };
	struct st2110_sched s, s2;
	struct st2110_tpr_iter it;
	const char *why = "";
	unsigned int i;

	(void)arg;
	/* 4320 * 60000 / 1001 = 258941.06 */
	CHECK_EQ(st2110_rnominal_pps(4320, &cfg.rate), 258941);
	CHECK_EQ(st2110_rnominal_pps(4116, &r25), 102900);

	/* TRODEFAULT 1080p59.94 = 43/1125 TFRAME = 637674.07 ns: TROFF 638 */
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_sched_troffset_ns(&s, 638), ST2110_TROFFSET_DEFAULT);
	CHECK_EQ(st2110_sched_troffset_ns(&s, 637), 637000);
	CHECK_EQ(st2110_sched_troffset_ns(&s, 700), 700000);
	CHECK_EQ(st2110_sched_troffset_ns(&s, 0), 0);
	cfg.troffset_ns = 500;				/* any TROFFSET: same answer */
	CHECK(!st2110_sched_init(&s2, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_sched_troffset_ns(&s2, 638), ST2110_TROFFSET_DEFAULT);
	/* every vector: TROFF of the default reads back as the default */
	for (i = 0; i < NVEC; i++) {
		struct st2110_sched sv;

		if (sched_of(&sv, &vectors[i], ST2110_TYPE_N, ST2110_TROFFSET_DEFAULT))
			continue;
		CHECK_EQ(st2110_sched_troff_us(&sv), vectors[i].troff_us);
		CHECK_EQ(st2110_sched_troffset_ns(&sv, vectors[i].troff_us),
			 ST2110_TROFFSET_DEFAULT);
		CHECK_EQ(st2110_sched_troffset_ns(&sv, vectors[i].troff_us + 1),
			 (vectors[i].troff_us + 1) * 1000ULL);
	}

	/*
	 * TPR_j(0) = (17217200 + 100100 j) / 27 ns at 1080p59.94 N: exact for
	 * j = 17 (700700 ns), 696992 + 16/27 for j = 16.
	 */
	st2110_tpr_iter_start(&it, &s, 0, 16, 0);
	CHECK_EQ(st2110_tpr_iter_ceil_ns(&it), 696993);
	CHECK_EQ(st2110_tpr_iter_next(&it, &s), 696992);
	CHECK_EQ(st2110_tpr_iter_ceil_ns(&it), 700700);
	CHECK_EQ(st2110_tpr_iter_next(&it, &s), 700700);
	/* against 128 bits over two frames from the §2.2 instant */
	st2110_tpr_iter_start(&it, &s, st2110_frame_index(&s, T_NOW), 0, 0);
	for (i = 0; i < 2 * 4320; i++) {
		/* TPR_j = (N * 50050000 * 9 + 17217200 + 100100 j) / 27 */
		u128 x = (u128)it.frame * 50050000 * 9 + 17217200 + (u128)100100 * it.pkt;

		CHECK_EQ(st2110_tpr_iter_ceil_ns(&it), (x + 26) / 27);
		CHECK_EQ(st2110_tpr_iter_next(&it, &s), x / 27);
	}

	/* 1080i59.94: TFRAME 100100000/3, fields of 50050000/3 = 16683333.3 ns */
	cfg.rate = (struct st2110_rate){ 30000, 1001 };
	cfg.scan = ST2110_SCAN_INTERLACED;
	cfg.troffset_ns = ST2110_TROFFSET_DEFAULT;
	CHECK(!st2110_sched_init(&s, &cfg, &why), "%s", why);
	CHECK_EQ(st2110_field_index(&s, 16683333), 0);
	CHECK_EQ(st2110_field_index(&s, 16683334), 1);
	CHECK_EQ(st2110_field_index(&s, 50050000), 3);
	CHECK_EQ(st2110_field_index(&s, 50049999), 2);
	CHECK_EQ(st2110_field_start_ns(&s, 1), 16683333);
	CHECK_EQ(st2110_field_start_ns(&s, 3), 50050000);
	for (i = 0; i < 20000; i++) {
		ull t = i ? rnd_below(T_2100) : T_2100;
		ull h = (ull)((u128)t * 3 * 2 / 100100000);

		CHECK_EQ(st2110_field_index(&s, t), h);
		CHECK_EQ(st2110_field_start_ns(&s, h), (u128)h * 100100000 / 6);
		CHECK(st2110_field_start_ns(&s, h) <= t && (u128)(h + 1) * 100100000 > (u128)t * 6,
		      "field %llu does not hold t %llu", h, t);
		CHECK_EQ(h / 2, st2110_frame_index(&s, t));
	}
}

/* RTP unwrap near 1970 and the RTP latency (arrival minus media time). */
static void t_rtp_latency(const void *arg)
{
	unsigned int i;

	(void)arg;
	CHECK_EQ(st2110_rtp_unwrap_near(90, 100), 90);
	CHECK_EQ(st2110_rtp_unwrap_near(105, 100), 105);
	/* 116 ticks back would be below 0: the forward count is the only one */
	CHECK_EQ(st2110_rtp_unwrap_near(0xfffffff0U, 100), 0xfffffff0ULL);
	CHECK_EQ(st2110_rtp_unwrap_near(0xfffffff0U, 0x100000000ULL), 0xfffffff0ULL);
	for (i = 0; i < 20000; i++) {
		ull ref = (1ULL << 31) + rnd_below(1ULL << 50);
		__u32 ts = (__u32)rnd();

		CHECK_EQ(st2110_rtp_unwrap_near(ts, ref), st2110_rtp_unwrap(ts, ref));
	}
	/* 1 s = 90000 ticks; tick 90001 is at 1000011111.1 ns: ceil 1000011112 */
	CHECK_EQ(st2110_rtp_latency_ns(1000000000, 90000, 90000), 0);
	CHECK_EQ(st2110_rtp_latency_ns(1000000005, 90000, 90000), 5);
	CHECK_EQ((__s64)st2110_rtp_latency_ns(1000000000, 90001, 90000), -11112);
	/* 48 kHz: sample 96001 at 2000020833.3 ns */
	CHECK_EQ((__s64)st2110_rtp_latency_ns(2000020833, 96001, 48000), -1);
	CHECK_EQ((__s64)st2110_rtp_latency_ns(2000020834, 96001, 48000), 0);
	/* near 1970: tick 2^32 - 1 is 47721858833333.3 ns after the epoch */
	CHECK_EQ((__s64)st2110_rtp_latency_ns(1000, 0xffffffffU, 90000),
		 (__s64)1000 - 47721858833334LL);
	/* the LIST vector (2.1): 4898 ns */
	CHECK_EQ(st2110_rtp_latency_ns(1563924787420727121ULL, 2857610649U, 90000), 4898);
}

/* The format-only audio check: rate, channels, depth, no packet size. */
static void t_audio_fmt(const void *arg)
{
	struct st2110_audio_fmt a = { .rate_hz = 48000, .channels = 64, .depth_bits = 24 };
	const char *why = ST2110_NULL;

	(void)arg;
	CHECK_EQ(st2110_audio_validate_fmt(&a, &why), 0);	/* no ptime yet */
	CHECK_EQ(st2110_audio_validate(&a, &why), -EINVAL);
	CHECK_STR(why, "audio packet time must be at least one sample");
	a.channels = 65;
	CHECK_EQ(st2110_audio_validate_fmt(&a, &why), -EINVAL);
	CHECK_STR(why, "audio channels must be 1..64");
	a.channels = 2;
	a.rate_hz = 32000;
	CHECK_EQ(st2110_audio_validate_fmt(&a, &why), -EINVAL);
	CHECK_STR(why, "audio sample rate must be 48000, 96000 or 44100 Hz");
	a.rate_hz = 44100;
	a.depth_bits = 20;
	CHECK_EQ(st2110_audio_validate_fmt(&a, &why), -EINVAL);
	CHECK_STR(why, "audio depth must be L16 or L24");
	a.depth_bits = 16;
	a.samples_per_pkt = 100000;	/* too large, but not this check's business */
	CHECK_EQ(st2110_audio_validate_fmt(&a, &why), 0);
}

/* The layouts other components rely on. */
static void t_abi(const void *arg)
{
	(void)arg;
	CHECK_EQ(sizeof(struct st2110_sched) % 8, 0);
	CHECK_EQ(sizeof(struct st2110_sched_cfg), 32);
	CHECK_EQ(sizeof(struct st2110_video_fmt), 24);
	CHECK_EQ(sizeof(struct st2110_audio_fmt), 12);
	CHECK_EQ(ST2110_GPM_MAX_PAYLOAD, 1432);
	CHECK_EQ(ST2110_AUDIO_MAX_PAYLOAD, 1440);
}

/* ---- runner ---- */

struct test {
	char name[128];
	void (*fn)(const void *arg);
	const void *arg;
};

static struct test tests[32 + 8 * sizeof(vectors) / sizeof(vectors[0])];
static unsigned int ntests;

static void add(void (*fn)(const void *), const void *arg, const char *fmt, const char *s)
{
	struct test *t = &tests[ntests++];

	snprintf(t->name, sizeof(t->name), fmt, s);
	t->fn = fn;
	t->arg = arg;
}

int main(int argc, char **argv)
{
	static const unsigned int ex[3] = { 0, 1, 2 };
	static const char *const ex_name[3] = { "1080p59.94", "1080p50", "1080i59.94" };
	unsigned int i;

	for (i = 0; i < NVEC; i++) {
		const struct vec *v = &vectors[i];

		add(t_vec_rationals, v, "vectors: %s: exact TFRAME TRS TRODEFAULT TDRAIN RACTIVE", v->name);
		add(t_vec_limits, v, "vectors: %s: CMAX VRXFULL TROFF RTP ticks", v->name);
		/* capture rows (GPM, payload not given) have no derivable layout */
		if (v->payload || v->packing == ST2110_PACKING_BPM)
			add(t_vec_npackets, v, "vectors: %s: NPACKETS from the format", v->name);
		add(t_vec_schedule, v, "vectors: %s: iterator = closed form = 128-bit, 3 frames", v->name);
		add(t_vec_grid, v, "vectors: %s: frame/drain index and base up to 2100", v->name);
	}
	for (i = 0; i < 3; i++)
		add(t_epoch_example, &ex[i], "epoch example (brief 2.2): %s", ex_name[i]);
	add(t_list_625i, 0, "%s", "LIST 625i50: TRODEFAULT 1664000 ns, TRS 48000 ns");
	add(t_list_rtp, 0, "%s", "LIST RTP: N 78196239371, offset 65 ticks, delta floor 4898 ns");
	add(t_rtp_alternation, 0, "%s", "RTP 59.94: 1501/1502 alternation over 2 x 200000 frames");
	add(t_rtp_inverse, 0, "%s", "RTP inverse: frame and field from timestamp and rough time");
	add(t_rtp_clock, 0, "%s", "RTP clocks 90k/48k/96k/44.1k vs 128-bit up to 2100");
	add(t_seq, 0, "%s", "sequence and timestamp unwrap");
	add(t_rational, 0, "%s", "gcd, overflow test, muldiv floor/ceil/round vs 128-bit");
	add(t_overflow_2100, 0, "%s", "arbitrary streams up to 2100 vs 128-bit reference");
	add(t_standard_range, 0, "%s", "all standard rates, scans, types: NPACKETS up to 2^20 accepted");
	add(t_count_next, 0, "%s", "reads-by-time count and next frame vs brute force");
	add(t_limits_boundaries, 0, "%s", "CMAX and VRXFULL on their integer boundaries");
	add(t_troffset, 0, "%s", "custom TROFFSET and TROFF rounding");
	add(t_layout_examples, 0, "%s", "ST 2110-20 layouts: 720p 1070/1070/1060, BPM, 4:2:0");
	add(t_layout_tiling, 0, "%s", "ST 2110-20 packets tile every field exactly");
	add(t_video_reject, 0, "%s", "video format rejections and reasons");
	add(t_sched_reject, 0, "%s", "schedule rejections and reasons");
	add(t_audio, 0, "%s", "ST 2110-30 sizes, packet times and epoch schedule");
	add(t_audio_reject, 0, "%s", "audio format rejections and reasons");
	add(t_frame_bytes, 0, "%s", "bytes and SRDs per frame: closed form = hand values");
	add(t_sched_helpers, 0, "%s", "RNOMINAL, TROFF -> TROFFSET, field index/start, ceil(TPR_j)");
	add(t_rtp_latency, 0, "%s", "RTP unwrap near 1970 and RTP latency");
	add(t_audio_fmt, 0, "%s", "audio format check without the packet time");
	add(t_abi, 0, "%s", "struct sizes shared with BPF and the kernel");

	if (argc > 1 && !strcmp(argv[1], "--plan")) {
		printf("%u\n", ntests);
		return 0;
	}
	ksft_print_header();
	ksft_set_plan(ntests);
	for (i = 0; i < ntests; i++) {
		fails = 0;
		tests[i].fn(tests[i].arg);
		if (fails > 8)
			ksft_print_msg("... %u failed checks in all\n", fails);
		ksft_test_result(!fails, "%s\n", tests[i].name);
	}
	ksft_finished();
}
