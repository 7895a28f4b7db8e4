// SPDX-License-Identifier: GPL-2.0
/*
 * rx_check - receive an st2110-send stream on a UDP socket (or read a
 * frame file decoded by GStreamer) and check it against ST 2110-10/-20/-30.
 *
 * Every check is re-derived here from the standards (RTP fields, sequence
 * with ESN carry, 90 kHz steps, SRD coverage, BPM sizes, the test pattern
 * geometry of st2110-send(1)); only NPACKETS, TRS and TROFFSET are taken
 * from the timing core, because the point is that the sender obeys it.
 *
 * Output: one line per check, "PASS name: detail", "FAIL name: detail" or
 * "SKIP name: why", plus "# " diagnostics; run.sh turns them into TAP.
 * Each mode always prints the same list of checks, even when it stops
 * early, so the TAP plan is fixed.  Exit status 0 iff nothing failed.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <st2110/st2110.h>

typedef unsigned __int128 u128;

struct check {
	const char *name;
	uint64_t fails;
	int skip;
	char first[256];
	char detail[256];
};

enum {
	C_COUNT, C_HEADER, C_SEQ, C_TS, C_MARKER, C_SRD, C_PACKING, C_PATTERN, C_MOVING,
	C_TIMING, NV
};

enum { A_COUNT, A_HEADER, A_SEQ, A_TS, A_PAYLOAD, A_TONE, NA };

static struct check checks[16];
static unsigned int nchecks;

static void fail(unsigned int c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(unsigned int c, const char *fmt, ...)
{
	va_list ap;

	if (!checks[c].fails++) {
		va_start(ap, fmt);
		vsnprintf(checks[c].first, sizeof(checks[c].first), fmt, ap);
		va_end(ap);
	}
}

static void detail(unsigned int c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void detail(unsigned int c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(checks[c].detail, sizeof(checks[c].detail), fmt, ap);
	va_end(ap);
}

static int report(void)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < nchecks; i++) {
		struct check *c = &checks[i];

		if (c->skip)
			printf("SKIP %s: %s\n", c->name, c->detail);
		else if (c->fails) {
			printf("FAIL %s: %s (%llu failures)\n", c->name, c->first,
			       (unsigned long long)c->fails);
			bad = 1;
		} else {
			printf("PASS %s: %s\n", c->name, c->detail);
		}
	}
	return bad;
}

/* ---------------------------------------------------------------- options */

struct opts {
	uint16_t port;
	const char *group;
	const char *dev;
	int v6;
	const char *ready;
	const char *raw;
	uint64_t frames;
	int timeout_ms;
	int expect_none;
	int epoch;
	int timing;
	uint32_t lead;
	uint32_t min_srd;
	uint32_t early_us;		/* audio: may arrive this early (txtime without etf) */
	int want_ttl, want_dscp, want_sport;	/* -1: not checked */
	/* video */
	struct st2110_video_fmt vf;
	/* audio */
	int audio;
	uint32_t a_rate, a_ch, a_bits, a_spp, tone_hz;
	int pt;
	int64_t ssrc;
};

static uint64_t tai_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_TAI, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int64_t tai_minus_realtime(void)
{
	struct timespec a, b;

	clock_gettime(CLOCK_TAI, &a);
	clock_gettime(CLOCK_REALTIME, &b);
	return (int64_t)(a.tv_sec - b.tv_sec) * 1000000000LL + (a.tv_nsec - b.tv_nsec);
}

/* ------------------------------------------------------------------ video */

/* A pgroup format: what the picture buffer holds. */
struct pix {
	unsigned int sampling, depth, bytes, cols, rows;
};


struct vstate {
	const struct opts *o;
	struct st2110_video_layout l;
	struct st2110_sched s;
	uint32_t fields, lines_per_field, pg_bytes, pg_cols, pg_rows;
	uint64_t frames;		/* complete frames seen */
	uint64_t pkts;
	uint32_t frame_pkts, field_pkts, field;
	int have_prev;
	uint32_t prev_seq, prev_ts, field0_ts, frame_ts_prev;
	int have_frame_ts;
	uint32_t ssrc;
	uint32_t row, off_px;		/* SRD cursor in the current field */
	uint8_t *pic;
	uint64_t ts_steps[2];		/* floor/ceil of 90000/rate */
	uint64_t esn_carries;
	/* timing */
	uint64_t *gaps;
	uint64_t ngaps, gaps_cap;
	int64_t *offs;
	uint64_t noffs;
	uint64_t last_rx;
	int pattern_ok_fmt;
	struct pix px;
	uint32_t max_nsrd;
	uint64_t skipped;		/* frame slots the sender left out */
};

/* floor(N * 90000 * den / num) mod 2^32: ST 2110-10 frame timestamp */
static uint32_t rtp_of_frame(const struct st2110_rate *r, uint64_t n, uint32_t halves)
{
	return (uint32_t)(((u128)(2 * n + halves) * 90000 * r->den) / (2 * (u128)r->num));
}

/* The frame N near TAI time t whose timestamp is ts; 0 if none. */
static int frame_of_ts(const struct st2110_rate *r, uint64_t t_ns, uint32_t ts, uint32_t half,
		       uint64_t *n_out)
{
	uint64_t n = (uint64_t)(((u128)t_ns * r->num) / ((u128)1000000000 * r->den));
	uint64_t k;

	for (k = n + 1; k + 3 > n && k > 0; k--) {
		if (rtp_of_frame(r, k, half) == ts) {
			*n_out = k;
			return 1;
		}
	}
	return 0;
}

/* 10-bit BT.709 values of st2110-send's pattern: Y, Cb, Cr */
static const uint16_t bar_ycc[9][3] = {
	{ 721, 512, 512 }, { 674, 176, 543 }, { 581, 589, 176 }, { 534, 253, 207 },
	{ 251, 771, 817 }, { 204, 435, 848 }, { 111, 848, 481 }, { 64, 512, 512 },
	{ 940, 512, 512 },
};
/* and R, G, B: 75% = 721, 0% = 64, 100% = 940 (narrow range) */
static const uint16_t bar_rgb[9][3] = {
	{ 721, 721, 721 }, { 721, 721, 64 }, { 64, 721, 721 }, { 64, 721, 64 },
	{ 721, 64, 721 }, { 721, 64, 64 }, { 64, 64, 721 }, { 64, 64, 64 },
	{ 940, 940, 940 },
};
#define BLACK 7
#define WHITE100 8

static uint32_t scale10(uint32_t v, unsigned int depth)
{
	return depth == 8 ? v >> 2 : depth == 12 ? v << 2 : depth == 16 ? v << 6 : v;
}

/*
 * The samples of one uniformly coloured pgroup in ST 2110-20 order:
 * 4:2:2 C'B Y' C'R Y'; 4:4:4 C'B Y' C'R per pixel; RGB R G B;
 * 4:2:0 Y'00 Y'01 Y'10 Y'11 C'B C'R per 2x2 block.
 */
static unsigned int want_samples(const struct pix *px, unsigned int c, uint32_t *out)
{
	const uint16_t *y = bar_ycc[c], *r = bar_rgb[c];
	unsigned int n = px->bytes * 8 / px->depth, i, period;
	uint16_t seq[6];

	switch (px->sampling) {
	case ST2110_SAMPLING_YCBCR_422:
		seq[0] = y[1]; seq[1] = y[0]; seq[2] = y[2]; seq[3] = y[0];
		period = 4;
		break;
	case ST2110_SAMPLING_YCBCR_420:
		seq[0] = seq[1] = seq[2] = seq[3] = y[0];
		seq[4] = y[1]; seq[5] = y[2];
		period = 6;
		break;
	case ST2110_SAMPLING_RGB:
		seq[0] = r[0]; seq[1] = r[1]; seq[2] = r[2];
		period = 3;
		break;
	default:
		seq[0] = y[1]; seq[1] = y[0]; seq[2] = y[2];
		period = 3;
	}
	for (i = 0; i < n; i++)
		out[i] = scale10(seq[i % period], px->depth);
	return n;
}

/* Unpack the samples of cell x of a buffer row, MSB first. */
static unsigned int got_samples(const struct pix *px, const uint8_t *row, uint32_t x,
				uint32_t *out)
{
	const uint8_t *p = row + (size_t)x * px->bytes;
	unsigned int n = px->bytes * 8 / px->depth, i, bit = 0, k;

	for (i = 0; i < n; i++) {
		uint32_t v = 0;

		for (k = 0; k < px->depth; k++, bit++)
			v = v << 1 | ((p[bit / 8] >> (7 - bit % 8)) & 1);
		out[i] = v;
	}
	return n;
}

static int colour_is(const struct pix *px, const uint8_t *row, uint32_t x, unsigned int c,
		     char *why, size_t len)
{
	uint32_t want[16], got[16];
	unsigned int n = want_samples(px, c, want), i;

	got_samples(px, row, x, got);
	for (i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			snprintf(why, len, "sample %u is %u, want %u (samples %u/%u/%u, want %u/%u/%u)",
				 i, got[i], want[i], got[0], got[1], got[2], want[0], want[1], want[2]);
			return 0;
		}
	}
	return 1;
}

/*
 * The pattern of st2110-send(1), re-derived: bars in the top 7/8 of the
 * buffer rows, the band with the moving box at the bottom.
 */
static void check_picture(const uint8_t *pic, const struct pix *px, uint32_t width,
			  uint32_t height, size_t stride, uint64_t n,
			  unsigned int c_pat, unsigned int c_mov)
{
	uint32_t cw = width / px->cols, R = height / px->rows;
	uint32_t band = R >= 64 ? R / 8 : R / 2, band0 = R - band, margin = band / 8;
	uint32_t digits = cw / 4, box = cw / 16 ? cw / 16 : 1, step = cw / 120 ? cw / 120 : 1;
	uint32_t b, x, y, ref, rows[2] = { 0, band0 - 1 };
	unsigned int i;
	char why[160];

	for (i = 0; i < 2; i++) {
		for (b = 0; b < 8; b++) {
			x = (2 * b + 1) * cw / 16;
			if (!colour_is(px, pic + rows[i] * stride, x, b, why, sizeof(why)))
				fail(c_pat, "frame %llu row %u bar %u cell %u: %s",
				     (unsigned long long)n, rows[i], b, x, why);
		}
	}
	if (cw <= digits + box || !band)
		return;
	x = digits + (uint32_t)((n * step) % (cw - digits - box + 1));
	y = band0 + band / 2;
	if (y < band0 + margin || y >= R - margin)
		return;
	if (!colour_is(px, pic + y * stride, x + box / 2, WHITE100, why, sizeof(why)))
		fail(c_mov, "frame %llu: box cell %u row %u: %s", (unsigned long long)n,
		     x + box / 2, y, why);
	ref = x > digits ? digits : cw - 1;
	if (!colour_is(px, pic + y * stride, ref, BLACK, why, sizeof(why)))
		fail(c_mov, "frame %llu: band cell %u row %u (not the box): %s",
		     (unsigned long long)n, ref, y, why);
}

static void v_end_field(struct vstate *v)
{
	if (v->row != v->lines_per_field || v->off_px)
		fail(C_SRD, "frame %llu field %u ended at row %u offset %u, want row %u offset 0",
		     (unsigned long long)v->frames, v->field, v->row, v->off_px, v->lines_per_field);
	if (v->field_pkts != v->l.field_pkts)
		fail(C_COUNT, "frame %llu field %u: %u packets, want %u",
		     (unsigned long long)v->frames, v->field, v->field_pkts, v->l.field_pkts);
	v->row = 0;
	v->off_px = 0;
	v->field_pkts = 0;
}

static void v_end_frame(struct vstate *v)
{
	if (v->frame_pkts != v->l.npackets)
		fail(C_COUNT, "frame %llu: %u packets, want NPACKETS %u",
		     (unsigned long long)v->frames, v->frame_pkts, v->l.npackets);
	if (v->pattern_ok_fmt)
		check_picture(v->pic, &v->px, v->l.fmt.width_px, v->l.fmt.height_px,
			      v->l.row_bytes, v->frames, C_PATTERN, C_MOVING);
	v->frames++;
	v->frame_pkts = 0;
	v->field = 0;
}

static void v_packet(struct vstate *v, const uint8_t *p, size_t len, uint64_t rx_ns)
{
	uint32_t seq16, ts, ssrc, ext, pt, m, k, data = 0, nsrd = 0, c = 1;
	size_t hdr;

	if (len < ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN + ST2110_20_SRD_LEN) {
		fail(C_HEADER, "packet %llu: %zu bytes is too short", (unsigned long long)v->pkts, len);
		return;
	}
	if (len + 8 > 1460)
		fail(C_PACKING, "packet %llu: UDP size %zu above the 1460-byte limit",
		     (unsigned long long)v->pkts, len + 8);
	if (p[0] != 0x80)
		fail(C_HEADER, "packet %llu: first byte 0x%02x, want 0x80 (V=2, no P/X/CC)",
		     (unsigned long long)v->pkts, p[0]);
	pt = p[1] & 0x7f;
	m = p[1] >> 7;
	if ((int)pt != v->o->pt)
		fail(C_HEADER, "packet %llu: PT %u, want %d", (unsigned long long)v->pkts, pt, v->o->pt);
	seq16 = (uint32_t)p[2] << 8 | p[3];
	ts = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	ssrc = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
	ext = (uint32_t)p[12] << 24 | (uint32_t)p[13] << 16 | seq16;
	if (!v->pkts) {
		v->ssrc = ssrc;
		if (v->o->ssrc >= 0 && ssrc != (uint32_t)v->o->ssrc)
			fail(C_HEADER, "SSRC 0x%08x, want 0x%08x", ssrc, (uint32_t)v->o->ssrc);
	} else if (ssrc != v->ssrc) {
		fail(C_HEADER, "packet %llu: SSRC changed 0x%08x -> 0x%08x",
		     (unsigned long long)v->pkts, v->ssrc, ssrc);
	}
	if (v->have_prev) {
		if (ext != v->prev_seq + 1)
			fail(C_SEQ, "packet %llu: extended sequence 0x%08x after 0x%08x",
			     (unsigned long long)v->pkts, ext, v->prev_seq);
		if ((ext >> 16) != (v->prev_seq >> 16))
			v->esn_carries++;
	}

	/* timestamps: one per field (frame if progressive) */
	if (v->field_pkts == 0) {
		if (v->field == 0) {
			if (v->have_frame_ts) {
				uint32_t d = ts - v->frame_ts_prev;
				const struct st2110_rate *r = &v->l.fmt.rate;
				/* a sender that fell behind may leave out whole frame slots */
				uint64_t k = (uint64_t)(((u128)d * r->num + (u128)45000 * r->den) /
							((u128)90000 * r->den));
				uint64_t lo = k ? (uint64_t)(((u128)k * 90000 * r->den) / r->num) : 0;
				uint64_t hi = lo + (((u128)k * 90000 * r->den) % r->num != 0);

				if (d == v->ts_steps[0] || d == v->ts_steps[1])
					;
				else if (k >= 2 && k < 100000 && (d == lo || d == hi))
					v->skipped += k - 1;
				else
					fail(C_TS, "frame %llu: timestamp step %u, want %llu or %llu (or whole frame periods)",
					     (unsigned long long)v->frames, d,
					     (unsigned long long)v->ts_steps[0],
					     (unsigned long long)v->ts_steps[1]);
			}
			if (v->o->epoch) {
				uint64_t n;

				if (!frame_of_ts(&v->l.fmt.rate, rx_ns, ts, 0, &n))
					fail(C_TS, "frame %llu: timestamp %u is not floor(N*TFRAME*90kHz) for any N near the receive time",
					     (unsigned long long)v->frames, ts);
				else if (v->o->timing && v->noffs < 100000)
					v->offs[v->noffs++] = (int64_t)rx_ns -
						(int64_t)(((u128)n * 1000000000 * v->l.fmt.rate.den) /
							  v->l.fmt.rate.num);
			}
			v->field0_ts = ts;
			v->frame_ts_prev = ts;
			v->have_frame_ts = 1;
		} else {
			/* field 2 is half a frame later, floored from the epoch */
			uint32_t d = ts - v->field0_ts;
			uint32_t lo = (uint32_t)((u128)90000 * v->l.fmt.rate.den / (2 * v->l.fmt.rate.num));

			if (d != lo && d != lo + 1)
				fail(C_TS, "frame %llu: field 2 timestamp %u after %u, want +%u or +%u",
				     (unsigned long long)v->frames, ts, v->field0_ts, lo, lo + 1);
		}
	} else if (ts != v->prev_ts) {
		fail(C_TS, "frame %llu field %u packet %u: timestamp changed %u -> %u without a marker",
		     (unsigned long long)v->frames, v->field, v->field_pkts, v->prev_ts, ts);
	}

	/* timing: gaps between packets of one field */
	if (v->o->timing && v->field_pkts && v->ngaps < v->gaps_cap)
		v->gaps[v->ngaps++] = rx_ns - v->last_rx;
	v->last_rx = rx_ns;

	/* payload header: ESN, then SRDs until C is clear */
	hdr = ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN;
	while (c) {
		const uint8_t *s = p + hdr;
		uint32_t slen, f, row, off, px;

		if (hdr + ST2110_20_SRD_LEN > len || nsrd == 3) {
			fail(C_SRD, "packet %llu: SRD headers run past the packet or beyond 3",
			     (unsigned long long)v->pkts);
			return;
		}
		slen = (uint32_t)s[0] << 8 | s[1];
		f = s[2] >> 7;
		row = ((uint32_t)s[2] << 8 | s[3]) & 0x7fff;
		c = s[4] >> 7;
		off = ((uint32_t)s[4] << 8 | s[5]) & 0x7fff;
		hdr += ST2110_20_SRD_LEN;
		if (f != v->field)
			fail(C_SRD, "frame %llu field %u: SRD F bit %u", (unsigned long long)v->frames,
			     v->field, f);
		if (!slen || slen % v->pg_bytes)
			fail(C_SRD, "packet %llu: SRD length %u not a positive multiple of the %u-byte pgroup",
			     (unsigned long long)v->pkts, slen, v->pg_bytes);
		if (row != v->row || off != v->off_px)
			fail(C_SRD, "frame %llu field %u: SRD row %u offset %u, want row %u offset %u",
			     (unsigned long long)v->frames, v->field, row, off, v->row, v->off_px);
		px = slen / v->pg_bytes * v->pg_cols;
		if (off + px > v->l.fmt.width_px)
			fail(C_SRD, "frame %llu: SRD row %u offset %u + %u px runs past width %u",
			     (unsigned long long)v->frames, row, off, px, v->l.fmt.width_px);
		/* the data follows the headers; copy it once all headers are known */
		v->off_px = off + px;
		v->row = row;
		if (v->off_px >= v->l.fmt.width_px) {
			v->off_px = 0;
			v->row = row + v->pg_rows;
		}
		nsrd++;
		data += slen;
	}
	if (nsrd > v->max_nsrd)
		v->max_nsrd = nsrd;
	if (hdr + data != len)
		fail(C_SRD, "packet %llu: %zu bytes, headers + SRD lengths say %zu",
		     (unsigned long long)v->pkts, len, hdr + data);
	else {
		/* second pass: place the data in the picture */
		size_t h = ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN, d = hdr;

		for (k = 0; k < nsrd; k++, h += ST2110_20_SRD_LEN) {
			const uint8_t *s = p + h;
			uint32_t slen = (uint32_t)s[0] << 8 | s[1];
			uint32_t row = ((uint32_t)s[2] << 8 | s[3]) & 0x7fff;
			uint32_t off = ((uint32_t)s[4] << 8 | s[5]) & 0x7fff;
			uint64_t line = (uint64_t)row / v->pg_rows * v->fields + v->field;
			uint64_t at = line * v->l.row_bytes + off / v->pg_cols * v->pg_bytes;

			if (row < v->lines_per_field && at + slen <= (uint64_t)v->l.row_bytes *
			    v->l.rows_per_field * v->fields)
				memcpy(v->pic + at, p + d, slen);
			d += slen;
		}
	}
	if (v->l.fmt.packing == ST2110_PACKING_BPM) {
		if (!m && data != ST2110_BPM_PAYLOAD)
			fail(C_PACKING, "BPM packet %llu carries %u B, want 1260 (only the last of a field may differ)",
			     (unsigned long long)v->pkts, data);
		if (m && data > ST2110_BPM_PAYLOAD)
			fail(C_PACKING, "BPM last packet carries %u B > 1260", data);
	} else if (nsrd != 1) {
		fail(C_PACKING, "GPM packet %llu has %u SRDs (st2110-send packs one row segment)",
		     (unsigned long long)v->pkts, nsrd);
	}

	v->prev_seq = ext;
	v->prev_ts = ts;
	v->have_prev = 1;
	v->pkts++;
	v->frame_pkts++;
	v->field_pkts++;
	/* the marker closes a field (frame when progressive) and nothing else */
	if (m) {
		if (v->field_pkts != v->l.field_pkts)
			fail(C_MARKER, "frame %llu field %u: marker on packet %u of %u",
			     (unsigned long long)v->frames, v->field, v->field_pkts - 1,
			     v->l.field_pkts);
		v_end_field(v);
		if (++v->field == v->fields)
			v_end_frame(v);
	} else if (v->field_pkts >= v->l.field_pkts) {
		fail(C_MARKER, "frame %llu field %u: no marker on packet %u (the last)",
		     (unsigned long long)v->frames, v->field, v->field_pkts - 1);
		v_end_field(v);
		if (++v->field == v->fields)
			v_end_frame(v);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------------- audio */

struct astate {
	const struct opts *o;
	uint64_t pkts;
	uint32_t prev_seq, prev_ts, ssrc;
	int32_t *samples;		/* channel 0, concatenated */
	uint64_t *idx;			/* each sample's index from the first one */
	uint64_t nsamples, cap, next_idx, skipped;
	uint32_t payload;
};

static int32_t a_sample(const uint8_t *p, uint32_t bits)
{
	if (bits == 24)
		return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8) >> 8;
	return (int16_t)((uint16_t)p[0] << 8 | p[1]);
}

static void a_packet(struct astate *a, const uint8_t *p, size_t len, uint64_t rx_ns)
{
	const struct opts *o = a->o;
	uint32_t seq, ts, ssrc, bps = o->a_bits / 8, i, ch;

	if (len < ST2110_RTP_HDR_LEN) {
		fail(A_HEADER, "packet %llu: %zu bytes", (unsigned long long)a->pkts, len);
		return;
	}
	if (p[0] != 0x80 || (p[1] & 0x7f) != (unsigned int)o->pt || (p[1] & 0x80))
		fail(A_HEADER, "packet %llu: bytes 0x%02x 0x%02x, want 0x80 and M=0 PT %d",
		     (unsigned long long)a->pkts, p[0], p[1], o->pt);
	seq = (uint32_t)p[2] << 8 | p[3];
	ts = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	ssrc = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
	if (!a->pkts) {
		a->ssrc = ssrc;
		if (o->ssrc >= 0 && ssrc != (uint32_t)o->ssrc)
			fail(A_HEADER, "SSRC 0x%08x, want 0x%08x", ssrc, (uint32_t)o->ssrc);
	} else {
		if (ssrc != a->ssrc)
			fail(A_HEADER, "SSRC changed");
		if (seq != ((a->prev_seq + 1) & 0xffff))
			fail(A_SEQ, "packet %llu: sequence %u after %u", (unsigned long long)a->pkts,
			     seq, a->prev_seq);
		uint32_t d = ts - a->prev_ts;

		if (d != o->a_spp) {
			if (d && d % o->a_spp == 0 && d / o->a_spp < 100000) {
				a->skipped += d / o->a_spp - 1;
				a->next_idx += d - o->a_spp;
			} else {
				fail(A_TS, "packet %llu: timestamp step %u, want %u (or whole packets)",
				     (unsigned long long)a->pkts, d, o->a_spp);
			}
		}
	}
	if (o->epoch) {
		/* sent at its sampling instant: the RTP clock now is a little ahead */
		uint32_t now_ticks = (uint32_t)(((u128)rx_ns * o->a_rate) / 1000000000);
		int32_t d = (int32_t)(now_ticks - ts);

		if (d < -(int32_t)((uint64_t)o->early_us * o->a_rate / 1000000) - 1 ||
		    d > (int32_t)(o->a_rate / 10))
			fail(A_TS, "packet %llu: timestamp %u is %d ticks from the TAI RTP clock",
			     (unsigned long long)a->pkts, ts, -d);
	}
	if (len - ST2110_RTP_HDR_LEN != a->payload) {
		fail(A_PAYLOAD, "packet %llu: payload %zu B, want %u", (unsigned long long)a->pkts,
		     len - ST2110_RTP_HDR_LEN, a->payload);
	} else {
		const uint8_t *d = p + ST2110_RTP_HDR_LEN;

		for (i = 0; i < o->a_spp; i++) {
			int32_t s0 = a_sample(d, o->a_bits);

			for (ch = 1; ch < o->a_ch; ch++)
				if (a_sample(d + ch * bps, o->a_bits) != s0)
					fail(A_TONE, "packet %llu sample %u: channel %u differs",
					     (unsigned long long)a->pkts, i, ch);
			if (a->nsamples < a->cap) {
				a->idx[a->nsamples] = a->next_idx;
				a->samples[a->nsamples++] = s0;
			}
			a->next_idx++;
			d += o->a_ch * bps;
		}
	}
	a->prev_seq = seq;
	a->prev_ts = ts;
	a->pkts++;
}

/* A sine of amplitude A: s[i]^2 + s[i + period/4]^2 = A^2, and periodic. */
static void a_tone(struct astate *a)
{
	const struct opts *o = a->o;
	uint64_t g = st2110_gcd64(o->a_rate, o->tone_hz), period = o->a_rate / g, i, j, q;
	uint64_t pairs = 0;
	double full = o->a_bits == 24 ? 8388607.0 : 32767.0, amp = full * pow(10.0, -18.0 / 20.0);
	double worst = 0;

	if (a->nsamples < period + period / 4 + 1) {
		fail(A_TONE, "only %llu samples", (unsigned long long)a->nsamples);
		return;
	}
	q = period / 4;
	/* pairs one period (or a quarter) apart, where no packet was skipped */
	for (i = 0, j = 0; i < a->nsamples; i++) {
		while (j < a->nsamples && a->idx[j] < a->idx[i] + period)
			j++;
		if (j < a->nsamples && a->idx[j] == a->idx[i] + period) {
			pairs++;
			if (a->samples[i] != a->samples[j])
				fail(A_TONE, "sample %llu differs from one period (%llu samples) later",
				     (unsigned long long)a->idx[i], (unsigned long long)period);
		}
	}
	if (!pairs)
		fail(A_TONE, "no two samples one period apart");
	if (period % 4 == 0) {
		for (i = 0, j = 0; i < a->nsamples; i++) {
			double x, y, e;

			while (j < a->nsamples && a->idx[j] < a->idx[i] + q)
				j++;
			if (j >= a->nsamples || a->idx[j] != a->idx[i] + q)
				continue;
			x = a->samples[i];
			y = a->samples[j];
			e = fabs(sqrt(x * x + y * y) - amp);
			if (e > worst)
				worst = e;
		}
		if (worst > 2.0)
			fail(A_TONE, "not a -18 dBFS sine: amplitude error up to %.1f LSB", worst);
	}
	detail(A_TONE, "%llu samples, period %llu, amplitude error <= %.2f LSB",
	       (unsigned long long)a->nsamples, (unsigned long long)period, worst);
}

/* ---------------------------------------------------------------- socket */

static int open_rx(const struct opts *o)
{
	int fd, one = 1, buf = 256 << 20;
	unsigned int ifindex = o->dev ? if_nametoindex(o->dev) : 0;

	fd = socket(o->v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (o->v6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));
	}
	if (o->v6) {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(o->port) };

		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
			goto err;
		if (o->group) {
			struct ipv6_mreq mr = { .ipv6mr_interface = ifindex };

			if (inet_pton(AF_INET6, o->group, &mr.ipv6mr_multiaddr) != 1 ||
			    setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)))
				goto err;
		}
	} else {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(o->port) };

		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
			goto err;
		if (o->group) {
			struct ip_mreqn mr = { .imr_ifindex = (int)ifindex };

			if (inet_pton(AF_INET, o->group, &mr.imr_multiaddr) != 1 ||
			    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)))
				goto err;
		}
	}
	return fd;
err:
	perror("rx_check: socket");
	close(fd);
	return -1;
}

#define RX_BATCH 256
#define RX_MTU 2048

typedef void (*rx_fn)(void *ctx, const uint8_t *p, size_t len, uint64_t rx_ns);

/* Receive until want packets (then 200 ms more, to see extras) or timeouts. */
static uint64_t rx_loop(int fd, const struct opts *o, uint64_t want, rx_fn fn, void *ctx)
{
	static uint8_t bufs[RX_BATCH][RX_MTU];
	static uint8_t ctl[RX_BATCH][256];
	static struct sockaddr_storage from[RX_BATCH];
	struct mmsghdr msg[RX_BATCH];
	struct iovec iov[RX_BATCH];
	int64_t tai_off = tai_minus_realtime();
	uint64_t got = 0, start = tai_now(), deadline = start + (uint64_t)o->timeout_ms * 1000000;
	int idle_ms = 500, i, n;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = tai_now();
		int wait_ms;

		if (now >= deadline)
			break;
		wait_ms = (int)((deadline - now) / 1000000) + 1;
		if (got && wait_ms > idle_ms)
			wait_ms = idle_ms;
		if (want && got >= want && wait_ms > 200)
			wait_ms = 200;
		if (poll(&pfd, 1, wait_ms) <= 0) {
			if (got)
				break;
			continue;
		}
		for (i = 0; i < RX_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = RX_MTU;
			memset(&msg[i], 0, sizeof(msg[i]));
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
			msg[i].msg_hdr.msg_control = ctl[i];
			msg[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
			msg[i].msg_hdr.msg_name = &from[i];
			msg[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, msg, RX_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; i < n; i++) {
			struct cmsghdr *cm;
			uint64_t rx = 0;

			int ttl = -1, tos = -1, sport;

			for (cm = CMSG_FIRSTHDR(&msg[i].msg_hdr); cm;
			     cm = CMSG_NXTHDR(&msg[i].msg_hdr, cm)) {
				int v = 0;

				if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
				    (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT)) {
					memcpy(&v, CMSG_DATA(cm), sizeof(v));
					ttl = v;
				} else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TOS) {
					tos = *(const uint8_t *)CMSG_DATA(cm);
				} else if (cm->cmsg_level == IPPROTO_IPV6 &&
					   cm->cmsg_type == IPV6_TCLASS) {
					memcpy(&v, CMSG_DATA(cm), sizeof(v));
					tos = v;
				}
				if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_TIMESTAMPNS) {
					struct timespec ts;

					memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
					rx = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec +
					     (uint64_t)tai_off;
				}
			}
			if (!rx)
				rx = tai_now();
			/* IP and UDP fields the sender was asked to set (check 1: header) */
			sport = ntohs(((struct sockaddr_in *)&from[i])->sin_port);
			if (o->want_ttl >= 0 && ttl != o->want_ttl)
				fail(1, "TTL/hop limit %d, want %d", ttl, o->want_ttl);
			if (o->want_dscp >= 0 && (tos < 0 || tos >> 2 != o->want_dscp))
				fail(1, "DSCP %d, want %d", tos < 0 ? -1 : tos >> 2, o->want_dscp);
			if (o->want_sport >= 0 && sport != o->want_sport)
				fail(1, "UDP source port %d, want %d", sport, o->want_sport);
			if (msg[i].msg_hdr.msg_flags & MSG_TRUNC)
				fprintf(stderr, "# truncated datagram\n");
			fn(ctx, bufs[i], msg[i].msg_len, rx);
			got++;
		}
	}
	return got;
}

static void v_rx(void *ctx, const uint8_t *p, size_t len, uint64_t rx_ns)
{
	v_packet(ctx, p, len, rx_ns);
}

static void a_rx(void *ctx, const uint8_t *p, size_t len, uint64_t rx_ns)
{
	a_packet(ctx, p, len, rx_ns);
}

static void none_rx(void *ctx, const uint8_t *p, size_t len, uint64_t rx_ns)
{
	(void)ctx; (void)p; (void)len; (void)rx_ns;
}

static void signal_ready(const struct opts *o)
{
	FILE *f;

	if (!o->ready)
		return;
	f = fopen(o->ready, "w");
	if (f)
		fclose(f);
}

/* ------------------------------------------------------------------ modes */

static int run_video(const struct opts *o)
{
	static const char *const names[NV] = {
		"packet count = NPACKETS", "RTP header (V=2, PT, SSRC)",
		"sequence +1 with ESN carry", "timestamps (ST 2110-10)",
		"marker on the last packet of each frame/field", "SRDs cover every line once",
		"packing (GPM one segment, BPM 1260 B)", "pattern colour bars",
		"moving box per frame", "paced timing",
	};
	struct vstate v = { .o = o };
	const char *why;
	uint64_t got;
	unsigned int i;
	int fd;

	for (i = 0; i < NV; i++)
		checks[i].name = names[i];
	/* the timing check (the last) only exists for paced runs */
	nchecks = o->timing ? NV : NV - 1;
	if (st2110_video_layout_init(&v.l, &o->vf, &why) ||
	    st2110_sched_init_video(&v.s, &v.l, ST2110_TYPE_N, ST2110_TROFFSET_DEFAULT, &why)) {
		fprintf(stderr, "rx_check: format: %s\n", why);
		return 2;
	}
	v.fields = v.l.fields;
	v.lines_per_field = o->vf.height_px / v.fields;
	v.pg_bytes = v.l.pg.bytes;
	v.pg_cols = v.l.pg.cols;
	v.pg_rows = v.l.pg.rows;
	v.ts_steps[0] = (uint64_t)(((u128)90000 * o->vf.rate.den) / o->vf.rate.num);
	v.ts_steps[1] = v.ts_steps[0] + (((u128)90000 * o->vf.rate.den) % o->vf.rate.num != 0);
	v.pic = calloc(1, (size_t)v.l.row_bytes * v.l.rows_per_field * v.fields);
	v.px = (struct pix){ o->vf.sampling, o->vf.depth, v.l.pg.bytes, v.l.pg.cols, v.l.pg.rows };
	/* the samplings rx_check can decode; 16 bits would need a 16f guard */
	v.pattern_ok_fmt = o->vf.depth <= 12 &&
		(o->vf.sampling == ST2110_SAMPLING_YCBCR_422 ||
		 o->vf.sampling == ST2110_SAMPLING_YCBCR_444 ||
		 o->vf.sampling == ST2110_SAMPLING_YCBCR_420 ||
		 o->vf.sampling == ST2110_SAMPLING_RGB);
	if (o->timing) {
		v.gaps_cap = o->frames * v.l.npackets + 16;
		v.gaps = calloc(v.gaps_cap, sizeof(*v.gaps));
		v.offs = calloc(100000, sizeof(*v.offs));
	}
	fd = open_rx(o);
	if (fd < 0 || !v.pic || (o->timing && (!v.gaps || !v.offs))) {
		free(v.pic);
		free(v.gaps);
		free(v.offs);
		return 2;
	}
	signal_ready(o);
	got = rx_loop(fd, o, o->frames * v.l.npackets, v_rx, &v);
	close(fd);

	if (got != o->frames * v.l.npackets)
		fail(C_COUNT, "received %llu packets, want %llu frames x NPACKETS %u = %llu",
		     (unsigned long long)got, (unsigned long long)o->frames, v.l.npackets,
		     (unsigned long long)(o->frames * v.l.npackets));
	if (v.frames != o->frames)
		fail(C_COUNT, "%llu complete frames, want %llu", (unsigned long long)v.frames,
		     (unsigned long long)o->frames);
	detail(C_COUNT, "%llu packets in %llu frames, NPACKETS %u", (unsigned long long)got,
	       (unsigned long long)v.frames, v.l.npackets);
	detail(C_HEADER, "PT %d SSRC 0x%08x%s", o->pt, v.ssrc,
	       o->want_ttl >= 0 || o->want_dscp >= 0 || o->want_sport >= 0 ?
	       ", TTL/DSCP/source port as asked" : "");
	detail(C_SEQ, "%llu ESN carries seen", (unsigned long long)v.esn_carries);
	detail(C_TS, "steps %llu/%llu%s, %llu frame slots skipped by the sender",
	       (unsigned long long)v.ts_steps[0], (unsigned long long)v.ts_steps[1],
	       o->epoch ? ", epoch-aligned" : "", (unsigned long long)v.skipped);
	printf("# skipped_frames %llu\n", (unsigned long long)v.skipped);
	detail(C_MARKER, "%u field(s) per frame", v.fields);
	detail(C_SRD, "%u lines per field, pgroup %u B / %u px", v.lines_per_field, v.pg_bytes,
	       v.pg_cols);
	if (v.max_nsrd < o->min_srd)
		fail(C_PACKING, "at most %u SRDs in a packet, want a packet with %u",
		     v.max_nsrd, o->min_srd);
	detail(C_PACKING, "%s, up to %u SRDs per packet",
	       o->vf.packing == ST2110_PACKING_BPM ? "BPM" : "GPM", v.max_nsrd);
	if (!got)
		for (i = 0; i < NV; i++)
			if (i != C_TIMING || o->timing)
				fail(i, "no packet received");
	if (!v.pattern_ok_fmt) {
		checks[C_PATTERN].skip = checks[C_MOVING].skip = 1;
		detail(C_PATTERN, "rx_check decodes YCbCr 4:2:2/4:4:4/4:2:0 and RGB, 8-12 bit");
		detail(C_MOVING, "rx_check decodes YCbCr 4:2:2/4:4:4/4:2:0 and RGB, 8-12 bit");
	} else {
		if (!v.frames) {
			fail(C_PATTERN, "no complete frame");
			fail(C_MOVING, "no complete frame");
		}
		detail(C_PATTERN, "8 bars x 2 rows in %llu frames", (unsigned long long)v.frames);
		detail(C_MOVING, "box position for frame counters 0..%llu",
		       (unsigned long long)(v.frames ? v.frames - 1 : 0));
	}
	if (!o->timing)
		;
	else if (!v.ngaps || !v.noffs) {
		fail(C_TIMING, "no gaps or frame offsets measured");
	} else {
		uint64_t trs = v.s.trs_d / v.s.den, med;
		int64_t off_med, tro = (int64_t)(v.s.troffset_d / v.s.den);
		int64_t lo = tro - (int64_t)((o->lead + 1) * trs) - 100000;
		int64_t hi = tro + (int64_t)(v.s.tframe_d / v.s.den / 4);

		qsort(v.gaps, v.ngaps, sizeof(*v.gaps), cmp_u64);
		qsort(v.offs, v.noffs, sizeof(*v.offs), cmp_i64);
		med = v.gaps[v.ngaps / 2];
		off_med = v.offs[v.noffs / 2];
		if (med < trs / 4 || med > 4 * trs)
			fail(C_TIMING, "median gap %llu ns, want within 4x of TRS %llu ns",
			     (unsigned long long)med, (unsigned long long)trs);
		if (off_med < lo || off_med > hi)
			fail(C_TIMING, "median first-packet offset %lld ns from the alignment point, want %lld..%lld",
			     (long long)off_med, (long long)lo, (long long)hi);
		detail(C_TIMING, "median gap %llu ns (TRS %llu ns), median first packet at alignment + %lld ns (TROFFSET %lld ns)",
		       (unsigned long long)med, (unsigned long long)trs, (long long)off_med,
		       (long long)tro);
	}
	return report();
}

static int run_audio(const struct opts *o)
{
	static const char *const names[NA] = {
		"audio packet count", "audio RTP header (V=2, PT, M=0, SSRC)", "audio sequence +1",
		"audio timestamps step by samples per packet", "audio payload size",
		"audio sine tone",
	};
	struct astate a = { .o = o };
	uint64_t got;
	unsigned int i;
	int fd;

	for (i = 0; i < NA; i++)
		checks[i].name = names[i];
	nchecks = NA;
	a.payload = o->a_ch * o->a_spp * (o->a_bits / 8);
	a.cap = o->frames * o->a_spp + 16;
	a.samples = calloc(a.cap, sizeof(*a.samples));
	a.idx = calloc(a.cap, sizeof(*a.idx));
	fd = open_rx(o);
	if (fd < 0 || !a.samples || !a.idx) {
		free(a.samples);
		free(a.idx);
		return 2;
	}
	signal_ready(o);
	got = rx_loop(fd, o, o->frames, a_rx, &a);
	close(fd);
	if (!got)
		for (i = 0; i < NA; i++)
			fail(i, "no packet received");
	if (got != o->frames)
		fail(A_COUNT, "received %llu packets, want %llu", (unsigned long long)got,
		     (unsigned long long)o->frames);
	detail(A_COUNT, "%llu packets", (unsigned long long)got);
	detail(A_HEADER, "PT %d%s", o->pt,
	       o->want_ttl >= 0 || o->want_dscp >= 0 || o->want_sport >= 0 ?
	       ", TTL/DSCP/source port as asked" : "");
	detail(A_SEQ, "%llu packets", (unsigned long long)got);
	detail(A_TS, "+%u per packet%s, %llu packet slots skipped by the sender", o->a_spp,
	       o->epoch ? ", near the TAI RTP clock" : "", (unsigned long long)a.skipped);
	printf("# skipped_frames %llu\n", (unsigned long long)a.skipped);
	detail(A_PAYLOAD, "%u B = %u ch x %u samples x %u B", a.payload, o->a_ch, o->a_spp,
	       o->a_bits / 8);
	a_tone(&a);
	return report();
}

static int run_none(const struct opts *o)
{
	uint64_t got;
	int fd = open_rx(o);

	checks[0].name = "nothing sent";
	nchecks = 1;
	if (fd < 0)
		return 2;
	signal_ready(o);
	got = rx_loop(fd, o, 0, none_rx, NULL);
	close(fd);
	if (got)
		fail(0, "%llu packets arrived", (unsigned long long)got);
	detail(0, "0 packets in %d ms", o->timeout_ms);
	return report();
}

/* A file of frames written by GStreamer (UYVP for 10-bit, UYVY for 8-bit). */
static int run_raw(const struct opts *o)
{
	uint32_t w = o->vf.width_px, h = o->vf.height_px;
	size_t stride = o->vf.depth == 10 ? (size_t)w / 2 * 5 : (size_t)w * 2;
	size_t frame = stride * h, n;
	uint8_t *buf = malloc(frame);
	FILE *f = fopen(o->raw, "rb");
	uint64_t k = 0;
	long size;
	/* UYVP and UYVY are the ST 2110-20 4:2:2 pgroups, row after row */
	struct pix px = { ST2110_SAMPLING_YCBCR_422, o->vf.depth,
			  o->vf.depth == 10 ? 5 : 4, 2, 1 };

	checks[0].name = "GStreamer decoded every frame";
	checks[1].name = "GStreamer frames show the colour bars";
	checks[2].name = "GStreamer frames show the moving box";
	nchecks = 3;
	/* GStreamer rounds strides up to 4 bytes */
	stride = (stride + 3) & ~(size_t)3;
	frame = stride * h;
	free(buf);
	buf = malloc(frame);
	if (!f || !buf) {
		fail(0, "cannot read %s", o->raw);
		fail(1, "no frames");
		fail(2, "no frames");
		return report();
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	if ((uint64_t)size != o->frames * frame)
		fail(0, "%ld bytes = %.2f frames of %zu B, want %llu frames",
		     size, (double)size / (double)frame, frame, (unsigned long long)o->frames);
	while ((n = fread(buf, 1, frame, f)) == frame) {
		/* a frame GStreamer did not complete is left zeroed or stale */
		check_picture(buf, &px, w, h, stride, k, 1, 2);
		k++;
	}
	fclose(f);
	free(buf);
	if (!k) {
		fail(1, "no complete frame in the file");
		fail(2, "no complete frame in the file");
	}
	detail(0, "%llu frames of %zu B (%s)", (unsigned long long)k, frame,
	       o->vf.depth == 10 ? "UYVP" : "UYVY");
	detail(1, "8 bars x 2 rows in %llu frames", (unsigned long long)k);
	detail(2, "box position for frame counters 0..%llu", (unsigned long long)(k ? k - 1 : 0));
	return report();
}

static void usage(void)
{
	fputs("usage: rx_check --port P [--group ADDR] [--v6] [--dev IF] [--ready FILE]\n"
	      "  [--frames K] [--timeout-ms T] [--epoch] [--timing --lead L] [--pt N] [--ssrc N]\n"
	      "  video: --size WxH --rate N/D [--interlaced] [--sampling 422|444|420|rgb]\n"
	      "         [--depth D] [--bpm] [--payload B]  [--raw FILE]\n"
	      "  audio: --audio RATE:CH:BITS:SPP [--tone HZ]\n"
	      "  --expect-none\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "port", 1, NULL, 'p' }, { "group", 1, NULL, 'g' }, { "dev", 1, NULL, 'd' },
		{ "v6", 0, NULL, '6' }, { "ready", 1, NULL, 'r' }, { "frames", 1, NULL, 'f' },
		{ "timeout-ms", 1, NULL, 't' }, { "epoch", 0, NULL, 'e' },
		{ "timing", 0, NULL, 'T' }, { "lead", 1, NULL, 'L' }, { "pt", 1, NULL, 'P' },
		{ "ssrc", 1, NULL, 'S' }, { "size", 1, NULL, 's' }, { "rate", 1, NULL, 'R' },
		{ "interlaced", 0, NULL, 'i' }, { "sampling", 1, NULL, 'm' },
		{ "depth", 1, NULL, 'D' }, { "bpm", 0, NULL, 'b' }, { "payload", 1, NULL, 'y' },
		{ "audio", 1, NULL, 'a' }, { "tone", 1, NULL, 'o' }, { "raw", 1, NULL, 'w' },
		{ "expect-none", 0, NULL, 'n' }, { "min-srd", 1, NULL, 'M' },
		{ "early-us", 1, NULL, 'E' }, { "ttl", 1, NULL, 'X' }, { "dscp", 1, NULL, 'Y' },
		{ "src-port", 1, NULL, 'Z' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.timeout_ms = 10000, .frames = 1, .pt = 96, .ssrc = -1, .tone_hz = 1000,
		.want_ttl = -1, .want_dscp = -1, .want_sport = -1,
		.vf = { .sampling = ST2110_SAMPLING_YCBCR_422, .depth = 10,
			.packing = ST2110_PACKING_GPM },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p': o.port = (uint16_t)atoi(optarg); break;
		case 'g': o.group = optarg; break;
		case 'd': o.dev = optarg; break;
		case '6': o.v6 = 1; break;
		case 'r': o.ready = optarg; break;
		case 'f': o.frames = strtoull(optarg, NULL, 0); break;
		case 't': o.timeout_ms = atoi(optarg); break;
		case 'e': o.epoch = 1; break;
		case 'T': o.timing = 1; break;
		case 'L': o.lead = (uint32_t)atoi(optarg); break;
		case 'P': o.pt = atoi(optarg); break;
		case 'S': o.ssrc = (int64_t)strtoull(optarg, NULL, 0); break;
		case 's':
			if (sscanf(optarg, "%ux%u", &o.vf.width_px, &o.vf.height_px) != 2)
				usage();
			break;
		case 'R':
			if (sscanf(optarg, "%u/%u", &o.vf.rate.num, &o.vf.rate.den) != 2)
				usage();
			break;
		case 'i': o.vf.scan = ST2110_SCAN_INTERLACED; break;
		case 'm':
			o.vf.sampling = !strcmp(optarg, "444") ? ST2110_SAMPLING_YCBCR_444 :
					!strcmp(optarg, "420") ? ST2110_SAMPLING_YCBCR_420 :
					!strcmp(optarg, "rgb") ? ST2110_SAMPLING_RGB :
					ST2110_SAMPLING_YCBCR_422;
			break;
		case 'D': o.vf.depth = (uint8_t)atoi(optarg); break;
		case 'b': o.vf.packing = ST2110_PACKING_BPM; break;
		case 'y': o.vf.max_payload_bytes = (uint16_t)atoi(optarg); break;
		case 'a':
			o.audio = 1;
			if (sscanf(optarg, "%u:%u:%u:%u", &o.a_rate, &o.a_ch, &o.a_bits, &o.a_spp) != 4)
				usage();
			if (o.pt == 96)
				o.pt = 97;
			break;
		case 'o': o.tone_hz = (uint32_t)atoi(optarg); break;
		case 'w': o.raw = optarg; break;
		case 'n': o.expect_none = 1; break;
		case 'M': o.min_srd = (uint32_t)atoi(optarg); break;
		case 'E': o.early_us = (uint32_t)atoi(optarg); break;
		case 'X': o.want_ttl = atoi(optarg); break;
		case 'Y': o.want_dscp = atoi(optarg); break;
		case 'Z': o.want_sport = atoi(optarg); break;
		default: usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.raw)
		return run_raw(&o);
	if (!o.port)
		usage();
	if (o.expect_none)
		return run_none(&o);
	if (o.audio)
		return run_audio(&o);
	return run_video(&o);
}
